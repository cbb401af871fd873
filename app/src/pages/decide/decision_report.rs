//! A round's decision report for the partners: printable, with a CSV of its decisions.
use crate::api::decide::decision_report::{decision_report, RoundDecisionReport};
use crate::components::{error_view, BackLink, DataTable, PageTitle, SummaryList, SummaryRow};
use crate::web::id_param;
use leptos::prelude::*;

#[component]
pub fn DecisionReportPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, decision_report);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(report) => report_view(report).into_any(),
                }
            })}
        </Transition>
    }
}

fn report_view(r: RoundDecisionReport) -> impl IntoView {
    let title = format!("Decision report: {}", r.title);
    let rows = r
        .lines
        .iter()
        .map(|l| {
            let mut notes = Vec::new();
            if !l.conditions.is_empty() {
                notes.push(format!("Conditions: {}", l.conditions));
            }
            if !l.override_reason.is_empty() {
                notes.push(format!(
                    "Recommended although below a minimum score: {}",
                    l.override_reason
                ));
            }
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{format!("{}: {}", l.reference, l.organisation)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{l.requested.map(|p| p.display()).unwrap_or_default()}</td>
                    <td class="govuk-table__cell">{l.decision.clone()}</td>
                    <td class="govuk-table__cell">{if notes.is_empty() { "None".to_string() } else { notes.join(". ") }}</td>
                    <td class="govuk-table__cell">{if l.meeting.is_empty() { "Not named".to_string() } else { l.meeting.clone() }}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = r.lines.is_empty();
    view! {
        <PageTitle text=title.clone()/>
        <div class="seedbed-no-print">
            <BackLink href="/board/meetings" text="Back to board meetings"/>
        </div>
        <span class="govuk-caption-l">"For the partners"</span>
        <h1 class="govuk-heading-l">{title}</h1>
        <p class="govuk-body">{format!("Made from the live data on {}. Print it, or save it as a PDF from your browser's print menu.", r.generated)}</p>
        <h2 class="govuk-heading-m">"Decisions"</h2>
        {if empty {
            view! { <p class="govuk-body">"No decision has been recorded on this round's bids yet."</p> }.into_any()
        } else {
            view! {
                <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Decisions on the round's bids (scrolls sideways)">
                    <DataTable caption="Decisions on the round's bids" caption_class="govuk-visually-hidden"
                        headings=vec!["Bid", "Requested", "Decision", "Conditions and reasons", "Board meeting"] numeric=vec![1]>
                        {rows}
                    </DataTable>
                </div>
            }.into_any()
        }}
        <p class="govuk-body"><a class="govuk-link" href=format!("/board/rounds/{}/decisions.csv", r.round_id) download>"Download the decisions (CSV)"</a></p>
        <h2 class="govuk-heading-m">"The round's money after these decisions"</h2>
        <SummaryList rows=vec![
            SummaryRow::new("Budget envelope", r.envelope.display()),
            SummaryRow::new("Awarded (committed)", r.awarded.display()),
            SummaryRow::new("Recommended, awaiting the partners' sign-off", r.awaiting.display()),
            SummaryRow::new("Left in the envelope", r.left.display()),
        ]/>
        <h2 class="govuk-heading-m">"The pooled fund after these decisions"</h2>
        {super::pack::fund_tables(&r.funds)}
    }
}
