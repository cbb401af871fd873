//! Deciding (commissioners): moderation of the scores, the ranked list against the
//! envelope, and the decisions on bids.
pub mod decisions;
pub mod moderation;
