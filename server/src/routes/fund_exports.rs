//! The pooled fund's CSV downloads, for commissioners and the partners' finance teams: a
//! year's statement by partner, every ledger entry, and each partner's share of each payment.
use super::exports::opt;
use crate::routes::streaming::{
    csv_attachment, csv_download, csv_record, server_error, stream_query, Arg,
};
use crate::ServerState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// Load a year's pooled fund statement for a commissioner, or the response that refuses.
async fn fund_statement(
    state: &ServerState,
    session: &Session,
    year: i32,
) -> Result<
    (
        app::db::fund::FundRow,
        Vec<app::api::fund::pooled::PartnerTotals>,
        app::domain::fund::Totals,
    ),
    Response,
> {
    let back = format!("/fund/pooled-funds/{year}");
    crate::routes::files::commissioner(state, session, &back).await?;
    let year = app::domain::fund::FinancialYear(year);
    match app::api::fund::pooled::statement(&state.app.pool, year).await {
        Ok(found) => Ok(found),
        Err(e) => Err(e.into_response()),
    }
}

/// The pooled fund statement for a year: each partner's totals and the fund's.
pub async fn fund_statement_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(year): Path<i32>,
) -> Response {
    let (fund, partners, total) = match fund_statement(&state, &session, year).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let head = [
        "Financial year",
        "Partner",
        "Contributed (£)",
        "Reserved (£)",
        "Committed (£)",
        "Paid (£)",
        "Uncommitted (£)",
        "Released (£)",
        "Repaid (£)",
        "Brought forward (£)",
        "Carried forward (£)",
        "Returned to the partner (£)",
        "Repaid for earlier years (£)",
    ];
    let label = fund.year.label();
    let row = |name: String, t: &app::domain::fund::Totals| {
        let mut cells = vec![label.clone(), name];
        cells.extend(
            [
                t.contributed,
                t.reserved,
                t.committed,
                t.paid,
                t.uncommitted(),
                t.released,
                t.repaid,
                t.brought_forward,
                t.carried_forward,
                t.returned,
                t.recovered,
            ]
            .iter()
            .map(|p| p.to_decimal().to_string()),
        );
        cells
    };
    let mut rows: Vec<Vec<String>> = partners
        .iter()
        .map(|p| row(p.partner.name.clone(), &p.totals))
        .collect();
    rows.push(row("Total".to_string(), &total));
    csv_download(
        &format!("pooled-fund-{}-statement.csv", fund.year.0),
        &head,
        rows,
    )
}

/// Every ledger entry behind a year's statement, oldest first, streamed.
pub async fn fund_ledger_csv(
    State(state): State<ServerState>,
    session: Session,
    Path(year): Path<i32>,
) -> Response {
    let (fund, _, _) = match fund_statement(&state, &session, year).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let head = [
        "Entry",
        "When",
        "Partner",
        "Movement",
        "Amount (£)",
        "Round",
        "Reason",
        "By",
    ];
    let Some(head) = csv_record(&head) else {
        return server_error();
    };
    let body = stream_query(
        state.app.pool.clone(),
        app::db::fund::LEDGER_ALL_SQL.to_string(),
        vec![Arg::Int(fund.id)],
        head,
        Vec::new(),
        |row, _| {
            let r = app::db::fund::ledger_row(row).ok()?;
            let id = r.id;
            let e = app::api::fund::pooled::ledger_entry_view(r);
            csv_record(&[
                id.to_string(),
                e.when,
                e.partner,
                e.movement,
                e.amount.to_decimal().to_string(),
                e.round,
                e.reason,
                e.by,
            ])
        },
    );
    csv_attachment(
        &format!("pooled-fund-{}-ledger.csv", fund.year.0),
        true,
        body,
    )
}

/// One partner's share of each payment from a year's fund, for the partner's finance team.
pub async fn partner_payments_csv(
    State(state): State<ServerState>,
    session: Session,
    Path((year, partner_id)): Path<(i32, i64)>,
) -> Response {
    let (fund, partners, _) = match fund_statement(&state, &session, year).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(partner) = partners.iter().find(|p| p.partner.id == partner_id) else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    let payments = match app::db::fund::partner_payments(&state.app.pool, fund.id, partner_id).await
    {
        Ok(rows) => rows,
        Err(_) => return server_error(),
    };
    let head = [
        "Date paid",
        "Payment reference",
        "Organisation",
        "Scheme reference",
        "Tranche",
        "Payment (£)",
        "Partner",
        "Partner's share (£)",
        "Recorded",
        "Ledger reason",
    ];
    let rows = payments.into_iter().map(|p| {
        vec![
            p.paid_on.map(|d| d.to_db()).unwrap_or_default(),
            p.payment_reference.unwrap_or_default(),
            p.organisation.unwrap_or_default(),
            p.scheme_reference.unwrap_or_default(),
            opt(p.position),
            opt(p.payment.map(|a| a.to_decimal())),
            partner.partner.name.clone(),
            p.share.to_decimal().to_string(),
            p.recorded_at.display_uk(),
            p.reason,
        ]
    });
    csv_download(
        &format!(
            "pooled-fund-{}-payments-partner-{partner_id}.csv",
            fund.year.0
        ),
        &head,
        rows,
    )
}

/// One partner's year-end statement for a closed year, for its finance team: its totals for
/// the year, its share of each commitment carried forward, and its underspend and what the
/// partners agreed for it. Commissioners, board members and the partners' approvers.
pub async fn year_end_csv(
    State(state): State<ServerState>,
    session: Session,
    Path((year, partner_id)): Path<(i32, i64)>,
) -> Response {
    use app::domain::roles::Role;
    let back = format!("/fund/pooled-funds/{year}/year-end");
    let readers = [Role::Commissioner, Role::BoardMember, Role::PartnerApprover];
    if let Err(response) = crate::routes::files::with_role(&state, &session, &back, &readers).await
    {
        return response;
    }
    let pool = &state.app.pool;
    let year = app::domain::fund::FinancialYear(year);
    let (fund, partners, _) = match app::api::fund::pooled::statement(pool, year).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let Some(partner) = partners.iter().find(|p| p.partner.id == partner_id) else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    if fund.closed_at.is_none() {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let (carried, choices) = match tokio::try_join!(
        app::db::fund::carried(pool, fund.id),
        app::db::fund::choices(pool, fund.id)
    ) {
        Ok(found) => found,
        Err(_) => return server_error(),
    };
    let head = [
        "Financial year",
        "Partner",
        "Line",
        "Organisation",
        "Scheme reference",
        "Tranche",
        "Amount (£)",
        "Reason",
    ];
    let name = partner.partner.name.clone();
    let label = fund.year.label();
    let line = |what: &str, amount: app::domain::money::Pence, reason: String| {
        vec![
            label.clone(),
            name.clone(),
            what.to_string(),
            String::new(),
            String::new(),
            String::new(),
            amount.to_decimal().to_string(),
            reason,
        ]
    };
    let t = partner.totals;
    let mut rows = vec![
        line("Contributed", t.contributed, String::new()),
        line(
            "Brought forward from last year",
            t.brought_forward,
            String::new(),
        ),
        line("Paid", t.paid, String::new()),
        line("Released", t.released, String::new()),
        line(
            "Repaid by schemes",
            app::domain::money::Pence(t.repaid.0 + t.recovered.0),
            String::new(),
        ),
        line(
            "Carried forward to next year",
            t.carried_forward,
            String::new(),
        ),
        line("Returned to the partner", t.returned, String::new()),
    ];
    for c in carried.into_iter().filter(|c| c.partner_id == partner_id) {
        rows.push(vec![
            label.clone(),
            name.clone(),
            "Commitment carried forward".to_string(),
            c.organisation.unwrap_or_default(),
            c.scheme_reference.unwrap_or_default(),
            opt(c.position),
            c.share.to_decimal().to_string(),
            c.reason,
        ]);
    }
    for c in choices.into_iter().filter(|c| c.partner_id == partner_id) {
        let what = app::domain::fund::UnderspendChoice::from_code(&c.choice)
            .map(|c| format!("Underspend: {}", c.label().to_lowercase()))
            .unwrap_or_else(|| "Underspend".to_string());
        rows.push(line(&what, c.amount, c.reason));
    }
    csv_download(
        &format!(
            "pooled-fund-{}-year-end-partner-{partner_id}.csv",
            fund.year.0
        ),
        &head,
        rows,
    )
}
