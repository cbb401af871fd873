//! Applicants: their organisations (and, to come, their bids).
pub mod bid_record;
pub mod bid_section;
pub mod bids;
pub mod budget_totals;
pub mod interview;
pub mod organisations;
