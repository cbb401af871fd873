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

pub async fn record(
    pool: &AnyPool,
    email: &str,
    ip: &str,
    succeeded: bool,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_attempts (email, ip, succeeded, attempted_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(email)
    .bind(ip)
    .bind(i64::from(succeeded))
    .bind(now)
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
