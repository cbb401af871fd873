//! Monitoring returns: the organisation fills one in (draft, then send), a commissioner
//! accepts it or asks for changes with a comment.
use crate::domain::monitoring::{Figures, MeasureKind, ReturnForm, ReturnStatus};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::api::schemes::{load_scheme, period_text},
    crate::auth,
    crate::db,
    crate::domain::date::display_date,
    crate::domain::monitoring as m,
    crate::domain::roles::Role,
    crate::error::FieldError,
};

pub const RETURN_FORM: &str = "monitoring_return";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureView {
    pub id: i64,
    pub kind: MeasureKind,
    pub name: String,
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
    /// Members may change it (not yet sent, or sent back for changes).
    pub editable: bool,
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
    let when = |t: &Option<String>, by: &Option<String>| match (
        t.as_deref().and_then(crate::domain::time::from_db),
        by,
    ) {
        (Some(at), Some(by)) => format!("{} by {by}", crate::domain::time::display_uk(at)),
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
            && l.scheme.status == crate::domain::monitoring::SchemeStatus::Active,
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
                value: values
                    .iter()
                    .find(|v| v.0 == return_id && v.1 == mr.id)
                    .map(|v| v.2),
            })
            .collect(),
        narrative: r.narrative.clone(),
        risks: r.risks.clone(),
        planned: m::planned_dependency(&l.scheme.plan, l.scheme.starts_on, r.period_start)
            .map(m::percent),
        saved: when(&r.saved_at, &r.saved_by),
        submitted: when(&r.submitted_at, &r.submitted_by),
        review_comment: r.review_comment.clone(),
        reviewed: r
            .reviewed_at
            .as_deref()
            .and_then(crate::domain::time::from_db)
            .map(crate::domain::time::display_uk)
            .unwrap_or_default(),
    })
}

/// Save a return: `then` is "send" (every figure required, then it goes to the
/// commissioners) or "later" (a draft: only what was typed is checked). Typed values are
/// kept either way.
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
    let l = load_scheme(scheme_id).await?;
    if !l.is_member {
        return Err(auth::with_status(AppError::Forbidden));
    }
    let form = ReturnForm {
        money,
        measures: measure,
        narrative,
        risks,
    };
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
    let typed_ref: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = l.monitoring_return(return_id).await?;
    let mut conn = l.state.pool.acquire().await?;
    let measures: Vec<(i64, String)> = db::measures::measures(&mut conn, l.scheme.round_id)
        .await?
        .into_iter()
        .map(|mr| (mr.id, mr.name))
        .collect();
    drop(conn);
    if l.scheme.status != crate::domain::monitoring::SchemeStatus::Active || !r.status.open() {
        let why = if l.scheme.status == crate::domain::monitoring::SchemeStatus::Awarded {
            "Accept the award before you send monitoring returns".to_string()
        } else {
            format!(
                "This return cannot be changed: it is {}",
                r.status.label().to_lowercase()
            )
        };
        return Err(auth::reject_form(RETURN_FORM, &typed_ref, AppError::Conflict(why)).await);
    }
    let send = then == "send";
    // Keep what was typed first (a draft of the parts that read), then check for sending.
    let content = match form.parse(&measures, send) {
        Ok(c) => c,
        Err(errors) => {
            if send {
                if let Ok(draft) = form.parse(&measures, false) {
                    let mut tx = l.state.pool.begin().await?;
                    db::returns::save_return(
                        &mut tx,
                        return_id,
                        &form,
                        &draft,
                        false,
                        l.user.id,
                        &db::now(),
                    )
                    .await?;
                    tx.commit().await?;
                }
            }
            return Err(
                auth::reject_form(RETURN_FORM, &typed_ref, AppError::Invalid(errors)).await,
            );
        }
    };
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::returns::save_return(&mut tx, return_id, &form, &content, send, l.user.id, &now).await?
    {
        drop(tx);
        return Err(auth::reject_form(
            RETURN_FORM,
            &typed_ref,
            AppError::Conflict("This return has just been sent by someone else".into()),
        )
        .await);
    }
    if send {
        l.audit(
            &mut tx,
            "return.sent",
            format!(
                "Monitoring return {} sent by {}: grant dependency {}%",
                r.position,
                l.user.full_name,
                m::percent(content.figures.dependency())
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let session = auth::session().await?;
    if send {
        auth::notice_and_redirect(
            &session,
            &format!("Monitoring return {} sent", r.position),
            &format!("/schemes/{scheme_id}"),
        )
        .await?;
    } else {
        auth::notice_and_redirect(
            &session,
            &format!("Monitoring return {} saved as a draft", r.position),
            &format!("/schemes/{scheme_id}"),
        )
        .await?;
    }
    Ok(())
}

/// A commissioner accepts a sent return, or asks for changes with a comment (emailed).
#[server(prefix = "/api", endpoint = "returns/review")]
pub async fn review_monitoring_return(
    scheme_id: i64,
    return_id: i64,
    #[server(default)] decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let l = load_scheme(scheme_id).await?;
    if !l.user.has(Role::Commissioner) {
        return Err(auth::with_status(AppError::Forbidden));
    }
    let typed = [
        ("decision", decision.as_str()),
        ("comment", comment.as_str()),
    ];
    let comment = comment.trim().to_string();
    let mut errors = Vec::new();
    if decision != "accept" && decision != "changes" {
        errors.push(FieldError::new(
            "decision",
            "Select accept, or ask for changes",
        ));
    }
    if decision == "changes" && comment.is_empty() {
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
    if !errors.is_empty() {
        return Err(auth::reject_form(RETURN_FORM, &typed, AppError::Invalid(errors)).await);
    }
    if let Some(why) = l.not_independent().await? {
        return Err(auth::reject_form(RETURN_FORM, &typed, AppError::Conflict(why)).await);
    }
    let r = l.monitoring_return(return_id).await?;
    let accept = decision == "accept";
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::returns::review_return(&mut tx, return_id, accept, &comment, l.user.id, &now).await? {
        drop(tx);
        return Err(auth::reject_form(
            RETURN_FORM,
            &typed,
            AppError::Conflict(format!(
                "This return is {}: there is nothing to review",
                r.status.label().to_lowercase()
            )),
        )
        .await);
    }
    l.audit(
        &mut tx,
        if accept {
            "return.accepted"
        } else {
            "return.changes_requested"
        },
        if accept {
            format!("Monitoring return {} accepted", r.position)
        } else {
            format!(
                "Changes asked for in monitoring return {}: {comment}",
                r.position
            )
        },
    )
    .await?;
    tx.commit().await?;
    if !accept {
        let link = l.link(&format!("/returns/{return_id}"));
        l.tell_members(|to, name| {
            crate::mail::return_changes(
                to,
                name,
                &l.scheme.organisation_name,
                r.position,
                &comment,
                &link,
            )
        })
        .await?;
    }
    let session = auth::session().await?;
    let message = if accept {
        format!("Monitoring return {} accepted", r.position)
    } else {
        format!("Changes asked for in monitoring return {}", r.position)
    };
    auth::notice_and_redirect(&session, &message, &format!("/schemes/{scheme_id}")).await?;
    Ok(())
}
