//! Tranches of a funded scheme (the rules are in `crate::service::tranches`): the
//! organisation sends evidence that a milestone is met; a commissioner approves it (or
//! returns it with a reason) and another records the payment.
use crate::domain::monitoring::PaymentForm;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::api::monitor::schemes::TRANCHE_FORM,
    crate::auth,
    crate::service::tranches::{self as service, TrancheError},
};

/// A refusal: a missing or forbidden record is the page's status; anything else goes back
/// to the tranche's form with what was typed.
#[cfg(feature = "ssr")]
async fn refused(e: TrancheError, typed: &[(&str, &str)]) -> AppError {
    match e {
        TrancheError::Access(a) if a.is_status() => auth::with_status(a.into()),
        e => auth::reject_form(TRANCHE_FORM, typed, e.into()).await,
    }
}

/// The organisation sends evidence that a tranche's milestone is met.
#[server(prefix = "/api", endpoint = "schemes/evidence")]
pub async fn send_evidence(
    scheme_id: i64,
    tranche_id: i64,
    #[server(default)] evidence: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let actor = user.actor();
    let typed = [("evidence", evidence.as_str())];
    let sent = service::send_evidence(state.ctx(), &actor, scheme_id, tranche_id, &evidence);
    let position = match sent.await {
        Ok(done) => state.deliver(done).await,
        Err(e) => return Err(refused(e, &typed).await),
    };
    let session = auth::session().await?;
    let message = format!("Evidence for tranche {position} sent");
    let to = format!("/schemes/{scheme_id}/tranches/{tranche_id}");
    auth::notice_and_redirect(&session, &message, &to).await?;
    Ok(())
}

/// A commissioner approves a tranche's evidence (someone else then records the payment),
/// or returns it with a reason.
#[server(prefix = "/api", endpoint = "schemes/review_tranche")]
pub async fn review_tranche(
    scheme_id: i64,
    tranche_id: i64,
    #[server(default)] decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let actor = user.actor();
    let typed = [("decision", decision.as_str()), ("note", note.as_str())];
    let reviewed = service::review(state.ctx(), &actor, scheme_id, tranche_id, &decision, &note);
    let message = match reviewed.await {
        Ok(done) => state.deliver(done).await,
        Err(e) => return Err(refused(e, &typed).await),
    };
    let session = auth::session().await?;
    let to = format!("/schemes/{scheme_id}/tranches/{tranche_id}");
    auth::notice_and_redirect(&session, &message, &to).await?;
    Ok(())
}

/// Another commissioner, not the one who approved the evidence, records the payment of an
/// approved tranche: the finance system's reference and the date it was paid.
#[server(prefix = "/api", endpoint = "schemes/record_payment")]
pub async fn record_payment(
    scheme_id: i64,
    tranche_id: i64,
    #[server(flatten)] form: PaymentForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let actor = user.actor();
    let typed = [
        ("reference", form.reference.as_str()),
        ("paid_day", form.paid_day.as_str()),
        ("paid_month", form.paid_month.as_str()),
        ("paid_year", form.paid_year.as_str()),
    ];
    let paid = service::pay(state.ctx(), &actor, scheme_id, tranche_id, &form);
    let paid = match paid.await {
        Ok(done) => state.deliver(done).await,
        Err(e) => return Err(refused(e, &typed).await),
    };
    let session = auth::session().await?;
    let message = format!(
        "Tranche {} paid: {} on {} (reference {})",
        paid.position,
        paid.amount.display(),
        crate::domain::date::display_date(paid.paid_on),
        paid.reference
    );
    auth::notice_and_redirect(&session, &message, &format!("/schemes/{scheme_id}")).await?;
    Ok(())
}
