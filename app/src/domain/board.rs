//! The Board: who its members represent, and the partners' joint sign-off of its
//! recommendations. The Preventative Services Market Development Board brings together the
//! community and voluntary sector, adult social care, the NHS, the council and carers; each
//! board member represents one of them. Money from the Section 75 pooled fund is spent by
//! joint decision of both partners: once the partners name approvers, an award the Board
//! recommends is made only when an approver of every partner has approved it.
use super::roles::Role;
use super::FieldError;
use crate::coded_enum;

coded_enum!(
    Constituency {
        VoluntarySector = ("vcs", "Voluntary and community sector"),
        AdultSocialCare = ("adult_social_care", "Adult social care"),
        Nhs = ("nhs", "NHS"),
        Council = ("council", "Council"),
        Carers = ("carers", "Carers"),
        PeopleWhoUseServices = ("people", "People who use services"),
    }
);

/// The constituency an admin chose for someone with these roles: a board member must
/// represent one; anyone else represents none (whatever was posted).
pub fn constituency_for(roles: &[Role], typed: &str) -> Result<Option<Constituency>, FieldError> {
    if !roles.contains(&Role::BoardMember) {
        return Ok(None);
    }
    Constituency::parse(
        "constituency",
        typed,
        "Select who this board member represents",
    )
    .map(Some)
}

/// A board member reads a round's moderation (everyone's scores) only once they have
/// finished with every bid of it assigned to them (scored it, or declared a conflict in it),
/// so that scoring stays blind. `statuses`: their assignments in the round.
pub fn reads_moderation(statuses: &[super::assessment::AssignmentStatus]) -> bool {
    use super::assessment::AssignmentStatus::{ConflictDeclared, Scored};
    statuses
        .iter()
        .all(|s| matches!(s, Scored | ConflictDeclared))
}

/// The partner an admin chose for someone with these roles: a partner approver signs off
/// for one of the `partners` (ids); anyone else for none (whatever was posted).
pub fn approver_for(
    roles: &[Role],
    typed: &str,
    partners: &[i64],
) -> Result<Option<i64>, FieldError> {
    if !roles.contains(&Role::PartnerApprover) {
        return Ok(None);
    }
    typed
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| partners.contains(id))
        .map(Some)
        .ok_or_else(|| {
            FieldError::new(
                "approver_for",
                "Select the partner this approver signs off for",
            )
        })
}

coded_enum!(
    /// Where a decision stands with the partners.
    SignOff {
        /// Decided by a commissioner alone (before the partners named approvers), or not an award.
        NotNeeded = ("none", "Decided"),
        Awaiting = ("awaiting", "Recommended, awaiting sign-off"),
        Signed = ("signed", "Signed off by every partner"),
        Refused = ("refused", "Refused at sign-off"),
    }
);

impl SignOff {
    /// An award in this state is final: it cannot be replaced by another decision.
    pub fn is_final_award(self) -> bool {
        matches!(self, SignOff::NotNeeded | SignOff::Signed)
    }
}

/// How a recommended award starts: it waits for the partners' sign-off once any partner has
/// named an approver (`partners_with_approvers`), and is made at once before that (a
/// commissioner's decision, as before the partners set up sign-off).
pub fn award_sign_off(partners_with_approvers: usize) -> SignOff {
    if partners_with_approvers > 0 {
        SignOff::Awaiting
    } else {
        SignOff::NotNeeded
    }
}

/// An approver's answer as posted: "approve" or "refuse", and a reason, which a refusal
/// needs (the Board and the organisation are owed it). (Approved?, the reason kept.)
pub fn sign_off_answer(answer: &str, reason: &str) -> Result<(bool, String), Vec<FieldError>> {
    let approved = match answer.trim() {
        "approve" => Some(true),
        "refuse" => Some(false),
        _ => None,
    };
    let reason = reason.trim();
    let mut errors = Vec::new();
    if approved.is_none() {
        errors.push(FieldError::new("answer", "Select approve or refuse"));
    }
    if approved == Some(false) && reason.is_empty() {
        errors.push(FieldError::new(
            "reason",
            "Enter why you refuse this recommendation: the Board is told",
        ));
    }
    if reason.chars().count() > 2000 {
        errors.push(FieldError::new(
            "reason",
            "The reason must be 2,000 characters or fewer",
        ));
    }
    match approved {
        Some(approved) if errors.is_empty() => Ok((approved, reason.to_string())),
        _ => Err(errors),
    }
}

/// The partners (names) that have not yet approved: `partners` (id, name) in order,
/// `approved`: the ids of those that have. The award is made when none remain.
pub fn still_to_sign<'a>(partners: &'a [(i64, String)], approved: &[i64]) -> Vec<&'a str> {
    partners
        .iter()
        .filter(|(id, _)| !approved.contains(id))
        .map(|(_, name)| name.as_str())
        .collect()
}

/// A decision in the minutes, the pack and the decision report: "Award of £12,000.00
/// recommended, awaiting the partners' sign-off", "Declined", …
pub fn decision_words(
    outcome: super::decision::Outcome,
    amount: Option<super::money::Pence>,
    sign_off: SignOff,
) -> String {
    use super::decision::Outcome;
    let amount = amount.map(|a| a.display()).unwrap_or_default();
    match (outcome, sign_off) {
        (Outcome::Award, SignOff::Awaiting) => {
            format!("Award of {amount} recommended, awaiting the partners' sign-off")
        }
        (Outcome::Award, SignOff::Refused) => {
            format!("Award of {amount} recommended, refused at sign-off")
        }
        (Outcome::Award, SignOff::Signed) => {
            format!("Award of {amount} recommended and signed off by both partners")
        }
        (Outcome::Award, SignOff::NotNeeded) => format!("Awarded {amount}"),
        (Outcome::Decline, _) => "Declined".to_string(),
        (Outcome::Reserve, _) => "Reserve list".to_string(),
    }
}

/// A partner's answer as the Board and the approvers read it.
pub fn answer_sentence(partner: &str, approved: bool, by: &str, on: &str, reason: &str) -> String {
    match (approved, reason.is_empty()) {
        (true, true) => format!("{partner}: approved by {by} on {on}"),
        (true, false) => format!("{partner}: approved by {by} on {on}. {reason}"),
        (false, _) => format!("{partner}: refused by {by} on {on}. Reason: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moderation_opens_to_a_board_member_once_they_have_finished_scoring() {
        use crate::domain::assessment::AssignmentStatus::*;
        assert!(reads_moderation(&[Scored, ConflictDeclared]));
        assert!(!reads_moderation(&[Scored, ToScore]));
        assert!(!reads_moderation(&[DeclarationNeeded]));
        // Not on the round's panel: nothing to keep blind.
        assert!(reads_moderation(&[]));
    }

    #[test]
    fn a_partner_approver_signs_off_for_one_partner() {
        let approver = [Role::PartnerApprover];
        assert_eq!(approver_for(&approver, "2", &[1, 2]), Ok(Some(2)));
        assert_eq!(
            approver_for(&approver, "", &[1, 2]).unwrap_err().message,
            "Select the partner this approver signs off for"
        );
        assert!(approver_for(&approver, "9", &[1, 2]).is_err());
        assert_eq!(approver_for(&[Role::Commissioner], "2", &[1, 2]), Ok(None));
    }

    #[test]
    fn an_award_waits_for_sign_off_once_a_partner_names_an_approver() {
        assert_eq!(award_sign_off(0), SignOff::NotNeeded);
        assert_eq!(award_sign_off(1), SignOff::Awaiting);
        assert_eq!(award_sign_off(2), SignOff::Awaiting);
        assert!(SignOff::Signed.is_final_award());
        assert!(SignOff::NotNeeded.is_final_award());
        assert!(!SignOff::Awaiting.is_final_award());
        assert!(!SignOff::Refused.is_final_award());
    }

    #[test]
    fn a_refusal_needs_a_reason_and_an_approval_does_not() {
        assert_eq!(sign_off_answer("approve", " "), Ok((true, String::new())));
        assert_eq!(
            sign_off_answer("refuse", "Too dependent on the grant"),
            Ok((false, "Too dependent on the grant".into()))
        );
        let refused = sign_off_answer("refuse", "  ").unwrap_err();
        assert_eq!(refused[0].field, "reason");
        let none = sign_off_answer("", "").unwrap_err();
        assert_eq!(none[0].message, "Select approve or refuse");
        assert_eq!(
            sign_off_answer("refuse", &"x".repeat(2001)).unwrap_err()[0].field,
            "reason"
        );
    }

    #[test]
    fn a_decision_says_where_it_stands_with_the_partners() {
        use crate::domain::decision::Outcome;
        use crate::domain::money::Pence;
        let amount = Some(Pence(1_200_000));
        assert_eq!(
            decision_words(Outcome::Award, amount, SignOff::Awaiting),
            "Award of £12,000.00 recommended, awaiting the partners' sign-off"
        );
        assert_eq!(
            decision_words(Outcome::Award, amount, SignOff::NotNeeded),
            "Awarded £12,000.00"
        );
        assert_eq!(
            decision_words(Outcome::Decline, None, SignOff::NotNeeded),
            "Declined"
        );
    }

    #[test]
    fn the_award_is_made_when_no_partner_remains() {
        let partners = vec![(1, "Council".to_string()), (2, "ICB".to_string())];
        assert_eq!(still_to_sign(&partners, &[]), vec!["Council", "ICB"]);
        assert_eq!(still_to_sign(&partners, &[2]), vec!["Council"]);
        assert!(still_to_sign(&partners, &[1, 2]).is_empty());
    }

    #[test]
    fn a_board_member_represents_a_constituency() {
        let board = [Role::BoardMember];
        assert_eq!(constituency_for(&board, "nhs"), Ok(Some(Constituency::Nhs)));
        assert_eq!(
            constituency_for(&board, "").unwrap_err().message,
            "Select who this board member represents"
        );
        assert_eq!(constituency_for(&[Role::LayEvaluator], "nhs"), Ok(None));
        assert_eq!(Constituency::Carers.label(), "Carers");
    }
}
