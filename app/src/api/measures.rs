//! Commissioners: the unit-cost table behind the cost-avoided estimates, and each round's
//! monitoring measures.
use crate::domain::money::Pence;
use crate::domain::monitoring::{MeasureForm, MeasureKind, UnitCostForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth, crate::auth::require_commissioner as commissioner, crate::db,
    crate::domain::date::display_date, crate::domain::monitoring as m, crate::error::FieldError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCostView {
    pub id: i64,
    pub form: UnitCostForm,
    pub cost: Pence,
    pub source_date: String,
    pub updated: String,
}

#[server(prefix = "/api", endpoint = "portfolio/unit_costs")]
pub async fn unit_costs() -> Result<Vec<UnitCostView>, AppError> {
    let (state, _) = commissioner().await?;
    Ok(db::measures::unit_costs(&state.pool)
        .await?
        .into_iter()
        .map(|u| {
            use chrono::Datelike;
            let d = u.cost.source_date;
            UnitCostView {
                id: u.id,
                form: UnitCostForm {
                    name: u.cost.name.clone(),
                    unit: u.cost.unit.clone(),
                    cost: u.cost.cost.form_value(),
                    source: u.cost.source.clone(),
                    source_date_day: d.day().to_string(),
                    source_date_month: d.month().to_string(),
                    source_date_year: d.year().to_string(),
                },
                cost: u.cost.cost,
                source_date: display_date(d),
                updated: format!(
                    "{}{}",
                    u.updated_at.display_uk(),
                    u.updated_by.map(|b| format!(" by {b}")).unwrap_or_default()
                ),
            }
        })
        .collect())
}

pub const UNIT_COST_FORM: &str = "unit_cost";

/// Add a unit cost (`id` 0) or change one; every change is audited with before and after.
#[server(prefix = "/api", endpoint = "portfolio/save_unit_cost")]
pub async fn save_unit_cost(
    #[server(default)] id: i64,
    #[server(flatten)] form: UnitCostForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let cost = match form.parse(today) {
        Ok(c) => c,
        Err(e) => return Err(auth::reject_with(UNIT_COST_FORM, &form, AppError::Invalid(e)).await),
    };
    let before = if id == 0 {
        None
    } else {
        Some(
            db::measures::unit_costs(&state.pool)
                .await?
                .into_iter()
                .find(|u| u.id == id)
                .ok_or_else(|| auth::with_status(AppError::NotFound))?,
        )
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let saved =
        match db::measures::save_unit_cost(&mut tx, (id != 0).then_some(id), &cost, user.id, now)
            .await
        {
            Ok(Some(id)) => id,
            Ok(None) => return Err(auth::with_status(AppError::NotFound)),
            Err(e) if db::is_unique_violation(&e) => {
                drop(tx);
                return Err(auth::reject_with(
                    UNIT_COST_FORM,
                    &form,
                    AppError::Invalid(vec![FieldError::new(
                        "name",
                        "There is already a unit cost with this name",
                    )]),
                )
                .await);
            }
            Err(e) => return Err(e.into()),
        };
    let describe = |c: &m::UnitCost| {
        format!(
            "{} {} ({}, {})",
            c.cost.display(),
            c.unit,
            c.source,
            display_date(c.source_date)
        )
    };
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
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
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Unit cost saved: {}", cost.name),
        "/fund/unit-costs",
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureLine {
    pub id: i64,
    pub kind: MeasureKind,
    pub name: String,
    /// "A hospital admission after a fall (£3,450.00 per admission), 25% credited"
    pub valued: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuresData {
    pub round_id: i64,
    pub title: String,
    pub measures: Vec<MeasureLine>,
    pub unit_costs: Vec<(i64, String)>,
}

#[server(prefix = "/api", endpoint = "portfolio/measures")]
pub async fn round_measures(round_id: i64) -> Result<MeasuresData, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let measures = db::measures::measures(&mut conn, round_id).await?;
    drop(conn);
    let costs = db::measures::unit_costs(&state.pool).await?;
    Ok(MeasuresData {
        round_id,
        title: round.details.title,
        measures: measures
            .into_iter()
            .map(|mr| MeasureLine {
                id: mr.id,
                kind: mr.kind,
                name: mr.name,
                valued: mr.valued_by.map(|v| {
                    format!(
                        "{} ({} {}), {}% credited to the scheme",
                        v.name,
                        v.cost.display(),
                        v.unit,
                        m::attribution_from_bp(v.attribution_bp).normalize()
                    )
                }),
            })
            .collect(),
        unit_costs: costs
            .into_iter()
            .map(|u| {
                (
                    u.id,
                    format!(
                        "{} ({} {})",
                        u.cost.name,
                        u.cost.cost.display(),
                        u.cost.unit
                    ),
                )
            })
            .collect(),
    })
}

pub const MEASURE_FORM: &str = "measure";

#[server(prefix = "/api", endpoint = "portfolio/add_measure")]
pub async fn add_measure(
    round_id: i64,
    #[server(flatten)] form: MeasureForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let ids: Vec<i64> = db::measures::unit_costs(&state.pool)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    let measure = match form.parse(&ids) {
        Ok(m) => m,
        Err(e) => return Err(auth::reject_with(MEASURE_FORM, &form, AppError::Invalid(e)).await),
    };
    let mut tx = state.pool.begin().await?;
    db::rounds::round(&mut tx, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    db::measures::add_measure(&mut tx, round_id, &measure).await?;
    db::audit::entry(
        &mut tx,
        user.id,
        "round.measure_added",
        ("round", round_id),
        format!("{} measure added: {}", measure.kind.label(), measure.name),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Measure added: {}", measure.name),
        &format!("/fund/rounds/{round_id}/measures"),
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "portfolio/remove_measure")]
pub async fn remove_measure(round_id: i64, measure_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut tx = state.pool.begin().await?;
    if !db::measures::remove_measure(&mut tx, round_id, measure_id).await? {
        drop(tx);
        return Err(auth::reject_form(
            MEASURE_FORM,
            &[],
            AppError::Conflict(
                "This measure is in monitoring returns already and cannot be removed".into(),
            ),
        )
        .await);
    }
    db::audit::entry(
        &mut tx,
        user.id,
        "round.measure_removed",
        ("round", round_id),
        format!("Measure {measure_id} removed"),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/fund/rounds/{round_id}/measures"));
    Ok(())
}
