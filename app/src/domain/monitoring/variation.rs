//! A variation to an award: the amounts, planned dates and milestones of the tranches not yet
//! approved or paid, and the award's conditions. The award's amount follows from the
//! tranches (what is paid or approved stays as it is). The organisation asks for one with a
//! reason, or a commissioner raises one; either way it is kept, with the award's history.
use super::super::date::{display_date, parse_date};
use super::super::money::Pence;
use super::super::text::{required_line, required_text};
use super::super::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MILESTONE_CHARS: usize = 300;
pub const CONDITIONS_CHARS: usize = 2000;
pub const VARIATION_REASON_CHARS: usize = 2000;

/// A tranche a variation may change: not yet approved or paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableTranche {
    pub id: i64,
    pub position: i64,
    pub amount: Pence,
    pub due: NaiveDate,
    pub milestone: String,
}

/// The variation form as typed: per tranche (`amount[t<id>]`, the planned date's
/// `due[t<id>_day]`, `due[t<id>_month]`, `due[t<id>_year]`, `milestone[t<id>]`), the
/// conditions and the reason. (Keys start with a letter: a form's keys that start with a
/// digit are read as list positions.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AwardVariationForm {
    pub amount: BTreeMap<String, String>,
    pub due: BTreeMap<String, String>,
    pub milestone: BTreeMap<String, String>,
    /// `remove[t<id>]` ticked: the tranche is removed (its money released).
    pub remove: BTreeMap<String, String>,
    /// A tranche added at the end of the schedule (left empty: none).
    pub new_tranche: super::NewTrancheForm,
    pub conditions: String,
    pub reason: String,
    /// The version of the award the page showed (`award_version`'s digest); empty: not
    /// checked.
    pub based_on: String,
}

impl AwardVariationForm {
    /// The form filled in with the award as it stands (the page's starting values).
    pub fn from_award(tranches: &[VariableTranche], conditions: &str) -> Self {
        use chrono::Datelike;
        let mut form = AwardVariationForm {
            conditions: conditions.to_string(),
            ..Default::default()
        };
        for t in tranches {
            let id = tranche_key(t.id);
            form.amount
                .insert(id.clone(), t.amount.to_decimal().to_string());
            form.due
                .insert(format!("{id}_day"), t.due.day().to_string());
            form.due
                .insert(format!("{id}_month"), t.due.month().to_string());
            form.due
                .insert(format!("{id}_year"), t.due.year().to_string());
            form.milestone.insert(id, t.milestone.clone());
        }
        form
    }

    fn typed(map: &BTreeMap<String, String>, id: i64) -> &str {
        map.get(&tranche_key(id)).map(String::as_str).unwrap_or("")
    }

    fn date_part(&self, id: i64, part: &str) -> &str {
        self.due
            .get(&format!("{}_{part}", tranche_key(id)))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A tranche's key in the form's fields: `t<id>`.
pub fn tranche_key(id: i64) -> String {
    format!("t{id}")
}

/// One tranche as a variation leaves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedTranche {
    pub id: i64,
    pub position: i64,
    pub amount: Pence,
    pub due: NaiveDate,
    pub milestone: String,
}

/// What a variation changes: every variable tranche as it will be, the conditions, and the
/// award's amount before and after. Kept as it was asked for, to be applied on approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub tranches: Vec<ProposedTranche>,
    pub conditions: String,
    pub amount_before: Pence,
    pub amount_after: Pence,
    /// The variable tranches and conditions it was made against (empty in a variation kept
    /// before these were recorded).
    #[serde(default)]
    pub tranches_before: Vec<VariableTranche>,
    #[serde(default)]
    pub conditions_before: Option<String>,
    /// Variable tranches it removes (released to the fund), by id.
    #[serde(default)]
    pub removed: Vec<i64>,
    /// A tranche it adds at the end of the schedule.
    #[serde(default)]
    pub added: Option<super::AddedTranche>,
}

/// Check a variation against the award as it stands: each tranche's amount (more than £0),
/// planned date (today or later) and milestone; the conditions; a reason; and at least one
/// change. `fixed`: what is paid or approved (it stays).
pub fn parse_variation(
    form: &AwardVariationForm,
    tranches: &[VariableTranche],
    (fixed, conditions_before): (Pence, &str),
    today: NaiveDate,
) -> Result<(Proposal, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut proposed = Vec::new();
    let removed = super::removed(form, tranches);
    for t in tranches.iter().filter(|t| !removed.contains(&t.id)) {
        let n = t.position;
        let amount_field = format!("amount[{}]", tranche_key(t.id));
        let typed = AwardVariationForm::typed(&form.amount, t.id);
        let label = format!("tranche {n}'s amount");
        let amount = match Pence::parse(&amount_field, &label, typed) {
            Ok(a) if a.0 <= 0 => {
                errors.push(FieldError::new(
                    &amount_field,
                    format!("Tranche {n}'s amount must be more than £0"),
                ));
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let due_field = format!("due[{}]", tranche_key(t.id));
        let due = match parse_date(
            &due_field,
            &format!("Tranche {n}'s planned date"),
            form.date_part(t.id, "day"),
            form.date_part(t.id, "month"),
            form.date_part(t.id, "year"),
            true,
        ) {
            Ok(Some(day)) if day < today && day != t.due => {
                errors.push(FieldError::new(
                    &due_field,
                    format!("Tranche {n}'s planned date must be today or in the future"),
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
            &format!("milestone[{}]", tranche_key(t.id)),
            AwardVariationForm::typed(&form.milestone, t.id),
            &format!("Enter tranche {n}'s milestone: what must be done before it is paid"),
            MILESTONE_CHARS,
            &format!("Tranche {n}'s milestone"),
        )
        .map_err(|e| errors.push(e))
        .ok();
        if let (Some(amount), Some(due), Some(milestone)) = (amount, due, milestone) {
            proposed.push(ProposedTranche {
                id: t.id,
                position: n,
                amount,
                due,
                milestone,
            });
        }
    }
    let next = tranches.iter().map(|t| t.position).max().unwrap_or(0) + 1;
    let added = super::parse_added(form, next, today, &mut errors);
    // An award keeps a tranche paid, approved or still to pay: to stop funding, end it.
    if fixed.0 == 0 && !removed.is_empty() && removed.len() == tranches.len() && added.is_none() {
        errors.push(FieldError::new(
            format!("remove[{}]", tranche_key(removed[0])),
            "An award needs at least one tranche: to stop funding the scheme, end it instead",
        ));
    }
    let conditions = form.conditions.trim().to_string();
    if conditions.chars().count() > CONDITIONS_CHARS {
        errors.push(FieldError::new(
            "conditions",
            format!("The conditions must be {CONDITIONS_CHARS} characters or fewer"),
        ));
    }
    let reason = required_text(
        "reason",
        &form.reason,
        "Enter the reason for the variation",
        VARIATION_REASON_CHARS,
        "The reason",
    )
    .map_err(|e| errors.push(e))
    .ok();
    if !errors.is_empty() {
        return Err(errors);
    }
    let before: i64 = fixed.0 + tranches.iter().map(|t| t.amount.0).sum::<i64>();
    // A removed tranche's money is released: it stays part of the award (paid, released
    // and still to pay), as when a scheme ends.
    let released: i64 = (tranches.iter())
        .filter(|t| removed.contains(&t.id))
        .map(|t| t.amount.0)
        .sum();
    let after: i64 = fixed.0
        + released
        + proposed.iter().map(|t| t.amount.0).sum::<i64>()
        + added.as_ref().map_or(0, |a| a.amount.0);
    let unchanged = conditions == conditions_before.trim()
        && removed.is_empty()
        && added.is_none()
        && proposed.iter().all(|p| {
            tranches.iter().any(|t| {
                t.id == p.id && t.amount == p.amount && t.due == p.due && t.milestone == p.milestone
            })
        });
    if unchanged {
        return Err(vec![FieldError::new(
            "reason",
            "Nothing has changed: change a tranche or the conditions",
        )]);
    }
    let proposal = Proposal {
        tranches: proposed,
        conditions,
        amount_before: Pence(before),
        amount_after: Pence(after),
        tranches_before: tranches.to_vec(),
        conditions_before: Some(conditions_before.to_string()),
        removed,
        added,
    };
    Ok((proposal, reason.unwrap_or_default()))
}

impl Proposal {
    /// The award goes up: more money must be committed.
    pub fn increases(&self) -> bool {
        self.amount_after.0 > self.amount_before.0
    }

    /// What it changes, line by line, against the tranches and conditions as they were.
    pub fn changes(&self, before: &[VariableTranche], conditions_before: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if self.amount_after != self.amount_before {
            lines.push(format!(
                "Award {} to {}",
                self.amount_before.display(),
                self.amount_after.display()
            ));
        }
        for p in &self.tranches {
            let Some(t) = before.iter().find(|t| t.id == p.id) else {
                continue;
            };
            let mut parts = Vec::new();
            if t.amount != p.amount {
                parts.push(format!("{} to {}", t.amount.display(), p.amount.display()));
            }
            if t.due != p.due {
                parts.push(format!(
                    "planned {} to {}",
                    display_date(t.due),
                    display_date(p.due)
                ));
            }
            if t.milestone != p.milestone {
                parts.push(format!("milestone now \u{201c}{}\u{201d}", p.milestone));
            }
            if !parts.is_empty() {
                lines.push(format!("Tranche {}: {}", p.position, parts.join("; ")));
            }
        }
        lines.extend(super::schedule_changes(
            &self.removed,
            self.added.as_ref(),
            before,
        ));
        if self.conditions != conditions_before.trim() {
            lines.push(format!(
                "Conditions now \u{201c}{}\u{201d}",
                self.conditions
            ));
        }
        lines
    }
}

crate::coded_enum!(
    /// Where a variation stands: asked for by the organisation and waiting for a
    /// commissioner; adding money, approved by a commissioner and waiting for the partners'
    /// joint sign-off; applied to the award; or refused with a note.
    VariationStatus {
        Requested = ("requested", "Requested: waiting for a commissioner"),
        AwaitingSignOff = ("awaiting_sign_off", "Approved by a commissioner: awaiting the partners' sign-off"),
        Approved = ("approved", "Approved"),
        Refused = ("refused", "Refused"),
    }
);

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::domain::monitoring) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(in crate::domain::monitoring) fn award() -> Vec<VariableTranche> {
        vec![
            VariableTranche {
                id: 11,
                position: 2,
                amount: Pence(720_000),
                due: d(2027, 6, 7),
                milestone: "Half-way".into(),
            },
            VariableTranche {
                id: 12,
                position: 3,
                amount: Pence(480_000),
                due: d(2027, 9, 7),
                milestone: "Final".into(),
            },
        ]
    }

    #[test]
    fn a_variation_changes_the_unpaid_tranches_and_the_award_follows() {
        let tranches = award();
        let mut form = AwardVariationForm::from_award(&tranches, "Quarterly returns");
        form.amount.insert("t11".into(), "9200".into());
        form.due.insert("t12_month".into(), "5".into());
        form.reason = "Demand doubled after the GP surgery started referring".into();
        let today = d(2026, 12, 7);
        let (p, reason) = parse_variation(
            &form,
            &tranches,
            (Pence(1_200_000), "Quarterly returns"),
            today,
        )
        .unwrap();
        assert_eq!(
            reason,
            "Demand doubled after the GP surgery started referring"
        );
        assert_eq!(
            (p.amount_before, p.amount_after),
            (Pence(2_400_000), Pence(2_600_000))
        );
        assert!(p.increases());
        assert_eq!(
            p.changes(&tranches, "Quarterly returns"),
            vec![
                "Award £24,000.00 to £26,000.00".to_string(),
                "Tranche 2: £7,200.00 to £9,200.00".to_string(),
                "Tranche 3: planned 7 September 2027 to 7 May 2027".to_string(),
            ]
        );
    }

    #[test]
    fn a_variation_is_checked_field_by_field() {
        let tranches = award();
        let mut form = AwardVariationForm::from_award(&tranches, "");
        form.amount.insert("t11".into(), "0".into());
        form.due.insert("t12_year".into(), "2025".into());
        form.milestone.insert("t12".into(), " ".into());
        let errors = parse_variation(&form, &tranches, (Pence(0), ""), d(2026, 12, 7)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["amount[t11]", "due[t12]", "milestone[t12]", "reason"]
        );
        assert_eq!(errors[0].message, "Tranche 2's amount must be more than £0");
        assert_eq!(
            errors[1].message,
            "Tranche 3's planned date must be today or in the future"
        );
        // Nothing changed: said so.
        let mut same = AwardVariationForm::from_award(&tranches, "");
        same.reason = "No reason".into();
        let errors = parse_variation(&same, &tranches, (Pence(0), ""), d(2026, 12, 7)).unwrap_err();
        assert_eq!(
            errors[0].message,
            "Nothing has changed: change a tranche or the conditions"
        );
    }
}
