//! Funded schemes: the award's scheme, acceptance, the portfolio, suspension, ending and
//! graduation (tranches are in `db::tranches`). Every state change is a conditional update
//! on the row's current status, so two people (or two instances) cannot both make it.
use crate::domain::bid::PlanYear;
use crate::domain::decision::Tranche;
use crate::domain::money::Pence;
use crate::domain::monitoring::{Period, SchemeStatus, Suspension};
use crate::domain::time::{Day, UtcTime};
use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyPool, FromRow};

use super::types::JsonText;

/// What an award creates.
pub struct NewScheme<'a> {
    pub bid_id: i64,
    pub round_id: i64,
    pub organisation_id: i64,
    pub amount: Pence,
    pub conditions: &'a str,
    /// What the grant pays for (published).
    pub purpose: &'a str,
    pub plan: &'a [PlanYear],
    pub starts_on: chrono::NaiveDate,
    pub return_every: u32,
    pub tranches: &'a [Tranche],
    /// The fund each tranche is charged to, in order (missing: the round's fund).
    pub tranche_funds: &'a [i64],
    pub periods: &'a [Period],
}

/// The funded scheme an award creates, with its tranches and its schedule of returns.
pub async fn create(
    conn: &mut AnyConnection,
    s: &NewScheme<'_>,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let plan = serde_json::to_string(s.plan).unwrap_or_else(|_| "[]".into());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO schemes (bid_id, round_id, organisation_id, amount_pence, conditions, status, created_at, plan, starts_on, return_every_months, purpose)
         VALUES ($1, $2, $3, $4, $5, 'awarded', $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(s.bid_id)
    .bind(s.round_id)
    .bind(s.organisation_id)
    .bind(s.amount)
    .bind(s.conditions)
    .bind(now)
    .bind(plan)
    .bind(Day(s.starts_on))
    .bind(i64::from(s.return_every))
    .bind(s.purpose)
    .fetch_one(&mut *conn)
    .await?;
    for (i, t) in s.tranches.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tranches (scheme_id, position, amount_pence, due_on, milestone, status, fund_id)
             VALUES ($1, $2, $3, $4, $5, 'due', COALESCE($6, (SELECT fund_id FROM rounds WHERE id = $7)))",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(t.amount)
        .bind(Day(t.due))
        .bind(&t.milestone)
        .bind(s.tranche_funds.get(i).copied())
        .bind(s.round_id)
        .execute(&mut *conn)
        .await?;
    }
    for p in s.periods {
        sqlx::query(
            "INSERT INTO returns (scheme_id, position, period_start, period_end, due_on, status) VALUES ($1, $2, $3, $4, $5, 'due')",
        )
        .bind(id)
        .bind(i64::from(p.position))
        .bind(Day(p.start))
        .bind(Day(p.end))
        .bind(Day(p.due))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

#[derive(Debug, Clone, FromRow)]
pub struct SchemeRow {
    pub id: i64,
    pub bid_id: i64,
    pub reference: Option<String>,
    pub round_id: i64,
    pub round_title: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    #[sqlx(rename = "paid_pence")]
    pub paid: Pence,
    pub conditions: String,
    #[sqlx(try_from = "String")]
    pub status: SchemeStatus,
    #[sqlx(try_from = "JsonText")]
    pub plan: Vec<PlanYear>,
    #[sqlx(try_from = "Day")]
    pub starts_on: NaiveDate,
    #[sqlx(rename = "return_every_months", try_from = "i64")]
    pub return_every: u32,
    #[sqlx(rename = "created_at")]
    pub awarded_at: UtcTime,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<UtcTime>,
    pub graduated_at: Option<UtcTime>,
    /// Turned down or ended early: who, when and why.
    pub ended_by: Option<String>,
    pub ended_at: Option<UtcTime>,
    pub end_reason: String,
    /// What went back to the pooled fund unpaid (turned down, ended, graduated).
    #[sqlx(rename = "released_pence")]
    pub released: Pence,
    /// Asked back from what it was paid (clawbacks), repaid or not.
    #[sqlx(rename = "clawed_back_pence")]
    pub clawed_back: Pence,
    /// Repaid so far of what was asked back.
    #[sqlx(rename = "repaid_pence")]
    pub repaid: Pence,
    /// While payments are suspended: who, when, why, the support plan and its review date.
    pub suspended_by: Option<String>,
    pub suspended_at: Option<UtcTime>,
    pub suspension_reason: String,
    pub support_plan: String,
    pub support_review_on: Option<Day>,
}

const SCHEME_SELECT: &str = "SELECT s.id, s.bid_id, b.reference, s.round_id, r.title AS round_title, s.organisation_id,
    o.name AS organisation_name, s.amount_pence, s.paid_pence, s.conditions, s.status, s.plan, s.starts_on,
    s.return_every_months, s.created_at, a.full_name AS accepted_by, s.accepted_at, s.graduated_at,
    e.full_name AS ended_by, s.ended_at, s.end_reason, s.released_pence, s.clawed_back_pence, s.repaid_pence, u.full_name AS suspended_by,
    s.suspended_at, s.suspension_reason, s.support_plan, s.support_review_on
    FROM schemes s JOIN bids b ON b.id = s.bid_id JOIN rounds r ON r.id = s.round_id
    JOIN organisations o ON o.id = s.organisation_id LEFT JOIN users a ON a.id = s.accepted_by
    LEFT JOIN users e ON e.id = s.ended_by LEFT JOIN users u ON u.id = s.suspended_by";

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<SchemeRow>, sqlx::Error> {
    let sql = format!("{SCHEME_SELECT} WHERE s.id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// Put a scheme's award (its decision and the scheme) and its acceptance at `awarded`, and
/// each tranche in `paid` (id, when) at its time: for history made after the fact (the demo's
/// funded schemes, awarded months ago but loaded today).
pub async fn set_history(
    conn: &mut AnyConnection,
    scheme_id: i64,
    awarded: UtcTime,
    paid: &[(i64, UtcTime)],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE schemes SET created_at = $1,
         accepted_at = CASE WHEN accepted_at IS NULL THEN NULL ELSE $1 END WHERE id = $2",
    )
    .bind(awarded)
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE decisions SET decided_at = $1 WHERE bid_id = (SELECT bid_id FROM schemes WHERE id = $2)",
    )
    .bind(awarded)
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    for (tranche, at) in paid {
        sqlx::query(
            "UPDATE tranches SET evidence_at = $1, reviewed_at = $1, paid_at = $1, paid_on = $4
             WHERE id = $2 AND scheme_id = $3 AND paid_at IS NOT NULL",
        )
        .bind(*at)
        .bind(*tranche)
        .bind(scheme_id)
        .bind(at.uk_day())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn of_bid(conn: &mut AnyConnection, bid_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM schemes WHERE bid_id = $1")
        .bind(bid_id)
        .fetch_optional(conn)
        .await
}

/// Every scheme of the organisations a user belongs to.
pub async fn for_member(pool: &AnyPool, user_id: i64) -> Result<Vec<SchemeRow>, sqlx::Error> {
    let sql = format!(
        "{SCHEME_SELECT} WHERE s.organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = $1) ORDER BY s.id DESC"
    );
    sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await
}

const PORTFOLIO_FILTER: &str = "WHERE ($1 = 0 OR s.round_id = $1)
    AND ($2 = 0 OR EXISTS (SELECT 1 FROM round_gaps g WHERE g.round_id = s.round_id AND g.gap_id = $2))";

/// Schemes for the portfolio, filtered; newest award first. `page`: (limit, offset) for one
/// page of them, none for all.
pub async fn portfolio(
    pool: &AnyPool,
    round_id: Option<i64>,
    gap_id: Option<i64>,
    page: Option<(i64, i64)>,
) -> Result<Vec<SchemeRow>, sqlx::Error> {
    let (limit, offset) = page.unwrap_or((-1, 0));
    let limit = if limit < 0 { i64::MAX } else { limit };
    let sql = format!("{SCHEME_SELECT} {PORTFOLIO_FILTER} ORDER BY s.id DESC LIMIT $3 OFFSET $4");
    sqlx::query_as(&sql)
        .bind(round_id.unwrap_or(0))
        .bind(gap_id.unwrap_or(0))
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
}

/// The portfolio's totals over every scheme matching the filters, summed by the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, FromRow)]
pub struct PortfolioTotals {
    #[sqlx(rename = "n")]
    pub schemes: i64,
    /// Awarded, less what went back unpaid and what was repaid (as the ledger nets it).
    pub committed: Pence,
    /// Paid, less what was repaid.
    pub paid: Pence,
    pub repaid: Pence,
    #[sqlx(rename = "sustaining")]
    pub self_sustaining: i64,
    /// Kept with each scheme (db::returns::refresh_cost_avoided).
    pub cost_avoided: Pence,
}

pub async fn portfolio_totals(
    pool: &AnyPool,
    round_id: Option<i64>,
    gap_id: Option<i64>,
) -> Result<PortfolioTotals, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(s.amount_pence - s.released_pence - s.repaid_pence), 0) AS BIGINT) AS committed,
            CAST(COALESCE(SUM(s.paid_pence - s.repaid_pence), 0) AS BIGINT) AS paid,
            CAST(COALESCE(SUM(s.repaid_pence), 0) AS BIGINT) AS repaid,
            CAST(COALESCE(SUM(CASE WHEN s.status = 'self_sustaining' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sustaining,
            CAST(COALESCE(SUM(s.cost_avoided_pence), 0) AS BIGINT) AS cost_avoided
         FROM schemes s {PORTFOLIO_FILTER}"
    ))
    .bind(round_id.unwrap_or(0))
    .bind(gap_id.unwrap_or(0))
    .fetch_one(pool)
    .await
}

/// The organisation accepts the award: once.
pub async fn accept(
    conn: &mut AnyConnection,
    id: i64,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE schemes SET status = 'active', accepted_by = $1, accepted_at = $2 WHERE id = $3 AND status = 'awarded'",
    )
    .bind(user)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Confirm a scheme self-sustaining: once; its latest accepted return becomes the final
/// one and the returns after it are no longer needed.
pub async fn graduate(
    conn: &mut AnyConnection,
    scheme_id: i64,
    final_position: u32,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE schemes SET status = 'self_sustaining', graduated_by = $1, graduated_at = $2 WHERE id = $3 AND status = 'active'",
    )
    .bind(user)
    .bind(now)
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE returns SET is_final = 1 WHERE scheme_id = $1 AND position = $2")
        .bind(scheme_id)
        .bind(i64::from(final_position))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE returns SET status = 'not_needed' WHERE scheme_id = $1 AND position > $2 AND status IN ('due', 'draft', 'changes_requested')",
    )
    .bind(scheme_id)
    .bind(i64::from(final_position))
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// `IN (…)` over stored status codes (from the enum, never from input).
fn codes(statuses: &[SchemeStatus]) -> String {
    let quoted: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
    quoted.join(", ")
}

/// Turn down or end a scheme that is in one of `from`: once (whoever else tries at the same
/// time finds it moved on); `released` is added to what went back to the fund, and the
/// returns not yet sent are no longer needed.
#[allow(clippy::too_many_arguments)]
pub async fn end(
    conn: &mut AnyConnection,
    scheme_id: i64,
    from: &[SchemeStatus],
    to: SchemeStatus,
    released: Pence,
    reason: &str,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE schemes SET status = $1, ended_by = $2, ended_at = $3, end_reason = $4,
         released_pence = released_pence + $5, suspended_by = NULL, suspended_at = NULL
         WHERE id = $6 AND status IN ({})",
        codes(from)
    );
    let done = sqlx::query(&sql)
        .bind(to.code())
        .bind(user)
        .bind(now)
        .bind(reason)
        .bind(released)
        .bind(scheme_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE returns SET status = 'not_needed' WHERE scheme_id = $1 AND status IN ('due', 'draft', 'changes_requested')",
    )
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Add to what went back to the fund unpaid (a graduation's released tranches).
pub async fn add_released(
    conn: &mut AnyConnection,
    scheme_id: i64,
    released: Pence,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE schemes SET released_pence = released_pence + $1 WHERE id = $2")
        .bind(released)
        .bind(scheme_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Suspend the payments of an active scheme, with the reason and the support plan: once.
pub async fn suspend(
    conn: &mut AnyConnection,
    scheme_id: i64,
    s: &Suspension,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE schemes SET status = 'suspended', suspended_by = $1, suspended_at = $2, suspension_reason = $3,
         support_plan = $4, support_review_on = $5 WHERE id = $6 AND status = 'active'",
    )
    .bind(user)
    .bind(now)
    .bind(&s.reason)
    .bind(&s.plan)
    .bind(Day(s.review_on))
    .bind(scheme_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Let a suspended scheme's payments run again: once. The suspension stays in the audit
/// trail; the scheme no longer carries it.
pub async fn resume(conn: &mut AnyConnection, scheme_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE schemes SET status = 'active', suspended_by = NULL, suspended_at = NULL, suspension_reason = '',
         support_plan = '', support_review_on = NULL WHERE id = $1 AND status = 'suspended'",
    )
    .bind(scheme_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_gap_filled(
    conn: &mut AnyConnection,
    gap_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE gaps SET status = 'filled', updated_at = $1 WHERE id = $2 AND status <> 'filled'",
    )
    .bind(now)
    .bind(gap_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
