//! Clawback on the scheme page (money to be repaid, visible to the organisation and to
//! commissioners), and the commissioner's two pages: asking for money back, and recording a
//! repayment received.
use crate::api::monitor::schemes::{
    commissioner_view, ClawbackView, SchemeView, CLAWBACK_FORM, REPAYMENT_FORM,
};
use crate::components::{
    BackLink, Button, DataTable, DateInput, ErrorSummary, FormErrors, Limit, MoneyInput,
    NotFoundPage, PageTitle, SummaryList, SummaryRow, TextInput, Textarea,
};
use crate::domain::monitoring::{ClawbackState, REASON_CHARS};
use crate::pages::{pick, FormPage};
use crate::web::{id_param, set_status, FlashedForm};
use leptos::prelude::*;

/// The scheme page's "Money to be repaid" section: each clawback, what has been received,
/// and for commissioners the way to ask for money back or record a repayment.
pub fn clawbacks_section(s: &SchemeView) -> impl IntoView {
    let can_ask = s.is_commissioner && s.claimable.0 > 0;
    if s.clawbacks.is_empty() && !can_ask {
        return ().into_any();
    }
    let rows = s
        .clawbacks
        .iter()
        .map(|c| clawback_row(s, c))
        .collect_view();
    let id = s.id;
    // Every repayment, for the organisation as much as the commissioners: a receipt.
    let received: Vec<_> = s
        .clawbacks
        .iter()
        .flat_map(|c| c.repayments.iter())
        .map(|(on, amount, reference, _)| {
            view! { <li>{format!("{} received on {on} (reference {reference})", amount.display())}</li> }
        })
        .collect();
    view! {
        <h2 class="govuk-heading-m">"Money to be repaid"</h2>
        {(!s.clawbacks.is_empty()).then(|| view! {
            <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Repayments asked for (scroll sideways)">
                <DataTable caption="Repayments asked for" caption_class="govuk-table__caption--s"
                    headings=vec!["Asked for", "Received", "Still to repay", "Due by", "Why", "Status", ""] numeric=vec![0, 1, 2]>
                    {rows}
                </DataTable>
            </div>
        })}
        {(!received.is_empty()).then(|| view! {
            <h3 class="govuk-heading-s">"Repayments received"</h3>
            <ul class="govuk-list govuk-list--bullet">{received}</ul>
        })}
        {can_ask.then(|| view! {
            <p class="govuk-body"><a class="govuk-link" href=format!("/schemes/{id}/clawback")>"Ask the organisation to repay money"</a></p>
        })}
    }
    .into_any()
}

fn clawback_row(s: &SchemeView, c: &ClawbackView) -> impl IntoView {
    let action = (s.is_commissioner && c.state != ClawbackState::Repaid).then(|| {
        view! {
            <a class="govuk-link" href=format!("/schemes/{}/clawbacks/{}", s.id, c.id)>
                "Record a repayment"<span class="govuk-visually-hidden">{format!(" of the {} asked for", c.amount.display())}</span>
            </a>
        }
    });
    view! {
        <tr class="govuk-table__row">
            <td class="govuk-table__cell govuk-table__cell--numeric">{c.amount.display()}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{c.repaid.display()}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">{c.outstanding.display()}</td>
            <td class="govuk-table__cell">{c.due.clone()}</td>
            <td class="govuk-table__cell">{c.reason.clone()}</td>
            <td class="govuk-table__cell"><strong class=c.state.tag_class()>{c.state.label()}</strong></td>
            <td class="govuk-table__cell">{action}</td>
        </tr>
    }
}

#[component]
pub fn ClawbackPage() -> impl IntoView {
    let data = Resource::new(id_param("id"), commissioner_view);
    view! { <FormPage form=CLAWBACK_FORM data=data render=clawback_view/> }
}

fn clawback_view(stored: FlashedForm, s: SchemeView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let asked: i64 = s.clawbacks.iter().map(|c| c.amount.0).sum();
    view! {
        <PageTitle text="Ask for money back" errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">"Ask for money back"</h1>
        <SummaryList rows=vec![
            SummaryRow::new("Paid to the scheme", s.paid.display()),
            SummaryRow::new("Already asked back", crate::domain::money::Pence(asked).display()),
            SummaryRow::new("The most you can ask back", s.claimable.display()),
        ]/>
        {if s.claimable.0 <= 0 {
            view! {
                <div class="govuk-inset-text">"Nothing can be asked back: the scheme has not been paid anything that is not already being repaid."</div>
            }.into_any()
        } else {
            view! {
                <p class="govuk-body">"The organisation's members are emailed the amount, the reason and the date it is due. Each repayment received goes back to the pooled fund, shared between the partners as the payments were."</p>
                <form method="post" action="/api/schemes/clawback" novalidate>
                    <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                    <MoneyInput name="amount" label="Amount to be repaid" hint=format!("In pounds, up to {}", s.claimable.display())
                        value=stored.value("amount") error=errors.for_field("amount")/>
                    <Textarea name="reason" label="Why must the money be repaid?"
                        hint="For example, a condition of the award that was not met, or money not spent when the scheme ended"
                        rows=4 value=stored.value("reason") limit=Limit::Characters(REASON_CHARS) error=errors.for_field("reason")/>
                    <DateInput name="due" legend="Due by" hint="Within a year. For example, 31 3 2027"
                        day=stored.value("due_day") month=stored.value("due_month") year=stored.value("due_year") error=errors.for_field("due")/>
                    <div class="govuk-button-group">
                        <Button text="Ask for the money back"/>
                        <a class="govuk-link" href=base.clone()>"Cancel"</a>
                    </div>
                </form>
            }.into_any()
        }}
    }
}

#[component]
pub fn RepaymentPage() -> impl IntoView {
    let data = Resource::new(id_param("id"), commissioner_view);
    let cid = id_param("cid");
    view! { <FormPage form=REPAYMENT_FORM data=data render=move |stored, s| repayment_view(stored, s, cid())/> }
}

fn repayment_view(stored: FlashedForm, s: SchemeView, clawback_id: i64) -> AnyView {
    let Some(c) = s.clawbacks.iter().find(|c| c.id == clawback_id).cloned() else {
        set_status(404);
        return view! { <NotFoundPage/> }.into_any();
    };
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let received = c
        .repayments
        .iter()
        .map(|(on, amount, reference, recorded)| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{on.clone()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{amount.display()}</td>
                    <td class="govuk-table__cell">{reference.clone()}</td>
                    <td class="govuk-table__cell">{recorded.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageTitle text="Record a repayment" errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">"Record a repayment"</h1>
        <SummaryList rows=vec![
            SummaryRow::new("Asked for", format!("{} on {}", c.amount.display(), c.raised)),
            SummaryRow::new("Why", c.reason.clone()),
            SummaryRow::new("Due by", c.due.clone()),
            SummaryRow::new("Received so far", c.repaid.display()),
            SummaryRow::new("Still to repay", c.outstanding.display()),
            SummaryRow::new("Status", c.state.label()),
        ]/>
        {(!c.repayments.is_empty()).then(|| view! {
            <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Repayments received (scroll sideways)">
                <DataTable caption="Repayments received" caption_class="govuk-table__caption--s"
                    headings=vec!["Received on", "Amount", "Reference", "Recorded"] numeric=vec![1]>
                    {received}
                </DataTable>
            </div>
        })}
        {if c.state == ClawbackState::Repaid {
            view! { <div class="govuk-inset-text">"This money has been repaid in full."</div> }.into_any()
        } else {
            view! {
                <form method="post" action="/api/schemes/repayment" novalidate>
                    <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                    <input type="hidden" name="clawback_id" value=c.id.to_string()/>
                    <MoneyInput name="amount" label="Amount received" hint=format!("In pounds, up to {}", c.outstanding.display())
                        value=stored.value("amount") error=errors.for_field("amount")/>
                    <TextInput name="reference" label="Reference" hint="The finance system's reference for the money received, for example REC-20261207-004"
                        value=stored.value("reference") error=errors.for_field("reference") width_class="govuk-input--width-20"/>
                    <DateInput name="received" legend="Date received" hint="For example, 27 3 2027"
                        day=pick(&stored, "received_day", &c.received_default[0]) month=pick(&stored, "received_month", &c.received_default[1])
                        year=pick(&stored, "received_year", &c.received_default[2]) error=errors.for_field("received")/>
                    <div class="govuk-button-group">
                        <Button text="Record the repayment"/>
                        <a class="govuk-link" href=base.clone()>"Cancel"</a>
                    </div>
                </form>
            }.into_any()
        }}
    }
    .into_any()
}
