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
    let round_fund = crate::service::schemes::fund_of(ctx, &scheme).await?;
    let charged = charge(ctx, tranche.fund_id.unwrap_or(round_fund), payment.paid_on).await?;
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
    let fund_id = match charged {
        Charged::Planned(fund) => fund,
        Charged::Later { from, to, year } => {
            let why = format!(
                "Tranche {} to {} paid in {}",
                tranche.position,
                scheme.organisation_name,
                year.label()
            );
            let funds = (from, to);
            let by = (actor.id, now);
            if !carry(
                &mut tx,
                funds,
                (scheme.round_id, tranche_id),
                amount,
                &why,
                by,
            )
            .await?
            {
                return Err(closed(year));
            }
            to
        }
        Charged::Earlier { from, to, year } => {
            let why = format!(
                "Tranche {} to {} paid early, in {}",
                tranche.position,
                scheme.organisation_name,
                year.label()
            );
            let funds = (from, to);
            let tranche = (scheme.round_id, tranche_id);
            early(&mut tx, funds, tranche, amount, &why, (actor.id, now), year).await?;
            to
        }
    };
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

/// Where a payment is charged: the fund its tranche's commitment is in, or a later year's
/// fund it is carried to first.
enum Charged {
    Planned(i64),
    Later {
        from: i64,
        to: i64,
        year: crate::domain::fund::FinancialYear,
    },
    Earlier {
        from: i64,
        to: i64,
        year: crate::domain::fund::FinancialYear,
    },
}

/// The fund a payment made on `paid_on` is charged to, given the fund its tranche is
/// charged to now: refused when paid before that year, or in a later year whose fund is not
/// set up or is closed.
async fn charge(
    ctx: Ctx<'_>,
    fund_id: i64,
    paid_on: chrono::NaiveDate,
) -> Result<Charged, TrancheError> {
    use crate::domain::fund::PaymentYear;
    let mut conn = ctx.pool.acquire().await?;
    let fund = db::fund::fund_by_id(&mut conn, fund_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let (year, later) = match crate::domain::fund::payment_year(fund.year, paid_on) {
        PaymentYear::Planned if fund.closed_at.is_some() => return Err(closed(fund.year)),
        PaymentYear::Planned => return Ok(Charged::Planned(fund_id)),
        PaymentYear::Later(year) => (year, true),
        PaymentYear::Earlier(year) => (year, false),
    };
    match db::fund::fund_id_for_year_in(&mut conn, year).await? {
        Some((_, true)) => Err(closed(year)),
        Some((to, false)) if later => Ok(Charged::Later {
            from: fund_id,
            to,
            year,
        }),
        Some((to, false)) => Ok(Charged::Earlier {
            from: fund_id,
            to,
            year,
        }),
        None => Err(TrancheError::Invalid(vec![crate::error::FieldError::new(
            "paid",
            format!(
                "The {} pooled fund is not set up: set it up before recording a payment made in that year",
                year.label()
            ),
        )])),
    }
}

/// A payment dated in a closed year: refused against the date.
fn closed(year: crate::domain::fund::FinancialYear) -> TrancheError {
    let refusal = crate::domain::fund::LedgerRefusal::Closed { year };
    TrancheError::Invalid(vec![crate::error::FieldError::new(
        "paid",
        refusal.message(),
    )])
}

/// Carry a tranche's commitment to the year it is paid in, and charge the tranche there.
async fn carry(
    tx: &mut sqlx::AnyConnection,
    funds: (i64, i64),
    (round_id, tranche_id): (i64, i64),
    amount: Pence,
    why: &str,
    (actor, now): (i64, crate::domain::time::UtcTime),
) -> Result<bool, sqlx::Error> {
    let moved = db::fund::carry_commitment(
        &mut *tx, funds, round_id, tranche_id, amount, why, actor, now,
    )
    .await?;
    if moved {
        db::tranches::charge_to(tx, tranche_id, funds.1).await?;
    }
    Ok(moved)
}

/// A tranche paid early: committed against the earlier year's fund (refused against the date
/// when that fund has not the money) and charged there.
async fn early(
    tx: &mut sqlx::AnyConnection,
    funds: (i64, i64),
    (round_id, tranche_id): (i64, i64),
    amount: Pence,
    why: &str,
    (actor, now): (i64, crate::domain::time::UtcTime),
    year: crate::domain::fund::FinancialYear,
) -> Result<(), TrancheError> {
    use crate::domain::fund::LedgerRefusal;
    match db::fund::pay_early(tx, funds, round_id, tranche_id, amount, why, actor, now).await {
        Ok(()) => Ok(()),
        Err(db::fund::LedgerError::Refused(LedgerRefusal::OverAgreedValue { uncommitted })) => {
            Err(TrancheError::Invalid(vec![crate::error::FieldError::new(
                "paid",
                format!(
                    "This tranche is planned for a later year. Paid on this date it comes from the {} pooled fund, which has only {uncommitted} uncommitted: enter the date it was paid in its planned year",
                    year.label()
                ),
            )]))
        }
        Err(db::fund::LedgerError::Refused(LedgerRefusal::Closed { year })) => Err(closed(year)),
        Err(db::fund::LedgerError::Refused(other)) => Err(TrancheError::Invalid(vec![
            crate::error::FieldError::new("paid", other.message()),
        ])),
        Err(db::fund::LedgerError::Database(e)) => Err(e.into()),
    }
}
