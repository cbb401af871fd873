//! The pooled fund: home for commissioners, partners, set-up and variations (the fund's
//! statement is `statement.rs`).
use crate::api::fund::pooled::{
    fund_for_variation, fund_home, partner_detail, AddPartner, FundHomeData, FundRecord,
    PartnerView, RecordVariation, SetPartnerIdentifier, SetUpFund,
};
use crate::components::{
    error_view, BackLink, Button, Choice, DataTable, ErrorSummary, FormErrors, Limit, MoneyInput,
    PageTitle, Radios, TextInput, Textarea,
};
use crate::pages::FormPage;
use crate::web::FlashedForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn FundHomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fund_home());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(home) => fund_home_view(home).into_any(),
                }
            })}
        </Transition>
    }
}

fn fund_home_view(home: FundHomeData) -> impl IntoView {
    let rows = home
        .funds
        .iter()
        .map(|f| {
            let href = format!("/fund/pooled-funds/{}", f.year.0);
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">
                        <a class="govuk-link" href=href>{f.year.label()}</a>
                        {f.closed.then(|| view! { " "<strong class="govuk-tag govuk-tag--grey">"Closed"</strong> })}
                    </th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{f.agreed.display()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{f.uncommitted.display()}</td>
                </tr>
            }
        })
        .collect_view();
    let has_funds = !home.funds.is_empty();
    let can_set_up = !home.years_to_set_up.is_empty();
    view! {
        <PageTitle text="Funding"/>
        <h1 class="govuk-heading-l">"Funding"</h1>
        <p class="govuk-body">"Manage the pooled fund, the gaps in community services, the services you commission and funding rounds."</p>
        <h2 class="govuk-heading-m">"Pooled fund"</h2>
        {if has_funds {
            view! {
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--s">"Pooled fund by financial year"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Financial year"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Money in the fund"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Uncommitted"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
            }.into_any()
        } else {
            view! { <p class="govuk-body">"No pooled fund has been set up yet."</p> }.into_any()
        }}
        {can_set_up.then(|| view! {
            <a href="/fund/pooled-funds/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Set up a pooled fund"</a>
        })}
        <p class="govuk-body"><a class="govuk-link" href="/fund/partners">"Partners who pool their budgets"</a></p>
        <h2 class="govuk-heading-m">"Commissioning"</h2>
        <ul class="govuk-list">
            <li><a class="govuk-link" href="/fund/gaps">"Gaps in community services"</a></li>
            <li><a class="govuk-link" href="/fund/services">"Commissioned services"</a></li>
            <li><a class="govuk-link" href="/fund/rounds">"Funding rounds"</a></li>
            <li><a class="govuk-link" href="/board">"The Board and who its members represent"</a></li>
            <li><a class="govuk-link" href="/fund/lay-evaluators">"Lay evaluators' training"</a></li>
        </ul>
        <h2 class="govuk-heading-m">"Funded schemes"</h2>
        <ul class="govuk-list">
            <li><a class="govuk-link" href="/fund/schemes">"Portfolio of funded schemes"</a></li>
            <li><a class="govuk-link" href="/fund/unit-costs">"Unit costs for estimating cost avoided"</a></li>
        </ul>
        <h2 class="govuk-heading-m">"Reports"</h2>
        <ul class="govuk-list">
            <li><a class="govuk-link" href="/audit-trail">"Audit trail"</a></li>
        </ul>
    }
}

#[component]
pub fn PartnersPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fund_home());
    view! { <FormPage form="add_partner" data=data render=|stored, home: FundHomeData| partners_view(stored, home.partners)/> }
}

fn partners_view(stored: FlashedForm, partners: Vec<PartnerView>) -> impl IntoView {
    let action = ServerAction::<AddPartner>::new();
    let errors = FormErrors::from_stored(&stored);
    let rows = partners
        .into_iter()
        .map(|p| {
            let identifier = if p.org_identifier.is_empty() {
                "Not set".to_string()
            } else {
                p.org_identifier.clone()
            };
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{p.name.clone()}</th>
                    <td class="govuk-table__cell">{identifier}</td>
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=format!("/fund/partners/{}", p.id)>"Change"<span class="govuk-visually-hidden">{format!(" the organisation identifier of {}", p.name)}</span></a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageTitle text="Partners" errors=errors/>
        <BackLink href="/fund" text="Back to funding"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Partners"</h1>
                <p class="govuk-body">"The organisations that pool their budgets in the fund, for example the council and the integrated care board (ICB). Each is named as a funder of every grant in the open data, by its organisation identifier."</p>
                <DataTable caption="Partners" caption_class="govuk-table__caption--s" headings=vec!["Partner", "Organisation identifier", ""]>
                    {rows}
                </DataTable>
                <ActionForm action=action attr:novalidate=true>
                    <TextInput name="name" label="Add a partner" hint="The organisation's full name"
                        value=stored.value("name") error=errors.for_field("name")/>
                    <Button text="Add partner"/>
                </ActionForm>
            </div>
        </div>
    }
}

#[component]
pub fn PartnerPage() -> impl IntoView {
    let id = crate::web::id_param("id");
    let data = Resource::new(id, partner_detail);
    view! { <FormPage form="partner_identifier" data=data render=partner_view/> }
}

fn partner_view(stored: FlashedForm, p: PartnerView) -> impl IntoView {
    let action = ServerAction::<SetPartnerIdentifier>::new();
    let errors = FormErrors::from_stored(&stored);
    let value = if stored.values.contains_key("org_identifier") {
        stored.value("org_identifier")
    } else {
        p.org_identifier.clone()
    };
    view! {
        <PageTitle text=format!("Organisation identifier of {}", p.name) errors=errors/>
        <BackLink href="/fund/partners" text="Back to partners"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{p.name.clone()}</span>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <TextInput name="org_identifier" label="Organisation identifier" label_is_page_heading=true
                        hint="From org-id.guide, for example GB-LAE-NEL for a council or GB-NHS-QOQ for an NHS body. The open data names this partner as a funder by it."
                        value=value error=errors.for_field("org_identifier") width_class="govuk-input--width-20" spellcheck=false/>
                    <Button text="Save identifier"/>
                </ActionForm>
            </div>
        </div>
    }
}

#[component]
pub fn SetUpFundPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| fund_home());
    view! { <FormPage form="set_up_fund" data=data render=set_up_view/> }
}

fn set_up_view(stored: FlashedForm, home: FundHomeData) -> impl IntoView {
    let action = ServerAction::<SetUpFund>::new();
    let errors = FormErrors::from_stored(&stored);
    let years: Vec<Choice> = home
        .years_to_set_up
        .iter()
        .map(|y| Choice::new(y.0.to_string(), y.label()))
        .collect();
    let no_years = years.is_empty();
    let no_partners = home.partners.is_empty();
    let chosen = {
        let v = stored.value("year");
        if v.is_empty() {
            years.first().map(|c| c.value.clone()).unwrap_or_default()
        } else {
            v
        }
    };
    let partner_fields = home
        .partners
        .iter()
        .map(|p| {
            let name = format!("contribution[{}]", p.id);
            let error = {
                let all = errors.0;
                let name = name.clone();
                Signal::derive(move || {
                    all.get()
                        .into_iter()
                        .find(|e| e.field == name)
                        .map(|e| e.message)
                })
            };
            view! { <MoneyInput name=name.clone() label=p.name.clone() value=stored.value(&name) error=error/> }
        })
        .collect_view();
    view! {
        <PageTitle text="Set up a pooled fund" errors=errors/>
        <BackLink href="/fund" text="Back to funding"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Set up a pooled fund"</h1>
                {if no_partners {
                    view! {
                        <p class="govuk-body">"First add the partners who pool their budgets."</p>
                        <p class="govuk-body"><a class="govuk-link" href="/fund/partners">"Add partners"</a></p>
                    }.into_any()
                } else if no_years {
                    view! { <p class="govuk-body">"The pooled funds for this financial year and the next three have been set up. To change one, record a variation on its page."</p> }.into_any()
                } else {
                    view! {
                        <p class="govuk-body">"A financial year runs from 1 April to 31 March. The agreed value is the most that can be reserved for rounds and committed by awards. Set up later years as the partners agree them: an award's tranches planned in a later year are committed against that year's fund."</p>
                        <ActionForm action=action attr:novalidate=true>
                            <Radios name="year" legend="Financial year" choices=years value=chosen error=errors.for_field("year")/>
                            <MoneyInput name="agreed_value" label="Agreed value" hint="The total the partners have agreed to pool, in pounds, like 250000"
                                value=stored.value("agreed_value") error=errors.for_field("agreed_value")/>
                            <fieldset class="govuk-fieldset">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Each partner's contribution"</legend>
                                <div class="govuk-hint">"The contributions must add up to the agreed value."</div>
                                {partner_fields}
                            </fieldset>
                            <Button text="Set up fund"/>
                        </ActionForm>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

pub(super) fn year_param() -> impl Fn() -> i32 + Copy {
    let params = use_params_map();
    move || {
        params
            .get()
            .get("year")
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(0)
    }
}

#[component]
pub fn VariationPage() -> impl IntoView {
    let year = year_param();
    let data = Resource::new(year, fund_for_variation);
    view! { <FormPage form="record_variation" data=data render=variation_view/> }
}

fn variation_view(stored: FlashedForm, fund: FundRecord) -> impl IntoView {
    let action = ServerAction::<RecordVariation>::new();
    let errors = FormErrors::from_stored(&stored);
    let partners = fund
        .all_partners
        .iter()
        .map(|p| Choice::new(p.id.to_string(), p.name.clone()))
        .collect();
    let year = fund.year.0;
    view! {
        <PageTitle text="Record a variation" errors=errors/>
        <BackLink href=format!("/fund/pooled-funds/{year}") text="Back to the pooled fund"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{format!("Pooled fund {}", fund.year.label())}</span>
                <h1 class="govuk-heading-l">"Record a variation"</h1>
                <p class="govuk-body">{format!("The agreed value is {}. A variation changes one partner's contribution and the agreed value with it. It is kept in the ledger and the audit trail; nothing is overwritten.", fund.agreed.display())}</p>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="year" value=year.to_string()/>
                    <Radios name="partner" legend="Whose contribution changes?" choices=partners
                        value=stored.value("partner") error=errors.for_field("partner")/>
                    <Radios name="direction" legend="Does it go up or down?" inline=true
                        choices=vec![Choice::new("increase", "Up"), Choice::new("decrease", "Down")]
                        value=stored.value("direction") error=errors.for_field("direction")/>
                    <MoneyInput name="amount" label="Amount of the change" value=stored.value("amount") error=errors.for_field("amount")/>
                    <Textarea name="reason" label="Reason for the variation" hint="For example, the partnership board agreed extra money on 12 October 2026"
                        value=stored.value("reason") error=errors.for_field("reason") limit=Limit::Characters(1000)/>
                    <Button text="Record variation"/>
                </ActionForm>
            </div>
        </div>
    }
}
