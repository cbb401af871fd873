//! The data epoch (migrations 0015 and 0018): one number that moves on after every change.
use sqlx::AnyPool;

/// The epoch now.
pub async fn current(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT n FROM data_epoch WHERE id = 1")
        .fetch_one(pool)
        .await
}

/// Move the epoch on: after a request that may have written, or a job that did.
pub async fn advance(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE data_epoch SET n = n + 1 WHERE id = 1")
        .execute(pool)
        .await?;
    Ok(())
}
