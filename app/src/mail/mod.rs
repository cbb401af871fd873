//! Email: templates are plain functions (unit-tested); the transport is a trait the server supplies.

mod scheme_changes;
pub use scheme_changes::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: OutgoingMail) -> Result<(), String>;
}

pub fn verification(to: &str, name: &str, link: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: "Confirm your email address for Seedbed".to_string(),
        body: format!(
            "Dear {name},\n\n\
             You (or someone using your email address) created a Seedbed account.\n\n\
             To confirm your email address, open this link and select \"Confirm email address\":\n\n\
             {link}\n\n\
             The link expires in 24 hours and can be used once.\n\n\
             If you did not create an account, you can ignore this email.\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

/// To the owner of an address someone tried to register again (the page said nothing, so
/// no one learns which addresses have accounts).
pub fn account_exists(to: &str, sign_in: &str, reset: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: "You already have a Seedbed account".to_string(),
        body: format!(
            "Hello,\n\n\
             Someone (perhaps you) tried to create a Seedbed account with this email address. \
             There is already an account with it, so no new account was made.\n\n\
             To sign in:\n\n{sign_in}\n\n\
             If you have forgotten your password, you can reset it:\n\n{reset}\n\n\
             If this was not you, you can ignore this email: nothing has changed.\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

pub fn password_reset(to: &str, name: &str, link: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: "Reset your Seedbed password".to_string(),
        body: format!(
            "Dear {name},\n\n\
             We received a request to reset the password for your Seedbed account.\n\n\
             To choose a new password, open this link:\n\n\
             {link}\n\n\
             The link expires in 1 hour and can be used once.\n\n\
             If you did not ask to reset your password, you can ignore this email: your password has not changed.\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

pub fn password_changed(to: &str, name: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: "Your Seedbed password has been changed".to_string(),
        body: format!(
            "Dear {name},\n\n\
             The password for your Seedbed account was changed, and you have been signed out everywhere else.\n\n\
             If you did not do this, reset your password straight away and tell the Board's commissioning team.\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

/// To the organisation's members when a decision is made on their bid.
pub fn bid_decision(
    to: &str,
    name: &str,
    organisation: &str,
    round: &str,
    decision: &crate::domain::decision::Decision,
    link: &str,
) -> OutgoingMail {
    use crate::domain::decision::Outcome;
    let (subject, body) = match decision.outcome {
        Outcome::Award => (
            format!("Your bid for {round} has been funded"),
            format!(
                "We are pleased to tell you that {organisation}'s bid for \"{round}\" has been awarded {}.\n\n{}\
                 The award is paid in tranches as milestones are evidenced. Sign in to see the payment schedule and to accept the award:\n\n{link}\n\n",
                decision.amount.map(|p| p.display()).unwrap_or_default(),
                if decision.conditions.is_empty() { String::new() } else { format!("Conditions of the award:\n{}\n\n", decision.conditions) },
            ),
        ),
        _ => (
            format!("Decision on your bid for {round}"),
            format!("{}\n\nYou can read your bid here:\n\n{link}\n\n", decision.feedback),
        ),
    };
    OutgoingMail {
        to: to.to_string(),
        subject,
        body: format!(
            "Dear {name},\n\n{body}Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

/// A partner approver is asked to sign off a recommended award.
pub fn sign_off_requested(
    to: &str,
    name: &str,
    organisation: &str,
    round: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("An award to {organisation} awaits your sign-off"),
        format!(
            "The Board has recommended an award to {organisation} from \"{round}\". The money is \
             committed only when an approver for every partner of the pooled fund has approved it.\n\n\
             Read the recommendation and approve or refuse it here:\n\n{link}\n\n"
        ),
    )
}

/// The commissioner who recorded a recommendation is told a partner refused it.
pub fn sign_off_refused(
    to: &str,
    name: &str,
    (organisation, partner): (&str, &str),
    reason: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("{partner} refused the award to {organisation}"),
        format!(
            "{partner} refused the Board's recommended award to {organisation}. No money was \
             committed.\n\nTheir reason:\n{reason}\n\nRecord the Board's decision again, or \
             another decision, here:\n\n{link}\n\n"
        ),
    )
}

/// To an organisation's members: their bid is shortlisted, and when and where to come (or the
/// invitation has changed).
pub fn interview_invitation(
    to: &str,
    name: &str,
    (organisation, round): (&str, &str),
    invitation: &crate::domain::interview::Invitation,
    changed: bool,
    link: &str,
) -> OutgoingMail {
    let noun = invitation.format.noun();
    let when = crate::domain::time::UtcTime(invitation.at).display_uk();
    let subject = if changed {
        format!("Your {noun} has changed: {round}")
    } else {
        format!("{organisation} is invited to a {noun}: {round}")
    };
    let lead = if changed {
        format!("The {noun} about {organisation}'s bid to {round} has changed.")
    } else {
        format!(
            "{organisation}'s bid to {round} has been shortlisted. The panel invites you to a {noun}."
        )
    };
    letter(
        to,
        name,
        subject,
        format!(
            "{lead}\n\nWhen: {when}\nWhere: {}\nWho should come: {}\n\nPlease tell us whether you \
             can come, here:\n\n{link}\n\n",
            invitation.place, invitation.attendees
        ),
    )
}

/// To the commissioner who sent an invitation: the organisation's reply.
pub fn interview_reply(
    to: &str,
    name: &str,
    organisation: &str,
    (reply, note): (crate::domain::interview::InterviewReply, &str),
    link: &str,
) -> OutgoingMail {
    let note = if note.is_empty() {
        String::new()
    } else {
        format!("\n\nTheir note:\n{note}")
    };
    letter(
        to,
        name,
        format!("{organisation} replied to the invitation"),
        format!(
            "{organisation} replied: {}.{note}\n\nThe bid and its invitation:\n\n{link}\n\n",
            reply.label()
        ),
    )
}

fn letter(to: &str, name: &str, subject: String, body: String) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject,
        body: format!(
            "Dear {name},\n\n{body}Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

/// To a scheme's organisation members: a monitoring return is due soon or overdue.
pub fn return_reminder(
    to: &str,
    name: &str,
    organisation: &str,
    position: u32,
    due: &str,
    reminder: crate::domain::monitoring::Reminder,
    link: &str,
) -> OutgoingMail {
    use crate::domain::monitoring::Reminder;
    let (subject, lead) = match reminder {
        Reminder::Fortnight => (
            format!("Monitoring return {position} for {organisation} is due on {due}"),
            format!("{organisation}'s monitoring return {position} is due in 14 days, on {due}."),
        ),
        Reminder::Tomorrow => (
            format!("Monitoring return {position} for {organisation} is due on {due}"),
            format!("{organisation}'s monitoring return {position} is due on {due}."),
        ),
        Reminder::Overdue => (
            format!("Monitoring return {position} for {organisation} is overdue"),
            format!("{organisation}'s monitoring return {position} was due on {due} and has not been sent. A return 30 days overdue puts the scheme at risk."),
        ),
    };
    letter(
        to,
        name,
        subject,
        format!("{lead}\n\nSign in to fill it in and send it:\n\n{link}\n\n"),
    )
}

/// To a scheme's organisation members: a tranche was paid, or its evidence returned.
pub fn tranche_reviewed(
    to: &str,
    name: &str,
    organisation: &str,
    position: i64,
    paid: Option<&str>,
    note: &str,
    link: &str,
) -> OutgoingMail {
    let (subject, lead) = match paid {
        Some(amount) => (
            format!("Tranche {position} of {organisation}'s award has been paid"),
            format!("The evidence for tranche {position} was approved and {amount} has been paid."),
        ),
        None => (
            format!("More evidence is needed for tranche {position} of {organisation}'s award"),
            format!("The evidence for tranche {position} was returned:\n\n{note}"),
        ),
    };
    letter(to, name, subject, format!("{lead}\n\n{link}\n\n"))
}

/// To a scheme's organisation members: changes are asked for in a monitoring return.
pub fn return_changes(
    to: &str,
    name: &str,
    organisation: &str,
    position: u32,
    comment: &str,
    link: &str,
) -> OutgoingMail {
    letter(
        to,
        name,
        format!("Changes are needed to monitoring return {position} for {organisation}"),
        format!("The commissioner asked for changes to monitoring return {position}:\n\n{comment}\n\nSign in to change it and send it again:\n\n{link}\n\n"),
    )
}

/// To an assessor given bids to assess.
pub fn bids_assigned(to: &str, name: &str, round: &str, count: usize, link: &str) -> OutgoingMail {
    let bids = if count == 1 {
        "1 bid".to_string()
    } else {
        format!("{count} bids")
    };
    OutgoingMail {
        to: to.to_string(),
        subject: format!("You have {bids} to assess for {round}"),
        body: format!(
            "Dear {name},\n\n\
             You have been given {bids} to assess for \"{round}\".\n\n\
             For each bid, first declare whether you have a conflict of interest with the organisation. Then read the bid and score it against the criteria:\n\n\
             {link}\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

/// To every member of the organisation when a bid is submitted.
#[allow(clippy::too_many_arguments)]
pub fn bid_submitted(
    to: &str,
    name: &str,
    submitter: &str,
    organisation: &str,
    round: &str,
    reference: &str,
    closes: &str,
    link: &str,
) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: format!("Bid submitted: {reference} for {round}"),
        body: format!(
            "Dear {name},\n\n\
             {submitter} submitted {organisation}'s bid for \"{round}\".\n\n\
             Your reference is {reference}. Quote it if you contact us.\n\n\
             You can read the bid, print it, or withdraw it until the round closes at {closes}:\n\n\
             {link}\n\n\
             What happens next: after the round closes, board members and lay evaluators score every eligible bid. We will email you with the decision.\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

pub fn organisation_invitation(
    to: &str,
    inviter: &str,
    organisation: &str,
    link: &str,
) -> OutgoingMail {
    OutgoingMail {
        to: to.to_string(),
        subject: format!("{inviter} invited you to join {organisation} on Seedbed"),
        body: format!(
            "Hello,\n\n\
             {inviter} invited you to join {organisation} on Seedbed, where community organisations bid for seed funding from the council and the NHS.\n\n\
             To accept, open this link and sign in (or create an account) with this email address:\n\n\
             {link}\n\n\
             The link expires in 7 days and can be used once.\n\n\
             If you were not expecting this, you can ignore this email.\n\n\
             Seedbed - Preventative Services Market Development Board\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_mail_carries_the_link_and_expiry() {
        let mail = verification("jo@example.org", "Jo", "http://x/account/verify?token=abc");
        assert_eq!(mail.to, "jo@example.org");
        assert!(mail.subject.contains("Confirm your email"));
        assert!(mail.body.contains("http://x/account/verify?token=abc"));
        assert!(mail.body.contains("24 hours"));
    }

    #[test]
    fn the_owner_of_a_registered_address_is_told_how_to_get_in() {
        let mail = account_exists("jo@example.org", "http://x/account/sign-in", "http://x/r");
        assert_eq!(mail.subject, "You already have a Seedbed account");
        assert!(mail.body.contains("http://x/account/sign-in"));
        assert!(mail.body.contains("http://x/r"));
        assert!(!mail.body.contains("token"));
    }

    #[test]
    fn invitation_names_who_and_what() {
        let mail = organisation_invitation(
            "sam@example.org",
            "Ruth Evans",
            "St Peter's Church",
            "http://x/organisations/join?token=t",
        );
        assert_eq!(
            mail.subject,
            "Ruth Evans invited you to join St Peter's Church on Seedbed"
        );
        assert!(mail.body.contains("http://x/organisations/join?token=t"));
        assert!(mail.body.contains("7 days"));
    }

    #[test]
    fn reset_mail_says_it_is_single_use() {
        let mail = password_reset("jo@example.org", "Jo", "http://x/r?token=t");
        assert!(mail.body.contains("http://x/r?token=t"));
        assert!(mail.body.contains("can be used once"));
    }

    #[test]
    fn reminders_say_when_and_link_to_the_return() {
        use crate::domain::monitoring::Reminder;
        let soon = return_reminder(
            "a@x.org",
            "Ann",
            "Befriend Grimsby",
            3,
            "30 June 2026",
            Reminder::Fortnight,
            "http://x/schemes/1/returns/3",
        );
        assert_eq!(
            soon.subject,
            "Monitoring return 3 for Befriend Grimsby is due on 30 June 2026"
        );
        assert!(soon.body.contains("due in 14 days"));
        assert!(soon.body.contains("http://x/schemes/1/returns/3"));
        let late = return_reminder(
            "a@x.org",
            "Ann",
            "Befriend Grimsby",
            3,
            "30 June 2026",
            Reminder::Overdue,
            "l",
        );
        assert_eq!(
            late.subject,
            "Monitoring return 3 for Befriend Grimsby is overdue"
        );
        assert!(late
            .body
            .contains("30 days overdue puts the scheme at risk"));
        let paid = tranche_reviewed(
            "a@x.org",
            "Ann",
            "Befriend Grimsby",
            2,
            Some("£6,000.00"),
            "",
            "l",
        );
        assert!(paid.body.contains("£6,000.00 has been paid"));
        let returned = tranche_reviewed(
            "a@x.org",
            "Ann",
            "Befriend Grimsby",
            2,
            None,
            "Attach the register",
            "l",
        );
        assert!(returned.body.contains("Attach the register"));
    }
}
