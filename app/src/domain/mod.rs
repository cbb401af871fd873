//! Pure Rust: types that parse, rules, money. No leptos, no sqlx, no I/O.
pub mod answers;
pub mod assessment;
pub mod audit;
pub mod bid;
pub mod coded;
pub mod date;
pub mod decision;
pub mod email;
pub mod files;
pub mod fund;
pub mod guidance;
pub mod money;
pub mod monitoring;
pub mod opendata;
pub mod organisation;
pub mod password;
pub mod questionnaire;
pub mod registers;
pub mod report;
pub mod roles;
pub mod round;
pub mod text;
pub mod throttle;
pub mod time;

pub use crate::error::FieldError;
