//! Fault: clients that hang up in the middle of a request. hyper drops a request's future
//! when its connection closes; Seedbed runs each request to its end in its own task. So what
//! the request was doing gets done, and no pooled connection is left inside a transaction
//! that nothing will end (sqlx's BEGIN is not safe to cancel on PostgreSQL:
//! transact-rs/sqlx#4393), where later requests' writes would never commit.
use crate::both_backends;
use crate::common::*;
use app::domain::roles::Role;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// Send a whole form post over a fresh connection, wait `after`, and close the connection
/// without reading a byte of the answer.
async fn post_and_hang_up(
    base: &str,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
    after: Duration,
) {
    let host = base.trim_start_matches("http://");
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&");
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{cookie}\r\n{body}",
        body.len()
    );
    let mut tcp = tokio::net::TcpStream::connect(host).await.unwrap();
    tcp.write_all(request.as_bytes()).await.unwrap();
    if !after.is_zero() {
        tokio::time::sleep(after).await;
    }
    drop(tcp);
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Counts through a connection of its own, outside the server's pool: a write that a
/// poisoned pooled connection made inside a stale transaction is not visible here.
async fn committed(app: &TestApp, sql: &str) -> i64 {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

both_backends!(
    a_registration_whose_client_hung_up_is_still_made,
    async |app: &TestApp| {
        post_and_hang_up(
            &app.base,
            "/api/account/register",
            None,
            &[
                ("full_name", "Hang Up"),
                ("email", "hang-up@example.org"),
                ("password", TEST_PASSWORD),
                ("confirm_password", TEST_PASSWORD),
            ],
            // Long enough for the server to have the request in hand (a client that hangs up
            // before that was never heard), short of the password's hashing.
            Duration::from_millis(20),
        )
        .await;
        eventually(
            "the account is made and its confirmation email sent, though nobody read the answer",
            async || app.mails().iter().any(|m| m.to == "hang-up@example.org"),
        )
        .await;
        assert_eq!(
            committed(
                app,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE email = 'hang-up@example.org'"
            )
            .await,
            1
        );
    }
);

/// Posts of partners, each connection closed `waits[n]` after its post was written; returns
/// once the server has finished with them (the count of partners stops moving).
async fn hang_up_burst(app: &TestApp, cookie: &str, pass: u32, waits: Vec<Duration>) {
    let mut posts = tokio::task::JoinSet::new();
    for (n, after) in waits.into_iter().enumerate() {
        if posts.len() >= 4 {
            posts.join_next().await.unwrap().unwrap();
        }
        let (base, cookie) = (app.base.clone(), cookie.to_string());
        posts.spawn(async move {
            let name = format!("Hang-up partner {pass}-{n}-{}", after.as_micros());
            post_and_hang_up(
                &base,
                "/api/fund/add_partner",
                Some(&cookie),
                &[("name", name.as_str())],
                after,
            )
            .await;
        });
    }
    while let Some(done) = posts.join_next().await {
        done.unwrap();
    }
    let partners =
        "SELECT CAST(COUNT(*) AS BIGINT) FROM partners WHERE name LIKE 'Hang-up partner %'";
    eventually("the posts settle", async || {
        let before = committed(app, partners).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        before == committed(app, partners).await
    })
    .await;
    // A connection cancelled during BEGIN goes back to the pool inside a transaction and stays
    // so until a later transaction happens to run on it: look after every burst.
    if app.database_url.starts_with("postgres") {
        eventually(
            "no pooled connection is left idle inside a transaction",
            async || {
                committed(
                    app,
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_stat_activity
                     WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
                )
                .await
                    == 0
            },
        )
        .await;
    }
}

/// How long after writing its post each committed partner of `pass` closed its connection.
async fn committed_waits(app: &TestApp, pass: u32) -> Vec<Duration> {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
        .await
        .unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM partners WHERE name LIKE $1")
        .bind(format!("Hang-up partner {pass}-%"))
        .fetch_all(&mut conn)
        .await
        .unwrap();
    names
        .iter()
        .filter_map(|name| name.rsplit('-').next()?.parse().ok())
        .map(Duration::from_micros)
        .collect()
}

both_backends!(
    writes_commit_after_clients_hang_up_mid_request,
    async |app: &TestApp| {
        let cookie = app
            .session_cookie("hang-up-commissioner@example.org", &[Role::Commissioner])
            .await;
        // How long one post takes here, end to end (these five are ordinary, read answers).
        let commissioner = new_client();
        app.sign_in(
            &commissioner,
            "hang-up-commissioner@example.org",
            TEST_PASSWORD,
        )
        .await;
        let mut longest = Duration::ZERO;
        for n in 0..5 {
            let started = Instant::now();
            let name = format!("Timing partner {n}");
            let posted = app
                .post_js(&commissioner, "/api/fund/add_partner", &[("name", &name)])
                .await;
            assert!(posted.status < 400, "{} {}", posted.status, posted.body);
            longest = longest.max(started.elapsed());
        }
        // Posts 4 at a time, each connection closed a while after its post was written: some
        // while the request checks the session, some while BEGIN is on the wire, some after
        // the commit. First 200 spread over twice that time; then four times 150 spread around
        // the shortest wait after which a post was still committed (BEGIN is just before it).
        let spread =
            |n: u32, of: u32, from: Duration, span: Duration| from + span * ((n * 7919) % of) / of;
        let first = (0..200).map(|n| spread(n, 200, Duration::ZERO, longest * 2));
        hang_up_burst(app, &cookie, 1, first.collect()).await;
        let shortest = committed_waits(app, 1).await.into_iter().min();
        let around = shortest.unwrap_or(longest * 2).saturating_sub(longest / 2);
        for pass in 2..6 {
            let waits = (0..150).map(|n| spread(n, 150, around, longest));
            hang_up_burst(app, &cookie, pass, waits.collect()).await;
        }
        // Every post whose request reached the server runs to its end: each partner that was
        // added has its audit entry, and vice versa.
        let partners =
            "SELECT CAST(COUNT(*) AS BIGINT) FROM partners WHERE name LIKE 'Hang-up partner %'";
        let audited = "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'partner.added' AND summary LIKE 'Partner added: Hang-up partner %'";
        assert_eq!(
            committed(app, partners).await,
            committed(app, audited).await
        );
        // And the pool's connections are all sound: 20 more partners, each one committed.
        for n in 0..20 {
            let name = format!("After the hang-ups {n}");
            let posted = app
                .post_js(&commissioner, "/api/fund/add_partner", &[("name", &name)])
                .await;
            assert!(posted.status < 400, "{} {}", posted.status, posted.body);
        }
        assert_eq!(
            committed(
                app,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM partners WHERE name LIKE 'After the hang-ups %'"
            )
            .await,
            20,
            "every partner added after the hang-ups is committed"
        );
    }
);
