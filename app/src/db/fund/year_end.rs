//! Money moving between financial years: a commitment carried forward (at the year-end, or
//! with a tranche paid in a later year), each partner's underspend carried forward or
//! returned, and closing a year. Each keeps the partners' shares: the entries out of one
//! year and into the next are the same amounts, partner by partner.
use super::movements::{append, append_shares, unpaid_shares, NewEntry, Split};
use crate::domain::fund::{Movement, Totals, UnderspendChoice};
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

/// Carry one tranche's unpaid commitment from one year's fund to a later one's, with its
/// money: out of `from` (its commitments and money both fall) and into `to` (both rise),
/// split between the partners as the round's unpaid commitments in `from` are. False
/// (nothing written) when either fund is closed or `from` has not that much unpaid.
#[allow(clippy::too_many_arguments)]
pub async fn carry_commitment(
    conn: &mut AnyConnection,
    (from, to): (i64, i64),
    round_id: i64,
    tranche_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let out = sqlx::query(
        "UPDATE funds SET agreed_pence = agreed_pence - $1, committed_pence = committed_pence - $1
         WHERE id = $2 AND closed_at IS NULL AND committed_pence - $1 >= paid_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(from)
    .fetch_optional(&mut *conn)
    .await?;
    let into = sqlx::query(
        "UPDATE funds SET agreed_pence = agreed_pence + $1, committed_pence = committed_pence + $1
         WHERE id = $2 AND closed_at IS NULL RETURNING id",
    )
    .bind(amount.0)
    .bind(to)
    .fetch_optional(&mut *conn)
    .await?;
    if out.is_none() || into.is_none() {
        return Ok(false);
    }
    let weights = unpaid_shares(&mut *conn, from, round_id).await?;
    for (fund_id, movement) in [
        (from, Movement::CommitmentCarriedForward),
        (to, Movement::CommitmentBroughtForward),
    ] {
        let split = tranche_split(round_id, tranche_id, reason, actor);
        append_shares(&mut *conn, fund_id, movement, amount, &weights, split, now).await?;
    }
    Ok(true)
}

/// A movement for one tranche of a round's scheme, split between the partners.
fn tranche_split(round_id: i64, tranche_id: i64, reason: &str, actor: i64) -> Split<'_> {
    Split {
        round_id: Some(round_id),
        tranche_id: Some(tranche_id),
        reason,
        actor: Some(actor),
    }
}

/// Add money to a year's fund (brought forward or recovered), unless it is closed.
async fn add_money(
    conn: &mut AnyConnection,
    fund_id: i64,
    amount: Pence,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE funds SET agreed_pence = agreed_pence + $1 WHERE id = $2 AND closed_at IS NULL RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// A tranche paid early, in an earlier year than its commitment's (`to`, before `from`):
/// committed against the earlier year's uncommitted money (refused with what it has), and
/// the later year's commitment given back to that year, each partner's share as the round's
/// unpaid commitments there. The tranche is charged to the earlier year.
#[allow(clippy::too_many_arguments)]
pub async fn pay_early(
    conn: &mut AnyConnection,
    (from, to): (i64, i64),
    round_id: i64,
    tranche_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), super::LedgerError> {
    super::commit_later(&mut *conn, to, round_id, amount, reason, actor, now).await?;
    let split = tranche_split(round_id, tranche_id, reason, actor);
    let movement = Movement::PaidInEarlierYear;
    if !give_back(&mut *conn, from, movement, amount, split, now).await? {
        let missing = "the later year's commitment is not there";
        return Err(sqlx::Error::Protocol(missing.into()).into());
    }
    crate::db::tranches::charge_to(conn, tranche_id, to).await?;
    Ok(())
}

/// Give part of a round's commitment in a fund back to its uncommitted money (`movement`),
/// split as the round's unpaid commitments there. False when the fund is closed or has not
/// that much committed and unpaid.
async fn give_back(
    conn: &mut AnyConnection,
    fund_id: i64,
    movement: Movement,
    amount: Pence,
    split: Split<'_>,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let out = sqlx::query(
        "UPDATE funds SET committed_pence = committed_pence - $1
         WHERE id = $2 AND closed_at IS NULL AND committed_pence - $1 >= paid_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(round_id) = split.round_id.filter(|_| out.is_some()) else {
        return Ok(false);
    };
    let weights = unpaid_shares(&mut *conn, fund_id, round_id).await?;
    append_shares(conn, fund_id, movement, amount, &weights, split, now).await?;
    Ok(true)
}

/// A variation gives part of a round's commitment in one year's fund back to its
/// uncommitted money, split as the round's unpaid commitments there. False when the fund is
/// closed or has not that much committed and unpaid.
#[allow(clippy::too_many_arguments)]
pub async fn reduce_commitment(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let split = Split {
        round_id: Some(round_id),
        tranche_id: None,
        reason,
        actor: Some(actor),
    };
    give_back(conn, fund_id, Movement::AwardReduced, amount, split, now).await
}

/// An unpaid tranche moved to the next year's fund by the year-end.
#[derive(Debug, Clone, FromRow)]
pub struct UnpaidTranche {
    pub id: i64,
    pub scheme_id: i64,
    pub round_id: i64,
    pub position: i64,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    pub organisation: String,
}

/// The tranches charged to a fund and not paid (nor released): what its year committed and
/// did not pay.
pub async fn unpaid_tranches(
    conn: &mut AnyConnection,
    fund_id: i64,
) -> Result<Vec<UnpaidTranche>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.scheme_id, s.round_id, t.position, t.amount_pence, o.name AS organisation
         FROM tranches t JOIN schemes s ON s.id = t.scheme_id JOIN organisations o ON o.id = s.organisation_id
         WHERE t.fund_id = $1 AND t.status NOT IN ('paid', 'released') ORDER BY t.id",
    )
    .bind(fund_id)
    .fetch_all(conn)
    .await
}

/// Charge every unpaid tranche of one fund to another: the first statement of the year-end's
/// transaction (the order a payment takes its locks in: tranches, then funds). The tranches
/// moved, with their schemes' rounds and organisations.
pub async fn move_unpaid(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<UnpaidTranche>, sqlx::Error> {
    let moved: std::collections::HashSet<i64> = sqlx::query_scalar::<_, i64>(
        "UPDATE tranches SET fund_id = $1 WHERE fund_id = $2 AND status NOT IN ('paid', 'released') RETURNING id",
    )
    .bind(to)
    .bind(from)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    if moved.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unpaid_tranches(conn, to)
        .await?
        .into_iter()
        .filter(|t| moved.contains(&t.id))
        .collect())
}

/// Each partner's totals in a fund, inside a transaction (partner id, name, totals).
pub async fn partners_totals_in(
    conn: &mut AnyConnection,
    fund_id: i64,
) -> Result<Vec<(i64, String, Totals)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, l.movement, CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT) AS total
         FROM fund_ledger l JOIN partners p ON p.id = l.partner_id
         WHERE l.fund_id = $1 GROUP BY p.id, p.name, l.movement ORDER BY p.id",
    )
    .bind(fund_id)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<(i64, String, Totals)> = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        if out.last().map(|(p, _, _)| *p) != Some(id) {
            out.push((id, r.try_get("name")?, Totals::default()));
        }
        let movement = Movement::from_code(&r.try_get::<String, _>("movement")?);
        if let (Some(movement), Some((_, _, totals))) = (movement, out.last_mut()) {
            totals.apply(movement, Pence(r.try_get("total")?));
        }
    }
    Ok(out)
}

/// One partner's underspend at the year-end: recorded with the partners' reason, then out of
/// this year's money and either into the next year's (carried forward) or back to the
/// partner. False (nothing written) when a fund is closed or this year has not that much
/// uncommitted.
#[allow(clippy::too_many_arguments)]
pub async fn settle_underspend(
    conn: &mut AnyConnection,
    (from, to): (i64, i64),
    partner_id: i64,
    choice: UnderspendChoice,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO year_end_choices (fund_id, partner_id, choice, amount_pence, reason) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(from)
    .bind(partner_id)
    .bind(choice.code())
    .bind(amount.0)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    if amount.0 == 0 {
        return Ok(true);
    }
    let out = sqlx::query(
        "UPDATE funds SET agreed_pence = agreed_pence - $1
         WHERE id = $2 AND closed_at IS NULL AND agreed_pence - $1 >= reserved_pence + committed_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(from)
    .fetch_optional(&mut *conn)
    .await?;
    if out.is_none() {
        return Ok(false);
    }
    let mut entries = vec![(
        from,
        match choice {
            UnderspendChoice::CarryForward => Movement::UnderspendCarriedForward,
            UnderspendChoice::Return => Movement::UnderspendReturned,
        },
    )];
    if choice == UnderspendChoice::CarryForward {
        if !add_money(&mut *conn, to, amount).await? {
            return Ok(false);
        }
        entries.push((to, Movement::UnderspendBroughtForward));
    }
    for (fund_id, movement) in entries {
        let entry = NewEntry {
            fund_id,
            partner_id,
            movement,
            amount,
            round_id: None,
            tranche_id: None,
            reason,
            actor: Some(actor),
        };
        append(&mut *conn, entry, now).await?;
    }
    Ok(true)
}

/// Close a year's fund: the last statement of its year-end. False when it was already closed.
pub async fn close(
    conn: &mut AnyConnection,
    fund_id: i64,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE funds SET closed_at = $1, closed_by = $2 WHERE id = $3 AND closed_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(actor)
    .bind(fund_id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// Money a scheme repaid for a payment made from an earlier, closed year: this year's money
/// again (uncommitted), split between the partners as the scheme's payments were. False when
/// the fund is closed.
#[allow(clippy::too_many_arguments)]
pub async fn recover(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    scheme_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    if !add_money(&mut *conn, fund_id, amount).await? {
        return Ok(false);
    }
    let weights = super::scheme_money::payment_shares(&mut *conn, None, scheme_id, fund_id).await?;
    let split = Split {
        round_id: Some(round_id),
        tranche_id: None,
        reason,
        actor: Some(actor),
    };
    append_shares(
        conn,
        fund_id,
        Movement::Recovered,
        amount,
        &weights,
        split,
        now,
    )
    .await?;
    Ok(true)
}

/// What a scheme was paid from one fund, by its tranches' payment entries.
pub async fn scheme_paid_from(
    conn: &mut AnyConnection,
    fund_id: i64,
    scheme_id: i64,
) -> Result<Pence, sqlx::Error> {
    let paid: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT) FROM fund_ledger l JOIN tranches t ON t.id = l.tranche_id
         WHERE l.fund_id = $1 AND t.scheme_id = $2 AND l.movement = 'payment'",
    )
    .bind(fund_id)
    .bind(scheme_id)
    .fetch_one(conn)
    .await?;
    Ok(Pence(paid))
}

/// A partner's underspend decision at a year-end.
#[derive(Debug, Clone, FromRow)]
pub struct ChoiceRow {
    pub partner_id: i64,
    pub partner: String,
    pub choice: String,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    pub reason: String,
}

pub async fn choices(pool: &AnyPool, fund_id: i64) -> Result<Vec<ChoiceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.partner_id, p.name AS partner, c.choice, c.amount_pence, c.reason
         FROM year_end_choices c JOIN partners p ON p.id = c.partner_id WHERE c.fund_id = $1 ORDER BY p.id",
    )
    .bind(fund_id)
    .fetch_all(pool)
    .await
}

/// One partner's share of one commitment carried forward out of a year.
#[derive(Debug, Clone, FromRow)]
pub struct CarriedRow {
    pub partner_id: i64,
    pub partner: String,
    pub organisation: Option<String>,
    pub scheme_reference: Option<String>,
    pub position: Option<i64>,
    pub due_on: Option<crate::domain::time::Day>,
    #[sqlx(rename = "amount_pence")]
    pub share: Pence,
    pub reason: String,
    pub created_at: UtcTime,
}

/// Every commitment carried forward out of a fund, partner by partner, oldest first.
pub async fn carried(pool: &AnyPool, fund_id: i64) -> Result<Vec<CarriedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.partner_id, p.name AS partner, o.name AS organisation, b.reference AS scheme_reference,
            t.position, t.due_on, l.amount_pence, l.reason, l.created_at
         FROM fund_ledger l JOIN partners p ON p.id = l.partner_id
         LEFT JOIN tranches t ON t.id = l.tranche_id LEFT JOIN schemes s ON s.id = t.scheme_id
         LEFT JOIN bids b ON b.id = s.bid_id LEFT JOIN organisations o ON o.id = s.organisation_id
         WHERE l.fund_id = $1 AND l.movement = 'commitment_carried_forward' ORDER BY l.partner_id, l.id",
    )
    .bind(fund_id)
    .fetch_all(pool)
    .await
}

/// Rounds with money still reserved in a fund (id, title).
pub async fn rounds_reserved(
    conn: &mut AnyConnection,
    fund_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.title FROM fund_ledger l JOIN rounds r ON r.id = l.round_id WHERE l.fund_id = $1
         GROUP BY r.id, r.title
         HAVING SUM(CASE WHEN l.movement = 'reservation' THEN l.amount_pence
                         WHEN l.movement IN ('commitment', 'release') THEN -l.amount_pence ELSE 0 END) > 0
         ORDER BY r.id",
    )
    .bind(fund_id)
    .fetch_all(conn)
    .await
}
