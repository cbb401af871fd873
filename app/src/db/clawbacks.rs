//! Clawbacks and the repayments received against them. Asking for money back and recording
//! a repayment are each a conditional update on a running total first (the scheme's
//! `clawed_back_pence`, the clawback's `repaid_pence`), so that two at once cannot ask for
//! more than was paid or record more than was asked for.
use crate::domain::money::Pence;
use crate::domain::monitoring::{Clawback, Repayment};
use crate::domain::time::{Day, UtcTime};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct ClawbackRow {
    pub id: i64,
    pub scheme_id: i64,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    #[sqlx(rename = "repaid_pence")]
    pub repaid: Pence,
    pub reason: String,
    pub due_on: Day,
    pub raised_by: Option<String>,
    pub raised_at: UtcTime,
}

#[derive(Debug, Clone, FromRow)]
pub struct RepaymentRow {
    pub id: i64,
    pub clawback_id: i64,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    pub reference: String,
    pub received_on: Day,
    pub recorded_by: Option<String>,
    pub recorded_at: UtcTime,
}

/// A scheme's clawbacks, oldest first.
pub async fn clawbacks(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<ClawbackRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.scheme_id, c.amount_pence, c.repaid_pence, c.reason, c.due_on, u.full_name AS raised_by, c.raised_at
         FROM clawbacks c LEFT JOIN users u ON u.id = c.raised_by WHERE c.scheme_id = $1 ORDER BY c.id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
}

/// The repayments received against a scheme's clawbacks, oldest first.
pub async fn repayments(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<RepaymentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.clawback_id, r.amount_pence, r.reference, r.received_on, u.full_name AS recorded_by, r.recorded_at
         FROM repayments r JOIN clawbacks c ON c.id = r.clawback_id LEFT JOIN users u ON u.id = r.recorded_by
         WHERE c.scheme_id = $1 ORDER BY r.id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
}

/// Ask a scheme for money back. First statement of its transaction: the scheme's running
/// total of money asked back may never exceed what it was paid. The new clawback's id, or
/// None (nothing written) when it would.
pub async fn raise(
    conn: &mut AnyConnection,
    scheme_id: i64,
    clawback: &Clawback,
    user: i64,
    now: UtcTime,
) -> Result<Option<i64>, sqlx::Error> {
    let guarded = sqlx::query(
        "UPDATE schemes SET clawed_back_pence = clawed_back_pence + $1
         WHERE id = $2 AND clawed_back_pence + $1 <= paid_pence RETURNING id",
    )
    .bind(clawback.amount.0)
    .bind(scheme_id)
    .fetch_optional(&mut *conn)
    .await?;
    if guarded.is_none() {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clawbacks (scheme_id, amount_pence, reason, due_on, raised_by, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(scheme_id)
    .bind(clawback.amount.0)
    .bind(&clawback.reason)
    .bind(Day(clawback.due_on))
    .bind(user)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// Record money received against a clawback. First statement of its transaction: never more
/// than is still to be repaid. False (nothing written) when it would be.
pub async fn repay(
    conn: &mut AnyConnection,
    scheme_id: i64,
    clawback_id: i64,
    repayment: &Repayment,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let guarded = sqlx::query(
        "UPDATE clawbacks SET repaid_pence = repaid_pence + $1
         WHERE id = $2 AND scheme_id = $3 AND repaid_pence + $1 <= amount_pence RETURNING id",
    )
    .bind(repayment.amount.0)
    .bind(clawback_id)
    .bind(scheme_id)
    .fetch_optional(&mut *conn)
    .await?;
    if guarded.is_none() {
        return Ok(false);
    }
    sqlx::query("UPDATE schemes SET repaid_pence = repaid_pence + $1 WHERE id = $2")
        .bind(repayment.amount.0)
        .bind(scheme_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO repayments (clawback_id, amount_pence, reference, received_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(clawback_id)
    .bind(repayment.amount.0)
    .bind(&repayment.reference)
    .bind(Day(repayment.received_on))
    .bind(user)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
