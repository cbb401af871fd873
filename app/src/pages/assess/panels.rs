//! Commissioners: a round's panels and assignments, assigning one bid, and the register of
//! interests.
use crate::api::assess::{
    register_of_interests, round_panel, AssessableBid, AssignBids, Candidate, PanelData,
};
use crate::components::{
    error_view, BackLink, Button, Checkboxes, Choice, DataTable, ErrorSummary, FormErrors,
    PageTitle, Radios, Select, SmallForm, Textarea,
};
use crate::domain::assessment::{AssignmentStatus, ConflictNature};
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

/// A round's panels and assignments, for commissioners.
#[component]
pub fn PanelPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, round_panel);
    view! { <FormPage form="set_panels" data=data render=panel_view/> }
}

fn panel_view(stored: FlashedForm, p: PanelData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let assign = ServerAction::<AssignBids>::new();
    let all_errors = errors;
    let base = format!("/fund/rounds/{}", p.round_id);
    let people = p
        .candidates
        .iter()
        .map(|c| {
            let name = format!("member[{}]", c.user_id);
            let mut choices = vec![Choice::new("", "Not on a panel")];
            for panel in &c.can_sit {
                choices.push(Choice::new(panel.code(), panel.label()));
            }
            let current = c.panel.map(|x| x.code().to_string()).unwrap_or_default();
            view! {
                <Select name=name.clone() label=if c.represents.is_empty() { format!("{} ({})", c.name, c.email) } else { format!("{} ({}), represents {}", c.name, c.email, c.represents) } hint=c.held_back.clone() choices=choices
                    value=pick(&stored, &name, &current) error=errors.for_name(name.clone())/>
            }
        })
        .collect_view();
    let names = p.candidates.clone();
    let can_assign = p.can_assign;
    let bids = p
        .bids
        .iter()
        .map(|b| {
            let who = b
                .assessors
                .iter()
                .map(|(u, status)| {
                    let name = names.iter().find(|c| c.user_id == *u).map(|c| c.name.clone()).unwrap_or_default();
                    format!("{name}: {}", status.label().to_lowercase())
                })
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{b.reference.clone().unwrap_or_default()}</td>
                    <td class="govuk-table__cell">{b.organisation.clone()}</td>
                    <td class="govuk-table__cell">{if who.is_empty() { "Not assigned".to_string() } else { who }}</td>
                    <td class="govuk-table__cell">{can_assign.then(|| view! {
                        <a class="govuk-link" href=format!("{base}/assessment/bids/{}", b.bid_id)>"Choose assessors"<span class="govuk-visually-hidden">{format!(" for {}", b.organisation)}</span></a>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let bid_count = p.bids.len();
    view! {
        <PageTitle text="Panels and assignments" errors=all_errors/>
        <BackLink href=base.clone() text="Back to the round"/>
        <ErrorSummary errors=all_errors/>
        <span class="govuk-caption-l">{p.title.clone()}</span>
        <h1 class="govuk-heading-l">"Panels and assignments"</h1>
        <ul class="govuk-list">
            <li><a class="govuk-link" href=format!("{base}/interests")>"Register of interests"</a></li>
            <li><a class="govuk-link" href=format!("{base}/moderation")>"Moderation and decisions"</a></li>
        </ul>
        <h2 class="govuk-heading-m">"Panels"</h2>
        <p class="govuk-body">"Board members score every criterion except those drawn only from the lay panel's sections, which lay evaluators score alone. Only people who hold the board member or lay evaluator role are listed, and a lay evaluator once their training is recorded."</p>
        <p class="govuk-body"><a class="govuk-link" href="/fund/lay-evaluators">"Record a lay evaluator's training"</a></p>
        <form method="post" action="/api/assessment/set_panels" novalidate>
            <input type="hidden" name="round_id" value=p.round_id.to_string()/>
            {people}
            <Button text="Save panels"/>
        </form>
        <h2 class="govuk-heading-m">"Bids and their assessors"</h2>
        {if p.can_assign {
            view! {
                <p class="govuk-body">{format!("{bid_count} bids were sent to this round. Assigning emails each assessor who has new bids.")}</p>
                <SmallForm action=assign fields=vec![("round_id", p.round_id.to_string())] text="Assign every bid to every panel member" class="govuk-button"/>
            }.into_any()
        } else {
            view! { <div class="govuk-inset-text">"You can assign bids once the round has closed."</div> }.into_any()
        }}
        <DataTable caption="Bids sent to this round" caption_class="govuk-table__caption--s" headings=vec!["Reference", "Organisation", "Assessors", ""]>
            {bids}
        </DataTable>
    }
}

/// The round's register of interests (every declaration, with a CSV download).
#[component]
pub fn InterestsPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, register_of_interests);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok((title, items)) => {
                        let round_id = id();
                        let rows = items.iter().map(|i| view! {
                            <tr class="govuk-table__row">
                                <td class="govuk-table__cell">{i.declared.clone()}</td>
                                <td class="govuk-table__cell">{i.assessor.clone()}</td>
                                <td class="govuk-table__cell">{format!("{} {}", i.organisation, i.reference)}</td>
                                <td class="govuk-table__cell">{i.declaration.clone()}{i.superseded.then(|| view! { <span>" (superseded)"</span> })}</td>
                                <td class="govuk-table__cell">{i.nature.map(|n| n.label()).unwrap_or("")}</td>
                                <td class="govuk-table__cell">{i.description.clone()}</td>
                                <td class="govuk-table__cell">{i.reason.clone()}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <PageTitle text="Register of interests"/>
                            <BackLink href=format!("/fund/rounds/{round_id}/assessment") text="Back to panels and assignments"/>
                            <span class="govuk-caption-l">{title}</span>
                            <h1 class="govuk-heading-l">"Register of interests"</h1>
                            <p class="govuk-body"><a class="govuk-link" href=format!("/fund/rounds/{round_id}/interests.csv") download="">"Download the register (CSV)"</a></p>
                            <DataTable caption="Declarations, newest first" caption_class="govuk-table__caption--s"
                                headings=vec!["Declared", "Assessor", "Bid", "Declaration", "Connection", "Description", "Reason for change"]>
                                {rows}
                            </DataTable>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A declaration is never edited: a new one supersedes it, with a reason (for example,
/// reading the bid showed a connection the name alone did not).
pub(super) fn supersede_form(
    stored: &FlashedForm,
    errors: FormErrors,
    bid_id: i64,
) -> impl IntoView {
    let open =
        !stored.value("reason").is_empty() || errors.for_field("reason").get_untracked().is_some();
    let natures: Vec<Choice> = ConflictNature::ALL
        .iter()
        .map(|n| Choice::new(n.code(), n.label()))
        .collect();
    let choices = vec![
        Choice::new("conflict", "I have a conflict of interest")
            .with_hint("The bid will be taken off your list"),
        Choice::new("none", "I have no conflict of interest"),
    ];
    view! {
        <details class="govuk-details" open=open>
            <summary class="govuk-details__summary"><span class="govuk-details__summary-text">"Change your declaration of interests"</span></summary>
            <div class="govuk-details__text">
                <p class="govuk-body">"Your first declaration stays in the register of interests. A new one replaces it from now on."</p>
                <form method="post" action="/api/assessment/declare" novalidate>
                    <input type="hidden" name="bid_id" value=bid_id.to_string()/>
                    <Radios name="conflict" legend="Your declaration now" choices=choices value=stored.value("conflict") error=errors.for_field("conflict")/>
                    <Radios name="nature" legend="If you have a conflict, how are you connected?" choices=natures value=stored.value("nature") error=errors.for_field("nature")/>
                    <Textarea name="description" label="If you have a conflict, describe it" rows=2 value=stored.value("description") error=errors.for_field("description")/>
                    <Textarea name="reason" label="Why are you changing your declaration?" rows=2 value=stored.value("reason") error=errors.for_field("reason")/>
                    <Button text="Record new declaration" secondary=true/>
                </form>
            </div>
        </details>
    }
}

/// Choose which panel members assess one bid.
#[component]
pub fn AssignBidPage() -> impl IntoView {
    let id = id_param("id");
    let bid = id_param("bid");
    let data = Resource::new(id, round_panel);
    view! {
        <FormPage form="assign_bids" data=data render=move |stored, p: PanelData| {
            let bid_id = bid();
            match p.bids.iter().find(|b| b.bid_id == bid_id).cloned() {
                None => error_view(crate::error::AppError::NotFound),
                Some(b) => assign_bid_view(stored, p, b).into_any(),
            }
        }/>
    }
}

fn assign_bid_view(stored: FlashedForm, p: PanelData, b: AssessableBid) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/fund/rounds/{}/assessment", p.round_id);
    let panel: Vec<&Candidate> = p.candidates.iter().filter(|c| c.panel.is_some()).collect();
    let choices = panel
        .iter()
        .map(|c| {
            let status = b
                .assessors
                .iter()
                .find(|a| a.0 == c.user_id)
                .map(|a| a.1.label().to_lowercase())
                .unwrap_or_else(|| "not assigned".into());
            Choice::new(
                format!("assessor[{}]", c.user_id),
                format!("{} ({})", c.name, c.panel.map(|x| x.label()).unwrap_or("")),
            )
            .with_hint(format!("Now: {status}"))
        })
        .collect();
    let checked = b
        .assessors
        .iter()
        .map(|a| format!("assessor[{}]", a.0))
        .collect();
    let scored: Vec<(i64, String)> = b
        .assessors
        .iter()
        .filter(|a| a.1 == AssignmentStatus::Scored)
        .filter_map(|a| {
            panel
                .iter()
                .find(|c| c.user_id == a.0)
                .map(|c| (c.user_id, c.name.clone()))
        })
        .collect();
    let reopen_forms = (!scored.is_empty()).then(|| {
        let forms = scored
            .into_iter()
            .map(|(user_id, name)| {
                let field = format!("reason[{user_id}]");
                view! {
                    <form method="post" action="/api/assessment/reopen" novalidate>
                        <input type="hidden" name="round_id" value=p.round_id.to_string()/>
                        <input type="hidden" name="bid_id" value=b.bid_id.to_string()/>
                        <input type="hidden" name="user_id" value=user_id.to_string()/>
                        <Textarea name=field.clone() label=format!("Why reopen {name}'s scores?") rows=2
                            value=stored.value(&field) error=errors.for_name(field.clone())/>
                        <Button text=format!("Reopen {name}'s scores") secondary=true/>
                    </form>
                }
            })
            .collect_view();
        view! {
            <h2 class="govuk-heading-m">"Reopen submitted scores"</h2>
            <p class="govuk-body">"Submitted scores are locked. Reopen them, with a reason, if an assessor needs to change them. The reason is kept in the audit trail."</p>
            {forms}
        }
    });
    let first = panel
        .first()
        .map(|c| format!("assessor[{}]", c.user_id))
        .unwrap_or_else(|| "assessor".into());
    view! {
        <PageTitle text="Choose assessors" errors=errors/>
        <BackLink href=back text="Back to panels and assignments"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{format!("{} {}", b.reference.clone().unwrap_or_default(), b.organisation)}</span>
        <h1 class="govuk-heading-l">"Choose assessors"</h1>
        {if panel.is_empty() {
            view! { <p class="govuk-body">"Appoint the panels first."</p> }.into_any()
        } else {
            view! {
                <form method="post" action="/api/assessment/assign" novalidate>
                    <input type="hidden" name="round_id" value=p.round_id.to_string()/>
                    <input type="hidden" name="bid_id" value=b.bid_id.to_string()/>
                    <Checkboxes name=first legend="Who should assess this bid?" hint="Unticking someone takes the bid off their list, unless they have submitted scores"
                        choices=choices checked=checked error=errors.for_field("assessor")/>
                    <Button text="Save assessors"/>
                </form>
                {reopen_forms}
            }.into_any()
        }}
    }
}
