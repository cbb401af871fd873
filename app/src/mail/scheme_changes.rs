//! Letters about a scheme that does not run its course: suspended, resumed, ended early,
//! or turned down by its organisation.
use super::{letter, OutgoingMail};

/// To a scheme's organisation members: payments are suspended while a support plan runs.
pub fn scheme_suspended(
    to: &str,
    name: &str,
    organisation: &str,
    reason: &str,
    plan: &str,
    review: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("Payments to {organisation} are suspended"),
        format!(
            "The commissioning team has suspended payments of {organisation}'s seed funding.\n\n\
             Why:\n\n{reason}\n\n\
             The support plan agreed with you:\n\n{plan}\n\n\
             It will be reviewed on {review}. You can still send monitoring returns and evidence \
             for tranches; no tranche will be paid until payments resume.\n\n{link}\n\n"
        ),
    )
}

/// To a scheme's organisation members: money to be repaid, by when and why.
pub fn clawback_raised(
    to: &str,
    name: &str,
    organisation: &str,
    amount: &str,
    reason: &str,
    due: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("{organisation} is asked to repay {amount} of its seed funding"),
        format!(
            "The commissioning team asks {organisation} to repay {amount} of the seed funding it \
             was paid, by {due}.\n\n\
             Why:\n\n{reason}\n\n\
             If you think this is wrong, or you need to repay in parts, reply to the commissioning \
             team before {due}. The scheme's page shows what has been received so far.\n\n{link}\n\n"
        ),
    )
}

/// To a scheme's organisation members: payments run again.
pub fn scheme_resumed(to: &str, name: &str, organisation: &str, link: &str) -> OutgoingMail {
    letter(
        to,
        name,
        format!("Payments to {organisation} have resumed"),
        format!(
            "The commissioning team has resumed payments of {organisation}'s seed funding. \
             Tranches whose evidence is approved can now be paid.\n\n{link}\n\n"
        ),
    )
}

/// To a scheme's organisation members: a tranche is now paid on an outcome (or no longer).
pub fn tranche_outcome_set(
    to: &str,
    name: &str,
    organisation: &str,
    position: i64,
    outcome: Option<&str>,
    link: &str,
) -> OutgoingMail {
    let (subject, body) = match outcome {
        Some(outcome) => (
            format!("Tranche {position} of {organisation}'s seed funding is tied to an outcome"),
            format!(
                "The commissioning team has tied tranche {position} of {organisation}'s seed \
                 funding to an outcome from your monitoring returns:\n\n{outcome}\n\n\
                 The tranche's page shows the figures your returns have reported so far. If \
                 you think the figure cannot be reached in time, talk to the commissioning \
                 team.\n\n{link}\n\n"
            ),
        ),
        None => (
            format!("Tranche {position} of {organisation}'s seed funding is no longer tied to an outcome"),
            format!(
                "The commissioning team has untied tranche {position} of {organisation}'s seed \
                 funding from the outcome it was to reach: it is paid on its milestone \
                 alone.\n\n{link}\n\n"
            ),
        ),
    };
    letter(to, name, subject, body)
}

/// To a scheme's organisation members: the scheme was ended early.
pub fn scheme_ended(
    to: &str,
    name: &str,
    organisation: &str,
    reason: &str,
    paid: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("{organisation}'s seed funding has ended"),
        format!(
            "The commissioning team has ended {organisation}'s funded scheme early.\n\n\
             Why:\n\n{reason}\n\n\
             {paid} has been paid. No further tranches will be paid, and no more monitoring \
             returns are needed. If you think this is wrong, reply to the commissioning team.\n\n{link}\n\n"
        ),
    )
}

/// To each commissioner: an organisation turned its award down, and the money went back.
pub fn award_turned_down(
    to: &str,
    name: &str,
    organisation: &str,
    amount: &str,
    reason: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("{organisation} turned down its award"),
        format!(
            "{organisation} turned down its award of {amount}. The money has gone back to the \
             pooled fund's uncommitted money.\n\nTheir reason:\n\n{reason}\n\n{link}\n\n"
        ),
    )
}

/// To a scheme's organisation members: a repayment was received (a receipt).
pub fn repayment_received(
    to: &str,
    name: &str,
    organisation: &str,
    received: (&str, &str, &str),
    still_to_repay: &str,
    link: &str,
) -> OutgoingMail {
    let (amount, on, reference) = received;
    let rest = if still_to_repay == "£0.00" {
        "This repayment has now been received in full. Thank you.".to_string()
    } else {
        format!("{still_to_repay} is still to be repaid.")
    };
    letter(
        to,
        name,
        format!("Repayment of {amount} received from {organisation}"),
        format!(
            "The commissioning team has received {amount} from {organisation} on {on} \
             (reference {reference}), repaying seed funding as asked.\n\n{rest}\n\n\
             The scheme's page shows every repayment:\n\n{link}\n\n"
        ),
    )
}

/// The organisation's award was varied (or a variation it asked for decided): what changed
/// and why.
pub fn award_varied(
    to: &str,
    name: &str,
    organisation: &str,
    changes: &[String],
    reason: &str,
    link: &str,
) -> OutgoingMail {
    let refused = changes.first().is_some_and(|c| c == "Refused");
    let (subject, opening) = if refused {
        (
            format!("{organisation}'s request to vary its award was refused"),
            "The commissioning team has refused the variation your organisation asked for:"
                .to_string(),
        )
    } else {
        (
            format!("{organisation}'s award has been varied"),
            "The commissioning team has varied your organisation's award:".to_string(),
        )
    };
    let lines: Vec<String> = changes
        .iter()
        .filter(|c| c.as_str() != "Refused")
        .map(|c| format!("- {c}"))
        .collect();
    letter(
        to,
        name,
        subject,
        format!(
            "{opening}\n\n{}\n\nReason: {reason}\n\nThe scheme's page shows the award's history:\n\n{link}\n\n",
            lines.join("\n")
        ),
    )
}

/// A partner approver is asked to sign off a variation that adds money to an award.
pub fn variation_sign_off_requested(
    to: &str,
    name: &str,
    organisation: &str,
    (before, after): (&str, &str),
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("A variation to {organisation}'s award awaits your sign-off"),
        format!(
            "A commissioner has approved a variation that takes {organisation}'s award from \
             {before} to {after}. Like an award, the extra money is committed only when an \
             approver for every partner of the pooled fund has approved it.\n\n\
             Read the variation and approve or refuse it here:\n\n{link}\n\n"
        ),
    )
}

/// The commissioner who approved a variation is told a partner refused it at sign-off.
pub fn variation_sign_off_refused(
    to: &str,
    name: &str,
    (organisation, partner): (&str, &str),
    reason: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("{partner} refused the variation to {organisation}'s award"),
        format!(
            "{partner} refused the variation to {organisation}'s award that you approved. The \
             award is unchanged and the organisation has been told.\n\nTheir reason:\n{reason}\n\n\
             The scheme:\n\n{link}\n\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_say_what_happened_and_why() {
        let m = scheme_suspended(
            "a@b.test",
            "Ann",
            "Grimsby Befriending",
            "Two returns overdue",
            "Weekly calls",
            "7 February 2027",
            "http://x/schemes/3",
        );
        assert_eq!(m.subject, "Payments to Grimsby Befriending are suspended");
        assert!(m.body.starts_with("Dear Ann,"));
        assert!(m.body.contains("Two returns overdue"));
        assert!(m.body.contains("reviewed on 7 February 2027"));
        let m = scheme_ended(
            "a@b.test",
            "Ann",
            "Meals",
            "No volunteers",
            "£4,000.00",
            "l",
        );
        assert_eq!(m.subject, "Meals's seed funding has ended");
        assert!(m.body.contains("£4,000.00 has been paid"));
        let m = award_turned_down("c@d.test", "Cy", "Meals", "£9,000.00", "Too small", "l");
        assert!(m.body.contains("turned down its award of £9,000.00"));
        assert!(m.body.contains("Too small"));
        assert_eq!(
            scheme_resumed("a", "Ann", "Meals", "l").subject,
            "Payments to Meals have resumed"
        );
    }
}
