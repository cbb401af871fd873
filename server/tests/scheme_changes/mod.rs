//! A scheme that does not run its course: an award turned down, payments suspended with a
//! support plan and resumed, a scheme ended early; each releases what will not be paid to
//! the pooled fund, and the ledger, the fund and the schemes agree to the penny, also when
//! endings and payments happen at once.
use crate::both_backends;
use crate::common::*;
use crate::schemes::{accept, awarded_scheme, client_for, pay, review, send_evidence, tranche_ids};
use sqlx::Row;

async fn one(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// The ledger, the funds' running totals and the schemes say the same: each fund's committed
/// total is its commitments less what was released, its paid total its payments; each
/// scheme's award is what was paid, released and is still to pay.
pub(crate) async fn books_agree(app: &TestApp) {
    let funds = sqlx::query(
        "SELECT f.id, f.committed_pence, f.paid_pence, f.agreed_pence,
            CAST(COALESCE((SELECT SUM(CASE WHEN movement IN ('commitment', 'commitment_brought_forward') THEN amount_pence ELSE -amount_pence END)
                FROM fund_ledger l WHERE l.fund_id = f.id AND movement IN ('commitment', 'commitment_brought_forward', 'decommitment',
                    'repayment', 'commitment_carried_forward', 'paid_in_earlier_year', 'award_reduced')), 0) AS BIGINT) AS ledger_committed,
            CAST(COALESCE((SELECT SUM(CASE WHEN movement IN ('contribution', 'commitment_brought_forward', 'underspend_brought_forward', 'recovered')
                THEN amount_pence ELSE -amount_pence END)
                FROM fund_ledger l WHERE l.fund_id = f.id AND movement IN ('contribution', 'commitment_brought_forward', 'underspend_brought_forward',
                    'recovered', 'commitment_carried_forward', 'underspend_carried_forward', 'underspend_returned')), 0) AS BIGINT) AS ledger_money,
            CAST(COALESCE((SELECT SUM(t.amount_pence) FROM tranches t WHERE t.fund_id = f.id AND t.status NOT IN ('paid', 'released')), 0) AS BIGINT) AS unpaid_tranches,
            CAST(COALESCE((SELECT SUM(CASE WHEN movement = 'payment' THEN amount_pence ELSE -amount_pence END)
                FROM fund_ledger l WHERE l.fund_id = f.id AND movement IN ('payment', 'repayment')), 0) AS BIGINT) AS ledger_paid
         FROM funds f",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for f in funds {
        let id: i64 = f.get("id");
        assert_eq!(
            f.get::<i64, _>("committed_pence"),
            f.get::<i64, _>("ledger_committed"),
            "fund {id}: committed"
        );
        assert_eq!(
            f.get::<i64, _>("paid_pence"),
            f.get::<i64, _>("ledger_paid"),
            "fund {id}: paid"
        );
        assert_eq!(
            f.get::<i64, _>("agreed_pence"),
            f.get::<i64, _>("ledger_money"),
            "fund {id}: its money is what came in, less what went to other years or back"
        );
        assert_eq!(
            f.get::<i64, _>("committed_pence") - f.get::<i64, _>("paid_pence"),
            f.get::<i64, _>("unpaid_tranches"),
            "fund {id}: what it committed and has not paid is its unpaid tranches"
        );
    }
    let changed_after_closing = app
        .count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM fund_ledger l JOIN funds f ON f.id = l.fund_id
             WHERE f.closed_at IS NOT NULL AND l.created_at > f.closed_at",
        )
        .await;
    assert_eq!(changed_after_closing, 0, "nothing changes in a closed year");
    let unbalanced = app
        .count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT partner_id,
                SUM(CASE WHEN movement LIKE '%carried_forward' THEN amount_pence ELSE -amount_pence END) AS gap
             FROM fund_ledger WHERE movement LIKE '%carried_forward' OR movement LIKE '%brought_forward'
             GROUP BY partner_id) g WHERE g.gap <> 0",
        )
        .await;
    assert_eq!(
        unbalanced, 0,
        "what each partner carried forward out of a year came into a later one"
    );
    let out = app
        .count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM schemes s WHERE s.paid_pence + s.released_pence
               + COALESCE((SELECT SUM(amount_pence) FROM tranches t WHERE t.scheme_id = s.id AND t.status NOT IN ('paid', 'released')), 0)
               <> s.amount_pence
             OR s.paid_pence <> COALESCE((SELECT SUM(paid_pence) FROM tranches t WHERE t.scheme_id = s.id), 0)
             OR s.released_pence <> COALESCE((SELECT SUM(amount_pence) FROM tranches t WHERE t.scheme_id = s.id AND t.status = 'released'), 0)",
        )
        .await;
    assert_eq!(out, 0, "every scheme: paid + released + to pay = award");
    let released = app
        .count("SELECT CAST(COALESCE(SUM(released_pence), 0) AS BIGINT) FROM schemes")
        .await;
    let decommitted = app
        .count("SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_ledger WHERE movement = 'decommitment'")
        .await;
    assert_eq!(
        released, decommitted,
        "what schemes released is in the ledger"
    );
    let repaid = app
        .count("SELECT CAST(COALESCE(SUM(repaid_pence), 0) AS BIGINT) FROM clawbacks")
        .await;
    let repaid_in_ledger = app
        .count("SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_ledger WHERE movement IN ('repayment', 'recovered')")
        .await;
    assert_eq!(
        repaid, repaid_in_ledger,
        "what schemes repaid is in the ledger"
    );
    let wrong = app
        .count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM schemes s
             WHERE s.clawed_back_pence <> COALESCE((SELECT SUM(amount_pence) FROM clawbacks c WHERE c.scheme_id = s.id), 0)
                OR s.clawed_back_pence > s.paid_pence",
        )
        .await;
    assert_eq!(wrong, 0, "no scheme is asked back more than it was paid");
    let wrong = app
        .count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM clawbacks c
             WHERE c.repaid_pence <> COALESCE((SELECT SUM(amount_pence) FROM repayments r WHERE r.clawback_id = c.id), 0)",
        )
        .await;
    assert_eq!(wrong, 0, "each clawback's repayments add up");
    let wrong = app
        .count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM schemes s
             WHERE s.repaid_pence <> COALESCE((SELECT SUM(repaid_pence) FROM clawbacks c WHERE c.scheme_id = s.id), 0)",
        )
        .await;
    assert_eq!(
        wrong, 0,
        "what each scheme repaid, as the portfolio sums it"
    );
}

/// Every pooled fund's statement (page and CSV) shows what the ledger released and repaid,
/// each partner's share adding up to the total.
pub(crate) async fn statement_agrees(app: &TestApp, commissioner: &reqwest::Client) {
    let pence = |cell: &str| {
        let pounds: rust_decimal::Decimal = cell.parse().unwrap();
        i64::try_from(pounds * rust_decimal::Decimal::from(100)).unwrap()
    };
    let years: Vec<i64> = sqlx::query_scalar("SELECT year FROM funds ORDER BY year")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let (mut released, mut repaid) = (0, 0);
    for year in years {
        let (status, page, _) = app
            .get(commissioner, &format!("/fund/pooled-funds/{year}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            page.contains(">Released<") && page.contains(">Repaid<"),
            "{page}"
        );
        let (status, csv, _) = app
            .get(
                commissioner,
                &format!("/fund/pooled-funds/{year}/statement.csv"),
            )
            .await;
        assert_eq!(status, 200);
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (rel, rep) = (col("Released (£)"), col("Repaid (£)"));
        let (mut partners, mut total) = ((0, 0), (0, 0));
        for r in reader.records().map(|r| r.unwrap()) {
            let row = (pence(&r[rel]), pence(&r[rep]));
            if &r[1] == "Total" {
                total = row;
            } else {
                partners = (partners.0 + row.0, partners.1 + row.1);
            }
        }
        assert_eq!(partners, total, "the partners' shares add up ({year})");
        released += total.0;
        repaid += total.1;
    }
    let ledger = |movement: &'static str| {
        format!("SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_ledger WHERE movement = '{movement}'")
    };
    let in_ledger = app.count(&ledger("decommitment")).await;
    assert_eq!(released, in_ledger, "released, as the ledger");
    let in_ledger = app.count(&ledger("repayment")).await;
    assert_eq!(repaid, in_ledger, "repaid, as the ledger");
}

async fn status(app: &TestApp, scheme_id: i64) -> String {
    sqlx::query("SELECT status FROM schemes WHERE id = $1")
        .bind(scheme_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("status")
}

async fn end(
    app: &TestApp,
    client: &reqwest::Client,
    scheme_id: i64,
    fields: &[(&str, &str)],
) -> Posted {
    let s = scheme_id.to_string();
    let mut all = vec![("scheme_id", s.as_str())];
    all.extend_from_slice(fields);
    app.post_form(
        client,
        "/api/schemes/end",
        &format!("/schemes/{s}/end"),
        &all,
    )
    .await
}

both_backends!(
    an_award_turned_down_goes_back_to_the_fund_at_once,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let s = scheme_id.to_string();
        let page = format!("/schemes/{s}");
        // Every year's uncommitted money: the award's tranches are committed in the years
        // they are planned in, and each goes back to its own year.
        let uncommitted =
            "SELECT CAST(SUM(f.agreed_pence - f.reserved_pence - f.committed_pence) AS BIGINT)
            FROM funds f WHERE f.id IN (SELECT t.fund_id FROM tranches t WHERE t.scheme_id = $1)";
        let before = one(app, uncommitted, scheme_id).await;

        // The way there: the scheme page, then a page that says what happens.
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(body.contains("turn down the award"), "{body}");
        let (status_code, body, _) = app.get(&applicant, &format!("{page}/turn-down")).await;
        assert_eq!(status_code, 200);
        assert!(body.contains("You cannot undo this"), "{body}");
        assert!(body.contains("£24,000.00"));

        // A reason is needed, and only a member may turn it down.
        let res = app
            .post_form(
                &applicant,
                "/api/schemes/turn_down",
                &format!("{page}/turn-down"),
                &[("scheme_id", &s), ("reason", "  ")],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("{page}/turn-down").as_str())
        );
        let (_, body, _) = app.get(&applicant, &format!("{page}/turn-down")).await;
        assert!(
            body.contains("Enter why your organisation is turning the award down"),
            "{body}"
        );
        let res = app
            .post_js(
                &commissioner,
                "/api/schemes/turn_down",
                &[("scheme_id", &s), ("reason", "Not wanted")],
            )
            .await;
        assert_eq!(res.status, 403);
        assert_eq!(status(app, scheme_id).await, "awarded");

        let reason = "Our volunteers cannot run the clinics this year after all";
        let res = app
            .post_form(
                &applicant,
                "/api/schemes/turn_down",
                &format!("{page}/turn-down"),
                &[("scheme_id", &s), ("reason", reason)],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(
            body.contains("£24,000.00 has gone back to the pooled fund"),
            "{body}"
        );
        assert!(
            body.contains("Award turned down") && body.contains(reason),
            "{body}"
        );
        assert!(!body.contains("Accept the award</button>"));
        assert_eq!(status(app, scheme_id).await, "turned_down");
        assert_eq!(one(app, uncommitted, scheme_id).await - before, 2_400_000);
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM tranches WHERE status = 'released'")
                .await,
            3
        );
        books_agree(app).await;
        let mail = app.last_mail_to("commissioner@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC turned down its award"
        );
        assert!(mail.body.contains(reason));
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'scheme.turned_down'").await,
            1
        );

        // Once only; it cannot be accepted afterwards; it is not published as a grant.
        let res = app
            .post_form(
                &applicant,
                "/api/schemes/turn_down",
                &format!("{page}/turn-down"),
                &[("scheme_id", &s), ("reason", reason)],
            )
            .await;
        assert_eq!(res.status, 302);
        let (_, body, _) = app.get(&applicant, &format!("{page}/turn-down")).await;
        assert!(body.contains("This scheme has already closed"), "{body}");
        accept_refused(app, &applicant, scheme_id).await;
        let anyone = new_client();
        let (_, json, _) = app.get(&anyone, "/open-data/360giving.json").await;
        let grant = app::domain::opendata::grant_identifier(
            &app.state.settings.open_data_prefix,
            scheme_id,
        );
        assert!(!json.contains(&format!("\"{grant}\"")), "not published");
        assert_eq!(one(app, uncommitted, scheme_id).await - before, 2_400_000);
        books_agree(app).await;
    }
);

async fn accept_refused(app: &TestApp, client: &reqwest::Client, scheme_id: i64) {
    let s = scheme_id.to_string();
    let page = format!("/schemes/{s}");
    app.post_form(
        client,
        "/api/schemes/accept",
        &page,
        &[("scheme_id", &s), ("confirm", "confirm")],
    )
    .await;
    let (_, body, _) = app.get(client, &page).await;
    assert!(
        body.contains("This award was turned down or has ended: it can no longer be accepted"),
        "{body}"
    );
    assert_eq!(status(app, scheme_id).await, "turned_down");
}

both_backends!(
    a_scheme_is_suspended_resumed_and_ended_early,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let s = scheme_id.to_string();
        let page = format!("/schemes/{s}");
        let icb = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        accept(app, &applicant, scheme_id).await;
        let t = tranche_ids(app, scheme_id).await;
        // Tranche 1 paid; tranche 2 approved and not yet paid; tranche 3 still due.
        send_evidence(app, &applicant, scheme_id, t[0], "Clinic open").await;
        review(app, &commissioner, scheme_id, t[0], "approve", "").await;
        pay(app, &icb, scheme_id, t[0], "BACS-1").await;
        send_evidence(app, &applicant, scheme_id, t[1], "100 appointments").await;
        review(app, &commissioner, scheme_id, t[1], "approve", "").await;

        // Suspending: found from the scheme page; every field checked, nothing typed lost.
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("Manage this scheme") && body.contains("Suspend payments"),
            "{body}"
        );
        let form = format!("{page}/suspend");
        let res = app
            .post_form(
                &commissioner,
                "/api/schemes/suspend",
                &form,
                &[
                    ("scheme_id", &s),
                    ("reason", "Two returns late"),
                    ("plan", ""),
                    ("review_day", "31"),
                    ("review_month", "2"),
                    ("review_year", "2027"),
                ],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(form.as_str()));
        let (_, body, _) = app.get(&commissioner, &form).await;
        assert!(
            body.contains("Enter the support plan agreed with the organisation"),
            "{body}"
        );
        assert!(
            body.contains("The review date must be a real date"),
            "{body}"
        );
        assert!(body.contains("Two returns late"), "what was typed is kept");
        let review_on = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
        let (d, m, y) = (
            review_on.format("%-d").to_string(),
            review_on.format("%-m").to_string(),
            review_on.format("%Y").to_string(),
        );
        let plan = "Fortnightly call with the adviser; two new volunteers recruited by the review";
        let res = app
            .post_form(
                &commissioner,
                "/api/schemes/suspend",
                &form,
                &[
                    ("scheme_id", &s),
                    ("reason", "Two returns late"),
                    ("plan", plan),
                    ("review_day", &d),
                    ("review_month", &m),
                    ("review_year", &y),
                ],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        assert_eq!(status(app, scheme_id).await, "suspended");
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Payments to Happy Feet Chiropody CIC are suspended"
        );
        assert!(mail.body.contains(plan));
        let (_, body, _) = app.get(&applicant, &page).await;
        assert!(
            body.contains("Payments are suspended") && body.contains(plan),
            "{body}"
        );
        assert!(
            !body.contains("Resume payments"),
            "only a commissioner resumes"
        );

        // No payment while suspended, whoever tries.
        let paid_before = one(
            app,
            "SELECT paid_pence FROM schemes WHERE id = $1",
            scheme_id,
        )
        .await;
        pay(app, &icb, scheme_id, t[1], "BACS-2").await;
        let (_, body, _) = app.get(&icb, &format!("{page}/tranches/{}", t[1])).await;
        assert!(
            body.contains("Payments to this scheme are suspended"),
            "{body}"
        );
        assert_eq!(
            one(
                app,
                "SELECT paid_pence FROM schemes WHERE id = $1",
                scheme_id
            )
            .await,
            paid_before
        );
        let res = app
            .post_js(&applicant, "/api/schemes/resume", &[("scheme_id", &s)])
            .await;
        assert_eq!(res.status, 403);

        // Resumed, then ended early: the due tranche goes back, the approved one stays payable.
        let res = app
            .post_form(
                &commissioner,
                "/api/schemes/resume",
                &page,
                &[("scheme_id", &s)],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()));
        assert_eq!(status(app, scheme_id).await, "active");
        assert_eq!(
            app.last_mail_to("applicant@seedbed.test").subject,
            "Payments to Happy Feet Chiropody CIC have resumed"
        );
        let (_, body, _) = app.get(&commissioner, &format!("{page}/end")).await;
        assert!(
            body.contains("Evidence approved: can still be paid"),
            "{body}"
        );
        let third: i64 = one(app, "SELECT amount_pence FROM tranches WHERE id = $1", t[2]).await;
        assert!(
            body.contains(&app::domain::money::Pence(third).display()),
            "{body}"
        );
        end(
            app,
            &commissioner,
            scheme_id,
            &[("reason", "The clinic has closed")],
        )
        .await;
        let (_, body, _) = app.get(&commissioner, &format!("{page}/end")).await;
        assert!(body.contains("Confirm that the scheme ends now"), "{body}");
        assert!(
            body.contains("The clinic has closed"),
            "what was typed is kept"
        );
        let res = app
            .post_js(
                &applicant,
                "/api/schemes/end",
                &[("scheme_id", &s), ("reason", "x"), ("confirm", "confirm")],
            )
            .await;
        assert_eq!(res.status, 403);
        let res = end(
            app,
            &commissioner,
            scheme_id,
            &[("reason", "The clinic has closed"), ("confirm", "confirm")],
        )
        .await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        assert_eq!(status(app, scheme_id).await, "closed");
        assert_eq!(
            one(
                app,
                "SELECT released_pence FROM schemes WHERE id = $1",
                scheme_id
            )
            .await,
            third
        );
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC's seed funding has ended"
        );
        assert!(mail.body.contains("The clinic has closed"));
        assert_eq!(
            one(app, "SELECT CAST(COUNT(*) AS BIGINT) FROM returns WHERE scheme_id = $1 AND status IN ('due', 'draft', 'changes_requested')", scheme_id).await,
            0,
            "no more returns are needed"
        );
        books_agree(app).await;

        // The approved tranche is still paid (by someone other than its approver).
        let res = pay(app, &icb, scheme_id, t[1], "BACS-2").await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        books_agree(app).await;
        statement_agrees(app, &commissioner).await;
        let paid = one(
            app,
            "SELECT paid_pence FROM schemes WHERE id = $1",
            scheme_id,
        )
        .await;
        assert_eq!(paid + third, 2_400_000);

        // Public: closed early, with what was paid.
        let anyone = new_client();
        let (_, json, _) = app.get(&anyone, "/open-data/360giving.json").await;
        let grants: serde_json::Value = serde_json::from_str(&json).unwrap();
        let grant = grants["grants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| {
                g["id"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("-{scheme_id}"))
            })
            .unwrap()
            .clone();
        assert_eq!(grant["amountAwarded"], 24000);
        assert_eq!(
            grant["amountDisbursed"].as_f64().unwrap() * 100.0,
            paid as f64
        );
        let (_, register, _) = app.get(&anyone, "/awards").await;
        let paid_text = format!(
            "Closed early: {} paid",
            app::domain::money::Pence(paid).display()
        );
        assert!(register.contains(&paid_text), "{register}");
        for action in ["scheme.suspended", "scheme.resumed", "scheme.ended"] {
            assert_eq!(
                app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = '{action}' AND subject_type = 'scheme' AND subject_id = '{s}'")).await,
                1,
                "{action}"
            );
        }
        // Nothing more changes a closed scheme.
        let res = app
            .post_form(
                &commissioner,
                "/api/schemes/suspend",
                &format!("{page}/suspend"),
                &[
                    ("scheme_id", &s),
                    ("reason", "x"),
                    ("plan", "y"),
                    ("review_day", &d),
                    ("review_month", &m),
                    ("review_year", &y),
                ],
            )
            .await;
        assert_eq!(res.status, 302);
        assert_eq!(status(app, scheme_id).await, "closed");
    }
);

both_backends!(
    endings_and_payments_at_once_agree_to_the_penny,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let icb = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        accept(app, &applicant, scheme_id).await;
        let t = tranche_ids(app, scheme_id).await;
        send_evidence(app, &applicant, scheme_id, t[0], "Clinic open").await;
        review(app, &commissioner, scheme_id, t[0], "approve", "").await;
        send_evidence(app, &applicant, scheme_id, t[1], "Clinic busy").await;
        let s = scheme_id.to_string();
        let fields = [
            ("scheme_id", s.as_str()),
            ("reason", "Closed"),
            ("confirm", "confirm"),
        ];
        let (first, second) = (t[0].to_string(), t[1].to_string());
        let date = paid_today();
        let mut payment = vec![
            ("scheme_id", s.as_str()),
            ("tranche_id", first.as_str()),
            ("reference", "BACS-9"),
        ];
        payment.extend(date.iter().map(|(k, v)| (*k, v.as_str())));
        let approval = [
            ("scheme_id", s.as_str()),
            ("tranche_id", second.as_str()),
            ("decision", "approve"),
            ("note", ""),
        ];
        // Two commissioners end it while one of them pays and the other approves tranche 2.
        let (a, b, c, d) = tokio::join!(
            app.post_js(&commissioner, "/api/schemes/end", &fields),
            app.post_js(&icb, "/api/schemes/end", &fields),
            app.post_js(&icb, "/api/schemes/record_payment", &payment),
            app.post_js(&commissioner, "/api/schemes/review_tranche", &approval),
        );
        for r in [&a, &b, &c, &d] {
            assert!(r.status < 500, "{} {}", r.status, r.body);
        }
        assert_eq!(status(app, scheme_id).await, "closed");
        assert_eq!(
            app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'scheme.ended' AND subject_type = 'scheme' AND subject_id = '{s}'")).await,
            1,
            "ended once"
        );
        // Tranche 1 was approved before the ending: it is paid, once.
        assert_eq!(
            one(app, "SELECT paid_pence FROM tranches WHERE id = $1", t[0]).await,
            1_200_000
        );
        assert_eq!(
            app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'tranche.paid' AND subject_type = 'scheme' AND subject_id = '{s}'")).await,
            1
        );
        // Tranche 2 was either approved first (and stays payable) or released.
        let second: String = sqlx::query("SELECT status FROM tranches WHERE id = $1")
            .bind(t[1])
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("status");
        assert!(second == "approved" || second == "released", "{second}");
        books_agree(app).await;
    }
);
