//! The partners' joint sign-off (partner approvers): money from the pooled fund is spent by
//! joint decision of both partners, so a recommended award is made only when an approver of
//! every partner has approved it. The last approval makes the award (commitment, scheme,
//! tranches, emails) in the same transaction, exactly once however many approve at once; a
//! refusal moves no money and sends the recommendation back to the Board.
use super::decisions::{commit_money, create_scheme, decision_mail, DecisionError};
use super::{Ctx, Done};
use crate::db;
use crate::domain::board::{sign_off_answer, still_to_sign, SignOff};

/// Why an answer was not recorded (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum SignOffError {
    /// Only a partner approver with a partner signs off.
    #[error("You are not a partner approver")]
    NotAnApprover,
    #[error("This recommendation is no longer awaiting sign-off")]
    NotAwaiting,
    #[error("{0} has already answered this recommendation")]
    Answered(String),
    #[error(transparent)]
    Decision(#[from] DecisionError),
}

impl From<sqlx::Error> for SignOffError {
    fn from(e: sqlx::Error) -> Self {
        SignOffError::Decision(e.into())
    }
}

impl From<db::fund::LedgerError> for SignOffError {
    fn from(e: db::fund::LedgerError) -> Self {
        SignOffError::Decision(e.into())
    }
}

impl From<SignOffError> for crate::error::AppError {
    fn from(e: SignOffError) -> Self {
        match e {
            SignOffError::NotAnApprover => crate::error::AppError::Forbidden,
            SignOffError::Decision(e) => e.into(),
            refusal => crate::error::AppError::Conflict(refusal.to_string()),
        }
    }
}

/// An approver answers the recommendation on `bid_id` for their partner: `answer` is
/// "approve" or "refuse", `reason` (needed for a refusal). The outcome is the notice for the
/// approver. `today`: the day an award made now starts.
pub async fn answer(
    ctx: Ctx<'_>,
    actor: i64,
    bid_id: i64,
    (answer, reason): (&str, &str),
    today: chrono::NaiveDate,
) -> Result<Done<String>, SignOffError> {
    let mut conn = ctx.pool.acquire().await?;
    let partner_id = db::users::approver_for(&mut conn, actor)
        .await?
        .ok_or(SignOffError::NotAnApprover)?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(DecisionError::NotFound)?;
    let round = db::rounds::round(&mut conn, bid.round_id)
        .await?
        .ok_or(DecisionError::NotFound)?;
    drop(conn);
    let partners: Vec<(i64, String)> = db::fund::partners(ctx.pool)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let partner = partners
        .iter()
        .find(|(id, _)| *id == partner_id)
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    // No one signs off for an organisation they belong to or have declared a conflict with.
    let (member, conflict) =
        db::organisations::connection(ctx.pool, bid.organisation_id, actor).await?;
    if let Some(why) =
        crate::domain::independence::refusal(&bid.organisation_name, member, conflict)
    {
        return Err(DecisionError::NotIndependent(why).into());
    }
    let (approved, reason) = sign_off_answer(answer, reason)
        .map_err(|e| SignOffError::Decision(DecisionError::Invalid(e)))?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    // The first statement: answers to one recommendation are given one after another.
    if !db::sign_offs::hold_awaiting(&mut tx, bid_id).await? {
        return Err(SignOffError::NotAwaiting);
    }
    let signed = db::sign_offs::Signed::Award { bid_id };
    if !db::sign_offs::sign(&mut tx, signed, partner_id, (approved, &reason), actor, now).await? {
        return Err(SignOffError::Answered(partner.clone()));
    }
    let recorded = db::decisions::recorded(&mut tx, bid_id)
        .await?
        .ok_or(DecisionError::NotFound)?;
    let decision = recorded.decision;
    let amount = decision.amount.or(bid.requested).unwrap_or_default();
    let approved_by: Vec<i64> = db::sign_offs::sign_offs(&mut tx, signed)
        .await?
        .into_iter()
        .filter(|s| s.approved == 1)
        .map(|s| s.partner_id)
        .collect();
    let remaining = still_to_sign(&partners, &approved_by);
    let mut scheme_id = None;
    let (action, message) = if !approved {
        db::sign_offs::set_sign_off(&mut tx, bid_id, SignOff::Refused).await?;
        (
            "bid.sign_off_refused",
            format!(
                "{partner} refused the award of {} to {}: {reason}. No money was committed; the Board is told",
                amount.display(),
                bid.organisation_name
            ),
        )
    } else if remaining.is_empty() {
        db::sign_offs::set_sign_off(&mut tx, bid_id, SignOff::Signed).await?;
        let by = (actor, now);
        let money =
            commit_money(&mut tx, &round, &bid.organisation_name, amount, today, by).await?;
        let schedule = (today, &money);
        scheme_id = Some(create_scheme(&mut tx, &bid, &round, &decision, schedule, now).await?);
        (
            "bid.signed_off",
            format!(
                "{partner} approved. Every partner has signed off: {} awarded {}",
                bid.organisation_name,
                amount.display()
            ),
        )
    } else {
        (
            "bid.signed_off",
            format!(
                "{partner} approved the award of {} to {}. Awaiting sign-off by {}",
                amount.display(),
                bid.organisation_name,
                remaining.join(" and ")
            ),
        )
    };
    db::audit::entry(&mut tx, actor, action, ("bid", bid_id), message.clone()).await?;
    let members = if scheme_id.is_some() {
        db::bids::member_emails(&mut tx, bid.organisation_id).await?
    } else {
        Vec::new()
    };
    let recorder = if approved {
        None
    } else {
        db::sign_offs::decided_by(&mut tx, bid_id).await?
    };
    tx.commit().await?;
    let mut mail = decision_mail(ctx, &members, &bid, &decision, scheme_id);
    // A refusal goes back to the commissioner who recorded the Board's recommendation.
    if let Some((email, name)) = recorder {
        let link = format!(
            "{}/fund/rounds/{}/moderation/bids/{bid_id}",
            ctx.base_url, bid.round_id
        );
        mail.push(crate::mail::sign_off_refused(
            &email,
            &name,
            (&bid.organisation_name, &partner),
            &reason,
            &link,
        ));
    }
    Ok(Done {
        value: message,
        mail,
    })
}
