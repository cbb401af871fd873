//! Money across financial years: an award committed in the years its tranches are planned
//! in (refused when a later year's fund is missing or short), a payment charged to the year
//! it is paid in (paid late or early), and the year-end: what a year committed and did not
//! pay carried forward, each partner's underspend carried forward or returned, the year
//! closed for good. The ledger, the funds and the schemes agree to the penny throughout, also
//! when year-ends and payments run at once.
use crate::both_backends;
use crate::common::*;
use crate::scheme_changes::{books_agree, statement_agrees};
use crate::schemes::{award_pilot, client_for, tranche_ids};
use app::domain::fund::FinancialYear;
use chrono::Datelike;
use sqlx::Row;

fn this_year() -> FinancialYear {
    FinancialYear::containing(app::domain::date::uk_date(chrono::Utc::now()))
}

/// Every tranche of the round's schemes is charged to the fund of the year it is planned in,
/// or the round's when planned before it.
pub(crate) async fn tranches_charged_to_their_years(app: &TestApp, round_id: i64) {
    let rows = sqlx::query(
        "SELECT t.due_on, f.year AS charged, rf.year AS round_year FROM tranches t JOIN schemes s ON s.id = t.scheme_id
         JOIN funds f ON f.id = t.fund_id JOIN rounds r ON r.id = s.round_id JOIN funds rf ON rf.id = r.fund_id
         WHERE s.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        let due: String = r.get("due_on");
        let due = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap();
        let first = FinancialYear(r.get::<i64, _>("round_year") as i32);
        let expected = app::domain::fund::charged_year(first, due);
        assert_eq!(
            i64::from(expected.0),
            r.get::<i64, _>("charged"),
            "a tranche due on {due}"
        );
    }
}

async fn fund_id(app: &TestApp, year: FinancialYear) -> i64 {
    sqlx::query_scalar("SELECT id FROM funds WHERE year = $1")
        .bind(i64::from(year.0))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// The pence of `movement` in a year's fund.
async fn moved(app: &TestApp, year: FinancialYear, movement: &str) -> i64 {
    let id = fund_id(app, year).await;
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_ledger WHERE fund_id = $1 AND movement = $2",
    )
    .bind(id)
    .bind(movement)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn charged_year(app: &TestApp, tranche: i64) -> i32 {
    let year: i64 = sqlx::query_scalar(
        "SELECT f.year FROM tranches t JOIN funds f ON f.id = t.fund_id WHERE t.id = $1",
    )
    .bind(tranche)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    year as i32
}

/// Record a tranche's payment made on `day` (through the payment form).
async fn pay_on(
    app: &TestApp,
    client: &reqwest::Client,
    (scheme, tranche): (i64, i64),
    day: chrono::NaiveDate,
    reference: &str,
) -> Posted {
    let (s, t) = (scheme.to_string(), tranche.to_string());
    let (d, m, y) = (
        day.day().to_string(),
        day.month().to_string(),
        day.year().to_string(),
    );
    let page = format!("/schemes/{scheme}/tranches/{tranche}");
    app.post_form(
        client,
        "/api/schemes/record_payment",
        &page,
        &[
            ("scheme_id", &s),
            ("tranche_id", &t),
            ("reference", reference),
            ("paid_day", &d),
            ("paid_month", &m),
            ("paid_year", &y),
        ],
    )
    .await
}

/// A tranche's evidence sent and approved (by the demo commissioner) on `on`, ready to be
/// paid on that day or after.
async fn approved_on(app: &TestApp, tranche: i64, on: chrono::NaiveDate) {
    approved(app, tranche).await;
    let at = app::domain::time::UtcTime(on.and_hms_opt(10, 0, 0).unwrap().and_utc());
    sqlx::query("UPDATE tranches SET evidence_at = $1, reviewed_at = $1 WHERE id = $2")
        .bind(at)
        .bind(tranche)
        .execute(&app.pool)
        .await
        .unwrap();
}

/// A tranche's evidence sent and approved (by the demo commissioner), ready to be paid.
async fn approved(app: &TestApp, tranche: i64) {
    let now = app::db::now();
    let mut conn = app.pool.acquire().await.unwrap();
    let member: i64 = sqlx::query_scalar(
        "SELECT m.user_id FROM tranches t JOIN schemes s ON s.id = t.scheme_id
         JOIN memberships m ON m.organisation_id = s.organisation_id WHERE t.id = $1 LIMIT 1",
    )
    .bind(tranche)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let commissioner = app::db::users::by_email(&app.pool, "commissioner@seedbed.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    app::db::tranches::submit_evidence(&mut conn, tranche, "Done", member, now)
        .await
        .unwrap();
    assert!(
        app::db::tranches::approve_tranche(&mut conn, tranche, "", commissioner, now)
            .await
            .unwrap()
    );
}

/// The year-end form for a year: the council carries its underspend forward, the ICB takes
/// its back.
async fn run_year_end(app: &TestApp, client: &reqwest::Client, year: FinancialYear) -> Posted {
    let partners = app::db::fund::partners(&app.pool).await.unwrap();
    let y = year.0.to_string();
    let mut fields: Vec<(String, String)> = vec![("year".into(), y.clone())];
    for (i, p) in partners.iter().enumerate() {
        let choice = if i == 0 { "carry_forward" } else { "return" };
        fields.push((format!("choice[{}]", p.id), choice.into()));
        fields.push((
            format!("reason[{}]", p.id),
            format!("Agreed by the partnership board ({})", p.name),
        ));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_js(client, "/api/fund/run_year_end", &fields).await
}

both_backends!(
    an_award_is_committed_in_the_years_its_tranches_are_planned_in,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let now = this_year();
        let later = FinancialYear(now.0 + 2);
        let before = moved(app, later, "commitment").await;
        // The pilot's third tranche falls two years on: that year's fund is not set up.
        let later_id = fund_id(app, later).await;
        for sql in [
            "DELETE FROM fund_ledger WHERE fund_id = $1",
            "DELETE FROM funds WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(later_id)
                .execute(&app.pool)
                .await
                .unwrap();
        }
        let round: i64 = sqlx::query_scalar("SELECT id FROM rounds WHERE title = $1")
            .bind(server::cli::demo::PILOT_TITLE)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let awarded = "SELECT CAST(COUNT(*) AS BIGINT) FROM schemes";
        let schemes = app.count(awarded).await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let bid: i64 = sqlx::query_scalar(
            "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id WHERE b.round_id = $1 AND o.name = 'Happy Feet Chiropody CIC'",
        )
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        without_sign_off(app).await;
        let decide = |amount: &'static str| {
            let (r, b) = (round.to_string(), bid.to_string());
            let commissioner = commissioner.clone();
            async move {
                app.post_js(
                    &commissioner,
                    "/api/decisions/decide",
                    &[
                        ("round_id", r.as_str()),
                        ("bid_id", b.as_str()),
                        ("outcome", "award"),
                        ("amount", amount),
                        ("purpose", "Foot care clinics for older people in Grimsby"),
                        ("conditions", ""),
                        ("award_before_scores", "award_before_scores"),
                        ("feedback", ""),
                        ("returns_every", "3"),
                    ],
                )
                .await
            }
        };
        let res = decide("24000").await;
        assert_eq!(res.status, 409, "{}", res.body);
        assert!(
            res.body.contains(&format!(
                "The award has tranches planned in {}, and that year's pooled fund is not set up",
                later.label()
            )),
            "{}",
            res.body
        );
        assert_eq!(app.count(awarded).await, schemes, "nothing awarded");
        // Set up with too little money: refused with what it has.
        let partners = app::db::fund::partners(&app.pool).await.unwrap();
        let mut tx = app.pool.begin().await.unwrap();
        let shares: Vec<(i64, app::domain::money::Pence)> = partners
            .iter()
            .map(|p| (p.id, app::domain::money::Pence(100_000)))
            .collect();
        let fund = app::service::fund::NewFund {
            year: later,
            agreed: app::domain::money::Pence(200_000),
            contributions: shares,
        };
        app::service::fund::set_up_in(&mut tx, 1, &fund, app::db::now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let res = decide("24000").await;
        assert_eq!(res.status, 409, "{}", res.body);
        assert!(
            res.body.contains(&format!(
                "The award's tranches planned in {} come to £4,800.00, and that year's pooled fund has only £2,000.00 uncommitted",
                later.label()
            )),
            "{}",
            res.body
        );
        assert_eq!(app.count(awarded).await, schemes, "nothing awarded");
        // Enough: committed in each year it is planned in.
        let res = decide("9000").await;
        assert!(res.status < 400, "{}", res.body);
        tranches_charged_to_their_years(app, round).await;
        let scheme: i64 = sqlx::query_scalar("SELECT MAX(id) FROM schemes")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let mut by_year = std::collections::BTreeMap::new();
        for t in tranche_ids(app, scheme).await {
            let amount: i64 = sqlx::query_scalar("SELECT amount_pence FROM tranches WHERE id = $1")
                .bind(t)
                .fetch_one(&app.pool)
                .await
                .unwrap();
            *by_year.entry(charged_year(app, t).await).or_insert(0i64) += amount;
        }
        assert_eq!(by_year.values().sum::<i64>(), 900_000);
        assert_eq!(
            by_year.get(&later.0).copied(),
            Some(180_000),
            "the last 20%"
        );
        assert_eq!(moved(app, later, "commitment").await, 180_000);
        assert!(before >= 0);
        books_agree(app).await;
        statement_agrees(app, &commissioner).await;
    }
);

both_backends!(
    a_payment_is_charged_to_the_year_it_is_paid_in,
    async |app: &TestApp| {
        // Past years open: the history's unpaid tranches are still charged to them.
        server::cli::demo::load_open(&app.pool).await.unwrap();
        let (scheme, _, applicant) = award_pilot(app).await;
        crate::schemes::accept(app, &applicant, scheme).await;
        let payer = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        let now = this_year();
        let today = app::domain::date::uk_date(chrono::Utc::now());
        let t = tranche_ids(app, scheme).await;

        // Paid early: the second tranche is planned next year, paid today from this year's.
        assert_eq!(charged_year(app, t[1]).await, now.0 + 1);
        approved(app, t[1]).await;
        let page = format!("/schemes/{scheme}");
        let res = pay_on(app, &payer, (scheme, t[1]), today, "BACS-EARLY").await;
        assert_eq!(res.location.as_deref(), Some(page.as_str()), "{}", res.body);
        assert_eq!(charged_year(app, t[1]).await, now.0);
        let amount: i64 = sqlx::query_scalar("SELECT amount_pence FROM tranches WHERE id = $1")
            .bind(t[1])
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(
            moved(app, FinancialYear(now.0 + 1), "paid_in_earlier_year").await,
            amount
        );
        books_agree(app).await;

        // Paid late: a history tranche planned last year, paid today, is carried forward to
        // this year's fund with its money, each partner's share kept.
        let last = FinancialYear(now.0 - 1);
        let late: Option<(i64, i64, i64)> = sqlx::query(
            "SELECT t.id, t.scheme_id, t.amount_pence FROM tranches t JOIN funds f ON f.id = t.fund_id
             WHERE f.year = $1 AND t.status = 'due' ORDER BY t.id LIMIT 1",
        )
        .bind(i64::from(last.0))
        .fetch_optional(&app.pool)
        .await
        .unwrap()
        .map(|r| (r.get("id"), r.get("scheme_id"), r.get("amount_pence")));
        let (late, late_scheme, late_amount) =
            late.expect("the demo has a tranche unpaid last year");
        approved(app, late).await;
        let carried_before = moved(app, last, "commitment_carried_forward").await;
        let res = pay_on(app, &payer, (late_scheme, late), today, "BACS-LATE").await;
        let late_page = format!("/schemes/{late_scheme}");
        assert_eq!(
            res.location.as_deref(),
            Some(late_page.as_str()),
            "{}",
            res.body
        );
        assert_eq!(charged_year(app, late).await, now.0);
        assert_eq!(
            moved(app, last, "commitment_carried_forward").await - carried_before,
            late_amount
        );
        books_agree(app).await;

        // A payment dated before its year's fund existed, or in a closed year, is refused
        // against the date.
        let third = t[2];
        let long_ago = today.with_year(today.year() - 6).unwrap();
        approved_on(app, third, long_ago.with_year(long_ago.year() - 1).unwrap()).await;
        let res = pay_on(app, &payer, (scheme, third), long_ago, "BACS-OLD").await;
        assert!(
            res.body.contains(
                "pooled fund is not set up: set it up before recording a payment made in that year"
            ),
            "{}",
            res.body
        );
        let unpaid =
            "SELECT CAST(COUNT(*) AS BIGINT) FROM tranches WHERE id = $1 AND status = 'approved'";
        let still = sqlx::query_scalar::<_, i64>(unpaid)
            .bind(third)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(still, 1, "not paid");
        books_agree(app).await;
    }
);

both_backends!(
    the_year_end_carries_forward_and_closes_the_year,
    async |app: &TestApp| {
        server::cli::demo::load_open(&app.pool).await.unwrap();
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let now = this_year();
        let last = FinancialYear(now.0 - 1);
        let earliest: i64 = sqlx::query_scalar("SELECT MIN(year) FROM funds")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let earliest = FinancialYear(earliest as i32);
        let page = format!("/fund/pooled-funds/{}/year-end", last.0);

        // The way there: the year's statement links to its year-end.
        let (status, body, _) = app
            .get(&commissioner, &format!("/fund/pooled-funds/{}", last.0))
            .await;
        assert_eq!(status, 200);
        assert!(body.contains("Run the year-end"), "{body}");

        // Years close in order; this year has not ended.
        let res = run_year_end(app, &commissioner, last).await;
        assert!(
            res.body.contains(&format!(
                "Run the year-end for {} first: years are closed in order",
                FinancialYear(last.0 - 1).label()
            )) || earliest == last,
            "{}",
            res.body
        );
        let res = run_year_end(app, &commissioner, now).await;
        assert!(
            res.body.contains("can be run once the year has ended"),
            "{}",
            res.body
        );
        // Money still reserved for a round of the year: released first.
        for year in earliest.0..last.0 {
            let res = run_year_end(app, &commissioner, FinancialYear(year)).await;
            if res.body.contains("Money is still reserved for") {
                // The year-end page leads to each round's moderation page to release it.
                let (_, body, _) = app
                    .get(
                        &commissioner,
                        &format!("/fund/pooled-funds/{year}/year-end"),
                    )
                    .await;
                assert!(body.contains("Release the unawarded money of"), "{body}");
                assert!(body.contains("/moderation\""), "{body}");
                let rounds: Vec<i64> = sqlx::query_scalar(
                    "SELECT r.id FROM rounds r JOIN funds f ON f.id = r.fund_id WHERE f.year = $1",
                )
                .bind(i64::from(year))
                .fetch_all(&app.pool)
                .await
                .unwrap();
                let state = server::cli::demo::offline_state(&app.pool);
                for round in rounds {
                    app::service::decisions::release_unawarded(state.ctx(), 1, round)
                        .await
                        .unwrap();
                }
                let res = run_year_end(app, &commissioner, FinancialYear(year)).await;
                assert!(res.status < 400, "{}", res.body);
            }
        }
        let open_before = app
            .count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM funds WHERE year < {} AND closed_at IS NULL",
                last.0
            ))
            .await;
        assert_eq!(open_before, 0, "the years before are closed, in order");
        let rounds: Vec<i64> = sqlx::query_scalar(
            "SELECT r.id FROM rounds r JOIN funds f ON f.id = r.fund_id WHERE f.year = $1",
        )
        .bind(i64::from(last.0))
        .fetch_all(&app.pool)
        .await
        .unwrap();
        let state = server::cli::demo::offline_state(&app.pool);
        for round in rounds {
            app::service::decisions::release_unawarded(state.ctx(), 1, round)
                .await
                .unwrap();
        }

        // What last year committed and did not pay, and each partner's underspend.
        let last_id = fund_id(app, last).await;
        let unpaid = app
            .count(&format!(
                "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM tranches WHERE fund_id = {last_id} AND status NOT IN ('paid', 'released')"
            ))
            .await;
        assert!(unpaid > 0, "the demo has commitments unpaid last year");
        let (status, body, _) = app.get(&commissioner, &page).await;
        assert_eq!(status, 200);
        assert!(body.contains("Committed and not paid"), "{body}");
        assert!(body.contains("underspend of"), "{body}");
        assert!(body.contains(&format!("Run the year-end and close {}", last.label())));

        // A reason is needed for each underspend; nothing changes without one.
        let partners = app::db::fund::partners(&app.pool).await.unwrap();
        let y = last.0.to_string();
        let choice = format!("choice[{}]", partners[0].id);
        let res = app
            .post_js(
                &commissioner,
                "/api/fund/run_year_end",
                &[("year", y.as_str()), (choice.as_str(), "carry_forward")],
            )
            .await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(
            res.body.contains("Enter the reason for what happens to"),
            "{}",
            res.body
        );
        assert!(
            res.body.contains("is carried forward or returned"),
            "{}",
            res.body
        );
        assert_eq!(
            app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM funds WHERE id = {last_id} AND closed_at IS NOT NULL")).await,
            0
        );

        // Only commissioners run it.
        let approver = client_for(app, "icblead@seedbed.test").await;
        let res = app
            .post_js(&approver, "/api/fund/run_year_end", &[("year", y.as_str())])
            .await;
        assert_eq!(res.status, 403);

        let totals = app::db::fund::partner_totals(&app.pool, last_id)
            .await
            .unwrap();
        let council_underspend = totals[0].1.uncommitted().0;
        let icb_underspend = totals[1].1.uncommitted().0;
        let next_before = app::db::fund::partner_totals(&app.pool, fund_id(app, now).await)
            .await
            .unwrap();
        let res = run_year_end(app, &commissioner, last).await;
        assert!(res.status < 400, "{}", res.body);

        // Carried forward with its money; the underspends settled as agreed; closed.
        assert_eq!(moved(app, last, "commitment_carried_forward").await, unpaid);
        assert_eq!(moved(app, now, "commitment_brought_forward").await, unpaid);
        assert_eq!(
            moved(app, last, "underspend_carried_forward").await,
            council_underspend
        );
        assert_eq!(
            moved(app, now, "underspend_brought_forward").await,
            council_underspend
        );
        assert_eq!(
            moved(app, last, "underspend_returned").await,
            icb_underspend
        );
        let after = app::db::fund::partner_totals(&app.pool, last_id)
            .await
            .unwrap();
        for (_, t) in &after {
            assert_eq!(
                t.uncommitted().0,
                0,
                "nothing left uncommitted in a closed year"
            );
            assert_eq!(t.committed.0, t.paid.0, "nothing committed and unpaid");
        }
        let next_after = app::db::fund::partner_totals(&app.pool, fund_id(app, now).await)
            .await
            .unwrap();
        assert_eq!(
            next_after[0].1.uncommitted().0 - next_before[0].1.uncommitted().0,
            council_underspend,
            "the council's underspend is this year's money"
        );
        assert_eq!(
            next_after[1].1.uncommitted().0,
            next_before[1].1.uncommitted().0,
            "the ICB's went back to it"
        );
        assert_eq!(
            app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM tranches WHERE fund_id = {last_id} AND status NOT IN ('paid', 'released')")).await,
            0
        );
        let audit = app
            .count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'fund.year_end'")
            .await;
        assert!(audit >= 1);
        books_agree(app).await;
        statement_agrees(app, &commissioner).await;

        // Closed for good: no second run, no variation, no payment dated in it.
        let res = run_year_end(app, &commissioner, last).await;
        assert!(res.body.contains("has been run"), "{}", res.body);
        let res = app
            .post_js(
                &commissioner,
                "/api/fund/vary",
                &[
                    ("year", y.as_str()),
                    ("partner", &partners[0].id.to_string()),
                    ("direction", "increase"),
                    ("amount", "100"),
                    ("reason", "Late contribution"),
                ],
            )
            .await;
        assert!(
            res.body.contains("is closed: its year-end has been run"),
            "{}",
            res.body
        );
        books_agree(app).await;

        // The partners' finance officers read the statement; applicants do not.
        let (status, body, _) = app.get(&approver, &page).await;
        assert_eq!(status, 200);
        assert!(body.contains("Closed on"), "{body}");
        assert!(body.contains("Returned to the partner"), "{body}");
        assert!(body.contains("Agreed by the partnership board"), "{body}");
        let csv_path = format!(
            "/fund/pooled-funds/{}/year-end/partners/{}/statement.csv",
            last.0, partners[1].id
        );
        let (status, csv, _) = app.get(&approver, &csv_path).await;
        assert_eq!(status, 200);
        assert!(csv.contains("Underspend: returned to the partner"), "{csv}");
        assert!(csv.contains("Commitment carried forward"), "{csv}");
        let applicant = client_for(app, "applicant@seedbed.test").await;
        let (status, _, _) = app.get(&applicant, &csv_path).await;
        assert_eq!(status, 403);
        let (_, body, _) = app.get(&approver, "/sign-off").await;
        assert!(
            body.contains(&format!("Year-end statement {}", last.label())),
            "{body}"
        );
    }
);

both_backends!(
    year_ends_and_payments_at_once_agree_to_the_penny,
    async |app: &TestApp| {
        server::cli::demo::load_open(&app.pool).await.unwrap();
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let payer = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        let now = this_year();
        let earliest: i64 = sqlx::query_scalar("SELECT MIN(year) FROM funds")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let state = server::cli::demo::offline_state(&app.pool);
        let rounds: Vec<i64> = sqlx::query_scalar(
            "SELECT r.id FROM rounds r JOIN funds f ON f.id = r.fund_id WHERE f.year < $1",
        )
        .bind(i64::from(now.0))
        .fetch_all(&app.pool)
        .await
        .unwrap();
        for round in rounds {
            app::service::decisions::release_unawarded(state.ctx(), 1, round)
                .await
                .unwrap();
        }
        let today = app::domain::date::uk_date(chrono::Utc::now());
        for year in (earliest as i32)..now.0 {
            let year = FinancialYear(year);
            // Every unpaid tranche of the year approved, so that payments can race it.
            let tranches: Vec<(i64, i64)> = sqlx::query(
                "SELECT t.id, t.scheme_id FROM tranches t JOIN funds f ON f.id = t.fund_id
                 WHERE f.year = $1 AND t.status = 'due' ORDER BY t.id",
            )
            .bind(i64::from(year.0))
            .fetch_all(&app.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("id"), r.get("scheme_id")))
            .collect();
            let ends = year.ends().unwrap();
            for (t, _) in &tranches {
                approved_on(app, *t, year.starts().unwrap()).await;
            }
            let payments = tranches.iter().enumerate().map(|(i, (t, s))| {
                // Some paid on the year's last day (in it), some today (carried with them).
                let day = if i % 2 == 0 { ends } else { today };
                let reference = format!("BACS-RACE-{t}");
                let payer = &payer;
                async move { pay_on(app, payer, (*s, *t), day, &reference).await }
            });
            let ends_at_once = [&commissioner, &commissioner].map(|c| run_year_end(app, c, year));
            let (_, runs) = tokio::join!(
                futures_util::future::join_all(payments),
                futures_util::future::join_all(ends_at_once)
            );
            let closed = runs.iter().filter(|r| r.status < 400).count();
            let bodies: Vec<&str> = runs.iter().map(|r| r.body.as_str()).collect();
            assert_eq!(closed, 1, "the year-end runs once: {bodies:?}");
            books_agree(app).await;
            // Nothing paid twice.
            let twice = app
                .count("SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT tranche_id, partner_id FROM fund_ledger WHERE movement = 'payment' AND tranche_id IS NOT NULL GROUP BY tranche_id, partner_id HAVING COUNT(*) > 1) x")
                .await;
            assert_eq!(twice, 0, "nothing is paid twice");
        }
        statement_agrees(app, &commissioner).await;
    }
);
