//! Funded schemes: acceptance, tranches (evidence, return, payment), monitoring returns and
//! their measure values, reminders, graduation. Every state change is a conditional update
//! on the row's current status, so two people (or two instances) cannot both make it.
use crate::domain::bid::PlanYear;
use crate::domain::decision::Tranche;
use crate::domain::money::Pence;
use crate::domain::monitoring::{Period, SchemeStatus, TrancheStatus};
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
            "INSERT INTO tranches (scheme_id, position, amount_pence, due_on, milestone, status) VALUES ($1, $2, $3, $4, $5, 'due')",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(t.amount)
        .bind(Day(t.due))
        .bind(&t.milestone)
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
}

const SCHEME_SELECT: &str = "SELECT s.id, s.bid_id, b.reference, s.round_id, r.title AS round_title, s.organisation_id,
    o.name AS organisation_name, s.amount_pence, s.paid_pence, s.conditions, s.status, s.plan, s.starts_on,
    s.return_every_months, s.created_at, a.full_name AS accepted_by, s.accepted_at, s.graduated_at
    FROM schemes s JOIN bids b ON b.id = s.bid_id JOIN rounds r ON r.id = s.round_id
    JOIN organisations o ON o.id = s.organisation_id LEFT JOIN users a ON a.id = s.accepted_by";

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
            "UPDATE tranches SET evidence_at = $1, reviewed_at = $1, paid_at = $1
             WHERE id = $2 AND scheme_id = $3 AND paid_at IS NOT NULL",
        )
        .bind(*at)
        .bind(*tranche)
        .bind(scheme_id)
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
    pub committed: Pence,
    pub paid: Pence,
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
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(s.amount_pence), 0) AS BIGINT) AS committed,
            CAST(COALESCE(SUM(s.paid_pence), 0) AS BIGINT) AS paid,
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

#[derive(Debug, Clone, FromRow)]
pub struct TrancheRow {
    pub id: i64,
    pub scheme_id: i64,
    pub position: i64,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    #[sqlx(rename = "paid_pence")]
    pub paid: Pence,
    #[sqlx(try_from = "Day")]
    pub due_on: NaiveDate,
    pub milestone: String,
    #[sqlx(try_from = "String")]
    pub status: TrancheStatus,
    pub evidence: String,
    pub evidence_by: Option<String>,
    pub evidence_at: Option<UtcTime>,
    pub review_note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<UtcTime>,
    /// Who approved (or returned) the evidence: never the one who records the payment.
    pub reviewer_id: Option<i64>,
    pub paid_by: Option<String>,
    pub paid_at: Option<UtcTime>,
    pub payment_reference: String,
}

const TRANCHE_SELECT: &str = "SELECT t.id, t.scheme_id, t.position, t.amount_pence, t.paid_pence, t.due_on, t.milestone, t.status,
    t.evidence, e.full_name AS evidence_by, t.evidence_at, t.review_note, v.full_name AS reviewed_by, t.reviewed_at,
    t.reviewed_by AS reviewer_id, p.full_name AS paid_by, t.paid_at, t.payment_reference
    FROM tranches t LEFT JOIN users e ON e.id = t.evidence_by LEFT JOIN users v ON v.id = t.reviewed_by
    LEFT JOIN users p ON p.id = t.paid_by";

pub async fn tranches(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<TrancheRow>, sqlx::Error> {
    let sql = format!("{TRANCHE_SELECT} WHERE t.scheme_id = $1 ORDER BY t.position");
    sqlx::query_as(&sql).bind(scheme_id).fetch_all(conn).await
}

/// The organisation sends (or sends again) evidence for a tranche of an accepted award.
pub async fn submit_evidence(
    conn: &mut AnyConnection,
    tranche_id: i64,
    evidence: &str,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'evidence_submitted', evidence = $1, evidence_by = $2, evidence_at = $3
         WHERE id = $4 AND status IN ('due', 'returned')
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.status = 'active')",
    )
    .bind(evidence)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A commissioner returns the evidence with a reason.
pub async fn return_evidence(
    conn: &mut AnyConnection,
    tranche_id: i64,
    note: &str,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'returned', review_note = $1, reviewed_by = $2, reviewed_at = $3
         WHERE id = $4 AND status = 'evidence_submitted'",
    )
    .bind(note)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Mark a tranche paid in full: only once, only with evidence sent, only for an accepted
/// award. The first statement of the payment's transaction: of two approvals at the same
/// time, one pays and the other finds nothing to update. Returns the amount paid.
/// Approve a tranche's evidence (of an accepted award): it then waits for its payment to be
/// recorded by someone else. False when it has no evidence waiting.
pub async fn approve_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    note: &str,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'approved', review_note = $1, reviewed_by = $2, reviewed_at = $3
         WHERE id = $4 AND status = 'evidence_submitted'
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.accepted_at IS NOT NULL)",
    )
    .bind(note)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Record the payment of an approved tranche, by someone other than its approver (the
/// condition is in the update, so it holds whatever runs at the same time): the amount
/// paid, or None when it is not approved, already paid, or `user` approved it.
pub async fn pay_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    reference: &str,
    user: i64,
    now: UtcTime,
) -> Result<Option<Pence>, sqlx::Error> {
    let row: Option<(Pence, i64)> = sqlx::query_as(
        "UPDATE tranches SET status = 'paid', paid_pence = amount_pence, paid_by = $1, paid_at = $2, payment_reference = $3
         WHERE id = $4 AND status = 'approved' AND paid_pence = 0
         AND reviewed_by IS NOT NULL AND reviewed_by <> $1
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.accepted_at IS NOT NULL)
         RETURNING amount_pence, scheme_id",
    )
    .bind(user)
    .bind(now)
    .bind(reference)
    .bind(tranche_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((amount, scheme_id)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE schemes SET paid_pence = paid_pence + $1 WHERE id = $2 AND paid_pence + $1 <= amount_pence",
    )
    .bind(amount)
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    Ok(Some(amount))
}

pub async fn add_tranche_file(
    conn: &mut AnyConnection,
    tranche_id: i64,
    file_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tranche_files (tranche_id, file_id) VALUES ($1, $2)")
        .bind(tranche_id)
        .bind(file_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An evidence file of one of a scheme's tranches.
#[derive(Debug, Clone, FromRow)]
pub struct TrancheFile {
    pub tranche_id: i64,
    #[sqlx(rename = "id")]
    pub file_id: i64,
    pub name: String,
    pub size_bytes: i64,
}

/// A scheme's evidence files.
pub async fn tranche_files(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<TrancheFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT tf.tranche_id, f.id, f.name, f.size_bytes FROM tranche_files tf JOIN files f ON f.id = tf.file_id
         JOIN tranches t ON t.id = tf.tranche_id WHERE t.scheme_id = $1 ORDER BY f.id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
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
