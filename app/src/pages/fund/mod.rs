//! Commissioners: the pooled fund, gaps, services and funding rounds.
pub mod pooled;
pub mod portfolio;
pub mod questionnaire;
pub mod registers;
pub mod reports;
pub mod rounds;
