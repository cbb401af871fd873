//! The real `seedbed` binary on SQLite (WAL), killed with SIGKILL in the middle of a burst
//! of bid saves and started again: every save it acknowledged is there, each answer with
//! its own version (nothing half-written), and the database passes `PRAGMA integrity_check`.
use crate::common::*;
use sqlx::Row;
use std::process::Stdio;

struct Child {
    process: std::process::Child,
    base: String,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn start(database_url: &str, dir: &std::path::Path) -> Child {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut process = std::process::Command::new(env!("CARGO_BIN_EXE_seedbed"))
        .arg("serve")
        .env("SEEDBED_DATABASE_URL", database_url)
        .env("SEEDBED_ADDR", format!("127.0.0.1:{port}"))
        .env("SEEDBED_BASE_URL", &base)
        .env("SEEDBED_OUTBOX_DIR", dir.join("outbox"))
        .env("SEEDBED_LOG", "error")
        .env("LEPTOS_OUTPUT_NAME", "seedbed")
        .env("LEPTOS_SITE_ROOT", dir)
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_ENV", "PROD")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Child { process, base };
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = process.kill();
    let _ = process.wait();
    panic!("the server did not start");
}

async fn sign_in(base: &str, email: &str) -> reqwest::Client {
    let client = new_client();
    let res = client
        .post(format!("{base}/api/account/sign_in"))
        .header("Accept", "text/html")
        .header("Referer", format!("{base}/account/sign-in"))
        .form(&[("email", email), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    client
}

/// Save the bid's first custom question as "save <n>" again and again until the server
/// stops answering: the last save it acknowledged (n, version after it).
async fn burst(
    client: reqwest::Client,
    base: String,
    bid: i64,
    section: i64,
    question: i64,
    mut version: i64,
) -> Option<(i64, i64)> {
    let mut acked = None;
    for n in 0.. {
        let answer = format!("save {n}");
        let form = [
            ("bid_id", bid.to_string()),
            ("section_id", section.to_string()),
            ("version", version.to_string()),
            ("then", "later".to_string()),
            ("completed", "no".to_string()),
            (&*format!("answer[q{question}]"), answer),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect::<Vec<_>>();
        let res = client
            .post(format!("{base}/api/bids/save_section"))
            .header("Accept", "text/html")
            .header("Referer", format!("{base}/bids/{bid}/sections/{section}"))
            .form(&form)
            .send()
            .await;
        match res {
            Ok(r) if r.status().as_u16() == 302 => {
                let location = r.headers()["location"].to_str().unwrap().to_string();
                assert!(!location.contains("/sections/"), "refused: {location}");
                version += 1;
                acked = Some((n, version));
            }
            _ => return acked,
        }
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_a_sigkill() {
    let app = spawn_app(Backend::Sqlite).await;
    server::demo::load(&app.pool).await.unwrap();
    // Two organisations, each with a chiropody bid (prepared through the in-process server).
    let mut bids = Vec::new();
    for (email, name) in [
        ("pat@example.org", "Pat's Feet CIC"),
        ("sam@example.org", "Sam's Toes CIC"),
    ] {
        let client = crate::bids::applicant(&app, email, name).await;
        bids.push((email, crate::bids::start(&app, &client).await));
    }
    let section: i64 = sqlx::query(
        "SELECT id FROM round_sections WHERE round_id = 1 AND kind = 'custom' ORDER BY position LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id");
    let question: i64 = sqlx::query(
        "SELECT id FROM round_questions WHERE section_id = $1 ORDER BY position, id LIMIT 1",
    )
    .bind(section)
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id");
    let dir = tempfile::tempdir().unwrap();
    let mut child = start(&app.database_url, dir.path()).await;

    // Both organisations save as fast as they can; the server is killed part-way.
    let mut loops = Vec::new();
    for (email, bid) in &bids {
        let client = sign_in(&child.base, email).await;
        loops.push(tokio::spawn(burst(
            client,
            child.base.clone(),
            *bid,
            section,
            question,
            0,
        )));
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    child.process.kill().unwrap(); // SIGKILL on Unix
    child.process.wait().unwrap();
    let mut acked = Vec::new();
    for l in loops {
        acked.push(
            l.await
                .unwrap()
                .expect("some saves were acknowledged before the kill"),
        );
    }

    // Started again on the same file.
    let child = start(&app.database_url, dir.path()).await;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    for ((email, bid), (n, version)) in bids.iter().zip(&acked) {
        let row = sqlx::query(
            "SELECT answers, version FROM bid_sections WHERE bid_id = $1 AND section_id = $2",
        )
        .bind(bid)
        .bind(section)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let stored_version: i64 = row.get("version");
        let answers: serde_json::Value =
            serde_json::from_str(&row.get::<String, _>("answers")).unwrap();
        let text = answers[format!("answer[q{question}]")]
            .as_str()
            .or_else(|| answers[format!("q{question}")].as_str())
            .unwrap_or_else(|| panic!("{answers}"))
            .to_string();
        let saved: i64 = text.strip_prefix("save ").unwrap().parse().unwrap();
        assert!(
            stored_version >= *version && saved >= *n,
            "{email}: acknowledged save {n} (version {version}), found save {saved} (version {stored_version})"
        );
        assert_eq!(
            stored_version,
            saved + 1,
            "{email}: the answer and its version were written together"
        );
        // And the restarted server serves the bid.
        let client = sign_in(&child.base, email).await;
        let res = client
            .get(format!("{}/bids/{bid}", child.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
    assert!(
        acked.iter().all(|(n, _)| *n >= 2),
        "a real burst: {acked:?}"
    );
    app.cleanup().await;
}
