//! Applicants: the organisations they act for.
use crate::domain::organisation::{Organisation, OrganisationForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::db, crate::domain::roles::Role};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyOrganisation {
    pub id: i64,
    pub name: String,
    pub is_owner: bool,
}

#[server(prefix = "/api", endpoint = "organisations/mine")]
pub async fn my_organisations() -> Result<Vec<MyOrganisation>, AppError> {
    let (state, user) = auth::require_user().await?;
    Ok(db::organisations::for_user(&state.pool, user.id)
        .await?
        .into_iter()
        .map(|(id, name, role)| MyOrganisation {
            id,
            name,
            is_owner: role == "owner",
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "organisations/register")]
pub async fn register_organisation(
    #[server(flatten)] form: OrganisationForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let organisation = match form.parse() {
        Ok(o) => o,
        Err(errors) => {
            return Err(auth::reject_with(
                "register_organisation",
                &form,
                AppError::Invalid(errors),
            )
            .await)
        }
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let id = db::organisations::insert(&mut tx, &organisation, user.id, &now).await?;
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "organisation.registered",
            subject_type: "organisation",
            subject_id: id.to_string(),
            summary: format!(
                "Organisation registered: {} ({})",
                organisation.name,
                organisation.legal_form.label()
            ),
            before: None,
            after: Some(format!("Owner: {}", user.email)),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::set_notice(
        &session,
        &format!("{} is registered. You are its owner", organisation.name),
    )
    .await?;
    leptos_axum::redirect(&format!("/organisations/{id}"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub name: String,
    pub email: String,
    pub is_owner: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRecord {
    pub id: i64,
    pub organisation: Organisation,
    pub members: Vec<MemberView>,
    /// The viewer's own role: "owner", "member", or "" for a commissioner looking in.
    pub my_role: String,
}

/// Who may see an organisation: its members and commissioners. Anyone else is told it
/// does not exist. Returns the viewer's role ("" for a commissioner who is not a member).
#[cfg(feature = "ssr")]
pub async fn can_view_organisation(
    pool: &sqlx::AnyPool,
    user: &auth::CurrentUser,
    organisation_id: i64,
) -> Result<String, AppError> {
    match db::organisations::role_of(pool, organisation_id, user.id).await? {
        Some(role) => Ok(role),
        None if user.has(Role::Commissioner) => Ok(String::new()),
        None => Err(auth::with_status(AppError::NotFound)),
    }
}

#[server(prefix = "/api", endpoint = "organisations/detail")]
pub async fn organisation_detail(id: i64) -> Result<OrganisationRecord, AppError> {
    let (state, user) = auth::require_user().await?;
    let my_role = can_view_organisation(&state.pool, &user, id).await?;
    let organisation = db::organisations::get(&state.pool, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let members = db::organisations::members(&state.pool, id)
        .await?
        .into_iter()
        .map(|(_, name, email, role)| MemberView {
            name,
            email,
            is_owner: role == "owner",
        })
        .collect();
    Ok(OrganisationRecord {
        id,
        organisation,
        members,
        my_role,
    })
}
