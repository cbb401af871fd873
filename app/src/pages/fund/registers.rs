//! The gaps register and the commissioned services register; the public market position.
use crate::api::registers::*;
use crate::components::*;
use crate::domain::date::display_date;
use crate::domain::registers::{
    GapForm, GapStatus, MarketCategory, Priority, Service, ServiceForm,
};
use crate::pages::{pick, FormPage};
use crate::web::FlashedForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .get()
            .get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

pub(crate) fn query_param(
    name: &'static str,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.get().get(name).unwrap_or_default()
}

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

/// A GET filter form: one select and a button (works without JavaScript).
#[component]
fn Filter(
    action: &'static str,
    name: &'static str,
    label: &'static str,
    all_label: &'static str,
    choices: Vec<(String, String)>,
    value: String,
) -> impl IntoView {
    view! {
        <form method="get" action=action class="seedbed-search">
            {filter_select(name, label, all_label, choices, value)}
            <button type="submit" class="govuk-button govuk-button--secondary">"Filter"</button>
        </form>
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
                    Ok(gaps) => gaps_view(gaps, status()).into_any(),
                }
            })}
        </Transition>
    }
}

fn gaps_view(gaps: Vec<GapRow>, status: String) -> impl IntoView {
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
        <BackLink href="/fund" text="Back to funding"/>
        <h1 class="govuk-heading-l">"Gaps in community services"</h1>
        <p class="govuk-body">"Needs the Board has found in community resources. Funding rounds invite bids to fill them."</p>
        <a href="/fund/gaps/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Record a gap"</a>
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

pub fn history_table(history: Vec<crate::api::admin::AuditView>) -> impl IntoView {
    let rows = history
        .into_iter()
        .map(|h| {
            let change = match (h.before, h.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a,
                _ => String::new(),
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{h.when}</td>
                    <td class="govuk-table__cell">{h.summary}</td>
                    <td class="govuk-table__cell">{change}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--m">"History"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"When"</th>
                    <th scope="col" class="govuk-table__header">"What happened"</th>
                    <th scope="col" class="govuk-table__header">"Change"</th>
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
    let file_row = match &d.evidence_file {
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
            view! { <li><a class="govuk-link" href=format!("/fund/rounds/{}", r.id)>{r.title}</a>" ("{status}")"</li> }
        })
        .collect_view();
    let change = |field: &str| (edit.clone(), field.to_string());
    let row = |key: &str, value: String, field: &str| {
        let (href, hidden) = change(field);
        SummaryRow::new(key, value).change(href, hidden)
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
        <form method="post" action=upload enctype="multipart/form-data" novalidate>
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
        <h2 class="govuk-heading-m">"Funding rounds for this gap"</h2>
        {if rounds.is_empty() {
            view! { <p class="govuk-body">"No round addresses this gap yet."</p> }.into_any()
        } else {
            view! { <ul class="govuk-list govuk-list--bullet">{rounds}</ul> }.into_any()
        }}
        <p class="govuk-body"><a class="govuk-link" href="/fund/rounds/new">"Create a funding round"</a></p>
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
    let data = Resource::new(id, gap_detail);
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

#[component]
pub fn ServicesPage() -> impl IntoView {
    let category = query_param("category");
    let data = Resource::new(category, list_services);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(rows) => services_view(rows, category()).into_any(),
                }
            })}
        </Transition>
    }
}

fn category_colour(c: MarketCategory) -> TagColour {
    match c {
        MarketCategory::Restricted => TagColour::Grey,
        MarketCategory::Protected => TagColour::Yellow,
        MarketCategory::Open => TagColour::Green,
    }
}

fn review_text(date: Option<chrono::NaiveDate>) -> String {
    date.map(display_date).unwrap_or_else(|| "Not set".into())
}

fn services_view(rows: Vec<ServiceRow>, category: String) -> impl IntoView {
    let count = match rows.len() {
        1 => "1 service".to_string(),
        n => format!("{n} services"),
    };
    let body = rows
        .into_iter()
        .map(|r| {
            let s = r.service;
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell"><a class="govuk-link" href=format!("/fund/services/{}", r.id)>{s.name.clone()}</a></td>
                    <td class="govuk-table__cell">{s.current_provider.clone()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{s.contract_value.display()}</td>
                    <td class="govuk-table__cell">{review_text(s.review_due)}</td>
                    <td class="govuk-table__cell"><Tag text=s.market_category.label() colour=category_colour(s.market_category)/></td>
                </tr>
            }
        })
        .collect_view();
    let choices = MarketCategory::ALL
        .iter()
        .map(|c| (c.code().to_string(), c.label().to_string()))
        .collect();
    view! {
        <PageTitle text="Commissioned services"/>
        <BackLink href="/fund" text="Back to funding"/>
        <h1 class="govuk-heading-l">"Commissioned services"</h1>
        <p class="govuk-body">"What the partners buy: the market position statement. The public can see services that are open to the market on the "
            <a class="govuk-link" href="/market-position">"market position"</a>" page."</p>
        <a href="/fund/services/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Add a service"</a>
        <Filter action="/fund/services" name="category" label="Market category" all_label="All categories" choices=choices value=category/>
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Commissioned services (scrolls sideways)">
            <table class="govuk-table">
                <caption class="govuk-table__caption govuk-table__caption--m">{count}</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Service"</th>
                        <th scope="col" class="govuk-table__header">"Current provider"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Contract value"</th>
                        <th scope="col" class="govuk-table__header">"Review due"</th>
                        <th scope="col" class="govuk-table__header">"Market"</th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">{body}</tbody>
            </table>
        </div>
    }
}

fn service_rows(s: &Service, edit: Option<String>) -> Vec<SummaryRow> {
    let row = |key: &str, value: String| {
        let r = SummaryRow::new(key, value);
        match &edit {
            Some(href) => r.change(href.clone(), key.to_lowercase()),
            None => r,
        }
    };
    let or_none = |t: &str| {
        if t.is_empty() {
            "None recorded".to_string()
        } else {
            t.to_string()
        }
    };
    vec![
        row("Current provider", s.current_provider.clone()),
        row("Contract value", s.contract_value.display()),
        row("Contract currency", s.contract_currency.clone()),
        row("Quantity", or_none(&s.quantity)),
        row(
            "Key quality or performance criteria",
            or_none(&s.quality_criteria),
        ),
        row("Last reviewed", review_text(s.last_reviewed)),
        row("Expected review date", review_text(s.review_due)),
        row("Nature of the review", or_none(&s.nature_of_review)),
        row("Interdependencies", or_none(&s.interdependencies)),
        row("Market category", s.market_category.label().to_string()),
    ]
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, service_detail);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(d) => {
                        let edit = format!("/fund/services/{}/edit", d.id);
                        view! {
                            <PageTitle text=d.service.name.clone()/>
                            <BackLink href="/fund/services" text="Back to services"/>
                            <span class="govuk-caption-l">"Commissioned service"</span>
                            <h1 class="govuk-heading-l">{d.service.name.clone()}</h1>
                            <SummaryList rows=service_rows(&d.service, Some(edit))/>
                            {history_table(d.history)}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NewServicePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| crate::api::access_check("commissioner".into()));
    view! { <FormPage form="save_service" data=data render=|stored, ()| service_form(stored, None, ServiceForm::default())/> }
}

#[component]
pub fn EditServicePage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, service_detail);
    view! { <FormPage form="save_service" data=data render=|stored, d: ServiceRecord| service_form(stored, Some(d.id), d.service.to_form())/> }
}

fn service_form(stored: FlashedForm, id: Option<i64>, saved: ServiceForm) -> impl IntoView {
    let action = ServerAction::<SaveService>::new();
    let errors = FormErrors::from_stored(&stored);
    let v = {
        let stored = stored.clone();
        move |name: &str, saved: &str| pick(&stored, name, saved)
    };
    let title = if id.is_some() {
        "Change a service"
    } else {
        "Add a service"
    };
    let back = id
        .map(|id| format!("/fund/services/{id}"))
        .unwrap_or_else(|| "/fund/services".into());
    let categories = MarketCategory::ALL
        .iter()
        .map(|c| Choice::new(c.code(), c.label()).with_hint(c.hint()))
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
                    <TextInput name="name" label="Name of the service" value=v("name", &saved.name) error=errors.for_field("name")/>
                    <TextInput name="current_provider" label="Current provider" value=v("current_provider", &saved.current_provider) error=errors.for_field("current_provider")/>
                    <MoneyInput name="contract_value" label="Contract value" hint="The yearly value, in pounds"
                        value=v("contract_value", &saved.contract_value) error=errors.for_field("contract_value")/>
                    <TextInput name="contract_currency" label="Contract currency" hint="How long the current contract runs, for example 1 April 2025 to 31 March 2028"
                        value=v("contract_currency", &saved.contract_currency) error=errors.for_field("contract_currency")/>
                    <TextInput name="quantity" label="Quantity (optional)" hint="For example, 12,000 meals a year"
                        value=v("quantity", &saved.quantity) error=errors.for_field("quantity")/>
                    <Textarea name="quality_criteria" label="Key quality or performance criteria (optional)"
                        value=v("quality_criteria", &saved.quality_criteria) error=errors.for_field("quality_criteria") limit=Limit::Characters(2000)/>
                    <DateInput name="last_reviewed" legend="Date of the last review (optional)" hint="For example, 27 3 2026"
                        day=v("last_reviewed_day", &saved.last_reviewed_day) month=v("last_reviewed_month", &saved.last_reviewed_month)
                        year=v("last_reviewed_year", &saved.last_reviewed_year) error=errors.for_field("last_reviewed")/>
                    <DateInput name="review_due" legend="Expected review date (optional)" hint="For example, 1 10 2027"
                        day=v("review_due_day", &saved.review_due_day) month=v("review_due_month", &saved.review_due_month)
                        year=v("review_due_year", &saved.review_due_year) error=errors.for_field("review_due")/>
                    <TextInput name="nature_of_review" label="Nature of the review (optional)" hint="For example, recommission, extend or decommission"
                        value=v("nature_of_review", &saved.nature_of_review) error=errors.for_field("nature_of_review")/>
                    <Textarea name="interdependencies" label="Interdependencies (optional)" hint="Other services that depend on this one, or that it depends on"
                        value=v("interdependencies", &saved.interdependencies) error=errors.for_field("interdependencies") limit=Limit::Characters(2000)/>
                    <Radios name="market_category" legend="Market category" choices=categories
                        value=v("market_category", &saved.market_category) error=errors.for_field("market_category")/>
                    <Button text="Save service"/>
                </ActionForm>
            </div>
        </div>
    }
}

/// The public market position: services open to the market.
#[component]
pub fn MarketPositionPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| open_services());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(rows) => {
                        let list = rows.into_iter().map(|r| view! {
                            <h2 class="govuk-heading-m">{r.service.name.clone()}</h2>
                            <SummaryList rows=service_rows(&r.service, None)/>
                        }).collect_view();
                        view! {
                            <PageTitle text="Market position"/>
                            <h1 class="govuk-heading-l">"Market position"</h1>
                            <p class="govuk-body-l">"Services the council and the NHS buy that are open to new providers."</p>
                            <p class="govuk-body">"If your organisation could provide one of these services, watch for "<a class="govuk-link" href="/">"funding rounds"</a>" and talk to the commissioning team before the review date."</p>
                            {list}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
