//! Who does what: an administrator changes a user's roles.
use super::AccountError;
use crate::db;
use crate::domain::roles::Role;
use crate::service::{Actor, Ctx};

fn describe(roles: &[Role]) -> String {
    if roles.is_empty() {
        "no roles".to_string()
    } else {
        roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An administrator replaces a user's roles with the ones ticked (`requested`: role codes);
/// the rule of what may change (no one removes their own admin role) is
/// domain::roles::change_roles. (The user's name.)
pub async fn change_roles(
    ctx: Ctx<'_>,
    actor: &Actor,
    user_id: i64,
    requested: &[String],
    constituency: &str,
) -> Result<String, AccountError> {
    let target = db::users::by_id(ctx.pool, user_id)
        .await?
        .ok_or(AccountError::NotFound)?;
    let current = db::users::roles(ctx.pool, target.id).await?;
    let roles = crate::domain::roles::change_roles(actor.id == target.id, &current, requested)
        .map_err(|e| AccountError::Invalid(vec![e]))?;
    let represents = crate::domain::board::constituency_for(&roles, constituency)
        .map_err(|e| AccountError::Invalid(vec![e]))?;
    let mut tx = ctx.pool.begin().await?;
    db::users::set_roles(&mut tx, target.id, &roles, Some(actor.id), db::now()).await?;
    let code = represents.map(|c| c.code()).unwrap_or_default();
    db::users::set_constituency(&mut tx, target.id, code).await?;
    let mut entry = db::audit::Entry::about_user(
        Some(actor.id),
        "user.roles_changed",
        target.id,
        format!("Roles changed by {}", actor.email),
    );
    entry.before = Some(describe(&current));
    entry.after = Some(match represents {
        Some(c) => format!("{} (represents: {})", describe(&roles), c.label()),
        None => describe(&roles),
    });
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(target.full_name)
}
