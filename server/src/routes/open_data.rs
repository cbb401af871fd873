//! Open data: every award as a 360Giving data package (JSON), one package per financial
//! year, and every award as the standard's spreadsheet (CSV). Public. The JSON files are
//! kept per data epoch (built once after each change); the CSV is streamed, one grant at a
//! time.
use crate::routes::streaming::{csv_record, stream_query};
use crate::ServerState;
use app::domain::fund::FinancialYear;
use app::domain::opendata::{
    csv_header, csv_row, grant, package_parts, parse_year_file, year_file, Award, Funder,
};
use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub const PUBLISHER: &str = "Preventative Services Market Development Board";

/// Stream `head`, then each award written by `write` (told whether it is the first), then
/// `tail`, from the awards read as a database stream.
fn stream_awards(
    state: &ServerState,
    head: String,
    tail: String,
    write: impl Fn(&Award, bool) -> Option<Vec<u8>> + Send + 'static,
) -> Body {
    stream_query(
        state.app.pool.clone(),
        app::db::opendata::AWARDS_SQL.to_string(),
        Vec::new(),
        head.into_bytes(),
        tail.into_bytes(),
        move |row, first| {
            let award = app::db::opendata::award_from_row(row).ok()?;
            write(&award, first)
        },
    )
}

async fn funders(state: &ServerState) -> Result<Vec<Funder>, Response> {
    app::db::opendata::funders(&state.app.pool, &state.app.settings.open_data_prefix)
        .await
        .map_err(|e| {
            tracing::error!(%e, "could not read the funders");
            crate::routes::files::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
            )
        })
}

fn data_source(state: &ServerState) -> String {
    format!("{}/open-data/360giving.json", state.app.settings.base_url)
}

/// The 360Giving package of every award (`None`) or of those awarded in one financial
/// year, as bytes kept per data epoch: built once after each change instead of on every
/// request (5,000 grants make 4.7 MB and took 1.3 s to build; the harvesters and the
/// public read the file far more often than awards change).
async fn package(
    state: &ServerState,
    year: Option<FinancialYear>,
) -> Result<Arc<Package>, AppError> {
    let key = match year {
        Some(y) => format!("open-data/360giving/{}", year_file(y)),
        None => "open-data/360giving.json".to_string(),
    };
    let pool = &state.app.pool;
    let (_, bytes) = state
        .app
        .cache
        .get_or_make(pool, key, || async {
            let prefix = &state.app.settings.open_data_prefix;
            let funders = app::db::opendata::funders(pool, prefix).await?;
            let awards = app::db::opendata::awards(pool, year).await?;
            let source = match year {
                Some(y) => format!(
                    "{}/open-data/360giving/{}",
                    state.app.settings.base_url,
                    year_file(y)
                ),
                None => data_source(state),
            };
            let modified = app::domain::time::to_db(chrono::Utc::now());
            let base = &state.app.settings.base_url;
            let (head, tail) = package_parts(PUBLISHER, base, &modified, year);
            let mut out = head.into_bytes();
            for (i, a) in awards.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let grant = grant(a, prefix, &funders, &source).to_string();
                out.extend_from_slice(grant.as_bytes());
            }
            out.extend_from_slice(tail.as_bytes());
            Ok(Package {
                grants: awards.len(),
                bytes: Arc::new(out),
            })
        })
        .await?;
    Ok(bytes)
}

/// A 360Giving package: how many grants, and the file.
struct Package {
    grants: usize,
    bytes: Arc<Vec<u8>>,
}

fn json_response(package: Result<Arc<Package>, AppError>, file: &str) -> Response {
    let package = match package {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(%e, "could not make the 360Giving file");
            return crate::routes::files::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
            );
        }
    };
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
        ],
        // The kept bytes are shared, not copied: each response holds the Arc.
        Body::from(Bytes::from_owner(ArcBytes(package.bytes.clone()))),
    )
        .into_response()
}

/// Lets a response body borrow the kept bytes.
struct ArcBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// `/open-data/360giving.json`: a 360Giving 1.4 data package of every award.
pub async fn grants_json(State(state): State<ServerState>) -> Response {
    json_response(package(&state, None).await, "360giving.json")
}

/// `/open-data/360giving/2025-26.json`: the awards made in one financial year (1 April to
/// 31 March), so that a harvester can fetch a year at a time.
pub async fn grants_json_for_year(
    State(state): State<ServerState>,
    Path(file): Path<String>,
) -> Response {
    let Some(year) = parse_year_file(&file) else {
        return crate::routes::files::refused(StatusCode::NOT_FOUND, "Page not found");
    };
    match package(&state, Some(year)).await {
        // The standard has no empty package: a year without awards has no file.
        Ok(p) if p.grants == 0 => crate::routes::files::refused(
            StatusCode::NOT_FOUND,
            "No grants were awarded in that financial year",
        ),
        made => json_response(made, &file),
    }
}

/// `/open-data/360giving.csv`: the same grants with the standard's column titles.
pub async fn grants_csv(State(state): State<ServerState>) -> Response {
    let funders = match funders(&state).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let prefix = state.app.settings.open_data_prefix.clone();
    let source = data_source(&state);
    let Some(head) = csv_record(&csv_header(funders.len())) else {
        return crate::routes::files::refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        );
    };
    let body = stream_awards(
        &state,
        String::from_utf8_lossy(&head).into_owned(),
        String::new(),
        move |a, _| csv_record(&csv_row(a, &prefix, &funders, &source)),
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"360giving.csv\"",
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
        .into_response()
}
