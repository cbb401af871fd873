//! Server functions and the view models they return, one module per journey (the same
//! names as `pages`): who is signed in, parse, one service call, notice or redirect.
pub mod account;
pub mod admin;
pub mod apply;
pub mod assess;
pub mod decide;
pub mod fund;
pub mod market;
pub mod monitor;
pub mod public;

use crate::error::AppError;
use crate::web::{FlashedForm, ShellData};
use leptos::prelude::*;

/// Who a page without data of its own is for (a blank form): `need` is "signed_in" or
/// "commissioner". Refuses (401 or 403) anyone else, so the page shows sign-in or
/// "You do not have permission" rather than a form they could not send.
#[server(prefix = "/api", endpoint = "access")]
pub async fn access_check(need: String) -> Result<(), AppError> {
    match need.as_str() {
        "commissioner" => {
            crate::auth::require_any_role(&[crate::domain::roles::Role::Commissioner])
                .await
                .map(|_| ())
        }
        _ => crate::auth::require_user().await.map(|_| ()),
    }
    .map_err(crate::auth::with_status)
}

/// Who is signed in, and any one-off notice for this page (`page`: its path).
#[server(prefix = "/api", endpoint = "shell")]
pub async fn shell_info(page: String) -> Result<ShellData, AppError> {
    let state = crate::state::app_state()?;
    let session = crate::auth::session().await?;
    let user = crate::auth::current_user(&state, &session).await?;
    let notice = crate::auth::take_notice(&session, &page).await?;
    Ok(ShellData {
        user: user.map(|u| crate::web::UserSummary {
            id: u.id,
            full_name: u.full_name,
            email: u.email,
            roles: u.roles,
        }),
        notice,
    })
}

/// The most recent audit entries about one record, for its page's history table.
#[cfg(feature = "ssr")]
pub async fn history(
    pool: &sqlx::AnyPool,
    subject: &str,
    id: i64,
    limit: i64,
) -> Result<Vec<admin::AuditView>, AppError> {
    Ok(
        crate::db::audit::for_subject(pool, subject, &id.to_string(), limit)
            .await?
            .into_iter()
            .map(|a| admin::AuditView {
                when: a.occurred_at.display_uk(),
                summary: a.summary,
                before: a.before,
                after: a.after,
            })
            .collect(),
    )
}

/// The values and errors of a form whose plain post failed, once.
#[server(prefix = "/api", endpoint = "form_state")]
pub async fn form_state(form: String) -> Result<FlashedForm, AppError> {
    crate::auth::take_form(&form).await
}
