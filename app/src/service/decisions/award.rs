//! Making an award: its money committed across the years its tranches are planned in, and
//! its funded scheme created.
use super::{agreed_plan, DecisionError};
use crate::db;
use crate::domain::bid::BidStatus;
use crate::domain::decision::Decision;
use crate::domain::money::Pence;

/// An award's tranches and the fund each is charged to, once its money is committed.
pub(crate) struct AwardMoney {
    tranches: Vec<crate::domain::decision::Tranche>,
    funds: Vec<i64>,
}

/// Commit an award's money: the whole award out of the round's envelope; the share of the
/// tranches planned in the round's year (or before) out of the round's reservation; each later
/// year's share against that year's fund (refused, with the year, when that fund is not set
/// up, is closed or cannot cover it). The tranches are the default schedule from `start`.
pub(crate) async fn commit_money(
    tx: &mut sqlx::AnyConnection,
    round: &db::rounds::RoundRow,
    organisation: &str,
    amount: Pence,
    start: chrono::NaiveDate,
    (actor, now): (i64, crate::domain::time::UtcTime),
) -> Result<AwardMoney, DecisionError> {
    use crate::domain::fund::{charged_year, profile, LedgerRefusal};
    let fund_id = round.fund_id.ok_or(DecisionError::NoFund)?;
    let reason = format!("Award to {organisation}");
    // The envelope first: the conditional update is the transaction's first statement.
    db::fund::claim_envelope(&mut *tx, round.id, amount).await?;
    let first = db::fund::fund_by_id(&mut *tx, fund_id)
        .await?
        .ok_or(DecisionError::NoFund)?
        .year;
    let tranches =
        crate::domain::decision::default_tranches(amount, start, round.details.period_months);
    let due: Vec<(chrono::NaiveDate, Pence)> = tranches.iter().map(|t| (t.due, t.amount)).collect();
    let mut funds_by_year = vec![(first, fund_id)];
    for (year, share) in profile(first, &due) {
        if year == first {
            db::fund::commit_reserved(&mut *tx, fund_id, round.id, share, &reason, actor, now)
                .await?;
            continue;
        }
        let (later, closed) = db::fund::fund_id_for_year_in(&mut *tx, year).await?.ok_or(
            DecisionError::NotEnoughMoney(LedgerRefusal::NoFundForYear { year }),
        )?;
        if closed {
            return Err(DecisionError::NotEnoughMoney(LedgerRefusal::Closed {
                year,
            }));
        }
        let why = format!("{reason}: its tranches planned in {}", year.label());
        match db::fund::commit_later(&mut *tx, later, round.id, share, &why, actor, now).await {
            Err(db::fund::LedgerError::Refused(LedgerRefusal::OverAgreedValue { uncommitted })) => {
                return Err(DecisionError::NotEnoughMoney(
                    LedgerRefusal::OverLaterYear {
                        year,
                        share,
                        uncommitted,
                    },
                ))
            }
            other => other?,
        }
        funds_by_year.push((year, later));
    }
    let funds = tranches
        .iter()
        .map(|t| {
            let year = charged_year(first, t.due);
            (funds_by_year.iter())
                .find(|(y, _)| *y == year)
                .map_or(fund_id, |(_, f)| *f)
        })
        .collect();
    Ok(AwardMoney { tranches, funds })
}

/// An award's funded scheme: its tranches (each charged to its year's fund), its return
/// schedule and the agreed sustainability plan; the bid becomes awarded. (The scheme's id.)
pub(crate) async fn create_scheme(
    tx: &mut sqlx::AnyConnection,
    bid: &db::bids::BidRow,
    round: &db::rounds::RoundRow,
    decision: &Decision,
    (start, money): (chrono::NaiveDate, &AwardMoney),
    now: crate::domain::time::UtcTime,
) -> Result<i64, DecisionError> {
    let amount = decision.amount.or(bid.requested).unwrap_or(Pence(0));
    let period = round.details.period_months;
    let plan = agreed_plan(&mut *tx, bid.id, round.id, period).await?;
    let periods = crate::domain::monitoring::return_schedule(start, period, decision.returns_every);
    let scheme = db::schemes::NewScheme {
        bid_id: bid.id,
        round_id: round.id,
        organisation_id: bid.organisation_id,
        amount,
        conditions: &decision.conditions,
        purpose: &decision.purpose,
        plan: &plan,
        starts_on: start,
        return_every: decision.returns_every,
        tranches: &money.tranches,
        tranche_funds: &money.funds,
        periods: &periods,
    };
    let id = db::schemes::create(&mut *tx, &scheme, now).await?;
    db::bids::move_status(&mut *tx, bid.id, bid.status, BidStatus::Awarded, now).await?;
    Ok(id)
}
