//! One section of a bid: its questions, or the built-in About your organisation, Budget
//! and Sustainability plan (with the computed table and chart).
use super::bids::{caption, locked_reason};
use crate::api::apply::bids::{bid_section, SectionData, SECTION_FORM};
use crate::components::{
    field_id, BackLink, Checkboxes, Choice, DateInput, DependencyChart, ErrorSummary, FormErrors,
    Limit, MoneyInput, PageTitle, Radios, Select, SummaryList, TextInput, Textarea,
};
use crate::domain::answers::{
    budget_rows, field, plan_key, plan_years, question_key, Answers, MAX_YEARS_AFTER, PLAN_FIELDS,
    SPARE_BUDGET_ROWS,
};
use crate::domain::bid::{BudgetCategory, PlanYear};
use crate::domain::money::Pence;
use crate::domain::round::{Question, QuestionType, SectionKind};
use crate::pages::apply::organisations::organisation_rows;
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn BidSectionPage() -> impl IntoView {
    let id = id_param("id");
    let sid = id_param("sid");
    let data = Resource::new(move || (id(), sid()), |(id, sid)| bid_section(id, sid));
    // A change link on the check answers page brings the applicant back there afterwards.
    let query = leptos_router::hooks::use_query_map();
    let from_check = query.with_untracked(|q| q.get("return").as_deref() == Some("check"));
    view! { <FormPage form=SECTION_FORM data=data render=move |stored, d| section_view(stored, d, from_check)/> }
}

fn section_view(stored: FlashedForm, d: SectionData, from_check: bool) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let bid = d.bid.clone();
    let back = if from_check {
        format!("/bids/{}/check", bid.id)
    } else {
        format!("/bids/{}", bid.id)
    };
    let title = d.title.clone();
    let body = match locked_reason(&bid) {
        Some(reason) => view! {
            <div class="govuk-inset-text">{reason}</div>
            <p class="govuk-body"><a class="govuk-link" href=format!("/bids/{}/view", bid.id)>"Read the bid in full"</a></p>
        }
        .into_any(),
        None => section_form(stored, d, errors, from_check).into_any(),
    };
    let back_text = if from_check {
        "Back to check your answers"
    } else {
        "Back to your bid"
    };
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href=back text=back_text/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-full">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{caption(&bid)}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                {body}
            </div>
        </div>
    }
}

fn section_form(
    stored: FlashedForm,
    d: SectionData,
    errors: FormErrors,
    from_check: bool,
) -> impl IntoView {
    let saved = d.answers.clone();
    let v = {
        let stored = stored.clone();
        move |key: &str| {
            let saved = saved.get(key).cloned().unwrap_or_default();
            pick(&stored, &field(key), &saved)
        }
    };
    let questions = match d.kind {
        SectionKind::Custom => d
            .questions
            .iter()
            .map(|(id, q)| question_field(*id, q, &v, errors, &d))
            .collect_view()
            .into_any(),
        SectionKind::Organisation => organisation_fields(&d, &v, errors).into_any(),
        SectionKind::Budget => budget_fields(&d, &v, errors).into_any(),
        SectionKind::Sustainability => plan_fields(&d, &v, errors).into_any(),
    };
    let completed_value = pick(&stored, "completed", if d.completed { "yes" } else { "" });
    let done = vec![
        Choice::new("yes", "Yes, I've completed this section"),
        Choice::new("no", "No, I'll come back to it later"),
    ];
    // Enter in a field presses the form's first submit button: the hidden one makes that
    // "Save and continue", never "Remove file" or "Save and add another line".
    view! {
        {d.last_saved.clone().map(|s| view! { <p class="govuk-hint">{s}</p> })}
        <form method="post" action="/api/bids/save_section" novalidate>
            <input type="hidden" name="bid_id" value=d.bid.id.to_string()/>
            <input type="hidden" name="section_id" value=d.section_id.to_string()/>
            <input type="hidden" name="version" value=d.version.to_string()/>
            {from_check.then(|| view! { <input type="hidden" name="return_to" value="check"/> })}
            <button type="submit" name="then" value="continue" hidden tabindex="-1" aria-hidden="true">"Save and continue"</button>
            <div class="seedbed-narrow">{questions}</div>
            <div class="govuk-grid-row">
                <div class="govuk-grid-column-two-thirds">
                    <Radios name="completed" legend="Have you completed this section?" choices=done
                        value=completed_value error=errors.for_field("completed")/>
                    <div class="govuk-button-group">
                        <button type="submit" name="then" value="continue" class="govuk-button" data-module="govuk-button">"Save and continue"</button>
                        <button type="submit" name="then" value="later" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Save and come back later"</button>
                    </div>
                </div>
            </div>
        </form>
    }
}

fn question_field<F>(
    id: i64,
    q: &Question,
    v: &F,
    errors: FormErrors,
    d: &SectionData,
) -> impl IntoView
where
    F: Fn(&str) -> String,
{
    let key = question_key(id);
    let name = field(&key);
    let error = errors.for_name(name.clone());
    let hint = (!q.hint.is_empty()).then(|| q.hint.clone());
    let label = if q.required {
        q.label.clone()
    } else {
        format!("{} (optional)", q.label)
    };
    match q.qtype {
        QuestionType::ShortText => view! { <TextInput name=name label=label hint=hint.unwrap_or_default() value=v(&key) error=error/> }.into_any(),
        QuestionType::LongText => {
            let limit = q.word_limit.map(|n| Limit::Words(n as usize));
            match limit {
                Some(limit) => view! { <Textarea name=name label=label hint=hint.unwrap_or_default() value=v(&key) error=error limit=limit rows=8/> }.into_any(),
                None => view! { <Textarea name=name label=label hint=hint.unwrap_or_default() value=v(&key) error=error rows=8/> }.into_any(),
            }
        }
        QuestionType::WholeNumber => view! {
            <TextInput name=name label=label hint=hint.unwrap_or_default() value=v(&key) error=error width_class="govuk-input--width-10" inputmode="numeric" spellcheck=false/>
        }.into_any(),
        QuestionType::Money => view! { <MoneyInput name=name label=label hint=hint.unwrap_or_default() value=v(&key) error=error/> }.into_any(),
        QuestionType::Date => view! {
            <DateInput name=name legend=label hint=hint.unwrap_or_else(|| "For example, 27 3 2027".into())
                day=v(&format!("{key}_day")) month=v(&format!("{key}_month")) year=v(&format!("{key}_year")) error=error/>
        }.into_any(),
        QuestionType::YesNo => view! {
            <Radios name=name legend=label hint=hint.unwrap_or_default() choices=vec![Choice::new("yes", "Yes"), Choice::new("no", "No")] inline=true value=v(&key) error=error/>
        }.into_any(),
        QuestionType::SingleChoice => {
            let choices = q.options.iter().map(|o| Choice::new(o.clone(), o.clone())).collect();
            view! { <Radios name=name legend=label hint=hint.unwrap_or_default() choices=choices value=v(&key) error=error/> }.into_any()
        }
        QuestionType::MultipleChoice => {
            let names: Vec<String> = (0..q.options.len()).map(|i| field(&format!("{key}_{i}"))).collect();
            let checked = q.options.iter().enumerate().filter(|(i, _)| !v(&format!("{key}_{i}")).is_empty()).map(|(i, _)| names[i].clone()).collect();
            let choices = q.options.iter().enumerate().map(|(i, o)| Choice::new(names[i].clone(), o.clone())).collect();
            let first = names.first().cloned().unwrap_or_default();
            view! {
                <Checkboxes name=first.clone() legend=label hint=hint.unwrap_or_else(|| "Select all that apply".into()) choices=choices checked=checked error=errors.for_name(first)/>
            }.into_any()
        }
        QuestionType::FileUpload => {
            let current = d.files.iter().find(|f| f.question_id == id).cloned();
            let id_attr = field_id(&name);
            let group = move || if error.get().is_some() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" };
            view! {
                <div class=group>
                    <h2 class="govuk-label-wrapper"><span class="govuk-label govuk-label--m">{label}</span></h2>
                    {hint.map(|h| view! { <div class="govuk-hint">{h}</div> })}
                    {move || error.get().map(|m| view! { <p class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                    {match current {
                        Some(f) => view! {
                            <p class="govuk-body">
                                <span>"Uploaded: "</span>
                                <a class="govuk-link" href=format!("/bids/{}/files/{}", d.bid.id, f.file_id)>{f.name.clone()}</a>
                                <span>{format!(" ({})", f.size)}</span>
                            </p>
                            <button type="submit" name="then" value=format!("remove_{id}") class="govuk-button govuk-button--warning govuk-!-margin-right-2" data-module="govuk-button">
                                "Remove file"<span class="govuk-visually-hidden">{format!(" {}", f.name)}</span>
                            </button>
                        }.into_any(),
                        None => view! { <p class="govuk-body">"No file uploaded yet."</p> }.into_any(),
                    }}
                    <button type="submit" id=id_attr name="then" value=format!("upload_{id}") class="govuk-button govuk-button--secondary" data-module="govuk-button">
                        "Save and upload a file"<span class="govuk-visually-hidden">{format!(" for {}", q.label)}</span>
                    </button>
                </div>
            }.into_any()
        }
    }
}

fn organisation_fields<F>(d: &SectionData, v: &F, errors: FormErrors) -> impl IntoView
where
    F: Fn(&str) -> String,
{
    let rows = d
        .organisation
        .as_ref()
        .map(organisation_rows)
        .unwrap_or_default();
    let name = field("confirmed");
    let checked = if v("confirmed").is_empty() {
        vec![]
    } else {
        vec![name.clone()]
    };
    view! {
        <p class="govuk-body">"These details come from your organisation's record on Seedbed. Check them: assessors see your legal form, registration numbers, income and area served with your bid; your address and contact details are seen only by commissioners."</p>
        <SummaryList rows=rows/>
        <p class="govuk-body">
            <span>"If something is wrong, your organisation's owner can "</span>
            <a class="govuk-link" href=format!("/organisations/{}/edit", d.bid.organisation_id)>"change its details"</a>
            <span>" before you send your bid. If that is not possible, "</span><a class="govuk-link" href="/contact">"tell the commissioning team"</a><span>"."</span>
        </p>
        <Checkboxes name=name.clone() legend="Confirm your organisation's details" choices=vec![Choice::new(name.clone(), "These details are correct")]
            checked=checked error=errors.for_name(name)/>
    }
}

fn budget_fields<F>(d: &SectionData, v: &F, errors: FormErrors) -> impl IntoView
where
    F: Fn(&str) -> String,
{
    let years = d.funded_years;
    let mut typed = Answers::new();
    for i in 0..crate::domain::answers::MAX_BUDGET_LINES {
        for part in ["description", "category"] {
            let key = format!("line{i}_{part}");
            typed.insert(key.clone(), v(&key));
        }
        for y in 1..=years {
            let key = format!("line{i}_y{y}");
            typed.insert(key.clone(), v(&key));
        }
    }
    let rows = (budget_rows(&typed, years) + SPARE_BUDGET_ROWS)
        .clamp(3, crate::domain::answers::MAX_BUDGET_LINES);
    let categories: Vec<Choice> = std::iter::once(Choice::new("", "Choose a category"))
        .chain(
            BudgetCategory::ALL
                .iter()
                .map(|c| Choice::new(c.code(), c.label())),
        )
        .collect();
    let lines = (0..rows)
        .map(|i| {
            let n = i + 1;
            let key = |p: &str| format!("line{i}_{p}");
            let amounts = (1..=years)
                .map(|y| {
                    let k = key(&format!("y{y}"));
                    view! {
                        <div class="seedbed-inline-field">
                            <MoneyInput name=field(&k) label=format!("Year {y}") value=v(&k) error=errors.for_name(field(&k))/>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="govuk-fieldset seedbed-budget-line">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{format!("Budget line {n}")}</legend>
                    <TextInput name=field(&key("description")) label="Description" value=v(&key("description")) error=errors.for_name(field(&key("description")))/>
                    <Select name=field(&key("category")) label="Category" choices=categories.clone() value=v(&key("category")) error=errors.for_name(field(&key("category")))/>
                    <div class="seedbed-inline-fields">{amounts}</div>
                </fieldset>
            }
        })
        .collect_view();
    let saved = d
        .budget_totals
        .clone()
        .map(|(per_year, total)| (per_year.iter().map(|p| p.0).collect(), total.0));
    let totals = view! { <super::budget_totals::BudgetTotals lines=rows years=years saved=saved/> };
    let request_hint = format!(
        "Between {} and {}, and no more than the total cost. The funding period is {} {}.",
        d.min_award.display(),
        d.max_award.display(),
        years,
        if years == 1 { "year" } else { "years" }
    );
    view! {
        <p class="govuk-body">"List what the service will cost in each year of the funding period. Leave a line blank if you do not need it."</p>
        <div id="budget-lines">{lines}</div>
        <button type="submit" name="then" value="add_line" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Save and add another line"</button>
        {totals}
        <MoneyInput name=field("amount_requested") label="How much seed funding are you asking for?" hint=request_hint
            value=v("amount_requested") error=errors.for_name(field("amount_requested"))/>
    }
}

fn plan_fields<F>(d: &SectionData, v: &F, errors: FormErrors) -> impl IntoView
where
    F: Fn(&str) -> String,
{
    let funded = d.funded_years;
    let mut typed = Answers::new();
    typed.insert("years".into(), v("years"));
    let years = plan_years(&typed, funded);
    // Each year's figures in four short groups, side by side where the screen allows.
    const GROUPS: [(&str, &[&str]); 4] = [
        ("Running costs and this grant", &["costs", "seed_grant"]),
        (
            "Income from the people who use the service",
            &["charge_per_user", "expected_users", "other_charges"],
        ),
        ("Other income", &["other_grants", "donations", "contracts"]),
        ("Volunteer time", &["volunteer_hours", "value_per_hour"]),
    ];
    let budget_years: Vec<Pence> = d
        .budget_totals
        .as_ref()
        .map(|(per_year, _)| per_year.clone())
        .unwrap_or_default();
    let year_sets = (1..=years)
        .map(|year| {
            let when = if year <= funded { "during the funding period" } else { "after the grant ends" };
            let input = |part: &str| {
                let Some((_, label, money)) = PLAN_FIELDS.iter().find(|(p, _, _)| *p == part) else {
                    return ().into_any();
                };
                let k = plan_key(year, part);
                let mut value = v(&k);
                let mut hint = match part {
                    "seed_grant" if year > funded => "The grant has ended: enter 0".to_string(),
                    _ => String::new(),
                };
                // The running costs of a funded year start as the budget's total for it.
                if part == "costs" && value.is_empty() {
                    if let Some(total) = budget_years.get(year - 1).filter(|_| year <= funded) {
                        value = total.form_value();
                        hint = "From your budget. Change it if running costs differ".into();
                    }
                }
                let name = field(&k);
                let field_view = if *money {
                    view! { <MoneyInput name=name.clone() label=*label hint=hint value=value error=errors.for_name(name)/> }.into_any()
                } else {
                    view! { <TextInput name=name.clone() label=*label hint=hint value=value error=errors.for_name(name) width_class="govuk-input--width-10" inputmode="numeric" spellcheck=false/> }.into_any()
                };
                view! { <div class="seedbed-inline-field">{field_view}</div> }.into_any()
            };
            let groups = GROUPS
                .iter()
                .map(|(heading, parts)| view! {
                    <h3 class="govuk-heading-s govuk-!-margin-bottom-2">{*heading}</h3>
                    <div class="seedbed-inline-fields">{parts.iter().map(|p| input(p)).collect_view()}</div>
                })
                .collect_view();
            view! {
                <fieldset class="govuk-fieldset seedbed-plan-year">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{format!("Year {year} ({when})")}</legend>
                    {groups}
                </fieldset>
            }
        })
        .collect_view();
    let more = (years < funded + MAX_YEARS_AFTER).then(|| view! {
        <button type="submit" name="then" value="add_year" class="govuk-button govuk-button--secondary" data-module="govuk-button">"Save and add another year"</button>
    });
    let requested = d.bid.requested.map(|p| {
        format!(
            "Your budget asks for {}: the seed grant across the years must add up to it.",
            p.display()
        )
    });
    view! {
        <p class="govuk-body">"Show how the service will pay for itself. For each year, give the running costs and the income you expect from each source. The plan covers the funding period and at least one year after it."</p>
        <ul class="govuk-list govuk-list--bullet">
            <li>"Running costs: everything it costs to run the service that year. For the funding period they start as your budget's totals."</li>
            <li>"Income from the people who use the service: a charge for each paid use (an appointment, a meal, a session) and how many paid uses you expect; or, for memberships or a flat rate, the year's total under other fees and charges."</li>
            <li>"Volunteer time: the hours volunteers give, and what an hour is worth (for example, the National Living Wage)."</li>
        </ul>
        {requested.map(|r| view! { <p class="govuk-body">{r}</p> })}
        <p class="govuk-body">"Grant dependency is the seed grant divided by total income. It should fall to 0% by the end of the plan."</p>
        <input type="hidden" name=field("years") value=years.to_string()/>
        <div id="plan-years" class="seedbed-plan-years">{year_sets}</div>
        {more}
        {d.plan.clone().map(|plan| plan_results(&plan, d.funded_years, &d.flags, &d.summary, "Your plan as last saved"))}
    }
}

/// The plan's computed table, chart, summary and flags.
pub fn plan_results(
    plan: &[PlanYear],
    funded: usize,
    flags: &[String],
    summary: &str,
    heading: &str,
) -> impl IntoView {
    let head = (1..=plan.len())
        .map(|y| view! { <th scope="col" class="govuk-table__header govuk-table__header--numeric">{format!("Year {y}")}{(y > funded).then(|| view! { <span class="govuk-visually-hidden">" (after the grant)"</span> })}</th> })
        .collect_view();
    type Row = (&'static str, fn(&PlanYear) -> String);
    let rows: [Row; 10] = [
        ("Running costs", |y| y.costs.display()),
        ("This seed grant", |y| y.seed_grant.display()),
        ("Charges to users", |y| y.charges().display()),
        ("Other grants", |y| y.other_grants.display()),
        ("Donations and fundraising", |y| y.donations.display()),
        ("Contracts", |y| y.contracts.display()),
        ("In-kind volunteer time", |y| y.in_kind().display()),
        ("Total income", |y| y.total_income().display()),
        ("Surplus or shortfall", |y| {
            let s = y.surplus();
            if s.0 < 0 {
                format!("−{}", Pence(-s.0).display())
            } else {
                s.display()
            }
        }),
        ("Grant dependency", |y| {
            format!("{}%", y.dependency_percent())
        }),
    ];
    let body = rows
        .iter()
        .map(|(label, f)| {
            let cells = plan.iter().map(|y| view! { <td class="govuk-table__cell govuk-table__cell--numeric">{f(y)}</td> }).collect_view();
            view! { <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{*label}</th>{cells}</tr> }
        })
        .collect_view();
    let bars = plan
        .iter()
        .enumerate()
        .map(|(i, y)| (format!("Year {}", i + 1), y.dependency_percent()))
        .collect();
    let flag_view = (!flags.is_empty()).then(|| {
        view! {
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text">
                    <span class="govuk-visually-hidden">"Warning"</span>
                    <span>"Assessors will see these warnings about this plan: "</span>
                    {flags.join(". ")}
                </strong>
            </div>
        }
    });
    view! {
        <h2 class="govuk-heading-m" id="plan-results">{heading.to_string()}</h2>
        {flag_view}
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Costs, income and grant dependency by year (scrolls sideways)">
            <table class="govuk-table">
                <caption class="govuk-table__caption govuk-table__caption--s">"Costs, income by source and grant dependency by year"</caption>
                <thead class="govuk-table__head"><tr class="govuk-table__row"><td class="govuk-table__header"></td>{head}</tr></thead>
                <tbody class="govuk-table__body">{body}</tbody>
            </table>
        </div>
        <DependencyChart id="dependency-chart" title="Grant dependency by year" bars=bars summary=summary.to_string()/>
    }
}
