//! Commissioners: the unit-cost table behind the cost-avoided estimates, and each round's
//! monitoring measures.
use crate::domain::money::Pence;
use crate::domain::monitoring::{MeasureForm, MeasureKind, MeasureUnit, UnitCostForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::auth::require_commissioner as commissioner,
    crate::db,
    crate::domain::date::display_date,
    crate::domain::monitoring as m,
    crate::service::measures::{self as service, MeasureError},
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

/// A refusal: not found is the page's status; anything else is shown on the form with
/// what was typed.
#[cfg(feature = "ssr")]
async fn refused<T: Serialize>(form: &str, typed: &T, e: MeasureError) -> AppError {
    match e {
        MeasureError::NotFound => auth::with_status(AppError::NotFound),
        e => auth::reject_with(form, typed, e.into()).await,
    }
}

/// Add a unit cost (`id` 0) or change one; every change is audited with before and after.
#[server(prefix = "/api", endpoint = "portfolio/save_unit_cost")]
pub async fn save_unit_cost(
    #[server(default)] id: i64,
    #[server(flatten)] form: UnitCostForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let id = (id != 0).then_some(id);
    match service::save_unit_cost(state.ctx(), &user.actor(), id, &form).await {
        Ok(cost) => {
            let notice = format!("Unit cost saved: {}", cost.name);
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, "/fund/unit-costs").await?;
            Ok(())
        }
        Err(e) => Err(refused(UNIT_COST_FORM, &form, e).await),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureLine {
    pub id: i64,
    pub kind: MeasureKind,
    pub name: String,
    pub unit: MeasureUnit,
    /// How to count it ("" if none given).
    #[serde(default)]
    pub guidance: String,
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
                unit: mr.unit,
                guidance: mr.guidance,
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
    match service::add_measure(state.ctx(), &user.actor(), round_id, &form).await {
        Ok(measure) => {
            let notice = format!("Measure added: {}", measure.name);
            let back = format!("/fund/rounds/{round_id}/measures");
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, &back).await?;
            Ok(())
        }
        Err(e) => Err(refused(MEASURE_FORM, &form, e).await),
    }
}

#[server(prefix = "/api", endpoint = "portfolio/remove_measure")]
pub async fn remove_measure(round_id: i64, measure_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    if let Err(e) = service::remove_measure(state.ctx(), &user.actor(), round_id, measure_id).await
    {
        return Err(auth::reject_form(MEASURE_FORM, &[], e.into()).await);
    }
    leptos_axum::redirect(&format!("/fund/rounds/{round_id}/measures"));
    Ok(())
}
