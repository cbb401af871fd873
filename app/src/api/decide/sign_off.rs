//! Joint sign-off (partner approvers): the Board's recommended awards waiting for each
//! partner, one recommendation in full, and an approver's answer.
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::db, crate::domain::roles::Role};

/// One recommended award in an approver's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignOffItem {
    pub bid_id: i64,
    pub organisation: String,
    pub round: String,
    pub amount: Option<Pence>,
    /// Where it stands ("Recommended, awaiting sign-off", …).
    pub state: String,
    /// This approver's partner's answer: Some(true) approved, Some(false) refused.
    pub answered: Option<bool>,
    /// Recommended although below a criterion's minimum score.
    pub below_minimum: bool,
    /// "5 December 2026".
    pub recommended_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignOffListData {
    /// The partner this approver signs off for ('' when an admin has not said).
    pub partner: String,
    /// Awaiting sign-off first, then answered in the last 90 days.
    pub items: Vec<SignOffItem>,
    /// Partners with no approver named (their sign-off cannot be given yet).
    pub without_approver: Vec<String>,
    /// Every year's pooled fund, newest first: (year, label, closed by its year-end).
    #[serde(default)]
    pub funds: Vec<(i32, String, bool)>,
    /// Variations adding money to an award: awaiting sign-off first, then answered.
    #[serde(default)]
    pub variations: Vec<super::variation_sign_off::VariationSignOffItem>,
}

/// The recommended awards a partner approver signs off.
#[server(prefix = "/api", endpoint = "sign-off/list")]
pub async fn sign_off_list() -> Result<SignOffListData, AppError> {
    let (state, user) = auth::require_any_role(&[Role::PartnerApprover]).await?;
    let mut conn = state.pool.acquire().await?;
    let partner_id = db::users::approver_for(&mut conn, user.id).await?;
    let partners = db::fund::partners(&state.pool).await?;
    let named: Vec<i64> = db::users::partner_approvers(&mut conn)
        .await?
        .into_iter()
        .map(|(p, _, _)| p)
        .collect();
    let without_approver = partners
        .iter()
        .filter(|p| !named.contains(&p.id))
        .map(|p| p.name.clone())
        .collect();
    let partner = partners
        .iter()
        .find(|p| Some(p.id) == partner_id)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let since = crate::domain::time::UtcTime(chrono::Utc::now() - chrono::Duration::days(90));
    let items = match partner_id {
        None => Vec::new(),
        Some(id) => db::sign_offs::recommendations(&mut conn, id, since)
            .await?
            .into_iter()
            .map(|r| SignOffItem {
                bid_id: r.bid_id,
                organisation: r.organisation,
                round: r.round_title,
                amount: r.amount,
                state: r.sign_off.label().to_string(),
                answered: r.answered.map(|a| a == 1),
                below_minimum: !r.override_reason.is_empty(),
                recommended_on: crate::domain::date::display_date(crate::domain::date::uk_date(
                    r.decided_at.0,
                )),
            })
            .collect(),
    };
    let variations = match partner_id {
        None => Vec::new(),
        Some(id) => super::variation_sign_off::items(&mut conn, id).await?,
    };
    let funds = db::fund::funds(&state.pool)
        .await?
        .into_iter()
        .map(|f| (f.year.0, f.year.label(), f.closed_at.is_some()))
        .collect();
    Ok(SignOffListData {
        partner,
        items,
        without_approver,
        funds,
        variations,
    })
}

/// One recommended award as an approver reads it before answering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendationView {
    pub bid_id: i64,
    pub reference: String,
    pub organisation: String,
    pub round: String,
    pub requested: Pence,
    pub amount: Option<Pence>,
    pub purpose: String,
    pub conditions: String,
    pub returns_every: u32,
    pub override_reason: String,
    /// The weighted total (out of 100) and whether it met every minimum score.
    pub total: String,
    pub fundable: bool,
    /// Where it stands with the partners.
    pub state: String,
    pub answers: Vec<String>,
    /// The partner this approver signs off for.
    pub partner: String,
    /// This approver may answer now (awaiting, their partner has not answered, independent).
    pub can_answer: bool,
    /// Why they may not, when they may not.
    pub why_not: String,
    /// The board meeting where the Board recommended it: (id, name).
    pub meeting: Option<(i64, String)>,
}

/// Where an approver stands on something awaiting the partners' sign-off (an award or a
/// variation): their partner's name, why they may not answer (empty when they may), and
/// every partner's answer so far.
#[cfg(feature = "ssr")]
pub(crate) struct Standing {
    pub partner: String,
    pub why_not: String,
    pub answers: Vec<String>,
}

/// `organisation`: (id, name) of the organisation it is for; `awaiting`: still awaiting
/// sign-off; `what`: "recommendation" or "variation", for the reasons.
#[cfg(feature = "ssr")]
pub(crate) async fn standing(
    state: &crate::state::AppState,
    user_id: i64,
    (organisation_id, organisation): (i64, &str),
    sign_offs: &[db::sign_offs::SignOffRow],
    (awaiting, what): (bool, &str),
) -> Result<Standing, AppError> {
    use crate::domain::board::answer_sentence;
    use crate::domain::date::{display_date, uk_date};
    let mut conn = state.pool.acquire().await?;
    let partner_id = db::users::approver_for(&mut conn, user_id).await?;
    drop(conn);
    let partner = match partner_id {
        Some(id) => db::fund::partner(&state.pool, id)
            .await?
            .map(|p| p.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let (member, conflict) =
        db::organisations::connection(&state.pool, organisation_id, user_id).await?;
    let answered = sign_offs.iter().any(|s| Some(s.partner_id) == partner_id);
    let why_not = if partner_id.is_none() {
        "An admin has not said which partner you sign off for.".to_string()
    } else if let Some(why) = crate::domain::independence::refusal(organisation, member, conflict) {
        why
    } else if answered {
        format!("{partner} has answered this {what}.")
    } else if !awaiting {
        format!("This {what} is no longer awaiting sign-off.")
    } else {
        String::new()
    };
    let answers = sign_offs
        .iter()
        .map(|s| {
            let on = display_date(uk_date(s.signed_at.0));
            answer_sentence(&s.partner, s.approved == 1, &s.signed_by, &on, &s.reason)
        })
        .collect();
    Ok(Standing {
        partner,
        why_not,
        answers,
    })
}

#[server(prefix = "/api", endpoint = "sign-off/recommendation")]
pub async fn recommendation(bid_id: i64) -> Result<RecommendationView, AppError> {
    use crate::domain::board::SignOff;
    use crate::domain::decision::Outcome;
    let (state, user) = auth::require_any_role(&[Role::PartnerApprover]).await?;
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let recorded = db::decisions::recorded(&mut conn, bid_id)
        .await?
        .filter(|r| r.decision.outcome == Outcome::Award && r.sign_off != SignOff::NotNeeded)
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let sign_offs =
        db::sign_offs::sign_offs(&mut conn, db::sign_offs::Signed::Award { bid_id }).await?;
    drop(conn);
    let organisation = (bid.organisation_id, bid.organisation_name.as_str());
    let awaiting = recorded.sign_off == SignOff::Awaiting;
    let Standing {
        partner,
        why_not,
        answers,
    } = standing(
        &state,
        user.id,
        organisation,
        &sign_offs,
        (awaiting, "recommendation"),
    )
    .await?;
    let ranking = crate::api::decide::moderation::moderation_for(&state.pool, bid.round_id)
        .await
        .map_err(auth::with_status)?;
    let row = ranking.rows.iter().find(|r| r.bid_id == bid_id);
    let d = recorded.decision;
    let mut meeting = None;
    if let Some(id) = d.meeting_id {
        let mut conn = state.pool.acquire().await?;
        meeting = db::meetings::get(&mut conn, id)
            .await?
            .map(|m| (id, crate::domain::meeting::describe(m.held_at.0, &m.place)));
    }
    Ok(RecommendationView {
        bid_id,
        reference: bid.reference.clone().unwrap_or_default(),
        organisation: bid.organisation_name.clone(),
        round: bid.round_title.clone(),
        requested: bid.requested.unwrap_or_default(),
        amount: d.amount,
        purpose: d.purpose,
        conditions: d.conditions,
        returns_every: d.returns_every,
        override_reason: d.override_reason,
        total: row
            .map(|r| format!("{:.1} out of 100", r.total))
            .unwrap_or_default(),
        fundable: row.is_some_and(|r| r.fundable),
        state: recorded.sign_off.label().to_string(),
        answers,
        partner,
        can_answer: why_not.is_empty(),
        why_not,
        meeting,
    })
}

/// A partner approver approves or refuses a recommended award for their partner. The last
/// approval makes the award.
#[server(prefix = "/api", endpoint = "sign-off/answer")]
pub async fn answer_sign_off(
    bid_id: i64,
    #[server(default)] answer: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_any_role(&[Role::PartnerApprover]).await?;
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let answered =
        crate::service::sign_off::answer(state.ctx(), user.id, bid_id, (&answer, &reason), today)
            .await
            .map_err(AppError::from);
    answered_now(&state, answered, (&answer, &reason)).await
}

/// After an approver's answer: back to their sign-off page with its notice, or the form again
/// with what they typed and why it was not recorded.
#[cfg(feature = "ssr")]
pub(crate) async fn answered_now(
    state: &crate::state::AppState,
    answered: Result<crate::service::Done<String>, AppError>,
    (answer, reason): (&str, &str),
) -> Result<(), AppError> {
    match answered {
        Ok(done) => {
            let message = state.deliver(done).await;
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &message, "/sign-off").await?;
            Ok(())
        }
        Err(error) => {
            if matches!(error, AppError::NotFound | AppError::Forbidden) {
                return Err(auth::with_status(error));
            }
            let kept = [("answer", answer), ("reason", reason)];
            Err(auth::reject_form("sign_off", &kept, error).await)
        }
    }
}
