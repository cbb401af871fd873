//! Partner approvers: the variations adding money to an award that await their partner's
//! sign-off (a table on the sign-off page), and one variation with the form to answer it.
use crate::api::decide::variation_sign_off::{
    variation_to_sign, VariationSignOffItem, VariationSignOffView,
};
use crate::components::{
    BackLink, DataTable, ErrorSummary, FormErrors, PageTitle, SummaryList, SummaryRow,
};
use crate::pages::FormPage;
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

/// The sign-off page's table of variations (nothing when there are none).
pub fn variations_table(items: &[VariationSignOffItem]) -> impl IntoView {
    let rows = items
        .iter()
        .map(|v| {
            let yours = match v.answered {
                Some(true) => "Approved",
                Some(false) => "Refused",
                None => "Not answered",
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=format!("/sign-off/variations/{}", v.variation_id)>{format!("Variation to {}'s award", v.organisation)}</a>
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{v.amount_before.display()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{v.amount_after.display()}</td>
                    <td class="govuk-table__cell">{v.approved_on.clone()}</td>
                    <td class="govuk-table__cell">{v.state.clone()}</td>
                    <td class="govuk-table__cell">{yours}</td>
                </tr>
            }
        })
        .collect_view();
    (!items.is_empty()).then(|| {
        view! {
            <DataTable caption="Variations adding money to an award"
                headings=vec!["Variation", "Award now", "Award after", "Approved by a commissioner", "Where it stands", "Your partner's answer"]
                numeric=vec![1, 2]>
                {rows}
            </DataTable>
        }
    })
}

#[component]
pub fn VariationSignOffPage() -> impl IntoView {
    let id = id_param("variation");
    let data = Resource::new(id, variation_to_sign);
    view! { <FormPage form="sign_off" data=data render=variation_view/> }
}

fn variation_view(stored: FlashedForm, v: VariationSignOffView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let extra = crate::domain::money::Pence(v.amount_after.0 - v.amount_before.0);
    let mut rows = vec![
        SummaryRow::new("Organisation", v.organisation.clone()),
        SummaryRow::new("Funding round", v.round.clone()),
        SummaryRow::new("Award now", v.amount_before.display()),
        SummaryRow::new("Award after the variation", v.amount_after.display()),
        SummaryRow::new("Extra money to commit", extra.display()),
        SummaryRow::new("Reason for the variation", v.reason.clone()),
        SummaryRow::new("Asked for", v.raised.clone()),
    ];
    if !v.approved.is_empty() {
        rows.push(SummaryRow::new(
            "Commissioner's approval",
            v.approved.clone(),
        ));
    }
    if !v.note.is_empty() {
        rows.push(SummaryRow::new("Notes", v.note.clone()));
    }
    rows.push(SummaryRow::new("Where it stands", v.state.clone()));
    let changes = v
        .changes
        .iter()
        .map(|c| view! { <li>{c.clone()}</li> })
        .collect_view();
    let title = format!("Sign off the variation to {}'s award", v.organisation);
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href="/sign-off" text="Back to awards to sign off"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">{title}</h1>
                <SummaryList rows=rows/>
                <h2 class="govuk-heading-m">"What the variation changes"</h2>
                <ul class="govuk-list govuk-list--bullet">{changes}</ul>
                {super::sign_off::answer_section(super::sign_off::AnswerForm {
                    answers: v.answers.clone(),
                    can_answer: v.can_answer,
                    why_not: v.why_not.clone(),
                    partner: v.partner.clone(),
                    action: "/api/sign-off/answer_variation",
                    id: ("variation_id", v.variation_id),
                    hint: "If you approve and every other partner has approved, the variation is applied at once: the extra money is committed and the organisation is told",
                    refuse_hint: "The award stays as it is; the organisation and the commissioner are told your reason",
                }, &stored)}
            </div>
        </div>
    }
}
