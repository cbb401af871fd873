//! Bids: who may read a bid and who may change it now (the rule the pages, server functions
//! and the file routes all use), starting one, saving its sections, sending, withdrawing
//! and reopening it.
mod files;
mod section;
mod send;
mod start;
pub use files::*;
pub use section::*;
pub use send::*;
pub use start::*;

use super::{Actor, Ctx};
use crate::db;
use crate::db::bids::BidRow;
use crate::db::rounds::RoundRow;
use crate::domain::answers::{self, SectionContext};
use crate::domain::bid::BidStatus;
use crate::domain::roles::Role;
use crate::domain::round::{phase, RoundStatus};
use crate::error::{AppError, FieldError};

/// Why a bid may not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum BidError {
    /// No such bid, or it is not this person's to see.
    #[error("page not found")]
    NotFound,
    /// Seen by a commissioner, who may read it but not change it.
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("This round closed at {closed_at}. Bids can no longer be changed")]
    RoundClosed { closed_at: String },
    #[error("This bid has been sent. To change it, withdraw it first")]
    AlreadySent,
    #[error("This bid has already been sent")]
    SentAlready,
    #[error("This bid cannot be {verb} now: it is {status}")]
    CannotMove { verb: &'static str, status: String },
    #[error("Choose which organisation you are bidding for on the \"Your organisations\" page")]
    ChooseOrganisation,
    #[error("This round is not open for bids. It closes at {closes}")]
    NotOpen { closes: String },
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<BidError> for AppError {
    fn from(e: BidError) -> Self {
        match e {
            BidError::NotFound => AppError::NotFound,
            BidError::Forbidden => AppError::Forbidden,
            BidError::Invalid(errors) => AppError::Invalid(errors),
            BidError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

impl BidError {
    /// A refusal that is the page's own status (not found, not permitted) rather than a
    /// message on the form.
    pub fn is_status(&self) -> bool {
        matches!(self, BidError::NotFound | BidError::Forbidden)
    }
}

/// A bid as one person may see it: its round, whether they are a member of the bidding
/// organisation (otherwise a commissioner), and whether the round is open now.
#[derive(Debug, Clone)]
pub struct BidAccess {
    pub bid: BidRow,
    pub round: RoundRow,
    pub is_member: bool,
    pub round_open: bool,
}

impl BidAccess {
    /// Refuse a change that the actor, the deadline or the bid's status does not allow.
    pub fn check_can_change(&self) -> Result<(), BidError> {
        if !self.is_member {
            return Err(BidError::Forbidden);
        }
        if !self.round_open {
            return Err(BidError::RoundClosed {
                closed_at: crate::domain::time::display_uk(self.round.details.closes_at),
            });
        }
        if self.bid.status != BidStatus::Draft {
            return Err(BidError::AlreadySent);
        }
        Ok(())
    }

    /// May the actor change it now (members, while the round is open and it is a draft)?
    pub fn editable(&self) -> bool {
        self.check_can_change().is_ok()
    }
}

/// The bid, if the actor may see it: members of the bidding organisation and commissioners.
pub async fn access(ctx: Ctx<'_>, actor: &Actor, bid_id: i64) -> Result<BidAccess, BidError> {
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(BidError::NotFound)?;
    drop(conn);
    let is_member = db::organisations::role_of(ctx.pool, bid.organisation_id, actor.id)
        .await?
        .is_some();
    if !is_member && !actor.has(Role::Commissioner) {
        return Err(BidError::NotFound);
    }
    access_unchecked(ctx, bid_id, is_member).await
}

/// The bid without asking who may see it: the caller has checked (an assessor's page).
pub async fn access_unchecked(
    ctx: Ctx<'_>,
    bid_id: i64,
    is_member: bool,
) -> Result<BidAccess, BidError> {
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(BidError::NotFound)?;
    let round = db::rounds::round(&mut conn, bid.round_id)
        .await?
        .ok_or(BidError::NotFound)?;
    let d = &round.details;
    let round_open =
        phase(round.status, d.opens_at, d.closes_at, chrono::Utc::now()) == RoundStatus::Open;
    Ok(BidAccess {
        bid,
        round,
        is_member,
        round_open,
    })
}

/// For the upload route: may the actor change this bid's answers now?
pub async fn may_change(ctx: Ctx<'_>, actor: &Actor, bid_id: i64) -> Result<(), BidError> {
    access(ctx, actor, bid_id).await?.check_can_change()
}

/// What checking a bid's answers needs to know about its round and its files.
pub fn context(a: &BidAccess, files: Vec<i64>) -> SectionContext {
    let d = &a.round.details;
    SectionContext {
        funded_years: answers::funded_years(d.period_months),
        min_award: d.min_award,
        max_award: d.max_award,
        requested: a.bid.requested,
        files,
    }
}

/// An audit entry about a bid, with the change of status if there was one.
fn about(
    actor: &Actor,
    bid_id: i64,
    action: &'static str,
    summary: String,
    change: Option<(BidStatus, BidStatus)>,
) -> db::audit::Entry<'static> {
    db::audit::Entry {
        actor: Some(actor.id),
        action,
        subject_type: "bid",
        subject_id: bid_id.to_string(),
        summary,
        before: change.map(|(from, _)| from.label().to_string()),
        after: change.map(|(_, to)| to.label().to_string()),
    }
}
