//! Benchmark: the commissioners' portfolio page with 500 funded schemes of 12 returns each.
//!
//! `cargo run --release -p server --example bench_portfolio` (or `scripts/bench-portfolio.sh`).
//! Seeds a fresh SQLite database through the app's own db functions (demo data, then 500
//! schemes, each with its tranche schedule and 12 quarterly returns sent with figures and
//! measure values), starts the server, signs in as the demo commissioner and times
//! sequential requests for the page and its CSV, then the same at one tenth of the data.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run
use app::domain::money::Pence;
use app::domain::monitoring::{return_schedule, ReturnForm};
use std::time::Duration;

#[path = "support/mod.rs"]
mod support;

const REQUESTS: usize = 60;

async fn seed(pool: &sqlx::AnyPool, schemes: usize) {
    server::cli::demo::load(pool).await.unwrap();
    let now = app::db::now();
    let owner = app::db::users::by_email(pool, "applicant@seedbed.test")
        .await
        .unwrap()
        .unwrap()
        .id;
    let round: i64 = sqlx::query_scalar("SELECT id FROM rounds WHERE title = $1")
        .bind(server::cli::demo::MEALS_ROUND)
        .fetch_one(pool)
        .await
        .unwrap();
    let measures: Vec<(i64, String, app::domain::monitoring::MeasureUnit)> = {
        let mut conn = pool.acquire().await.unwrap();
        app::db::measures::measures(&mut conn, round)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.id, m.name, m.unit))
            .collect()
    };
    let start = chrono::NaiveDate::from_ymd_opt(2023, 4, 1).unwrap();
    let plan = vec![app::domain::bid::PlanYear {
        costs: Pence(3_000_000),
        seed_grant: Pence(1_500_000),
        charge_per_user: Pence(500),
        expected_users: 3000,
        ..Default::default()
    }];
    for n in 0..schemes {
        let form = app::domain::organisation::OrganisationForm {
            name: format!("Community scheme {n}"),
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
        let bid = app::db::bids::insert(&mut tx, round, org, owner, now)
            .await
            .unwrap()
            .unwrap();
        let tranches = app::domain::decision::default_tranches(Pence(2_000_000), start, 24);
        let periods = return_schedule(start, 24, 3);
        let scheme = app::db::schemes::create(
            &mut tx,
            &app::db::schemes::NewScheme {
                bid_id: bid,
                round_id: round,
                organisation_id: org,
                amount: Pence(2_000_000),
                conditions: "",
                purpose: "A weekly community service",
                plan: &plan,
                starts_on: start,
                return_every: 3,
                tranches: &tranches,
                tranche_funds: &[],
                periods: &periods,
            },
            now,
        )
        .await
        .unwrap();
        app::db::schemes::accept(&mut tx, scheme, owner, now)
            .await
            .unwrap();
        let returns = app::db::returns::returns(&mut tx, scheme).await.unwrap();
        for (i, r) in returns.iter().enumerate() {
            let mut form = ReturnForm {
                narrative: "A quarter of steady work.".into(),
                ..Default::default()
            };
            let grant = 400_000i64
                .saturating_sub((i as i64) * 40_000 + (n as i64 % 7) * 5_000)
                .max(0);
            form.money.insert("costs".into(), "7000".into());
            form.money
                .insert("seed_grant".into(), (grant / 100).to_string());
            form.money
                .insert("charges".into(), (3000 + i * 300).to_string());
            form.money.insert("donations".into(), "800".into());
            for (id, _, _) in &measures {
                form.measures
                    .insert(id.to_string(), (10 + i + n % 5).to_string());
            }
            let content = form.parse(&measures, true).unwrap();
            app::db::returns::save_return(&mut tx, r.id, &form, &content, true, owner, now)
                .await
                .unwrap();
            if i % 3 != 2 {
                app::db::returns::review_return(&mut tx, r.id, true, "", owner, now)
                    .await
                    .unwrap();
            }
        }
        tx.commit().await.unwrap();
    }
}

async fn run(schemes: usize) -> Vec<(&'static str, Vec<Duration>, usize)> {
    let what = format!("{schemes} schemes x 12 returns");
    let (base, _dir) =
        support::serve_seeded(&what, |pool| async move { seed(&pool, schemes).await }).await;
    let client = support::commissioner(&base).await;
    let mut out = Vec::new();
    for (label, path) in [("page", "/fund/schemes"), ("CSV", "/fund/schemes.csv")] {
        let (times, size) =
            support::time_gets(&client, &format!("{base}{path}"), REQUESTS, |body| {
                assert!(
                    body.contains("Community scheme 0"),
                    "the schemes are listed"
                )
            })
            .await;
        out.push((label, times, size));
    }
    out
}

#[tokio::main]
async fn main() {
    let full = run(500).await;
    let tenth = run(50).await;
    println!("Portfolio of funded schemes, 12 returns each, SQLite, {REQUESTS} sequential requests each:");
    for (label, times, size) in &full {
        support::report(&format!("500 schemes, {label}"), times, *size);
    }
    for (label, times, size) in &tenth {
        support::report(&format!("50 schemes (one tenth), {label}"), times, *size);
    }
}
