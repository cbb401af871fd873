//! Lay evaluators' training: who is trained, and recording training (commissioners).
use crate::api::assess::training::{lay_evaluators, Evaluator, TRAINING_FORM};
use crate::components::{
    BackLink, Button, Choice, DataTable, DateInput, ErrorSummary, FormErrors, PageTitle, Select,
    TextInput, Textarea,
};
use crate::pages::FormPage;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn LayEvaluatorsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| lay_evaluators());
    view! { <FormPage form=TRAINING_FORM data=data render=training_view/> }
}

fn training_view(stored: FlashedForm, people: Vec<Evaluator>) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let title = "Lay evaluators' training";
    let rows = people
        .iter()
        .map(|p| {
            let training = if p.training.is_empty() {
                view! { <strong class="govuk-tag govuk-tag--grey">"Not yet trained"</strong> }.into_any()
            } else {
                let items = p
                    .training
                    .iter()
                    .map(|(on, by, what)| view! { <li>{format!("{on}, by {by}: {what}")}</li> })
                    .collect_view();
                view! { <ul class="govuk-list">{items}</ul> }.into_any()
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{p.name.clone()}<br/><span class="govuk-hint govuk-!-margin-0">{p.email.clone()}</span></td>
                    <td class="govuk-table__cell">{training}</td>
                </tr>
            }
        })
        .collect_view();
    let choices = std::iter::once(Choice::new("", "Choose a lay evaluator"))
        .chain(
            people
                .iter()
                .map(|p| Choice::new(p.user_id.to_string(), format!("{} ({})", p.name, p.email))),
        )
        .collect();
    let empty = people.is_empty();
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href="/fund" text="Back to funding"/>
        <ErrorSummary errors=errors/>
        <h1 class="govuk-heading-l">{title}</h1>
        <p class="govuk-body">"Lay evaluators (for example, unpaid carers) score the sections of a bid given to the lay panel. Record each one's training first: only a lay evaluator whose training is recorded can be appointed to a lay panel."</p>
        {if empty {
            view! { <p class="govuk-body">"No one holds the lay evaluator role yet. An admin gives people the role."</p> }.into_any()
        } else {
            view! {
                <DataTable caption="Lay evaluators" headings=vec!["Lay evaluator", "Training recorded"]>
                    {rows}
                </DataTable>
                <h2 class="govuk-heading-m">"Record training"</h2>
                <form method="post" action="/api/assessment/record_training" novalidate>
                    <Select name="user_id" label="Lay evaluator" choices=choices value=stored.value("user_id") error=errors.for_field("user_id")/>
                    <DateInput name="trained_on" legend="Date of the training" hint="For example, 2 12 2026"
                        day=stored.value("trained_on_day") month=stored.value("trained_on_month") year=stored.value("trained_on_year")
                        error=errors.for_field("trained_on")/>
                    <TextInput name="trained_by" label="Who gave the training" hint="A person or an organisation, for example the Carers' Centre"
                        value=stored.value("trained_by") error=errors.for_field("trained_by")/>
                    <Textarea name="what" label="What the training covered" hint="For example: scoring against the descriptors, declaring conflicts of interest, keeping bids confidential"
                        rows=3 value=stored.value("what") error=errors.for_field("what")/>
                    <Button text="Record training"/>
                </form>
            }.into_any()
        }}
    }
}
