//! Commissioners: the portfolio of funded schemes, the unit-cost table, a round's monitoring
//! measures.
use crate::api::monitor::measures::{
    round_measures, unit_costs, MeasuresData, RemoveMeasure, UnitCostView, MEASURE_FORM,
    UNIT_COST_FORM,
};
use crate::api::monitor::portfolio::{
    portfolio, status_label, PortfolioData, PortfolioFilter, PortfolioRow, PORTFOLIO_PAGE_SIZE,
    STATUS_FILTERS,
};
use crate::components::{
    error_view, filter_select, BackLink, Button, Choice, DataTable, DateInput, ErrorSummary,
    FormErrors, MoneyInput, NotFoundPage, PageTitle, Pagination, Radios, Select, SmallForm,
    Sparkline, SummaryList, SummaryRow, TextInput, Textarea,
};
use crate::domain::monitoring::MeasureKind;
use crate::pages::{pick, FormPage};
use crate::web::set_status;
use crate::web::FlashedForm;
use crate::web::{id_param, query_param};
use leptos::prelude::*;

fn status_colour(code: &str) -> &'static str {
    match code {
        "on_track" => "govuk-tag govuk-tag--green",
        "behind" => "govuk-tag govuk-tag--yellow",
        "at_risk" => "govuk-tag govuk-tag--red",
        "self_sustaining" => "govuk-tag govuk-tag--blue",
        _ => "govuk-tag govuk-tag--grey",
    }
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let round = query_param("round");
    let status = query_param("status");
    let gap = query_param("gap");
    let page = query_param("page");
    let data = Resource::new(
        move || (round(), status(), gap(), page()),
        |(round, status, gap, page)| portfolio(round, status, gap, page.parse().unwrap_or(1)),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let filter = PortfolioFilter { round: round(), status: status(), gap: gap() };
                match data.await {
                    Err(e) => error_view(e),
                    Ok(p) => portfolio_view(p, filter).into_any(),
                }
            })}
        </Transition>
    }
}

fn portfolio_view(p: PortfolioData, filter: PortfolioFilter) -> impl IntoView {
    let count = match p.matching {
        1 => "1 funded scheme".to_string(),
        n => format!("{n} funded schemes"),
    };
    let statuses = STATUS_FILTERS
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    let rounds = p
        .rounds
        .iter()
        .map(|(id, t)| (id.to_string(), t.clone()))
        .collect();
    let gaps = p
        .gaps
        .iter()
        .map(|(id, t)| (id.to_string(), t.clone()))
        .collect();
    let csv = format!("/fund/schemes.csv?{}", filter.query());
    let rows = p.rows.clone();
    let can_edit = p.can_edit;
    let rendered =
        crate::pages::cached_rows_html(p.cache.as_ref(), || portfolio_rows(&rows, can_edit));
    let first = (p.page.max(1) as usize - 1) * PORTFOLIO_PAGE_SIZE;
    let showing = (p.pages > 1).then(|| {
        view! {
            <p class="govuk-body">{format!("Showing schemes {} to {} of {}", first + 1, first + p.rows.len(), p.matching)}</p>
        }
    });
    let mut totals = vec![
        SummaryRow::new("Committed", p.committed.display()),
        SummaryRow::new("Paid", p.paid.display()),
    ];
    // As the pooled fund's ledger counts them: money released or repaid is neither.
    if p.repaid.0 > 0 {
        totals.push(SummaryRow::new("Repaid by schemes", p.repaid.display()));
    }
    totals.push(SummaryRow::new(
        "Schemes self-sustaining",
        p.self_sustaining.to_string(),
    ));
    totals.push(SummaryRow::new(
        "Estimated cost avoided",
        p.cost_avoided.display(),
    ));
    view! {
        <PageTitle text="Portfolio of funded schemes"/>
        {if can_edit {
            view! { <BackLink href="/fund" text="Back to funding"/> }.into_any()
        } else {
            view! { <BackLink href="/board" text="Back to the Board"/> }.into_any()
        }}
        <h1 class="govuk-heading-l">"Portfolio of funded schemes"</h1>
        <SummaryList rows=totals/>
        <p class="govuk-body-s">"Committed and paid leave out money that went back to the fund: tranches that will not be paid and money schemes repaid."</p>
        <p class="govuk-body-s">"Cost avoided is an estimate from the outcomes in monitoring returns, valued by the unit costs table with the share credited to each scheme. "
            {can_edit.then(|| view! { <a class="govuk-link" href="/fund/unit-costs">"See the unit costs"</a> })}</p>
        <form method="get" action="/fund/schemes" class="seedbed-search">
            {filter_select("round", "Round", "All rounds", rounds, filter.round.clone())}
            {filter_select("status", "Status", "All statuses", statuses, filter.status.clone())}
            {filter_select("gap", "Gap", "All gaps", gaps, filter.gap.clone())}
            <button type="submit" class="govuk-button govuk-button--secondary">"Filter"</button>
        </form>
        {can_edit.then(|| view! { <p class="govuk-body"><a class="govuk-link" href=csv download="">"Download these schemes (CSV)"</a></p> })}
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Funded schemes (scrolls sideways)">
            <DataTable caption=count headings=vec!["Organisation", "Round", "Award", "Paid to date", "Latest dependency", "Trend", "Status", "Next return due", "Cost avoided"] numeric=vec![2, 3, 4, 8] rendered=rendered>
                {portfolio_rows(&rows, can_edit)}
            </DataTable>
        </div>
        {showing}
        <Pagination page=p.page pages=p.pages href=portfolio_href query=filter.query()/>
    }
}

/// One page of the portfolio's rows (the same for every commissioner, and for every board
/// member: kept as HTML). Each organisation links to its scheme for commissioners.
fn portfolio_rows(rows: &[PortfolioRow], link: bool) -> impl IntoView {
    rows.iter()
        .map(|r| {
            let organisation = if link {
                view! { <a class="govuk-link" href=format!("/schemes/{}", r.scheme_id)>{r.organisation.clone()}</a> }.into_any()
            } else {
                view! { <span>{r.organisation.clone()}</span> }.into_any()
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{organisation}</td>
                    <td class="govuk-table__cell">{r.round_title.clone()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{r.amount.display()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{r.paid.display()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{r.latest_dependency.map(|d| format!("{d}%")).unwrap_or_else(|| "–".into())}</td>
                    <td class="govuk-table__cell"><Sparkline values=r.trend.clone()/></td>
                    <td class="govuk-table__cell">
                        <strong class=status_colour(&r.status)>{status_label(&r.status)}</strong>
                        <br/><span class="govuk-body-s">{r.reason.clone()}</span>
                    </td>
                    <td class="govuk-table__cell">
                        {r.next_due.clone().unwrap_or_else(|| "None".into())}
                        {r.overdue_days.map(|d| view! { <br/><strong class="govuk-tag govuk-tag--red">{format!("Overdue by {d} days")}</strong> })}
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{r.cost_avoided.display()}</td>
                </tr>
            }
        })
        .collect_view()
}

fn portfolio_href(page: i64, query: &str) -> String {
    format!("/fund/schemes?{query}&page={page}")
}

#[component]
pub fn UnitCostsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| unit_costs());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(list) => unit_costs_view(list).into_any(),
                }
            })}
        </Transition>
    }
}

fn unit_costs_view(list: Vec<UnitCostView>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|u| view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell">{u.form.name.clone()}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{} {}", u.cost.display(), u.form.unit)}</td>
                <td class="govuk-table__cell">{u.form.source.clone()}<br/><span class="govuk-body-s">{u.source_date.clone()}</span></td>
                <td class="govuk-table__cell">{u.updated.clone()}</td>
                <td class="govuk-table__cell"><a class="govuk-link" href=format!("/fund/unit-costs/{}", u.id)>"Change"<span class="govuk-visually-hidden">{format!(" {}", u.form.name)}</span></a></td>
            </tr>
        })
        .collect_view();
    view! {
        <PageTitle text="Unit costs"/>
        <BackLink href="/fund" text="Back to funding"/>
        <h1 class="govuk-heading-l">"Unit costs"</h1>
        <p class="govuk-body">"What a unit of a public service costs, with where the figure comes from. A round's outcome measures can be valued by a unit cost to estimate the cost each scheme avoids."</p>
        <a href="/fund/unit-costs/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Add a unit cost"</a>
        <DataTable caption="Unit costs" headings=vec!["What it is for", "Cost", "Source", "Last changed", ""] numeric=vec![1]>
            {rows}
        </DataTable>
    }
}

#[component]
pub fn UnitCostPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, |_| unit_costs());
    view! {
        <FormPage form=UNIT_COST_FORM data=data render={move |stored, list: Vec<UnitCostView>| {
            let found = list.into_iter().find(|u| u.id == id());
            unit_cost_form(stored, id(), found)
        }}/>
    }
}

fn unit_cost_form(stored: FlashedForm, id: i64, saved: Option<UnitCostView>) -> AnyView {
    if id != 0 && saved.is_none() {
        set_status(404);
        return view! { <NotFoundPage/> }.into_any();
    }
    let errors = FormErrors::from_stored(&stored);
    let f = saved.map(|s| s.form).unwrap_or_default();
    let v = |name: &str, saved: &str| pick(&stored, name, saved);
    let title = if id == 0 {
        "Add a unit cost"
    } else {
        "Change a unit cost"
    };
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href="/fund/unit-costs" text="Back to unit costs"/>
        <ErrorSummary errors=errors/>
        <h1 class="govuk-heading-l">{title}</h1>
        <form method="post" action="/api/portfolio/save_unit_cost" novalidate>
            <input type="hidden" name="id" value=id.to_string()/>
            <TextInput name="name" label="What it is for" hint="For example, A week of residential care" value=v("name", &f.name) error=errors.for_field("name")/>
            <MoneyInput name="cost" label="Cost in pounds" value=v("cost", &f.cost) error=errors.for_field("cost")/>
            <TextInput name="unit" label="Unit" hint="For example, per week or per admission" value=v("unit", &f.unit) error=errors.for_field("unit") width_class="govuk-input--width-20"/>
            <TextInput name="source" label="Source" hint="Where the figure comes from, for example PSSRU Unit Costs of Health and Social Care 2025" value=v("source", &f.source) error=errors.for_field("source")/>
            <DateInput name="source_date" legend="Date of the source" hint="For example, 1 3 2026"
                day=v("source_date_day", &f.source_date_day) month=v("source_date_month", &f.source_date_month) year=v("source_date_year", &f.source_date_year)
                error=errors.for_field("source_date")/>
            <Button text="Save unit cost"/>
        </form>
    }
    .into_any()
}

#[component]
pub fn MeasuresPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, round_measures);
    view! { <FormPage form=MEASURE_FORM data=data render=measures_view/> }
}

fn measures_view(stored: FlashedForm, m: MeasuresData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let remove = ServerAction::<RemoveMeasure>::new();
    let all_errors = errors;
    let rows = m
        .measures
        .iter()
        .map(|x| view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell">
                    {x.name.clone()}
                    {(!x.guidance.is_empty()).then(|| view! { <span class="govuk-hint govuk-!-margin-0">{x.guidance.clone()}</span> })}
                </td>
                <td class="govuk-table__cell">{x.kind.label()}</td>
                <td class="govuk-table__cell">{x.unit.short()}</td>
                <td class="govuk-table__cell">{x.valued.clone().unwrap_or_else(|| "Not valued".into())}</td>
                <td class="govuk-table__cell">
                    <SmallForm action=remove fields=vec![("round_id", m.round_id.to_string()), ("measure_id", x.id.to_string())] text="Remove" hidden_context=x.name.clone()/>
                </td>
            </tr>
        })
        .collect_view();
    let kinds = MeasureKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label()))
        .collect();
    let costs = std::iter::once(Choice::new("", "Not valued"))
        .chain(
            m.unit_costs
                .iter()
                .map(|(id, l)| Choice::new(id.to_string(), l.clone())),
        )
        .collect();
    let units = crate::domain::monitoring::MeasureUnit::ALL
        .iter()
        .map(|u| Choice::new(u.code(), u.label()))
        .collect();
    // A whole number unless another was chosen.
    let unit_value = Some(stored.value("unit"))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "count".to_string());
    view! {
        <PageTitle text="Monitoring measures" errors=all_errors/>
        <BackLink href=format!("/fund/rounds/{}", m.round_id) text="Back to the round"/>
        <ErrorSummary errors=all_errors/>
        <span class="govuk-caption-l">{m.title.clone()}</span>
        <h1 class="govuk-heading-l">"Monitoring measures"</h1>
        <p class="govuk-body">"What every scheme funded by this round counts in its monitoring returns: activity (people supported, appointments, meals, volunteer hours) and outcomes, each a whole number, a number with decimals or a percentage (a survey's share of satisfied carers). An outcome counted in whole numbers can be valued by a unit cost, with the share of it credited to the scheme, to estimate the cost avoided."</p>
        <DataTable caption="Measures" headings=vec!["Measure", "Kind", "Counted as", "Valued by", ""]>
            {rows}
        </DataTable>
        <h2 class="govuk-heading-m">"Add a measure"</h2>
        <form method="post" action="/api/portfolio/add_measure" novalidate>
            <input type="hidden" name="round_id" value=m.round_id.to_string()/>
            <Radios name="kind" legend="Kind of measure" choices=kinds value=stored.value("kind") error=errors.for_field("kind")/>
            <TextInput name="name" label="Name" hint="For example, People supported, or Falls avoided" value=stored.value("name") error=errors.for_field("name")/>
            <Radios name="unit" legend="How it is counted" choices=units value=unit_value error=errors.for_field("unit")/>
            <Textarea name="guidance" label="How to count it (optional)" hint="Shown beside the measure on every monitoring return. For example: count a week for each person who, without the service, would have moved into a care home that week" rows=3 value=stored.value("guidance") error=errors.for_field("guidance")/>
            <Select name="unit_cost_id" label="Valued by (outcomes only, optional)" choices=costs value=stored.value("unit_cost_id") error=errors.for_field("unit_cost_id")/>
            <TextInput name="attribution" label="Share credited to the scheme, as a percentage" hint="For example, 25. Only with a unit cost" value=stored.value("attribution")
                error=errors.for_field("attribution") width_class="govuk-input--width-5" inputmode="decimal"/>
            <Button text="Add measure"/>
        </form>
    }
}
