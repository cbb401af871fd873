//! The gaps register: gaps in community services, their evidence and the rounds that
//! address them (commissioners).
use super::Filter;
use crate::api::market::{gap_detail, gap_for_edit, list_gaps, GapList, GapRecord, SaveGap};
use crate::components::{
    error_view, BackLink, Button, Choice, ErrorSummary, FormErrors, Limit, PageTitle, Radios,
    SummaryList, SummaryRow, Tag, TagColour, TextInput, Textarea,
};
use crate::domain::registers::{GapForm, GapStatus, Priority};
use crate::pages::{history_table, pick, FormPage};
use crate::web::FlashedForm;
use crate::web::{id_param, query_param};
use leptos::prelude::*;

fn status_colour(status: GapStatus) -> TagColour {
    match status {
        GapStatus::Identified => TagColour::Blue,
        GapStatus::RoundOpen => TagColour::Green,
        GapStatus::Filled => TagColour::Grey,
        GapStatus::Closed => TagColour::Grey,
    }
}

fn priority_colour(priority: Priority) -> TagColour {
    match priority {
        Priority::High => TagColour::Red,
        Priority::Medium => TagColour::Yellow,
        Priority::Low => TagColour::Grey,
    }
}

#[component]
pub fn GapsPage() -> impl IntoView {
    let status = query_param("status");
    let data = Resource::new(status, list_gaps);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(list) => gaps_view(list, status()).into_any(),
                }
            })}
        </Transition>
    }
}

fn gaps_view(list: GapList, status: String) -> impl IntoView {
    let GapList { gaps, can_edit } = list;
    let count = match gaps.len() {
        1 => "1 gap".to_string(),
        n => format!("{n} gaps"),
    };
    let rows = gaps
        .into_iter()
        .map(|g| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell"><a class="govuk-link" href=format!("/fund/gaps/{}", g.id)>{g.gap.title.clone()}</a></td>
                    <td class="govuk-table__cell">{g.gap.outcome_sought.clone()}</td>
                    <td class="govuk-table__cell"><Tag text=g.gap.priority.label() colour=priority_colour(g.gap.priority)/></td>
                    <td class="govuk-table__cell"><Tag text=g.gap.status.label() colour=status_colour(g.gap.status)/></td>
                </tr>
            }
        })
        .collect_view();
    let choices = GapStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    view! {
        <PageTitle text="Gaps in community services"/>
        {if can_edit {
            view! { <BackLink href="/fund" text="Back to funding"/> }.into_any()
        } else {
            view! { <BackLink href="/board" text="Back to the Board"/> }.into_any()
        }}
        <h1 class="govuk-heading-l">"Gaps in community services"</h1>
        <p class="govuk-body">"Needs the Board has found in community resources. Funding rounds invite bids to fill them."</p>
        {can_edit.then(|| view! {
            <a href="/fund/gaps/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Record a gap"</a>
        })}
        <Filter action="/fund/gaps" name="status" label="Status" all_label="All statuses" choices=choices value=status/>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--m">{count}</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Gap"</th>
                    <th scope="col" class="govuk-table__header">"Outcome sought"</th>
                    <th scope="col" class="govuk-table__header">"Priority"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{rows}</tbody>
        </table>
    }
}

#[component]
pub fn GapPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, gap_detail);
    view! { <FormPage form="gap_evidence" data=data render=gap_view/> }
}

fn gap_view(stored: FlashedForm, d: GapRecord) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let upload = format!("/fund/gaps/{}/evidence", d.id);
    let can_edit = d.can_edit;
    let file_row = match &d.evidence_file {
        Some((name, size)) if !can_edit => {
            format!("{name} ({})", crate::domain::files::display_size(*size)).into_any()
        }
        Some((name, size)) => view! {
            <a class="govuk-link" href=upload.clone() download="">{format!("{name} ({})", crate::domain::files::display_size(*size))}</a>
        }
        .into_any(),
        None => "No file uploaded".into_any(),
    };
    let edit = format!("/fund/gaps/{}/edit", d.id);
    let g = d.gap;
    let rounds = d
        .rounds
        .into_iter()
        .map(|r| {
            let status = crate::domain::round::RoundStatus::from_code(&r.status)
                .map(|s| s.label())
                .unwrap_or("");
            // Board members read a round on its public page.
            let href = if can_edit {
                format!("/fund/rounds/{}", r.id)
            } else {
                format!("/rounds/{}", r.id)
            };
            view! { <li><a class="govuk-link" href=href>{r.title}</a>" ("{status}")"</li> }
        })
        .collect_view();
    let change = |field: &str| (edit.clone(), field.to_string());
    let row = |key: &str, value: String, field: &str| {
        let (href, hidden) = change(field);
        let row = SummaryRow::new(key, value);
        if can_edit {
            row.change(href, hidden)
        } else {
            row
        }
    };
    view! {
        <PageTitle text=g.title.clone() errors=errors/>
        <BackLink href="/fund/gaps" text="Back to gaps"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">"Gap"</span>
        <h1 class="govuk-heading-l">{g.title.clone()}</h1>
        <SummaryList rows=vec![
            row("Need", g.need.clone(), "the need"),
            row("Evidence", if g.evidence.is_empty() { "None recorded".into() } else { g.evidence.clone() }, "the evidence"),
            row("Target population", g.target_population.clone(), "the target population"),
            row("Outcome sought", g.outcome_sought.clone(), "the outcome sought"),
            row("Priority", g.priority.label().into(), "the priority"),
            row("Status", g.status.label().into(), "the status"),
        ]/>
        <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Evidence file"</dt>
                <dd class="govuk-summary-list__value">{file_row}</dd>
            </div>
        </dl>
        {can_edit.then(|| view! {
        <form method="post" action=upload.clone() enctype="multipart/form-data" novalidate>
            <div class=move || if errors.any().get() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }>
                <label class="govuk-label govuk-label--s" for="evidence-file">"Upload an evidence file"</label>
                <div id="evidence-file-hint" class="govuk-hint">"For example, a needs assessment or survey results. A PDF, Word document, spreadsheet, CSV, text file, PNG or JPG, smaller than 10MB. It replaces any file already uploaded"</div>
                {move || errors.for_field("evidence_file").get().map(|message| view! {
                    <p id="evidence-file-error" class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{message}</p>
                })}
                <input class=move || if errors.any().get() { "govuk-file-upload govuk-file-upload--error" } else { "govuk-file-upload" }
                    id="evidence-file" name="evidence_file" type="file"
                    aria-describedby=move || if errors.any().get() { "evidence-file-hint evidence-file-error" } else { "evidence-file-hint" }/>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Upload file"</button>
        </form>
        })}
        <h2 class="govuk-heading-m">"Funding rounds for this gap"</h2>
        {if rounds.is_empty() {
            view! { <p class="govuk-body">"No round addresses this gap yet."</p> }.into_any()
        } else {
            view! { <ul class="govuk-list govuk-list--bullet">{rounds}</ul> }.into_any()
        }}
        {can_edit.then(|| view! { <p class="govuk-body"><a class="govuk-link" href="/fund/rounds/new">"Create a funding round"</a></p> })}
        {history_table(d.history)}
    }
}

#[component]
pub fn NewGapPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::api::access_check("commissioner".into()));
    view! { <FormPage form="save_gap" data=data render=|stored, ()| gap_form(stored, None, GapForm::default())/> }
}

#[component]
pub fn EditGapPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, gap_for_edit);
    view! { <FormPage form="save_gap" data=data render=|stored, d: GapRecord| gap_form(stored, Some(d.id), d.gap.to_form())/> }
}

fn gap_form(stored: FlashedForm, id: Option<i64>, saved: GapForm) -> impl IntoView {
    let action = ServerAction::<SaveGap>::new();
    let errors = FormErrors::from_stored(&stored);
    let v = {
        let stored = stored.clone();
        move |name: &str, saved: &str| pick(&stored, name, saved)
    };
    let title = if id.is_some() {
        "Change a gap"
    } else {
        "Record a gap"
    };
    let back = id
        .map(|id| format!("/fund/gaps/{id}"))
        .unwrap_or_else(|| "/fund/gaps".into());
    let priorities = Priority::ALL
        .iter()
        .map(|p| Choice::new(p.code(), p.label()))
        .collect();
    let statuses = GapStatus::ALL
        .iter()
        .map(|s| Choice::new(s.code(), s.label()))
        .collect();
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href=back text="Back"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">{title}</h1>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default()/>
                    <TextInput name="title" label="Title" hint="For example, affordable chiropody for older people"
                        value=v("title", &saved.title) error=errors.for_field("title")/>
                    <Textarea name="need" label="The need" hint="What is missing in community services, and who it affects"
                        value=v("need", &saved.need) error=errors.for_field("need") limit=Limit::Characters(5000)/>
                    <Textarea name="evidence" label="Evidence (optional)" hint="For example, a needs assessment, complaints or waiting lists"
                        value=v("evidence", &saved.evidence) error=errors.for_field("evidence") limit=Limit::Characters(5000)/>
                    <TextInput name="target_population" label="Target population" hint="For example, people over 65 living at home"
                        value=v("target_population", &saved.target_population) error=errors.for_field("target_population")/>
                    <TextInput name="outcome_sought" label="Outcome sought" hint="For example, fewer falls among over-65s"
                        value=v("outcome_sought", &saved.outcome_sought) error=errors.for_field("outcome_sought")/>
                    <Radios name="priority" legend="Priority" inline=true choices=priorities
                        value=v("priority", &saved.priority) error=errors.for_field("priority")/>
                    {id.is_some().then(|| view! {
                        <Radios name="status" legend="Status" choices=statuses
                            value=v("status", &saved.status) error=errors.for_field("status")/>
                    })}
                    <Button text="Save gap"/>
                </ActionForm>
            </div>
        </div>
    }
}
