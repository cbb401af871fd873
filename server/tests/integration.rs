#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test
//! The HTTP integration suite: every test runs on SQLite and on PostgreSQL.
mod assessment;
mod backup;
mod bids;
mod board;
mod common;
mod fault;
mod fund;
mod instances;
mod interviews;
mod measures;
mod opendata;
mod organisations;
mod outcomes;
mod payments;
mod registers;
mod reports;
mod rounds;
mod scale;
mod scheme_changes;
mod schemes;
mod security;
mod variations;
mod years;
use common::*;
use sqlx::Row;

const PASSWORD: &str = TEST_PASSWORD;

both_backends!(register_verify_sign_in_sign_out, async |app: &TestApp| {
    let client = new_client();
    let res = app
        .post_form(
            &client,
            "/api/account/register",
            "/account/register",
            &[
                ("full_name", "Jo Bloggs"),
                ("email", "Jo@Example.org"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 302);
    assert_eq!(res.location.as_deref(), Some("/account/check-email"));
    let (_, page, _) = app.get(&client, "/account/check-email").await;
    assert!(
        page.contains("jo@example.org"),
        "check-email page names the address"
    );

    // The verification mail is in the outbox, with a single-use link.
    let mail = app.last_mail_to("jo@example.org");
    assert!(mail.subject.contains("Confirm your email address"));
    let token = app.token_in_last_mail("jo@example.org");

    // Unconfirmed accounts cannot sign in yet.
    let res = app.sign_in(&client, "jo@example.org", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
    let (_, page, _) = app.get(&client, "/account/sign-in").await;
    assert!(page.contains("You need to confirm your email address"));
    // Signing in unconfirmed sent a fresh link and retired the first one.
    let fresh = app.token_in_last_mail("jo@example.org");
    assert_ne!(fresh, token);
    let token = fresh;

    let (status, page, _) = app
        .get(&client, &format!("/account/verify?token={token}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm email address"));
    let res = app
        .post_form(
            &client,
            "/api/account/verify",
            "/account/verify",
            &[("token", &token)],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
    let (_, page, _) = app.get(&client, "/account/sign-in").await;
    assert!(page.contains("Your email address is confirmed"));

    // The link works once only.
    let (_, page, _) = app
        .get(&client, &format!("/account/verify?token={token}"))
        .await;
    assert!(page.contains("This link has expired"));

    let res = app.sign_in(&client, "jo@example.org", PASSWORD).await;
    // Someone with no role lands on "Your bids", which says what to do next.
    assert_eq!(res.location.as_deref(), Some("/bids"), "{}", res.body);
    let (_, page, _) = app.get(&client, "/bids").await;
    assert!(
        page.contains("Register your organisation")
            && page.contains("Open and upcoming funding rounds"),
        "{page}"
    );
    let (status, page, _) = app.get(&client, "/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("Jo Bloggs"));
    assert!(page.contains("Sign out"));

    let res = app
        .post_form(&client, "/api/account/sign_out", "/account", &[])
        .await;
    assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
    let (status, _, location) = app.get(&client, "/account").await;
    assert_eq!(status, 302);
    assert!(location.unwrap_or_default().starts_with("/account/sign-in"));

    // Sign-in, sign-out and registration are audited.
    let actions: Vec<String> = sqlx::query("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("action"))
        .collect();
    for expected in [
        "account.registered",
        "account.verified",
        "account.signed_in",
        "account.signed_out",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
});

both_backends!(
    registration_errors_keep_what_was_typed,
    async |app: &TestApp| {
        let client = new_client();
        let res = app
            .post_form(
                &client,
                "/api/account/register",
                "/account/register",
                &[
                    ("full_name", "Sam <b>Smith</b>"),
                    ("email", "not-an-email"),
                    ("password", "short"),
                    ("confirm_password", "short"),
                ],
            )
            .await;
        assert_eq!(res.status, 302);
        assert_eq!(res.location.as_deref(), Some("/account/register"));
        let (_, page, _) = app.get(&client, "/account/register").await;
        assert!(page.contains("<title>Error: Create a Seedbed account"));
        assert!(page.contains("There is a problem"));
        assert!(
            page.contains("Enter an email address in the correct format, like name@example.com")
        );
        assert!(page.contains("Password must be 12 characters or more"));
        assert!(
            page.contains("href=\"#email\""),
            "summary links to the field"
        );
        assert!(page.contains("aria-describedby=\"email-hint email-error\""));
        // Typed values come back (escaped), the password never does.
        assert!(
            page.contains("value=\"Sam &lt;b&gt;Smith&lt;/b&gt;\""),
            "name kept and escaped"
        );
        assert!(page.contains("value=\"not-an-email\""));
        assert!(!page.contains("value=\"short\""));
        // Shown once: a fresh visit is clean.
        let (_, page, _) = app.get(&client, "/account/register").await;
        assert!(!page.contains("There is a problem"));

        // Common passwords and mismatches are refused.
        app.post_form(
            &client,
            "/api/account/register",
            "/account/register",
            &[
                ("full_name", "Sam"),
                ("email", "sam@example.org"),
                ("password", "password1234"),
                ("confirm_password", "password1234"),
            ],
        )
        .await;
        let (_, page, _) = app.get(&client, "/account/register").await;
        assert!(page.contains("This password is too common"));
        app.post_form(
            &client,
            "/api/account/register",
            "/account/register",
            &[
                ("full_name", "Sam"),
                ("email", "sam@example.org"),
                ("password", PASSWORD),
                ("confirm_password", "something else entirely"),
            ],
        )
        .await;
        let (_, page, _) = app.get(&client, "/account/register").await;
        assert!(page.contains("Passwords must match"));

        // With JavaScript the same errors come back as data, and nothing is stored for the page.
        let res = app
            .post_js(
                &client,
                "/api/account/register",
                &[
                    ("full_name", ""),
                    ("email", "x@example.org"),
                    ("password", PASSWORD),
                    ("confirm_password", PASSWORD),
                ],
            )
            .await;
        assert!(res.body.contains("Enter your full name"), "{}", res.body);

        // A second account with the same email is not made; the page does not say the
        // address is taken (that would tell anyone who has an account): its owner is emailed.
        app.registered_user("Sam", "sam@example.org", PASSWORD)
            .await;
        let taken = app
            .post_form(
                &client,
                "/api/account/register",
                "/account/register",
                &[
                    ("full_name", "Sam Again"),
                    ("email", "SAM@example.org"),
                    ("password", PASSWORD),
                    ("confirm_password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(taken.location.as_deref(), Some("/account/check-email"));
        let note = app.last_mail_to("sam@example.org");
        assert_eq!(note.subject, "You already have a Seedbed account");
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE LOWER(email) = 'sam@example.org'"
            )
            .await,
            1
        );
    }
);

both_backends!(
    wrong_password_and_unknown_email_get_the_same_answer,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        let client = new_client();
        let res = app
            .sign_in(&client, "jo@example.org", "wrong password here")
            .await;
        assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
        let (_, wrong, _) = app.get(&client, "/account/sign-in").await;
        let res = app
            .sign_in(&client, "nobody@example.org", "wrong password here")
            .await;
        assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
        let (_, unknown, _) = app.get(&client, "/account/sign-in").await;
        assert!(wrong.contains("Enter a correct email address and password"));
        assert!(unknown.contains("Enter a correct email address and password"));
        // The pages differ only in the email typed back.
        let main = |page: &str| {
            page[page.find("<main").unwrap()..page.find("</main>").unwrap()].to_string()
        };
        assert_eq!(
            main(&wrong).replace("jo@example.org", "X"),
            main(&unknown).replace("nobody@example.org", "X")
        );
        let (status, _, _) = app.get(&client, "/account").await;
        assert_eq!(status, 302, "still signed out");
    }
);

both_backends!(
    sign_in_is_rate_limited_per_account,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        let client = new_client();
        for _ in 0..5 {
            app.sign_in(&client, "jo@example.org", "not the password")
                .await;
        }
        // From the address that guessed, even the right password must wait (30 seconds
        // after five failures, doubling with each further one).
        app.sign_in(&client, "jo@example.org", PASSWORD).await;
        let (_, page, _) = app.get(&client, "/account/sign-in").await;
        assert!(
            page.contains("too many attempts to sign in. Wait 30 seconds, then try again"),
            "{page}"
        );
        let (status, _, _) = app.get(&client, "/account").await;
        assert_eq!(status, 302);
        // With JavaScript the refusal is a 429.
        let res = app
            .post_js(
                &client,
                "/api/account/sign_in",
                &[("email", "jo@example.org"), ("password", PASSWORD)],
            )
            .await;
        assert!(res.body.contains("too many attempts"), "{}", res.body);
    }
);

both_backends!(
    sign_in_is_rate_limited_per_address,
    async |app: &TestApp| {
        let client = new_client();
        for i in 0..20 {
            app.sign_in(
                &client,
                &format!("guess{i}@example.org"),
                "not the password",
            )
            .await;
        }
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        app.sign_in(&client, "jo@example.org", PASSWORD).await;
        let (_, page, _) = app.get(&client, "/account/sign-in").await;
        assert!(page.contains("too many attempts to sign in"));
    }
);

both_backends!(reset_a_forgotten_password, async |app: &TestApp| {
    app.registered_user("Jo", "jo@example.org", PASSWORD).await;
    let signed_in = new_client();
    assert_eq!(
        app.sign_in(&signed_in, "jo@example.org", PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/bids")
    );

    let client = new_client();
    let res = app
        .post_form(
            &client,
            "/api/account/forgot_password",
            "/account/forgot-password",
            &[("email", "jo@example.org")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/account/forgot-password/sent")
    );
    // Unknown addresses get the same page and no mail.
    let before = app.mails().len();
    let res = app
        .post_form(
            &client,
            "/api/account/forgot_password",
            "/account/forgot-password",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/account/forgot-password/sent")
    );
    assert_eq!(app.mails().len(), before);

    let token = app.token_in_last_mail("jo@example.org");
    let (_, page, _) = app
        .get(&client, &format!("/account/reset-password?token={token}"))
        .await;
    assert!(page.contains("Choose a new password"));
    let new_password = "lantern puddle carrot";
    let res = app
        .post_form(
            &client,
            "/api/account/reset_password",
            "/account/reset-password",
            &[
                ("token", &token),
                ("password", new_password),
                ("confirm_password", new_password),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
    assert!(app
        .last_mail_to("jo@example.org")
        .subject
        .contains("password has been changed"));

    // The old session is signed out; the old password fails; the new one works.
    let (status, _, _) = app.get(&signed_in, "/account").await;
    assert_eq!(status, 302, "other sessions end when the password changes");
    app.sign_in(&client, "jo@example.org", PASSWORD).await;
    let (_, page, _) = app.get(&client, "/account/sign-in").await;
    assert!(page.contains("Enter a correct email address and password"));
    assert_eq!(
        app.sign_in(&client, "jo@example.org", new_password)
            .await
            .location
            .as_deref(),
        Some("/bids")
    );

    // The link is single-use.
    let (_, page, _) = app
        .get(&client, &format!("/account/reset-password?token={token}"))
        .await;
    assert!(page.contains("This link has expired"));
    let other = new_client();
    app.post_form(
        &other,
        "/api/account/reset_password",
        "/account/reset-password",
        &[
            ("token", &token),
            ("password", "another good passphrase"),
            ("confirm_password", "another good passphrase"),
        ],
    )
    .await;
    assert_eq!(
        app.sign_in(&other, "jo@example.org", "another good passphrase")
            .await
            .location
            .as_deref(),
        Some("/account/sign-in")
    );
    let audited: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = 'account.password_reset'")
        .fetch_one(&app.pool).await.unwrap().get("n");
    assert_eq!(audited, 1);
});

both_backends!(expired_reset_links_are_refused, async |app: &TestApp| {
    app.registered_user("Jo", "jo@example.org", PASSWORD).await;
    let client = new_client();
    app.post_form(
        &client,
        "/api/account/forgot_password",
        "/account/forgot-password",
        &[("email", "jo@example.org")],
    )
    .await;
    let token = app.token_in_last_mail("jo@example.org");
    sqlx::query("UPDATE email_tokens SET expires_at = '2020-01-01T00:00:00.000000Z'")
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, page, _) = app
        .get(&client, &format!("/account/reset-password?token={token}"))
        .await;
    assert!(page.contains("This link has expired"));
    app.post_form(
        &client,
        "/api/account/reset_password",
        "/account/reset-password",
        &[
            ("token", &token),
            ("password", "lantern puddle carrot"),
            ("confirm_password", "lantern puddle carrot"),
        ],
    )
    .await;
    assert_eq!(
        app.sign_in(&client, "jo@example.org", "lantern puddle carrot")
            .await
            .location
            .as_deref(),
        Some("/account/sign-in")
    );
});

both_backends!(admin_grants_and_removes_roles, async |app: &TestApp| {
    server::cli::demo::load(&app.pool).await.unwrap();
    app.registered_user("Cora Kemp", "cora@example.org", PASSWORD)
        .await;
    let cora_id: i64 = sqlx::query("SELECT id FROM users WHERE email = 'cora@example.org'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");

    let admin = new_client();
    assert_eq!(
        app.sign_in(
            &admin,
            "admin@seedbed.test",
            server::cli::demo::DEMO_PASSWORD
        )
        .await
        .location
        .as_deref(),
        Some("/admin/users")
    );
    let (status, page, _) = app.get(&admin, "/admin/users?q=cora").await;
    assert_eq!(status, 200);
    assert!(page.contains("Cora Kemp"));
    assert!(page.contains("1 user"));

    let id = cora_id.to_string();
    let page_path = format!("/admin/users/{id}");
    // A board member represents someone: without it, nothing changes and the admin is told.
    app.post_form(
        &admin,
        "/api/admin/set_roles",
        &page_path,
        &[("user_id", &id), ("board_member", "board_member")],
    )
    .await;
    let (_, page, _) = app.get(&admin, &page_path).await;
    assert!(
        page.contains("Select who this board member represents"),
        "{page}"
    );
    assert!(app::db::users::roles(&app.pool, cora_id)
        .await
        .unwrap()
        .is_empty());
    let res = app
        .post_form(
            &admin,
            "/api/admin/set_roles",
            &page_path,
            &[
                ("user_id", &id),
                ("lay_evaluator", "lay_evaluator"),
                ("board_member", "board_member"),
                ("constituency", "nhs"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some(page_path.as_str()));
    let (_, page, _) = app.get(&admin, &page_path).await;
    assert!(page.contains("Roles updated for Cora Kemp"));
    assert!(
        page.contains("no roles → Board member, Lay evaluator (represents: NHS)"),
        "history shows before and after"
    );

    // Cora now sees the assessments page; the role can be removed again.
    let cora = new_client();
    assert_eq!(
        app.sign_in(&cora, "cora@example.org", PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/assess")
    );
    let (status, page, _) = app.get(&cora, "/assess").await;
    assert_eq!(status, 200);
    assert!(page.contains("Your assessments"));
    // The Board lists her with whom she represents.
    let (status, page, _) = app.get(&cora, "/board").await;
    assert_eq!(status, 200);
    assert!(page.contains("Cora Kemp") && page.contains("NHS"), "{page}");
    app.post_form(
        &admin,
        "/api/admin/set_roles",
        &page_path,
        &[
            ("user_id", &id),
            ("board_member", "board_member"),
            ("constituency", "nhs"),
        ],
    )
    .await;
    let (status, _, _) = app.get(&cora, "/assess").await;
    assert_eq!(status, 200, "still a board member");
    app.post_form(
        &admin,
        "/api/admin/set_roles",
        &page_path,
        &[("user_id", &id)],
    )
    .await;
    let (status, page, _) = app.get(&cora, "/assess").await;
    assert_eq!(status, 403);
    assert!(page.contains("You do not have permission to see this page"));

    // An admin cannot remove their own admin role.
    let admin_id: i64 = sqlx::query("SELECT id FROM users WHERE email = 'admin@seedbed.test'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
    let own = format!("/admin/users/{admin_id}");
    app.post_form(
        &admin,
        "/api/admin/set_roles",
        &own,
        &[
            ("user_id", &admin_id.to_string()),
            ("commissioner", "commissioner"),
        ],
    )
    .await;
    let (_, page, _) = app.get(&admin, &own).await;
    assert!(page.contains("You cannot remove your own admin role"));
    let roles: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM user_roles WHERE user_id = $1 AND role = 'admin'")
        .bind(admin_id).fetch_one(&app.pool).await.unwrap().get("n");
    assert_eq!(roles, 1);
    let audited: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM audit_log WHERE action = 'user.roles_changed' AND subject_id = $1")
        .bind(id.clone()).fetch_one(&app.pool).await.unwrap().get("n");
    assert_eq!(audited, 3);
});

both_backends!(
    role_changes_are_refused_to_non_admins,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let target: i64 =
            sqlx::query("SELECT id FROM users WHERE email = 'applicant@seedbed.test'")
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .get("id");
        let id = target.to_string();

        // Signed out: 401, nothing changes; the users page asks to sign in.
        let anon = new_client();
        let res = app
            .post_js(
                &anon,
                "/api/admin/set_roles",
                &[("user_id", &id), ("admin", "admin")],
            )
            .await;
        assert_eq!(res.status, 401);
        let (status, _, location) = app.get(&anon, "/admin/users").await;
        assert_eq!(status, 302);
        assert_eq!(
            location.as_deref(),
            Some("/account/sign-in?next=/admin/users")
        );

        // A commissioner is not an admin: 403, and the plain form post changes nothing either.
        let commissioner = new_client();
        app.sign_in(
            &commissioner,
            "commissioner@seedbed.test",
            server::cli::demo::DEMO_PASSWORD,
        )
        .await;
        let res = app
            .post_js(
                &commissioner,
                "/api/admin/set_roles",
                &[("user_id", &id), ("admin", "admin")],
            )
            .await;
        assert_eq!(res.status, 403);
        app.post_form(
            &commissioner,
            "/api/admin/set_roles",
            &format!("/admin/users/{id}"),
            &[("user_id", &id), ("admin", "admin")],
        )
        .await;
        let (status, page, _) = app.get(&commissioner, "/admin/users").await;
        assert_eq!(status, 403);
        assert!(page.contains("You do not have permission"));
        let (status, _, _) = app.get(&commissioner, &format!("/admin/users/{id}")).await;
        assert_eq!(status, 403);
        let roles: i64 =
            sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM user_roles WHERE user_id = $1")
                .bind(target)
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .get("n");
        assert_eq!(roles, 0);
    }
);

both_backends!(cross_site_posts_are_refused, async |app: &TestApp| {
    app.registered_user("Jo", "jo@example.org", PASSWORD).await;
    let client = new_client();
    let res = client
        .post(app.url("/api/account/sign_in"))
        .header("Sec-Fetch-Site", "cross-site")
        .header("Origin", "https://evil.example")
        .form(&[("email", "jo@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let res = client
        .post(app.url("/api/account/register"))
        .header("Origin", "https://evil.example")
        .form(&[
            ("full_name", "X"),
            ("email", "x@example.org"),
            ("password", PASSWORD),
            ("confirm_password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let users: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(users, 1, "no account was created");
    // Same-origin posts are fine.
    let res = client
        .post(app.url("/api/account/sign_in"))
        .header("Sec-Fetch-Site", "same-origin")
        .header("Accept", "text/html")
        .form(&[("email", "jo@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
});

both_backends!(no_server_function_answers_get, async |app: &TestApp| {
    let client = new_client();
    for endpoint in [
        "account/sign_out",
        "account/register",
        "account/sign_in",
        "account/verify",
        "account/reset_password",
        "admin/set_roles",
    ] {
        let res = client
            .get(app.url(&format!("/api/{endpoint}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 405, "{endpoint}");
    }
});

both_backends!(
    session_cookie_is_locked_down_and_rotated,
    async |app: &TestApp| {
        app.registered_user("Jo", "jo@example.org", PASSWORD).await;
        let raw = crate::common::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        // A failed sign-in leaves a session (to show the errors); a successful one gets a new id.
        let res = raw
            .post(app.url("/api/account/sign_in"))
            .header("Accept", "text/html")
            .header("Referer", app.url("/account/sign-in"))
            .form(&[
                ("email", "jo@example.org"),
                ("password", "wrong wrong wrong"),
            ])
            .send()
            .await
            .unwrap();
        let first = res
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap();
        assert!(first.contains("HttpOnly"));
        assert!(first.contains("SameSite=Lax"));
        let first_id = first.split(';').next().unwrap().to_string();
        let res = raw
            .post(app.url("/api/account/sign_in"))
            .header("Accept", "text/html")
            .header("Cookie", &first_id)
            .form(&[("email", "jo@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let second = res
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap();
        assert_ne!(
            second.split(';').next().unwrap(),
            first_id,
            "session id rotated at sign-in"
        );
    }
);

both_backends!(shell_pages_and_errors, async |app: &TestApp| {
    let client = new_client();
    for (path, heading) in [
        ("/", "Seed funding for community services"),
        ("/accessibility", "Accessibility statement for Seedbed"),
        ("/privacy", "Privacy notice"),
        ("/cookies", "Cookies"),
        ("/contact", "Contact the commissioning team"),
    ] {
        let (status, page, _) = app.get(&client, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains(heading), "{path}");
        assert!(
            page.contains("href=\"/accessibility\"")
                && page.contains("href=\"/privacy\"")
                && page.contains("href=\"/cookies\"")
                && page.contains("href=\"/contact\"")
        );
        // The beta banner's feedback link leads somewhere.
        assert!(page.contains("href=\"/contact#feedback\""), "{path}");
        assert!(page.contains("Sign in"));
    }
    // The contact page gives the portal's configured address, and a way to send feedback.
    let (_, page, _) = app.get(&client, "/contact").await;
    assert!(
        page.contains("mailto:team@test.example")
            && page.contains("mailto:team@test.example?subject=Feedback%20on%20Seedbed")
            && page.contains("01632 960 123"),
        "{page}"
    );
    let (status, page, _) = app.get(&client, "/no-such-page").await;
    assert_eq!(status, 404);
    assert!(page.contains("Page not found"));
    let (status, page, _) = app.get(&client, "/admin/users/999999").await;
    assert_eq!(status, 302, "signed out first: {page}");
});

both_backends!(
    create_admin_command_makes_an_admin_with_a_password_link,
    async |app: &TestApp| {
        let link =
            server::cli::demo::create_admin(&app.pool, "Head@Example.org", "Helen Head", &app.base)
                .await
                .unwrap();
        let path = link.replace(&app.base, "");
        let token = path.split("token=").nth(1).unwrap().to_string();
        let client = new_client();
        let (_, page, _) = app.get(&client, &path).await;
        assert!(page.contains("Choose a new password"));
        app.post_form(
            &client,
            "/api/account/reset_password",
            "/account/reset-password",
            &[
                ("token", &token),
                ("password", "helen's own passphrase"),
                ("confirm_password", "helen's own passphrase"),
            ],
        )
        .await;
        assert_eq!(
            app.sign_in(&client, "head@example.org", "helen's own passphrase")
                .await
                .location
                .as_deref(),
            Some("/admin/users")
        );
        let (status, page, _) = app.get(&client, "/admin/users").await;
        assert_eq!(status, 200);
        assert!(page.contains("Helen Head"));
    }
);
