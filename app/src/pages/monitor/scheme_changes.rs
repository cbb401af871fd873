//! A scheme that does not run its course: the organisation turns its award down; a
//! commissioner suspends payments with a support plan, or ends the scheme early. Each is a
//! page of its own, reached from the scheme page, that says what will happen before it does.
use crate::api::monitor::schemes::{
    commissioner_view, member_view, SchemeView, END_FORM, SUSPEND_FORM, TURN_DOWN_FORM,
};
use crate::components::{
    BackLink, Button, Checkboxes, Choice, DataTable, DateInput, ErrorSummary, FormErrors, Limit,
    PageTitle, SummaryList, SummaryRow, Textarea,
};
use crate::domain::money::Pence;
use crate::domain::monitoring::{releasable, Change, TrancheStatus, REASON_CHARS};
use crate::pages::FormPage;
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

/// Why the change cannot be made now, if it cannot (the server refuses it too; the page
/// itself is refused to anyone whose role cannot make it).
fn cannot(s: &SchemeView, change: Change) -> Option<AnyView> {
    let why = change.refusal(s.status);
    why.map(|why| {
        view! {
            <div class="govuk-inset-text">{why}</div>
            <p class="govuk-body"><a class="govuk-link" href=format!("/schemes/{}", s.id)>"Back to the scheme"</a></p>
        }
        .into_any()
    })
}

#[component]
pub fn TurnDownPage() -> impl IntoView {
    let data = Resource::new(id_param("id"), member_view);
    view! { <FormPage form=TURN_DOWN_FORM data=data render=turn_down_view/> }
}

fn turn_down_view(stored: FlashedForm, s: SchemeView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let blocked = cannot(&s, Change::TurnDown);
    view! {
        <PageTitle text="Turn down the award" errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">"Turn down the award"</h1>
        {match blocked {
            Some(why) => why,
            None => view! {
                <p class="govuk-body">{format!(
                    "If {} does not want the award of {}, you can turn it down. The money goes back to the pooled fund straight away and the commissioning team is told.",
                    s.organisation_name, s.amount.display()
                )}</p>
                <div class="govuk-warning-text">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>"You cannot undo this. To be funded later, your organisation would have to bid again."</strong>
                </div>
                <form method="post" action="/api/schemes/turn_down" novalidate>
                    <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                    <Textarea name="reason" label="Why is your organisation turning the award down?"
                        hint="The commissioning team reads this. It helps them plan future rounds"
                        rows=5 value=stored.value("reason") limit=Limit::Characters(REASON_CHARS) error=errors.for_field("reason")/>
                    <div class="govuk-button-group">
                        <Button text="Turn down the award" warning=true/>
                        <a class="govuk-link" href=base.clone()>"Cancel"</a>
                    </div>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
pub fn EndSchemePage() -> impl IntoView {
    let data = Resource::new(id_param("id"), commissioner_view);
    view! { <FormPage form=END_FORM data=data render=end_view/> }
}

/// What ending does to one tranche.
fn fate(status: TrancheStatus) -> &'static str {
    match status {
        TrancheStatus::Paid => "Paid: kept",
        TrancheStatus::Approved => "Evidence approved: can still be paid",
        TrancheStatus::Released => "Already released",
        s if releasable(s) => "Released to the fund",
        _ => "",
    }
}

fn end_view(stored: FlashedForm, s: SchemeView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let blocked = cannot(&s, Change::End);
    let to_release = Pence(
        s.tranches
            .iter()
            .filter(|t| releasable(t.status))
            .map(|t| t.amount.0)
            .sum(),
    );
    let rows = s
        .tranches
        .iter()
        .map(|t| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{t.position.to_string()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{t.amount.display()}</td>
                    <td class="govuk-table__cell">{t.status.label()}</td>
                    <td class="govuk-table__cell">{fate(t.status)}</td>
                </tr>
            }
        })
        .collect_view();
    let confirm = format!(
        "I confirm that {}'s scheme ends now: its unpaid tranches are released and no more returns are needed",
        s.organisation_name
    );
    view! {
        <PageTitle text="End the scheme early" errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">"End the scheme early"</h1>
        {match blocked {
            Some(why) => why,
            None => view! {
                <SummaryList rows=vec![
                    SummaryRow::new("Award", s.amount.display()),
                    SummaryRow::new("Paid so far", s.paid.display()),
                    SummaryRow::new("Released to the pooled fund", to_release.display()),
                ]/>
                <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="What happens to each tranche (scrolls sideways)">
                    <DataTable caption="What happens to each tranche" caption_class="govuk-table__caption--s" headings=vec!["Tranche", "Amount", "Status", "When the scheme ends"] numeric=vec![1]>
                        {rows}
                    </DataTable>
                </div>
                <form method="post" action="/api/schemes/end" novalidate>
                    <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                    <Textarea name="reason" label="Why is the scheme ending early?"
                        hint="The organisation's members are emailed this reason, and it is kept in the audit trail"
                        rows=5 value=stored.value("reason") limit=Limit::Characters(REASON_CHARS) error=errors.for_field("reason")/>
                    <Checkboxes name="confirm" legend="Confirm" choices=vec![Choice::new("confirm", confirm.clone())]
                        checked=vec![] error=errors.for_field("confirm")/>
                    <div class="govuk-button-group">
                        <Button text="End the scheme" warning=true/>
                        <a class="govuk-link" href=base.clone()>"Cancel"</a>
                    </div>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
pub fn SuspendPage() -> impl IntoView {
    let data = Resource::new(id_param("id"), commissioner_view);
    view! { <FormPage form=SUSPEND_FORM data=data render=suspend_view/> }
}

fn suspend_view(stored: FlashedForm, s: SchemeView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let blocked = cannot(&s, Change::Suspend);
    view! {
        <PageTitle text="Suspend payments" errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">"Suspend payments"</h1>
        {match blocked {
            Some(why) => why,
            None => view! {
                <p class="govuk-body">"While payments are suspended no tranche can be paid. The organisation can still send evidence and monitoring returns. Its members are emailed the reason and the support plan."</p>
                <form method="post" action="/api/schemes/suspend" novalidate>
                    <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                    <Textarea name="reason" label="Why are payments being suspended?"
                        rows=4 value=stored.value("reason") limit=Limit::Characters(REASON_CHARS) error=errors.for_field("reason")/>
                    <Textarea name="plan" label="Support plan agreed with the organisation"
                        hint="What the organisation and the commissioning team will each do, and by when"
                        rows=6 value=stored.value("plan") limit=Limit::Characters(REASON_CHARS) error=errors.for_field("plan")/>
                    <DateInput name="review" legend="Review date" hint="When the plan will be reviewed, within a year. For example, 7 2 2027"
                        day=stored.value("review_day") month=stored.value("review_month") year=stored.value("review_year") error=errors.for_field("review")/>
                    <div class="govuk-button-group">
                        <Button text="Suspend payments"/>
                        <a class="govuk-link" href=base.clone()>"Cancel"</a>
                    </div>
                </form>
            }.into_any(),
        }}
    }
}
