//! Clawback: a commissioner asks a scheme to repay money it was paid (amount, reason, due
//! date; the organisation is told), then records each repayment received, which goes back
//! to the pooled fund as a ledger movement split between the partners.
use super::{entry, independent, link, scheme_for, to_members, ChangeError, Need};
use crate::db;
use crate::domain::money::Pence;
use crate::domain::monitoring::{ClawbackForm, RepaymentForm};
use crate::domain::time::Day;
use crate::service::{Actor, Ctx, Done};

/// A commissioner independent of the organisation asks it to repay part of what it was
/// paid, by a due date. The value is the new clawback's id.
pub async fn raise_clawback(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    form: &ClawbackForm,
) -> Result<Done<i64>, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    let claimable = Pence(scheme.paid.0 - scheme.clawed_back.0);
    if claimable.0 <= 0 {
        return Err(ChangeError::NotNow(
            "Nothing can be asked back: the scheme has not been paid anything that is not already being repaid",
        ));
    }
    let clawback = form
        .parse(Day::today_uk().0, claimable)
        .map_err(ChangeError::Invalid)?;
    independent(ctx, actor, &scheme).await?;
    let mut tx = ctx.pool.begin().await?;
    let Some(id) = db::clawbacks::raise(&mut tx, scheme_id, &clawback, actor.id, db::now()).await?
    else {
        return Err(ChangeError::NotNow(
            "Someone else asked this scheme for money back at the same time: look at the scheme again",
        ));
    };
    let due = crate::domain::date::display_date(clawback.due_on);
    let summary = format!(
        "Repayment of {} asked for, due by {due}. Reason: {}",
        clawback.amount.display(),
        clawback.reason
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "scheme.clawback", summary)).await?;
    tx.commit().await?;
    let page = link(ctx, &scheme, "");
    let amount = clawback.amount.display();
    let mail = to_members(ctx, &scheme, |to, name| {
        crate::mail::clawback_raised(
            to,
            name,
            &scheme.organisation_name,
            &amount,
            &clawback.reason,
            &due,
            &page,
        )
    })
    .await?;
    Ok(Done { value: id, mail })
}

/// A commissioner records money received against a clawback: never more than is still to
/// be repaid; it goes back to the pooled fund (each partner's share, as the scheme's
/// payments were split). The value is what is still to be repaid on that clawback.
pub async fn record_repayment(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    clawback_id: i64,
    form: &RepaymentForm,
) -> Result<Done<Pence>, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    let mut conn = ctx.pool.acquire().await?;
    let clawback = db::clawbacks::clawbacks(&mut conn, scheme_id)
        .await?
        .into_iter()
        .find(|c| c.id == clawback_id)
        .ok_or(ChangeError::Access(super::AccessError::NotFound))?;
    drop(conn);
    let outstanding = Pence(clawback.amount.0 - clawback.repaid.0);
    if outstanding.0 <= 0 {
        return Err(ChangeError::NotNow(
            "This repayment has been received in full",
        ));
    }
    let repayment = form
        .parse(
            Day::today_uk().0,
            clawback.raised_at.uk_day().0,
            outstanding,
        )
        .map_err(ChangeError::Invalid)?;
    let (fund_id, same_year) = repayment_fund(ctx, scheme_id, &repayment).await?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    if !db::clawbacks::repay(&mut tx, scheme_id, clawback_id, &repayment, actor.id, now).await? {
        return Err(ChangeError::NotNow(
            "Another repayment was recorded at the same time and this one would be more than is owed: look at the scheme again",
        ));
    }
    let reason = format!(
        "Repaid by {} ({})",
        scheme.organisation_name, repayment.reference
    );
    let (round_id, amount) = (scheme.round_id, repayment.amount);
    let repaid = if same_year {
        db::fund::repay(
            &mut tx, fund_id, round_id, scheme_id, amount, &reason, actor.id, now,
        )
        .await?
    } else {
        db::fund::recover(
            &mut tx, fund_id, round_id, scheme_id, amount, &reason, actor.id, now,
        )
        .await?
    };
    if !repaid {
        return Err(ChangeError::LedgerDisagrees);
    }
    let summary = format!(
        "Repayment of {} received on {} (reference {})",
        repayment.amount.display(),
        crate::domain::date::display_date(repayment.received_on),
        repayment.reference
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "scheme.repayment", summary)).await?;
    tx.commit().await?;
    let left = Pence(outstanding.0 - repayment.amount.0);
    let link = super::link(ctx, &scheme, "");
    let (amount, on) = (
        repayment.amount.display(),
        crate::domain::date::display_date(repayment.received_on),
    );
    let mail = super::to_members(ctx, &scheme, |to, name| {
        crate::mail::repayment_received(
            to,
            name,
            &scheme.organisation_name,
            (&amount, &on, &repayment.reference),
            &left.display(),
            &link,
        )
    })
    .await?;
    Ok(Done { value: left, mail })
}

/// The fund a repayment goes back to: the fund of the financial year it was received in
/// (refused against the date when that fund is not set up or is closed). True when the
/// scheme was paid at least as much from that fund (the repayment undoes payments of the
/// year); false when its payments were made in earlier years (the money is recovered).
async fn repayment_fund(
    ctx: Ctx<'_>,
    scheme_id: i64,
    repayment: &crate::domain::monitoring::Repayment,
) -> Result<(i64, bool), ChangeError> {
    use crate::domain::fund::{FinancialYear, LedgerRefusal};
    let year = FinancialYear::containing(repayment.received_on);
    let mut conn = ctx.pool.acquire().await?;
    let refused = |message: String| {
        ChangeError::Invalid(vec![crate::error::FieldError::new("received", message)])
    };
    match db::fund::fund_id_for_year_in(&mut conn, year).await? {
        None => Err(refused(format!(
            "The {} pooled fund is not set up: set it up before recording money received in that year",
            year.label()
        ))),
        Some((_, true)) => Err(refused(LedgerRefusal::Closed { year }.message())),
        Some((fund_id, false)) => {
            let paid = db::fund::scheme_paid_from(&mut conn, fund_id, scheme_id).await?;
            Ok((fund_id, paid.0 >= repayment.amount.0))
        }
    }
}
