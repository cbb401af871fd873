//! Awards for open data: every funded scheme with what 360Giving needs, read as a stream.
use crate::domain::money::Pence;
use crate::domain::opendata::{Award, Funder};
use crate::domain::round::LegalForm;
use chrono::NaiveDate;
use sqlx::{AnyPool, Row};

/// The awards' columns and joins, shared by the downloads and the register.
macro_rules! awards_select {
    () => {
        "SELECT s.id, s.amount_pence, s.starts_on, s.created_at, s.accepted_at, s.graduated_at, s.status AS scheme_status,
    r.title AS round_title, r.summary, r.period_months, r.area_served, r.invited_only,
    o.id AS organisation_id, o.name AS organisation, o.legal_form, o.charity_number, o.company_number, o.postcode,
    d.decided_at
    FROM schemes s JOIN rounds r ON r.id = s.round_id JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN decisions d ON d.bid_id = s.bid_id"
    };
}

/// Every award, oldest first (`fetch` it as a stream and map rows with [`award_from_row`]).
pub const AWARDS_SQL: &str = concat!(awards_select!(), " ORDER BY s.id");

/// The calendar year of an award (decided, or its scheme's start if earlier), in SQL.
const AWARD_YEAR: &str = "SUBSTR(CASE WHEN d.decided_at IS NOT NULL AND SUBSTR(d.decided_at, 1, 10) < s.starts_on THEN d.decided_at ELSE s.starts_on END, 1, 4)";

const REGISTER_FILTER: &str = "($1 = '' OR SUBSTR(CASE WHEN d.decided_at IS NOT NULL AND SUBSTR(d.decided_at, 1, 10) < s.starts_on THEN d.decided_at ELSE s.starts_on END, 1, 4) = $1)
    AND ($2 = 0 OR s.round_id = $2)
    AND ($3 = 0 OR EXISTS (SELECT 1 FROM round_gaps g WHERE g.round_id = s.round_id AND g.gap_id = $3))";

/// Every award the register's filter matches ($1 year, $2 round, $3 gap), newest first, for
/// the CSV to stream.
pub fn register_all_sql() -> String {
    format!(
        "{} WHERE {REGISTER_FILTER} ORDER BY s.id DESC",
        awards_select!()
    )
}

/// The register row's scheme status column.
pub fn scheme_status(row: &sqlx::any::AnyRow) -> Result<String, sqlx::Error> {
    row.try_get("scheme_status")
}

/// One page of the public register, newest award first, and how many match in all.
pub async fn register(
    pool: &AnyPool,
    year: &str,
    round: i64,
    gap: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<(Award, String)>, i64), sqlx::Error> {
    let sql = format!(
        "{} WHERE {REGISTER_FILTER} ORDER BY s.id DESC LIMIT $4 OFFSET $5",
        awards_select!()
    );
    let rows = sqlx::query(&sql)
        .bind(year)
        .bind(round)
        .bind(gap)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    let count_sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM schemes s LEFT JOIN decisions d ON d.bid_id = s.bid_id WHERE {REGISTER_FILTER}"
    );
    let total: i64 = sqlx::query(&count_sql)
        .bind(year)
        .bind(round)
        .bind(gap)
        .fetch_one(pool)
        .await?
        .try_get("n")?;
    let awards = rows
        .iter()
        .map(|r| Ok((award_from_row(r)?, r.try_get::<String, _>("scheme_status")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((awards, total))
}

/// What the register can be filtered by: years with awards (newest first), rounds with
/// awards, and their gaps: (years, (round id, title), (gap id, title)).
pub async fn register_filters(
    pool: &AnyPool,
) -> Result<(Vec<String>, Vec<(i64, String)>, Vec<(i64, String)>), sqlx::Error> {
    let years = sqlx::query(&format!(
        "SELECT DISTINCT {AWARD_YEAR} AS y FROM schemes s LEFT JOIN decisions d ON d.bid_id = s.bid_id ORDER BY y DESC"
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| r.try_get("y"))
    .collect::<Result<Vec<String>, _>>()?;
    let rounds = sqlx::query(
        "SELECT DISTINCT r.id, r.title FROM rounds r JOIN schemes s ON s.round_id = r.id ORDER BY r.id DESC",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let gaps = sqlx::query(
        "SELECT DISTINCT g.id, g.title FROM gaps g JOIN round_gaps rg ON rg.gap_id = g.id JOIN schemes s ON s.round_id = rg.round_id ORDER BY g.id DESC",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((years, rounds, gaps))
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub fn award_from_row(r: &sqlx::any::AnyRow) -> Result<Award, sqlx::Error> {
    let starts: String = r.try_get("starts_on")?;
    let created: String = r.try_get("created_at")?;
    let decided: Option<String> = r.try_get("decided_at")?;
    let decided = decided
        .as_deref()
        .and_then(crate::domain::time::from_db)
        .map(crate::domain::date::uk_date);
    let created_day = crate::domain::time::from_db(&created).map(crate::domain::date::uk_date);
    let planned_start = date(&starts).or(created_day).unwrap_or_default();
    // An award is dated when it was decided, or when its scheme started if that was earlier.
    let award_date = decided.map_or(planned_start, |d| d.min(planned_start));
    let months = u32::try_from(r.try_get::<i64, _>("period_months")?).unwrap_or(12);
    let planned_end = planned_start
        .checked_add_months(chrono::Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(planned_start);
    let graduated: Option<String> = r.try_get("graduated_at")?;
    let accepted: Option<String> = r.try_get("accepted_at")?;
    let round_title: String = r.try_get("round_title")?;
    let organisation: String = r.try_get("organisation")?;
    Ok(Award {
        scheme_id: r.try_get("id")?,
        title: format!("{round_title}: {organisation}"),
        description: r.try_get("summary")?,
        amount: Pence(r.try_get("amount_pence")?),
        award_date,
        organisation_id: r.try_get("organisation_id")?,
        legal_form: LegalForm::from_code(&r.try_get::<String, _>("legal_form")?)
            .unwrap_or(LegalForm::CommunityGroup),
        charity_number: r
            .try_get::<Option<String>, _>("charity_number")?
            .unwrap_or_default(),
        company_number: r
            .try_get::<Option<String>, _>("company_number")?
            .unwrap_or_default(),
        postcode: r.try_get("postcode")?,
        organisation,
        programme: round_title,
        planned_start,
        planned_end,
        location: r.try_get("area_served")?,
        modified: graduated.or(accepted).unwrap_or(created),
        open_call: r.try_get::<i64, _>("invited_only")? == 0,
    })
}

/// The pooled fund's partners as funders: (org-id, name). A partner with no identifier yet
/// is named with a Seedbed one so the data stays valid.
pub async fn funders(pool: &AnyPool, prefix: &str) -> Result<Vec<Funder>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, org_identifier FROM partners ORDER BY id")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("org_identifier")?;
            let pid: i64 = r.try_get("id")?;
            let id = if id.trim().is_empty() {
                format!("360G-{prefix}-funder-{pid}")
            } else {
                id
            };
            Ok((id, r.try_get("name")?))
        })
        .collect()
}

pub async fn set_partner_identifier(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    identifier: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE partners SET org_identifier = $1 WHERE id = $2")
        .bind(identifier)
        .bind(partner_id)
        .execute(conn)
        .await?;
    Ok(())
}
