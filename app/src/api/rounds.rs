//! Funding rounds: commissioners build and publish them; anyone can read the published ones.
use crate::domain::money::Pence;
use crate::domain::round::{
    Block, Criterion, CriterionForm, LegalForm, Panel, Question, QuestionForm, RoundDetails,
    RoundForm, RoundStatus, SectionKind,
};
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
    crate::state::AppState,
    sqlx::{Any, Transaction},
};

#[cfg(feature = "ssr")]
async fn commissioner() -> Result<(AppState, auth::CurrentUser), AppError> {
    auth::require_any_role(&[Role::Commissioner]).await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapChoice {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundListItem {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub status: RoundStatus,
    pub envelope: Pence,
    pub max_award: Pence,
    pub opens: String,
    pub closes: String,
    pub closes_in: String,
}

#[cfg(feature = "ssr")]
fn list_item(r: &db::rounds::RoundRow, now: chrono::DateTime<chrono::Utc>) -> RoundListItem {
    use crate::domain::round::{closes_in, phase};
    use crate::domain::time::display_uk;
    let d = &r.details;
    RoundListItem {
        id: r.id,
        title: d.title.clone(),
        summary: d.summary.clone(),
        status: phase(r.status, d.opens_at, d.closes_at, now),
        envelope: d.envelope,
        max_award: d.max_award,
        opens: display_uk(d.opens_at),
        closes: display_uk(d.closes_at),
        closes_in: closes_in(d.closes_at, now),
    }
}

/// Every round, for commissioners.
#[server(prefix = "/api", endpoint = "rounds/all")]
pub async fn all_rounds() -> Result<Vec<RoundListItem>, AppError> {
    let (state, _) = commissioner().await?;
    let now = chrono::Utc::now();
    Ok(db::rounds::all(&state.pool)
        .await?
        .iter()
        .map(|r| list_item(r, now))
        .collect())
}

/// Open and upcoming rounds, for anyone.
#[server(prefix = "/api", endpoint = "rounds/public")]
pub async fn public_rounds() -> Result<Vec<RoundListItem>, AppError> {
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now();
    Ok(
        db::rounds::open_and_upcoming(&state.pool, &crate::domain::time::to_db(now))
            .await?
            .iter()
            .map(|r| list_item(r, now))
            .collect(),
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub question: Question,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: i64,
    pub kind: SectionKind,
    pub title: String,
    pub panel: Panel,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionView {
    pub id: i64,
    pub criterion: Criterion,
    pub section_ids: Vec<i64>,
    pub sections: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundBuild {
    pub id: i64,
    pub details: RoundDetails,
    pub form: RoundForm,
    pub stored_status: RoundStatus,
    pub status: RoundStatus,
    pub version: i64,
    pub gaps: Vec<GapChoice>,
    pub sections: Vec<SectionView>,
    pub criteria: Vec<CriterionView>,
    pub weight_total: u32,
    /// What stops the round being published, in plain words.
    pub problems: Vec<String>,
    pub history: Vec<crate::api::admin::AuditView>,
    pub opens: String,
    pub closes: String,
}

impl RoundBuild {
    pub fn editable(&self) -> bool {
        crate::domain::round::is_editable(self.stored_status)
    }
}

#[cfg(feature = "ssr")]
async fn load_round(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<db::rounds::RoundRow, AppError> {
    db::rounds::round(conn, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))
}

#[cfg(feature = "ssr")]
async fn gap_titles(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> Result<Vec<GapChoice>, AppError> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(gap) = db::registers::gap(&mut *conn, *id).await? {
            out.push(GapChoice {
                id: *id,
                title: gap.title,
            });
        }
    }
    Ok(out)
}

#[cfg(feature = "ssr")]
fn section_views(rows: Vec<db::rounds::SectionRow>) -> Vec<SectionView> {
    rows.into_iter()
        .map(|s| SectionView {
            id: s.id,
            kind: s.kind,
            title: s.title,
            panel: s.panel,
            questions: s
                .questions
                .into_iter()
                .map(|(id, question)| QuestionView { id, question })
                .collect(),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn criterion_views(
    rows: Vec<db::rounds::CriterionRow>,
    sections: &[SectionView],
) -> Vec<CriterionView> {
    rows.into_iter()
        .map(|c| CriterionView {
            sections: c
                .section_ids
                .iter()
                .filter_map(|id| {
                    sections
                        .iter()
                        .find(|s| s.id == *id)
                        .map(|s| s.title.clone())
                })
                .collect(),
            id: c.id,
            criterion: c.criterion,
            section_ids: c.section_ids,
        })
        .collect()
}

/// What must be true before a round can be published.
#[cfg(feature = "ssr")]
fn publish_problems(
    round: &db::rounds::RoundRow,
    gaps: &[GapChoice],
    sections: &[SectionView],
    criteria: &[CriterionView],
    fund_exists: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if gaps.is_empty() {
        problems.push("Choose at least one gap the round addresses".to_string());
    }
    let weights: Vec<u32> = criteria.iter().map(|c| c.criterion.weight).collect();
    if let Err(e) = crate::domain::round::check_weights(&weights) {
        problems.push(e);
    }
    for c in criteria {
        if c.sections.is_empty() {
            problems.push(format!(
                "Choose the sections that the criterion \u{201c}{}\u{201d} draws on",
                c.criterion.name
            ));
        }
    }
    for s in sections {
        if s.kind == SectionKind::Custom && s.questions.is_empty() {
            problems.push(format!(
                "Add questions to the section \u{201c}{}\u{201d}, or remove it",
                s.title
            ));
        }
    }
    if round.details.closes_at <= now {
        problems.push("The closing date has passed. Change the dates".to_string());
    }
    if !fund_exists {
        let year = crate::domain::fund::FinancialYear::containing(crate::domain::date::uk_date(
            round.details.opens_at,
        ));
        problems.push(format!(
            "Set up the pooled fund for {} before publishing: the budget envelope is reserved from it",
            year.label()
        ));
    }
    problems
}

#[cfg(feature = "ssr")]
fn fund_year_of(round: &db::rounds::RoundRow) -> crate::domain::fund::FinancialYear {
    crate::domain::fund::FinancialYear::containing(crate::domain::date::uk_date(
        round.details.opens_at,
    ))
}

#[server(prefix = "/api", endpoint = "rounds/admin")]
pub async fn round_admin(id: i64) -> Result<RoundBuild, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, id).await?;
    let gap_ids = db::rounds::gap_ids(&mut conn, id).await?;
    let gaps = gap_titles(&mut conn, &gap_ids).await?;
    let sections = section_views(db::rounds::sections(&mut conn, id).await?);
    let criteria = criterion_views(db::rounds::criteria(&mut conn, id).await?, &sections);
    drop(conn);
    let fund_exists = db::fund::fund_for_year(&state.pool, fund_year_of(&round))
        .await?
        .is_some();
    let now = chrono::Utc::now();
    let problems = publish_problems(&round, &gaps, &sections, &criteria, fund_exists, now);
    let history = crate::api::history(&state.pool, "round", id, 30).await?;
    let d = &round.details;
    Ok(RoundBuild {
        id,
        form: d.to_form(),
        stored_status: round.status,
        status: crate::domain::round::phase(round.status, d.opens_at, d.closes_at, now),
        version: round.version,
        weight_total: criteria.iter().map(|c| c.criterion.weight).sum(),
        opens: crate::domain::time::display_uk(d.opens_at),
        closes: crate::domain::time::display_uk(d.closes_at),
        details: round.details,
        gaps,
        sections,
        criteria,
        problems,
        history,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundFormInfo {
    pub gaps: Vec<GapChoice>,
    /// For an existing round: its values, ticked legal forms and gaps.
    pub current: Option<(RoundForm, Vec<String>, Vec<i64>)>,
    pub editable: bool,
}

#[server(prefix = "/api", endpoint = "rounds/form")]
pub async fn round_form_data(id: Option<i64>) -> Result<RoundFormInfo, AppError> {
    let (state, _) = commissioner().await?;
    let gaps = db::registers::gaps(&state.pool, None)
        .await?
        .into_iter()
        .filter(|(_, g)| g.status != crate::domain::registers::GapStatus::Closed)
        .map(|(id, g)| GapChoice { id, title: g.title })
        .collect();
    let mut editable = true;
    let current = match id {
        None => None,
        Some(id) => {
            let mut conn = state.pool.acquire().await?;
            let round = load_round(&mut conn, id).await?;
            editable = crate::domain::round::is_editable(round.status);
            let gap_ids = db::rounds::gap_ids(&mut conn, id).await?;
            let forms = round
                .details
                .legal_forms
                .iter()
                .map(|f| f.code().to_string())
                .collect();
            Some((round.details.to_form(), forms, gap_ids))
        }
    };
    Ok(RoundFormInfo {
        gaps,
        current,
        editable,
    })
}

#[cfg(feature = "ssr")]
fn ticked(map: &BTreeMap<String, String>) -> Vec<String> {
    map.keys().cloned().collect()
}

/// Keep typed values for a failed plain post, including ticked boxes (`name[code]`).
#[cfg(feature = "ssr")]
async fn reject_round(
    form: &RoundForm,
    legal_form: &BTreeMap<String, String>,
    gap: &BTreeMap<String, String>,
    error: AppError,
) -> AppError {
    let mut values: Vec<(String, String)> = match serde_json::to_value(form) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect(),
        _ => vec![],
    };
    for k in legal_form.keys() {
        values.push((format!("legal_form[{k}]"), k.clone()));
    }
    for k in gap.keys() {
        values.push((format!("gap[{k}]"), k.clone()));
    }
    let borrowed: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    auth::reject_form("save_round", &borrowed, error).await
}

/// Create a draft round (`id` empty) or change a draft's details.
#[server(prefix = "/api", endpoint = "rounds/save")]
pub async fn save_round(
    #[server(default)] id: String,
    #[server(default)] legal_form: BTreeMap<String, String>,
    #[server(default)] gap: BTreeMap<String, String>,
    #[server(flatten)] form: RoundForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut errors = Vec::new();
    let details = match form.parse(&ticked(&legal_form)) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let known: Vec<i64> = db::registers::gaps(&state.pool, None)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let gap_ids: Vec<i64> = gap
        .keys()
        .filter_map(|k| k.parse::<i64>().ok())
        .filter(|id| known.contains(id))
        .collect();
    if gap_ids.is_empty() {
        errors.push(FieldError::new(
            "gaps",
            "Select the gaps this round addresses",
        ));
    }
    let Some(details) = details.filter(|_| errors.is_empty()) else {
        // Show errors in the order of the fields on the page.
        const ORDER: [&str; 20] = [
            "title",
            "summary",
            "gaps",
            "guidance",
            "envelope",
            "min_award",
            "max_award",
            "period_months",
            "legal_forms",
            "max_income",
            "area_served",
            "opens",
            "opens_time",
            "closes",
            "closes_time",
            "decision",
            "access",
            "",
            "",
            "",
        ];
        errors.sort_by_key(|e| ORDER.iter().position(|f| *f == e.field).unwrap_or(99));
        return Err(reject_round(&form, &legal_form, &gap, AppError::Invalid(errors)).await);
    };
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let id = match id.parse::<i64>() {
        Ok(id) => {
            if !db::rounds::lock_draft(&mut tx, id, &now).await? {
                drop(tx);
                let mut conn = state.pool.acquire().await?;
                load_round(&mut conn, id).await?;
                return Err(refuse("save_round", LOCKED).await);
            }
            db::rounds::update_details(&mut tx, id, &details, &gap_ids, &now).await?;
            record(
                &mut tx,
                user.id,
                "round.changed",
                id,
                format!("Details changed: {}", details.title),
                None,
                None,
            )
            .await?;
            id
        }
        Err(_) => {
            let id = db::rounds::insert_round(&mut tx, &details, &gap_ids, user.id, &now).await?;
            record(
                &mut tx,
                user.id,
                "round.created",
                id,
                format!("Draft round created: {}", details.title),
                None,
                Some("Draft".into()),
            )
            .await?;
            id
        }
    };
    tx.commit().await?;
    let session = auth::session().await?;
    auth::set_notice(&session, "Round details saved").await?;
    leptos_axum::redirect(&format!("/fund/rounds/{id}"));
    Ok(())
}

#[cfg(feature = "ssr")]
const CHANGED: &str = "The round changed while you were looking at it. Try again";

#[cfg(feature = "ssr")]
const LOCKED: &str = "This round has been published, so its details, questionnaire and criteria are locked. Make a new version to change them";

#[cfg(feature = "ssr")]
async fn record(
    tx: &mut Transaction<'static, Any>,
    actor: i64,
    action: &str,
    round_id: i64,
    summary: String,
    before: Option<String>,
    after: Option<String>,
) -> Result<(), AppError> {
    db::audit::record(
        tx,
        db::audit::Entry {
            actor: Some(actor),
            action,
            subject_type: "round",
            subject_id: round_id.to_string(),
            summary,
            before,
            after,
        },
    )
    .await?;
    Ok(())
}

/// Begin a transaction that changes a draft round's questionnaire or criteria; a published
/// round is refused with a clear message, another's or a missing round is not found.
#[cfg(feature = "ssr")]
async fn draft_tx(
    state: &AppState,
    round_id: i64,
    form: &str,
) -> Result<Transaction<'static, Any>, AppError> {
    let mut tx = state.pool.begin().await?;
    if db::rounds::lock_draft(&mut tx, round_id, &db::now()).await? {
        return Ok(tx);
    }
    drop(tx);
    let mut conn = state.pool.acquire().await?;
    load_round(&mut conn, round_id).await?;
    Err(refuse(form, LOCKED).await)
}

/// A refusal the page shows at the top, with or without JavaScript.
#[cfg(feature = "ssr")]
async fn refuse(form: &str, message: impl Into<String>) -> AppError {
    auth::reject_form(form, &[], AppError::Conflict(message.into())).await
}

/// Record the change in the round's history, commit, and go on with a notice.
#[cfg(feature = "ssr")]
async fn finish(
    mut tx: Transaction<'static, Any>,
    actor: i64,
    action: &str,
    round_id: i64,
    summary: String,
    notice: &str,
    href: String,
) -> Result<(), AppError> {
    record(&mut tx, actor, action, round_id, summary, None, None).await?;
    tx.commit().await?;
    done(notice, href).await
}

#[cfg(feature = "ssr")]
async fn done(notice: &str, href: String) -> Result<(), AppError> {
    let session = auth::session().await?;
    auth::set_notice(&session, notice).await?;
    leptos_axum::redirect(&href);
    Ok(())
}

#[cfg(feature = "ssr")]
fn parse_section(
    title: &str,
    panel: &str,
    custom: bool,
) -> Result<(String, Panel), Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = if custom {
        crate::domain::text::required_text(
            "title",
            title,
            "Enter the section title",
            150,
            "Section title",
        )
        .map_err(|e| errors.push(e))
        .ok()
    } else {
        Some(String::new())
    };
    let panel = Panel::parse("panel", panel, "Select which panel scores this section")
        .map_err(|e| errors.push(e))
        .ok();
    match (title, panel) {
        (Some(t), Some(p)) if errors.is_empty() => Ok((t, p)),
        _ => Err(errors),
    }
}

/// Add a section of questions (`section_id` empty) or change a section's title and panel.
#[server(prefix = "/api", endpoint = "rounds/save_section")]
pub async fn save_section(
    round_id: i64,
    #[server(default)] section_id: String,
    #[server(default)] title: String,
    #[server(default)] panel: String,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let values = [("title", title.as_str()), ("panel", panel.as_str())];
    let existing = section_id.parse::<i64>().ok();
    let custom = match existing {
        None => true,
        Some(sid) => {
            let mut conn = state.pool.acquire().await?;
            db::rounds::sections(&mut conn, round_id)
                .await?
                .iter()
                .find(|s| s.id == sid)
                .map(|s| s.kind == SectionKind::Custom)
                .ok_or_else(|| auth::with_status(AppError::NotFound))?
        }
    };
    let (title, panel) = match parse_section(&title, &panel, custom) {
        Ok(ok) => ok,
        Err(errors) => {
            return Err(auth::reject_form("save_section", &values, AppError::Invalid(errors)).await)
        }
    };
    let mut tx = draft_tx(&state, round_id, "save_section").await?;
    let sid = match existing {
        Some(sid) => {
            if !db::rounds::update_section(&mut tx, round_id, sid, &title, panel).await? {
                return Err(auth::with_status(AppError::NotFound));
            }
            sid
        }
        None => db::rounds::append_section(&mut tx, round_id, &title, panel).await?,
    };
    finish(
        tx,
        user.id,
        "round.section_saved",
        round_id,
        format!(
            "Section saved: {} (scored by {})",
            if custom {
                title.as_str()
            } else {
                "built-in section"
            },
            panel.label().to_lowercase()
        ),
        "Section saved",
        format!("/fund/rounds/{round_id}/sections/{sid}"),
    )
    .await
}

#[server(prefix = "/api", endpoint = "rounds/remove_section")]
pub async fn remove_section(round_id: i64, section_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut tx = draft_tx(&state, round_id, "round_action").await?;
    if !db::rounds::delete_section(&mut tx, round_id, section_id).await? {
        return Err(auth::with_status(AppError::NotFound));
    }
    finish(
        tx,
        user.id,
        "round.section_removed",
        round_id,
        "Section removed".into(),
        "Section removed",
        format!("/fund/rounds/{round_id}"),
    )
    .await
}

/// Move a section, question or criterion up or down.
#[server(prefix = "/api", endpoint = "rounds/move")]
pub async fn move_item(
    round_id: i64,
    what: String,
    item_id: i64,
    direction: String,
) -> Result<(), AppError> {
    let (state, _) = commissioner().await?;
    let step = if direction == "up" { -1 } else { 1 };
    let mut tx = draft_tx(&state, round_id, "round_action").await?;
    let back = match what.as_str() {
        "section" => {
            db::rounds::move_section(&mut tx, round_id, item_id, step).await?;
            format!("/fund/rounds/{round_id}")
        }
        "question" => {
            let section = db::rounds::question_section(&mut tx, round_id, item_id)
                .await?
                .ok_or_else(|| auth::with_status(AppError::NotFound))?;
            db::rounds::move_question(&mut tx, section, item_id, step).await?;
            format!("/fund/rounds/{round_id}/sections/{section}")
        }
        "criterion" => {
            db::rounds::move_criterion(&mut tx, round_id, item_id, step).await?;
            format!("/fund/rounds/{round_id}")
        }
        _ => return Err(auth::with_status(AppError::NotFound)),
    };
    tx.commit().await?;
    leptos_axum::redirect(&back);
    Ok(())
}

/// Add a question to a section (`question_id` empty) or change one.
#[server(prefix = "/api", endpoint = "rounds/save_question")]
pub async fn save_question(
    round_id: i64,
    section_id: i64,
    #[server(default)] question_id: String,
    #[server(flatten)] form: QuestionForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let question = match form.parse() {
        Ok(q) => q,
        Err(errors) => {
            return Err(auth::reject_with("save_question", &form, AppError::Invalid(errors)).await)
        }
    };
    let mut tx = draft_tx(&state, round_id, "save_question").await?;
    let saved = match question_id.parse::<i64>() {
        Ok(qid) => db::rounds::update_question(&mut tx, round_id, qid, &question).await?,
        Err(_) => db::rounds::add_question(&mut tx, round_id, section_id, &question).await?,
    };
    if !saved {
        return Err(auth::with_status(AppError::NotFound));
    }
    finish(
        tx,
        user.id,
        "round.question_saved",
        round_id,
        format!("Question saved: {}", question.label),
        "Question saved",
        format!("/fund/rounds/{round_id}/sections/{section_id}"),
    )
    .await
}

#[server(prefix = "/api", endpoint = "rounds/remove_question")]
pub async fn remove_question(
    round_id: i64,
    section_id: i64,
    question_id: i64,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut tx = draft_tx(&state, round_id, "section_action").await?;
    if !db::rounds::delete_question(&mut tx, round_id, question_id).await? {
        return Err(auth::with_status(AppError::NotFound));
    }
    finish(
        tx,
        user.id,
        "round.question_removed",
        round_id,
        "Question removed".into(),
        "Question removed",
        format!("/fund/rounds/{round_id}/sections/{section_id}"),
    )
    .await
}

/// Add a scoring criterion (`criterion_id` empty) or change one. Sections tick as `section[<id>]`.
#[server(prefix = "/api", endpoint = "rounds/save_criterion")]
pub async fn save_criterion(
    round_id: i64,
    #[server(default)] criterion_id: String,
    #[server(default)] section: BTreeMap<String, String>,
    #[server(flatten)] form: CriterionForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let sections = db::rounds::sections(&mut conn, round_id).await?;
    drop(conn);
    let section_ids: Vec<i64> = section
        .keys()
        .filter_map(|k| k.parse::<i64>().ok())
        .filter(|id| sections.iter().any(|s| s.id == *id))
        .collect();
    let mut errors = match form.parse() {
        Ok(_) => vec![],
        Err(e) => e,
    };
    if section_ids.is_empty() {
        errors.push(FieldError::new(
            "sections",
            "Select the sections this criterion draws on",
        ));
    }
    let criterion = match form.parse() {
        Ok(c) if errors.is_empty() => c,
        _ => {
            let mut values: Vec<(String, String)> = match serde_json::to_value(&form) {
                Ok(serde_json::Value::Object(map)) => map
                    .into_iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                    .collect(),
                _ => vec![],
            };
            for k in section.keys() {
                values.push((format!("section[{k}]"), k.clone()));
            }
            let borrowed: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            return Err(
                auth::reject_form("save_criterion", &borrowed, AppError::Invalid(errors)).await,
            );
        }
    };
    let mut tx = draft_tx(&state, round_id, "save_criterion").await?;
    match criterion_id.parse::<i64>() {
        Ok(cid) => {
            if !db::rounds::update_criterion(&mut tx, round_id, cid, &criterion, &section_ids)
                .await?
            {
                return Err(auth::with_status(AppError::NotFound));
            }
        }
        Err(_) => {
            db::rounds::insert_criterion(&mut tx, round_id, &criterion, &section_ids).await?;
        }
    }
    finish(
        tx,
        user.id,
        "round.criterion_saved",
        round_id,
        format!(
            "Criterion saved: {} (weight {})",
            criterion.name, criterion.weight
        ),
        "Scoring criterion saved",
        format!("/fund/rounds/{round_id}"),
    )
    .await
}

#[server(prefix = "/api", endpoint = "rounds/remove_criterion")]
pub async fn remove_criterion(round_id: i64, criterion_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut tx = draft_tx(&state, round_id, "round_action").await?;
    if !db::rounds::delete_criterion(&mut tx, round_id, criterion_id).await? {
        return Err(auth::with_status(AppError::NotFound));
    }
    finish(
        tx,
        user.id,
        "round.criterion_removed",
        round_id,
        "Scoring criterion removed".into(),
        "Scoring criterion removed",
        format!("/fund/rounds/{round_id}"),
    )
    .await
}

/// Publish a draft: check it is complete, lock it and reserve its envelope from the fund,
/// all in one transaction. Refused, changing nothing, when the fund has too little left.
#[server(prefix = "/api", endpoint = "rounds/publish")]
pub async fn publish_round(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match publish(&state.pool, round_id, user.id).await? {
        Ok(()) => {
            done(
                "Round published. Its budget envelope is reserved from the pooled fund",
                format!("/fund/rounds/{round_id}"),
            )
            .await
        }
        Err(message) => Err(refuse("round_action", message).await),
    }
}

/// The publishing rule itself, shared by the page and the demo data. `Ok(Err(message))`
/// is a refusal to show; nothing has changed then.
#[cfg(feature = "ssr")]
pub async fn publish(
    pool: &sqlx::AnyPool,
    round_id: i64,
    actor: i64,
) -> Result<Result<(), String>, AppError> {
    let mut conn = pool.acquire().await?;
    let round = load_round(&mut conn, round_id).await?;
    drop(conn);
    let Some(fund) = db::fund::fund_for_year(pool, fund_year_of(&round)).await? else {
        return Ok(Err(format!(
            "Set up the pooled fund for {} before publishing: the budget envelope is reserved from it",
            fund_year_of(&round).label()
        )));
    };
    let now_t = chrono::Utc::now();
    let now = crate::domain::time::to_db(now_t);
    let mut tx = pool.begin().await?;
    if !db::rounds::mark_published(&mut tx, round_id, fund.id, &now).await? {
        return Ok(Err("This round has already been published".into()));
    }
    // Checked under the lock, so a concurrent change cannot slip past.
    let gap_ids = db::rounds::gap_ids(&mut tx, round_id).await?;
    let gaps = gap_titles(&mut tx, &gap_ids).await?;
    let sections = section_views(db::rounds::sections(&mut tx, round_id).await?);
    let criteria = criterion_views(db::rounds::criteria(&mut tx, round_id).await?, &sections);
    let problems = publish_problems(&round, &gaps, &sections, &criteria, true, now_t);
    if let Some(first) = problems.into_iter().next() {
        return Ok(Err(first));
    }
    let reason = format!(
        "Budget envelope for \u{201c}{}\u{201d}",
        round.details.title
    );
    if let Err(refusal) = db::fund::reserve(
        &mut tx,
        fund.id,
        round.details.envelope,
        round_id,
        &reason,
        actor,
        &now,
    )
    .await?
    {
        return Ok(Err(refusal.message()));
    }
    for gap in &gap_ids {
        sqlx::query("UPDATE gaps SET status = 'round_open', updated_at = $1 WHERE id = $2 AND status = 'identified'")
            .bind(&now)
            .bind(gap)
            .execute(&mut *tx)
            .await?;
    }
    record(
        &mut tx,
        actor,
        "round.published",
        round_id,
        format!(
            "Published: {}; {} reserved from the pooled fund",
            round.details.title, round.details.envelope
        ),
        Some("Draft".into()),
        Some("Published".into()),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// A change after publishing: the round goes back to draft as a new version (not open to
/// bids meanwhile) and its reservation is released; publishing again reserves it again.
#[server(prefix = "/api", endpoint = "rounds/new_version")]
pub async fn new_version(round_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let values = [("reason", reason.as_str())];
    let reason = match crate::domain::text::required_text(
        "reason",
        &reason,
        "Enter the reason for changing the published round",
        1000,
        "Reason",
    ) {
        Ok(r) => r,
        Err(e) => {
            return Err(auth::reject_form("new_version", &values, AppError::Invalid(vec![e])).await)
        }
    };
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, round_id).await?;
    drop(conn);
    let now_t = chrono::Utc::now();
    let phase = crate::domain::round::phase(
        round.status,
        round.details.opens_at,
        round.details.closes_at,
        now_t,
    );
    if let Err(e) = crate::domain::round::can_move(phase, RoundStatus::Draft) {
        return Err(refuse("new_version", e).await);
    }
    let now = crate::domain::time::to_db(now_t);
    let mut tx = state.pool.begin().await?;
    if !db::rounds::set_status(
        &mut tx,
        round_id,
        round.status,
        RoundStatus::Draft,
        true,
        &now,
    )
    .await?
    {
        return Err(refuse("new_version", CHANGED).await);
    }
    if let Some(fund_id) = round.fund_id {
        db::fund::release(
            &mut tx,
            fund_id,
            round_id,
            &format!(
                "Round \u{201c}{}\u{201d} reopened for changes",
                round.details.title
            ),
            user.id,
            &now,
        )
        .await?;
    }
    record(
        &mut tx,
        user.id,
        "round.new_version",
        round_id,
        format!("Version {} started: {reason}", round.version + 1),
        Some(format!("{} (version {})", phase.label(), round.version)),
        Some(format!("Draft (version {})", round.version + 1)),
    )
    .await?;
    tx.commit().await?;
    done(
        "The round is a draft again. Make your changes, then publish it",
        format!("/fund/rounds/{round_id}"),
    )
    .await
}

/// After the deadline a commissioner starts assessment.
#[server(prefix = "/api", endpoint = "rounds/start_assessment")]
pub async fn start_assessment(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, round_id).await?;
    drop(conn);
    let now_t = chrono::Utc::now();
    let phase = crate::domain::round::phase(
        round.status,
        round.details.opens_at,
        round.details.closes_at,
        now_t,
    );
    if let Err(e) = crate::domain::round::can_move(phase, RoundStatus::Assessment) {
        return Err(refuse("round_action", e).await);
    }
    let now = crate::domain::time::to_db(now_t);
    let mut tx = state.pool.begin().await?;
    if !db::rounds::set_status(
        &mut tx,
        round_id,
        round.status,
        RoundStatus::Assessment,
        false,
        &now,
    )
    .await?
    {
        return Err(refuse("round_action", CHANGED).await);
    }
    record(
        &mut tx,
        user.id,
        "round.assessment_started",
        round_id,
        "Assessment started".into(),
        Some("Closed".into()),
        Some("In assessment".into()),
    )
    .await?;
    tx.commit().await?;
    done("Assessment started", format!("/fund/rounds/{round_id}")).await
}

/// Move rounds on by the clock (published → open → closed), once each, audited. Safe to run
/// in any number of server instances at once: each transition is claimed by a unique row.
#[cfg(feature = "ssr")]
pub async fn advance_by_clock(
    pool: &sqlx::AnyPool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    let now_text = crate::domain::time::to_db(now);
    let mut moved = 0;
    for (id, title, version, from, to) in db::rounds::due_transitions(pool, &now_text).await? {
        let mut tx = pool.begin().await?;
        if !db::rounds::claim_transition(&mut tx, id, to, version, &now_text).await? {
            continue;
        }
        if !db::rounds::set_status(&mut tx, id, from, to, false, &now_text).await? {
            continue;
        }
        db::audit::record(
            &mut tx,
            db::audit::Entry {
                actor: None,
                action: if to == RoundStatus::Open {
                    "round.opened"
                } else {
                    "round.closed"
                },
                subject_type: "round",
                subject_id: id.to_string(),
                summary: format!(
                    "{}: {} at the time set",
                    title,
                    if to == RoundStatus::Open {
                        "opened"
                    } else {
                        "closed"
                    }
                ),
                before: Some(from.label().into()),
                after: Some(to.label().into()),
            },
        )
        .await?;
        tx.commit().await?;
        moved += 1;
    }
    Ok(moved)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCriterion {
    pub name: String,
    pub guidance: String,
    pub weight: u32,
    pub min_score: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicRoundInfo {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub guidance: Vec<Block>,
    pub status: RoundStatus,
    pub envelope: Pence,
    pub min_award: Pence,
    pub max_award: Pence,
    pub period_months: u32,
    pub legal_forms: Vec<LegalForm>,
    pub max_income: Option<Pence>,
    pub area_served: String,
    pub opens: String,
    pub closes: String,
    pub closes_in: String,
    pub decision_expected: String,
    pub invited_only: bool,
    pub gaps: Vec<String>,
    pub criteria: Vec<PublicCriterion>,
    pub sections: Vec<(String, Panel)>,
}

/// A published round, for anyone. Drafts do not exist to the public.
#[server(prefix = "/api", endpoint = "rounds/public_round")]
pub async fn public_round(id: i64) -> Result<PublicRoundInfo, AppError> {
    let state = crate::state::app_state()?;
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, id).await?;
    if round.status == RoundStatus::Draft {
        return Err(auth::with_status(AppError::NotFound));
    }
    let gap_ids = db::rounds::gap_ids(&mut conn, id).await?;
    let gaps = gap_titles(&mut conn, &gap_ids)
        .await?
        .into_iter()
        .map(|g| g.title)
        .collect();
    let criteria = db::rounds::criteria(&mut conn, id)
        .await?
        .into_iter()
        .map(|c| PublicCriterion {
            name: c.criterion.name,
            guidance: c.criterion.guidance,
            weight: c.criterion.weight,
            min_score: c.criterion.min_score,
        })
        .collect();
    let sections = db::rounds::sections(&mut conn, id)
        .await?
        .into_iter()
        .map(|s| (s.title, s.panel))
        .collect();
    let now = chrono::Utc::now();
    let d = round.details;
    Ok(PublicRoundInfo {
        id,
        status: crate::domain::round::phase(round.status, d.opens_at, d.closes_at, now),
        guidance: crate::domain::round::blocks(&d.guidance),
        opens: crate::domain::time::display_uk(d.opens_at),
        closes: crate::domain::time::display_uk(d.closes_at),
        closes_in: crate::domain::round::closes_in(d.closes_at, now),
        decision_expected: crate::domain::date::display_date(d.decision_expected),
        title: d.title,
        summary: d.summary,
        envelope: d.envelope,
        min_award: d.min_award,
        max_award: d.max_award,
        period_months: d.period_months,
        legal_forms: d.legal_forms,
        max_income: d.max_income,
        area_served: d.area_served,
        invited_only: d.invited_only,
        gaps,
        criteria,
        sections,
    })
}
