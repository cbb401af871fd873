//! The board pack: one printable document, generated from live data, for a board meeting:
//! the fund position for each partner, and for each round on the agenda its ranked bids
//! with the funding line, each bid's sustainability plan and warnings, score spreads,
//! conflicts declared, and the officers' recommendation.
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::db, crate::domain::roles::Role, std::collections::BTreeMap};

/// One partner's position in a pooled fund.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerPosition {
    pub partner: String,
    pub contributed: Pence,
    pub reserved: Pence,
    pub committed: Pence,
    pub paid: Pence,
    pub uncommitted: Pence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundPosition {
    /// "Pooled fund 2026 to 2027".
    pub title: String,
    pub partners: Vec<PartnerPosition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackBid {
    pub rank: usize,
    pub reference: String,
    pub organisation: String,
    pub requested: Pence,
    pub running_total: Pence,
    pub above_line: bool,
    /// "72.5 out of 100", or "Not scored yet".
    pub total: String,
    /// "Fundable", "Not fundable: below a minimum score", or '' when not scored yet.
    pub standing: String,
    /// Criteria whose scores differ by 2 or more.
    pub spreads: Vec<String>,
    /// Who declared a conflict of interest in it.
    pub conflicts: Vec<String>,
    pub recommendation: String,
    pub override_reason: String,
    /// The sustainability plan: (year, grant dependency %), its summary and warnings.
    pub plan: Vec<(String, u32)>,
    pub plan_summary: String,
    pub plan_flags: Vec<String>,
    /// Shortlisted: "Interview, 14 January 2027 at 10am, Town Hall (Will come)".
    #[serde(default)]
    pub interview: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackRound {
    pub id: i64,
    pub title: String,
    pub envelope: Pence,
    pub awarded: Pence,
    /// (criterion, weight, who scores it).
    pub criteria: Vec<(String, u32, String)>,
    pub bids: Vec<PackBid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackData {
    pub meeting_id: i64,
    pub name: String,
    /// Members invited: (name, who they represent).
    pub members: Vec<(String, String)>,
    pub funds: Vec<FundPosition>,
    pub rounds: Vec<PackRound>,
    /// "5 December 2026 at 3:15pm": when it was generated.
    pub generated: String,
}

#[server(prefix = "/api", endpoint = "board/pack")]
pub async fn board_pack(id: i64) -> Result<PackData, AppError> {
    use crate::domain::date::{display_date, uk_date, uk_time_value};
    let (state, _) =
        auth::require_any_role(&[Role::BoardMember, Role::Commissioner, Role::PartnerApprover])
            .await?;
    let meeting = super::meetings::meeting(id).await?;
    let mut conn = state.pool.acquire().await?;
    let mut rounds = Vec::new();
    for (round_id, title) in &meeting.agenda {
        let Some(round) = db::rounds::round(&mut conn, *round_id).await? else {
            continue;
        };
        rounds.push(pack_round(&state.pool, &mut conn, &round, title).await?);
    }
    let funds = meeting.funds;
    let now = chrono::Utc::now();
    Ok(PackData {
        meeting_id: id,
        name: meeting.name,
        members: meeting
            .members
            .into_iter()
            .map(|m| (m.name, m.represents))
            .collect(),
        funds,
        rounds,
        generated: format!("{} at {}", display_date(uk_date(now)), uk_time_value(now)),
    })
}

/// Each pooled fund's position per partner, now: contributed, reserved, committed, paid and
/// not committed (the pack, the minutes and the decision report show it).
#[cfg(feature = "ssr")]
pub(crate) async fn fund_positions(
    pool: &sqlx::AnyPool,
    conn: &mut sqlx::AnyConnection,
    fund_ids: &[i64],
) -> Result<Vec<FundPosition>, AppError> {
    let mut funds = Vec::new();
    for &fund_id in fund_ids {
        let Some(fund) = db::fund::fund_by_id(&mut *conn, fund_id).await? else {
            continue;
        };
        let partners = db::fund::partner_totals(pool, fund_id)
            .await?
            .into_iter()
            .map(|(p, t)| PartnerPosition {
                partner: p.name,
                contributed: t.contributed,
                reserved: t.reserved,
                committed: t.committed,
                paid: t.paid,
                uncommitted: t.uncommitted(),
            })
            .collect();
        funds.push(FundPosition {
            title: format!("Pooled fund {}", fund.year.label()),
            partners,
        });
    }
    Ok(funds)
}

#[cfg(feature = "ssr")]
async fn pack_round(
    pool: &sqlx::AnyPool,
    conn: &mut sqlx::AnyConnection,
    round: &db::rounds::RoundRow,
    title: &str,
) -> Result<PackRound, AppError> {
    use crate::domain::bid::{flags, summary};
    let ranking = super::moderation::moderation_for(pool, round.id).await?;
    let conflicts = db::meetings::conflicts_in_round(&mut *conn, round.id).await?;
    let mut declared: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (bid, name) in conflicts {
        declared.entry(bid).or_default().push(name);
    }
    let recorded = db::decisions::round_decisions(&mut *conn, round.id).await?;
    let funded = crate::domain::answers::funded_years(round.details.period_months);
    let now = chrono::Utc::now();
    let interviews: BTreeMap<i64, String> = db::interviews::for_round(&mut *conn, round.id)
        .await?
        .iter()
        .map(|r| {
            let v = super::interviews::interview_view(r, now);
            (
                r.bid_id,
                format!("{}, {}, {} ({})", v.format, v.when, v.place, v.reply),
            )
        })
        .collect();
    let mut bids = Vec::new();
    for (i, row) in ranking.rows.iter().enumerate() {
        let decision = recorded.iter().find(|d| d.bid_id == row.bid_id);
        let override_reason = match decision {
            Some(_) => db::decisions::recorded(&mut *conn, row.bid_id)
                .await?
                .map(|r| r.decision.override_reason)
                .unwrap_or_default(),
            None => String::new(),
        };
        let plan = crate::service::decisions::agreed_plan(
            &mut *conn,
            row.bid_id,
            round.id,
            round.details.period_months,
        )
        .await?;
        bids.push(PackBid {
            rank: i + 1,
            reference: row.reference.clone(),
            organisation: row.organisation.clone(),
            requested: row.requested,
            running_total: row.running_total,
            above_line: row.above_line,
            total: if row.scored {
                format!("{:.1} out of 100", row.total)
            } else {
                "Not scored yet".into()
            },
            standing: match (row.scored, row.fundable) {
                (false, _) => "",
                (true, true) => "Fundable",
                (true, false) => "Not fundable: below a minimum score",
            }
            .into(),
            spreads: ranking
                .criteria
                .iter()
                .zip(&row.cells)
                .filter(|(_, c)| c.spread)
                .map(|(c, _)| c.name.clone())
                .collect(),
            conflicts: declared.remove(&row.bid_id).unwrap_or_default(),
            recommendation: decision
                .map(|d| crate::domain::board::decision_words(d.outcome, d.amount, d.sign_off))
                .unwrap_or_else(|| "No recommendation recorded yet".into()),
            override_reason,
            plan: plan
                .iter()
                .enumerate()
                .map(|(y, p)| (format!("Year {}", y + 1), p.dependency_percent()))
                .collect(),
            plan_summary: summary(&plan),
            plan_flags: flags(&plan, funded).iter().map(|f| f.message()).collect(),
            interview: interviews.get(&row.bid_id).cloned().unwrap_or_default(),
        });
    }
    Ok(PackRound {
        id: round.id,
        title: title.to_string(),
        envelope: ranking.envelope,
        awarded: ranking.awarded,
        criteria: ranking
            .criteria
            .iter()
            .map(|c| {
                let at = if c.interview { " at the interview" } else { "" };
                (
                    c.name.clone(),
                    c.weight,
                    format!("{}{at}", c.scored_by.label()),
                )
            })
            .collect(),
        bids,
    })
}
