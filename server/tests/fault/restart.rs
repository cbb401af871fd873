//! Fault: PostgreSQL stopped and started again while Seedbed runs. Pages and server functions
//! answer with the service-unavailable page (503) within seconds, not a hang or a 500, and
//! work again once the database is back, with the same session and no restart of Seedbed.
use crate::common::*;
use app::domain::roles::Role;
use std::process::Command;
use std::time::{Duration, Instant};

/// The local cluster's version (Debian's layout: /etc/postgresql/<version>/main).
fn cluster_version() -> String {
    let mut versions: Vec<String> = std::fs::read_dir("/etc/postgresql")
        .expect("this test needs the local PostgreSQL cluster (/etc/postgresql)")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL cluster")
}

fn pg_ctl(action: &str) {
    let version = cluster_version();
    let mut args = vec!["--skip-systemctl-redirect", &version, "main", action];
    if action == "stop" {
        args.extend(["--", "-m", "fast"]);
    }
    let status = Command::new("pg_ctlcluster")
        .args(&args)
        .status()
        .expect("pg_ctlcluster runs");
    assert!(status.success(), "pg_ctlcluster {action} failed");
}

fn ready() -> bool {
    Command::new("pg_isready")
        .args(["-q", "-h", "127.0.0.1", "-p", "5432"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Starts PostgreSQL again however the test ends, so the tests after it have it.
struct StartAgain;

impl Drop for StartAgain {
    fn drop(&mut self) {
        if !ready() {
            pg_ctl("start");
        }
        for _ in 0..60 {
            if ready() {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

async fn unavailable(app: &TestApp, client: &reqwest::Client, path: &str) {
    let started = Instant::now();
    let (status, body, _) = app.get(client, path).await;
    assert_eq!(status, 503, "{path} while the database is down: {body}");
    assert!(
        body.contains("Sorry, the service is unavailable")
            && body.contains("Try again in a few minutes"),
        "{path} shows the service-unavailable page: {body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{path} answered in {:?}, not after a long hang",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_restarted_while_the_portal_runs() {
    let app = spawn_app(Backend::Postgres).await;
    let commissioner = app
        .signed_in_as("restart-commissioner@example.org", &[Role::Commissioner])
        .await;
    let visitor = new_client();
    let (status, body, _) = app.get(&commissioner, "/fund").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.get(&visitor, "/").await.0, 200);

    pg_ctl("stop");
    let guard = StartAgain;
    assert!(!ready(), "PostgreSQL is down");
    unavailable(&app, &visitor, "/").await;
    unavailable(&app, &visitor, "/awards").await;
    unavailable(&app, &commissioner, "/fund").await;
    unavailable(&app, &commissioner, "/fund/partners").await;
    // A server function called by the hydrated page: 503 and the error, nothing half-done.
    let posted = app
        .post_js(
            &commissioner,
            "/api/fund/add_partner",
            &[("name", "Restart Trust")],
        )
        .await;
    assert_eq!(posted.status, 503, "{}", posted.body);
    assert!(posted.body.contains("Unavailable"), "{}", posted.body);

    drop(guard);
    // Back: the same running Seedbed, the same session, without a restart.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body, _) = app.get(&commissioner, "/fund").await;
        if status == 200 {
            assert!(body.contains("Funding"), "{body}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the portal did not recover: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(app.get(&visitor, "/").await.0, 200);
    let posted = app
        .post_js(
            &commissioner,
            "/api/fund/add_partner",
            &[("name", "Restart Trust")],
        )
        .await;
    assert!(posted.status < 400, "{} {}", posted.status, posted.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM partners WHERE name = 'Restart Trust'")
            .await,
        1,
        "the partner was added once, after the database came back"
    );
}
