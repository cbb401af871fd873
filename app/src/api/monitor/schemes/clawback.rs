//! Clawback (the rules are in `crate::service::schemes::clawback`): a commissioner asks a
//! scheme to repay money, then records the repayments received.
use crate::domain::monitoring::{ClawbackForm, RepaymentForm};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ending::{done, refused},
    crate::service::schemes as service,
};

/// The kept forms of the pages these post from.
pub const CLAWBACK_FORM: &str = "clawback";
pub const REPAYMENT_FORM: &str = "repayment";

/// A commissioner asks the organisation to repay money, with a reason and a due date.
#[server(prefix = "/api", endpoint = "schemes/clawback")]
pub async fn ask_for_repayment(
    scheme_id: i64,
    #[server(flatten)] form: ClawbackForm,
) -> Result<(), AppError> {
    let (state, user) = crate::auth::require_user().await?;
    match service::raise_clawback(state.ctx(), &user.actor(), scheme_id, &form).await {
        Ok(outcome) => {
            state.deliver(outcome).await;
            done(
                scheme_id,
                "The organisation has been asked to repay the money",
            )
            .await
        }
        Err(e) => Err(refused(CLAWBACK_FORM, &form, e).await),
    }
}

/// A commissioner records money received against a clawback.
#[server(prefix = "/api", endpoint = "schemes/repayment")]
pub async fn record_repayment(
    scheme_id: i64,
    clawback_id: i64,
    #[server(flatten)] form: RepaymentForm,
) -> Result<(), AppError> {
    let (state, user) = crate::auth::require_user().await?;
    let actor = user.actor();
    let recorded = service::record_repayment(state.ctx(), &actor, scheme_id, clawback_id, &form);
    match recorded.await {
        Ok(outcome) => {
            let left = state.deliver(outcome).await;
            let message = if left.0 == 0 {
                "Repayment recorded: the money has been repaid in full".to_string()
            } else {
                format!(
                    "Repayment recorded: {} is still to be repaid",
                    left.display()
                )
            };
            done(scheme_id, &message).await
        }
        Err(e) => Err(refused(REPAYMENT_FORM, &form, e).await),
    }
}
