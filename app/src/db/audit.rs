//! The audit log: one call, inside the transaction of the change it records.
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow};

pub struct Entry<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl<'a> Entry<'a> {
    /// An entry about one user account, with no before/after.
    pub fn about_user(
        actor: Option<i64>,
        action: &'a str,
        user_id: i64,
        summary: impl Into<String>,
    ) -> Self {
        Entry {
            actor,
            action,
            subject_type: "user",
            subject_id: user_id.to_string(),
            summary: summary.into(),
            before: None,
            after: None,
        }
    }
}

/// An entry with no before and after: `actor` did `action` to `subject` (type, id).
pub async fn entry(
    conn: &mut AnyConnection,
    actor: i64,
    action: &str,
    subject: (&str, i64),
    summary: String,
) -> Result<(), sqlx::Error> {
    record(
        conn,
        Entry {
            actor: Some(actor),
            action,
            subject_type: subject.0,
            subject_id: subject.1.to_string(),
            summary,
            before: None,
            after: None,
        },
    )
    .await
}

pub async fn record(conn: &mut AnyConnection, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_user_id, action, subject_type, subject_id, summary, before_summary, after_summary, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.subject_type)
    .bind(entry.subject_id)
    .bind(entry.summary)
    .bind(entry.before)
    .bind(entry.after)
    .bind(super::now())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub subject_id: String,
    pub summary: String,
    #[sqlx(rename = "before_summary")]
    pub before: Option<String>,
    #[sqlx(rename = "after_summary")]
    pub after: Option<String>,
    pub occurred_at: UtcTime,
}

/// Most recent entries about one subject.
pub async fn for_subject(
    pool: &AnyPool,
    subject_type: &str,
    subject_id: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_user_id, action, subject_id, summary, before_summary, after_summary, occurred_at
         FROM audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(subject_type)
    .bind(subject_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
