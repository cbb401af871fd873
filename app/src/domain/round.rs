//! Funding rounds: their lifecycle, questionnaire, scoring criteria and guidance text.
use super::money::Pence;
use super::FieldError;
use crate::coded_enum;

pub use super::guidance::{blocks, Block};
pub use super::questionnaire::{
    check_weights, Criterion, CriterionForm, Question, QuestionForm, MAX_SCORE,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A round's details as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub title: String,
    pub summary: String,
    pub guidance: String,
    pub envelope: String,
    pub min_award: String,
    pub max_award: String,
    pub period_months: String,
    pub max_income: String,
    pub area_served: String,
    pub opens_day: String,
    pub opens_month: String,
    pub opens_year: String,
    pub opens_time: String,
    pub closes_day: String,
    pub closes_month: String,
    pub closes_year: String,
    pub closes_time: String,
    pub decision_day: String,
    pub decision_month: String,
    pub decision_year: String,
    pub access: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundDetails {
    pub title: String,
    pub summary: String,
    pub guidance: String,
    pub envelope: Pence,
    pub min_award: Pence,
    pub max_award: Pence,
    pub period_months: u32,
    pub legal_forms: Vec<LegalForm>,
    pub max_income: Option<Pence>,
    pub area_served: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub decision_expected: chrono::NaiveDate,
    pub invited_only: bool,
}

impl RoundForm {
    /// Parse the details. `legal_forms` are the ticked codes; `gaps_chosen` says whether any
    /// gap was ticked (checked by the caller against the register).
    pub fn parse(&self, legal_forms: &[String]) -> Result<RoundDetails, Vec<FieldError>> {
        use super::date::{parse_date, parse_time, uk_local_to_utc};
        use super::text::{required_line, required_text};
        let mut e: Vec<FieldError> = Vec::new();
        let title = keep(
            required_line(
                "title",
                &self.title,
                "Enter the title of the round",
                150,
                "Title",
            ),
            &mut e,
        );
        let summary = keep(
            required_text(
                "summary",
                &self.summary,
                "Enter a summary of the round",
                600,
                "Summary",
            ),
            &mut e,
        );
        let guidance = keep(
            required_text(
                "guidance",
                &self.guidance,
                "Enter guidance for applicants",
                20_000,
                "Guidance",
            ),
            &mut e,
        );
        let envelope = keep(
            Pence::parse("envelope", "the budget envelope", &self.envelope),
            &mut e,
        );
        let min_award = keep(
            Pence::parse("min_award", "the minimum award", &self.min_award),
            &mut e,
        );
        let max_award = keep(
            Pence::parse("max_award", "the maximum award", &self.max_award),
            &mut e,
        );
        let period = match self.period_months.trim().parse::<u32>() {
            Ok(n) if (1..=60).contains(&n) => Some(n),
            _ if self.period_months.trim().is_empty() => {
                e.push(FieldError::new(
                    "period_months",
                    "Enter the funding period in months",
                ));
                None
            }
            _ => {
                e.push(FieldError::new(
                    "period_months",
                    "Funding period must be a whole number of months between 1 and 60",
                ));
                None
            }
        };
        let max_income = if self.max_income.trim().is_empty() {
            Some(None)
        } else {
            keep(
                Pence::parse("max_income", "the maximum annual income", &self.max_income),
                &mut e,
            )
            .map(Some)
        };
        let area = keep(
            required_line(
                "area_served",
                &self.area_served,
                "Enter the area the service must cover",
                300,
                "Area served",
            ),
            &mut e,
        );
        let forms: Vec<LegalForm> = legal_forms
            .iter()
            .filter_map(|c| LegalForm::from_code(c))
            .collect();
        if forms.is_empty() {
            e.push(FieldError::new(
                "legal_forms",
                "Select which kinds of organisation may apply",
            ));
        }
        let opens_date = keep(
            parse_date(
                "opens",
                "Opening date",
                &self.opens_day,
                &self.opens_month,
                &self.opens_year,
                true,
            ),
            &mut e,
        )
        .flatten();
        let opens_time = keep(
            parse_time("opens_time", "Opening time", &self.opens_time),
            &mut e,
        );
        let closes_date = keep(
            parse_date(
                "closes",
                "Closing date",
                &self.closes_day,
                &self.closes_month,
                &self.closes_year,
                true,
            ),
            &mut e,
        )
        .flatten();
        let closes_time = keep(
            parse_time("closes_time", "Closing time", &self.closes_time),
            &mut e,
        );
        let decision = keep(
            parse_date(
                "decision",
                "Decision date",
                &self.decision_day,
                &self.decision_month,
                &self.decision_year,
                true,
            ),
            &mut e,
        )
        .flatten();
        let opens_at = match (opens_date, opens_time) {
            (Some(d), Some(t)) => keep(uk_local_to_utc("opens_time", "Opening time", d, t), &mut e),
            _ => None,
        };
        let closes_at = match (closes_date, closes_time) {
            (Some(d), Some(t)) => {
                keep(uk_local_to_utc("closes_time", "Closing time", d, t), &mut e)
            }
            _ => None,
        };
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c <= o {
                e.push(FieldError::new(
                    "closes",
                    "Closing date must be after the opening date",
                ));
            }
        }
        if let (Some(c), Some(d)) = (closes_at, decision) {
            if d < super::date::uk_date(c) {
                e.push(FieldError::new(
                    "decision",
                    "Decision date must be on or after the closing date",
                ));
            }
        }
        if let (Some(min), Some(max)) = (min_award, max_award) {
            if max.0 == 0 {
                e.push(FieldError::new(
                    "max_award",
                    "The maximum award must be more than £0",
                ));
            } else if min > max {
                e.push(FieldError::new(
                    "min_award",
                    "The minimum award must not be more than the maximum award",
                ));
            }
        }
        if let (Some(max), Some(env)) = (max_award, envelope) {
            if max > env {
                e.push(FieldError::new(
                    "max_award",
                    "The maximum award must not be more than the budget envelope",
                ));
            }
        }
        let invited_only = match self.access.as_str() {
            "open" => Some(false),
            "invited" => Some(true),
            _ => {
                e.push(FieldError::new("access", "Select who can bid"));
                None
            }
        };
        match (
            title,
            summary,
            guidance,
            envelope,
            min_award,
            max_award,
            period,
            max_income,
            area,
            opens_at,
            closes_at,
            decision,
            invited_only,
        ) {
            (
                Some(title),
                Some(summary),
                Some(guidance),
                Some(envelope),
                Some(min_award),
                Some(max_award),
                Some(period_months),
                Some(max_income),
                Some(area_served),
                Some(opens_at),
                Some(closes_at),
                Some(decision_expected),
                Some(invited_only),
            ) if e.is_empty() => Ok(RoundDetails {
                title,
                summary,
                guidance,
                envelope,
                min_award,
                max_award,
                period_months,
                legal_forms: forms,
                max_income,
                area_served,
                opens_at,
                closes_at,
                decision_expected,
                invited_only,
            }),
            _ => Err(e),
        }
    }
}

impl RoundDetails {
    pub fn to_form(&self) -> RoundForm {
        use super::date::{uk_date, uk_time_value};
        use chrono::Datelike;
        let o = uk_date(self.opens_at);
        let c = uk_date(self.closes_at);
        let d = self.decision_expected;
        RoundForm {
            title: self.title.clone(),
            summary: self.summary.clone(),
            guidance: self.guidance.clone(),
            envelope: self.envelope.form_value(),
            min_award: self.min_award.form_value(),
            max_award: self.max_award.form_value(),
            period_months: self.period_months.to_string(),
            max_income: self.max_income.map(|p| p.form_value()).unwrap_or_default(),
            area_served: self.area_served.clone(),
            opens_day: o.day().to_string(),
            opens_month: o.month().to_string(),
            opens_year: o.year().to_string(),
            opens_time: uk_time_value(self.opens_at),
            closes_day: c.day().to_string(),
            closes_month: c.month().to_string(),
            closes_year: c.year().to_string(),
            closes_time: uk_time_value(self.closes_at),
            decision_day: d.day().to_string(),
            decision_month: d.month().to_string(),
            decision_year: d.year().to_string(),
            access: if self.invited_only { "invited" } else { "open" }.into(),
        }
    }
}

/// Whole days left before `closes_at`, counted in UK dates ("closes in 3 days").
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
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, d, h, 0, 0).unwrap()
    }

    #[test]
    fn published_rounds_open_and_close_by_the_clock() {
        let (opens, closes) = (at(10, 9), at(20, 12));
        let p = |now| phase(RoundStatus::Published, opens, closes, now);
        assert_eq!(p(at(9, 9)), RoundStatus::Published);
        assert_eq!(p(at(10, 9)), RoundStatus::Open);
        assert_eq!(p(at(20, 11)), RoundStatus::Open);
        assert_eq!(p(at(20, 12)), RoundStatus::Closed);
        assert_eq!(
            phase(RoundStatus::Open, opens, closes, at(21, 0)),
            RoundStatus::Closed
        );
        assert_eq!(
            phase(RoundStatus::Draft, opens, closes, at(21, 0)),
            RoundStatus::Draft
        );
        assert_eq!(
            phase(RoundStatus::Assessment, opens, closes, at(21, 0)),
            RoundStatus::Assessment
        );
    }

    #[test]
    fn people_cannot_open_or_close_rounds_by_hand() {
        assert!(can_move(RoundStatus::Draft, RoundStatus::Published).is_ok());
        assert!(can_move(RoundStatus::Published, RoundStatus::Open).is_err());
        assert!(can_move(RoundStatus::Open, RoundStatus::Closed).is_err());
        assert!(can_move(RoundStatus::Closed, RoundStatus::Assessment).is_ok());
        assert_eq!(
            can_move(RoundStatus::Decided, RoundStatus::Draft).unwrap_err(),
            "A round that is decided cannot become draft"
        );
        assert!(clock_moves(RoundStatus::Published, RoundStatus::Closed));
        assert!(!clock_moves(RoundStatus::Draft, RoundStatus::Open));
    }

    proptest! {
        #[test]
        fn the_clock_only_moves_forward(stored in 0usize..6, a in 0i64..1000, b in 0i64..1000, now in 0i64..1000) {
            let stored = RoundStatus::ALL[stored];
            let base = at(1, 0);
            let opens = base + chrono::Duration::hours(a.min(b));
            let closes = base + chrono::Duration::hours(a.max(b) + 1);
            let now = base + chrono::Duration::hours(now);
            let real = phase(stored, opens, closes, now);
            // Either nothing changed or the clock made a legal move.
            prop_assert!(real == stored || clock_moves(stored, real));
            // A published round is never taken as open outside its window.
            if stored == RoundStatus::Published && real == RoundStatus::Open {
                prop_assert!(now >= opens && now < closes);
            }
        }
    }

    fn good_round() -> RoundForm {
        RoundForm {
            title: "Affordable chiropody".into(),
            summary: "Seed funding for foot care".into(),
            guidance: "Read this".into(),
            envelope: "60000".into(),
            min_award: "5000".into(),
            max_award: "30000".into(),
            period_months: "24".into(),
            area_served: "North East Lincolnshire".into(),
            opens_day: "1".into(),
            opens_month: "6".into(),
            opens_year: "2027".into(),
            opens_time: "9am".into(),
            closes_day: "30".into(),
            closes_month: "6".into(),
            closes_year: "2027".into(),
            closes_time: "12pm".into(),
            decision_day: "31".into(),
            decision_month: "7".into(),
            decision_year: "2027".into(),
            access: "open".into(),
            ..Default::default()
        }
    }

    #[test]
    fn round_details_parse_in_uk_time() {
        let d = good_round()
            .parse(&["cic".into(), "registered_charity".into()])
            .unwrap();
        assert_eq!(
            d.opens_at,
            Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap()
        );
        assert_eq!(
            d.closes_at,
            Utc.with_ymd_and_hms(2027, 6, 30, 11, 0, 0).unwrap()
        );
        assert_eq!(
            d.legal_forms,
            vec![LegalForm::Cic, LegalForm::RegisteredCharity]
        );
        assert_eq!(
            d.to_form()
                .parse(&["cic".into(), "registered_charity".into()])
                .unwrap(),
            d
        );
    }

    #[test]
    fn round_details_must_make_sense_together() {
        let bad = RoundForm {
            max_award: "70000".into(),
            min_award: "80000".into(),
            closes_month: "5".into(),
            ..good_round()
        };
        let errors = bad.parse(&[]).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(messages.contains(&"Select which kinds of organisation may apply"));
        assert!(messages.contains(&"Closing date must be after the opening date"));
        assert!(messages.contains(&"The minimum award must not be more than the maximum award"));
        assert!(messages.contains(&"The maximum award must not be more than the budget envelope"));
    }

    #[test]
    fn counts_days_to_the_deadline_in_uk_dates() {
        let closes = Utc.with_ymd_and_hms(2027, 1, 20, 12, 0, 0).unwrap();
        assert_eq!(
            closes_in(closes, Utc.with_ymd_and_hms(2027, 1, 20, 8, 0, 0).unwrap()),
            "Closes today"
        );
        assert_eq!(
            closes_in(closes, Utc.with_ymd_and_hms(2027, 1, 19, 23, 0, 0).unwrap()),
            "Closes tomorrow"
        );
        assert_eq!(
            closes_in(closes, Utc.with_ymd_and_hms(2027, 1, 8, 8, 0, 0).unwrap()),
            "Closes in 12 days"
        );
        assert_eq!(closes_in(closes, closes), "Closed");
    }

    #[test]
    fn a_round_is_published_only_when_complete() {
        let now = Utc::now();
        let later = now + chrono::Duration::days(30);
        let complete = PublishCheck {
            gaps: 1,
            criteria: vec![("Sustainability", 60, true), ("Need", 40, true)],
            empty_sections: vec![],
            closes_at: later,
            fund_missing: None,
        };
        assert!(publish_problems(&complete, now).is_empty());
        let year = fund_year(now);
        let broken = PublishCheck {
            gaps: 0,
            criteria: vec![("Sustainability", 60, false)],
            empty_sections: vec!["Carers' views"],
            closes_at: now,
            fund_missing: Some(year),
        };
        let problems = publish_problems(&broken, now);
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert_eq!(problems[0], "Choose at least one gap the round addresses");
        assert!(problems
            .iter()
            .any(|p| p.contains("\u{201c}Sustainability\u{201d} draws on")));
        assert!(problems
            .iter()
            .any(|p| p.contains("\u{201c}Carers' views\u{201d}, or remove it")));
        assert!(problems
            .iter()
            .any(|p| p == "The closing date has passed. Change the dates"));
        assert_eq!(problems[5], no_fund_message(year));
    }
}
