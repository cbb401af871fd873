//! Assessment: commissioners appoint a round's panels and assign its bids; assessors declare
//! any conflict of interest before they see a bid, then score it blind against the criteria
//! their panel scores; a commissioner may reopen submitted scores, with a reason.
mod panels;
pub mod training;
pub use panels::*;

use super::{Actor, Ctx, Done};
use crate::db;
use crate::db::assessment::Assignment;
use crate::db::rounds::{CriterionRow, RoundRow};
use crate::domain::assessment::{
    parse_score, AssignmentStatus, Declaration, DeclarationForm, Stage,
};
use crate::domain::roles::Role;
use crate::domain::round::Panel;
use crate::error::{AppError, FieldError};
use std::collections::BTreeMap;

/// Why an assessment step was not taken (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    /// No such round or bid, or not this person's to assess (not assigned, or they declared
    /// a conflict with it).
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("Bids can be assigned once the round has closed")]
    NotClosed,
    #[error("Appoint the panels before you assign bids")]
    NoPanel,
    #[error(
        "Your scores for this bid are submitted and locked. Ask a commissioner to reopen them"
    )]
    Locked,
    #[error("Your scores for this bid are already submitted")]
    AlreadySubmitted,
    #[error("Those scores are not submitted")]
    NotSubmitted,
    #[error("You can score the interview once it has taken place")]
    InterviewNotHeld,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<AssessmentError> for AppError {
    fn from(e: AssessmentError) -> Self {
        match e {
            AssessmentError::NotFound => AppError::NotFound,
            AssessmentError::Invalid(errors) => AppError::Invalid(errors),
            AssessmentError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

async fn round(ctx: Ctx<'_>, round_id: i64) -> Result<RoundRow, AssessmentError> {
    let mut conn = ctx.pool.acquire().await?;
    db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(AssessmentError::NotFound)
}

// ---- The assessor ----

/// The actor's assignment to a bid. Only board members and lay evaluators assess; anyone
/// not assigned to the bid, and anyone who has declared a conflict with it, is told it does
/// not exist.
pub async fn assignment(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
) -> Result<Assignment, AssessmentError> {
    if !actor.has(Role::BoardMember) && !actor.has(Role::LayEvaluator) {
        return Err(AssessmentError::NotFound);
    }
    let mut conn = ctx.pool.acquire().await?;
    db::assessment::assignment(&mut conn, bid_id, actor.id)
        .await?
        .filter(|a| !a.has_conflict())
        .ok_or(AssessmentError::NotFound)
}

/// The criteria of a round that a panel scores, with the sections the lay panel reads.
pub async fn criteria_for(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
    panel: Panel,
) -> Result<(Vec<CriterionRow>, Vec<i64>), sqlx::Error> {
    let lay_sections: Vec<i64> = db::rounds::sections(&mut *conn, round_id)
        .await?
        .iter()
        .filter(|s| s.panel == Panel::Lay)
        .map(|s| s.id)
        .collect();
    let criteria = db::rounds::criteria(conn, round_id)
        .await?
        .into_iter()
        .filter(|c| c.scored_by_panel(panel, &lay_sections))
        .collect();
    Ok((criteria, lay_sections))
}

/// Declare whether the assessor has a conflict of interest with the bid's organisation.
/// The first declaration for a bid; a later one supersedes it and needs a reason. The value
/// is whether a conflict was declared (the bid then leaves the assessor's list).
pub async fn declare(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
    form: &DeclarationForm,
    reason: &str,
) -> Result<Done<bool>, AssessmentError> {
    let assignment = assignment(ctx, actor, bid_id).await?;
    let previous = assignment.declared().map(|d| d.0);
    let reason = reason.trim();
    let mut parsed = form.parse();
    if previous.is_some() && reason.is_empty() {
        let mut errors = parsed.clone().err().unwrap_or_default();
        errors.push(FieldError::new(
            "reason",
            "Say why you are changing your declaration",
        ));
        parsed = Err(errors);
    }
    let declared = parsed.map_err(AssessmentError::Invalid)?;
    let mut tx = ctx.pool.begin().await?;
    db::assessment::declare(
        &mut tx,
        bid_id,
        actor.id,
        &declared,
        previous,
        reason,
        db::now(),
    )
    .await?;
    let summary = match &declared {
        Declaration::NoConflict => "Declared no conflict of interest".to_string(),
        Declaration::Conflict { nature, .. } => {
            format!("Declared a conflict of interest: {}", nature.label())
        }
    };
    db::audit::entry(
        &mut tx,
        actor.id,
        "bid.interest_declared",
        ("bid", bid_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: matches!(declared, Declaration::Conflict { .. }),
        mail: Vec::new(),
    })
}

/// An assessor's scores as typed, by criterion id: the score (0 to 5) and its justification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedScores {
    pub score: BTreeMap<String, String>,
    pub why: BTreeMap<String, String>,
}

impl TypedScores {
    fn of(&self, criterion_id: i64) -> (&str, &str) {
        let key = criterion_id.to_string();
        (
            self.score.get(&key).map(String::as_str).unwrap_or(""),
            self.why.get(&key).map(String::as_str).unwrap_or(""),
        )
    }
}

/// What saving scores did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub submitted: bool,
    /// The bid's organisation.
    pub organisation: String,
}

/// How far saving scores goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreStep {
    /// Saved as they are, gaps and all.
    Draft,
    /// Every criterion scored and explained, saved, not yet submitted: the assessor checks
    /// them before submitting.
    Check,
    /// Checked and submitted: locked afterwards.
    Submit,
}

impl ScoreStep {
    /// The form's "then": "submit" asks for the check, "confirm" submits.
    pub fn from_form(then: &str) -> Self {
        match then {
            "submit" => ScoreStep::Check,
            "confirm" => ScoreStep::Submit,
            _ => ScoreStep::Draft,
        }
    }
}

/// Save scores as a draft, check them (every criterion the assessor's panel scores at this
/// `stage` must be scored and explained) or submit them (checked, then locked). When a check
/// fails, what reads is still saved as a draft, so nothing typed is lost. The written bid's
/// scores and the interview's are submitted apart; the interview's once it has taken place.
pub async fn score(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
    typed: &TypedScores,
    (step, stage): (ScoreStep, Stage),
) -> Result<Done<Scored>, AssessmentError> {
    let strict = step != ScoreStep::Draft;
    let submit = step == ScoreStep::Submit;
    let assignment = assignment(ctx, actor, bid_id).await?;
    match (stage, assignment.status()) {
        (Stage::Written, AssignmentStatus::ToScore) => {}
        (Stage::Written, AssignmentStatus::Scored) => return Err(AssessmentError::Locked),
        (Stage::Interview, AssignmentStatus::ToScore | AssignmentStatus::Scored) => {
            if assignment.interview_submitted_at.is_some() {
                return Err(AssessmentError::Locked);
            }
        }
        _ => return Err(AssessmentError::NotFound),
    }
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(AssessmentError::NotFound)?;
    let (criteria, _) = criteria_for(&mut conn, bid.round_id, assignment.panel).await?;
    let criteria: Vec<CriterionRow> = criteria
        .into_iter()
        .filter(|c| c.stage() == stage)
        .collect();
    if stage == Stage::Interview {
        let interview = db::interviews::for_bid(&mut conn, bid_id).await?;
        if criteria.is_empty() || interview.is_none() {
            return Err(AssessmentError::NotFound);
        }
        let held = interview.map(|i| i.held_at.0);
        if !crate::domain::interview::interview_held(held, chrono::Utc::now()) {
            return Err(AssessmentError::InterviewNotHeld);
        }
    }
    drop(conn);
    let parse = |c: &CriterionRow, strict: bool| {
        let (score, why) = typed.of(c.id);
        parse_score(&c.id.to_string(), &c.criterion.name, score, why, strict)
    };
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for c in &criteria {
        match parse(c, strict) {
            Ok((s, w)) => parsed.push((c.id, s, w)),
            Err(e) => errors.extend(e),
        }
    }
    let now = db::now();
    if !errors.is_empty() {
        if strict {
            let mut tx = ctx.pool.begin().await?;
            for c in &criteria {
                if let Ok((s, w)) = parse(c, false) {
                    db::assessment::save_score(&mut tx, bid_id, actor.id, c.id, s, &w, now).await?;
                }
            }
            tx.commit().await?;
        }
        return Err(AssessmentError::Invalid(errors));
    }
    let mut tx = ctx.pool.begin().await?;
    if submit {
        let locked = match stage {
            Stage::Written => db::assessment::submit(&mut tx, bid_id, actor.id, now).await?,
            Stage::Interview => {
                db::assessment::submit_interview(&mut tx, bid_id, actor.id, now).await?
            }
        };
        if !locked {
            return Err(AssessmentError::AlreadySubmitted);
        }
    }
    for (criterion_id, s, w) in &parsed {
        db::assessment::save_score(&mut tx, bid_id, actor.id, *criterion_id, *s, w, now).await?;
    }
    if submit {
        db::assessment::refresh_score_totals(&mut tx, bid_id).await?;
        let (action, what) = match stage {
            Stage::Written => ("bid.scores_submitted", "Scores"),
            Stage::Interview => ("bid.interview_scores_submitted", "Interview scores"),
        };
        let summary = format!("{what} submitted for {} criteria", parsed.len());
        db::audit::entry(&mut tx, actor.id, action, ("bid", bid_id), summary).await?;
    }
    tx.commit().await?;
    Ok(Done {
        value: Scored {
            submitted: submit,
            organisation: bid.organisation_name,
        },
        mail: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submitting_scores_is_checked_first() {
        assert_eq!(ScoreStep::from_form("submit"), ScoreStep::Check);
        assert_eq!(ScoreStep::from_form("confirm"), ScoreStep::Submit);
        assert_eq!(ScoreStep::from_form("draft"), ScoreStep::Draft);
        assert_eq!(ScoreStep::from_form(""), ScoreStep::Draft);
    }
}
