//! Building a draft round: its details, its questionnaire's sections and questions, and its
//! scoring criteria. A published round is locked (a new version makes it a draft again);
//! every change is recorded in the round's history.
use super::{round, RoundError};
use crate::db;
use crate::domain::round::{CriterionForm, Panel, QuestionForm, RoundForm, SectionKind};
use crate::error::FieldError;
use crate::service::{Actor, Ctx};
use sqlx::{Any, Transaction};

/// The order of the details form's fields, so its errors are listed as the page reads.
const DETAILS_ORDER: [&str; 17] = [
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
];

/// The round's details as typed, with the ticked legal forms' codes and gaps' ids (as the
/// form sends them: unknown or closed-off ones are ignored).
#[derive(Debug, Clone, Default)]
pub struct DetailsForm {
    pub form: RoundForm,
    pub legal_forms: Vec<String>,
    pub gaps: Vec<String>,
}

/// Create a draft round (`round_id` None) or change a draft's details. (The round's id.)
pub async fn save_details(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: Option<i64>,
    typed: &DetailsForm,
) -> Result<i64, RoundError> {
    let (mut errors, details) = match typed.form.parse(&typed.legal_forms) {
        Ok(d) => (Vec::new(), Some(d)),
        Err(e) => (e, None),
    };
    let known: Vec<i64> = db::registers::gaps(ctx.pool, None)
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let gap_ids: Vec<i64> = typed
        .gaps
        .iter()
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
        errors.sort_by_key(|e| {
            DETAILS_ORDER
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(99)
        });
        return Err(RoundError::Invalid(errors));
    };
    let now = db::now();
    let (mut tx, id, action, summary, after) = match round_id {
        Some(id) => {
            let mut tx = draft_tx(ctx, id).await?;
            db::rounds::update_details(&mut tx, id, &details, &gap_ids, now).await?;
            let summary = format!("Details changed: {}", details.title);
            (tx, id, "round.changed", summary, None)
        }
        None => {
            let mut tx = ctx.pool.begin().await?;
            let id = db::rounds::insert_round(&mut tx, &details, &gap_ids, actor.id, now).await?;
            let summary = format!("Draft round created: {}", details.title);
            (tx, id, "round.created", summary, Some("Draft".to_string()))
        }
    };
    let mut entry = about(actor, action, id, summary);
    entry.after = after;
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Begin a transaction that changes a draft round; a published one is refused as locked.
async fn draft_tx(ctx: Ctx<'_>, round_id: i64) -> Result<Transaction<'static, Any>, RoundError> {
    let mut tx = ctx.pool.begin().await?;
    if db::rounds::lock_draft(&mut tx, round_id, db::now()).await? {
        return Ok(tx);
    }
    drop(tx);
    round(ctx, round_id).await?;
    Err(RoundError::Locked)
}

fn about(
    actor: &Actor,
    action: &'static str,
    round_id: i64,
    summary: String,
) -> db::audit::Entry<'static> {
    db::audit::Entry {
        actor: Some(actor.id),
        action,
        subject_type: "round",
        subject_id: round_id.to_string(),
        summary,
        before: None,
        after: None,
    }
}

/// Record a change to the questionnaire or criteria in the round's history and commit.
async fn finish(
    mut tx: Transaction<'static, Any>,
    actor: &Actor,
    action: &'static str,
    round_id: i64,
    summary: String,
) -> Result<(), RoundError> {
    db::audit::record(&mut tx, about(actor, action, round_id, summary)).await?;
    tx.commit().await?;
    Ok(())
}

fn parse_section(title: &str, panel: &str, custom: bool) -> Result<(String, Panel), RoundError> {
    let mut errors = Vec::new();
    let title = if custom {
        crate::domain::text::required_line(
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
        _ => Err(RoundError::Invalid(errors)),
    }
}

/// Add a section of questions (`section_id` None) or change a section's title (built-in
/// sections keep theirs) and the panel that scores it. (The section's id.)
pub async fn save_section(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    section_id: Option<i64>,
    title: &str,
    panel: &str,
) -> Result<i64, RoundError> {
    let custom = match section_id {
        None => true,
        Some(sid) => {
            let mut conn = ctx.pool.acquire().await?;
            db::rounds::sections(&mut conn, round_id)
                .await?
                .iter()
                .find(|s| s.id == sid)
                .map(|s| s.kind == SectionKind::Custom)
                .ok_or(RoundError::NotFound)?
        }
    };
    let (title, panel) = parse_section(title, panel, custom)?;
    let mut tx = draft_tx(ctx, round_id).await?;
    let sid = match section_id {
        Some(sid) => {
            if !db::rounds::update_section(&mut tx, round_id, sid, &title, panel).await? {
                return Err(RoundError::NotFound);
            }
            sid
        }
        None => db::rounds::append_section(&mut tx, round_id, &title, panel).await?,
    };
    let name = if custom {
        title.as_str()
    } else {
        "built-in section"
    };
    let summary = format!(
        "Section saved: {name} (scored by {})",
        panel.label().to_lowercase()
    );
    finish(tx, actor, "round.section_saved", round_id, summary).await?;
    Ok(sid)
}

/// Remove a section and its questions.
pub async fn remove_section(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    section_id: i64,
) -> Result<(), RoundError> {
    let mut tx = draft_tx(ctx, round_id).await?;
    if !db::rounds::delete_section(&mut tx, round_id, section_id).await? {
        return Err(RoundError::NotFound);
    }
    let summary = "Section removed".to_string();
    finish(tx, actor, "round.section_removed", round_id, summary).await
}

/// What can be moved up or down in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Section,
    Question,
    Criterion,
}

impl Item {
    pub fn parse(what: &str) -> Option<Item> {
        match what {
            "section" => Some(Item::Section),
            "question" => Some(Item::Question),
            "criterion" => Some(Item::Criterion),
            _ => None,
        }
    }
}

/// Move a section, question or criterion one place up (`up`) or down. (For a question, the
/// section it is in.)
pub async fn move_item(
    ctx: Ctx<'_>,
    round_id: i64,
    item: Item,
    item_id: i64,
    up: bool,
) -> Result<Option<i64>, RoundError> {
    let step = if up { -1 } else { 1 };
    let mut tx = draft_tx(ctx, round_id).await?;
    let section = match item {
        Item::Section => {
            db::rounds::move_section(&mut tx, round_id, item_id, step).await?;
            None
        }
        Item::Question => {
            let section = db::rounds::question_section(&mut tx, round_id, item_id)
                .await?
                .ok_or(RoundError::NotFound)?;
            db::rounds::move_question(&mut tx, section, item_id, step).await?;
            Some(section)
        }
        Item::Criterion => {
            db::rounds::move_criterion(&mut tx, round_id, item_id, step).await?;
            None
        }
    };
    tx.commit().await?;
    Ok(section)
}

/// Add a question to a section (`question_id` None) or change one.
pub async fn save_question(
    ctx: Ctx<'_>,
    actor: &Actor,
    (round_id, section_id): (i64, i64),
    question_id: Option<i64>,
    form: &QuestionForm,
) -> Result<(), RoundError> {
    let question = form.parse().map_err(RoundError::Invalid)?;
    let mut tx = draft_tx(ctx, round_id).await?;
    let saved = match question_id {
        Some(qid) => db::rounds::update_question(&mut tx, round_id, qid, &question).await?,
        None => db::rounds::add_question(&mut tx, round_id, section_id, &question).await?,
    };
    if !saved {
        return Err(RoundError::NotFound);
    }
    let summary = format!("Question saved: {}", question.label);
    finish(tx, actor, "round.question_saved", round_id, summary).await
}

/// Remove a question.
pub async fn remove_question(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    question_id: i64,
) -> Result<(), RoundError> {
    let mut tx = draft_tx(ctx, round_id).await?;
    if !db::rounds::delete_question(&mut tx, round_id, question_id).await? {
        return Err(RoundError::NotFound);
    }
    let summary = "Question removed".to_string();
    finish(tx, actor, "round.question_removed", round_id, summary).await
}

/// Add a scoring criterion (`criterion_id` None) or change one. `sections`: the ids of the
/// sections a written criterion draws on, as ticked (ones not in this round are ignored; one
/// is needed); `(stage, panel)`: "written", or "interview" with the panels that score it.
pub async fn save_criterion(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    criterion_id: Option<i64>,
    form: &CriterionForm,
    (sections, stage, panel): (&[String], &str, &str),
) -> Result<(), RoundError> {
    let mut conn = ctx.pool.acquire().await?;
    let in_round = db::rounds::sections(&mut conn, round_id).await?;
    drop(conn);
    let mut section_ids: Vec<i64> = sections
        .iter()
        .filter_map(|k| k.parse::<i64>().ok())
        .filter(|id| in_round.iter().any(|s| s.id == *id))
        .collect();
    let (mut errors, criterion) = match form.parse() {
        Ok(c) => (Vec::new(), Some(c)),
        Err(e) => (e, None),
    };
    let interview =
        match crate::domain::assessment::criterion_stage(stage, panel, section_ids.len()) {
            Ok(interview) => interview,
            Err(e) => {
                errors.push(e);
                None
            }
        };
    let Some(criterion) = criterion.filter(|_| errors.is_empty()) else {
        return Err(RoundError::Invalid(errors));
    };
    if interview.is_some() {
        // Scored from what the panel hears, not from sections of the bid.
        section_ids.clear();
    }
    let mut tx = draft_tx(ctx, round_id).await?;
    let drawn = (section_ids.as_slice(), interview);
    match criterion_id {
        Some(cid) => {
            let updated =
                db::rounds::update_criterion(&mut tx, round_id, cid, &criterion, drawn).await?;
            if !updated {
                return Err(RoundError::NotFound);
            }
        }
        None => {
            db::rounds::insert_criterion(&mut tx, round_id, &criterion, drawn).await?;
        }
    }
    let at = if interview.is_some() {
        ", scored at the interview"
    } else {
        ""
    };
    let summary = format!(
        "Criterion saved: {} (weight {}){at}",
        criterion.name, criterion.weight
    );
    finish(tx, actor, "round.criterion_saved", round_id, summary).await
}

/// Remove a scoring criterion.
pub async fn remove_criterion(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    criterion_id: i64,
) -> Result<(), RoundError> {
    let mut tx = draft_tx(ctx, round_id).await?;
    if !db::rounds::delete_criterion(&mut tx, round_id, criterion_id).await? {
        return Err(RoundError::NotFound);
    }
    let summary = "Scoring criterion removed".to_string();
    finish(tx, actor, "round.criterion_removed", round_id, summary).await
}
