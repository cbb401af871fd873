//! Benchmark: the 360Giving downloads and the register CSV with 50,000 awards (and 5,000),
//! to show they stream.
//!
//! `cargo run --release -p server --example bench_opendata` (or `scripts/bench-opendata.sh`).
//! Seeds a fresh SQLite database through the app's db functions (demo data, then N awarded
//! schemes of N organisations), starts the server in this process, resets the process's
//! peak resident memory (Linux `clear_refs`), downloads the JSON and the CSV reading the
//! body as it arrives, and prints the time, the size and the peak RSS during each download.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run
use app::domain::money::Pence;
use std::time::Instant;

#[path = "support/mod.rs"]
mod support;

fn rss_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn seed(pool: &sqlx::AnyPool, awards: usize) {
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
    let start = chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
    for chunk in (0..awards).collect::<Vec<_>>().chunks(500) {
        let mut tx = pool.begin().await.unwrap();
        for n in chunk {
            let (legal_form, charity, company) = match n % 3 {
                0 => (
                    "registered_charity",
                    format!("{}", 1_100_000 + n),
                    String::new(),
                ),
                1 => ("cic", String::new(), format!("{:08}", n)),
                _ => ("community_group", String::new(), String::new()),
            };
            let form = app::domain::organisation::OrganisationForm {
                name: format!("Community organisation {n}"),
                legal_form: legal_form.into(),
                charity_number: charity,
                company_number: company,
                address_line_1: "1 High Street".into(),
                town: "Grimsby".into(),
                postcode: "DN31 1HU".into(),
                contact_name: "Contact".into(),
                contact_email: "contact@example.org".into(),
                income_band: "under_10k".into(),
                area_served: "Grimsby".into(),
                ..Default::default()
            };
            let org = app::db::organisations::insert(&mut tx, &form.parse().unwrap(), owner, now)
                .await
                .unwrap();
            let bid = app::db::bids::insert(&mut tx, round, org, owner, now)
                .await
                .unwrap()
                .unwrap();
            app::db::schemes::create(
                &mut tx,
                &app::db::schemes::NewScheme {
                    bid_id: bid,
                    round_id: round,
                    organisation_id: org,
                    amount: Pence(500_000 + (*n as i64 % 40) * 50_000),
                    conditions: "",
                    purpose: "A weekly community service",
                    plan: &[],
                    starts_on: start,
                    return_every: 3,
                    tranches: &[],
                    tranche_funds: &[],
                    periods: &[],
                },
                now,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
}

async fn run(awards: usize) {
    let what = format!("{awards} awards");
    let (base, _dir) =
        support::serve_seeded(&what, |pool| async move { seed(&pool, awards).await }).await;
    let client = reqwest::Client::new();
    for path in [
        "/open-data/360giving.json",
        "/open-data/360giving.csv",
        "/awards.csv",
    ] {
        reset_peak();
        let before = rss_kb("VmRSS:");
        let t = Instant::now();
        let mut res = client.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let mut bytes = 0usize;
        while let Some(chunk) = res.chunk().await.unwrap() {
            bytes += chunk.len();
        }
        let elapsed = t.elapsed();
        println!(
            "{awards:>6} awards  {path:<28} {:>7.2?}  {:>6.1} MB  RSS before {:>4} MB, peak during {:>4} MB",
            elapsed,
            bytes as f64 / 1e6,
            before / 1024,
            rss_kb("VmHWM:") / 1024
        );
    }
}

#[tokio::main]
async fn main() {
    run(5_000).await;
    run(50_000).await;
}
