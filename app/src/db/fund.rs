//! The pooled fund and its append-only ledger.
//!
//! Invariants are kept by conditional updates on the fund's running totals, the first
//! statement of each write transaction (so SQLite takes its write lock before any read and
//! PostgreSQL re-checks the condition on the locked row): reserved + committed never exceed
//! the agreed value, whatever runs at the same time.
use crate::domain::fund::{split_pro_rata, FinancialYear, LedgerRefusal, Movement, Totals};
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

#[derive(Debug, Clone, FromRow)]
pub struct Partner {
    pub id: i64,
    pub name: String,
    /// Its org-id.guide identifier (e.g. GB-LAE-NEL), named as a funder in the open data.
    pub org_identifier: String,
}

pub async fn partners(pool: &AnyPool) -> Result<Vec<Partner>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, org_identifier FROM partners ORDER BY id")
        .fetch_all(pool)
        .await
}

/// One partner by id.
pub async fn partner(pool: &AnyPool, id: i64) -> Result<Option<Partner>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, org_identifier FROM partners WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Add a partner; a duplicate name is a unique violation for the caller.
pub async fn insert_partner(
    conn: &mut AnyConnection,
    name: &str,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO partners (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(now)
        .fetch_one(conn)
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct FundRow {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub year: FinancialYear,
    #[sqlx(rename = "agreed_pence")]
    pub agreed: Pence,
    #[sqlx(rename = "reserved_pence")]
    pub reserved: Pence,
    #[sqlx(rename = "committed_pence")]
    pub committed: Pence,
    #[sqlx(rename = "paid_pence")]
    pub paid: Pence,
}

/// A financial year is stored as the calendar year it starts in.
impl TryFrom<i64> for FinancialYear {
    type Error = std::num::TryFromIntError;
    fn try_from(year: i64) -> Result<Self, Self::Error> {
        i32::try_from(year).map(FinancialYear)
    }
}

const FUND_COLUMNS: &str = "id, year, agreed_pence, reserved_pence, committed_pence, paid_pence";

pub async fn funds(pool: &AnyPool) -> Result<Vec<FundRow>, sqlx::Error> {
    let sql = format!("SELECT {FUND_COLUMNS} FROM funds ORDER BY year DESC");
    sqlx::query_as(&sql).fetch_all(pool).await
}

pub async fn fund_for_year(
    pool: &AnyPool,
    year: FinancialYear,
) -> Result<Option<FundRow>, sqlx::Error> {
    let sql = format!("SELECT {FUND_COLUMNS} FROM funds WHERE year = $1");
    sqlx::query_as(&sql)
        .bind(i64::from(year.0))
        .fetch_optional(pool)
        .await
}

pub async fn fund_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<FundRow>, sqlx::Error> {
    let sql = format!("SELECT {FUND_COLUMNS} FROM funds WHERE id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// Create the fund for a year; a second fund for the same year is a unique violation.
pub async fn insert_fund(
    conn: &mut AnyConnection,
    year: FinancialYear,
    agreed: Pence,
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO funds (year, agreed_pence, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(i64::from(year.0))
    .bind(agreed)
    .bind(actor)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// One ledger entry to write.
pub struct NewEntry<'a> {
    pub fund_id: i64,
    pub partner_id: i64,
    pub movement: Movement,
    pub amount: Pence,
    pub round_id: Option<i64>,
    pub reason: &'a str,
    pub actor: Option<i64>,
}

pub async fn append(
    conn: &mut AnyConnection,
    entry: NewEntry<'_>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fund_ledger (fund_id, partner_id, movement, amount_pence, round_id, reason, actor_user_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.fund_id)
    .bind(entry.partner_id)
    .bind(entry.movement.code())
    .bind(entry.amount.0)
    .bind(entry.round_id)
    .bind(entry.reason)
    .bind(entry.actor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Each partner's contribution so far (their share of the fund), in partner order.
async fn shares(conn: &mut AnyConnection, fund_id: i64) -> Result<Vec<(i64, Pence)>, sqlx::Error> {
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

/// What each partner has committed to a round's awards and not yet paid.
async fn unpaid_shares(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
) -> Result<Vec<(i64, Pence)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT partner_id, CAST(COALESCE(SUM(CASE WHEN movement = 'commitment' THEN amount_pence ELSE -amount_pence END), 0) AS BIGINT) AS left_pence
         FROM fund_ledger WHERE fund_id = $1 AND round_id = $2 AND movement IN ('commitment', 'payment')
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
async fn append_split(
    conn: &mut AnyConnection,
    fund_id: i64,
    movement: Movement,
    amount: Pence,
    round_id: Option<i64>,
    reason: &str,
    actor: Option<i64>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    let shares = match (movement, round_id) {
        (Movement::Commitment | Movement::Release, Some(round)) => {
            round_shares(&mut *conn, fund_id, round).await?
        }
        (Movement::Payment, Some(round)) => unpaid_shares(&mut *conn, fund_id, round).await?,
        _ => shares(&mut *conn, fund_id).await?,
    };
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
) -> Result<Result<(), LedgerRefusal>, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE funds SET reserved_pence = reserved_pence + $1
         WHERE id = $2 AND reserved_pence + committed_pence + $1 <= agreed_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    if updated.is_none() {
        let fund = fund_by_id(&mut *conn, fund_id).await?;
        let uncommitted = fund
            .map(|f| Pence(f.agreed.0 - f.reserved.0 - f.committed.0))
            .unwrap_or_default();
        return Ok(Err(LedgerRefusal::OverAgreedValue { uncommitted }));
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
    Ok(Ok(()))
}

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
) -> Result<Result<(), LedgerRefusal>, sqlx::Error> {
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
        return Ok(Err(LedgerRefusal::OverEnvelope { left: Pence(left) }));
    }
    sqlx::query(
        "UPDATE funds SET reserved_pence = reserved_pence - $1, committed_pence = committed_pence + $1
         WHERE id = $2",
    )
    .bind(amount.0)
    .bind(fund_id)
    .execute(&mut *conn)
    .await?;
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
    Ok(Ok(()))
}

/// Pay money an award committed: the fund's payments may never exceed its commitments.
/// False (nothing written) when they would.
#[allow(clippy::too_many_arguments)]
pub async fn pay(
    conn: &mut AnyConnection,
    fund_id: i64,
    round_id: i64,
    amount: Pence,
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE funds SET paid_pence = paid_pence + $1 WHERE id = $2 AND paid_pence + $1 <= committed_pence RETURNING id",
    )
    .bind(amount.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    if updated.is_none() {
        return Ok(false);
    }
    append_split(
        conn,
        fund_id,
        Movement::Payment,
        amount,
        Some(round_id),
        reason,
        Some(actor),
        now,
    )
    .await?;
    Ok(true)
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
) -> Result<Result<(Pence, Pence), LedgerRefusal>, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE funds SET agreed_pence = agreed_pence + $1
         WHERE id = $2 AND agreed_pence + $1 >= reserved_pence + committed_pence RETURNING agreed_pence",
    )
    .bind(change.0)
    .bind(fund_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = updated else {
        let fund = fund_by_id(&mut *conn, fund_id).await?;
        let in_use = fund
            .map(|f| Pence(f.reserved.0 + f.committed.0))
            .unwrap_or_default();
        return Ok(Err(LedgerRefusal::BelowCommitments { in_use }));
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
            reason,
            actor: Some(actor),
        },
        now,
    )
    .await?;
    Ok(Ok((Pence(after.0 - change.0), after)))
}

/// Per-partner totals derived from the ledger, in partner order (partners with no entries
/// in this fund are left out).
pub async fn partner_totals(
    pool: &AnyPool,
    fund_id: i64,
) -> Result<Vec<(Partner, Totals)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.org_identifier, l.movement, CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT) AS total
         FROM fund_ledger l JOIN partners p ON p.id = l.partner_id
         WHERE l.fund_id = $1 GROUP BY p.id, p.name, p.org_identifier, l.movement ORDER BY p.id",
    )
    .bind(fund_id)
    .fetch_all(pool)
    .await?;
    let mut out: Vec<(Partner, Totals)> = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let movement = Movement::from_code(&r.try_get::<String, _>("movement")?);
        let total = Pence(r.try_get("total")?);
        if out.last().map(|(p, _)| p.id) != Some(id) {
            out.push((
                Partner {
                    id,
                    name: r.try_get("name")?,
                    org_identifier: r.try_get("org_identifier")?,
                },
                Totals::default(),
            ));
        }
        if let (Some(movement), Some((_, totals))) = (movement, out.last_mut()) {
            totals.apply(movement, total);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, FromRow)]
pub struct LedgerRow {
    pub id: i64,
    pub partner: String,
    #[sqlx(try_from = "String")]
    pub movement: Movement,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    pub round_id: Option<i64>,
    pub round_title: Option<String>,
    pub reason: String,
    pub actor: Option<String>,
    pub created_at: UtcTime,
}

macro_rules! ledger_select {
    () => {
        "SELECT l.id, p.name AS partner, l.movement, l.amount_pence, l.round_id, r.title AS round_title, l.reason,
            u.full_name AS actor, l.created_at
         FROM fund_ledger l JOIN partners p ON p.id = l.partner_id LEFT JOIN users u ON u.id = l.actor_user_id
         LEFT JOIN rounds r ON r.id = l.round_id"
    };
}

/// Every ledger entry of a fund ($1), oldest first: the statement's CSV streams it.
pub const LEDGER_ALL_SQL: &str = concat!(ledger_select!(), " WHERE l.fund_id = $1 ORDER BY l.id");

/// One row of `LEDGER_ALL_SQL` (streamed by the CSV download).
pub fn ledger_row(r: &sqlx::any::AnyRow) -> Result<LedgerRow, sqlx::Error> {
    LedgerRow::from_row(r)
}

/// Ledger entries, newest first, a page at a time (keyset on id).
pub async fn ledger(
    pool: &AnyPool,
    fund_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let sql = concat!(
        ledger_select!(),
        " WHERE l.fund_id = $1 AND l.id < $2 ORDER BY l.id DESC LIMIT $3"
    );
    sqlx::query_as(sql)
        .bind(fund_id)
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await
}

/// One partner's contributions to a fund so far (inside a transaction).
pub async fn partner_totals_in(
    conn: &mut AnyConnection,
    fund_id: i64,
    partner_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) AS total FROM fund_ledger
         WHERE fund_id = $1 AND partner_id = $2 AND movement = 'contribution'",
    )
    .bind(fund_id)
    .bind(partner_id)
    .fetch_one(conn)
    .await?
    .try_get("total")
}

/// Whether a fund exists for a year (inside a transaction).
pub async fn fund_for_year_in(
    conn: &mut AnyConnection,
    year: FinancialYear,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM funds WHERE year = $1")
        .bind(i64::from(year.0))
        .fetch_optional(conn)
        .await?
        .is_some())
}
