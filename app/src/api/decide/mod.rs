//! Deciding (commissioners): moderation of the scores, the ranked list against the
//! envelope, and the decisions on bids.
pub mod decision_report;
pub mod decisions;
pub mod interviews;
pub mod meetings;
pub mod moderation;
pub mod pack;
pub mod sign_off;
pub mod variation_sign_off;
