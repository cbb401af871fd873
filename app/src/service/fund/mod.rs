//! The pooled fund: setting up a year's fund from the partners' contributions, and varying a
//! partner's contribution. Every change is a ledger movement and an audit entry.
use super::{Actor, Ctx, Done};
use crate::db;
use crate::db::fund::Partner;
use crate::domain::fund::{check_contributions, FinancialYear, Movement};
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use crate::error::{collect, AppError, FieldError};
use std::collections::BTreeMap;

mod year_end;
pub use year_end::*;

/// Why the fund was not changed (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum FundError {
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    /// Not now, with the reason (e.g. a year-end before the year has ended).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<FundError> for AppError {
    fn from(e: FundError) -> Self {
        match e {
            FundError::NotFound => AppError::NotFound,
            FundError::Invalid(errors) => AppError::Invalid(errors),
            FundError::Refused(why) => AppError::Conflict(why),
            FundError::Database(e) => e.into(),
        }
    }
}

fn invalid(field: &str, message: impl Into<String>) -> FundError {
    FundError::Invalid(vec![FieldError::new(field, message)])
}

/// The set-up form as typed: the year, the agreed value and each partner's contribution
/// (`contribution[<partner id>]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetUpForm {
    pub year: String,
    pub agreed_value: String,
    pub contribution: BTreeMap<String, String>,
}

/// A year's fund to set up: the agreed value and each partner's contribution to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFund {
    pub year: FinancialYear,
    pub agreed: Pence,
    pub contributions: Vec<(i64, Pence)>,
}

/// How many years ahead a fund can be set up: an award's later tranches are committed
/// against the funds of the years they are planned in (awards run for up to three years).
pub const YEARS_AHEAD: i32 = 3;

/// Check the set-up form: a year that is this financial year or the next, an agreed value,
/// and contributions from every partner that add up to it.
fn parse_set_up(
    form: &SetUpForm,
    partners: &[Partner],
    this_year: FinancialYear,
) -> Result<NewFund, Vec<FieldError>> {
    let mut errors = Vec::new();
    let year = collect(&mut errors, FinancialYear::parse("year", &form.year));
    let agreed = collect(
        &mut errors,
        Pence::parse("agreed_value", "the agreed value", &form.agreed_value),
    );
    let mut amounts = Vec::new();
    for partner in partners {
        let field = format!("contribution[{}]", partner.id);
        let typed = (form.contribution.get(&partner.id.to_string()))
            .map(String::as_str)
            .unwrap_or("");
        let label = format!("{}'s contribution", partner.name);
        if let Some(amount) = collect(&mut errors, Pence::parse(&field, &label, typed)) {
            amounts.push((partner.id, amount));
        }
    }
    if partners.is_empty() {
        errors.push(FieldError::new(
            "year",
            "Add the partners who pool their budgets before you set up a fund",
        ));
    }
    if year.is_some_and(|y| y < this_year || y.0 > this_year.0 + YEARS_AHEAD) {
        errors.push(FieldError::new(
            "year",
            "Select this financial year or one of the next three",
        ));
    }
    if let (Some(agreed), true) = (agreed, errors.is_empty()) {
        let only: Vec<Pence> = amounts.iter().map(|(_, a)| *a).collect();
        if let Err(e) = check_contributions(agreed, &only) {
            errors.push(e);
        }
    }
    match (year, agreed, errors.is_empty()) {
        (Some(year), Some(agreed), true) => Ok(NewFund {
            year,
            agreed,
            contributions: amounts,
        }),
        _ => Err(errors),
    }
}

/// Set up the pooled fund for this financial year or one of the next three, from the set-up form. The
/// value is the year set up.
pub async fn set_up(
    ctx: Ctx<'_>,
    actor: &Actor,
    form: &SetUpForm,
) -> Result<Done<FinancialYear>, FundError> {
    let partners = db::fund::partners(ctx.pool).await?;
    let this_year = FinancialYear::containing(UtcTime::now().uk_day().0);
    let fund = parse_set_up(form, &partners, this_year).map_err(FundError::Invalid)?;
    let mut tx = ctx.pool.begin().await?;
    set_up_in(&mut tx, actor.id, &fund, db::now()).await?;
    tx.commit().await?;
    Ok(Done {
        value: fund.year,
        mail: Vec::new(),
    })
}

/// Set up a year's fund inside a transaction: the fund, each partner's contribution in the
/// ledger, the audit entry. A second fund for the same year is refused on the year. (The
/// demo sets up the funds of past years through this too.)
pub async fn set_up_in(
    conn: &mut sqlx::AnyConnection,
    actor: i64,
    fund: &NewFund,
    now: UtcTime,
) -> Result<i64, FundError> {
    let NewFund {
        year,
        agreed,
        ref contributions,
    } = *fund;
    let fund_id = match db::fund::insert_fund(&mut *conn, year, agreed, actor, now).await {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => {
            return Err(invalid(
                "year",
                format!(
                    "A pooled fund for {} has already been set up. Record a variation to change it",
                    year.label()
                ),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    for (partner_id, amount) in contributions {
        let entry = db::fund::NewEntry {
            fund_id,
            partner_id: *partner_id,
            movement: Movement::Contribution,
            amount: *amount,
            round_id: None,
            tranche_id: None,
            reason: "Contribution agreed at set-up",
            actor: Some(actor),
        };
        db::fund::append(&mut *conn, entry, now).await?;
    }
    let entry = db::audit::Entry {
        actor: Some(actor),
        action: "fund.set_up",
        subject_type: "fund",
        subject_id: year.0.to_string(),
        summary: format!("Pooled fund for {} set up", year.label()),
        before: None,
        after: Some(format!("Agreed value {agreed}")),
    };
    db::audit::record(conn, entry).await?;
    Ok(fund_id)
}

/// A variation as typed: which partner, up or down, by how much and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VariationForm {
    pub partner: String,
    pub direction: String,
    pub amount: String,
    pub reason: String,
}

/// Record a variation: one partner's contribution goes up or down, and the agreed value
/// with it; a decrease cannot take money already reserved or committed, nor take the
/// partner's contribution below zero. The value is the agreed value after it.
pub async fn vary(
    ctx: Ctx<'_>,
    actor: &Actor,
    year: FinancialYear,
    form: &VariationForm,
) -> Result<Done<Pence>, FundError> {
    let fund = db::fund::fund_for_year(ctx.pool, year)
        .await?
        .ok_or(FundError::NotFound)?;
    let partners = db::fund::partners(ctx.pool).await?;
    let mut errors = Vec::new();
    let partner = partners.iter().find(|p| p.id.to_string() == form.partner);
    if partner.is_none() {
        errors.push(FieldError::new(
            "partner",
            "Select the partner whose contribution changes",
        ));
    }
    let sign = match form.direction.as_str() {
        "increase" => 1,
        "decrease" => -1,
        _ => {
            errors.push(FieldError::new(
                "direction",
                "Select whether the contribution goes up or down",
            ));
            0
        }
    };
    let amount = collect(
        &mut errors,
        Pence::parse("amount", "the amount of the change", &form.amount),
    );
    if amount == Some(Pence(0)) {
        errors.push(FieldError::new(
            "amount",
            "The amount of the change must be more than £0",
        ));
    }
    let reason = collect(
        &mut errors,
        crate::domain::text::required_text(
            "reason",
            &form.reason,
            "Enter the reason for the variation",
            1000,
            "Reason",
        ),
    );
    let (Some(partner), Some(amount), Some(reason), true) =
        (partner, amount, reason, errors.is_empty())
    else {
        return Err(FundError::Invalid(errors));
    };
    let change = Pence(amount.0 * sign);
    let mut tx = ctx.pool.begin().await?;
    let varied = db::fund::vary(
        &mut tx,
        fund.id,
        partner.id,
        change,
        &reason,
        actor.id,
        db::now(),
    )
    .await;
    let (before, after) = match varied {
        Ok(change) => change,
        Err(db::fund::LedgerError::Refused(refusal)) => {
            return Err(invalid("amount", refusal.message()))
        }
        Err(db::fund::LedgerError::Database(e)) => return Err(e.into()),
    };
    if sign < 0 {
        let contributed = db::fund::partner_totals_in(&mut tx, fund.id, partner.id).await?;
        if contributed < 0 {
            let message = format!(
                "{}'s contribution cannot go below £0.00. It is {}",
                partner.name,
                Pence(contributed - change.0)
            );
            return Err(invalid("amount", message));
        }
    }
    let direction = if sign > 0 { "increased" } else { "decreased" };
    let entry = db::audit::Entry {
        actor: Some(actor.id),
        action: "fund.varied",
        subject_type: "fund",
        subject_id: year.0.to_string(),
        summary: format!(
            "Variation: {}'s contribution {direction} by {amount}. Reason: {reason}",
            partner.name
        ),
        before: Some(format!("Agreed value {before}")),
        after: Some(format!("Agreed value {after}")),
    };
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Done {
        value: after,
        mail: Vec::new(),
    })
}

/// Add a partner to the pooled fund (the council, the NHS body); names are unique.
/// (The name as stored.)
pub async fn add_partner(ctx: Ctx<'_>, actor: &Actor, name: &str) -> Result<String, FundError> {
    let name =
        crate::domain::text::required_line("name", name, "Enter the partner's name", 200, "Name")
            .map_err(|e| FundError::Invalid(vec![e]))?;
    let mut tx = ctx.pool.begin().await?;
    let id = match db::fund::insert_partner(&mut tx, &name, db::now()).await {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => {
            return Err(invalid("name", "A partner with this name already exists"))
        }
        Err(e) => return Err(e.into()),
    };
    let summary = format!("Partner added: {name}");
    db::audit::entry(&mut tx, actor.id, "partner.added", ("partner", id), summary).await?;
    tx.commit().await?;
    Ok(name)
}

/// Record a partner's organisation identifier for the open data (e.g. GB-LAE-NEL), audited
/// with what it was. (The partner's name and the identifier as stored.)
pub async fn set_partner_identifier(
    ctx: Ctx<'_>,
    actor: &Actor,
    partner_id: i64,
    typed: &str,
) -> Result<(String, String), FundError> {
    let partner = db::fund::partner(ctx.pool, partner_id)
        .await?
        .ok_or(FundError::NotFound)?;
    let identifier = crate::domain::opendata::parse_org_identifier("org_identifier", typed)
        .map_err(|e| FundError::Invalid(vec![e]))?;
    let mut tx = ctx.pool.begin().await?;
    db::opendata::set_partner_identifier(&mut tx, partner_id, &identifier).await?;
    let entry = db::audit::Entry {
        actor: Some(actor.id),
        action: "partner.identifier_changed",
        subject_type: "partner",
        subject_id: partner_id.to_string(),
        summary: format!("Organisation identifier of {} changed", partner.name),
        before: Some(partner.org_identifier.clone()).filter(|b| !b.is_empty()),
        after: Some(identifier.clone()),
    };
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok((partner.name, identifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partners() -> Vec<Partner> {
        [(1, "Council"), (2, "ICB")]
            .map(|(id, name)| Partner {
                id,
                name: name.into(),
                org_identifier: String::new(),
            })
            .to_vec()
    }

    fn form(year: &str, agreed: &str, council: &str, icb: &str) -> SetUpForm {
        SetUpForm {
            year: year.into(),
            agreed_value: agreed.into(),
            contribution: [("1", council), ("2", icb)]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
        }
    }

    #[test]
    fn a_fund_is_set_up_for_this_year_or_next_from_contributions_that_add_up() {
        let now = FinancialYear(2026);
        let fund =
            parse_set_up(&form("2026", "100000", "60000", "40000"), &partners(), now).unwrap();
        assert_eq!(
            (fund.year, fund.agreed),
            (FinancialYear(2026), Pence(10_000_000))
        );
        assert_eq!(
            fund.contributions,
            [(1, Pence(6_000_000)), (2, Pence(4_000_000))]
        );
        assert!(parse_set_up(&form("2027", "1", "1", "0"), &partners(), now).is_ok());
        let fields = |e: Vec<FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        let past = parse_set_up(&form("2025", "1", "1", "0"), &partners(), now).unwrap_err();
        assert_eq!(fields(past), ["year"]);
        let short = parse_set_up(&form("2026", "100", "60", "30"), &partners(), now).unwrap_err();
        assert_eq!(
            short.len(),
            1,
            "contributions that do not add up: {short:?}"
        );
        let none = parse_set_up(&form("2026", "100", "60", "40"), &[], now).unwrap_err();
        assert_eq!(fields(none), ["year"]);
    }
}
