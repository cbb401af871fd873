//! The mail outbox: messages written by requests, sent by the background task.
use crate::domain::time::UtcTime;
use crate::mail::OutgoingMail;
use sqlx::{AnyPool, FromRow};

pub async fn add(pool: &AnyPool, mail: &OutgoingMail, now: UtcTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mail_outbox (to_address, subject, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(now)
    .fetch_one(pool)
    .await
}

/// A message claimed for sending.
#[derive(FromRow)]
struct Claimed {
    id: i64,
    to_address: String,
    subject: String,
    body: String,
}

/// The most times a message is tried before it is left for a person to look at.
pub const MAX_ATTEMPTS: i64 = 10;

/// Claim the oldest unsent message (unclaimed, or claimed before `stale` by a sender that
/// stopped): its id and the mail. The claim is a conditional update, so of several senders
/// (instances) exactly one gets each message.
pub async fn claim(
    pool: &AnyPool,
    now: UtcTime,
    stale: UtcTime,
) -> Result<Option<(i64, OutgoingMail)>, sqlx::Error> {
    let row: Option<Claimed> = sqlx::query_as(
        "UPDATE mail_outbox SET claimed_at = $1, attempts = attempts + 1
         WHERE id = (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND attempts < $3
                     AND (claimed_at IS NULL OR claimed_at < $2) ORDER BY id LIMIT 1)
         AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < $2)
         RETURNING id, to_address, subject, body",
    )
    .bind(now)
    .bind(stale)
    .bind(MAX_ATTEMPTS)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            r.id,
            OutgoingMail {
                to: r.to_address,
                subject: r.subject,
                body: r.body,
            },
        )
    }))
}

pub async fn sent(pool: &AnyPool, id: i64, now: UtcTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Sending failed: release the claim (it is tried again later) and keep the reason.
pub async fn failed(pool: &AnyPool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET claimed_at = NULL, last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Messages not sent yet (waiting or being retried).
pub async fn unsent(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM mail_outbox WHERE sent_at IS NULL",
    )
    .fetch_one(pool)
    .await
}
