//! Partner approvers: the Board's recommended awards awaiting their partner's sign-off, and
//! one recommendation with the form to approve or refuse it.
use crate::api::decide::sign_off::{
    recommendation, sign_off_list, RecommendationView, SignOffListData,
};
use crate::components::{
    error_view, BackLink, Button, Choice, DataTable, ErrorSummary, FormErrors, PageTitle, Radios,
    SummaryList, SummaryRow, Textarea,
};
use crate::domain::monitoring::Frequency;
use crate::pages::{pick, FormPage};
use crate::web::{id_param, FlashedForm};
use leptos::prelude::*;

#[component]
pub fn SignOffListPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| sign_off_list());
    view! {
        <PageTitle text="Awards to sign off"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(data) => list_view(data).into_any(),
                }
            })}
        </Transition>
    }
}

fn list_view(data: SignOffListData) -> impl IntoView {
    let awaiting = data
        .items
        .iter()
        .filter(|i| i.answered.is_none() && i.state.starts_with("Recommended"))
        .count()
        + (data.variations.iter())
            .filter(|v| v.answered.is_none() && v.state.starts_with("Approved by a commissioner"))
            .count();
    let rows = data
        .items
        .iter()
        .map(|i| {
            let yours = match i.answered {
                Some(true) => "Approved",
                Some(false) => "Refused",
                None => "Not answered",
            };
            let below = i.below_minimum.then(|| view! {
                <br/><strong class="govuk-tag govuk-tag--orange">"Below a minimum score"</strong>
            });
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=format!("/sign-off/{}", i.bid_id)>{i.organisation.clone()}</a>
                        <br/><span class="govuk-hint govuk-!-margin-0">{i.round.clone()}</span>
                        {below}
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{i.amount.map(|a| a.display()).unwrap_or_default()}</td>
                    <td class="govuk-table__cell">{i.recommended_on.clone()}</td>
                    <td class="govuk-table__cell">{i.state.clone()}</td>
                    <td class="govuk-table__cell">{yours}</td>
                </tr>
            }
        })
        .collect_view();
    let partner = if data.partner.is_empty() {
        "An admin has not yet said which partner you sign off for: ask them to choose it on your account.".to_string()
    } else {
        format!("You sign off for {}.", data.partner)
    };
    let missing = (!data.without_approver.is_empty()).then(|| {
        view! {
            <div class="govuk-inset-text">{format!(
                "No approver is named for {} yet: an award cannot be made until one is.",
                data.without_approver.join(" and ")
            )}</div>
        }
    });
    view! {
        <h1 class="govuk-heading-l">"Awards to sign off"</h1>
        <p class="govuk-body">"Money from the pooled fund is spent by joint decision of both partners. The Board recommends awards; each is made, and the money committed, only when an approver for every partner has approved it. A refusal sends it back to the Board with your reason. A variation that adds money to an award is signed off the same way."</p>
        <p class="govuk-body">{partner}</p>
        {missing}
        <p class="govuk-body"><a class="govuk-link" href="/board/meetings">"Board meetings, board packs and minutes"</a></p>
        {fund_links(&data.funds)}
        <p class="govuk-body">{match awaiting {
            0 => "Nothing is waiting for your answer.".to_string(),
            1 => "1 decision is waiting for your answer.".to_string(),
            n => format!("{n} decisions are waiting for your answer."),
        }}</p>
        {(!data.items.is_empty()).then(|| view! {
            <DataTable caption="Recommended awards" headings=vec!["Organisation", "Amount", "Recommended", "Where it stands", "Your partner's answer"] numeric=vec![1]>
                {rows}
            </DataTable>
        })}
        {super::variation_sign_off::variations_table(&data.variations)}
    }
}

/// The pooled fund's statements for the partners' finance officers: each year's, and the
/// year-end statement of each closed year.
fn fund_links(funds: &[(i32, String, bool)]) -> impl IntoView {
    let items = funds
        .iter()
        .map(|(year, label, closed)| {
            let year_end = closed.then(|| view! {
                " · "<a class="govuk-link" href=format!("/fund/pooled-funds/{year}/year-end")>{format!("Year-end statement {label}")}</a>
            });
            view! {
                <li>
                    <a class="govuk-link" href=format!("/fund/pooled-funds/{year}")>{format!("Pooled fund statement {label}")}</a>
                    {year_end}
                </li>
            }
        })
        .collect_view();
    (!funds.is_empty()).then(|| {
        view! {
            <h2 class="govuk-heading-m">"The pooled fund"</h2>
            <ul class="govuk-list">{items}</ul>
        }
    })
}

#[component]
pub fn SignOffPage() -> impl IntoView {
    let id = id_param("bid");
    let data = Resource::new(id, recommendation);
    view! { <FormPage form="sign_off" data=data render=recommendation_view/> }
}

fn recommendation_view(stored: FlashedForm, r: RecommendationView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let every = Frequency::ALL
        .iter()
        .find(|f| f.months() == r.returns_every)
        .map(|f| f.label())
        .unwrap_or("Every 3 months (quarterly)");
    let mut rows = vec![
        SummaryRow::new("Organisation", r.organisation.clone()),
        SummaryRow::new("Funding round", r.round.clone()),
        SummaryRow::new("Requested", r.requested.display()),
        SummaryRow::new(
            "Recommended award",
            r.amount.map(|a| a.display()).unwrap_or_default(),
        ),
        SummaryRow::new("What the grant pays for", r.purpose.clone()),
        SummaryRow::new(
            "Conditions",
            if r.conditions.is_empty() {
                "None".to_string()
            } else {
                r.conditions.clone()
            },
        ),
        SummaryRow::new("Monitoring returns", every),
        SummaryRow::new("Weighted score", r.total.clone()),
        SummaryRow::new(
            "Fundable",
            if r.fundable {
                "Yes: it met every minimum score"
            } else {
                "No: below a criterion's minimum score"
            },
        ),
        SummaryRow::new("Where it stands", r.state.clone()),
    ];
    if !r.override_reason.is_empty() {
        rows.push(SummaryRow::new(
            "Why it is recommended below a minimum score",
            r.override_reason.clone(),
        ));
    }
    let title = format!("Sign off the award to {}", r.organisation);
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href="/sign-off" text="Back to awards to sign off"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{r.reference.clone()}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                <SummaryList rows=rows/>
                {r.meeting.clone().map(|(id, name)| view! {
                    <p class="govuk-body">{format!("Recommended at the {}. ", name.replacen("Board meeting", "board meeting", 1))}
                        <a class="govuk-link" href=format!("/board/meetings/{id}")>"Read the minutes"</a>" or "
                        <a class="govuk-link" href=format!("/board/meetings/{id}/pack")>"the board pack"</a>"."
                    </p>
                })}
                {answer_section(AnswerForm {
                    answers: r.answers.clone(),
                    can_answer: r.can_answer,
                    why_not: r.why_not.clone(),
                    partner: r.partner.clone(),
                    action: "/api/sign-off/answer",
                    id: ("bid_id", r.bid_id),
                    hint: "If you approve and every other partner has approved, the award is made at once: the money is committed and the organisation is told",
                    refuse_hint: "The recommendation goes back to the Board with your reason; no money is committed",
                }, &stored)}
            </div>
        </div>
    }
}

/// The partners' answers so far and, when this approver may answer, the form to approve or
/// refuse (an award or a variation).
pub struct AnswerForm {
    pub answers: Vec<String>,
    pub can_answer: bool,
    pub why_not: String,
    pub partner: String,
    /// Where the form posts, and the hidden field naming what is answered.
    pub action: &'static str,
    pub id: (&'static str, i64),
    pub hint: &'static str,
    pub refuse_hint: &'static str,
}

pub fn answer_section(form: AnswerForm, stored: &FlashedForm) -> impl IntoView {
    let errors = FormErrors::from_stored(stored);
    let answers = (form.answers.iter())
        .map(|a| view! { <li>{a.clone()}</li> })
        .collect_view();
    let choices = vec![
        Choice::new("approve", format!("Approve for {}", form.partner)),
        Choice::new("refuse", "Refuse").with_hint(form.refuse_hint),
    ];
    view! {
        <h2 class="govuk-heading-m">"Partners' answers"</h2>
        {if form.answers.is_empty() {
            view! { <p class="govuk-body">"No partner has answered yet."</p> }.into_any()
        } else {
            view! { <ul class="govuk-list govuk-list--bullet">{answers}</ul> }.into_any()
        }}
        {if form.can_answer {
            view! {
                <form method="post" action=form.action novalidate>
                    <input type="hidden" name=form.id.0 value=form.id.1.to_string()/>
                    <Radios name="answer" legend="Your answer" choices=choices hint=form.hint
                        value=pick(stored, "answer", "") error=errors.for_field("answer")/>
                    <Textarea name="reason" label="Reason (needed if you refuse)" rows=4
                        value=pick(stored, "reason", "") error=errors.for_field("reason")/>
                    <Button text="Send your answer"/>
                </form>
            }.into_any()
        } else {
            view! { <div class="govuk-inset-text">{form.why_not.clone()}</div> }.into_any()
        }}
    }
}
