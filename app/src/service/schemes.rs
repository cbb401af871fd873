//! A funded scheme's monitoring (tranches and returns): who may act on a scheme, and what
//! their use cases share (audit entries, mail to the organisation's members).
use super::{Actor, Ctx};
use crate::db;
use crate::db::schemes::SchemeRow;
use crate::domain::roles::Role;

/// Why someone may not act on a scheme (each use case's error has these too).
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// No such scheme (or record in it), or the scheme is not this person's to see.
    #[error("page not found")]
    NotFound,
    #[error("you do not have permission to do that")]
    Forbidden,
    /// The commissioner belongs to the organisation, declared a conflict with it, or
    /// approved the evidence they now want to pay.
    #[error("{0}")]
    NotIndependent(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl AccessError {
    /// A refusal that is the page's own status (not found, not permitted) rather than a
    /// message on the form.
    pub fn is_status(&self) -> bool {
        matches!(self, AccessError::NotFound | AccessError::Forbidden)
    }
}

/// Who may act on a scheme: members of its organisation, or commissioners.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Need {
    Member,
    Commissioner,
}

/// A scheme as one person may see it: members of its organisation and commissioners.
#[derive(Debug, Clone)]
pub struct SchemeAccess {
    pub scheme: SchemeRow,
    /// A member of the organisation (otherwise a commissioner).
    pub is_member: bool,
}

/// The scheme, if the actor may see it (anyone else is told it does not exist).
pub async fn access(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
) -> Result<SchemeAccess, AccessError> {
    let mut conn = ctx.pool.acquire().await?;
    let scheme = db::schemes::get(&mut conn, scheme_id)
        .await?
        .ok_or(AccessError::NotFound)?;
    drop(conn);
    let is_member = db::organisations::role_of(ctx.pool, scheme.organisation_id, actor.id)
        .await?
        .is_some();
    if !is_member && !actor.has(Role::Commissioner) {
        return Err(AccessError::NotFound);
    }
    Ok(SchemeAccess { scheme, is_member })
}

/// The scheme if the actor may see it and act as `need`: anyone else is told it does not
/// exist, a member or commissioner without the right role that they may not.
pub(super) async fn scheme_for(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    need: Need,
) -> Result<SchemeRow, AccessError> {
    let SchemeAccess { scheme, is_member } = access(ctx, actor, scheme_id).await?;
    let allowed = match need {
        Need::Member => is_member,
        Need::Commissioner => actor.has(Role::Commissioner),
    };
    if allowed {
        Ok(scheme)
    } else {
        Err(AccessError::Forbidden)
    }
}

/// Refused when the actor belongs to the scheme's organisation or declared a conflict with it.
pub(super) async fn independent(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme: &SchemeRow,
) -> Result<(), AccessError> {
    let (member, conflict) =
        db::organisations::connection(ctx.pool, scheme.organisation_id, actor.id).await?;
    match crate::domain::independence::refusal(&scheme.organisation_name, member, conflict) {
        Some(why) => Err(AccessError::NotIndependent(why)),
        None => Ok(()),
    }
}

/// An audit entry about the scheme.
pub fn entry(
    actor: &Actor,
    scheme: &SchemeRow,
    action: &'static str,
    summary: String,
) -> db::audit::Entry<'static> {
    db::audit::Entry {
        actor: Some(actor.id),
        action,
        subject_type: "scheme",
        subject_id: scheme.id.to_string(),
        summary,
        before: None,
        after: None,
    }
}

/// An email to each member of the scheme's organisation.
pub(super) async fn to_members(
    ctx: Ctx<'_>,
    scheme: &SchemeRow,
    make: impl Fn(&str, &str) -> crate::mail::OutgoingMail,
) -> Result<Vec<crate::mail::OutgoingMail>, sqlx::Error> {
    let mut conn = ctx.pool.acquire().await?;
    let members = db::bids::member_emails(&mut conn, scheme.organisation_id).await?;
    Ok(members
        .iter()
        .map(|m| make(&m.email, &m.full_name))
        .collect())
}

/// The address of a page under the scheme (`path` like "/returns/4"), for mail.
pub(super) fn link(ctx: Ctx<'_>, scheme: &SchemeRow, path: &str) -> String {
    format!("{}/schemes/{}{path}", ctx.base_url, scheme.id)
}

impl From<AccessError> for crate::error::AppError {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::NotFound => crate::error::AppError::NotFound,
            AccessError::Forbidden => crate::error::AppError::Forbidden,
            AccessError::NotIndependent(why) => crate::error::AppError::Conflict(why),
            AccessError::Database(e) => e.into(),
        }
    }
}
