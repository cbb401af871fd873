//! An award's money: the whole award out of its round's envelope, the round year's share out
//! of the round's reservation, each later year's share committed against that year's fund.
//! Each is a conditional update on the running totals first, then the ledger entries.
use super::movements::{append_split, refusal};
use super::LedgerError;
use crate::domain::fund::{LedgerRefusal, Movement};
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, Row};

/// Commit an award out of its round's envelope: the round's awards may never exceed what
/// the round reserved. Must be the first statement of its transaction.
#[allow(clippy::too_many_arguments)]
pub async fn commit(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), LedgerError> {
    claim_envelope(&mut *conn, round_id, amount).await?;
    commit_reserved(conn, fund_id, round_id, amount, reason, actor, now).await
}

/// Take an award out of its round's envelope (the whole award, whatever years it is paid in):
/// refused when more than is left. Must be the first statement of its transaction.
pub async fn claim_envelope(
    conn: &mut AnyConnection,
    round_id: i64,
    amount: Pence,
) -> Result<(), LedgerError> {
    let updated = sqlx::query(
        "UPDATE rounds SET awarded_pence = awarded_pence + $1
         WHERE id = $2 AND awarded_pence + $1 <= reserved_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(round_id)
    .fetch_optional(&mut *conn)
    .await?;
    if updated.is_none() {
        let left = sqlx::query(
            "SELECT CAST(reserved_pence - awarded_pence AS BIGINT) AS left_pence FROM rounds WHERE id = $1",
        )
        .bind(round_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get::<i64, _>("left_pence"))
        .transpose()?
        .unwrap_or_default();
        return Err(LedgerError::Refused(LedgerRefusal::OverEnvelope {
            left: Pence(left),
        }));
    }
    Ok(())
}

/// Commit the round's year's share of an award out of the round's reservation in its fund.
#[allow(clippy::too_many_arguments)]
pub async fn commit_reserved(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), LedgerError> {
    if amount.0 == 0 {
        return Ok(());
    }
    let committed = sqlx::query(
        "UPDATE funds SET reserved_pence = reserved_pence - $1, committed_pence = committed_pence + $1
         WHERE id = $2 AND closed_at IS NULL RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    if committed.is_none() {
        return Err(refusal(conn, fund_id, |uncommitted| {
            LedgerRefusal::OverAgreedValue { uncommitted }
        })
        .await);
    }
    append_split(
        conn,
        fund_id,
        Movement::Commitment,
        amount,
        Some(round_id),
        reason,
        Some(actor),
        now,
    )
    .await?;
    Ok(())
}

/// Commit a later year's share of an award against that year's fund: reserved for the round
/// and committed at once, never past what the fund holds (refused with what it has
/// uncommitted). Must come after the round's own commitment in its transaction.
#[allow(clippy::too_many_arguments)]
pub async fn commit_later(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), LedgerError> {
    let updated = sqlx::query(
        "UPDATE funds SET committed_pence = committed_pence + $1
         WHERE id = $2 AND closed_at IS NULL AND reserved_pence + committed_pence + $1 <= agreed_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    if updated.is_none() {
        return Err(refusal(conn, fund_id, |uncommitted| {
            LedgerRefusal::OverAgreedValue { uncommitted }
        })
        .await);
    }
    for movement in [Movement::Reservation, Movement::Commitment] {
        append_split(
            &mut *conn,
            fund_id,
            movement,
            amount,
            Some(round_id),
            reason,
            Some(actor),
            now,
        )
        .await?;
    }
    Ok(())
}
