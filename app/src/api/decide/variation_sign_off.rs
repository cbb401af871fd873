//! Joint sign-off of variations that add money to an award (the rules are in
//! `crate::service::schemes::variation_sign_off`): one variation as an approver reads it, and
//! an approver's answer. The list is part of the approvers' sign-off page
//! (`super::sign_off::sign_off_list`).
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::db, crate::domain::roles::Role};

/// One variation in an approver's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariationSignOffItem {
    pub variation_id: i64,
    pub organisation: String,
    pub amount_before: Pence,
    pub amount_after: Pence,
    /// Where it stands ("Approved by a commissioner: awaiting the partners' sign-off", …).
    pub state: String,
    /// This approver's partner's answer: Some(true) approved, Some(false) refused.
    pub answered: Option<bool>,
    /// "5 December 2026": when a commissioner approved it.
    pub approved_on: String,
}

/// The variations awaiting the partners' sign-off (and those answered in the last 90 days)
/// with `partner_id`'s answer to each.
#[cfg(feature = "ssr")]
pub(crate) async fn items(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
) -> Result<Vec<VariationSignOffItem>, sqlx::Error> {
    use crate::domain::monitoring::VariationStatus;
    let since = crate::domain::time::UtcTime(chrono::Utc::now() - chrono::Duration::days(90));
    Ok(db::sign_offs::variations_to_sign(conn, partner_id, since)
        .await?
        .into_iter()
        .map(|v| VariationSignOffItem {
            variation_id: v.variation_id,
            organisation: v.organisation,
            amount_before: v.amount_before,
            amount_after: v.amount_after,
            state: VariationStatus::try_from(v.status)
                .map(|s| s.label().to_string())
                .unwrap_or_default(),
            answered: v.answered.map(|a| a == 1),
            approved_on: v
                .decided_at
                .map(|at| crate::domain::date::display_date(crate::domain::date::uk_date(at.0)))
                .unwrap_or_default(),
        })
        .collect())
}

/// One variation as an approver reads it before answering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariationSignOffView {
    pub variation_id: i64,
    pub scheme_id: i64,
    pub organisation: String,
    pub round: String,
    pub amount_before: Pence,
    pub amount_after: Pence,
    /// What it changes, one line each.
    pub changes: Vec<String>,
    pub reason: String,
    /// Who asked for or raised it, and when.
    pub raised: String,
    /// The commissioner's approval ("Approved by … on …").
    pub approved: String,
    /// The commissioner's note, and a refusing partner's reason.
    pub note: String,
    /// Where it stands.
    pub state: String,
    pub answers: Vec<String>,
    /// The partner this approver signs off for.
    pub partner: String,
    pub can_answer: bool,
    /// Why they may not, when they may not.
    pub why_not: String,
}

#[server(prefix = "/api", endpoint = "sign-off/variation")]
pub async fn variation_to_sign(variation_id: i64) -> Result<VariationSignOffView, AppError> {
    use crate::domain::monitoring::VariationStatus;
    let (state, user) = auth::require_any_role(&[Role::PartnerApprover]).await?;
    let mut conn = state.pool.acquire().await?;
    let v = db::variations::get(&mut conn, variation_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let sign_offs =
        db::sign_offs::sign_offs(&mut conn, db::sign_offs::Signed::Variation { variation_id })
            .await?;
    // Only variations that went to the partners are theirs to read.
    if v.status != VariationStatus::AwaitingSignOff && sign_offs.is_empty() {
        return Err(auth::with_status(AppError::NotFound));
    }
    let scheme = db::schemes::get(&mut conn, v.scheme_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let round = db::rounds::round(&mut conn, scheme.round_id)
        .await?
        .map(|r| r.details.title)
        .unwrap_or_default();
    drop(conn);
    let organisation = (scheme.organisation_id, scheme.organisation_name.as_str());
    let awaiting = v.status == VariationStatus::AwaitingSignOff;
    let super::sign_off::Standing {
        partner,
        why_not,
        answers,
    } = super::sign_off::standing(
        &state,
        user.id,
        organisation,
        &sign_offs,
        (awaiting, "variation"),
    )
    .await?;
    let by = v.raised_by.clone().unwrap_or_else(|| "Seedbed".into());
    let raised = if v.by_organisation == 1 {
        format!(
            "Asked for by {by} for the organisation on {}",
            v.raised_at.display_uk()
        )
    } else {
        format!("Raised by {by} on {}", v.raised_at.display_uk())
    };
    let approved = match (&v.decided_by, v.decided_at) {
        (Some(by), Some(at)) => format!("Approved by {by} on {}", at.display_uk()),
        _ => String::new(),
    };
    Ok(VariationSignOffView {
        variation_id,
        scheme_id: scheme.id,
        organisation: scheme.organisation_name.clone(),
        round,
        amount_before: v.amount_before,
        amount_after: v.amount_after,
        changes: v.changes.lines().map(str::to_string).collect(),
        reason: v.reason.clone(),
        raised,
        approved,
        note: v.decision_note.clone(),
        state: v.status.label().to_string(),
        answers,
        partner,
        can_answer: why_not.is_empty(),
        why_not,
    })
}

/// A partner approver approves or refuses a variation for their partner. The last approval
/// applies it.
#[server(prefix = "/api", endpoint = "sign-off/answer_variation")]
pub async fn answer_variation_sign_off(
    variation_id: i64,
    #[server(default)] answer: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_any_role(&[Role::PartnerApprover]).await?;
    let actor = user.actor();
    let answered = crate::service::schemes::answer_variation(
        state.ctx(),
        &actor,
        variation_id,
        (&answer, &reason),
    )
    .await
    .map_err(AppError::from);
    super::sign_off::answered_now(&state, answered, (&answer, &reason)).await
}
