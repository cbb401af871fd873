//! Commissioners: the moderation page of a round (every bid's scores, ranked, with the
//! funding line), batch decisions, releasing money. One bid's moderation and decision is
//! moderate_bid.rs.
use crate::api::decide::decisions::ReleaseUnawarded;
use crate::api::decide::moderation::{moderation, ModerationData, ModerationRow};
use crate::components::{
    table_body, BackLink, Button, Checkboxes, Choice, ErrorSummary, FormErrors, PageTitle,
    Pagination, Radios, SmallForm, SummaryList, SummaryRow,
};
use crate::domain::board::SignOff;
use crate::domain::decision::Outcome;
use crate::domain::money::Pence;
use crate::pages::FormPage;
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

type Recorded = (Outcome, Option<crate::domain::money::Pence>, SignOff);

pub(super) fn decision_text(d: &Option<Recorded>) -> String {
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
        .map(|c| {
            let at = if c.interview { " at the interview" } else { "" };
            format!("{} ({}%, {}{at})", c.name, c.weight, c.scored_by.label())
        })
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
        <p class="govuk-body"><a class="govuk-link" href=format!("/board/rounds/{}/decisions", m.round_id)>"Decision report for the partners"</a></p>
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
                    {r.shortlisted.then(|| view! { <br/><strong class="govuk-tag govuk-tag--blue">"Shortlisted"</strong> })}
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

/// A checkbox's value as posted (the box comes back ticked after a failed post).
pub(super) fn ticked(stored: &FlashedForm, name: &str) -> Vec<String> {
    let value = stored.value(name);
    if value.is_empty() {
        Vec::new()
    } else {
        vec![value]
    }
}
