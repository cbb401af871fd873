//! Reports for commissioners: a funding round in figures, and the audit trail viewer
//! (read-only; commissioners and admins). The CSV downloads use the same functions.
use crate::domain::audit::AuditFilterForm;
use crate::error::{AppError, FieldError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::audit::{action_label, record_label},
    crate::domain::roles::Role,
    crate::service::reports::{self as service, AUDIT_READERS},
};

pub use crate::domain::audit::AuditItem;

#[server(prefix = "/api", endpoint = "reports/round")]
pub async fn round_report(round_id: i64) -> Result<crate::domain::report::RoundReport, AppError> {
    let (state, _) = auth::require_any_role(&[Role::Commissioner]).await?;
    service::round_report(state.ctx(), round_id)
        .await
        .map_err(|e| auth::with_status(e.into()))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditData {
    pub filter: AuditFilterForm,
    pub errors: Vec<FieldError>,
    pub items: Vec<AuditItem>,
    /// The id to pass as `before` for the next (older) page.
    pub older: Option<i64>,
    /// (value, label) for each select.
    pub people: Vec<(String, String)>,
    pub records: Vec<(String, String)>,
    pub actions: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "reports/audit")]
pub async fn audit_trail(
    #[server(default)] filter: AuditFilterForm,
    before: Option<i64>,
) -> Result<AuditData, AppError> {
    let (state, _) = auth::require_any_role(&AUDIT_READERS).await?;
    let choices = db::reports::audit_choices(&state.pool).await?;
    let ((items, older), errors) = match filter.parse() {
        Err(errors) => ((Vec::new(), None), errors),
        Ok(checked) => (
            service::audit_page(state.ctx(), &checked, before).await?,
            Vec::new(),
        ),
    };
    let mut people: Vec<(String, String)> = choices
        .people
        .into_iter()
        .map(|p| (p.id.to_string(), format!("{} ({})", p.full_name, p.email)))
        .collect();
    people.push(("system".to_string(), "Seedbed (automatic)".to_string()));
    let labelled = |codes: Vec<String>, label: fn(&str) -> String| {
        codes
            .into_iter()
            .map(|c| {
                let l = label(&c);
                (c, l)
            })
            .collect()
    };
    Ok(AuditData {
        filter,
        errors,
        items,
        older,
        people,
        records: labelled(choices.records, record_label),
        actions: labelled(choices.actions, action_label),
    })
}
