//! Sign-in attempts and mail requests, counted for throttling (domain::throttle).
use crate::domain::throttle::{Failures, MailRequest};
use crate::domain::time::UtcTime;
use sqlx::{AnyPool, Row};

/// The failures since `since` for the account from this address, the account from
/// anywhere and this address at any account, each with the time since its latest (at `now`).
pub async fn failures_since(
    pool: &AnyPool,
    email: &str,
    ip: &str,
    since: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Failures, sqlx::Error> {
    let count = |sql: &'static str, binds: Vec<String>| async move {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(b);
        }
        let row = q.fetch_one(pool).await?;
        let n: i64 = row.try_get("n")?;
        let latest: Option<String> = row.try_get("latest")?;
        let since_latest = latest
            .and_then(|t| crate::domain::time::from_db(&t))
            .map(|t| now - t)
            .unwrap_or_else(chrono::Duration::zero);
        Ok::<_, sqlx::Error>((n, since_latest))
    };
    let pair = count(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, MAX(attempted_at) AS latest FROM login_attempts
         WHERE email = $1 AND ip = $2 AND succeeded = 0 AND attempted_at > $3",
        vec![email.into(), ip.into(), since.into()],
    )
    .await?;
    let account = count(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, MAX(attempted_at) AS latest FROM login_attempts
         WHERE email = $1 AND succeeded = 0 AND attempted_at > $2",
        vec![email.into(), since.into()],
    )
    .await?;
    let by_ip = count(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, MAX(attempted_at) AS latest FROM login_attempts
         WHERE ip = $1 AND succeeded = 0 AND attempted_at > $2",
        vec![ip.into(), since.into()],
    )
    .await?;
    Ok(Failures {
        pair,
        account,
        ip: by_ip,
    })
}

/// Record an attempt as failed before the password is checked, so that concurrent attempts
/// count each other: (its id). [`succeeded`] marks it once the password is right;
/// [`forget`] removes one that was refused before its password was checked.
pub async fn claim(
    pool: &AnyPool,
    email: &str,
    ip: &str,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
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

/// An attempt refused before its password was checked does not count as a failure (waiting
/// out a delay is not made longer by trying during it).
pub async fn forget(pool: &AnyPool, attempt: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_attempts WHERE id = $1")
        .bind(attempt)
        .execute(pool)
        .await?;
    Ok(())
}

/// A successful sign-in clears the failures from its address at the account.
pub async fn clear_for(pool: &AnyPool, email: &str, ip: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_attempts WHERE email = $1 AND ip = $2 AND succeeded = 0")
        .bind(email)
        .bind(ip)
        .execute(pool)
        .await?;
    Ok(())
}

/// Count a request for mail of `kind` to `email` from `ip` (this one included) over the
/// last hour: (to the address, from the client). Recorded first, so that requests at the
/// same moment, on any instance, count each other.
pub async fn mail_request(
    pool: &AnyPool,
    kind: MailRequest,
    email: &str,
    ip: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(i64, i64), sqlx::Error> {
    let at = crate::domain::time::to_db(now);
    let since = crate::domain::time::to_db(now - chrono::Duration::hours(1));
    sqlx::query(
        "INSERT INTO mail_requests (kind, email, ip, requested_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(kind.code())
    .bind(email)
    .bind(ip)
    .bind(&at)
    .execute(pool)
    .await?;
    let n = |sql: &'static str, key: &str| {
        sqlx::query(sql)
            .bind(kind.code())
            .bind(key.to_string())
            .bind(since.clone())
            .fetch_one(pool)
    };
    let to: i64 = n(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM mail_requests WHERE kind = $1 AND email = $2 AND requested_at > $3",
        email,
    )
    .await?
    .try_get("n")?;
    let from: i64 = n(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM mail_requests WHERE kind = $1 AND ip = $2 AND requested_at > $3",
        ip,
    )
    .await?
    .try_get("n")?;
    Ok((to, from))
}
