//! The registers commissioners keep: gaps in community services, and the services they
//! commission (the market position). Each change is audited with what it was and is now.
use super::{Actor, Ctx};
use crate::db;
use crate::domain::registers::{Gap, GapForm, Service, ServiceForm};
use crate::error::{AppError, FieldError};

/// Why a register entry was not saved (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<RegisterError> for AppError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::NotFound => AppError::NotFound,
            RegisterError::Invalid(errors) => AppError::Invalid(errors),
            RegisterError::Database(e) => e.into(),
        }
    }
}

fn entry(
    actor: &Actor,
    action: &'static str,
    (subject_type, id): (&'static str, i64),
    summary: String,
    (before, after): (Option<String>, String),
) -> db::audit::Entry<'static> {
    db::audit::Entry {
        actor: Some(actor.id),
        action,
        subject_type,
        subject_id: id.to_string(),
        summary,
        before,
        after: Some(after),
    }
}

fn gap_state(g: &Gap) -> String {
    format!("{}, {} priority", g.status.label(), g.priority.label())
}

fn service_state(s: &Service) -> String {
    format!(
        "{}; provider {}; {}",
        s.market_category.label(),
        s.current_provider,
        s.contract_value
    )
}

/// Record a new gap (`id` None) or change one. (The gap's id, and the gap as saved.)
pub async fn save_gap(
    ctx: Ctx<'_>,
    actor: &Actor,
    id: Option<i64>,
    form: &GapForm,
) -> Result<(i64, Gap), RegisterError> {
    let gap = form.parse().map_err(RegisterError::Invalid)?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let (id, action, summary, before) = match id {
        Some(id) => {
            let before = db::registers::gap(&mut tx, id)
                .await?
                .ok_or(RegisterError::NotFound)?;
            db::registers::update_gap(&mut tx, id, &gap, now).await?;
            let summary = format!("Gap changed: {}", gap.title);
            (id, "gap.changed", summary, Some(gap_state(&before)))
        }
        None => {
            let id = db::registers::insert_gap(&mut tx, &gap, actor.id, now).await?;
            let summary = format!("Gap recorded: {}", gap.title);
            (id, "gap.recorded", summary, None)
        }
    };
    let change = (before, gap_state(&gap));
    db::audit::record(&mut tx, entry(actor, action, ("gap", id), summary, change)).await?;
    tx.commit().await?;
    Ok((id, gap))
}

/// Add a service to the register (`id` None) or change one. (Its id, and the service.)
pub async fn save_service(
    ctx: Ctx<'_>,
    actor: &Actor,
    id: Option<i64>,
    form: &ServiceForm,
) -> Result<(i64, Service), RegisterError> {
    let service = form.parse().map_err(RegisterError::Invalid)?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let (id, action, before) = match id {
        Some(id) => {
            let before = db::registers::service(&mut tx, id)
                .await?
                .ok_or(RegisterError::NotFound)?;
            db::registers::update_service(&mut tx, id, &service, now).await?;
            (id, "service.changed", Some(service_state(&before)))
        }
        None => {
            let id = db::registers::insert_service(&mut tx, &service, actor.id, now).await?;
            (id, "service.added", None)
        }
    };
    let verb = if before.is_some() { "changed" } else { "added" };
    let summary = format!("Service {verb}: {}", service.name);
    let change = (before, service_state(&service));
    db::audit::record(
        &mut tx,
        entry(actor, action, ("service", id), summary, change),
    )
    .await?;
    tx.commit().await?;
    Ok((id, service))
}
