//! Recording a payment: the finance system's reference and the date paid, checked on the
//! server; and each partner's share of each payment, for the partner's finance team.
use crate::both_backends;
use crate::common::*;
use crate::schemes::{accept, awarded_scheme, client_for, review, send_evidence, tranche_ids};
use sqlx::Row;

both_backends!(
    a_payment_records_its_date_and_each_partner_sees_their_share,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let icb = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        accept(app, &applicant, scheme_id).await;
        let t = tranche_ids(app, scheme_id).await;
        send_evidence(app, &applicant, scheme_id, t[0], "Clinic open").await;
        review(app, &commissioner, scheme_id, t[0], "approve", "").await;
        let (s, first) = (scheme_id.to_string(), t[0].to_string());
        let page = format!("/schemes/{s}/tranches/{first}");

        // The form offers today's date; the payer may change it.
        let (_, body, _) = app.get(&icb, &page).await;
        assert!(
            body.contains("Date paid") && body.contains("Record the payment"),
            "{body}"
        );
        let today = app::domain::date::uk_date(chrono::Utc::now());
        let tomorrow = today + chrono::Duration::days(1);
        let yesterday = today - chrono::Duration::days(1);
        let post = |reference: &'static str, on: chrono::NaiveDate| {
            let (d, m, y) = (
                on.format("%-d").to_string(),
                on.format("%-m").to_string(),
                on.format("%Y").to_string(),
            );
            let (s, first, page, icb) = (s.clone(), first.clone(), page.clone(), icb.clone());
            async move {
                let fields = [
                    ("scheme_id", s.as_str()),
                    ("tranche_id", first.as_str()),
                    ("reference", reference),
                    ("paid_day", d.as_str()),
                    ("paid_month", m.as_str()),
                    ("paid_year", y.as_str()),
                ];
                app.post_form(&icb, "/api/schemes/record_payment", &page, &fields)
                    .await
            }
        };
        // Not in the future, and not before the evidence was approved (today, here).
        let res = post("BACS-77", tomorrow).await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()));
        let (_, body, _) = app.get(&icb, &page).await;
        assert!(
            body.contains("The date paid must be today or in the past"),
            "{body}"
        );
        assert!(body.contains("BACS-77"), "what was typed is kept");
        post("BACS-77", yesterday).await;
        let (_, body, _) = app.get(&icb, &page).await;
        assert!(body.contains("when the evidence was approved"), "{body}");
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(paid_pence AS BIGINT) FROM schemes WHERE id = {s}"
            ))
            .await,
            0
        );

        let res = post("BACS-77", today).await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/schemes/{s}").as_str()),
            "{}",
            res.body
        );
        let (_, body, _) = app.get(&icb, &page).await;
        let shown = app::domain::date::display_date(today);
        assert!(
            body.contains("Date paid") && body.contains(&shown),
            "{body}"
        );
        let paid_on: String = sqlx::query("SELECT paid_on FROM tranches WHERE id = $1")
            .bind(t[0])
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("paid_on");
        assert_eq!(paid_on, today.format("%Y-%m-%d").to_string());

        // Each partner's finance team: found from the fund's page, their share of the
        // payment, and the shares add up to the payment.
        let year: i64 = sqlx::query(
            "SELECT f.year FROM funds f JOIN rounds r ON r.fund_id = f.id JOIN schemes s ON s.round_id = r.id WHERE s.id = $1",
        )
        .bind(scheme_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("year");
        let (_, fund_page, _) = app
            .get(&commissioner, &format!("/fund/pooled-funds/{year}"))
            .await;
        let partners = sqlx::query("SELECT id, name FROM partners ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
        assert!(partners.len() >= 2);
        let mut shares = 0i64;
        for p in &partners {
            let (id, name): (i64, String) = (p.get("id"), p.get("name"));
            let link = format!("/fund/pooled-funds/{year}/partners/{id}/payments.csv");
            assert!(fund_page.contains(&link), "{fund_page}");
            assert!(
                fund_page.contains(&format!("Download {name}")),
                "{fund_page}"
            );
            let (status, csv, _) = app.get(&commissioner, &link).await;
            assert_eq!(status, 200);
            assert!(
                csv.starts_with("Date paid,Payment reference,Organisation"),
                "{csv}"
            );
            let line = csv
                .lines()
                .find(|l| l.contains("BACS-77"))
                .unwrap_or_else(|| panic!("{name}: {csv}"));
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells[0], today.format("%Y-%m-%d").to_string());
            assert_eq!(cells[2], "Happy Feet Chiropody CIC");
            assert_eq!(cells[4], "1");
            assert_eq!(cells[5], "12000.00");
            let share: rust_decimal::Decimal = cells[7].parse().unwrap();
            shares += app::domain::money::Pence::from_decimal(share).unwrap().0;
        }
        assert_eq!(
            shares, 1_200_000,
            "the partners' shares make up the payment"
        );
        // Not a partner of this fund, and not a commissioner: refused.
        let (status, _, _) = app
            .get(
                &commissioner,
                &format!("/fund/pooled-funds/{year}/partners/999999/payments.csv"),
            )
            .await;
        assert_eq!(status, 404);
        let (status, _, _) = app
            .get(
                &applicant,
                &format!(
                    "/fund/pooled-funds/{year}/partners/{}/payments.csv",
                    partners[0].get::<i64, _>("id")
                ),
            )
            .await;
        assert_ne!(status, 200);
    }
);
