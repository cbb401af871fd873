//! Decisions (commissioners): award, decline with feedback, reserve list, one bid or a
//! batch, and releasing unawarded money.
use crate::domain::decision::DecisionForm;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::moderation::{draft_feedback_from, moderation_for, ModerationRow, MODERATE_FORM},
    crate::auth,
    crate::auth::require_commissioner as commissioner,
    crate::db,
    crate::service::decisions::{self as service, Decide, DecisionError},
};

/// Record a decision on one bid. An award commits the money from the round's envelope and
/// the pooled fund in the same transaction (refused, changing nothing, when either would be
/// overdrawn), creates the funded scheme with tranches of 50/30/20%, and emails the
/// organisation's members; a decline emails the feedback.
#[server(prefix = "/api", endpoint = "decisions/decide")]
pub async fn decide_bid(
    round_id: i64,
    bid_id: i64,
    #[server(flatten)] form: DecisionForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let cmd = Decide {
        round_id,
        bid_id,
        form,
        start: crate::domain::date::uk_date(chrono::Utc::now()),
    };
    match service::decide(state.ctx(), user.id, &cmd).await {
        Ok(done) => {
            let message = state.deliver(done).await;
            let session = auth::session().await?;
            let to = format!("/fund/rounds/{round_id}/moderation?bid={bid_id}#bid-{bid_id}");
            auth::notice_and_redirect(&session, &message, &to).await?;
            Ok(())
        }
        Err(DecisionError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => Err(auth::reject_with(MODERATE_FORM, &cmd.form, e.into()).await),
    }
}

/// The same decision for every ticked bid (`bid[id]`): award each its request, decline each
/// with feedback drawn from its scores, or put each on the reserve list.
#[server(prefix = "/api", endpoint = "decisions/batch")]
pub async fn decide_batch(
    round_id: i64,
    #[server(default)] outcome: String,
    #[server(default)] bid: BTreeMap<String, String>,
    #[server(default)] award_before_scores: String,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let data = moderation_for(&state.pool, round_id)
        .await
        .map_err(auth::with_status)?;
    let chosen: Vec<&ModerationRow> = data
        .rows
        .iter()
        .filter(|r| bid.contains_key(&r.bid_id.to_string()))
        .collect();
    if let Err(errors) = crate::domain::decision::batch_choice(&outcome, chosen.len()) {
        // The page comes back with the decision chosen and the same bids ticked.
        let ticked: Vec<String> = chosen
            .iter()
            .map(|r| format!("bid[{}]", r.bid_id))
            .collect();
        let mut kept = vec![("outcome", outcome.as_str())];
        kept.extend(ticked.iter().map(|name| (name.as_str(), "1")));
        return Err(auth::reject_form("decide_batch", &kept, AppError::Invalid(errors)).await);
    }
    let choice = (outcome.as_str(), award_before_scores.as_str());
    let (done, refused) = decide_each(&state, user.id, &data, &chosen, choice).await?;
    let session = auth::session().await?;
    let mut message = format!("{done} decisions recorded");
    if !refused.is_empty() {
        message.push_str(&format!(". Not recorded: {}", refused.join("; ")));
    }
    auth::notice_and_redirect(
        &session,
        &message,
        &format!("/fund/rounds/{round_id}/moderation"),
    )
    .await?;
    Ok(())
}

/// The same decision on each chosen bid, its feedback drafted from its scores: how many
/// were recorded, and why each other one was not.
#[cfg(feature = "ssr")]
async fn decide_each(
    state: &crate::state::AppState,
    actor: i64,
    data: &crate::api::decide::moderation::ModerationData,
    chosen: &[&ModerationRow],
    (outcome, award_before_scores): (&str, &str),
) -> Result<(usize, Vec<String>), AppError> {
    let mut conn = state.pool.acquire().await?;
    let ids: Vec<i64> = chosen.iter().map(|r| r.bid_id).collect();
    let scores = db::decisions::scores_of_bids(&mut conn, data.round_id, &ids, true).await?;
    let purposes = service::draft_purposes(&mut conn, data.round_id, &ids).await?;
    drop(conn);
    let mut done = 0;
    let mut refused = Vec::new();
    for (row, purpose) in chosen.iter().zip(purposes) {
        let form = DecisionForm {
            outcome: outcome.to_string(),
            amount: row.requested.form_value(),
            conditions: String::new(),
            purpose,
            feedback: draft_feedback_from(data, row, &scores),
            returns_every: String::new(),
            award_before_scores: award_before_scores.to_string(),
            override_reason: String::new(),
            meeting: String::new(),
        };
        let cmd = Decide {
            round_id: data.round_id,
            bid_id: row.bid_id,
            form,
            start: crate::domain::date::uk_date(chrono::Utc::now()),
        };
        match service::decide(state.ctx(), actor, &cmd).await {
            Ok(decided) => {
                state.deliver(decided).await;
                done += 1;
            }
            Err(DecisionError::Invalid(errors)) => {
                let why: Vec<String> = errors.into_iter().map(|e| e.message).collect();
                refused.push(format!("{}: {}", row.reference, why.join(". ")));
            }
            Err(e) => refused.push(format!("{}: {}", row.reference, AppError::from(e))),
        }
    }
    Ok((done, refused))
}

/// Give the round's unawarded money back to the pooled fund: one action, audited.
#[server(prefix = "/api", endpoint = "decisions/release")]
pub async fn release_unawarded(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let released = match service::release_unawarded(state.ctx(), user.id, round_id).await {
        Ok(Some(released)) => released,
        Ok(None) | Err(DecisionError::NotFound) => {
            return Err(auth::with_status(AppError::NotFound))
        }
        // Shown in the moderation page's error summary.
        Err(e) => return Err(auth::reject_form("decide_batch", &[], e.into()).await),
    };
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{} released back to the pooled fund", released.display()),
        &format!("/fund/rounds/{round_id}/moderation"),
    )
    .await?;
    Ok(())
}
