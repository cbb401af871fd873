//! Applicants: their organisations (and, to come, their bids).
pub mod bids;
pub mod organisations;
