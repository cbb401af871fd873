//! How a kept variation applies: the tranches and conditions it changes (only those are
//! written), whether the award has changed there since it was asked for (it must then not
//! apply), and whether it waits for the partners' joint sign-off.
use super::variation::{Proposal, ProposedTranche, VariableTranche};

/// The award as a variation page shows it (its variable tranches and conditions), as one
/// text: a form carries its digest, so that a variation sent from a page opened before
/// another change is refused rather than undoing that change with the page's old values.
pub fn award_version(tranches: &[VariableTranche], conditions: &str) -> String {
    let mut text = String::new();
    for t in tranches {
        text.push_str(&format!(
            "{}|{}|{}|{}|{}\n",
            t.id, t.position, t.amount.0, t.due, t.milestone
        ));
    }
    text.push_str(conditions.trim());
    text
}

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
        let ids = self.touched().into_iter().map(|p| p.id);
        let tranche_moved = ids.chain(self.removed.iter().copied()).any(|id| {
            let before = self.tranches_before.iter().find(|b| b.id == id);
            before != tranches_now.iter().find(|t| t.id == id)
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
    use super::super::variation::tests::{award, d};
    use super::super::variation::{parse_variation, AwardVariationForm};
    use super::*;
    use crate::domain::money::Pence;

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
            removed: Vec::new(),
            added: None,
        };
        assert!(proposal(100_000, 100_001).needs_sign_off(2));
        assert!(proposal(100_000, 150_000).needs_sign_off(1));
        // Before any partner names an approver, a commissioner's approval applies it.
        assert!(!proposal(100_000, 150_000).needs_sign_off(0));
        // Less money, or the same money moved between tranches or years: no sign-off.
        assert!(!proposal(100_000, 100_000).needs_sign_off(2));
        assert!(!proposal(100_000, 50_000).needs_sign_off(2));
    }
}
