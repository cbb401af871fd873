//! Movements on the ledger: each a conditional update of the fund's running totals (the
//! first statement of its transaction) and the entries split between the partners.
use super::{fund_by_id, LedgerError};
use crate::domain::fund::{split_pro_rata, LedgerRefusal, Movement};
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, Row};

/// One ledger entry to write.
pub struct NewEntry<'a> {
    pub fund_id: i64,
    pub partner_id: i64,
    pub movement: Movement,
    pub amount: Pence,
    pub round_id: Option<i64>,
    /// The tranche a payment paid.
    pub tranche_id: Option<i64>,
    pub reason: &'a str,
    pub actor: Option<i64>,
}

pub async fn append(
    conn: &mut AnyConnection,
    entry: NewEntry<'_>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fund_ledger (fund_id, partner_id, movement, amount_pence, round_id, reason, actor_user_id, created_at, tranche_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.fund_id)
    .bind(entry.partner_id)
    .bind(entry.movement.code())
    .bind(entry.amount.0)
    .bind(entry.round_id)
    .bind(entry.reason)
    .bind(entry.actor)
    .bind(now)
    .bind(entry.tranche_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Each partner's contribution so far (their share of the fund), in partner order.
pub(super) async fn shares(
    conn: &mut AnyConnection,
    fund_id: i64,
) -> Result<Vec<(i64, Pence)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id AS partner_id, CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT) AS contributed
         FROM partners p
         JOIN fund_ledger l ON l.partner_id = p.id AND l.fund_id = $1 AND l.movement = 'contribution'
         GROUP BY p.id ORDER BY p.id",
    )
    .bind(fund_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("partner_id")?, Pence(r.try_get("contributed")?))))
        .collect()
}

/// What each partner still has reserved for one round (reserved − committed − released).
async fn round_shares(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
) -> Result<Vec<(i64, Pence)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT partner_id, CAST(COALESCE(SUM(CASE WHEN movement = 'reservation' THEN amount_pence ELSE -amount_pence END), 0) AS BIGINT) AS left_pence
         FROM fund_ledger WHERE fund_id = $1 AND round_id = $2 AND movement IN ('reservation', 'commitment', 'release')
         GROUP BY partner_id ORDER BY partner_id",
    )
    .bind(fund_id)
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("partner_id")?, Pence(r.try_get("left_pence")?))))
        .collect()
}

/// What each partner has committed to a round's awards and not yet paid or released.
pub(super) async fn unpaid_shares(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
) -> Result<Vec<(i64, Pence)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT partner_id, CAST(COALESCE(SUM(CASE WHEN movement IN ('commitment', 'commitment_brought_forward') THEN amount_pence ELSE -amount_pence END), 0) AS BIGINT) AS left_pence
         FROM fund_ledger WHERE fund_id = $1 AND round_id = $2
         AND movement IN ('commitment', 'commitment_brought_forward', 'payment', 'decommitment', 'commitment_carried_forward',
             'paid_in_earlier_year', 'award_reduced')
         GROUP BY partner_id ORDER BY partner_id",
    )
    .bind(fund_id)
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("partner_id")?, Pence(r.try_get("left_pence")?))))
        .collect()
}

/// Write a movement split between the partners in proportion to their contributions or,
/// for money coming out of a round's reservation, to what each still has reserved for it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn append_split(
    conn: &mut AnyConnection,
    fund_id: i64,
    movement: Movement,
    amount: Pence,
    round_id: Option<i64>,
    reason: &str,
    actor: Option<i64>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    let entry = Split {
        round_id,
        tranche_id: None,
        reason,
        actor,
    };
    append_split_of(conn, fund_id, movement, amount, entry, now).await
}

/// What a split movement is for, and who made it.
pub(super) struct Split<'a> {
    pub round_id: Option<i64>,
    pub tranche_id: Option<i64>,
    pub reason: &'a str,
    pub actor: Option<i64>,
}

pub(super) async fn append_split_of(
    conn: &mut AnyConnection,
    fund_id: i64,
    movement: Movement,
    amount: Pence,
    split: Split<'_>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    let Split {
        round_id,
        tranche_id,
        reason,
        actor,
    } = split;
    let shares = match (movement, round_id) {
        (Movement::Commitment | Movement::Release, Some(round)) => {
            round_shares(&mut *conn, fund_id, round).await?
        }
        (Movement::Payment | Movement::Decommitment, Some(round)) => {
            unpaid_shares(&mut *conn, fund_id, round).await?
        }
        _ => shares(&mut *conn, fund_id).await?,
    };
    let split = Split {
        round_id,
        tranche_id,
        reason,
        actor,
    };
    append_shares(conn, fund_id, movement, amount, &shares, split, now).await
}

/// Write a movement split pro rata to `shares` (partner, weight).
pub(super) async fn append_shares(
    conn: &mut AnyConnection,
    fund_id: i64,
    movement: Movement,
    amount: Pence,
    shares: &[(i64, Pence)],
    split: Split<'_>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    let Split {
        round_id,
        tranche_id,
        reason,
        actor,
    } = split;
    let amounts: Vec<Pence> = shares.iter().map(|(_, c)| *c).collect();
    let parts = split_pro_rata(amount, &amounts);
    for ((partner_id, _), part) in shares.iter().zip(parts) {
        if part.0 == 0 {
            continue;
        }
        append(
            &mut *conn,
            NewEntry {
                fund_id,
                partner_id: *partner_id,
                movement,
                amount: part,
                round_id,
                tranche_id,
                reason,
                actor,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// Reserve a round's envelope. Must be the first statement of its transaction.
#[allow(clippy::too_many_arguments)]
pub async fn reserve(
    conn: &mut AnyConnection,
    fund_id: i64,
    amount: Pence,
    round_id: i64,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), LedgerError> {
    let updated = sqlx::query(
        "UPDATE funds SET reserved_pence = reserved_pence + $1
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
    append_split(
        conn,
        fund_id,
        Movement::Reservation,
        amount,
        Some(round_id),
        reason,
        Some(actor),
        now,
    )
    .await?;
    Ok(())
}

/// Release what is left of a round's reservation back to the fund (e.g. when a round is
/// changed after publishing, or once its awards are made). First statement of its transaction.
pub async fn release(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<Pence, sqlx::Error> {
    let left = sqlx::query(
        "UPDATE rounds SET reserved_pence = awarded_pence WHERE id = $1 AND reserved_pence > awarded_pence
         RETURNING CAST(0 AS BIGINT) AS ok",
    )
    .bind(round_id)
    .fetch_optional(&mut *conn)
    .await?;
    if left.is_none() {
        return Ok(Pence(0));
    }
    let shares = round_shares(&mut *conn, fund_id, round_id).await?;
    let amount = Pence(shares.iter().map(|(_, p)| p.0).sum());
    sqlx::query("UPDATE funds SET reserved_pence = reserved_pence - $1 WHERE id = $2")
        .bind(amount.0)
        .bind(fund_id)
        .execute(&mut *conn)
        .await?;
    append_split(
        conn,
        fund_id,
        Movement::Release,
        amount,
        Some(round_id),
        reason,
        Some(actor),
        now,
    )
    .await?;
    Ok(amount)
}

/// Record a variation to one partner's contribution, and so to the agreed value. A decrease
/// may not take the agreed value below what is reserved and committed. First statement of
/// its transaction. Returns the agreed value before and after.
#[allow(clippy::too_many_arguments)]
pub async fn vary(
    conn: &mut AnyConnection,
    fund_id: i64,
    partner_id: i64,
    change: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(Pence, Pence), LedgerError> {
    let updated = sqlx::query(
        "UPDATE funds SET agreed_pence = agreed_pence + $1
         WHERE id = $2 AND closed_at IS NULL AND agreed_pence + $1 >= reserved_pence + committed_pence
         RETURNING agreed_pence",
    )
    .bind(change.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = updated else {
        let fund = fund_by_id(&mut *conn, fund_id).await?;
        if let Some(year) = fund
            .as_ref()
            .filter(|f| f.closed_at.is_some())
            .map(|f| f.year)
        {
            return Err(LedgerError::Refused(LedgerRefusal::Closed { year }));
        }
        let in_use = fund
            .map(|f| Pence(f.reserved.0 + f.committed.0))
            .unwrap_or_default();
        return Err(LedgerError::Refused(LedgerRefusal::BelowCommitments {
            in_use,
        }));
    };
    let after = Pence(row.try_get("agreed_pence")?);
    append(
        conn,
        NewEntry {
            fund_id,
            partner_id,
            movement: Movement::Contribution,
            amount: change,
            round_id: None,
            tranche_id: None,
            reason,
            actor: Some(actor),
        },
        now,
    )
    .await?;
    Ok((Pence(after.0 - change.0), after))
}

/// Why a guarded movement on a fund was refused: the year is closed, or else `over` (given
/// what the fund has uncommitted).
pub(super) async fn refusal(
    conn: &mut AnyConnection,
    fund_id: i64,
    over: impl FnOnce(Pence) -> LedgerRefusal,
) -> LedgerError {
    match fund_by_id(conn, fund_id).await {
        Ok(Some(fund)) if fund.closed_at.is_some() => {
            LedgerError::Refused(LedgerRefusal::Closed { year: fund.year })
        }
        Ok(fund) => LedgerError::Refused(over(
            fund.map(|f| Pence(f.agreed.0 - f.reserved.0 - f.committed.0))
                .unwrap_or_default(),
        )),
        Err(e) => e.into(),
    }
}
