//! Faults: 50 awards at once against one round's envelope and one fund, then two payment
//! requests at once for each award's first tranche: totals exact, invariants never broken.
use crate::both_backends;
use crate::common::*;
use crate::schemes::client_for;
use app::domain::money::Pence;
use sqlx::Row;

const BIDS: usize = 50;
const REQUEST: i64 = 500_000; // £5,000, the pilot round's smallest award

async fn post_all(
    app: &TestApp,
    clients: &[reqwest::Client],
    endpoint: &str,
    forms: Vec<Vec<(&'static str, String)>>,
) -> Vec<(u16, String)> {
    let mut tasks = Vec::new();
    for (n, form) in forms.into_iter().enumerate() {
        let client = clients[n % clients.len()].clone();
        let url = app.url(endpoint);
        tasks.push(tokio::spawn(async move {
            let res = client
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
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn sum(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get::<i64, _>("n")
}

both_backends!(
    fifty_awards_and_payments_at_once_keep_the_money_exact,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        // Awards made at once: the partners have not named approvers (board::… tests sign off).
        without_sign_off(app).await;
        let round = sqlx::query(
            "SELECT id, fund_id, reserved_pence, awarded_pence FROM rounds WHERE title = $1",
        )
        .bind(server::cli::demo::PILOT_TITLE)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let (round_id, fund_id): (i64, i64) = (round.get("id"), round.get("fund_id"));
        let left = round.get::<i64, _>("reserved_pence") - round.get::<i64, _>("awarded_pence");
        let fits = (left / REQUEST) as usize;
        assert!(fits > 0 && fits < BIDS, "some fit, most do not ({fits})");
        let fund_before =
            sqlx::query("SELECT committed_pence, paid_pence FROM funds WHERE id = $1")
                .bind(fund_id)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        // Across every year's fund: an award's later tranches are committed against the
        // funds of the years they are planned in.
        let all_committed = "SELECT CAST(SUM(committed_pence) AS BIGINT) FROM funds";
        let committed_before = app.count(all_committed).await;

        // 50 more sent bids, each asking for £5,000.
        let owner = app::db::users::by_email(&app.pool, "applicant@seedbed.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        let now = app::db::now();
        let mut bids = Vec::new();
        for n in 0..BIDS {
            let form = app::domain::organisation::OrganisationForm {
                name: format!("Community group {n}"),
                legal_form: "community_group".into(),
                address_line_1: "1 High Street".into(),
                town: "Grimsby".into(),
                postcode: "DN31 1HU".into(),
                contact_name: "Contact".into(),
                contact_email: "contact@example.org".into(),
                income_band: "under_10k".into(),
                area_served: "Grimsby".into(),
                ..Default::default()
            };
            let mut tx = app.pool.begin().await.unwrap();
            let org = app::db::organisations::insert(&mut tx, &form.parse().unwrap(), owner, now)
                .await
                .unwrap();
            let bid = app::db::bids::insert(&mut tx, round_id, org, owner, now)
                .await
                .unwrap()
                .unwrap();
            app::db::bids::set_requested(&mut tx, bid, Some(Pence(REQUEST)))
                .await
                .unwrap();
            sqlx::query("UPDATE bids SET status = 'under_assessment', reference = $1, submitted_at = $2 WHERE id = $3")
                .bind(app::domain::bid::reference(2026, bid))
                .bind(now)
                .bind(bid)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            bids.push(bid);
        }

        // Award every one of them at the same moment, from four commissioners' sessions.
        let mut clients = Vec::new();
        for _ in 0..4 {
            clients.push(client_for(app, "commissioner@seedbed.test").await);
        }
        let forms = bids
            .iter()
            .map(|b| {
                vec![
                    ("round_id", round_id.to_string()),
                    ("bid_id", b.to_string()),
                    ("outcome", "award".to_string()),
                    ("amount", "5000".to_string()),
                    ("purpose", "A weekly clinic".to_string()),
                    ("conditions", String::new()),
                    ("feedback", String::new()),
                    ("returns_every", "3".to_string()),
                ]
            })
            .collect();
        let results = post_all(app, &clients, "/api/decisions/decide", forms).await;
        let awarded = results.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            awarded, fits,
            "exactly what the envelope holds: {results:?}"
        );
        assert!(
            results
                .iter()
                .all(|(s, _)| *s == 200 || (400..500).contains(s)),
            "a refusal is a clear 4xx, never a 500: {results:?}"
        );
        let round_awarded = sum(
            app,
            "SELECT awarded_pence AS n FROM rounds WHERE id = $1",
            round_id,
        )
        .await;
        let reserved = sum(
            app,
            "SELECT reserved_pence AS n FROM rounds WHERE id = $1",
            round_id,
        )
        .await;
        assert!(round_awarded <= reserved);
        assert_eq!(round_awarded - (reserved - left), fits as i64 * REQUEST);
        let committed = app.count(all_committed).await;
        assert_eq!(committed - committed_before, fits as i64 * REQUEST);
        let ledger_committed = sum(
            app,
            "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) AS n FROM fund_ledger WHERE round_id = $1 AND movement = 'commitment'",
            round_id,
        )
        .await;
        assert_eq!(
            ledger_committed, round_awarded,
            "the ledger agrees with the round"
        );
        let invariant = sum(
            app,
            "SELECT CAST(agreed_pence - reserved_pence - committed_pence AS BIGINT) AS n FROM funds WHERE id = $1",
            fund_id,
        )
        .await;
        assert!(
            invariant >= 0,
            "reserved + committed never exceed the agreed value"
        );
        let schemes: Vec<i64> =
            sqlx::query("SELECT id FROM schemes WHERE round_id = $1 ORDER BY id")
                .bind(round_id)
                .fetch_all(&app.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get("id"))
                .collect();
        assert_eq!(
            schemes.len(),
            fits,
            "one scheme per award, none for a refusal"
        );

        // Each scheme accepts and sends evidence for its first tranche; then every tranche is
        // approved by one commissioner, and its payment recorded twice at once by another.
        let actor = app::db::users::by_email(&app.pool, "commissioner@seedbed.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        let mut conn = app.pool.acquire().await.unwrap();
        let mut tranches = Vec::new();
        for s in &schemes {
            assert!(app::db::schemes::accept(&mut conn, *s, owner, now)
                .await
                .unwrap());
            let first = app::db::tranches::tranches(&mut conn, *s).await.unwrap()[0].clone();
            assert!(
                app::db::tranches::submit_evidence(&mut conn, first.id, "Started", owner, now)
                    .await
                    .unwrap()
            );
            // Approved by the first commissioner; the payment is the other's to record.
            assert!(
                app::db::tranches::approve_tranche(&mut conn, first.id, "", actor, now)
                    .await
                    .unwrap()
            );
            tranches.push((*s, first.id, first.amount));
        }
        drop(conn);
        let mut payers = Vec::new();
        for _ in 0..4 {
            payers.push(client_for(app, server::cli::demo::PAYER_EMAIL).await);
        }
        let paid_before: i64 = fund_before.get("paid_pence");
        let forms = tranches
            .iter()
            .chain(tranches.iter())
            .map(|(s, t, _)| {
                let mut form = vec![
                    ("scheme_id", s.to_string()),
                    ("tranche_id", t.to_string()),
                    ("reference", format!("BACS-{t}")),
                ];
                form.extend(paid_today());
                form
            })
            .collect();
        let results = post_all(app, &payers, "/api/schemes/record_payment", forms).await;
        let paid_ok = results.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            paid_ok,
            tranches.len(),
            "each tranche paid once: {results:?}"
        );
        assert!(results
            .iter()
            .all(|(s, _)| *s == 200 || (400..500).contains(s)));
        let expected: i64 = tranches.iter().map(|(_, _, a)| a.0).sum();
        let paid = sum(
            app,
            "SELECT paid_pence AS n FROM funds WHERE id = $1",
            fund_id,
        )
        .await;
        assert_eq!(paid - paid_before, expected);
        assert!(paid <= committed, "payments never exceed commitments");
        let ledger_paid = sum(
            app,
            "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) AS n FROM fund_ledger WHERE round_id = $1 AND movement = 'payment'",
            round_id,
        )
        .await;
        assert_eq!(ledger_paid, expected);
    }
);
mod hang_up;
mod kill;
mod restart;
