//! Variations to an award: the organisation asks for one with a reason, or a commissioner
//! raises one; a commissioner's approval applies it. Applying it changes the tranches not yet
//! approved or paid, the award's amount and conditions, and the money in each year's fund:
//! more is committed against a year that can cover it (refused, naming the year, when it
//! cannot), less is given back to that year's uncommitted money. Audited; the scheme page
//! shows the award's history.
use super::variation_money::{apply, plan};
use super::variation_sign_off::{ask_partners, waits_for_partners, VariationOutcome};
use super::{entry, scheme_for, to_members, ChangeError, Need};
use crate::db;
use crate::db::schemes::SchemeRow;
use crate::domain::money::Pence;
use crate::domain::monitoring::{
    parse_variation, AwardVariationForm, Proposal, SchemeStatus, VariableTranche, VariationStatus,
};
use crate::domain::time::Day;
use crate::service::{Actor, Ctx, Done};

/// The award as a variation finds it: the tranches it may change (with the fund each is
/// charged to), what is paid or approved and stays, the conditions.
pub struct Variable {
    pub scheme: SchemeRow,
    pub tranches: Vec<VariableTranche>,
    pub funds: Vec<Option<i64>>,
    pub fixed: Pence,
}

/// The scheme and its variable tranches, for someone allowed (`need`). A variation is for a
/// scheme that is awarded, active or suspended.
pub async fn variable(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    need: Need,
) -> Result<Variable, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, need).await?;
    variable_of(ctx, scheme).await
}

/// The scheme's variable tranches (for a use case that has checked who may act).
pub(crate) async fn variable_of(ctx: Ctx<'_>, scheme: SchemeRow) -> Result<Variable, ChangeError> {
    if !matches!(
        scheme.status,
        SchemeStatus::Awarded | SchemeStatus::Active | SchemeStatus::Suspended
    ) {
        return Err(ChangeError::NotNow(
            "This scheme has closed: its award can no longer be varied",
        ));
    }
    let mut conn = ctx.pool.acquire().await?;
    let rows = db::variations::variable_tranches(&mut conn, scheme.id).await?;
    let (tranches, funds): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    if tranches.is_empty() {
        return Err(ChangeError::NotNow(
            "Every tranche of this award is approved or paid: there is nothing left to vary",
        ));
    }
    let variable: i64 = tranches.iter().map(|t: &VariableTranche| t.amount.0).sum();
    let fixed = Pence(scheme.amount.0 - variable);
    Ok(Variable {
        scheme,
        tranches,
        funds,
        fixed,
    })
}

/// The digest of the award as a variation page shows it (sent back with the form).
pub fn award_version_token(tranches: &[VariableTranche], conditions: &str) -> String {
    use sha2::{Digest, Sha256};
    let text = crate::domain::monitoring::award_version(tranches, conditions);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Refused when the form was filled in on a page showing the award before another change.
fn same_version(form: &AwardVariationForm, v: &Variable) -> Result<(), ChangeError> {
    let now = award_version_token(&v.tranches, &v.scheme.conditions);
    if form.based_on.is_empty() || form.based_on == now {
        Ok(())
    } else {
        Err(ChangeError::Refused(
            "The award has changed since you opened this page: the page now shows it as it is. Check your changes against it and send them again".into(),
        ))
    }
}

/// The form checked against the award as it stands (and as the page showed it): the
/// proposal, its reason, and what it changes line by line.
fn checked(
    form: &AwardVariationForm,
    v: &Variable,
) -> Result<(Proposal, String, Vec<String>), ChangeError> {
    same_version(form, v)?;
    let today = Day::today_uk().0;
    let (proposal, reason) =
        parse_variation(form, &v.tranches, (v.fixed, &v.scheme.conditions), today)
            .map_err(ChangeError::Invalid)?;
    let changes = proposal.changes(&v.tranches, &v.scheme.conditions);
    Ok((proposal, reason, changes))
}

/// A member of the organisation asks for a variation, with a reason: kept as requested and
/// the commissioners are told. The value is the variation's id.
pub async fn request_variation(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    form: &AwardVariationForm,
) -> Result<Done<i64>, ChangeError> {
    let v = variable(ctx, actor, scheme_id, Need::Member).await?;
    let (proposal, reason, changes) = checked(form, &v)?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let status = VariationStatus::Requested;
    let made = (&proposal, changes.as_slice());
    let id = db::variations::insert(
        &mut tx, scheme_id, status, true, made, &reason, actor.id, now,
    )
    .await?;
    let summary = format!(
        "Variation asked for: {}. Reason: {reason}",
        changes.join("; ")
    );
    let action = "scheme.variation_requested";
    db::audit::record(&mut tx, entry(actor, &v.scheme, action, summary)).await?;
    tx.commit().await?;
    Ok(Done {
        value: id,
        mail: Vec::new(),
    })
}

/// A commissioner raises a variation and it is applied at once (money permitting), or, when
/// it adds money and the partners sign off, it waits for them (the approvers are asked).
/// The organisation's members are told once it is applied.
pub async fn raise_variation(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    form: &AwardVariationForm,
) -> Result<Done<VariationOutcome>, ChangeError> {
    let v = variable(ctx, actor, scheme_id, Need::Commissioner).await?;
    let (proposal, reason, changes) = checked(form, &v)?;
    let plan = plan(ctx, &v, &proposal).await?;
    let now = db::now();
    let waits = waits_for_partners(ctx, &v, &proposal, &plan, (actor.id, now)).await?;
    let mut tx = ctx.pool.begin().await?;
    let (status, action, summary) = if waits {
        (
            VariationStatus::AwaitingSignOff,
            "scheme.variation_recommended",
            format!(
                "Variation raised, awaiting the partners' sign-off: {}. Reason: {reason}",
                changes.join("; ")
            ),
        )
    } else {
        apply(&mut tx, &v, &proposal, &plan, (actor.id, now)).await?;
        (
            VariationStatus::Approved,
            "scheme.varied",
            format!("Award varied: {}. Reason: {reason}", changes.join("; ")),
        )
    };
    let made = (&proposal, changes.as_slice());
    let id = db::variations::insert(
        &mut tx, scheme_id, status, false, made, &reason, actor.id, now,
    )
    .await?;
    db::audit::record(&mut tx, entry(actor, &v.scheme, action, summary)).await?;
    tx.commit().await?;
    if waits {
        return Ok(Done {
            value: VariationOutcome::AwaitingSignOff,
            mail: ask_partners(ctx, &v, &proposal, id).await?,
        });
    }
    let mail = told(ctx, &v.scheme, &changes, &reason).await?;
    Ok(Done {
        value: VariationOutcome::Varied(proposal.amount_after),
        mail,
    })
}

/// A commissioner approves (applying it, money permitting) or refuses (with a note) a
/// variation the organisation asked for; its members are told. An approval that adds money,
/// once the partners sign off, waits for them instead (the approvers are asked; the members
/// are told when it is applied or refused).
pub async fn decide_variation(
    ctx: Ctx<'_>,
    actor: &Actor,
    (scheme_id, variation_id): (i64, i64),
    approve: bool,
    note: &str,
) -> Result<Done<VariationOutcome>, ChangeError> {
    let v = variable(ctx, actor, scheme_id, Need::Commissioner).await?;
    let mut conn = ctx.pool.acquire().await?;
    let asked = db::variations::variations(&mut conn, scheme_id)
        .await?
        .into_iter()
        .find(|r| r.id == variation_id && r.status == VariationStatus::Requested)
        .ok_or(ChangeError::NotNow(
            "This variation has been decided already: look at the scheme again",
        ))?;
    drop(conn);
    let note = note.trim();
    if !approve && note.is_empty() {
        return Err(ChangeError::Invalid(vec![crate::error::FieldError::new(
            "note",
            "Enter why the variation is refused: the organisation reads this",
        )]));
    }
    let changes: Vec<String> = asked.changes.lines().map(str::to_string).collect();
    let now = db::now();
    let proposal = match (approve, asked.proposal()) {
        (true, Some(p)) => Some(p),
        (true, None) => return Err(ChangeError::LedgerDisagrees),
        (false, _) => None,
    };
    let (plan, waits) = match &proposal {
        Some(p) => {
            let plan = plan(ctx, &v, p).await?;
            let waits = waits_for_partners(ctx, &v, p, &plan, (actor.id, now)).await?;
            (Some(plan), waits)
        }
        None => (None, false),
    };
    let (status, outcome) = match &proposal {
        _ if waits => (
            VariationStatus::AwaitingSignOff,
            VariationOutcome::AwaitingSignOff,
        ),
        Some(p) => (
            VariationStatus::Approved,
            VariationOutcome::Varied(p.amount_after),
        ),
        None => (VariationStatus::Refused, VariationOutcome::Refused),
    };
    let mut tx = ctx.pool.begin().await?;
    if !db::variations::decide(&mut tx, variation_id, status, note, actor.id, now).await? {
        return Err(ChangeError::NotNow(
            "This variation has been decided already: look at the scheme again",
        ));
    }
    if let (Some(p), Some(plan), false) = (&proposal, &plan, waits) {
        apply(&mut tx, &v, p, plan, (actor.id, now)).await?;
    }
    let (action, summary) = match outcome {
        VariationOutcome::AwaitingSignOff => (
            "scheme.variation_recommended",
            format!(
                "Variation approved by a commissioner, awaiting the partners' sign-off: {}",
                changes.join("; ")
            ),
        ),
        VariationOutcome::Varied(_) => (
            "scheme.varied",
            format!("Variation approved: {}", changes.join("; ")),
        ),
        VariationOutcome::Refused => (
            "scheme.variation_refused",
            format!("Variation refused: {}. Note: {note}", changes.join("; ")),
        ),
    };
    db::audit::record(&mut tx, entry(actor, &v.scheme, action, summary)).await?;
    tx.commit().await?;
    let mail = match (outcome, &proposal) {
        (VariationOutcome::AwaitingSignOff, Some(p)) => {
            ask_partners(ctx, &v, p, variation_id).await?
        }
        _ => {
            let why = if approve { asked.reason.as_str() } else { note };
            let mut lines = changes.clone();
            if !approve {
                lines.insert(0, "Refused".into());
            }
            told(ctx, &v.scheme, &lines, why).await?
        }
    };
    Ok(Done {
        value: outcome,
        mail,
    })
}

pub(crate) async fn told(
    ctx: Ctx<'_>,
    scheme: &SchemeRow,
    changes: &[String],
    reason: &str,
) -> Result<Vec<crate::mail::OutgoingMail>, ChangeError> {
    let page = super::link(ctx, scheme, "");
    Ok(to_members(ctx, scheme, |to, name| {
        crate::mail::award_varied(to, name, &scheme.organisation_name, changes, reason, &page)
    })
    .await?)
}
