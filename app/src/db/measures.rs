//! A round's monitoring measures and the unit costs that value its outcomes (cost avoided).
use crate::domain::money::Pence;
use sqlx::{AnyConnection, AnyPool, Row};

use super::{date_from_db as date, date_to_db as day, decode_error as decode};

#[derive(Debug, Clone)]
pub struct MeasureRow {
    pub id: i64,
    pub kind: crate::domain::monitoring::MeasureKind,
    pub name: String,
    /// (unit cost id, name, unit, cost, attribution bp)
    pub valued_by: Option<(i64, String, String, Pence, i64)>,
}

pub async fn measures(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<MeasureRow>, sqlx::Error> {
    sqlx::query(
        "SELECT m.id, m.kind, m.name, m.unit_cost_id, u.name AS cost_name, u.unit, u.cost_pence, m.attribution_bp
         FROM round_measures m LEFT JOIN unit_costs u ON u.id = m.unit_cost_id WHERE m.round_id = $1 ORDER BY m.position, m.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let cost_id: Option<i64> = r.try_get("unit_cost_id")?;
        let valued_by = match cost_id {
            Some(id) => Some((
                id,
                r.try_get("cost_name")?,
                r.try_get("unit")?,
                Pence(r.try_get("cost_pence")?),
                r.try_get::<Option<i64>, _>("attribution_bp")?.unwrap_or(0),
            )),
            None => None,
        };
        Ok(MeasureRow {
            id: r.try_get("id")?,
            kind: crate::domain::monitoring::MeasureKind::from_code(&r.try_get::<String, _>("kind")?)
                .ok_or_else(|| decode("measure kind"))?,
            name: r.try_get("name")?,
            valued_by,
        })
    })
    .collect()
}

pub async fn add_measure(
    conn: &mut AnyConnection,
    round_id: i64,
    m: &crate::domain::monitoring::Measure,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO round_measures (round_id, kind, name, unit_cost_id, attribution_bp, position)
         VALUES ($1, $2, $3, $4, $5, (SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM round_measures WHERE round_id = $1))
         RETURNING id",
    )
    .bind(round_id)
    .bind(m.kind.code())
    .bind(&m.name)
    .bind(m.cost.map(|c| c.0))
    .bind(m.cost.map(|c| c.1))
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Remove a measure no return has used yet.
pub async fn remove_measure(
    conn: &mut AnyConnection,
    round_id: i64,
    measure_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM round_measures WHERE id = $1 AND round_id = $2
         AND NOT EXISTS (SELECT 1 FROM return_values WHERE measure_id = $1)",
    )
    .bind(measure_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct UnitCostRow {
    pub id: i64,
    pub cost: crate::domain::monitoring::UnitCost,
    pub updated_by: Option<String>,
    pub updated_at: String,
}

pub async fn unit_costs(pool: &AnyPool) -> Result<Vec<UnitCostRow>, sqlx::Error> {
    sqlx::query(
        "SELECT c.id, c.name, c.unit, c.cost_pence, c.source, c.source_date, u.full_name AS updated_by, c.updated_at
         FROM unit_costs c LEFT JOIN users u ON u.id = c.updated_by ORDER BY LOWER(c.name)",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(UnitCostRow {
            id: r.try_get("id")?,
            cost: crate::domain::monitoring::UnitCost {
                name: r.try_get("name")?,
                unit: r.try_get("unit")?,
                cost: Pence(r.try_get("cost_pence")?),
                source: r.try_get("source")?,
                source_date: date(&r.try_get::<String, _>("source_date")?),
            },
            updated_by: r.try_get("updated_by")?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .collect()
}

/// Add a unit cost (`None` id) or change one; a duplicate name is a unique violation.
pub async fn save_unit_cost(
    conn: &mut AnyConnection,
    id: Option<i64>,
    c: &crate::domain::monitoring::UnitCost,
    user: i64,
    now: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row = match id {
        None => sqlx::query(
            "INSERT INTO unit_costs (name, unit, cost_pence, source, source_date, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        ),
        Some(_) => sqlx::query(
            "UPDATE unit_costs SET name = $1, unit = $2, cost_pence = $3, source = $4, source_date = $5, updated_by = $6, updated_at = $7
             WHERE id = $8 RETURNING id",
        ),
    }
    .bind(&c.name)
    .bind(&c.unit)
    .bind(c.cost.0)
    .bind(&c.source)
    .bind(day(c.source_date))
    .bind(user)
    .bind(now);
    let row = match id {
        Some(id) => row.bind(id),
        None => row,
    };
    let saved: Option<i64> = row
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
    if let (Some(_), Some(saved)) = (id, saved) {
        // A changed cost changes the cost avoided of every scheme whose outcomes it prices.
        super::returns::refresh_cost_avoided(conn, super::returns::Of::UnitCost(saved)).await?;
    }
    Ok(saved)
}
