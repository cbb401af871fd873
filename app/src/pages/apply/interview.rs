//! A shortlisted bid's invitation to an interview or presentation, and the reply form.
use crate::api::apply::bids::{bid_interview, BidInterviewData};
use crate::api::decide::interviews::InterviewView;
use crate::components::{
    BackLink, Button, Choice, ErrorSummary, FormErrors, PageTitle, Radios, SummaryList, SummaryRow,
    Textarea,
};
use crate::pages::{pick, FormPage};
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

/// The invitation's details as a summary list.
pub fn interview_rows(i: &InterviewView) -> Vec<SummaryRow> {
    let mut rows = vec![
        SummaryRow::new("What", i.format.clone()),
        SummaryRow::new("When", i.when.clone()),
        SummaryRow::new("Where", i.place.clone()),
        SummaryRow::new("Who should come", i.attendees.clone()),
        SummaryRow::new("Reply", i.reply.clone()),
    ];
    if !i.reply_note.is_empty() {
        rows.push(SummaryRow::new("Note with the reply", i.reply_note.clone()));
    }
    rows
}

#[component]
pub fn BidInterviewPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, bid_interview);
    view! { <FormPage form="interview_reply" data=data render=interview_view/> }
}

fn interview_view(stored: FlashedForm, d: BidInterviewData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let i = d.interview.clone();
    let title = format!(
        "Your invitation to {}",
        if i.format_code == "presentation" {
            "present"
        } else {
            "an interview"
        }
    );
    let current = if i.reply.starts_with("Will come") {
        "attending"
    } else if i.rearrange {
        "rearrange"
    } else {
        ""
    };
    let choices = vec![
        Choice::new("attending", "We will come"),
        Choice::new(
            "rearrange",
            "We cannot come then: please offer another time",
        )
        .with_hint("Say below when you could come"),
    ];
    let back = format!("/bids/{}", d.bid.id);
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href=back.clone() text="Back to your bid"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{format!("{} – {}", d.bid.round_title, d.bid.organisation_name)}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                <p class="govuk-body">"Your bid has been shortlisted. The panel, which may include unpaid carers, would like to meet the people who will run the service. They will ask about your bid and score what they hear against the round's published criteria."</p>
                <SummaryList rows=interview_rows(&i)/>
                {if d.why_not.is_empty() {
                    view! {
                        <form method="post" action="/api/bids/interview_reply" novalidate>
                            <input type="hidden" name="bid_id" value=d.bid.id.to_string()/>
                            <Radios name="reply" legend="Can you come?" choices=choices
                                value=pick(&stored, "reply", current) error=errors.for_field("reply")/>
                            <Textarea name="note" label="Note to the commissioning team"
                                hint="If you need another time, say when you could come. You can also tell us about access needs or who is coming"
                                rows=4 value=pick(&stored, "note", &i.reply_note) error=errors.for_field("note")/>
                            <Button text="Send your reply"/>
                        </form>
                    }.into_any()
                } else {
                    view! { <div class="govuk-inset-text">{d.why_not.clone()}</div> }.into_any()
                }}
                <p class="govuk-body"><a class="govuk-link" href=back>"Back to your bid"</a></p>
            </div>
        </div>
    }
}
