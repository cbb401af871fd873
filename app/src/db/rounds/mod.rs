//! Funding rounds: their details and gaps, their lifecycle, and (in the submodules) their
//! questionnaire and scoring criteria.
mod criteria;
mod questionnaire;
pub use criteria::*;
pub use questionnaire::*;

use super::types::Flag;
use crate::domain::money::Pence;
use crate::domain::round::{Criterion, LegalForm, Panel, RoundDetails, RoundStatus, SectionKind};
use crate::domain::time::to_db;
use crate::domain::time::Day;
use crate::domain::time::UtcTime;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database").into())
}

#[derive(Debug, Clone)]
pub struct RoundRow {
    pub id: i64,
    pub fund_id: Option<i64>,
    pub details: RoundDetails,
    pub status: RoundStatus,
    pub version: i64,
    pub reserved: Pence,
    pub awarded: Pence,
}

impl RoundRow {
    /// Where the round stands at `now`: its stored status, overtaken by the clock once it
    /// opens or closes (domain::round::phase).
    pub fn phase_at(&self, now: DateTime<Utc>) -> RoundStatus {
        crate::domain::round::phase(
            self.status,
            self.details.opens_at,
            self.details.closes_at,
            now,
        )
    }
}

const ROUND_COLUMNS: &str = "id, fund_id, title, summary, guidance, envelope_pence, min_award_pence, max_award_pence,
    period_months, legal_forms, max_income_pence, area_served, opens_at, closes_at, decision_expected, invited_only,
    status, version, reserved_pence, awarded_pence";

/// A round's details as stored (the legal forms as a comma-separated list of codes).
impl<'r> FromRow<'r, AnyRow> for RoundDetails {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let legal: String = r.try_get("legal_forms")?;
        Ok(RoundDetails {
            title: r.try_get("title")?,
            summary: r.try_get("summary")?,
            guidance: r.try_get("guidance")?,
            envelope: r.try_get("envelope_pence")?,
            min_award: r.try_get("min_award_pence")?,
            max_award: r.try_get("max_award_pence")?,
            period_months: u32::try_from(r.try_get::<i64, _>("period_months")?)
                .map_err(|_| decode("period"))?,
            legal_forms: legal.split(',').filter_map(LegalForm::from_code).collect(),
            max_income: r.try_get("max_income_pence")?,
            area_served: r.try_get("area_served")?,
            opens_at: r.try_get::<UtcTime, _>("opens_at")?.0,
            closes_at: r.try_get::<UtcTime, _>("closes_at")?.0,
            decision_expected: r.try_get::<Day, _>("decision_expected")?.0,
            invited_only: r.try_get::<Flag, _>("invited_only")?.0,
        })
    }
}

impl<'r> FromRow<'r, AnyRow> for RoundRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(RoundRow {
            id: r.try_get("id")?,
            fund_id: r.try_get("fund_id")?,
            details: RoundDetails::from_row(r)?,
            status: RoundStatus::from_stored(r.try_get("status")?).map_err(|_| decode("status"))?,
            version: r.try_get("version")?,
            reserved: r.try_get("reserved_pence")?,
            awarded: r.try_get("awarded_pence")?,
        })
    }
}

fn legal_text(d: &RoundDetails) -> String {
    d.legal_forms
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(",")
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Bind a round's details as $1 to $14, in the column order both statements use.
fn bind_details<'q>(query: AnyQuery<'q>, d: &'q RoundDetails) -> AnyQuery<'q> {
    query
        .bind(&d.title)
        .bind(&d.summary)
        .bind(&d.guidance)
        .bind(d.envelope.0)
        .bind(d.min_award.0)
        .bind(d.max_award.0)
        .bind(i64::from(d.period_months))
        .bind(legal_text(d))
        .bind(d.max_income.map(|p| p.0))
        .bind(&d.area_served)
        .bind(to_db(d.opens_at))
        .bind(to_db(d.closes_at))
        .bind(d.decision_expected.format("%Y-%m-%d").to_string())
        .bind(i64::from(d.invited_only))
}

/// A new draft round with the built-in sections and the default sustainability criterion.
pub async fn insert_round(
    conn: &mut AnyConnection,
    d: &RoundDetails,
    gap_ids: &[i64],
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let id: i64 = bind_details(sqlx::query(
        "INSERT INTO rounds (title, summary, guidance, envelope_pence, min_award_pence, max_award_pence, period_months,
         legal_forms, max_income_pence, area_served, opens_at, closes_at, decision_expected, invited_only, status,
         created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'draft', $15, $16, $16) RETURNING id",
    ), d)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    set_gaps(&mut *conn, id, gap_ids).await?;
    let mut sustainability_section = 0;
    for (i, kind) in SectionKind::BUILT_IN.iter().enumerate() {
        let section = insert_section(
            &mut *conn,
            id,
            i as i64 + 1,
            *kind,
            kind.label(),
            Panel::Board,
        )
        .await?;
        if *kind == SectionKind::Sustainability {
            sustainability_section = section;
        }
    }
    insert_criterion(
        &mut *conn,
        id,
        &Criterion::sustainability(),
        (&[sustainability_section], None),
    )
    .await?;
    Ok(id)
}

pub async fn update_details(
    conn: &mut AnyConnection,
    id: i64,
    d: &RoundDetails,
    gap_ids: &[i64],
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    bind_details(sqlx::query(
        "UPDATE rounds SET title = $1, summary = $2, guidance = $3, envelope_pence = $4, min_award_pence = $5,
         max_award_pence = $6, period_months = $7, legal_forms = $8, max_income_pence = $9, area_served = $10,
         opens_at = $11, closes_at = $12, decision_expected = $13, invited_only = $14, updated_at = $15 WHERE id = $16",
    ), d)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    set_gaps(conn, id, gap_ids).await
}

async fn set_gaps(conn: &mut AnyConnection, id: i64, gap_ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM round_gaps WHERE round_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for gap in gap_ids {
        sqlx::query("INSERT INTO round_gaps (round_id, gap_id) VALUES ($1, $2)")
            .bind(id)
            .bind(gap)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Take the round's row lock and check it is still a draft. Call first in a transaction
/// that changes the questionnaire or criteria, so a publish cannot slip in between.
pub async fn lock_draft(
    conn: &mut AnyConnection,
    id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE rounds SET updated_at = $1 WHERE id = $2 AND status = 'draft' RETURNING id",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

pub async fn round(conn: &mut AnyConnection, id: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

pub async fn gap_ids(conn: &mut AnyConnection, round_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT gap_id FROM round_gaps WHERE round_id = $1 ORDER BY gap_id")
        .bind(round_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| r.try_get("gap_id")).collect()
}

/// Every round, newest first (commissioners).
pub async fn all(pool: &AnyPool) -> Result<Vec<RoundRow>, sqlx::Error> {
    let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds ORDER BY id DESC LIMIT 500");
    sqlx::query_as(&sql).fetch_all(pool).await
}

/// Published rounds that have not closed at `now`, soonest closing first (the public list).
pub async fn open_and_upcoming(pool: &AnyPool, now: UtcTime) -> Result<Vec<RoundRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ROUND_COLUMNS} FROM rounds WHERE status IN ('published', 'open') AND closes_at > $1
         ORDER BY closes_at, id LIMIT 200"
    );
    sqlx::query_as(&sql).bind(now).fetch_all(pool).await
}

/// The rounds that address a gap: (id, title, status code).
pub async fn for_gap(
    pool: &AnyPool,
    gap_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.title, r.status FROM rounds r JOIN round_gaps g ON g.round_id = r.id
         WHERE g.gap_id = $1 ORDER BY r.id DESC",
    )
    .bind(gap_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("title")?, r.try_get("status")?)))
        .collect()
}

/// Publish a draft: lock it, set its fund and reservation. First statement of the
/// transaction. False when it is no longer a draft.
pub async fn mark_published(
    conn: &mut AnyConnection,
    id: i64,
    fund_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE rounds SET status = 'published', fund_id = $1, reserved_pence = envelope_pence, updated_at = $2
         WHERE id = $3 AND status = 'draft' RETURNING id",
    )
    .bind(fund_id)
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// Move a round between two states if it is still in `from`.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    from: RoundStatus,
    to: RoundStatus,
    bump_version: bool,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE rounds SET status = $1, version = version + $2, updated_at = $3
         WHERE id = $4 AND status = $5 RETURNING id",
    )
    .bind(to.code())
    .bind(i64::from(bump_version))
    .bind(now)
    .bind(id)
    .bind(from.code())
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// A round whose stored status the clock has overtaken.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueTransition {
    pub id: i64,
    pub title: String,
    pub version: i64,
    #[sqlx(rename = "status", try_from = "String")]
    pub from: RoundStatus,
    pub closes_at: UtcTime,
}

impl DueTransition {
    /// What the round becomes at `now`: closed once its closing time has passed, else open.
    pub fn to(&self, now: UtcTime) -> RoundStatus {
        if self.closes_at <= now {
            RoundStatus::Closed
        } else {
            RoundStatus::Open
        }
    }
}

/// Rounds whose stored status the clock has overtaken.
pub async fn due_transitions(
    pool: &AnyPool,
    now: UtcTime,
) -> Result<Vec<DueTransition>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, version, status, closes_at FROM rounds
         WHERE (status = 'published' AND (opens_at <= $1 OR closes_at <= $1))
            OR (status = 'open' AND closes_at <= $1)
         ORDER BY id LIMIT 500",
    )
    .bind(now)
    .fetch_all(pool)
    .await
}

/// Record a clock transition once: false when another instance (or an earlier run) did.
pub async fn claim_transition(
    conn: &mut AnyConnection,
    id: i64,
    to: RoundStatus,
    version: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO round_transitions (round_id, to_status, version, happened_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(to.code())
    .bind(version)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
