//! Monitoring funded schemes: a scheme's page and the portfolio.
pub mod clawbacks;
pub mod portfolio;
pub mod returns;
pub mod scheme_changes;
pub mod schemes;
pub mod tranche_outcome;
pub mod tranches;
pub mod variations;
