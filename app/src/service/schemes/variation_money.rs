//! The money of a variation: where each tranche it changes or adds is charged (the fund of
//! the year it is planned in, which must be set up and open), and applying it inside its
//! transaction: the tranches first (the order a payment takes its locks in), then the
//! scheme, then each year's fund (more committed, less given back, removed tranches
//! released).
use super::variation::Variable;
use super::ChangeError;
use crate::db;
use crate::domain::fund::{charged_year, FinancialYear, LedgerRefusal};
use crate::domain::money::Pence;
use crate::domain::monitoring::Proposal;
use crate::domain::time::{Day, UtcTime};
use crate::service::Ctx;

/// Each varied tranche with the fund of the year it will be charged to, and each fund's
/// change in commitments (in fund order).
pub(crate) struct Plan {
    tranches: Vec<(i64, i64)>,
    deltas: Vec<(i64, FinancialYear, i64)>,
    /// The fund a new tranche is charged to, and the round's (where a tranche with no fund
    /// of its own is charged).
    added_fund: Option<i64>,
    round_fund: i64,
}

/// Where the money goes: each proposed tranche is charged to the year it is planned in (not
/// before this year); the funds must be set up and open. Checked before the transaction.
pub(crate) async fn plan(
    ctx: Ctx<'_>,
    v: &Variable,
    proposal: &Proposal,
) -> Result<Plan, ChangeError> {
    let this_year = FinancialYear::containing(Day::today_uk().0);
    let mut conn = ctx.pool.acquire().await?;
    let round_fund = crate::service::schemes::fund_of(ctx, &v.scheme).await?;
    let mut years: Vec<(FinancialYear, i64)> = Vec::new();
    let mut tranches = Vec::new();
    let mut deltas: Vec<(i64, FinancialYear, i64)> = Vec::new();
    let mut add = |fund: i64, year: FinancialYear, amount: i64| match deltas
        .iter_mut()
        .find(|(f, _, _)| *f == fund)
    {
        Some((_, _, d)) => *d += amount,
        None => deltas.push((fund, year, amount)),
    };
    if proposal.is_stale(&v.tranches, &v.scheme.conditions) {
        return Err(changed());
    }
    let touched = proposal.touched();
    // Every tranche it changes must still be variable (a legacy proposal: every tranche).
    if touched
        .iter()
        .any(|p| !v.tranches.iter().any(|t| t.id == p.id))
    {
        return Err(changed());
    }
    for (t, fund) in v.tranches.iter().zip(&v.funds) {
        // A tranche it does not change stays as it is, where it is.
        let Some(p) = touched.iter().find(|p| p.id == t.id) else {
            continue;
        };
        let from = fund.unwrap_or(round_fund);
        let from_year = db::fund::fund_by_id(&mut conn, from)
            .await?
            .map(|f| f.year)
            .unwrap_or(this_year);
        // Unchanged in amount and year: it stays where it is.
        let year =
            charged_year(this_year, p.due).max(if p.due == t.due { from_year } else { this_year });
        let to = if year == from_year {
            from
        } else {
            fund_for(&mut conn, &mut years, year).await?
        };
        add(from, from_year, -t.amount.0);
        add(to, year, p.amount.0);
        tranches.push((t.id, to));
    }
    // A new tranche: charged to the year it is planned in.
    let mut added_fund = None;
    if let Some(a) = &proposal.added {
        let year = charged_year(this_year, a.due);
        let fund = fund_for(&mut conn, &mut years, year).await?;
        add(fund, year, a.amount.0);
        added_fund = Some(fund);
    }
    deltas.retain(|(_, _, d)| *d != 0);
    deltas.sort_by_key(|(f, _, _)| *f);
    Ok(Plan {
        tranches,
        deltas,
        added_fund,
        round_fund,
    })
}

/// The open fund of `year` (remembered in `years`), or the refusal naming the year.
async fn fund_for(
    conn: &mut sqlx::AnyConnection,
    years: &mut Vec<(FinancialYear, i64)>,
    year: FinancialYear,
) -> Result<i64, ChangeError> {
    if let Some((_, id)) = years.iter().find(|(y, _)| *y == year) {
        return Ok(*id);
    }
    match db::fund::fund_id_for_year_in(conn, year).await? {
        Some((_, true)) => Err(refused(LedgerRefusal::Closed { year })),
        Some((id, false)) => {
            years.push((year, id));
            Ok(id)
        }
        None => Err(refused(LedgerRefusal::NoFundForYear { year })),
    }
}

fn refused(refusal: LedgerRefusal) -> ChangeError {
    ChangeError::Refused(refusal.message())
}

fn changed() -> ChangeError {
    ChangeError::Refused(
        "The award has changed since this variation was asked for: refuse it, and ask for a new one".into(),
    )
}

/// Apply a variation inside its transaction: the tranches first (the order a payment takes
/// its locks in), the scheme, then each year's fund.
pub(crate) async fn apply(
    tx: &mut sqlx::AnyConnection,
    v: &Variable,
    proposal: &Proposal,
    plan: &Plan,
    (actor, now): (i64, UtcTime),
) -> Result<(), ChangeError> {
    for p in proposal.touched() {
        let fund = (plan.tranches.iter())
            .find(|(id, _)| *id == p.id)
            .map(|(_, f)| *f)
            .ok_or_else(changed)?;
        let varied = (p.amount, p.due, p.milestone.as_str());
        let before = proposal.tranches_before.iter().find(|t| t.id == p.id);
        if !db::variations::vary_tranche(&mut *tx, p.id, varied, fund, before).await? {
            return Err(changed());
        }
    }
    // Removed tranches are released (as when a scheme ends), if still as they were.
    let mut released = db::tranches::Released::default();
    for id in &proposal.removed {
        let before = proposal.tranches_before.iter().find(|t| t.id == *id);
        let Some((amount, fund)) = db::variations::release_tranche(&mut *tx, *id, before).await?
        else {
            return Err(changed());
        };
        released.total.0 += amount.0;
        match released.by_fund.iter_mut().find(|(f, _)| *f == fund) {
            Some((_, sum)) => sum.0 += amount.0,
            None => released.by_fund.push((fund, amount)),
        }
    }
    if let (Some(a), Some(fund)) = (&proposal.added, plan.added_fund) {
        db::variations::add_tranche(&mut *tx, v.scheme.id, a, fund).await?;
    }
    let amounts = (proposal.amount_before, proposal.amount_after);
    // The conditions as it says, or as they are now when it does not change them.
    let conditions = if proposal.changes_conditions() {
        &proposal.conditions
    } else {
        &v.scheme.conditions
    };
    let scheme = (v.scheme.id, released.total);
    if !db::variations::vary_scheme(&mut *tx, scheme, amounts, conditions).await? {
        return Err(changed());
    }
    let reason = format!("Variation to {}'s award", v.scheme.organisation_name);
    for (fund, year, delta) in &plan.deltas {
        let round = v.scheme.round_id;
        if *delta > 0 {
            let share = Pence(*delta);
            match db::fund::commit_later(&mut *tx, *fund, round, share, &reason, actor, now).await {
                Err(db::fund::LedgerError::Refused(LedgerRefusal::OverAgreedValue {
                    uncommitted,
                })) => {
                    return Err(refused(LedgerRefusal::OverLaterYear {
                        year: *year,
                        share,
                        uncommitted,
                    }))
                }
                Err(db::fund::LedgerError::Refused(r)) => return Err(refused(r)),
                Err(db::fund::LedgerError::Database(e)) => return Err(e.into()),
                Ok(()) => {}
            }
        } else {
            let less = Pence(-delta);
            if !db::fund::reduce_commitment(&mut *tx, *fund, round, less, &reason, actor, now)
                .await?
            {
                return Err(ChangeError::LedgerDisagrees);
            }
        }
    }
    if released.total.0 > 0 {
        released.by_fund.sort_by_key(|(f, _)| *f);
        let money = (plan.round_fund, &released);
        let round = v.scheme.round_id;
        if !super::ending::decommit_released(&mut *tx, round, money, &reason, actor, now).await? {
            return Err(ChangeError::LedgerDisagrees);
        }
    }
    Ok(())
}
