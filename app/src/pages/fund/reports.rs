//! Commissioners' reports: a round in figures, and the audit trail viewer.
use crate::api::fund::reports::{audit_trail, round_report, AuditData};
use crate::components::{
    error_view, urlencode, BackLink, Choice, DataTable, DateInput, ErrorSummary, FormErrors,
    PageTitle, Select, SummaryList, SummaryRow, TextInput,
};
use crate::domain::audit::AuditFilterForm;
use crate::domain::report::RoundReport;
use crate::web::FlashedForm;
use crate::web::{id_param, query_param};
use leptos::prelude::*;

#[component]
pub fn RoundReportPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, round_report);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(r) => round_report_view(r).into_any(),
                }
            })}
        </Transition>
    }
}

fn figure_rows(r: &RoundReport) -> Vec<SummaryRow> {
    let f = &r.figures;
    vec![
        SummaryRow::new("Bids started and not sent", f.drafts.to_string()),
        SummaryRow::new("Bids received", f.received.to_string()),
        SummaryRow::new("Withdrawn after sending", f.withdrawn.to_string()),
        SummaryRow::new("Eligible (taken into assessment)", f.eligible.to_string()),
        SummaryRow::new("Scored by every assessor", f.scored.to_string()),
        SummaryRow::new("Funded", f.funded.to_string()),
        SummaryRow::new("Declined", f.declined.to_string()),
        SummaryRow::new("On the reserve list", f.reserve_list.to_string()),
        SummaryRow::new("Budget envelope", r.envelope.display()),
        SummaryRow::new("Amount requested", f.requested.display()),
        SummaryRow::new("Amount awarded", f.awarded.display()),
    ]
}

fn optional(value: Option<impl ToString>) -> String {
    value
        .map(|v| v.to_string())
        .unwrap_or_else(|| "–".to_string())
}

fn round_report_view(r: RoundReport) -> impl IntoView {
    let base = format!("/fund/rounds/{}", r.round_id);
    let title = format!("Round report: {}", r.title);
    let criteria = r
        .criteria
        .iter()
        .map(|c| {
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{c.name.clone()}</th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{}%", c.weight)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{c.scores}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{optional(c.mean)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{} to {}", optional(c.lowest), optional(c.highest))}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{c.agreed}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{optional(c.agreed_mean)}</td>
                </tr>
            }
        })
        .collect_view();
    let has_criteria = !r.criteria.is_empty();
    view! {
        <PageTitle text=title/>
        <BackLink href=base.clone() text="Back to the round"/>
        <span class="govuk-caption-l">"Round report"</span>
        <h1 class="govuk-heading-l">{r.title.clone()}</h1>
        <p class="govuk-body">{format!("Status: {}", r.status)}</p>
        <h2 class="govuk-heading-m">"Bids and money"</h2>
        <SummaryList rows=figure_rows(&r)/>
        <h2 class="govuk-heading-m">"Scores by criterion"</h2>
        {if has_criteria {
            view! {
                <p class="govuk-body">"Scores run from 0 to 5. The mean is of every submitted score, across every assessor and bid; agreed scores are those recorded at moderation."</p>
                <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Scores by criterion (scrolls sideways)">
                    <DataTable caption="Mean scores per criterion" caption_class="govuk-table__caption--s" headings=vec!["Criterion", "Weight", "Scores submitted", "Mean score", "Range", "Agreed scores", "Mean agreed score"] numeric=vec![1, 2, 3, 4, 5, 6]>
                        {criteria}
                    </DataTable>
                </div>
            }.into_any()
        } else {
            view! { <p class="govuk-body">"This round has no scoring criteria."</p> }.into_any()
        }}
        <h2 class="govuk-heading-m">"Awards below a minimum score"</h2>
        {if r.overrides.is_empty() {
            view! { <p class="govuk-body">"None: every award went to a fundable bid."</p> }.into_any()
        } else {
            let rows = r.overrides.iter().map(|(organisation, amount, reason)| view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{organisation.clone()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{amount.display()}</td>
                    <td class="govuk-table__cell">{reason.clone()}</td>
                </tr>
            }).collect_view();
            view! {
                <DataTable caption="Awarded although below a criterion's minimum" caption_class="govuk-table__caption--s" headings=vec!["Organisation", "Amount", "Reason recorded"] numeric=vec![1]>
                    {rows}
                </DataTable>
            }.into_any()
        }}
        <p class="govuk-body"><a class="govuk-link" href=format!("{base}/report.csv") download="">"Download this report (CSV)"</a></p>
    }
}

fn audit_filter() -> impl Fn() -> AuditFilterForm + Copy + Send + Sync + 'static {
    let user = query_param("user");
    let record = query_param("record");
    let record_id = query_param("record_id");
    let action = query_param("action");
    let from_day = query_param("from_day");
    let from_month = query_param("from_month");
    let from_year = query_param("from_year");
    let to_day = query_param("to_day");
    let to_month = query_param("to_month");
    let to_year = query_param("to_year");
    move || AuditFilterForm {
        user: user(),
        record: record(),
        record_id: record_id(),
        action: action(),
        from_day: from_day(),
        from_month: from_month(),
        from_year: from_year(),
        to_day: to_day(),
        to_month: to_month(),
        to_year: to_year(),
    }
}

/// The filter as an address query (for the CSV link and the next page).
fn filter_query(f: &AuditFilterForm) -> String {
    [
        ("user", &f.user),
        ("record", &f.record),
        ("record_id", &f.record_id),
        ("action", &f.action),
        ("from_day", &f.from_day),
        ("from_month", &f.from_month),
        ("from_year", &f.from_year),
        ("to_day", &f.to_day),
        ("to_month", &f.to_month),
        ("to_year", &f.to_year),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", urlencode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let filter = audit_filter();
    let before = query_param("before");
    let data = Resource::new(
        move || (filter(), before()),
        |(filter, before)| audit_trail(filter, before.parse::<i64>().ok()),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(d) => audit_view(d).into_any(),
                }
            })}
        </Transition>
    }
}

fn choices(all: &str, list: &[(String, String)]) -> Vec<Choice> {
    std::iter::once(Choice::new("", all))
        .chain(list.iter().map(|(v, l)| Choice::new(v.clone(), l.clone())))
        .collect()
}

fn audit_view(d: AuditData) -> impl IntoView {
    let errors = FormErrors::from_stored(&FlashedForm {
        values: Default::default(),
        errors: d.errors.clone(),
    });
    let f = d.filter.clone();
    let query = filter_query(&f);
    let csv = if query.is_empty() {
        "/audit-trail.csv".to_string()
    } else {
        format!("/audit-trail.csv?{query}")
    };
    let older = d.older.map(|id| {
        if query.is_empty() {
            format!("/audit-trail?before={id}")
        } else {
            format!("/audit-trail?{query}&before={id}")
        }
    });
    let count = match d.items.len() {
        0 => "No entries match".to_string(),
        1 => "1 entry".to_string(),
        n if d.older.is_some() => format!("The latest {n} entries"),
        n => format!("{n} entries"),
    };
    let rows = d
        .items
        .iter()
        .map(|i| {
            let change = match (i.before.is_empty(), i.after.is_empty()) {
                (true, true) => String::new(),
                (true, false) => i.after.clone(),
                (false, true) => format!("{} → (removed)", i.before),
                (false, false) => format!("{} → {}", i.before, i.after),
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{i.when.clone()}</td>
                    <td class="govuk-table__cell">{i.who.clone()}</td>
                    <td class="govuk-table__cell">{i.action.clone()}</td>
                    <td class="govuk-table__cell">{i.record.clone()}</td>
                    <td class="govuk-table__cell">{i.summary.clone()}</td>
                    <td class="govuk-table__cell">{change}</td>
                </tr>
            }
        })
        .collect_view();
    let has_errors = !d.errors.is_empty();
    view! {
        <PageTitle text="Audit trail" errors=errors/>
        <BackLink href="/fund" text="Back to funding"/>
        <ErrorSummary errors=errors/>
        <h1 class="govuk-heading-l">"Audit trail"</h1>
        <p class="govuk-body">"Every change made in Seedbed: who made it, when, to which record, and what it was before and after. Entries are never changed or removed."</p>
        <form method="get" action="/audit-trail" novalidate>
            <div class="seedbed-search">
                <Select name="user" label="Who" choices=choices("Anyone", &d.people) value=f.user.clone() error=errors.for_field("user")/>
                <Select name="action" label="Action" choices=choices("Any action", &d.actions) value=f.action.clone() error=errors.for_field("action")/>
                <Select name="record" label="Kind of record" choices=choices("Any record", &d.records) value=f.record.clone() error=errors.for_field("record")/>
                <TextInput name="record_id" label="Record number" value=f.record_id.clone() width_class="govuk-input--width-5" inputmode="numeric" error=errors.for_field("record_id")/>
            </div>
            <DateInput name="from" legend="From" hint="For example, 1 4 2026" day=f.from_day.clone() month=f.from_month.clone() year=f.from_year.clone() error=errors.for_field("from")/>
            <DateInput name="to" legend="To" hint="Includes the whole of this day" day=f.to_day.clone() month=f.to_month.clone() year=f.to_year.clone() error=errors.for_field("to")/>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Filter"</button>
        </form>
        {(!has_errors).then(|| view! {
            <p class="govuk-body"><a class="govuk-link" href=csv download="">"Download every matching entry (CSV)"</a></p>
            <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Audit entries (scrolls sideways)">
                <DataTable caption=count headings=vec!["When", "Who", "Action", "Record", "Summary", "Before → after"]>
                    {rows}
                </DataTable>
            </div>
        })}
        {older.map(|href| view! { <p class="govuk-body"><a class="govuk-link" href=href>"Older entries"</a></p> })}
    }
}
