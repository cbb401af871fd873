//! Open data: every award as a 360Giving data package (JSON) and as the standard's
//! spreadsheet (CSV). Public, and streamed: rows are read from the database and written out
//! one grant at a time, so memory stays flat however many awards there are.
use crate::routes::streaming::{csv_record, stream_query};
use crate::ServerState;
use app::domain::opendata::{csv_header, csv_row, grant, package_parts, Award, Funder};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

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

/// `/open-data/360giving.json`: a 360Giving 1.4 data package of every award.
pub async fn grants_json(State(state): State<ServerState>) -> Response {
    let funders = match funders(&state).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let prefix = state.app.settings.open_data_prefix.clone();
    let source = data_source(&state);
    let modified = app::domain::time::to_db(chrono::Utc::now());
    let (head, tail) = package_parts(PUBLISHER, &state.app.settings.base_url, &modified);
    let body = stream_awards(&state, head, tail, move |a, first| {
        let mut out = if first { Vec::new() } else { b",".to_vec() };
        out.extend_from_slice(grant(a, &prefix, &funders, &source).to_string().as_bytes());
        Some(out)
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"360giving.json\"",
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
        .into_response()
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
