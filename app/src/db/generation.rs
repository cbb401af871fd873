//! The data generation (migration 0015): one number that moves on after every change.
use sqlx::AnyPool;

/// The generation now.
pub async fn current(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT n FROM data_generation WHERE id = 1")
        .fetch_one(pool)
        .await
}

/// Move the generation on: after a request that may have written, or a job that did.
pub async fn advance(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE data_generation SET n = n + 1 WHERE id = 1")
        .execute(pool)
        .await?;
    Ok(())
}
