//! Assessment: commissioners appoint a round's panels and assign its bids; assessors declare
//! any conflict of interest before they see a bid, then score it blind against the criteria
//! their panel scores; a commissioner may reopen submitted scores, with a reason.
use super::{Actor, Ctx, Done};
use crate::db;
use crate::db::assessment::Assignment;
use crate::db::rounds::{CriterionRow, RoundRow};
use crate::domain::assessment::{
    panel_scores, parse_score, AssignmentStatus, Declaration, DeclarationForm,
};
use crate::domain::roles::Role;
use crate::domain::round::{Panel, RoundStatus};
use crate::error::{AppError, FieldError};
use crate::mail::OutgoingMail;
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

/// The panels a person may sit on, from the roles they hold.
pub fn panels_open_to(roles: &[Role]) -> Vec<Panel> {
    let mut panels = Vec::new();
    if roles.contains(&Role::BoardMember) {
        panels.push(Panel::Board);
    }
    if roles.contains(&Role::LayEvaluator) {
        panels.push(Panel::Lay);
    }
    panels
}

async fn round(ctx: Ctx<'_>, round_id: i64) -> Result<RoundRow, AssessmentError> {
    let mut conn = ctx.pool.acquire().await?;
    db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(AssessmentError::NotFound)
}

// ---- Panels and assignment (commissioners) ----

/// How many sit on each panel once appointed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appointed {
    pub board: usize,
    pub lay: usize,
}

/// Replace a round's panels with these appointments (person → panel). Each person must hold
/// the panel's role; `member[id]` names the field of anyone who does not.
pub async fn appoint_panels(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    chosen: &BTreeMap<i64, Panel>,
) -> Result<Done<Appointed>, AssessmentError> {
    round(ctx, round_id).await?;
    let mut conn = ctx.pool.acquire().await?;
    let people = db::users::with_roles(&mut conn, &[Role::BoardMember, Role::LayEvaluator]).await?;
    drop(conn);
    let mut members = Vec::new();
    let mut errors = Vec::new();
    for (user_id, panel) in chosen {
        let person = people.iter().find(|p| p.id == *user_id);
        match person {
            Some(p) if panels_open_to(&p.roles).contains(panel) => members.push((*user_id, *panel)),
            _ => errors.push(FieldError::new(
                format!("member[{user_id}]"),
                format!(
                    "{} cannot sit on that panel: they do not hold the role",
                    person
                        .map(|p| p.full_name.as_str())
                        .unwrap_or("This person")
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AssessmentError::Invalid(errors));
    }
    let board = members.iter().filter(|m| m.1 == Panel::Board).count();
    let lay = members.len() - board;
    let mut tx = ctx.pool.begin().await?;
    db::assessment::set_panel(&mut tx, round_id, &members, actor.id, db::now()).await?;
    let summary = format!("Panels appointed: {board} board members, {lay} lay evaluators");
    db::audit::entry(
        &mut tx,
        actor.id,
        "round.panels_appointed",
        ("round", round_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: Appointed { board, lay },
        mail: Vec::new(),
    })
}

/// Which bids go to whom: one bid to the panel members ticked for it, or every bid of the
/// round to every panel member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assign {
    OneBid { bid_id: i64, assessors: Vec<i64> },
    EveryBid,
}

/// What assigning did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assigned {
    pub new_assignments: usize,
    pub assessors_emailed: usize,
}

/// Assign bids to a round's panel members once it has closed, and email each assessor who
/// has new bids. For one bid, unticked assessors come off it unless they have submitted
/// their scores.
pub async fn assign(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    what: &Assign,
) -> Result<Done<Assigned>, AssessmentError> {
    let round = round(ctx, round_id).await?;
    let phase = round.phase_at(chrono::Utc::now());
    if !matches!(phase, RoundStatus::Closed | RoundStatus::Assessment) {
        return Err(AssessmentError::NotClosed);
    }
    let mut conn = ctx.pool.acquire().await?;
    let panel = db::assessment::panel(&mut conn, round_id).await?;
    let bids = db::bids::assessable(&mut conn, round_id).await?;
    drop(conn);
    if panel.is_empty() {
        return Err(AssessmentError::NoPanel);
    }
    let pairs: Vec<(i64, i64)> = match what {
        Assign::OneBid { bid_id, assessors } => {
            if !bids.iter().any(|b| b.id == *bid_id) {
                return Err(AssessmentError::NotFound);
            }
            panel
                .iter()
                .filter(|m| assessors.contains(&m.user_id))
                .map(|m| (*bid_id, m.user_id))
                .collect()
        }
        Assign::EveryBid => bids
            .iter()
            .flat_map(|b| panel.iter().map(move |m| (b.id, m.user_id)))
            .collect(),
    };
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let mut new_for: BTreeMap<i64, usize> = BTreeMap::new();
    for (bid, who) in &pairs {
        if db::assessment::assign(&mut tx, *bid, *who, now).await? {
            *new_for.entry(*who).or_default() += 1;
        }
    }
    if let Assign::OneBid { bid_id, assessors } = what {
        for m in panel.iter().filter(|m| !assessors.contains(&m.user_id)) {
            db::assessment::unassign(&mut tx, *bid_id, m.user_id).await?;
        }
    }
    let total: usize = new_for.values().sum();
    let summary = format!("{total} new assignments to {} assessors", new_for.len());
    db::audit::entry(
        &mut tx,
        actor.id,
        "round.bids_assigned",
        ("round", round_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/assess", ctx.base_url);
    let mail: Vec<OutgoingMail> = new_for
        .iter()
        .filter_map(|(who, count)| {
            let m = panel.iter().find(|m| m.user_id == *who)?;
            Some(crate::mail::bids_assigned(
                &m.email,
                &m.full_name,
                &round.details.title,
                *count,
                &link,
            ))
        })
        .collect();
    Ok(Done {
        value: Assigned {
            new_assignments: total,
            assessors_emailed: mail.len(),
        },
        mail,
    })
}

/// A commissioner reopens an assessor's submitted scores for a bid, with a reason (audited,
/// with the state before and after).
pub async fn reopen(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    bid_id: i64,
    assessor: i64,
    reason: &str,
) -> Result<Done<()>, AssessmentError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AssessmentError::Invalid(vec![FieldError::new(
            format!("reason[{assessor}]"),
            "Say why you are reopening these scores",
        )]));
    }
    let mut tx = ctx.pool.begin().await?;
    let in_round = db::bids::get(&mut tx, bid_id)
        .await?
        .is_some_and(|b| b.round_id == round_id);
    if !in_round || !db::assessment::reopen(&mut tx, bid_id, assessor).await? {
        return Err(AssessmentError::NotSubmitted);
    }
    let entry = db::audit::Entry {
        actor: Some(actor.id),
        action: "bid.scores_reopened",
        subject_type: "bid",
        subject_id: bid_id.to_string(),
        summary: format!("Scores reopened for assessor {assessor}: {reason}"),
        before: Some("Submitted".into()),
        after: Some("Draft".into()),
    };
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Done {
        value: (),
        mail: Vec::new(),
    })
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
        .filter(|c| panel_scores(panel, &c.section_ids, &lay_sections))
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

/// Save scores as a draft, or submit them (`submit`: every criterion the assessor's panel
/// scores must be scored and explained; locked afterwards). When submitting fails its
/// checks, what reads is still saved as a draft, so nothing typed is lost.
pub async fn score(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
    typed: &TypedScores,
    submit: bool,
) -> Result<Done<Scored>, AssessmentError> {
    let assignment = assignment(ctx, actor, bid_id).await?;
    match assignment.status() {
        AssignmentStatus::ToScore => {}
        AssignmentStatus::Scored => return Err(AssessmentError::Locked),
        _ => return Err(AssessmentError::NotFound),
    }
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(AssessmentError::NotFound)?;
    let (criteria, _) = criteria_for(&mut conn, bid.round_id, assignment.panel).await?;
    drop(conn);
    let parse = |c: &CriterionRow, strict: bool| {
        let (score, why) = typed.of(c.id);
        parse_score(&c.id.to_string(), &c.criterion.name, score, why, strict)
    };
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for c in &criteria {
        match parse(c, submit) {
            Ok((s, w)) => parsed.push((c.id, s, w)),
            Err(e) => errors.extend(e),
        }
    }
    let now = db::now();
    if !errors.is_empty() {
        if submit {
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
    if submit && !db::assessment::submit(&mut tx, bid_id, actor.id, now).await? {
        return Err(AssessmentError::AlreadySubmitted);
    }
    for (criterion_id, s, w) in &parsed {
        db::assessment::save_score(&mut tx, bid_id, actor.id, *criterion_id, *s, w, now).await?;
    }
    if submit {
        db::assessment::refresh_score_totals(&mut tx, bid_id).await?;
        let summary = format!("Scores submitted for {} criteria", parsed.len());
        db::audit::entry(
            &mut tx,
            actor.id,
            "bid.scores_submitted",
            ("bid", bid_id),
            summary,
        )
        .await?;
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
    fn the_roles_a_person_holds_decide_their_panels() {
        assert_eq!(panels_open_to(&[Role::BoardMember]), [Panel::Board]);
        assert_eq!(panels_open_to(&[Role::LayEvaluator]), [Panel::Lay]);
        assert_eq!(
            panels_open_to(&[Role::LayEvaluator, Role::BoardMember]),
            [Panel::Board, Panel::Lay]
        );
        assert!(panels_open_to(&[Role::Commissioner, Role::Admin]).is_empty());
    }
}
