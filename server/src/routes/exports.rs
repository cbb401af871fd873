//! CSV downloads, written with the `csv` crate: small reports built in memory, long lists
//! streamed from the database.
use crate::routes::streaming::{
    csv_attachment, csv_download, csv_record, server_error, stream_query, Arg,
};
use crate::ServerState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::response::Response;
use tower_sessions::Session;

/// The round's register of interests as CSV.
pub async fn interests_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(round_id): Path<i64>,
) -> Response {
    let back = format!("/fund/rounds/{round_id}/interests");
    if let Err(response) = crate::routes::files::commissioner(&state, &session, &back).await {
        return response;
    }
    let items = match state.app.pool.acquire().await {
        Ok(mut conn) => app::api::assess::interest_items(&mut conn, round_id).await,
        Err(e) => Err(e.into()),
    };
    let Ok(items) = items else {
        return server_error();
    };
    let head = [
        "Declared",
        "Assessor",
        "Organisation",
        "Bid reference",
        "Declaration",
        "Connection",
        "Description",
        "Reason for change",
        "Superseded",
    ];
    let rows = items.into_iter().map(|i| {
        vec![
            i.declared,
            i.assessor,
            i.organisation,
            i.reference,
            i.declaration,
            i.nature.map(|n| n.label().to_string()).unwrap_or_default(),
            i.description,
            i.reason,
            if i.superseded { "Yes" } else { "No" }.into(),
        ]
    });
    csv_download(
        &format!("register-of-interests-round-{round_id}.csv"),
        &head,
        rows,
    )
}

/// The portfolio of funded schemes as CSV: the same rows and filters as the page.
pub async fn portfolio_csv(
    State(state): State<ServerState>,
    session: Session,
    axum::extract::Query(filter): axum::extract::Query<
        app::api::monitor::portfolio::PortfolioFilter,
    >,
) -> Response {
    if let Err(response) =
        crate::routes::files::commissioner(&state, &session, "/fund/schemes").await
    {
        return response;
    }
    let Ok(rows) = app::api::monitor::portfolio::portfolio_rows(&state.app.pool, &filter).await
    else {
        return server_error();
    };
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
        "Committed, less released and repaid (£)",
        "Repaid (£)",
    ];
    let rows = rows.into_iter().map(|r| {
        vec![
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
            app::api::monitor::portfolio::status_label(&r.status).to_string(),
            r.reason,
            r.next_due.unwrap_or_default(),
            r.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
            r.cost_avoided.to_decimal().to_string(),
            r.committed.to_decimal().to_string(),
            r.repaid.to_decimal().to_string(),
        ]
    });
    csv_download("funded-schemes.csv", &head, rows)
}

/// The public register of awards as CSV: the same rows and filters as the page (every
/// page), streamed from the database.
pub async fn awards_csv(
    State(state): State<ServerState>,
    axum::extract::Query(filter): axum::extract::Query<app::api::public::RegisterFilter>,
) -> Response {
    let args = app::api::public::register_args(&filter);
    let (from, before) = args.days();
    let head = [
        "Organisation",
        "Charity or company number",
        "Round",
        "Purpose",
        "Amount (£)",
        "Awarded",
        "Status",
    ];
    let Some(head) = csv_record(&head) else {
        return server_error();
    };
    let body = stream_query(
        state.app.pool.clone(),
        app::db::opendata::register_all_sql(),
        vec![
            Arg::Text(from),
            Arg::Text(before),
            Arg::Int(args.round),
            Arg::Int(args.gap),
        ],
        head,
        Vec::new(),
        |row, _| {
            let award = app::db::opendata::award_from_row(row).ok()?;
            let status = app::db::opendata::scheme_status(row).ok()?;
            let r = app::api::public::register_row(award, &status);
            csv_record(&[
                r.organisation,
                r.numbers,
                r.round,
                r.purpose,
                r.amount.to_decimal().to_string(),
                r.award_date,
                r.status,
            ])
        },
    );
    csv_attachment("awards.csv", false, body)
}

pub(super) fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A round's report: its figures and each criterion's scores, one figure a row.
pub async fn round_report_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(round_id): Path<i64>,
) -> Response {
    let back = format!("/fund/rounds/{round_id}/report");
    if let Err(response) = crate::routes::files::commissioner(&state, &session, &back).await {
        return response;
    }
    let r = match app::service::reports::round_report(state.app.ctx(), round_id).await {
        Ok(r) => r,
        Err(e) => return app::error::AppError::from(e).into_response(),
    };
    let f = r.figures;
    let count = |label: &str, n: u32| vec![label.to_string(), n.to_string()];
    let money = |label: &str, p: app::domain::money::Pence| {
        vec![label.to_string(), p.to_decimal().to_string()]
    };
    let mut rows = vec![
        vec!["Round".to_string(), r.title.clone()],
        vec!["Status".to_string(), r.status.clone()],
        count("Bids started and not sent", f.drafts),
        count("Bids received", f.received),
        count("Withdrawn after sending", f.withdrawn),
        count("Eligible (taken into assessment)", f.eligible),
        count("Scored by every assessor", f.scored),
        count("Funded", f.funded),
        count("Declined", f.declined),
        count("On the reserve list", f.reserve_list),
        money("Budget envelope (£)", r.envelope),
        money("Amount requested (£)", f.requested),
        money("Amount awarded (£)", f.awarded),
    ];
    for c in &r.criteria {
        let name = &c.name;
        rows.push(vec![format!("{name}: weight (%)"), c.weight.to_string()]);
        rows.push(count(&format!("{name}: scores submitted"), c.scores));
        rows.push(vec![format!("{name}: mean score"), opt(c.mean)]);
        rows.push(vec![format!("{name}: lowest score"), opt(c.lowest)]);
        rows.push(vec![format!("{name}: highest score"), opt(c.highest)]);
        rows.push(count(&format!("{name}: agreed scores"), c.agreed));
        rows.push(vec![
            format!("{name}: mean agreed score"),
            opt(c.agreed_mean),
        ]);
    }
    csv_download(
        &format!("round-{round_id}-report.csv"),
        &["Figure", "Value"],
        rows,
    )
}

/// The decision report of a board meeting for the partners: each decision with its amount,
/// where it stands with the partners, conditions, the reason for any recommendation below a
/// minimum score and who took no part. For board members, commissioners and approvers.
pub async fn meeting_decisions_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(meeting_id): Path<i64>,
) -> Response {
    use app::domain::roles::Role;
    let back = format!("/board/meetings/{meeting_id}");
    let readers = [Role::BoardMember, Role::Commissioner, Role::PartnerApprover];
    if let Err(response) = crate::routes::files::with_role(&state, &session, &back, &readers).await
    {
        return response;
    }
    let minutes = match app::service::meetings::minutes(state.app.ctx(), meeting_id).await {
        Ok(Some(m)) => m,
        Ok(None) => return app::error::AppError::NotFound.into_response(),
        Err(_) => return server_error(),
    };
    let meeting = app::domain::meeting::describe(minutes.held_at, &minutes.place);
    let head = [
        "Meeting",
        "Funding round",
        "Bid reference",
        "Organisation",
        "Decision",
        "Amount (£)",
        "Conditions",
        "Reason for recommending below a minimum score",
        "Took no part (declared a conflict)",
    ];
    let rows = minutes.decisions.into_iter().map(|d| {
        vec![
            meeting.clone(),
            d.round,
            d.reference,
            d.organisation,
            app::domain::board::decision_words(d.outcome, d.amount, d.sign_off),
            opt(d.amount.map(|a| a.to_decimal())),
            d.conditions,
            d.override_reason,
            d.not_taking_part.join("; "),
        ]
    });
    csv_download(
        &format!("board-meeting-{meeting_id}-decisions.csv"),
        &head,
        rows,
    )
}

/// A round's decision report for the partners as CSV: each decision on its bids with the
/// amount requested and decided, where it stands with the partners, conditions, the reason
/// for any recommendation below a minimum score and the meeting it was made at.
pub async fn round_decisions_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(round_id): Path<i64>,
) -> Response {
    let back = format!("/board/rounds/{round_id}/decisions");
    let readers = app::api::decide::decision_report::REPORT_READERS;
    if let Err(response) = crate::routes::files::with_role(&state, &session, &back, &readers).await
    {
        return response;
    }
    let report = match app::service::meetings::round_decisions(state.app.ctx(), round_id).await {
        Ok(Some(r)) => r,
        Ok(None) => return app::error::AppError::NotFound.into_response(),
        Err(_) => return server_error(),
    };
    let head = [
        "Funding round",
        "Bid reference",
        "Organisation",
        "Requested (£)",
        "Decision",
        "Amount (£)",
        "Conditions",
        "Reason for recommending below a minimum score",
        "Board meeting",
    ];
    let title = report.title.clone();
    let rows = report.decisions.into_iter().map(move |d| {
        vec![
            title.clone(),
            d.reference,
            d.organisation,
            opt(d.requested.map(|a| a.to_decimal())),
            app::domain::board::decision_words(d.outcome, d.amount, d.sign_off),
            opt(d.amount.map(|a| a.to_decimal())),
            d.conditions,
            d.override_reason,
            d.meeting,
        ]
    });
    csv_download(&format!("round-{round_id}-decisions.csv"), &head, rows)
}

/// The audit trail as CSV: every entry the filter matches, oldest first, streamed.
pub async fn audit_csv(
    State(state): State<ServerState>,
    session: Session,
    axum::extract::Query(filter): axum::extract::Query<app::domain::audit::AuditFilterForm>,
) -> Response {
    let readers = app::service::reports::AUDIT_READERS;
    if let Err(response) =
        crate::routes::files::with_role(&state, &session, "/audit-trail", &readers).await
    {
        return response;
    }
    let Ok(checked) = filter.parse() else {
        return crate::routes::files::refused(
            axum::http::StatusCode::BAD_REQUEST,
            "Check the filter on the audit trail page and try again",
        );
    };
    let args = app::service::reports::audit_args(&checked);
    let head = [
        "Entry", "When", "Who", "Action", "Record", "Summary", "Before", "After",
    ];
    let Some(head) = csv_record(&head) else {
        return server_error();
    };
    let body = stream_query(
        state.app.pool.clone(),
        app::db::reports::AUDIT_ALL_SQL.to_string(),
        vec![
            Arg::Int(args.actor),
            Arg::Text(args.record),
            Arg::Text(args.record_id),
            Arg::Text(args.action),
            Arg::Text(args.from),
            Arg::Text(args.before),
        ],
        head,
        Vec::new(),
        |row, _| {
            let e = app::service::reports::audit_item(app::db::reports::audit_entry(row).ok()?);
            csv_record(&[
                e.id.to_string(),
                e.when,
                e.who,
                e.action,
                e.record,
                e.summary,
                e.before,
                e.after,
            ])
        },
    );
    csv_attachment("audit-trail.csv", true, body)
}
