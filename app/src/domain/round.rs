//! Funding rounds: their lifecycle, questionnaire, scoring criteria and guidance text.
use super::money::Pence;
use super::FieldError;
use crate::coded_enum;
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

/// A question as typed into the builder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub label: String,
    pub hint: String,
    pub qtype: String,
    pub required: String,
    pub word_limit: String,
    pub options: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub label: String,
    pub hint: String,
    pub qtype: QuestionType,
    pub required: bool,
    pub word_limit: Option<u32>,
    /// For choice questions: the options, one per line in the form.
    pub options: Vec<String>,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<Question, Vec<FieldError>> {
        let mut errors = Vec::new();
        let label = self.label.trim();
        if label.is_empty() {
            errors.push(FieldError::new("label", "Enter the question"));
        } else if label.chars().count() > 500 {
            errors.push(FieldError::new(
                "label",
                "The question must be 500 characters or fewer",
            ));
        }
        if self.hint.trim().chars().count() > 1000 {
            errors.push(FieldError::new(
                "hint",
                "Hint text must be 1000 characters or fewer",
            ));
        }
        let qtype = QuestionType::parse("qtype", &self.qtype, "Select the type of answer")
            .map_err(|e| errors.push(e))
            .ok();
        let required = match self.required.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(FieldError::new(
                    "required",
                    "Select whether an answer is required",
                ));
                None
            }
        };
        let mut word_limit = None;
        if qtype == Some(QuestionType::LongText) {
            match self.word_limit.trim().parse::<u32>() {
                Ok(n) if (1..=5000).contains(&n) => word_limit = Some(n),
                _ if self.word_limit.trim().is_empty() => {
                    errors.push(FieldError::new("word_limit", "Enter the word limit"))
                }
                _ => errors.push(FieldError::new(
                    "word_limit",
                    "Word limit must be a whole number between 1 and 5000",
                )),
            }
        }
        let options: Vec<String> = self
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if qtype.is_some_and(QuestionType::has_options) && options.len() < 2 {
            errors.push(FieldError::new(
                "options",
                "Enter at least 2 options, one on each line",
            ));
        }
        match (qtype, required) {
            (Some(qtype), Some(required)) if errors.is_empty() => Ok(Question {
                label: label.to_string(),
                hint: self.hint.trim().to_string(),
                qtype,
                required,
                word_limit,
                options: if qtype.has_options() { options } else { vec![] },
            }),
            _ => Err(errors),
        }
    }
}

impl Question {
    pub fn to_form(&self) -> QuestionForm {
        QuestionForm {
            label: self.label.clone(),
            hint: self.hint.clone(),
            qtype: self.qtype.code().into(),
            required: if self.required { "yes" } else { "no" }.into(),
            word_limit: self.word_limit.map(|n| n.to_string()).unwrap_or_default(),
            options: self.options.join("\n"),
        }
    }
}

/// A scoring criterion as typed into the builder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionForm {
    pub name: String,
    pub guidance: String,
    pub weight: String,
    pub min_score: String,
    pub descriptor_0: String,
    pub descriptor_1: String,
    pub descriptor_2: String,
    pub descriptor_3: String,
    pub descriptor_4: String,
    pub descriptor_5: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub guidance: String,
    /// Out of 100 across the round.
    pub weight: u32,
    pub min_score: Option<u32>,
    /// What each score from 0 to 5 means.
    pub descriptors: [String; 6],
}

pub const MAX_SCORE: u32 = 5;

impl CriterionForm {
    pub fn descriptors(&self) -> [&str; 6] {
        [
            &self.descriptor_0,
            &self.descriptor_1,
            &self.descriptor_2,
            &self.descriptor_3,
            &self.descriptor_4,
            &self.descriptor_5,
        ]
    }

    pub fn parse(&self) -> Result<Criterion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Enter the name of the criterion"));
        } else if name.chars().count() > 150 {
            errors.push(FieldError::new(
                "name",
                "Name must be 150 characters or fewer",
            ));
        }
        let weight = match self.weight.trim().parse::<u32>() {
            Ok(w) if (1..=100).contains(&w) => Some(w),
            _ if self.weight.trim().is_empty() => {
                errors.push(FieldError::new("weight", "Enter the weight"));
                None
            }
            _ => {
                errors.push(FieldError::new(
                    "weight",
                    "Weight must be a whole number between 1 and 100",
                ));
                None
            }
        };
        let min_score = match self.min_score.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if n <= MAX_SCORE => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "min_score",
                        "Minimum score must be a whole number from 0 to 5, or left blank",
                    ));
                    None
                }
            },
        };
        let descriptors = self.descriptors().map(|d| d.trim().to_string());
        for (score, text) in descriptors.iter().enumerate() {
            if text.is_empty() {
                errors.push(FieldError::new(
                    format!("descriptor_{score}"),
                    format!("Describe what a score of {score} means"),
                ));
            }
        }
        match weight {
            Some(weight) if errors.is_empty() => Ok(Criterion {
                name: name.to_string(),
                guidance: self.guidance.trim().to_string(),
                weight,
                min_score,
                descriptors,
            }),
            _ => Err(errors),
        }
    }
}

impl Criterion {
    pub fn to_form(&self) -> CriterionForm {
        let [d0, d1, d2, d3, d4, d5] = self.descriptors.clone();
        CriterionForm {
            name: self.name.clone(),
            guidance: self.guidance.clone(),
            weight: self.weight.to_string(),
            min_score: self.min_score.map(|n| n.to_string()).unwrap_or_default(),
            descriptor_0: d0,
            descriptor_1: d1,
            descriptor_2: d2,
            descriptor_3: d3,
            descriptor_4: d4,
            descriptor_5: d5,
        }
    }

    /// Every new round starts with this criterion: sustainability, heavily weighted,
    /// with a minimum score of 3 below which a bid cannot be funded.
    pub fn sustainability() -> Criterion {
        Criterion {
            name: "Sustainability".into(),
            guidance: "How convincingly the plan brings grant dependency to zero by the end of the funding period, with income from charges, other funding or volunteers covering the costs.".into(),
            weight: 40,
            min_score: Some(3),
            descriptors: [
                "Unacceptable: no credible plan to continue without the grant".into(),
                "Poor: relies on the grant throughout, with no other income identified".into(),
                "Weak: other income identified but unlikely to cover costs".into(),
                "Satisfactory: a credible plan that reaches zero grant dependency, with some risks".into(),
                "Good: a well-evidenced plan with income covering costs before the grant ends".into(),
                "Excellent: self-sustaining early, with evidence such as existing charging or committed funders".into(),
            ],
        }
    }
}

/// The weights of a round's criteria must add up to 100 before it is published.
pub fn check_weights(weights: &[u32]) -> Result<(), String> {
    let total: u32 = weights.iter().sum();
    if weights.is_empty() {
        Err("Add at least one scoring criterion".into())
    } else if total == 100 {
        Ok(())
    } else {
        Err(format!(
            "The weights of the scoring criteria must add up to 100. They add up to {total}"
        ))
    }
}

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
        use super::text::required_text;
        let mut e: Vec<FieldError> = Vec::new();
        let title = keep(
            required_text(
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
            required_text(
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

/// Guidance is plain text: blank lines separate paragraphs; lines starting "- " or "* "
/// make a bulleted list and "1. " a numbered one. Nothing is ever read as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Paragraph(String),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
}

pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let normalised = text.replace("\r\n", "\n");
    for chunk in normalised.split("\n\n") {
        let lines: Vec<&str> = chunk
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut para: Vec<&str> = Vec::new();
        let mut bullets: Vec<String> = Vec::new();
        let mut numbered: Vec<String> = Vec::new();
        let flush = |out: &mut Vec<Block>,
                     para: &mut Vec<&str>,
                     bullets: &mut Vec<String>,
                     numbered: &mut Vec<String>| {
            if !para.is_empty() {
                out.push(Block::Paragraph(para.join(" ")));
                para.clear();
            }
            if !bullets.is_empty() {
                out.push(Block::Bullets(std::mem::take(bullets)));
            }
            if !numbered.is_empty() {
                out.push(Block::Numbered(std::mem::take(numbered)));
            }
        };
        for line in lines {
            if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
                if !para.is_empty() || !numbered.is_empty() {
                    flush(&mut out, &mut para, &mut bullets, &mut numbered);
                }
                bullets.push(item.trim().to_string());
            } else if let Some(item) = numbered_item(line) {
                if !para.is_empty() || !bullets.is_empty() {
                    flush(&mut out, &mut para, &mut bullets, &mut numbered);
                }
                numbered.push(item.to_string());
            } else {
                if !bullets.is_empty() || !numbered.is_empty() {
                    flush(&mut out, &mut para, &mut bullets, &mut numbered);
                }
                para.push(line);
            }
        }
        flush(&mut out, &mut para, &mut bullets, &mut numbered);
    }
    out
}

fn numbered_item(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    line[digits..].strip_prefix(". ").map(str::trim)
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

    #[test]
    fn weights_must_total_100() {
        assert!(check_weights(&[40, 30, 30]).is_ok());
        assert_eq!(
            check_weights(&[40, 30]).unwrap_err(),
            "The weights of the scoring criteria must add up to 100. They add up to 70"
        );
        assert!(check_weights(&[]).is_err());
    }

    #[test]
    fn a_criterion_needs_every_descriptor() {
        let mut form = Criterion::sustainability().to_form();
        assert_eq!(form.parse().unwrap(), Criterion::sustainability());
        form.descriptor_3 = " ".into();
        form.weight = "0".into();
        let errors = form.parse().unwrap_err();
        assert_eq!(
            errors[0].message,
            "Weight must be a whole number between 1 and 100"
        );
        assert_eq!(errors[1].message, "Describe what a score of 3 means");
    }

    #[test]
    fn questions_check_their_type_specific_parts() {
        let form = QuestionForm {
            label: "How will carers be involved?".into(),
            qtype: "long_text".into(),
            required: "yes".into(),
            ..Default::default()
        };
        assert_eq!(form.parse().unwrap_err()[0].message, "Enter the word limit");
        let ok = QuestionForm {
            word_limit: "500".into(),
            ..form.clone()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.word_limit, Some(500));
        let choice = QuestionForm {
            qtype: "single_choice".into(),
            options: "Weekly\n".into(),
            ..form
        };
        assert_eq!(
            choice.parse().unwrap_err()[0].message,
            "Enter at least 2 options, one on each line"
        );
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
    fn guidance_becomes_paragraphs_and_lists_never_html() {
        let text = "Who can apply\nLocal groups.\n\n- Charities\n- CICs\n\n1. Read this\n2. Bid\n\n<script>alert(1)</script>";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("Who can apply Local groups.".into()),
                Block::Bullets(vec!["Charities".into(), "CICs".into()]),
                Block::Numbered(vec!["Read this".into(), "Bid".into()]),
                Block::Paragraph("<script>alert(1)</script>".into()),
            ]
        );
    }
}
