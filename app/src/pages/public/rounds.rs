//! Public pages: the open and upcoming funding rounds, and a round's own page.
use crate::api::fund::rounds::{public_round, public_rounds, PublicRoundInfo};
use crate::components::{error_view, BackLink, PageTitle, SummaryList, SummaryRow, Tag, TagColour};
use crate::domain::round::{Block, Panel, RoundStatus};
use crate::web::id_param;
use leptos::prelude::*;

fn status_tag(status: RoundStatus) -> impl IntoView {
    let (text, colour) = match status {
        RoundStatus::Open => ("Open", TagColour::Green),
        RoundStatus::Published => ("Opening soon", TagColour::Blue),
        RoundStatus::Draft => ("Draft", TagColour::Grey),
        RoundStatus::Closed => ("Closed", TagColour::Grey),
        RoundStatus::Assessment => ("In assessment", TagColour::Yellow),
        RoundStatus::Decided => ("Decided", TagColour::Grey),
    };
    view! { <Tag text=text colour=colour/> }
}

pub fn round_status_tag(status: RoundStatus) -> impl IntoView {
    status_tag(status)
}

/// Open and upcoming rounds, on the home page.
#[component]
pub fn RoundList() -> impl IntoView {
    let data = Resource::new(|| (), |_| public_rounds());
    view! {
        <h2 class="govuk-heading-m">"Open and upcoming funding rounds"</h2>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(rounds) if rounds.is_empty() => view! {
                        <p class="govuk-body">"There are no funding rounds open at the moment. Rounds are published here when the Board invites bids."</p>
                    }.into_any(),
                    Ok(rounds) => {
                        let items = rounds.into_iter().map(|r| {
                            let when = if r.status == RoundStatus::Open {
                                format!("Closes {}. {}", r.closes, r.closes_in)
                            } else {
                                format!("Opens {}. Closes {}", r.opens, r.closes)
                            };
                            view! {
                                <li class="seedbed-round">
                                    <h3 class="govuk-heading-s"><a class="govuk-link" href=format!("/rounds/{}", r.id)>{r.title.clone()}</a></h3>
                                    <p class="govuk-body">{r.summary.clone()}</p>
                                    <dl class="govuk-summary-list govuk-summary-list--no-border seedbed-round__facts">
                                        <div class="govuk-summary-list__row">
                                            <dt class="govuk-summary-list__key">"Amount available"</dt>
                                            <dd class="govuk-summary-list__value">{r.envelope.display()}" in total, up to "{r.max_award.display()}" for each bid"</dd>
                                        </div>
                                        <div class="govuk-summary-list__row">
                                            <dt class="govuk-summary-list__key">"Closing date"</dt>
                                            <dd class="govuk-summary-list__value">{when}</dd>
                                        </div>
                                        <div class="govuk-summary-list__row">
                                            <dt class="govuk-summary-list__key">"Status"</dt>
                                            <dd class="govuk-summary-list__value">{status_tag(r.status)}</dd>
                                        </div>
                                    </dl>
                                </li>
                            }
                        }).collect_view();
                        view! { <ul class="govuk-list seedbed-rounds">{items}</ul> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

pub fn guidance_view(blocks: Vec<Block>) -> impl IntoView {
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(text) => view! { <p class="govuk-body">{text}</p> }.into_any(),
            Block::Bullets(items) => view! {
                <ul class="govuk-list govuk-list--bullet">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            }
            .into_any(),
            Block::Numbered(items) => view! {
                <ol class="govuk-list govuk-list--number">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ol>
            }
            .into_any(),
        })
        .collect_view()
}

#[component]
pub fn PublicRoundPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, public_round);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(r) => public_round_view(r).into_any(),
                }
            })}
        </Transition>
    }
}

fn public_round_view(r: PublicRoundInfo) -> impl IntoView {
    let forms = r
        .legal_forms
        .iter()
        .map(|f| view! { <li>{f.label()}</li> })
        .collect_view();
    let criteria = r
        .criteria
        .iter()
        .map(|c| {
            let minimum = c
                .min_score
                .map(|m| format!("Bids scoring less than {m} out of 5 cannot be funded"))
                .unwrap_or_default();
            let interview = c.at_interview.then(|| view! {
                <br/><strong>"Scored at an interview or presentation with the shortlisted organisations."</strong>
            });
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{c.name.clone()}</th>
                    <td class="govuk-table__cell">{c.guidance.clone()}" "{minimum}{interview}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{format!("{}%", c.weight)}</td>
                </tr>
            }
        })
        .collect_view();
    let lay: Vec<String> = r
        .sections
        .iter()
        .filter(|(_, p)| *p == Panel::Lay)
        .map(|(t, _)| t.clone())
        .collect();
    let start = if r.status == RoundStatus::Open {
        view! {
            <a href=format!("/rounds/{}/bid", r.id) role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">"Start a bid"</a>
        }
        .into_any()
    } else {
        let text = match r.status {
            RoundStatus::Published => format!("This round opens for bids on {}.", r.opens),
            _ => "This round is closed to new bids.".to_string(),
        };
        view! { <div class="govuk-inset-text">{text}</div> }.into_any()
    };
    let gaps = r.gaps.join("; ");
    view! {
        <PageTitle text=r.title.clone()/>
        <BackLink href="/" text="Back to funding rounds"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <span class="govuk-caption-l">"Funding round"</span>
                <h1 class="govuk-heading-l">{r.title.clone()}</h1>
                <p class="govuk-body-l">{r.summary.clone()}</p>
                {status_tag(r.status)}
                <SummaryList rows=vec![
                    SummaryRow::new("Amount available", format!("{} in total", r.envelope.display())),
                    SummaryRow::new("Size of each award", format!("{} to {}", r.min_award.display(), r.max_award.display())),
                    SummaryRow::new("Funding period", format!("{} months", r.period_months)),
                    SummaryRow::new("Opens", r.opens.clone()),
                    SummaryRow::new("Closes", format!("{} ({})", r.closes, r.closes_in)),
                    SummaryRow::new("Decision expected", r.decision_expected.clone()),
                    SummaryRow::new("Gaps this round addresses", gaps),
                ]/>
                {start}
                <h2 class="govuk-heading-m">"Guidance"</h2>
                {guidance_view(r.guidance.clone())}
                <h2 class="govuk-heading-m">"Who can bid"</h2>
                {if r.invited_only {
                    view! { <p class="govuk-body">"This round is open to invited organisations only."</p> }.into_any()
                } else {
                    view! { <p class="govuk-body">"Any eligible organisation can bid."</p> }.into_any()
                }}
                <p class="govuk-body">"Your organisation must be one of these:"</p>
                <ul class="govuk-list govuk-list--bullet">{forms}</ul>
                {r.max_income.map(|m| view! { <p class="govuk-body">{format!("Its annual income must be {} or less.", m.display())}</p> })}
                <p class="govuk-body">{format!("The service must cover: {}.", r.area_served)}</p>
                <h2 class="govuk-heading-m">"How bids are scored"</h2>
                <p class="govuk-body">"Each criterion is scored from 0 to 5 and weighted. Sustainability matters most: the service must be able to continue without the grant."</p>
                {(!lay.is_empty()).then(|| view! {
                    <p class="govuk-body">{format!("These sections are scored by lay evaluators with lived experience, for example unpaid carers: {}.", lay.join(", "))}</p>
                })}
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--s">"Scoring criteria and weights"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Criterion"</th>
                            <th scope="col" class="govuk-table__header">"What we look for"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Weight"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{criteria}</tbody>
                </table>
            </div>
        </div>
    }
}
