//! Lay evaluators' training records.
use crate::domain::time::{Day, UtcTime};
use crate::domain::training::Training;
use sqlx::{AnyConnection, FromRow};

/// Record a lay evaluator's training.
pub async fn record(
    conn: &mut AnyConnection,
    user_id: i64,
    t: &Training,
    actor: i64,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO evaluator_training (user_id, trained_on, trained_by, what, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(Day(t.trained_on))
    .bind(&t.trained_by)
    .bind(&t.what)
    .bind(actor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One training record, with the person trained.
#[derive(Debug, Clone, FromRow)]
pub struct TrainingRow {
    pub user_id: i64,
    #[sqlx(try_from = "Day")]
    pub trained_on: chrono::NaiveDate,
    pub trained_by: String,
    pub what: String,
}

/// Every training record, newest first.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<TrainingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, trained_on, trained_by, what FROM evaluator_training
         ORDER BY trained_on DESC, id DESC",
    )
    .fetch_all(conn)
    .await
}

/// The people whose training is recorded.
pub async fn trained(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT user_id FROM evaluator_training")
        .fetch_all(conn)
        .await
}
