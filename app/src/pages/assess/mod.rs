//! Assessors: their list of bids, the conflict-of-interest declaration that comes before
//! a bid, and blind scoring. Commissioners: the panels and assignments of a round, and the
//! register of interests (`panels`).
mod board;
mod check;
mod panels;
mod training;
pub use board::BoardPage;
pub use check::CheckScoresPage;
pub use panels::*;
pub use training::LayEvaluatorsPage;

use crate::api::assess::{assess_bid, my_assessments, AssessData, ASSESS_FORM};
use crate::components::{
    error_view, BackLink, Button, Choice, DataTable, ErrorSummary, FormErrors, PageTitle, Radios,
    RevealWhenChosen, SummaryList, SummaryRow, Tag, TagColour, Textarea,
};
use crate::domain::assessment::{AssignmentStatus, ConflictNature};
use crate::domain::round::Panel;
use crate::pages::apply::bid_section::plan_results;
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

fn status_tag(status: AssignmentStatus) -> impl IntoView {
    let colour = match status {
        AssignmentStatus::DeclarationNeeded => TagColour::Blue,
        AssignmentStatus::ToScore => TagColour::LightBlue,
        AssignmentStatus::Scored => TagColour::Green,
        AssignmentStatus::ConflictDeclared => TagColour::Grey,
    };
    view! { <Tag text=status.label() colour=colour/> }
}

/// The assessor's home page: every bid assigned to them, and what to do next.
#[component]
pub fn AssessHomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_assessments());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(list) => {
                        let rows = list.iter().map(|a| {
                            let action = match a.status {
                                AssignmentStatus::DeclarationNeeded => Some("Declare interests"),
                                AssignmentStatus::ToScore => Some("Score"),
                                AssignmentStatus::Scored if a.interview_to_score => Some("Score the interview"),
                                AssignmentStatus::Scored => Some("View"),
                                AssignmentStatus::ConflictDeclared => None,
                            };
                            view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell">{action.map(|text| view! {
                                        <a class="govuk-link" href=format!("/assess/bids/{}", a.bid_id)>{text}<span class="govuk-visually-hidden">{format!(" {}", a.organisation)}</span></a>
                                    })}</td>
                                    <td class="govuk-table__cell">{a.organisation.clone()}</td>
                                    <td class="govuk-table__cell">{a.reference.clone().unwrap_or_default()}</td>
                                    <td class="govuk-table__cell">{a.round_title.clone()}</td>
                                    <td class="govuk-table__cell">{a.panel.label()}</td>
                                    <td class="govuk-table__cell">{status_tag(a.status)}
                                        {a.interview.clone().map(|i| view! { <br/><span class="govuk-body-s">{i}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view();
                        let empty = list.is_empty();
                        // A board member reads a round's moderation once they have finished
                        // every bid of it assigned to them.
                        let mut rounds: Vec<(i64, String)> = Vec::new();
                        for a in list.iter().filter(|a| a.panel == crate::domain::round::Panel::Board) {
                            if !rounds.iter().any(|(id, _)| *id == a.round_id) {
                                rounds.push((a.round_id, a.round_title.clone()));
                            }
                        }
                        rounds.retain(|(id, _)| {
                            let statuses: Vec<AssignmentStatus> = list.iter().filter(|a| a.round_id == *id).map(|a| a.status).collect();
                            crate::domain::board::reads_moderation(&statuses)
                                && !list.iter().any(|a| a.round_id == *id && a.interview_pending)
                        });
                        let readable = rounds.iter().map(|(id, title)| view! {
                            <li><a class="govuk-link" href=format!("/board/rounds/{id}/moderation")>{format!("Read the moderation of {title}")}</a></li>
                        }).collect_view();
                        let any_readable = !rounds.is_empty();
                        view! {
                            <PageTitle text="Your assessments"/>
                            <h1 class="govuk-heading-l">"Your assessments"</h1>
                            <p class="govuk-body">"For each bid, first declare whether you have a conflict of interest with the organisation. Then read the bid and score it against the criteria. You will see other assessors' scores only after you submit yours."</p>
                            {if empty {
                                view! { <p class="govuk-body">"You have no bids to assess at the moment."</p> }.into_any()
                            } else {
                                view! {
                                    <DataTable caption="Bids assigned to you" headings=vec!["", "Organisation", "Reference", "Funding round", "Your panel", "Status"]>
                                        {rows}
                                    </DataTable>
                                    {any_readable.then(|| view! {
                                        <h2 class="govuk-heading-m">"Everyone's scores"</h2>
                                        <p class="govuk-body">"You have finished scoring these rounds: you can now read every assessor's scores and the ranking."</p>
                                        <ul class="govuk-list">{readable}</ul>
                                    })}
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// One assigned bid: the declaration first; then the bid beside its criteria.
#[component]
pub fn AssessBidPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, assess_bid);
    // The declaration and the scores keep their typed values under one form name, so the
    // page needs one kept-form resource (never one created inside another's Suspend).
    view! {
        <FormPage form=ASSESS_FORM data=data render=move |stored, d: AssessData| {
            if d.bid.is_none() {
                declaration_view(stored, d).into_any()
            } else {
                scoring_view(stored, d).into_any()
            }
        }/>
    }
}

fn declaration_view(stored: FlashedForm, d: AssessData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let natures = ConflictNature::ALL
        .iter()
        .map(|n| Choice::new(n.code(), n.label()))
        .collect();
    let choices = vec![
        Choice::new("none", "No, I have no conflict of interest"),
        Choice::new("conflict", "Yes, I have a conflict of interest")
            .with_hint("You will not see or score this bid"),
    ];
    view! {
        <PageTitle text="Declare any conflict of interest" errors=errors/>
        <BackLink href="/assess" text="Back to your assessments"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{d.round_title.clone()}</span>
                <h1 class="govuk-heading-l">"Declare any conflict of interest"</h1>
                <p class="govuk-body">{format!("Before you see this bid, tell us whether you are connected with {}.", d.organisation)}</p>
                <p class="govuk-body">"You have a conflict of interest if, for example, you are a trustee, employee or volunteer of the organisation, a family member or close friend works there, or you have a business or financial relationship with it. Your declaration is recorded in the round's register of interests and cannot be edited."</p>
                <form method="post" action="/api/assessment/declare" novalidate>
                    <input type="hidden" name="bid_id" value=d.bid_id.to_string()/>
                    <Radios name="conflict" legend=format!("Do you have a conflict of interest with {}?", d.organisation)
                        choices=choices value=stored.value("conflict") error=errors.for_field("conflict")/>
                    <RevealWhenChosen id="conflict-details".to_string() name="conflict".to_string() value="conflict".to_string()>
                        <Radios name="nature" legend="If you have a conflict, how are you connected?" choices=natures
                            value=stored.value("nature") error=errors.for_field("nature")/>
                        <Textarea name="description" label="If you have a conflict, describe it" hint="For example, I have been a trustee since 2021"
                            value=stored.value("description") error=errors.for_field("description") rows=3/>
                    </RevealWhenChosen>
                    <Button text="Declare and continue"/>
                </form>
            </div>
        </div>
    }
}

/// One criterion to score (radios and reasons), or as submitted (locked).
fn score_fields(
    c: &crate::api::assess::CriterionToScore,
    stored: &FlashedForm,
    errors: FormErrors,
    locked: bool,
) -> AnyView {
    let key = c.criterion_id.to_string();
    let score_name = format!("score[{key}]");
    let why_name = format!("why[{key}]");
    let saved_score = c.score.map(|s| s.to_string()).unwrap_or_default();
    let choices = c
        .descriptors
        .iter()
        .enumerate()
        .map(|(i, text)| Choice::new(i.to_string(), format!("{i}: {text}")))
        .collect();
    let minimum = c
        .min_score
        .map(|m| format!(" A score below {m} means the bid cannot be funded."))
        .unwrap_or_default();
    if locked {
        view! {
            <h3 class="govuk-heading-s">{format!("{} (weight {}%)", c.name, c.weight)}</h3>
            <SummaryList rows=vec![
                SummaryRow::new("Your score", c.score.map(|s| format!("{s} out of 5")).unwrap_or_default()),
                SummaryRow::new("Your reasons", c.justification.clone()),
            ]/>
        }.into_any()
    } else {
        view! {
            <Radios name=score_name.clone() legend=format!("{} (weight {}%)", c.name, c.weight) hint=format!("{}{}", c.guidance, minimum)
                choices=choices value=pick(stored, &score_name, &saved_score) error=errors.for_name(score_name.clone())/>
            <Textarea name=why_name.clone() label=format!("Why did you give this score for {}?", c.name)
                value=pick(stored, &why_name, &c.justification) error=errors.for_name(why_name.clone()) rows=4/>
        }.into_any()
    }
}

/// The scoring form: the written bid's criteria, or the interview's (`interview`). Enter in
/// a field saves a draft (the first, hidden, button); checking comes before submitting.
fn score_form(bid_id: i64, interview: bool, fields: AnyView) -> impl IntoView {
    let (check, draft) = if interview {
        (
            "Check and submit interview scores",
            "Save interview scores as draft",
        )
    } else {
        ("Check and submit scores", "Save as draft")
    };
    view! {
        <form method="post" action="/api/assessment/score" novalidate>
            <input type="hidden" name="bid_id" value=bid_id.to_string()/>
            {interview.then(|| view! { <input type="hidden" name="stage" value="interview"/> })}
            <button type="submit" name="then" value="draft" hidden tabindex="-1" aria-hidden="true">{draft}</button>
            {fields}
            <div class="govuk-button-group">
                <button type="submit" name="then" value="submit" class="govuk-button" data-module="govuk-button">{check}</button>
                <button type="submit" name="then" value="draft" class="govuk-button govuk-button--secondary" data-module="govuk-button">{draft}</button>
            </div>
        </form>
    }
}

/// The interview's criteria: after it has taken place, scored and submitted apart from the
/// written bid's.
fn interview_scoring(
    stored: &FlashedForm,
    errors: FormErrors,
    bid_id: i64,
    i: crate::api::assess::InterviewScoring,
) -> impl IntoView {
    let names = i
        .criteria
        .iter()
        .map(|c| c.name.clone())
        .collect::<Vec<_>>();
    let when = vec![
        SummaryRow::new("What", i.invitation.format.clone()),
        SummaryRow::new("When", i.invitation.when.clone()),
        SummaryRow::new("Where", i.invitation.place.clone()),
    ];
    let body = if !i.invitation.held {
        view! {
            <div class="govuk-inset-text">{format!(
                "You score {} after the interview, from what the panel hears.",
                crate::domain::text::join_names(&names)
            )}</div>
        }
        .into_any()
    } else if i.submitted {
        let fields = i
            .criteria
            .iter()
            .map(|c| score_fields(c, stored, errors, true))
            .collect_view();
        view! {
            <div class="govuk-inset-text">"Your interview scores are submitted and locked. A commissioner can reopen them if they need to change."</div>
            {fields}
        }
        .into_any()
    } else {
        let fields = i
            .criteria
            .iter()
            .map(|c| score_fields(c, stored, errors, false))
            .collect_view();
        score_form(bid_id, true, fields.into_any()).into_any()
    };
    view! {
        <h2 class="govuk-heading-l" id="interview">"Interview scores"</h2>
        <SummaryList rows=when/>
        {body}
    }
}

fn scoring_view(stored: FlashedForm, d: AssessData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let Some(bid) = d.bid.clone() else {
        return ().into_any();
    };
    let locked = d.status == AssignmentStatus::Scored;
    let sections = bid
        .sections
        .iter()
        .map(|s| {
            let rows = s
                .rows
                .iter()
                .map(|r| SummaryRow::new(r.question.clone(), r.answer.clone()))
                .collect();
            let files = s
                .files
                .iter()
                .map(|f| view! { <li>{format!("{} ({})", f.name, f.size)}</li> })
                .collect_view();
            view! {
                <h3 class="govuk-heading-m">{s.title.clone()}</h3>
                <SummaryList rows=rows/>
                {(!s.files.is_empty()).then(|| view! { <p class="govuk-body">"Files uploaded with this section:"</p><ul class="govuk-list govuk-list--bullet">{files}</ul> })}
            }
        })
        .collect_view();
    let plan = bid.plan.clone().map(|p| {
        plan_results(
            &p,
            bid.funded_years,
            &bid.flags,
            &bid.summary,
            "Sustainability plan",
        )
    });
    let criteria = d
        .criteria
        .iter()
        .map(|c| score_fields(c, &stored, errors, locked))
        .collect_view();
    let interview = d
        .interview
        .clone()
        .map(|i| interview_scoring(&stored, errors, d.bid_id, i));
    let others = (!d.others.is_empty()).then(|| {
        let rows = d.others.iter().map(|o| view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell">{o.assessor.clone()}</td>
                <td class="govuk-table__cell">{o.criterion.clone()}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{o.score.map(|s| s.to_string()).unwrap_or_default()}</td>
                <td class="govuk-table__cell">{o.justification.clone()}</td>
            </tr>
        }).collect_view();
        view! {
            <DataTable caption="Other assessors' submitted scores" headings=vec!["Assessor", "Criterion", "Score", "Reasons"] numeric=vec![2]>
                {rows}
            </DataTable>
        }
    });
    let lay_note = (d.panel == Panel::Lay).then(|| view! {
        <div class="govuk-inset-text">"As a lay evaluator you see and score only the sections assigned to the lay panel."</div>
    });
    let title = format!("Score the bid from {}", d.organisation);
    let change_declaration = supersede_form(&stored, errors, d.bid_id);
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href="/assess" text="Back to your assessments"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{format!("{} – {}", d.round_title, bid.reference.clone().unwrap_or_default())}</span>
        <h1 class="govuk-heading-l">{title}</h1>
        <p class="govuk-body">{status_tag(d.status)}</p>
        {lay_note}
        {change_declaration}
        // The plan across the page's whole width: every year, to the last one that shows
        // whether the service stands on its own, without scrolling sideways at 1280 px.
        {plan}
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-half">
                <h2 class="govuk-heading-l">"The bid"</h2>
                {sections}
            </div>
            <div class="govuk-grid-column-one-half">
                <h2 class="govuk-heading-l">"Your scores"</h2>
                {if locked {
                    view! {
                        <div class="govuk-inset-text">"Your scores are submitted and locked. A commissioner can reopen them if they need to change."</div>
                        {criteria}
                        {others}
                    }.into_any()
                } else {
                    score_form(d.bid_id, false, criteria.into_any()).into_any()
                }}
            </div>
        </div>
        {interview}
    }
    .into_any()
}
