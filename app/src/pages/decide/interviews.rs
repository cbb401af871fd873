//! Commissioners: shortlist a bid for an interview or presentation and invite its
//! organisation, or change the invitation.
use crate::api::decide::interviews::{invitation_page, InvitationData};
use crate::components::{
    BackLink, Button, Choice, DateInput, ErrorSummary, FormErrors, PageTitle, Radios, SummaryList,
    TextInput, Textarea,
};
use crate::pages::apply::interview::interview_rows;
use crate::pages::{pick, FormPage};
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

#[component]
pub fn InvitePage() -> impl IntoView {
    let bid = id_param("bid");
    let data = Resource::new(bid, invitation_page);
    view! { <FormPage form="interview_invite" data=data render=invite_view/> }
}

fn invite_view(stored: FlashedForm, p: InvitationData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/fund/rounds/{}/moderation/bids/{}", p.round_id, p.bid_id);
    let title = if p.current.is_some() {
        format!("Change the invitation to {}", p.organisation)
    } else {
        format!("Invite {} to an interview or presentation", p.organisation)
    };
    let (day, month, year, time) = p
        .current
        .as_ref()
        .map(|c| c.parts.clone())
        .unwrap_or_default();
    let format = p
        .current
        .as_ref()
        .map(|c| c.format_code.clone())
        .unwrap_or_default();
    let place = p
        .current
        .as_ref()
        .map(|c| c.place.clone())
        .unwrap_or_default();
    let attendees = p
        .current
        .as_ref()
        .map(|c| c.attendees.clone())
        .unwrap_or_default();
    let choices = vec![
        Choice::new("interview", "An interview"),
        Choice::new(
            "presentation",
            "A presentation, then questions from the panel",
        ),
    ];
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href=back.clone() text="Back to the bid"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{format!("{} – {}", p.reference, p.round_title)}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                {p.current.as_ref().map(|c| view! {
                    <h2 class="govuk-heading-m">"The invitation sent"</h2>
                    <SummaryList rows=interview_rows(c)/>
                    <p class="govuk-body">"Changing it emails the organisation's members again and asks them to reply again."</p>
                })}
                {if p.why_not.is_empty() {
                    view! {
                        <p class="govuk-body">"The organisation's members are emailed the invitation and reply in the portal. The panel scores the round's interview criteria once the interview has taken place."</p>
                        <form method="post" action="/api/interviews/invite" novalidate>
                            <input type="hidden" name="bid_id" value=p.bid_id.to_string()/>
                            <Radios name="format" legend="What are they invited to?" choices=choices
                                value=pick(&stored, "format", &format) error=errors.for_field("format")/>
                            <DateInput name="on" legend="Date" hint="For example, 14 1 2027"
                                day=pick(&stored, "on_day", &day) month=pick(&stored, "on_month", &month) year=pick(&stored, "on_year", &year) error=errors.for_field("on")/>
                            <TextInput name="time" label="Time it starts" hint="For example, 2pm or 14:00" width_class="govuk-input--width-5"
                                value=pick(&stored, "time", &time) error=errors.for_field("time")/>
                            <TextInput name="place" label="Where it takes place, or the link to join online"
                                value=pick(&stored, "place", &place) error=errors.for_field("place")/>
                            <Textarea name="attendees" label="Who from the organisation should come"
                                hint="For example, the chair and the person who will run the service (up to three people)"
                                rows=3 value=pick(&stored, "attendees", &attendees) error=errors.for_field("attendees")/>
                            <Button text=if p.current.is_some() { "Change the invitation" } else { "Send the invitation" }/>
                        </form>
                    }.into_any()
                } else {
                    view! { <div class="govuk-inset-text">{p.why_not.clone()}</div> }.into_any()
                }}
                <p class="govuk-body"><a class="govuk-link" href=back>"Back to the bid"</a></p>
            </div>
        </div>
    }
}
