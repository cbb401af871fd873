//! Commissioners: the portfolio of funded schemes (filters, totals, paging, CSV rows).
//! Unit costs and measures are in api::measures.
use crate::domain::money::Pence;
use crate::error::AppError;
use crate::web::CachedAt;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::db,
    crate::domain::date::display_date,
    crate::domain::monitoring::{Figures, SchemeStatus},
};

#[cfg(feature = "ssr")]
use crate::auth;

/// The portfolio's status filter: the status rule's verdicts plus the scheme's life stages.
pub const STATUS_FILTERS: [(&str, &str); 8] = [
    ("awaiting", "Awaiting acceptance"),
    ("on_track", "On track"),
    ("behind", "Behind"),
    ("at_risk", "At risk"),
    ("suspended", "Payments suspended"),
    ("self_sustaining", "Self-sustaining"),
    ("closed", "Ended early"),
    ("turned_down", "Turned down"),
];

pub fn status_label(code: &str) -> &'static str {
    STATUS_FILTERS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortfolioRow {
    pub scheme_id: i64,
    pub organisation: String,
    pub round_title: String,
    pub amount: Pence,
    pub paid: Pence,
    /// Awarded, less what went back unpaid and what was repaid.
    #[serde(default)]
    pub committed: Pence,
    /// Repaid of what was asked back.
    #[serde(default)]
    pub repaid: Pence,
    pub latest_dependency: Option<u32>,
    /// Actual dependency per reported period, oldest first.
    pub trend: Vec<u32>,
    pub status: String,
    pub reason: String,
    pub next_due: Option<String>,
    pub overdue_days: Option<i64>,
    pub cost_avoided: Pence,
}

/// Schemes on one page of the portfolio.
pub const PORTFOLIO_PAGE_SIZE: usize = 50;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioData {
    /// One page of the matching schemes; the totals cover them all.
    pub rows: Vec<PortfolioRow>,
    /// Schemes matching the filter, on every page.
    pub matching: usize,
    pub page: i64,
    pub pages: i64,
    /// Awarded less released and repaid; paid less repaid: as the pooled fund's ledger.
    pub committed: Pence,
    pub paid: Pence,
    #[serde(default)]
    pub repaid: Pence,
    pub self_sustaining: usize,
    pub cost_avoided: Pence,
    pub rounds: Vec<(i64, String)>,
    pub gaps: Vec<(i64, String)>,
    /// Where this page's data was kept (server only).
    #[serde(skip)]
    pub cache: Option<CachedAt>,
    /// The viewer runs the schemes (a commissioner), rather than reads the portfolio (a
    /// board member): the rows link to the schemes only for them.
    #[serde(default)]
    pub can_edit: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortfolioFilter {
    pub round: String,
    pub status: String,
    pub gap: String,
}

impl PortfolioFilter {
    /// The round and gap chosen, if any.
    pub fn ids(&self) -> (Option<i64>, Option<i64>) {
        (
            self.round.trim().parse::<i64>().ok(),
            self.gap.trim().parse::<i64>().ok(),
        )
    }

    pub fn query(&self) -> String {
        format!(
            "round={}&status={}&gap={}",
            self.round.trim(),
            self.status.trim(),
            self.gap.trim()
        )
    }
}

/// The portfolio's rows, filtered (every matching scheme: the CSV, and the page when it is
/// filtered by status, which the status rule decides).
#[cfg(feature = "ssr")]
pub async fn portfolio_rows(
    pool: &sqlx::AnyPool,
    filter: &PortfolioFilter,
) -> Result<Vec<PortfolioRow>, AppError> {
    let (round, gap) = filter.ids();
    let schemes = db::schemes::portfolio(pool, round, gap, None).await?;
    rows_of(pool, &schemes, None, filter.status.trim()).await
}

/// Rows for these schemes, keeping those with `status` (any when blank). `only`: the
/// schemes' ids when they are a few of them (one page), so that only their returns are read;
/// none to read every scheme's in one query each (no query per scheme either way).
#[cfg(feature = "ssr")]
async fn rows_of(
    pool: &sqlx::AnyPool,
    schemes: &[db::schemes::SchemeRow],
    only: Option<&[i64]>,
    status_filter: &str,
) -> Result<Vec<PortfolioRow>, AppError> {
    use std::collections::HashMap;
    let mut reported: HashMap<i64, Vec<(u32, chrono::NaiveDate, Figures)>> = HashMap::new();
    for r in db::returns::reported(pool, only).await? {
        reported
            .entry(r.scheme_id)
            .or_default()
            .push((r.position, r.period_start, r.figures));
    }
    let mut due: HashMap<i64, chrono::NaiveDate> = HashMap::new();
    for d in db::returns::next_due(pool, only).await? {
        due.insert(d.scheme_id, d.due_on);
    }
    let mut valued: HashMap<i64, Vec<db::returns::ValuedOutcome>> = HashMap::new();
    for v in db::returns::valued_outcomes(pool, only).await? {
        valued.entry(v.scheme_id).or_default().push(v);
    }
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let empty = Vec::new();
    let mut rows = Vec::with_capacity(schemes.len());
    for s in schemes {
        let rep = reported.get(&s.id).unwrap_or(&empty);
        let periods: Vec<(u32, chrono::NaiveDate)> = rep.iter().map(|r| (r.0, r.1)).collect();
        let figures: Vec<(u32, Figures)> = rep.iter().map(|r| (r.0, r.2)).collect();
        let next = due.get(&s.id).copied();
        let open_due: Vec<chrono::NaiveDate> = next.into_iter().collect();
        let t = crate::api::monitor::schemes::trajectory(
            s,
            &periods,
            &figures,
            valued.get(&s.id).map(|v| v.as_slice()).unwrap_or(&[]),
            &open_due,
            today,
        );
        let (status, reason) = match (s.status, &t.progress) {
            (SchemeStatus::Awarded, _) => (
                "awaiting".to_string(),
                "The organisation has not accepted the award yet".to_string(),
            ),
            (SchemeStatus::SelfSustaining, _) => {
                ("self_sustaining".into(), "Confirmed self-sustaining".into())
            }
            (SchemeStatus::Closed, _) => (
                "closed".into(),
                format!(
                    "Ended early: {} paid of {}",
                    s.paid.display(),
                    s.amount.display()
                ),
            ),
            (SchemeStatus::TurnedDown, _) => (
                "turned_down".into(),
                "Turned down by the organisation".into(),
            ),
            (SchemeStatus::Suspended, _) => (
                "suspended".into(),
                match s.support_review_on {
                    Some(day) => format!(
                        "Payments suspended: support plan review on {}",
                        crate::domain::date::display_date(day.0)
                    ),
                    None => "Payments suspended".into(),
                },
            ),
            (SchemeStatus::Active, Some((p, why))) => (p.code().to_string(), why.clone()),
            (SchemeStatus::Active, None) => ("on_track".into(), String::new()),
        };
        let reason = if t.graduation_proposed {
            format!("{reason}. Proposed for graduation")
        } else {
            reason
        };
        if !status_filter.is_empty() && status_filter != status {
            continue;
        }
        let trend: Vec<u32> = t.points.iter().filter_map(|p| p.actual).collect();
        rows.push(PortfolioRow {
            scheme_id: s.id,
            organisation: s.organisation_name.clone(),
            round_title: s.round_title.clone(),
            amount: s.amount,
            paid: s.paid,
            committed: Pence(s.amount.0 - s.released.0 - s.repaid.0),
            repaid: s.repaid,
            latest_dependency: trend.last().copied(),
            trend,
            status,
            reason,
            next_due: next.map(display_date),
            overdue_days: t.most_overdue,
            cost_avoided: t.cost_avoided,
        });
    }
    Ok(rows)
}

/// One page of the portfolio with totals over every matching scheme. Without a status filter
/// the database counts and sums the schemes and pages them, and only the page's schemes'
/// returns are read; a status filter needs the status rule over every matching scheme.
#[server(prefix = "/api", endpoint = "portfolio/view")]
pub async fn portfolio(
    #[server(default)] round: String,
    #[server(default)] status: String,
    #[server(default)] gap: String,
    #[server(default)] page: i64,
) -> Result<PortfolioData, AppError> {
    use crate::domain::roles::Role;
    let (state, user) = auth::require_any_role(&[Role::Commissioner, Role::BoardMember]).await?;
    let can_edit = user.has(Role::Commissioner);
    let filter = PortfolioFilter { round, status, gap };
    // Cached until the data changes, and for the day (a scheme's status depends on the date).
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let (round_id, gap_id) = filter.ids();
    // Kept apart for commissioners and board members: the rows' HTML differs.
    let who = if can_edit { "commissioner" } else { "board" };
    let key = format!(
        "portfolio/{who}/{today}/{round_id:?}/{gap_id:?}/{}/{page}",
        filter.status.trim()
    );
    let pool = &state.pool;
    let (at, data) = state
        .cache
        .get_or_make(pool, key, || portfolio_page(pool, filter, page))
        .await?;
    Ok(PortfolioData {
        cache: Some(at),
        can_edit,
        ..(*data).clone()
    })
}

/// One page of the portfolio, worked out from the database.
#[cfg(feature = "ssr")]
async fn portfolio_page(
    pool: &sqlx::AnyPool,
    filter: PortfolioFilter,
    page: i64,
) -> Result<PortfolioData, AppError> {
    let (round, gap) = filter.ids();
    let size = PORTFOLIO_PAGE_SIZE;
    let mut data = if filter.status.trim().is_empty() {
        let totals = db::schemes::portfolio_totals(pool, round, gap).await?;
        let matching = usize::try_from(totals.schemes).unwrap_or(0);
        let pages = matching.div_ceil(size).max(1) as i64;
        let page = page.clamp(1, pages);
        let window = (size as i64, (page - 1) * size as i64);
        let schemes = db::schemes::portfolio(pool, round, gap, Some(window)).await?;
        let ids: Vec<i64> = schemes.iter().map(|s| s.id).collect();
        PortfolioData {
            rows: rows_of(pool, &schemes, Some(&ids), "").await?,
            matching,
            page,
            pages,
            committed: totals.committed,
            paid: totals.paid,
            repaid: totals.repaid,
            self_sustaining: usize::try_from(totals.self_sustaining).unwrap_or(0),
            cost_avoided: totals.cost_avoided,
            ..PortfolioData::default()
        }
    } else {
        let rows = portfolio_rows(pool, &filter).await?;
        let matching = rows.len();
        let pages = matching.div_ceil(size).max(1) as i64;
        let page = page.clamp(1, pages);
        PortfolioData {
            committed: Pence(rows.iter().map(|r| r.committed.0).sum()),
            paid: Pence(rows.iter().map(|r| r.paid.0 - r.repaid.0).sum()),
            repaid: Pence(rows.iter().map(|r| r.repaid.0).sum()),
            self_sustaining: rows
                .iter()
                .filter(|r| r.status == "self_sustaining")
                .count(),
            cost_avoided: Pence(rows.iter().map(|r| r.cost_avoided.0).sum()),
            rows: rows
                .into_iter()
                .skip((page as usize - 1) * size)
                .take(size)
                .collect(),
            matching,
            page,
            pages,
            ..PortfolioData::default()
        }
    };
    data.rounds = db::rounds::all(pool)
        .await?
        .into_iter()
        .map(|r| (r.id, r.details.title))
        .collect();
    data.gaps = db::registers::gaps(pool, None)
        .await?
        .into_iter()
        .map(|g| (g.id, g.item.title))
        .collect();
    Ok(data)
}
