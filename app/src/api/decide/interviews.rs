//! Interviews and presentations (commissioners): shortlisting a bid and inviting its
//! organisation, or changing the invitation; and the invitation as every page shows it.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::date::{display_date, uk_date, uk_time_value},
    crate::domain::time::UtcTime,
};

/// An invitation as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterviewView {
    /// "Interview" or "Presentation, then questions from the panel".
    pub format: String,
    pub format_code: String,
    /// "14 January 2027 at 2pm".
    pub when: String,
    pub place: String,
    pub attendees: String,
    /// "Will come", "Asked for another time", or "No reply yet".
    pub reply: String,
    pub reply_note: String,
    /// The organisation asked for another time.
    pub rearrange: bool,
    /// The interview has taken place (its criteria can be scored).
    pub held: bool,
    /// The date boxes and time, to change it: (day, month, year, time).
    pub parts: (String, String, String, String),
}

#[cfg(feature = "ssr")]
pub fn interview_view(
    row: &db::interviews::InterviewRow,
    now: chrono::DateTime<chrono::Utc>,
) -> InterviewView {
    use crate::domain::interview::{interview_held, InterviewFormat, InterviewReply};
    use chrono::Datelike;
    let day = uk_date(row.held_at.0);
    let reply = match row.reply() {
        Some(InterviewReply::Attending) => "Will come".to_string(),
        Some(InterviewReply::Rearrange) => "Asked for another time".to_string(),
        None => "No reply yet".to_string(),
    };
    let replied = row
        .replied_at
        .map(|at| format!(" ({})", display_date(uk_date(at.0))))
        .unwrap_or_default();
    InterviewView {
        format: match row.format {
            InterviewFormat::Interview => "Interview".to_string(),
            InterviewFormat::Presentation => {
                "Presentation, then questions from the panel".to_string()
            }
        },
        format_code: row.format.code().to_string(),
        when: UtcTime(row.held_at.0).display_uk(),
        place: row.place.clone(),
        attendees: row.attendees.clone(),
        reply: format!("{reply}{replied}"),
        reply_note: row.reply_note.clone(),
        rearrange: row.reply() == Some(InterviewReply::Rearrange),
        held: interview_held(Some(row.held_at.0), now),
        parts: (
            day.day().to_string(),
            day.month().to_string(),
            day.year().to_string(),
            uk_time_value(row.held_at.0),
        ),
    }
}

/// The invitation form's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationData {
    pub bid_id: i64,
    pub round_id: i64,
    pub reference: String,
    pub organisation: String,
    pub round_title: String,
    pub current: Option<InterviewView>,
    /// Why this bid cannot be invited ('' when it can).
    pub why_not: String,
}

#[server(prefix = "/api", endpoint = "interviews/invitation")]
pub async fn invitation_page(bid_id: i64) -> Result<InvitationData, AppError> {
    let (state, _) = auth::require_commissioner().await?;
    let now = chrono::Utc::now();
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let round = db::rounds::round(&mut conn, bid.round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let decided = db::decisions::recorded(&mut conn, bid_id).await?.is_some();
    let current = db::interviews::for_bid(&mut conn, bid_id)
        .await?
        .map(|r| interview_view(&r, now));
    let sent = matches!(
        bid.status,
        crate::domain::bid::BidStatus::Submitted | crate::domain::bid::BidStatus::UnderAssessment
    );
    let closed = !matches!(
        round.phase_at(now),
        crate::domain::round::RoundStatus::Draft
            | crate::domain::round::RoundStatus::Published
            | crate::domain::round::RoundStatus::Open
    );
    let why_not = crate::domain::interview::may_invite(sent, closed, decided)
        .err()
        .unwrap_or_default()
        .to_string();
    Ok(InvitationData {
        bid_id,
        round_id: bid.round_id,
        reference: bid.reference.unwrap_or_default(),
        organisation: bid.organisation_name,
        round_title: bid.round_title,
        current,
        why_not,
    })
}

/// Shortlist a bid and invite its organisation (or change the invitation).
#[server(prefix = "/api", endpoint = "interviews/invite")]
pub async fn invite_to_interview(
    bid_id: i64,
    #[server(flatten)] form: crate::domain::interview::InvitationForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_commissioner().await?;
    match crate::service::interviews::invite(state.ctx(), user.id, bid_id, &form).await {
        Ok(done) => {
            let (message, round_id) = state.deliver(done).await;
            let session = auth::session().await?;
            let to = format!("/fund/rounds/{round_id}/moderation/bids/{bid_id}");
            auth::notice_and_redirect(&session, &message, &to).await?;
            Ok(())
        }
        Err(e) => {
            let error: AppError = e.into();
            if matches!(error, AppError::NotFound | AppError::Forbidden) {
                return Err(auth::with_status(error));
            }
            let kept = [
                ("format", form.format.as_str()),
                ("on_day", form.on_day.as_str()),
                ("on_month", form.on_month.as_str()),
                ("on_year", form.on_year.as_str()),
                ("time", form.time.as_str()),
                ("place", form.place.as_str()),
                ("attendees", form.attendees.as_str()),
            ];
            Err(auth::reject_form("interview_invite", &kept, error).await)
        }
    }
}
