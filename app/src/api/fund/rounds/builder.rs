//! Building a round: its details, questionnaire sections and questions, and scoring criteria
//! (the use cases: service::rounds::builder).
use super::*;

#[cfg(feature = "ssr")]
use crate::service::rounds::{self as service, Item, RoundError};

/// The typed values of a form and its ticked boxes (`name[code]`), kept for a failed post.
#[cfg(feature = "ssr")]
fn typed_values<T: Serialize>(
    form: &T,
    ticked: &[(&str, &BTreeMap<String, String>)],
) -> Vec<(String, String)> {
    let mut values: Vec<(String, String)> = match serde_json::to_value(form) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect(),
        _ => vec![],
    };
    for (name, boxes) in ticked {
        for k in boxes.keys() {
            values.push((format!("{name}[{k}]"), k.clone()));
        }
    }
    values
}

#[cfg(feature = "ssr")]
fn borrowed(values: &[(String, String)]) -> Vec<(&str, &str)> {
    values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
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
    let typed = service::DetailsForm {
        form,
        legal_forms: legal_form.keys().cloned().collect(),
        gaps: gap.keys().cloned().collect(),
    };
    match service::save_details(state.ctx(), &user.actor(), id.parse().ok(), &typed).await {
        Ok(id) => done("Round details saved", format!("/fund/rounds/{id}")).await,
        Err(e) => {
            let values = typed_values(&typed.form, &[("legal_form", &legal_form), ("gap", &gap)]);
            Err(refused("save_round", &borrowed(&values), e).await)
        }
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
    let (ctx, actor, existing) = (state.ctx(), user.actor(), section_id.parse().ok());
    match service::save_section(ctx, &actor, round_id, existing, &title, &panel).await {
        Ok(sid) => {
            done(
                "Section saved",
                format!("/fund/rounds/{round_id}/sections/{sid}"),
            )
            .await
        }
        Err(e) => {
            let values = [("title", title.as_str()), ("panel", panel.as_str())];
            Err(refused("save_section", &values, e).await)
        }
    }
}

#[server(prefix = "/api", endpoint = "rounds/remove_section")]
pub async fn remove_section(round_id: i64, section_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match service::remove_section(state.ctx(), &user.actor(), round_id, section_id).await {
        Ok(()) => done("Section removed", format!("/fund/rounds/{round_id}")).await,
        Err(e) => Err(refused("round_action", &[], e).await),
    }
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
    let item = Item::parse(&what).ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let up = direction == "up";
    match service::move_item(state.ctx(), round_id, item, item_id, up).await {
        Ok(Some(section)) => {
            leptos_axum::redirect(&format!("/fund/rounds/{round_id}/sections/{section}"))
        }
        Ok(None) => leptos_axum::redirect(&format!("/fund/rounds/{round_id}")),
        Err(e) => return Err(refused("round_action", &[], e).await),
    }
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
    let (ctx, ids) = (state.ctx(), (round_id, section_id));
    match service::save_question(ctx, &user.actor(), ids, question_id.parse().ok(), &form).await {
        Ok(()) => {
            let back = format!("/fund/rounds/{round_id}/sections/{section_id}");
            done("Question saved", back).await
        }
        Err(RoundError::Invalid(errors)) => {
            Err(auth::reject_with("save_question", &form, AppError::Invalid(errors)).await)
        }
        Err(e) => Err(refused("save_question", &[], e).await),
    }
}

#[server(prefix = "/api", endpoint = "rounds/remove_question")]
pub async fn remove_question(
    round_id: i64,
    section_id: i64,
    question_id: i64,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match service::remove_question(state.ctx(), &user.actor(), round_id, question_id).await {
        Ok(()) => {
            let back = format!("/fund/rounds/{round_id}/sections/{section_id}");
            done("Question removed", back).await
        }
        Err(e) => Err(refused("section_action", &[], e).await),
    }
}

/// Add a scoring criterion (`criterion_id` empty) or change one. Sections tick as `section[<id>]`.
#[server(prefix = "/api", endpoint = "rounds/save_criterion")]
pub async fn save_criterion(
    round_id: i64,
    #[server(default)] criterion_id: String,
    #[server(default)] section: BTreeMap<String, String>,
    #[server(default)] stage: String,
    #[server(default)] interview_panel: String,
    #[server(flatten)] form: CriterionForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let ticked: Vec<String> = section.keys().cloned().collect();
    let id = criterion_id.parse().ok();
    let drawn = (ticked.as_slice(), stage.as_str(), interview_panel.as_str());
    match service::save_criterion(state.ctx(), &user.actor(), round_id, id, &form, drawn).await {
        Ok(()) => {
            done(
                "Scoring criterion saved",
                format!("/fund/rounds/{round_id}"),
            )
            .await
        }
        Err(e) => {
            let mut values = typed_values(&form, &[("section", &section)]);
            values.push(("stage".into(), stage.clone()));
            values.push(("interview_panel".into(), interview_panel.clone()));
            Err(refused("save_criterion", &borrowed(&values), e).await)
        }
    }
}

#[server(prefix = "/api", endpoint = "rounds/remove_criterion")]
pub async fn remove_criterion(round_id: i64, criterion_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match service::remove_criterion(state.ctx(), &user.actor(), round_id, criterion_id).await {
        Ok(()) => {
            done(
                "Scoring criterion removed",
                format!("/fund/rounds/{round_id}"),
            )
            .await
        }
        Err(e) => Err(refused("round_action", &[], e).await),
    }
}
