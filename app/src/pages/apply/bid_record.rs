//! The whole bid: check answers and send, the confirmation, reading it in full (withdraw or
//! reopen it there) and the printable file.
use super::bid_section::plan_results;
use super::bids::{caption, locked_reason};
use crate::api::apply::bids::{full_bid, BidRecord, WithdrawBid, DECLARATIONS};
use crate::components::{
    error_view, BackLink, Button, Checkboxes, Choice, ErrorSummary, FormErrors, PageTitle,
    SmallForm, SummaryList, SummaryRow,
};
use crate::pages::FormPage;
use crate::web::id_param;
use crate::web::FlashedForm;
use leptos::prelude::*;

fn answers_view(b: &BidRecord, change: bool) -> impl IntoView {
    let base = format!("/bids/{}", b.bid.id);
    let sections = b
        .sections
        .iter()
        .map(|s| {
            let rows = s
                .rows
                .iter()
                .map(|r| {
                    let row = SummaryRow::new(r.question.clone(), r.answer.clone());
                    if change && !r.worked_out {
                        row.change(format!("{base}/sections/{}?return=check", s.section_id), r.question.to_lowercase())
                    } else {
                        row
                    }
                })
                .collect();
            let status = (!s.completed).then(|| view! { <strong class="govuk-tag govuk-tag--light-blue">"Not completed"</strong> });
            view! {
                <h2 class="govuk-heading-m" id=format!("section-{}", s.section_id)>{s.title.clone()}</h2>
                {status}
                <SummaryList rows=rows/>
            }
        })
        .collect_view();
    let plan = b.plan.clone().map(|p| {
        plan_results(
            &p,
            b.funded_years,
            &b.flags,
            &b.summary,
            "Sustainability plan: table and chart",
        )
    });
    view! {
        {sections}
        {plan}
    }
}

#[component]
pub fn CheckAnswersPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, full_bid);
    view! { <FormPage form="submit_bid" data=data render=check_view/> }
}

fn check_view(stored: FlashedForm, b: BidRecord) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let back = format!("/bids/{}", b.bid.id);
    let choices = DECLARATIONS
        .iter()
        .map(|(k, text)| Choice::new(format!("declare[{k}]"), *text))
        .collect();
    let checked = DECLARATIONS
        .iter()
        .map(|(k, _)| format!("declare[{k}]"))
        .filter(|n| !stored.value(n).is_empty())
        .collect();
    let send = match locked_reason(&b.bid) {
        Some(reason) => view! { <div class="govuk-inset-text">{reason}</div> }.into_any(),
        None => view! {
            <h2 class="govuk-heading-m">"Now send your bid"</h2>
            <p class="govuk-body">{format!("By sending this bid on behalf of {}, you are confirming that:", b.bid.organisation_name)}</p>
            <form method="post" action="/api/bids/submit" novalidate>
                <input type="hidden" name="bid_id" value=b.bid.id.to_string()/>
                <Checkboxes name="declare[true]" legend="Declarations" hint="Select all three to send your bid" choices=choices checked=checked
                    error=Signal::derive(move || {
                        let all = errors.0.get();
                        let mine: Vec<String> = all.into_iter().filter(|e| e.field.starts_with("declare[")).map(|e| e.message).collect();
                        (!mine.is_empty()).then(|| mine.join(". "))
                    })/>
                <Button text="Accept and send"/>
            </form>
        }
        .into_any(),
    };
    view! {
        <PageTitle text="Check your answers before sending your bid" errors=errors/>
        <BackLink href=back text="Back to your bid"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{caption(&b.bid)}</span>
                <h1 class="govuk-heading-l">"Check your answers before sending your bid"</h1>
                {answers_view(&b, b.bid.editable)}
                {send}
            </div>
        </div>
    }
}

#[component]
pub fn BidConfirmationPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, full_bid);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(b) => view! {
                        <PageTitle text="Bid sent"/>
                        <div class="govuk-grid-row">
                            <div class="govuk-grid-column-two-thirds">
                                <div class="govuk-panel govuk-panel--confirmation">
                                    <h1 class="govuk-panel__title">"Bid sent"</h1>
                                    <div class="govuk-panel__body">"Your reference number"<br/><strong>{b.bid.reference.clone().unwrap_or_default()}</strong></div>
                                </div>
                                <p class="govuk-body">{format!("We have sent a confirmation email to every member of {}.", b.bid.organisation_name)}</p>
                                <h2 class="govuk-heading-m">"What happens next"</h2>
                                <p class="govuk-body">{format!("The round closes at {}. Until then, you can withdraw your bid, change it and send it again.", b.bid.closes)}</p>
                                <p class="govuk-body">"After the round closes, board members and lay evaluators score every eligible bid against the published criteria. We will email you with the decision."</p>
                                <ul class="govuk-list">
                                    <li><a class="govuk-link" href=format!("/bids/{}/view", b.bid.id)>"Read or print your bid"</a></li>
                                    <li><a class="govuk-link" href="/bids">"Go to your bids"</a></li>
                                </ul>
                            </div>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The whole bid, to read in full or print; withdraw or reopen it before the round closes.
#[component]
pub fn BidViewPage() -> impl IntoView {
    let id = id_param("id");
    let data = Resource::new(id, full_bid);
    let withdraw = ServerAction::<WithdrawBid>::new();
    let errors = FormErrors::from_stored(&FlashedForm::default());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(b) => {
                        let id = b.bid.id;
                        let mut facts = vec![
                            SummaryRow::new("Organisation", b.bid.organisation_name.clone()),
                            SummaryRow::new("Funding round", b.bid.round_title.clone()),
                            SummaryRow::new("Status", b.bid.status.label()),
                        ];
                        if let Some(r) = &b.bid.reference {
                            facts.push(SummaryRow::new("Reference", r.clone()));
                        }
                        if let Some(s) = &b.bid.submitted {
                            facts.push(SummaryRow::new("Sent", s.clone()));
                        }
                        if let Some(p) = b.bid.requested {
                            facts.push(SummaryRow::new("Amount requested", p.display()));
                        }
                        let actions = view! {
                            {b.can_withdraw.then(|| view! {
                                <p class="govuk-body">{format!("You can withdraw this bid until the round closes at {}. You can then change it and send it again.", b.bid.closes)}</p>
                                <SmallForm action=withdraw fields=vec![("bid_id", id.to_string()), ("reopen", "false".into())] text="Withdraw this bid" class="govuk-button govuk-button--warning"/>
                            })}
                            {b.can_reopen.then(|| view! {
                                <p class="govuk-body">"This bid is withdrawn. Reopen it as a draft to change it and send it again before the round closes."</p>
                                <SmallForm action=withdraw fields=vec![("bid_id", id.to_string()), ("reopen", "true".into())] text="Reopen this bid as a draft" class="govuk-button govuk-button--secondary"/>
                            })}
                        };
                        view! {
                            <PageTitle text=format!("Bid: {}", b.bid.round_title) errors=errors/>
                            <BackLink href=format!("/bids/{id}") text="Back to your bid"/>
                            <div class="govuk-grid-row">
                                <div class="govuk-grid-column-two-thirds">
                                    <ErrorSummary errors=errors/>
                                    <span class="govuk-caption-l">{b.bid.organisation_name.clone()}</span>
                                    <h1 class="govuk-heading-l">{format!("Bid: {}", b.bid.round_title)}</h1>
                                    <SummaryList rows=facts/>
                                    <div class="seedbed-no-print">
                                        <p class="govuk-body">
                                            <span>"To keep a copy, print this page or save it as a PDF from your browser's print menu, or "</span>
                                            <a class="govuk-link" href=format!("/bids/{id}/download") download="">"download the bid as a printable page"</a>
                                            <span>"."</span>
                                        </p>
                                        {actions}
                                    </div>
                                    {answers_view(&b, false)}
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The whole bid as one self-contained HTML file, to download, keep and print: the same
/// answers, table and chart as the bid's page, with a small print stylesheet of its own.
#[cfg(feature = "ssr")]
pub fn printable_html(b: &BidRecord) -> String {
    const STYLE: &str = "body{font-family:Arial,sans-serif;color:#0b0c0c;max-width:960px;margin:20px auto;padding:0 15px;line-height:1.4}\
        h1{font-size:28px}h2{font-size:22px;margin-top:30px;border-top:1px solid #b1b4b6;padding-top:10px}\
        dl{display:table;width:100%;margin:0 0 20px}.govuk-summary-list__row{display:table-row}\
        dt,dd{display:table-cell;padding:6px 10px 6px 0;border-bottom:1px solid #b1b4b6;vertical-align:top}dt{font-weight:bold;width:35%}\
        .govuk-summary-list__actions{display:none}table{border-collapse:collapse;margin-bottom:20px}\
        th,td{border-bottom:1px solid #b1b4b6;padding:6px 10px 6px 0;text-align:left}.govuk-table__cell--numeric{text-align:right}\
        .govuk-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\
        svg{max-width:640px;width:100%;height:auto}.govuk-tag{font-weight:bold}";
    let title = format!(
        "{} – {} – {}",
        b.bid
            .reference
            .clone()
            .unwrap_or_else(|| "Draft bid".into()),
        b.bid.organisation_name,
        b.bid.round_title
    );
    let facts = vec![
        SummaryRow::new("Organisation", b.bid.organisation_name.clone()),
        SummaryRow::new("Funding round", b.bid.round_title.clone()),
        SummaryRow::new("Status", b.bid.status.label()),
        SummaryRow::new(
            "Reference",
            b.bid
                .reference
                .clone()
                .unwrap_or_else(|| "Not sent yet".into()),
        ),
        SummaryRow::new(
            "Sent",
            b.bid
                .submitted
                .clone()
                .unwrap_or_else(|| "Not sent yet".into()),
        ),
        SummaryRow::new(
            "Amount requested",
            b.bid.requested.map(|p| p.display()).unwrap_or_default(),
        ),
    ];
    let record = b.clone();
    let owner = Owner::new();
    let (head, body) = owner.with(|| {
        let head = view! { <title>{title.clone()}</title> }.to_html();
        let body = view! {
            <main>
                <h1>{format!("Bid: {}", record.bid.round_title)}</h1>
                <SummaryList rows=facts/>
                {answers_view(&record, false)}
            </main>
        }
        .to_html();
        (head, body)
    });
    format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">{head}<style>{STYLE}</style></head><body>{body}</body></html>"
    )
}
