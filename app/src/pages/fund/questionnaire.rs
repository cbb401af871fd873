//! Commissioners: the questionnaire builder (sections and questions) and scoring criteria.
use super::rounds::ticked;
use crate::api::fund::rounds::{
    round_admin, CriterionView, MoveItem, QuestionView, RemoveQuestion, RoundBuild, SaveCriterion,
    SaveQuestion, SaveSection, SectionView,
};
use crate::components::{
    error_view, BackLink, Button, Checkboxes, Choice, ErrorSummary, FormErrors, PageTitle, Radios,
    RevealWhenChosen, SmallForm, TextInput, Textarea,
};
use crate::domain::assessment::ScoredBy;
use crate::domain::round::{Panel, QuestionForm, QuestionType, SectionKind};
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

fn field_signal(errors: FormErrors, name: String) -> Signal<Option<String>> {
    let all = errors.0;
    Signal::derive(move || {
        all.get()
            .into_iter()
            .find(|e| e.field == name)
            .map(|e| e.message)
    })
}

/// A section: its title and panel, and its questions.
#[component]
pub fn SectionPage() -> impl IntoView {
    let id = id_param("id");
    let sid = id_param("sid");
    let data = Resource::new(id, round_admin);
    view! {
        <FormPage form="save_section" data=data render=move |stored, round: RoundBuild| {
            match round.sections.iter().find(|s| s.id == sid()).cloned() {
                None => error_view(crate::error::AppError::NotFound),
                Some(section) => section_view(stored, round, Some(section)).into_any(),
            }
        }/>
    }
}

#[component]
pub fn NewSectionPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, round_admin);
    view! { <FormPage form="save_section" data=data render=|stored, round| section_view(stored, round, None)/> }
}

fn panel_choices() -> Vec<Choice> {
    vec![
        Choice::new(Panel::Board.code(), Panel::Board.label()).with_hint("Board members score this section"),
        Choice::new(Panel::Lay.code(), Panel::Lay.label()).with_hint("Lay evaluators, for example trained unpaid carers, score this section; board members do not"),
    ]
}

fn section_view(
    stored: FlashedForm,
    round: RoundBuild,
    section: Option<SectionView>,
) -> impl IntoView {
    let save = ServerAction::<SaveSection>::new();
    let moving = ServerAction::<MoveItem>::new();
    let remove = ServerAction::<RemoveQuestion>::new();
    let errors = FormErrors::from_stored(&stored);
    let editable = round.editable();
    let id = round.id;
    let base = format!("/fund/rounds/{id}");
    let custom = section
        .as_ref()
        .map(|s| s.kind == SectionKind::Custom)
        .unwrap_or(true);
    let heading = section
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_else(|| "Add a section".into());
    let saved_title = section
        .as_ref()
        .filter(|s| s.kind == SectionKind::Custom)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let saved_panel = section
        .as_ref()
        .map(|s| s.panel.code().to_string())
        .unwrap_or_default();
    let sid = section.as_ref().map(|s| s.id);
    let questions = section
        .as_ref()
        .map(|s| s.questions.clone())
        .unwrap_or_default();
    let count = questions.len();
    let list = questions.into_iter().enumerate().map(|(i, q)| {
        let href = format!("{base}/sections/{}/questions/{}", sid.unwrap_or_default(), q.id);
        let label = q.question.label.clone();
        let detail = format!("{}{}", q.question.qtype.label(), if q.question.required { "" } else { ", optional" });
        view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell">{if editable { view! { <a class="govuk-link" href=href>{label.clone()}</a> }.into_any() } else { label.clone().into_any() }}</td>
                <td class="govuk-table__cell">{detail}</td>
                <td class="govuk-table__cell seedbed-actions">
                    {(editable && i > 0).then(|| view! { <SmallForm action=moving fields=vec![("round_id", id.to_string()), ("what", "question".into()), ("item_id", q.id.to_string()), ("direction", "up".into())] text="Up" hidden_context=format!("move {label}")/> })}
                    {(editable && i + 1 < count).then(|| view! { <SmallForm action=moving fields=vec![("round_id", id.to_string()), ("what", "question".into()), ("item_id", q.id.to_string()), ("direction", "down".into())] text="Down" hidden_context=format!("move {}", q.question.label)/> })}
                    {editable.then(|| view! { <SmallForm action=remove fields=vec![("round_id", id.to_string()), ("section_id", sid.unwrap_or_default().to_string()), ("question_id", q.id.to_string())] text="Remove" hidden_context=q.question.label.clone() class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"/> })}
                </td>
            </tr>
        }
    }).collect_view();
    let built_in_text = section.as_ref().filter(|s| s.kind != SectionKind::Custom).map(|s| match s.kind {
        SectionKind::Organisation => "Bidders confirm their organisation's details, filled in from their organisation's record.",
        SectionKind::Budget => "Bidders list the costs of the service for each year of the funding period and the amount they ask for.",
        SectionKind::Sustainability => "Bidders set out costs and income by source for each year, showing how grant dependency falls to zero.",
        SectionKind::Custom => "",
    });
    view! {
        <PageTitle text=heading.clone() errors=errors/>
        <BackLink href=base.clone() text="Back to the round"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{round.details.title.clone()}</span>
                <h1 class="govuk-heading-l">{heading}</h1>
                {built_in_text.map(|t| view! { <p class="govuk-body">{t}</p> })}
                {if editable {
                    view! {
                        <ActionForm action=save attr:novalidate=true>
                            <input type="hidden" name="round_id" value=id.to_string()/>
                            <input type="hidden" name="section_id" value=sid.map(|s| s.to_string()).unwrap_or_default()/>
                            {custom.then(|| view! {
                                <TextInput name="title" label="Section title" hint="For example, Carers' experience"
                                    value=pick(&stored, "title", &saved_title) error=errors.for_field("title")/>
                            })}
                            <Radios name="panel" legend="Who scores this section?" choices=panel_choices()
                                value=pick(&stored, "panel", &saved_panel) error=errors.for_field("panel")/>
                            <Button text=if sid.is_some() { "Save section" } else { "Add section" }/>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p class="govuk-body">{format!("Scored by: {}", section.as_ref().map(|s| s.panel.label()).unwrap_or(""))}</p> }.into_any()
                }}
            </div>
        </div>
        {(custom && sid.is_some()).then(|| view! {
            <h2 class="govuk-heading-m">"Questions"</h2>
            <table class="govuk-table">
                <caption class="govuk-table__caption govuk-visually-hidden">"Questions in this section"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Question"</th>
                        <th scope="col" class="govuk-table__header">"Answer"</th>
                        <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">{list}</tbody>
            </table>
            {editable.then(|| view! {
                <a href=format!("{base}/sections/{}/questions/new", sid.unwrap_or_default()) role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Add a question"</a>
            })}
        })}
    }
}

#[component]
pub fn QuestionPage() -> impl IntoView {
    let id = id_param("id");
    let sid = id_param("sid");
    let qid = id_param("qid");
    let data = Resource::new(id, round_admin);
    view! {
        <FormPage form="save_question" data=data render=move |stored, round: RoundBuild| {
            let section = round.sections.iter().find(|s| s.id == sid() && s.kind == SectionKind::Custom).cloned();
            let question = section.as_ref().and_then(|s| s.questions.iter().find(|q| q.id == qid()).cloned());
            match (section, qid(), question) {
                (None, _, _) => error_view(crate::error::AppError::NotFound),
                (Some(_), q, None) if q != 0 => error_view(crate::error::AppError::NotFound),
                (Some(section), _, question) => question_form(stored, round, section, question).into_any(),
            }
        }/>
    }
}

fn question_form(
    stored: FlashedForm,
    round: RoundBuild,
    section: SectionView,
    question: Option<QuestionView>,
) -> impl IntoView {
    let action = ServerAction::<SaveQuestion>::new();
    let errors = FormErrors::from_stored(&stored);
    let saved = question
        .as_ref()
        .map(|q| q.question.to_form())
        .unwrap_or_else(|| QuestionForm {
            required: "yes".into(),
            ..Default::default()
        });
    let v = {
        let stored = stored.clone();
        move |name: &str, saved: &str| pick(&stored, name, saved)
    };
    let heading = if question.is_some() {
        "Change a question"
    } else {
        "Add a question"
    };
    let back = format!("/fund/rounds/{}/sections/{}", round.id, section.id);
    let types = QuestionType::ALL
        .iter()
        .map(|t| {
            let c = Choice::new(t.code(), t.label());
            match t {
                QuestionType::LongText => c.with_hint("Set the word limit below"),
                QuestionType::SingleChoice | QuestionType::MultipleChoice => {
                    c.with_hint("List the options below")
                }
                _ => c,
            }
        })
        .collect();
    if !round.editable() {
        return view! {
            <PageTitle text=heading/>
            <BackLink href=back text="Back to the section"/>
            <h1 class="govuk-heading-l">{heading}</h1>
            <p class="govuk-body">"This round has been published, so its questionnaire is locked."</p>
        }.into_any();
    }
    view! {
        <PageTitle text=heading errors=errors/>
        <BackLink href=back text="Back to the section"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{section.title.clone()}</span>
                <h1 class="govuk-heading-l">{heading}</h1>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="round_id" value=round.id.to_string()/>
                    <input type="hidden" name="section_id" value=section.id.to_string()/>
                    <input type="hidden" name="question_id" value=question.as_ref().map(|q| q.id.to_string()).unwrap_or_default()/>
                    <Textarea name="label" label="Question" value=v("label", &saved.label) error=errors.for_field("label") rows=2/>
                    <Textarea name="hint" label="Hint text (optional)" hint="Help for the bidder, shown under the question"
                        value=v("hint", &saved.hint) error=errors.for_field("hint") rows=2/>
                    <Radios name="qtype" legend="Type of answer" choices=types value=v("qtype", &saved.qtype) error=errors.for_field("qtype")/>
                    <TextInput name="word_limit" label="Word limit (long text only)" width_class="govuk-input--width-5" inputmode="numeric"
                        value=v("word_limit", &saved.word_limit) error=errors.for_field("word_limit")/>
                    <Textarea name="options" label="Options (choice questions only)" hint="One option on each line"
                        value=v("options", &saved.options) error=errors.for_field("options") rows=4/>
                    <Radios name="required" legend="Is an answer required?" inline=true
                        choices=vec![Choice::new("yes", "Yes"), Choice::new("no", "No, it is optional")]
                        value=v("required", &saved.required) error=errors.for_field("required")/>
                    <Button text="Save question"/>
                </ActionForm>
            </div>
        </div>
    }.into_any()
}

#[component]
pub fn CriterionPage() -> impl IntoView {
    let id = id_param("id");
    let cid = id_param("cid");
    let data = Resource::new(id, round_admin);
    view! {
        <FormPage form="save_criterion" data=data render=move |stored, round: RoundBuild| {
            let criterion = round.criteria.iter().find(|c| c.id == cid()).cloned();
            if cid() != 0 && criterion.is_none() {
                return error_view(crate::error::AppError::NotFound);
            }
            criterion_form(stored, round, criterion).into_any()
        }/>
    }
}

fn criterion_form(
    stored: FlashedForm,
    round: RoundBuild,
    criterion: Option<CriterionView>,
) -> impl IntoView {
    let action = ServerAction::<SaveCriterion>::new();
    let errors = FormErrors::from_stored(&stored);
    let saved = criterion
        .as_ref()
        .map(|c| c.criterion.to_form())
        .unwrap_or_default();
    let saved_sections: Vec<String> = criterion
        .as_ref()
        .map(|c| c.section_ids.iter().map(|i| i.to_string()).collect())
        .unwrap_or_default();
    let v = {
        let stored = stored.clone();
        move |name: &str, saved: &str| pick(&stored, name, saved)
    };
    let heading = if criterion.is_some() {
        "Change a scoring criterion"
    } else {
        "Add a scoring criterion"
    };
    let back = format!("/fund/rounds/{}", round.id);
    let others: u32 = round
        .criteria
        .iter()
        .filter(|c| Some(c.id) != criterion.as_ref().map(|x| x.id))
        .map(|c| c.criterion.weight)
        .sum();
    let sections = round
        .sections
        .iter()
        .map(|s| {
            Choice::new(format!("section[{}]", s.id), s.title.clone())
                .with_hint(format!("Scored by {}", s.panel.label().to_lowercase()))
        })
        .collect();
    let interview = criterion.as_ref().and_then(|c| c.interview);
    let saved_stage = match (&criterion, interview) {
        (None, _) => "",
        (Some(_), Some(_)) => "interview",
        (Some(_), None) => "written",
    };
    let saved_panel = interview.map(|p| p.code().to_string()).unwrap_or_default();
    let stages = vec![
        Choice::new("written", "From the written bid").with_hint("Drawing on the sections you select below"),
        Choice::new("interview", "At an interview or presentation")
            .with_hint("Only shortlisted bids are interviewed. A bid not shortlisted is ranked on its written criteria"),
    ];
    let panels = [ScoredBy::Board, ScoredBy::Both, ScoredBy::Lay]
        .into_iter()
        .map(|p| Choice::new(p.code(), p.interview_label()))
        .collect();
    let descriptor_fields = saved
        .descriptors()
        .iter()
        .enumerate()
        .map(|(score, text)| {
            let name = format!("descriptor_{score}");
            let label = match score {
                0 => "0 (lowest)".to_string(),
                5 => "5 (highest)".to_string(),
                n => n.to_string(),
            };
            view! { <TextInput name=name.clone() label=label value=pick(&stored, &name, text) error=field_signal(errors, name.clone())/> }
        })
        .collect_view();
    if !round.editable() {
        return view! {
            <PageTitle text=heading/>
            <BackLink href=back text="Back to the round"/>
            <h1 class="govuk-heading-l">{heading}</h1>
            <p class="govuk-body">"This round has been published, so its scoring criteria are locked."</p>
        }.into_any();
    }
    view! {
        <PageTitle text=heading errors=errors/>
        <BackLink href=back text="Back to the round"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{round.details.title.clone()}</span>
                <h1 class="govuk-heading-l">{heading}</h1>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="round_id" value=round.id.to_string()/>
                    <input type="hidden" name="criterion_id" value=criterion.as_ref().map(|c| c.id.to_string()).unwrap_or_default()/>
                    <TextInput name="name" label="Name" hint="For example, Meets the need" value=v("name", &saved.name) error=errors.for_field("name")/>
                    <Textarea name="guidance" label="Guidance for assessors and bidders (optional)" value=v("guidance", &saved.guidance) error=errors.for_field("guidance") rows=3/>
                    <TextInput name="weight" label="Weight" hint=format!("Out of 100 across all criteria. The other criteria have {others}, so this one should be {}", 100u32.saturating_sub(others))
                        width_class="govuk-input--width-3" inputmode="numeric" value=v("weight", &saved.weight) error=errors.for_field("weight")/>
                    <TextInput name="min_score" label="Minimum score (optional)" hint="A bid scoring less than this on this criterion cannot be funded. Leave blank for none"
                        width_class="govuk-input--width-3" inputmode="numeric" value=v("min_score", &saved.min_score) error=errors.for_field("min_score")/>
                    <Radios name="stage" legend="When is it scored?" choices=stages
                        value=v("stage", saved_stage) error=errors.for_field("stage")/>
                    <Checkboxes name="sections" legend="Sections this criterion draws on" hint="For a criterion scored from the written bid. Select all that apply"
                        choices=sections checked=ticked(&stored, "section", &saved_sections) error=errors.for_field("sections")/>
                    <RevealWhenChosen id="interview-panel".to_string() name="stage".to_string() value="interview".to_string()>
                        <Radios name="interview_panel" legend="Who scores it at the interview?" hint="For a criterion scored at the interview. Carers on the lay panel can score it alone"
                            choices=panels value=v("interview_panel", &saved_panel) error=errors.for_field("interview_panel")/>
                    </RevealWhenChosen>
                    <fieldset class="govuk-fieldset">
                        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">"What each score means"</legend>
                        {descriptor_fields}
                    </fieldset>
                    <Button text="Save criterion"/>
                </ActionForm>
            </div>
        </div>
    }.into_any()
}
