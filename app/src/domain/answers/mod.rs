//! A bid's answers as the applicant typed them, and the checks made on them.
//!
//! Every save keeps what was typed (a map of field name to text), so nothing is lost; the
//! checks run after the save. Only what has been typed is checked while a section is in
//! progress; marking it complete also requires every required answer.
use super::date::parse_date;
use super::money::Pence;
use super::questionnaire::Question;
use super::round::{QuestionType, SectionKind};
use super::text::{check_characters, word_count};
use super::FieldError;
use std::collections::BTreeMap;

mod budget;
mod plan;
pub use budget::*;
pub use plan::*;

pub type Answers = BTreeMap<String, String>;

/// The longest answer kept for any one field (a long text's word limit is checked too).
pub const MAX_FIELD_CHARS: usize = 50_000;
/// Short text answers.
pub const MAX_SHORT_CHARS: usize = 500;

/// The form field that posts an answer: `answer[q12]`.
pub fn field(key: &str) -> String {
    format!("answer[{key}]")
}

pub fn question_key(id: i64) -> String {
    format!("q{id}")
}

fn value<'a>(a: &'a Answers, key: &str) -> &'a str {
    a.get(key).map(|s| s.trim()).unwrap_or("")
}

/// The years of a funding period: 18 months is 2 years.
pub fn funded_years(period_months: u32) -> usize {
    period_months.div_ceil(12).max(1) as usize
}

/// Keep only this form's answer fields, each cut to a safe length (a 1 MB paste is kept
/// to the first 50,000 characters rather than refused unsaved).
pub fn clean(mut posted: Answers) -> Answers {
    posted.retain(|k, _| k.len() <= 40 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    for v in posted.values_mut() {
        if v.chars().count() > MAX_FIELD_CHARS {
            *v = v.chars().take(MAX_FIELD_CHARS).collect();
        }
    }
    posted
}

/// Check one question's answer. `has_file` says whether a file-upload question has its
/// file; `complete` requires an answer to a required question.
pub fn check_question(
    id: i64,
    q: &Question,
    a: &Answers,
    has_file: bool,
    complete: bool,
) -> Option<FieldError> {
    let key = question_key(id);
    let name = field(&key);
    let label = &q.label;
    let needed = complete && q.required;
    let text = value(a, &key);
    let err = |message: String| Some(FieldError::new(&name, message));
    match q.qtype {
        QuestionType::ShortText | QuestionType::LongText => {
            if text.is_empty() {
                return needed
                    .then(|| FieldError::new(&name, format!("Enter your answer to \"{label}\"")));
            }
            let one_line = q.qtype == QuestionType::ShortText;
            if let Err(e) = check_characters(
                &name,
                text,
                &format!("Your answer to \"{label}\""),
                !one_line,
            ) {
                return Some(e);
            }
            if one_line && text.chars().count() > MAX_SHORT_CHARS {
                return err(format!(
                    "Your answer to \"{label}\" must be {MAX_SHORT_CHARS} characters or fewer"
                ));
            }
            if let Some(limit) = q.word_limit {
                let words = word_count(text);
                if words > limit as usize {
                    return err(format!(
                        "Your answer to \"{label}\" must be {limit} words or fewer (it has {words})"
                    ));
                }
            }
            None
        }
        QuestionType::WholeNumber => {
            if text.is_empty() {
                return needed
                    .then(|| FieldError::new(&name, format!("Enter a number for \"{label}\"")));
            }
            let cleaned: String = text.chars().filter(|c| *c != ',').collect();
            match cleaned.parse::<u64>() {
                Ok(n) if n <= 1_000_000_000 => None,
                Ok(_) => err(format!(
                    "The number for \"{label}\" must be 1,000,000,000 or less"
                )),
                Err(_) => err(format!(
                    "The answer to \"{label}\" must be a whole number, like 120"
                )),
            }
        }
        QuestionType::Money => {
            if text.is_empty() {
                return needed
                    .then(|| FieldError::new(&name, format!("Enter an amount for \"{label}\"")));
            }
            Pence::parse(&name, &format!("the amount for \"{label}\""), text).err()
        }
        QuestionType::Date => {
            let part = |p: &str| value(a, &format!("{key}_{p}")).to_string();
            let (d, m, y) = (part("day"), part("month"), part("year"));
            if d.is_empty() && m.is_empty() && y.is_empty() && !needed {
                return None;
            }
            parse_date(
                &name,
                &format!("the date for \"{label}\""),
                &d,
                &m,
                &y,
                true,
            )
            .err()
        }
        QuestionType::YesNo => match text {
            "yes" | "no" => None,
            "" if !needed => None,
            _ => err(format!("Select yes or no for \"{label}\"")),
        },
        QuestionType::SingleChoice => {
            if text.is_empty() {
                return needed
                    .then(|| FieldError::new(&name, format!("Select an option for \"{label}\"")));
            }
            if q.options.iter().any(|o| o == text) {
                None
            } else {
                err(format!("Select one of the options for \"{label}\""))
            }
        }
        QuestionType::MultipleChoice => {
            let any = (0..q.options.len()).any(|i| !value(a, &format!("{key}_{i}")).is_empty());
            (needed && !any).then(|| {
                FieldError::new(
                    field(&format!("{key}_0")),
                    format!("Select at least one option for \"{label}\""),
                )
            })
        }
        QuestionType::FileUpload => (needed && !has_file)
            .then(|| FieldError::new(&name, format!("Upload a file for \"{label}\""))),
    }
}

/// An answer as it reads on the check answers page and in the printed bid.
pub fn display(id: i64, q: &Question, a: &Answers, file_name: Option<&str>) -> String {
    let key = question_key(id);
    let text = value(a, &key);
    let blank = || "Not answered".to_string();
    match q.qtype {
        QuestionType::Date => {
            let part = |p: &str| value(a, &format!("{key}_{p}")).to_string();
            match parse_date("x", "x", &part("day"), &part("month"), &part("year"), true) {
                Ok(Some(date)) => super::date::display_date(date),
                _ => blank(),
            }
        }
        QuestionType::YesNo => match text {
            "yes" => "Yes".into(),
            "no" => "No".into(),
            _ => blank(),
        },
        QuestionType::Money => Pence::parse("x", "x", text)
            .map(|p| p.display())
            .unwrap_or_else(|_| blank()),
        QuestionType::MultipleChoice => {
            let chosen: Vec<&str> = q
                .options
                .iter()
                .enumerate()
                .filter(|(i, _)| !value(a, &format!("{key}_{i}")).is_empty())
                .map(|(_, o)| o.as_str())
                .collect();
            if chosen.is_empty() {
                blank()
            } else {
                chosen.join(", ")
            }
        }
        QuestionType::FileUpload => file_name.map(String::from).unwrap_or_else(blank),
        _ if text.is_empty() => blank(),
        _ => text.to_string(),
    }
}

/// Whether the organisation section is confirmed (its only answer: a ticked box).
pub fn confirmed(a: &Answers) -> bool {
    !value(a, "confirmed").is_empty()
}

/// What a section's checks need to know about the round and the rest of the bid.
#[derive(Debug, Clone, Default)]
pub struct SectionContext {
    pub funded_years: usize,
    pub min_award: Pence,
    pub max_award: Pence,
    /// The amount asked for in the budget, once the budget parses.
    pub requested: Option<Pence>,
    /// Questions that have their file uploaded.
    pub files: Vec<i64>,
}

/// Everything wrong with a section's answers (only what was typed, unless `complete`).
pub fn check_section(
    kind: SectionKind,
    questions: &[(i64, Question)],
    a: &Answers,
    ctx: &SectionContext,
    complete: bool,
) -> Vec<FieldError> {
    match kind {
        SectionKind::Custom => questions
            .iter()
            .filter_map(|(id, q)| check_question(*id, q, a, ctx.files.contains(id), complete))
            .collect(),
        SectionKind::Organisation => {
            if complete && !confirmed(a) {
                vec![FieldError::new(
                    field("confirmed"),
                    "Confirm that your organisation's details are correct",
                )]
            } else {
                vec![]
            }
        }
        SectionKind::Budget => parse_budget(
            a,
            ctx.funded_years,
            (ctx.min_award, ctx.max_award),
            complete,
        )
        .err()
        .unwrap_or_default(),
        SectionKind::Sustainability => parse_plan(a, ctx.funded_years, ctx.requested, complete)
            .err()
            .unwrap_or_default(),
    }
}

/// One row of a section's answers on check answers, the bid as read and the printed bid.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AnswerRow {
    pub question: String,
    pub answer: String,
    /// Worked out from other answers (a total, the plan's summary) or kept elsewhere (the
    /// organisation's details): check answers offers no "Change" link beside it.
    pub worked_out: bool,
}

impl AnswerRow {
    pub fn typed(question: impl Into<String>, answer: impl Into<String>) -> Self {
        Self {
            question: question.into(),
            answer: answer.into(),
            worked_out: false,
        }
    }

    pub fn worked_out(question: impl Into<String>, answer: impl Into<String>) -> Self {
        Self {
            worked_out: true,
            ..Self::typed(question, answer)
        }
    }
}

/// A section's answers as rows, for check answers and the printed bid: what the applicant
/// typed, and what is worked out from it (no "Change" beside that).
pub fn answer_rows(
    kind: SectionKind,
    questions: &[(i64, Question)],
    a: &Answers,
    ctx: &SectionContext,
    file_names: &[(i64, String)],
) -> Vec<AnswerRow> {
    match kind {
        SectionKind::Custom => questions
            .iter()
            .map(|(id, q)| {
                let file = file_names
                    .iter()
                    .find(|(f, _)| f == id)
                    .map(|(_, n)| n.as_str());
                AnswerRow::typed(q.label.clone(), display(*id, q, a, file))
            })
            .collect(),
        SectionKind::Organisation => vec![AnswerRow::typed(
            "Details confirmed as correct for this bid",
            if confirmed(a) { "Yes" } else { "No" },
        )],
        SectionKind::Budget => {
            match parse_budget(a, ctx.funded_years, (ctx.min_award, ctx.max_award), false) {
                Err(_) => vec![AnswerRow::typed("Budget", "Not complete")],
                Ok(budget) => {
                    let years = ctx.funded_years;
                    let mut rows: Vec<AnswerRow> = budget
                        .lines
                        .iter()
                        .map(|l| {
                            let amounts = l
                                .amounts
                                .iter()
                                .enumerate()
                                .map(|(i, p)| format!("year {}: {}", i + 1, p.display()))
                                .collect::<Vec<_>>()
                                .join(", ");
                            AnswerRow::typed(
                                format!("{} ({})", l.description, l.category.label()),
                                amounts,
                            )
                        })
                        .collect();
                    let (_, total) = budget.totals(years);
                    rows.push(AnswerRow::worked_out("Total cost", total.display()));
                    rows.push(AnswerRow::typed(
                        "Amount requested",
                        budget
                            .requested
                            .map(|p| p.display())
                            .unwrap_or_else(|| "Not answered".into()),
                    ));
                    rows
                }
            }
        }
        SectionKind::Sustainability => match parse_plan(a, ctx.funded_years, None, false) {
            Err(_) => vec![AnswerRow::typed("Sustainability plan", "Not complete")],
            Ok(plan) => {
                let mut rows: Vec<AnswerRow> = plan
                    .iter()
                    .enumerate()
                    .map(|(i, y)| {
                        AnswerRow::typed(
                            format!("Year {}", i + 1),
                            format!(
                                "Costs {}, income {}, {} {}, grant dependency {}%",
                                y.costs.display(),
                                y.total_income().display(),
                                if y.surplus().0 < 0 {
                                    "shortfall"
                                } else {
                                    "surplus"
                                },
                                Pence(y.surplus().0.abs()).display(),
                                y.dependency_percent()
                            ),
                        )
                    })
                    .collect();
                rows.push(AnswerRow::worked_out("Summary", super::bid::summary(&plan)));
                rows
            }
        },
    }
}

#[cfg(test)]
mod tests;
