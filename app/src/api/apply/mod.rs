//! Applying: an organisation's members register it and bid online.
pub mod bids;
pub mod organisations;
