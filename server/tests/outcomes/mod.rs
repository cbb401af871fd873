//! Tranches tied to outcomes ("pay for outcomes, not activity"): a commissioner names the
//! measure and figure a tranche must reach; its page shows the figures reported; evidence
//! is approved before the figure is reached only with a reason; audited.
use crate::both_backends;
use crate::common::*;
use crate::schemes::{
    accept, awarded_scheme, periods_over, return_ids, review, round_of, send_evidence, tranche_ids,
};

both_backends!(
    a_tranche_tied_to_an_outcome_shows_its_figures_and_needs_a_reason_to_pay_early,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme_id).await;
        let round_id = round_of(app, scheme_id).await;
        let second = tranche_ids(app, scheme_id).await[1];
        let page = format!("/schemes/{scheme_id}/tranches/{second}");

        // Before the round has measures, the way to add them is offered.
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(body.contains("Outcome to reach"));
        assert!(body.contains("This tranche is paid on its milestone alone"));
        assert!(
            body.contains("Add the round&#x27;s monitoring measures")
                || body.contains("Add the round's monitoring measures"),
            "{body}"
        );
        let added = app
            .post_form(
                &commissioner,
                "/api/portfolio/add_measure",
                &format!("/fund/rounds/{round_id}/measures"),
                &[
                    ("round_id", &round_id.to_string()),
                    ("kind", "outcome"),
                    ("name", "Falls avoided"),
                    ("unit", "count"),
                ],
            )
            .await;
        assert_eq!(added.status, 302);
        let falls: i64 = sqlx::query_scalar("SELECT id FROM round_measures WHERE round_id = $1")
            .bind(round_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();

        let set = |client: reqwest::Client, measure: String, target: &'static str| {
            let page = page.clone();
            async move {
                let fields = [
                    ("scheme_id", scheme_id.to_string()),
                    ("tranche_id", second.to_string()),
                    ("measure_id", measure),
                    ("target", target.to_string()),
                ];
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form(&client, "/api/schemes/tranche_outcome_set", &page, &fields)
                    .await
            }
        };
        // A figure the measure cannot hold is refused beside the field, what was typed kept.
        let refused = set(commissioner.clone(), falls.to_string(), "five").await;
        assert_eq!(refused.location.as_deref(), Some(page.as_str()));
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("Falls avoided must be a whole number, 0 or more, like 120"),
            "{body}"
        );
        assert!(body.contains("value=\"five\""));
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM tranches WHERE id = {second} AND measure_id IS NOT NULL"
            ))
            .await,
            0
        );
        // The organisation cannot set its own outcome.
        let theirs = app
            .post_js(
                &applicant,
                "/api/schemes/tranche_outcome_set",
                &[
                    ("scheme_id", &scheme_id.to_string()),
                    ("tranche_id", &second.to_string()),
                    ("measure_id", &falls.to_string()),
                    ("target", "1"),
                ],
            )
            .await;
        assert_eq!(theirs.status, 403);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM tranches WHERE id = {second} AND measure_id IS NOT NULL"
            ))
            .await,
            0
        );

        let tied = set(commissioner.clone(), falls.to_string(), "5").await;
        assert_eq!(tied.status, 302);
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Tranche 2 of Happy Feet Chiropody CIC's seed funding is tied to an outcome"
        );
        assert!(
            mail.body.contains("Falls avoided: 5 in all"),
            "{}",
            mail.body
        );
        assert!(mail
            .body
            .contains(&format!("/schemes/{scheme_id}/tranches/{second}")));
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(body.contains("Falls avoided: 5 in all"), "{body}");
        assert!(body.contains("No figures reported yet"));
        assert!(
            !body.contains("Change the outcome or untie the tranche"),
            "commissioners only"
        );
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(body.contains("Change the outcome or untie the tranche"));
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'tranche.outcome_set' AND subject_id = '{scheme_id}'")).await,
            1
        );

        // A return reports 3 falls avoided: the tranche's page shows it against the 5.
        periods_over(app, scheme_id).await;
        let first_return = return_ids(app, scheme_id).await[0];
        let return_page = format!("/schemes/{scheme_id}/returns/{first_return}");
        let fields = [
            ("scheme_id".to_string(), scheme_id.to_string()),
            ("return_id".to_string(), first_return.to_string()),
            ("money[costs]".to_string(), "6000".to_string()),
            ("money[seed_grant]".to_string(), "3000".to_string()),
            ("money[charges]".to_string(), "3000".to_string()),
            (format!("measure[{falls}]"), "3".to_string()),
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
        let sent = app
            .post_form(&applicant, "/api/returns/save", &return_page, &fields)
            .await;
        assert_eq!(sent.status, 302);
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(body.contains("3 so far, over every return sent"), "{body}");
        assert!(body.contains("Return 1: "));
        assert!(body.contains("Not yet"));

        // Evidence sent: approving it before the 5 are reached needs a reason.
        assert_eq!(
            send_evidence(app, &applicant, scheme_id, second, "Clinic two opened")
                .await
                .status,
            302
        );
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(body.contains("The outcome has not been reached yet. To approve the evidence anyway, say why in the note."));
        let early = review(app, &commissioner, scheme_id, second, "approve", "").await;
        assert_eq!(early.location.as_deref(), Some(page.as_str()));
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("The outcome for this tranche has not been reached (Falls avoided: 5 in all; 3 so far, over every return sent)"),
            "{body}"
        );
        let status: String = sqlx::query_scalar("SELECT status FROM tranches WHERE id = $1")
            .bind(second)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(status, "evidence_submitted", "not approved");
        let approved = review(
            app,
            &commissioner,
            scheme_id,
            second,
            "approve",
            "The clinic's register shows 6 this week",
        )
        .await;
        assert_eq!(approved.status, 302);
        let summary: String = sqlx::query_scalar(
            "SELECT summary FROM audit_log WHERE action = 'tranche.approved' AND subject_id = $1",
        )
        .bind(scheme_id.to_string())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert!(
            summary.contains(
                "although its outcome was not reached (Falls avoided: 5 in all; 3 so far"
            ),
            "{summary}"
        );
        assert!(summary.contains("The clinic's register shows 6 this week"));

        // Once approved its outcome is settled, and a measure a tranche is tied to stays.
        let late = set(commissioner.clone(), String::new(), "").await;
        assert_eq!(late.location.as_deref(), Some(page.as_str()));
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(body.contains("cannot be tied to an outcome now"), "{body}");
        assert!(!body.contains("Change the outcome or untie the tranche"));
        let measures_page = format!("/fund/rounds/{round_id}/measures");
        app.post_form(
            &commissioner,
            "/api/portfolio/remove_measure",
            &measures_page,
            &[
                ("round_id", &round_id.to_string()),
                ("measure_id", &falls.to_string()),
            ],
        )
        .await;
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM round_measures WHERE id = {falls}"
            ))
            .await,
            1
        );
    }
);
