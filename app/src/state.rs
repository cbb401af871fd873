//! Process-wide state the server provides to pages and server functions through context.
use crate::error::AppError;
use crate::mail::Mailer;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: sqlx::AnyPool,
    pub mailer: Arc<dyn Mailer>,
    pub settings: Arc<Settings>,
    /// Pages' data kept between requests until the data changes (see `crate::cache`).
    pub cache: Arc<crate::cache::PageCache>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Public address used in emailed links, e.g. https://seedbed.example.org
    pub base_url: String,
    /// The 360Giving identifier prefix (`360G-<prefix>-<id>`).
    pub open_data_prefix: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed (the client's address, for
    /// throttling); from anyone else the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The demo and scale loaders: mail goes straight to the (capturing) mailer and is
    /// dropped, never into the outbox, so no one is told about made-up data.
    pub offline: bool,
    /// How people reach the commissioning team (the contact page).
    pub contact: Contact,
}

pub use crate::web::{Contact, DEFAULT_CONTACT};

pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from context"))
}

impl AppState {
    /// What the use cases in `crate::service` need from this process.
    pub fn ctx(&self) -> crate::service::Ctx<'_> {
        crate::service::Ctx {
            pool: &self.pool,
            base_url: &self.settings.base_url,
        }
    }

    /// Send a use case's mail (through the outbox) and hand back its outcome.
    pub async fn deliver<T>(&self, done: crate::service::Done<T>) -> T {
        for mail in done.mail {
            crate::outbox::send(self, mail).await;
        }
        done.value
    }
}
