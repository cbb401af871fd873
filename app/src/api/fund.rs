//! Commissioners: the pooled fund, its partners and its ledger.
use crate::domain::fund::{FinancialYear, Totals};
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::{
        fund::Movement,
        text::{required_line, required_text},
    },
    crate::error::FieldError,
};

pub const LEDGER_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerView {
    pub id: i64,
    pub name: String,
    pub org_identifier: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundSummary {
    pub year: FinancialYear,
    pub agreed: Pence,
    pub uncommitted: Pence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundHomeData {
    pub funds: Vec<FundSummary>,
    pub partners: Vec<PartnerView>,
    /// Years a fund can be set up for now (this financial year and the next) that have none.
    pub years_to_set_up: Vec<FinancialYear>,
}

#[cfg(feature = "ssr")]
fn this_year() -> FinancialYear {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    FinancialYear::containing(today)
}

#[cfg(feature = "ssr")]
use crate::auth::require_commissioner as commissioner;

#[server(prefix = "/api", endpoint = "fund/home")]
pub async fn fund_home() -> Result<FundHomeData, AppError> {
    let (state, _) = commissioner().await?;
    let funds = db::fund::funds(&state.pool).await?;
    let partners = db::fund::partners(&state.pool).await?;
    let now = this_year();
    let years_to_set_up = [now, FinancialYear(now.0 + 1)]
        .into_iter()
        .filter(|y| !funds.iter().any(|f| f.year == *y))
        .collect();
    Ok(FundHomeData {
        funds: funds
            .into_iter()
            .map(|f| FundSummary {
                year: f.year,
                agreed: f.agreed,
                uncommitted: Pence(f.agreed.0 - f.reserved.0 - f.committed.0),
            })
            .collect(),
        partners: partners
            .into_iter()
            .map(|p| PartnerView {
                id: p.id,
                name: p.name,
                org_identifier: p.org_identifier,
            })
            .collect(),
        years_to_set_up,
    })
}

#[server(prefix = "/api", endpoint = "fund/add_partner")]
pub async fn add_partner(name: String) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let values = [("name", name.as_str())];
    let name = match required_line("name", &name, "Enter the partner's name", 200, "Name") {
        Ok(name) => name,
        Err(e) => {
            return Err(auth::reject_form("add_partner", &values, AppError::Invalid(vec![e])).await)
        }
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let id = match db::fund::insert_partner(&mut tx, &name, now).await {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => {
            let error = AppError::field("name", "A partner with this name already exists");
            return Err(auth::reject_form("add_partner", &values, error).await);
        }
        Err(e) => return Err(e.into()),
    };
    db::audit::entry(
        &mut tx,
        user.id,
        "partner.added",
        ("partner", id),
        format!("Partner added: {name}"),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{name} added as a partner"),
        "/fund/partners",
    )
    .await?;
    Ok(())
}

/// One partner, for changing its organisation identifier.
#[server(prefix = "/api", endpoint = "fund/partner")]
pub async fn partner_detail(id: i64) -> Result<PartnerView, AppError> {
    let (state, _) = commissioner().await?;
    db::fund::partner(&state.pool, id)
        .await?
        .map(|p| PartnerView {
            id: p.id,
            name: p.name,
            org_identifier: p.org_identifier,
        })
        .ok_or_else(|| auth::with_status(AppError::NotFound))
}

/// Set a partner's org-id, which names it as a funder in the 360Giving open data.
#[server(prefix = "/api", endpoint = "fund/partner_identifier")]
pub async fn set_partner_identifier(
    id: i64,
    #[server(default)] org_identifier: String,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let form = "partner_identifier";
    let values = [("org_identifier", org_identifier.as_str())];
    let partner = db::fund::partner(&state.pool, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let identifier =
        match crate::domain::opendata::parse_org_identifier("org_identifier", &org_identifier) {
            Ok(i) => i,
            Err(e) => {
                return Err(auth::reject_form(form, &values, AppError::Invalid(vec![e])).await)
            }
        };
    let mut tx = state.pool.begin().await?;
    db::opendata::set_partner_identifier(&mut tx, id, &identifier).await?;
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "partner.identifier_changed",
            subject_type: "partner",
            subject_id: id.to_string(),
            summary: format!("Organisation identifier of {} changed", partner.name),
            before: Some(partner.org_identifier.clone()).filter(|b| !b.is_empty()),
            after: Some(identifier.clone()),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!(
            "{}'s organisation identifier is now {identifier}",
            partner.name
        ),
        "/fund/partners",
    )
    .await?;
    Ok(())
}

/// Set up the pooled fund for a year: the agreed value and each partner's contribution
/// (`contribution[<partner id>]`), which must add up to it.
#[server(prefix = "/api", endpoint = "fund/set_up")]
pub async fn set_up_fund(
    year: String,
    agreed_value: String,
    #[server(default)] contribution: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let partners = db::fund::partners(&state.pool).await?;
    let mut values: Vec<(String, String)> = vec![
        ("year".into(), year.clone()),
        ("agreed_value".into(), agreed_value.clone()),
    ];
    let mut errors = Vec::new();
    let parsed_year = auth::collect(&mut errors, FinancialYear::parse("year", &year));
    let agreed = auth::collect(
        &mut errors,
        Pence::parse("agreed_value", "the agreed value", &agreed_value),
    );
    let mut amounts = Vec::new();
    for partner in &partners {
        let field = format!("contribution[{}]", partner.id);
        let typed = contribution
            .get(&partner.id.to_string())
            .cloned()
            .unwrap_or_default();
        values.push((field.clone(), typed.clone()));
        let label = format!("{}'s contribution", partner.name);
        if let Some(amount) = auth::collect(&mut errors, Pence::parse(&field, &label, &typed)) {
            amounts.push((partner.id, amount));
        }
    }
    if partners.is_empty() {
        errors.push(FieldError::new(
            "year",
            "Add the partners who pool their budgets before you set up a fund",
        ));
    }
    let now_year = this_year();
    if let Some(y) = parsed_year {
        if y < now_year || y.0 > now_year.0 + 1 {
            errors.push(FieldError::new(
                "year",
                "Select this financial year or the next one",
            ));
        }
    }
    if let (Some(agreed), true) = (agreed, errors.is_empty()) {
        let only: Vec<Pence> = amounts.iter().map(|(_, a)| *a).collect();
        if let Err(e) = crate::domain::fund::check_contributions(agreed, &only) {
            errors.push(e);
        }
    }
    let borrowed: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (Some(year), Some(agreed), true) = (parsed_year, agreed, errors.is_empty()) else {
        return Err(auth::reject_form("set_up_fund", &borrowed, AppError::Invalid(errors)).await);
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let fund_id = match db::fund::insert_fund(&mut tx, year, agreed, user.id, now).await {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => {
            let error = AppError::field(
                "year",
                &format!(
                    "A pooled fund for {} has already been set up. Record a variation to change it",
                    year.label()
                ),
            );
            return Err(auth::reject_form("set_up_fund", &borrowed, error).await);
        }
        Err(e) => return Err(e.into()),
    };
    for (partner_id, amount) in &amounts {
        db::fund::append(
            &mut tx,
            db::fund::NewEntry {
                fund_id,
                partner_id: *partner_id,
                movement: Movement::Contribution,
                amount: *amount,
                round_id: None,
                reason: "Contribution agreed at set-up",
                actor: Some(user.id),
            },
            now,
        )
        .await?;
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "fund.set_up",
            subject_type: "fund",
            subject_id: year.0.to_string(),
            summary: format!("Pooled fund for {} set up", year.label()),
            before: None,
            after: Some(format!("Agreed value {agreed}")),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Pooled fund for {} set up", year.label()),
        &format!("/fund/pooled-funds/{}", year.0),
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerTotals {
    pub partner: PartnerView,
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntryView {
    pub when: String,
    pub partner: String,
    pub movement: String,
    pub amount: Pence,
    pub round_id: Option<i64>,
    /// The round's title, for movements that belong to one.
    pub round: String,
    pub reason: String,
    pub by: String,
}

/// A ledger entry as the statement shows it: UK time, the movement's words, who made it.
#[cfg(feature = "ssr")]
pub fn ledger_entry_view(r: db::fund::LedgerRow) -> LedgerEntryView {
    LedgerEntryView {
        when: r.created_at.display_uk(),
        partner: r.partner,
        movement: r.movement.label().to_string(),
        amount: r.amount,
        round_id: r.round_id,
        round: r.round_title.unwrap_or_default(),
        reason: r.reason,
        by: r.actor.unwrap_or_else(|| "Seedbed".to_string()),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundRecord {
    pub year: FinancialYear,
    pub agreed: Pence,
    pub partners: Vec<PartnerTotals>,
    pub total: Totals,
    pub ledger: Vec<LedgerEntryView>,
    /// The id to pass as `before` for the next (older) page of the ledger.
    pub older: Option<i64>,
    pub all_partners: Vec<PartnerView>,
}

/// A year's fund with each partner's totals from the ledger and their sum (not found when
/// the year has no fund).
#[cfg(feature = "ssr")]
pub async fn statement(
    pool: &sqlx::AnyPool,
    year: FinancialYear,
) -> Result<(db::fund::FundRow, Vec<PartnerTotals>, Totals), AppError> {
    let fund = db::fund::fund_for_year(pool, year)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let partners: Vec<PartnerTotals> = db::fund::partner_totals(pool, fund.id)
        .await?
        .into_iter()
        .map(|(p, totals)| PartnerTotals {
            partner: PartnerView {
                id: p.id,
                name: p.name,
                org_identifier: p.org_identifier,
            },
            totals,
        })
        .collect();
    let total = partners
        .iter()
        .fold(Totals::default(), |acc, p| acc.add(&p.totals));
    Ok((fund, partners, total))
}

#[server(prefix = "/api", endpoint = "fund/detail")]
pub async fn fund_detail(year: i32, before: Option<i64>) -> Result<FundRecord, AppError> {
    let (state, _) = commissioner().await?;
    let (fund, partners, total) = statement(&state.pool, FinancialYear(year)).await?;
    let rows = db::fund::ledger(&state.pool, fund.id, before, LEDGER_PAGE + 1).await?;
    let older = if rows.len() as i64 > LEDGER_PAGE {
        rows.get(LEDGER_PAGE as usize - 1).map(|r| r.id)
    } else {
        None
    };
    let ledger = rows
        .into_iter()
        .take(LEDGER_PAGE as usize)
        .map(ledger_entry_view)
        .collect();
    let all_partners = db::fund::partners(&state.pool)
        .await?
        .into_iter()
        .map(|p| PartnerView {
            id: p.id,
            name: p.name,
            org_identifier: p.org_identifier,
        })
        .collect();
    Ok(FundRecord {
        year: fund.year,
        agreed: fund.agreed,
        partners,
        total,
        ledger,
        older,
        all_partners,
    })
}

/// A variation: one partner's contribution goes up or down, and the agreed value with it.
#[server(prefix = "/api", endpoint = "fund/vary")]
pub async fn record_variation(
    year: i32,
    #[server(default)] partner: String,
    #[server(default)] direction: String,
    amount: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let values = [
        ("partner", partner.as_str()),
        ("direction", direction.as_str()),
        ("amount", amount.as_str()),
        ("reason", reason.as_str()),
    ];
    let fund = db::fund::fund_for_year(&state.pool, FinancialYear(year))
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let partners = db::fund::partners(&state.pool).await?;
    let mut errors = Vec::new();
    let chosen = partners
        .iter()
        .find(|p| p.id.to_string() == partner)
        .cloned();
    if chosen.is_none() {
        errors.push(FieldError::new(
            "partner",
            "Select the partner whose contribution changes",
        ));
    }
    let sign = match direction.as_str() {
        "increase" => Some(1),
        "decrease" => Some(-1),
        _ => {
            errors.push(FieldError::new(
                "direction",
                "Select whether the contribution goes up or down",
            ));
            None
        }
    };
    let parsed = auth::collect(
        &mut errors,
        Pence::parse("amount", "the amount of the change", &amount),
    );
    if parsed == Some(Pence(0)) {
        errors.push(FieldError::new(
            "amount",
            "The amount of the change must be more than £0",
        ));
    }
    let reason = auth::collect(
        &mut errors,
        required_text(
            "reason",
            &reason,
            "Enter the reason for the variation",
            1000,
            "Reason",
        ),
    );
    let (Some(partner), Some(sign), Some(parsed), Some(reason), true) =
        (chosen, sign, parsed, reason, errors.is_empty())
    else {
        return Err(
            auth::reject_form("record_variation", &values, AppError::Invalid(errors)).await,
        );
    };
    let change = Pence(parsed.0 * sign);
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let (before, after) =
        match db::fund::vary(&mut tx, fund.id, partner.id, change, &reason, user.id, now).await? {
            Ok(pair) => pair,
            Err(refusal) => {
                drop(tx);
                let error = AppError::field("amount", &refusal.message());
                return Err(auth::reject_form("record_variation", &values, error).await);
            }
        };
    if sign < 0 {
        // A partner's contribution cannot go below zero.
        let contributed: i64 = db::fund::partner_totals_in(&mut tx, fund.id, partner.id).await?;
        if contributed < 0 {
            drop(tx);
            let error = AppError::field(
                "amount",
                &format!(
                    "{}'s contribution cannot go below £0.00. It is {}",
                    partner.name,
                    Pence(contributed - change.0)
                ),
            );
            return Err(auth::reject_form("record_variation", &values, error).await);
        }
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "fund.varied",
            subject_type: "fund",
            subject_id: year.to_string(),
            summary: format!(
                "Variation: {}'s contribution {} by {}. Reason: {reason}",
                partner.name,
                if sign > 0 { "increased" } else { "decreased" },
                parsed
            ),
            before: Some(format!("Agreed value {before}")),
            after: Some(format!("Agreed value {after}")),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Variation recorded. The agreed value is now {after}"),
        &format!("/fund/pooled-funds/{year}"),
    )
    .await?;
    Ok(())
}
