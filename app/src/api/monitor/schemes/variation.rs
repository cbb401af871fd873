//! Variations to an award (the rules are in `crate::service::schemes::variation`): the
//! organisation asks for one, a commissioner raises one or decides one asked for.
// The variation form posts each of its fields by name (the browser side's generated call
// takes them all as arguments too).
#![allow(clippy::too_many_arguments)]
use crate::domain::money::Pence;
use crate::domain::monitoring::VariableTranche;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    super::ending::{done, refused},
    crate::auth,
    crate::domain::monitoring::AwardVariationForm,
    crate::domain::roles::Role,
    crate::service::schemes::{self as service, ChangeError},
};

/// The kept form of the variation page (a decision on the scheme page keeps the scheme
/// page's form, `SCHEME_FORM`).
pub const VARIATION_FORM: &str = "vary_award";

/// The award as the variation page starts from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardVariationData {
    pub scheme_id: i64,
    pub organisation: String,
    pub amount: Pence,
    /// Paid or approved: stays as it is.
    pub fixed: Pence,
    pub conditions: String,
    pub tranches: Vec<VariableTranche>,
    /// A commissioner (varies it now) rather than a member (asks for it).
    pub is_commissioner: bool,
    /// Why the award cannot be varied now.
    pub refusal: Option<String>,
    /// The award's version as shown (the form sends it back).
    #[serde(default)]
    pub based_on: String,
}

/// The award as it stands, for its variation page (members and commissioners).
#[server(prefix = "/api", endpoint = "schemes/variation_page")]
pub async fn variation_page(id: i64) -> Result<AwardVariationData, AppError> {
    let (state, user) = auth::require_user().await?;
    let loaded = super::load_scheme_for(state, user, id)
        .await
        .map_err(auth::with_status)?;
    let is_commissioner = !loaded.is_member && loaded.user.has(Role::Commissioner);
    let need = if loaded.is_member {
        service::Need::Member
    } else {
        service::Need::Commissioner
    };
    let actor = loaded.user.actor();
    let scheme = &loaded.scheme;
    let mut page = AwardVariationData {
        scheme_id: id,
        organisation: scheme.organisation_name.clone(),
        amount: scheme.amount,
        fixed: scheme.amount,
        conditions: scheme.conditions.clone(),
        tranches: Vec::new(),
        is_commissioner,
        refusal: None,
        based_on: String::new(),
    };
    match service::variable(loaded.state.ctx(), &actor, id, need).await {
        Ok(v) => {
            page.fixed = v.fixed;
            page.based_on = service::award_version_token(&v.tranches, &v.scheme.conditions);
            page.tranches = v.tranches;
        }
        Err(ChangeError::NotNow(why)) => page.refusal = Some(why.to_string()),
        Err(e) => return Err(auth::with_status(e.into())),
    }
    Ok(page)
}

/// A member asks for a variation; a commissioner varies the award at once.
#[server(prefix = "/api", endpoint = "schemes/vary")]
pub async fn vary_award(
    scheme_id: i64,
    #[server(default)] amount: BTreeMap<String, String>,
    #[server(default)] due: BTreeMap<String, String>,
    #[server(default)] milestone: BTreeMap<String, String>,
    #[server(default)] remove: BTreeMap<String, String>,
    #[server(default)] new_amount: String,
    #[server(default)] new_due_day: String,
    #[server(default)] new_due_month: String,
    #[server(default)] new_due_year: String,
    #[server(default)] new_milestone: String,
    #[server(default)] conditions: String,
    #[server(default)] reason: String,
    #[server(default)] based_on: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let form = AwardVariationForm {
        amount,
        due,
        milestone,
        remove,
        new_tranche: crate::domain::monitoring::NewTrancheForm {
            amount: new_amount,
            day: new_due_day,
            month: new_due_month,
            year: new_due_year,
            milestone: new_milestone,
        },
        conditions,
        reason,
        based_on,
    };
    let actor = user.actor();
    let member = service::access(state.ctx(), &actor, scheme_id)
        .await
        .map(|a| a.is_member)
        .map_err(|e| auth::with_status(e.into()))?;
    let outcome = if member {
        service::request_variation(state.ctx(), &actor, scheme_id, &form)
            .await
            .map(|done| {
                (
                    done.mail,
                    "Your request has been sent. A commissioner will decide it".to_string(),
                )
            })
    } else {
        service::raise_variation(state.ctx(), &actor, scheme_id, &form)
            .await
            .map(|done| (done.mail, outcome_notice(done.value)))
    };
    match outcome {
        Ok((mail, message)) => {
            state
                .deliver(crate::service::Done { value: (), mail })
                .await;
            done(scheme_id, &message).await
        }
        Err(e) => Err(refused(VARIATION_FORM, &typed(&form), e).await),
    }
}

/// What the commissioner is told once they have varied an award or decided a variation.
#[cfg(feature = "ssr")]
fn outcome_notice(outcome: service::VariationOutcome) -> String {
    match outcome {
        service::VariationOutcome::Varied(amount) => format!(
            "The award has been varied: it is now {}. The organisation has been told",
            amount.display()
        ),
        service::VariationOutcome::AwaitingSignOff => "The variation adds money to the award, so it now awaits the partners' sign-off. The money is available; it is committed, and the organisation told, when every partner has approved".to_string(),
        service::VariationOutcome::Refused => {
            "The variation is refused. The organisation has been told why".to_string()
        }
    }
}

/// The form as typed, by the names its fields post.
#[cfg(feature = "ssr")]
fn typed(form: &AwardVariationForm) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for (prefix, map) in [
        ("amount", &form.amount),
        ("due", &form.due),
        ("milestone", &form.milestone),
        ("remove", &form.remove),
    ] {
        for (k, v) in map {
            values.insert(format!("{prefix}[{k}]"), v.clone());
        }
    }
    let n = &form.new_tranche;
    for (name, value) in [
        ("new_amount", &n.amount),
        ("new_due_day", &n.day),
        ("new_due_month", &n.month),
        ("new_due_year", &n.year),
        ("new_milestone", &n.milestone),
    ] {
        values.insert(name.into(), value.clone());
    }
    values.insert("conditions".into(), form.conditions.clone());
    values.insert("reason".into(), form.reason.clone());
    values
}

/// A commissioner approves (applying it) or refuses (with a note) a variation asked for.
#[server(prefix = "/api", endpoint = "schemes/decide_variation")]
pub async fn decide_variation(
    scheme_id: i64,
    variation_id: i64,
    #[server(default)] decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    // Who first: only commissioners decide, whatever was posted.
    let (state, user) = auth::require_commissioner().await?;
    let typed: BTreeMap<String, String> = [
        ("variation_id".to_string(), variation_id.to_string()),
        ("decision".to_string(), decision.clone()),
        ("note".to_string(), note.clone()),
    ]
    .into();
    let approve = match decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => {
            let e = ChangeError::Invalid(vec![crate::error::FieldError::new(
                "decision",
                "Select whether you approve or refuse the variation",
            )]);
            return Err(refused(super::SCHEME_FORM, &typed, e).await);
        }
    };
    let ids = (scheme_id, variation_id);
    match service::decide_variation(state.ctx(), &user.actor(), ids, approve, &note).await {
        Ok(outcome) => {
            let outcome = state.deliver(outcome).await;
            done(scheme_id, &outcome_notice(outcome)).await
        }
        Err(e) => Err(refused(super::SCHEME_FORM, &typed, e).await),
    }
}

/// A variation as the award's history shows it.
#[cfg(feature = "ssr")]
pub(super) fn variation_view(v: crate::db::variations::VariationRow) -> super::VariationView {
    let by = v.raised_by.unwrap_or_else(|| "Seedbed".into());
    let who = if v.by_organisation == 1 {
        format!("Asked for by {by} for the organisation")
    } else {
        format!("Raised by {by}")
    };
    super::VariationView {
        id: v.id,
        status: v.status,
        raised: format!("{who} on {}", v.raised_at.display_uk()),
        changes: v.changes.lines().map(str::to_string).collect(),
        reason: v.reason,
        decided: match (v.decided_by, v.decided_at) {
            (Some(by), Some(at)) if v.by_organisation == 1 => Some(format!(
                "{} by {by} on {}",
                v.status.label(),
                at.display_uk()
            )),
            _ => None,
        },
        note: v.decision_note,
        amount_before: v.amount_before,
        amount_after: v.amount_after,
    }
}
