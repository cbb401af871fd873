//! Board meetings: the list, arranging a meeting (commissioners), a meeting's page (agenda,
//! members and attendance, the minutes of its decisions) and its board pack.
use crate::api::decide::meetings::{
    meeting, meetings, new_meeting, MeetingView, MeetingsData, NewMeetingData,
};
use crate::components::{
    error_view, BackLink, Button, Checkboxes, Choice, DataTable, DateInput, ErrorSummary,
    FormErrors, PageTitle, SummaryList, SummaryRow, TextInput,
};
use crate::pages::FormPage;
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| meetings());
    view! {
        <PageTitle text="Board meetings"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(data) => meetings_view(data).into_any(),
                }
            })}
        </Transition>
    }
}

fn meetings_view(data: MeetingsData) -> impl IntoView {
    let rows = data
        .meetings
        .iter()
        .map(|m| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=format!("/board/meetings/{}", m.id)>{m.name.clone()}</a>
                        {m.upcoming.then(|| view! { <br/><strong class="govuk-tag govuk-tag--blue">"Coming up"</strong> })}
                    </td>
                    <td class="govuk-table__cell">{m.agenda.join("; ")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <BackLink href="/board" text="Back to the Board"/>
        <h1 class="govuk-heading-l">"Board meetings"</h1>
        <p class="govuk-body">"The Board meets to consider the ranked bids of funding rounds. Each meeting has a board pack made from the live data, and minutes of the decisions it recommends; an award is made when both partners have signed it off."</p>
        {data.can_arrange.then(|| view! {
            <a class="govuk-button" href="/board/meetings/new">"Arrange a board meeting"</a>
        })}
        {if data.meetings.is_empty() {
            view! { <p class="govuk-body">"No board meetings have been arranged yet."</p> }.into_any()
        } else {
            view! {
                <DataTable caption="Meetings, the latest first" headings=vec!["Meeting", "Rounds on the agenda"]>
                    {rows}
                </DataTable>
            }.into_any()
        }}
    }
}

#[component]
pub fn NewMeetingPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| new_meeting());
    view! { <FormPage form="arrange_meeting" data=data render=new_meeting_view/> }
}

fn new_meeting_view(stored: FlashedForm, data: NewMeetingData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let first = stored.errors.is_empty();
    let value = |name: &str| {
        if first {
            String::new()
        } else {
            stored.value(name)
        }
    };
    let rounds: Vec<Choice> = data
        .rounds
        .iter()
        .map(|(id, title)| Choice::new(format!("agenda[{id}]"), title.clone()))
        .collect();
    let members: Vec<Choice> = data
        .members
        .iter()
        .map(|(id, name, represents)| {
            Choice::new(format!("invite[{id}]"), name.clone()).with_hint(represents.clone())
        })
        .collect();
    // Every board member is invited unless the commissioner says otherwise.
    let checked_members: Vec<String> = if first {
        members.iter().map(|c| c.value.clone()).collect()
    } else {
        stored
            .values
            .keys()
            .filter(|k| k.starts_with("invite["))
            .cloned()
            .collect()
    };
    let checked_rounds: Vec<String> = if first {
        Vec::new()
    } else {
        stored
            .values
            .keys()
            .filter(|k| k.starts_with("agenda["))
            .cloned()
            .collect()
    };
    view! {
        <PageTitle text="Arrange a board meeting" errors=errors/>
        <BackLink href="/board/meetings" text="Back to board meetings"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Arrange a board meeting"</h1>
                <form method="post" action="/api/board/arrange_meeting" novalidate>
                    <DateInput name="held" legend="Date of the meeting" hint="For example, 14 1 2027"
                        day=value("held_day") month=value("held_month") year=value("held_year") error=errors.for_field("held")/>
                    <TextInput name="time" label="Time it starts" hint="For example, 2pm or 14:00" width_class="govuk-input--width-5"
                        value=value("time") error=errors.for_field("time")/>
                    <TextInput name="place" label="Where the Board meets, or the link to join online"
                        value=value("place") error=errors.for_field("place")/>
                    {if rounds.is_empty() {
                        view! { <p class="govuk-body">"No funding round has closed for bids yet: a meeting considers the bids of a closed round."</p> }.into_any()
                    } else {
                        view! {
                            <Checkboxes name="rounds" legend="Funding rounds on the agenda" hint="Rounds that have closed for bids"
                                choices=rounds checked=checked_rounds error=errors.for_field("rounds")/>
                        }.into_any()
                    }}
                    <Checkboxes name="members" legend="Board members invited" hint="Each member's constituency is shown under their name"
                        choices=members checked=checked_members error=errors.for_field("members")/>
                    <Button text="Arrange meeting"/>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, meeting);
    view! { <FormPage form="attendance" data=data render=meeting_view/> }
}

fn meeting_view(stored: FlashedForm, m: MeetingView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let agenda = m
        .agenda
        .iter()
        .map(|(id, title)| {
            let link = m.can_record.then(|| {
                view! {
                    " "<a class="govuk-link" href=format!("/fund/rounds/{id}/moderation")>
                        "Record the Board's decisions"<span class="govuk-visually-hidden">{format!(" on {title}")}</span>
                    </a>
                }
            });
            view! {
                <li>{title.clone()}{link}" "
                    <a class="govuk-link" href=format!("/board/rounds/{id}/decisions")>
                        "Decision report"<span class="govuk-visually-hidden">{format!(" for {title}")}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let members = m
        .members
        .iter()
        .map(|p| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{p.name.clone()}</td>
                    <td class="govuk-table__cell">{p.represents.clone()}</td>
                    <td class="govuk-table__cell">{if p.present { "Present" } else { "Not recorded as present" }}</td>
                </tr>
            }
        })
        .collect_view();
    let attendance: Vec<Choice> = m
        .members
        .iter()
        .map(|p| {
            Choice::new(format!("present[{}]", p.user_id), p.name.clone())
                .with_hint(p.represents.clone())
        })
        .collect();
    let present: Vec<String> = m
        .members
        .iter()
        .filter(|p| p.present)
        .map(|p| format!("present[{}]", p.user_id))
        .collect();
    let minutes = m
        .minutes
        .iter()
        .map(|d| {
            let mut what = d.decision.clone();
            if !d.conditions.is_empty() {
                what.push_str(&format!(". Conditions: {}", d.conditions));
            }
            if !d.override_reason.is_empty() {
                what.push_str(&format!(". Recommended although below a minimum score: {}", d.override_reason));
            }
            let absent = if d.not_taking_part.is_empty() {
                "None".to_string()
            } else {
                format!("{} (declared a conflict)", d.not_taking_part.join(", "))
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{format!("{}: {}", d.reference, d.organisation)}<br/><span class="govuk-hint govuk-!-margin-0">{d.round.clone()}</span></td>
                    <td class="govuk-table__cell">{what}</td>
                    <td class="govuk-table__cell">{absent}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=m.name.clone() errors=errors/>
        <BackLink href="/board/meetings" text="Back to board meetings"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">"Board meeting"</span>
        <h1 class="govuk-heading-l">{m.when.clone()}</h1>
        <SummaryList rows=vec![SummaryRow::new("Where", m.place.clone())]/>
        <p class="govuk-body"><a class="govuk-link" href=format!("/board/meetings/{}/pack", m.id)>"Read the board pack"</a></p>
        <h2 class="govuk-heading-m">"Agenda"</h2>
        <ul class="govuk-list govuk-list--bullet">{agenda}</ul>
        <h2 class="govuk-heading-m">"Members"</h2>
        <DataTable caption="Board members invited" caption_class="govuk-visually-hidden" headings=vec!["Member", "Represents", "Attendance"]>
            {members}
        </DataTable>
        {m.can_record.then(|| view! {
            <form method="post" action="/api/board/attendance" novalidate>
                <input type="hidden" name="meeting_id" value=m.id.to_string()/>
                <Checkboxes name="present" legend="Who was present" hint="Members who declared a conflict in a bid are recorded as taking no part in its decision"
                    choices=attendance checked=present error=errors.for_field("present")/>
                <Button text="Save attendance" secondary=true/>
            </form>
        })}
        <h2 class="govuk-heading-m">"Minutes of decisions"</h2>
        {if m.minutes.is_empty() {
            view! { <p class="govuk-body">"No decisions have been recorded at this meeting yet."</p> }.into_any()
        } else {
            view! {
                <DataTable caption="Decisions the Board made at this meeting" caption_class="govuk-visually-hidden" headings=vec!["Bid", "Decision", "Took no part"]>
                    {minutes}
                </DataTable>
                <p class="govuk-body seedbed-no-print">"To keep the minutes, print this page or save it as a PDF from your browser's print menu, or "
                    <a class="govuk-link" href=format!("/board/meetings/{}/decisions.csv", m.id) download="">"download the decisions as a spreadsheet (CSV)"</a>"."</p>
            }.into_any()
        }}
        {(!m.funds.is_empty()).then(|| view! {
            <h2 class="govuk-heading-m">"The pooled fund after these decisions"</h2>
            <p class="govuk-body">"As it stands now. An award the Board recommends is committed once every partner has signed it off."</p>
            {super::pack::fund_tables(&m.funds)}
        })}
    }
}
