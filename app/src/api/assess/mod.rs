//! Assessment: commissioners appoint a round's panels and assign bids; assessors declare any
//! conflict of interest before they see a bid, then score it blind against the criteria.
use crate::domain::assessment::{AssignmentStatus, ConflictNature, DeclarationForm};
use crate::domain::round::{Panel, RoundStatus};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::roles::Role,
    crate::error::FieldError,
    crate::service::assessment::{self as service, AssessmentError, Assign, TypedScores},
};

pub mod board;
mod panels;
pub mod training;
pub use panels::*;

/// The form name the assessor's bid page keeps typed values under (declaration and scores).
pub const ASSESS_FORM: &str = "assess_bid";

#[cfg(feature = "ssr")]
use crate::auth::require_commissioner as commissioner;

// ---- The assessor's home page ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentItem {
    pub bid_id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub organisation: String,
    pub reference: Option<String>,
    pub panel: Panel,
    pub status: AssignmentStatus,
    /// Shortlisted and this assessor scores criteria at the interview: where that stands
    /// ("Interview on 14 January 2027 at 10am", "Interview to score", "Interview scored").
    #[serde(default)]
    pub interview: Option<String>,
    /// The interview has taken place and its scores are not submitted.
    #[serde(default)]
    pub interview_to_score: bool,
    /// Interview scores still to give (before or after it takes place).
    #[serde(default)]
    pub interview_pending: bool,
}

#[server(prefix = "/api", endpoint = "assessment/mine")]
pub async fn my_assessments() -> Result<Vec<AssignmentItem>, AppError> {
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    Ok(db::assessment::for_assessor(&state.pool, user.id)
        .await?
        .into_iter()
        .map(|a| {
            let interview = (a.interview_criteria > 0
                && a.status() != AssignmentStatus::ConflictDeclared)
                .then_some(a.interview_at)
                .flatten();
            let held = crate::domain::interview::interview_held(
                interview.map(|at| at.0),
                chrono::Utc::now(),
            );
            let to_score = held && a.interview_submitted_at.is_none();
            let words = interview.map(|at| {
                if a.interview_submitted_at.is_some() {
                    "Interview scored".to_string()
                } else if held {
                    "Interview to score".to_string()
                } else {
                    format!("Interview on {}", at.display_uk())
                }
            });
            (a, words, to_score)
        })
        .map(|(a, interview, interview_to_score)| AssignmentItem {
            interview_pending: a.interview_pending(),
            status: a.status(),
            interview,
            interview_to_score,
            bid_id: a.bid_id,
            round_id: a.round_id,
            round_title: a.round_title,
            organisation: a.organisation_name,
            reference: a.reference,
            panel: a.panel,
        })
        .collect())
}

// ---- One bid, for its assessor ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionToScore {
    pub criterion_id: i64,
    pub name: String,
    pub guidance: String,
    pub weight: u32,
    pub min_score: Option<u32>,
    pub descriptors: [String; 6],
    pub score: Option<u32>,
    pub justification: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherScore {
    pub assessor: String,
    pub criterion: String,
    pub score: Option<u32>,
    pub justification: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessData {
    pub bid_id: i64,
    pub organisation: String,
    pub round_title: String,
    pub panel: Panel,
    pub status: AssignmentStatus,
    /// Only once there is a declaration of no conflict.
    pub bid: Option<BidForAssessor>,
    pub criteria: Vec<CriterionToScore>,
    /// Others' submitted scores: shown only after this assessor has submitted.
    pub others: Vec<OtherScore>,
    /// Shortlisted, with criteria this assessor's panel scores at the interview.
    #[serde(default)]
    pub interview: Option<InterviewScoring>,
}

/// The interview's scoring, for an assessor whose panel scores criteria at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterviewScoring {
    pub invitation: crate::api::decide::interviews::InterviewView,
    pub criteria: Vec<CriterionToScore>,
    pub submitted: bool,
}

/// What an assessor's page shows of a bid, and nothing more: the answers to the sections
/// their panel reads (the first with who the organisation is: legal form, numbers, income,
/// area served) and the sustainability plan's results. Not the organisation's contact
/// details or address, nor (for the lay panel) the amount asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidForAssessor {
    pub reference: Option<String>,
    pub sections: Vec<crate::api::apply::bids::SectionAnswersView>,
    pub plan: Option<Vec<crate::domain::bid::PlanYear>>,
    pub funded_years: usize,
    pub flags: Vec<String>,
    pub summary: String,
}

#[server(prefix = "/api", endpoint = "assessment/bid")]
pub async fn assess_bid(bid_id: i64) -> Result<AssessData, AppError> {
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    let assignment = service::assignment(state.ctx(), &user.actor(), bid_id)
        .await
        .map_err(|e| auth::with_status(e.into()))?;
    let panel = assignment.panel;
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let status = assignment.status();
    let mut data = AssessData {
        bid_id,
        organisation: bid.organisation_name.clone(),
        round_title: bid.round_title.clone(),
        panel,
        status,
        bid: None,
        criteria: vec![],
        others: vec![],
        interview: None,
    };
    if assignment.declared().is_none() {
        return Ok(data);
    }
    let (criteria, lay_sections) = service::criteria_for(&mut conn, bid.round_id, panel).await?;
    let mine = db::assessment::scores_of(&mut conn, bid_id, user.id).await?;
    let (written, at_interview): (Vec<_>, Vec<_>) = criteria
        .iter()
        .partition(|c| c.stage() == crate::domain::assessment::Stage::Written);
    data.criteria = written.iter().map(|c| to_score(c, &mine)).collect();
    let interview_submitted = assignment.interview_submitted_at.is_some();
    if !at_interview.is_empty() {
        if let Some(row) = db::interviews::for_bid(&mut conn, bid_id).await? {
            data.interview = Some(InterviewScoring {
                invitation: crate::api::decide::interviews::interview_view(
                    &row,
                    chrono::Utc::now(),
                ),
                criteria: at_interview.iter().map(|c| to_score(c, &mine)).collect(),
                submitted: interview_submitted,
            });
        }
    }
    if assignment.submitted() || interview_submitted {
        let submitted = db::assessment::submitted_scores(&mut conn, bid_id).await?;
        // Others' reasons about what this assessor has submitted themselves; a lay evaluator
        // reads them only about criteria the lay panel scores alone: a criterion shared with
        // the board may be argued from sections hidden from them.
        let about: Vec<db::rounds::CriterionRow> = criteria
            .iter()
            .filter(|c| match c.stage() {
                crate::domain::assessment::Stage::Written => assignment.submitted(),
                crate::domain::assessment::Stage::Interview => interview_submitted,
            })
            .filter(|c| {
                panel == Panel::Board
                    || c.scored_by(&lay_sections) == crate::domain::assessment::ScoredBy::Lay
            })
            .cloned()
            .collect();
        data.others = others_scores(submitted, &about, user.id);
    }
    drop(conn);
    let mut record = crate::api::apply::bids::record_for_assessor(&state, bid_id).await?;
    if panel == Panel::Lay {
        // A lay evaluator sees only the lay panel's sections (and the summary of the plan).
        let keep: Vec<i64> = lay_sections;
        record.sections.retain(|s| keep.contains(&s.section_id));
    }
    data.bid = Some(BidForAssessor {
        reference: record.bid.reference,
        sections: record.sections,
        plan: record.plan,
        funded_years: record.funded_years,
        flags: record.flags,
        summary: record.summary,
    });
    Ok(data)
}

/// A criterion for the assessor to score, with their saved score and justification.
#[cfg(feature = "ssr")]
fn to_score(c: &db::rounds::CriterionRow, mine: &[db::assessment::ScoreRow]) -> CriterionToScore {
    let saved = mine.iter().find(|m| m.criterion_id == c.id);
    CriterionToScore {
        criterion_id: c.id,
        name: c.criterion.name.clone(),
        guidance: c.criterion.guidance.clone(),
        weight: c.criterion.weight,
        min_score: c.criterion.min_score,
        descriptors: c.criterion.descriptors.clone(),
        score: saved.and_then(|s| s.score()),
        justification: saved.map(|s| s.justification.clone()).unwrap_or_default(),
    }
}

/// The other assessors' submitted scores, only about the criteria this assessor scores: a
/// lay evaluator never reads justifications about sections hidden from them.
#[cfg(feature = "ssr")]
fn others_scores(
    submitted: Vec<db::assessment::ScoreRow>,
    criteria: &[db::rounds::CriterionRow],
    me: i64,
) -> Vec<OtherScore> {
    submitted
        .into_iter()
        .filter(|s| s.user_id != me)
        .filter_map(|s| {
            let criterion = criteria.iter().find(|c| c.id == s.criterion_id)?;
            Some(OtherScore {
                criterion: criterion.criterion.name.clone(),
                score: s.score(),
                assessor: s.full_name,
                justification: s.justification,
            })
        })
        .collect()
}

/// Declare whether the assessor has a conflict of interest with the bid's organisation.
/// The first declaration for a bid; later ones supersede it with a reason.
#[server(prefix = "/api", endpoint = "assessment/declare")]
pub async fn declare_interest(
    bid_id: i64,
    #[server(flatten)] form: DeclarationForm,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    match service::declare(state.ctx(), &user.actor(), bid_id, &form, &reason).await {
        Ok(done) => {
            if state.deliver(done).await {
                let message =
                    "Your conflict of interest is recorded. The bid has been taken off your list";
                auth::notice_and_redirect(&auth::session().await?, message, "/assess").await?;
            } else {
                leptos_axum::redirect(&format!("/assess/bids/{bid_id}"));
            }
            Ok(())
        }
        Err(AssessmentError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => {
            let values = [
                ("conflict", form.conflict.as_str()),
                ("nature", form.nature.as_str()),
                ("description", form.description.as_str()),
                ("reason", reason.as_str()),
            ];
            Err(auth::reject_form(ASSESS_FORM, &values, e.into()).await)
        }
    }
}

/// Save scores as a draft, or submit them (every criterion scored and explained; locked
/// afterwards). `score[criterion id]` is 0 to 5; `why[criterion id]` the justification.
#[server(prefix = "/api", endpoint = "assessment/score")]
pub async fn save_scores(
    bid_id: i64,
    #[server(default)] then: String,
    #[server(default)] stage: String,
    #[server(default)] score: BTreeMap<String, String>,
    #[server(default)] why: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::domain::assessment::Stage;
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    let typed = TypedScores { score, why };
    let step = service::ScoreStep::from_form(&then);
    let stage = Stage::from_form(&stage);
    match service::score(state.ctx(), &user.actor(), bid_id, &typed, (step, stage)).await {
        Ok(done) => {
            let scored = state.deliver(done).await;
            let session = auth::session().await?;
            if step == service::ScoreStep::Check {
                // Checked and saved: the assessor reads them once more before submitting.
                let check = match stage {
                    Stage::Written => format!("/assess/bids/{bid_id}/check"),
                    Stage::Interview => format!("/assess/bids/{bid_id}/check?stage=interview"),
                };
                leptos_axum::redirect(&check);
                return Ok(());
            }
            let what = match stage {
                Stage::Written => "scores",
                Stage::Interview => "interview scores",
            };
            let message = if scored.submitted {
                format!("Your {what} for {} are submitted", scored.organisation)
            } else {
                format!("Your draft {what} are saved")
            };
            let to = format!("/assess/bids/{bid_id}");
            auth::notice_and_redirect(&session, &message, &to).await?;
            Ok(())
        }
        Err(AssessmentError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => {
            let values: Vec<(String, &str)> = (typed
                .score
                .iter()
                .map(|(k, v)| (format!("score[{k}]"), v.as_str())))
            .chain(
                typed
                    .why
                    .iter()
                    .map(|(k, v)| (format!("why[{k}]"), v.as_str())),
            )
            .collect();
            let borrowed: Vec<(&str, &str)> =
                values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            Err(auth::reject_form(ASSESS_FORM, &borrowed, e.into()).await)
        }
    }
}

/// A commissioner reopens an assessor's submitted scores, with a reason (audited).
#[server(prefix = "/api", endpoint = "assessment/reopen")]
pub async fn reopen_scores(
    round_id: i64,
    bid_id: i64,
    user_id: i64,
    #[server(default)] reason: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    // One form per assessor on the page: the reason is `reason[user id]`.
    let field = format!("reason[{user_id}]");
    let reason = reason
        .get(&user_id.to_string())
        .cloned()
        .unwrap_or_default();
    match service::reopen(
        state.ctx(),
        &user.actor(),
        round_id,
        bid_id,
        user_id,
        &reason,
    )
    .await
    {
        Ok(done) => {
            state.deliver(done).await;
            let message = "The scores are reopened. The assessor can change and submit them again";
            let to = format!("/fund/rounds/{round_id}/assessment/bids/{bid_id}");
            auth::notice_and_redirect(&auth::session().await?, message, &to).await?;
            Ok(())
        }
        Err(e) => {
            let values = [(field.as_str(), reason.as_str())];
            Err(auth::reject_form("assign_bids", &values, e.into()).await)
        }
    }
}
