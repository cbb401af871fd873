//! The year-end of a pooled fund's financial year: before it is run, what it will carry
//! forward and each partner's underspend to settle (commissioners run it); after, the
//! printable year-end statement per partner with a CSV for each partner's finance team.
use super::pooled::year_param;
use crate::api::fund::year_end::{year_end, PartnerYearEnd, RunYearEnd, UnpaidView, YearEndData};
use crate::components::{
    BackLink, Button, Choice, ErrorSummary, FormErrors, Limit, PageTitle, Radios, SummaryList,
    SummaryRow, Textarea,
};
use crate::pages::FormPage;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn YearEndPage() -> impl IntoView {
    let year = year_param();
    let data = Resource::new(year, year_end);
    view! { <FormPage form="run_year_end" data=data render=year_end_view/> }
}

fn unpaid_table(
    caption: String,
    rows: &[UnpaidView],
    total: crate::domain::money::Pence,
) -> impl IntoView {
    let body = rows
        .iter()
        .map(|t| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{t.organisation.clone()}
                        {(!t.scheme.is_empty()).then(|| view! { <br/><span class="govuk-hint govuk-!-margin-0">{t.scheme.clone()}</span> })}
                    </td>
                    <td class="govuk-table__cell">{t.tranche.clone()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{t.amount.display()}</td>
                </tr>
            }
        })
        .collect_view();
    let region = format!("{caption} (scrolls sideways)");
    view! {
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label=region>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--s">{caption}</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Organisation"</th>
                    <th scope="col" class="govuk-table__header">"Tranche"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Amount"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                {body}
                <tr class="govuk-table__row seedbed-total-row">
                    <th scope="row" class="govuk-table__header" colspan="2">"Total"</th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{total.display()}</td>
                </tr>
            </tbody>
        </table>
        </div>
    }
}

fn year_end_view(stored: FlashedForm, data: YearEndData) -> impl IntoView {
    let label = data.year.label();
    let next = crate::domain::fund::FinancialYear(data.year.0 + 1).label();
    let year = data.year.0;
    let title = format!("Year-end {label}");
    let errors = FormErrors::from_stored(&stored);
    let body = match data.closed.clone() {
        Some(closed) => closed_view(&data, closed, &next).into_any(),
        None => open_view(&stored, errors, &data, &next).into_any(),
    };
    view! {
        <PageTitle text=title errors=errors/>
        <div class="seedbed-no-print">
            <BackLink href=format!("/fund/pooled-funds/{year}") text="Back to the pooled fund"/>
        </div>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{format!("Pooled fund {label}")}</span>
        <h1 class="govuk-heading-l">"Year-end"</h1>
        {body}
    }
}

fn open_view(
    stored: &FlashedForm,
    errors: FormErrors,
    data: &YearEndData,
    next: &str,
) -> impl IntoView {
    let label = data.year.label();
    let total = crate::domain::money::Pence(data.unpaid.iter().map(|t| t.amount.0).sum());
    let refusal = data.refusal.clone().map(|why| {
        view! { <div class="govuk-inset-text">{why}</div> }
    });
    let reserved = (!data.reserved.is_empty()).then(|| {
        let links = data
            .reserved
            .iter()
            .map(|(id, title)| view! {
                <li><a class="govuk-link" href=format!("/fund/rounds/{id}/moderation")>{format!("Release the unawarded money of “{title}”")}</a></li>
            })
            .collect_view();
        view! { <ul class="govuk-list">{links}</ul> }
    });
    let unpaid = if data.unpaid.is_empty() {
        view! { <p class="govuk-body">{format!("Every commitment charged to {label} has been paid or released: nothing is carried forward.")}</p> }.into_any()
    } else {
        unpaid_table("Committed and not paid".into(), &data.unpaid, total).into_any()
    };
    let form = if data.can_run {
        let action = ServerAction::<RunYearEnd>::new();
        let fields = data
            .partners
            .iter()
            .map(|p| partner_choice(stored, errors, p, next))
            .collect_view();
        let (warning, button) = (
            format!("Running the year-end closes {label}: nothing in it can be changed afterwards, except through the {next} ledger."),
            format!("Run the year-end and close {label}"),
        );
        let year = data.year.0.to_string();
        Some(view! {
            <h2 class="govuk-heading-m">"Each partner's underspend"</h2>
            <p class="govuk-body">"What a partner contributed and is neither reserved nor committed is its underspend. Record what the partners agreed: carried forward to next year's fund as uncommitted money, or returned to the partner."</p>
            <ActionForm action=action attr:novalidate=true>
                <input type="hidden" name="year" value=year/>
                {fields}
                <div class="govuk-warning-text">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        {warning}
                    </strong>
                </div>
                <Button text=button/>
            </ActionForm>
        })
    } else {
        None
    };
    let intro = format!("The year-end carries what {label} committed and did not pay forward to the {next} pooled fund, with its money: each partner's share is kept. Each partner's underspend is then carried forward or returned, and {label} is closed.");
    view! {
        {refusal}
        {reserved}
        <p class="govuk-body">{intro}</p>
        <h2 class="govuk-heading-m">"Carried forward to next year"</h2>
        {unpaid}
        {form}
    }
}

fn partner_choice(
    stored: &FlashedForm,
    errors: FormErrors,
    p: &PartnerYearEnd,
    next: &str,
) -> impl IntoView {
    if p.underspend.0 <= 0 {
        return view! {
            <h3 class="govuk-heading-s">{p.name.clone()}</h3>
            <p class="govuk-body">"No underspend: everything it contributed is committed."</p>
        }
        .into_any();
    }
    let choice = format!("choice[{}]", p.id);
    let reason = format!("reason[{}]", p.id);
    view! {
        <Radios name=choice.clone() legend=format!("What happens to {}'s underspend?", p.name)
            hint=format!("{} has an underspend of {}.", p.name, p.underspend.display())
            choices=vec![
                Choice::new("carry_forward", format!("Carry it forward to the {next} fund")),
                Choice::new("return", format!("Return it to {}", p.name)),
            ]
            value=stored.value(&choice) error=errors.for_name(choice.clone())/>
        <Textarea name=reason.clone() label=format!("Why, as the partners agreed it ({})", p.name)
            hint="For example, agreed by the partnership board on 14 April"
            value=stored.value(&reason) error=errors.for_name(reason.clone()) limit=Limit::Characters(1000) rows=3/>
    }
    .into_any()
}

fn closed_view(data: &YearEndData, closed: String, next: &str) -> impl IntoView {
    let year = data.year.0;
    let sections = data
        .partners
        .iter()
        .map(|p| {
            let t = p.totals;
            let decision = match &p.choice {
                Some(choice) => format!("{}: {choice}. {}", p.underspend.display(), p.reason),
                None => "None".to_string(),
            };
            let carried_total = crate::domain::money::Pence(p.carried.iter().map(|c| c.amount.0).sum());
            let carried = (!p.carried.is_empty()).then(|| {
                unpaid_table(format!("{}'s share of each commitment carried forward", p.name), &p.carried, carried_total)
            });
            view! {
                <h2 class="govuk-heading-m">{p.name.clone()}</h2>
                <SummaryList rows=vec![
                    SummaryRow::new("Contributed", t.contributed.display()),
                    SummaryRow::new("Brought forward from last year", t.brought_forward.display()),
                    SummaryRow::new("Committed and paid", t.paid.display()),
                    SummaryRow::new("Released (committed, not to be paid)", t.released.display()),
                    SummaryRow::new("Repaid by schemes", crate::domain::money::Pence(t.repaid.0 + t.recovered.0).display()),
                    SummaryRow::new(format!("Carried forward to {next}"), t.carried_forward.display()),
                    SummaryRow::new("Returned to the partner", t.returned.display()),
                    SummaryRow::new("Underspend", decision),
                ]/>
                {carried}
                <p class="govuk-body seedbed-no-print">
                    <a class="govuk-link" href=format!("/fund/pooled-funds/{year}/year-end/partners/{}/statement.csv", p.id) download="">
                        {format!("Download {}'s year-end statement (CSV)", p.name)}
                    </a>
                </p>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-inset-text">{format!("{closed}. Nothing in this year can be changed now; changes are made through the {next} ledger.")}</div>
        <p class="govuk-body">{format!("{} committed and not paid was carried forward to {next}, with its money.", data.carried_total.display())}</p>
        <p class="govuk-body seedbed-no-print">"To keep a copy, print this page or save it as a PDF from your browser's print menu."</p>
        {sections}
    }
}
