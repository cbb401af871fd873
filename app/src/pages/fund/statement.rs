//! The pooled fund's statement for a financial year: money by partner (contributed,
//! reserved, committed, paid, released, repaid, uncommitted), the downloads for each
//! partner's finance team, and the ledger.
use super::pooled::year_param;
use crate::api::fund::pooled::{fund_detail, FundRecord};
use crate::components::{error_view, BackLink, PageTitle, SummaryList, SummaryRow};
use crate::domain::fund::Totals;
use crate::domain::money::Pence;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn totals_cells(t: &Totals) -> impl IntoView {
    let cells = [
        t.contributed,
        t.brought_forward,
        t.reserved,
        t.committed,
        t.paid,
        t.released,
        Pence(t.repaid.0 + t.recovered.0),
        t.carried_forward,
        t.returned,
        t.uncommitted(),
    ];
    cells
        .into_iter()
        .map(|p| view! { <td class="govuk-table__cell govuk-table__cell--numeric">{p.display()}</td> })
        .collect_view()
}

/// The year's money: what the partners agreed, and (when money moved between years) what the
/// year holds.
fn summary_rows(fund: &FundRecord) -> Vec<SummaryRow> {
    let t = &fund.total;
    let mut rows = vec![SummaryRow::new("Agreed value", t.contributed.display())];
    if t.available() != t.contributed {
        rows.push(SummaryRow::new(
            "Money in the fund, after carrying forward",
            t.available().display(),
        ));
    }
    rows.push(SummaryRow::new("Uncommitted", t.uncommitted().display()));
    rows
}

/// The year-end: its statement once run; for a commissioner, the way to run it once the
/// year has ended.
fn year_end_link(year: i32, closed: bool, can_run: bool) -> impl IntoView {
    if closed {
        Some(view! {
            <div class="govuk-inset-text">
                "This year is closed: its year-end has been run. "
                <a class="govuk-link" href=format!("/fund/pooled-funds/{year}/year-end")>"Read the year-end statement"</a>
            </div>
        }.into_any())
    } else if can_run {
        Some(view! {
            <p class="govuk-body">
                <a class="govuk-link" href=format!("/fund/pooled-funds/{year}/year-end")>"Run the year-end"</a>
                " to carry forward what this year committed and did not pay, and settle each partner's underspend."
            </p>
        }.into_any())
    } else {
        None
    }
}

#[component]
pub fn FundPage() -> impl IntoView {
    let year = year_param();
    let query = use_query_map();
    let before = move || {
        query
            .get()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
    };
    let data = Resource::new(
        move || (year(), before()),
        |(year, before)| fund_detail(year, before),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(fund) => fund_view(fund).into_any(),
                }
            })}
        </Transition>
    }
}

fn fund_view(fund: FundRecord) -> impl IntoView {
    let title = format!("Pooled fund {}", fund.year.label());
    let partner_rows = fund
        .partners
        .iter()
        .map(|p| {
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{p.partner.name.clone()}</th>
                    {totals_cells(&p.totals)}
                </tr>
            }
        })
        .collect_view();
    let ledger_rows = fund
        .ledger
        .iter()
        .map(|e| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{e.when.clone()}</td>
                    <td class="govuk-table__cell">{e.movement.clone()}</td>
                    <td class="govuk-table__cell">{e.partner.clone()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{e.amount.display()}</td>
                    <td class="govuk-table__cell">{e.round.clone()}</td>
                    <td class="govuk-table__cell">{e.reason.clone()}</td>
                    <td class="govuk-table__cell">{e.by.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let year = fund.year.0;
    let older = fund
        .older
        .map(|id| format!("/fund/pooled-funds/{year}?before={id}"));
    let can_edit = fund.can_edit;
    let (closed, ended) = (fund.closed, fund.ended);
    let payment_links = fund
        .partners
        .iter()
        .map(|p| {
            view! {
                <li><a class="govuk-link" href=format!("/fund/pooled-funds/{year}/partners/{}/payments.csv", p.partner.id) download="">
                    {format!("Download {}'s share of each payment (CSV)", p.partner.name)}
                </a></li>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=title.clone()/>
        {if can_edit {
            view! { <BackLink href="/fund" text="Back to funding"/> }.into_any()
        } else if fund.from_sign_off {
            view! { <BackLink href="/sign-off" text="Back to awards to sign off"/> }.into_any()
        } else {
            view! { <BackLink href="/board" text="Back to the Board"/> }.into_any()
        }}
        <span class="govuk-caption-l">"Pooled fund statement"</span>
        <h1 class="govuk-heading-l">{fund.year.label()}</h1>
        <SummaryList rows=summary_rows(&fund)/>
        {(can_edit && !closed).then(|| view! {
            <a href=format!("/fund/pooled-funds/{year}/variation") role="button" draggable="false" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Record a variation"</a>
        })}
        {year_end_link(year, closed, can_edit && ended)}
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Money by partner (scrolls sideways)">
            <table class="govuk-table">
                <caption class="govuk-table__caption govuk-table__caption--m">"Money by partner"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Partner"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Contributed"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Brought forward"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Reserved"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Committed"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Paid"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Released"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Repaid"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Carried forward"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Returned"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Uncommitted"</th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">
                    {partner_rows}
                    <tr class="govuk-table__row seedbed-total-row">
                        <th scope="row" class="govuk-table__header">"Total"</th>
                        {totals_cells(&fund.total)}
                    </tr>
                </tbody>
            </table>
        </div>
        <p class="govuk-body">"Reserved money is set aside for published funding rounds. Committed money has been awarded; paid money has reached the funded schemes. Released money was committed and will not be paid (an award turned down, a scheme ended early or graduated with tranches unpaid); repaid money was paid and has come back from a scheme. Both are uncommitted again, and are no longer counted as committed or paid. Brought forward and carried forward money moved between years with the commitments it pays for, or as underspend the partners agreed to carry forward; returned money went back to a partner at the year-end."</p>
        {can_edit.then(|| view! {
            <ul class="govuk-list">
                <li><a class="govuk-link" href=format!("/fund/pooled-funds/{year}/statement.csv") download="">"Download money by partner (CSV)"</a></li>
                <li><a class="govuk-link" href=format!("/fund/pooled-funds/{year}/ledger.csv") download="">"Download every ledger entry (CSV)"</a></li>
            </ul>
            <h2 class="govuk-heading-s">"Payments for each partner's finance team"</h2>
            <p class="govuk-body">"Each payment to a funded scheme with the date paid, the finance system's reference and the partner's share of it."</p>
            <ul class="govuk-list">{payment_links}</ul>
        })}
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Ledger (scrolls sideways)">
            <table class="govuk-table">
                <caption class="govuk-table__caption govuk-table__caption--m">"Ledger"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"When"</th>
                        <th scope="col" class="govuk-table__header">"Movement"</th>
                        <th scope="col" class="govuk-table__header">"Partner"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Amount"</th>
                        <th scope="col" class="govuk-table__header">"Round"</th>
                        <th scope="col" class="govuk-table__header">"Reason"</th>
                        <th scope="col" class="govuk-table__header">"By"</th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">{ledger_rows}</tbody>
            </table>
        </div>
        {older.map(|href| view! { <p class="govuk-body"><a class="govuk-link" href=href>"Older entries"</a></p> })}
    }
}
