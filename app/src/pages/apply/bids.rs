//! The applicant's bid: start (eligibility first), the task list, each section, check
//! answers and send, the confirmation, reading and printing, withdrawing and reopening.
//!
//! The section and send forms post as plain HTML forms, with and without JavaScript: the
//! server saves, then redirects, so the page always shows what is saved now (and a stale
//! page is never re-posted unnoticed).
use crate::api::apply::bids::{
    bid_tasks, my_bids, start_info, upload_info, BidHeader, StartData, TaskListData, UploadData,
};
use crate::components::{
    error_view, BackLink, Button, Choice, DataTable, ErrorSummary, FormErrors, PageTitle, Radios,
    Tag, TagColour, Task, TaskList, TaskStatus,
};
use crate::domain::bid::BidStatus;
use crate::pages::FormPage;
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

pub use super::bid_section::BidSectionPage;

pub fn bid_status_tag(status: BidStatus) -> impl IntoView {
    let colour = match status {
        BidStatus::Draft => TagColour::Grey,
        BidStatus::Submitted => TagColour::Blue,
        BidStatus::Withdrawn => TagColour::LightBlue,
        BidStatus::UnderAssessment => TagColour::Yellow,
        BidStatus::Awarded => TagColour::Green,
        BidStatus::Declined => TagColour::Red,
    };
    view! { <Tag text=status.label() colour=colour/> }
}

pub(super) fn caption(bid: &BidHeader) -> String {
    format!("{} – {}", bid.round_title, bid.organisation_name)
}

/// Why a bid cannot be changed now, if it cannot.
pub(super) fn locked_reason(bid: &BidHeader) -> Option<String> {
    if bid.editable {
        None
    } else if !bid.is_member {
        Some("You are reading this bid as a commissioner. Only the organisation's members can change it.".into())
    } else if !bid.round_open {
        Some(format!(
            "This round closed at {}. The bid can no longer be changed.",
            bid.closes
        ))
    } else {
        Some(format!(
            "This bid is {}. To change it, withdraw it first from the bid's page.",
            bid.status.label().to_lowercase()
        ))
    }
}

// ---- Start ----

/// "Start a bid" on a round's page: who you bid for, the eligibility question, then the bid.
#[component]
pub fn StartBidPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, start_info);
    view! { <FormPage form="start_bid" data=data render=start_view/> }
}

fn start_view(stored: FlashedForm, info: StartData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/rounds/{}", info.round_id);
    let body = if let Some(bid) = info.existing_bid {
        view! {
            <p class="govuk-body">"Your organisation has already started a bid for this round. Only one bid per organisation is allowed."</p>
            <a href=format!("/bids/{bid}") class="govuk-button" role="button" draggable="false">"Continue your bid"</a>
        }
        .into_any()
    } else if !info.round_open {
        view! { <div class="govuk-inset-text">{format!("This round is not open for bids. It closes at {}.", info.closes)}</div> }.into_any()
    } else if info.organisations == 0 {
        view! {
            <p class="govuk-body">"You bid on behalf of an organisation. Register your organisation first, or ask its owner to invite you."</p>
            <a href="/organisations/new" class="govuk-button" role="button" draggable="false">"Register an organisation"</a>
        }
        .into_any()
    } else if info.acting_for.is_none() {
        let choices = info
            .choices
            .iter()
            .map(|(id, name)| Choice::new(id.to_string(), name.clone()))
            .collect();
        view! {
            <form method="post" action="/api/bids/choose_organisation" novalidate>
                <input type="hidden" name="round_id" value=info.round_id.to_string()/>
                <Radios name="organisation_id" legend="Which organisation are you bidding for?"
                    hint="You belong to more than one organisation. Each can send one bid to this round"
                    choices=choices value=stored.value("organisation_id") error=errors.for_field("organisation_id")/>
                <Button text="Continue"/>
            </form>
        }
        .into_any()
    } else if !info.reasons.is_empty() {
        let (_, name) = info.acting_for.clone().unwrap_or_default();
        view! {
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>{format!("{name} cannot bid in this round")}</strong>
            </div>
            <ul class="govuk-list govuk-list--bullet">{info.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
            <p class="govuk-body">"If your organisation's details are wrong, correct them and try again. "<a class="govuk-link" href=back.clone()>"Back to the round"</a></p>
        }
        .into_any()
    } else {
        let (_, name) = info.acting_for.clone().unwrap_or_default();
        let choices = vec![Choice::new("yes", "Yes"), Choice::new("no", "No")];
        view! {
            <p class="govuk-body">{format!("You are bidding for {name}. Your organisation's legal form and income meet this round's rules.")}</p>
            <form method="post" action="/api/bids/start" novalidate>
                <input type="hidden" name="round_id" value=info.round_id.to_string()/>
                <Radios name="covers_area" legend=format!("Will your service cover {}?", info.area_served)
                    hint="Bids must serve people who live in the area the pooled fund covers"
                    choices=choices inline=true value=stored.value("covers_area") error=errors.for_field("covers_area")/>
                <Button text="Continue"/>
            </form>
        }
        .into_any()
    };
    view! {
        <PageTitle text="Start a bid" errors=errors/>
        <BackLink href=back.clone() text="Back to the round"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{info.round_title.clone()}</span>
                <h1 class="govuk-heading-l">"Start a bid"</h1>
                {body}
            </div>
        </div>
    }
}

// ---- Task list ----

#[component]
pub fn BidTaskListPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, bid_tasks);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(t) => task_list_view(t).into_any(),
                }
            })}
        </Transition>
    }
}

fn task_list_view(t: TaskListData) -> impl IntoView {
    let bid = t.bid.clone();
    let total = t.tasks.len();
    let base = format!("/bids/{}", bid.id);
    let mut tasks: Vec<Task> = t
        .tasks
        .iter()
        .map(|task| Task {
            id: format!("task-{}", task.section_id),
            name: task.title.clone(),
            href: Some(format!("{base}/sections/{}", task.section_id)),
            hint: task.hint.clone(),
            status: task.status,
        })
        .collect();
    tasks.push(Task {
        id: "task-check".into(),
        name: "Check your answers and send your bid".into(),
        href: Some(format!("{base}/check")),
        hint: (!t.can_check).then(|| "Complete every section first".to_string()),
        status: if bid.status != BidStatus::Draft {
            TaskStatus::Completed
        } else if t.can_check {
            TaskStatus::NotYetStarted
        } else {
            TaskStatus::CannotStartYet
        },
    });
    let heading = if t.can_check {
        "Bid ready to send"
    } else {
        "Bid incomplete"
    };
    view! {
        <PageTitle text=format!("Your bid: {}", bid.round_title)/>
        <BackLink href="/bids" text="Back to your bids"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <span class="govuk-caption-l">{bid.organisation_name.clone()}</span>
                <h1 class="govuk-heading-l">{format!("Your bid: {}", bid.round_title)}</h1>
                {bid_status_tag(bid.status)}
                {t.interview.clone().map(|i| interview_banner(bid.id, &i))}
                {locked_reason(&bid).map(|r| view! { <div class="govuk-inset-text">{r}</div> })}
                {(bid.status != BidStatus::Draft).then(|| view! {
                    <p class="govuk-body"><a class="govuk-link" href=format!("{base}/view")>"Read your bid in full"</a></p>
                })}
                <h2 class="govuk-heading-s govuk-!-margin-bottom-2 govuk-!-margin-top-4">{heading}</h2>
                <p class="govuk-body">{format!("You have completed {} of {} sections.", t.completed, total)}</p>
                <p class="govuk-body">{format!("You must send your bid by {} ({}).", bid.closes, bid.closes_in.to_lowercase())}</p>
                <TaskList tasks=tasks/>
                <p class="govuk-body">"Colleagues in your organisation can work on this bid too. Each section shows who saved it last."</p>
            </div>
        </div>
    }
}

/// Shortlisted: when and where, the reply so far, and the way to reply.
fn interview_banner(
    bid_id: i64,
    i: &crate::api::decide::interviews::InterviewView,
) -> impl IntoView {
    let what = if i.format_code == "presentation" {
        "Your bid is shortlisted: you are invited to present it"
    } else {
        "Your bid is shortlisted: you are invited to an interview"
    };
    let link = if i.held {
        "Read the invitation"
    } else if i.reply.starts_with("No reply") {
        "Reply to the invitation"
    } else {
        "Read the invitation or change your reply"
    };
    view! {
        <div class="govuk-notification-banner govuk-!-margin-top-4" role="region" aria-labelledby="interview-banner-title">
            <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="interview-banner-title">"Interview"</h2>
            </div>
            <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">{what}</p>
                <p class="govuk-body">{format!("{}, {}. Your reply: {}.", i.when, i.place, i.reply)}</p>
                <p class="govuk-body"><a class="govuk-notification-banner__link" href=format!("/bids/{bid_id}/interview")>{link}</a></p>
            </div>
        </div>
    }
}

// ---- Upload a file for a question ----

#[component]
pub fn BidUploadPage() -> impl IntoView {
    let id = id_param("id");
    let sid = id_param("sid");
    let qid = id_param("qid");
    let data = Resource::new(
        move || (id(), sid(), qid()),
        |(id, sid, qid)| upload_info(id, sid, qid),
    );
    view! { <FormPage form="bid_upload" data=data render=upload_view/> }
}

fn upload_view(stored: FlashedForm, u: UploadData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/bids/{}/sections/{}", u.bid.id, u.section_id);
    let error = errors.for_field("file");
    let group = move || {
        if error.get().is_some() {
            "govuk-form-group govuk-form-group--error"
        } else {
            "govuk-form-group"
        }
    };
    let hint = format!(
        "{}A PDF, Word document, spreadsheet, CSV, text file, PNG or JPG, smaller than 10MB. All the files in a bid must add up to less than 50MB (this bid has {} so far).",
        if u.hint.is_empty() { String::new() } else { format!("{} ", u.hint) },
        u.used
    );
    view! {
        <PageTitle text="Upload a file" errors=errors/>
        <BackLink href=back.clone() text="Back to the section"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{u.section_title.clone()}</span>
                <h1 class="govuk-heading-l">"Upload a file"</h1>
                {u.current.clone().map(|f| view! { <p class="govuk-body">{format!("Uploaded now: {} ({}). A new file replaces it.", f.name, f.size)}</p> })}
                {match locked_reason(&u.bid) {
                    Some(reason) => view! { <div class="govuk-inset-text">{reason}</div> }.into_any(),
                    None => view! {
                        <form method="post" enctype="multipart/form-data" action=format!("/bids/{}/questions/{}/file", u.bid.id, u.question_id) novalidate>
                            <div class=group>
                                <label class="govuk-label govuk-label--m" for="file">{u.label.clone()}</label>
                                <div id="file-hint" class="govuk-hint">{hint}</div>
                                {move || error.get().map(|m| view! { <p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                                <input class="govuk-file-upload" id="file" name="file" type="file"
                                    aria-describedby=move || if error.get().is_some() { "file-hint file-error" } else { "file-hint" }/>
                            </div>
                            <Button text="Upload file"/>
                        </form>
                    }.into_any(),
                }}
                <p class="govuk-body"><a class="govuk-link" href=back>"Go back to the section without uploading"</a></p>
            </div>
        </div>
    }
}

// ---- The organisation's bids ----

#[component]
pub fn BidsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_bids());
    let schemes = Resource::new(|| (), |_| crate::api::monitor::schemes::my_schemes());
    let organisations = Resource::new(
        || (),
        |_| crate::api::apply::organisations::my_organisations(),
    );
    view! {
        <PageTitle text="Your bids"/>
        <h1 class="govuk-heading-l">"Your bids"</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let orgs = organisations.await.unwrap_or_default();
                next_steps(&orgs)
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let list = schemes.await.unwrap_or_default();
                (!list.is_empty()).then(|| {
                    let rows = list.into_iter().map(|s| view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell"><a class="govuk-link" href=format!("/schemes/{}", s.id)>"Open"<span class="govuk-visually-hidden">{format!(" the funded scheme for {}", s.round_title)}</span></a></td>
                            <td class="govuk-table__cell">{s.round_title.clone()}</td>
                            <td class="govuk-table__cell">{s.organisation_name.clone()}</td>
                            <td class="govuk-table__cell govuk-table__cell--numeric">{s.amount.display()}</td>
                            <td class="govuk-table__cell">{s.status.label()}</td>
                        </tr>
                    }).collect_view();
                    view! {
                        <DataTable caption="Funded schemes" headings=vec!["", "Funding round", "Organisation", "Award", "Status"] numeric=vec![3]>
                            {rows}
                        </DataTable>
                    }
                })
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(list) if list.is_empty() => view! {
                        <p class="govuk-body">"Your organisations have not started any bids yet."</p>
                    }.into_any(),
                    Ok(list) => {
                        let rows = list.into_iter().map(|b| {
                            let (href, text) = if b.status == BidStatus::Draft {
                                (format!("/bids/{}", b.id), "Continue")
                            } else {
                                (format!("/bids/{}/view", b.id), "Read")
                            };
                            view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell"><a class="govuk-link" href=href>{text}<span class="govuk-visually-hidden">{format!(" the bid for {}", b.round_title)}</span></a></td>
                                    <td class="govuk-table__cell">{b.round_title.clone()}</td>
                                    <td class="govuk-table__cell">{b.organisation_name.clone()}</td>
                                    <td class="govuk-table__cell">{b.reference.clone().unwrap_or_else(|| "Not sent yet".into())}</td>
                                    <td class="govuk-table__cell">{bid_status_tag(b.status)}
                                        {b.interview.clone().map(|i| view! {
                                            <br/><span class="govuk-body-s">{i}" "</span>
                                            <a class="govuk-link" href=format!("/bids/{}/interview", b.id)>"Read the invitation and reply"<span class="govuk-visually-hidden">{format!(" for {}", b.round_title)}</span></a>
                                        })}
                                    </td>
                                    <td class="govuk-table__cell">{b.updated.clone()}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <DataTable caption="Bids by your organisations" headings=vec!["", "Funding round", "Organisation", "Reference", "Status", "Last changed"]>
                                {rows}
                            </DataTable>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <crate::pages::public::rounds::RoundList/>
    }
}

/// What an applicant does next: register (or join) an organisation first; then choose an
/// open round below and start a bid.
fn next_steps(orgs: &[crate::api::apply::organisations::MyOrganisation]) -> impl IntoView {
    if orgs.is_empty() {
        view! {
            <h2 class="govuk-heading-m">"What to do next"</h2>
            <ol class="govuk-list govuk-list--number">
                <li>"Register your organisation: its legal form, registration numbers and the area it serves. If it is already on Seedbed, ask its owner to invite you instead."</li>
                <li>"Choose an open funding round below, check it fits your service, and start a bid. You can save it and come back."</li>
            </ol>
            <a href="/organisations/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Register your organisation"</a>
        }
        .into_any()
    } else {
        let names: Vec<String> = orgs.iter().map(|o| o.name.clone()).collect();
        view! {
            <p class="govuk-body">{format!(
                "You bid for {}. To start a bid, choose an open funding round below. ",
                crate::domain::text::join_names(&names)
            )}<a class="govuk-link" href="/organisations">"See the organisations you belong to"</a></p>
        }
        .into_any()
    }
}
