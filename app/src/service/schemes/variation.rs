//! Variations to an award: the organisation asks for one with a reason, or a commissioner
//! raises one; a commissioner's approval applies it. Applying it changes the tranches not yet
//! approved or paid, the award's amount and conditions, and the money in each year's fund:
//! more is committed against a year that can cover it (refused, naming the year, when it
//! cannot), less is given back to that year's uncommitted money. Audited; the scheme page
//! shows the award's history.
use super::variation_sign_off::{ask_partners, waits_for_partners, VariationOutcome};
use super::{entry, scheme_for, to_members, ChangeError, Need};
use crate::db;
use crate::db::schemes::SchemeRow;
use crate::domain::fund::{charged_year, FinancialYear, LedgerRefusal};
use crate::domain::money::Pence;
use crate::domain::monitoring::{
    parse_variation, AwardVariationForm, Proposal, SchemeStatus, VariableTranche, VariationStatus,
};
use crate::domain::time::{Day, UtcTime};
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

/// A member of the organisation asks for a variation, with a reason: kept as requested and
/// the commissioners are told. The value is the variation's id.
pub async fn request_variation(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    form: &AwardVariationForm,
) -> Result<Done<i64>, ChangeError> {
    let v = variable(ctx, actor, scheme_id, Need::Member).await?;
    let today = Day::today_uk().0;
    let (proposal, reason) =
        parse_variation(form, &v.tranches, (v.fixed, &v.scheme.conditions), today)
            .map_err(ChangeError::Invalid)?;
    let changes = proposal.changes(&v.tranches, &v.scheme.conditions);
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
    let today = Day::today_uk().0;
    let (proposal, reason) =
        parse_variation(form, &v.tranches, (v.fixed, &v.scheme.conditions), today)
            .map_err(ChangeError::Invalid)?;
    let changes = proposal.changes(&v.tranches, &v.scheme.conditions);
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

/// Each varied tranche with the fund of the year it will be charged to, and each fund's
/// change in commitments (in fund order).
pub(crate) struct Plan {
    tranches: Vec<(i64, i64)>,
    deltas: Vec<(i64, FinancialYear, i64)>,
}

/// Where the money goes: each proposed tranche is charged to the year it is planned in (not
/// before this year); the funds must be set up and open. Checked before the transaction.
pub(crate) async fn plan(
    ctx: Ctx<'_>,
    v: &Variable,
    proposal: &Proposal,
) -> Result<Plan, ChangeError> {
    let this_year = FinancialYear::containing(Day::today_uk().0);
    let mut conn = ctx.pool.acquire().await?;
    let round_fund = crate::service::schemes::fund_of(ctx, &v.scheme).await?;
    let mut years: Vec<(FinancialYear, i64)> = Vec::new();
    let mut tranches = Vec::new();
    let mut deltas: Vec<(i64, FinancialYear, i64)> = Vec::new();
    let mut add = |fund: i64, year: FinancialYear, amount: i64| match deltas
        .iter_mut()
        .find(|(f, _, _)| *f == fund)
    {
        Some((_, _, d)) => *d += amount,
        None => deltas.push((fund, year, amount)),
    };
    if proposal.is_stale(&v.tranches, &v.scheme.conditions) {
        return Err(changed());
    }
    let touched = proposal.touched();
    // Every tranche it changes must still be variable (a legacy proposal: every tranche).
    if touched
        .iter()
        .any(|p| !v.tranches.iter().any(|t| t.id == p.id))
    {
        return Err(changed());
    }
    for (t, fund) in v.tranches.iter().zip(&v.funds) {
        // A tranche it does not change stays as it is, where it is.
        let Some(p) = touched.iter().find(|p| p.id == t.id) else {
            continue;
        };
        let from = fund.unwrap_or(round_fund);
        let from_year = db::fund::fund_by_id(&mut conn, from)
            .await?
            .map(|f| f.year)
            .unwrap_or(this_year);
        // Unchanged in amount and year: it stays where it is.
        let year =
            charged_year(this_year, p.due).max(if p.due == t.due { from_year } else { this_year });
        let to = if year == from_year {
            from
        } else if let Some((_, id)) = years.iter().find(|(y, _)| *y == year) {
            *id
        } else {
            match db::fund::fund_id_for_year_in(&mut conn, year).await? {
                Some((_, true)) => return Err(refused(LedgerRefusal::Closed { year })),
                Some((id, false)) => {
                    years.push((year, id));
                    id
                }
                None => return Err(refused(LedgerRefusal::NoFundForYear { year })),
            }
        };
        add(from, from_year, -t.amount.0);
        add(to, year, p.amount.0);
        tranches.push((t.id, to));
    }
    deltas.retain(|(_, _, d)| *d != 0);
    deltas.sort_by_key(|(f, _, _)| *f);
    Ok(Plan { tranches, deltas })
}

fn refused(refusal: LedgerRefusal) -> ChangeError {
    ChangeError::Refused(refusal.message())
}

fn changed() -> ChangeError {
    ChangeError::Refused(
        "The award has changed since this variation was asked for: refuse it, and ask for a new one".into(),
    )
}

/// Apply a variation inside its transaction: the tranches first (the order a payment takes
/// its locks in), the scheme, then each year's fund.
pub(crate) async fn apply(
    tx: &mut sqlx::AnyConnection,
    v: &Variable,
    proposal: &Proposal,
    plan: &Plan,
    (actor, now): (i64, UtcTime),
) -> Result<(), ChangeError> {
    for p in proposal.touched() {
        let fund = (plan.tranches.iter())
            .find(|(id, _)| *id == p.id)
            .map(|(_, f)| *f)
            .ok_or_else(changed)?;
        let varied = (p.amount, p.due, p.milestone.as_str());
        let before = proposal.tranches_before.iter().find(|t| t.id == p.id);
        if !db::variations::vary_tranche(&mut *tx, p.id, varied, fund, before).await? {
            return Err(changed());
        }
    }
    let amounts = (proposal.amount_before, proposal.amount_after);
    // The conditions as it says, or as they are now when it does not change them.
    let conditions = if proposal.changes_conditions() {
        &proposal.conditions
    } else {
        &v.scheme.conditions
    };
    if !db::variations::vary_scheme(&mut *tx, v.scheme.id, amounts, conditions).await? {
        return Err(changed());
    }
    let reason = format!("Variation to {}'s award", v.scheme.organisation_name);
    for (fund, year, delta) in &plan.deltas {
        let round = v.scheme.round_id;
        if *delta > 0 {
            let share = Pence(*delta);
            match db::fund::commit_later(&mut *tx, *fund, round, share, &reason, actor, now).await {
                Err(db::fund::LedgerError::Refused(LedgerRefusal::OverAgreedValue {
                    uncommitted,
                })) => {
                    return Err(refused(LedgerRefusal::OverLaterYear {
                        year: *year,
                        share,
                        uncommitted,
                    }))
                }
                Err(db::fund::LedgerError::Refused(r)) => return Err(refused(r)),
                Err(db::fund::LedgerError::Database(e)) => return Err(e.into()),
                Ok(()) => {}
            }
        } else {
            let less = Pence(-delta);
            if !db::fund::reduce_commitment(&mut *tx, *fund, round, less, &reason, actor, now)
                .await?
            {
                return Err(ChangeError::LedgerDisagrees);
            }
        }
    }
    Ok(())
}
