//! Four eyes: no one approves, pays or decides anything for an organisation they belong to
//! or have declared a conflict of interest with, and the person who approves a tranche's
//! evidence is not the one who records its payment.

/// Why `actor` may not act for the organisation, if they may not.
pub fn refusal(organisation: &str, member: bool, declared_conflict: bool) -> Option<String> {
    if member {
        Some(format!(
            "You are a member of {organisation}, so you cannot approve, pay or decide anything for it. Ask another commissioner"
        ))
    } else if declared_conflict {
        Some(format!(
            "You have declared a conflict of interest with {organisation}, so you cannot approve, pay or decide anything for it. Ask another commissioner"
        ))
    } else {
        None
    }
}

/// Why `payer` may not record the payment of a tranche whose evidence `approver` approved.
pub fn payment_refusal(approver: Option<i64>, payer: i64) -> Option<&'static str> {
    match approver {
        None => Some("The evidence for this tranche has not been approved yet"),
        Some(approver) if approver == payer => Some(
            "You approved the evidence for this tranche, so someone else must record its payment",
        ),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_the_conflicted_are_refused() {
        assert!(refusal("Happy Feet", false, false).is_none());
        assert!(refusal("Happy Feet", true, false)
            .unwrap()
            .starts_with("You are a member of Happy Feet"));
        assert!(refusal("Happy Feet", false, true)
            .unwrap()
            .starts_with("You have declared a conflict of interest with Happy Feet"));
    }

    #[test]
    fn the_approver_does_not_pay() {
        assert!(payment_refusal(Some(1), 2).is_none());
        assert!(payment_refusal(Some(2), 2).is_some());
        assert!(payment_refusal(None, 2).is_some());
    }
}
