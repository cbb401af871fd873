//! A monitoring return: its form (the organisation) and its review (commissioners).
use crate::api::monitor::returns::{monitoring_return, ReturnPage, RETURN_FORM};
use crate::components::{
    BackLink, Button, Choice, ErrorSummary, FormErrors, MoneyInput, PageTitle, Radios, SummaryList,
    SummaryRow, TextInput, Textarea,
};
use crate::domain::monitoring::{money_field, ReturnStatus, INCOME_SOURCES};
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn ReturnPage() -> impl IntoView {
    let id = id_param("id");
    let rid = id_param("rid");
    let data = Resource::new(
        move || (id(), rid()),
        |(id, rid)| monitoring_return(id, rid),
    );
    view! { <FormPage form=RETURN_FORM data=data render=return_view/> }
}

fn return_view(stored: FlashedForm, r: ReturnPage) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", r.scheme_id);
    let title = format!("Monitoring return {}", r.position);
    let money_value = |key: &str| {
        let name = money_field(key);
        let saved = r.typed.money.get(key).cloned().unwrap_or_default();
        pick(&stored, &name, &saved)
    };
    let money_inputs = std::iter::once(("costs", "Running costs"))
        .chain(INCOME_SOURCES.iter().copied())
        .map(|(key, label)| {
            let name = money_field(key);
            let label = if key == "costs" {
                "Running costs in this period".to_string()
            } else {
                format!("Income received: {}", label.to_lowercase())
            };
            view! { <MoneyInput name=name.clone() label=label value=money_value(key) error=errors.for_name(name)/> }
        })
        .collect_view();
    let measure_inputs = |kind: crate::domain::monitoring::MeasureKind| {
        r.measures
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| {
                let name = format!("measure[{}]", m.id);
                let saved = r
                    .typed
                    .measures
                    .get(&m.id.to_string())
                    .cloned()
                    .unwrap_or_else(|| m.value.map(|v| m.unit.form_value(v)).unwrap_or_default());
                let label = match m.unit {
                    crate::domain::monitoring::MeasureUnit::Percent => format!("{} (%)", m.name),
                    _ => m.name.clone(),
                };
                view! {
                    <TextInput name=name.clone() label=label hint=m.guidance.clone() value=pick(&stored, &name, &saved)
                        error=errors.for_name(name) width_class="govuk-input--width-10" inputmode=m.unit.inputmode()/>
                }
            })
            .collect_view()
    };
    let activity = measure_inputs(crate::domain::monitoring::MeasureKind::Activity);
    let outcomes = measure_inputs(crate::domain::monitoring::MeasureKind::Outcome);
    let f = r.figures;
    let reported = r.status.reported();
    let mut rows = vec![
        SummaryRow::new("Period", r.period.clone()),
        SummaryRow::new("Due", r.due.clone()),
        SummaryRow::new("Status", r.status.label()),
    ];
    if let Some(d) = r.overdue_days {
        rows.push(SummaryRow::new("Overdue", format!("{d} days")));
    }
    if !r.saved.is_empty() {
        rows.push(SummaryRow::new("Last saved", r.saved.clone()));
    }
    if !r.submitted.is_empty() && reported {
        rows.push(SummaryRow::new("Sent", r.submitted.clone()));
    }
    if let Some(p) = r.planned {
        rows.push(SummaryRow::new(
            "Planned grant dependency for this period",
            format!("{p}%"),
        ));
    }
    let answers = reported.then(|| {
        let mut a = vec![SummaryRow::new("Running costs", f.costs.display())];
        for ((_, label), value) in INCOME_SOURCES.iter().zip(f.income()) {
            a.push(SummaryRow::new(
                format!("Income: {}", label.to_lowercase()),
                value.display(),
            ));
        }
        a.push(SummaryRow::new("Total income", f.total_income().display()));
        a.push(SummaryRow::new(
            "Grant dependency",
            format!("{}%", crate::domain::monitoring::percent(f.dependency())),
        ));
        a.push(SummaryRow::new(
            "Cash income (not volunteer time)",
            f.cash_income().display(),
        ));
        a.push(SummaryRow::new(
            "Cash income covers costs",
            if f.covers_costs() { "Yes" } else { "No" },
        ));
        for m in &r.measures {
            a.push(SummaryRow::new(
                m.name.clone(),
                m.value
                    .map(|v| m.unit.display(v))
                    .unwrap_or_else(|| "–".into()),
            ));
        }
        a.push(SummaryRow::new(
            "What happened in this period",
            r.narrative.clone(),
        ));
        a.push(SummaryRow::new(
            "Risks",
            if r.risks.is_empty() {
                "None given".to_string()
            } else {
                r.risks.clone()
            },
        ));
        a
    });
    let decisions = vec![
        Choice::new("accept", "Accept the return"),
        Choice::new("changes", "Ask for changes"),
    ];
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{r.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">{title.clone()}</h1>
        <SummaryList rows=rows/>
        {(r.status == ReturnStatus::ChangesRequested && !r.review_comment.is_empty()).then(|| view! {
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>{format!("Changes asked for: {}", r.review_comment)}</strong>
            </div>
        })}
        {r.opens.clone().filter(|_| r.is_member && r.status == ReturnStatus::Due).map(|day| view! {
            <div class="govuk-inset-text">{format!("You can fill in this return from {day}, once its period has ended.")}</div>
        })}
        {r.editable.then(|| view! {
            <form method="post" action="/api/returns/save" novalidate>
                <input type="hidden" name="scheme_id" value=r.scheme_id.to_string()/>
                <input type="hidden" name="return_id" value=r.return_id.to_string()/>
                <h2 class="govuk-heading-m">"Costs and income"</h2>
                <p class="govuk-body">"Enter what was actually spent and received in this period, in pounds. Leave an income source empty if nothing came from it."</p>
                {money_inputs}
                {(!r.measures.is_empty()).then(|| view! {
                    <h2 class="govuk-heading-m">"Activity"</h2>
                    {activity}
                    <h2 class="govuk-heading-m">"Outcomes"</h2>
                    {outcomes}
                })}
                <h2 class="govuk-heading-m">"About this period"</h2>
                <Textarea name="narrative" label="What happened in this period" rows=6
                    value=pick(&stored, "narrative", &r.narrative) error=errors.for_field("narrative")/>
                <Textarea name="risks" label="Risks to the service (optional)" rows=4
                    value=pick(&stored, "risks", &r.risks) error=errors.for_field("risks")/>
                <div class="govuk-button-group">
                    <Button text="Send return" name="then" value="send"/>
                    <Button text="Save and come back later" secondary=true name="then" value="later"/>
                </div>
            </form>
        })}
        {answers.map(|a| view! { <h2 class="govuk-heading-m">"The return"</h2><SummaryList rows=a/> })}
        {(r.is_commissioner && r.status == ReturnStatus::Submitted).then(|| view! {
            <h2 class="govuk-heading-m">"Review the return"</h2>
            <form method="post" action="/api/returns/review" novalidate>
                <input type="hidden" name="scheme_id" value=r.scheme_id.to_string()/>
                <input type="hidden" name="return_id" value=r.return_id.to_string()/>
                <Radios name="decision" legend="Decision" choices=decisions value=stored.value("decision") error=errors.for_field("decision")/>
                <Textarea name="comment" label="Comment for the organisation" hint="Required when you ask for changes"
                    rows=4 value=stored.value("comment") error=errors.for_field("comment")/>
                <Button text="Record review"/>
            </form>
        })}
    }
}
