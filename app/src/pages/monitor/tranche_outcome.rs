//! A tranche's outcome on its page: the measure and the figure to reach, the figures the
//! organisation has reported against it, and (for a commissioner, before the evidence is
//! approved) the form that ties the tranche to an outcome.
use crate::api::monitor::tranches::TrancheOutcomeData;
use crate::components::{
    Button, Choice, DataTable, FormErrors, Select, SummaryList, SummaryRow, TextInput,
};
use crate::web::FlashedForm;
use leptos::prelude::*;

/// What the section needs from the tranche page.
#[derive(Clone)]
pub struct OutcomeContext {
    pub scheme_id: i64,
    pub tranche_id: i64,
    pub round_id: i64,
    /// A commissioner may tie it to an outcome (its evidence is not approved yet).
    pub can_set: bool,
    /// A commissioner is reviewing its evidence now.
    pub reviewing: bool,
    pub stored: FlashedForm,
}

/// The section, from the tranche page's data.
pub fn outcome_section(c: OutcomeContext, o: TrancheOutcomeData) -> impl IntoView {
    let errors = FormErrors::from_stored(&c.stored);
    let summary = match &o.outcome {
        Some(out) => {
            let rows = vec![
                SummaryRow::new("Figure to reach", out.target.clone()),
                SummaryRow::new("Reported", out.progress.clone()),
                SummaryRow::new("Reached", if out.reached { "Yes" } else { "Not yet" }),
            ];
            let figures = out
                .figures
                .iter()
                .map(|(period, value)| view! {
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">{period.clone()}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{value.clone()}</td>
                    </tr>
                })
                .collect_view();
            let caption = format!("{}: figures in the returns sent", out.measure);
            view! {
                <SummaryList rows=rows/>
                {(!out.figures.is_empty()).then(|| view! {
                    <DataTable caption=caption caption_class="govuk-table__caption--s" headings=vec!["Return", "Figure"] numeric=vec![1]>
                        {figures}
                    </DataTable>
                })}
                {(c.reviewing && !out.reached).then(|| view! {
                    <div class="govuk-warning-text">
                        <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                        <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>"The outcome has not been reached yet. To approve the evidence anyway, say why in the note."</strong>
                    </div>
                })}
            }
            .into_any()
        }
        None => view! {
            <p class="govuk-body">"This tranche is paid on its milestone alone: it is not tied to a monitoring measure."</p>
        }
        .into_any(),
    };
    let (chosen, target) = match &o.outcome {
        Some(out) => (out.measure_id.to_string(), out.target_value.clone()),
        None => (String::new(), String::new()),
    };
    let has_measures = !o.measures.is_empty();
    let summary_text = if o.outcome.is_some() {
        "Change the outcome or untie the tranche"
    } else {
        "Tie this tranche to an outcome"
    };
    let choices: Vec<Choice> = std::iter::once(Choice::new("", "None: the milestone alone"))
        .chain(
            o.measures
                .iter()
                .map(|(id, name)| Choice::new(id.to_string(), name.clone())),
        )
        .collect();
    // Open again when what was typed in it was refused.
    let reopen = c
        .stored
        .errors
        .iter()
        .any(|e| e.field == "measure_id" || e.field == "target");
    let stored = c.stored.clone();
    let pick = move |name: &str, saved: &str| crate::pages::pick(&stored, name, saved);
    view! {
        <h2 class="govuk-heading-m">"Outcome to reach"</h2>
        {summary}
        {(c.can_set && has_measures).then(|| view! {
            <details class="govuk-details" open=reopen>
                <summary class="govuk-details__summary"><span class="govuk-details__summary-text">{summary_text}</span></summary>
                <div class="govuk-details__text">
                    <form method="post" action="/api/schemes/tranche_outcome_set" novalidate>
                        <input type="hidden" name="scheme_id" value=c.scheme_id.to_string()/>
                        <input type="hidden" name="tranche_id" value=c.tranche_id.to_string()/>
                        <Select name="measure_id" label="Monitoring measure" hint="Pay for outcomes, not activity: choose what the scheme must achieve before this tranche is paid"
                            choices=choices value=pick("measure_id", &chosen) error=errors.for_field("measure_id")/>
                        <TextInput name="target" label="Figure to reach" hint="A count or a number adds up over every return sent; a percentage is read from the latest return. For example, 40 or 90%"
                            value=pick("target", &target) error=errors.for_field("target") width_class="govuk-input--width-10" inputmode="decimal"/>
                        <Button text="Save the outcome" secondary=true/>
                    </form>
                </div>
            </details>
        })}
        {(c.can_set && !has_measures).then(|| view! {
            <p class="govuk-body">
                "This round has no monitoring measures yet, so its tranches cannot be tied to an outcome. "
                <a class="govuk-link" href=format!("/fund/rounds/{}/measures", c.round_id)>"Add the round's monitoring measures"</a>
            </p>
        })}
    }
}
