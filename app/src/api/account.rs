//! Register, verify, sign in and out, reset a password.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::service::accounts::{self as service, AccountError, Registration},
};

#[server(prefix = "/api", endpoint = "account/register")]
pub async fn register(
    full_name: String,
    email: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = auth::client_ip().await;
    let form = Registration {
        full_name,
        email,
        password,
        confirm_password,
    };
    let email = match service::register(state.ctx(), &form, &client).await {
        Ok(done) => state.deliver(done).await,
        Err(e) => {
            let values = [
                ("full_name", form.full_name.as_str()),
                ("email", form.email.as_str()),
            ];
            return Err(auth::reject_form("register", &values, e.into()).await);
        }
    };
    let session = auth::session().await?;
    session.insert("registered_email", email.as_str()).await?;
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
    let reset = purpose == crate::db::tokens::RESET;
    Ok(service::link_is_live(state.ctx(), &token, reset).await?)
}

#[server(prefix = "/api", endpoint = "account/verify")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if let Err(e) = service::verify(state.ctx(), &token).await {
        return Err(auth::reject_form("verify", &[], e.into()).await);
    }
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
    let client = auth::client_ip().await;
    let signed_in = match service::sign_in(state.ctx(), &email, &password, &client).await {
        Ok(done) => state.deliver(done).await,
        Err(mut e) => {
            if let AccountError::NotConfirmed { mail, .. } = &mut e {
                let mail = mail.take().into_iter().collect();
                state
                    .deliver(crate::service::Done { value: (), mail })
                    .await;
            }
            let values = [("email", email.as_str())];
            return Err(auth::reject_form("sign_in", &values, e.into()).await);
        }
    };
    let session = auth::session().await?;
    auth::start_session(&session, signed_in.user_id, signed_in.session_version).await?;
    let next = next.filter(|n| crate::domain::next_path::is_safe_next(n));
    leptos_axum::redirect(
        next.as_deref()
            .unwrap_or(crate::domain::next_path::home_for(&signed_in.roles)),
    );
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let session = auth::session().await?;
    if let Some(user) = auth::current_user(&state, &session).await? {
        service::signed_out(state.ctx(), user.id).await?;
    }
    auth::end_session(&session).await?;
    auth::notice_and_redirect(&session, "You have signed out", "/account/sign-in").await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "account/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let client = auth::client_ip().await;
    let address = match service::forgot_password(state.ctx(), &email, &client).await {
        Ok(done) => state.deliver(done).await,
        Err(e) => {
            let values = [("email", email.as_str())];
            return Err(auth::reject_form("forgot_password", &values, e.into()).await);
        }
    };
    let session = auth::session().await?;
    session.insert("reset_email", address.as_str()).await?;
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
    match service::reset_password(state.ctx(), &token, &password, &confirm_password).await {
        Ok(done) => state.deliver(done).await,
        Err(e) => return Err(auth::reject_form("reset_password", &[], e.into()).await),
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
