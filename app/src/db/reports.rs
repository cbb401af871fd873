//! Queries behind the commissioners' reports: a round's bids, and the audit trail.
use crate::domain::bid::BidStatus;
use crate::domain::money::Pence;
use sqlx::{AnyConnection, AnyPool, Row};

/// A round's bids: (bid id, status, sent at least once, amount requested).
pub async fn round_bids(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<(i64, BidStatus, bool, Pence)>, sqlx::Error> {
    sqlx::query(
        "SELECT id, status, submitted_at, COALESCE(amount_requested_pence, 0) AS requested
         FROM bids WHERE round_id = $1 ORDER BY id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let status = r.try_get::<String, _>("status")?;
        Ok((
            r.try_get("id")?,
            BidStatus::from_code(&status).unwrap_or(BidStatus::Draft),
            r.try_get::<Option<String>, _>("submitted_at")?.is_some(),
            Pence(r.try_get("requested")?),
        ))
    })
    .collect()
}

/// The audit trail's columns, with the actor's name.
macro_rules! audit_select {
    () => {
        "SELECT a.id, a.occurred_at, a.actor_user_id, u.full_name AS actor, u.email AS actor_email, a.action,
            a.subject_type, a.subject_id, a.summary, a.before_summary, a.after_summary
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE ($1 = 0 OR ($1 = -1 AND a.actor_user_id IS NULL) OR a.actor_user_id = $1)
           AND ($2 = '' OR a.subject_type = $2) AND ($3 = '' OR a.subject_id = $3)
           AND ($4 = '' OR a.action = $4)
           AND ($5 = '' OR a.occurred_at >= $5) AND ($6 = '' OR a.occurred_at < $6)"
    };
}

/// Every entry the filter matches, oldest first, for the CSV to stream. Arguments: $1 actor
/// (0 anyone, −1 Seedbed), $2 record type, $3 record number, $4 action, $5 from, $6 before.
pub const AUDIT_ALL_SQL: &str = concat!(audit_select!(), " ORDER BY a.id");

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: String,
    pub actor: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub fn audit_entry(r: &sqlx::any::AnyRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        occurred_at: r.try_get("occurred_at")?,
        actor: r.try_get("actor")?,
        actor_email: r.try_get("actor_email")?,
        action: r.try_get("action")?,
        subject_type: r.try_get("subject_type")?,
        subject_id: r.try_get("subject_id")?,
        summary: r.try_get("summary")?,
        before: r.try_get("before_summary")?,
        after: r.try_get("after_summary")?,
    })
}

/// The filter's query arguments, in placeholder order.
#[derive(Debug, Clone, Default)]
pub struct AuditArgs {
    pub actor: i64,
    pub record: String,
    pub record_id: String,
    pub action: String,
    pub from: String,
    pub before: String,
}

/// One page of matching entries, newest first, older than `before_id` (keyset on id).
pub async fn audit_page(
    pool: &AnyPool,
    args: &AuditArgs,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query(concat!(
        audit_select!(),
        " AND a.id < $7 ORDER BY a.id DESC LIMIT $8"
    ))
    .bind(args.actor)
    .bind(&args.record)
    .bind(&args.record_id)
    .bind(&args.action)
    .bind(&args.from)
    .bind(&args.before)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(audit_entry)
    .collect()
}

/// What the filter offers: people who appear in the trail (id, name, email), record types
/// and actions.
pub async fn audit_choices(
    pool: &AnyPool,
) -> Result<(Vec<(i64, String, String)>, Vec<String>, Vec<String>), sqlx::Error> {
    let people = sqlx::query(
        "SELECT u.id, u.full_name, u.email FROM users u
         WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.actor_user_id = u.id) ORDER BY u.full_name, u.id",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("full_name")?, r.try_get("email")?)))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let distinct = |column: &'static str| async move {
        sqlx::query(&format!(
            "SELECT DISTINCT {column} AS c FROM audit_log ORDER BY c"
        ))
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>("c"))
        .collect::<Result<Vec<_>, sqlx::Error>>()
    };
    let records = distinct("subject_type").await?;
    let actions = distinct("action").await?;
    Ok((people, records, actions))
}
