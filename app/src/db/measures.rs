//! A round's monitoring measures and the unit costs that value its outcomes (cost avoided).
use crate::domain::money::Pence;
use crate::domain::monitoring::{MeasureKind, MeasureUnit, UnitCost};
use crate::domain::time::{Day, UtcTime};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

#[derive(Debug, Clone)]
pub struct MeasureRow {
    pub id: i64,
    pub kind: MeasureKind,
    pub name: String,
    /// How it is counted (and so how its values are stored).
    pub unit: MeasureUnit,
    /// How to count it ("" if none given).
    pub guidance: String,
    /// The unit cost that values this measure's outcomes, if any.
    pub valued_by: Option<ValuedBy>,
}

/// The unit cost a valued outcome is priced at, and how much of it the scheme may claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuedBy {
    pub unit_cost_id: i64,
    pub name: String,
    pub unit: String,
    pub cost: Pence,
    pub attribution_bp: i64,
}

/// A measure as stored: the unit cost's columns are empty when nothing values it.
#[derive(FromRow)]
struct MeasureRecord {
    id: i64,
    #[sqlx(try_from = "String")]
    kind: MeasureKind,
    name: String,
    #[sqlx(try_from = "String")]
    counted_as: MeasureUnit,
    guidance: String,
    unit_cost_id: Option<i64>,
    cost_name: Option<String>,
    unit: Option<String>,
    cost_pence: Option<Pence>,
    attribution_bp: Option<i64>,
}

impl From<MeasureRecord> for MeasureRow {
    fn from(r: MeasureRecord) -> Self {
        MeasureRow {
            id: r.id,
            kind: r.kind,
            name: r.name,
            unit: r.counted_as,
            guidance: r.guidance,
            valued_by: r.unit_cost_id.map(|unit_cost_id| ValuedBy {
                unit_cost_id,
                name: r.cost_name.unwrap_or_default(),
                unit: r.unit.unwrap_or_default(),
                cost: r.cost_pence.unwrap_or_default(),
                attribution_bp: r.attribution_bp.unwrap_or(0),
            }),
        }
    }
}

pub async fn measures(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<MeasureRow>, sqlx::Error> {
    let rows: Vec<MeasureRecord> = sqlx::query_as(
        "SELECT m.id, m.kind, m.name, m.counted_as, m.guidance, m.unit_cost_id, u.name AS cost_name, u.unit, u.cost_pence, m.attribution_bp
         FROM round_measures m LEFT JOIN unit_costs u ON u.id = m.unit_cost_id WHERE m.round_id = $1 ORDER BY m.position, m.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(MeasureRow::from).collect())
}

/// The round's measures as (id, name, how it is counted): what a return's values are parsed
/// by and what a tranche's outcome may name.
pub async fn named(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<(i64, String, MeasureUnit)>, sqlx::Error> {
    Ok(measures(conn, round_id)
        .await?
        .into_iter()
        .map(|mr| (mr.id, mr.name, mr.unit))
        .collect())
}

pub async fn add_measure(
    conn: &mut AnyConnection,
    round_id: i64,
    m: &crate::domain::monitoring::Measure,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO round_measures (round_id, kind, name, unit_cost_id, attribution_bp, guidance, counted_as, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM round_measures WHERE round_id = $1))
         RETURNING id",
    )
    .bind(round_id)
    .bind(m.kind.code())
    .bind(&m.name)
    .bind(m.cost.map(|c| c.0))
    .bind(m.cost.map(|c| c.1))
    .bind(&m.guidance)
    .bind(m.unit.code())
    .fetch_one(conn)
    .await
}

/// Remove a measure no return has used yet and no tranche is tied to.
pub async fn remove_measure(
    conn: &mut AnyConnection,
    round_id: i64,
    measure_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM round_measures WHERE id = $1 AND round_id = $2
         AND NOT EXISTS (SELECT 1 FROM return_values WHERE measure_id = $1)
         AND NOT EXISTS (SELECT 1 FROM tranches WHERE measure_id = $1)",
    )
    .bind(measure_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct UnitCostRow {
    pub id: i64,
    #[sqlx(flatten)]
    pub cost: UnitCost,
    pub updated_by: Option<String>,
    pub updated_at: UtcTime,
}

impl<'r> FromRow<'r, AnyRow> for UnitCost {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(UnitCost {
            name: r.try_get("name")?,
            unit: r.try_get("unit")?,
            cost: r.try_get("cost_pence")?,
            source: r.try_get("source")?,
            source_date: r.try_get::<Day, _>("source_date")?.0,
        })
    }
}

pub async fn unit_costs(pool: &AnyPool) -> Result<Vec<UnitCostRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, c.unit, c.cost_pence, c.source, c.source_date, u.full_name AS updated_by, c.updated_at
         FROM unit_costs c LEFT JOIN users u ON u.id = c.updated_by ORDER BY LOWER(c.name)",
    )
    .fetch_all(pool)
    .await
}

/// Add a unit cost (`None` id) or change one; a duplicate name is a unique violation.
pub async fn save_unit_cost(
    conn: &mut AnyConnection,
    id: Option<i64>,
    c: &UnitCost,
    user: i64,
    now: UtcTime,
) -> Result<Option<i64>, sqlx::Error> {
    let row = match id {
        None => sqlx::query_scalar(
            "INSERT INTO unit_costs (name, unit, cost_pence, source, source_date, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        ),
        Some(_) => sqlx::query_scalar(
            "UPDATE unit_costs SET name = $1, unit = $2, cost_pence = $3, source = $4, source_date = $5, updated_by = $6, updated_at = $7
             WHERE id = $8 RETURNING id",
        ),
    }
    .bind(&c.name)
    .bind(&c.unit)
    .bind(c.cost)
    .bind(&c.source)
    .bind(Day(c.source_date))
    .bind(user)
    .bind(now);
    let row = match id {
        Some(id) => row.bind(id),
        None => row,
    };
    let saved: Option<i64> = row.fetch_optional(&mut *conn).await?;
    if let (Some(_), Some(saved)) = (id, saved) {
        // A changed cost changes the cost avoided of every scheme whose outcomes it prices.
        super::returns::refresh_cost_avoided(conn, super::returns::Of::UnitCost(saved)).await?;
    }
    Ok(saved)
}

/// One reported figure of a measure: the return's position and period, and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub position: i64,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    pub value: i64,
}

/// A measure's figures in a scheme's reported returns (sent or accepted), oldest first: what
/// a tranche tied to the measure is judged on.
pub async fn reported(
    conn: &mut AnyConnection,
    scheme_id: i64,
    measure_id: i64,
) -> Result<Vec<Reported>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.position, r.period_start, r.period_end, v.value
         FROM return_values v JOIN returns r ON r.id = v.return_id
         WHERE r.scheme_id = $1 AND v.measure_id = $2 AND r.status IN ('submitted', 'accepted')
         ORDER BY r.position",
    )
    .bind(scheme_id)
    .bind(measure_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Reported {
                position: r.try_get("position")?,
                period_start: r.try_get::<Day, _>("period_start")?.0,
                period_end: r.try_get::<Day, _>("period_end")?.0,
                value: r.try_get("value")?,
            })
        })
        .collect()
}
