//! Variations to an award: the page where the organisation asks for one (or a commissioner
//! varies the award), and the award's history on the scheme page, where a commissioner
//! decides a variation asked for.
use crate::api::monitor::schemes::{
    variation_page, AwardVariationData, SchemeView, VariationView, VARIATION_FORM,
};
use crate::components::{
    BackLink, Button, Choice, DateInput, ErrorSummary, FormErrors, Limit, MoneyInput, PageTitle,
    Radios, TextInput, Textarea,
};
use crate::domain::monitoring::{
    AwardVariationForm, VariationStatus, CONDITIONS_CHARS, VARIATION_REASON_CHARS,
};
use crate::pages::FormPage;
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

#[component]
pub fn AwardVariationPage() -> impl IntoView {
    let data = Resource::new(id_param("id"), variation_page);
    view! { <FormPage form=VARIATION_FORM data=data render=variation_view/> }
}

fn variation_view(stored: FlashedForm, v: AwardVariationData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", v.scheme_id);
    let (title, button) = if v.is_commissioner {
        ("Vary the award", "Vary the award")
    } else {
        ("Ask for a variation", "Send the request")
    };
    // What was typed, or the award as it stands.
    let start = AwardVariationForm::from_award(&v.tranches, &v.conditions);
    let value = |name: String, fallback: Option<&String>| {
        let typed = stored.value(&name);
        if stored.values.is_empty() {
            fallback.cloned().unwrap_or_default()
        } else {
            typed
        }
    };
    let fields = v
        .tranches
        .iter()
        .map(|t| {
            let id = crate::domain::monitoring::tranche_key(t.id);
            let amount = format!("amount[{id}]");
            let due = format!("due[{id}]");
            let milestone = format!("milestone[{id}]");
            let part = |p: &str| {
                let key = format!("{id}_{p}");
                value(format!("due[{key}]"), start.due.get(&key))
            };
            view! {
                <fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{format!("Tranche {}", t.position)}</legend>
                    <MoneyInput name=amount.clone() label="Amount" value=value(amount.clone(), start.amount.get(&id)) error=errors.for_name(amount)/>
                    <DateInput name=due.clone() legend="Planned date" hint="For example, 1 6 2027"
                        day=part("day") month=part("month") year=part("year") error=errors.for_name(due)/>
                    <TextInput name=milestone.clone() label="Milestone" hint="What must be done before it is paid"
                        value=value(milestone.clone(), start.milestone.get(&id)) error=errors.for_name(milestone)/>
                    {remove_box(&id, t.position, &stored, errors)}
                </fieldset>
            }
        })
        .collect_view();
    let conditions = if stored.values.is_empty() {
        v.conditions.clone()
    } else {
        stored.value("conditions")
    };
    let intro = if v.is_commissioner {
        "Change the tranches not yet approved or paid (or remove one, or add one at the end), or the conditions. The award's amount follows from the tranches; the award ends with its last tranche. More money is committed against the year each tranche is planned in, if that year's fund can cover it; less goes back to the fund. The organisation is told."
    } else {
        "Change what you need: the tranches not yet approved or paid (remove one, or add one at the end), or the conditions, and say why. A commissioner decides, and you are told. Nothing changes until then."
    };
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{v.organisation.clone()}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                {match v.refusal.clone() {
                    Some(why) => view! {
                        <div class="govuk-inset-text">{why}</div>
                        <p class="govuk-body"><a class="govuk-link" href=base.clone()>"Back to the scheme"</a></p>
                    }.into_any(),
                    None => view! {
                        <p class="govuk-body">{intro}</p>
                        <p class="govuk-body">{if v.fixed.0 > 0 {
                            format!("The award is {}. {} is paid or approved and stays as it is.", v.amount.display(), v.fixed.display())
                        } else {
                            format!("The award is {}. Nothing is paid or approved yet.", v.amount.display())
                        }}</p>
                        <form method="post" action="/api/schemes/vary" novalidate>
                            <input type="hidden" name="scheme_id" value=v.scheme_id.to_string()/>
                            // The award as this page shows it (never what was typed before).
                            <input type="hidden" name="based_on" value=v.based_on.clone()/>
                            {fields}
                            {new_tranche(&stored, errors)}
                            <Textarea name="conditions" label="Conditions of the award" rows=4
                                value=conditions limit=Limit::Characters(CONDITIONS_CHARS) error=errors.for_field("conditions")/>
                            <Textarea name="reason" label="Reason for the variation"
                                hint="For example, demand doubled once the GP surgery started referring people"
                                rows=4 value=stored.value("reason") limit=Limit::Characters(VARIATION_REASON_CHARS) error=errors.for_field("reason")/>
                            <div class="govuk-button-group">
                                <Button text=button/>
                                <a class="govuk-link" href=base.clone()>"Cancel"</a>
                            </div>
                        </form>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

/// The tick that removes a tranche (its money released to the pooled fund).
fn remove_box(id: &str, position: i64, stored: &FlashedForm, errors: FormErrors) -> impl IntoView {
    let name = format!("remove[{id}]");
    let field = format!("remove-{id}");
    let error = errors.for_name(name.clone());
    view! {
        <div class=move || if error.get().is_some() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }>
            {move || error.get().map(|e| view! {
                <p class="govuk-error-message" id=format!("{field}-error")><span class="govuk-visually-hidden">"Error: "</span>{e}</p>
            })}
            <div class="govuk-checkboxes govuk-checkboxes--small">
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id=format!("remove-{id}") name=name.clone() type="checkbox" value="yes"
                        checked=!stored.value(&name).is_empty()/>
                    <label class="govuk-label govuk-checkboxes__label" for=format!("remove-{id}")>
                        {format!("Remove tranche {position}: its money goes back to the pooled fund")}
                    </label>
                </div>
            </div>
        </div>
    }
}

/// A tranche added at the end of the schedule (left empty: none).
fn new_tranche(stored: &FlashedForm, errors: FormErrors) -> impl IntoView {
    view! {
        <fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"Add a tranche (optional)"</legend>
            <div class="govuk-hint">"Leave these empty unless the award needs another tranche after the last one, for example to run the service for longer."</div>
            <MoneyInput name="new_amount" label="Amount of the new tranche" value=stored.value("new_amount") error=errors.for_field("new_amount")/>
            <DateInput name="new_due" legend="Planned date of the new tranche" hint="For example, 1 6 2027"
                day=stored.value("new_due_day") month=stored.value("new_due_month") year=stored.value("new_due_year")
                error=errors.for_field("new_due")/>
            <TextInput name="new_milestone" label="Milestone of the new tranche" hint="What must be done before it is paid"
                value=stored.value("new_milestone") error=errors.for_field("new_milestone")/>
        </fieldset>
    }
}

/// The scheme page's "Award history": the award, then each variation; a commissioner
/// decides one asked for here.
pub fn history_section(s: &SchemeView, stored: &FlashedForm) -> impl IntoView {
    let can_vary = matches!(
        s.status,
        crate::domain::monitoring::SchemeStatus::Awarded
            | crate::domain::monitoring::SchemeStatus::Active
            | crate::domain::monitoring::SchemeStatus::Suspended
    ) && (s.is_member || s.is_commissioner);
    let link_text = if s.is_member {
        "Ask for a variation to the award"
    } else {
        "Vary the award"
    };
    let errors = FormErrors::from_stored(stored);
    let items = s
        .variations
        .iter()
        .map(|v| variation_item(s, v, stored, errors))
        .collect_view();
    // What was first awarded: before the first variation applied, or the award as it is.
    let first = (s.variations.iter())
        .find(|v| v.status == VariationStatus::Approved)
        .map_or(s.amount, |v| v.amount_before);
    view! {
        <h2 class="govuk-heading-m">"Award history"</h2>
        <ul class="govuk-list govuk-list--spaced">
            <li>{format!("Awarded {} on {}", first.display(), s.awarded)}</li>
            {items}
        </ul>
        {can_vary.then(|| view! {
            <p class="govuk-body"><a class="govuk-link" href=format!("/schemes/{}/variation", s.id)>{link_text}</a></p>
        })}
    }
}

fn variation_item(
    s: &SchemeView,
    v: &VariationView,
    stored: &FlashedForm,
    errors: FormErrors,
) -> impl IntoView {
    let changes = v
        .changes
        .iter()
        .map(|c| view! { <li>{c.clone()}</li> })
        .collect_view();
    let tag = match v.status {
        VariationStatus::Requested => "govuk-tag govuk-tag--yellow",
        VariationStatus::AwaitingSignOff => "govuk-tag govuk-tag--blue",
        VariationStatus::Approved => "govuk-tag govuk-tag--green",
        VariationStatus::Refused => "govuk-tag govuk-tag--red",
    };
    let decide = (s.is_commissioner && v.status == VariationStatus::Requested).then(|| {
        let mine = stored.value("variation_id") == v.id.to_string();
        let typed = |name: &str| if mine { stored.value(name) } else { String::new() };
        let (decision, note) = (typed("decision"), typed("note"));
        let error = move |field: &'static str| if mine { errors.for_field(field) } else { Signal::derive(|| None) };
        view! {
            <form method="post" action="/api/schemes/decide_variation" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="variation_id" value=v.id.to_string()/>
                <Radios name="decision" legend="Your decision on this variation" inline=true
                    choices=vec![Choice::new("approve", "Approve"), Choice::new("refuse", "Refuse")]
                    value=decision error=error("decision")/>
                <Textarea name="note" label="Note to the organisation" hint="Needed to refuse: say why"
                    rows=3 value=note limit=Limit::Characters(1000) error=error("note")/>
                <Button text="Record the decision" secondary=true/>
            </form>
        }
    });
    view! {
        <li>
            <strong class=tag>{v.status.label()}</strong>" "{v.raised.clone()}
            <ul class="govuk-list govuk-list--bullet">{changes}</ul>
            <p class="govuk-body">{format!("Reason: {}", v.reason)}</p>
            {v.decided.clone().map(|d| view! { <p class="govuk-body">{d}</p> })}
            {(!v.note.is_empty()).then(|| view! { <p class="govuk-body">{format!("Note: {}", v.note)}</p> })}
            {decide}
        </li>
    }
}
