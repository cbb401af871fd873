//! Applicants: the organisations they act for.
use crate::domain::organisation::{Organisation, OrganisationForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::service::organisations::{self as service, MemberChange, OrganisationError, Standing},
};

/// The answer to a refused change: the page's status (not found, not permitted), or the
/// refusal on the form `form` with what was typed.
#[cfg(feature = "ssr")]
async fn refused(form: &str, values: &[(&str, &str)], e: OrganisationError) -> AppError {
    if e.is_status() {
        auth::with_status(e.into())
    } else {
        auth::reject_form(form, values, e.into()).await
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyOrganisation {
    pub id: i64,
    pub name: String,
    pub is_owner: bool,
    /// The organisation this user acts for now (bids are started for it).
    pub acting: bool,
}

#[cfg(feature = "ssr")]
const ACTING_FOR: &str = "acting_for";

/// The organisation a user acts for: the one they chose, if they still belong to it, else
/// their only organisation. None when they belong to several and have not chosen.
#[cfg(feature = "ssr")]
pub async fn acting_for(
    memberships: &[db::organisations::MembershipRow],
) -> Result<Option<i64>, AppError> {
    let session = auth::session().await?;
    let chosen = session.get::<i64>(ACTING_FOR).await?;
    Ok(match chosen {
        Some(id) if memberships.iter().any(|m| m.id == id) => Some(id),
        _ if memberships.len() == 1 => memberships.first().map(|m| m.id),
        _ => None,
    })
}

/// Act for one of the user's organisations from now on: its name, or None if they do not
/// belong to it.
#[cfg(feature = "ssr")]
pub async fn choose_acting(
    state: &crate::state::AppState,
    user_id: i64,
    organisation_id: i64,
) -> Result<Option<String>, AppError> {
    let memberships = db::organisations::for_user(&state.pool, user_id).await?;
    let Some(name) = memberships
        .into_iter()
        .find(|m| m.id == organisation_id)
        .map(|m| m.name)
    else {
        return Ok(None);
    };
    auth::session()
        .await?
        .insert(ACTING_FOR, organisation_id)
        .await?;
    Ok(Some(name))
}

#[server(prefix = "/api", endpoint = "organisations/mine")]
pub async fn my_organisations() -> Result<Vec<MyOrganisation>, AppError> {
    let (state, user) = auth::require_user().await?;
    let memberships = db::organisations::for_user(&state.pool, user.id).await?;
    let acting = acting_for(&memberships).await?;
    Ok(memberships
        .into_iter()
        .map(|m| MyOrganisation {
            acting: acting == Some(m.id),
            id: m.id,
            name: m.name,
            is_owner: m.role == "owner",
        })
        .collect())
}

/// Choose which of your organisations you act for.
#[server(prefix = "/api", endpoint = "organisations/act_for")]
pub async fn act_for(organisation_id: i64) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let Some(name) = choose_acting(&state, user.id, organisation_id).await? else {
        return Err(auth::with_status(AppError::NotFound));
    };
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("You are now acting for {name}"),
        "/organisations",
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "organisations/register")]
pub async fn register_organisation(
    #[server(flatten)] form: OrganisationForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    match service::register(state.ctx(), &user.actor(), &form).await {
        Ok(done) => {
            let o = state.deliver(done).await;
            let message = format!("{} is registered. You are its owner", o.name);
            let to = format!("/organisations/{}", o.id);
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) => Err(auth::reject_with("register_organisation", &form, e.into()).await),
    }
}

/// The owner corrects the organisation's details.
#[server(prefix = "/api", endpoint = "organisations/update")]
pub async fn update_organisation(
    organisation_id: i64,
    #[server(flatten)] form: OrganisationForm,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    match service::update(state.ctx(), &user.actor(), organisation_id, &form).await {
        Ok(done) => {
            let o = state.deliver(done).await;
            let message = format!("{}'s details are updated", o.name);
            let to = format!("/organisations/{}", o.id);
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) if e.is_status() => Err(auth::with_status(e.into())),
        Err(e) => Err(auth::reject_with(UPDATE_ORGANISATION_FORM, &form, e.into()).await),
    }
}

pub const UPDATE_ORGANISATION_FORM: &str = "update_organisation";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub is_owner: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRecord {
    pub id: i64,
    pub organisation: Organisation,
    pub members: Vec<MemberView>,
    /// The viewer's own role: "owner", "member", or "" for a commissioner looking in.
    pub my_role: String,
    pub me: i64,
    /// Invitations not yet accepted: (email, expires), shown to the owner.
    pub pending: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "organisations/detail")]
pub async fn organisation_detail(id: i64) -> Result<OrganisationRecord, AppError> {
    let (state, user) = auth::require_user().await?;
    let my_role = match service::standing(state.ctx(), &user.actor(), id).await {
        Ok(Standing::Owner) => "owner",
        Ok(Standing::Member) => "member",
        Ok(Standing::Commissioner) => "",
        Err(e) => return Err(auth::with_status(e.into())),
    }
    .to_string();
    let organisation = db::organisations::get(&state.pool, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let members = db::organisations::members(&state.pool, id)
        .await?
        .into_iter()
        .map(|m| MemberView {
            user_id: m.id,
            name: m.full_name,
            email: m.email,
            is_owner: m.role == "owner",
        })
        .collect();
    let pending = if my_role == "owner" {
        db::organisations::pending_invites(&state.pool, id, db::now())
            .await?
            .into_iter()
            .map(|i| (i.email, i.expires_at.display_uk()))
            .collect()
    } else {
        vec![]
    };
    Ok(OrganisationRecord {
        id,
        organisation,
        members,
        my_role,
        me: user.id,
        pending,
    })
}

/// Invite a colleague by email: a single-use link that lasts 7 days.
#[server(prefix = "/api", endpoint = "organisations/invite")]
pub async fn invite_member(organisation_id: i64, email: String) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let client = auth::client_ip().await;
    match service::invite(state.ctx(), &user.actor(), organisation_id, &email, &client).await {
        Ok(done) => {
            let address = state.deliver(done).await;
            let message = format!("Invitation sent to {address}");
            let to = format!("/organisations/{organisation_id}");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) => Err(refused("invite_member", &[("email", email.as_str())], e).await),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub organisation: String,
    pub email: String,
    /// The signed-in user's email, if anyone is signed in.
    pub signed_in_as: Option<String>,
}

/// What an invitation link is for, if it is still live.
#[server(prefix = "/api", endpoint = "organisations/invitation")]
pub async fn invitation(token: String) -> Result<Option<InvitationInfo>, AppError> {
    let state = crate::state::app_state()?;
    let session = auth::session().await?;
    let user = auth::current_user(&state, &session).await?;
    Ok(db::organisations::live_invite(
        &state.pool,
        &crate::service::tokens::token_digest(&token),
        db::now(),
    )
    .await?
    .map(|i| InvitationInfo {
        organisation: i.name,
        email: i.email,
        signed_in_as: user.map(|u| u.email),
    }))
}

/// Accept an invitation. It must be for the signed-in user's email address, so a
/// forwarded link does not let someone else in.
#[server(prefix = "/api", endpoint = "organisations/accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    match service::accept(state.ctx(), &user.actor(), &token).await {
        Ok(done) => {
            let joined = state.deliver(done).await;
            let message = format!("You are now a member of {}", joined.name);
            let to = format!("/organisations/{}", joined.organisation_id);
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) => Err(refused("accept_invitation", &[], e).await),
    }
}

#[server(prefix = "/api", endpoint = "organisations/remove_member")]
pub async fn remove_member(organisation_id: i64, user_id: i64) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let change = MemberChange::Remove(user_id);
    match service::change_member(state.ctx(), &user.actor(), organisation_id, change).await {
        Ok(done) => {
            let who = state.deliver(done).await;
            let message = format!("{who} is no longer a member");
            let to = format!("/organisations/{organisation_id}");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) => Err(refused("organisation_action", &[], e).await),
    }
}

#[server(prefix = "/api", endpoint = "organisations/hand_over")]
pub async fn hand_over(organisation_id: i64, user_id: i64) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let change = MemberChange::HandOver(user_id);
    match service::change_member(state.ctx(), &user.actor(), organisation_id, change).await {
        Ok(done) => {
            let who = state.deliver(done).await;
            let message = format!("{who} is now the owner");
            let to = format!("/organisations/{organisation_id}");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) => Err(refused("organisation_action", &[], e).await),
    }
}
