//! Funding rounds: their lifecycle, questionnaire, scoring criteria and guidance text.
use crate::coded_enum;

pub use super::guidance::{blocks, Block};
pub use super::questionnaire::{
    check_weights, Criterion, CriterionForm, Question, QuestionForm, MAX_SCORE,
};
use chrono::{DateTime, Utc};

mod form;
pub use form::*;

coded_enum!(
    /// The stored state of a round. "Open" and "closed" follow the clock: see [`phase`].
    RoundStatus {
        Draft = ("draft", "Draft"),
        Published = ("published", "Published"),
        Open = ("open", "Open"),
        Closed = ("closed", "Closed"),
        Assessment = ("assessment", "In assessment"),
        Decided = ("decided", "Decided"),
    }
);

/// The state a round is really in at `now`: a published round is open from its opening
/// time and closed from its closing time, whether or not the background task has caught up.
pub fn phase(
    stored: RoundStatus,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> RoundStatus {
    match stored {
        RoundStatus::Published | RoundStatus::Open if now >= closes_at => RoundStatus::Closed,
        RoundStatus::Published if now >= opens_at => RoundStatus::Open,
        other => other,
    }
}

/// Can a commissioner move a round from `from` to `to` by pressing a button?
/// Opening and closing happen by the clock only.
pub fn can_move(from: RoundStatus, to: RoundStatus) -> Result<(), String> {
    use RoundStatus::*;
    match (from, to) {
        (Draft, Published) => Ok(()),
        // A new version of a published round that has not closed yet.
        (Published | Open, Draft) => Ok(()),
        (Closed, Assessment) => Ok(()),
        (Assessment, Decided) => Ok(()),
        (_, Open) | (_, Closed) => {
            Err("Rounds open and close by themselves at the times set".to_string())
        }
        (from, to) => Err(format!(
            "A round that is {} cannot become {}",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )),
    }
}

/// Can a clock transition happen from `from`?
pub fn clock_moves(from: RoundStatus, to: RoundStatus) -> bool {
    matches!(
        (from, to),
        (RoundStatus::Published, RoundStatus::Open)
            | (RoundStatus::Published, RoundStatus::Closed)
            | (RoundStatus::Open, RoundStatus::Closed)
    )
}

/// Questionnaire and criteria can change only in a draft.
pub fn is_editable(status: RoundStatus) -> bool {
    status == RoundStatus::Draft
}

coded_enum!(
    /// Who scores a section.
    Panel {
        Board = ("board", "Board members"),
        Lay = ("lay", "Lay evaluators"),
    }
);

coded_enum!(
    SectionKind {
        Custom = ("custom", "Questions"),
        Organisation = ("organisation", "About your organisation"),
        Budget = ("budget", "Budget"),
        Sustainability = ("sustainability", "Sustainability plan"),
    }
);

impl SectionKind {
    /// The sections every round has, in order, built by the bid journey.
    pub const BUILT_IN: [SectionKind; 3] = [
        SectionKind::Organisation,
        SectionKind::Budget,
        SectionKind::Sustainability,
    ];
}

coded_enum!(
    QuestionType {
        ShortText = ("short_text", "Short text"),
        LongText = ("long_text", "Long text with a word limit"),
        WholeNumber = ("whole_number", "Whole number"),
        Money = ("money", "Amount of money"),
        Date = ("date", "Date"),
        YesNo = ("yes_no", "Yes or no"),
        SingleChoice = ("single_choice", "Choose one option"),
        MultipleChoice = ("multiple_choice", "Choose one or more options"),
        FileUpload = ("file_upload", "File upload"),
    }
);

impl QuestionType {
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionType::SingleChoice | QuestionType::MultipleChoice
        )
    }
}

coded_enum!(
    /// Legal forms of organisation that may apply.
    LegalForm {
        RegisteredCharity = ("registered_charity", "Registered charity"),
        Cio = ("cio", "Charitable incorporated organisation (CIO)"),
        CompanyLimitedByGuarantee = ("clg", "Company limited by guarantee"),
        Cic = ("cic", "Community interest company (CIC)"),
        CommunityBenefitSociety = ("cbs", "Community benefit society"),
        FaithGroup = ("faith_group", "Faith group"),
        CommunityGroup = ("community_group", "Unregistered community group"),
    }
);

/// What a round is checked for before it is published.
#[derive(Debug, Clone)]
pub struct PublishCheck<'a> {
    /// How many gaps it addresses.
    pub gaps: usize,
    /// Each criterion: its name, weight, and whether it draws on any of the round's sections.
    pub criteria: Vec<(&'a str, u32, bool)>,
    /// The titles of the round's own (custom) sections that have no questions.
    pub empty_sections: Vec<&'a str>,
    pub closes_at: DateTime<Utc>,
    /// The financial year whose pooled fund is not set up yet, if it is not.
    pub fund_missing: Option<super::fund::FinancialYear>,
}

/// What must be put right before a round can be published (empty when it can be).
pub fn publish_problems(check: &PublishCheck, now: DateTime<Utc>) -> Vec<String> {
    let mut problems = Vec::new();
    if check.gaps == 0 {
        problems.push("Choose at least one gap the round addresses".to_string());
    }
    let weights: Vec<u32> = check.criteria.iter().map(|(_, w, _)| *w).collect();
    if let Err(e) = check_weights(&weights) {
        problems.push(e);
    }
    for (name, _, has_sections) in &check.criteria {
        if !has_sections {
            problems.push(format!(
                "Choose the sections that the criterion \u{201c}{name}\u{201d} draws on"
            ));
        }
    }
    for title in &check.empty_sections {
        problems.push(format!(
            "Add questions to the section \u{201c}{title}\u{201d}, or remove it"
        ));
    }
    if check.closes_at <= now {
        problems.push("The closing date has passed. Change the dates".to_string());
    }
    if let Some(year) = check.fund_missing {
        problems.push(no_fund_message(year));
    }
    problems
}

/// Why a round cannot be published without its year's pooled fund.
pub fn no_fund_message(year: super::fund::FinancialYear) -> String {
    format!(
        "Set up the pooled fund for {} before publishing: the budget envelope is reserved from it",
        year.label()
    )
}

/// The financial year whose pooled fund a round opening at `opens_at` reserves from.
pub fn fund_year(opens_at: DateTime<Utc>) -> super::fund::FinancialYear {
    super::fund::FinancialYear::containing(super::date::uk_date(opens_at))
}

pub fn days_left(closes_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (super::date::uk_date(closes_at) - super::date::uk_date(now)).num_days()
}

/// "Closes today", "Closes tomorrow", "Closes in 12 days", "Closed".
pub fn closes_in(closes_at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if now >= closes_at {
        return "Closed".into();
    }
    match days_left(closes_at, now) {
        0 => "Closes today".into(),
        1 => "Closes tomorrow".into(),
        n => format!("Closes in {n} days"),
    }
}

#[cfg(test)]
mod tests;
