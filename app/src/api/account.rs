//! Register, verify, sign in and out, reset a password.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::{
        email::Email,
        password::NewPassword,
        text::required_line,
        throttle::{self, MailRequest},
    },
    crate::error::FieldError,
};

pub const SIGN_IN_FAILED: &str = "Enter a correct email address and password";

#[cfg(feature = "ssr")]
pub(crate) fn expires_in(hours: i64) -> crate::domain::time::UtcTime {
    crate::domain::time::UtcTime(chrono::Utc::now() + chrono::Duration::hours(hours))
}

/// Send an email outside the request, through the outbox (`crate::outbox`).
#[cfg(feature = "ssr")]
pub(crate) async fn send_mail(state: &crate::state::AppState, mail: crate::mail::OutgoingMail) {
    crate::outbox::send(state, mail).await;
}

#[server(prefix = "/api", endpoint = "account/register")]
pub async fn register(
    full_name: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let values = [("full_name", full_name.as_str()), ("email", email.as_str())];
    let mut errors = Vec::new();
    let name = auth::collect(
        &mut errors,
        required_line(
            "full_name",
            &full_name,
            "Enter your full name",
            200,
            "Full name",
        ),
    );
    let parsed_email = auth::collect(&mut errors, Email::parse("email", &email));
    let new_password = auth::collect(&mut errors, NewPassword::parse("password", &password));
    if new_password.is_some() && password != confirm_password {
        errors.push(FieldError::new("confirm_password", "Passwords must match"));
    }
    let (Some(name), Some(parsed_email), Some(new_password), true) =
        (name, parsed_email, new_password, errors.is_empty())
    else {
        return Err(auth::reject_form("register", &values, AppError::Invalid(errors)).await);
    };
    // Registrations from one address are limited; past the limit nothing is hashed or sent.
    let ip = auth::client_ip().await;
    let (to_address, from_client) = db::throttle::mail_request(
        &state.pool,
        MailRequest::Registration,
        parsed_email.as_str(),
        &ip,
        chrono::Utc::now(),
    )
    .await?;
    let (address_ok, client_ok) = MailRequest::Registration.allowed(to_address, from_client);
    if !client_ok {
        let error = AppError::TooManyRequests(
            "There have been too many registrations from your network. Wait an hour, then try again"
                .into(),
        );
        return Err(auth::reject_form("register", &values, error).await);
    }
    // The password is hashed whether or not the address has an account, so the answer
    // takes the same time either way.
    let hash = auth::hash_password(new_password.as_str().to_string()).await?;
    let now = db::now();
    let (token, digest) = auth::new_token();
    let mut tx = state.pool.begin().await?;
    let inserted =
        db::users::insert(&mut tx, parsed_email.as_str(), &name, &hash, false, now).await;
    let user_id = match inserted {
        Ok(id) => Some(id),
        Err(e) if db::is_unique_violation(&e) => None,
        Err(e) => return Err(e.into()),
    };
    let mail = match user_id {
        Some(user_id) => {
            db::tokens::insert(
                &mut tx,
                user_id,
                db::tokens::VERIFY,
                &digest,
                expires_in(24),
                now,
            )
            .await?;
            db::audit::record(
                &mut tx,
                db::audit::Entry::about_user(
                    Some(user_id),
                    "account.registered",
                    user_id,
                    format!("Registered {}", parsed_email),
                ),
            )
            .await?;
            tx.commit().await?;
            let link = format!("{}/account/verify?token={token}", state.settings.base_url);
            Some(crate::mail::verification(
                parsed_email.as_str(),
                &name,
                &link,
            ))
        }
        None => {
            // The address has an account: the page says the same as for a new one (no one
            // learns who is registered); the owner is told by email instead.
            drop(tx);
            let sign_in = format!("{}/account/sign-in", state.settings.base_url);
            let reset = format!("{}/account/forgot-password", state.settings.base_url);
            address_ok.then(|| crate::mail::account_exists(parsed_email.as_str(), &sign_in, &reset))
        }
    };
    if let Some(mail) = mail {
        send_mail(&state, mail).await;
    }
    let session = auth::session().await?;
    session
        .insert("registered_email", parsed_email.as_str())
        .await?;
    leptos_axum::redirect("/account/check-email");
    Ok(())
}

/// The address the confirmation was sent to, for the "Check your email" page.
#[server(prefix = "/api", endpoint = "account/registered_email")]
pub async fn registered_email() -> Result<Option<String>, AppError> {
    let session = auth::session().await?;
    Ok(session.get::<String>("registered_email").await?)
}

/// Is an emailed link still usable? (Shows the form or a "link has expired" page.)
#[server(prefix = "/api", endpoint = "account/token_status")]
pub async fn token_status(token: String, purpose: String) -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    let purpose = if purpose == db::tokens::RESET {
        db::tokens::RESET
    } else {
        db::tokens::VERIFY
    };
    Ok(db::tokens::is_live(&state.pool, &auth::token_digest(&token), purpose, db::now()).await?)
}

#[server(prefix = "/api", endpoint = "account/verify")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let Some(user_id) = db::tokens::consume(
        &mut tx,
        &auth::token_digest(&token),
        db::tokens::VERIFY,
        now,
    )
    .await?
    else {
        let error = AppError::field(
            "token",
            "This link has expired or has already been used. Sign in to get a new one",
        );
        return Err(auth::reject_form("verify", &[], error).await);
    };
    db::users::mark_verified(&mut tx, user_id).await?;
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user_id),
            action: "account.verified",
            subject_type: "user",
            subject_id: user_id.to_string(),
            summary: "Confirmed email address".into(),
            before: Some("email not confirmed".into()),
            after: Some("email confirmed".into()),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        "Your email address is confirmed. You can now sign in",
        "/account/sign-in",
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let values = [("email", email.as_str())];
    let mut errors = Vec::new();
    let parsed = auth::collect(&mut errors, Email::parse("email", &email));
    if password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    let (Some(parsed), true) = (parsed, errors.is_empty()) else {
        return Err(auth::reject_form("sign_in", &values, AppError::Invalid(errors)).await);
    };
    let ip = auth::client_ip().await;
    let now_utc = chrono::Utc::now();
    let since =
        crate::domain::time::to_db(now_utc - chrono::Duration::minutes(throttle::WINDOW_MINUTES));
    // The attempt counts as a failure until the password proves right, so that attempts
    // running at the same moment see each other: only so many get their password checked.
    let attempt = db::throttle::claim(&state.pool, parsed.as_str(), &ip, now_utc.into()).await?;
    let mut failures =
        db::throttle::failures_since(&state.pool, parsed.as_str(), &ip, &since, now_utc).await?;
    // Not counting this attempt itself.
    for count in [
        &mut failures.pair.0,
        &mut failures.account.0,
        &mut failures.ip.0,
    ] {
        *count -= 1;
    }
    if let Some(wait) = throttle::wait_before_attempt(failures) {
        db::throttle::forget(&state.pool, attempt).await?;
        let error = AppError::TooManyRequests(throttle::too_many_message(wait));
        return Err(auth::reject_form("sign_in", &values, error).await);
    }
    let user = db::users::by_email(&state.pool, parsed.as_str()).await?;
    let ok =
        auth::verify_password(user.as_ref().map(|u| u.password_hash.clone()), password).await?;
    let now = db::now();
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => {
            let error = AppError::Invalid(vec![
                FieldError::new("email", SIGN_IN_FAILED),
                FieldError::new("password", SIGN_IN_FAILED),
            ]);
            return Err(auth::reject_form("sign_in", &values, error).await);
        }
    };
    db::throttle::succeeded(&state.pool, attempt).await?;
    if !user.email_verified {
        // A new link, unless this address has had several in the last hour.
        let (to_address, from_client) = db::throttle::mail_request(
            &state.pool,
            MailRequest::Confirmation,
            &user.email,
            &ip,
            chrono::Utc::now(),
        )
        .await?;
        if MailRequest::Confirmation.allowed(to_address, from_client) != (true, true) {
            let error = AppError::field(
                "email",
                "You need to confirm your email address before you can sign in. Use the link in the email we sent you, or wait an hour for a new one",
            );
            return Err(auth::reject_form("sign_in", &values, error).await);
        }
        let (token, digest) = auth::new_token();
        let mut tx = state.pool.begin().await?;
        db::tokens::retire_for_user(&mut tx, user.id, db::tokens::VERIFY, now).await?;
        db::tokens::insert(
            &mut tx,
            user.id,
            db::tokens::VERIFY,
            &digest,
            expires_in(24),
            now,
        )
        .await?;
        tx.commit().await?;
        let link = format!("{}/account/verify?token={token}", state.settings.base_url);
        send_mail(
            &state,
            crate::mail::verification(&user.email, &user.full_name, &link),
        )
        .await;
        let error = AppError::field(
            "email",
            "You need to confirm your email address before you can sign in. We have sent you a new link",
        );
        return Err(auth::reject_form("sign_in", &values, error).await);
    }
    db::throttle::clear_for(&state.pool, parsed.as_str(), &ip).await?;
    let mut conn = state.pool.acquire().await?;
    db::audit::record(
        &mut conn,
        db::audit::Entry::about_user(
            Some(user.id),
            "account.signed_in",
            user.id,
            format!("Signed in from {ip}"),
        ),
    )
    .await?;
    // Return the connection before taking another from the pool.
    drop(conn);
    let session = auth::session().await?;
    auth::start_session(&session, user.id, user.session_version).await?;
    let roles = db::users::roles(&state.pool, user.id).await?;
    match next.as_deref().filter(|n| crate::pages::is_safe_next(n)) {
        Some(next) => leptos_axum::redirect(next),
        None => leptos_axum::redirect(crate::pages::home_for(&roles)),
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let session = auth::session().await?;
    if let Some(user) = auth::current_user(&state, &session).await? {
        let mut conn = state.pool.acquire().await?;
        db::audit::record(
            &mut conn,
            db::audit::Entry::about_user(
                Some(user.id),
                "account.signed_out",
                user.id,
                "Signed out",
            ),
        )
        .await?;
    }
    auth::end_session(&session).await?;
    auth::notice_and_redirect(&session, "You have signed out", "/account/sign-in").await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let values = [("email", email.as_str())];
    let parsed = match Email::parse("email", &email) {
        Ok(p) => p,
        Err(e) => {
            return Err(
                auth::reject_form("forgot_password", &values, AppError::Invalid(vec![e])).await,
            )
        }
    };
    // Counted whether or not the address has an account (the same work, and the same
    // answer, either way); past the limit no more links go to it.
    let ip = auth::client_ip().await;
    let (to_address, from_client) = db::throttle::mail_request(
        &state.pool,
        MailRequest::PasswordReset,
        parsed.as_str(),
        &ip,
        chrono::Utc::now(),
    )
    .await?;
    let allowed = MailRequest::PasswordReset.allowed(to_address, from_client) == (true, true);
    let user = db::users::by_email(&state.pool, parsed.as_str()).await?;
    if let Some(user) = user.filter(|_| allowed) {
        let now = db::now();
        let (token, digest) = auth::new_token();
        let mut tx = state.pool.begin().await?;
        db::tokens::retire_for_user(&mut tx, user.id, db::tokens::RESET, now).await?;
        db::tokens::insert(
            &mut tx,
            user.id,
            db::tokens::RESET,
            &digest,
            expires_in(1),
            now,
        )
        .await?;
        db::audit::record(
            &mut tx,
            db::audit::Entry::about_user(
                None,
                "account.password_reset_requested",
                user.id,
                "Password reset link sent",
            ),
        )
        .await?;
        tx.commit().await?;
        let link = format!(
            "{}/account/reset-password?token={token}",
            state.settings.base_url
        );
        send_mail(
            &state,
            crate::mail::password_reset(&user.email, &user.full_name, &link),
        )
        .await;
    }
    let session = auth::session().await?;
    session.insert("reset_email", parsed.as_str()).await?;
    leptos_axum::redirect("/account/forgot-password/sent");
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/reset_email")]
pub async fn reset_email() -> Result<Option<String>, AppError> {
    let session = auth::session().await?;
    Ok(session.get::<String>("reset_email").await?)
}

#[server(prefix = "/api", endpoint = "account/reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let mut errors = Vec::new();
    let new_password = auth::collect(&mut errors, NewPassword::parse("password", &password));
    if new_password.is_some() && password != confirm_password {
        errors.push(FieldError::new("confirm_password", "Passwords must match"));
    }
    let (Some(new_password), true) = (new_password, errors.is_empty()) else {
        return Err(auth::reject_form("reset_password", &[], AppError::Invalid(errors)).await);
    };
    let hash = auth::hash_password(new_password.as_str().to_string()).await?;
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let Some(user_id) =
        db::tokens::consume(&mut tx, &auth::token_digest(&token), db::tokens::RESET, now).await?
    else {
        let error = AppError::field(
            "password",
            "This link has expired or has already been used. Ask for a new link",
        );
        return Err(auth::reject_form("reset_password", &[], error).await);
    };
    db::users::set_password(&mut tx, user_id, &hash).await?;
    // Following a reset link proves the address, so confirm it too.
    db::users::mark_verified(&mut tx, user_id).await?;
    db::audit::entry(
        &mut tx,
        user_id,
        "account.password_reset",
        ("user", user_id),
        "Password changed with an emailed reset link; other sessions signed out".into(),
    )
    .await?;
    tx.commit().await?;
    if let Some(user) = db::users::by_id(&state.pool, user_id).await? {
        send_mail(
            &state,
            crate::mail::password_changed(&user.email, &user.full_name),
        )
        .await;
    }
    let session = auth::session().await?;
    auth::end_session(&session).await?;
    auth::notice_and_redirect(
        &session,
        "Your password has been changed. Sign in with your new password",
        "/account/sign-in",
    )
    .await?;
    Ok(())
}
