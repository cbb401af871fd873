//! A round's lifecycle (the rules are in `crate::service::rounds`): publishing, a new
//! version after publishing, and starting assessment.
use super::*;

#[cfg(feature = "ssr")]
use crate::service::rounds as service;

/// Publish a draft: check it is complete, lock it and reserve its envelope from the fund,
/// all in one transaction. Refused, changing nothing, when the fund has too little left.
#[server(prefix = "/api", endpoint = "rounds/publish")]
pub async fn publish_round(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    if let Err(e) = service::publish(state.ctx(), user.id, round_id).await {
        return Err(refused("round_action", &[], e).await);
    }
    let notice = "Round published. Its budget envelope is reserved from the pooled fund";
    done(notice, format!("/fund/rounds/{round_id}")).await
}

/// A change after publishing: the round goes back to draft as a new version (not open to
/// bids meanwhile) and its reservation is released; publishing again reserves it again.
#[server(prefix = "/api", endpoint = "rounds/new_version")]
pub async fn new_version(round_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let typed = [("reason", reason.as_str())];
    if let Err(e) = service::new_version(state.ctx(), user.id, round_id, &reason).await {
        return Err(refused("new_version", &typed, e).await);
    }
    done(
        "The round is a draft again. Make your changes, then publish it",
        format!("/fund/rounds/{round_id}"),
    )
    .await
}

/// After the deadline a commissioner starts assessment.
#[server(prefix = "/api", endpoint = "rounds/start_assessment")]
pub async fn start_assessment(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    if let Err(e) = service::start_assessment(state.ctx(), user.id, round_id).await {
        return Err(refused("round_action", &[], e).await);
    }
    done("Assessment started", format!("/fund/rounds/{round_id}")).await
}
