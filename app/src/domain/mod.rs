//! Pure Rust: types that parse, rules, money. No leptos, no sqlx, no I/O.
pub mod email;
pub mod money;
pub mod password;
pub mod roles;
pub mod text;
pub mod throttle;
pub mod time;

pub use crate::error::FieldError;
