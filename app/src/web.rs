//! What belongs to the web adapter and is shared by pages, server functions and the page
//! kit: who is signed in (as the page shell shows them) and a form's flashed input (what
//! the user typed, and what was wrong, after a plain form post failed). The session and
//! notices themselves are in `crate::auth`.
use crate::error::FieldError;
#[cfg(feature = "ssr")]
use leptos::prelude::use_context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the user typed and what was wrong, kept for the page that redirects back
/// after a plain (no JavaScript) form post fails validation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlashedForm {
    pub values: BTreeMap<String, String>,
    pub errors: Vec<FieldError>,
}

impl FlashedForm {
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub roles: Vec<crate::domain::roles::Role>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShellData {
    pub user: Option<UserSummary>,
    pub notice: Option<String>,
}

/// Where a page's data was kept (crate::cache): its key and the data epoch it was worked
/// out at. Server only and never serialised: with it, the page's biggest table is rendered
/// once per change and its HTML kept too (components::table_body).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CachedAt {
    pub key: String,
    pub epoch: i64,
}

/// Set the HTTP status of a server-rendered page.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(code) {
                res.set_status(status);
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A path parameter as a number (0 when missing or not a number), read as the route changes.
pub fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    use leptos::prelude::Get;
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .get()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// A query parameter's text (empty when missing), read as the route changes.
pub fn query_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    use leptos::prelude::Get;
    let query = leptos_router::hooks::use_query_map();
    move || query.get().get(name).unwrap_or_default()
}

/// Where a task on a task list stands (a bid's sections): the view model says it, the page
/// kit shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TaskStatus {
    NotYetStarted,
    InProgress,
    Completed,
    CannotStartYet,
}

impl TaskStatus {
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotYetStarted => "Not yet started",
            TaskStatus::InProgress => "In progress",
            TaskStatus::Completed => "Completed",
            TaskStatus::CannotStartYet => "Cannot start yet",
        }
    }
}

/// How people reach the team that runs the fund: the contact page and the feedback link.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub email: String,
    pub phone: String,
    /// Lines of the postal address, separated by commas.
    pub address: String,
    /// When the phone is answered.
    pub hours: String,
}

/// Placeholders a council replaces (the phone number is one Ofcom keeps for drama).
pub const DEFAULT_CONTACT: [&str; 4] = [
    "seedfunding@council.example",
    "01632 960 123",
    "Commissioning team, Municipal Offices, Town Hall Square, Grimsby, DN31 1AA",
    "Monday to Friday, 9am to 5pm (except bank holidays)",
];

impl Default for Contact {
    fn default() -> Self {
        let [email, phone, address, hours] = DEFAULT_CONTACT.map(String::from);
        Contact {
            email,
            phone,
            address,
            hours,
        }
    }
}
