//! Building a round: its details, questionnaire sections and questions, and scoring criteria.
use super::*;

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
        .map(|g| g.id)
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
            if !db::rounds::lock_draft(&mut tx, id, now).await? {
                drop(tx);
                let mut conn = state.pool.acquire().await?;
                load_round(&mut conn, id).await?;
                return Err(refuse("save_round", LOCKED).await);
            }
            db::rounds::update_details(&mut tx, id, &details, &gap_ids, now).await?;
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
            let id = db::rounds::insert_round(&mut tx, &details, &gap_ids, user.id, now).await?;
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
    auth::notice_and_redirect(
        &session,
        "Round details saved",
        &format!("/fund/rounds/{id}"),
    )
    .await?;
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
