//! Commissioners: the moderation page of a round (every bid's scores, ranked, with the
//! funding line), one bid's moderation and decision, batch decisions, releasing money.
use crate::api::decide::decisions::ReleaseUnawarded;
use crate::api::decide::moderation::{
    moderation, moderation_bid, BidModeration, ModerationData, ModerationRow, MODERATE_FORM,
};
use crate::components::{
    table_body, BackLink, Button, Checkboxes, Choice, DataTable, ErrorSummary, FormErrors,
    MoneyInput, PageTitle, Pagination, Radios, Select, SmallForm, SummaryList, SummaryRow,
    Textarea,
};
use crate::domain::board::SignOff;
use crate::domain::decision::{DecisionForm, Outcome};
use crate::domain::money::Pence;
use crate::pages::{pick, FormPage};
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

type Recorded = (Outcome, Option<crate::domain::money::Pence>, SignOff);

fn decision_text(d: &Option<Recorded>) -> String {
    match d {
        None => "None yet".into(),
        Some((Outcome::Award, Some(amount), SignOff::Awaiting)) => {
            format!("Recommended {}, awaiting sign-off", amount.display())
        }
        Some((Outcome::Award, Some(amount), SignOff::Refused)) => {
            format!("Recommended {}, refused at sign-off", amount.display())
        }
        Some((Outcome::Award, Some(amount), _)) => format!("Awarded {}", amount.display()),
        Some((outcome, _, _)) => outcome.label().to_string(),
    }
}

fn moderation_href(page: i64, base: &str) -> String {
    format!("{base}/moderation?page={page}")
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    let id = id_param("id");
    let page = crate::web::query_param("page");
    let bid = crate::web::query_param("bid");
    let data = Resource::new(
        move || (id(), page(), bid()),
        |(id, page, bid)| moderation(id, page.parse().unwrap_or(0), bid.parse().unwrap_or(0)),
    );
    view! { <FormPage form="decide_batch" data=data render=moderation_view/> }
}

fn moderation_view(stored: FlashedForm, m: ModerationData) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let release = ServerAction::<ReleaseUnawarded>::new();
    let all_errors = errors;
    let base = format!("/fund/rounds/{}", m.round_id);
    let criteria_names: Vec<String> = m
        .criteria
        .iter()
        .map(|c| format!("{} ({}%, {})", c.name, c.weight, c.scored_by.label()))
        .collect();
    // What decides come first (the total, the money, the decision); each criterion's scores
    // follow, so that at 1280 px the decision is on screen and the detail scrolls.
    let head = [
        "Rank",
        "Select",
        "Bid",
        "Total out of 100",
        "Requested",
        "Running total",
        "Decision",
    ]
    .iter()
    .map(|h| h.to_string())
    .chain(criteria_names.iter().cloned())
    .enumerate()
    .map(|(i, h)| {
        let numeric = (3..6).contains(&i);
        let class = if numeric {
            "govuk-table__header govuk-table__header--numeric"
        } else {
            "govuk-table__header"
        };
        view! { <th scope="col" class=class>{h}</th> }
    })
    .collect_view();
    // A failed post's ticks are the viewer's own: then the rows are rendered afresh.
    let kept = m.cache.as_ref().filter(|_| stored.values.is_empty());
    let columns = criteria_names.len() + 7;
    let cached = crate::pages::cached_rows_html(kept, || ranking_rows(&m, &stored, &base, columns));
    let rows = table_body(cached, || ranking_rows(&m, &stored, &base, columns));
    let outcomes = vec![
        Choice::new("award", "Award each ticked bid the amount it requested"),
        Choice::new(
            "decline",
            "Decline each ticked bid, with feedback drawn from its scores",
        ),
        Choice::new("reserve", "Put each ticked bid on the reserve list"),
    ];
    let left = crate::domain::money::Pence(m.envelope.0 - m.awarded.0);
    let showing = (m.pages > 1).then(|| {
        view! {
            <p class="govuk-body">{format!(
                "Showing bids ranked {} to {} of {}",
                m.first_rank + 1,
                m.first_rank + m.rows.len(),
                m.total_bids
            )}</p>
        }
    });
    view! {
        <PageTitle text="Moderation and decisions" errors=all_errors/>
        <BackLink href=base.clone() text="Back to the round"/>
        <ErrorSummary errors=all_errors/>
        <span class="govuk-caption-l">{m.title.clone()}</span>
        <h1 class="govuk-heading-l">"Moderation and decisions"</h1>
        <SummaryList rows=vec![
            SummaryRow::new("Budget envelope", m.envelope.display()),
            SummaryRow::new("Awarded so far", m.awarded.display()),
            SummaryRow::new("Left in the envelope", left.display()),
        ]/>
        <p class="govuk-body">"Bids are ranked by weighted total out of 100: agreed (moderated) scores where recorded, otherwise the mean of the assessors' scores. A bid scoring below a criterion's minimum is not fundable. Scores that differ by 2 or more are flagged for discussion. Open a bid to record agreed scores and a decision."</p>
        <form method="post" action="/api/decisions/batch" novalidate>
            <input type="hidden" name="round_id" value=m.round_id.to_string()/>
            <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Bids ranked by weighted total (scrolls sideways)">
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Bids ranked by weighted total"</caption>
                    <thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>
                    {rows}
                </table>
            </div>
            {showing}
            <Pagination page=m.page pages=m.pages href=moderation_href query=base.clone()/>
            <Radios name="outcome" legend="Decision for the ticked bids" choices=outcomes value=stored.value("outcome") error=errors.for_field("outcome")/>
            <Checkboxes name="award_before_scores" legend="Scores still to come"
                hint="A ticked bid is not awarded while an assessor assigned to it has not submitted scores, unless you tick this"
                choices=vec![Choice::new("award_before_scores", "Award a ticked bid even if an assigned assessor has not submitted scores")]
                checked=ticked(&stored, "award_before_scores") error=errors.for_field("award_before_scores")/>
            <Button text="Record decisions for the ticked bids"/>
        </form>
        {(left.0 > 0).then(|| view! {
            <h2 class="govuk-heading-m">"Release unawarded money"</h2>
            <p class="govuk-body">{format!("When every decision is made, give the {} left in the envelope back to the pooled fund.", left.display())}</p>
            <SmallForm action=release fields=vec![("round_id", m.round_id.to_string())] text="Release unawarded money to the pooled fund" class="govuk-button govuk-button--secondary"/>
        })}
    }
}

/// Where the funding line falls, in words: the envelope runs out at a fundable bid that it
/// cannot cover; otherwise the bids below cannot be funded as they stand, and money is left.
fn funding_line_text(envelope: Pence, first_below: &ModerationRow) -> String {
    if first_below.fundable {
        format!(
            "Funding line: the budget envelope of {} runs out here",
            envelope.display()
        )
    } else {
        let left = Pence(envelope.0 - first_below.running_total.0);
        format!(
            "Funding line: the bids below are not scored yet or below a minimum score. {} of the budget envelope of {} is left",
            left.display(),
            envelope.display()
        )
    }
}

/// The running total of requests down to this bid, counting only fundable bids (a bid that
/// cannot be funded adds nothing, so it shows none).
fn running_total_text(r: &ModerationRow) -> String {
    if r.fundable {
        r.running_total.display()
    } else {
        "Not counted".to_string()
    }
}

/// The ranking's rows on this page, with the funding line where the envelope runs out. The
/// same for every commissioner unless a failed post left ticks (`stored`).
fn ranking_rows(
    m: &ModerationData,
    stored: &FlashedForm,
    base: &str,
    columns: usize,
) -> Vec<AnyView> {
    let mut line_drawn = m.line_before;
    let mut rows = Vec::new();
    for (i, r) in m.rows.iter().enumerate() {
        let i = i + m.first_rank;
        if !r.above_line && !line_drawn {
            line_drawn = true;
            let text = funding_line_text(m.envelope, r);
            rows.push(view! {
                <tr class="govuk-table__row seedbed-funding-line">
                    <td class="govuk-table__cell" colspan=columns.to_string()><strong>{text}</strong></td>
                </tr>
            }.into_any());
        }
        let cells = r
            .cells
            .iter()
            .map(|c| {
                let scores = c
                    .scores
                    .iter()
                    .map(|s| s.1.map(|n| n.to_string()).unwrap_or_else(|| "–".into()))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mean = c.mean.map(|m| format!("mean {m}")).unwrap_or_else(|| "no scores".into());
                view! {
                    <td class="govuk-table__cell">
                        <span>{if scores.is_empty() { "–".to_string() } else { scores }}</span>
                        <br/><span class="govuk-body-s">{mean}</span>
                        {c.spread.then(|| view! { <br/><strong class="govuk-tag govuk-tag--orange">"Differ by 2+"</strong> })}
                        {c.moderated.map(|a| view! { <br/><strong>{format!("Agreed {a}")}</strong> })}
                    </td>
                }
            })
            .collect_view();
        let tick = format!("bid[{}]", r.bid_id);
        let label = format!("Select {} {}", r.reference, r.organisation);
        rows.push(view! {
            <tr class="govuk-table__row" id=format!("bid-{}", r.bid_id)>
                <td class="govuk-table__cell">{(i + 1).to_string()}</td>
                <td class="govuk-table__cell">
                    <div class="govuk-checkboxes govuk-checkboxes--small">
                        <div class="govuk-checkboxes__item">
                            <input class="govuk-checkboxes__input" id=format!("tick-{}", r.bid_id) name=tick.clone() type="checkbox" value="1"
                                checked=!stored.value(&tick).is_empty()/>
                            <label class="govuk-label govuk-checkboxes__label" for=format!("tick-{}", r.bid_id)><span class="govuk-visually-hidden">{label}</span></label>
                        </div>
                    </div>
                </td>
                <td class="govuk-table__cell">
                    <a class="govuk-link" href=format!("{base}/moderation/bids/{}", r.bid_id)>{r.reference.clone()}</a>
                    <br/><span>{r.organisation.clone()}</span>
                    {(!r.scored).then(|| view! { <br/><strong class="govuk-tag govuk-tag--grey">"Not scored yet"</strong> })}
                    {(r.scored && !r.fundable).then(|| view! { <br/><strong class="govuk-tag govuk-tag--red">"Not fundable"</strong> })}
                </td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{:.1}", r.total)}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{r.requested.display()}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{running_total_text(r)}</td>
                <td class="govuk-table__cell">{decision_text(&r.decision)}</td>
                {cells}
            </tr>
        }.into_any());
    }
    if !line_drawn && !m.rows.is_empty() && m.page >= m.pages {
        let text = format!(
            "Funding line: every fundable bid fits within the budget envelope of {}",
            m.envelope.display()
        );
        rows.push(view! {
            <tr class="govuk-table__row seedbed-funding-line">
                <td class="govuk-table__cell" colspan=columns.to_string()><strong>{text}</strong></td>
            </tr>
        }.into_any());
    }
    rows
}

#[component]
pub fn ModerateBidPage() -> impl IntoView {
    let id = id_param("id");
    let bid = id_param("bid");
    let data = Resource::new(move || (id(), bid()), |(id, bid)| moderation_bid(id, bid));
    view! { <FormPage form=MODERATE_FORM data=data render=moderate_page/> }
}

/// A checkbox's value as posted (the box comes back ticked after a failed post).
fn ticked(stored: &FlashedForm, name: &str) -> Vec<String> {
    let value = stored.value(name);
    if value.is_empty() {
        Vec::new()
    } else {
        vec![value]
    }
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
                <h3 class="govuk-heading-m">{format!("{} (weight {}%{minimum}), {}", c.name, c.weight, c.scored_by.label())}</h3>
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
