//! A funded scheme: the agreement and its acceptance, the tranche schedule, the monitoring
//! returns, the path to self-sufficiency and the cost avoided; a tranche's evidence and
//! review; a monitoring return's form and review. For the organisation and commissioners.
use crate::api::returns::*;
use crate::api::schemes::*;
use crate::components::*;
use crate::domain::monitoring::{
    money_field, Progress, ReturnStatus, SchemeStatus, TrancheStatus, INCOME_SOURCES,
};
use crate::pages::fund::registers::id_param;
use crate::pages::{pick, FormPage};
use crate::web::set_status;
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
                (TrancheStatus::Due | TrancheStatus::Returned, true, _) if s.status == SchemeStatus::Active => "Send evidence",
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
                (st, true, _) if st.open() && s.status == SchemeStatus::Active => format!("Fill in return {}", r.position),
                (ReturnStatus::Submitted, _, true) => format!("Review return {}", r.position),
                _ => format!("View return {}", r.position),
            };
            let show_link = r.status != ReturnStatus::NotNeeded;
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
            "In {label} income was {} against running costs of {}: {}",
            f.total_income().display(),
            f.costs.display(),
            if f.covers_costs() {
                "income covers costs"
            } else {
                "income does not cover costs"
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
            <div class="govuk-inset-text">"The two latest monitoring returns show no seed grant income and income covering costs."</div>
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
                headings=vec!["Period", "Planned dependency", "Actual dependency", "Running costs", "Seed grant", "Total income", "Income covers costs", "Estimated cost avoided"] numeric=vec![1, 2, 3, 4, 5, 7]>
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

#[component]
pub fn TranchePage() -> impl IntoView {
    let id = id_param("id");
    let tid = id_param("tid");
    let data = Resource::new(id, scheme);
    view! {
        <FormPage form=TRANCHE_FORM data=data render={move |stored, s| tranche_view(stored, s, tid())}/>
    }
}

fn tranche_view(stored: FlashedForm, s: SchemeView, tranche_id: i64) -> AnyView {
    let Some(t) = s.tranches.iter().find(|t| t.id == tranche_id).cloned() else {
        set_status(404);
        return view! { <NotFoundPage/> }.into_any();
    };
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", s.id);
    let can_send = s.is_member
        && s.status == SchemeStatus::Active
        && matches!(t.status, TrancheStatus::Due | TrancheStatus::Returned);
    let can_review = s.is_commissioner && t.status == TrancheStatus::EvidenceSubmitted;
    let files = t
        .files
        .iter()
        .map(|(id, name, size)| view! {
            <li><a class="govuk-link" href=format!("{base}/files/{id}")>{name.clone()}</a>{format!(" ({} KB)", (size + 1023) / 1024)}</li>
        })
        .collect_view();
    let can_pay = s.is_commissioner && t.status == TrancheStatus::Approved && !t.i_approved;
    let decisions = vec![
        Choice::new("approve", "Approve the evidence").with_hint(format!(
            "Another commissioner then records the payment of {}",
            t.amount.display()
        )),
        Choice::new("return", "Return the evidence: more is needed"),
    ];
    let mut rows = vec![
        SummaryRow::new("Amount", t.amount.display()),
        SummaryRow::new("Due", t.due.clone()),
        SummaryRow::new("Milestone to evidence", t.milestone.clone()),
        SummaryRow::new("Status", t.status.label()),
    ];
    if !t.evidence.is_empty() {
        rows.push(SummaryRow::new("Evidence", t.evidence.clone()));
        rows.push(SummaryRow::new(
            "Sent",
            format!("{} by {}", t.evidence_at, t.evidence_by),
        ));
    }
    if !t.reviewed.is_empty() {
        rows.push(SummaryRow::new(
            if t.status == TrancheStatus::Returned {
                "Returned"
            } else {
                "Evidence approved"
            },
            t.reviewed.clone(),
        ));
    }
    if !t.paid.is_empty() {
        rows.push(SummaryRow::new("Payment recorded", t.paid.clone()));
    }
    if !t.payment_reference.is_empty() {
        rows.push(SummaryRow::new(
            "Payment reference",
            t.payment_reference.clone(),
        ));
    }
    if !t.review_note.is_empty() {
        rows.push(SummaryRow::new(
            "Commissioner's note",
            t.review_note.clone(),
        ));
    }
    view! {
        <PageTitle text=format!("Tranche {}", t.position) errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{s.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">{format!("Tranche {}: {}", t.position, t.amount.display())}</h1>
        <SummaryList rows=rows/>
        {(!t.files.is_empty()).then(|| view! {
            <h2 class="govuk-heading-s">"Evidence files"</h2>
            <ul class="govuk-list">{files}</ul>
        })}
        {(s.status == SchemeStatus::Awarded).then(|| view! {
            <div class="govuk-inset-text">"The award must be accepted before evidence can be sent or a tranche paid."</div>
        })}
        {can_send.then(|| view! {
            <h2 class="govuk-heading-m">"Send evidence"</h2>
            <form method="post" action="/api/schemes/evidence" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="tranche_id" value=t.id.to_string()/>
                <Textarea name="evidence" label="How has the milestone been met?"
                    hint="For example: the service started on 3 March; 42 people have had appointments; our first monitoring return is attached"
                    rows=6 value=pick(&stored, "evidence", &t.evidence) error=errors.for_field("evidence")/>
                <Button text="Send evidence"/>
            </form>
            <form method="post" action=format!("{base}/tranches/{}/files", t.id) enctype="multipart/form-data" novalidate>
                <div class=move || if errors.for_field("file").get().is_some() { "govuk-form-group govuk-form-group--error" } else { "govuk-form-group" }>
                    <label class="govuk-label" for="file">"Add an evidence file (optional)"</label>
                    <div id="file-hint" class="govuk-hint">"PDF, Word, Excel, OpenDocument, CSV, text, PNG or JPEG, up to 10MB"</div>
                    {move || errors.for_field("file").get().map(|m| view! { <p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                    <input class="govuk-file-upload" id="file" name="file" type="file" aria-describedby="file-hint"/>
                </div>
                <Button text="Upload the file" secondary=true/>
            </form>
        })}
        {can_review.then(|| view! {
            <h2 class="govuk-heading-m">"Review the evidence"</h2>
            <form method="post" action="/api/schemes/review_tranche" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="tranche_id" value=t.id.to_string()/>
                <Radios name="decision" legend="Decision" choices=decisions value=stored.value("decision") error=errors.for_field("decision")/>
                <Textarea name="note" label="Note for the organisation" hint="Required when you return the evidence: say what more is needed"
                    rows=4 value=stored.value("note") error=errors.for_field("note")/>
                <Button text="Record decision"/>
            </form>
        })}
        {(s.is_commissioner && t.status == TrancheStatus::Approved && t.i_approved).then(|| view! {
            <div class="govuk-inset-text">"You approved this evidence. Another commissioner must record the payment: the same person cannot do both."</div>
        })}
        {can_pay.then(|| view! {
            <h2 class="govuk-heading-m">"Record the payment"</h2>
            <p class="govuk-body">{format!("The evidence was approved {}. Record the payment of {} once it has been made.", t.reviewed, t.amount.display())}</p>
            <form method="post" action="/api/schemes/record_payment" novalidate>
                <input type="hidden" name="scheme_id" value=s.id.to_string()/>
                <input type="hidden" name="tranche_id" value=t.id.to_string()/>
                <TextInput name="reference" label="Payment reference" hint="The reference of the payment in the finance system, for example BACS-20261205-001"
                    value=stored.value("reference") error=errors.for_field("reference") width_class="govuk-input--width-20"/>
                <Button text="Record the payment"/>
            </form>
        })}
    }
    .into_any()
}

#[component]
pub fn ReturnPage() -> impl IntoView {
    let id = id_param("id");
    let rid = id_param("rid");
    let data = Resource::new(
        move || (id(), rid()),
        |(id, rid)| monitoring_return(id, rid),
    );
    view! { <FormPage form=RETURN_FORM data=data render=return_view/> }
}

fn return_view(stored: FlashedForm, r: ReturnPage) -> impl IntoView {
    let errors = FormErrors::from_stored(&stored);
    let base = format!("/schemes/{}", r.scheme_id);
    let title = format!("Monitoring return {}", r.position);
    let money_value = |key: &str| {
        let name = money_field(key);
        let saved = r.typed.money.get(key).cloned().unwrap_or_default();
        pick(&stored, &name, &saved)
    };
    let money_inputs = std::iter::once(("costs", "Running costs"))
        .chain(INCOME_SOURCES.iter().copied())
        .map(|(key, label)| {
            let name = money_field(key);
            let label = if key == "costs" {
                "Running costs in this period".to_string()
            } else {
                format!("Income received: {}", label.to_lowercase())
            };
            view! { <MoneyInput name=name.clone() label=label value=money_value(key) error=errors.for_name(name)/> }
        })
        .collect_view();
    let measure_inputs = |kind: crate::domain::monitoring::MeasureKind| {
        r.measures
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| {
                let name = format!("measure[{}]", m.id);
                let saved = r
                    .typed
                    .measures
                    .get(&m.id.to_string())
                    .cloned()
                    .unwrap_or_else(|| m.value.map(|v| v.to_string()).unwrap_or_default());
                view! {
                    <TextInput name=name.clone() label=m.name.clone() value=pick(&stored, &name, &saved)
                        error=errors.for_name(name) width_class="govuk-input--width-10" inputmode="numeric"/>
                }
            })
            .collect_view()
    };
    let activity = measure_inputs(crate::domain::monitoring::MeasureKind::Activity);
    let outcomes = measure_inputs(crate::domain::monitoring::MeasureKind::Outcome);
    let f = r.figures;
    let reported = r.status.reported();
    let mut rows = vec![
        SummaryRow::new("Period", r.period.clone()),
        SummaryRow::new("Due", r.due.clone()),
        SummaryRow::new("Status", r.status.label()),
    ];
    if let Some(d) = r.overdue_days {
        rows.push(SummaryRow::new("Overdue", format!("{d} days")));
    }
    if !r.saved.is_empty() {
        rows.push(SummaryRow::new("Last saved", r.saved.clone()));
    }
    if !r.submitted.is_empty() && reported {
        rows.push(SummaryRow::new("Sent", r.submitted.clone()));
    }
    if let Some(p) = r.planned {
        rows.push(SummaryRow::new(
            "Planned grant dependency for this period",
            format!("{p}%"),
        ));
    }
    let answers = reported.then(|| {
        let mut a = vec![SummaryRow::new("Running costs", f.costs.display())];
        for ((_, label), value) in INCOME_SOURCES.iter().zip(f.income()) {
            a.push(SummaryRow::new(
                format!("Income: {}", label.to_lowercase()),
                value.display(),
            ));
        }
        a.push(SummaryRow::new("Total income", f.total_income().display()));
        a.push(SummaryRow::new(
            "Grant dependency",
            format!("{}%", crate::domain::monitoring::percent(f.dependency())),
        ));
        a.push(SummaryRow::new(
            "Income covers costs",
            if f.covers_costs() { "Yes" } else { "No" },
        ));
        for m in &r.measures {
            a.push(SummaryRow::new(
                m.name.clone(),
                m.value.map(|v| v.to_string()).unwrap_or_else(|| "–".into()),
            ));
        }
        a.push(SummaryRow::new(
            "What happened in this period",
            r.narrative.clone(),
        ));
        a.push(SummaryRow::new(
            "Risks",
            if r.risks.is_empty() {
                "None given".to_string()
            } else {
                r.risks.clone()
            },
        ));
        a
    });
    let decisions = vec![
        Choice::new("accept", "Accept the return"),
        Choice::new("changes", "Ask for changes"),
    ];
    view! {
        <PageTitle text=title.clone() errors=errors/>
        <BackLink href=base.clone() text="Back to the scheme"/>
        <ErrorSummary errors=errors/>
        <span class="govuk-caption-l">{r.organisation_name.clone()}</span>
        <h1 class="govuk-heading-l">{title.clone()}</h1>
        <SummaryList rows=rows/>
        {(r.status == ReturnStatus::ChangesRequested && !r.review_comment.is_empty()).then(|| view! {
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>{format!("Changes asked for: {}", r.review_comment)}</strong>
            </div>
        })}
        {r.editable.then(|| view! {
            <form method="post" action="/api/returns/save" novalidate>
                <input type="hidden" name="scheme_id" value=r.scheme_id.to_string()/>
                <input type="hidden" name="return_id" value=r.return_id.to_string()/>
                <h2 class="govuk-heading-m">"Costs and income"</h2>
                <p class="govuk-body">"Enter what was actually spent and received in this period, in pounds. Leave an income source empty if nothing came from it."</p>
                {money_inputs}
                {(!r.measures.is_empty()).then(|| view! {
                    <h2 class="govuk-heading-m">"Activity"</h2>
                    {activity}
                    <h2 class="govuk-heading-m">"Outcomes"</h2>
                    {outcomes}
                })}
                <h2 class="govuk-heading-m">"About this period"</h2>
                <Textarea name="narrative" label="What happened in this period" rows=6
                    value=pick(&stored, "narrative", &r.narrative) error=errors.for_field("narrative")/>
                <Textarea name="risks" label="Risks to the service (optional)" rows=4
                    value=pick(&stored, "risks", &r.risks) error=errors.for_field("risks")/>
                <div class="govuk-button-group">
                    <Button text="Send return" name="then" value="send"/>
                    <Button text="Save and come back later" secondary=true name="then" value="later"/>
                </div>
            </form>
        })}
        {answers.map(|a| view! { <h2 class="govuk-heading-m">"The return"</h2><SummaryList rows=a/> })}
        {(r.is_commissioner && r.status == ReturnStatus::Submitted).then(|| view! {
            <h2 class="govuk-heading-m">"Review the return"</h2>
            <form method="post" action="/api/returns/review" novalidate>
                <input type="hidden" name="scheme_id" value=r.scheme_id.to_string()/>
                <input type="hidden" name="return_id" value=r.return_id.to_string()/>
                <Radios name="decision" legend="Decision" choices=decisions value=stored.value("decision") error=errors.for_field("decision")/>
                <Textarea name="comment" label="Comment for the organisation" hint="Required when you ask for changes"
                    rows=4 value=stored.value("comment") error=errors.for_field("comment")/>
                <Button text="Record review"/>
            </form>
        })}
    }
}
