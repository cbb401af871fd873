//! The year-end of a pooled fund's financial year: commissioners run it; board members and
//! the partners' approvers (their finance officers) read its statement.
use crate::domain::fund::{FinancialYear, Totals};
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {crate::auth, crate::db, crate::domain::roles::Role};

/// A commitment the year made and did not pay: carried forward (or to be).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnpaidView {
    pub organisation: String,
    pub scheme: String,
    pub tranche: String,
    pub amount: Pence,
}

/// One partner at the year-end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerYearEnd {
    pub id: i64,
    pub name: String,
    pub totals: Totals,
    /// Before the run: what it has uncommitted; after: what was settled.
    pub underspend: Pence,
    /// After the run: what the partners agreed for the underspend, and why.
    pub choice: Option<String>,
    pub reason: String,
    /// After the run: its share of each commitment carried forward.
    pub carried: Vec<UnpaidView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearEndData {
    pub year: FinancialYear,
    /// "Closed on 7 April 2026 at 10:02am": after the run.
    pub closed: Option<String>,
    /// Why the year-end cannot be run now (before the run).
    pub refusal: Option<String>,
    /// The viewer may run it (a commissioner, while it can run).
    pub can_run: bool,
    /// For a commissioner: rounds still holding money reserved in the year (id, title).
    #[serde(default)]
    pub reserved: Vec<(i64, String)>,
    pub unpaid: Vec<UnpaidView>,
    pub carried_total: Pence,
    pub partners: Vec<PartnerYearEnd>,
}

#[cfg(feature = "ssr")]
const READERS: [Role; 3] = [Role::Commissioner, Role::BoardMember, Role::PartnerApprover];

/// The year-end of a year: what it will do (open) or did (closed).
#[server(prefix = "/api", endpoint = "fund/year_end")]
pub async fn year_end(year: i32) -> Result<YearEndData, AppError> {
    use crate::service::fund::{preview, FundError};
    let (state, user) = auth::require_any_role(&READERS).await?;
    let year = FinancialYear(year);
    let preview = match preview(state.ctx(), year).await {
        Ok(p) => p,
        Err(FundError::NotFound) => return Err(auth::with_status(AppError::NotFound)),
        Err(e) => return Err(e.into()),
    };
    let (fund, totals, _) = crate::api::fund::pooled::statement(&state.pool, year).await?;
    let choices = db::fund::choices(&state.pool, fund.id).await?;
    let carried = db::fund::carried(&state.pool, fund.id).await?;
    let unpaid: Vec<UnpaidView> = preview
        .unpaid
        .iter()
        .map(|t| UnpaidView {
            organisation: t.organisation.clone(),
            scheme: String::new(),
            tranche: format!("Tranche {}", t.position),
            amount: t.amount,
        })
        .collect();
    let partners = totals
        .into_iter()
        .map(|p| {
            let choice = choices.iter().find(|c| c.partner_id == p.partner.id);
            let open = preview
                .partners
                .iter()
                .find(|u| u.partner_id == p.partner.id);
            PartnerYearEnd {
                id: p.partner.id,
                name: p.partner.name.clone(),
                totals: p.totals,
                underspend: choice
                    .map(|c| c.amount)
                    .or(open.map(|u| u.underspend))
                    .unwrap_or_default(),
                choice: choice.and_then(|c| {
                    crate::domain::fund::UnderspendChoice::from_code(&c.choice)
                        .map(|c| c.label().to_string())
                }),
                reason: choice.map(|c| c.reason.clone()).unwrap_or_default(),
                carried: carried
                    .iter()
                    .filter(|c| c.partner_id == p.partner.id)
                    .map(|c| UnpaidView {
                        organisation: c.organisation.clone().unwrap_or_default(),
                        scheme: c.scheme_reference.clone().unwrap_or_default(),
                        tranche: c
                            .position
                            .map(|n| format!("Tranche {n}"))
                            .unwrap_or_default(),
                        amount: c.share,
                    })
                    .collect(),
            }
        })
        .collect();
    let closed = preview
        .closed_at
        .map(|at| format!("Closed on {}", at.display_uk()));
    let carried_total = Pence(carried.iter().map(|c| c.share.0).sum());
    Ok(YearEndData {
        year,
        can_run: preview.refusal.is_none() && user.has(Role::Commissioner),
        reserved: if user.has(Role::Commissioner) {
            preview.reserved.clone()
        } else {
            Vec::new()
        },
        closed,
        refusal: preview.refusal,
        unpaid,
        carried_total,
        partners,
    })
}

/// Run the year-end (commissioners): each partner's underspend choice (`choice[<id>]`) and the
/// partners' reason (`reason[<id>]`).
#[server(prefix = "/api", endpoint = "fund/run_year_end")]
pub async fn run_year_end(
    year: i32,
    #[server(default)] choice: BTreeMap<String, String>,
    #[server(default)] reason: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::service::fund::{run_year_end as run, FundError, YearEndForm};
    let (state, user) = auth::require_commissioner().await?;
    let form = YearEndForm { choice, reason };
    match run(state.ctx(), &user.actor(), FinancialYear(year), &form).await {
        Ok(done) => {
            let done = state.deliver(done).await;
            let message = format!(
                "The year-end for {} has been run: {} committed and not paid was carried forward, and the year is closed",
                done.year.label(),
                done.carried.display()
            );
            let to = format!("/fund/pooled-funds/{year}/year-end");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(FundError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => {
            let values: Vec<(String, &str)> = (form.choice.iter())
                .map(|(k, v)| (format!("choice[{k}]"), v.as_str()))
                .chain(
                    form.reason
                        .iter()
                        .map(|(k, v)| (format!("reason[{k}]"), v.as_str())),
                )
                .collect();
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            Err(auth::reject_form("run_year_end", &values, e.into()).await)
        }
    }
}
