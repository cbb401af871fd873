//! Commissioners: the gaps register and the commissioned services register.
//! The public sees the services that are open to the market.
use crate::domain::registers::{Gap, GapForm, Service, ServiceForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::registers::{GapStatus, MarketCategory},
    crate::service::registers::{self as service, RegisterError},
};

#[cfg(feature = "ssr")]
use crate::auth::require_commissioner as commissioner;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapRow {
    pub id: i64,
    pub gap: Gap,
}

/// The gaps register: commissioners keep it; board members read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapList {
    pub gaps: Vec<GapRow>,
    /// The viewer keeps the register (a commissioner), rather than reads it.
    pub can_edit: bool,
}

/// Commissioners, and board members reading (the Board finds the gaps).
#[cfg(feature = "ssr")]
async fn reader() -> Result<(crate::state::AppState, bool), AppError> {
    use crate::domain::roles::Role;
    let (state, user) = auth::require_any_role(&[Role::Commissioner, Role::BoardMember]).await?;
    Ok((state, user.has(Role::Commissioner)))
}

#[server(prefix = "/api", endpoint = "gaps/list")]
pub async fn list_gaps(status: String) -> Result<GapList, AppError> {
    let (state, can_edit) = reader().await?;
    let rows = db::registers::gaps(&state.pool, GapStatus::from_code(&status)).await?;
    Ok(GapList {
        gaps: rows
            .into_iter()
            .map(|g| GapRow {
                id: g.id,
                gap: g.item,
            })
            .collect(),
        can_edit,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundLink {
    pub id: i64,
    pub title: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapRecord {
    pub id: i64,
    pub gap: Gap,
    /// The evidence file's name and size in bytes.
    pub evidence_file: Option<(String, i64)>,
    pub rounds: Vec<RoundLink>,
    pub history: Vec<crate::api::admin::AuditView>,
    /// The viewer keeps the register (a commissioner), rather than reads it.
    #[serde(default)]
    pub can_edit: bool,
}

#[server(prefix = "/api", endpoint = "gaps/detail")]
pub async fn gap_detail(id: i64) -> Result<GapRecord, AppError> {
    let (state, can_edit) = reader().await?;
    gap_record(&state, id, can_edit).await
}

/// A gap for its change form: commissioners only.
#[server(prefix = "/api", endpoint = "gaps/edit")]
pub async fn gap_for_edit(id: i64) -> Result<GapRecord, AppError> {
    let (state, _) = commissioner().await?;
    gap_record(&state, id, true).await
}

#[cfg(feature = "ssr")]
async fn gap_record(
    state: &crate::state::AppState,
    id: i64,
    can_edit: bool,
) -> Result<GapRecord, AppError> {
    let mut conn = state.pool.acquire().await?;
    let gap = db::registers::gap(&mut conn, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    drop(conn);
    let rounds = db::rounds::for_gap(&state.pool, id)
        .await?
        .into_iter()
        .map(|(id, title, status)| RoundLink { id, title, status })
        .collect();
    let evidence_file = db::files::gap_evidence(&state.pool, id)
        .await?
        .map(|f| (f.name, f.size_bytes));
    Ok(GapRecord {
        id,
        gap,
        evidence_file,
        rounds,
        history: crate::api::history(&state.pool, "gap", id, 20).await?,
        can_edit,
    })
}

/// A refusal: not found is the page's status; a form error is shown with what was typed.
#[cfg(feature = "ssr")]
async fn refused<T: Serialize>(form: &str, typed: &T, e: RegisterError) -> AppError {
    match e {
        RegisterError::NotFound => auth::with_status(AppError::NotFound),
        e => auth::reject_with(form, typed, e.into()).await,
    }
}

/// Record a new gap (`id` empty) or change one.
#[server(prefix = "/api", endpoint = "gaps/save")]
pub async fn save_gap(
    #[server(default)] id: String,
    #[server(flatten)] form: GapForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match service::save_gap(state.ctx(), &user.actor(), id.parse().ok(), &form).await {
        Ok((id, gap)) => {
            let notice = format!("Gap saved: {}", gap.title);
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, &format!("/fund/gaps/{id}")).await?;
            Ok(())
        }
        Err(e) => Err(refused("save_gap", &form, e).await),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub id: i64,
    pub service: Service,
}

#[server(prefix = "/api", endpoint = "services/list")]
pub async fn list_services(category: String) -> Result<Vec<ServiceRow>, AppError> {
    let (state, _) = commissioner().await?;
    let rows = db::registers::services(&state.pool, MarketCategory::from_code(&category)).await?;
    Ok(rows
        .into_iter()
        .map(|s| ServiceRow {
            id: s.id,
            service: s.item,
        })
        .collect())
}

/// Services open to the market, for anyone.
#[server(prefix = "/api", endpoint = "services/open")]
pub async fn open_services() -> Result<Vec<ServiceRow>, AppError> {
    let state = crate::state::app_state()?;
    let rows = db::registers::services(&state.pool, Some(MarketCategory::Open)).await?;
    Ok(rows
        .into_iter()
        .map(|s| ServiceRow {
            id: s.id,
            service: s.item,
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub id: i64,
    pub service: Service,
    pub history: Vec<crate::api::admin::AuditView>,
}

#[server(prefix = "/api", endpoint = "services/detail")]
pub async fn service_detail(id: i64) -> Result<ServiceRecord, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let service = db::registers::service(&mut conn, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    drop(conn);
    Ok(ServiceRecord {
        id,
        service,
        history: crate::api::history(&state.pool, "service", id, 20).await?,
    })
}

/// Add a service to the register (`id` empty) or change one.
#[server(prefix = "/api", endpoint = "services/save")]
pub async fn save_service(
    #[server(default)] id: String,
    #[server(flatten)] form: ServiceForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match service::save_service(state.ctx(), &user.actor(), id.parse().ok(), &form).await {
        Ok((id, service)) => {
            let notice = format!("Service saved: {}", service.name);
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, &format!("/fund/services/{id}")).await?;
            Ok(())
        }
        Err(e) => Err(refused("save_service", &form, e).await),
    }
}
