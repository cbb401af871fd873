//! The `seedbed` server: configuration, start-up (router, layers, state), mail and CLI commands.
pub mod cli;
pub mod config;
pub mod jobs;
pub mod mail;
pub mod routes;
pub mod serve;
use routes::{bid_files, exports, files, fund_exports, open_data, scheme_files};
use serve::{forms, headers, sessions};
pub use serve::{serve, serve_with, Timeouts, SHUTDOWN_GRACE};

use app::mail::Mailer;
use app::state::{AppState, Settings};
use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{routing::post, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

#[derive(Clone)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}

pub struct BuildOptions {
    pub database_url: String,
    pub max_connections: u32,
    pub base_url: String,
    pub secure_cookies: bool,
    pub leptos_options: LeptosOptions,
    pub mailer: Arc<dyn Mailer>,
    /// The 360Giving identifier prefix this publisher registered (`360G-<prefix>-…`).
    pub open_data_prefix: String,
    /// Reverse proxies whose X-Forwarded-For names the client (see domain::client).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How people reach the commissioning team.
    pub contact: app::state::Contact,
}

/// Connect, migrate, and build the router. Used by `serve` and by the integration tests.
pub async fn build(options: BuildOptions) -> anyhow::Result<(Router, AppState)> {
    let pool = app::db::connect(&options.database_url, options.max_connections).await?;
    app::db::migrate(&pool, &options.database_url).await?;
    let store = sessions::DbSessionStore::connect(&options.database_url).await?;
    tokio::spawn({
        let store = store.clone();
        async move {
            use tower_sessions::session_store::ExpiredDeletion;
            if let Err(e) = store
                .continuously_delete_expired(tokio::time::Duration::from_secs(600))
                .await
            {
                tracing::error!(%e, "expired session clean-up stopped");
            }
        }
    });
    tokio::task::spawn_blocking(app::service::accounts::password::warm_up).await?;
    let state = AppState {
        pool,
        mailer: options.mailer,
        settings: Arc::new(Settings {
            base_url: options.base_url.trim_end_matches('/').to_string(),
            open_data_prefix: options.open_data_prefix,
            trusted_proxies: options.trusted_proxies,
            offline: false,
            contact: options.contact,
        }),
        cache: Default::default(),
    };
    jobs::start(&state);
    let session_layer = SessionManagerLayer::new(store)
        .with_name("seedbed_session")
        .with_http_only(true)
        .with_secure(options.secure_cookies)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(2),
        ));

    let leptos_options = options.leptos_options;
    let routes = generate_route_list(app::App);
    let server_state = ServerState {
        leptos_options: leptos_options.clone(),
        app: state.clone(),
    };
    let context = {
        let state = state.clone();
        move || request_context(&state)
    };
    let router = Router::new()
        .route("/api/{*fn_name}", post(server_fn_handler))
        .route("/health", axum::routing::get(health))
        .merge(
            file_routes()
                .into_iter()
                .fold(Router::new(), |r, (path, route)| r.route(path, route)),
        )
        .leptos_routes_with_context(&server_state, routes, context.clone(), {
            let leptos_options = leptos_options.clone();
            move || app::shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, app::shell))
        .with_state(server_state)
        .layer(session_layer)
        .layer(axum::middleware::from_fn(forms::read_form))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            advance_epoch,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            database_gate,
        ))
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            headers::Hsts(options.base_url.starts_with("https://")),
            headers::security_headers,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_page))
        .layer(tower_http::trace::TraceLayer::new_for_http());
    Ok((router, state))
}

/// The routes beside the pages and server functions: uploads, downloads and open data. Listed
/// here (not added one by one) so the access matrix test sees every one of them.
fn file_routes() -> Vec<(&'static str, axum::routing::MethodRouter<ServerState>)> {
    vec![
        (
            "/fund/gaps/{id}/evidence",
            post(files::upload_gap_evidence)
                .get(files::download_gap_evidence)
                .layer(axum::extract::DefaultBodyLimit::max(
                    files::UPLOAD_BODY_LIMIT,
                )),
        ),
        (
            "/bids/{id}/questions/{qid}/file",
            post(bid_files::upload_bid_file).layer(axum::extract::DefaultBodyLimit::max(
                files::UPLOAD_BODY_LIMIT,
            )),
        ),
        (
            "/bids/{id}/files/{fid}",
            axum::routing::get(bid_files::download_bid_file),
        ),
        (
            "/fund/rounds/{id}/interests.csv",
            axum::routing::get(exports::interests_csv),
        ),
        ("/awards.csv", axum::routing::get(exports::awards_csv)),
        (
            "/fund/rounds/{id}/report.csv",
            axum::routing::get(exports::round_report_csv),
        ),
        (
            "/board/meetings/{id}/decisions.csv",
            axum::routing::get(exports::meeting_decisions_csv),
        ),
        (
            "/board/rounds/{id}/decisions.csv",
            axum::routing::get(exports::round_decisions_csv),
        ),
        ("/audit-trail.csv", axum::routing::get(exports::audit_csv)),
        (
            "/fund/pooled-funds/{year}/statement.csv",
            axum::routing::get(fund_exports::fund_statement_csv),
        ),
        (
            "/fund/pooled-funds/{year}/ledger.csv",
            axum::routing::get(fund_exports::fund_ledger_csv),
        ),
        (
            "/fund/pooled-funds/{year}/partners/{partner}/payments.csv",
            axum::routing::get(fund_exports::partner_payments_csv),
        ),
        (
            "/fund/pooled-funds/{year}/year-end/partners/{partner}/statement.csv",
            axum::routing::get(fund_exports::year_end_csv),
        ),
        (
            "/open-data/360giving.json",
            axum::routing::get(open_data::grants_json),
        ),
        (
            "/open-data/360giving/{file}",
            axum::routing::get(open_data::grants_json_for_year),
        ),
        (
            "/open-data/360giving.csv",
            axum::routing::get(open_data::grants_csv),
        ),
        (
            "/fund/schemes.csv",
            axum::routing::get(exports::portfolio_csv),
        ),
        (
            "/schemes/{id}/tranches/{tid}/files",
            post(scheme_files::upload_tranche_file).layer(axum::extract::DefaultBodyLimit::max(
                files::UPLOAD_BODY_LIMIT,
            )),
        ),
        (
            "/schemes/{id}/files/{fid}",
            axum::routing::get(scheme_files::download_scheme_file),
        ),
        (
            "/bids/{id}/download",
            axum::routing::get(bid_files::download_bid_print),
        ),
    ]
}

/// The paths of [`file_routes`], for the access matrix (server/src/access.rs).
pub fn file_route_paths() -> Vec<&'static str> {
    file_routes().into_iter().map(|(path, _)| path).collect()
}

async fn server_fn_handler(
    axum::extract::State(state): axum::extract::State<ServerState>,
    req: axum::extract::Request,
) -> Response {
    leptos_axum::handle_server_fns_with_context(move || request_context(&state.app), req)
        .await
        .into_response()
}

/// What every page render and server function call finds in its context: the app's state,
/// and a fresh per-request place for the signed-in user (app::auth::RequestUser).
fn request_context(state: &AppState) {
    provide_context(state.clone());
    provide_context(app::auth::RequestUser::default());
    // The inline scripts carry the nonce the content security policy names
    // (headers::security_headers), not the one leptos_axum made up for the render.
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<headers::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// After a request that may have written (any method but GET, HEAD and OPTIONS: every
/// server function and upload is a POST), move the data epoch on, so that pages' data
/// kept from before (app::cache) is worked out again. The request has committed by the time
/// its response exists. If the epoch cannot be moved on, this instance forgets what it
/// kept (another instance would keep its values until the next change that does move it).
async fn advance_epoch(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let response = next.run(request).await;
    if writes {
        changed(&state).await;
    }
    response
}

/// The data changed: move the epoch on (or forget what this instance kept).
pub(crate) async fn changed(state: &AppState) {
    if let Err(e) = app::db::epoch::advance(&state.pool).await {
        tracing::warn!(%e, "could not move the data epoch on; clearing the page cache");
        state.cache.clear();
    }
}

/// While the database is out of reach, answer 503 at once (after a quick check that it has
/// not come back) instead of letting every query wait for the pool's timeout. Static files
/// and the health check pass through.
/// `/health` for a load balancer or monitor: 200 "ok" when this instance can reach the
/// database within 2 seconds, else 503 "database unavailable" (take it out of rotation).
async fn health(axum::extract::State(state): axum::extract::State<ServerState>) -> Response {
    let probe = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        sqlx::query("SELECT 1").execute(&state.app.pool),
    )
    .await;
    match probe {
        Ok(Ok(_)) => (StatusCode::OK, "ok").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

async fn database_gate(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let passes = ["/pkg/", "/health", "/govuk", "/assets/", "/favicon"]
        .iter()
        .any(|p| path.starts_with(p));
    if !passes && app::error::database_seems_down() {
        let probe =
            tokio::time::timeout(std::time::Duration::from_secs(1), state.pool.acquire()).await;
        if matches!(probe, Ok(Ok(_))) {
            app::error::set_database_down(false);
        } else {
            return unavailable_response(path.starts_with("/api/"));
        }
    }
    next.run(request).await
}

/// The service-unavailable answer: the page in the service's style, or for a server
/// function call the JSON error the browser's code reads.
fn unavailable_response(api: bool) -> Response {
    if api {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            "\"Unavailable\"",
        )
            .into_response();
    }
    let html = plain_page(
        "Sorry, the service is unavailable",
        "<p class=\"govuk-body\">Try again in a few minutes.</p><p class=\"govuk-body\">Anything you saved before the problem is still saved.</p>",
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (axum::http::header::RETRY_AFTER, "30"),
        ],
        html,
    )
        .into_response()
}

/// A page in the service's style without the app (for when the app cannot answer).
pub(crate) fn plain_page(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en-GB" class="govuk-template"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} – Seedbed</title><link rel="stylesheet" href="/govuk.css"><link rel="stylesheet" href="/pkg/seedbed.css"></head><body class="govuk-template__body"><header class="govuk-generic-header"><div class="govuk-generic-header__container govuk-width-container"><div class="govuk-generic-header__logo"><a href="/" class="govuk-generic-header__homepage-link">Seedbed</a></div></div></header><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content"><h1 class="govuk-heading-l">{title}</h1>{body}</main></div><footer class="govuk-footer"><div class="govuk-width-container"><ul class="govuk-footer__inline-list"><li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/accessibility">Accessibility statement</a></li><li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/privacy">Privacy notice</a></li><li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/cookies">Cookies</a></li></ul></div></footer></body></html>"#
    )
}

/// A 500 page in the service's style, for a request that panicked.
pub(crate) fn panic_page(_err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request panicked");
    let html = plain_page(
        "Sorry, there is a problem with the service",
        "<p class=\"govuk-body\">Try again later.</p><p class=\"govuk-body\">Anything you saved before the problem is still saved.</p>",
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}
