use sqlx::{AnyPool, Row};

pub async fn failures_since(
    pool: &AnyPool,
    email: &str,
    ip: &str,
    since: &str,
) -> Result<(i64, i64), sqlx::Error> {
    let by_email: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM login_attempts WHERE email = $1 AND succeeded = 0 AND attempted_at > $2",
    )
    .bind(email)
    .bind(since)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    let by_ip: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND attempted_at > $2",
    )
    .bind(ip)
    .bind(since)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    Ok((by_email, by_ip))
}

/// Record an attempt as failed before the password is checked, so that concurrent attempts
/// count each other: (its id). [`succeeded`] marks it once the password is right.
pub async fn claim(pool: &AnyPool, email: &str, ip: &str, now: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_attempts (email, ip, succeeded, attempted_at) VALUES ($1, $2, 0, $3) RETURNING id",
    )
    .bind(email)
    .bind(ip)
    .bind(now)
    .fetch_one(pool)
    .await?
    .try_get("id")
}

pub async fn succeeded(pool: &AnyPool, attempt: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_attempts SET succeeded = 1 WHERE id = $1")
        .bind(attempt)
        .execute(pool)
        .await?;
    Ok(())
}

/// A successful sign-in clears the account's failures.
pub async fn clear_for_email(pool: &AnyPool, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_attempts WHERE email = $1 AND succeeded = 0")
        .bind(email)
        .execute(pool)
        .await?;
    Ok(())
}
