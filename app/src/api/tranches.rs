//! Tranches of a funded scheme: the organisation sends evidence that a milestone is met;
//! a commissioner approves it and records the payment, or returns it with a reason.
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::api::schemes::{load_scheme, TRANCHE_FORM},
    crate::auth,
    crate::db,
    crate::domain::monitoring::SchemeStatus,
    crate::error::FieldError,
};

pub const EVIDENCE_CHARS: usize = 5_000;

/// The organisation sends evidence that a tranche's milestone is met.
#[server(prefix = "/api", endpoint = "schemes/evidence")]
pub async fn send_evidence(
    scheme_id: i64,
    tranche_id: i64,
    #[server(default)] evidence: String,
) -> Result<(), AppError> {
    let l = load_scheme(scheme_id).await?;
    l.member_only()?;
    let typed = [("evidence", evidence.as_str())];
    let text = crate::domain::text::required_text(
        "evidence",
        &evidence,
        "Enter how the milestone has been met",
        EVIDENCE_CHARS,
        "The evidence",
    )
    .map_err(|e| vec![e]);
    let text = match text {
        Ok(t) => t,
        Err(e) => return Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Invalid(e)).await),
    };
    let tranche = l.tranche(tranche_id).await?;
    if l.scheme.status == SchemeStatus::Awarded {
        return Err(auth::reject_form(
            TRANCHE_FORM,
            &typed,
            AppError::Conflict("Accept the award before you send evidence for a tranche".into()),
        )
        .await);
    }
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::schemes::submit_evidence(&mut tx, tranche_id, &text, l.user.id, &now).await? {
        drop(tx);
        return Err(auth::reject_form(
            TRANCHE_FORM,
            &typed,
            AppError::Conflict(format!(
                "Evidence for tranche {} cannot be sent now: it is {}",
                tranche.position,
                tranche.status.label().to_lowercase()
            )),
        )
        .await);
    }
    l.audit(
        &mut tx,
        "tranche.evidence_sent",
        format!(
            "Evidence sent for tranche {} by {}",
            tranche.position, l.user.full_name
        ),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Evidence for tranche {} sent", tranche.position),
        &format!("/schemes/{scheme_id}/tranches/{tranche_id}"),
    )
    .await?;
    Ok(())
}

/// A commissioner approves a tranche's evidence and records the payment (a ledger entry in
/// the pooled fund), or returns the evidence with a reason.
#[server(prefix = "/api", endpoint = "schemes/review_tranche")]
pub async fn review_tranche(
    scheme_id: i64,
    tranche_id: i64,
    #[server(default)] decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let l = load_scheme(scheme_id).await?;
    l.commissioner_only()?;
    let typed = [("decision", decision.as_str()), ("note", note.as_str())];
    let mut errors = Vec::new();
    if decision != "pay" && decision != "return" {
        errors.push(FieldError::new(
            "decision",
            "Select approve and pay, or return the evidence",
        ));
    }
    let note = note.trim().to_string();
    if decision == "return" && note.is_empty() {
        errors.push(FieldError::new(
            "note",
            "Enter why the evidence is returned and what is needed",
        ));
    }
    if note.chars().count() > EVIDENCE_CHARS {
        errors.push(FieldError::new(
            "note",
            format!("The note must be {EVIDENCE_CHARS} characters or fewer"),
        ));
    }
    if !errors.is_empty() {
        return Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Invalid(errors)).await);
    }
    let tranche = l.tranche(tranche_id).await?;
    let mut conn = l.state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, l.scheme.round_id)
        .await?
        .ok_or(AppError::Internal)?;
    drop(conn);
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    let refused = |message: String| async {
        Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Conflict(message)).await)
    };
    let paid = if decision == "pay" {
        // The tranche first: of two approvals at once, only one finds it unpaid.
        let Some(amount) =
            db::schemes::pay_tranche(&mut tx, tranche_id, &note, l.user.id, &now).await?
        else {
            drop(tx);
            let why = if l.scheme.accepted_at.is_none() {
                "The award has not been accepted yet: a tranche cannot be paid before it is"
                    .to_string()
            } else {
                format!(
                    "Tranche {} cannot be paid: it is {}",
                    tranche.position,
                    tranche.status.label().to_lowercase()
                )
            };
            return refused(why).await;
        };
        let fund_id = round.fund_id.ok_or(AppError::Internal)?;
        let reason = format!(
            "Tranche {} to {}",
            tranche.position, l.scheme.organisation_name
        );
        if !db::fund::pay(
            &mut tx,
            fund_id,
            l.scheme.round_id,
            amount,
            &reason,
            l.user.id,
            &now,
        )
        .await?
        {
            drop(tx);
            return refused("The pooled fund's payments would exceed what it has committed".into())
                .await;
        }
        l.audit(
            &mut tx,
            "tranche.paid",
            format!(
                "Tranche {} approved and {} paid",
                tranche.position,
                amount.display()
            ),
        )
        .await?;
        Some(amount)
    } else {
        if !db::schemes::return_evidence(&mut tx, tranche_id, &note, l.user.id, &now).await? {
            drop(tx);
            return refused(format!(
                "Tranche {} has no evidence waiting for review",
                tranche.position
            ))
            .await;
        }
        l.audit(
            &mut tx,
            "tranche.returned",
            format!("Evidence for tranche {} returned: {note}", tranche.position),
        )
        .await?;
        None
    };
    tx.commit().await?;
    let link = l.link(&format!("/tranches/{tranche_id}"));
    let amount_text = paid.map(|p| p.display());
    l.tell_members(|to, name| {
        crate::mail::tranche_reviewed(
            to,
            name,
            &l.scheme.organisation_name,
            tranche.position,
            amount_text.as_deref(),
            &note,
            &link,
        )
    })
    .await?;
    let session = auth::session().await?;
    let message = match paid {
        Some(p) => format!(
            "Tranche {} approved: {} paid",
            tranche.position,
            p.display()
        ),
        None => format!(
            "Evidence for tranche {} returned to the organisation",
            tranche.position
        ),
    };
    auth::notice_and_redirect(&session, &message, &format!("/schemes/{scheme_id}")).await?;
    Ok(())
}
