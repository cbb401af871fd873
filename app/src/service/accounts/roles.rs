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
    approver_for: &str,
) -> Result<String, AccountError> {
    let target = db::users::by_id(ctx.pool, user_id)
        .await?
        .ok_or(AccountError::NotFound)?;
    let current = db::users::roles(ctx.pool, target.id).await?;
    let roles = crate::domain::roles::change_roles(actor.id == target.id, &current, requested)
        .map_err(|e| AccountError::Invalid(vec![e]))?;
    let partners = db::fund::partners(ctx.pool).await?;
    let partner_ids: Vec<i64> = partners.iter().map(|p| p.id).collect();
    let represents = crate::domain::board::constituency_for(&roles, constituency);
    let signs_for = crate::domain::board::approver_for(&roles, approver_for, &partner_ids);
    let (represents, signs_for) = match (represents, signs_for) {
        (Ok(r), Ok(s)) => (r, s),
        (r, s) => {
            let errors = [r.err(), s.err()].into_iter().flatten().collect();
            return Err(AccountError::Invalid(errors));
        }
    };
    let mut tx = ctx.pool.begin().await?;
    db::users::set_roles(&mut tx, target.id, &roles, Some(actor.id), db::now()).await?;
    let code = represents.map(|c| c.code()).unwrap_or_default();
    db::users::set_constituency(&mut tx, target.id, code).await?;
    db::users::set_approver_for(&mut tx, target.id, signs_for).await?;
    let mut entry = db::audit::Entry::about_user(
        Some(actor.id),
        "user.roles_changed",
        target.id,
        format!("Roles changed by {}", actor.email),
    );
    entry.before = Some(describe(&current));
    let mut after = describe(&roles);
    if let Some(c) = represents {
        after.push_str(&format!(" (represents: {})", c.label()));
    }
    if let Some(p) = partners.iter().find(|p| Some(p.id) == signs_for) {
        after.push_str(&format!(" (signs off for: {})", p.name));
    }
    entry.after = Some(after);
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(target.full_name)
}
