//! Benchmark: the moderation page of a round with 300 bids and 15 assessors.
//!
//! `cargo run --release -p server --example bench_moderation` (or `scripts/bench-moderation.sh`).
//! Seeds a fresh SQLite database through the app's own db functions (demo data, 300 bids
//! under assessment, 15 board members each scoring every criterion of every bid), starts the
//! server, signs in as the demo commissioner and times sequential requests for the page, then
//! the same at one tenth of the data. Prints p50/p99/max and the page size.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run
use app::domain::roles::Role;
use std::time::Duration;

#[path = "support/mod.rs"]
mod support;

const ASSESSORS: usize = 15;
const REQUESTS: usize = 60;

async fn seed(pool: &sqlx::AnyPool, bids: usize) {
    server::cli::demo::load(pool).await.unwrap();
    let now = app::db::now();
    let closed = app::domain::time::to_db(chrono::Utc::now() - chrono::Duration::minutes(1));
    sqlx::query("UPDATE rounds SET closes_at = $1, status = 'assessment' WHERE id = 1")
        .bind(&closed)
        .execute(pool)
        .await
        .unwrap();
    let owner = app::db::users::by_email(pool, "applicant@seedbed.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let criteria: Vec<i64> = {
        let mut conn = pool.acquire().await.unwrap();
        app::db::rounds::criteria(&mut conn, 1)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect()
    };
    let mut assessors = Vec::new();
    let mut conn = pool.acquire().await.unwrap();
    for i in 0..ASSESSORS {
        let id = app::db::users::insert(
            &mut conn,
            &format!("assessor{i}@bench.test"),
            &format!("Assessor {i:02}"),
            "x",
            true,
            now,
        )
        .await
        .unwrap();
        app::db::users::set_roles(&mut conn, id, &[Role::BoardMember], None, now)
            .await
            .unwrap();
        assessors.push((id, app::domain::round::Panel::Board));
    }
    app::db::assessment::set_panel(&mut conn, 1, &assessors, owner, now)
        .await
        .unwrap();
    drop(conn);
    for n in 0..bids {
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
        let mut tx = pool.begin().await.unwrap();
        let org = app::db::organisations::insert(&mut tx, &form.parse().unwrap(), owner, now)
            .await
            .unwrap();
        let bid = app::db::bids::insert(&mut tx, 1, org, owner, now)
            .await
            .unwrap()
            .unwrap();
        app::db::bids::set_requested(
            &mut tx,
            bid,
            Some(app::domain::money::Pence(
                500_000 + (n as i64 % 20) * 100_000,
            )),
        )
        .await
        .unwrap();
        sqlx::query("UPDATE bids SET status = 'under_assessment', reference = $1, submitted_at = $2 WHERE id = $3")
            .bind(app::domain::bid::reference(2026, bid))
            .bind(now)
            .bind(bid)
            .execute(&mut *tx)
            .await
            .unwrap();
        for (a, (user, _)) in assessors.iter().enumerate() {
            app::db::assessment::assign(&mut tx, bid, *user, now)
                .await
                .unwrap();
            for (c, criterion) in criteria.iter().enumerate() {
                let score = ((n + a + c) % 6) as u32;
                app::db::assessment::save_score(
                    &mut tx,
                    bid,
                    *user,
                    *criterion,
                    Some(score),
                    "A considered justification of a few words.",
                    now,
                )
                .await
                .unwrap();
            }
            app::db::assessment::submit(&mut tx, bid, *user, now)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
}

async fn run(bids: usize) -> (Vec<Duration>, usize) {
    let what = format!("{bids} bids x {ASSESSORS} assessors");
    let (base, _dir) =
        support::serve_seeded(&what, |pool| async move { seed(&pool, bids).await }).await;
    let client = support::commissioner(&base).await;
    support::time_gets(
        &client,
        &format!("{base}/fund/rounds/1/moderation"),
        REQUESTS,
        |body| {
            assert!(
                body.contains("Funding line") || bids < 20,
                "the page shows the ranking"
            )
        },
    )
    .await
}

#[tokio::main]
async fn main() {
    let (full, full_size) = run(300).await;
    let (tenth, tenth_size) = run(30).await;
    println!(
        "Moderation page, {ASSESSORS} assessors, SQLite, {REQUESTS} sequential requests each:"
    );
    support::report("300 bids", &full, full_size);
    support::report("30 bids (one tenth)", &tenth, tenth_size);
}
