//! Commissioners: one bid's moderation (every assessor's scores and reasons, the agreed
//! scores) and the decision on it: the Board's recommendation, where it stands with the
//! partners, or the award's payment schedule once made.
use super::moderation::{decision_text, ticked};
use crate::api::decide::moderation::{moderation_bid, BidModeration, MODERATE_FORM};
use crate::components::{
    BackLink, Button, Checkboxes, Choice, DataTable, ErrorSummary, FormErrors, MoneyInput,
    PageTitle, Radios, Select, SummaryList, SummaryRow, Textarea,
};
use crate::domain::board::SignOff;
use crate::domain::decision::{DecisionForm, Outcome};
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

#[component]
pub fn ModerateBidPage() -> impl IntoView {
    let id = id_param("id");
    let bid = id_param("bid");
    let data = Resource::new(move || (id(), bid()), |(id, bid)| moderation_bid(id, bid));
    view! { <FormPage form=MODERATE_FORM data=data render=moderate_page/> }
}

/// The assessors still to score a bid, as a warning, with the box that lets an award go
/// ahead without their scores. Nothing when every assigned assessor has scored.
fn waiting_warning(waiting: &[String], stored: &FlashedForm, errors: &FormErrors) -> impl IntoView {
    (!waiting.is_empty()).then(|| {
        let who = crate::domain::text::join_names(waiting);
        let verb = if waiting.len() == 1 { "has" } else { "have" };
        let name = "award_before_scores";
        let checked = ticked(stored, name);
        view! {
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text">
                    <span class="govuk-visually-hidden">"Warning"</span>
                    {format!("{who} {verb} not submitted scores for this bid yet. Their scores may change its ranking.")}
                </strong>
            </div>
            <Checkboxes name=name legend="Scores still to come"
                choices=vec![Choice::new(name, format!("Award before {who} {verb} scored"))]
                checked=checked error=errors.for_field(name)/>
        }
    })
}

/// The bid's interview or presentation: the invitation and reply, or the way to shortlist it.
fn interview_section(b: &BidModeration, base: &str) -> impl IntoView {
    let href = format!("{base}/moderation/bids/{}/interview", b.row.bid_id);
    let undecided = b.decision.is_none();
    match &b.interview {
        Some(i) => view! {
            <h2 class="govuk-heading-m">"Interview or presentation"</h2>
            <SummaryList rows=crate::pages::apply::interview::interview_rows(i)/>
            {undecided.then(|| view! { <p class="govuk-body"><a class="govuk-link" href=href.clone()>"Change the invitation"</a></p> })}
        }
        .into_any(),
        None if undecided => view! {
            <h2 class="govuk-heading-m">"Interview or presentation"</h2>
            <p class="govuk-body">"Not shortlisted. "<a class="govuk-link" href=href>"Shortlist and invite to an interview or presentation"</a></p>
        }
        .into_any(),
        None => ().into_any(),
    }
}

fn moderate_page(stored: FlashedForm, b: BidModeration) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let (moderated, decided) = (stored.clone(), stored);
    let base = format!("/fund/rounds/{}", b.round_id);
    let r = b.row.clone();
    let criteria = b
        .criteria
        .iter()
        .zip(&r.cells)
        .map(|(c, cell)| {
            let reasons = b
                .reasons
                .iter()
                .filter(|x| x.0 == c.id)
                .map(|x| view! {
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">{x.1.clone()}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{x.2.map(|s| s.to_string()).unwrap_or_default()}</td>
                        <td class="govuk-table__cell">{x.3.clone()}</td>
                    </tr>
                })
                .collect_view();
            let agreed_name = format!("agreed[{}]", c.id);
            let note_name = format!("note[{}]", c.id);
            let current = cell.moderated.map(|s| s.to_string()).unwrap_or_default();
            let choices = std::iter::once(Choice::new("", "Not agreed yet"))
                .chain((0..=5).map(|n| Choice::new(n.to_string(), n.to_string())))
                .collect();
            let minimum = c.min_score.map(|m| format!(", minimum {m}")).unwrap_or_default();
            view! {
                <h3 class="govuk-heading-m">{format!("{} (weight {}%{minimum}), {}{}", c.name, c.weight, c.scored_by.label(), if c.interview { " at the interview" } else { "" })}</h3>
                <p class="govuk-body">
                    <span>{cell.mean.map(|m| format!("Mean {m}.")).unwrap_or_else(|| "No scores yet.".into())}</span>
                    {cell.spread.then(|| view! { <strong class="govuk-tag govuk-tag--orange seedbed-tag-gap">"Scores differ by 2 or more"</strong> })}
                </p>
                <DataTable caption=format!("Assessors' scores for {}", c.name) caption_class="govuk-table__caption--s" headings=vec!["Assessor", "Score", "Reasons"] numeric=vec![1]>
                    {reasons}
                </DataTable>
                <Select name=agreed_name.clone() label=format!("Agreed score for {}", c.name) choices=choices
                    value=pick(&moderated, &agreed_name, &current) error=errors.for_name(agreed_name.clone())/>
                <Textarea name=note_name.clone() label=format!("Moderation note for {}", c.name) rows=2
                    value=pick(&moderated, &note_name, &cell.note) error=errors.for_name(note_name.clone())/>
            }
        })
        .collect_view();
    let saved = b.decision.clone();
    let form = DecisionForm {
        outcome: saved
            .as_ref()
            .map(|d| d.outcome.code().to_string())
            .unwrap_or_default(),
        amount: saved
            .as_ref()
            .and_then(|d| d.amount)
            .unwrap_or(r.requested)
            .form_value(),
        conditions: saved
            .as_ref()
            .map(|d| d.conditions.clone())
            .unwrap_or_default(),
        purpose: b.draft_purpose.clone(),
        feedback: saved
            .as_ref()
            .map(|d| d.feedback.clone())
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| b.draft_feedback.clone()),
        returns_every: "3".into(),
        award_before_scores: String::new(),
        override_reason: String::new(),
        meeting: saved
            .as_ref()
            .and_then(|d| d.meeting_id)
            .or(b.meetings.first().map(|(id, _)| *id))
            .map(|id| id.to_string())
            .unwrap_or_default(),
    };
    let meetings: Vec<Choice> = std::iter::once(Choice::new("", "Not at a board meeting"))
        .chain(
            b.meetings
                .iter()
                .map(|(id, name)| Choice::new(id.to_string(), name.clone())),
        )
        .collect();
    let has_meetings = !b.meetings.is_empty();
    let v = |name: &str, saved: &str| pick(&decided, name, saved);
    let awarded = saved
        .as_ref()
        .is_some_and(|d| d.outcome == Outcome::Award && d.sign_off.is_final_award());
    let sign_off = saved
        .as_ref()
        .filter(|d| d.outcome == Outcome::Award && !d.sign_off.is_final_award())
        .map(|d| {
            let answers = d
                .answers
                .iter()
                .map(|a| view! { <li>{a.clone()}</li> })
                .collect_view();
            let head = match d.sign_off {
                SignOff::Refused => "The recommended award was refused at sign-off. No money was committed: record the Board's decision again, or another decision.",
                _ => "The Board's recommendation of an award awaits sign-off: the money is committed when an approver for every partner has approved it. Until then you can change the recommendation.",
            };
            view! {
                <div class="govuk-inset-text">
                    <p class="govuk-body">{head}</p>
                    <ul class="govuk-list govuk-list--bullet">{answers}</ul>
                </div>
            }
        });
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| Choice::new(o.code(), o.label()))
        .collect();
    let frequencies = crate::domain::monitoring::Frequency::ALL
        .iter()
        .map(|f| Choice::new(f.code(), f.label()))
        .collect();
    let tranches = b
        .tranches
        .iter()
        .enumerate()
        .map(|(i, t)| {
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{(i + 1).to_string()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{t.amount.display()}</td>
                    <td class="govuk-table__cell">{t.due.clone()}</td>
                    <td class="govuk-table__cell">{t.milestone.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=format!("Moderate {}", r.reference) errors=errors/>
        <BackLink href=format!("{base}/moderation") text="Back to moderation and decisions"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{b.title.clone()}</span>
        <h1 class="govuk-heading-l">{format!("{}: {}", r.reference, r.organisation)}</h1>
        <SummaryList rows=vec![
            SummaryRow::new("Weighted total", format!("{:.1} out of 100", r.total)),
            SummaryRow::new("Fundable", if r.fundable { "Yes" } else { "No: below a criterion's minimum score" }),
            SummaryRow::new("Requested", r.requested.display()),
            SummaryRow::new("Decision", decision_text(&r.decision)),
        ]/>
        <p class="govuk-body"><a class="govuk-link" href=format!("/bids/{}/view", r.bid_id)>"Read the bid in full"</a></p>
        {interview_section(&b, &base)}
        <h2 class="govuk-heading-l">"Agreed scores"</h2>
        <form method="post" action="/api/decisions/moderate" novalidate>
            <input type="hidden" name="round_id" value=b.round_id.to_string()/>
            <input type="hidden" name="bid_id" value=r.bid_id.to_string()/>
            {criteria}
            <Button text="Save agreed scores"/>
        </form>
        <h2 class="govuk-heading-l" id="decision">"Decision"</h2>
        {if awarded {
            view! {
                <p class="govuk-body">{format!("Awarded {}. The award is final and the money is committed.", saved.as_ref().and_then(|d| d.amount).map(|p| p.display()).unwrap_or_default())}</p>
                {saved.as_ref().map(|d| d.override_reason.clone()).filter(|r| !r.is_empty()).map(|r| view! {
                    <div class="govuk-inset-text">{format!("Awarded although it scored below a criterion's minimum. The reason recorded: {r}")}</div>
                })}
                <DataTable caption="Payment schedule" caption_class="govuk-table__caption--s" headings=vec!["Tranche", "Amount", "Due", "Milestone to evidence"] numeric=vec![1]>
                    {tranches}
                </DataTable>
            }.into_any()
        } else {
            view! {
                {sign_off}
                <form method="post" action="/api/decisions/decide" novalidate>
                    <input type="hidden" name="round_id" value=b.round_id.to_string()/>
                    <input type="hidden" name="bid_id" value=r.bid_id.to_string()/>
                    {waiting_warning(&b.waiting, &decided, &errors)}
                    {(r.scored && !r.fundable).then(|| view! {
                        <div class="govuk-warning-text">
                            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                            <strong class="govuk-warning-text__text">
                                <span class="govuk-visually-hidden">"Warning"</span>
                                "This bid is not fundable: it scored below a criterion's minimum. To award it, give the reason. The reason is kept with the decision and in the audit trail."
                            </strong>
                        </div>
                        <Textarea name="override_reason" label="If you award it, the reason for awarding a bid below a minimum score" rows=3
                            value=v("override_reason", "") error=errors.for_field("override_reason")/>
                    })}
                    {has_meetings.then(|| view! {
                        <Select name="meeting" label="Board meeting where the Board made this decision" hint="It is recorded in that meeting's minutes"
                            choices=meetings value=v("meeting", &form.meeting) error=errors.for_field("meeting")/>
                    })}
                    <Radios name="outcome" legend="Decision" choices=outcomes value=v("outcome", &form.outcome) error=errors.for_field("outcome")/>
                    <MoneyInput name="amount" label="Amount to award" hint=format!("Up to the {} requested. Paid in three tranches: 50%, 30% and 20%", r.requested.display())
                        value=v("amount", &form.amount) error=errors.for_field("amount")/>
                    <Textarea name="purpose" label="If awarded, what the grant pays for" hint="Published on the register of awards and in the open data. Drafted from the bid's budget: edit it to say what the grant funds in a sentence"
                        rows=2 value=v("purpose", &form.purpose) error=errors.for_field("purpose")/>
                    <Textarea name="conditions" label="Conditions of the award (optional)" rows=3 value=v("conditions", &form.conditions) error=errors.for_field("conditions")/>
                    <Radios name="returns_every" legend="If awarded, how often the scheme sends monitoring returns" choices=frequencies value=v("returns_every", &form.returns_every) error=errors.for_field("returns_every")/>
                    <Textarea name="feedback" label="Feedback for the organisation" hint="Drawn from the scores and the assessors' reasons. Edit it before you decline: it is emailed to the organisation's members"
                        rows=12 value=v("feedback", &form.feedback) error=errors.for_field("feedback")/>
                    <Button text="Record decision"/>
                </form>
            }.into_any()
        }}
    }
}
