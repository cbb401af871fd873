//! Commissioners: lay evaluators' training, recorded before they sit on a lay panel.
use crate::domain::training::TrainingForm;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{auth, auth::require_commissioner as commissioner, db, domain::roles::Role};

pub const TRAINING_FORM: &str = "record_training";

/// A lay evaluator and their training, newest first: (date, by whom, what).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluator {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub training: Vec<(String, String, String)>,
}

#[server(prefix = "/api", endpoint = "assessment/training")]
pub async fn lay_evaluators() -> Result<Vec<Evaluator>, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let people = db::users::with_roles(&mut conn, &[Role::LayEvaluator]).await?;
    let records = db::training::all(&mut conn).await?;
    Ok(people
        .into_iter()
        .map(|p| Evaluator {
            training: records
                .iter()
                .filter(|r| r.user_id == p.id)
                .map(|r| {
                    (
                        crate::domain::date::display_date(r.trained_on),
                        r.trained_by.clone(),
                        r.what.clone(),
                    )
                })
                .collect(),
            user_id: p.id,
            name: p.full_name,
            email: p.email,
        })
        .collect())
}

/// Record a lay evaluator's training: `user_id`, the date, who gave it and what it covered.
#[server(prefix = "/api", endpoint = "assessment/record_training")]
pub async fn record_training(
    #[server(default)] user_id: String,
    #[server(flatten)] form: TrainingForm,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match crate::service::assessment::training::record(state.ctx(), &user.actor(), &user_id, &form)
        .await
    {
        Ok(done) => {
            let name = state.deliver(done).await;
            let session = auth::session().await?;
            let notice = format!("Training recorded for {name}. They can now sit on a lay panel");
            auth::notice_and_redirect(&session, &notice, "/fund/lay-evaluators").await?;
            Ok(())
        }
        Err(e) => {
            let mut kept = vec![("user_id", user_id.as_str())];
            kept.extend([
                ("trained_on_day", form.trained_on_day.as_str()),
                ("trained_on_month", form.trained_on_month.as_str()),
                ("trained_on_year", form.trained_on_year.as_str()),
                ("trained_by", form.trained_by.as_str()),
                ("what", form.what.as_str()),
            ]);
            Err(auth::reject_form(TRAINING_FORM, &kept, e.into()).await)
        }
    }
}
