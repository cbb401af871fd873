//! The public register of awards: every award, filtered by year, round and gap, a page at a
//! time. No sign-in.
use crate::domain::money::Pence;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const REGISTER_PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub organisation: String,
    /// "Registered charity 1187654", "Company 11223344" or "".
    pub numbers: String,
    pub round: String,
    pub purpose: String,
    pub amount: Pence,
    pub award_date: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterFilter {
    pub year: String,
    pub round: String,
    pub gap: String,
}

impl RegisterFilter {
    pub fn query(&self) -> String {
        format!(
            "year={}&round={}&gap={}",
            self.year.trim(),
            self.round.trim(),
            self.gap.trim()
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegisterData {
    pub rows: Vec<RegisterRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub years: Vec<String>,
    /// Each financial year with awards, newest first: its 360Giving file and its label.
    pub open_data_years: Vec<(String, String)>,
    pub rounds: Vec<(i64, String)>,
    pub gaps: Vec<(i64, String)>,
}

pub fn status_label(code: &str) -> &'static str {
    match code {
        "self_sustaining" => "Self-sustaining",
        "closed" => "Closed",
        _ => "Active",
    }
}

/// The register's filter as query arguments (anything unreadable filters nothing out).
#[cfg(feature = "ssr")]
pub fn register_args(filter: &RegisterFilter) -> crate::db::opendata::RegisterArgs {
    crate::db::opendata::RegisterArgs {
        year: filter
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9998).contains(y)),
        round: filter.round.trim().parse::<i64>().unwrap_or(0),
        gap: filter.gap.trim().parse::<i64>().unwrap_or(0),
    }
}

/// One award as the register shows it.
pub fn register_row(a: crate::domain::opendata::Award, status: &str) -> RegisterRow {
    RegisterRow {
        numbers: match (a.charity_number.trim(), a.company_number.trim()) {
            ("", "") => String::new(),
            (c, "") => format!("Registered charity {c}"),
            ("", co) => format!("Company {}", co.to_uppercase()),
            (c, co) => format!("Registered charity {c}, company {}", co.to_uppercase()),
        },
        organisation: a.organisation,
        round: a.programme,
        purpose: a.description,
        amount: a.amount,
        award_date: crate::domain::date::display_date(a.award_date),
        status: match a.closed {
            Some((_, paid)) => format!("Closed early: {} paid", paid.display()),
            None => status_label(status).to_string(),
        },
    }
}

/// One page of the register, and how many awards match in all.
#[cfg(feature = "ssr")]
pub async fn register_rows(
    pool: &sqlx::AnyPool,
    filter: &RegisterFilter,
    page: i64,
    limit: i64,
) -> Result<(Vec<RegisterRow>, i64), AppError> {
    let (_, offset) = crate::domain::paging::window(page, limit);
    let (awards, total) =
        crate::db::opendata::register(pool, register_args(filter), limit, offset).await?;
    Ok((
        awards
            .into_iter()
            .map(|(a, status)| register_row(a, &status))
            .collect(),
        total,
    ))
}

#[server(prefix = "/api", endpoint = "opendata/register")]
pub async fn award_register(
    #[server(default)] year: String,
    #[server(default)] round: String,
    #[server(default)] gap: String,
    #[server(default)] page: i64,
) -> Result<RegisterData, AppError> {
    let state = crate::state::app_state()?;
    let filter = RegisterFilter { year, round, gap };
    let (page, _) = crate::domain::paging::window(page, REGISTER_PAGE_SIZE);
    let (rows, total) = register_rows(&state.pool, &filter, page, REGISTER_PAGE_SIZE).await?;
    let choices = crate::db::opendata::register_filters(&state.pool).await?;
    let choice = |c: crate::db::opendata::Choice| (c.id, c.title);
    Ok(RegisterData {
        rows,
        total,
        page,
        pages: (total + REGISTER_PAGE_SIZE - 1) / REGISTER_PAGE_SIZE,
        years: choices.years.iter().map(i32::to_string).collect(),
        open_data_years: choices
            .financial_years
            .iter()
            .map(|&y| {
                let file = crate::domain::opendata::year_file(y);
                (format!("/open-data/360giving/{file}"), y.label())
            })
            .collect(),
        rounds: choices.rounds.into_iter().map(choice).collect(),
        gaps: choices.gaps.into_iter().map(choice).collect(),
    })
}

/// How to reach the commissioning team, as this portal is set up (the contact page).
#[server(prefix = "/api", endpoint = "public/contact")]
pub async fn contact_details() -> Result<crate::web::Contact, AppError> {
    let state = crate::state::app_state()?;
    Ok(state.settings.contact.clone())
}
