//! Accounts: registering, confirming an email address, signing in (with its throttle), and
//! resetting a password by an emailed link. Each answers a stranger the same way whether or
//! not an address has an account, so no one learns who is registered.
pub mod password;
mod roles;
pub use roles::change_roles;

use super::tokens::{new_token, token_digest};
use super::{Ctx, Done};
use crate::db;
use crate::db::tokens::{RESET, VERIFY};
use crate::domain::email::Email;
use crate::domain::password::NewPassword;
use crate::domain::roles::Role;
use crate::domain::text::required_line;
use crate::domain::throttle::{self, MailRequest};
use crate::domain::time::UtcTime;
use crate::error::{collect, AppError, FieldError};
use crate::mail::OutgoingMail;

/// What a person is told when the email address or password is wrong (both fields).
pub const SIGN_IN_FAILED: &str = "Enter a correct email address and password";
/// How long a link to confirm an address lasts, and one to reset a password.
pub const VERIFY_HOURS: i64 = 24;
pub const RESET_HOURS: i64 = 1;

/// Why an account action was not done (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    /// Too many attempts or requests: the message says how long to wait.
    #[error("{0}")]
    TooMany(String),
    /// The address is not confirmed yet; a new link is sent if the throttle allows (`mail`).
    #[error("{message}")]
    NotConfirmed {
        message: &'static str,
        mail: Option<OutgoingMail>,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound => AppError::NotFound,
            AccountError::Invalid(errors) => AppError::Invalid(errors),
            AccountError::TooMany(message) => AppError::TooManyRequests(message),
            AccountError::NotConfirmed { message, .. } => AppError::field("email", message),
            AccountError::Database(e) => e.into(),
            AccountError::Other(e) => e,
        }
    }
}

fn invalid(field: &str, message: &str) -> AccountError {
    AccountError::Invalid(vec![FieldError::new(field, message)])
}

fn expires_in(hours: i64) -> UtcTime {
    UtcTime(chrono::Utc::now() + chrono::Duration::hours(hours))
}

/// The registration form as typed.
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub full_name: String,
    pub email: String,
    pub password: String,
    pub confirm_password: String,
}

/// Register an account. `client` is the address the request came from: registrations from
/// one client are limited. If the address already has an account nothing is created and
/// its owner is told by email; the outcome (the address to tell the person to check) is
/// the same either way.
pub async fn register(
    ctx: Ctx<'_>,
    form: &Registration,
    client: &str,
) -> Result<Done<Email>, AccountError> {
    let mut errors = Vec::new();
    let name = collect(
        &mut errors,
        required_line(
            "full_name",
            &form.full_name,
            "Enter your full name",
            200,
            "Full name",
        ),
    );
    let email = collect(&mut errors, Email::parse("email", &form.email));
    let password = collect(&mut errors, NewPassword::parse("password", &form.password));
    if password.is_some() && form.password != form.confirm_password {
        errors.push(FieldError::new("confirm_password", "Passwords must match"));
    }
    let (Some(name), Some(email), Some(password), true) =
        (name, email, password, errors.is_empty())
    else {
        return Err(AccountError::Invalid(errors));
    };
    // Past the limit nothing is hashed or sent.
    let (to_address, from_client) = db::throttle::mail_request(
        ctx.pool,
        MailRequest::Registration,
        email.as_str(),
        client,
        chrono::Utc::now(),
    )
    .await?;
    let (address_ok, client_ok) = MailRequest::Registration.allowed(to_address, from_client);
    if !client_ok {
        return Err(AccountError::TooMany(
            "There have been too many registrations from your network. Wait an hour, then try again"
                .into(),
        ));
    }
    // Hashed whether or not the address has an account, so the answer takes as long.
    let hash = password::hash_password(password.as_str().to_string()).await?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let user_id = match db::users::insert(&mut tx, email.as_str(), &name, &hash, false, now).await {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => {
            drop(tx);
            let sign_in = format!("{}/account/sign-in", ctx.base_url);
            let reset = format!("{}/account/forgot-password", ctx.base_url);
            let mail =
                address_ok.then(|| crate::mail::account_exists(email.as_str(), &sign_in, &reset));
            return Ok(Done {
                value: email,
                mail: mail.into_iter().collect(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let (token, digest) = new_token();
    db::tokens::insert(
        &mut tx,
        user_id,
        VERIFY,
        &digest,
        expires_in(VERIFY_HOURS),
        now,
    )
    .await?;
    let entry = db::audit::Entry::about_user(
        Some(user_id),
        "account.registered",
        user_id,
        format!("Registered {email}"),
    );
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    let link = format!("{}/account/verify?token={token}", ctx.base_url);
    let mail = crate::mail::verification(email.as_str(), &name, &link);
    Ok(Done {
        value: email,
        mail: vec![mail],
    })
}

/// Confirm an email address with the emailed link (once).
pub async fn verify(ctx: Ctx<'_>, token: &str) -> Result<(), AccountError> {
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let Some(user_id) = db::tokens::consume(&mut tx, &token_digest(token), VERIFY, now).await?
    else {
        return Err(invalid(
            "token",
            "This link has expired or has already been used. Sign in to get a new one",
        ));
    };
    db::users::mark_verified(&mut tx, user_id).await?;
    let mut entry = db::audit::Entry::about_user(
        Some(user_id),
        "account.verified",
        user_id,
        "Confirmed email address",
    );
    entry.before = Some("email not confirmed".into());
    entry.after = Some("email confirmed".into());
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Is an emailed link (to confirm an address, or to reset a password) still usable?
pub async fn link_is_live(ctx: Ctx<'_>, token: &str, reset: bool) -> Result<bool, AccountError> {
    let purpose = if reset { RESET } else { VERIFY };
    Ok(db::tokens::is_live(ctx.pool, &token_digest(token), purpose, db::now()).await?)
}

/// Someone signed in: who, for the session, and their roles (for their home page).
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub user_id: i64,
    pub session_version: i64,
    pub roles: Vec<Role>,
}

/// Sign in. Attempts slow down as they fail (domain::throttle); an unknown address takes as
/// long as a wrong password and gets the same answer. An account whose address is not
/// confirmed is refused, with a new link unless it has had several in the last hour.
pub async fn sign_in(
    ctx: Ctx<'_>,
    email: &str,
    password: &str,
    client: &str,
) -> Result<Done<SignedIn>, AccountError> {
    let mut errors = Vec::new();
    let email = collect(&mut errors, Email::parse("email", email));
    if password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Err(AccountError::Invalid(errors));
    };
    let attempt = throttled_attempt(ctx, email.as_str(), client).await?;
    let user = db::users::by_email(ctx.pool, email.as_str()).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let user = match (
        password::verify_password(stored, password.to_string()).await?,
        user,
    ) {
        (true, Some(user)) => user,
        _ => {
            return Err(AccountError::Invalid(vec![
                FieldError::new("email", SIGN_IN_FAILED),
                FieldError::new("password", SIGN_IN_FAILED),
            ]))
        }
    };
    db::throttle::succeeded(ctx.pool, attempt).await?;
    if !user.email_verified {
        return Err(not_confirmed(ctx, &user, client).await?);
    }
    db::throttle::clear_for(ctx.pool, email.as_str(), client).await?;
    let mut conn = ctx.pool.acquire().await?;
    let entry = db::audit::Entry::about_user(
        Some(user.id),
        "account.signed_in",
        user.id,
        format!("Signed in from {client}"),
    );
    db::audit::record(&mut conn, entry).await?;
    // Return the connection before taking another from the pool.
    drop(conn);
    let roles = db::users::roles(ctx.pool, user.id).await?;
    Ok(Done {
        value: SignedIn {
            user_id: user.id,
            session_version: user.session_version,
            roles,
        },
        mail: Vec::new(),
    })
}

/// Count this attempt as a failure until the password proves right, so that attempts at the
/// same moment see each other: only so many get their password checked. (Its id.)
async fn throttled_attempt(ctx: Ctx<'_>, email: &str, client: &str) -> Result<i64, AccountError> {
    let now = chrono::Utc::now();
    let since =
        crate::domain::time::to_db(now - chrono::Duration::minutes(throttle::WINDOW_MINUTES));
    let attempt = db::throttle::claim(ctx.pool, email, client, now.into()).await?;
    let mut failures = db::throttle::failures_since(ctx.pool, email, client, &since, now).await?;
    // Not counting this attempt itself.
    for count in [
        &mut failures.pair.0,
        &mut failures.account.0,
        &mut failures.ip.0,
    ] {
        *count -= 1;
    }
    if let Some(wait) = throttle::wait_before_attempt(failures) {
        db::throttle::forget(ctx.pool, attempt).await?;
        return Err(AccountError::TooMany(throttle::too_many_message(wait)));
    }
    Ok(attempt)
}

/// The refusal for a right password on an unconfirmed address, with a new link to confirm
/// it unless this address has had several in the last hour.
async fn not_confirmed(
    ctx: Ctx<'_>,
    user: &db::users::UserRow,
    client: &str,
) -> Result<AccountError, AccountError> {
    let (to_address, from_client) = db::throttle::mail_request(
        ctx.pool,
        MailRequest::Confirmation,
        &user.email,
        client,
        chrono::Utc::now(),
    )
    .await?;
    if MailRequest::Confirmation.allowed(to_address, from_client) != (true, true) {
        return Ok(AccountError::NotConfirmed {
            message: "You need to confirm your email address before you can sign in. Use the link in the email we sent you, or wait an hour for a new one",
            mail: None,
        });
    }
    let now = db::now();
    let (token, digest) = new_token();
    let mut tx = ctx.pool.begin().await?;
    db::tokens::retire_for_user(&mut tx, user.id, VERIFY, now).await?;
    db::tokens::insert(
        &mut tx,
        user.id,
        VERIFY,
        &digest,
        expires_in(VERIFY_HOURS),
        now,
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/account/verify?token={token}", ctx.base_url);
    Ok(AccountError::NotConfirmed {
        message: "You need to confirm your email address before you can sign in. We have sent you a new link",
        mail: Some(crate::mail::verification(&user.email, &user.full_name, &link)),
    })
}

/// Audit a sign-out.
pub async fn signed_out(ctx: Ctx<'_>, user_id: i64) -> Result<(), AccountError> {
    let mut conn = ctx.pool.acquire().await?;
    let entry =
        db::audit::Entry::about_user(Some(user_id), "account.signed_out", user_id, "Signed out");
    db::audit::record(&mut conn, entry).await?;
    Ok(())
}

/// Ask for a link to reset a password. Counted, and answered the same, whether or not the
/// address has an account; past the limit no more links go to it. (The address.)
pub async fn forgot_password(
    ctx: Ctx<'_>,
    email: &str,
    client: &str,
) -> Result<Done<Email>, AccountError> {
    let email = Email::parse("email", email).map_err(|e| AccountError::Invalid(vec![e]))?;
    let (to_address, from_client) = db::throttle::mail_request(
        ctx.pool,
        MailRequest::PasswordReset,
        email.as_str(),
        client,
        chrono::Utc::now(),
    )
    .await?;
    let allowed = MailRequest::PasswordReset.allowed(to_address, from_client) == (true, true);
    let user = db::users::by_email(ctx.pool, email.as_str()).await?;
    let Some(user) = user.filter(|_| allowed) else {
        return Ok(Done {
            value: email,
            mail: Vec::new(),
        });
    };
    let now = db::now();
    let (token, digest) = new_token();
    let mut tx = ctx.pool.begin().await?;
    db::tokens::retire_for_user(&mut tx, user.id, RESET, now).await?;
    db::tokens::insert(
        &mut tx,
        user.id,
        RESET,
        &digest,
        expires_in(RESET_HOURS),
        now,
    )
    .await?;
    let entry = db::audit::Entry::about_user(
        None,
        "account.password_reset_requested",
        user.id,
        "Password reset link sent",
    );
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    let link = format!("{}/account/reset-password?token={token}", ctx.base_url);
    let mail = crate::mail::password_reset(&user.email, &user.full_name, &link);
    Ok(Done {
        value: email,
        mail: vec![mail],
    })
}

/// Set a new password with an emailed reset link (once). Following the link proves the
/// address, so it is confirmed too; the owner is told by email.
pub async fn reset_password(
    ctx: Ctx<'_>,
    token: &str,
    password: &str,
    confirm_password: &str,
) -> Result<Done<()>, AccountError> {
    let mut errors = Vec::new();
    let new_password = collect(&mut errors, NewPassword::parse("password", password));
    if new_password.is_some() && password != confirm_password {
        errors.push(FieldError::new("confirm_password", "Passwords must match"));
    }
    let (Some(new_password), true) = (new_password, errors.is_empty()) else {
        return Err(AccountError::Invalid(errors));
    };
    let hash = password::hash_password(new_password.as_str().to_string()).await?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let Some(user_id) = db::tokens::consume(&mut tx, &token_digest(token), RESET, now).await?
    else {
        return Err(invalid(
            "password",
            "This link has expired or has already been used. Ask for a new link",
        ));
    };
    db::users::set_password(&mut tx, user_id, &hash).await?;
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
    let mail = db::users::by_id(ctx.pool, user_id)
        .await?
        .map(|user| crate::mail::password_changed(&user.email, &user.full_name));
    Ok(Done {
        value: (),
        mail: mail.into_iter().collect(),
    })
}
