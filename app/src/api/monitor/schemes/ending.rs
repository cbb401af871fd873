//! A scheme that does not run its course (the rules are in
//! `crate::service::schemes::ending`): the organisation turns its award down; a commissioner
//! suspends payments with a support plan, resumes them, or ends the scheme early.
use crate::domain::monitoring::SuspensionForm;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::service::schemes::{self as service, ChangeError},
    serde::Serialize,
};

/// The kept forms of the pages these post from.
pub const TURN_DOWN_FORM: &str = "turn_down";
pub const END_FORM: &str = "end_scheme";
pub const SUSPEND_FORM: &str = "suspend_scheme";

/// A refusal: a missing or forbidden record is the page's status; anything else goes back to
/// the form with what was typed.
#[cfg(feature = "ssr")]
pub(super) async fn refused<T: Serialize>(form: &str, typed: &T, e: ChangeError) -> AppError {
    match e {
        ChangeError::Access(a) if a.is_status() => auth::with_status(a.into()),
        e => auth::reject_with(form, typed, e.into()).await,
    }
}

#[cfg(feature = "ssr")]
pub(super) async fn done(scheme_id: i64, message: &str) -> Result<(), AppError> {
    let session = auth::session().await?;
    auth::notice_and_redirect(&session, message, &format!("/schemes/{scheme_id}")).await
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    pub reason: String,
    pub confirm: String,
}

/// A member of the organisation turns down an award not yet accepted, with a reason.
#[server(prefix = "/api", endpoint = "schemes/turn_down")]
pub async fn turn_down_award(
    scheme_id: i64,
    #[server(flatten)] form: ReasonForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    match service::turn_down(state.ctx(), &user.actor(), scheme_id, &form.reason).await {
        Ok(outcome) => {
            let released = state.deliver(outcome).await;
            let message = format!(
                "You have turned down the award. {} has gone back to the pooled fund",
                released.display()
            );
            done(scheme_id, &message).await
        }
        Err(e) => Err(refused(TURN_DOWN_FORM, &form, e).await),
    }
}

/// A commissioner ends a scheme early, with a reason and a confirmation.
#[server(prefix = "/api", endpoint = "schemes/end")]
pub async fn end_scheme(
    scheme_id: i64,
    #[server(flatten)] form: ReasonForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let confirmed = !form.confirm.is_empty();
    let actor = user.actor();
    let ended = service::end_early(state.ctx(), &actor, scheme_id, &form.reason, confirmed);
    match ended.await {
        Ok(outcome) => {
            let released = state.deliver(outcome).await;
            let message = format!(
                "The scheme has ended. {} released to the pooled fund",
                released.display()
            );
            done(scheme_id, &message).await
        }
        Err(e) => Err(refused(END_FORM, &form, e).await),
    }
}

/// A commissioner suspends a scheme's payments with a reason, a support plan and a review date.
#[server(prefix = "/api", endpoint = "schemes/suspend")]
pub async fn suspend_payments(
    scheme_id: i64,
    #[server(flatten)] form: SuspensionForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    match service::suspend(state.ctx(), &user.actor(), scheme_id, &form).await {
        Ok(outcome) => {
            state.deliver(outcome).await;
            done(
                scheme_id,
                "Payments are suspended. The organisation has been told",
            )
            .await
        }
        Err(e) => Err(refused(SUSPEND_FORM, &form, e).await),
    }
}

/// A commissioner resumes a suspended scheme's payments.
#[server(prefix = "/api", endpoint = "schemes/resume")]
pub async fn resume_payments(scheme_id: i64) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    match service::resume(state.ctx(), &user.actor(), scheme_id).await {
        Ok(outcome) => {
            state.deliver(outcome).await;
            done(
                scheme_id,
                "Payments have resumed. The organisation has been told",
            )
            .await
        }
        Err(e) => {
            let form = crate::api::monitor::schemes::SCHEME_FORM;
            Err(refused(form, &(), e).await)
        }
    }
}
