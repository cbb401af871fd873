//! Sessions, passwords and the current user (server only).
use crate::db;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
pub use crate::web::FlashedForm;
use tower_sessions::Session;

const USER_ID: &str = "uid";
const SESSION_VERSION: &str = "sv";
const NOTICE: &str = "notice";
/// When the session was last written (Unix seconds), for [`keep_alive`].
const WRITTEN_AT: &str = "wt";
/// A signed-in session is written back at most this often by page views alone.
const KEEP_ALIVE_SECS: i64 = 300;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The signed-in user as the use cases in `crate::service` see them.
    pub fn actor(&self) -> crate::service::Actor {
        crate::service::Actor {
            id: self.id,
            full_name: self.full_name.clone(),
            email: self.email.clone(),
            roles: self.roles.clone(),
        }
    }
}

pub async fn session() -> AppResult<Session> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

/// Sign in: a new session id (against fixation), remember who and which password version.
pub async fn start_session(session: &Session, user_id: i64, session_version: i64) -> AppResult<()> {
    session.cycle_id().await?;
    session.insert(USER_ID, user_id).await?;
    session.insert(SESSION_VERSION, session_version).await?;
    session
        .insert(WRITTEN_AT, chrono::Utc::now().timestamp())
        .await?;
    Ok(())
}

/// Whether a page view at `now` should write the session back to move its expiry on, given
/// when it was last written by a page view (`written_at`, None if never).
pub fn keep_alive_due(now: i64, written_at: Option<i64>) -> bool {
    written_at.is_none_or(|at| now - at >= KEEP_ALIVE_SECS || now < at)
}

/// Sessions expire after two hours without activity, and the store moves a session's expiry
/// on only when the session is written. Writing it on every page view made every signed-in
/// GET a database write (serialised on SQLite); so a page view writes it only when the last
/// such write is five minutes old or more. A session therefore ends between 1 h 55 min and
/// 2 h after the last activity.
async fn keep_alive(session: &Session) -> AppResult<()> {
    let now = chrono::Utc::now().timestamp();
    if keep_alive_due(now, session.get::<i64>(WRITTEN_AT).await?) {
        session.insert(WRITTEN_AT, now).await?;
    }
    Ok(())
}

pub async fn end_session(session: &Session) -> AppResult<()> {
    session.flush().await?;
    Ok(())
}

/// The signed-in user as read from the database, kept for the rest of one request: the
/// layout and the page both ask, often at the same moment. Keyed by the session's user and
/// password version, so a sign-in or password change within the request reads again. The
/// server provides a fresh one to each request's context; without one nothing is kept.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::Mutex<Option<ReadUser>>>);

/// The user id and password version a user was read for, and what was read.
type ReadUser = (i64, i64, Option<CurrentUser>);

/// The signed-in user, or None. A session from before a password change is ignored.
pub async fn current_user(state: &AppState, session: &Session) -> AppResult<Option<CurrentUser>> {
    let memo = leptos::prelude::use_context::<RequestUser>();
    let Some(user_id) = session.get::<i64>(USER_ID).await? else {
        return Ok(None);
    };
    let version = session.get::<i64>(SESSION_VERSION).await?.unwrap_or(-1);
    let Some(memo) = memo else {
        return read_user(state, session, user_id, version).await;
    };
    let mut kept = memo.0.lock().await;
    if let Some((id, v, user)) = kept.as_ref() {
        if (*id, *v) == (user_id, version) {
            return Ok(user.clone());
        }
    }
    let user = read_user(state, session, user_id, version).await?;
    *kept = Some((user_id, version, user.clone()));
    Ok(user)
}

async fn read_user(
    state: &AppState,
    session: &Session,
    user_id: i64,
    version: i64,
) -> AppResult<Option<CurrentUser>> {
    let Some((user, roles)) = db::users::by_id_with_roles(&state.pool, user_id).await? else {
        return Ok(None);
    };
    if user.session_version != version {
        session.flush().await?;
        return Ok(None);
    }
    keep_alive(session).await?;
    Ok(Some(CurrentUser {
        id: user.id,
        email: user.email,
        full_name: user.full_name,
        roles,
    }))
}

pub async fn require_user() -> AppResult<(AppState, CurrentUser)> {
    let state = crate::state::app_state()?;
    let session = session().await?;
    match current_user(&state, &session).await? {
        Some(user) => Ok((state, user)),
        None => Err(with_status(AppError::Unauthenticated)),
    }
}

/// Give a refused call its HTTP status (401, 403, 404). A plain form post keeps
/// Leptos's redirect back to the page, which then shows the same refusal.
pub fn with_status(error: AppError) -> AppError {
    let code = match &error {
        AppError::Unauthenticated => 401,
        AppError::Forbidden => 403,
        AppError::NotFound => 404,
        AppError::TooManyRequests(_) => 429,
        _ => return error,
    };
    if !is_plain_form_post() {
        crate::web::set_status(code);
    }
    error
}

/// The current user if they hold any of `roles`; Forbidden otherwise.
pub async fn require_any_role(roles: &[Role]) -> AppResult<(AppState, CurrentUser)> {
    let (state, user) = require_user().await?;
    if roles.iter().any(|r| user.has(*r)) {
        Ok((state, user))
    } else {
        Err(with_status(AppError::Forbidden))
    }
}

/// The signed-in commissioner, or the refusal (401 signed out, 403 without the role).
pub async fn require_commissioner() -> AppResult<(AppState, CurrentUser)> {
    require_any_role(&[Role::Commissioner]).await
}

/// A one-off message waiting for the page it was written for.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Notice {
    /// The page's path, without its query or fragment.
    page: String,
    text: String,
    /// When it was written (seconds since 1970): a notice waits at most [`NOTICE_WAIT_SECS`].
    at: i64,
}

const NOTICE_WAIT_SECS: i64 = 120;

/// The path a notice belongs to: the address without its query or fragment.
fn notice_page(address: &str) -> &str {
    address.split(['?', '#']).next().unwrap_or(address)
}

/// Send the browser to `address` (a redirect after a plain post, a navigation with
/// JavaScript) with a one-off message (e.g. "Your password has been changed") for that page.
/// The message is kept for that page only: with JavaScript the page being left may ask for
/// its shell again while the navigation is under way, and must not take it.
pub async fn notice_and_redirect(session: &Session, notice: &str, address: &str) -> AppResult<()> {
    set_notice(session, notice, address).await?;
    leptos_axum::redirect(address);
    Ok(())
}

/// Keep a one-off message for the page at `address` (for handlers that redirect themselves).
pub async fn set_notice(session: &Session, notice: &str, address: &str) -> AppResult<()> {
    let notice = Notice {
        page: notice_page(address).to_string(),
        text: notice.to_string(),
        at: chrono::Utc::now().timestamp(),
    };
    session.insert(NOTICE, notice).await?;
    Ok(())
}

/// The notice for `page`, once. A notice for another page is left for it (unless it has
/// waited too long, when it is dropped).
pub async fn take_notice(session: &Session, page: &str) -> AppResult<Option<String>> {
    let notice = match session.get::<Notice>(NOTICE).await {
        Ok(Some(notice)) => notice,
        Ok(None) => return Ok(None),
        // Written by an older version in another shape: drop it.
        Err(_) => {
            session.remove_value(NOTICE).await?;
            return Ok(None);
        }
    };
    let fresh = chrono::Utc::now().timestamp() - notice.at <= NOTICE_WAIT_SECS;
    if fresh && notice.page != notice_page(page) {
        return Ok(None);
    }
    session.remove_value(NOTICE).await?;
    Ok(fresh.then_some(notice.text))
}

fn form_key(form: &str) -> String {
    format!("form:{form}")
}

/// True when the request is a plain HTML form post (no JavaScript): the browser accepts HTML.
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Turn a failed validation into an error; without JavaScript, keep the typed values
/// (never passwords) and errors in the session for the page to show after the redirect.
pub async fn reject_form(form: &str, values: &[(&str, &str)], error: AppError) -> AppError {
    if !is_plain_form_post() {
        // A call from the hydrated page: a 4xx status that says what kind of refusal it is.
        match &error {
            AppError::Invalid(_) => crate::web::set_status(400),
            AppError::Conflict(_) => crate::web::set_status(409),
            AppError::TooManyRequests(_) => crate::web::set_status(429),
            _ => {}
        }
    }
    if is_plain_form_post() {
        if let Ok(session) = session().await {
            let stored = FlashedForm {
                values: values
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                errors: error.field_errors(),
            };
            if let Err(e) = session.insert(&form_key(form), stored).await {
                tracing::warn!(%e, "could not keep form values");
            }
        }
    }
    error
}

/// `reject_form` for a form posted as one struct of text fields.
pub async fn reject_with<T: serde::Serialize>(form: &str, typed: &T, error: AppError) -> AppError {
    let pairs: Vec<(String, String)> = match serde_json::to_value(typed) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect(),
        _ => Vec::new(),
    };
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    reject_form(form, &borrowed, error).await
}

/// Keep errors for a form handled outside Leptos (a multipart upload route) for the page
/// it redirects back to.
pub async fn keep_form_errors(
    session: &Session,
    form: &str,
    errors: Vec<FieldError>,
) -> AppResult<()> {
    let stored = FlashedForm {
        values: Default::default(),
        errors,
    };
    session.insert(&form_key(form), stored).await?;
    Ok(())
}

/// The values and errors kept for `form` by a failed plain post, once. Reading first: a
/// removal marks the session changed (written back at the end of the request) even when
/// there was nothing to remove, and most page views have nothing kept.
pub async fn take_form(form: &str) -> AppResult<FlashedForm> {
    let session = session().await?;
    let key = form_key(form);
    if session.get_value(&key).await?.is_none() {
        return Ok(FlashedForm::default());
    }
    Ok(session
        .remove::<FlashedForm>(&key)
        .await?
        .unwrap_or_default())
}

/// The client's IP address, for throttling.
pub async fn client_ip() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let peer = match leptos_axum::extract::<ConnectInfo<SocketAddr>>().await {
        Ok(ConnectInfo(addr)) => addr.ip(),
        Err(_) => return "unknown".to_string(),
    };
    let trusted = leptos::prelude::use_context::<AppState>()
        .map(|s| s.settings.trusted_proxies.clone())
        .unwrap_or_default();
    let forwarded = leptos::prelude::use_context::<axum::http::request::Parts>().map(|parts| {
        parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    });
    crate::domain::client::client_address(peer, forwarded.as_deref(), &trusted).to_string()
}

pub use crate::error::collect;

#[cfg(test)]
mod notice_tests {
    use super::notice_page;

    #[test]
    fn a_notice_belongs_to_the_page_without_query_or_fragment() {
        assert_eq!(
            notice_page("/fund/rounds/3/moderation#bid-7"),
            "/fund/rounds/3/moderation"
        );
        assert_eq!(notice_page("/awards?year=2026"), "/awards");
        assert_eq!(notice_page("/account/sign-in"), "/account/sign-in");
    }
}

#[cfg(test)]
mod keep_alive_tests {
    use super::{keep_alive_due, KEEP_ALIVE_SECS};

    #[test]
    fn a_page_view_writes_the_session_only_when_the_last_write_is_five_minutes_old() {
        let at = 1_800_000_000;
        assert!(
            keep_alive_due(at, None),
            "a session never written by a view"
        );
        assert!(!keep_alive_due(at, Some(at)));
        assert!(!keep_alive_due(at + KEEP_ALIVE_SECS - 1, Some(at)));
        assert!(keep_alive_due(at + KEEP_ALIVE_SECS, Some(at)));
        assert!(keep_alive_due(at + 7_200, Some(at)));
        assert!(keep_alive_due(at - 60, Some(at)), "a clock that went back");
    }
}
