//! A funded scheme's monitoring (tranches and returns): who may act on a scheme, and what
//! their use cases share (audit entries, mail to the organisation's members).
use super::{Actor, Ctx};
use crate::db;

mod clawback;
mod ending;
mod variation;
mod variation_money;
mod variation_sign_off;
use crate::db::schemes::SchemeRow;
use crate::domain::roles::Role;
pub use clawback::*;
pub use ending::*;
pub use variation::*;
pub use variation_sign_off::*;

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
pub enum Need {
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

// ---- Accepting the award ----

/// Why an award was not accepted (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("Confirm that your organisation accepts the award and its conditions")]
    NotConfirmed,
    #[error("This award has already been accepted")]
    AlreadyAccepted,
    #[error("This award was turned down or has ended: it can no longer be accepted")]
    Closed,
}

impl From<sqlx::Error> for AcceptError {
    fn from(e: sqlx::Error) -> Self {
        AcceptError::Access(AccessError::Database(e))
    }
}

impl From<AcceptError> for crate::error::AppError {
    fn from(e: AcceptError) -> Self {
        match e {
            AcceptError::Access(e) => e.into(),
            AcceptError::NotConfirmed => crate::error::AppError::field("confirm", &e.to_string()),
            AcceptError::AlreadyAccepted | AcceptError::Closed => {
                crate::error::AppError::Conflict(e.to_string())
            }
        }
    }
}

/// A member of the organisation accepts the award and its conditions, once (audited with
/// their name).
pub async fn accept(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    confirmed: bool,
) -> Result<(), AcceptError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Member).await?;
    if matches!(
        scheme.status,
        crate::domain::monitoring::SchemeStatus::TurnedDown
            | crate::domain::monitoring::SchemeStatus::Closed
    ) {
        return Err(AcceptError::Closed);
    }
    if !confirmed {
        return Err(AcceptError::NotConfirmed);
    }
    let mut tx = ctx.pool.begin().await?;
    if !db::schemes::accept(&mut tx, scheme_id, actor.id, db::now()).await? {
        return Err(AcceptError::AlreadyAccepted);
    }
    let summary = format!(
        "{} accepted the award of {} for {}",
        actor.full_name,
        scheme.amount.display(),
        scheme.organisation_name
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "scheme.accepted", summary)).await?;
    tx.commit().await?;
    Ok(())
}

// ---- Graduation ----

/// Why a graduation was not confirmed (each is said against the confirmation).
#[derive(Debug, thiserror::Error)]
pub enum GraduationError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("Confirm that the scheme is self-sustaining")]
    NotConfirmed,
    #[error("This scheme is not proposed for graduation: its two latest returns must show no seed grant and cash income covering costs (volunteer time is not counted)")]
    NotProposed,
    #[error("Accept the scheme's latest monitoring return first: it becomes the final return")]
    LatestNotAccepted,
    #[error("This scheme has already been closed")]
    AlreadyClosed,
}

impl From<sqlx::Error> for GraduationError {
    fn from(e: sqlx::Error) -> Self {
        GraduationError::Access(AccessError::Database(e))
    }
}

impl From<GraduationError> for crate::error::AppError {
    fn from(e: GraduationError) -> Self {
        match e {
            GraduationError::Access(AccessError::NotIndependent(why)) => {
                crate::error::AppError::field("confirm", &why)
            }
            GraduationError::Access(e) => e.into(),
            refusal => crate::error::AppError::field("confirm", &refusal.to_string()),
        }
    }
}

/// A commissioner (independent of the organisation) confirms a proposed graduation: the
/// scheme is self-sustaining (audited, dated), its latest return, accepted, is the final
/// one, and the gaps ticked in `filled` (of the round's gaps) are marked filled. The value
/// is the organisation's name.
pub async fn graduate(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    confirmed: bool,
    filled: &[i64],
) -> Result<super::Done<String>, GraduationError> {
    use crate::domain::monitoring::{self as m, ReturnStatus, SchemeStatus};
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    if !confirmed {
        return Err(GraduationError::NotConfirmed);
    }
    independent(ctx, actor, &scheme).await?;
    let mut conn = ctx.pool.acquire().await?;
    let returns = db::returns::returns(&mut conn, scheme_id).await?;
    let gap_ids = db::rounds::gap_ids(&mut conn, scheme.round_id).await?;
    drop(conn);
    let reported: Vec<(u32, crate::domain::monitoring::Figures)> = returns
        .iter()
        .filter(|r| r.status.reported())
        .map(|r| (r.position, r.figures))
        .collect();
    if scheme.status != SchemeStatus::Active || !m::graduation_due(&reported) {
        return Err(GraduationError::NotProposed);
    }
    let final_return = returns
        .iter()
        .rfind(|r| r.status == ReturnStatus::Accepted)
        .filter(|f| reported.last().map(|r| r.0) == Some(f.position))
        .ok_or(GraduationError::LatestNotAccepted)?;
    let fund_id = fund_of(ctx, &scheme).await?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    // Unpaid tranches first (the order a payment takes its locks in): a self-sustaining
    // scheme needs no more seed money, so what was committed and not paid goes back.
    let released =
        db::tranches::release_unpaid(&mut tx, scheme_id, &[SchemeStatus::Active]).await?;
    if !db::schemes::graduate(&mut tx, scheme_id, final_return.position, actor.id, now).await? {
        return Err(GraduationError::AlreadyClosed);
    }
    let name = &scheme.organisation_name;
    if released.total.0 > 0 {
        db::schemes::add_released(&mut tx, scheme_id, released.total).await?;
        let reason = format!(
            "Self-sustaining: {} of {name}'s award not to be paid",
            released.total.display()
        );
        let money = (fund_id, &released);
        if !ending::decommit_released(&mut tx, scheme.round_id, money, &reason, actor.id, now)
            .await?
        {
            let disagree = "the fund's commitments would fall below its payments";
            return Err(sqlx::Error::Protocol(disagree.into()).into());
        }
    }
    let summary = format!(
        "{name} confirmed self-sustaining; return {} is the final return; {} of the award released to the fund",
        final_return.position,
        released.total.display()
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "scheme.graduated", summary)).await?;
    for gid in gap_ids.iter().filter(|g| filled.contains(g)) {
        if db::schemes::mark_gap_filled(&mut tx, *gid, now).await? {
            let filled = db::audit::Entry {
                actor: Some(actor.id),
                action: "gap.filled",
                subject_type: "gap",
                subject_id: gid.to_string(),
                summary: format!("Filled by {name}, now self-sustaining"),
                before: None,
                after: Some("Filled".into()),
            };
            db::audit::record(&mut tx, filled).await?;
        }
    }
    tx.commit().await?;
    Ok(super::Done {
        value: scheme.organisation_name,
        mail: Vec::new(),
    })
}
