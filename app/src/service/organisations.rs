//! Organisations and their members: registering one (its creator owns it), who may see it,
//! inviting colleagues by a single-use link, joining, removing a member and handing over
//! ownership. Each change is audited against the organisation.
use super::{Actor, Ctx, Done};
use crate::db;
use crate::domain::email::Email;
use crate::domain::organisation::{Organisation, OrganisationForm};
use crate::domain::roles::Role;
use crate::domain::throttle::MailRequest;
use crate::domain::time::UtcTime;
use crate::error::{AppError, FieldError};

/// How long an invitation link lasts.
pub const INVITATION_HOURS: i64 = 24 * 7;

/// Why a change to an organisation was not made (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    /// No such organisation, or the actor is not a member (nor a commissioner).
    #[error("page not found")]
    NotFound,
    /// A member who is not the owner.
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("You have sent too many invitations in the last hour. Try again later")]
    TooManyInvitations,
    #[error("This invitation has expired or has already been used. Ask the organisation's owner to invite you again")]
    InvitationGone,
    #[error("This invitation was sent to {0}. Sign in with that email address to accept it")]
    WrongAddress(String),
    #[error(
        "Only members can be removed. To leave as the owner, first make someone else the owner"
    )]
    NotAMember,
    #[error("Choose another member of the organisation to be its owner")]
    ChooseAnotherOwner,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<OrganisationError> for AppError {
    fn from(e: OrganisationError) -> Self {
        match e {
            OrganisationError::NotFound => AppError::NotFound,
            OrganisationError::Forbidden => AppError::Forbidden,
            OrganisationError::Invalid(errors) => AppError::Invalid(errors),
            OrganisationError::TooManyInvitations => AppError::TooManyRequests(e.to_string()),
            OrganisationError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

impl OrganisationError {
    /// A refusal that is the page's own status rather than a message on the form.
    pub fn is_status(&self) -> bool {
        matches!(
            self,
            OrganisationError::NotFound | OrganisationError::Forbidden
        )
    }
}

/// How the actor stands with an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Owner,
    Member,
    /// A commissioner who is not a member, looking in.
    Commissioner,
}

/// Who may see an organisation: its members and commissioners. Anyone else is told it does
/// not exist.
pub async fn standing(
    ctx: Ctx<'_>,
    actor: &Actor,
    organisation_id: i64,
) -> Result<Standing, OrganisationError> {
    match db::organisations::role_of(ctx.pool, organisation_id, actor.id)
        .await?
        .as_deref()
    {
        Some("owner") => Ok(Standing::Owner),
        Some(_) => Ok(Standing::Member),
        None if actor.has(Role::Commissioner) => Ok(Standing::Commissioner),
        None => Err(OrganisationError::NotFound),
    }
}

/// Only the owner may manage members; other members are refused, anyone else is told the
/// organisation does not exist.
async fn owner(ctx: Ctx<'_>, actor: &Actor, organisation_id: i64) -> Result<(), OrganisationError> {
    match db::organisations::role_of(ctx.pool, organisation_id, actor.id)
        .await?
        .as_deref()
    {
        Some("owner") => Ok(()),
        Some(_) => Err(OrganisationError::Forbidden),
        None => Err(OrganisationError::NotFound),
    }
}

/// An audit entry about an organisation.
fn about(
    actor: &Actor,
    action: &'static str,
    organisation_id: i64,
    summary: String,
) -> db::audit::Entry<'static> {
    db::audit::Entry {
        actor: Some(actor.id),
        action,
        subject_type: "organisation",
        subject_id: organisation_id.to_string(),
        summary,
        before: None,
        after: None,
    }
}

/// A registered organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: i64,
    pub name: String,
}

/// Register an organisation; the person registering it is its owner.
pub async fn register(
    ctx: Ctx<'_>,
    actor: &Actor,
    form: &OrganisationForm,
) -> Result<Done<Registered>, OrganisationError> {
    let organisation: Organisation = form.parse().map_err(OrganisationError::Invalid)?;
    let mut tx = ctx.pool.begin().await?;
    // One record per charity or company: a second registration is refused, with the way in.
    registered_once(&mut tx, &organisation, 0).await?;
    let id = db::organisations::insert(&mut tx, &organisation, actor.id, db::now()).await?;
    let mut entry = about(
        actor,
        "organisation.registered",
        id,
        format!(
            "Organisation registered: {} ({})",
            organisation.name,
            organisation.legal_form.label()
        ),
    );
    entry.after = Some(format!("Owner: {}", actor.email));
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Done {
        value: Registered {
            id,
            name: organisation.name,
        },
        mail: Vec::new(),
    })
}

/// One record per charity or company: refused, with the way in, when another organisation
/// (not `except`) holds the number.
async fn registered_once(
    conn: &mut sqlx::AnyConnection,
    organisation: &Organisation,
    except: i64,
) -> Result<(), OrganisationError> {
    let charity = organisation.charity_number.as_ref().map(|c| c.as_str());
    let company = organisation.company_number.as_ref().map(|c| c.as_str());
    let Some(taken) = db::organisations::registered_with(conn, charity, company, except).await?
    else {
        return Ok(());
    };
    let (field, what) = if taken.by_charity {
        ("charity_number", "charity number")
    } else {
        ("company_number", "company number")
    };
    let message = format!(
        "{} is already registered in Seedbed with this {what}. Ask its owner to invite you to it, or contact the commissioning team if you think this is wrong",
        taken.name
    );
    Err(OrganisationError::Invalid(vec![FieldError::new(
        field, message,
    )]))
}

/// The owner corrects the organisation's details (a member is refused; anyone else is told
/// it does not exist). Audited with what changed.
pub async fn update(
    ctx: Ctx<'_>,
    actor: &Actor,
    organisation_id: i64,
    form: &OrganisationForm,
) -> Result<Done<Registered>, OrganisationError> {
    owner(ctx, actor, organisation_id).await?;
    let before = db::organisations::get(ctx.pool, organisation_id)
        .await?
        .ok_or(OrganisationError::NotFound)?;
    let after: Organisation = form.parse().map_err(OrganisationError::Invalid)?;
    let changed = before.changes(&after);
    let mut tx = ctx.pool.begin().await?;
    registered_once(&mut tx, &after, organisation_id).await?;
    if !changed.is_empty() {
        db::organisations::update(&mut tx, organisation_id, &after, db::now()).await?;
        let summary = format!("Organisation details corrected: {}", changed.join(", "));
        db::audit::record(
            &mut tx,
            about(actor, "organisation.updated", organisation_id, summary),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Done {
        value: Registered {
            id: organisation_id,
            name: after.name,
        },
        mail: Vec::new(),
    })
}

/// Invite someone by email to join: a single-use link that lasts a week, mailed to them.
/// `client` is the address the request came from: a few invitations an hour may go to one
/// address, and from one client, so no one can flood an inbox. The value is the address.
pub async fn invite(
    ctx: Ctx<'_>,
    actor: &Actor,
    organisation_id: i64,
    email: &str,
    client: &str,
) -> Result<Done<String>, OrganisationError> {
    owner(ctx, actor, organisation_id).await?;
    let address = Email::parse("email", email).map_err(|e| OrganisationError::Invalid(vec![e]))?;
    let already = db::organisations::members(ctx.pool, organisation_id)
        .await?
        .into_iter()
        .any(|m| m.email == address.as_str());
    if already {
        let message = format!("{} is already a member", address.as_str());
        return Err(OrganisationError::Invalid(vec![FieldError::new(
            "email", message,
        )]));
    }
    let (to_address, from_client) = db::throttle::mail_request(
        ctx.pool,
        MailRequest::Invitation,
        address.as_str(),
        client,
        chrono::Utc::now(),
    )
    .await?;
    match MailRequest::Invitation.allowed(to_address, from_client) {
        (true, true) => {}
        (false, _) => {
            let message = format!(
                "{} has been sent several invitations in the last hour. Ask them to look for the invitation, or try again later",
                address.as_str()
            );
            return Err(OrganisationError::Invalid(vec![FieldError::new(
                "email", message,
            )]));
        }
        (true, false) => return Err(OrganisationError::TooManyInvitations),
    }
    let organisation = db::organisations::get(ctx.pool, organisation_id)
        .await?
        .ok_or(OrganisationError::NotFound)?;
    let (token, digest) = super::tokens::new_token();
    let expires = UtcTime(chrono::Utc::now() + chrono::Duration::hours(INVITATION_HOURS));
    let mut tx = ctx.pool.begin().await?;
    db::organisations::insert_invite(
        &mut tx,
        organisation_id,
        address.as_str(),
        &digest,
        actor.id,
        expires,
        db::now(),
    )
    .await?;
    let summary = format!("{} invited {}", actor.email, address.as_str());
    db::audit::record(
        &mut tx,
        about(
            actor,
            "organisation.member_invited",
            organisation_id,
            summary,
        ),
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/organisations/join?token={token}", ctx.base_url);
    let mail = crate::mail::organisation_invitation(
        address.as_str(),
        &actor.full_name,
        &organisation.name,
        &link,
    );
    Ok(Done {
        value: address.as_str().to_string(),
        mail: vec![mail],
    })
}

/// A person joined an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub organisation_id: i64,
    pub name: String,
}

/// Accept an invitation. It must be for the actor's email address, so a forwarded link does
/// not let someone else in; it can be used once.
pub async fn accept(
    ctx: Ctx<'_>,
    actor: &Actor,
    token: &str,
) -> Result<Done<Joined>, OrganisationError> {
    let digest = super::tokens::token_digest(token);
    let now = db::now();
    let invite = db::organisations::live_invite(ctx.pool, &digest, now)
        .await?
        .ok_or(OrganisationError::InvitationGone)?;
    if invite.email != actor.email {
        return Err(OrganisationError::WrongAddress(invite.email));
    }
    let mut tx = ctx.pool.begin().await?;
    let organisation_id = db::organisations::consume_invite(&mut tx, &digest, now)
        .await?
        .ok_or(OrganisationError::InvitationGone)?
        .organisation_id;
    db::organisations::add_member(&mut tx, organisation_id, actor.id, now).await?;
    let summary = format!("{} joined", actor.email);
    db::audit::record(
        &mut tx,
        about(
            actor,
            "organisation.member_joined",
            organisation_id,
            summary,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: Joined {
            organisation_id,
            name: invite.name,
        },
        mail: Vec::new(),
    })
}

/// A change the owner makes to who belongs: removing a member, or handing over ownership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Remove this member (never the owner).
    Remove(i64),
    /// Make this member the owner; the owner becomes a member.
    HandOver(i64),
}

/// The owner changes who belongs. The value is the email address of the member changed.
pub async fn change_member(
    ctx: Ctx<'_>,
    actor: &Actor,
    organisation_id: i64,
    change: MemberChange,
) -> Result<Done<String>, OrganisationError> {
    owner(ctx, actor, organisation_id).await?;
    let (MemberChange::Remove(member) | MemberChange::HandOver(member)) = change;
    let who = db::users::by_id(ctx.pool, member)
        .await?
        .map(|m| m.email)
        .unwrap_or_default();
    let mut tx = ctx.pool.begin().await?;
    let (action, summary) = match change {
        MemberChange::Remove(_) => {
            if !db::organisations::remove_member(&mut tx, organisation_id, member).await? {
                return Err(OrganisationError::NotAMember);
            }
            (
                "organisation.member_removed",
                format!("{} removed {who}", actor.email),
            )
        }
        MemberChange::HandOver(_) => {
            if member == actor.id
                || !db::organisations::hand_over(&mut tx, organisation_id, actor.id, member).await?
            {
                return Err(OrganisationError::ChooseAnotherOwner);
            }
            let summary = format!("{} handed ownership to {who}", actor.email);
            ("organisation.owner_changed", summary)
        }
    };
    db::audit::record(&mut tx, about(actor, action, organisation_id, summary)).await?;
    tx.commit().await?;
    Ok(Done {
        value: who,
        mail: Vec::new(),
    })
}
