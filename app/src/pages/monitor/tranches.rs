//! A tranche of a funded scheme: its evidence (the organisation) and its review and payment
//! (commissioners).
use crate::api::monitor::schemes::{scheme, SchemeView, TRANCHE_FORM};
use crate::api::monitor::tranches::{tranche_outcome, TrancheOutcomeData};
use crate::components::{
    BackLink, Button, Choice, DateInput, ErrorSummary, FormErrors, NotFoundPage, PageTitle, Radios,
    SummaryList, SummaryRow, TextInput, Textarea,
};
use crate::domain::monitoring::{SchemeStatus, TrancheStatus};
use crate::pages::monitor::tranche_outcome::{outcome_section, OutcomeContext};
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::set_status;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn TranchePage() -> impl IntoView {
    let id = id_param("id");
    let tid = id_param("tid");
    // One resource for the scheme and the tranche's outcome: the page renders at once, with
    // nothing arriving later to move the forms under a person's pointer.
    let data = Resource::new(
        move || (id(), tid()),
        |(scheme_id, tranche_id)| async move {
            let s = scheme(scheme_id).await?;
            let outcome = tranche_outcome(scheme_id, tranche_id).await?;
            Ok::<_, crate::error::AppError>((s, outcome))
        },
    );
    view! {
        <FormPage form=TRANCHE_FORM data=data render={move |stored, (s, outcome)| tranche_view(stored, s, outcome, tid())}/>
    }
}

fn tranche_view(
    stored: FlashedForm,
    s: SchemeView,
    outcome_data: TrancheOutcomeData,
    tranche_id: i64,
) -> AnyView {
    let Some(t) = s.tranches.iter().find(|t| t.id == tranche_id).cloned() else {
        set_status(404);
        return view! { <NotFoundPage/> }.into_any();
    };
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let can_send = s.is_member
        && s.status.running()
        && matches!(t.status, TrancheStatus::Due | TrancheStatus::Returned);
    let can_review = s.is_commissioner && t.status == TrancheStatus::EvidenceSubmitted;
    let files = t
        .files
        .iter()
        .map(|(id, name, size)| view! {
            <li><a class="govuk-link" href=format!("{base}/files/{id}")>{name.clone()}</a>{format!(" ({} KB)", (size + 1023) / 1024)}</li>
        })
        .collect_view();
    let outcome = OutcomeContext {
        scheme_id: s.id,
        tranche_id: t.id,
        round_id: s.round_id,
        can_set: s.is_commissioner
            && matches!(
                t.status,
                TrancheStatus::Due | TrancheStatus::Returned | TrancheStatus::EvidenceSubmitted
            ),
        reviewing: can_review,
        stored: stored.clone(),
    };
    let can_pay = s.is_commissioner && t.status == TrancheStatus::Approved && !t.i_approved;
    let decisions = vec![
        Choice::new("approve", "Approve the evidence").with_hint(format!(
            "Another commissioner then records the payment of {}",
            t.amount.display()
        )),
        Choice::new("return", "Return the evidence: more is needed"),
    ];
    let mut rows = vec![
        SummaryRow::new("Amount", t.amount.display()),
        SummaryRow::new("Due", t.due.clone()),
        SummaryRow::new("Milestone to evidence", t.milestone.clone()),
        SummaryRow::new("Status", t.status.label()),
    ];
    if !t.evidence.is_empty() {
        rows.push(SummaryRow::new("Evidence", t.evidence.clone()));
        rows.push(SummaryRow::new(
            "Sent",
            format!("{} by {}", t.evidence_at, t.evidence_by),
        ));
    }
    if !t.reviewed.is_empty() {
        rows.push(SummaryRow::new(
            if t.status == TrancheStatus::Returned {
                "Returned"
            } else {
                "Evidence approved"
            },
            t.reviewed.clone(),
        ));
    }
    if !t.paid.is_empty() {
        rows.push(SummaryRow::new("Payment recorded", t.paid.clone()));
    }
    if let Some(on) = &t.paid_on {
        rows.push(SummaryRow::new("Date paid", on.clone()));
    }
    if !t.payment_reference.is_empty() {
        rows.push(SummaryRow::new(
            "Payment reference",
            t.payment_reference.clone(),
        ));
    }
    if !t.review_note.is_empty() {
        rows.push(SummaryRow::new(
            "Commissioner's note",
            t.review_note.clone(),
        ));
    }
    view! {
        <PageTitle text=format!("Tranche {}", t.position) errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">{format!("Tranche {}: {}", t.position, t.amount.display())}</h1>
        <SummaryList rows=rows/>
        {(!t.files.is_empty()).then(|| view! {
            <h2 class="govuk-heading-s">"Evidence files"</h2>
            <ul class="govuk-list">{files}</ul>
        })}
        {outcome_section(outcome, outcome_data)}
        {(s.status == SchemeStatus::Awarded).then(|| view! {
            <div class="govuk-inset-text">"The award must be accepted before evidence can be sent or a tranche paid."</div>
        })}
        {can_send.then(|| view! {
            <h2 class="govuk-heading-m">"Send evidence"</h2>
            <form method="post" action="/api/schemes/evidence" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="tranche_id" value=t.id.to_string()/>
                <Textarea name="evidence" label="How has the milestone been met?"
                    hint="For example: the service started on 3 March; 42 people have had appointments; our first monitoring return is attached"
                    rows=6 value=pick(&stored, "evidence", &t.evidence) error=errors.for_field("evidence")/>
                <Button text="Send evidence"/>
            </form>
            <form method="post" action=format!("{base}/tranches/{}/files", t.id) enctype="multipart/form-data" novalidate>
                <div class=move || if errors.for_field("file").get().is_some() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }>
                    <label class="govuk-label" for="file">"Add an evidence file (optional)"</label>
                    <div id="file-hint" class="govuk-hint">"PDF, Word, Excel, OpenDocument, CSV, text, PNG or JPEG, up to 10MB"</div>
                    {move || errors.for_field("file").get().map(|m| view! { <p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                    <input class="govuk-file-upload" id="file" name="file" type="file" aria-describedby="file-hint"/>
                </div>
                <Button text="Upload the file" secondary=true/>
            </form>
        })}
        {can_review.then(|| view! {
            <h2 class="govuk-heading-m">"Review the evidence"</h2>
            <form method="post" action="/api/schemes/review_tranche" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="tranche_id" value=t.id.to_string()/>
                <Radios name="decision" legend="Decision" choices=decisions value=stored.value("decision") error=errors.for_field("decision")/>
                <Textarea name="note" label="Note for the organisation" hint="Required when you return the evidence: say what more is needed"
                    rows=4 value=stored.value("note") error=errors.for_field("note")/>
                <Button text="Record decision"/>
            </form>
        })}
        {(s.is_commissioner && t.status == TrancheStatus::Approved && t.i_approved).then(|| view! {
            <div class="govuk-inset-text">"You approved this evidence. Another commissioner must record the payment: the same person cannot do both."</div>
        })}
        {(can_pay && s.suspension.is_some()).then(|| view! {
            <div class="govuk-inset-text">"Payments to this scheme are suspended. The payment can be recorded once they resume."</div>
        })}
        {(can_pay && s.suspension.is_none()).then(|| view! {
            <h2 class="govuk-heading-m">"Record the payment"</h2>
            <p class="govuk-body">{format!("The evidence was approved {}. Record the payment of {} once it has been made.", t.reviewed, t.amount.display())}</p>
            <form method="post" action="/api/schemes/record_payment" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="tranche_id" value=t.id.to_string()/>
                <TextInput name="reference" label="Payment reference" hint="The reference of the payment in the finance system, for example BACS-20261205-001"
                    value=stored.value("reference") error=errors.for_field("reference") width_class="govuk-input--width-20"/>
                <DateInput name="paid" legend="Date paid" hint="The day the money left the finance system: it decides the financial year the payment is charged to. For example, 27 3 2027"
                    day=pick(&stored, "paid_day", &t.paid_on_default[0]) month=pick(&stored, "paid_month", &t.paid_on_default[1])
                    year=pick(&stored, "paid_year", &t.paid_on_default[2]) error=errors.for_field("paid")/>
                <Button text="Record the payment"/>
            </form>
        })}
    }
    .into_any()
}
