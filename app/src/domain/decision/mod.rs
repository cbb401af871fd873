//! Decisions on bids: award (an amount up to the request, with conditions), decline (with
//! feedback) or the reserve list; an award's payment schedule of tranches.
use super::fund::split_pro_rata;
use super::money::Pence;
use super::monitoring::Frequency;
use super::text::{optional_text, required_text};
use super::FieldError;
use crate::coded_enum;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

coded_enum!(
    Outcome {
        Award = ("award", "Award"),
        Decline = ("decline", "Decline"),
        Reserve = ("reserve", "Reserve list"),
    }
);

/// A decision as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub outcome: String,
    pub amount: String,
    pub conditions: String,
    /// For an award: what the grant pays for, published on the register of awards.
    pub purpose: String,
    pub feedback: String,
    /// How often an award's monitoring returns fall due, in months ("" means quarterly).
    pub returns_every: String,
    /// Ticked ("award_before_scores") to award although assigned assessors have not scored.
    pub award_before_scores: String,
    /// Why a bid below a criterion's minimum score is awarded anyway.
    pub override_reason: String,
    /// The board meeting (id) at which the Board made this decision ('' for none).
    pub meeting: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// For an award.
    pub amount: Option<Pence>,
    pub conditions: String,
    /// For an award: what the grant pays for (published).
    pub purpose: String,
    /// For a decline: sent to the organisation.
    pub feedback: String,
    /// For an award: the months between monitoring returns.
    pub returns_every: u32,
    /// For an award of a bid below a criterion's minimum score: why ('' otherwise).
    #[serde(default)]
    pub override_reason: String,
    /// The board meeting at which the Board made it, if any.
    #[serde(default)]
    pub meeting_id: Option<i64>,
}

impl DecisionForm {
    /// `requested` is the bid's request: an award may be less, never more.
    pub fn parse(&self, requested: Pence) -> Result<Decision, Vec<FieldError>> {
        let mut errors = Vec::new();
        let outcome = Outcome::parse("outcome", &self.outcome, "Select a decision")
            .map_err(|e| errors.push(e))
            .ok();
        let mut amount = None;
        if outcome == Some(Outcome::Award) {
            match Pence::parse("amount", "the amount awarded", &self.amount) {
                Ok(p) if p.0 <= 0 => errors.push(FieldError::new(
                    "amount",
                    "The amount awarded must be more than £0",
                )),
                Ok(p) if p > requested => errors.push(FieldError::new(
                    "amount",
                    format!("The amount awarded must not be more than the {requested} requested"),
                )),
                Ok(p) => amount = Some(p),
                Err(e) => errors.push(e),
            }
        }
        let conditions = optional_text("conditions", &self.conditions, 5000, "Conditions")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let purpose = if outcome == Some(Outcome::Award) {
            required_text(
                "purpose",
                &self.purpose,
                "Enter what the grant pays for: it is published on the register of awards",
                500,
                "What the grant pays for",
            )
            .map_err(|e| errors.push(e))
            .unwrap_or_default()
        } else {
            String::new()
        };
        let feedback = if outcome == Some(Outcome::Decline) {
            required_text(
                "feedback",
                &self.feedback,
                "Enter the feedback for the organisation",
                10_000,
                "Feedback",
            )
        } else {
            optional_text("feedback", &self.feedback, 10_000, "Feedback")
        }
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
        let returns_every = if self.returns_every.trim().is_empty() {
            Some(Frequency::Quarterly)
        } else {
            Frequency::parse(
                "returns_every",
                &self.returns_every,
                "Select how often the scheme sends monitoring returns",
            )
            .map_err(|e| errors.push(e))
            .ok()
        };
        match outcome {
            Some(outcome) if errors.is_empty() => Ok(Decision {
                outcome,
                amount,
                conditions,
                purpose,
                feedback,
                returns_every: returns_every.map(Frequency::months).unwrap_or(3),
                override_reason: String::new(),
                meeting_id: None,
            }),
            _ => Err(errors),
        }
    }
}

/// An award before every assigned assessor has submitted scores (`waiting`: their names;
/// an assessor with a conflict is not waited for) needs the commissioner to say so by
/// ticking the box: the scores may still change the ranking.
pub fn check_scores_in(form: &DecisionForm, waiting: &[String]) -> Result<(), FieldError> {
    let awarding = form.outcome.trim() == Outcome::Award.code();
    if !awarding || waiting.is_empty() || !form.award_before_scores.trim().is_empty() {
        return Ok(());
    }
    let who = super::text::join_names(waiting);
    let verb = if waiting.len() == 1 { "has" } else { "have" };
    Err(FieldError::new(
        "award_before_scores",
        format!(
            "{who} {verb} not submitted scores for this bid. Wait for their scores, or tick \
             the box to award before they have"
        ),
    ))
}

/// A first draft of what an award pays for, from the bid's budget lines, for the
/// commissioner to edit: "Seed funding towards a chiropodist (part time) and clinic room
/// hire".
pub fn draft_purpose(budget_lines: &[String]) -> String {
    let lines: Vec<String> = budget_lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(lower_first)
        .collect();
    if lines.is_empty() {
        "Seed funding to set up the service".into()
    } else {
        format!("Seed funding towards {}", super::text::join_names(&lines))
    }
}

/// An award of a bid that is not fundable (scored below a criterion's minimum) is an
/// override: it needs a written reason, kept with the decision. The reason, if needed.
pub fn check_override(form: &DecisionForm, fundable: bool) -> Result<Option<String>, FieldError> {
    if form.outcome.trim() != Outcome::Award.code() || fundable {
        return Ok(None);
    }
    required_text(
        "override_reason",
        &form.override_reason,
        "This bid scored below a criterion's minimum. Give the reason for awarding it anyway",
        2_000,
        "The reason for awarding it",
    )
    .map(Some)
}

/// "Clinic room hire" reads "clinic room hire" inside a sentence; "DBS checks" stays.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), s.chars().nth(1)) {
        (Some(first), second) if !second.is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}

/// A tranche of an award: its amount, due date and the milestone to evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tranche {
    pub amount: Pence,
    pub due: NaiveDate,
    pub milestone: String,
}

/// The default schedule: 50%, 30% and 20% (exact to the penny), due at the start, at the
/// middle and near the end of the funding period.
pub fn default_tranches(amount: Pence, start: NaiveDate, period_months: u32) -> Vec<Tranche> {
    let parts = split_pro_rata(amount, &[Pence(50), Pence(30), Pence(20)]);
    let months = [
        0,
        period_months / 2,
        period_months.saturating_sub(3).max(period_months / 2),
    ];
    let milestones = [
        "Award accepted and the service set up",
        "Half-way: the service running, with monitoring returns up to date",
        "Final: the service on course to sustain itself without the grant",
    ];
    parts
        .into_iter()
        .zip(months)
        .zip(milestones)
        .map(|((amount, m), milestone)| Tranche {
            amount,
            due: start.checked_add_months(Months::new(m)).unwrap_or(start),
            milestone: milestone.to_string(),
        })
        .collect()
}

/// Feedback for a declined bid, drawn from the moderated scores and the assessors'
/// justifications: (criterion, score, weight, notes). The commissioner edits it before it
/// is sent.
pub fn draft_feedback(
    organisation: &str,
    lines: &[(String, Option<rust_decimal::Decimal>, u32, Vec<String>)],
    fundable: bool,
) -> String {
    let mut out = format!(
        "Thank you for {organisation}'s bid. The panel scored it against the published criteria. We are not able to fund it in this round.\n"
    );
    if !fundable {
        out.push_str("\nThe bid did not reach the minimum score for at least one criterion, so it could not be funded.\n");
    }
    for (criterion, score, weight, notes) in lines {
        // The agreed score, or the panel's mean as it is (4.5 stays 4.5, to one decimal place).
        let score = score
            .map(|s| format!("{} out of 5", s.round_dp(1).normalize()))
            .unwrap_or_else(|| "not scored".into());
        out.push_str(&format!("\n{criterion} (weight {weight}%): {score}.\n"));
        for note in notes.iter().filter(|n| !n.trim().is_empty()) {
            out.push_str(&format!("- {}\n", note.trim()));
        }
    }
    out
}

/// The same decision for several ticked bids: the decision chosen, and at least one bid.
pub fn batch_choice(outcome: &str, bids_ticked: usize) -> Result<Outcome, Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome = Outcome::from_code(outcome);
    if outcome.is_none() {
        errors.push(FieldError::new(
            "outcome",
            "Select a decision for the ticked bids",
        ));
    }
    if bids_ticked == 0 {
        errors.push(FieldError::new("bid", "Tick at least one bid"));
    }
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(outcome),
        _ => Err(errors),
    }
}

/// The agreed (moderated) scores typed for one bid: for each criterion (id, name), the
/// score typed (0 to 5; blank leaves it) and the note that must go with it. (criterion id,
/// score, note) for each one given, or an error against each field that is wrong.
pub fn agreed_scores(
    criteria: &[(i64, &str)],
    typed: impl Fn(i64) -> (String, String),
) -> Result<Vec<(i64, u32, String)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut chosen = Vec::new();
    for (id, name) in criteria {
        let (score, note) = typed(*id);
        let (score, note) = (score.trim(), note.trim());
        if score.is_empty() {
            continue;
        }
        match score.parse::<u32>() {
            Ok(n) if n <= 5 && note.is_empty() => errors.push(FieldError::new(
                format!("note[{id}]"),
                format!("Add a note on the agreed score for \"{name}\""),
            )),
            Ok(n) if n <= 5 => chosen.push((*id, n, note.to_string())),
            _ => errors.push(FieldError::new(
                format!("agreed[{id}]"),
                format!("The agreed score for \"{name}\" must be from 0 to 5"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
