//! The tranche schedule in a variation: a tranche not yet approved or paid can be removed
//! (its money released back to the pooled fund, as when a scheme ends: the award is what was
//! paid, released and is still to pay), and a new tranche can be added at the end of the
//! schedule (its money committed against the year it is planned in). The award then ends
//! with its last tranche's planned date.
use super::super::date::{display_date, parse_date};
use super::super::money::Pence;
use super::super::text::required_line;
use super::super::FieldError;
use super::variation::{tranche_key, AwardVariationForm, VariableTranche, MILESTONE_CHARS};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A tranche a variation adds at the end of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedTranche {
    /// Its number: after every tranche the award has (paid, approved or released too).
    pub position: i64,
    pub amount: Pence,
    pub due: NaiveDate,
    pub milestone: String,
}

/// The tranches the form removes (`remove[t<id>]` ticked), by id.
pub fn removed(form: &AwardVariationForm, tranches: &[VariableTranche]) -> Vec<i64> {
    tranches
        .iter()
        .filter(|t| {
            form.remove
                .get(&tranche_key(t.id))
                .is_some_and(|v| !v.trim().is_empty())
        })
        .map(|t| t.id)
        .collect()
}

/// The new tranche, if any of its fields is filled in: an amount (more than £0), a planned
/// date (today or later) and a milestone. `position`: the number it takes.
pub fn parse_added(
    form: &AwardVariationForm,
    position: i64,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<AddedTranche> {
    let n = &form.new_tranche;
    let filled = [&n.amount, &n.day, &n.month, &n.year, &n.milestone]
        .iter()
        .any(|v| !v.trim().is_empty());
    if !filled {
        return None;
    }
    let amount = match Pence::parse("new_amount", "the new tranche's amount", &n.amount) {
        Ok(a) if a.0 <= 0 => {
            errors.push(FieldError::new(
                "new_amount",
                "The new tranche's amount must be more than £0",
            ));
            None
        }
        Ok(a) => Some(a),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let due = match parse_date(
        "new_due",
        "The new tranche's planned date",
        &n.day,
        &n.month,
        &n.year,
        true,
    ) {
        Ok(Some(day)) if day < today => {
            errors.push(FieldError::new(
                "new_due",
                "The new tranche's planned date must be today or in the future",
            ));
            None
        }
        Ok(day) => day,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let milestone = required_line(
        "new_milestone",
        &n.milestone,
        "Enter the new tranche's milestone: what must be done before it is paid",
        MILESTONE_CHARS,
        "The new tranche's milestone",
    )
    .map_err(|e| errors.push(e))
    .ok();
    Some(AddedTranche {
        position,
        amount: amount?,
        due: due?,
        milestone: milestone?,
    })
}

/// The lines of a variation's history for the schedule's changes.
pub fn schedule_changes(
    removed: &[i64],
    added: Option<&AddedTranche>,
    before: &[VariableTranche],
) -> Vec<String> {
    let mut lines: Vec<String> = (before.iter())
        .filter(|t| removed.contains(&t.id))
        .map(|t| {
            format!(
                "Tranche {} removed: {} released to the pooled fund",
                t.position,
                t.amount.display()
            )
        })
        .collect();
    if let Some(a) = added {
        lines.push(format!(
            "New tranche {}: {} planned for {}; milestone \u{201c}{}\u{201d}",
            a.position,
            a.amount.display(),
            display_date(a.due),
            a.milestone
        ));
    }
    lines
}

/// The new tranche's fields as typed (`new_amount`, `new_due_day`, `new_due_month`,
/// `new_due_year`, `new_milestone`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewTrancheForm {
    pub amount: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub milestone: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn form(amount: &str, date: (&str, &str, &str), milestone: &str) -> AwardVariationForm {
        AwardVariationForm {
            new_tranche: NewTrancheForm {
                amount: amount.into(),
                day: date.0.into(),
                month: date.1.into(),
                year: date.2.into(),
                milestone: milestone.into(),
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_new_tranche_is_optional_but_complete_when_given() {
        let today = d(2027, 1, 10);
        let mut errors = Vec::new();
        let empty = AwardVariationForm::default();
        assert_eq!(parse_added(&empty, 4, today, &mut errors), None);
        assert!(errors.is_empty());
        let ok = form("2,000", ("1", "6", "2027"), "Six more months of lunches");
        let added = parse_added(&ok, 4, today, &mut errors).unwrap();
        assert_eq!(added.amount, Pence(200_000));
        assert_eq!(added.due, d(2027, 6, 1));
        assert_eq!(added.position, 4);
        assert!(errors.is_empty());
        // Half filled in: each missing part is named by its field.
        let half = form("0", ("1", "6", "2026"), "");
        assert_eq!(parse_added(&half, 4, today, &mut errors), None);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["new_amount", "new_due", "new_milestone"]);
        assert!(errors[1].message.contains("today or in the future"));
    }

    #[test]
    fn the_history_names_removed_and_added_tranches() {
        let before = vec![VariableTranche {
            id: 7,
            position: 3,
            amount: Pence(480_000),
            due: d(2027, 9, 7),
            milestone: "Final".into(),
        }];
        let added = AddedTranche {
            position: 4,
            amount: Pence(200_000),
            due: d(2027, 12, 1),
            milestone: "Winter".into(),
        };
        let lines = schedule_changes(&[7], Some(&added), &before);
        assert_eq!(
            lines,
            [
                "Tranche 3 removed: £4,800.00 released to the pooled fund",
                "New tranche 4: £2,000.00 planned for 1 December 2027; milestone \u{201c}Winter\u{201d}"
            ]
        );
        let mut f = AwardVariationForm::default();
        f.remove.insert("t7".into(), "yes".into());
        assert_eq!(removed(&f, &before), vec![7]);
    }
}
