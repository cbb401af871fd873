//! Shared by the benchmarks: a fresh SQLite app seeded by the caller, then served; a client
//! signed in as the demo commissioner; timings of sequential requests and their report.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each benchmark uses part
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Build the app on a fresh SQLite file, run `seed` on its pool (timed), then serve it.
/// Returns the base URL; the temporary folder lives as long as the returned guard.
pub async fn serve_seeded<F, Fut>(what: &str, seed: F) -> (String, tempfile::TempDir)
where
    F: FnOnce(sqlx::AnyPool) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let mut leptos_options = leptos::prelude::get_configuration(None)
        .unwrap()
        .leptos_options;
    leptos_options.output_name = "seedbed".into();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = server::build(server::BuildOptions {
        database_url: url,
        max_connections: 5,
        base_url: base.clone(),
        secure_cookies: false,
        leptos_options,
        mailer: Arc::new(server::mail::CapturingMailer::default()),
        open_data_prefix: "seedbed".into(),
        trusted_proxies: Vec::new(),
        contact: Default::default(),
    })
    .await
    .unwrap();
    let started = Instant::now();
    seed(state.pool.clone()).await;
    eprintln!("seeded {what} in {:.1?}", started.elapsed());
    tokio::spawn(server::serve(router, listener));
    (base, dir)
}

/// A client signed in as the demo commissioner.
pub async fn commissioner(base: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(format!("{base}/api/account/sign_in"))
        .header("Accept", "text/html")
        .form(&[
            ("email", "commissioner@seedbed.test"),
            ("password", server::cli::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    client
}

/// `requests` sequential GETs after five to warm up, sorted, and the last body's size.
/// `check` asserts each body is the page expected.
pub async fn time_gets(
    client: &reqwest::Client,
    url: &str,
    requests: usize,
    check: impl Fn(&str),
) -> (Vec<Duration>, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for i in 0..requests + 5 {
        let t = Instant::now();
        let res = client.get(url).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let body = res.text().await.unwrap();
        let elapsed = t.elapsed();
        check(&body);
        size = body.len();
        if i >= 5 {
            times.push(elapsed);
        }
    }
    times.sort();
    (times, size)
}

pub fn report(label: &str, times: &[Duration], size: usize) {
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label:<32} p50 {:>7.1?}  p99 {:>7.1?}  max {:>7.1?}  {:>8} bytes",
        at(0.5),
        at(0.99),
        times[times.len() - 1],
        size
    );
}
