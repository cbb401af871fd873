//! The pooled fund and its append-only ledger.
//!
//! Invariants are kept by conditional updates on the fund's running totals, the first
//! statement of each write transaction (so SQLite takes its write lock before any read and
//! PostgreSQL re-checks the condition on the locked row): reserved + committed never exceed
//! the agreed value, whatever runs at the same time (`movements`).
mod awards;
mod movements;
mod scheme_money;
mod year_end;
use crate::domain::fund::{FinancialYear, LedgerRefusal, Movement, Totals};
pub use awards::*;
pub use movements::*;
pub use scheme_money::*;
pub use year_end::*;

/// Why a movement on the ledger was not made: the rule refused it, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{}", .0.message())]
    Refused(LedgerRefusal),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}
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
    /// When its year-end was run: nothing changes in a closed year.
    pub closed_at: Option<UtcTime>,
}

/// A financial year is stored as the calendar year it starts in.
impl TryFrom<i64> for FinancialYear {
    type Error = std::num::TryFromIntError;
    fn try_from(year: i64) -> Result<Self, Self::Error> {
        i32::try_from(year).map(FinancialYear)
    }
}

const FUND_COLUMNS: &str =
    "id, year, agreed_pence, reserved_pence, committed_pence, paid_pence, closed_at";

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

/// A year's fund inside a transaction: its id and whether it is closed.
pub async fn fund_id_for_year_in(
    conn: &mut AnyConnection,
    year: FinancialYear,
) -> Result<Option<(i64, bool)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, closed_at FROM funds WHERE year = $1")
        .bind(i64::from(year.0))
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        let closed: Option<String> = r.try_get("closed_at")?;
        Ok((r.try_get("id")?, closed.is_some()))
    })
    .transpose()
}

/// One partner's share of one payment from a fund, with the payment it is part of.
#[derive(Debug, Clone, FromRow)]
pub struct PartnerPayment {
    /// The day the money was paid (a payment recorded before dates were kept: none).
    pub paid_on: Option<crate::domain::time::Day>,
    pub recorded_at: UtcTime,
    pub payment_reference: Option<String>,
    pub organisation: Option<String>,
    pub scheme_reference: Option<String>,
    pub position: Option<i64>,
    /// The whole payment, of which `share` is this partner's part.
    pub payment: Option<Pence>,
    #[sqlx(rename = "amount_pence")]
    pub share: Pence,
    pub reason: String,
}

/// Every payment from a fund with one partner's share of it, oldest first: what the
/// partner's finance team reconciles against their own ledger.
pub async fn partner_payments(
    pool: &AnyPool,
    fund_id: i64,
    partner_id: i64,
) -> Result<Vec<PartnerPayment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.paid_on, l.created_at AS recorded_at, t.payment_reference, o.name AS organisation,
            b.reference AS scheme_reference, t.position, t.paid_pence AS payment, l.amount_pence, l.reason
         FROM fund_ledger l LEFT JOIN tranches t ON t.id = l.tranche_id
         LEFT JOIN schemes s ON s.id = t.scheme_id LEFT JOIN bids b ON b.id = s.bid_id
         LEFT JOIN organisations o ON o.id = s.organisation_id
         WHERE l.fund_id = $1 AND l.partner_id = $2 AND l.movement = 'payment'
         ORDER BY l.id",
    )
    .bind(fund_id)
    .bind(partner_id)
    .fetch_all(pool)
    .await
}
