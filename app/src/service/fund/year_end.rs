//! The year-end: once a financial year has ended, a commissioner carries what it committed
//! and did not pay forward to the next year's fund (each partner's share kept), settles each
//! partner's underspend as the partners agreed (carried forward or returned, with a reason),
//! and closes the year. Nothing changes in a closed year after that.
use super::FundError;
use crate::db;
use crate::db::fund::UnpaidTranche;
use crate::domain::fund::{parse_choice, year_end_ready, FinancialYear, TypedChoice};
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use crate::service::{Actor, Ctx, Done};
use std::collections::BTreeMap;

/// One partner at the year-end: what it has uncommitted (its underspend).
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerUnderspend {
    pub partner_id: i64,
    pub partner: String,
    pub underspend: Pence,
}

/// What a year-end would do, and whether it can run now (the reason when not).
#[derive(Debug, Clone)]
pub struct YearEndPreview {
    pub year: FinancialYear,
    pub closed_at: Option<UtcTime>,
    /// Why it cannot run now (None: it can).
    pub refusal: Option<String>,
    /// Rounds still holding money reserved in the year (id, title): released first.
    pub reserved: Vec<(i64, String)>,
    /// What the year committed and did not pay: carried forward to the next year.
    pub unpaid: Vec<UnpaidTranche>,
    pub partners: Vec<PartnerUnderspend>,
}

/// The year-end as typed: per partner (`choice[<id>]`, `reason[<id>]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearEndForm {
    pub choice: BTreeMap<String, String>,
    pub reason: BTreeMap<String, String>,
}

impl YearEndForm {
    fn typed(&self, partner_id: i64) -> TypedChoice {
        let key = partner_id.to_string();
        TypedChoice {
            choice: self.choice.get(&key).cloned().unwrap_or_default(),
            reason: self.reason.get(&key).cloned().unwrap_or_default(),
        }
    }
}

/// What the year-end did: the commitments carried forward and the partners' underspends.
#[derive(Debug, Clone, PartialEq)]
pub struct YearEndDone {
    pub year: FinancialYear,
    pub carried: Pence,
    pub tranches: usize,
}

/// The year's fund, the next year's (if set up) and whether the year before is still open.
async fn years(
    ctx: Ctx<'_>,
    year: FinancialYear,
) -> Result<(db::fund::FundRow, Option<db::fund::FundRow>, bool), FundError> {
    let fund = db::fund::fund_for_year(ctx.pool, year)
        .await?
        .ok_or(FundError::NotFound)?;
    let next = db::fund::fund_for_year(ctx.pool, FinancialYear(year.0 + 1)).await?;
    let earlier = db::fund::fund_for_year(ctx.pool, FinancialYear(year.0 - 1)).await?;
    let earlier_open = earlier.is_some_and(|f| f.closed_at.is_none());
    Ok((fund, next, earlier_open))
}

/// What the year-end for `year` would carry forward and each partner's underspend, and why
/// it cannot run now (if it cannot).
pub async fn preview(ctx: Ctx<'_>, year: FinancialYear) -> Result<YearEndPreview, FundError> {
    let (fund, next, earlier_open) = years(ctx, year).await?;
    let mut conn = ctx.pool.acquire().await?;
    let reserved = db::fund::rounds_reserved(&mut conn, fund.id).await?;
    let unpaid = db::fund::unpaid_tranches(&mut conn, fund.id).await?;
    let partners = underspends(&mut conn, fund.id).await?;
    let next_open = next.is_some_and(|n| n.closed_at.is_none());
    let today = UtcTime::now().uk_day().0;
    let closed = fund.closed_at.is_some();
    let titles = reserved.iter().map(|(_, t)| t.clone()).collect();
    let refusal = year_end_ready(year, today, closed, earlier_open, next_open, titles)
        .err()
        .map(|r| r.message(year));
    Ok(YearEndPreview {
        year,
        closed_at: fund.closed_at,
        refusal,
        reserved,
        unpaid,
        partners,
    })
}

async fn underspends(
    conn: &mut sqlx::AnyConnection,
    fund_id: i64,
) -> Result<Vec<PartnerUnderspend>, sqlx::Error> {
    Ok(db::fund::partners_totals_in(conn, fund_id)
        .await?
        .into_iter()
        .map(|(partner_id, partner, totals)| PartnerUnderspend {
            partner_id,
            partner,
            underspend: totals.uncommitted(),
        })
        .collect())
}

/// Run the year-end for `year`: refused (nothing changed) before the year has ended, while
/// the year before is open, the next year's fund is not set up, a round still holds money
/// reserved, or a partner's underspend has no choice and reason.
pub async fn run_year_end(
    ctx: Ctx<'_>,
    actor: &Actor,
    year: FinancialYear,
    form: &YearEndForm,
) -> Result<Done<YearEndDone>, FundError> {
    let preview = preview(ctx, year).await?;
    if let Some(why) = preview.refusal {
        return Err(FundError::Refused(why));
    }
    let mut errors = Vec::new();
    for p in &preview.partners {
        if let Err(mut e) = parse_choice(
            p.partner_id,
            &p.partner,
            p.underspend,
            &form.typed(p.partner_id),
        ) {
            errors.append(&mut e);
        }
    }
    if !errors.is_empty() {
        return Err(FundError::Invalid(errors));
    }
    let (fund, next, _) = years(ctx, year).await?;
    let next = next.ok_or(FundError::NotFound)?;
    let changed = || {
        FundError::Refused(format!(
            "The {} fund changed while the year-end was being run: look at it again",
            year.label()
        ))
    };
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    // The tranches first (the order a payment takes its locks in), then the funds.
    let moved = db::fund::move_unpaid(&mut tx, fund.id, next.id).await?;
    if !db::fund::rounds_reserved(&mut tx, fund.id)
        .await?
        .is_empty()
    {
        return Err(changed());
    }
    let mut carried = Pence(0);
    for t in &moved {
        let why = format!(
            "Year-end {}: tranche {} to {} committed and not paid",
            year.label(),
            t.position,
            t.organisation
        );
        let funds = (fund.id, next.id);
        if !db::fund::carry_commitment(
            &mut tx, funds, t.round_id, t.id, t.amount, &why, actor.id, now,
        )
        .await?
        {
            return Err(changed());
        }
        carried.0 += t.amount.0;
    }
    let mut settled = Vec::new();
    for p in underspends(&mut tx, fund.id).await? {
        let typed = form.typed(p.partner_id);
        let Some((choice, reason)) =
            parse_choice(p.partner_id, &p.partner, p.underspend, &typed).map_err(|_| changed())?
        else {
            continue;
        };
        let funds = (fund.id, next.id);
        let (id, amount) = (p.partner_id, p.underspend);
        if !db::fund::settle_underspend(&mut tx, funds, id, choice, amount, &reason, actor.id, now)
            .await?
        {
            return Err(changed());
        }
        settled.push(format!(
            "{}'s underspend of {} {} ({reason})",
            p.partner,
            amount.display(),
            choice.label().to_lowercase()
        ));
    }
    if !db::fund::close(&mut tx, fund.id, actor.id, now).await? {
        return Err(FundError::Refused(format!(
            "The year-end for {} has been run",
            year.label()
        )));
    }
    let mut summary = format!(
        "Year-end for {}: {} committed and not paid ({} tranches) carried forward to {}",
        year.label(),
        carried.display(),
        moved.len(),
        next.year.label()
    );
    for line in &settled {
        summary.push_str("; ");
        summary.push_str(line);
    }
    let entry = db::audit::Entry {
        actor: Some(actor.id),
        action: "fund.year_end",
        subject_type: "fund",
        subject_id: year.0.to_string(),
        summary,
        before: Some("Open".into()),
        after: Some("Closed".into()),
    };
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Done {
        value: YearEndDone {
            year,
            carried,
            tranches: moved.len(),
        },
        mail: Vec::new(),
    })
}
