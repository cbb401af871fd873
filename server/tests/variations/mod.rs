//! Variations to an award: a commissioner varies one (tranche amounts, planned dates,
//! milestones, conditions) and the money follows each tranche to its year's fund; the
//! organisation asks for one and a commissioner refuses or approves it; refusals keep what
//! was typed and change nothing; variations racing evidence reviews agree to the penny.
mod races;
mod schedule;
mod sign_off;

use crate::both_backends;
use crate::common::*;
use crate::scheme_changes::{books_agree, statement_agrees};
use crate::schemes::{accept, awarded_scheme, review, send_evidence};
use chrono::Datelike;
use sqlx::Row;

/// A scheme's tranches as (id, position, amount in pence, planned date, milestone).
pub(crate) async fn tranches(
    app: &TestApp,
    scheme: i64,
) -> Vec<(i64, i64, i64, chrono::NaiveDate, String)> {
    sqlx::query("SELECT id, position, amount_pence, due_on, milestone FROM tranches WHERE scheme_id = $1 ORDER BY position")
        .bind(scheme)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let due: String = r.get("due_on");
            (
                r.get("id"),
                r.get("position"),
                r.get("amount_pence"),
                chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap(),
                r.get("milestone"),
            )
        })
        .collect()
}

/// The variation form for `scheme`'s tranches from `from` on (position), with `change`
/// applied to the fields: the award as it stands, unless changed.
pub(crate) async fn vary(
    app: &TestApp,
    client: &reqwest::Client,
    scheme: i64,
    change: &[(&str, &str)],
    js: bool,
) -> Posted {
    let mut fields: Vec<(String, String)> = vec![("scheme_id".into(), scheme.to_string())];
    let status: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM tranches WHERE scheme_id = $1 AND status IN ('due', 'evidence_submitted', 'returned') ORDER BY position",
    )
    .bind(scheme)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut shown = Vec::new();
    for (id, position, amount, due, milestone) in tranches(app, scheme).await {
        if !status.contains(&id) {
            continue;
        }
        shown.push(app::domain::monitoring::VariableTranche {
            id,
            position,
            amount: app::domain::money::Pence(amount),
            due,
            milestone: milestone.clone(),
        });
        fields.push((
            format!("amount[t{id}]"),
            format!("{}.{:02}", amount / 100, amount % 100),
        ));
        fields.push((format!("due[t{id}_day]"), due.day().to_string()));
        fields.push((format!("due[t{id}_month]"), due.month().to_string()));
        fields.push((format!("due[t{id}_year]"), due.year().to_string()));
        fields.push((format!("milestone[t{id}]"), milestone));
    }
    let conditions: String = sqlx::query_scalar("SELECT conditions FROM schemes WHERE id = $1")
        .bind(scheme)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // The award as the page would show it now (a page opened before another change is
    // refused: see `races`).
    let based_on = app::service::schemes::award_version_token(&shown, &conditions);
    fields.push(("based_on".into(), based_on));
    fields.push(("conditions".into(), conditions));
    for (k, v) in change {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some((_, value)) => *value = v.to_string(),
            None => fields.push((k.to_string(), v.to_string())),
        }
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if js {
        app.post_js(client, "/api/schemes/vary", &fields).await
    } else {
        let page = format!("/schemes/{scheme}/variation");
        app.post_form(client, "/api/schemes/vary", &page, &fields)
            .await
    }
}

pub(crate) async fn amount(app: &TestApp, scheme: i64) -> i64 {
    sqlx::query_scalar("SELECT amount_pence FROM schemes WHERE id = $1")
        .bind(scheme)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// What a movement moved in the fund a tranche is charged to.
async fn moved_in(app: &TestApp, year: i64, movement: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT) FROM fund_ledger l JOIN funds f ON f.id = l.fund_id
         WHERE f.year = $1 AND l.movement = $2",
    )
    .bind(year)
    .bind(movement)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn fund_year(app: &TestApp, tranche: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT f.year FROM tranches t JOIN funds f ON f.id = t.fund_id WHERE t.id = $1",
    )
    .bind(tranche)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

both_backends!(
    a_commissioner_varies_an_award_and_the_money_follows_each_tranche,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        // Money only: the partners' sign-off of an increase is tested in `sign_off`.
        without_sign_off(app).await;
        accept(app, &applicant, scheme).await;
        let page = format!("/schemes/{scheme}");
        let (status, body, _) = app.get(&commissioner, &page).await;
        assert_eq!(status, 200);
        assert!(
            body.contains("Award history") && body.contains("Vary the award"),
            "{body}"
        );
        let (status, body, _) = app.get(&commissioner, &format!("{page}/variation")).await;
        assert_eq!(status, 200);
        assert!(body.contains("Tranche 2") && body.contains("Reason for the variation"));

        let t = tranches(app, scheme).await;
        let (t2, t3) = (t[1].0, t[2].0);
        let t3_year = fund_year(app, t3).await;
        let later = t[2].3.with_year(t[2].3.year() + 1).unwrap();
        let reduced_before = moved_in(app, t3_year, "award_reduced").await;

        // Mistakes are refused field by field; nothing changes.
        let a2 = format!("amount[t{t2}]");
        let res = vary(app, &commissioner, scheme, &[(&a2, "0")], true).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(
            res.body.contains("Tranche 2's amount must be more than £0"),
            "{}",
            res.body
        );
        assert!(
            res.body.contains("Enter the reason for the variation"),
            "{}",
            res.body
        );
        let res = vary(app, &commissioner, scheme, &[("reason", "Nothing")], true).await;
        assert!(res.body.contains("Nothing has changed"), "{}", res.body);
        // More than the year's fund can cover: refused with what it has.
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[(&a2, "5000000"), ("reason", "Far too much")],
            true,
        )
        .await;
        assert!(res.body.contains("uncommitted"), "{}", res.body);
        assert_eq!(amount(app, scheme).await, 2_400_000);
        books_agree(app).await;

        // Tranche 2 up by £2,000, tranche 3 a year later: the award is £26,000; tranche 3's
        // money goes from its year to the next.
        let (d3, m3, y3) = (
            format!("due[t{t3}_day]"),
            format!("due[t{t3}_month]"),
            format!("due[t{t3}_year]"),
        );
        let (day, month, year) = (
            later.day().to_string(),
            later.month().to_string(),
            later.year().to_string(),
        );
        let reason = "Demand doubled once the GP surgery started referring";
        // A year later: that year's fund is not set up, so nothing changes.
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[(&d3, &day), (&m3, &month), (&y3, &year), ("reason", reason)],
            true,
        )
        .await;
        assert!(
            res.body.contains("pooled fund is not set up"),
            "{}",
            res.body
        );
        assert_eq!(fund_year(app, t3).await, t3_year);
        // A month after tranche 2 instead: its money moves to that year's fund.
        let sooner = t[1].3 + chrono::Duration::days(30);
        let (day, month, year) = (
            sooner.day().to_string(),
            sooner.month().to_string(),
            sooner.year().to_string(),
        );
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[
                (&a2, "9200"),
                (&d3, &day),
                (&m3, &month),
                (&y3, &year),
                ("reason", reason),
            ],
            false,
        )
        .await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        assert_eq!(amount(app, scheme).await, 2_600_000);
        let after = tranches(app, scheme).await;
        assert_eq!(after[1].2, 920_000);
        assert_eq!(after[2].3, sooner);
        let sooner_year = i64::from(app::domain::fund::FinancialYear::containing(sooner).0);
        assert_eq!(fund_year(app, t3).await, sooner_year);
        if sooner_year != t3_year {
            assert!(moved_in(app, t3_year, "award_reduced").await > reduced_before);
        }
        books_agree(app).await;
        statement_agrees(app, &commissioner).await;
        let audit = app
            .count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'scheme.varied' AND subject_id = '{scheme}'"))
            .await;
        assert_eq!(audit, 1);
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC's award has been varied"
        );
        assert!(
            mail.body.contains("Award £24,000.00 to £26,000.00"),
            "{}",
            mail.body
        );
        assert!(mail.body.contains(reason));
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(body.contains("Award £24,000.00 to £26,000.00"), "{body}");
        assert!(body.contains("Tranche 2: £7,200.00 to £9,200.00"), "{body}");

        // Less: the money goes back to the year's fund.
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[(&a2, "6000"), ("reason", "Fewer clinics")],
            true,
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(amount(app, scheme).await, 2_280_000);
        books_agree(app).await;
    }
);

both_backends!(
    an_organisation_asks_for_a_variation_and_a_commissioner_decides_it,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        // Money only: the partners' sign-off of an increase is tested in `sign_off`.
        without_sign_off(app).await;
        accept(app, &applicant, scheme).await;
        let page = format!("/schemes/{scheme}");
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(body.contains("Ask for a variation to the award"), "{body}");
        let t = tranches(app, scheme).await;
        let m2 = format!("milestone[t{}]", t[1].0);
        let a2 = format!("amount[t{}]", t[1].0);
        let ask = |reason: &'static str| {
            let (m2, a2) = (m2.clone(), a2.clone());
            let applicant = applicant.clone();
            async move {
                vary(
                    app,
                    &applicant,
                    scheme,
                    &[
                        (&m2, "Two clinics running"),
                        (&a2, "8000"),
                        ("reason", reason),
                    ],
                    false,
                )
                .await
            }
        };
        let res = ask("A second clinic opened in Cleethorpes").await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        assert_eq!(amount(app, scheme).await, 2_400_000, "nothing changes yet");
        let id: i64 = sqlx::query_scalar(
            "SELECT MAX(id) FROM variations WHERE scheme_id = $1 AND status = 'requested'",
        )
        .bind(scheme)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("Requested: waiting for a commissioner"),
            "{body}"
        );
        assert!(body.contains("Your decision on this variation"), "{body}");

        let decide = |decision: &'static str, note: &'static str, client: reqwest::Client| async move {
            app.post_js(
                &client,
                "/api/schemes/decide_variation",
                &[
                    ("scheme_id", &scheme.to_string()),
                    ("variation_id", &id.to_string()),
                    ("decision", decision),
                    ("note", note),
                ],
            )
            .await
        };
        // Only commissioners decide; a refusal needs a note.
        let res = decide("approve", "", applicant.clone()).await;
        assert_eq!(res.status, 403);
        let res = decide("refuse", "", commissioner.clone()).await;
        assert_eq!(res.status, 400);
        assert!(
            res.body.contains("Enter why the variation is refused"),
            "{}",
            res.body
        );
        let res = decide(
            "refuse",
            "Send the clinic's first quarter figures first",
            commissioner.clone(),
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC's request to vary its award was refused"
        );
        assert!(mail
            .body
            .contains("Send the clinic's first quarter figures first"));
        let res = decide("approve", "", commissioner.clone()).await;
        assert!(res.body.contains("decided already"), "{}", res.body);
        assert_eq!(amount(app, scheme).await, 2_400_000);

        // Asked again, and approved: applied, money and all.
        ask("The first quarter's figures are in our latest return").await;
        let id: i64 = sqlx::query_scalar(
            "SELECT MAX(id) FROM variations WHERE scheme_id = $1 AND status = 'requested'",
        )
        .bind(scheme)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let res = app
            .post_js(
                &commissioner,
                "/api/schemes/decide_variation",
                &[
                    ("scheme_id", &scheme.to_string()),
                    ("variation_id", &id.to_string()),
                    ("decision", "approve"),
                    ("note", ""),
                ],
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(amount(app, scheme).await, 2_480_000);
        let t = tranches(app, scheme).await;
        assert_eq!(t[1].4, "Two clinics running");
        books_agree(app).await;
        let audits = app
            .count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE subject_id = '{scheme}' AND action IN ('scheme.variation_requested', 'scheme.variation_refused', 'scheme.varied')"))
            .await;
        assert_eq!(audits, 4);
    }
);

both_backends!(
    variations_racing_evidence_reviews_agree_to_the_penny,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        // Money only: the partners' sign-off of an increase is tested in `sign_off`.
        without_sign_off(app).await;
        accept(app, &applicant, scheme).await;
        let t = tranches(app, scheme).await;
        let t2 = t[1].0;
        send_evidence(app, &applicant, scheme, t2, "Half-way: clinics running").await;
        let a2 = format!("amount[t{t2}]");
        let change = [(a2.as_str(), "9000"), ("reason", "More clinics")];
        let (reviewed, varied) = tokio::join!(
            review(app, &commissioner, scheme, t2, "approve", ""),
            vary(app, &commissioner, scheme, &change, true),
        );
        let approved: i64 = sqlx::query_scalar("SELECT amount_pence FROM tranches WHERE id = $1")
            .bind(t2)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        // Either order is fine; what was approved is what the tranche says, and the books agree.
        assert!(reviewed.status < 500 && varied.status < 500);
        assert!(approved == 720_000 || approved == 900_000);
        assert_eq!(
            varied.status < 400,
            approved == 900_000,
            "the variation took effect exactly when it says so: {}",
            varied.body
        );
        books_agree(app).await;
    }
);
