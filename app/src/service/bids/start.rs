//! Starting a bid: the organisation the person acts for, if it may bid in this round.
use super::BidError;
use crate::db;
use crate::db::rounds::RoundRow;
use crate::domain::organisation::Organisation;
use crate::domain::round::{phase, RoundStatus};
use crate::error::FieldError;
use crate::service::{Actor, Ctx};

/// Why an organisation cannot bid in a round, from its legal form and income, and whether
/// its service covers the round's area (as the person answered).
pub fn eligibility_reasons(round: &RoundRow, org: &Organisation, covers_area: bool) -> Vec<String> {
    let d = &round.details;
    crate::domain::bid::ineligible_because(
        &crate::domain::bid::Eligibility {
            legal_forms: &d.legal_forms,
            max_income: d.max_income,
            area_served: &d.area_served,
        },
        org,
        covers_area,
    )
}

/// A bid started, or the one the organisation already has for the round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    pub bid_id: i64,
    /// It was there already (started earlier, or by a colleague a moment ago).
    pub existing: bool,
}

/// Start the bid of the organisation the actor acts for (`organisation_id`, one of theirs)
/// for a published round, after the eligibility question "does your service cover the
/// area?" (`covers_area`: "yes" or "no"). An organisation has one bid per round: if it has
/// one, that is the outcome.
pub async fn start(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    organisation_id: Option<i64>,
    covers_area: &str,
) -> Result<Started, BidError> {
    let mut conn = ctx.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .filter(|r| r.status != RoundStatus::Draft)
        .ok_or(BidError::NotFound)?;
    drop(conn);
    let Some(org_id) = organisation_id else {
        return Err(BidError::ChooseOrganisation);
    };
    if db::organisations::role_of(ctx.pool, org_id, actor.id)
        .await?
        .is_none()
    {
        return Err(BidError::ChooseOrganisation);
    }
    let existing = |bid_id| Started {
        bid_id,
        existing: true,
    };
    if let Some(bid_id) = db::bids::find(ctx.pool, round_id, org_id).await? {
        return Ok(existing(bid_id));
    }
    let d = &round.details;
    if phase(round.status, d.opens_at, d.closes_at, chrono::Utc::now()) != RoundStatus::Open {
        let closes = crate::domain::time::display_uk(d.closes_at);
        return Err(BidError::NotOpen { closes });
    }
    let org = db::organisations::get(ctx.pool, org_id)
        .await?
        .ok_or(BidError::NotFound)?;
    let covers = match covers_area {
        "yes" => true,
        "no" => false,
        _ => {
            let message = format!("Select yes if your service will cover {}", d.area_served);
            return Err(BidError::Invalid(vec![FieldError::new(
                "covers_area",
                message,
            )]));
        }
    };
    let mut reasons = eligibility_reasons(&round, &org, true);
    if !covers {
        reasons.push(format!(
            "The service must cover {}. {} cannot bid in this round",
            d.area_served, org.name
        ));
    }
    if !reasons.is_empty() {
        let errors = reasons
            .into_iter()
            .map(|r| FieldError::new("covers_area", r))
            .collect();
        return Err(BidError::Invalid(errors));
    }
    let mut tx = ctx.pool.begin().await?;
    let Some(bid_id) = db::bids::insert(&mut tx, round_id, org_id, actor.id, db::now()).await?
    else {
        // A colleague started it a moment ago: theirs is the bid.
        drop(tx);
        let bid_id = db::bids::find(ctx.pool, round_id, org_id)
            .await?
            .ok_or(BidError::NotFound)?;
        return Ok(existing(bid_id));
    };
    let summary = format!("Bid started by {} for {}", org.name, d.title);
    db::audit::entry(&mut tx, actor.id, "bid.started", ("bid", bid_id), summary).await?;
    tx.commit().await?;
    Ok(Started {
        bid_id,
        existing: false,
    })
}
