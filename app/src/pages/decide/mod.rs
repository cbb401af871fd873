//! Deciding (commissioners): moderation and decisions.
pub mod board_moderation;
pub mod decision_report;
pub mod interviews;
pub mod meetings;
pub mod moderate_bid;
pub mod moderation;
pub mod pack;
pub mod sign_off;
pub mod variation_sign_off;
