//! The unit-cost table behind the cost-avoided estimates, and each round's monitoring
//! measures. Every change is audited (unit costs with what they were and are now).
use super::{Actor, Ctx};
use crate::db;
use crate::domain::date::display_date;
use crate::domain::monitoring::{Measure, MeasureForm, UnitCost, UnitCostForm};
use crate::error::{AppError, FieldError};

/// Why a unit cost or measure was not saved (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("This measure is in monitoring returns already, or a tranche is tied to it, and cannot be removed")]
    InUse,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<MeasureError> for AppError {
    fn from(e: MeasureError) -> Self {
        match e {
            MeasureError::NotFound => AppError::NotFound,
            MeasureError::Invalid(errors) => AppError::Invalid(errors),
            MeasureError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

fn describe(c: &UnitCost) -> String {
    format!(
        "{} {} ({}, {})",
        c.cost.display(),
        c.unit,
        c.source,
        display_date(c.source_date)
    )
}

/// Add a unit cost (`id` None) or change one; names are unique. (The cost as saved.)
pub async fn save_unit_cost(
    ctx: Ctx<'_>,
    actor: &Actor,
    id: Option<i64>,
    form: &UnitCostForm,
) -> Result<UnitCost, MeasureError> {
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let cost = form.parse(today).map_err(MeasureError::Invalid)?;
    let before = match id {
        None => None,
        Some(id) => Some(
            db::measures::unit_costs(ctx.pool)
                .await?
                .into_iter()
                .find(|u| u.id == id)
                .ok_or(MeasureError::NotFound)?,
        ),
    };
    let mut tx = ctx.pool.begin().await?;
    let saved = match db::measures::save_unit_cost(&mut tx, id, &cost, actor.id, db::now()).await {
        Ok(Some(id)) => id,
        Ok(None) => return Err(MeasureError::NotFound),
        Err(e) if db::is_unique_violation(&e) => {
            let message = "There is already a unit cost with this name";
            return Err(MeasureError::Invalid(vec![FieldError::new(
                "name", message,
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    let entry = db::audit::Entry {
        actor: Some(actor.id),
        action: if before.is_some() {
            "unit_cost.changed"
        } else {
            "unit_cost.added"
        },
        subject_type: "unit_cost",
        subject_id: saved.to_string(),
        summary: format!("Unit cost: {}", cost.name),
        before: before.as_ref().map(|b| describe(&b.cost)),
        after: Some(describe(&cost)),
    };
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(cost)
}

/// Add a monitoring measure to a round, valued (optionally) by a unit cost.
pub async fn add_measure(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    form: &MeasureForm,
) -> Result<Measure, MeasureError> {
    let ids: Vec<i64> = db::measures::unit_costs(ctx.pool)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    let measure = form.parse(&ids).map_err(MeasureError::Invalid)?;
    let mut tx = ctx.pool.begin().await?;
    db::rounds::round(&mut tx, round_id)
        .await?
        .ok_or(MeasureError::NotFound)?;
    db::measures::add_measure(&mut tx, round_id, &measure).await?;
    let summary = format!("{} measure added: {}", measure.kind.label(), measure.name);
    db::audit::entry(
        &mut tx,
        actor.id,
        "round.measure_added",
        ("round", round_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(measure)
}

/// Remove a measure that no return has used yet.
pub async fn remove_measure(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    measure_id: i64,
) -> Result<(), MeasureError> {
    let mut tx = ctx.pool.begin().await?;
    if !db::measures::remove_measure(&mut tx, round_id, measure_id).await? {
        return Err(MeasureError::InUse);
    }
    let summary = format!("Measure {measure_id} removed");
    db::audit::entry(
        &mut tx,
        actor.id,
        "round.measure_removed",
        ("round", round_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
