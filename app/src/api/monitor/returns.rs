//! Monitoring returns: the organisation fills one in (draft, then send), a commissioner
//! accepts it or asks for changes with a comment.
use crate::domain::monitoring::{Figures, MeasureKind, MeasureUnit, ReturnForm, ReturnStatus};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::api::monitor::schemes::{load_scheme, period_text},
    crate::auth,
    crate::db,
    crate::domain::date::display_date,
    crate::domain::monitoring as m,
    crate::domain::roles::Role,
    crate::domain::time::UtcTime,
    crate::service::returns::{self as service, ReturnError},
};

pub const RETURN_FORM: &str = "monitoring_return";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureView {
    pub id: i64,
    pub kind: MeasureKind,
    pub name: String,
    /// How it is counted: how `value` is stored, typed and shown.
    pub unit: MeasureUnit,
    /// How to count it ("" if none given).
    #[serde(default)]
    pub guidance: String,
    pub value: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnPage {
    pub scheme_id: i64,
    pub return_id: i64,
    pub organisation_name: String,
    pub round_title: String,
    pub position: u32,
    pub period: String,
    pub due: String,
    pub overdue_days: Option<i64>,
    pub status: ReturnStatus,
    /// Members may change it (its period has ended; not yet sent, or sent back for changes).
    pub editable: bool,
    /// Its period has not ended: the day it can be filled in from.
    #[serde(default)]
    pub opens: Option<String>,
    pub is_member: bool,
    pub is_commissioner: bool,
    pub typed: ReturnForm,
    pub figures: Figures,
    pub measures: Vec<MeasureView>,
    pub narrative: String,
    pub risks: String,
    pub planned: Option<u32>,
    pub saved: String,
    pub submitted: String,
    pub review_comment: String,
    pub reviewed: String,
}

#[server(prefix = "/api", endpoint = "returns/view")]
pub async fn monitoring_return(scheme_id: i64, return_id: i64) -> Result<ReturnPage, AppError> {
    let l = load_scheme(scheme_id).await?;
    let r = l.monitoring_return(return_id).await?;
    let mut conn = l.state.pool.acquire().await?;
    let measures = db::measures::measures(&mut conn, l.scheme.round_id).await?;
    let values = db::returns::values(&mut conn, scheme_id).await?;
    drop(conn);
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let when = |t: &Option<UtcTime>, by: &Option<String>| match (t, by) {
        (Some(at), Some(by)) => format!("{} by {by}", at.display_uk()),
        _ => String::new(),
    };
    Ok(ReturnPage {
        scheme_id,
        return_id,
        organisation_name: l.scheme.organisation_name.clone(),
        round_title: l.scheme.round_title.clone(),
        position: r.position,
        period: period_text(r.period_start, r.period_end),
        due: display_date(r.due_on),
        overdue_days: (r.status.open() && r.due_on < today).then(|| (today - r.due_on).num_days()),
        status: r.status,
        editable: l.is_member
            && r.status.open()
            && m::reportable(r.period_end, today)
            && l.scheme.status.running(),
        opens: (!m::reportable(r.period_end, today))
            .then(|| display_date(m::reportable_from(r.period_end))),
        is_member: l.is_member,
        is_commissioner: l.user.has(Role::Commissioner),
        typed: r.typed.clone(),
        figures: r.figures,
        measures: measures
            .iter()
            .map(|mr| MeasureView {
                id: mr.id,
                kind: mr.kind,
                name: mr.name.clone(),
                unit: mr.unit,
                guidance: mr.guidance.clone(),
                value: values
                    .iter()
                    .find(|v| v.return_id == return_id && v.measure_id == mr.id)
                    .map(|v| v.value),
            })
            .collect(),
        narrative: r.narrative.clone(),
        risks: r.risks.clone(),
        planned: m::planned_dependency(&l.scheme.plan, l.scheme.starts_on, r.period_start)
            .map(m::percent),
        saved: when(&r.saved_at, &r.saved_by),
        submitted: when(&r.submitted_at, &r.submitted_by),
        review_comment: r.review_comment.clone(),
        reviewed: r.reviewed_at.map(UtcTime::display_uk).unwrap_or_default(),
    })
}

/// Save a return: `then` is "send" (every figure required, then it goes to the
/// commissioners) or "later" (a draft: only what was typed is checked). Typed values are
/// kept either way.
/// A refusal: a missing or forbidden record is the page's status; anything else goes back
/// to the return's form with what was typed.
#[cfg(feature = "ssr")]
async fn refused(e: ReturnError, typed: &[(&str, &str)]) -> AppError {
    match e {
        ReturnError::Access(a) if a.is_status() => auth::with_status(a.into()),
        e => auth::reject_form(RETURN_FORM, typed, e.into()).await,
    }
}

/// The organisation saves a return as a draft or sends it (`then` is "send").
#[server(prefix = "/api", endpoint = "returns/save")]
pub async fn save_monitoring_return(
    scheme_id: i64,
    return_id: i64,
    #[server(default)] money: BTreeMap<String, String>,
    #[server(default)] measure: BTreeMap<String, String>,
    #[server(default)] narrative: String,
    #[server(default)] risks: String,
    #[server(default)] then: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let actor = user.actor();
    let form = ReturnForm {
        money,
        measures: measure,
        narrative,
        risks,
    };
    let saved = service::save(
        state.ctx(),
        &actor,
        scheme_id,
        return_id,
        &form,
        then == "send",
    );
    let saved = match saved.await {
        Ok(done) => state.deliver(done).await,
        Err(e) => {
            let typed = typed_return(&form);
            let typed: Vec<(&str, &str)> = typed
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            return Err(refused(e, &typed).await);
        }
    };
    let message = if saved.sent {
        format!("Monitoring return {} sent", saved.position)
    } else {
        format!("Monitoring return {} saved as a draft", saved.position)
    };
    let session = auth::session().await?;
    auth::notice_and_redirect(&session, &message, &format!("/schemes/{scheme_id}")).await?;
    Ok(())
}

/// A return's fields as typed, by their names on the form.
#[cfg(feature = "ssr")]
fn typed_return(form: &ReturnForm) -> Vec<(String, String)> {
    let mut typed: Vec<(String, String)> = form
        .money
        .iter()
        .map(|(k, v)| (m::money_field(k), v.clone()))
        .chain(
            form.measures
                .iter()
                .map(|(k, v)| (format!("measure[{k}]"), v.clone())),
        )
        .collect();
    typed.push(("narrative".into(), form.narrative.clone()));
    typed.push(("risks".into(), form.risks.clone()));
    typed
}

/// A commissioner accepts a sent return, or asks for changes with a comment (emailed).
#[server(prefix = "/api", endpoint = "returns/review")]
pub async fn review_monitoring_return(
    scheme_id: i64,
    return_id: i64,
    #[server(default)] decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let actor = user.actor();
    let typed = [
        ("decision", decision.as_str()),
        ("comment", comment.as_str()),
    ];
    let reviewed = service::review(
        state.ctx(),
        &actor,
        scheme_id,
        return_id,
        &decision,
        &comment,
    );
    let message = match reviewed.await {
        Ok(done) => state.deliver(done).await,
        Err(e) => return Err(refused(e, &typed).await),
    };
    let session = auth::session().await?;
    auth::notice_and_redirect(&session, &message, &format!("/schemes/{scheme_id}")).await?;
    Ok(())
}
