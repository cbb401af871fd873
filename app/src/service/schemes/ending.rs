//! A scheme that does not run its course: the organisation turns its award down, a
//! commissioner suspends payments with a support plan (and resumes them), or ends the scheme
//! early. Turning down and ending release the unpaid tranches back to the pooled fund (as
//! graduation does): a ledger movement in the same transaction as the change and its audit
//! entry.
use super::{entry, independent, link, scheme_for, to_members, AccessError, Need};
use crate::db;
use crate::db::schemes::SchemeRow;
use crate::domain::money::Pence;
use crate::domain::monitoring::{reason, Change, SchemeStatus, SuspensionForm};
use crate::domain::roles::Role;
use crate::error::{AppError, FieldError};
use crate::service::{Actor, Ctx, Done};

/// Why a scheme was not changed (nothing was).
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    /// The scheme's status does not allow the change (`Change::refusal`).
    #[error("{0}")]
    NotNow(&'static str),
    #[error("Confirm that the scheme ends now")]
    NotConfirmed,
    /// Not now, with the reason (e.g. a year's fund cannot cover a variation).
    #[error("{0}")]
    Refused(String),
    /// The fund's commitments would fall below its payments: the ledger and the schemes
    /// disagree, and nothing is written.
    #[error("The pooled fund's records do not allow this release: ask the fund's administrator to check the ledger")]
    LedgerDisagrees,
}

impl From<sqlx::Error> for ChangeError {
    fn from(e: sqlx::Error) -> Self {
        ChangeError::Access(AccessError::Database(e))
    }
}

impl From<ChangeError> for AppError {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Access(AccessError::NotIndependent(why)) => {
                AppError::field("reason", &why)
            }
            ChangeError::Access(e) => e.into(),
            ChangeError::Invalid(errors) => AppError::Invalid(errors),
            ChangeError::NotConfirmed => AppError::field("confirm", &e.to_string()),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

fn allowed(change: Change, status: SchemeStatus) -> Result<(), ChangeError> {
    match change.refusal(status) {
        Some(why) => Err(ChangeError::NotNow(why)),
        None => Ok(()),
    }
}

/// The refusal for a scheme that moved on while the change was being made.
async fn moved_on(ctx: Ctx<'_>, scheme_id: i64, change: Change) -> ChangeError {
    let status = match ctx.pool.acquire().await {
        Ok(mut conn) => db::schemes::get(&mut conn, scheme_id)
            .await
            .ok()
            .flatten()
            .map(|s| s.status),
        Err(_) => None,
    };
    ChangeError::NotNow(
        status.and_then(|s| change.refusal(s)).unwrap_or(
            "This scheme was changed by someone else at the same time: look at it again",
        ),
    )
}

/// The pooled fund the scheme's round draws on.
pub(crate) async fn fund_of(ctx: Ctx<'_>, scheme: &SchemeRow) -> Result<i64, sqlx::Error> {
    let mut conn = ctx.pool.acquire().await?;
    db::rounds::round(&mut conn, scheme.round_id)
        .await?
        .and_then(|r| r.fund_id)
        .ok_or(sqlx::Error::RowNotFound)
}

/// Release the unpaid tranches and close the scheme, in one transaction: the tranches first
/// (the order a payment takes its locks in), then the scheme, then the ledger. The amount
/// released, or the refusal when the scheme moved on.
async fn close(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme: &SchemeRow,
    change: Change,
    why: &str,
    action: &'static str,
    summary: impl FnOnce(Pence) -> String,
) -> Result<Pence, ChangeError> {
    let fund_id = fund_of(ctx, scheme).await?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let released = db::tranches::release_unpaid(&mut tx, scheme.id, change.from()).await?;
    let closed = db::schemes::end(
        &mut tx,
        scheme.id,
        change.from(),
        change.to(),
        released.total,
        why,
        actor.id,
        now,
    )
    .await?;
    if !closed {
        drop(tx);
        return Err(moved_on(ctx, scheme.id, change).await);
    }
    let reason = format!(
        "{}: {} of {}'s award not to be paid",
        change.to().label(),
        released.total.display(),
        scheme.organisation_name
    );
    let money = (fund_id, &released);
    if !decommit_released(&mut tx, scheme.round_id, money, &reason, actor.id, now).await? {
        return Err(ChangeError::LedgerDisagrees);
    }
    let total = released.total;
    db::audit::record(&mut tx, entry(actor, scheme, action, summary(total))).await?;
    tx.commit().await?;
    Ok(total)
}

/// Give released tranches' money back to the funds they were charged to, year by year
/// (`round_fund`: for tranches charged before years were kept). False when a fund refused.
pub(crate) async fn decommit_released(
    tx: &mut sqlx::AnyConnection,
    round_id: i64,
    (round_fund, released): (i64, &db::tranches::Released),
    reason: &str,
    actor: i64,
    now: crate::domain::time::UtcTime,
) -> Result<bool, sqlx::Error> {
    for (fund, amount) in &released.by_fund {
        let fund = fund.unwrap_or(round_fund);
        if !db::fund::decommit(&mut *tx, fund, round_id, *amount, reason, actor, now).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A member turns down an award they have not accepted, with a reason: its whole amount goes
/// back to the fund at once, and the commissioners are told. The value is what was released.
pub async fn turn_down(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    why: &str,
) -> Result<Done<Pence>, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Member).await?;
    allowed(Change::TurnDown, scheme.status)?;
    let why = reason(
        "reason",
        why,
        "Enter why your organisation is turning the award down",
    )
    .map_err(|e| ChangeError::Invalid(vec![e]))?;
    let name = actor.full_name.clone();
    let released = close(
        ctx,
        actor,
        &scheme,
        Change::TurnDown,
        &why,
        "scheme.turned_down",
        |released| {
            format!(
                "{name} turned down the award for {}: {} released to the fund. Reason: {why}",
                scheme.organisation_name,
                released.display()
            )
        },
    )
    .await?;
    let mut conn = ctx.pool.acquire().await?;
    let commissioners = db::users::with_roles(&mut conn, &[Role::Commissioner]).await?;
    drop(conn);
    let page = link(ctx, &scheme, "");
    let amount = scheme.amount.display();
    let mail = commissioners
        .iter()
        .map(|c| {
            crate::mail::award_turned_down(
                &c.email,
                &c.full_name,
                &scheme.organisation_name,
                &amount,
                &why,
                &page,
            )
        })
        .collect();
    Ok(Done {
        value: released,
        mail,
    })
}

/// A commissioner independent of the organisation ends a scheme early, with a reason: its
/// unpaid tranches go back to the fund (a tranche whose evidence is approved can still be
/// paid), no more returns are needed, and the organisation is told. The value is what was
/// released.
pub async fn end_early(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    why: &str,
    confirmed: bool,
) -> Result<Done<Pence>, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    allowed(Change::End, scheme.status)?;
    let mut errors = Vec::new();
    let why = reason("reason", why, "Enter why the scheme is ending early")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if !confirmed {
        errors.push(FieldError::new(
            "confirm",
            ChangeError::NotConfirmed.to_string(),
        ));
    }
    if !errors.is_empty() {
        return Err(ChangeError::Invalid(errors));
    }
    independent(ctx, actor, &scheme).await?;
    let released = close(
        ctx,
        actor,
        &scheme,
        Change::End,
        &why,
        "scheme.ended",
        |released| {
            format!(
                "Scheme ended early: {} paid, {} released to the fund. Reason: {why}",
                scheme.paid.display(),
                released.display()
            )
        },
    )
    .await?;
    let page = link(ctx, &scheme, "");
    let paid = scheme.paid.display();
    let mail = to_members(ctx, &scheme, |to, name| {
        crate::mail::scheme_ended(to, name, &scheme.organisation_name, &why, &paid, &page)
    })
    .await?;
    Ok(Done {
        value: released,
        mail,
    })
}

/// A commissioner independent of the organisation suspends an active scheme's payments with
/// a reason, the support plan agreed and its review date; the organisation is told.
pub async fn suspend(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    form: &SuspensionForm,
) -> Result<Done<()>, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    allowed(Change::Suspend, scheme.status)?;
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let suspension = form.parse(today).map_err(ChangeError::Invalid)?;
    independent(ctx, actor, &scheme).await?;
    let mut tx = ctx.pool.begin().await?;
    if !db::schemes::suspend(&mut tx, scheme_id, &suspension, actor.id, db::now()).await? {
        drop(tx);
        return Err(moved_on(ctx, scheme_id, Change::Suspend).await);
    }
    let review = crate::domain::date::display_date(suspension.review_on);
    let summary = format!(
        "Payments suspended until the review on {review}. Reason: {}. Support plan: {}",
        suspension.reason, suspension.plan
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "scheme.suspended", summary)).await?;
    tx.commit().await?;
    let page = link(ctx, &scheme, "");
    let mail = to_members(ctx, &scheme, |to, name| {
        crate::mail::scheme_suspended(
            to,
            name,
            &scheme.organisation_name,
            &suspension.reason,
            &suspension.plan,
            &review,
            &page,
        )
    })
    .await?;
    Ok(Done { value: (), mail })
}

/// A commissioner independent of the organisation resumes a suspended scheme's payments;
/// the organisation is told.
pub async fn resume(ctx: Ctx<'_>, actor: &Actor, scheme_id: i64) -> Result<Done<()>, ChangeError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    allowed(Change::Resume, scheme.status)?;
    independent(ctx, actor, &scheme).await?;
    let mut tx = ctx.pool.begin().await?;
    if !db::schemes::resume(&mut tx, scheme_id).await? {
        drop(tx);
        return Err(moved_on(ctx, scheme_id, Change::Resume).await);
    }
    let summary = format!(
        "Payments resumed (suspended since {})",
        scheme
            .suspended_at
            .map(|t| t.display_uk())
            .unwrap_or_default()
    );
    db::audit::record(&mut tx, entry(actor, &scheme, "scheme.resumed", summary)).await?;
    tx.commit().await?;
    let page = link(ctx, &scheme, "");
    let mail = to_members(ctx, &scheme, |to, name| {
        crate::mail::scheme_resumed(to, name, &scheme.organisation_name, &page)
    })
    .await?;
    Ok(Done { value: (), mail })
}
