//! Commissioners: funding rounds, the questionnaire builder and the scoring criteria.
use super::registers::{history_table, id_param};
use crate::api::rounds::*;
use crate::api::StoredForm;
use crate::components::*;
use crate::domain::round::{
    LegalForm, Panel, QuestionForm, QuestionType, RoundForm, RoundStatus, SectionKind,
};
use crate::pages::rounds::round_status_tag;
use crate::pages::{pick, FormPage, WithStoredForm};
use leptos::prelude::*;
use leptos::server_fn::{client::Client, codec::PostUrl, request::ClientReq, Http, ServerFn};

/// Ticked boxes named `<prefix>[<code>]`: from a failed post, else the saved codes.
fn ticked(stored: &StoredForm, prefix: &str, saved: &[String]) -> Vec<String> {
    if stored.errors.is_empty() {
        saved.iter().map(|c| format!("{prefix}[{c}]")).collect()
    } else {
        stored
            .values
            .keys()
            .filter(|k| k.starts_with(&format!("{prefix}[")))
            .cloned()
            .collect()
    }
}

fn field_signal(errors: FormErrors, name: String) -> Signal<Option<String>> {
    let all = errors.0;
    Signal::derive(move || {
        all.get()
            .into_iter()
            .find(|e| e.field == name)
            .map(|e| e.message)
    })
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| all_rounds());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(rounds) => {
                        let rows = rounds.into_iter().map(|r| view! {
                            <tr class="govuk-table__row">
                                <td class="govuk-table__cell"><a class="govuk-link" href=format!("/fund/rounds/{}", r.id)>{r.title.clone()}</a></td>
                                <td class="govuk-table__cell govuk-table__cell--numeric">{r.envelope.display()}</td>
                                <td class="govuk-table__cell">{r.closes.clone()}</td>
                                <td class="govuk-table__cell">{round_status_tag(r.status)}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <PageTitle text="Funding rounds"/>
                            <BackLink href="/fund" text="Back to funding"/>
                            <h1 class="govuk-heading-l">"Funding rounds"</h1>
                            <a href="/fund/rounds/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">"Create a funding round"</a>
                            <table class="govuk-table">
                                <caption class="govuk-table__caption govuk-table__caption--m">"All rounds"</caption>
                                <thead class="govuk-table__head">
                                    <tr class="govuk-table__row">
                                        <th scope="col" class="govuk-table__header">"Round"</th>
                                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Budget envelope"</th>
                                        <th scope="col" class="govuk-table__header">"Closes"</th>
                                        <th scope="col" class="govuk-table__header">"Status"</th>
                                    </tr>
                                </thead>
                                <tbody class="govuk-table__body">{rows}</tbody>
                            </table>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NewRoundPage() -> impl IntoView {
    round_form_page(None::<fn() -> i64>)
}

#[component]
pub fn EditRoundPage() -> impl IntoView {
    let id = id_param("id");
    round_form_page(Some(id))
}

fn round_form_page(id: Option<impl Fn() -> i64 + Copy + Send + Sync + 'static>) -> impl IntoView {
    let key = move || id.map(|f| f());
    let data = Resource::new(key, round_form_data);
    view! { <FormPage form="save_round" data=data render=move |stored, data| round_form(stored, key(), data)/> }
}

fn round_form(stored: StoredForm, id: Option<i64>, data: RoundFormInfo) -> impl IntoView {
    let action = ServerAction::<SaveRound>::new();
    let errors = FormErrors::new(action, stored.clone());
    let (saved, saved_forms, saved_gaps) = data.current.clone().unwrap_or_else(|| {
        (
            RoundForm {
                access: "open".into(),
                period_months: "24".into(),
                opens_time: "9am".into(),
                closes_time: "12pm".into(),
                ..Default::default()
            },
            LegalForm::ALL
                .iter()
                .map(|f| f.code().to_string())
                .collect(),
            vec![],
        )
    });
    let v = {
        let stored = stored.clone();
        move |name: &str, saved: &str| pick(&stored, name, saved)
    };
    let title = if id.is_some() {
        "Change the round's details"
    } else {
        "Create a funding round"
    };
    let back = id
        .map(|id| format!("/fund/rounds/{id}"))
        .unwrap_or_else(|| "/fund/rounds".into());
    let gap_choices: Vec<Choice> = data
        .gaps
        .iter()
        .map(|g| Choice::new(format!("gap[{}]", g.id), g.title.clone()))
        .collect();
    let no_gaps = gap_choices.is_empty();
    let gap_ids: Vec<String> = saved_gaps.iter().map(|g| g.to_string()).collect();
    let forms = LegalForm::ALL
        .iter()
        .map(|f| Choice::new(format!("legal_form[{}]", f.code()), f.label()))
        .collect();
    let access = vec![
        Choice::new("open", "Any eligible organisation"),
        Choice::new("invited", "Invited organisations only"),
    ];
    if !data.editable {
        return view! {
            <PageTitle text=title/>
            <BackLink href=back text="Back to the round"/>
            <h1 class="govuk-heading-l">{title}</h1>
            <p class="govuk-body">"This round has been published, so its details are locked. To change them, make a new version from the round's page."</p>
        }
        .into_any();
    }
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href=back text="Back"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">{title}</h1>
                {no_gaps.then(|| view! {
                    <div class="govuk-inset-text">"A round must address at least one gap. "<a class="govuk-link" href="/fund/gaps/new">"Record a gap"</a>" first."</div>
                })}
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default()/>
                    <TextInput name="title" label="Title" hint="For example, Affordable chiropody for older people"
                        value=v("title", &saved.title) error=errors.for_field("title")/>
                    <Textarea name="summary" label="Summary" hint="One or two sentences for the list of rounds"
                        value=v("summary", &saved.summary) error=errors.for_field("summary") limit=Limit::Characters(600) rows=3/>
                    <Checkboxes name="gaps" legend="Gaps this round addresses" hint="Select all that apply"
                        choices=gap_choices checked=ticked(&stored, "gap", &gap_ids) error=errors.for_field("gaps")/>
                    <Textarea name="guidance" label="Guidance for applicants"
                        hint="Plain text. Leave a blank line between paragraphs. Start a line with a dash (-) for a bulleted list or a number and a full stop (1.) for a numbered list."
                        value=v("guidance", &saved.guidance) error=errors.for_field("guidance") rows=12/>
                    <h2 class="govuk-heading-m">"Money"</h2>
                    <MoneyInput name="envelope" label="Budget envelope" hint="The total the round can award. It is reserved from the pooled fund when you publish the round"
                        value=v("envelope", &saved.envelope) error=errors.for_field("envelope")/>
                    <MoneyInput name="min_award" label="Minimum award" value=v("min_award", &saved.min_award) error=errors.for_field("min_award")/>
                    <MoneyInput name="max_award" label="Maximum award" value=v("max_award", &saved.max_award) error=errors.for_field("max_award")/>
                    <TextInput name="period_months" label="Funding period in months" hint="How long the seed funding lasts, for example 24"
                        value=v("period_months", &saved.period_months) error=errors.for_field("period_months")
                        width_class="govuk-input--width-3" inputmode="numeric"/>
                    <h2 class="govuk-heading-m">"Eligibility"</h2>
                    <Checkboxes name="legal_forms" legend="Kinds of organisation that may bid" hint="Select all that apply"
                        choices=forms checked=ticked(&stored, "legal_form", &saved_forms) error=errors.for_field("legal_forms")/>
                    <MoneyInput name="max_income" label="Maximum annual income (optional)" hint="Leave blank if organisations of any size may bid"
                        value=v("max_income", &saved.max_income) error=errors.for_field("max_income")/>
                    <TextInput name="area_served" label="Area the service must cover" hint="For example, North East Lincolnshire"
                        value=v("area_served", &saved.area_served) error=errors.for_field("area_served")/>
                    <Radios name="access" legend="Who can bid?" choices=access value=v("access", &saved.access) error=errors.for_field("access")/>
                    <h2 class="govuk-heading-m">"Dates"</h2>
                    <p class="govuk-body">"Times are UK time. The round opens and closes by itself at these times."</p>
                    <DateInput name="opens" legend="Opening date" hint="For example, 1 6 2027"
                        day=v("opens_day", &saved.opens_day) month=v("opens_month", &saved.opens_month) year=v("opens_year", &saved.opens_year)
                        error=errors.for_field("opens")/>
                    <TextInput name="opens_time" label="Opening time" hint="For example, 9am or 17:00" width_class="govuk-input--width-5"
                        value=v("opens_time", &saved.opens_time) error=errors.for_field("opens_time")/>
                    <DateInput name="closes" legend="Closing date" hint="For example, 30 6 2027"
                        day=v("closes_day", &saved.closes_day) month=v("closes_month", &saved.closes_month) year=v("closes_year", &saved.closes_year)
                        error=errors.for_field("closes")/>
                    <TextInput name="closes_time" label="Closing time" hint="For example, 12pm" width_class="govuk-input--width-5"
                        value=v("closes_time", &saved.closes_time) error=errors.for_field("closes_time")/>
                    <DateInput name="decision" legend="Decision expected" hint="For example, 31 7 2027"
                        day=v("decision_day", &saved.decision_day) month=v("decision_month", &saved.decision_month) year=v("decision_year", &saved.decision_year)
                        error=errors.for_field("decision")/>
                    <Button text="Save and continue"/>
                </ActionForm>
            </div>
        </div>
    }
    .into_any()
}

/// A one-button form posting hidden fields to a server action.
#[component]
pub fn SmallForm<S, O>(
    action: ServerAction<S>,
    fields: Vec<(&'static str, String)>,
    #[prop(into)] text: String,
    #[prop(optional, into)] hidden_context: String,
    #[prop(default = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0")]
    class: &'static str,
) -> impl IntoView
where
    S: serde::de::DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, O>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<S::Error>>::Request as ClientReq<S::Error>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    S::Client: Client<S::Error>,
    O: 'static,
{
    let inputs = fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <ActionForm action=action attr:class="seedbed-inline-form">
            {inputs}
            <button type="submit" class=class data-module="govuk-button">
                {text}
                {(!hidden_context.is_empty()).then(|| view! { <span class="govuk-visually-hidden">" "{hidden_context.clone()}</span> })}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn RoundAdminPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(move || (id(), use_refresh()), |(id, _)| round_admin(id));
    view! { <FormPage form="round_action" data=data render=round_admin_view/> }
}

fn round_admin_view(stored: StoredForm, r: RoundBuild) -> impl IntoView {
    let publish = ServerAction::<PublishRound>::new();
    let moving = ServerAction::<MoveItem>::new();
    let remove_section = ServerAction::<RemoveSection>::new();
    let remove_criterion = ServerAction::<RemoveCriterion>::new();
    let assess = ServerAction::<StartAssessment>::new();
    let errors = FormErrors::new(publish, stored)
        .and(FormErrors::new(moving, StoredForm::default()))
        .and(FormErrors::new(remove_section, StoredForm::default()))
        .and(FormErrors::new(remove_criterion, StoredForm::default()))
        .and(FormErrors::new(assess, StoredForm::default()));
    let editable = r.editable();
    let id = r.id;
    let d = r.details.clone();
    let base = format!("/fund/rounds/{id}");
    let edit = format!("{base}/edit");
    let change = |key: &str, value: String| {
        let row = SummaryRow::new(key, value);
        if editable {
            row.change(edit.clone(), key.to_lowercase())
        } else {
            row
        }
    };
    let forms = d
        .legal_forms
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join(", ");
    let gaps = r
        .gaps
        .iter()
        .map(|g| g.title.clone())
        .collect::<Vec<_>>()
        .join("; ");
    let sections = r.sections.iter().enumerate().map(|(i, s)| {
        let href = format!("{base}/sections/{}", s.id);
        let count = match (s.kind, s.questions.len()) {
            (SectionKind::Custom, 1) => "1 question".to_string(),
            (SectionKind::Custom, n) => format!("{n} questions"),
            _ => "Built-in section".to_string(),
        };
        let first = i == 0;
        let last = i + 1 == r.sections.len();
        let title = s.title.clone();
        view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell"><a class="govuk-link" href=href>{s.title.clone()}</a></td>
                <td class="govuk-table__cell">{count}</td>
                <td class="govuk-table__cell">{s.panel.label()}</td>
                <td class="govuk-table__cell seedbed-actions">
                    {(editable && !first).then(|| view! { <SmallForm action=moving fields=vec![("round_id", id.to_string()), ("what", "section".into()), ("item_id", s.id.to_string()), ("direction", "up".into())] text="Up" hidden_context=format!("move {title}")/> })}
                    {(editable && !last).then(|| view! { <SmallForm action=moving fields=vec![("round_id", id.to_string()), ("what", "section".into()), ("item_id", s.id.to_string()), ("direction", "down".into())] text="Down" hidden_context=format!("move {}", s.title)/> })}
                    {(editable && s.kind == SectionKind::Custom).then(|| view! { <SmallForm action=remove_section fields=vec![("round_id", id.to_string()), ("section_id", s.id.to_string())] text="Remove" hidden_context=s.title.clone() class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"/> })}
                </td>
            </tr>
        }
    }).collect_view();
    let criteria = r.criteria.iter().enumerate().map(|(i, c)| {
        let href = format!("{base}/criteria/{}", c.id);
        let first = i == 0;
        let last = i + 1 == r.criteria.len();
        let name = c.criterion.name.clone();
        view! {
            <tr class="govuk-table__row">
                <td class="govuk-table__cell">{if editable { view! { <a class="govuk-link" href=href>{name.clone()}</a> }.into_any() } else { name.clone().into_any() }}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{c.criterion.weight}</td>
                <td class="govuk-table__cell">{c.criterion.min_score.map(|m| m.to_string()).unwrap_or_else(|| "None".into())}</td>
                <td class="govuk-table__cell">{c.sections.join(", ")}</td>
                <td class="govuk-table__cell seedbed-actions">
                    {(editable && !first).then(|| view! { <SmallForm action=moving fields=vec![("round_id", id.to_string()), ("what", "criterion".into()), ("item_id", c.id.to_string()), ("direction", "up".into())] text="Up" hidden_context=format!("move {name}")/> })}
                    {(editable && !last).then(|| view! { <SmallForm action=moving fields=vec![("round_id", id.to_string()), ("what", "criterion".into()), ("item_id", c.id.to_string()), ("direction", "down".into())] text="Down" hidden_context=format!("move {}", c.criterion.name)/> })}
                    {editable.then(|| view! { <SmallForm action=remove_criterion fields=vec![("round_id", id.to_string()), ("criterion_id", c.id.to_string())] text="Remove" hidden_context=c.criterion.name.clone() class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"/> })}
                </td>
            </tr>
        }
    }).collect_view();
    let weight_ok = r.weight_total == 100;
    let problems = r.problems.clone();
    let publish_panel = if editable {
        if problems.is_empty() {
            view! {
                <h2 class="govuk-heading-m">"Publish the round"</h2>
                <p class="govuk-body">{format!("Publishing reserves {} from the pooled fund and locks the questionnaire and criteria. The round opens for bids on {} and closes on {}.", d.envelope.display(), r.opens, r.closes)}</p>
                <SmallForm action=publish fields=vec![("round_id", id.to_string())] text="Publish round" class="govuk-button"/>
            }.into_any()
        } else {
            let items = problems
                .into_iter()
                .map(|p| view! { <li>{p}</li> })
                .collect_view();
            view! {
                <h2 class="govuk-heading-m">"Before you can publish"</h2>
                <ul class="govuk-list govuk-list--bullet">{items}</ul>
            }
            .into_any()
        }
    } else {
        let can_amend = matches!(r.status, RoundStatus::Published | RoundStatus::Open);
        view! {
            <div class="govuk-inset-text">"This round is published: its details, questionnaire and criteria are locked."</div>
            {can_amend.then(|| view! {
                <p class="govuk-body"><a class="govuk-link" href=format!("{base}/new-version")>"Change the published round (make a new version)"</a></p>
            })}
            {(r.status == RoundStatus::Closed).then(|| view! {
                <SmallForm action=assess fields=vec![("round_id", id.to_string())] text="Start assessment" class="govuk-button"/>
            })}
        }.into_any()
    };
    view! {
        <PageTitle text=d.title.clone() errors=errors/>
        <BackLink href="/fund/rounds" text="Back to funding rounds"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{format!("Funding round, version {}", r.version)}</span>
        <h1 class="govuk-heading-l">{d.title.clone()}</h1>
        <p class="govuk-body">"Status: "{round_status_tag(r.status)}</p>
        {(!editable).then(|| view! { <p class="govuk-body"><a class="govuk-link" href=format!("/rounds/{id}")>"View the public page"</a></p> })}
        <h2 class="govuk-heading-m">"Details"</h2>
        <SummaryList rows=vec![
            change("Summary", d.summary.clone()),
            change("Gaps", gaps),
            change("Budget envelope", d.envelope.display()),
            change("Awards", format!("{} to {}", d.min_award.display(), d.max_award.display())),
            change("Funding period", format!("{} months", d.period_months)),
            change("Who may bid", forms),
            change("Maximum annual income", d.max_income.map(|m| m.display()).unwrap_or_else(|| "No limit".into())),
            change("Area served", d.area_served.clone()),
            change("Open to", if d.invited_only { "Invited organisations only".into() } else { "Any eligible organisation".to_string() }),
            change("Opens", r.opens.clone()),
            change("Closes", r.closes.clone()),
        ]/>
        <h2 class="govuk-heading-m">"Questionnaire"</h2>
        <p class="govuk-body">"Bidders answer the sections in this order. Each section is scored by one panel. About your organisation, Budget and Sustainability plan are built into every round."</p>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">"Sections of the questionnaire"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Section"</th>
                    <th scope="col" class="govuk-table__header">"Questions"</th>
                    <th scope="col" class="govuk-table__header">"Scored by"</th>
                    <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{sections}</tbody>
        </table>
        {editable.then(|| view! { <a href=format!("{base}/sections/new") role="button" draggable="false" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Add a section"</a> })}
        <h2 class="govuk-heading-m">"Scoring criteria"</h2>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--s">{format!("Weights add up to {}{}", r.weight_total, if weight_ok { "" } else { " (they must add up to 100)" })}</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Criterion"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Weight"</th>
                    <th scope="col" class="govuk-table__header">"Minimum score"</th>
                    <th scope="col" class="govuk-table__header">"Draws on"</th>
                    <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{criteria}</tbody>
        </table>
        {editable.then(|| view! { <a href=format!("{base}/criteria/new") role="button" draggable="false" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Add a scoring criterion"</a> })}
        {publish_panel}
        {history_table(r.history.clone())}
    }
}

/// A section: its title and panel, and its questions.
#[component]
pub fn SectionPage() -> impl IntoView {
    let id = id_param("id");
    let sid = id_param("sid");
    let data = Resource::new(move || (id(), use_refresh()), |(id, _)| round_admin(id));
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
    stored: StoredForm,
    round: RoundBuild,
    section: Option<SectionView>,
) -> impl IntoView {
    let save = ServerAction::<SaveSection>::new();
    let moving = ServerAction::<MoveItem>::new();
    let remove = ServerAction::<RemoveQuestion>::new();
    let errors = FormErrors::new(save, stored.clone())
        .and(FormErrors::new(moving, StoredForm::default()))
        .and(FormErrors::new(remove, StoredForm::default()));
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
    stored: StoredForm,
    round: RoundBuild,
    section: SectionView,
    question: Option<QuestionView>,
) -> impl IntoView {
    let action = ServerAction::<SaveQuestion>::new();
    let errors = FormErrors::new(action, stored.clone());
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
    stored: StoredForm,
    round: RoundBuild,
    criterion: Option<CriterionView>,
) -> impl IntoView {
    let action = ServerAction::<SaveCriterion>::new();
    let errors = FormErrors::new(action, stored.clone());
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
                    <Checkboxes name="sections" legend="Sections this criterion draws on" hint="Select all that apply"
                        choices=sections checked=ticked(&stored, "section", &saved_sections) error=errors.for_field("sections")/>
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

#[component]
pub fn NewVersionPage() -> impl IntoView {
    let id = id_param("id");
    view! {
        <WithStoredForm form="new_version" render=move |stored| {
            let action = ServerAction::<NewVersion>::new();
            let errors = FormErrors::new(action, stored.clone());
            let round_id = id();
            view! {
                <PageTitle text="Change a published round" errors=errors/>
                <BackLink href=format!("/fund/rounds/{round_id}") text="Back to the round"/>
                <div class="govuk-grid-row">
                    <div class="govuk-grid-column-two-thirds">
                        <ErrorSummary errors=errors/>
                        <h1 class="govuk-heading-l">"Change a published round"</h1>
                        <div class="govuk-warning-text">
                            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                            <strong class="govuk-warning-text__text">
                                <span class="govuk-visually-hidden">"Warning"</span>
                                "The round goes back to draft as a new version and is taken off the public list until you publish it again. Its budget envelope is released back to the pooled fund meanwhile."
                            </strong>
                        </div>
                        <ActionForm action=action attr:novalidate=true>
                            <input type="hidden" name="round_id" value=round_id.to_string()/>
                            <Textarea name="reason" label="Why does the round need to change?" hint="This is kept in the round's history"
                                value=stored.value("reason") error=errors.for_field("reason") rows=4/>
                            <Button text="Make a new version"/>
                        </ActionForm>
                    </div>
                </div>
            }
        }/>
    }
}
