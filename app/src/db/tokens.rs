//! Single-use, time-limited email tokens. Only a SHA-256 of the token is stored.
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool};

pub const VERIFY: &str = "verify";
pub const RESET: &str = "reset";

pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    expires_at: UtcTime,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(token_hash)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Is this token unused and unexpired? (For showing the page; consuming is separate.)
pub async fn is_live(
    pool: &AnyPool,
    token_hash: &str,
    purpose: &str,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id FROM email_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(pool)
    .await?
    .is_some())
}

/// Use a token once: a conditional update, so two concurrent uses cannot both succeed.
pub async fn consume(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: &str,
    now: UtcTime,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE email_tokens SET used_at = $1
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
         RETURNING user_id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(conn)
    .await
}

/// Retire any other live tokens of the same purpose (e.g. older reset links).
pub async fn retire_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
    purpose: &str,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(purpose)
        .execute(conn)
        .await?;
    Ok(())
}
