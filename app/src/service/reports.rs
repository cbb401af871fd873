//! Reports for commissioners: a funding round in figures, and the audit trail (for
//! commissioners and admins). The pages and the CSV downloads use the same functions.
use super::Ctx;
use crate::db;
use crate::domain::audit::{action_label, record_label, AuditFilter, AuditItem};
use crate::domain::decision::Outcome;
use crate::domain::report::{criterion_summary, round_figures, BidFacts, RoundReport};
use crate::domain::roles::Role;
use crate::error::AppError;
use std::collections::BTreeMap;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("page not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::NotFound => AppError::NotFound,
            ReportError::Database(e) => e.into(),
        }
    }
}

/// Who may read the audit trail.
pub const AUDIT_READERS: [Role; 2] = [Role::Commissioner, Role::Admin];

/// Entries on one page of the audit trail.
pub const AUDIT_PAGE: i64 = 50;

/// A round's report, computed from its bids, assignments, scores and decisions.
pub async fn round_report(ctx: Ctx<'_>, round_id: i64) -> Result<RoundReport, ReportError> {
    let mut conn = ctx.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    let bids = db::reports::round_bids(&mut conn, round_id).await?;
    let statuses = db::assessment::round_statuses(&mut conn, round_id).await?;
    let decisions = db::decisions::round_decisions(&mut conn, round_id).await?;
    let criteria = db::rounds::criteria(&mut conn, round_id).await?;
    let scores = db::decisions::round_scores(&mut conn, round_id).await?;
    let moderated = db::decisions::round_moderated(&mut conn, round_id).await?;
    let overrides = db::decisions::round_overrides(&mut conn, round_id).await?;
    drop(conn);
    let mut assessors: BTreeMap<i64, (u32, u32)> = BTreeMap::new();
    for s in statuses.iter().filter(|s| !s.has_conflict()) {
        let counts = assessors.entry(s.bid_id).or_default();
        counts.0 += 1;
        counts.1 += u32::from(s.submitted_at.is_some());
    }
    // A recommended award still waiting for the partners' sign-off is not an award yet.
    let decided: BTreeMap<i64, _> = decisions
        .into_iter()
        .filter(|d| d.outcome != Outcome::Award || d.sign_off.is_final_award())
        .map(|d| (d.bid_id, (d.outcome, d.amount)))
        .collect();
    let facts: Vec<BidFacts> = bids
        .into_iter()
        .map(|b| {
            let (assessors, submitted) = assessors.get(&b.id).copied().unwrap_or_default();
            BidFacts {
                status: b.status,
                sent: b.submitted_at.is_some(),
                requested: b.requested,
                decision: decided.get(&b.id).copied(),
                assessors,
                submitted,
            }
        })
        .collect();
    let criteria = criteria
        .iter()
        .map(|c| {
            let given: Vec<u32> = scores
                .iter()
                .filter(|s| s.criterion_id == c.id)
                .filter_map(|s| s.score)
                .collect();
            let agreed: Vec<u32> = moderated
                .iter()
                .filter(|m| m.criterion_id == c.id)
                .map(|m| m.score)
                .collect();
            criterion_summary(&c.criterion.name, c.criterion.weight, &given, &agreed)
        })
        .collect();
    Ok(RoundReport {
        round_id,
        title: round.details.title,
        status: round.status.label().to_string(),
        envelope: round.details.envelope,
        figures: round_figures(&facts),
        criteria,
        overrides,
    })
}

/// A checked filter's query arguments.
pub fn audit_args(filter: &AuditFilter) -> db::reports::AuditArgs {
    let (from, before) = filter.bounds();
    db::reports::AuditArgs {
        actor: filter.actor_arg(),
        record: filter.record.clone(),
        record_id: filter.record_id.clone(),
        action: filter.action.clone(),
        from,
        before,
    }
}

/// An entry as the viewer and its CSV show it.
pub fn audit_item(e: db::reports::AuditEntry) -> AuditItem {
    AuditItem {
        id: e.id,
        when: e.occurred_at.display_uk(),
        who: match (e.actor, e.actor_email) {
            (Some(name), Some(email)) => format!("{name} ({email})"),
            (Some(name), None) => name,
            _ => "Seedbed".to_string(),
        },
        action: action_label(&e.action),
        record: format!("{} {}", record_label(&e.subject_type), e.subject_id),
        summary: e.summary,
        before: e.before.unwrap_or_default(),
        after: e.after.unwrap_or_default(),
    }
}

/// One page of the audit trail, newest first, older than `before` (an entry id): the
/// entries, and the id to pass as `before` for the next page when there is one.
pub async fn audit_page(
    ctx: Ctx<'_>,
    filter: &AuditFilter,
    before: Option<i64>,
) -> Result<(Vec<AuditItem>, Option<i64>), ReportError> {
    let args = audit_args(filter);
    let rows = db::reports::audit_page(ctx.pool, &args, before, AUDIT_PAGE + 1).await?;
    let older = if rows.len() as i64 > AUDIT_PAGE {
        rows.get(AUDIT_PAGE as usize - 1).map(|r| r.id)
    } else {
        None
    };
    let items = rows
        .into_iter()
        .take(AUDIT_PAGE as usize)
        .map(audit_item)
        .collect();
    Ok((items, older))
}
