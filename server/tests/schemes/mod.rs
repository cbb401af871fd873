//! Funded schemes: accepting an award, tranche evidence and payment (once, even under
//! concurrent approvals), monitoring returns, status and graduation, the portfolio and its
//! CSV, reminders sent exactly once, and other organisations kept out.
use crate::both_backends;
use crate::common::*;
use sqlx::Row;

pub(crate) const DEMO: &str = server::cli::demo::DEMO_PASSWORD;

pub(crate) async fn client_for(app: &TestApp, email: &str) -> reqwest::Client {
    let client = new_client();
    let res = app.sign_in(&client, email, DEMO).await;
    assert_eq!(res.status, 302, "{email} signs in");
    client
}

/// The demo's pilot round, with Happy Feet Chiropody CIC's bid recommended for £24,000 by
/// the commissioner through the decision page and signed off by both partners' approvers:
/// (scheme id, commissioner, applicant).
pub(crate) async fn awarded_scheme(app: &TestApp) -> (i64, reqwest::Client, reqwest::Client) {
    server::cli::demo::load(&app.pool).await.unwrap();
    award_pilot(app).await
}

/// Happy Feet's pilot bid awarded £24,000 (recommended and signed off) through `app`'s
/// address, on a database the demo is loaded in: (scheme id, commissioner, applicant).
pub(crate) async fn award_pilot(app: &TestApp) -> (i64, reqwest::Client, reqwest::Client) {
    let round_id: i64 = sqlx::query("SELECT id FROM rounds WHERE title = $1")
        .bind(server::cli::demo::PILOT_TITLE)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
    let bid_id: i64 = sqlx::query(
        "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id WHERE b.round_id = $1 AND o.name = 'Happy Feet Chiropody CIC'",
    )
    .bind(round_id)
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id");
    let commissioner = client_for(app, "commissioner@seedbed.test").await;
    let page = format!("/fund/rounds/{round_id}/moderation/bids/{bid_id}");
    let res = app
        .post_form(
            &commissioner,
            "/api/decisions/decide",
            &page,
            &[
                ("round_id", &round_id.to_string()),
                ("bid_id", &bid_id.to_string()),
                ("outcome", "award"),
                ("amount", "24000"),
                ("purpose", "Foot care clinics for older people in Grimsby"),
                ("conditions", "Quarterly returns on time"),
                // The demo's assessors have not scored the pilot's bids yet.
                ("award_before_scores", "award_before_scores"),
                ("feedback", ""),
                ("returns_every", "3"),
            ],
        )
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    // The demo's partners have named approvers: both sign the Board's recommendation off.
    super::board::sign_off_by_both(app, bid_id).await;
    let scheme_id: i64 = sqlx::query("SELECT id FROM schemes WHERE bid_id = $1")
        .bind(bid_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
    let applicant = client_for(app, "applicant@seedbed.test").await;
    (scheme_id, commissioner, applicant)
}

/// The funding round a scheme was awarded from.
pub(crate) async fn round_of(app: &TestApp, scheme_id: i64) -> i64 {
    sqlx::query_scalar("SELECT round_id FROM schemes WHERE id = $1")
        .bind(scheme_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

pub(crate) async fn tranche_ids(app: &TestApp, scheme_id: i64) -> Vec<i64> {
    sqlx::query("SELECT id FROM tranches WHERE scheme_id = $1 ORDER BY position")
        .bind(scheme_id)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect()
}

pub(crate) async fn return_ids(app: &TestApp, scheme_id: i64) -> Vec<i64> {
    sqlx::query("SELECT id FROM returns WHERE scheme_id = $1 ORDER BY position")
        .bind(scheme_id)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect()
}

/// Bring every return period of the scheme to an end yesterday, so that its returns can be
/// filled in (a return opens the day after its period ends).
pub(crate) async fn periods_over(app: &TestApp, scheme_id: i64) {
    let today = app::domain::date::uk_date(chrono::Utc::now());
    let yesterday = app::domain::time::Day(today - chrono::Duration::days(1)).to_db();
    sqlx::query("UPDATE returns SET period_end = $1 WHERE scheme_id = $2 AND period_end > $1")
        .bind(yesterday)
        .bind(scheme_id)
        .execute(&app.pool)
        .await
        .unwrap();
}

pub(crate) async fn accept(app: &TestApp, client: &reqwest::Client, scheme_id: i64) {
    let s = scheme_id.to_string();
    let res = app
        .post_form(
            client,
            "/api/schemes/accept",
            &format!("/schemes/{s}"),
            &[("scheme_id", &s), ("confirm", "confirm")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/schemes/{s}").as_str()),
        "{}",
        res.body
    );
}

pub(crate) async fn send_evidence(
    app: &TestApp,
    client: &reqwest::Client,
    scheme_id: i64,
    tranche: i64,
    text: &str,
) -> Posted {
    app.post_form(
        client,
        "/api/schemes/evidence",
        &format!("/schemes/{scheme_id}/tranches/{tranche}"),
        &[
            ("scheme_id", &scheme_id.to_string()),
            ("tranche_id", &tranche.to_string()),
            ("evidence", text),
        ],
    )
    .await
}

pub(crate) async fn review(
    app: &TestApp,
    client: &reqwest::Client,
    scheme_id: i64,
    tranche: i64,
    decision: &str,
    note: &str,
) -> Posted {
    app.post_form(
        client,
        "/api/schemes/review_tranche",
        &format!("/schemes/{scheme_id}/tranches/{tranche}"),
        &[
            ("scheme_id", &scheme_id.to_string()),
            ("tranche_id", &tranche.to_string()),
            ("decision", decision),
            ("note", note),
        ],
    )
    .await
}

pub(crate) async fn pay(
    app: &TestApp,
    client: &reqwest::Client,
    scheme_id: i64,
    tranche: i64,
    reference: &str,
) -> Posted {
    let (s, t) = (scheme_id.to_string(), tranche.to_string());
    let date = paid_today();
    let mut fields = vec![
        ("scheme_id", s.as_str()),
        ("tranche_id", t.as_str()),
        ("reference", reference),
    ];
    fields.extend(date.iter().map(|(k, v)| (*k, v.as_str())));
    let page = format!("/schemes/{scheme_id}/tranches/{tranche}");
    app.post_form(client, "/api/schemes/record_payment", &page, &fields)
        .await
}

async fn paid_in_ledger(app: &TestApp) -> i64 {
    sqlx::query("SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) AS n FROM fund_ledger WHERE movement = 'payment'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("n")
}

both_backends!(
    an_award_is_accepted_then_tranches_are_evidenced_and_paid,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let base_paid = paid_in_ledger(app).await;
        let tranches = tranche_ids(app, scheme_id).await;
        assert_eq!(tranches.len(), 3);
        let first = tranches[0];
        let s = scheme_id.to_string();
        let scheme_page = format!("/schemes/{s}");

        // The award email leads to the scheme; the applicant finds it from Your bids.
        assert!(app
            .last_mail_to("applicant@seedbed.test")
            .body
            .contains(&scheme_page));
        let (_, page, _) = app.get(&applicant, "/bids").await;
        assert!(
            page.contains("Funded schemes") && page.contains(&scheme_page),
            "{page}"
        );
        let (status, page, _) = app.get(&applicant, &scheme_page).await;
        assert_eq!(status, 200);
        assert!(page.contains("Accept the award"));
        assert!(page.contains("£24,000.00"));
        assert!(page.contains("Quarterly returns on time"));

        // Nothing is paid or evidenced before the award is accepted.
        let res = send_evidence(app, &applicant, scheme_id, first, "Set up").await;
        assert_eq!(res.status, 302);
        let (_, page, _) = app
            .get(&applicant, &format!("{scheme_page}/tranches/{first}"))
            .await;
        assert!(
            page.contains("Accept the award before you send evidence"),
            "{page}"
        );
        review(app, &commissioner, scheme_id, first, "approve", "").await;
        let (_, page, _) = app
            .get(&commissioner, &format!("{scheme_page}/tranches/{first}"))
            .await;
        assert!(
            page.contains("a tranche cannot be approved before it is"),
            "{page}"
        );
        assert_eq!(paid_in_ledger(app).await, base_paid);

        // Accepting needs the box ticked; then it is recorded with the member's name, once.
        app.post_form(
            &applicant,
            "/api/schemes/accept",
            &scheme_page,
            &[("scheme_id", &s)],
        )
        .await;
        let (_, page, _) = app.get(&applicant, &scheme_page).await;
        assert!(
            page.contains("Confirm that your organisation accepts the award and its conditions")
        );
        accept(app, &applicant, scheme_id).await;
        let (_, page, _) = app.get(&applicant, &scheme_page).await;
        assert!(page.contains("You have accepted the award"));
        assert!(page.contains("by Amira Applicant"));
        assert_eq!(app.count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = 'scheme.accepted'").await, 1);

        // Evidence: required, then sent; the commissioner returns it with a reason (required).
        send_evidence(app, &applicant, scheme_id, first, "   ").await;
        let (_, page, _) = app
            .get(&applicant, &format!("{scheme_page}/tranches/{first}"))
            .await;
        assert!(page.contains("Enter how the milestone has been met"));
        send_evidence(
            app,
            &applicant,
            scheme_id,
            first,
            "Clinic opened on 3 March; 40 appointments booked",
        )
        .await;
        review(app, &commissioner, scheme_id, first, "return", "").await;
        let (_, page, _) = app
            .get(&commissioner, &format!("{scheme_page}/tranches/{first}"))
            .await;
        assert!(page.contains("Enter why the evidence is returned and what is needed"));
        review(
            app,
            &commissioner,
            scheme_id,
            first,
            "return",
            "Please attach the clinic's insurance certificate",
        )
        .await;
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert!(
            mail.subject
                .contains("More evidence is needed for tranche 1"),
            "{}",
            mail.subject
        );
        assert!(mail.body.contains("insurance certificate"));
        // An applicant cannot approve their own tranche.
        send_evidence(app, &applicant, scheme_id, first, "Certificate attached").await;
        let res = app
            .post_js(
                &applicant,
                "/api/schemes/review_tranche",
                &[
                    ("scheme_id", &s),
                    ("tranche_id", &first.to_string()),
                    ("decision", "approve"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(res.status, 403);
        // Four eyes: one commissioner approves the evidence, nothing is paid yet, and the
        // same person cannot record the payment.
        let tranche_page = format!("{scheme_page}/tranches/{first}");
        let res = review(app, &commissioner, scheme_id, first, "approve", "").await;
        assert_eq!(res.location.as_deref(), Some(tranche_page.as_str()));
        assert_eq!(paid_in_ledger(app).await, base_paid);
        let (_, page, _) = app.get(&commissioner, &tranche_page).await;
        assert!(
            page.contains("Another commissioner must record the payment"),
            "{page}"
        );
        assert!(!page.contains("Record the payment</button>"));
        pay(app, &commissioner, scheme_id, first, "BACS-1").await;
        let (_, page, _) = app.get(&commissioner, &tranche_page).await;
        assert!(
            page.contains("You approved the evidence for this tranche, so someone else must record its payment"),
            "{page}"
        );
        assert_eq!(paid_in_ledger(app).await, base_paid);
        // The other commissioner records it, with the payment's reference (required).
        let icb = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        pay(app, &icb, scheme_id, first, "  ").await;
        let (_, page, _) = app.get(&icb, &tranche_page).await;
        assert!(page.contains("Enter the payment reference"), "{page}");
        let res = pay(app, &icb, scheme_id, first, "BACS-20261205-001").await;
        assert_eq!(res.location.as_deref(), Some(scheme_page.as_str()));
        assert_eq!(paid_in_ledger(app).await - base_paid, 1_200_000);
        let scheme_paid: i64 = sqlx::query("SELECT paid_pence FROM schemes WHERE id = $1")
            .bind(scheme_id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("paid_pence");
        assert_eq!(scheme_paid, 1_200_000);
        assert!(app
            .last_mail_to("applicant@seedbed.test")
            .subject
            .contains("Tranche 1 of Happy Feet Chiropody CIC's award has been paid"));
        let (_, page, _) = app.get(&icb, &tranche_page).await;
        assert!(
            page.contains("BACS-20261205-001") && page.contains("by Chris Commissioner"),
            "{page}"
        );
        // Never twice.
        pay(app, &icb, scheme_id, first, "BACS-again").await;
        let (_, page, _) = app.get(&icb, &tranche_page).await;
        assert!(
            page.contains("The payment of tranche 1 cannot be recorded: it is paid"),
            "{page}"
        );
        assert_eq!(paid_in_ledger(app).await - base_paid, 1_200_000);
        let (_, page, _) = app.get(&commissioner, &scheme_page).await;
        assert!(page.contains("£12,000.00"), "paid so far");
    }
);

both_backends!(
    the_demo_schemes_tell_one_story_of_dates,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let rows = sqlx::query(
            "SELECT s.id, s.created_at, s.starts_on, s.accepted_at, d.decided_at, o.name
             FROM schemes s JOIN decisions d ON d.bid_id = s.bid_id
             JOIN organisations o ON o.id = s.organisation_id ORDER BY s.id",
        )
        .fetch_all(&app.pool)
        .await
        .unwrap();
        assert!(rows.len() >= 3, "the demo has its funded schemes");
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let (_, register, _) = app.get(&commissioner, "/awards").await;
        for r in &rows {
            let (id, created, starts): (i64, String, String) =
                (r.get("id"), r.get("created_at"), r.get("starts_on"));
            let decided: String = r.get("decided_at");
            let name: String = r.get("name");
            assert_eq!(created, decided, "{name}: awarded when decided");
            assert_eq!(
                &created[..10],
                starts,
                "{name}: awarded on the day it started"
            );
            let accepted: Option<String> = r.get("accepted_at");
            assert!(accepted.is_none_or(|a| a == created), "{name}");
            // The scheme page and the public register give the same award date.
            let day = chrono::NaiveDate::parse_from_str(&starts, "%Y-%m-%d").unwrap();
            let shown = day.format("%-d %B %Y").to_string();
            let (_, page, _) = app.get(&commissioner, &format!("/schemes/{id}")).await;
            assert!(
                page.contains(&format!("{shown} at")),
                "{name}: scheme page says {shown}"
            );
            assert!(register.contains(&shown), "{name}: register says {shown}");
        }
        // Paid tranches were paid after the award and not in the future.
        let out_of_order = app
            .count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM tranches t JOIN schemes s ON s.id = t.scheme_id
                 WHERE t.paid_at IS NOT NULL AND t.paid_at < s.created_at",
            )
            .await;
        assert_eq!(out_of_order, 0);
    }
);

both_backends!(
    a_tranche_is_paid_once_under_concurrent_approvals,
    async |app: &TestApp| {
        let (scheme_id, _, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme_id).await;
        let first = tranche_ids(app, scheme_id).await[0];
        send_evidence(app, &applicant, scheme_id, first, "Done").await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        review(app, &commissioner, scheme_id, first, "approve", "").await;
        let base_paid = paid_in_ledger(app).await;
        let mut clients = Vec::new();
        for _ in 0..8 {
            clients.push(client_for(app, server::cli::demo::PAYER_EMAIL).await);
        }
        let mut tasks = Vec::new();
        for c in clients {
            let url = app.url("/api/schemes/record_payment");
            let mut form = vec![
                ("scheme_id", scheme_id.to_string()),
                ("tranche_id", first.to_string()),
                ("reference", "BACS-1".to_string()),
            ];
            form.extend(paid_today());
            tasks.push(tokio::spawn(async move {
                let res = c
                    .post(url)
                    .header("Accept", "application/json")
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                (status, res.text().await.unwrap_or_default())
            }));
        }
        let mut results = Vec::new();
        for t in tasks {
            let (status, body) = t.await.unwrap();
            results.push(Posted {
                status,
                location: None,
                body,
            });
        }
        let ok = results
            .iter()
            .filter(|r| r.status == 200 || r.status == 302)
            .count();
        assert_eq!(
            ok,
            1,
            "{:?}",
            results
                .iter()
                .map(|r| (r.status, r.body.clone()))
                .collect::<Vec<_>>()
        );
        assert_eq!(paid_in_ledger(app).await - base_paid, 1_200_000);
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = 'tranche.paid'"
            )
            .await,
            1
        );
        let (paid, committed): (i64, i64) = {
            let r = sqlx::query("SELECT f.paid_pence, f.committed_pence FROM funds f JOIN rounds r ON r.fund_id = f.id JOIN schemes s ON s.round_id = r.id WHERE s.id = $1")
                .bind(scheme_id).fetch_one(&app.pool).await.unwrap();
            (r.get("paid_pence"), r.get("committed_pence"))
        };
        assert!(paid <= committed);
    }
);

async fn send_return(
    app: &TestApp,
    client: &reqwest::Client,
    scheme_id: i64,
    return_id: i64,
    costs: &str,
    grant: &str,
    charges: &str,
) -> Posted {
    app.post_form(
        client,
        "/api/returns/save",
        &format!("/schemes/{scheme_id}/returns/{return_id}"),
        &[
            ("scheme_id", &scheme_id.to_string()),
            ("return_id", &return_id.to_string()),
            ("money[costs]", costs),
            ("money[seed_grant]", grant),
            ("money[charges]", charges),
            ("narrative", "Clinics ran every week"),
            ("risks", ""),
            ("then", "send"),
        ],
    )
    .await
}

/// A commissioner reviews a sent return: "accept", or "changes" with a comment.
async fn review_return(
    app: &TestApp,
    client: &reqwest::Client,
    (scheme_id, return_id): (i64, i64),
    decision: &str,
    comment: &str,
) -> Posted {
    app.post_form(
        client,
        "/api/returns/review",
        &format!("/schemes/{scheme_id}/returns/{return_id}"),
        &[
            ("scheme_id", &scheme_id.to_string()),
            ("return_id", &return_id.to_string()),
            ("decision", decision),
            ("comment", comment),
        ],
    )
    .await
}

async fn accept_return(app: &TestApp, client: &reqwest::Client, scheme_id: i64, return_id: i64) {
    let res = review_return(app, client, (scheme_id, return_id), "accept", "").await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/schemes/{scheme_id}").as_str())
    );
}

both_backends!(
    returns_drive_the_status_and_graduation,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let returns = return_ids(app, scheme_id).await;
        assert_eq!(
            returns.len(),
            12,
            "quarterly over 24 months and a year after"
        );
        let page = format!("/schemes/{scheme_id}/returns/{}", returns[0]);
        // Not before acceptance.
        send_return(
            app, &applicant, scheme_id, returns[0], "6000", "3000", "3000",
        )
        .await;
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(
            body.contains("Accept the award before you send monitoring returns"),
            "{body}"
        );
        accept(app, &applicant, scheme_id).await;

        // A return opens once its period has ended: none yet, the scheme having just started.
        let (_, body, _) = app.get(&applicant, &format!("/schemes/{scheme_id}")).await;
        assert!(!body.contains("Fill in return"), "{body}");
        assert!(body.contains("Opens "), "{body}");
        send_return(
            app, &applicant, scheme_id, returns[0], "6000", "3000", "3000",
        )
        .await;
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(
            body.contains("You can fill in return 1 from ")
                && body.contains("once its period has ended"),
            "{body}"
        );
        periods_over(app, scheme_id).await;
        let (_, body, _) = app.get(&applicant, &format!("/schemes/{scheme_id}")).await;
        assert!(body.contains("Fill in return 1"), "{body}");

        // A draft keeps what was typed; sending checks every figure and keeps the typing.
        let res = app
            .post_form(
                &applicant,
                "/api/returns/save",
                &page,
                &[
                    ("scheme_id", &scheme_id.to_string()),
                    ("return_id", &returns[0].to_string()),
                    ("money[costs]", "6,000"),
                    ("money[charges]", "lots"),
                    ("narrative", ""),
                    ("then", "send"),
                ],
            )
            .await;
        assert_eq!(res.status, 302);
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(
            body.contains("Income from charges to users must be an amount in pounds"),
            "{body}"
        );
        assert!(body.contains("Enter what happened in this period"));
        assert!(body.contains("value=\"lots\""), "typed value kept");
        assert!(body.contains("value=\"6,000\""));

        // Q1: dependency 50% against the plan's 80%-ish: on track.
        send_return(
            app, &applicant, scheme_id, returns[0], "6000", "3000", "3000",
        )
        .await;
        let (_, body, _) = app.get(&commissioner, "/fund/schemes").await;
        assert!(body.contains("Happy Feet Chiropody CIC"), "{body}");
        accept_return(app, &commissioner, scheme_id, returns[0]).await;
        // Ask for changes: the comment is required and emailed; the return opens again.
        send_return(
            app, &applicant, scheme_id, returns[1], "6000", "5900", "100",
        )
        .await;
        review_return(app, &commissioner, (scheme_id, returns[1]), "changes", "").await;
        let (_, body, _) = app
            .get(
                &commissioner,
                &format!("/schemes/{scheme_id}/returns/{}", returns[1]),
            )
            .await;
        assert!(body.contains("Enter the changes you need"));
        review_return(
            app,
            &commissioner,
            (scheme_id, returns[1]),
            "changes",
            "Split charges from donations",
        )
        .await;
        assert!(app
            .last_mail_to("applicant@seedbed.test")
            .body
            .contains("Split charges from donations"));
        // Resent at 98% dependency: well above plan, so at risk with its reason.
        send_return(
            app, &applicant, scheme_id, returns[1], "6000", "5900", "100",
        )
        .await;
        let (_, body, _) = app.get(&commissioner, "/fund/schemes?status=at_risk").await;
        assert!(body.contains("Happy Feet Chiropody CIC"), "{body}");
        assert!(body.contains("more than 10 points above"), "{body}");
        let (_, body, _) = app
            .get(&commissioner, "/fund/schemes?status=on_track")
            .await;
        assert!(
            !body.contains(&format!("/schemes/{scheme_id}\"")),
            "filtered out"
        );
        accept_return(app, &commissioner, scheme_id, returns[1]).await;

        // Two consecutive periods with no seed grant and income covering costs: proposed.
        send_return(app, &applicant, scheme_id, returns[2], "6000", "0", "6500").await;
        accept_return(app, &commissioner, scheme_id, returns[2]).await;
        let (_, body, _) = app
            .get(&commissioner, &format!("/schemes/{scheme_id}"))
            .await;
        assert!(!body.contains("Proposed for graduation"));
        send_return(app, &applicant, scheme_id, returns[3], "6000", "0", "7000").await;
        let (_, body, _) = app
            .get(&commissioner, &format!("/schemes/{scheme_id}"))
            .await;
        assert!(body.contains("Proposed for graduation"), "{body}");
        // The applicant cannot confirm it; the commissioner must accept the latest return first.
        let res = app
            .post_js(
                &applicant,
                "/api/schemes/graduate",
                &[
                    ("scheme_id", &scheme_id.to_string()),
                    ("confirm", "confirm"),
                ],
            )
            .await;
        assert_eq!(res.status, 403);
        app.post_form(
            &commissioner,
            "/api/schemes/graduate",
            &format!("/schemes/{scheme_id}"),
            &[
                ("scheme_id", &scheme_id.to_string()),
                ("confirm", "confirm"),
            ],
        )
        .await;
        let (_, body, _) = app
            .get(&commissioner, &format!("/schemes/{scheme_id}"))
            .await;
        assert!(
            body.contains("Accept the scheme&#x27;s latest monitoring return first")
                || body.contains("Accept the scheme's latest monitoring return first"),
            "{body}"
        );
        accept_return(app, &commissioner, scheme_id, returns[3]).await;
        let gap_id: i64 = sqlx::query("SELECT g.gap_id FROM round_gaps g JOIN schemes s ON s.round_id = g.round_id WHERE s.id = $1")
            .bind(scheme_id).fetch_one(&app.pool).await.unwrap().get("gap_id");
        let gap_field = format!("gap[{gap_id}]");
        let res = app
            .post_form(
                &commissioner,
                "/api/schemes/graduate",
                &format!("/schemes/{scheme_id}"),
                &[
                    ("scheme_id", &scheme_id.to_string()),
                    ("confirm", "confirm"),
                    (&gap_field, &gap_field),
                ],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/schemes/{scheme_id}").as_str())
        );
        let (_, body, _) = app
            .get(&commissioner, &format!("/schemes/{scheme_id}"))
            .await;
        assert!(body.contains("is confirmed as self-sustaining"), "{body}");
        let status: String = sqlx::query("SELECT status FROM gaps WHERE id = $1")
            .bind(gap_id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("status");
        assert_eq!(status, "filled");
        let left_open = app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM returns WHERE scheme_id = {scheme_id} AND status = 'due'")).await;
        assert_eq!(left_open, 0, "later returns are no longer needed");
        assert_eq!(app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM returns WHERE scheme_id = {scheme_id} AND is_final = 1 AND position = 4")).await, 1);
        assert_eq!(app.count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = 'scheme.graduated'").await, 1);

        // The portfolio and its CSV agree.
        let (_, body, _) = app
            .get(&commissioner, "/fund/schemes?status=self_sustaining")
            .await;
        assert!(body.contains("Happy Feet Chiropody CIC"));
        let csv = commissioner
            .get(app.url("/fund/schemes.csv?status=self_sustaining"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status().as_u16(), 200);
        let text = csv.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let ours: Vec<_> = rows
            .iter()
            .filter(|r| &r[1] == "Happy Feet Chiropody CIC")
            .collect();
        assert_eq!(ours.len(), 1, "{text}");
        assert_eq!(&ours[0][3], "24000.00");
        assert_eq!(&ours[0][6], "50 98 0 0");
        assert_eq!(&ours[0][7], "Self-sustaining");
        let anon = new_client();
        let res = anon.get(app.url("/fund/schemes.csv")).send().await.unwrap();
        assert_ne!(res.status().as_u16(), 200);
    }
);

both_backends!(
    other_organisations_get_404_for_a_scheme,
    async |app: &TestApp| {
        let (scheme_id, _, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme_id).await;
        let tranche = tranche_ids(app, scheme_id).await[0];
        let ret = return_ids(app, scheme_id).await[0];
        let other = client_for(app, "church@seedbed.test").await;
        let s = scheme_id.to_string();
        for path in [
            format!("/schemes/{s}"),
            format!("/schemes/{s}/tranches/{tranche}"),
            format!("/schemes/{s}/returns/{ret}"),
        ] {
            let (status, body, _) = app.get(&other, &path).await;
            assert_eq!(status, 404, "{path}");
            assert!(!body.contains("Happy Feet"), "{path}");
        }
        for (endpoint, form) in [
            ("/api/schemes/view", vec![("id", s.clone())]),
            (
                "/api/schemes/accept",
                vec![("scheme_id", s.clone()), ("confirm", "confirm".into())],
            ),
            (
                "/api/schemes/evidence",
                vec![
                    ("scheme_id", s.clone()),
                    ("tranche_id", tranche.to_string()),
                    ("evidence", "x".into()),
                ],
            ),
            (
                "/api/returns/view",
                vec![("scheme_id", s.clone()), ("return_id", ret.to_string())],
            ),
            (
                "/api/returns/save",
                vec![
                    ("scheme_id", s.clone()),
                    ("return_id", ret.to_string()),
                    ("then", "later".into()),
                ],
            ),
        ] {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.post_js(&other, endpoint, &form).await;
            assert_eq!(res.status, 404, "{endpoint}: {}", res.body);
        }
        let res = other
            .post(app.url(&format!("/schemes/{s}/tranches/{tranche}/files")))
            .header("Accept", "text/html")
            .multipart(reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("a.pdf"),
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM tranche_files")
                .await,
            0
        );
        // Signed out: asked to sign in; the portfolio is for commissioners only.
        let anon = new_client();
        let (status, _, _) = app.get(&anon, &format!("/schemes/{s}")).await;
        assert_ne!(status, 200);
        let (status, _, _) = app.get(&applicant, "/fund/schemes").await;
        assert_eq!(status, 403);
        // The member's own upload works and the file downloads for members only.
        let res = applicant
            .post(app.url(&format!("/schemes/{s}/tranches/{tranche}/files")))
            .header("Accept", "text/html")
            .multipart(
                reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(b"%PDF-1.4 evidence".to_vec())
                        .file_name("insurance.pdf"),
                ),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303, "{:?}", res.text().await);
        let file_id: i64 = sqlx::query("SELECT file_id FROM tranche_files")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("file_id");
        let res = applicant
            .get(app.url(&format!("/schemes/{s}/files/{file_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let res = other
            .get(app.url(&format!("/schemes/{s}/files/{file_id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        // Ten files to a tranche: the eleventh is refused with a message, and not stored.
        for n in 2..=11 {
            let res = applicant
                .post(app.url(&format!("/schemes/{s}/tranches/{tranche}/files")))
                .header("Accept", "text/html")
                .multipart(
                    reqwest::multipart::Form::new().part(
                        "file",
                        reqwest::multipart::Part::bytes(b"%PDF-1.4 more".to_vec())
                            .file_name(format!("evidence {n}.pdf")),
                    ),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 303);
        }
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM tranche_files")
                .await,
            10
        );
        let (_, page, _) = app
            .get(&applicant, &format!("/schemes/{s}/tranches/{tranche}"))
            .await;
        assert!(
            page.contains("You can add up to 10 files to a tranche"),
            "{page}"
        );
    }
);

/// Reminders: 14 days and 1 day before and on becoming overdue, each sent once whatever
/// restarts or how many instances run.
async fn reminders_once(app: &TestApp) {
    let (scheme_id, _, applicant) = awarded_scheme(app).await;
    accept(app, &applicant, scheme_id).await;
    let due: String =
        sqlx::query("SELECT due_on FROM returns WHERE scheme_id = $1 AND position = 1")
            .bind(scheme_id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("due_on");
    let due = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap();
    let second = app.another_instance().await;
    let reminders = |mailer: &server::mail::CapturingMailer| {
        mailer
            .messages()
            .into_iter()
            .filter(|m| {
                m.to == "applicant@seedbed.test" && m.subject.contains("Monitoring return 1")
            })
            .count()
    };
    for (day, expected) in [
        (due - chrono::Duration::days(14), 1),
        (due - chrono::Duration::days(10), 1),
        (due - chrono::Duration::days(1), 2),
        (due + chrono::Duration::days(1), 3),
    ] {
        // Both instances run the task at the same moment, twice.
        let (a, b) = tokio::join!(
            server::jobs::send_reminders(&app.state, day),
            server::jobs::send_reminders(&second.state, day)
        );
        a.unwrap();
        b.unwrap();
        server::jobs::send_reminders(&second.state, day)
            .await
            .unwrap();
        assert_eq!(
            reminders(&app.mailer) + reminders(&second.mailer),
            expected,
            "on {day}"
        );
    }
    // A restart (a fresh instance on the same database) sends nothing again.
    let restarted = app.another_instance().await;
    server::jobs::send_reminders(&restarted.state, due + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(reminders(&restarted.mailer), 0);
    let overdue = app
        .mailer
        .messages()
        .into_iter()
        .chain(second.mailer.messages())
        .find(|m| m.to == "applicant@seedbed.test" && m.subject.contains("is overdue"))
        .unwrap();
    assert!(overdue
        .body
        .contains(&format!("/schemes/{scheme_id}/returns/")));
    assert_eq!(app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM reminders WHERE kind = 'overdue' AND return_id IN (SELECT id FROM returns WHERE scheme_id = {scheme_id})")).await, 1);
}

both_backends!(reminders_are_sent_exactly_once, async |app: &TestApp| {
    reminders_once(app).await;
});

/// The portfolio's "Estimated cost avoided" total, in pence.
async fn portfolio_cost_avoided(app: &TestApp, commissioner: &reqwest::Client) -> i64 {
    let (status, body, _) = app.get(commissioner, "/fund/schemes").await;
    assert_eq!(status, 200);
    let shown = crate::scale::summary_value(&body, "Estimated cost avoided");
    let pounds: rust_decimal::Decimal = shown
        .trim_start_matches('£')
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("a sum of money: {shown}"));
    i64::try_from(pounds * rust_decimal::Decimal::from(100)).unwrap()
}

both_backends!(
    cost_avoided_follows_returns_and_unit_costs,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme_id).await;
        let round_id = round_of(app, scheme_id).await;
        // A valued outcome for the pilot round: falls avoided, priced by a demo unit cost
        // (£3,450.00 a hospital admission after a fall is not assumed: read it back).
        let cost =
            sqlx::query("SELECT id, name, unit, cost_pence, source FROM unit_costs ORDER BY id")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        let (unit_cost_id, cost_pence): (i64, i64) = (cost.get("id"), cost.get("cost_pence"));
        let res = app
            .post_form(
                &commissioner,
                "/api/portfolio/add_measure",
                &format!("/fund/rounds/{round_id}/measures"),
                &[
                    ("round_id", &round_id.to_string()),
                    ("kind", "outcome"),
                    ("name", "Falls avoided"),
                    ("unit_cost_id", &unit_cost_id.to_string()),
                    ("attribution", "25"),
                    (
                        "guidance",
                        "Count each regular user who has not fallen this period",
                    ),
                ],
            )
            .await;
        assert_eq!(res.status, 302);
        let measure: i64 = sqlx::query("SELECT id FROM round_measures WHERE round_id = $1")
            .bind(round_id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("id");
        let before = portfolio_cost_avoided(app, &commissioner).await;
        periods_over(app, scheme_id).await;
        let returns = return_ids(app, scheme_id).await;
        // How to count it is beside the measure on the return.
        let (_, body, _) = app
            .get(
                &applicant,
                &format!("/schemes/{scheme_id}/returns/{}", returns[0]),
            )
            .await;
        assert!(
            body.contains("Count each regular user who has not fallen this period"),
            "{body}"
        );
        let send = |falls: &'static str| {
            let page = format!("/schemes/{scheme_id}/returns/{}", returns[0]);
            let fields = vec![
                ("scheme_id".to_string(), scheme_id.to_string()),
                ("return_id".to_string(), returns[0].to_string()),
                ("money[costs]".to_string(), "6000".to_string()),
                ("money[seed_grant]".to_string(), "3000".to_string()),
                ("money[charges]".to_string(), "3000".to_string()),
                (format!("measure[{measure}]"), falls.to_string()),
                (
                    "narrative".to_string(),
                    "Clinics ran every week".to_string(),
                ),
                ("then".to_string(), "send".to_string()),
            ];
            (page, fields)
        };
        let post = |(page, fields): (String, Vec<(String, String)>)| {
            let applicant = applicant.clone();
            async move {
                let borrowed: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let res = app
                    .post_form(&applicant, "/api/returns/save", &page, &borrowed)
                    .await;
                assert_eq!(res.status, 302);
            }
        };
        // Three falls avoided, a quarter credited: 3 x cost x 25%, to the penny.
        post(send("3")).await;
        let one = |pence: i64| {
            app::domain::monitoring::cost_avoided(
                3,
                app::domain::money::Pence(pence),
                app::domain::monitoring::attribution_from_bp(2500),
            )
            .0
        };
        assert_eq!(
            portfolio_cost_avoided(app, &commissioner).await - before,
            one(cost_pence),
            "a sent return's valued outcome counts"
        );
        // Sent back for changes: it no longer counts until it is sent again.
        review_return(
            app,
            &commissioner,
            (scheme_id, returns[0]),
            "changes",
            "Count falls in the period only",
        )
        .await;
        assert_eq!(portfolio_cost_avoided(app, &commissioner).await, before);
        post(send("3")).await;
        accept_return(app, &commissioner, scheme_id, returns[0]).await;
        assert_eq!(
            portfolio_cost_avoided(app, &commissioner).await - before,
            one(cost_pence)
        );
        // The unit cost goes up: every scheme it prices is worked out again, the demo's
        // history schemes too, so the total equals the CSV's column of every scheme.
        let new_pence = cost_pence * 2 + 1;
        let res = app
            .post_form(
                &commissioner,
                "/api/portfolio/save_unit_cost",
                "/fund/unit-costs",
                &[
                    ("id", &unit_cost_id.to_string()),
                    ("name", &cost.get::<String, _>("name")),
                    ("unit", &cost.get::<String, _>("unit")),
                    ("cost", &app::domain::money::Pence(new_pence).form_value()),
                    ("source", &cost.get::<String, _>("source")),
                    ("source_date_day", "1"),
                    ("source_date_month", "4"),
                    ("source_date_year", "2025"),
                ],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/fund/unit-costs"));
        let total = portfolio_cost_avoided(app, &commissioner).await;
        let (_, csv, _) = app.get(&commissioner, "/fund/schemes.csv").await;
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let pence_in = |r: &csv::StringRecord| -> i64 {
            let pounds: rust_decimal::Decimal = r[11].parse().unwrap();
            i64::try_from(pounds * rust_decimal::Decimal::from(100)).unwrap()
        };
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(
            total,
            rows.iter().map(pence_in).sum::<i64>(),
            "the page's total is the CSV's, scheme by scheme"
        );
        let ours = rows
            .iter()
            .find(|r| r[0] == scheme_id.to_string())
            .expect("the scheme's row");
        assert_eq!(pence_in(ours), one(new_pence), "priced at the new cost");
    }
);
