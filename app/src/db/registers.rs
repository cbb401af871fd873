//! The gaps register and the commissioned services register.
use crate::domain::money::Pence;
use crate::domain::registers::{Gap, GapStatus, MarketCategory, Priority, Service};
use crate::domain::time::UtcTime;
use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyPool, Row};

const GAP_COLUMNS: &str =
    "id, title, need, evidence, target_population, outcome_sought, priority, status";

fn gap_from_row(r: &sqlx::any::AnyRow) -> Result<(i64, Gap), sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("unknown {what}").into());
    Ok((
        r.try_get("id")?,
        Gap {
            title: r.try_get("title")?,
            need: r.try_get("need")?,
            evidence: r.try_get("evidence")?,
            target_population: r.try_get("target_population")?,
            outcome_sought: r.try_get("outcome_sought")?,
            priority: Priority::from_code(&r.try_get::<String, _>("priority")?)
                .ok_or_else(|| bad("priority"))?,
            status: GapStatus::from_code(&r.try_get::<String, _>("status")?)
                .ok_or_else(|| bad("gap status"))?,
        },
    ))
}

pub async fn insert_gap(
    conn: &mut AnyConnection,
    gap: &Gap,
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO gaps (title, need, evidence, target_population, outcome_sought, priority, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&gap.title)
    .bind(&gap.need)
    .bind(&gap.evidence)
    .bind(&gap.target_population)
    .bind(&gap.outcome_sought)
    .bind(gap.priority.code())
    .bind(gap.status.code())
    .bind(actor)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

pub async fn update_gap(
    conn: &mut AnyConnection,
    id: i64,
    gap: &Gap,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE gaps SET title = $1, need = $2, evidence = $3, target_population = $4, outcome_sought = $5,
         priority = $6, status = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&gap.title)
    .bind(&gap.need)
    .bind(&gap.evidence)
    .bind(&gap.target_population)
    .bind(&gap.outcome_sought)
    .bind(gap.priority.code())
    .bind(gap.status.code())
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn gap(conn: &mut AnyConnection, id: i64) -> Result<Option<Gap>, sqlx::Error> {
    let sql = format!("SELECT {GAP_COLUMNS} FROM gaps WHERE id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(|r| gap_from_row(r).map(|(_, g)| g))
        .transpose()
}

/// Gaps, newest first, optionally with one status only.
pub async fn gaps(
    pool: &AnyPool,
    status: Option<GapStatus>,
) -> Result<Vec<(i64, Gap)>, sqlx::Error> {
    let sql = format!(
        "SELECT {GAP_COLUMNS} FROM gaps WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT 500"
    );
    let rows = sqlx::query(&sql)
        .bind(status.map(|s| s.code()).unwrap_or(""))
        .fetch_all(pool)
        .await?;
    rows.iter().map(gap_from_row).collect()
}

const SERVICE_COLUMNS: &str = "id, name, current_provider, contract_value_pence, contract_currency, quantity, quality_criteria,
    last_reviewed, review_due, nature_of_review, interdependencies, market_category";

fn date_column(r: &sqlx::any::AnyRow, name: &str) -> Result<Option<NaiveDate>, sqlx::Error> {
    Ok(r.try_get::<Option<String>, _>(name)?
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

fn service_from_row(r: &sqlx::any::AnyRow) -> Result<(i64, Service), sqlx::Error> {
    Ok((
        r.try_get("id")?,
        Service {
            name: r.try_get("name")?,
            current_provider: r.try_get("current_provider")?,
            contract_value: Pence(r.try_get("contract_value_pence")?),
            contract_currency: r.try_get("contract_currency")?,
            quantity: r.try_get("quantity")?,
            quality_criteria: r.try_get("quality_criteria")?,
            last_reviewed: date_column(r, "last_reviewed")?,
            review_due: date_column(r, "review_due")?,
            nature_of_review: r.try_get("nature_of_review")?,
            interdependencies: r.try_get("interdependencies")?,
            market_category: MarketCategory::from_code(&r.try_get::<String, _>("market_category")?)
                .ok_or_else(|| sqlx::Error::Decode("unknown market category".into()))?,
        },
    ))
}

fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Bind a service's fields as $1 to $11, in the column order both statements use.
fn bind_service<'q>(query: AnyQuery<'q>, s: &'q Service) -> AnyQuery<'q> {
    query
        .bind(&s.name)
        .bind(&s.current_provider)
        .bind(s.contract_value.0)
        .bind(&s.contract_currency)
        .bind(&s.quantity)
        .bind(&s.quality_criteria)
        .bind(date_text(s.last_reviewed))
        .bind(date_text(s.review_due))
        .bind(&s.nature_of_review)
        .bind(&s.interdependencies)
        .bind(s.market_category.code())
}

pub async fn insert_service(
    conn: &mut AnyConnection,
    s: &Service,
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    bind_service(sqlx::query(
        "INSERT INTO services (name, current_provider, contract_value_pence, contract_currency, quantity, quality_criteria,
         last_reviewed, review_due, nature_of_review, interdependencies, market_category, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    ), s)
    .bind(actor)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

pub async fn update_service(
    conn: &mut AnyConnection,
    id: i64,
    s: &Service,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = bind_service(sqlx::query(
        "UPDATE services SET name = $1, current_provider = $2, contract_value_pence = $3, contract_currency = $4,
         quantity = $5, quality_criteria = $6, last_reviewed = $7, review_due = $8, nature_of_review = $9,
         interdependencies = $10, market_category = $11, updated_at = $12 WHERE id = $13",
    ), s)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn service(conn: &mut AnyConnection, id: i64) -> Result<Option<Service>, sqlx::Error> {
    let sql = format!("SELECT {SERVICE_COLUMNS} FROM services WHERE id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(|r| service_from_row(r).map(|(_, s)| s))
        .transpose()
}

/// Services by name, optionally in one market category only.
pub async fn services(
    pool: &AnyPool,
    category: Option<MarketCategory>,
) -> Result<Vec<(i64, Service)>, sqlx::Error> {
    let sql = format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE ($1 = '' OR market_category = $1) ORDER BY LOWER(name), id LIMIT 1000"
    );
    let rows = sqlx::query(&sql)
        .bind(category.map(|c| c.code()).unwrap_or(""))
        .fetch_all(pool)
        .await?;
    rows.iter().map(service_from_row).collect()
}

/// Mark gaps that were only identified as having a round open for them.
pub async fn open_gaps(
    conn: &mut AnyConnection,
    ids: &[i64],
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query(
            "UPDATE gaps SET status = 'round_open', updated_at = $1 WHERE id = $2 AND status = 'identified'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
