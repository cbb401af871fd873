//! The decision report of a round for the partners (a council's joint committee, the ICB's
//! board): every decision on its bids with amounts, conditions and overrides, the meeting
//! each was made at, and where the round's envelope and the pooled fund stand after them.
use super::pack::FundPosition;
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::domain::roles::Role};

/// Who reads decision reports: board members, commissioners and partner approvers.
#[cfg(feature = "ssr")]
pub const REPORT_READERS: [Role; 3] =
    [Role::BoardMember, Role::Commissioner, Role::PartnerApprover];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLine {
    pub reference: String,
    pub organisation: String,
    pub requested: Option<Pence>,
    /// "Award of £12,000.00 recommended, awaiting the partners' sign-off", "Declined", …
    pub decision: String,
    pub amount: Option<Pence>,
    pub conditions: String,
    pub override_reason: String,
    /// The board meeting it was made at ('' when none was named).
    pub meeting: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundDecisionReport {
    pub round_id: i64,
    pub title: String,
    pub envelope: Pence,
    pub awarded: Pence,
    pub awaiting: Pence,
    /// Left in the envelope once the awards made and awaiting sign-off are taken out.
    pub left: Pence,
    pub lines: Vec<ReportLine>,
    pub funds: Vec<FundPosition>,
    /// "7 December 2026 at 9:15am".
    pub generated: String,
}

#[server(prefix = "/api", endpoint = "board/decision_report")]
pub async fn decision_report(round_id: i64) -> Result<RoundDecisionReport, AppError> {
    use crate::domain::date::{display_date, uk_date, uk_time_value};
    let (state, _) = auth::require_any_role(&REPORT_READERS).await?;
    let report = crate::service::meetings::round_decisions(state.ctx(), round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let mut conn = state.pool.acquire().await?;
    let fund_ids: Vec<i64> = report.fund_id.into_iter().collect();
    let funds = super::pack::fund_positions(&state.pool, &mut conn, &fund_ids).await?;
    drop(conn);
    let now = chrono::Utc::now();
    let left = Pence((report.envelope.0 - report.awarded.0 - report.awaiting.0).max(0));
    Ok(RoundDecisionReport {
        round_id,
        title: report.title,
        envelope: report.envelope,
        awarded: report.awarded,
        awaiting: report.awaiting,
        left,
        lines: report
            .decisions
            .into_iter()
            .map(|d| ReportLine {
                decision: crate::domain::board::decision_words(d.outcome, d.amount, d.sign_off),
                reference: d.reference,
                organisation: d.organisation,
                requested: d.requested,
                amount: d.amount,
                conditions: d.conditions,
                override_reason: d.override_reason,
                meeting: d.meeting,
            })
            .collect(),
        funds,
        generated: format!("{} at {}", display_date(uk_date(now)), uk_time_value(now)),
    })
}
