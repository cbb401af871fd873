//! Applicants: the organisations they act for.
use crate::domain::organisation::{Organisation, OrganisationForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::auth, crate::db, crate::domain::roles::Role};

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
    let memberships = db::organisations::for_user(&state.pool, user.id).await?;
    let Some(name) = memberships
        .iter()
        .find(|m| m.id == organisation_id)
        .map(|m| &m.name)
    else {
        return Err(auth::with_status(AppError::NotFound));
    };
    let session = auth::session().await?;
    session.insert(ACTING_FOR, organisation_id).await?;
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
    let organisation = match form.parse() {
        Ok(o) => o,
        Err(errors) => {
            return Err(auth::reject_with(
                "register_organisation",
                &form,
                AppError::Invalid(errors),
            )
            .await)
        }
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let id = db::organisations::insert(&mut tx, &organisation, user.id, now).await?;
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "organisation.registered",
            subject_type: "organisation",
            subject_id: id.to_string(),
            summary: format!(
                "Organisation registered: {} ({})",
                organisation.name,
                organisation.legal_form.label()
            ),
            before: None,
            after: Some(format!("Owner: {}", user.email)),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{} is registered. You are its owner", organisation.name),
        &format!("/organisations/{id}"),
    )
    .await?;
    Ok(())
}

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

/// Who may see an organisation: its members and commissioners. Anyone else is told it
/// does not exist. Returns the viewer's role ("" for a commissioner who is not a member).
#[cfg(feature = "ssr")]
pub async fn can_view_organisation(
    pool: &sqlx::AnyPool,
    user: &auth::CurrentUser,
    organisation_id: i64,
) -> Result<String, AppError> {
    match db::organisations::role_of(pool, organisation_id, user.id).await? {
        Some(role) => Ok(role),
        None if user.has(Role::Commissioner) => Ok(String::new()),
        None => Err(auth::with_status(AppError::NotFound)),
    }
}

#[server(prefix = "/api", endpoint = "organisations/detail")]
pub async fn organisation_detail(id: i64) -> Result<OrganisationRecord, AppError> {
    let (state, user) = auth::require_user().await?;
    let my_role = can_view_organisation(&state.pool, &user, id).await?;
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

/// The signed-in user must own the organisation. Non-members are told it does not exist;
/// members who are not the owner are refused.
#[cfg(feature = "ssr")]
async fn owner_of(
    organisation_id: i64,
) -> Result<(crate::state::AppState, auth::CurrentUser), AppError> {
    let (state, user) = auth::require_user().await?;
    match db::organisations::role_of(&state.pool, organisation_id, user.id)
        .await?
        .as_deref()
    {
        Some("owner") => Ok((state, user)),
        Some(_) => Err(auth::with_status(AppError::Forbidden)),
        None => Err(auth::with_status(AppError::NotFound)),
    }
}

#[cfg(feature = "ssr")]
async fn audit_membership(
    tx: &mut sqlx::AnyConnection,
    actor: i64,
    action: &str,
    organisation_id: i64,
    summary: String,
) -> Result<(), AppError> {
    db::audit::record(
        tx,
        db::audit::Entry {
            actor: Some(actor),
            action,
            subject_type: "organisation",
            subject_id: organisation_id.to_string(),
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Invite a colleague by email: a single-use link that lasts 7 days.
#[server(prefix = "/api", endpoint = "organisations/invite")]
pub async fn invite_member(organisation_id: i64, email: String) -> Result<(), AppError> {
    let (state, user) = owner_of(organisation_id).await?;
    let values = [("email", email.as_str())];
    let address = match crate::domain::email::Email::parse("email", &email) {
        Ok(a) => a,
        Err(e) => {
            return Err(
                auth::reject_form("invite_member", &values, AppError::Invalid(vec![e])).await,
            )
        }
    };
    let already = db::organisations::members(&state.pool, organisation_id)
        .await?
        .into_iter()
        .any(|m| m.email == address.as_str());
    if already {
        let error = AppError::field(
            "email",
            &format!("{} is already a member", address.as_str()),
        );
        return Err(auth::reject_form("invite_member", &values, error).await);
    }
    // No one can use invitations to flood an inbox: a few an hour to one address, and
    // from one client.
    use crate::domain::throttle::MailRequest;
    let ip = auth::client_ip().await;
    let (to_address, from_client) = db::throttle::mail_request(
        &state.pool,
        MailRequest::Invitation,
        address.as_str(),
        &ip,
        chrono::Utc::now(),
    )
    .await?;
    let error = match MailRequest::Invitation.allowed(to_address, from_client) {
        (true, true) => None,
        (false, _) => Some(AppError::field(
            "email",
            &format!(
                "{} has been sent several invitations in the last hour. Ask them to look for the invitation, or try again later",
                address.as_str()
            ),
        )),
        (true, false) => Some(AppError::TooManyRequests(
            "You have sent too many invitations in the last hour. Try again later".into(),
        )),
    };
    if let Some(error) = error {
        return Err(auth::reject_form("invite_member", &values, error).await);
    }
    let organisation = db::organisations::get(&state.pool, organisation_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let (token, digest) = auth::new_token();
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    db::organisations::insert_invite(
        &mut tx,
        organisation_id,
        address.as_str(),
        &digest,
        user.id,
        crate::api::account::expires_in(24 * 7),
        now,
    )
    .await?;
    audit_membership(
        &mut tx,
        user.id,
        "organisation.member_invited",
        organisation_id,
        format!("{} invited {}", user.email, address.as_str()),
    )
    .await?;
    tx.commit().await?;
    let link = format!(
        "{}/organisations/join?token={token}",
        state.settings.base_url
    );
    crate::api::account::send_mail(
        &state,
        crate::mail::organisation_invitation(
            address.as_str(),
            &user.full_name,
            &organisation.name,
            &link,
        ),
    )
    .await;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Invitation sent to {}", address.as_str()),
        &format!("/organisations/{organisation_id}"),
    )
    .await?;
    Ok(())
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
    Ok(
        db::organisations::live_invite(&state.pool, &auth::token_digest(&token), db::now())
            .await?
            .map(|i| InvitationInfo {
                organisation: i.name,
                email: i.email,
                signed_in_as: user.map(|u| u.email),
            }),
    )
}

/// Accept an invitation. It must be for the signed-in user's email address, so a
/// forwarded link does not let someone else in.
#[server(prefix = "/api", endpoint = "organisations/accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let digest = auth::token_digest(&token);
    let now = db::now();
    let Some(db::organisations::InviteRow { name, email, .. }) =
        db::organisations::live_invite(&state.pool, &digest, now).await?
    else {
        let error = AppError::Conflict("This invitation has expired or has already been used. Ask the organisation's owner to invite you again".into());
        return Err(auth::reject_form("accept_invitation", &[], error).await);
    };
    if email != user.email {
        let error = AppError::Conflict(format!(
            "This invitation was sent to {email}. Sign in with that email address to accept it"
        ));
        return Err(auth::reject_form("accept_invitation", &[], error).await);
    }
    let mut tx = state.pool.begin().await?;
    let Some(organisation_id) = db::organisations::consume_invite(&mut tx, &digest, now)
        .await?
        .map(|i| i.organisation_id)
    else {
        let error = AppError::Conflict("This invitation has expired or has already been used. Ask the organisation's owner to invite you again".into());
        return Err(auth::reject_form("accept_invitation", &[], error).await);
    };
    db::organisations::add_member(&mut tx, organisation_id, user.id, now).await?;
    audit_membership(
        &mut tx,
        user.id,
        "organisation.member_joined",
        organisation_id,
        format!("{} joined", user.email),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("You are now a member of {name}"),
        &format!("/organisations/{organisation_id}"),
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "organisations/remove_member")]
pub async fn remove_member(organisation_id: i64, user_id: i64) -> Result<(), AppError> {
    let (state, user) = owner_of(organisation_id).await?;
    let member = db::users::by_id(&state.pool, user_id).await?;
    let mut tx = state.pool.begin().await?;
    if !db::organisations::remove_member(&mut tx, organisation_id, user_id).await? {
        let error = AppError::Conflict(
            "Only members can be removed. To leave as the owner, first make someone else the owner"
                .into(),
        );
        return Err(auth::reject_form("organisation_action", &[], error).await);
    }
    let who = member.map(|m| m.email).unwrap_or_default();
    audit_membership(
        &mut tx,
        user.id,
        "organisation.member_removed",
        organisation_id,
        format!("{} removed {who}", user.email),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{who} is no longer a member"),
        &format!("/organisations/{organisation_id}"),
    )
    .await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "organisations/hand_over")]
pub async fn hand_over(organisation_id: i64, user_id: i64) -> Result<(), AppError> {
    let (state, user) = owner_of(organisation_id).await?;
    let member = db::users::by_id(&state.pool, user_id).await?;
    let mut tx = state.pool.begin().await?;
    if user_id == user.id
        || !db::organisations::hand_over(&mut tx, organisation_id, user.id, user_id).await?
    {
        drop(tx);
        let error =
            AppError::Conflict("Choose another member of the organisation to be its owner".into());
        return Err(auth::reject_form("organisation_action", &[], error).await);
    }
    let who = member.map(|m| m.email).unwrap_or_default();
    audit_membership(
        &mut tx,
        user.id,
        "organisation.owner_changed",
        organisation_id,
        format!("{} handed ownership to {who}", user.email),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{who} is now the owner"),
        &format!("/organisations/{organisation_id}"),
    )
    .await?;
    Ok(())
}
