//! `AppError`: the one error type that crosses the server-function boundary.
use serde::{Deserialize, Serialize};

/// A message about one form field, shown next to it and in the error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Keep a parse result's value, or push its field error and give none: for forms that report
/// every problem at once.
pub fn collect<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("you need to sign in")]
    Unauthenticated,
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("page not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts: {0}")]
    TooManyRequests(String),
    #[error("sorry, there is a problem with the service")]
    Internal,
    /// The database cannot be reached (restarting, or down): try again shortly.
    #[error("sorry, the service is unavailable")]
    Unavailable,
}

impl AppError {
    pub fn field(field: &str, message: &str) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(errors) => errors.clone(),
            AppError::Conflict(message) | AppError::TooManyRequests(message) => {
                vec![FieldError::new("", message.clone())]
            }
            _ => vec![],
        }
    }

    /// Log the underlying cause and hide it from the browser.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        AppError::Internal
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr;
        tracing::warn!(?value, "server function error");
        match value {
            // A request whose fields are missing or malformed (a hand-made or stale form):
            // the sender's mistake, 400, never a 500.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                crate::web::set_status(400);
                AppError::Invalid(vec![FieldError::new(
                    "",
                    "The form was not sent as expected. Go back to the page and try again",
                )])
            }
            _ => AppError::Internal,
        }
    }
}

/// Is this the database being out of reach (as opposed to a fault in Seedbed)? Connection
/// failures, a pool that timed out waiting for one, and PostgreSQL's "shutting down" and
/// connection-exception codes (SQLSTATE classes 57P and 08).
#[cfg(feature = "ssr")]
pub fn database_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e
            .code()
            .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
        _ => false,
    }
}

/// Set when a request found the database out of reach; the server's gate then checks it
/// quickly before each request (and answers 503 at once) until it is back.
#[cfg(feature = "ssr")]
static DATABASE_UNREACHABLE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Has a request found the database out of reach since it last answered?
#[cfg(feature = "ssr")]
pub fn database_seems_down() -> bool {
    DATABASE_UNREACHABLE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Record whether the database answered.
#[cfg(feature = "ssr")]
pub fn set_database_down(down: bool) {
    DATABASE_UNREACHABLE.store(down, std::sync::atomic::Ordering::Relaxed);
}

#[cfg(feature = "ssr")]
impl AppError {
    fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::warn!(%cause, "database unavailable");
        set_database_down(true);
        crate::web::set_status(503);
        AppError::Unavailable
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(value: sqlx::Error) -> Self {
        if database_unreachable(&value) {
            AppError::unavailable(value)
        } else {
            AppError::internal(value)
        }
    }
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(value: tower_sessions::session::Error) -> Self {
        // The session store is the database: when it cannot be read, the service is down.
        match value {
            tower_sessions::session::Error::Store(e) => AppError::unavailable(e),
            other => AppError::internal(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// A plain-text answer with the right status, for routes outside Leptos (file downloads and
/// uploads, exports): a refusal says what it is, and a failure never shows its cause.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{header, StatusCode};
        let (status, text) = match &self {
            AppError::Invalid(_) => (
                StatusCode::BAD_REQUEST,
                "There is a problem with the form".to_string(),
            ),
            AppError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "You need to sign in".to_string())
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "You do not have permission to do that".to_string(),
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "Page not found".to_string()),
            AppError::Conflict(message) => (StatusCode::CONFLICT, message.clone()),
            AppError::TooManyRequests(message) => (StatusCode::TOO_MANY_REQUESTS, message.clone()),
            AppError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service".to_string(),
            ),
            AppError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, the service is unavailable".to_string(),
            ),
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod response_tests {
    use super::AppError;
    use axum::response::IntoResponse;

    #[test]
    fn each_error_answers_with_its_own_status_and_never_its_cause() {
        let status = |e: AppError| e.into_response().status().as_u16();
        assert_eq!(status(AppError::NotFound), 404);
        assert_eq!(status(AppError::Forbidden), 403);
        assert_eq!(status(AppError::Unauthenticated), 401);
        assert_eq!(status(AppError::Conflict("Already paid".into())), 409);
        assert_eq!(status(AppError::Internal), 500);
        assert_eq!(status(AppError::Unavailable), 503);
        let res = AppError::Conflict("Already paid".into()).into_response();
        assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    }
}
