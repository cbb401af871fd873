//! Recording a tranche's payment: by a commissioner other than the one who approved its
//! evidence, as a ledger entry in the pooled fund.
use super::{tranche_link, tranche_of, Loaded, TrancheError};
use crate::db;
use crate::domain::money::Pence;
use crate::domain::monitoring::{PaymentForm, TrancheStatus};
use crate::domain::time::Day;
use crate::service::schemes::{entry, independent, scheme_for, to_members, AccessError, Need};
use crate::service::{Actor, Ctx, Done};

/// A tranche's payment, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Paid {
    pub position: i64,
    pub amount: Pence,
    pub reference: String,
    pub paid_on: chrono::NaiveDate,
}

/// Another commissioner, not the one who approved the evidence, records the payment of an
/// approved tranche with the finance system's reference and the date it was paid: a ledger
/// entry in the pooled fund (naming the tranche), and the organisation is emailed.
pub async fn pay(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
    form: &PaymentForm,
) -> Result<Done<Paid>, TrancheError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    independent(ctx, actor, &scheme).await?;
    if scheme.status == crate::domain::monitoring::SchemeStatus::Suspended {
        return Err(TrancheError::Suspended);
    }
    let Loaded { scheme, tranche } = tranche_of(ctx, scheme, tranche_id).await?;
    // Evidence not yet approved is refused below, by its status (its date is then today's).
    let today = Day::today_uk().0;
    let approved_on = tranche.reviewed_at.map_or(today, |at| at.uk_day().0);
    let payment = form
        .parse(today, approved_on)
        .map_err(TrancheError::Invalid)?;
    let reference = payment.reference;
    if tranche.status == TrancheStatus::Approved {
        if let Some(why) =
            crate::domain::independence::payment_refusal(tranche.reviewer_id, actor.id)
        {
            return Err(TrancheError::Access(AccessError::NotIndependent(
                why.into(),
            )));
        }
    }
    let fund_id = crate::service::schemes::fund_of(ctx, &scheme).await?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    // The tranche first: of two payments at once, only one finds it approved and unpaid (and
    // the update itself refuses the approver, and a scheme suspended in the meantime).
    let Some(amount) = db::tranches::pay_tranche(
        &mut tx,
        tranche_id,
        &reference,
        payment.paid_on,
        actor.id,
        now,
    )
    .await?
    else {
        return Err(TrancheError::PaymentNotNow {
            position: tranche.position,
            status: tranche.status.label().to_lowercase(),
        });
    };
    let reason = format!(
        "Tranche {} to {} ({reference})",
        tranche.position, scheme.organisation_name
    );
    if !db::fund::pay(
        &mut tx,
        fund_id,
        scheme.round_id,
        tranche_id,
        amount,
        &reason,
        actor.id,
        now,
    )
    .await?
    {
        return Err(TrancheError::OverCommitted);
    }
    let summary = format!(
        "Payment of {} for tranche {} recorded: paid on {} (reference {reference})",
        amount.display(),
        tranche.position,
        crate::domain::date::display_date(payment.paid_on)
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "tranche.paid", summary)).await?;
    tx.commit().await?;
    let link = tranche_link(ctx, &scheme, tranche_id);
    let amount_text = amount.display();
    let mail = to_members(ctx, &scheme, |to, name| {
        crate::mail::tranche_reviewed(
            to,
            name,
            &scheme.organisation_name,
            tranche.position,
            Some(amount_text.as_str()),
            &tranche.review_note,
            &link,
        )
    })
    .await?;
    Ok(Done {
        value: Paid {
            position: tranche.position,
            amount,
            reference,
            paid_on: payment.paid_on,
        },
        mail,
    })
}
