//! The partners' joint sign-off of a variation that adds money to an award: like an award,
//! the extra money is committed only when an approver of every partner has approved it. A
//! commissioner's approval (of a variation asked for, or one they raise) moves it to awaiting
//! sign-off, its money checked; the last partner's approval applies it in the same
//! transaction, exactly once however many answer at once; a refusal refuses it, and the
//! organisation and the commissioner are told.
use super::variation::{told, variable_of, Variable};
use super::variation_money::{apply, plan, Plan};
use super::{entry, independent, AccessError, ChangeError};
use crate::db;
use crate::domain::board::{sign_off_answer, still_to_sign};
use crate::domain::money::Pence;
use crate::domain::monitoring::{Proposal, VariationStatus};
use crate::domain::roles::Role;
use crate::domain::time::UtcTime;
use crate::service::{Actor, Ctx, Done};

/// What a commissioner's approval of a variation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariationOutcome {
    /// Applied: the award's amount now.
    Varied(Pence),
    /// It adds money: it waits for the partners' joint sign-off (nothing applied yet).
    AwaitingSignOff,
    /// Refused with a note.
    Refused,
}

/// Whether a variation must wait for the partners' sign-off; when it must, its money is
/// checked now (applied in a transaction that is rolled back), so that a commissioner is
/// told at once that a year cannot cover it rather than the partners later.
pub(super) async fn waits_for_partners(
    ctx: Ctx<'_>,
    v: &Variable,
    proposal: &Proposal,
    plan: &Plan,
    by: (i64, UtcTime),
) -> Result<bool, ChangeError> {
    let mut conn = ctx.pool.acquire().await?;
    let approvers = db::sign_offs::partners_with_approvers(&mut conn).await?;
    drop(conn);
    if !proposal.needs_sign_off(approvers) {
        return Ok(false);
    }
    let mut tx = ctx.pool.begin().await?;
    apply(&mut tx, v, proposal, plan, by).await?;
    tx.rollback().await?;
    Ok(true)
}

/// The partner approvers are asked to sign off a variation.
pub(super) async fn ask_partners(
    ctx: Ctx<'_>,
    v: &Variable,
    proposal: &Proposal,
    variation_id: i64,
) -> Result<Vec<crate::mail::OutgoingMail>, ChangeError> {
    let mut conn = ctx.pool.acquire().await?;
    let approvers = db::users::partner_approvers(&mut conn).await?;
    let link = format!("{}/sign-off/variations/{variation_id}", ctx.base_url);
    let amounts = (
        proposal.amount_before.display(),
        proposal.amount_after.display(),
    );
    Ok(approvers
        .iter()
        .map(|(_, name, email)| {
            crate::mail::variation_sign_off_requested(
                email,
                name,
                &v.scheme.organisation_name,
                (&amounts.0, &amounts.1),
                &link,
            )
        })
        .collect())
}

const NO_LONGER_AWAITING: &str = "This variation is no longer awaiting sign-off: look at it again";

/// A partner approver approves or refuses, for their partner, a variation awaiting the
/// partners' sign-off (`answer`: "approve" or "refuse"; a refusal needs its reason). The
/// value is the notice for the approver.
pub async fn answer_variation(
    ctx: Ctx<'_>,
    actor: &Actor,
    variation_id: i64,
    (answer, reason): (&str, &str),
) -> Result<Done<String>, ChangeError> {
    if !actor.has(Role::PartnerApprover) {
        return Err(AccessError::Forbidden.into());
    }
    let mut conn = ctx.pool.acquire().await?;
    let partner_id = db::users::approver_for(&mut conn, actor.id)
        .await?
        .ok_or(AccessError::Forbidden)?;
    let asked = db::variations::get(&mut conn, variation_id)
        .await?
        .ok_or(AccessError::NotFound)?;
    let scheme = db::schemes::get(&mut conn, asked.scheme_id)
        .await?
        .ok_or(AccessError::NotFound)?;
    drop(conn);
    match asked.status {
        // Not yet decided by a commissioner: not the partners' to see.
        VariationStatus::Requested => return Err(AccessError::NotFound.into()),
        VariationStatus::AwaitingSignOff => {}
        _ => return Err(ChangeError::NotNow(NO_LONGER_AWAITING)),
    }
    // No one signs off for an organisation they belong to or have declared a conflict with.
    independent(ctx, actor, &scheme).await?;
    let (approved, reason) = sign_off_answer(answer, reason).map_err(|mut errors| {
        for e in errors.iter_mut().filter(|e| e.message.starts_with("Enter why")) {
            e.message =
                "Enter why you refuse this variation: the organisation and the commissioner are told"
                    .into();
        }
        ChangeError::Invalid(errors)
    })?;
    let partners: Vec<(i64, String)> = db::fund::partners(ctx.pool)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let partner = (partners.iter())
        .find(|(id, _)| *id == partner_id)
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    // An approval may be the last: the variation as it would apply now (checked again inside
    // the transaction, where the tranches and the award must still be as they were).
    let ready: Option<(Variable, Proposal, Plan)> = if approved {
        let proposal = asked.proposal().ok_or(ChangeError::LedgerDisagrees)?;
        let v = variable_of(ctx, scheme.clone()).await?;
        let plan = plan(ctx, &v, &proposal).await?;
        Some((v, proposal, plan))
    } else {
        None
    };
    let changes: Vec<String> = asked.changes.lines().map(str::to_string).collect();
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    // The first statement: answers to one variation are given one after another.
    if !db::variations::hold_awaiting(&mut tx, variation_id).await? {
        return Err(ChangeError::NotNow(NO_LONGER_AWAITING));
    }
    let answered = (approved, reason.as_str());
    let signed = db::sign_offs::Signed::Variation { variation_id };
    if !db::sign_offs::sign(&mut tx, signed, partner_id, answered, actor.id, now).await? {
        return Err(ChangeError::Refused(format!(
            "{partner} has already answered this variation"
        )));
    }
    let approved_by: Vec<i64> = db::sign_offs::sign_offs(&mut tx, signed)
        .await?
        .into_iter()
        .filter(|s| s.approved == 1)
        .map(|s| s.partner_id)
        .collect();
    let remaining = still_to_sign(&partners, &approved_by);
    let organisation = &scheme.organisation_name;
    let (before, after) = (asked.amount_before.display(), asked.amount_after.display());
    let (action, message, applied) = match &ready {
        None => {
            let note = refusal_note(&asked.decision_note, &partner, &reason);
            if !db::variations::settle(&mut tx, variation_id, VariationStatus::Refused, &note)
                .await?
            {
                return Err(ChangeError::LedgerDisagrees);
            }
            (
                "scheme.variation_sign_off_refused",
                format!(
                    "{partner} refused the variation to {organisation}'s award ({before} to {after}): {reason}. The award is unchanged; the organisation and the commissioner are told"
                ),
                false,
            )
        }
        Some((v, proposal, plan)) if remaining.is_empty() => {
            apply(&mut tx, v, proposal, plan, (actor.id, now)).await?;
            let note = asked.decision_note.as_str();
            if !db::variations::settle(&mut tx, variation_id, VariationStatus::Approved, note)
                .await?
            {
                return Err(ChangeError::LedgerDisagrees);
            }
            (
                "scheme.varied",
                format!(
                    "{partner} approved. Every partner has signed off: {organisation}'s award is now {after}"
                ),
                true,
            )
        }
        Some(_) => (
            "scheme.variation_signed_off",
            format!(
                "{partner} approved the variation to {organisation}'s award ({before} to {after}). Awaiting sign-off by {}",
                remaining.join(" and ")
            ),
            false,
        ),
    };
    let summary = format!("{message}. Changes: {}", changes.join("; "));
    db::audit::record(&mut tx, entry(actor, &scheme, action, summary)).await?;
    tx.commit().await?;
    let mail = if applied {
        told(ctx, &scheme, &changes, &asked.reason).await?
    } else if !approved {
        let mut lines = changes.clone();
        lines.insert(0, "Refused".into());
        let why = format!("{partner} refused it at the partners' sign-off: {reason}");
        let mut mail = told(ctx, &scheme, &lines, &why).await?;
        if let Some(by) = asked.decided_by_id {
            if let Some(user) = db::users::by_id(ctx.pool, by).await? {
                let link = format!("{}/schemes/{}", ctx.base_url, scheme.id);
                mail.push(crate::mail::variation_sign_off_refused(
                    &user.email,
                    &user.full_name,
                    (organisation, &partner),
                    &reason,
                    &link,
                ));
            }
        }
        mail
    } else {
        Vec::new()
    };
    Ok(Done {
        value: message,
        mail,
    })
}

/// The variation's note once a partner refuses it: the commissioner's note (if any), then
/// the partner's reason.
fn refusal_note(commissioner: &str, partner: &str, reason: &str) -> String {
    let refused = format!("Refused at the partners' sign-off by {partner}: {reason}");
    if commissioner.trim().is_empty() {
        refused
    } else {
        format!("{commissioner}\n{refused}")
    }
}
