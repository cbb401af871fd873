//! Reports for commissioners: a funding round in figures, and the audit trail viewer
//! (read-only; commissioners and admins). The CSV downloads use the same functions.
use crate::domain::audit::AuditFilterForm;
use crate::domain::money::Pence;
use crate::domain::report::{CriterionSummary, RoundFigures};
use crate::error::{AppError, FieldError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::report::{criterion_summary, round_figures, BidFacts},
    crate::domain::roles::Role,
    std::collections::BTreeMap,
};

/// Entries on one page of the audit trail.
pub const AUDIT_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundReportData {
    pub round_id: i64,
    pub title: String,
    pub status: String,
    pub envelope: Pence,
    pub figures: RoundFigures,
    pub criteria: Vec<CriterionSummary>,
}

/// A round's report, computed from its bids, assignments, scores and decisions.
#[cfg(feature = "ssr")]
pub async fn round_report_for(
    pool: &sqlx::AnyPool,
    round_id: i64,
) -> Result<RoundReportData, AppError> {
    let mut conn = pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let bids = db::reports::round_bids(&mut conn, round_id).await?;
    let statuses = db::assessment::round_statuses(&mut conn, round_id).await?;
    let decisions = db::decisions::round_decisions(&mut conn, round_id).await?;
    let criteria = db::rounds::criteria(&mut conn, round_id).await?;
    let scores = db::decisions::round_scores(&mut conn, round_id).await?;
    let moderated = db::decisions::round_moderated(&mut conn, round_id).await?;
    drop(conn);
    let mut assessors: BTreeMap<i64, (u32, u32)> = BTreeMap::new();
    for s in statuses.iter().filter(|s| !s.has_conflict()) {
        let counts = assessors.entry(s.bid_id).or_default();
        counts.0 += 1;
        counts.1 += u32::from(s.submitted_at.is_some());
    }
    let decided: BTreeMap<i64, _> = decisions
        .into_iter()
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
    Ok(RoundReportData {
        round_id,
        title: round.details.title,
        status: round.status.label().to_string(),
        envelope: round.details.envelope,
        figures: round_figures(&facts),
        criteria,
    })
}

#[server(prefix = "/api", endpoint = "reports/round")]
pub async fn round_report(round_id: i64) -> Result<RoundReportData, AppError> {
    let (state, _) = auth::require_any_role(&[Role::Commissioner]).await?;
    round_report_for(&state.pool, round_id)
        .await
        .map_err(auth::with_status)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    pub id: i64,
    pub when: String,
    /// Name and email, or "Seedbed" for what it did by itself.
    pub who: String,
    pub action: String,
    pub record: String,
    pub summary: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditData {
    pub filter: AuditFilterForm,
    pub errors: Vec<FieldError>,
    pub items: Vec<AuditItem>,
    /// The id to pass as `before` for the next (older) page.
    pub older: Option<i64>,
    /// (value, label) for each select.
    pub people: Vec<(String, String)>,
    pub records: Vec<(String, String)>,
    pub actions: Vec<(String, String)>,
}

/// Who may read the audit trail.
#[cfg(feature = "ssr")]
pub const AUDIT_READERS: [Role; 2] = [Role::Commissioner, Role::Admin];

/// A checked filter's query arguments.
#[cfg(feature = "ssr")]
pub fn audit_args(filter: &crate::domain::audit::AuditFilter) -> db::reports::AuditArgs {
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
#[cfg(feature = "ssr")]
pub fn audit_item(e: db::reports::AuditEntry) -> AuditItem {
    use crate::domain::audit::{action_label, record_label};
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

#[server(prefix = "/api", endpoint = "reports/audit")]
pub async fn audit_trail(
    #[server(default)] filter: AuditFilterForm,
    before: Option<i64>,
) -> Result<AuditData, AppError> {
    use crate::domain::audit::{action_label, record_label};
    let (state, _) = auth::require_any_role(&AUDIT_READERS).await?;
    let choices = db::reports::audit_choices(&state.pool).await?;
    let (items, older, errors) = match filter.parse() {
        Err(errors) => (Vec::new(), None, errors),
        Ok(checked) => {
            let rows =
                db::reports::audit_page(&state.pool, &audit_args(&checked), before, AUDIT_PAGE + 1)
                    .await?;
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
            (items, older, Vec::new())
        }
    };
    let mut people: Vec<(String, String)> = choices
        .people
        .into_iter()
        .map(|p| (p.id.to_string(), format!("{} ({})", p.full_name, p.email)))
        .collect();
    people.push(("system".to_string(), "Seedbed (automatic)".to_string()));
    Ok(AuditData {
        filter,
        errors,
        items,
        older,
        people,
        records: choices
            .records
            .into_iter()
            .map(|r| {
                let label = record_label(&r);
                (r, label)
            })
            .collect(),
        actions: choices
            .actions
            .into_iter()
            .map(|a| {
                let label = action_label(&a);
                (a, label)
            })
            .collect(),
    })
}
