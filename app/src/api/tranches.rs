//! Tranches of a funded scheme: the organisation sends evidence that a milestone is met;
//! a commissioner approves it (or returns it with a reason) and another records the payment.
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

/// A commissioner approves a tranche's evidence (someone else then records the payment),
/// or returns it with a reason. No one reviews for an organisation they belong to or have
/// declared a conflict with.
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
    if decision != "approve" && decision != "return" {
        errors.push(FieldError::new(
            "decision",
            "Select approve the evidence, or return the evidence",
        ));
    }
    let note = match crate::domain::text::optional_text("note", &note, EVIDENCE_CHARS, "The note") {
        Ok(note) => note,
        Err(e) => {
            errors.push(e);
            String::new()
        }
    };
    if decision == "return" && note.is_empty() {
        errors.push(FieldError::new(
            "note",
            "Enter why the evidence is returned and what is needed",
        ));
    }
    if !errors.is_empty() {
        return Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Invalid(errors)).await);
    }
    let refused = |message: String| async {
        Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Conflict(message)).await)
    };
    if let Some(why) = l.not_independent().await? {
        return refused(why).await;
    }
    let tranche = l.tranche(tranche_id).await?;
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    let approved = decision == "approve";
    let done = if approved {
        db::schemes::approve_tranche(&mut tx, tranche_id, &note, l.user.id, &now).await?
    } else {
        db::schemes::return_evidence(&mut tx, tranche_id, &note, l.user.id, &now).await?
    };
    if !done {
        drop(tx);
        let why = if l.scheme.accepted_at.is_none() {
            "The award has not been accepted yet: a tranche cannot be approved before it is"
                .to_string()
        } else {
            format!(
                "Tranche {} has no evidence waiting for review: it is {}",
                tranche.position,
                tranche.status.label().to_lowercase()
            )
        };
        return refused(why).await;
    }
    let (action, summary, message) = if approved {
        (
            "tranche.approved",
            format!(
                "Evidence for tranche {} approved; its payment of {} is to be recorded by someone else",
                tranche.position,
                tranche.amount.display()
            ),
            format!(
                "Evidence for tranche {} approved. Another commissioner must now record its payment",
                tranche.position
            ),
        )
    } else {
        (
            "tranche.returned",
            format!("Evidence for tranche {} returned: {note}", tranche.position),
            format!(
                "Evidence for tranche {} returned to the organisation",
                tranche.position
            ),
        )
    };
    l.audit(&mut tx, action, summary).await?;
    tx.commit().await?;
    if !approved {
        let link = l.link(&format!("/tranches/{tranche_id}"));
        l.tell_members(|to, name| {
            crate::mail::tranche_reviewed(
                to,
                name,
                &l.scheme.organisation_name,
                tranche.position,
                None,
                &note,
                &link,
            )
        })
        .await?;
    }
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &message,
        &format!("/schemes/{scheme_id}/tranches/{tranche_id}"),
    )
    .await?;
    Ok(())
}

/// Another commissioner, not the one who approved the evidence, records the payment of an
/// approved tranche with its payment reference: a ledger entry in the pooled fund.
#[server(prefix = "/api", endpoint = "schemes/record_payment")]
pub async fn record_payment(
    scheme_id: i64,
    tranche_id: i64,
    #[server(default)] reference: String,
) -> Result<(), AppError> {
    let l = load_scheme(scheme_id).await?;
    l.commissioner_only()?;
    let typed = [("reference", reference.as_str())];
    let reference = match crate::domain::text::required_line(
        "reference",
        &reference,
        "Enter the payment reference, like BACS-20261205-001",
        60,
        "The payment reference",
    ) {
        Ok(r) => r,
        Err(e) => {
            return Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Invalid(vec![e])).await)
        }
    };
    let refused = |message: String| async {
        Err(auth::reject_form(TRANCHE_FORM, &typed, AppError::Conflict(message)).await)
    };
    if let Some(why) = l.not_independent().await? {
        return refused(why).await;
    }
    let tranche = l.tranche(tranche_id).await?;
    if tranche.status == crate::domain::monitoring::TrancheStatus::Approved {
        if let Some(why) =
            crate::domain::independence::payment_refusal(tranche.reviewer_id, l.user.id)
        {
            return refused(why.into()).await;
        }
    }
    let mut conn = l.state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, l.scheme.round_id)
        .await?
        .ok_or(AppError::Internal)?;
    drop(conn);
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    // The tranche first: of two payments at once, only one finds it approved and unpaid (and
    // the update itself refuses the approver).
    let Some(amount) =
        db::schemes::pay_tranche(&mut tx, tranche_id, &reference, l.user.id, &now).await?
    else {
        drop(tx);
        return refused(format!(
            "The payment of tranche {} cannot be recorded: it is {}",
            tranche.position,
            tranche.status.label().to_lowercase()
        ))
        .await;
    };
    let fund_id = round.fund_id.ok_or(AppError::Internal)?;
    let reason = format!(
        "Tranche {} to {} ({reference})",
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
            "Payment of {} for tranche {} recorded (reference {reference})",
            amount.display(),
            tranche.position
        ),
    )
    .await?;
    tx.commit().await?;
    let link = l.link(&format!("/tranches/{tranche_id}"));
    let amount_text = amount.display();
    let note = tranche.review_note.clone();
    l.tell_members(|to, name| {
        crate::mail::tranche_reviewed(
            to,
            name,
            &l.scheme.organisation_name,
            tranche.position,
            Some(amount_text.as_str()),
            &note,
            &link,
        )
    })
    .await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!(
            "Tranche {} paid: {} (reference {reference})",
            tranche.position,
            amount.display()
        ),
        &format!("/schemes/{scheme_id}"),
    )
    .await?;
    Ok(())
}
