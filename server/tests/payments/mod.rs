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

async fn uncommitted(app: &TestApp, scheme_id: i64) -> i64 {
    app.count(&format!(
        "SELECT CAST(f.agreed_pence - f.reserved_pence - f.committed_pence AS BIGINT)
         FROM funds f JOIN rounds r ON r.fund_id = f.id JOIN schemes s ON s.round_id = r.id WHERE s.id = {scheme_id}"
    ))
    .await
}

fn date_fields(prefix: &str, on: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}_day"), on.format("%-d").to_string()),
        (format!("{prefix}_month"), on.format("%-m").to_string()),
        (format!("{prefix}_year"), on.format("%Y").to_string()),
    ]
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    action: &str,
    page: &str,
    fields: &[(String, String)],
) -> Posted {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(client, action, page, &fields).await
}

both_backends!(
    money_is_asked_back_and_each_repayment_goes_back_to_the_fund,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let icb = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        accept(app, &applicant, scheme_id).await;
        let t = tranche_ids(app, scheme_id).await;
        send_evidence(app, &applicant, scheme_id, t[0], "Clinic open").await;
        review(app, &commissioner, scheme_id, t[0], "approve", "").await;
        crate::schemes::pay(app, &icb, scheme_id, t[0], "BACS-1").await;
        let s = scheme_id.to_string();
        let scheme_page = format!("/schemes/{s}");
        let form_page = format!("{scheme_page}/clawback");
        let today = app::domain::date::uk_date(chrono::Utc::now());

        // Found from the scheme page, by commissioners only.
        let (_, body, _) = app.get(&commissioner, &scheme_page).await;
        assert!(
            body.contains("Ask the organisation to repay money"),
            "{body}"
        );
        let (_, body, _) = app.get(&applicant, &scheme_page).await;
        assert!(!body.contains("Ask the organisation to repay money"));
        let (status, _, _) = app.get(&applicant, &form_page).await;
        assert_eq!(status, 403);
        let (_, body, _) = app.get(&commissioner, &form_page).await;
        assert!(
            body.contains("The most you can ask back") && body.contains("£12,000.00"),
            "{body}"
        );

        // No more than was paid; every field checked; what was typed kept.
        let reason = "The clinic closed for two months; £2,000 of the first tranche was not spent";
        let mut fields = vec![
            ("scheme_id".to_string(), s.clone()),
            ("amount".into(), "12000.01".into()),
            ("reason".into(), reason.into()),
        ];
        fields.extend(date_fields("due", today));
        post(
            app,
            &commissioner,
            "/api/schemes/clawback",
            &form_page,
            &fields,
        )
        .await;
        let (_, body, _) = app.get(&commissioner, &form_page).await;
        assert!(
            body.contains("The amount to be repaid must be £12,000.00 or less"),
            "{body}"
        );
        assert!(
            body.contains("The due date must be in the future"),
            "{body}"
        );
        assert!(body.contains(reason), "what was typed is kept");
        let res = post(
            app,
            &applicant,
            "/api/schemes/clawback",
            &form_page,
            &fields,
        )
        .await;
        assert_ne!(res.location.as_deref(), Some(scheme_page.as_str()));

        let before = uncommitted(app, scheme_id).await;
        fields[1].1 = "2,000".into();
        fields.truncate(3);
        fields.extend(date_fields("due", today + chrono::Duration::days(30)));
        let res = post(
            app,
            &commissioner,
            "/api/schemes/clawback",
            &form_page,
            &fields,
        )
        .await;
        assert_eq!(
            res.location.as_deref(),
            Some(scheme_page.as_str()),
            "{}",
            res.body
        );
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC is asked to repay £2,000.00 of its seed funding"
        );
        assert!(mail.body.contains(reason));
        let (_, body, _) = app.get(&applicant, &scheme_page).await;
        assert!(
            body.contains("Money to be repaid") && body.contains("To be repaid"),
            "{body}"
        );
        assert!(
            !body.contains("Record a repayment"),
            "only commissioners record repayments"
        );
        assert_eq!(
            uncommitted(app, scheme_id).await,
            before,
            "asking is not yet money back"
        );

        // A repayment: no more than is owed, then part of it; the fund gets it back.
        let clawback = app
            .count(&format!(
                "SELECT CAST(MAX(id) AS BIGINT) FROM clawbacks WHERE scheme_id = {s}"
            ))
            .await;
        let page = format!("{scheme_page}/clawbacks/{clawback}");
        let (_, body, _) = app.get(&commissioner, &scheme_page).await;
        assert!(
            body.contains(&page),
            "the way to record a repayment: {body}"
        );
        let mut repay = vec![
            ("scheme_id".to_string(), s.clone()),
            ("clawback_id".into(), clawback.to_string()),
            ("amount".into(), "2500".into()),
            ("reference".into(), "REC-1".into()),
        ];
        repay.extend(date_fields("received", today));
        post(app, &commissioner, "/api/schemes/repayment", &page, &repay).await;
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("The amount received must be £2,000.00 or less"),
            "{body}"
        );
        repay[2].1 = "500".into();
        // The portfolio's totals net repayments out, as the ledger does.
        let totals = |label: &'static str| {
            let commissioner = commissioner.clone();
            async move {
                let (_, body, _) = app.get(&commissioner, "/fund/schemes").await;
                let shown = crate::scale::summary_value(&body, label);
                let pounds: rust_decimal::Decimal = shown
                    .trim_start_matches('£')
                    .replace(',', "")
                    .parse()
                    .unwrap();
                i64::try_from(pounds * rust_decimal::Decimal::from(100)).unwrap()
            }
        };
        let paid_before = totals("Paid").await;
        let repaid_before = totals("Repaid by schemes").await;
        let committed_before = totals("Committed").await;
        let res = post(app, &commissioner, "/api/schemes/repayment", &page, &repay).await;
        assert_eq!(
            res.location.as_deref(),
            Some(scheme_page.as_str()),
            "{}",
            res.body
        );
        let (_, body, _) = app.get(&commissioner, &scheme_page).await;
        assert!(
            body.contains("Partly repaid") && body.contains("£1,500.00"),
            "{body}"
        );
        assert_eq!(uncommitted(app, scheme_id).await - before, 50_000);
        crate::scheme_changes::books_agree(app).await;
        assert_eq!(totals("Paid").await, paid_before - 50_000);
        assert_eq!(totals("Repaid by schemes").await, repaid_before + 50_000);
        assert_eq!(totals("Committed").await, committed_before - 50_000);
        // The organisation gets a receipt, and sees each repayment on its scheme's page.
        let receipt = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            receipt.subject,
            "Repayment of £500.00 received from Happy Feet Chiropody CIC"
        );
        assert!(
            receipt.body.contains("(reference REC-1)"),
            "{}",
            receipt.body
        );
        assert!(receipt.body.contains("£1,500.00 is still to be repaid"));
        let (_, body, _) = app.get(&applicant, &scheme_page).await;
        assert!(
            body.contains("Repayments received") && body.contains("£500.00 received on"),
            "{body}"
        );
        assert!(body.contains("(reference REC-1)"));

        // Two people record the rest at once: only one is taken.
        repay[2].1 = "1500".into();
        let js: Vec<(&str, &str)> = repay
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (a, b) = tokio::join!(
            app.post_js(&commissioner, "/api/schemes/repayment", &js),
            app.post_js(&icb, "/api/schemes/repayment", &js),
        );
        assert_eq!(
            [a.status, b.status].iter().filter(|s| **s == 200).count(),
            1,
            "{} {} / {} {}",
            a.status,
            a.body,
            b.status,
            b.body
        );
        assert_eq!(
            app.count(&format!(
                "SELECT repaid_pence FROM clawbacks WHERE id = {clawback}"
            ))
            .await,
            200_000
        );
        assert_eq!(uncommitted(app, scheme_id).await - before, 200_000);
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("This money has been repaid in full"),
            "{body}"
        );
        crate::scheme_changes::books_agree(app).await;
        crate::scheme_changes::statement_agrees(app, &commissioner).await;

        // An unpaid clawback past its due date shows as overdue.
        fields[1].1 = "100".into();
        let res = post(
            app,
            &commissioner,
            "/api/schemes/clawback",
            &form_page,
            &fields,
        )
        .await;
        assert_eq!(
            res.location.as_deref(),
            Some(scheme_page.as_str()),
            "{}",
            res.body
        );
        sqlx::query("UPDATE clawbacks SET due_on = $1 WHERE id = (SELECT MAX(id) FROM clawbacks)")
            .bind(
                (today - chrono::Duration::days(1))
                    .format("%Y-%m-%d")
                    .to_string(),
            )
            .execute(&app.pool)
            .await
            .unwrap();
        let (_, body, _) = app.get(&applicant, &scheme_page).await;
        assert!(body.contains("Overdue"), "{body}");
        let asked = app
            .count(&format!(
                "SELECT clawed_back_pence FROM schemes WHERE id = {s}"
            ))
            .await;
        assert_eq!(asked, 210_000);
    }
);
