//! Tranches of a funded scheme (the rules are in `crate::service::tranches`): the
//! organisation sends evidence that a milestone is met; a commissioner approves it (or
//! returns it with a reason) and another records the payment.
use crate::domain::monitoring::{OutcomeForm, PaymentForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

/// A tranche's outcome as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeView {
    /// "Falls avoided: 40 in all".
    pub target: String,
    /// "12 so far, over every return sent".
    pub progress: String,
    pub reached: bool,
    /// The measure's name, and each reported return's (period, figure).
    pub measure: String,
    pub figures: Vec<(String, String)>,
    /// The form's values: the measure chosen and the figure to reach as typed.
    pub measure_id: i64,
    pub target_value: String,
}

/// What the tranche page needs about outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrancheOutcomeData {
    pub outcome: Option<OutcomeView>,
    /// The round's measures (id, name), for a commissioner to choose from.
    pub measures: Vec<(i64, String)>,
}

/// The outcome a tranche is tied to and the figures reported against it; for the
/// organisation's members and commissioners (as the scheme page).
#[server(prefix = "/api", endpoint = "schemes/tranche_outcome")]
pub async fn tranche_outcome(
    scheme_id: i64,
    tranche_id: i64,
) -> Result<TrancheOutcomeData, AppError> {
    let l = crate::api::monitor::schemes::load_scheme(scheme_id).await?;
    let mut conn = l.state.pool.acquire().await?;
    let tranche = crate::db::tranches::tranches(&mut conn, scheme_id)
        .await?
        .into_iter()
        .find(|t| t.id == tranche_id)
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let round = l.scheme.round_id;
    let measures = crate::db::measures::named(&mut conn, round).await?;
    let status = service::outcome_status(&mut conn, &measures, &tranche).await?;
    let outcome = status.map(|o| OutcomeView {
        target: o.target_text(),
        progress: o.progress_text(),
        reached: o.reached,
        measure: o.name.clone(),
        figures: o
            .reported
            .iter()
            .map(|r| {
                let period =
                    crate::api::monitor::schemes::period_text(r.period_start, r.period_end);
                (
                    format!("Return {}: {period}", r.position),
                    o.unit.display(r.value),
                )
            })
            .collect(),
        measure_id: tranche.measure_id.unwrap_or_default(),
        target_value: o.unit.form_value(o.target),
    });
    Ok(TrancheOutcomeData {
        outcome,
        measures: measures
            .into_iter()
            .map(|(id, name, _)| (id, name))
            .collect(),
    })
}

/// A commissioner ties a tranche to an outcome (a measure and the figure to reach), or
/// unties it (no measure chosen).
#[server(prefix = "/api", endpoint = "schemes/tranche_outcome_set")]
pub async fn set_tranche_outcome(
    scheme_id: i64,
    tranche_id: i64,
    #[server(flatten)] form: OutcomeForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let actor = user.actor();
    let typed = [
        ("measure_id", form.measure_id.as_str()),
        ("target", form.target.as_str()),
    ];
    let set = service::set_outcome(state.ctx(), &actor, scheme_id, tranche_id, &form);
    let notice = match set.await {
        Ok(done) => state.deliver(done).await,
        Err(e) => return Err(refused(e, &typed).await),
    };
    let session = auth::session().await?;
    let to = format!("/schemes/{scheme_id}/tranches/{tranche_id}");
    auth::notice_and_redirect(&session, &notice, &to).await?;
    Ok(())
}
