//! One bid's moderation: its page (every assessor's scores with their reasons) and the
//! agreed scores a commissioner records for it.
use super::*;

/// Record agreed scores for one bid: `agreed[criterion id]` (0 to 5, blank to leave) and
/// `note[criterion id]`.
#[server(prefix = "/api", endpoint = "decisions/moderate")]
pub async fn moderate_bid(
    round_id: i64,
    bid_id: i64,
    #[server(default)] agreed: BTreeMap<String, String>,
    #[server(default)] note: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let typed = |id: i64| {
        let key = id.to_string();
        let read = |map: &BTreeMap<String, String>| map.get(&key).cloned().unwrap_or_default();
        (read(&agreed), read(&note))
    };
    let ids = (round_id, bid_id);
    match crate::service::decisions::moderate(state.ctx(), user.id, ids, typed).await {
        Ok(_) => {
            // Stay on the bid: the decision comes next, below the agreed scores.
            let next = format!("/fund/rounds/{round_id}/moderation/bids/{bid_id}#decision");
            let session = auth::session().await?;
            let notice = "Agreed scores saved. Record the decision below";
            auth::notice_and_redirect(&session, notice, &next).await?;
            Ok(())
        }
        Err(crate::service::decisions::DecisionError::NotFound) => {
            Err(auth::with_status(AppError::NotFound))
        }
        Err(e) => {
            let values: Vec<(String, String)> = [("agreed", &agreed), ("note", &note)]
                .iter()
                .flat_map(|(name, map)| {
                    map.iter()
                        .map(move |(k, v)| (format!("{name}[{k}]"), v.trim().to_string()))
                })
                .collect();
            let borrowed: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            Err(auth::reject_form(MODERATE_FORM, &borrowed, e.into()).await)
        }
    }
}

/// Feedback for a declined bid from its (moderated, else mean) scores and the assessors'
/// reasons, given the round's submitted scores (read once by the caller).
#[cfg(feature = "ssr")]
pub(crate) fn draft_feedback_from(
    data: &ModerationData,
    row: &ModerationRow,
    scores: &[db::decisions::SubmittedScore],
) -> String {
    let lines: Vec<(String, Option<Decimal>, u32, Vec<String>)> = data
        .criteria
        .iter()
        .zip(&row.cells)
        .map(|(c, cell)| {
            let score = cell.moderated.map(Decimal::from).or(cell.mean);
            let notes = scores
                .iter()
                .filter(|s| s.bid_id == row.bid_id && s.criterion_id == c.id)
                .map(|s| s.justification.clone())
                .collect();
            (c.name.clone(), score, c.weight, notes)
        })
        .collect();
    crate::domain::decision::draft_feedback(&row.organisation, &lines, row.fundable)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidModeration {
    pub round_id: i64,
    pub title: String,
    pub criteria: Vec<CriterionHead>,
    pub row: ModerationRow,
    /// Every submitted score with its reasons: (criterion id, assessor, score, justification).
    pub reasons: Vec<(i64, String, Option<u32>, String)>,
    pub draft_feedback: String,
    /// The decision recorded so far.
    pub decision: Option<SavedDecision>,
    /// An award's payment schedule.
    pub tranches: Vec<TrancheLine>,
    /// The assigned assessors who have not submitted scores (an award waits for them or
    /// says it does not).
    #[serde(default)]
    pub waiting: Vec<String>,
    /// A first draft of what an award pays for (from the bid's budget).
    #[serde(default)]
    pub draft_purpose: String,
    /// The board meetings with this round on their agenda: (id, "14 January 2027, 2pm, place").
    #[serde(default)]
    pub meetings: Vec<(i64, String)>,
    /// Shortlisted: the invitation to an interview or presentation, and the reply.
    #[serde(default)]
    pub interview: Option<crate::api::decide::interviews::InterviewView>,
}

/// The decision recorded on a bid so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDecision {
    pub outcome: Outcome,
    pub amount: Option<Pence>,
    pub conditions: String,
    pub feedback: String,
    /// Why it was awarded although below a criterion's minimum ('' if it was not).
    #[serde(default)]
    pub override_reason: String,
    /// Where an award stands with the partners.
    pub sign_off: crate::domain::board::SignOff,
    /// Each partner's answer so far, as a sentence.
    pub answers: Vec<String>,
    /// The board meeting it was made at.
    pub meeting_id: Option<i64>,
}

/// One tranche of an award's payment schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrancheLine {
    pub amount: Pence,
    /// "5 December 2026".
    pub due: String,
    pub milestone: String,
}

#[server(prefix = "/api", endpoint = "decisions/bid")]
pub async fn moderation_bid(round_id: i64, bid_id: i64) -> Result<BidModeration, AppError> {
    let (state, _) = commissioner().await?;
    let data = moderation_for(&state.pool, round_id)
        .await
        .map_err(auth::with_status)?;
    let mut row = data
        .rows
        .iter()
        .find(|r| r.bid_id == bid_id)
        .cloned()
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let mut conn = state.pool.acquire().await?;
    let scores = with_scores(&mut conn, round_id, std::slice::from_mut(&mut row), true).await?;
    let draft_feedback = draft_feedback_from(&data, &row, &scores);
    let reasons = scores
        .into_iter()
        .filter(|s| s.bid_id == bid_id)
        .map(|s| (s.criterion_id, s.assessor, s.score, s.justification))
        .collect();
    let answers: Vec<String> =
        db::sign_offs::sign_offs(&mut conn, db::sign_offs::Signed::Award { bid_id })
            .await?
            .into_iter()
            .map(|s| {
                crate::domain::board::answer_sentence(
                    &s.partner,
                    s.approved == 1,
                    &s.signed_by,
                    &crate::domain::date::display_date(crate::domain::date::uk_date(s.signed_at.0)),
                    &s.reason,
                )
            })
            .collect();
    let decision = db::decisions::recorded(&mut conn, bid_id)
        .await?
        .map(|d| SavedDecision {
            outcome: d.decision.outcome,
            amount: d.decision.amount,
            conditions: d.decision.conditions,
            feedback: d.decision.feedback,
            override_reason: d.decision.override_reason,
            sign_off: d.sign_off,
            answers,
            meeting_id: d.decision.meeting_id,
        });
    let meetings = db::meetings::for_round(&mut conn, round_id, db::now())
        .await?
        .into_iter()
        .map(|m| {
            (
                m.id,
                crate::domain::meeting::describe(m.held_at.0, &m.place),
            )
        })
        .collect();
    let waiting = db::decisions::awaiting_scores(&mut conn, bid_id).await?;
    let interview = db::interviews::for_bid(&mut conn, bid_id)
        .await?
        .map(|r| crate::api::decide::interviews::interview_view(&r, chrono::Utc::now()));
    let draft_purpose = crate::service::decisions::draft_purposes(&mut conn, round_id, &[bid_id])
        .await?
        .pop()
        .unwrap_or_default();
    let tranches = db::decisions::tranches_of_bid(&mut conn, bid_id)
        .await?
        .into_iter()
        .map(|t| TrancheLine {
            amount: t.amount,
            due: crate::domain::date::display_date(t.due_on),
            milestone: t.milestone,
        })
        .collect();
    Ok(BidModeration {
        round_id,
        title: data.title,
        criteria: data.criteria,
        row,
        reasons,
        draft_feedback,
        decision,
        tranches,
        waiting,
        draft_purpose,
        meetings,
        interview,
    })
}
