//! Monitoring funded schemes: the scheme, its tranches and returns, the portfolio, and the
//! measures and unit costs behind the cost-avoided estimates.
pub mod measures;
pub mod portfolio;
pub mod returns;
pub mod schemes;
pub mod tranches;
