//! The commissioned services register (commissioners) and the public market position.
use super::Filter;
use crate::api::market::{
    list_services, open_services, service_detail, SaveService, ServiceRecord, ServiceRow,
};
use crate::components::{
    error_view, BackLink, Button, Choice, DateInput, ErrorSummary, FormErrors, Limit, MoneyInput,
    PageTitle, Radios, SummaryList, SummaryRow, Tag, TagColour, TextInput, Textarea,
};
use crate::domain::date::display_date;
use crate::domain::registers::{MarketCategory, Service, ServiceForm};
use crate::pages::{history_table, pick, FormPage};
use crate::web::FlashedForm;
use crate::web::{id_param, query_param};
use leptos::prelude::*;

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
