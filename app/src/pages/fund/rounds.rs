//! Commissioners: funding rounds: the list, the details form, the round's page with its
//! questionnaire and criteria tables, publishing and new versions.
use crate::api::fund::rounds::{
    all_rounds, round_admin, round_form_data, MoveItem, NewVersion, PublishRound, RemoveCriterion,
    RemoveSection, RoundBuild, RoundFormInfo, SaveRound, StartAssessment,
};
use crate::components::{
    error_view, BackLink, Button, Checkboxes, Choice, DateInput, ErrorSummary, FormErrors, Limit,
    MoneyInput, PageTitle, Radios, SmallForm, SummaryList, SummaryRow, TextInput, Textarea,
};
use crate::domain::round::{LegalForm, RoundForm, RoundStatus, SectionKind};
use crate::pages::history_table;
use crate::pages::public::rounds::round_status_tag;
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

/// Ticked boxes named `<prefix>[<code>]`: from a failed post, else the saved codes.
pub(super) fn ticked(stored: &FlashedForm, prefix: &str, saved: &[String]) -> Vec<String> {
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

fn round_form(stored: FlashedForm, id: Option<i64>, data: RoundFormInfo) -> impl IntoView {
    let action = ServerAction::<SaveRound>::new();
    let errors = FormErrors::from_stored(&stored);
    let (saved, saved_forms, saved_gaps) = data.current.clone().unwrap_or_else(|| {
        (
            RoundForm {
                access: "open".into(),
                period_months: "24".into(),
                opens_time: "9am".into(),
                closes_time: "midday".into(),
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
                    <TextInput name="closes_time" label="Closing time" hint="For example, midday or 5:30pm" width_class="govuk-input--width-5"
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

#[component]
pub fn RoundAdminPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, round_admin);
    view! { <FormPage form="round_action" data=data render=round_admin_view/> }
}

fn round_admin_view(stored: FlashedForm, r: RoundBuild) -> impl IntoView {
    let publish = ServerAction::<PublishRound>::new();
    let moving = ServerAction::<MoveItem>::new();
    let remove_section = ServerAction::<RemoveSection>::new();
    let remove_criterion = ServerAction::<RemoveCriterion>::new();
    let assess = ServerAction::<StartAssessment>::new();
    let errors = FormErrors::from_stored(&stored);
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
                <td class="govuk-table__cell">{match c.interview {
                    Some(p) => format!("At the interview: {}", p.interview_label().to_lowercase()),
                    None => c.sections.join(", "),
                }}</td>
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
            {matches!(r.status, RoundStatus::Closed | RoundStatus::Assessment | RoundStatus::Decided).then(|| view! {
                <ul class="govuk-list">
                    <li><a class="govuk-link" href=format!("{base}/assessment")>"Panels and assignments"</a></li>
                    <li><a class="govuk-link" href=format!("{base}/interests")>"Register of interests"</a></li>
                    <li><a class="govuk-link" href=format!("{base}/moderation")>"Moderation and decisions"</a></li>
                    <li><a class="govuk-link" href=format!("/board/rounds/{id}/decisions")>"Decision report for the partners"</a></li>
                </ul>
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
        <ul class="govuk-list">
            <li><a class="govuk-link" href=format!("/fund/rounds/{id}/measures")>"Monitoring measures for funded schemes"</a></li>
            <li><a class="govuk-link" href=format!("/fund/rounds/{id}/report")>"Round report: bids, money and scores"</a></li>
        </ul>
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

#[component]
pub fn NewVersionPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(|| (), |_| crate::api::access_check("commissioner".into()));
    view! {
        <FormPage form="new_version" data=data render=move |stored, ()| {
            let action = ServerAction::<NewVersion>::new();
            let errors = FormErrors::from_stored(&stored);
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
