//! Money an award committed, after the award: paid for a tranche, released when it will not
//! be paid (an award turned down, a scheme ended or graduated), repaid by a scheme
//! (clawback). Each is a conditional update on the fund's running totals first, then the
//! ledger entries split between the partners (`movements`).
use super::movements::{append_shares, append_split_of, shares, Split};
use crate::domain::fund::Movement;
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, Row};

/// Pay money an award committed, for a tranche: the fund's payments may never exceed its
/// commitments. False (nothing written) when they would.
#[allow(clippy::too_many_arguments)]
pub async fn pay(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    tranche_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let guarded = "UPDATE funds SET paid_pence = paid_pence + $1
         WHERE id = $2 AND closed_at IS NULL AND paid_pence + $1 <= committed_pence RETURNING id";
    let split = Split {
        round_id: Some(round_id),
        tranche_id: Some(tranche_id),
        reason,
        actor: Some(actor),
    };
    guarded_move(
        conn,
        guarded,
        Movement::Payment,
        fund_id,
        amount,
        split,
        now,
    )
    .await
}

/// Give committed money that will not be paid back to the fund's uncommitted money (an award
/// turned down, a scheme ended or graduated with tranches unpaid), split as the round's
/// unpaid commitments are. The fund's commitments may never fall below its payments: false
/// (nothing written) when they would.
pub async fn decommit(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    if amount.0 == 0 {
        return Ok(true);
    }
    let guarded = "UPDATE funds SET committed_pence = committed_pence - $1
         WHERE id = $2 AND closed_at IS NULL AND committed_pence - $1 >= paid_pence RETURNING id";
    let split = Split {
        round_id: Some(round_id),
        tranche_id: None,
        reason,
        actor: Some(actor),
    };
    guarded_move(
        conn,
        guarded,
        Movement::Decommitment,
        fund_id,
        amount,
        split,
        now,
    )
    .await
}

/// Money a scheme repaid (clawback) back to the fund: neither paid nor committed any more,
/// it is the fund's uncommitted money again. Split between the partners as the scheme's
/// payments were (payments recorded before they named their tranche: as the partners
/// contributed). False (nothing written) when the fund has not paid that much.
#[allow(clippy::too_many_arguments)]
pub async fn repay(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    scheme_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE funds SET paid_pence = paid_pence - $1, committed_pence = committed_pence - $1
         WHERE id = $2 AND closed_at IS NULL AND paid_pence >= $1 RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    if updated.is_none() {
        return Ok(false);
    }
    let weights = payment_shares(&mut *conn, Some(fund_id), scheme_id, fund_id).await?;
    let split = Split {
        round_id: Some(round_id),
        tranche_id: None,
        reason,
        actor: Some(actor),
    };
    append_shares(
        conn,
        fund_id,
        Movement::Repayment,
        amount,
        &weights,
        split,
        now,
    )
    .await?;
    Ok(true)
}

/// A movement of a round's money whose running-total update (`guarded`, binding the amount
/// and the fund, returning a row only when the fund's totals allow it) comes first; then the
/// ledger entries, split between the partners. False (nothing written) when refused.
async fn guarded_move(
    conn: &mut AnyConnection,
    guarded: &str,
    movement: Movement,
    fund_id: i64,
    amount: Pence,
    split: Split<'_>,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(guarded)
        .bind(amount.0)
        .bind(fund_id)
        .fetch_optional(&mut *conn)
        .await?;
    if updated.is_none() {
        return Ok(false);
    }
    append_split_of(conn, fund_id, movement, amount, split, now).await?;
    Ok(true)
}

/// How a scheme's payments were split between the partners (from one fund, or from every
/// fund); as the partners contributed to `fallback` when none named their tranche.
pub(super) async fn payment_shares(
    conn: &mut AnyConnection,
    from: Option<i64>,
    scheme_id: i64,
    fallback: i64,
) -> Result<Vec<(i64, Pence)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.partner_id, CAST(SUM(l.amount_pence) AS BIGINT) AS paid
         FROM fund_ledger l JOIN tranches t ON t.id = l.tranche_id
         WHERE ($1 IS NULL OR l.fund_id = $1) AND t.scheme_id = $2 AND l.movement = 'payment'
         GROUP BY l.partner_id ORDER BY l.partner_id",
    )
    .bind(from)
    .bind(scheme_id)
    .fetch_all(&mut *conn)
    .await?;
    let weights = rows
        .iter()
        .map(|r| Ok((r.try_get("partner_id")?, Pence(r.try_get("paid")?))))
        .collect::<Result<Vec<(i64, Pence)>, sqlx::Error>>()?;
    if weights.is_empty() {
        return shares(conn, fallback).await;
    }
    Ok(weights)
}
