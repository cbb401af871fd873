//! Monitoring returns: the organisation fills one in (a draft, then sends it); a commissioner
//! accepts it or asks for changes with a comment.
use super::schemes::{entry, independent, link, scheme_for, to_members, AccessError, Need};
use super::{Actor, Ctx, Done};
use crate::db;
use crate::db::returns::ReturnRow;
use crate::db::schemes::SchemeRow;
use crate::domain::monitoring::{self as m, ReturnForm, SchemeStatus};
use crate::domain::time::UtcTime;
use crate::error::{AppError, FieldError};

/// Why a return was not saved or reviewed (nothing was changed, except that a return that
/// failed its checks on sending is kept as a draft).
#[derive(Debug, thiserror::Error)]
pub enum ReturnError {
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("Accept the award before you send monitoring returns")]
    NotAccepted,
    #[error("This return cannot be changed: it is {status}")]
    Closed { status: String },
    #[error("You can fill in return {position} from {from}, once its period has ended")]
    NotYet { position: u32, from: String },
    #[error("This return has just been sent by someone else")]
    SentMeanwhile,
    #[error("This return is {status}: there is nothing to review")]
    NothingToReview { status: String },
    /// Not found, not theirs to do, not independent, or the database failed.
    #[error(transparent)]
    Access(#[from] AccessError),
}

impl From<sqlx::Error> for ReturnError {
    fn from(e: sqlx::Error) -> Self {
        ReturnError::Access(AccessError::Database(e))
    }
}

impl From<ReturnError> for AppError {
    fn from(e: ReturnError) -> Self {
        match e {
            ReturnError::Access(e) => e.into(),
            ReturnError::Invalid(errors) => AppError::Invalid(errors),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

/// One of the scheme's returns; any other id does not exist here.
async fn return_of(
    ctx: Ctx<'_>,
    scheme: &SchemeRow,
    return_id: i64,
) -> Result<ReturnRow, ReturnError> {
    let mut conn = ctx.pool.acquire().await?;
    db::returns::returns(&mut conn, scheme.id)
        .await?
        .into_iter()
        .find(|r| r.id == return_id)
        .ok_or(ReturnError::Access(AccessError::NotFound))
}

/// What became of a return that was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub position: u32,
    pub sent: bool,
}

/// A member of the organisation saves a return as a draft, or sends it (`send`). Sending
/// checks every part; when that fails, what was typed is still kept as a draft (the parts
/// that read) and the errors come back.
pub async fn save(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    return_id: i64,
    form: &ReturnForm,
    send: bool,
) -> Result<Done<Saved>, ReturnError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Member).await?;
    let r = return_of(ctx, &scheme, return_id).await?;
    let mut conn = ctx.pool.acquire().await?;
    let measures = db::measures::named(&mut conn, scheme.round_id).await?;
    drop(conn);
    if !scheme.status.running() || !r.status.open() {
        return Err(if scheme.status == SchemeStatus::Awarded {
            ReturnError::NotAccepted
        } else {
            ReturnError::Closed {
                status: r.status.label().to_lowercase(),
            }
        });
    }
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    if !m::reportable(r.period_end, today) {
        return Err(ReturnError::NotYet {
            position: r.position,
            from: crate::domain::date::display_date(m::reportable_from(r.period_end)),
        });
    }
    let content = match form.parse(&measures, send) {
        Ok(content) => content,
        Err(errors) => {
            if send {
                if let Ok(draft) = form.parse(&measures, false) {
                    let mut tx = ctx.pool.begin().await?;
                    db::returns::save_return(
                        &mut tx,
                        return_id,
                        form,
                        &draft,
                        false,
                        actor.id,
                        UtcTime::now(),
                    )
                    .await?;
                    tx.commit().await?;
                }
            }
            return Err(ReturnError::Invalid(errors));
        }
    };
    let now = UtcTime::now();
    let mut tx = ctx.pool.begin().await?;
    if !db::returns::save_return(&mut tx, return_id, form, &content, send, actor.id, now).await? {
        return Err(ReturnError::SentMeanwhile);
    }
    if send {
        let summary = format!(
            "Monitoring return {} sent by {}: grant dependency {}%",
            r.position,
            actor.full_name,
            m::percent(content.figures.dependency())
        );
        db::audit::record(&mut tx, entry(actor, &scheme, "return.sent", summary)).await?;
    }
    tx.commit().await?;
    Ok(Done {
        value: Saved {
            position: r.position,
            sent: send,
        },
        mail: Vec::new(),
    })
}

/// A commissioner's review of a sent return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnReview {
    Accept,
    /// Changes asked for, with a comment the organisation is emailed.
    Changes,
}

/// Parse a review as typed: "accept" or "changes" (which needs a comment).
pub fn parse_review(
    decision: &str,
    comment: &str,
) -> Result<(ReturnReview, String), Vec<FieldError>> {
    let comment = comment.trim().to_string();
    let mut errors = Vec::new();
    let review = match decision {
        "accept" => Some(ReturnReview::Accept),
        "changes" => Some(ReturnReview::Changes),
        _ => {
            errors.push(FieldError::new(
                "decision",
                "Select accept, or ask for changes",
            ));
            None
        }
    };
    if review == Some(ReturnReview::Changes) && comment.is_empty() {
        errors.push(FieldError::new("comment", "Enter the changes you need"));
    }
    if comment.chars().count() > m::NARRATIVE_CHARS {
        errors.push(FieldError::new(
            "comment",
            format!(
                "The comment must be {} characters or fewer",
                m::NARRATIVE_CHARS
            ),
        ));
    }
    match review {
        Some(review) if errors.is_empty() => Ok((review, comment)),
        _ => Err(errors),
    }
}

/// A commissioner accepts a sent return, or asks for changes with a comment (emailed to the
/// organisation's members). The outcome is the notice for the commissioner.
pub async fn review(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    return_id: i64,
    decision: &str,
    comment: &str,
) -> Result<Done<String>, ReturnError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    let (review, comment) = parse_review(decision, comment).map_err(ReturnError::Invalid)?;
    independent(ctx, actor, &scheme).await?;
    let r = return_of(ctx, &scheme, return_id).await?;
    let accept = review == ReturnReview::Accept;
    let now = UtcTime::now();
    let mut tx = ctx.pool.begin().await?;
    if !db::returns::review_return(&mut tx, return_id, accept, &comment, actor.id, now).await? {
        return Err(ReturnError::NothingToReview {
            status: r.status.label().to_lowercase(),
        });
    }
    let position = r.position;
    let (action, summary, message) = match review {
        ReturnReview::Accept => (
            "return.accepted",
            format!("Monitoring return {position} accepted"),
            format!("Monitoring return {position} accepted"),
        ),
        ReturnReview::Changes => (
            "return.changes_requested",
            format!("Changes asked for in monitoring return {position}: {comment}"),
            format!("Changes asked for in monitoring return {position}"),
        ),
    };
    db::audit::record(&mut tx, entry(actor, &scheme, action, summary)).await?;
    tx.commit().await?;
    let mail = if accept {
        Vec::new()
    } else {
        let link = link(ctx, &scheme, &format!("/returns/{return_id}"));
        to_members(ctx, &scheme, |to, name| {
            crate::mail::return_changes(
                to,
                name,
                &scheme.organisation_name,
                position,
                &comment,
                &link,
            )
        })
        .await?
    };
    Ok(Done {
        value: message,
        mail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_for_changes_needs_a_comment() {
        assert_eq!(
            parse_review("accept", "  "),
            Ok((ReturnReview::Accept, String::new()))
        );
        assert_eq!(
            parse_review("changes", " Add the volunteers' hours "),
            Ok((ReturnReview::Changes, "Add the volunteers' hours".into()))
        );
        let fields = |r: Result<(ReturnReview, String), Vec<FieldError>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(parse_review("", "")), ["decision"]);
        assert_eq!(fields(parse_review("changes", "")), ["comment"]);
        let long = "x".repeat(m::NARRATIVE_CHARS + 1);
        assert_eq!(fields(parse_review("accept", &long)), ["comment"]);
    }
}
