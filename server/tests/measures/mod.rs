//! Monitoring measures counted as numbers with decimals and as percentages (a carers'
//! survey): added by a commissioner, typed by the organisation with a clear message when
//! wrong and what was typed kept, shown as typed.
use crate::both_backends;
use crate::common::*;
use crate::schemes::{accept, awarded_scheme, periods_over, return_ids, round_of};

both_backends!(
    a_percentage_measure_is_typed_checked_and_shown,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme_id).await;
        let round_id = round_of(app, scheme_id).await;
        let measures_page = format!("/fund/rounds/{round_id}/measures");
        let (_, page, _) = app.get(&commissioner, &measures_page).await;
        assert!(page.contains("How it is counted") && page.contains("A percentage, like 94%"));
        let add = |name: &'static str, unit: &'static str, unit_cost: String| {
            let commissioner = commissioner.clone();
            let measures_page = measures_page.clone();
            async move {
                let fields = [
                    ("round_id", round_id.to_string()),
                    ("kind", "outcome".to_string()),
                    ("name", name.to_string()),
                    ("unit", unit.to_string()),
                    ("unit_cost_id", unit_cost),
                    ("attribution", String::new()),
                ];
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form(
                    &commissioner,
                    "/api/portfolio/add_measure",
                    &measures_page,
                    &fields,
                )
                .await
            }
        };
        // A unit cost prices whole ones: a percentage cannot be valued by one.
        let unit_cost: i64 = sqlx::query_scalar("SELECT id FROM unit_costs ORDER BY id")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let refused = add("Carers who keep caring", "percent", unit_cost.to_string()).await;
        assert_eq!(refused.location.as_deref(), Some(measures_page.as_str()));
        let (_, page, _) = app.get(&commissioner, &measures_page).await;
        assert!(
            page.contains("Only a measure counted in whole numbers can be valued by a unit cost"),
            "{page}"
        );
        assert!(
            page.contains("value=\"Carers who keep caring\""),
            "what was typed is kept"
        );
        let in_round = format!("SELECT COUNT(*) FROM round_measures WHERE round_id = {round_id}");
        assert_eq!(app.count(&in_round).await, 0);
        let added = add("Carers who keep caring", "percent", String::new()).await;
        assert_eq!(added.status, 302);
        let added = add("Hours of support", "number", String::new()).await;
        assert_eq!(added.status, 302);
        let (_, page, _) = app.get(&commissioner, &measures_page).await;
        assert!(page.contains("Percentage") && page.contains("Number with decimals"));
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM round_measures WHERE round_id = $1 ORDER BY id")
                .bind(round_id)
                .fetch_all(&app.pool)
                .await
                .unwrap();
        let (survey, hours) = (ids[0], ids[1]);

        periods_over(app, scheme_id).await;
        let first = return_ids(app, scheme_id).await[0];
        let page = format!("/schemes/{scheme_id}/returns/{first}");
        let send = |survey_value: &'static str, hours_value: &'static str| {
            let applicant = applicant.clone();
            let page = page.clone();
            async move {
                let fields = [
                    ("scheme_id".to_string(), scheme_id.to_string()),
                    ("return_id".to_string(), first.to_string()),
                    ("money[costs]".to_string(), "6000".to_string()),
                    ("money[seed_grant]".to_string(), "3000".to_string()),
                    ("money[charges]".to_string(), "3000".to_string()),
                    (format!("measure[{survey}]"), survey_value.to_string()),
                    (format!("measure[{hours}]"), hours_value.to_string()),
                    (
                        "narrative".to_string(),
                        "Clinics ran every week".to_string(),
                    ),
                    ("then".to_string(), "send".to_string()),
                ];
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                app.post_form(&applicant, "/api/returns/save", &page, &fields)
                    .await
            }
        };
        let (_, form, _) = app.get(&applicant, &page).await;
        assert!(form.contains("Carers who keep caring (%)"), "{form}");
        assert!(form.contains("inputmode=\"decimal\""));
        // Over 100% and three decimal places are refused, each with its own message, and
        // nothing typed is lost.
        send("104", "12.125").await;
        let (_, form, _) = app.get(&applicant, &page).await;
        assert!(form.contains("Carers who keep caring must be a percentage from 0 to 100, with up to 2 decimal places, like 94 or 94.5"), "{form}");
        assert!(form.contains(
            "Hours of support must be a number, 0 or more, with up to 2 decimal places, like 12.5"
        ));
        assert!(form.contains("value=\"104\"") && form.contains("value=\"12.125\""));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM returns WHERE status = 'submitted'")
                .await,
            0,
            "not sent"
        );
        let sent = send("94.5%", "1,250.5").await;
        assert_eq!(sent.status, 302);
        let stored: Vec<i64> = sqlx::query_scalar(
            "SELECT value FROM return_values WHERE return_id = $1 ORDER BY measure_id",
        )
        .bind(first)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        assert_eq!(stored, vec![9450, 125_050], "hundredths");
        let (_, shown, _) = app.get(&commissioner, &page).await;
        assert!(shown.contains("94.5%"), "{shown}");
        assert!(shown.contains("1,250.5"));
    }
);
