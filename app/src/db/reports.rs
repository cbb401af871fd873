//! Queries behind the commissioners' reports: a round's bids, and the audit trail.
use crate::domain::bid::BidStatus;
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// One of a round's bids, as the round report counts it.
#[derive(Debug, Clone, FromRow)]
pub struct ReportBid {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub status: BidStatus,
    /// When it was first sent (none for a draft never sent).
    pub submitted_at: Option<UtcTime>,
    pub requested: Pence,
}

/// A round's bids.
pub async fn round_bids(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<ReportBid>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, submitted_at, COALESCE(amount_requested_pence, 0) AS requested
         FROM bids WHERE round_id = $1 ORDER BY id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
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

#[derive(Debug, Clone, FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: UtcTime,
    pub actor: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub summary: String,
    #[sqlx(rename = "before_summary")]
    pub before: Option<String>,
    #[sqlx(rename = "after_summary")]
    pub after: Option<String>,
}

/// One row of `AUDIT_ALL_SQL` (streamed by the CSV export).
pub fn audit_entry(r: &sqlx::any::AnyRow) -> Result<AuditEntry, sqlx::Error> {
    AuditEntry::from_row(r)
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
    sqlx::query_as(concat!(
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
    .await
}

/// Someone who appears in the audit trail.
#[derive(Debug, Clone, FromRow)]
pub struct AuditPerson {
    pub id: i64,
    pub full_name: String,
    pub email: String,
}

/// What the audit filter offers: the people who appear in the trail, record types and
/// actions.
#[derive(Debug, Clone)]
pub struct AuditChoices {
    pub people: Vec<AuditPerson>,
    pub records: Vec<String>,
    pub actions: Vec<String>,
}

pub async fn audit_choices(pool: &AnyPool) -> Result<AuditChoices, sqlx::Error> {
    let people = sqlx::query_as(
        "SELECT u.id, u.full_name, u.email FROM users u
         WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.actor_user_id = u.id) ORDER BY u.full_name, u.id",
    )
    .fetch_all(pool)
    .await?;
    let distinct = |column: &'static str| async move {
        sqlx::query_scalar::<_, String>(&format!(
            "SELECT DISTINCT {column} AS c FROM audit_log ORDER BY c"
        ))
        .fetch_all(pool)
        .await
    };
    Ok(AuditChoices {
        people,
        records: distinct("subject_type").await?,
        actions: distinct("action").await?,
    })
}
