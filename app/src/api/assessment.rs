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
    crate::domain::assessment::{panel_scores, parse_score, Declaration},
    crate::domain::roles::Role,
    crate::error::FieldError,
    crate::state::AppState,
};

/// The form name the assessor's bid page keeps typed values under (declaration and scores).
pub const ASSESS_FORM: &str = "assess_bid";

#[cfg(feature = "ssr")]
use crate::auth::require_commissioner as commissioner;

// ---- Panels and assignment (commissioners) ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// The panels this person may sit on (from their roles).
    pub can_sit: Vec<Panel>,
    pub panel: Option<Panel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessableBid {
    pub bid_id: i64,
    pub organisation: String,
    pub reference: Option<String>,
    /// Assessors assigned: (user id, status).
    pub assessors: Vec<(i64, AssignmentStatus)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelData {
    pub round_id: i64,
    pub title: String,
    pub status: RoundStatus,
    /// Bids can be assigned: the round has closed.
    pub can_assign: bool,
    pub candidates: Vec<Candidate>,
    pub bids: Vec<AssessableBid>,
}

#[server(prefix = "/api", endpoint = "assessment/panel")]
pub async fn round_panel(round_id: i64) -> Result<PanelData, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let d = &round.details;
    let status =
        crate::domain::round::phase(round.status, d.opens_at, d.closes_at, chrono::Utc::now());
    let panel = db::assessment::panel(&mut conn, round_id).await?;
    let people = db::users::with_roles(&mut conn, &[Role::BoardMember, Role::LayEvaluator]).await?;
    let candidates = people
        .into_iter()
        .map(|person| {
            let mut can_sit = Vec::new();
            if person.roles.contains(&Role::BoardMember) {
                can_sit.push(Panel::Board);
            }
            if person.roles.contains(&Role::LayEvaluator) {
                can_sit.push(Panel::Lay);
            }
            Candidate {
                panel: panel.iter().find(|p| p.0 == person.id).map(|p| p.3),
                user_id: person.id,
                name: person.full_name,
                email: person.email,
                can_sit,
            }
        })
        .collect();
    let statuses = db::assessment::round_statuses(&mut conn, round_id).await?;
    let bids = db::bids::assessable(&mut conn, round_id)
        .await?
        .into_iter()
        .map(|(bid_id, organisation, reference)| AssessableBid {
            assessors: statuses
                .iter()
                .filter(|s| s.0 == bid_id)
                .map(|s| (s.1, AssignmentStatus::of(s.2, s.3)))
                .collect(),
            bid_id,
            organisation,
            reference,
        })
        .collect();
    Ok(PanelData {
        round_id,
        title: round.details.title.clone(),
        can_assign: matches!(status, RoundStatus::Closed | RoundStatus::Assessment),
        status,
        candidates,
        bids,
    })
}

/// Appoint the round's panels: `member[user id]` = "board" or "lay" (blank: not on a panel).
#[server(prefix = "/api", endpoint = "assessment/set_panels")]
pub async fn set_panels(
    round_id: i64,
    #[server(default)] member: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let data = round_panel(round_id).await?;
    let (state, user) = commissioner().await?;
    let mut chosen = Vec::new();
    let mut errors = Vec::new();
    for c in &data.candidates {
        let Some(code) = member.get(&c.user_id.to_string()).filter(|v| !v.is_empty()) else {
            continue;
        };
        match Panel::from_code(code) {
            Some(p) if c.can_sit.contains(&p) => chosen.push((c.user_id, p)),
            _ => errors.push(FieldError::new(
                format!("member[{}]", c.user_id),
                format!(
                    "{} cannot sit on that panel: they do not hold the role",
                    c.name
                ),
            )),
        }
    }
    let values: Vec<(String, String)> = member
        .iter()
        .map(|(k, v)| (format!("member[{k}]"), v.clone()))
        .collect();
    let borrowed: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if !errors.is_empty() {
        return Err(auth::reject_form("set_panels", &borrowed, AppError::Invalid(errors)).await);
    }
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    db::assessment::set_panel(&mut tx, round_id, &chosen, user.id, now).await?;
    let board = chosen.iter().filter(|c| c.1 == Panel::Board).count();
    let lay = chosen.len() - board;
    db::audit::entry(
        &mut tx,
        user.id,
        "round.panels_appointed",
        ("round", round_id),
        format!("Panels appointed: {board} board members, {lay} lay evaluators"),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("Panels saved: {board} board members and {lay} lay evaluators"),
        &format!("/fund/rounds/{round_id}/assessment"),
    )
    .await?;
    Ok(())
}

/// Assign bids to assessors and email each assessor who has new bids. With `bid_id`, that
/// bid goes to the assessors ticked in `assessor[user id]`; without, every bid goes to every
/// panel member.
#[server(prefix = "/api", endpoint = "assessment/assign")]
pub async fn assign_bids(
    round_id: i64,
    #[server(default)] bid_id: Option<i64>,
    #[server(default)] assessor: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let data = round_panel(round_id).await?;
    let (state, user) = commissioner().await?;
    if !data.can_assign {
        let e = AppError::Conflict("Bids can be assigned once the round has closed".into());
        return Err(auth::reject_form("assign_bids", &[], e).await);
    }
    let panel: Vec<&Candidate> = data
        .candidates
        .iter()
        .filter(|c| c.panel.is_some())
        .collect();
    if panel.is_empty() {
        let e = AppError::Conflict("Appoint the panels before you assign bids".into());
        return Err(auth::reject_form("assign_bids", &[], e).await);
    }
    let pairs: Vec<(i64, i64)> = match bid_id {
        Some(bid) => {
            if !data.bids.iter().any(|b| b.bid_id == bid) {
                return Err(auth::with_status(AppError::NotFound));
            }
            panel
                .iter()
                .filter(|c| assessor.contains_key(&c.user_id.to_string()))
                .map(|c| (bid, c.user_id))
                .collect()
        }
        None => data
            .bids
            .iter()
            .flat_map(|b| panel.iter().map(move |c| (b.bid_id, c.user_id)))
            .collect(),
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let mut new_for: BTreeMap<i64, usize> = BTreeMap::new();
    for (bid, who) in &pairs {
        if db::assessment::assign(&mut tx, *bid, *who, now).await? {
            *new_for.entry(*who).or_default() += 1;
        }
    }
    if let Some(bid) = bid_id {
        // Unticked assessors come off the bid, unless they have submitted scores.
        for c in &panel {
            if !assessor.contains_key(&c.user_id.to_string()) {
                db::assessment::unassign(&mut tx, bid, c.user_id).await?;
            }
        }
    }
    let total: usize = new_for.values().sum();
    db::audit::entry(
        &mut tx,
        user.id,
        "round.bids_assigned",
        ("round", round_id),
        format!("{total} new assignments to {} assessors", new_for.len()),
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/assess", state.settings.base_url);
    for (who, count) in &new_for {
        if let Some(c) = panel.iter().find(|c| c.user_id == *who) {
            crate::api::account::send_mail(
                &state,
                crate::mail::bids_assigned(&c.email, &c.name, &data.title, *count, &link),
            )
            .await;
        }
    }
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        &format!("{total} new assignments. Each assessor with new bids has been emailed"),
        &format!("/fund/rounds/{round_id}/assessment"),
    )
    .await?;
    Ok(())
}

// ---- The assessor's home page ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentItem {
    pub bid_id: i64,
    pub round_title: String,
    pub organisation: String,
    pub reference: Option<String>,
    pub panel: Panel,
    pub status: AssignmentStatus,
}

#[server(prefix = "/api", endpoint = "assessment/mine")]
pub async fn my_assessments() -> Result<Vec<AssignmentItem>, AppError> {
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    Ok(db::assessment::for_assessor(&state.pool, user.id)
        .await?
        .into_iter()
        .map(|a| AssignmentItem {
            bid_id: a.bid_id,
            round_title: a.round_title,
            organisation: a.organisation_name,
            reference: a.reference,
            panel: a.panel,
            status: AssignmentStatus::of(a.conflict, a.submitted),
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
}

/// What an assessor's page shows of a bid, and nothing more: the answers to the sections
/// their panel reads and the sustainability plan's results. Not the organisation's contact
/// details, numbers or address, nor (for the lay panel) the amount asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidForAssessor {
    pub reference: Option<String>,
    pub sections: Vec<crate::api::bids::SectionAnswersView>,
    pub plan: Option<Vec<crate::domain::bid::PlanYear>>,
    pub funded_years: usize,
    pub flags: Vec<String>,
    pub summary: String,
}

/// The assessor's assignment: (panel, latest declaration, submitted). Anyone not assigned,
/// and anyone who has declared a conflict, is told the bid does not exist.
#[cfg(feature = "ssr")]
async fn assigned(
    state: &AppState,
    bid_id: i64,
    user_id: i64,
) -> Result<(Panel, Option<(i64, bool)>, bool), AppError> {
    let mut conn = state.pool.acquire().await?;
    db::assessment::assignment(&mut conn, bid_id, user_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))
}

#[server(prefix = "/api", endpoint = "assessment/bid")]
pub async fn assess_bid(bid_id: i64) -> Result<AssessData, AppError> {
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    let (panel, declaration, submitted) = assigned(&state, bid_id, user.id).await?;
    if declaration.is_some_and(|(_, conflict)| conflict) {
        return Err(auth::with_status(AppError::NotFound));
    }
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let status = AssignmentStatus::of(declaration.map(|d| d.1), submitted);
    let mut data = AssessData {
        bid_id,
        organisation: bid.organisation_name.clone(),
        round_title: bid.round_title.clone(),
        panel,
        status,
        bid: None,
        criteria: vec![],
        others: vec![],
    };
    if declaration.is_none() {
        return Ok(data);
    }
    let sections = db::rounds::sections(&mut conn, bid.round_id).await?;
    let lay_sections: Vec<i64> = sections
        .iter()
        .filter(|s| s.panel == Panel::Lay)
        .map(|s| s.id)
        .collect();
    let criteria = db::rounds::criteria(&mut conn, bid.round_id).await?;
    let mine = db::assessment::scores_of(&mut conn, bid_id, user.id).await?;
    data.criteria = criteria
        .iter()
        .filter(|c| panel_scores(panel, &c.section_ids, &lay_sections))
        .map(|c| {
            let saved = mine.iter().find(|m| m.0 == c.id);
            CriterionToScore {
                criterion_id: c.id,
                name: c.criterion.name.clone(),
                guidance: c.criterion.guidance.clone(),
                weight: c.criterion.weight,
                min_score: c.criterion.min_score,
                descriptors: c.criterion.descriptors.clone(),
                score: saved.and_then(|s| s.1),
                justification: saved.map(|s| s.2.clone()).unwrap_or_default(),
            }
        })
        .collect();
    if submitted {
        data.others = db::assessment::submitted_scores(&mut conn, bid_id)
            .await?
            .into_iter()
            // Only about the criteria this assessor scores: a lay evaluator never reads
            // justifications about sections hidden from them.
            .filter(|s| s.0 != user.id && data.criteria.iter().any(|c| c.criterion_id == s.2))
            .map(
                |(_, assessor, criterion_id, score, justification)| OtherScore {
                    assessor,
                    criterion: criteria
                        .iter()
                        .find(|c| c.id == criterion_id)
                        .map(|c| c.criterion.name.clone())
                        .unwrap_or_default(),
                    score,
                    justification,
                },
            )
            .collect();
    }
    drop(conn);
    let mut record = crate::api::bids::record_for_assessor(&state, bid_id).await?;
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

/// Declare whether the assessor has a conflict of interest with the bid's organisation.
/// The first declaration for a bid; later ones supersede it with a reason.
#[server(prefix = "/api", endpoint = "assessment/declare")]
pub async fn declare_interest(
    bid_id: i64,
    #[server(flatten)] form: DeclarationForm,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    let (_, declaration, _) = assigned(&state, bid_id, user.id).await?;
    if declaration.is_some_and(|d| d.1) {
        return Err(auth::with_status(AppError::NotFound));
    }
    let mut parsed = form.parse();
    let reason = reason.trim().to_string();
    if declaration.is_some() && reason.is_empty() {
        let mut errors = parsed.clone().err().unwrap_or_default();
        errors.push(FieldError::new(
            "reason",
            "Say why you are changing your declaration",
        ));
        parsed = Err(errors);
    }
    let declared = match parsed {
        Ok(d) => d,
        Err(errors) => {
            let mut values = vec![
                ("conflict", form.conflict.as_str()),
                ("nature", form.nature.as_str()),
                ("description", form.description.as_str()),
            ];
            values.push(("reason", reason.as_str()));
            return Err(auth::reject_form(ASSESS_FORM, &values, AppError::Invalid(errors)).await);
        }
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    db::assessment::declare(
        &mut tx,
        bid_id,
        user.id,
        &declared,
        declaration.map(|d| d.0),
        &reason,
        now,
    )
    .await?;
    let summary = match &declared {
        Declaration::NoConflict => "Declared no conflict of interest".to_string(),
        Declaration::Conflict { nature, .. } => {
            format!("Declared a conflict of interest: {}", nature.label())
        }
    };
    db::audit::entry(
        &mut tx,
        user.id,
        "bid.interest_declared",
        ("bid", bid_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    match declared {
        Declaration::NoConflict => {
            leptos_axum::redirect(&format!("/assess/bids/{bid_id}"));
        }
        Declaration::Conflict { .. } => {
            auth::notice_and_redirect(
                &session,
                "Your conflict of interest is recorded. The bid has been taken off your list",
                "/assess",
            )
            .await?;
        }
    }
    Ok(())
}

/// Save scores as a draft, or submit them (every criterion scored and explained; locked
/// afterwards). `score[criterion id]` is 0 to 5; `why[criterion id]` the justification.
#[server(prefix = "/api", endpoint = "assessment/score")]
pub async fn save_scores(
    bid_id: i64,
    #[server(default)] then: String,
    #[server(default)] score: BTreeMap<String, String>,
    #[server(default)] why: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let data = assess_bid(bid_id).await?;
    let (state, user) = auth::require_any_role(&[Role::BoardMember, Role::LayEvaluator]).await?;
    let mut values: Vec<(String, String)> = Vec::new();
    for c in &data.criteria {
        let key = c.criterion_id.to_string();
        values.push((
            format!("score[{key}]"),
            score.get(&key).cloned().unwrap_or_default(),
        ));
        values.push((
            format!("why[{key}]"),
            why.get(&key).cloned().unwrap_or_default(),
        ));
    }
    let borrowed: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let reject = |e: AppError| auth::reject_form(ASSESS_FORM, &borrowed, e);
    match data.status {
        AssignmentStatus::ToScore => {}
        AssignmentStatus::Scored => return Err(reject(AppError::Conflict(
            "Your scores for this bid are submitted and locked. Ask a commissioner to reopen them"
                .into(),
        ))
        .await),
        _ => return Err(auth::with_status(AppError::NotFound)),
    }
    let submitting = then == "submit";
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for c in &data.criteria {
        let key = c.criterion_id.to_string();
        let typed_score = score.get(&key).map(String::as_str).unwrap_or("");
        let typed_why = why.get(&key).map(String::as_str).unwrap_or("");
        match parse_score(&key, &c.name, typed_score, typed_why, submitting) {
            Ok((s, w)) => parsed.push((c.criterion_id, s, w)),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        // Keep the draft of what reads, so nothing typed is lost.
        if submitting {
            let now = db::now();
            let mut tx = state.pool.begin().await?;
            for c in &data.criteria {
                let key = c.criterion_id.to_string();
                let typed_score = score.get(&key).map(String::as_str).unwrap_or("");
                let typed_why = why.get(&key).map(String::as_str).unwrap_or("");
                if let Ok((s, w)) = parse_score(&key, &c.name, typed_score, typed_why, false) {
                    db::assessment::save_score(
                        &mut tx,
                        bid_id,
                        user.id,
                        c.criterion_id,
                        s,
                        &w,
                        now,
                    )
                    .await?;
                }
            }
            tx.commit().await?;
        }
        return Err(reject(AppError::Invalid(errors)).await);
    }
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    if submitting && !db::assessment::submit(&mut tx, bid_id, user.id, now).await? {
        drop(tx);
        return Err(reject(AppError::Conflict(
            "Your scores for this bid are already submitted".into(),
        ))
        .await);
    }
    for (criterion_id, s, w) in &parsed {
        db::assessment::save_score(&mut tx, bid_id, user.id, *criterion_id, *s, w, now).await?;
    }
    if submitting {
        db::assessment::refresh_score_totals(&mut tx, bid_id).await?;
        db::audit::entry(
            &mut tx,
            user.id,
            "bid.scores_submitted",
            ("bid", bid_id),
            format!("Scores submitted for {} criteria", parsed.len()),
        )
        .await?;
    }
    tx.commit().await?;
    let session = auth::session().await?;
    if submitting {
        auth::notice_and_redirect(
            &session,
            &format!("Your scores for {} are submitted", data.organisation),
            &format!("/assess/bids/{bid_id}"),
        )
        .await?;
    } else {
        auth::notice_and_redirect(
            &session,
            "Your draft scores are saved",
            &format!("/assess/bids/{bid_id}"),
        )
        .await?;
    }
    Ok(())
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
    let values = [(field.as_str(), reason.as_str())];
    let reason = reason.trim();
    if reason.is_empty() {
        let e = AppError::field(&field, "Say why you are reopening these scores");
        return Err(auth::reject_form("assign_bids", &values, e).await);
    }
    let mut tx = state.pool.begin().await?;
    let bid = db::bids::get(&mut tx, bid_id)
        .await?
        .filter(|b| b.round_id == round_id);
    if bid.is_none() || !db::assessment::reopen(&mut tx, bid_id, user_id).await? {
        drop(tx);
        let e = AppError::Conflict("Those scores are not submitted".into());
        return Err(auth::reject_form("assign_bids", &values, e).await);
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "bid.scores_reopened",
            subject_type: "bid",
            subject_id: bid_id.to_string(),
            summary: format!("Scores reopened for assessor {user_id}: {reason}"),
            before: Some("Submitted".into()),
            after: Some("Draft".into()),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        "The scores are reopened. The assessor can change and submit them again",
        &format!("/fund/rounds/{round_id}/assessment/bids/{bid_id}"),
    )
    .await?;
    Ok(())
}

// ---- The register of interests ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterestItem {
    pub declared: String,
    pub assessor: String,
    pub organisation: String,
    pub reference: String,
    pub declaration: String,
    pub nature: Option<ConflictNature>,
    pub description: String,
    pub reason: String,
    pub superseded: bool,
}

#[server(prefix = "/api", endpoint = "assessment/interests")]
pub async fn register_of_interests(round_id: i64) -> Result<(String, Vec<InterestItem>), AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let items = interest_items(&mut conn, round_id).await?;
    Ok((round.details.title, items))
}

#[cfg(feature = "ssr")]
pub async fn interest_items(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<InterestItem>, AppError> {
    Ok(db::assessment::interests(conn, round_id)
        .await?
        .into_iter()
        .map(|r| InterestItem {
            declared: crate::domain::time::from_db(&r.declared_at)
                .map(crate::domain::time::display_uk)
                .unwrap_or(r.declared_at),
            assessor: r.assessor,
            organisation: r.organisation,
            reference: r.reference.unwrap_or_default(),
            declaration: if r.conflict {
                "Conflict of interest"
            } else {
                "No conflict"
            }
            .into(),
            nature: r.nature,
            description: r.description,
            reason: r.reason,
            superseded: r.superseded,
        })
        .collect())
}
