//! The applicant's bid: start (eligibility first), the task list, each section, check
//! answers and send, the confirmation, reading and printing, withdrawing and reopening.
//!
//! The section and send forms post as plain HTML forms, with and without JavaScript: the
//! server saves, then redirects, so the page always shows what is saved now (and a stale
//! page is never re-posted unnoticed).
use crate::api::bids::*;
use crate::components::*;
use crate::domain::bid::BidStatus;
use crate::pages::apply::organisations::organisation_rows;
use crate::pages::fund::registers::id_param;
use crate::pages::FormPage;
use crate::web::FlashedForm;
use leptos::prelude::*;

pub use super::bid_section::{plan_results, BidSectionPage};

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
        view! {
            <p class="govuk-body">"You belong to more than one organisation. Choose which one you are bidding for, then come back to this round."</p>
            <a href="/organisations" class="govuk-link">"Choose your organisation"</a>
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

// ---- Check answers and send; read; confirmation ----

fn answers_view(b: &BidRecord, change: bool) -> impl IntoView {
    let base = format!("/bids/{}", b.bid.id);
    let sections = b
        .sections
        .iter()
        .map(|s| {
            let rows = s
                .rows
                .iter()
                .map(|(k, v)| {
                    let row = SummaryRow::new(k.clone(), v.clone());
                    if change {
                        row.change(format!("{base}/sections/{}?return=check", s.section_id), k.to_lowercase())
                    } else {
                        row
                    }
                })
                .collect();
            let status = (!s.completed).then(|| view! { <strong class="govuk-tag govuk-tag--light-blue">"Not completed"</strong> });
            view! {
                <h2 class="govuk-heading-m" id=format!("section-{}", s.section_id)>{s.title.clone()}</h2>
                {status}
                <SummaryList rows=rows/>
            }
        })
        .collect_view();
    let plan = b.plan.clone().map(|p| {
        plan_results(
            &p,
            b.funded_years,
            &b.flags,
            &b.summary,
            "Sustainability plan: table and chart",
        )
    });
    view! {
        <h2 class="govuk-heading-m">"About your organisation"</h2>
        <SummaryList rows=organisation_rows(&b.organisation)/>
        {sections}
        {plan}
    }
}

#[component]
pub fn CheckAnswersPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, full_bid);
    view! { <FormPage form="submit_bid" data=data render=check_view/> }
}

fn check_view(stored: FlashedForm, b: BidRecord) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/bids/{}", b.bid.id);
    let choices = DECLARATIONS
        .iter()
        .map(|(k, text)| Choice::new(format!("declare[{k}]"), *text))
        .collect();
    let checked = DECLARATIONS
        .iter()
        .map(|(k, _)| format!("declare[{k}]"))
        .filter(|n| !stored.value(n).is_empty())
        .collect();
    let send = match locked_reason(&b.bid) {
        Some(reason) => view! { <div class="govuk-inset-text">{reason}</div> }.into_any(),
        None => view! {
            <h2 class="govuk-heading-m">"Now send your bid"</h2>
            <p class="govuk-body">{format!("By sending this bid on behalf of {}, you are confirming that:", b.bid.organisation_name)}</p>
            <form method="post" action="/api/bids/submit" novalidate>
                <input type="hidden" name="bid_id" value=b.bid.id.to_string()/>
                <Checkboxes name="declare[true]" legend="Declarations" hint="Select all three to send your bid" choices=choices checked=checked
                    error=Signal::derive(move || {
                        let all = errors.0.get();
                        let mine: Vec<String> = all.into_iter().filter(|e| e.field.starts_with("declare[")).map(|e| e.message).collect();
                        (!mine.is_empty()).then(|| mine.join(". "))
                    })/>
                <Button text="Accept and send"/>
            </form>
        }
        .into_any(),
    };
    view! {
        <PageTitle text="Check your answers before sending your bid" errors=errors/>
        <BackLink href=back text="Back to your bid"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{caption(&b.bid)}</span>
                <h1 class="govuk-heading-l">"Check your answers before sending your bid"</h1>
                {answers_view(&b, b.bid.editable)}
                {send}
            </div>
        </div>
    }
}

#[component]
pub fn BidConfirmationPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, full_bid);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(b) => view! {
                        <PageTitle text="Bid sent"/>
                        <div class="govuk-grid-row">
                            <div class="govuk-grid-column-two-thirds">
                                <div class="govuk-panel govuk-panel--confirmation">
                                    <h1 class="govuk-panel__title">"Bid sent"</h1>
                                    <div class="govuk-panel__body">"Your reference number"<br/><strong>{b.bid.reference.clone().unwrap_or_default()}</strong></div>
                                </div>
                                <p class="govuk-body">{format!("We have sent a confirmation email to every member of {}.", b.bid.organisation_name)}</p>
                                <h2 class="govuk-heading-m">"What happens next"</h2>
                                <p class="govuk-body">{format!("The round closes at {}. Until then, you can withdraw your bid, change it and send it again.", b.bid.closes)}</p>
                                <p class="govuk-body">"After the round closes, board members and lay evaluators score every eligible bid against the published criteria. We will email you with the decision."</p>
                                <ul class="govuk-list">
                                    <li><a class="govuk-link" href=format!("/bids/{}/view", b.bid.id)>"Read or print your bid"</a></li>
                                    <li><a class="govuk-link" href="/bids">"Go to your bids"</a></li>
                                </ul>
                            </div>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The whole bid, to read in full or print; withdraw or reopen it before the round closes.
#[component]
pub fn BidViewPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, full_bid);
    let withdraw = ServerAction::<WithdrawBid>::new();
    let errors = FormErrors::from_stored(&FlashedForm::default());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(b) => {
                        let id = b.bid.id;
                        let mut facts = vec![
                            SummaryRow::new("Organisation", b.bid.organisation_name.clone()),
                            SummaryRow::new("Funding round", b.bid.round_title.clone()),
                            SummaryRow::new("Status", b.bid.status.label()),
                        ];
                        if let Some(r) = &b.bid.reference {
                            facts.push(SummaryRow::new("Reference", r.clone()));
                        }
                        if let Some(s) = &b.bid.submitted {
                            facts.push(SummaryRow::new("Sent", s.clone()));
                        }
                        if let Some(p) = b.bid.requested {
                            facts.push(SummaryRow::new("Amount requested", p.display()));
                        }
                        let actions = view! {
                            {b.can_withdraw.then(|| view! {
                                <p class="govuk-body">{format!("You can withdraw this bid until the round closes at {}. You can then change it and send it again.", b.bid.closes)}</p>
                                <SmallForm action=withdraw fields=vec![("bid_id", id.to_string()), ("reopen", "false".into())] text="Withdraw this bid" class="govuk-button govuk-button--warning"/>
                            })}
                            {b.can_reopen.then(|| view! {
                                <p class="govuk-body">"This bid is withdrawn. Reopen it as a draft to change it and send it again before the round closes."</p>
                                <SmallForm action=withdraw fields=vec![("bid_id", id.to_string()), ("reopen", "true".into())] text="Reopen this bid as a draft" class="govuk-button govuk-button--secondary"/>
                            })}
                        };
                        view! {
                            <PageTitle text=format!("Bid: {}", b.bid.round_title) errors=errors/>
                            <BackLink href=format!("/bids/{id}") text="Back to your bid"/>
                            <div class="govuk-grid-row">
                                <div class="govuk-grid-column-two-thirds">
                                    <ErrorSummary errors=errors/>
                                    <span class="govuk-caption-l">{b.bid.organisation_name.clone()}</span>
                                    <h1 class="govuk-heading-l">{format!("Bid: {}", b.bid.round_title)}</h1>
                                    <SummaryList rows=facts/>
                                    <div class="seedbed-no-print">
                                        <p class="govuk-body">
                                            <span>"To keep a copy, print this page or save it as a PDF from your browser's print menu, or "</span>
                                            <a class="govuk-link" href=format!("/bids/{id}/download") download="">"download the bid as a printable page"</a>
                                            <span>"."</span>
                                        </p>
                                        {actions}
                                    </div>
                                    {answers_view(&b, false)}
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

// ---- The organisation's bids ----

#[component]
pub fn BidsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_bids());
    let schemes = Resource::new(|| (), |_| crate::api::schemes::my_schemes());
    view! {
        <PageTitle text="Your bids"/>
        <h1 class="govuk-heading-l">"Your bids"</h1>
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
                        <p class="govuk-body"><a class="govuk-link" href="/">"Find an open funding round"</a></p>
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
                                    <td class="govuk-table__cell">{bid_status_tag(b.status)}</td>
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
    }
}

/// The whole bid as one self-contained HTML file, to download, keep and print: the same
/// answers, table and chart as the bid's page, with a small print stylesheet of its own.
#[cfg(feature = "ssr")]
pub fn printable_html(b: &BidRecord) -> String {
    const STYLE: &str = "body{font-family:Arial,sans-serif;color:#0b0c0c;max-width:960px;margin:20px auto;padding:0 15px;line-height:1.4}\
        h1{font-size:28px}h2{font-size:22px;margin-top:30px;border-top:1px solid #b1b4b6;padding-top:10px}\
        dl{display:table;width:100%;margin:0 0 20px}.govuk-summary-list__row{display:table-row}\
        dt,dd{display:table-cell;padding:6px 10px 6px 0;border-bottom:1px solid #b1b4b6;vertical-align:top}dt{font-weight:bold;width:35%}\
        .govuk-summary-list__actions{display:none}table{border-collapse:collapse;margin-bottom:20px}\
        th,td{border-bottom:1px solid #b1b4b6;padding:6px 10px 6px 0;text-align:left}.govuk-table__cell--numeric{text-align:right}\
        .govuk-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\
        svg{max-width:640px;width:100%;height:auto}.govuk-tag{font-weight:bold}";
    let title = format!(
        "{} – {} – {}",
        b.bid
            .reference
            .clone()
            .unwrap_or_else(|| "Draft bid".into()),
        b.bid.organisation_name,
        b.bid.round_title
    );
    let facts = vec![
        SummaryRow::new("Organisation", b.bid.organisation_name.clone()),
        SummaryRow::new("Funding round", b.bid.round_title.clone()),
        SummaryRow::new("Status", b.bid.status.label()),
        SummaryRow::new(
            "Reference",
            b.bid
                .reference
                .clone()
                .unwrap_or_else(|| "Not sent yet".into()),
        ),
        SummaryRow::new(
            "Sent",
            b.bid
                .submitted
                .clone()
                .unwrap_or_else(|| "Not sent yet".into()),
        ),
        SummaryRow::new(
            "Amount requested",
            b.bid.requested.map(|p| p.display()).unwrap_or_default(),
        ),
    ];
    let record = b.clone();
    let owner = Owner::new();
    let (head, body) = owner.with(|| {
        let head = view! { <title>{title.clone()}</title> }.to_html();
        let body = view! {
            <main>
                <h1>{format!("Bid: {}", record.bid.round_title)}</h1>
                <SummaryList rows=facts/>
                {answers_view(&record, false)}
            </main>
        }
        .to_html();
        (head, body)
    });
    format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">{head}<style>{STYLE}</style></head><body>{body}</body></html>"
    )
}
