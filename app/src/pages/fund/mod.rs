//! Commissioners: the pooled fund, funding rounds and their questionnaires, and reports.
pub mod pooled;
pub mod questionnaire;
pub mod reports;
pub mod rounds;
pub mod statement;
pub mod year_end;
