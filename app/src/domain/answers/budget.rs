//! The budget section: its lines (a description, a category and an amount for each funded
//! year) and the amount asked for.
use super::{field, value, Answers};
use crate::domain::bid::{budget_totals, check_request, BudgetCategory, BudgetLine};
use crate::domain::money::Pence;
use crate::domain::text::check_characters;
use crate::domain::FieldError;

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
