//! A bid's answers as the applicant typed them, and the checks made on them.
//!
//! Every save keeps what was typed (a map of field name to text), so nothing is lost; the
//! checks run after the save. Only what has been typed is checked while a section is in
//! progress; marking it complete also requires every required answer.
use super::bid::{budget_totals, check_request, BudgetCategory, BudgetLine, PlanYear};
use super::date::parse_date;
use super::money::Pence;
use super::questionnaire::Question;
use super::round::{QuestionType, SectionKind};
use super::text::{check_characters, word_count};
use super::FieldError;
use std::collections::BTreeMap;

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

/// Blank budget rows offered below the lines already typed.
pub const SPARE_BUDGET_ROWS: usize = 2;
/// The most budget lines a bid can have.
pub const MAX_BUDGET_LINES: usize = 40;

fn line_key(i: usize, part: &str) -> String {
    format!("line{i}_{part}")
}

fn line_is_blank(a: &Answers, i: usize, years: usize) -> bool {
    value(a, &line_key(i, "description")).is_empty()
        && value(a, &line_key(i, "category")).is_empty()
        && (1..=years).all(|y| value(a, &line_key(i, &format!("y{y}"))).is_empty())
}

/// How many budget rows the answers hold (the last row with anything typed in it).
pub fn budget_rows(a: &Answers, years: usize) -> usize {
    (0..MAX_BUDGET_LINES)
        .rev()
        .find(|i| !line_is_blank(a, *i, years))
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// The budget as typed: its lines and the amount requested, or what is wrong with it.
pub struct Budget {
    pub lines: Vec<BudgetLine>,
    pub requested: Option<Pence>,
}

impl Budget {
    pub fn totals(&self, years: usize) -> (Vec<Pence>, Pence) {
        budget_totals(&self.lines, years)
    }
}

pub fn parse_budget(
    a: &Answers,
    years: usize,
    limits: (Pence, Pence),
    complete: bool,
) -> Result<Budget, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for i in 0..budget_rows(a, years) {
        if line_is_blank(a, i, years) {
            continue;
        }
        let n = i + 1;
        let description = value(a, &line_key(i, "description"));
        let desc_field = field(&line_key(i, "description"));
        if description.is_empty() {
            errors.push(FieldError::new(
                &desc_field,
                format!("Enter a description for budget line {n}"),
            ));
        } else if description.chars().count() > 200 {
            errors.push(FieldError::new(
                &desc_field,
                format!("The description of budget line {n} must be 200 characters or fewer"),
            ));
        } else if let Err(e) = check_characters(
            &desc_field,
            description,
            &format!("The description of budget line {n}"),
            false,
        ) {
            errors.push(e);
        }
        let category = BudgetCategory::from_code(value(a, &line_key(i, "category")));
        if category.is_none() {
            errors.push(FieldError::new(
                field(&line_key(i, "category")),
                format!("Select a category for budget line {n}"),
            ));
        }
        let mut amounts = Vec::new();
        for y in 1..=years {
            let key = line_key(i, &format!("y{y}"));
            let text = value(a, &key);
            if text.is_empty() {
                amounts.push(Pence(0));
                continue;
            }
            match Pence::parse(
                &field(&key),
                &format!("the year {y} amount for budget line {n}"),
                text,
            ) {
                Ok(p) => amounts.push(p),
                Err(e) => errors.push(e),
            }
        }
        if let Some(category) = category {
            lines.push(BudgetLine {
                description: description.to_string(),
                category,
                amounts,
            });
        }
    }
    if complete && lines.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            field(&line_key(0, "description")),
            "Enter at least one budget line",
        ));
    }
    let requested_text = value(a, "amount_requested");
    let requested_field = field("amount_requested");
    let requested = if requested_text.is_empty() {
        if complete {
            errors.push(FieldError::new(
                &requested_field,
                "Enter the amount you are asking for",
            ));
        }
        None
    } else {
        match Pence::parse(
            &requested_field,
            "the amount you are asking for",
            requested_text,
        ) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    if errors.is_empty() {
        if let (Some(requested), true) = (requested, complete) {
            let (_, total) = budget_totals(&lines, years);
            if let Err(mut e) = check_request(requested, limits.0, limits.1, total) {
                e.field = requested_field;
                errors.push(e);
            }
        }
    }
    if errors.is_empty() {
        Ok(Budget { lines, requested })
    } else {
        Err(errors)
    }
}

/// The plan's rows: (key, label, is money).
pub const PLAN_FIELDS: [(&str, &str, bool); 9] = [
    ("costs", "Running costs", true),
    ("seed_grant", "This seed grant", true),
    ("charge_per_user", "Charge per user", true),
    ("expected_users", "Users expected to pay", false),
    ("other_grants", "Other grants", true),
    ("donations", "Donations and fundraising", true),
    ("contracts", "Contracts", true),
    ("volunteer_hours", "Volunteer hours", false),
    ("value_per_hour", "Value of a volunteer hour", true),
];

/// The most years a plan can run beyond the funding period.
pub const MAX_YEARS_AFTER: usize = 4;

pub fn plan_key(year: usize, part: &str) -> String {
    format!("y{year}_{part}")
}

/// How many years the plan covers: the funding period plus at least one year after.
pub fn plan_years(a: &Answers, funded: usize) -> usize {
    let chosen = value(a, "years").parse::<usize>().unwrap_or(0);
    chosen.clamp(funded + 1, funded + MAX_YEARS_AFTER)
}

/// The plan as typed, year by year, or what is wrong with it. `requested` is the amount
/// asked for in the budget: the seed grant across the plan must add up to it.
pub fn parse_plan(
    a: &Answers,
    funded: usize,
    requested: Option<Pence>,
    complete: bool,
) -> Result<Vec<PlanYear>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut plan = Vec::new();
    for year in 1..=plan_years(a, funded) {
        let mut y = PlanYear::default();
        for (part, label, money) in PLAN_FIELDS {
            let key = plan_key(year, part);
            let name = field(&key);
            let text = value(a, &key);
            if text.is_empty() {
                if complete && part == "costs" {
                    errors.push(FieldError::new(
                        &name,
                        format!("Enter the running costs for year {year}"),
                    ));
                }
                continue;
            }
            let label = format!("{} for year {year}", label.to_lowercase());
            if money {
                match Pence::parse(&name, &label, text) {
                    Ok(p) => match part {
                        "costs" => y.costs = p,
                        "seed_grant" => y.seed_grant = p,
                        "charge_per_user" => y.charge_per_user = p,
                        "other_grants" => y.other_grants = p,
                        "donations" => y.donations = p,
                        "contracts" => y.contracts = p,
                        _ => y.value_per_hour = p,
                    },
                    Err(e) => errors.push(e),
                }
            } else {
                let cleaned: String = text.chars().filter(|c| *c != ',').collect();
                match cleaned.parse::<u32>() {
                    Ok(n) if n <= 10_000_000 => {
                        if part == "expected_users" {
                            y.expected_users = n
                        } else {
                            y.volunteer_hours = n
                        }
                    }
                    _ => errors.push(FieldError::new(
                        &name,
                        format!(
                            "{} must be a whole number, like 250",
                            super::money::capitalise(&label)
                        ),
                    )),
                }
            }
        }
        if year > funded && y.seed_grant.0 > 0 {
            errors.push(FieldError::new(
                field(&plan_key(year, "seed_grant")),
                format!("The seed grant ends with the funding period: enter 0 for year {year}"),
            ));
        }
        plan.push(y);
    }
    if complete && errors.is_empty() {
        if let Some(requested) = requested {
            let total = Pence(plan.iter().map(|y| y.seed_grant.0).sum());
            if total != requested {
                errors.push(FieldError::new(
                    field(&plan_key(1, "seed_grant")),
                    format!(
                        "The seed grant across the plan must add up to the {requested} you ask for in your budget (it adds up to {total})"
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
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

/// A section's answers as (question, answer) rows, for check answers and the printed bid.
pub fn answer_rows(
    kind: SectionKind,
    questions: &[(i64, Question)],
    a: &Answers,
    ctx: &SectionContext,
    file_names: &[(i64, String)],
) -> Vec<(String, String)> {
    match kind {
        SectionKind::Custom => questions
            .iter()
            .map(|(id, q)| {
                let file = file_names
                    .iter()
                    .find(|(f, _)| f == id)
                    .map(|(_, n)| n.as_str());
                (q.label.clone(), display(*id, q, a, file))
            })
            .collect(),
        SectionKind::Organisation => vec![(
            "Organisation's details confirmed".into(),
            if confirmed(a) { "Yes" } else { "No" }.into(),
        )],
        SectionKind::Budget => {
            match parse_budget(a, ctx.funded_years, (ctx.min_award, ctx.max_award), false) {
                Err(_) => vec![("Budget".into(), "Not complete".into())],
                Ok(budget) => {
                    let years = ctx.funded_years;
                    let mut rows: Vec<(String, String)> = budget
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
                            (
                                format!("{} ({})", l.description, l.category.label()),
                                amounts,
                            )
                        })
                        .collect();
                    let (_, total) = budget.totals(years);
                    rows.push(("Total cost".into(), total.display()));
                    rows.push((
                        "Amount requested".into(),
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
            Err(_) => vec![("Sustainability plan".into(), "Not complete".into())],
            Ok(plan) => {
                let mut rows: Vec<(String, String)> = plan
                    .iter()
                    .enumerate()
                    .map(|(i, y)| {
                        (
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
                rows.push(("Summary".into(), super::bid::summary(&plan)));
                rows
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn question(qtype: QuestionType, limit: Option<u32>) -> Question {
        Question {
            label: "Describe the service".into(),
            hint: String::new(),
            qtype,
            required: true,
            word_limit: limit,
            options: vec!["Meals".into(), "Shopping".into()],
        }
    }

    #[test]
    fn a_draft_keeps_blanks_but_completion_requires_answers() {
        let q = question(QuestionType::LongText, Some(3));
        let empty = Answers::new();
        assert!(check_question(7, &q, &empty, false, false).is_none());
        let e = check_question(7, &q, &empty, false, true).unwrap();
        assert_eq!(e.field, "answer[q7]");
        assert_eq!(e.message, "Enter your answer to \"Describe the service\"");
        let long = answers(&[("q7", "one two three four")]);
        assert_eq!(
            check_question(7, &q, &long, false, false).unwrap().message,
            "Your answer to \"Describe the service\" must be 3 words or fewer (it has 4)"
        );
    }

    #[test]
    fn typed_values_are_checked_by_type() {
        let n = question(QuestionType::WholeNumber, None);
        assert!(check_question(1, &n, &answers(&[("q1", "1,200")]), false, true).is_none());
        assert!(check_question(1, &n, &answers(&[("q1", "lots")]), false, false).is_some());
        let choice = question(QuestionType::SingleChoice, None);
        assert!(check_question(1, &choice, &answers(&[("q1", "Meals")]), false, true).is_none());
        assert!(check_question(1, &choice, &answers(&[("q1", "Other")]), false, true).is_some());
        let many = question(QuestionType::MultipleChoice, None);
        assert_eq!(
            check_question(1, &many, &Answers::new(), false, true)
                .unwrap()
                .field,
            "answer[q1_0]"
        );
        assert_eq!(
            display(1, &many, &answers(&[("q1_1", "on")]), None),
            "Shopping"
        );
        let date = question(QuestionType::Date, None);
        let typed = answers(&[("q1_day", "1"), ("q1_month", "4"), ("q1_year", "2027")]);
        assert!(check_question(1, &date, &typed, false, true).is_none());
        assert_eq!(display(1, &date, &typed, None), "1 April 2027");
        let file = question(QuestionType::FileUpload, None);
        assert!(check_question(1, &file, &Answers::new(), true, true).is_none());
        assert!(check_question(1, &file, &Answers::new(), false, true).is_some());
    }

    #[test]
    fn clean_drops_foreign_fields_and_cuts_huge_pastes() {
        let posted = answers(&[("q1", &"x".repeat(MAX_FIELD_CHARS + 10)), ("bad key!", "x")]);
        let kept = clean(posted);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept["q1"].chars().count(), MAX_FIELD_CHARS);
    }

    #[test]
    fn a_budget_adds_up_and_the_request_is_checked() {
        let a = answers(&[
            ("line0_description", "Chiropodist (part time)"),
            ("line0_category", "staff"),
            ("line0_y1", "15000"),
            ("line0_y2", "15000"),
            ("line1_description", "Clinic room hire"),
            ("line1_category", "premises"),
            ("line1_y1", "5,000"),
            ("amount_requested", "24000"),
        ]);
        let limits = (Pence(500_000), Pence(3_000_000));
        let budget = parse_budget(&a, 2, limits, true).unwrap();
        assert_eq!(budget.lines.len(), 2);
        assert_eq!(
            budget.totals(2),
            (vec![Pence(2_000_000), Pence(1_500_000)], Pence(3_500_000))
        );
        assert_eq!(budget_rows(&a, 2), 2);
        let mut over = a.clone();
        over.insert("amount_requested".into(), "40000".into());
        let errors = parse_budget(&over, 2, limits, true).err().unwrap();
        assert_eq!(errors[0].field, "answer[amount_requested]");
        let mut half = a.clone();
        half.insert("line2_y1".into(), "12".into());
        let errors = parse_budget(&half, 2, limits, false).err().unwrap();
        assert_eq!(
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>(),
            vec![
                "Enter a description for budget line 3",
                "Select a category for budget line 3"
            ]
        );
    }

    #[test]
    fn the_plan_runs_past_the_grant_and_adds_up_to_the_request() {
        let mut a = answers(&[("years", "3")]);
        for (year, grant, users) in [(1, "16000", "300"), (2, "8000", "800"), (3, "0", "1400")] {
            a.insert(plan_key(year, "costs"), "20000".into());
            a.insert(plan_key(year, "seed_grant"), grant.into());
            a.insert(plan_key(year, "charge_per_user"), "15".into());
            a.insert(plan_key(year, "expected_users"), users.into());
        }
        let plan = parse_plan(&a, 2, Some(Pence(2_400_000)), true).unwrap();
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[2].dependency_percent(), 0);
        let wrong = parse_plan(&a, 2, Some(Pence(3_000_000)), true)
            .err()
            .unwrap();
        assert!(wrong[0]
            .message
            .starts_with("The seed grant across the plan must add up to the £30,000.00"));
        a.insert(plan_key(3, "seed_grant"), "100".into());
        let after = parse_plan(&a, 2, None, false).err().unwrap();
        assert_eq!(
            after[0].message,
            "The seed grant ends with the funding period: enter 0 for year 3"
        );
        assert_eq!(plan_years(&Answers::new(), 2), 3);
        assert_eq!(
            plan_years(&answers(&[("years", "99")]), 2),
            2 + MAX_YEARS_AFTER
        );
    }
}
