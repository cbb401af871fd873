//! The Board: its members and who each represents.
use crate::api::assess::board::{board_members, BoardData};
use crate::components::{error_view, DataTable, PageTitle};
use leptos::prelude::*;

#[component]
pub fn BoardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| board_members());
    view! {
        <PageTitle text="The Board"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(data) => board_view(data).into_any(),
                }
            })}
        </Transition>
    }
}

fn board_view(data: BoardData) -> impl IntoView {
    let rows = data
        .members
        .iter()
        .map(|m| view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell">{m.name.clone()}<br/><span class="govuk-hint govuk-!-margin-0">{m.email.clone()}</span></td>
                <td class="govuk-table__cell">{m.represents.clone()}</td>
            </tr>
        })
        .collect_view();
    view! {
        <h1 class="govuk-heading-l">"The Board"</h1>
        <p class="govuk-body">"The Preventative Services Market Development Board looks at gaps in community services and decides which bids for seed funding to recommend. Its members represent the community and voluntary sector, adult social care, the NHS, the council and carers."</p>
        <DataTable caption="Board members" headings=vec!["Member", "Represents"]>
            {rows}
        </DataTable>
        <h2 class="govuk-heading-m">"Meetings"</h2>
        <p class="govuk-body"><a class="govuk-link" href="/board/meetings">"Board meetings, board packs and minutes"</a></p>
        <h2 class="govuk-heading-m">"What the Board reads"</h2>
        <ul class="govuk-list">
            <li><a class="govuk-link" href="/fund/gaps">"Gaps in community services"</a></li>
            <li><a class="govuk-link" href="/fund/schemes">"Portfolio of funded schemes"</a></li>
            {data.fund_year.map(|(year, label)| view! {
                <li><a class="govuk-link" href=format!("/fund/pooled-funds/{year}")>{format!("Pooled fund statement {label}")}</a></li>
            })}
            <li><a class="govuk-link" href="/">"Funding rounds open and upcoming"</a></li>
            <li><a class="govuk-link" href="/awards">"Register of awards"</a></li>
        </ul>
    }
}
