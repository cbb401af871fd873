//! A shortlisted bid's invitation to an interview or presentation, and the organisation's
//! reply (its members; commissioners read it).
use super::*;
use crate::api::decide::interviews::InterviewView;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidInterviewData {
    pub bid: BidHeader,
    pub interview: InterviewView,
    /// Why a reply cannot be given ('' when it can).
    pub why_not: String,
}

#[server(prefix = "/api", endpoint = "bids/interview")]
pub async fn bid_interview(id: i64) -> Result<BidInterviewData, AppError> {
    let l = load(id).await?;
    let now = chrono::Utc::now();
    let mut conn = l.state.pool.acquire().await?;
    let row = db::interviews::for_bid(&mut conn, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let why_not = if !l.is_member {
        "Only the organisation's members can reply.".to_string()
    } else {
        crate::domain::interview::may_reply(row.held_at.0, now)
            .err()
            .unwrap_or_default()
            .to_string()
    };
    Ok(BidInterviewData {
        bid: l.header(),
        interview: crate::api::decide::interviews::interview_view(&row, now),
        why_not,
    })
}

/// The invitation on the bid's own page, if it has one.
#[cfg(feature = "ssr")]
pub(super) async fn interview_of(
    state: &AppState,
    bid_id: i64,
) -> Result<Option<InterviewView>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let now = chrono::Utc::now();
    Ok(db::interviews::for_bid(&mut conn, bid_id)
        .await?
        .map(|r| crate::api::decide::interviews::interview_view(&r, now)))
}

/// A member replies to the invitation: they will come, or ask for another time (saying when).
#[server(prefix = "/api", endpoint = "bids/interview_reply")]
pub async fn reply_to_interview(
    bid_id: i64,
    #[server(default)] reply: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let form = crate::domain::interview::ReplyForm { reply, note };
    match crate::service::interviews::reply(state.ctx(), user.id, bid_id, &form).await {
        Ok(done) => {
            let message = state.deliver(done).await;
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &message, &format!("/bids/{bid_id}")).await?;
            Ok(())
        }
        Err(e) => {
            let error: AppError = e.into();
            if matches!(error, AppError::NotFound | AppError::Forbidden) {
                return Err(auth::with_status(error));
            }
            let kept = [("reply", form.reply.as_str()), ("note", form.note.as_str())];
            Err(auth::reject_form("interview_reply", &kept, error).await)
        }
    }
}
