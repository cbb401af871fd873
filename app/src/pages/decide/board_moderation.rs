//! Board members: a round's moderation, read only, once they have finished scoring it.
use crate::api::decide::moderation::{board_moderation, ModerationData};
use crate::components::{error_view, BackLink, PageTitle, Pagination};
use crate::web::id_param;
use leptos::prelude::*;

fn moderation_href(page: i64, base: &str) -> String {
    format!("{base}/moderation?page={page}")
}

#[component]
pub fn BoardModerationPage() -> impl IntoView {
    let id = id_param("id");
    let page = crate::web::query_param("page");
    let data = Resource::new(
        move || (id(), page()),
        |(id, page)| board_moderation(id, page.parse().unwrap_or(0)),
    );
    view! {
        <PageTitle text="Moderation"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(m) => read_view(m).into_any(),
                }
            })}
        </Transition>
    }
}

fn read_view(m: ModerationData) -> impl IntoView {
    let rows = m
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = m
                .criteria
                .iter()
                .zip(&r.cells)
                .map(|(c, cell)| {
                    let given = cell
                        .scores
                        .iter()
                        .map(|(who, s)| format!("{who}: {}", s.map(|s| s.to_string()).unwrap_or_else(|| "none".into())))
                        .collect::<Vec<_>>()
                        .join("; ");
                    let mean = cell.mean.map(|m| format!("Mean {m:.1}")).unwrap_or_else(|| "No scores yet".into());
                    let agreed = cell.moderated.map(|a| format!(". Agreed {a}")).unwrap_or_default();
                    let spread = if cell.spread { ". Scores differ by 2 or more" } else { "" };
                    view! {
                        <td class="govuk-table__cell">
                            <span class="govuk-visually-hidden">{format!("{}: ", c.name)}</span>
                            {format!("{mean}{agreed}{spread}")}
                            {(!given.is_empty()).then(|| view! { <br/><span class="govuk-hint govuk-!-margin-0">{given}</span> })}
                        </td>
                    }
                })
                .collect_view();
            let standing = match (r.scored, r.fundable) {
                (false, _) => "Not scored yet",
                (true, true) => "Fundable",
                (true, false) => "Not fundable",
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell govuk-table__cell--numeric">{(m.first_rank + i + 1).to_string()}</td>
                    <td class="govuk-table__cell">{format!("{}: {}", r.reference, r.organisation)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{:.1}", r.total)}<br/><span class="govuk-hint govuk-!-margin-0">{standing}</span></td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{r.requested.display()}</td>
                    <td class="govuk-table__cell">{if r.above_line { "Within the envelope" } else { "Below the funding line" }}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let head = [
        "Rank",
        "Bid",
        "Total out of 100",
        "Requested",
        "Funding line",
    ]
    .iter()
    .map(|h| h.to_string())
    .chain(
        m.criteria
            .iter()
            .map(|c| format!("{} ({}%)", c.name, c.weight)),
    )
    .enumerate()
    .map(|(i, h)| {
        let class = if [0, 2, 3].contains(&i) {
            "govuk-table__header govuk-table__header--numeric"
        } else {
            "govuk-table__header"
        };
        view! { <th scope="col" class=class>{h}</th> }
    })
    .collect_view();
    let base = format!("/board/rounds/{}", m.round_id);
    view! {
        <BackLink href="/assess" text="Back to your assessments"/>
        <span class="govuk-caption-l">{m.title.clone()}</span>
        <h1 class="govuk-heading-l">"Moderation"</h1>
        <p class="govuk-body">"Every assessor's scores, now that you have submitted yours. Commissioners record the agreed scores and the Board's decisions; this page is for reading."</p>
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Ranked bids and scores (scrolls sideways)">
            <table class="govuk-table">
                <caption class="govuk-table__caption govuk-table__caption--s">"Bids ranked by weighted total"</caption>
                <thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>
                <tbody class="govuk-table__body">{rows}</tbody>
            </table>
        </div>
        <Pagination page=m.page pages=m.pages href=moderation_href query=base/>
    }
}
