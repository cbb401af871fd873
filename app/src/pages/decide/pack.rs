//! The board pack: one printable, accessible document for a board meeting, made from the
//! live data when it is opened.
use crate::api::decide::pack::{board_pack, PackBid, PackData, PackRound};
use crate::components::{error_view, BackLink, DataTable, DependencyChart, PageTitle};
use crate::web::id_param;
use leptos::prelude::*;

#[component]
pub fn PackPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, board_pack);
    view! {
        <PageTitle text="Board pack"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(data) => pack_view(data).into_any(),
                }
            })}
        </Transition>
    }
}

/// Each pooled fund's position per partner, as tables (the pack, the decision report).
pub fn fund_tables(funds: &[crate::api::decide::pack::FundPosition]) -> impl IntoView {
    funds
        .iter()
        .map(|f| {
            let rows = f
                .partners
                .iter()
                .map(|r| {
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header">{r.partner.clone()}</th>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{r.contributed.display()}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{r.reserved.display()}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{r.committed.display()}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{r.paid.display()}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{r.uncommitted.display()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label=format!("{} (scrolls sideways)", f.title)>
                    <DataTable caption=f.title.clone() caption_class="govuk-table__caption--s" headings=vec!["Partner", "Contributed", "Reserved for rounds", "Committed", "Paid", "Not committed"] numeric=vec![1, 2, 3, 4, 5]>
                        {rows}
                    </DataTable>
                </div>
            }
        })
        .collect_view()
}

fn pack_view(p: PackData) -> impl IntoView {
    let members = p
        .members
        .iter()
        .map(|(name, represents)| view! { <li>{format!("{name}, {represents}")}</li> })
        .collect_view();
    let funds = fund_tables(&p.funds);
    let rounds = p.rounds.iter().map(round_view).collect_view();
    view! {
        <div class="seedbed-no-print">
            <BackLink href=format!("/board/meetings/{}", p.meeting_id) text="Back to the meeting"/>
        </div>
        <span class="govuk-caption-l">{p.name.clone()}</span>
        <h1 class="govuk-heading-l">"Board pack"</h1>
        <p class="govuk-body">{format!("Made from the live data on {}. To keep a copy, print this page or save it as a PDF from your browser's print menu.", p.generated)}</p>
        <h2 class="govuk-heading-m">"Members invited"</h2>
        <ul class="govuk-list govuk-list--bullet">{members}</ul>
        <h2 class="govuk-heading-m">"The pooled fund"</h2>
        <p class="govuk-body">"Money reserved for a round stays there until an award is signed off by both partners or the round's unawarded money is released."</p>
        {funds}
        {rounds}
    }
}

fn round_view(r: &PackRound) -> impl IntoView {
    let criteria = r
        .criteria
        .iter()
        .map(|(name, weight, by)| view! { <li>{format!("{name}: weight {weight}, {by}")}</li> })
        .collect_view();
    let ranked = r
        .bids
        .iter()
        .map(|b| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell govuk-table__cell--numeric">{b.rank.to_string()}</td>
                    <td class="govuk-table__cell">{format!("{}: {}", b.reference, b.organisation)}</td>
                    <td class="govuk-table__cell">{b.total.clone()}{(!b.standing.is_empty()).then(|| view! { <br/><span class="govuk-hint govuk-!-margin-0">{b.standing.clone()}</span> })}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{b.requested.display()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{b.running_total.display()}</td>
                    <td class="govuk-table__cell">{if b.above_line { "Within the envelope" } else { "Below the funding line" }}</td>
                    <td class="govuk-table__cell">{b.recommendation.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let bids = r.bids.iter().map(bid_view).collect_view();
    view! {
        <h2 class="govuk-heading-l">{r.title.clone()}</h2>
        <p class="govuk-body">{format!("Budget envelope {}; awarded so far {}.", r.envelope.display(), r.awarded.display())}</p>
        <h3 class="govuk-heading-s">"Criteria"</h3>
        <ul class="govuk-list govuk-list--bullet">{criteria}</ul>
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label=format!("Ranked bids of {} (scrolls sideways)", r.title)>
            <DataTable caption="Bids ranked by weighted score, with the funding line" caption_class="govuk-table__caption--s"
                headings=vec!["Rank", "Bid", "Score", "Requested", "Running total", "Funding line", "Officers' recommendation"] numeric=vec![0, 3, 4]>
                {ranked}
            </DataTable>
        </div>
        {bids}
    }
}

fn bid_view(b: &PackBid) -> impl IntoView {
    let id = format!(
        "plan-{}",
        b.reference
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let flags = b
        .plan_flags
        .iter()
        .map(|f| view! { <li>{f.clone()}</li> })
        .collect_view();
    let list = |items: &[String], none: &str| {
        if items.is_empty() {
            none.to_string()
        } else {
            items.join(", ")
        }
    };
    view! {
        <h3 class="govuk-heading-m">{format!("{}: {}", b.reference, b.organisation)}</h3>
        <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Requested"</dt><dd class="govuk-summary-list__value">{b.requested.display()}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Score"</dt><dd class="govuk-summary-list__value">{if b.standing.is_empty() { b.total.clone() } else { format!("{} ({})", b.total, b.standing.to_lowercase()) }}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Scores that differ by 2 or more"</dt><dd class="govuk-summary-list__value">{list(&b.spreads, "None")}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Conflicts of interest declared"</dt><dd class="govuk-summary-list__value">{list(&b.conflicts, "None")}</dd></div>
            <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Officers' recommendation"</dt><dd class="govuk-summary-list__value">{b.recommendation.clone()}</dd></div>
            {(!b.interview.is_empty()).then(|| view! {
                <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Shortlisted for"</dt><dd class="govuk-summary-list__value">{b.interview.clone()}</dd></div>
            })}
            {(!b.override_reason.is_empty()).then(|| view! {
                <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">"Why it is recommended below a minimum score"</dt><dd class="govuk-summary-list__value">{b.override_reason.clone()}</dd></div>
            })}
        </dl>
        {if b.plan.is_empty() {
            view! { <p class="govuk-body">"The bid has no sustainability plan to show."</p> }.into_any()
        } else {
            view! {
                <DependencyChart id=id title=format!("Grant dependency by year: {}", b.organisation) bars=b.plan.clone() summary=b.plan_summary.clone()/>
            }.into_any()
        }}
        {(!b.plan_flags.is_empty()).then(|| view! {
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text">
                    <span class="govuk-visually-hidden">"Warning"</span>
                    <ul class="govuk-list">{flags}</ul>
                </strong>
            </div>
        })}
    }
}
