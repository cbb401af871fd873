//! Commissioners record lay evaluators' training (only the trained sit on a lay panel).
use super::{Actor, AssessmentError, Ctx, Done};
use crate::db;
use crate::domain::roles::Role;
use crate::domain::training::TrainingForm;
use crate::error::FieldError;

/// Record the training of the lay evaluator `user_id` (as posted): audited against them.
/// The lay evaluator's name.
pub async fn record(
    ctx: Ctx<'_>,
    actor: &Actor,
    user_id: &str,
    form: &TrainingForm,
) -> Result<Done<String>, AssessmentError> {
    let mut conn = ctx.pool.acquire().await?;
    let people = db::users::with_roles(&mut conn, &[Role::LayEvaluator]).await?;
    drop(conn);
    let person = user_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| people.into_iter().find(|p| p.id == id));
    let mut errors = Vec::new();
    if person.is_none() {
        errors.push(FieldError::new(
            "user_id",
            "Select the lay evaluator who was trained",
        ));
    }
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let training = form.parse(today).map_err(|e| errors.extend(e)).ok();
    let (Some(person), Some(training)) = (person, training) else {
        return Err(AssessmentError::Invalid(errors));
    };
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    db::training::record(&mut tx, person.id, &training, actor.id, now).await?;
    let summary = format!(
        "Lay evaluator training recorded for {}: {}, given by {}",
        person.full_name,
        crate::domain::date::display_date(training.trained_on),
        training.trained_by
    );
    db::audit::entry(
        &mut tx,
        actor.id,
        "user.trained",
        ("user", person.id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: person.full_name,
        mail: Vec::new(),
    })
}
