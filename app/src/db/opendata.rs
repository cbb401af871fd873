//! Awards for open data: every funded scheme with what 360Giving needs, read as a stream.
use super::types::Flag;
use crate::domain::fund::FinancialYear;
use crate::domain::money::Pence;
use crate::domain::opendata::{Award, Funder};
use crate::domain::round::LegalForm;
use crate::domain::time::{Day, UtcTime};
use chrono::NaiveDate;
use sqlx::{AnyPool, FromRow, Row};

/// The awards' columns and joins, shared by the downloads and the register.
macro_rules! awards_select {
    () => {
        "SELECT s.id, s.amount_pence, s.paid_pence, s.ended_at, s.starts_on, s.created_at, s.accepted_at, s.graduated_at, s.status AS scheme_status,
    r.title AS round_title, CASE WHEN s.purpose <> '' THEN s.purpose ELSE r.summary END AS summary, r.period_months, r.area_served, r.invited_only,
    o.id AS organisation_id, o.name AS organisation, o.legal_form, o.charity_number, o.company_number, o.postcode,
    d.decided_at
    FROM schemes s JOIN rounds r ON r.id = s.round_id JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN decisions d ON d.bid_id = s.bid_id"
    };
}

/// Every award, oldest first (`fetch` it as a stream and map rows with [`award_from_row`]).
/// An award its organisation turned down was never made: it is not published.
pub const AWARDS_SQL: &str = concat!(
    awards_select!(),
    " WHERE s.status <> 'turned_down' ORDER BY s.id"
);

/// Every award (`None`) or those awarded in one financial year, oldest first: the
/// 360Giving package's grants.
pub async fn awards(
    pool: &AnyPool,
    year: Option<FinancialYear>,
) -> Result<Vec<Award>, sqlx::Error> {
    let rows = match year {
        None => sqlx::query(AWARDS_SQL).fetch_all(pool).await?,
        Some(year) => {
            // Stored times are UTC and an award is dated by its UK day: read a day either
            // side, then keep exactly the year's.
            let day = |d: Option<NaiveDate>, by: i64| {
                d.map(|d| Day(d + chrono::Duration::days(by)).to_db())
                    .unwrap_or_default()
            };
            let first = day(year.starts(), -1);
            let next = day(FinancialYear(year.0 + 1).starts(), 1);
            sqlx::query(&format!(
                "{} WHERE s.status <> 'turned_down' AND {AWARDED} >= $1 AND {AWARDED} < $2 ORDER BY s.id",
                awards_select!()
            ))
            .bind(first)
            .bind(next)
            .fetch_all(pool)
            .await?
        }
    };
    let awards = rows.iter().map(award_from_row);
    awards
        .filter(|a| match (a, year) {
            (Ok(a), Some(y)) => FinancialYear::containing(a.award_date) == y,
            _ => true,
        })
        .collect()
}

/// When an award was made: decided, or its scheme's start if that was earlier (stored
/// times and dates both sort as text, so the earlier is the smaller).
const AWARDED: &str = "CASE WHEN d.decided_at IS NOT NULL AND d.decided_at < s.starts_on THEN d.decided_at ELSE s.starts_on END";

/// $1, $2: awarded on or after $1 and before $2 (days; '' for no limit); $3 round, $4 gap
/// (0 for any). Awards turned down are not in the register.
const REGISTER_FILTER: &str = "s.status <> 'turned_down' AND ($1 = '' OR CASE WHEN d.decided_at IS NOT NULL AND d.decided_at < s.starts_on THEN d.decided_at ELSE s.starts_on END >= $1)
    AND ($2 = '' OR CASE WHEN d.decided_at IS NOT NULL AND d.decided_at < s.starts_on THEN d.decided_at ELSE s.starts_on END < $2)
    AND ($3 = 0 OR s.round_id = $3)
    AND ($4 = 0 OR EXISTS (SELECT 1 FROM round_gaps g WHERE g.round_id = s.round_id AND g.gap_id = $4))";

/// What the public register is filtered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterArgs {
    /// The calendar year awards were made in.
    pub year: Option<i32>,
    pub round: i64,
    pub gap: i64,
}

impl RegisterArgs {
    /// The first day of the year and the first day of the next, as stored text ('' for any
    /// year): `REGISTER_FILTER`'s $1 and $2.
    pub fn days(&self) -> (String, String) {
        let day = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| Day(d).to_db());
        match self.year {
            Some(y) => (day(y).unwrap_or_default(), day(y + 1).unwrap_or_default()),
            None => (String::new(), String::new()),
        }
    }
}

/// Every award the register's filter matches ($1, $2 the years' days, $3 round, $4 gap),
/// newest first, for the CSV to stream.
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
    args: RegisterArgs,
    limit: i64,
    offset: i64,
) -> Result<(Vec<(Award, String)>, i64), sqlx::Error> {
    let sql = format!(
        "{} WHERE {REGISTER_FILTER} ORDER BY s.id DESC LIMIT $5 OFFSET $6",
        awards_select!()
    );
    let (from, before) = args.days();
    let rows = sqlx::query(&sql)
        .bind(&from)
        .bind(&before)
        .bind(args.round)
        .bind(args.gap)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    let count_sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM schemes s LEFT JOIN decisions d ON d.bid_id = s.bid_id WHERE {REGISTER_FILTER}"
    );
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(&from)
        .bind(&before)
        .bind(args.round)
        .bind(args.gap)
        .fetch_one(pool)
        .await?;
    let awards = rows
        .iter()
        .map(|r| Ok((award_from_row(r)?, r.try_get::<String, _>("scheme_status")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((awards, total))
}

/// Something the register can be filtered by: a round or a gap.
#[derive(Debug, Clone, FromRow)]
pub struct Choice {
    pub id: i64,
    pub title: String,
}

/// What the register can be filtered by: the years awards were made in (newest first),
/// rounds with awards, and their gaps.
#[derive(Debug, Clone)]
pub struct RegisterChoices {
    pub years: Vec<i32>,
    /// The financial years awards were made in, newest first (each has an open data file).
    pub financial_years: Vec<FinancialYear>,
    pub rounds: Vec<Choice>,
    pub gaps: Vec<Choice>,
}

pub async fn register_filters(pool: &AnyPool) -> Result<RegisterChoices, sqlx::Error> {
    let awarded: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT {AWARDED} AS awarded FROM schemes s LEFT JOIN decisions d ON d.bid_id = s.bid_id
         WHERE s.status <> 'turned_down'"
    ))
    .fetch_all(pool)
    .await?;
    // A stored time or day starts with its year.
    let mut years: Vec<i32> = awarded
        .iter()
        .filter_map(|t| t.get(..4)?.parse().ok())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut financial_years: Vec<FinancialYear> = awarded
        .iter()
        .filter_map(|t| NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok())
        .map(FinancialYear::containing)
        .collect();
    financial_years.sort_unstable_by(|a, b| b.cmp(a));
    financial_years.dedup();
    Ok(RegisterChoices {
        years,
        financial_years,
        rounds: sqlx::query_as(
            "SELECT DISTINCT r.id, r.title FROM rounds r JOIN schemes s ON s.round_id = r.id ORDER BY r.id DESC",
        )
        .fetch_all(pool)
        .await?,
        gaps: sqlx::query_as(
            "SELECT DISTINCT g.id, g.title FROM gaps g JOIN round_gaps rg ON rg.gap_id = g.id JOIN schemes s ON s.round_id = rg.round_id ORDER BY g.id DESC",
        )
        .fetch_all(pool)
        .await?,
    })
}

pub fn award_from_row(r: &sqlx::any::AnyRow) -> Result<Award, sqlx::Error> {
    let created: UtcTime = r.try_get("created_at")?;
    let decided = r
        .try_get::<Option<UtcTime>, _>("decided_at")?
        .map(|t| t.uk_day().0);
    let planned_start = r.try_get::<Day, _>("starts_on")?.0;
    // An award is dated when it was decided, or when its scheme started if that was earlier.
    let award_date = decided.map_or(planned_start, |d| d.min(planned_start));
    let months = u32::try_from(r.try_get::<i64, _>("period_months")?).unwrap_or(12);
    let planned_end = planned_start
        .checked_add_months(chrono::Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(planned_start);
    let graduated: Option<UtcTime> = r.try_get("graduated_at")?;
    let accepted: Option<UtcTime> = r.try_get("accepted_at")?;
    let ended: Option<UtcTime> = r.try_get("ended_at")?;
    let paid: Pence = r.try_get("paid_pence")?;
    let round_title: String = r.try_get("round_title")?;
    let organisation: String = r.try_get("organisation")?;
    Ok(Award {
        scheme_id: r.try_get("id")?,
        title: format!("{round_title}: {organisation}"),
        description: r.try_get("summary")?,
        amount: r.try_get("amount_pence")?,
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
        closed: (r.try_get::<String, _>("scheme_status")? == "closed")
            .then_some(ended.map(|e| (e.uk_day().0, paid)))
            .flatten(),
        modified: ended.or(graduated).or(accepted).unwrap_or(created).to_db(),
        open_call: !r.try_get::<Flag, _>("invited_only")?.0,
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
