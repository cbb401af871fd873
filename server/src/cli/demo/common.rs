//! What the demo's parts share: the password, the accounts the parts look up, the titles
//! of the rounds one part makes and another follows, and how they load data (offline, with
//! validation failures as errors).
use anyhow::anyhow;
use sqlx::AnyPool;

pub const DEMO_PASSWORD: &str = "seedbed demo password";

/// The second commissioner, who records the payments the first one approves (four eyes).
pub const PAYER_EMAIL: &str = "icb@seedbed.test";

/// The pilot round, closed and in assessment (see assessment.rs).
pub const PILOT_TITLE: &str = "Foot care at home, designed with carers (pilot)";

/// Rounds that ran before, whose funded schemes the demo follows (see schemes.rs).
pub const CHIROPODY_ROUND: &str = "Affordable chiropody for over-65s (2024)";
pub const MEALS_ROUND: &str = "More than meals: shopping help and signposting (2025)";

/// The state the demo and scale loaders run the server functions' domain paths with: their
/// emails captured and dropped (nobody is told about made-up data), links to localhost.
pub fn offline_state(pool: &AnyPool) -> app::state::AppState {
    app::state::AppState {
        pool: pool.clone(),
        mailer: std::sync::Arc::new(crate::mail::CapturingMailer::default()),
        settings: std::sync::Arc::new(app::state::Settings {
            base_url: "http://localhost:3000".into(),
            open_data_prefix: "seedbed".into(),
            trusted_proxies: Vec::new(),
            offline: true,
            contact: Default::default(),
        }),
        cache: Default::default(),
    }
}

pub(crate) fn fail(errors: Vec<app::error::FieldError>) -> anyhow::Error {
    anyhow!(
        "demo data failed validation: {}",
        errors
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    )
}
