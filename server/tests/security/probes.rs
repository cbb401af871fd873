//! The probes that found issue 18's defects, kept so that they stay fixed.
use crate::common::*;

crate::both_backends!(sign_in_goes_only_to_this_site, async |app: &TestApp| {
    app.registered_user("Jo", "jo@example.org", TEST_PASSWORD)
        .await;
    for (next, expected) in [
        ("/\t/evil.example", "/bids"),
        ("/\r\nSet-Cookie: a=b", "/bids"),
        ("/\\evil.example", "/bids"),
        ("//evil.example", "/bids"),
        ("/organisations", "/organisations"),
    ] {
        let client = new_client();
        let res = app
            .post_form(
                &client,
                "/api/account/sign_in",
                "/account/sign-in",
                &[
                    ("email", "jo@example.org"),
                    ("password", TEST_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(res.status, 302, "{next:?}: {}", res.body);
        assert_eq!(res.location.as_deref(), Some(expected), "{next:?}");
    }
});

crate::both_backends!(
    the_lay_evaluator_is_sent_only_what_their_page_shows,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let carer = crate::schemes::client_for(app, "carer@seedbed.test").await;
        let bid: i64 = sqlx::query_scalar(
            "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id WHERE o.name = 'Happy Feet Chiropody CIC'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let b = bid.to_string();
        let path = format!("/assess/bids/{bid}");
        let res = app
            .post_form(
                &carer,
                "/api/assessment/declare",
                &path,
                &[("bid_id", &b), ("conflict", "none")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(path.as_str()), "{}", res.body);
        let res = app
            .post_js(&carer, "/api/assessment/bid", &[("bid_id", &b)])
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let org: (String, String, String) = {
            let row = sqlx::query(
                "SELECT COALESCE(company_number, '') AS c, contact_email, address_line_1 FROM organisations WHERE name = 'Happy Feet Chiropody CIC'",
            )
            .fetch_one(&app.pool)
            .await
            .unwrap();
            use sqlx::Row;
            (
                row.get("c"),
                row.get("contact_email"),
                row.get("address_line_1"),
            )
        };
        for secret in [&org.0, &org.1, &org.2] {
            assert!(
                secret.is_empty() || !res.body.contains(secret.as_str()),
                "the lay evaluator is sent {secret}"
            );
        }
        assert!(!res.body.contains("requested"), "{}", res.body);
    }
);

crate::both_backends!(input_that_does_not_fit_is_a_400, async |app: &TestApp| {
    server::cli::demo::load(&app.pool).await.unwrap();
    let admin = crate::schemes::client_for(app, "admin@seedbed.test").await;
    for (client, path) in [
        (&new_client(), "/awards?page=9223372036854775807"),
        (&new_client(), "/awards?page=-9223372036854775808"),
        (&admin, "/admin/users?page=9223372036854775807"),
    ] {
        let (status, _, _) = app.get(client, path).await;
        assert_eq!(status, 200, "{path}");
    }
    // A 28-digit amount in an award: a message by the field, not a panic.
    let commissioner = crate::schemes::client_for(app, "commissioner@seedbed.test").await;
    let (round, bid): (i64, i64) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT b.round_id, b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id WHERE o.name = 'Happy Feet Chiropody CIC'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        (row.get("round_id"), row.get("id"))
    };
    let res = app
        .post_js(
            &commissioner,
            "/api/decisions/decide",
            &[
                ("round_id", &round.to_string()),
                ("bid_id", &bid.to_string()),
                ("outcome", "award"),
                ("amount", "9999999999999999999999999999"),
                ("conditions", ""),
                ("feedback", ""),
                ("returns_every", "3"),
            ],
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert!(res.body.contains("amount"), "{}", res.body);
    // A form of 3 MB, and one that is not UTF-8: 400 with a message, for a browser and code.
    let huge = "x".repeat(3 * 1024 * 1024);
    let res = app
        .post_form(
            &commissioner,
            "/api/gaps/save",
            "/fund/gaps/new",
            &[("title", huge.as_str())],
        )
        .await;
    assert_eq!(res.status, 400);
    assert!(
        res.body.contains("too large"),
        "{}",
        &res.body[..300.min(res.body.len())]
    );
    let res = commissioner
        .post(app.url("/api/gaps/save"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(b"title=\xff\xfe&need=x".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let res = commissioner
        .post(app.url("/api/gaps/save"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("title=%FF%FE&need=x")
        .send()
        .await
        .unwrap();
    assert!(res.status().as_u16() < 500, "{}", res.status());
});

crate::both_backends!(
    hidden_characters_are_refused_in_names,
    async |app: &TestApp| {
        let client = app.signed_in_as("owner@example.org", &[]).await;
        for name in ["Happy\u{0}Feet", "Happy \u{202e}teeF yppaH"] {
            let mut form = crate::bids::cic(name, "owner@example.org");
            form.retain(|(k, _)| *k != "name");
            form.push(("name", name));
            let res = app
                .post_js(&client, "/api/organisations/register", &form)
                .await;
            assert_eq!(res.status, 400, "{name:?}: {}", res.body);
            assert!(
                res.body.contains("hidden control characters"),
                "{}",
                res.body
            );
        }
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations")
                .await,
            0
        );
    }
);

crate::both_backends!(
    every_answer_carries_the_security_headers,
    async |app: &TestApp| {
        let signed_in = app.signed_in_as("jo@example.org", &[]).await;
        for (client, path) in [
            (new_client(), "/"),
            (new_client(), "/awards.csv"),
            (new_client(), "/open-data/360giving.json"),
            (signed_in.clone(), "/account"),
            (new_client(), "/no-such-page"),
        ] {
            let res = client.get(app.url(path)).send().await.unwrap();
            let h = res.headers().clone();
            let get = |name: &str| {
                h.get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            let csp = get("content-security-policy");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
            assert_eq!(get("x-frame-options"), "DENY", "{path}");
            assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
            assert_eq!(get("referrer-policy"), "same-origin", "{path}");
            assert_eq!(get("cross-origin-opener-policy"), "same-origin", "{path}");
            assert!(get("permissions-policy").contains("camera=()"), "{path}");
            assert!(get("strict-transport-security").is_empty(), "http: no HSTS");
            if path == "/account" {
                assert!(get("cache-control").contains("no-store"), "{path}");
            }
            if path == "/" {
                // The inline loader carries this response's nonce, and no inline script lacks it.
                let nonce = csp
                    .split("'nonce-")
                    .nth(1)
                    .and_then(|r| r.split('\'').next())
                    .unwrap()
                    .to_string();
                let page = res.text().await.unwrap();
                let tags: Vec<&str> = page
                    .split("<script")
                    .skip(1)
                    .map(|t| t.split('>').next().unwrap_or_default())
                    .collect();
                assert!(!tags.is_empty(), "{page}");
                for tag in tags {
                    assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
                }
            }
        }
        // Each response has a fresh nonce.
        let a = new_client().get(app.url("/")).send().await.unwrap();
        let b = new_client().get(app.url("/")).send().await.unwrap();
        assert_ne!(
            a.headers()["content-security-policy"],
            b.headers()["content-security-policy"]
        );
    }
);

crate::both_backends!(
    no_one_acts_for_their_own_organisation,
    async |app: &TestApp| {
        use sqlx::Row;
        let (scheme_id, commissioner, applicant) = crate::schemes::awarded_scheme(app).await;
        let row = sqlx::query(
            "SELECT s.organisation_id, s.bid_id, s.round_id FROM schemes s WHERE s.id = $1",
        )
        .bind(scheme_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let (org, bid, round): (i64, i64, i64) = (
            row.get("organisation_id"),
            row.get("bid_id"),
            row.get("round_id"),
        );
        let user = |email: &'static str| async move {
            app::db::users::by_email(&app.pool, email)
                .await
                .unwrap()
                .unwrap()
                .id
        };
        let chris = user("commissioner@seedbed.test").await;
        let imani = user(server::cli::demo::PAYER_EMAIL).await;
        // Chris joins Happy Feet (invited by its owner); Imani declares a conflict with its bid.
        sqlx::query(
        "INSERT INTO memberships (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'member', '2026-01-01T00:00:00Z')",
    )
    .bind(org)
    .bind(chris)
    .execute(&app.pool)
    .await
    .unwrap();
        sqlx::query(
        "INSERT INTO declarations (bid_id, user_id, conflict, nature, description, reason, declared_at) VALUES ($1, $2, 1, 'trustee', 'Trustee', '', '2026-01-01T00:00:00Z')",
    )
    .bind(bid)
    .bind(imani)
    .execute(&app.pool)
    .await
    .unwrap();
        app::db::epoch::advance(&app.pool).await.unwrap();
        let s = scheme_id.to_string();
        let accepted = app
            .post_form(
                &applicant,
                "/api/schemes/accept",
                &format!("/schemes/{s}"),
                &[("scheme_id", &s), ("confirm", "confirm")],
            )
            .await;
        assert!(accepted.status < 400, "{}", accepted.body);
        let first: i64 =
            sqlx::query("SELECT id FROM tranches WHERE scheme_id = $1 ORDER BY position LIMIT 1")
                .bind(scheme_id)
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .get("id");
        let t = first.to_string();
        // Chris, now a member, sends the evidence (as a member may) but cannot approve it.
        let res = app
            .post_form(
                &commissioner,
                "/api/schemes/evidence",
                &format!("/schemes/{s}/tranches/{t}"),
                &[
                    ("scheme_id", &s),
                    ("tranche_id", &t),
                    ("evidence", "Clinic open"),
                ],
            )
            .await;
        assert_eq!(res.status, 302, "{}", res.body);
        let res = app
            .post_js(
                &commissioner,
                "/api/schemes/review_tranche",
                &[
                    ("scheme_id", &s),
                    ("tranche_id", &t),
                    ("decision", "approve"),
                    ("note", ""),
                ],
            )
            .await;
        assert!(res.status >= 400, "{}", res.body);
        assert!(
            res.body
                .contains("You are a member of Happy Feet Chiropody CIC"),
            "{}",
            res.body
        );
        // Imani, with a declared conflict, cannot approve it either, nor decide on its bid.
        let imani_client = crate::schemes::client_for(app, server::cli::demo::PAYER_EMAIL).await;
        let res = app
            .post_js(
                &imani_client,
                "/api/schemes/review_tranche",
                &[
                    ("scheme_id", &s),
                    ("tranche_id", &t),
                    ("decision", "approve"),
                    ("note", ""),
                ],
            )
            .await;
        assert!(
            res.body.contains("declared a conflict of interest"),
            "{}",
            res.body
        );
        let other: i64 = sqlx::query(
        "SELECT id FROM bids WHERE round_id = $1 AND id <> $2 AND status = 'under_assessment' LIMIT 1",
    )
    .bind(round)
    .bind(bid)
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id");
        let other_org: i64 = sqlx::query("SELECT organisation_id FROM bids WHERE id = $1")
            .bind(other)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("organisation_id");
        sqlx::query(
        "INSERT INTO memberships (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'member', '2026-01-01T00:00:00Z')",
    )
    .bind(other_org)
    .bind(chris)
    .execute(&app.pool)
    .await
    .unwrap();
        let res = app
            .post_js(
                &commissioner,
                "/api/decisions/decide",
                &[
                    ("round_id", &round.to_string()),
                    ("bid_id", &other.to_string()),
                    ("outcome", "decline"),
                    ("amount", ""),
                    ("conditions", ""),
                    ("feedback", "Not this time"),
                    ("returns_every", "3"),
                ],
            )
            .await;
        assert!(res.body.contains("You are a member of"), "{}", res.body);
        let status: String = sqlx::query("SELECT status FROM tranches WHERE id = $1")
            .bind(first)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("status");
        assert_eq!(status, "evidence_submitted");
    }
);

async fn sign_in_status(
    app: &TestApp,
    client: &reqwest::Client,
    password: &str,
    forwarded_for: Option<&str>,
) -> String {
    let mut request = client
        .post(app.url("/api/account/sign_in"))
        .header("Accept", "application/json")
        .form(&[("email", "chris@example.org"), ("password", password)]);
    if let Some(f) = forwarded_for {
        request = request.header("X-Forwarded-For", f);
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    if body.contains("too many attempts") {
        "waits".into()
    } else if status < 400 {
        "signed in".into()
    } else {
        "wrong".into()
    }
}

crate::both_backends!(
    failures_from_elsewhere_do_not_lock_the_owner_out,
    async |app: &TestApp| {
        app.registered_user("Chris", "chris@example.org", TEST_PASSWORD)
            .await;
        // Someone on another network guesses: after five failures they must wait.
        let attacker = client_from("127.0.0.2");
        for _ in 0..5 {
            assert_eq!(sign_in_status(app, &attacker, "guess", None).await, "wrong");
        }
        assert_eq!(sign_in_status(app, &attacker, "guess", None).await, "waits");
        assert_eq!(
            sign_in_status(app, &attacker, TEST_PASSWORD, None).await,
            "waits",
            "even the right password waits, from the guessing address"
        );
        // The owner, from their own address, signs in as usual.
        assert_eq!(
            sign_in_status(app, &client_from("127.0.0.1"), TEST_PASSWORD, None).await,
            "signed in"
        );
        // Behind the trusted proxy, each forwarded client is throttled apart.
        let proxy = client_from(TEST_PROXY);
        for _ in 0..5 {
            assert_eq!(
                sign_in_status(app, &proxy, "guess", Some("203.0.113.9")).await,
                "wrong"
            );
        }
        assert_eq!(
            sign_in_status(app, &proxy, "guess", Some("203.0.113.9")).await,
            "waits"
        );
        assert_eq!(
            sign_in_status(app, &proxy, TEST_PASSWORD, Some("198.51.100.20")).await,
            "signed in",
            "another client behind the same proxy is not held up"
        );
        // A client that is not the proxy cannot choose its address with the header.
        assert_eq!(
            sign_in_status(app, &attacker, TEST_PASSWORD, Some("198.51.100.21")).await,
            "waits"
        );
    }
);

crate::both_backends!(
    the_portal_cannot_be_made_to_flood_an_inbox,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", TEST_PASSWORD)
            .await;
        let mails_to = |to: &str| app.mails().iter().filter(|m| m.to == to).count();
        let before = mails_to("jo@example.org");
        for _ in 0..8 {
            let res = app
                .post_form(
                    &new_client(),
                    "/api/account/forgot_password",
                    "/account/forgot-password",
                    &[("email", "jo@example.org")],
                )
                .await;
            assert_eq!(
                res.location.as_deref(),
                Some("/account/forgot-password/sent"),
                "the same answer every time"
            );
        }
        assert_eq!(
            mails_to("jo@example.org") - before,
            3,
            "three links an hour"
        );

        // Registrations from one address: five an hour, then a clear refusal.
        let register = |n: usize| {
            let email = format!("new{n}@example.org");
            async move {
                app.post_js(
                    &client_from("127.0.0.6"),
                    "/api/account/register",
                    &[
                        ("full_name", "New Person"),
                        ("email", email.as_str()),
                        ("password", TEST_PASSWORD),
                        ("confirm_password", TEST_PASSWORD),
                    ],
                )
                .await
            }
        };
        let mut refused = 0;
        for n in 0..10 {
            let res = register(n).await;
            if res.status == 429 {
                refused += 1;
                assert!(res.body.contains("too many registrations"), "{}", res.body);
            }
        }
        assert_eq!(refused, 5);

        // An unconfirmed account signing in again and again gets a few new links, not one each time.
        app.post_js(
            &client_from("127.0.0.4"),
            "/api/account/register",
            &[
                ("full_name", "Una Confirmed"),
                ("email", "una@example.org"),
                ("password", TEST_PASSWORD),
                ("confirm_password", TEST_PASSWORD),
            ],
        )
        .await;
        for _ in 0..6 {
            app.post_js(
                &client_from("127.0.0.4"),
                "/api/account/sign_in",
                &[("email", "una@example.org"), ("password", TEST_PASSWORD)],
            )
            .await;
        }
        assert_eq!(mails_to("una@example.org"), 4, "the first and three more");

        // Nothing is sent inside the request: it waits in the outbox until it is sent.
        let waiting: i64 = app
            .count("SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE sent_at IS NULL")
            .await;
        assert_eq!(
            waiting, 0,
            "everything sent by the time the test reads the mailer"
        );
        let total: i64 = app
            .count("SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox")
            .await;
        assert_eq!(
            total as usize,
            app.mails().len(),
            "all mail went through the outbox"
        );
    }
);

crate::both_backends!(
    registering_a_taken_address_looks_the_same_and_tells_its_owner,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", TEST_PASSWORD)
            .await;
        let attempt = |email: &'static str| async move {
            let client = client_from("127.0.0.5");
            let res = app
                .post_form(
                    &client,
                    "/api/account/register",
                    "/account/register",
                    &[
                        ("full_name", "Someone"),
                        ("email", email),
                        ("password", TEST_PASSWORD),
                        ("confirm_password", TEST_PASSWORD),
                    ],
                )
                .await;
            let (_, page, _) = app.get(&client, "/account/check-email").await;
            // Each page has its own script nonce; the rest must be the same.
            let page = page.replace(email, "EMAIL");
            let nonce = page
                .split("nonce=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
                .to_string();
            (res.status, res.location, page.replace(&nonce, "NONCE"))
        };
        let taken = attempt("jo@example.org").await;
        let fresh = attempt("someone-new@example.org").await;
        assert_eq!(
            taken, fresh,
            "the same answer for a taken and a free address"
        );
        let mail = app.last_mail_to("jo@example.org");
        assert_eq!(mail.subject, "You already have a Seedbed account");
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE email = 'jo@example.org'")
                .await,
            1
        );
    }
);

/// A client that sends half its headers, or half its body, and then nothing, is cut off
/// after the time limit instead of holding a connection (and a task) open for ever.
#[tokio::test]
async fn slow_clients_are_cut_off() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let router = axum::Router::new().route(
        "/",
        axum::routing::post(|body: String| async move { body.len().to_string() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limit = Duration::from_secs(1);
    tokio::spawn(server::serve_with(
        router,
        listener,
        server::Timeouts {
            header_read: limit,
            body_idle: limit,
        },
    ));
    // What the server says before it closes the connection, read until it does.
    async fn answer(tcp: &mut tokio::net::TcpStream) -> Option<String> {
        let mut all = Vec::new();
        let mut buf = [0u8; 1024];
        let read = tokio::time::timeout(Duration::from_secs(8), async {
            loop {
                match tcp.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => all.extend_from_slice(&buf[..n]),
                }
            }
        })
        .await;
        read.ok()
            .map(|_| String::from_utf8_lossy(&all).into_owned())
    }

    let started = Instant::now();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"POST / HTTP/1.1\r\nHost: seedbed\r\nContent-Le")
        .await
        .unwrap();
    let said = answer(&mut tcp).await;
    assert!(
        said.is_some(),
        "half-sent headers were still held after 8 s"
    );
    assert!(started.elapsed() < Duration::from_secs(8));

    let started = Instant::now();
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"POST / HTTP/1.1\r\nHost: seedbed\r\nContent-Length: 100\r\n\r\nonly ten b")
        .await
        .unwrap();
    let said = answer(&mut tcp)
        .await
        .expect("a half-sent body was still held after 8 s");
    assert!(started.elapsed() < Duration::from_secs(8));
    assert!(
        said.is_empty() || said.starts_with("HTTP/1.1 4"),
        "a half-sent body is refused, not handled: {said}"
    );

    // A client that sends its request whole is answered as ever.
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(
        b"POST / HTTP/1.1\r\nHost: seedbed\r\nContent-Length: 4\r\nConnection: close\r\n\r\nfour",
    )
    .await
    .unwrap();
    let said = answer(&mut tcp).await.unwrap();
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");
    assert!(said.ends_with('4'), "{said}");
}
