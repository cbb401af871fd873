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
        tracing::warn!(?value, "server function error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(value: sqlx::Error) -> Self {
        AppError::internal(value)
    }
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(value: tower_sessions::session::Error) -> Self {
        AppError::internal(value)
    }
}

pub type AppResult<T> = Result<T, AppError>;
