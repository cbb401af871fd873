//! Admin: users and their roles.
use crate::domain::roles::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::db};

pub const USERS_PER_PAGE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRowView {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub email_verified: bool,
    pub roles: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserList {
    pub users: Vec<UserRowView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

#[server(prefix = "/api", endpoint = "admin/users")]
pub async fn list_users(search: String, page: i64) -> Result<UserList, AppError> {
    let (state, _admin) = auth::require_any_role(&[Role::Admin]).await?;
    let (page, offset) = crate::domain::paging::window(page, USERS_PER_PAGE);
    let (rows, total) = db::users::list(&state.pool, &search, USERS_PER_PAGE, offset).await?;
    Ok(UserList {
        users: rows
            .into_iter()
            .map(|r| UserRowView {
                id: r.id,
                full_name: r.full_name,
                email: r.email,
                email_verified: r.email_verified,
                roles: r.roles,
            })
            .collect(),
        total,
        page,
        pages: ((total + USERS_PER_PAGE - 1) / USERS_PER_PAGE).max(1),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub when: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub email_verified: bool,
    pub roles: Vec<Role>,
    /// Who they represent on the Board (a constituency code, '' for none).
    #[serde(default)]
    pub constituency: String,
    /// The partner they sign off for, if a partner approver ('' for none).
    #[serde(default)]
    pub approver_for: String,
    /// The pooled fund's partners: (id, name).
    #[serde(default)]
    pub partners: Vec<(i64, String)>,
    pub is_self: bool,
    pub history: Vec<AuditView>,
}

#[server(prefix = "/api", endpoint = "admin/user")]
pub async fn user_detail(user_id: i64) -> Result<UserRecord, AppError> {
    let (state, admin) = auth::require_any_role(&[Role::Admin]).await?;
    let user = db::users::by_id(&state.pool, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = db::users::roles(&state.pool, user.id).await?;
    let constituency = db::users::constituency(&state.pool, user.id).await?;
    let mut conn = state.pool.acquire().await?;
    let approver_for = db::users::approver_for(&mut conn, user.id)
        .await?
        .map(|id| id.to_string())
        .unwrap_or_default();
    drop(conn);
    let partners = db::fund::partners(&state.pool)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let history = crate::api::history(&state.pool, "user", user.id, 20).await?;
    Ok(UserRecord {
        id: user.id,
        full_name: user.full_name,
        email: user.email,
        email_verified: user.email_verified,
        roles,
        constituency,
        approver_for,
        partners,
        is_self: admin.id == user.id,
        history,
    })
}

/// The role checkboxes as posted: each ticked one posts its role code under its own name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RolesTicked {
    pub board_member: Option<String>,
    pub lay_evaluator: Option<String>,
    pub commissioner: Option<String>,
    pub partner_approver: Option<String>,
    pub admin: Option<String>,
}

/// Replace a user's roles with the ticked ones, with who a board member represents and the
/// partner an approver signs off for.
#[server(prefix = "/api", endpoint = "admin/set_roles")]
pub async fn set_roles(
    user_id: i64,
    #[server(flatten)] ticked: RolesTicked,
    constituency: Option<String>,
    approver_for: Option<String>,
) -> Result<(), AppError> {
    let (state, acting) = auth::require_any_role(&[Role::Admin]).await?;
    let RolesTicked {
        board_member,
        lay_evaluator,
        commissioner,
        partner_approver,
        admin,
    } = ticked;
    let requested: Vec<String> = [
        board_member,
        lay_evaluator,
        commissioner,
        partner_approver,
        admin,
    ]
    .into_iter()
    .flatten()
    .collect();
    let actor = acting.actor();
    let represents = constituency.unwrap_or_default();
    let signs_for = approver_for.unwrap_or_default();
    let changed = crate::service::accounts::change_roles(
        state.ctx(),
        &actor,
        user_id,
        &requested,
        &represents,
        &signs_for,
    );
    let name = match changed.await {
        Ok(name) => name,
        Err(crate::service::accounts::AccountError::NotFound) => return Err(AppError::NotFound),
        Err(e) => {
            let mut values: Vec<(&str, &str)> =
                requested.iter().map(|c| (c.as_str(), c.as_str())).collect();
            values.push(("constituency", represents.as_str()));
            values.push(("approver_for", signs_for.as_str()));
            return Err(auth::reject_form("set_roles", &values, e.into()).await);
        }
    };
    let session = auth::session().await?;
    let notice = format!("Roles updated for {name}");
    auth::notice_and_redirect(&session, &notice, &format!("/admin/users/{user_id}")).await?;
    Ok(())
}
