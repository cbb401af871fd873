//! Commissioners: the pooled fund, its partners and its ledger.
use crate::domain::fund::{FinancialYear, Totals};
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {crate::auth, crate::db};

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
    /// The money the year holds (its contributions, with what came from or went to other
    /// years).
    pub agreed: Pence,
    pub uncommitted: Pence,
    /// Its year-end has been run.
    #[serde(default)]
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundHomeData {
    pub funds: Vec<FundSummary>,
    pub partners: Vec<PartnerView>,
    /// Years a fund can be set up for now (this financial year and the next three) that have
    /// none.
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
    let ahead = crate::service::fund::YEARS_AHEAD;
    let years_to_set_up = (now.0..=now.0 + ahead)
        .map(FinancialYear)
        .filter(|y| !funds.iter().any(|f| f.year == *y))
        .collect();
    Ok(FundHomeData {
        funds: funds
            .into_iter()
            .map(|f| FundSummary {
                year: f.year,
                agreed: f.agreed,
                uncommitted: Pence(f.agreed.0 - f.reserved.0 - f.committed.0),
                closed: f.closed_at.is_some(),
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
    match crate::service::fund::add_partner(state.ctx(), &user.actor(), &name).await {
        Ok(name) => {
            let notice = format!("{name} added as a partner");
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, "/fund/partners").await?;
            Ok(())
        }
        Err(e) => {
            let values = [("name", name.as_str())];
            Err(auth::reject_form("add_partner", &values, e.into()).await)
        }
    }
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
    use crate::service::fund::{set_partner_identifier as set, FundError};
    let (state, user) = commissioner().await?;
    match set(state.ctx(), &user.actor(), id, &org_identifier).await {
        Ok((name, identifier)) => {
            let notice = format!("{name}'s organisation identifier is now {identifier}");
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, &notice, "/fund/partners").await?;
            Ok(())
        }
        Err(FundError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => {
            let values = [("org_identifier", org_identifier.as_str())];
            Err(auth::reject_form("partner_identifier", &values, e.into()).await)
        }
    }
}

/// Set up the pooled fund for a year: the agreed value and each partner's contribution
/// (`contribution[<partner id>]`), which must add up to it.
#[server(prefix = "/api", endpoint = "fund/set_up")]
pub async fn set_up_fund(
    year: String,
    agreed_value: String,
    #[server(default)] contribution: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::service::fund::{set_up, SetUpForm};
    let (state, user) = commissioner().await?;
    let form = SetUpForm {
        year,
        agreed_value,
        contribution,
    };
    match set_up(state.ctx(), &user.actor(), &form).await {
        Ok(done) => {
            let year = state.deliver(done).await;
            let message = format!("Pooled fund for {} set up", year.label());
            let to = format!("/fund/pooled-funds/{}", year.0);
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(e) => {
            let values: Vec<(String, &str)> = (form.contribution.iter())
                .map(|(k, v)| (format!("contribution[{k}]"), v.as_str()))
                .chain([("year".into(), form.year.as_str())])
                .chain([("agreed_value".into(), form.agreed_value.as_str())])
                .collect();
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            Err(auth::reject_form("set_up_fund", &values, e.into()).await)
        }
    }
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
    /// The viewer runs the fund (a commissioner), rather than reads its statement.
    #[serde(default)]
    pub can_edit: bool,
    /// Its year-end has been run: nothing in it changes.
    #[serde(default)]
    pub closed: bool,
    /// The year has ended (its year-end can be run once the year before is closed).
    #[serde(default)]
    pub ended: bool,
    /// The viewer is a partner's approver (back to their sign-off page).
    #[serde(default)]
    pub from_sign_off: bool,
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

/// A year's statement: commissioners run the fund; board members read it.
#[server(prefix = "/api", endpoint = "fund/detail")]
pub async fn fund_detail(year: i32, before: Option<i64>) -> Result<FundRecord, AppError> {
    use crate::domain::roles::Role;
    let readers = [Role::Commissioner, Role::BoardMember, Role::PartnerApprover];
    let (state, user) = auth::require_any_role(&readers).await?;
    let mut record = fund_record(&state, year, before, user.has(Role::Commissioner)).await?;
    record.from_sign_off = !user.has(Role::Commissioner) && !user.has(Role::BoardMember);
    Ok(record)
}

/// A year's fund for recording a variation: commissioners only.
#[server(prefix = "/api", endpoint = "fund/for_variation")]
pub async fn fund_for_variation(year: i32) -> Result<FundRecord, AppError> {
    let (state, _) = commissioner().await?;
    fund_record(&state, year, None, true).await
}

#[cfg(feature = "ssr")]
async fn fund_record(
    state: &crate::state::AppState,
    year: i32,
    before: Option<i64>,
    can_edit: bool,
) -> Result<FundRecord, AppError> {
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
        can_edit,
        closed: fund.closed_at.is_some(),
        from_sign_off: false,
        ended: fund
            .year
            .ends()
            .is_some_and(|end| this_year() > FinancialYear::containing(end)),
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
    use crate::service::fund::{vary, FundError, VariationForm};
    let (state, user) = commissioner().await?;
    let form = VariationForm {
        partner,
        direction,
        amount,
        reason,
    };
    match vary(state.ctx(), &user.actor(), FinancialYear(year), &form).await {
        Ok(done) => {
            let after = state.deliver(done).await;
            let message = format!("Variation recorded. The agreed value is now {after}");
            let to = format!("/fund/pooled-funds/{year}");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(FundError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => {
            let values = [
                ("partner", form.partner.as_str()),
                ("direction", form.direction.as_str()),
                ("amount", form.amount.as_str()),
                ("reason", form.reason.as_str()),
            ];
            Err(auth::reject_form("record_variation", &values, e.into()).await)
        }
    }
}
