//! A funded scheme: the agreement and its acceptance, the tranche schedule, the monitoring
//! returns, the path to self-sufficiency and the cost avoided; a tranche's evidence and
//! review; a monitoring return's form and review. For the organisation and commissioners.
use crate::api::monitor::schemes::{scheme, SchemeView, SCHEME_FORM};
use crate::components::{
    BackLink, Button, Checkboxes, Choice, DataTable, ErrorSummary, FormErrors, IncomeChart,
    PageTitle, SummaryList, SummaryRow, TrajectoryChart,
};
use crate::domain::monitoring::{
    Change, Progress, ReturnStatus, SchemeStatus, TrancheStatus, INCOME_SOURCES,
};
use crate::pages::FormPage;
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

fn progress_tag(p: Progress) -> impl IntoView {
    let class = match p {
        Progress::OnTrack => "govuk-tag govuk-tag--green",
        Progress::Behind => "govuk-tag govuk-tag--yellow",
        Progress::AtRisk => "govuk-tag govuk-tag--red",
    };
    view! { <strong class=class>{p.label()}</strong> }
}

fn scheme_status_text(s: &SchemeView) -> String {
    match (&s.status, &s.progress) {
        (SchemeStatus::Active, Some((p, why))) => format!("{}: {why}", p.label()),
        (status, _) => status.label().to_string(),
    }
}

fn percent_text(p: Option<u32>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "–".into())
}

#[component]
pub fn SchemePage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, scheme);
    view! { <FormPage form=SCHEME_FORM data=data render=scheme_view/> }
}

fn scheme_view(stored: FlashedForm, s: SchemeView) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let tranches = s
        .tranches
        .iter()
        .map(|t| {
            let action = match (t.status, s.is_member, s.is_commissioner) {
                (TrancheStatus::Due | TrancheStatus::Returned, true, _) if s.status.running() => "Send evidence",
                (TrancheStatus::EvidenceSubmitted, _, true) => "Review evidence",
                (TrancheStatus::Approved, _, true) if !t.i_approved => "Record the payment",
                _ => "View",
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{t.position.to_string()}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{t.amount.display()}</td>
                    <td class="govuk-table__cell">{t.due.clone()}</td>
                    <td class="govuk-table__cell">{t.milestone.clone()}</td>
                    <td class="govuk-table__cell">{t.status.label()}</td>
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=format!("{base}/tranches/{}", t.id)>{action}<span class="govuk-visually-hidden">{format!(" for tranche {}", t.position)}</span></a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let returns = s
        .returns
        .iter()
        .map(|r| {
            let action = match (r.status, s.is_member, s.is_commissioner) {
                _ if r.opens.is_some() && r.status == ReturnStatus::Due => String::new(),
                (st, true, _) if st.open() && s.status.running() => format!("Fill in return {}", r.position),
                (ReturnStatus::Submitted, _, true) => format!("Review return {}", r.position),
                _ => format!("View return {}", r.position),
            };
            // A period still running, or yet to come, has nothing to report yet.
            let show_link = r.status != ReturnStatus::NotNeeded && !action.is_empty();
            let opens = r.opens.clone().filter(|_| action.is_empty());
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{r.position.to_string()}{r.is_final.then_some(" (final)")}</td>
                    <td class="govuk-table__cell">{r.period.clone()}</td>
                    <td class="govuk-table__cell">{r.due.clone()}</td>
                    <td class="govuk-table__cell">
                        {r.status.label()}
                        {r.overdue_days.map(|d| view! { <br/><strong class="govuk-tag govuk-tag--red">{format!("Overdue by {d} days")}</strong> })}
                    </td>
                    <td class="govuk-table__cell">
                        {show_link.then(|| view! { <a class="govuk-link" href=format!("{base}/returns/{}", r.id)>{action.clone()}</a> })}
                        {opens.map(|day| view! { <span class="govuk-hint govuk-!-margin-0">{format!("Opens {day}")}</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let chart_points: Vec<(String, Option<u32>, Option<u32>)> = s
        .points
        .iter()
        .map(|p| (p.label.clone(), p.planned, p.actual))
        .collect();
    let reported: Vec<_> = s.points.iter().filter(|p| p.figures.is_some()).collect();
    let income_periods: Vec<(String, Vec<i64>, i64)> = reported
        .iter()
        .filter_map(|p| {
            p.figures.map(|f| {
                (
                    p.label.clone(),
                    f.income().iter().map(|x| x.0).collect(),
                    f.costs.0,
                )
            })
        })
        .collect();
    let income_summary = match reported
        .last()
        .and_then(|p| p.figures.map(|f| (p.label.clone(), f)))
    {
        Some((label, f)) => format!(
            "In {label} income was {} ({} in cash, {} volunteer time) against running costs of {}: {}",
            f.total_income().display(),
            f.cash_income().display(),
            f.in_kind.display(),
            f.costs.display(),
            if f.covers_costs() {
                "cash income covers costs"
            } else {
                "cash income does not cover costs"
            }
        ),
        None => "No monitoring returns sent yet".to_string(),
    };
    let table_rows = s
        .points
        .iter()
        .map(|p| {
            let f = p.figures;
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{format!("{} ({})", p.position, p.label)}</th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{percent_text(p.planned)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{percent_text(p.actual)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{f.map(|f| f.costs.display()).unwrap_or_else(|| "–".into())}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{f.map(|f| f.seed_grant.display()).unwrap_or_else(|| "–".into())}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{f.map(|f| f.total_income().display()).unwrap_or_else(|| "–".into())}</td>
                    <td class="govuk-table__cell">{f.map(|f| if f.covers_costs() { "Yes" } else { "No" }).unwrap_or("–")}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{if f.is_some() { p.cost_avoided.display() } else { "–".into() }}</td>
                </tr>
            }
        })
        .collect_view();
    let accept_label = format!(
        "I accept the award of {} and its conditions on behalf of {}",
        s.amount.display(),
        s.organisation_name
    );
    let gap_choices: Vec<Choice> = s
        .gaps
        .iter()
        .map(|(id, title, status)| {
            Choice::new(
                format!("gap[{id}]"),
                format!("{title} (now {})", status.to_lowercase()),
            )
        })
        .collect();
    let sources: Vec<&'static str> = INCOME_SOURCES.iter().map(|(_, l)| *l).collect();
    let assumptions = s
        .assumptions
        .iter()
        .map(|a| view! { <li>{a.clone()}</li> })
        .collect_view();
    let status_row = scheme_status_text(&s);
    view! {
        <PageTitle text=format!("Funded scheme: {}", s.organisation_name) errors=errors/>
        <BackLink href=if s.is_commissioner { "/fund/schemes".to_string() } else { "/bids".to_string() }
            text=if s.is_commissioner { "Back to the portfolio" } else { "Back to your bids and schemes" }/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{format!("Funded scheme · {}", s.round_title)}</span>
        <h1 class="govuk-heading-l">{s.organisation_name.clone()}</h1>
        {s.progress.clone().map(|(p, _)| view! { <p class="govuk-body">{progress_tag(p)}</p> })}
        <SummaryList rows=vec![
            SummaryRow::new("Status", status_row),
            SummaryRow::new("Award", s.amount.display()),
            SummaryRow::new("Paid so far", s.paid.display()),
            SummaryRow::new("Released to the pooled fund", if s.released.0 == 0 { "Nothing".to_string() } else { s.released.display() }),
            SummaryRow::new("Bid", s.reference.clone()),
            SummaryRow::new("Awarded", s.awarded.clone()),
            SummaryRow::new("Accepted", s.accepted.clone().unwrap_or_else(|| "Not yet".into())),
            SummaryRow::new("Monitoring returns", format!("Every {} months", s.return_every)),
            SummaryRow::new("Conditions", if s.conditions.is_empty() { "None".to_string() } else { s.conditions.clone() }),
        ]/>
        <p class="govuk-body"><a class="govuk-link" href=format!("/bids/{}/view", s.bid_id)>"Read the bid in full"</a></p>
        {(s.status == SchemeStatus::Awarded && s.is_member).then(|| view! {
            <h2 class="govuk-heading-m">"Accept the award"</h2>
            <p class="govuk-body">"Before any money is paid, a member of your organisation accepts the award and its conditions. Your name and the time are recorded."</p>
            <form method="post" action="/api/schemes/accept" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <Checkboxes name="confirm" legend="Acceptance" choices=vec![Choice::new("confirm", accept_label.clone())]
                    checked=vec![] error=errors.for_field("confirm")/>
                <Button text="Accept the award"/>
            </form>
            <p class="govuk-body">"If your organisation does not want the award, you can "<a class="govuk-link" href=format!("/schemes/{}/turn-down", s.id)>"turn down the award"</a>"."</p>
        })}
        {s.suspension.clone().map(|p| view! {
            <div class="govuk-notification-banner" role="region" aria-labelledby="suspended-title">
                <div class="govuk-notification-banner__header">
                    <h2 class="govuk-notification-banner__title" id="suspended-title">"Important"</h2>
                </div>
                <div class="govuk-notification-banner__content">
                    <h3 class="govuk-notification-banner__heading">"Payments are suspended"</h3>
                    <SummaryList rows=vec![
                        SummaryRow::new("Suspended", p.since.clone()),
                        SummaryRow::new("Why", p.reason.clone()),
                        SummaryRow::new("Support plan", p.plan.clone()),
                        SummaryRow::new("Review date", p.review.clone()),
                    ]/>
                    {s.is_commissioner.then(|| view! {
                        <form method="post" action="/api/schemes/resume" novalidate>
                            <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                            <Button text="Resume payments"/>
                        </form>
                    })}
                </div>
            </div>
        })}
        {s.ended.clone().map(|when| view! {
            <div class="govuk-inset-text">
                <h2 class="govuk-heading-s">{if s.status == SchemeStatus::TurnedDown { "Award turned down" } else { "Ended early" }}</h2>
                <p class="govuk-body">{when}</p>
                <p class="govuk-body">{format!("Reason: {}", s.end_reason)}</p>
                <p class="govuk-body govuk-!-margin-bottom-0">{format!("{} paid; {} released to the pooled fund.", s.paid.display(), s.released.display())}</p>
            </div>
        })}
        {(s.is_commissioner && Change::End.refusal(s.status).is_none()).then(|| view! {
            <h2 class="govuk-heading-m">"Manage this scheme"</h2>
            <ul class="govuk-list">
                {(Change::Suspend.refusal(s.status).is_none()).then(|| view! {
                    <li><a class="govuk-link" href=format!("/schemes/{}/suspend", s.id)>"Suspend payments"</a></li>
                })}
                <li><a class="govuk-link" href=format!("/schemes/{}/end", s.id)>"End the scheme early"</a></li>
            </ul>
        })}
        {(s.status == SchemeStatus::Awarded && !s.is_member).then(|| view! {
            <div class="govuk-inset-text">"Waiting for the organisation to accept the award. No tranche can be paid before it does."</div>
        })}
        {s.graduated.clone().map(|when| view! {
            <div class="govuk-panel govuk-panel--confirmation">
                <h2 class="govuk-panel__title">"Self-sustaining"</h2>
                <div class="govuk-panel__body">{format!("Confirmed {when}")}</div>
            </div>
        })}
        {s.graduation_proposed.then(|| view! {
            <h2 class="govuk-heading-m">"Proposed for graduation"</h2>
            <div class="govuk-inset-text">"The two latest monitoring returns show no seed grant income and cash income covering costs (volunteer time is not counted)."</div>
            {s.is_commissioner.then(|| view! {
                <form method="post" action="/api/schemes/graduate" novalidate>
                    <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                    <Checkboxes name="confirm" legend="Confirm graduation"
                        hint="The latest accepted return becomes the final return and the scheme closes"
                        choices=vec![Choice::new("confirm", "This scheme is self-sustaining")] checked=vec![] error=errors.for_field("confirm")/>
                    {(!gap_choices.is_empty()).then(|| view! {
                        <Checkboxes name="gap" legend="Gaps this scheme has filled (optional)" choices=gap_choices.clone() checked=vec![] error=Signal::derive(|| None::<String>)/>
                    })}
                    <Button text="Confirm as self-sustaining"/>
                </form>
            })}
        })}
        <h2 class="govuk-heading-m">"Payments"</h2>
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Tranches (scrolls sideways)">
            <DataTable caption="Tranches" caption_class="govuk-table__caption--s" headings=vec!["Tranche", "Amount", "Due", "Milestone to evidence", "Status", ""] numeric=vec![1]>
                {tranches}
            </DataTable>
        </div>
        {super::clawbacks::clawbacks_section(&s)}
        {super::variations::history_section(&s, &stored)}
        <h2 class="govuk-heading-m">"Monitoring returns"</h2>
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Monitoring returns (scrolls sideways)">
            <DataTable caption="Monitoring returns" caption_class="govuk-table__caption--s" headings=vec!["Return", "Period", "Due", "Status", ""]>
                {returns}
            </DataTable>
        </div>
        <h2 class="govuk-heading-m">"Path to self-sufficiency"</h2>
        <TrajectoryChart id="trajectory" title="Grant dependency: planned and actual" points=chart_points summary=s.chart_summary.clone()/>
        {(!income_periods.is_empty()).then(|| view! {
            <IncomeChart id="income" title="Income by source and running costs" sources=sources.clone() periods=income_periods.clone() summary=income_summary.clone()/>
        })}
        <div class="seedbed-table-scroll" tabindex="0" role="region" aria-label="Dependency, income and costs by period (scrolls sideways)">
            <DataTable caption="Dependency, income and costs by period" caption_class="govuk-table__caption--s"
                headings=vec!["Period", "Planned dependency", "Actual dependency", "Running costs", "Seed grant", "Total income", "Cash income covers costs", "Estimated cost avoided"] numeric=vec![1, 2, 3, 4, 5, 7]>
                {table_rows}
            </DataTable>
        </div>
        <h2 class="govuk-heading-m">"Estimated cost avoided"</h2>
        <p class="govuk-body">{format!("{} to date.", s.cost_avoided.display())}</p>
        <div class="govuk-inset-text">
            <p class="govuk-body">"This is an estimate: each valued outcome in the returns is counted at its unit cost, and only the share credited to this scheme."</p>
            {if s.assumptions.is_empty() {
                view! { <p class="govuk-body">"None of this round's outcome measures is valued by a unit cost yet."</p> }.into_any()
            } else {
                view! { <ul class="govuk-list govuk-list--bullet">{assumptions}</ul> }.into_any()
            }}
        </div>
    }
}
