//! Deciding (commissioners): moderation and decisions.
pub mod moderation;
