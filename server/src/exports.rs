//! CSV downloads for commissioners, written with the `csv` crate.
use crate::files::refused;
use crate::ServerState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A cell that a spreadsheet would run as a formula is prefixed with an apostrophe.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The round's register of interests as CSV.
pub async fn interests_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(round_id): Path<i64>,
) -> Response {
    let back = format!("/fund/rounds/{round_id}/interests");
    if let Err(response) = crate::files::commissioner(&state, &session, &back).await {
        return response;
    }
    let items = match state.app.pool.acquire().await {
        Ok(mut conn) => app::api::assessment::interest_items(&mut conn, round_id).await,
        Err(e) => Err(e.into()),
    };
    let Ok(items) = items else {
        return refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        );
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![vec![
        "Declared".to_string(),
        "Assessor".into(),
        "Organisation".into(),
        "Bid reference".into(),
        "Declaration".into(),
        "Connection".into(),
        "Description".into(),
        "Reason for change".into(),
        "Superseded".into(),
    ]];
    for i in items {
        rows.push(vec![
            i.declared,
            i.assessor,
            i.organisation,
            i.reference,
            i.declaration,
            i.nature.map(|n| n.label().to_string()).unwrap_or_default(),
            i.description,
            i.reason,
            if i.superseded { "Yes" } else { "No" }.into(),
        ]);
    }
    for row in rows {
        if out.write_record(row.iter().map(|c| cell(c))).is_err() {
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
            );
        }
    }
    match out.into_inner() {
        Ok(bytes) => csv_response(
            &format!("register-of-interests-round-{round_id}.csv"),
            bytes,
        ),
        Err(_) => refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        ),
    }
}

/// The portfolio of funded schemes as CSV: the same rows and filters as the page.
pub async fn portfolio_csv(
    State(state): State<ServerState>,
    session: Session,
    axum::extract::Query(filter): axum::extract::Query<app::api::portfolio::PortfolioFilter>,
) -> Response {
    if let Err(response) = crate::files::commissioner(&state, &session, "/fund/schemes").await {
        return response;
    }
    let Ok(rows) = app::api::portfolio::portfolio_rows(&state.app.pool, &filter).await else {
        return refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        );
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let head = [
        "Scheme",
        "Organisation",
        "Round",
        "Award (£)",
        "Paid to date (£)",
        "Latest grant dependency (%)",
        "Dependency by period (%)",
        "Status",
        "Reason",
        "Next return due",
        "Days overdue",
        "Estimated cost avoided (£)",
    ];
    let mut ok = out.write_record(head).is_ok();
    for r in rows {
        let record = [
            r.scheme_id.to_string(),
            r.organisation,
            r.round_title,
            r.amount.to_decimal().to_string(),
            r.paid.to_decimal().to_string(),
            r.latest_dependency
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.trend
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            app::api::portfolio::status_label(&r.status).to_string(),
            r.reason,
            r.next_due.unwrap_or_default(),
            r.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
            r.cost_avoided.to_decimal().to_string(),
        ];
        ok &= out.write_record(record.iter().map(|c| cell(c))).is_ok();
    }
    match (ok, out.into_inner()) {
        (true, Ok(bytes)) => csv_response("funded-schemes.csv", bytes),
        _ => refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        ),
    }
}

/// The public register of awards as CSV: the same rows and filters as the page (every page).
pub async fn awards_csv(
    State(state): State<ServerState>,
    axum::extract::Query(filter): axum::extract::Query<app::api::opendata::RegisterFilter>,
) -> Response {
    let Ok((rows, _)) = app::api::opendata::register_rows(&state.app.pool, &filter, 1, 0).await
    else {
        return refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sorry, there is a problem with the service",
        );
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut ok = out
        .write_record([
            "Organisation",
            "Charity or company number",
            "Round",
            "Purpose",
            "Amount (£)",
            "Awarded",
            "Status",
        ])
        .is_ok();
    for r in rows {
        let record = [
            r.organisation,
            r.numbers,
            r.round,
            r.purpose,
            r.amount.to_decimal().to_string(),
            r.award_date,
            r.status,
        ];
        ok &= out.write_record(record.iter().map(|c| cell(c))).is_ok();
    }
    match (ok, out.into_inner()) {
        (true, Ok(bytes)) => csv_response("awards.csv", bytes),
        _ => refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        ),
    }
}
