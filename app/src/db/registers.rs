//! The gaps register and the commissioned services register.
use crate::domain::registers::{Gap, GapStatus, MarketCategory, Priority, Service};
use crate::domain::time::{Day, UtcTime};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

/// A register entry with its id.
#[derive(Debug, Clone, FromRow)]
pub struct Listed<T> {
    pub id: i64,
    #[sqlx(flatten)]
    pub item: T,
}

const GAP_COLUMNS: &str =
    "id, title, need, evidence, target_population, outcome_sought, priority, status";

impl<'r> FromRow<'r, AnyRow> for Gap {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Gap {
            title: r.try_get("title")?,
            need: r.try_get("need")?,
            evidence: r.try_get("evidence")?,
            target_population: r.try_get("target_population")?,
            outcome_sought: r.try_get("outcome_sought")?,
            priority: Priority::from_stored(r.try_get("priority")?)
                .map_err(|e| decode("priority", e))?,
            status: GapStatus::from_stored(r.try_get("status")?)
                .map_err(|e| decode("status", e))?,
        })
    }
}

/// A stored value this build does not read.
fn decode(column: &str, e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.into(),
        source: Box::new(e),
    }
}

pub async fn insert_gap(
    conn: &mut AnyConnection,
    gap: &Gap,
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
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
    .await
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
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// Gaps, newest first, optionally with one status only.
pub async fn gaps(
    pool: &AnyPool,
    status: Option<GapStatus>,
) -> Result<Vec<Listed<Gap>>, sqlx::Error> {
    let sql = format!(
        "SELECT {GAP_COLUMNS} FROM gaps WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT 500"
    );
    sqlx::query_as(&sql)
        .bind(status.map(|s| s.code()).unwrap_or(""))
        .fetch_all(pool)
        .await
}

const SERVICE_COLUMNS: &str = "id, name, current_provider, contract_value_pence, contract_currency, quantity, quality_criteria,
    last_reviewed, review_due, nature_of_review, interdependencies, market_category";

impl<'r> FromRow<'r, AnyRow> for Service {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Service {
            name: r.try_get("name")?,
            current_provider: r.try_get("current_provider")?,
            contract_value: r.try_get("contract_value_pence")?,
            contract_currency: r.try_get("contract_currency")?,
            quantity: r.try_get("quantity")?,
            quality_criteria: r.try_get("quality_criteria")?,
            last_reviewed: r.try_get::<Option<Day>, _>("last_reviewed")?.map(|d| d.0),
            review_due: r.try_get::<Option<Day>, _>("review_due")?.map(|d| d.0),
            nature_of_review: r.try_get("nature_of_review")?,
            interdependencies: r.try_get("interdependencies")?,
            market_category: MarketCategory::from_stored(r.try_get("market_category")?)
                .map_err(|e| decode("market_category", e))?,
        })
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Bind a service's fields as $1 to $11, in the column order both statements use.
fn bind_service<'q>(query: AnyQuery<'q>, s: &'q Service) -> AnyQuery<'q> {
    query
        .bind(&s.name)
        .bind(&s.current_provider)
        .bind(s.contract_value)
        .bind(&s.contract_currency)
        .bind(&s.quantity)
        .bind(&s.quality_criteria)
        .bind(s.last_reviewed.map(Day))
        .bind(s.review_due.map(Day))
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
    let insert = sqlx::query(
        "INSERT INTO services (name, current_provider, contract_value_pence, contract_currency, quantity, quality_criteria,
         last_reviewed, review_due, nature_of_review, interdependencies, market_category, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    );
    bind_service(insert, s)
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
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// Services by name, optionally in one market category only.
pub async fn services(
    pool: &AnyPool,
    category: Option<MarketCategory>,
) -> Result<Vec<Listed<Service>>, sqlx::Error> {
    let sql = format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE ($1 = '' OR market_category = $1) ORDER BY LOWER(name), id LIMIT 1000"
    );
    sqlx::query_as(&sql)
        .bind(category.map(|c| c.code()).unwrap_or(""))
        .fetch_all(pool)
        .await
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
