//! Sessions end on the server (sign-out, expiry), sign-in throttling holds under a burst of
//! 200 attempts at once, and emailed tokens are stored only as hashes.
use crate::both_backends;
use crate::common::*;
use sqlx::Row;

const PASSWORD: &str = TEST_PASSWORD;

/// Sign in without a cookie jar: the session cookie (`name=value`) the server set.
async fn session_cookie(app: &TestApp, email: &str) -> String {
    let raw = crate::common::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = raw
        .post(app.url("/api/account/sign_in"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/account/sign-in"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// The account page with only this cookie: 200 when signed in, else where it redirects.
async fn account_with(app: &TestApp, cookie: &str) -> (u16, String) {
    let res = crate::common::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/account"))
        .header("Accept", "text/html")
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location)
}

both_backends!(sessions_end_on_the_server, async |app: &TestApp| {
    app.registered_user("Jo", "jo@example.org", PASSWORD).await;
    let cookie = session_cookie(app, "jo@example.org").await;
    assert_eq!(account_with(app, &cookie).await.0, 200);

    // Signing out ends the session on the server: the old cookie, replayed, is refused.
    let res = crate::common::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/api/account/sign_out"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/account"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    let (status, location) = account_with(app, &cookie).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("/account/sign-in"), "{location}");

    // An expired session is refused even with its cookie.
    let cookie = session_cookie(app, "jo@example.org").await;
    assert_eq!(account_with(app, &cookie).await.0, 200);
    let expire = if app.database_url.starts_with("postgres") {
        "UPDATE tower_sessions.session SET expiry_date = expiry_date - INTERVAL '30 days'"
    } else {
        "UPDATE tower_sessions SET expiry_date = expiry_date - 2592000"
    };
    let changed = sqlx::query(expire)
        .execute(&app.pool)
        .await
        .unwrap()
        .rows_affected();
    assert!(changed >= 1);
    let (status, location) = account_with(app, &cookie).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("/account/sign-in"), "{location}");
});

/// The stored expiry of the session behind `cookie` (`name=id`), as the store wrote it (text
/// with sub-second digits on both backends: any write changes it).
async fn session_expiry(app: &TestApp, cookie: &str) -> String {
    let id = cookie.split_once('=').unwrap().1;
    let sql = if app.database_url.starts_with("postgres") {
        "SELECT CAST(expiry_date AS TEXT) FROM tower_sessions.session WHERE id = $1"
    } else {
        "SELECT CAST(expiry_date AS TEXT) FROM tower_sessions WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get::<String, _>(0)
}

both_backends!(
    page_views_do_not_write_the_session_each_time,
    async |app: &TestApp| {
        // A session is written back (moving its two-hour expiry on) by sign-in and by
        // changes; page views alone write it at most every five minutes (auth::keep_alive),
        // so a signed-in GET is not a database write.
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        let cookie = session_cookie(app, "jo@example.org").await;
        let signed_in = session_expiry(app, &cookie).await;
        for _ in 0..3 {
            assert_eq!(account_with(app, &cookie).await.0, 200);
        }
        let res = reqwest::Client::new()
            .get(app.url("/organisations/new"))
            .header("Accept", "text/html")
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.text().await.unwrap().contains("Organisation name"));
        assert_eq!(
            session_expiry(app, &cookie).await,
            signed_in,
            "a page view wrote the session"
        );

        // A change does write it (here a form refused, its typed values kept), with a
        // later expiry.
        let res = crate::common::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.url("/api/organisations/register"))
            .header("Accept", "text/html")
            .header("Referer", app.url("/organisations/new"))
            .header("Cookie", &cookie)
            .form(&[("name", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 302);
        let after = session_expiry(app, &cookie).await;
        assert!(after > signed_in, "expiry {signed_in} -> {after}");
    }
);

both_backends!(
    sign_in_throttling_holds_under_200_attempts_at_once,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        let attempts = (0..200).map(|n| {
            let client = new_client();
            let url = app.url("/api/account/sign_in");
            async move {
                let res = client
                    .post(url)
                    .header("Accept", "application/json")
                    .form(&[
                        ("email", "jo@example.org"),
                        ("password", format!("guess number {n}").as_str()),
                    ])
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                (status, res.text().await.unwrap())
            }
        });
        let results = futures_util::future::join_all(attempts).await;
        let checked = results
            .iter()
            .filter(|(_, body)| body.contains("Enter a correct email address and password"))
            .count();
        let refused = results
            .iter()
            .filter(|(_, body)| body.contains("too many attempts to sign in"))
            .count();
        assert_eq!(checked + refused, 200, "{:?}", results.first());
        assert!(
            checked <= 5,
            "at most five passwords checked, not {checked}"
        );
        assert!(results
            .iter()
            .filter(|(_, body)| body.contains("too many attempts"))
            .all(|(status, _)| *status == 429));
        // Attempts refused during the wait do not count as failures, so fewer than five may
        // have been checked in the crowd; guessing on one at a time, the sixth is refused.
        let client = new_client();
        for n in checked..5 {
            let res = app
                .sign_in(&client, "jo@example.org", &format!("one more guess {n}"))
                .await;
            assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
            let (_, page, _) = app.get(&client, "/account/sign-in").await;
            assert!(page.contains("Enter a correct email address and password"));
        }
        // Now it waits: even the right password is refused for now.
        let res = app.sign_in(&client, "jo@example.org", PASSWORD).await;
        assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
        let (_, page, _) = app.get(&client, "/account/sign-in").await;
        assert!(page.contains("There have been too many attempts to sign in"));
        let signed_in = app
            .count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'account.signed_in'",
            )
            .await;
        assert_eq!(signed_in, 0);
    }
);

both_backends!(
    emailed_tokens_are_stored_only_as_hashes,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        let client = new_client();
        let res = app
            .post_form(
                &client,
                "/api/account/forgot_password",
                "/account/forgot-password",
                &[("email", "jo@example.org")],
            )
            .await;
        assert_eq!(res.status, 302, "{}", res.body);
        let token = app.token_in_last_mail("jo@example.org");
        let stored: Vec<String> = sqlx::query("SELECT token_hash FROM email_tokens")
            .fetch_all(&app.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("token_hash"))
            .collect();
        assert!(!stored.is_empty());
        assert!(
            stored.iter().all(|h| !h.contains(&token)),
            "never the token itself"
        );
        use sha2::Digest;
        let digest = hex::encode(sha2::Sha256::digest(token.as_bytes()));
        assert!(stored.contains(&digest), "its SHA-256");
    }
);
mod hostile;
mod matrix;
mod probes;
