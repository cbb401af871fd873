//! Check your scores before you submit them: submitted scores are locked, so the assessor
//! reads them once more, as GOV.UK's check answers pattern does.
use crate::api::assess::{assess_bid, AssessData, ASSESS_FORM};
use crate::components::{BackLink, ErrorSummary, FormErrors, PageTitle, SummaryList, SummaryRow};
use crate::domain::assessment::AssignmentStatus;
use crate::pages::FormPage;
use crate::web::{id_param, query_param, FlashedForm};
use leptos::prelude::*;

#[component]
pub fn CheckScoresPage() -> impl IntoView {
    let id = id_param("id");
    let stage = query_param("stage");
    let data = Resource::new(id, assess_bid);
    view! {
        <FormPage form=ASSESS_FORM data=data render=move |stored, d| {
            check_view(stored, d, stage() == "interview")
        }/>
    }
}

fn check_view(stored: FlashedForm, d: AssessData, interview: bool) -> AnyView {
    let errors = FormErrors::from_stored(&stored);
    let back = if interview {
        format!("/assess/bids/{}#interview", d.bid_id)
    } else {
        format!("/assess/bids/{}", d.bid_id)
    };
    let title = if interview {
        "Check your interview scores before you submit them"
    } else {
        "Check your scores before you submit them"
    };
    // The criteria being checked, and whether there is anything to check.
    let (criteria, open) = if interview {
        match &d.interview {
            Some(i) => (i.criteria.clone(), i.invitation.held && !i.submitted),
            None => (Vec::new(), false),
        }
    } else {
        (d.criteria.clone(), d.status == AssignmentStatus::ToScore)
    };
    if !open {
        // Submitted already, or not yet declared: nothing to check here.
        return view! {
            <PageTitle text=title errors=errors/>
            <BackLink href=back.clone() text="Back to the bid"/>
            <h1 class="govuk-heading-l">{title}</h1>
            <p class="govuk-body">{format!("There are no scores to check for {} here.", d.organisation)}</p>
            <p class="govuk-body"><a class="govuk-link" href=back>"Go to the bid"</a></p>
        }
        .into_any();
    }
    let rows = criteria
        .iter()
        .flat_map(|c| {
            let (score_at, why_at) = (
                format!("/assess/bids/{}#score-{}", d.bid_id, c.criterion_id),
                format!("/assess/bids/{}#why-{}", d.bid_id, c.criterion_id),
            );
            [
                SummaryRow::new(
                    format!("{}: score", c.name),
                    c.score
                        .map(|s| format!("{s} out of 5"))
                        .unwrap_or_else(|| "Not scored".into()),
                )
                .change(score_at, format!("your score for {}", c.name)),
                SummaryRow::new(format!("{}: your reasons", c.name), c.justification.clone())
                    .change(why_at, format!("your reasons for {}", c.name)),
            ]
        })
        .collect();
    // The scores as saved go back with the submission, so what is submitted is what was read.
    let hidden = criteria
        .iter()
        .map(|c| {
            let score = c.score.map(|s| s.to_string()).unwrap_or_default();
            view! {
                <input type="hidden" name=format!("score[{}]", c.criterion_id) value=score/>
                <input type="hidden" name=format!("why[{}]", c.criterion_id) value=c.justification.clone()/>
            }
        })
        .collect_view();
    view! {
        <PageTitle text=title errors=errors/>
        <BackLink href=back.clone() text="Back to your scores"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <span class="govuk-caption-l">{format!("{} – {}", d.round_title, d.organisation)}</span>
                <h1 class="govuk-heading-l">{title}</h1>
                <SummaryList rows=rows/>
                <h2 class="govuk-heading-m">"Now submit your scores"</h2>
                <div class="govuk-warning-text">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        "Once you submit them, your scores are locked and the commissioners see them. Only a commissioner can reopen them."
                    </strong>
                </div>
                <form method="post" action="/api/assessment/score" novalidate>
                    <input type="hidden" name="bid_id" value=d.bid_id.to_string()/>
                    <input type="hidden" name="then" value="confirm"/>
                    {interview.then(|| view! { <input type="hidden" name="stage" value="interview"/> })}
                    {hidden}
                    <div class="govuk-button-group">
                        <button type="submit" class="govuk-button" data-module="govuk-button">{if interview { "Submit interview scores" } else { "Submit scores" }}</button>
                        <a class="govuk-link" href=back>"Change your scores"</a>
                    </div>
                </form>
            </div>
        </div>
    }
    .into_any()
}
