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
    pub conditions: String,
    pub reason: String,
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
    for t in tranches {
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
    let after: i64 = fixed.0 + proposed.iter().map(|t| t.amount.0).sum::<i64>();
    let unchanged = conditions == conditions_before.trim()
        && tranches
            .iter()
            .zip(&proposed)
            .all(|(t, p)| t.amount == p.amount && t.due == p.due && t.milestone == p.milestone);
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

impl Proposal {
    /// The proposed tranches it changes (every one, in a variation kept before the tranches
    /// it was made against were recorded). Only these are written when it is applied.
    pub fn touched(&self) -> Vec<&ProposedTranche> {
        (self.tranches.iter())
            .filter(
                |p| match self.tranches_before.iter().find(|b| b.id == p.id) {
                    Some(b) => b.amount != p.amount || b.due != p.due || b.milestone != p.milestone,
                    None => true,
                },
            )
            .collect()
    }

    /// It changes the conditions (always so for a variation kept before they were recorded).
    pub fn changes_conditions(&self) -> bool {
        self.conditions_before
            .as_deref()
            .is_none_or(|c| c.trim() != self.conditions)
    }

    /// The award has changed since the variation was made where the variation changes it (a
    /// tranche it changes was varied again, approved or paid; the conditions it changes were
    /// changed): applying it would undo those changes, so it must not be. Changes elsewhere
    /// (another tranche's milestone) leave it as it was asked for.
    pub fn is_stale(&self, tranches_now: &[VariableTranche], conditions_now: &str) -> bool {
        if self.tranches_before.is_empty() {
            return false;
        }
        let tranche_moved = self.touched().iter().any(|p| {
            let before = self.tranches_before.iter().find(|b| b.id == p.id);
            before != tranches_now.iter().find(|t| t.id == p.id)
        });
        let conditions_moved =
            self.changes_conditions() && self.conditions_before.as_deref() != Some(conditions_now);
        tranche_moved || conditions_moved
    }

    /// Whether applying it needs the partners' joint sign-off: a variation that adds money to
    /// an award is signed off like an award, once any partner has named an approver
    /// (`partners_with_approvers`); before that, and for any variation that adds no money, a
    /// commissioner's approval applies it.
    pub fn needs_sign_off(&self, partners_with_approvers: usize) -> bool {
        self.increases() && partners_with_approvers > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn award() -> Vec<VariableTranche> {
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
    fn a_variation_made_against_an_award_that_has_since_changed_is_stale() {
        let tranches = award();
        let mut form = AwardVariationForm::from_award(&tranches, "None");
        form.amount.insert("t12".into(), "5000".into());
        form.reason = "More".into();
        let (proposal, _) =
            parse_variation(&form, &tranches, (Pence(0), "None"), d(2027, 1, 1)).unwrap();
        assert_eq!(proposal.touched().len(), 1, "only tranche 3 changes");
        assert!(!proposal.changes_conditions());
        assert!(!proposal.is_stale(&tranches, "None"));
        // Changes it does not touch leave it as it was asked for: another tranche's
        // milestone, the conditions, the other tranche approved.
        let mut elsewhere = tranches.clone();
        elsewhere[0].milestone = "Half-way, with a new venue".into();
        assert!(!proposal.is_stale(&elsewhere, "None"));
        assert!(!proposal.is_stale(&tranches, "Quarterly figures"));
        assert!(!proposal.is_stale(&tranches[1..], "None"));
        // The tranche it changes was varied again, or approved: stale.
        let mut varied = tranches.clone();
        varied[1].milestone = "Final, with a party".into();
        assert!(proposal.is_stale(&varied, "None"));
        assert!(proposal.is_stale(&tranches[..1], "None"));
        // A variation of the conditions is stale once they change.
        form.amount.insert("t12".into(), "4800".into());
        form.conditions = "Send quarterly figures".into();
        let (conditions, _) =
            parse_variation(&form, &tranches, (Pence(0), "None"), d(2027, 1, 1)).unwrap();
        assert!(conditions.touched().is_empty() && conditions.changes_conditions());
        assert!(!conditions.is_stale(&varied, "None"));
        assert!(conditions.is_stale(&tranches, "Other conditions"));
    }

    #[test]
    fn only_a_variation_adding_money_waits_for_the_partners() {
        let proposal = |before: i64, after: i64| Proposal {
            tranches: Vec::new(),
            conditions: String::new(),
            amount_before: Pence(before),
            amount_after: Pence(after),
            tranches_before: Vec::new(),
            conditions_before: None,
        };
        assert!(proposal(100_000, 100_001).needs_sign_off(2));
        assert!(proposal(100_000, 150_000).needs_sign_off(1));
        // Before any partner names an approver, a commissioner's approval applies it.
        assert!(!proposal(100_000, 150_000).needs_sign_off(0));
        // Less money, or the same money moved between tranches or years: no sign-off.
        assert!(!proposal(100_000, 100_000).needs_sign_off(2));
        assert!(!proposal(100_000, 50_000).needs_sign_off(2));
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
