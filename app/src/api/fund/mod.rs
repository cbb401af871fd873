//! Running the fund (commissioners): the pooled fund, funding rounds and reports.
pub mod pooled;
pub mod reports;
pub mod rounds;
pub mod year_end;
