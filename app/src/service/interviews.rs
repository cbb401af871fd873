//! Interviews and presentations: a commissioner shortlists a sent bid and invites its
//! organisation (or changes the invitation, which asks for a new reply); a member of the
//! organisation replies. Each is audited and emailed.
use super::{Ctx, Done};
use crate::db;
use crate::domain::bid::BidStatus;
use crate::domain::interview::{may_invite, may_reply, InvitationForm, ReplyForm};
use crate::domain::round::RoundStatus;
use crate::domain::time::UtcTime;
use crate::error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum InterviewError {
    #[error("page not found")]
    NotFound,
    #[error("only the organisation's members can reply")]
    NotAMember,
    #[error("{0}")]
    Refused(&'static str),
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<InterviewError> for crate::error::AppError {
    fn from(e: InterviewError) -> Self {
        match e {
            InterviewError::NotFound => crate::error::AppError::NotFound,
            InterviewError::NotAMember => crate::error::AppError::Forbidden,
            InterviewError::Refused(why) => crate::error::AppError::Conflict(why.to_string()),
            InterviewError::Invalid(errors) => crate::error::AppError::Invalid(errors),
            InterviewError::Database(e) => e.into(),
        }
    }
}

/// Shortlist `bid_id` and invite its organisation, or change its invitation. (The notice,
/// and the bid's round.)
pub async fn invite(
    ctx: Ctx<'_>,
    actor: i64,
    bid_id: i64,
    form: &InvitationForm,
) -> Result<Done<(String, i64)>, InterviewError> {
    let now = db::now();
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(InterviewError::NotFound)?;
    let round = db::rounds::round(&mut conn, bid.round_id)
        .await?
        .ok_or(InterviewError::NotFound)?;
    let decided = db::decisions::recorded(&mut conn, bid_id).await?.is_some();
    let before = db::interviews::for_bid(&mut conn, bid_id).await?;
    drop(conn);
    let sent = matches!(
        bid.status,
        BidStatus::Submitted | BidStatus::UnderAssessment
    );
    let closed = !matches!(
        round.phase_at(now.0),
        RoundStatus::Draft | RoundStatus::Published | RoundStatus::Open
    );
    may_invite(sent, closed, decided).map_err(InterviewError::Refused)?;
    let invitation = form.parse(now.0).map_err(InterviewError::Invalid)?;
    let mut tx = ctx.pool.begin().await?;
    db::interviews::invite(&mut tx, bid_id, &invitation, actor, now).await?;
    let when = UtcTime(invitation.at).display_uk();
    let (action, notice) = if before.is_some() {
        (
            "bid.interview_changed",
            format!(
                "{}'s invitation changed: {} on {when} at {}. They are asked to reply again",
                bid.organisation_name,
                invitation.format.noun(),
                invitation.place
            ),
        )
    } else {
        (
            "bid.interview_invited",
            format!(
                "{} shortlisted and invited to {} on {when} at {}",
                bid.organisation_name,
                match invitation.format {
                    crate::domain::interview::InterviewFormat::Interview => "an interview",
                    crate::domain::interview::InterviewFormat::Presentation => "a presentation",
                },
                invitation.place
            ),
        )
    };
    db::audit::entry(&mut tx, actor, action, ("bid", bid_id), notice.clone()).await?;
    let members = db::bids::member_emails(&mut tx, bid.organisation_id).await?;
    tx.commit().await?;
    let link = format!("{}/bids/{bid_id}/interview", ctx.base_url);
    let mail = members
        .iter()
        .map(|m| {
            crate::mail::interview_invitation(
                &m.email,
                &m.full_name,
                (&bid.organisation_name, &bid.round_title),
                &invitation,
                before.is_some(),
                &link,
            )
        })
        .collect();
    Ok(Done {
        value: (notice, bid.round_id),
        mail,
    })
}

/// A member of the bid's organisation replies to its invitation. (The notice.)
pub async fn reply(
    ctx: Ctx<'_>,
    actor: i64,
    bid_id: i64,
    form: &ReplyForm,
) -> Result<Done<String>, InterviewError> {
    let now = db::now();
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(InterviewError::NotFound)?;
    drop(conn);
    let (member, _) = db::organisations::connection(ctx.pool, bid.organisation_id, actor).await?;
    if !member {
        return Err(InterviewError::NotAMember);
    }
    let mut conn = ctx.pool.acquire().await?;
    let interview = db::interviews::for_bid(&mut conn, bid_id)
        .await?
        .ok_or(InterviewError::NotFound)?;
    drop(conn);
    may_reply(interview.held_at.0, now.0).map_err(InterviewError::Refused)?;
    let (answer, note) = form.parse().map_err(InterviewError::Invalid)?;
    let mut tx = ctx.pool.begin().await?;
    db::interviews::reply(&mut tx, bid_id, answer, &note, actor, now).await?;
    let summary = if note.is_empty() {
        format!("{} replied: {}", bid.organisation_name, answer.label())
    } else {
        format!(
            "{} replied: {}. {note}",
            bid.organisation_name,
            answer.label()
        )
    };
    db::audit::entry(
        &mut tx,
        actor,
        "bid.interview_reply",
        ("bid", bid_id),
        summary,
    )
    .await?;
    let inviter = db::interviews::inviter(&mut tx, bid_id).await?;
    tx.commit().await?;
    let link = format!(
        "{}/fund/rounds/{}/moderation/bids/{bid_id}",
        ctx.base_url, bid.round_id
    );
    let mail = inviter
        .map(|i| {
            crate::mail::interview_reply(
                &i.email,
                &i.full_name,
                &bid.organisation_name,
                (answer, &note),
                &link,
            )
        })
        .into_iter()
        .collect();
    Ok(Done {
        value: format!("Your reply has been sent: {}", answer.label()),
        mail,
    })
}
