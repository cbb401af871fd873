//! Decisions (commissioners): award, decline with feedback, reserve list, one bid or a
//! batch, and releasing unawarded money.
use crate::domain::decision::DecisionForm;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::moderation::{draft_feedback_from, moderation_for, ModerationRow, MODERATE_FORM},
    crate::auth,
    crate::auth::require_commissioner as commissioner,
    crate::db,
    crate::domain::decision::Outcome,
    crate::domain::money::Pence,
    crate::error::FieldError,
    crate::state::AppState,
};

/// Record a decision on one bid. An award commits the money from the round's envelope and
/// the pooled fund in the same transaction (refused, changing nothing, when either would be
/// overdrawn), creates the funded scheme with tranches of 50/30/20%, and emails the
/// organisation's members; a decline emails the feedback.
#[server(prefix = "/api", endpoint = "decisions/decide")]
pub async fn decide_bid(
    round_id: i64,
    bid_id: i64,
    #[server(flatten)] form: DecisionForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match record_decision(
        &state,
        user.id,
        round_id,
        bid_id,
        &form,
        crate::domain::date::uk_date(chrono::Utc::now()),
    )
    .await
    {
        Ok(message) => {
            let session = auth::session().await?;
            auth::notice_and_redirect(
                &session,
                &message,
                &format!("/fund/rounds/{round_id}/moderation?bid={bid_id}#bid-{bid_id}"),
            )
            .await?;
            Ok(())
        }
        Err(AppError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => Err(auth::reject_with(MODERATE_FORM, &form, e).await),
    }
}

/// The same decision for every ticked bid (`bid[id]`): award each its request, decline each
/// with feedback drawn from its scores, or put each on the reserve list.
#[server(prefix = "/api", endpoint = "decisions/batch")]
pub async fn decide_batch(
    round_id: i64,
    #[server(default)] outcome: String,
    #[server(default)] bid: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let data = moderation_for(&state.pool, round_id)
        .await
        .map_err(auth::with_status)?;
    let chosen: Vec<&ModerationRow> = data
        .rows
        .iter()
        .filter(|r| bid.contains_key(&r.bid_id.to_string()))
        .collect();
    let mut errors = Vec::new();
    if Outcome::from_code(&outcome).is_none() {
        errors.push(FieldError::new(
            "outcome",
            "Select a decision for the ticked bids",
        ));
    }
    if chosen.is_empty() {
        errors.push(FieldError::new("bid", "Tick at least one bid"));
    }
    if !errors.is_empty() {
        // The page comes back with the decision chosen and the same bids ticked.
        let ticked: Vec<String> = chosen
            .iter()
            .map(|r| format!("bid[{}]", r.bid_id))
            .collect();
        let mut kept = vec![("outcome", outcome.as_str())];
        kept.extend(ticked.iter().map(|name| (name.as_str(), "1")));
        return Err(auth::reject_form("decide_batch", &kept, AppError::Invalid(errors)).await);
    }
    let mut conn = state.pool.acquire().await?;
    let ids: Vec<i64> = chosen.iter().map(|r| r.bid_id).collect();
    let scores = db::decisions::scores_of_bids(&mut conn, round_id, &ids, true).await?;
    drop(conn);
    let mut done = 0;
    let mut refused = Vec::new();
    for row in chosen {
        let form = DecisionForm {
            outcome: outcome.clone(),
            amount: row.requested.form_value(),
            conditions: String::new(),
            feedback: draft_feedback_from(&data, row, &scores),
            returns_every: String::new(),
        };
        match record_decision(
            &state,
            user.id,
            round_id,
            row.bid_id,
            &form,
            crate::domain::date::uk_date(chrono::Utc::now()),
        )
        .await
        {
            Ok(_) => done += 1,
            Err(e) => refused.push(format!("{}: {}", row.reference, e)),
        }
    }
    let session = auth::session().await?;
    let mut message = format!("{done} decisions recorded");
    if !refused.is_empty() {
        message.push_str(&format!(". Not recorded: {}", refused.join("; ")));
    }
    auth::notice_and_redirect(
        &session,
        &message,
        &format!("/fund/rounds/{round_id}/moderation"),
    )
    .await?;
    Ok(())
}

/// Record a decision (the rule behind the decision page, and the demo data's history). An
/// award's scheme, tranches and returns start on `start`.
#[cfg(feature = "ssr")]
pub async fn record_decision(
    state: &AppState,
    actor: i64,
    round_id: i64,
    bid_id: i64,
    form: &DecisionForm,
    start: chrono::NaiveDate,
) -> Result<String, AppError> {
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .filter(|b| b.round_id == round_id)
        .ok_or(AppError::NotFound)?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    if !matches!(
        bid.status,
        crate::domain::bid::BidStatus::UnderAssessment | crate::domain::bid::BidStatus::Declined
    ) {
        return Err(AppError::Conflict(format!(
            "A decision can be made on a bid under assessment. This one is {}",
            bid.status.label().to_lowercase()
        )));
    }
    // No one decides for an organisation they belong to or have declared a conflict with.
    let (member, conflict) =
        db::organisations::connection(&state.pool, bid.organisation_id, actor).await?;
    if let Some(why) =
        crate::domain::independence::refusal(&bid.organisation_name, member, conflict)
    {
        return Err(AppError::Conflict(why));
    }
    let requested = bid.requested.unwrap_or(Pence(0));
    let decision = form.parse(requested).map_err(AppError::Invalid)?;
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let mut scheme_id = None;
    let mut message = format!(
        "{}: {}",
        bid.organisation_name,
        decision.outcome.label().to_lowercase()
    );
    if decision.outcome == Outcome::Award {
        let amount = decision.amount.unwrap_or(requested);
        let fund_id = round.fund_id.ok_or_else(|| {
            AppError::Conflict("This round is not funded from a pooled fund".into())
        })?;
        // The money first: the conditional updates are the transaction's first statements.
        if let Err(refusal) = db::fund::commit(
            &mut tx,
            fund_id,
            round_id,
            amount,
            &format!("Award to {}", bid.organisation_name),
            actor,
            &now,
        )
        .await?
        {
            drop(tx);
            return Err(AppError::Conflict(refusal.message()));
        }
        if !db::decisions::decide(&mut tx, bid_id, &decision, actor, &now).await? {
            drop(tx);
            return Err(AppError::Conflict(
                "This bid has already been awarded".into(),
            ));
        }
        let period = round.details.period_months;
        let tranches = crate::domain::decision::default_tranches(amount, start, period);
        let plan = crate::api::schemes::bid_plan(&mut tx, bid_id, round_id, period).await?;
        let periods =
            crate::domain::monitoring::return_schedule(start, period, decision.returns_every);
        scheme_id = Some(
            db::schemes::create(
                &mut tx,
                &db::schemes::NewScheme {
                    bid_id,
                    round_id,
                    organisation_id: bid.organisation_id,
                    amount,
                    conditions: &decision.conditions,
                    plan: &plan,
                    starts_on: start,
                    return_every: decision.returns_every,
                    tranches: &tranches,
                    periods: &periods,
                },
                &now,
            )
            .await?,
        );
        db::bids::move_status(
            &mut tx,
            bid_id,
            bid.status,
            crate::domain::bid::BidStatus::Awarded,
            &now,
        )
        .await?;
        message = format!("{} awarded {}", bid.organisation_name, amount.display());
    } else {
        if !db::decisions::decide(&mut tx, bid_id, &decision, actor, &now).await? {
            drop(tx);
            return Err(AppError::Conflict(
                "This bid has already been awarded".into(),
            ));
        }
        if decision.outcome == Outcome::Decline {
            db::bids::move_status(
                &mut tx,
                bid_id,
                bid.status,
                crate::domain::bid::BidStatus::Declined,
                &now,
            )
            .await?;
        } else if bid.status == crate::domain::bid::BidStatus::Declined {
            db::bids::move_status(
                &mut tx,
                bid_id,
                bid.status,
                crate::domain::bid::BidStatus::UnderAssessment,
                &now,
            )
            .await?;
        }
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(actor),
            action: "bid.decided",
            subject_type: "bid",
            subject_id: bid_id.to_string(),
            summary: message.clone(),
            before: Some(bid.status.label().into()),
            after: Some(decision.outcome.label().into()),
        },
    )
    .await?;
    let members = db::bids::member_emails(&mut tx, bid.organisation_id).await?;
    tx.commit().await?;
    if decision.outcome != Outcome::Reserve {
        let link = match scheme_id {
            Some(id) => format!("{}/schemes/{id}", state.settings.base_url),
            None => format!("{}/bids/{bid_id}/view", state.settings.base_url),
        };
        for (email, name) in members {
            crate::api::account::send_mail(
                state,
                crate::mail::bid_decision(
                    &email,
                    &name,
                    &bid.organisation_name,
                    &bid.round_title,
                    &decision,
                    &link,
                ),
            )
            .await;
        }
    }
    Ok(message)
}

/// Give the round's unawarded money back to the pooled fund: one action, audited.
#[server(prefix = "/api", endpoint = "decisions/release")]
pub async fn release_unawarded(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    drop(conn);
    let Some(fund_id) = round.fund_id else {
        return Err(auth::with_status(AppError::NotFound));
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let released = db::fund::release(
        &mut tx,
        fund_id,
        round_id,
        "Unawarded money released after decisions",
        user.id,
        &now,
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{} released back to the pooled fund", released.display()),
        &format!("/fund/rounds/{round_id}/moderation"),
    )
    .await?;
    Ok(())
}
