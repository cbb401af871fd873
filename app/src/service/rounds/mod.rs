//! Rounds: building a draft (`builder`), and its lifecycle (commissioners, and the clock):
//! publishing, a new version after publishing, starting assessment, and opening and closing
//! at the times set.
mod builder;
pub use builder::*;

use super::Ctx;
use crate::db;
use crate::db::rounds::RoundRow;
use crate::domain::fund::{FinancialYear, LedgerRefusal};
use crate::domain::round::{PublishCheck, RoundStatus, SectionKind};
use crate::domain::time::UtcTime;
use crate::error::{AppError, FieldError};

/// Why a round was not moved on (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("{}", crate::domain::round::no_fund_message(*.0))]
    NoFund(FinancialYear),
    #[error("This round has already been published")]
    AlreadyPublished,
    #[error("This round has been published, so its details, questionnaire and criteria are locked. Make a new version to change them")]
    Locked,
    /// The first thing to put right before it can be published.
    #[error("{0}")]
    Incomplete(String),
    #[error("{}", .0.message())]
    NotEnoughMoney(LedgerRefusal),
    /// The move is not allowed from where the round is (the reason from the domain rule).
    #[error("{0}")]
    CannotMove(String),
    #[error("The round changed while you were looking at it. Try again")]
    Changed,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<RoundError> for AppError {
    fn from(e: RoundError) -> Self {
        match e {
            RoundError::NotFound => AppError::NotFound,
            RoundError::Invalid(errors) => AppError::Invalid(errors),
            RoundError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

/// What the publishing rule (domain::round::publish_problems) needs to know about a round:
/// how many of its gaps are on the register, its criteria and the sections they draw on,
/// its empty sections, and whether its year's pooled fund is set up.
pub fn publish_check<'a>(
    round: &RoundRow,
    gaps: usize,
    sections: &'a [db::rounds::SectionRow],
    criteria: &'a [db::rounds::CriterionRow],
    fund_exists: bool,
) -> PublishCheck<'a> {
    PublishCheck {
        gaps,
        criteria: criteria
            .iter()
            .map(|c| {
                // An interview criterion is scored from what the panel hears.
                let drawn = c.interview.is_some()
                    || c.section_ids
                        .iter()
                        .any(|id| sections.iter().any(|s| s.id == *id));
                (c.criterion.name.as_str(), c.criterion.weight, drawn)
            })
            .collect(),
        empty_sections: sections
            .iter()
            .filter(|s| s.kind == SectionKind::Custom && s.questions.is_empty())
            .map(|s| s.title.as_str())
            .collect(),
        closes_at: round.details.closes_at,
        fund_missing: (!fund_exists)
            .then(|| crate::domain::round::fund_year(round.details.opens_at)),
    }
}

impl From<db::fund::LedgerError> for RoundError {
    fn from(e: db::fund::LedgerError) -> Self {
        match e {
            db::fund::LedgerError::Refused(refusal) => RoundError::NotEnoughMoney(refusal),
            db::fund::LedgerError::Database(e) => e.into(),
        }
    }
}

async fn round(ctx: Ctx<'_>, id: i64) -> Result<RoundRow, RoundError> {
    let mut conn = ctx.pool.acquire().await?;
    db::rounds::round(&mut conn, id)
        .await?
        .ok_or(RoundError::NotFound)
}

fn entry(
    actor: Option<i64>,
    action: &'static str,
    round_id: i64,
    summary: String,
    before: &str,
    after: String,
) -> db::audit::Entry<'static> {
    db::audit::Entry {
        actor,
        action,
        subject_type: "round",
        subject_id: round_id.to_string(),
        summary,
        before: Some(before.into()),
        after: Some(after),
    }
}

/// Publish a draft: check it is complete, lock it and reserve its envelope from its year's
/// pooled fund, all in one transaction; its gaps are marked as having a round open.
pub async fn publish(ctx: Ctx<'_>, actor: i64, round_id: i64) -> Result<(), RoundError> {
    let round = round(ctx, round_id).await?;
    let year = crate::domain::round::fund_year(round.details.opens_at);
    let fund = db::fund::fund_for_year(ctx.pool, year)
        .await?
        .ok_or(RoundError::NoFund(year))?;
    let now_t = chrono::Utc::now();
    let now = UtcTime::from(now_t);
    let mut tx = ctx.pool.begin().await?;
    if !db::rounds::mark_published(&mut tx, round_id, fund.id, now).await? {
        return Err(RoundError::AlreadyPublished);
    }
    // Checked under the lock, so a concurrent change cannot slip past.
    let gap_ids = db::rounds::gap_ids(&mut tx, round_id).await?;
    let mut gaps = 0;
    for id in &gap_ids {
        if db::registers::gap(&mut tx, *id).await?.is_some() {
            gaps += 1;
        }
    }
    let sections = db::rounds::sections(&mut tx, round_id).await?;
    let criteria = db::rounds::criteria(&mut tx, round_id).await?;
    let check = publish_check(&round, gaps, &sections, &criteria, true);
    if let Some(first) = crate::domain::round::publish_problems(&check, now_t)
        .into_iter()
        .next()
    {
        return Err(RoundError::Incomplete(first));
    }
    let title = &round.details.title;
    let reason = format!("Budget envelope for \u{201c}{title}\u{201d}");
    let envelope = round.details.envelope;
    db::fund::reserve(&mut tx, fund.id, envelope, round_id, &reason, actor, now).await?;
    db::registers::open_gaps(&mut tx, &gap_ids, now).await?;
    let summary = format!("Published: {title}; {envelope} reserved from the pooled fund");
    let published = entry(
        Some(actor),
        "round.published",
        round_id,
        summary,
        "Draft",
        "Published".into(),
    );
    db::audit::record(&mut tx, published).await?;
    tx.commit().await?;
    Ok(())
}

/// A change after publishing: the round goes back to draft as a new version (not open to
/// bids meanwhile) and its reservation is released; publishing again reserves it again.
pub async fn new_version(
    ctx: Ctx<'_>,
    actor: i64,
    round_id: i64,
    reason: &str,
) -> Result<(), RoundError> {
    let reason = crate::domain::text::required_text(
        "reason",
        reason,
        "Enter the reason for changing the published round",
        1000,
        "Reason",
    )
    .map_err(|e| RoundError::Invalid(vec![e]))?;
    let round = round(ctx, round_id).await?;
    let now_t = chrono::Utc::now();
    let phase = round.phase_at(now_t);
    crate::domain::round::can_move(phase, RoundStatus::Draft).map_err(RoundError::CannotMove)?;
    let now = UtcTime::from(now_t);
    let mut tx = ctx.pool.begin().await?;
    if !db::rounds::set_status(
        &mut tx,
        round_id,
        round.status,
        RoundStatus::Draft,
        true,
        now,
    )
    .await?
    {
        return Err(RoundError::Changed);
    }
    if let Some(fund_id) = round.fund_id {
        let why = format!(
            "Round \u{201c}{}\u{201d} reopened for changes",
            round.details.title
        );
        db::fund::release(&mut tx, fund_id, round_id, &why, actor, now).await?;
    }
    let version = round.version;
    let entry = entry(
        Some(actor),
        "round.new_version",
        round_id,
        format!("Version {} started: {reason}", version + 1),
        &format!("{} (version {version})", phase.label()),
        format!("Draft (version {})", version + 1),
    );
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// After the deadline a commissioner starts assessment: the round's sent bids go under
/// assessment.
pub async fn start_assessment(ctx: Ctx<'_>, actor: i64, round_id: i64) -> Result<(), RoundError> {
    let round = round(ctx, round_id).await?;
    let now_t = chrono::Utc::now();
    let phase = round.phase_at(now_t);
    crate::domain::round::can_move(phase, RoundStatus::Assessment)
        .map_err(RoundError::CannotMove)?;
    let now = UtcTime::from(now_t);
    let mut tx = ctx.pool.begin().await?;
    let to = RoundStatus::Assessment;
    if !db::rounds::set_status(&mut tx, round_id, round.status, to, false, now).await? {
        return Err(RoundError::Changed);
    }
    db::bids::start_assessment(&mut tx, round_id, now).await?;
    let summary = "Assessment started".to_string();
    let entry = entry(
        Some(actor),
        "round.assessment_started",
        round_id,
        summary,
        "Closed",
        "In assessment".into(),
    );
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Move rounds on by the clock (published → open → closed), once each, audited: the number
/// moved. Safe to run in any number of server instances at once: each transition is claimed
/// by a unique row.
pub async fn advance_by_clock(
    pool: &sqlx::AnyPool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    let now = UtcTime::from(now);
    let mut moved = 0;
    for due in db::rounds::due_transitions(pool, now).await? {
        let (id, title, from, to) = (due.id, &due.title, due.from, due.to(now));
        let mut tx = pool.begin().await?;
        if !db::rounds::claim_transition(&mut tx, id, to, due.version, now).await? {
            continue;
        }
        if !db::rounds::set_status(&mut tx, id, from, to, false, now).await? {
            continue;
        }
        let (action, verb) = if to == RoundStatus::Open {
            ("round.opened", "opened")
        } else {
            ("round.closed", "closed")
        };
        let summary = format!("{title}: {verb} at the time set");
        let entry = entry(None, action, id, summary, from.label(), to.label().into());
        db::audit::record(&mut tx, entry).await?;
        tx.commit().await?;
        moved += 1;
    }
    Ok(moved)
}
