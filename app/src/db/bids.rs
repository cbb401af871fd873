//! Bids, each section's answers as typed, and the files that answer upload questions.
use super::types::{Flag, JsonText};
use crate::domain::answers::Answers;
use crate::domain::bid::BidStatus;
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow};

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database").into())
}

#[derive(Debug, Clone, FromRow)]
pub struct BidRow {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    #[sqlx(try_from = "String")]
    pub status: BidStatus,
    pub reference: Option<String>,
    #[sqlx(rename = "amount_requested_pence")]
    pub requested: Option<Pence>,
    pub created_at: UtcTime,
    pub updated_at: UtcTime,
    pub submitted_at: Option<UtcTime>,
}

const BID_SELECT: &str = "SELECT b.id, b.round_id, r.title AS round_title, b.organisation_id,
    o.name AS organisation_name, b.status, b.reference, b.amount_requested_pence, b.created_at,
    b.updated_at, b.submitted_at
    FROM bids b JOIN rounds r ON r.id = b.round_id JOIN organisations o ON o.id = b.organisation_id";

/// Start a bid; None when the organisation already has one for this round.
pub async fn insert(
    conn: &mut AnyConnection,
    round_id: i64,
    organisation_id: i64,
    user_id: i64,
    now: UtcTime,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO bids (round_id, organisation_id, status, created_by, created_at, updated_at)
         VALUES ($1, $2, 'draft', $3, $4, $4)
         ON CONFLICT (round_id, organisation_id) DO NOTHING RETURNING id",
    )
    .bind(round_id)
    .bind(organisation_id)
    .bind(user_id)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn find(
    pool: &AnyPool,
    round_id: i64,
    organisation_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM bids WHERE round_id = $1 AND organisation_id = $2")
        .bind(round_id)
        .bind(organisation_id)
        .fetch_optional(pool)
        .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<BidRow>, sqlx::Error> {
    sqlx::query_as(&format!("{BID_SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The bids of every organisation the user belongs to, newest first.
pub async fn for_member(pool: &AnyPool, user_id: i64) -> Result<Vec<BidRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{BID_SELECT} JOIN memberships m ON m.organisation_id = b.organisation_id
         WHERE m.user_id = $1 ORDER BY b.id DESC LIMIT 500"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct SectionAnswers {
    pub section_id: i64,
    #[sqlx(try_from = "JsonText")]
    pub answers: Answers,
    #[sqlx(try_from = "Flag")]
    pub completed: bool,
    pub version: i64,
    #[sqlx(rename = "who")]
    pub updated_by: String,
    pub updated_at: UtcTime,
}

pub async fn sections(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Vec<SectionAnswers>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.section_id, s.answers, s.completed, s.version, s.updated_at, COALESCE(u.full_name, '') AS who
         FROM bid_sections s LEFT JOIN users u ON u.id = s.updated_by WHERE s.bid_id = $1",
    )
    .bind(bid_id)
    .fetch_all(conn)
    .await
}

/// Save a section's answers as typed, if nobody has saved it since `version` (0: never
/// saved). False when the page was stale: nothing is written.
#[allow(clippy::too_many_arguments)]
pub async fn save_section(
    conn: &mut AnyConnection,
    bid_id: i64,
    section_id: i64,
    version: i64,
    answers: &Answers,
    completed: bool,
    user_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(answers).map_err(|_| decode("answers"))?;
    let written = if version == 0 {
        sqlx::query(
            "INSERT INTO bid_sections (bid_id, section_id, answers, completed, version, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (bid_id, section_id) DO NOTHING",
        )
        .bind(bid_id)
        .bind(section_id)
        .bind(json)
        .bind(i64::from(completed))
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE bid_sections SET answers = $1, completed = $2, version = version + 1, updated_by = $3,
             updated_at = $4 WHERE bid_id = $5 AND section_id = $6 AND version = $7",
        )
        .bind(json)
        .bind(i64::from(completed))
        .bind(user_id)
        .bind(now)
        .bind(bid_id)
        .bind(section_id)
        .bind(version)
        .execute(&mut *conn)
        .await?
    };
    if written.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE bids SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(bid_id)
        .execute(conn)
        .await?;
    Ok(true)
}

/// Mark a section not complete (when what it depends on changed).
pub async fn reopen_section(
    conn: &mut AnyConnection,
    bid_id: i64,
    section_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE bid_sections SET completed = 0, version = version + 1 WHERE bid_id = $1 AND section_id = $2 AND completed = 1",
    )
    .bind(bid_id)
    .bind(section_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_requested(
    conn: &mut AnyConnection,
    bid_id: i64,
    requested: Option<Pence>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE bids SET amount_requested_pence = $1 WHERE id = $2")
        .bind(requested.map(|p| p.0))
        .bind(bid_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Move a bid from one status to another; false when it was not in `from` (a race lost).
pub async fn move_status(
    conn: &mut AnyConnection,
    bid_id: i64,
    from: BidStatus,
    to: BidStatus,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE bids SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.code())
            .bind(now)
            .bind(bid_id)
            .bind(from.code())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Submit a draft: it keeps the reference it had if it was submitted before.
pub async fn submit(
    conn: &mut AnyConnection,
    bid_id: i64,
    reference: &str,
    user_id: i64,
    now: UtcTime,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE bids SET status = 'submitted', reference = COALESCE(reference, $1), submitted_at = $2,
         submitted_by = $3, updated_at = $2 WHERE id = $4 AND status = 'draft' RETURNING reference",
    )
    .bind(reference)
    .bind(now)
    .bind(user_id)
    .bind(bid_id)
    .fetch_optional(conn)
    .await
}

/// A file answering one of a bid's questions.
#[derive(Debug, Clone, FromRow)]
pub struct BidFile {
    pub question_id: i64,
    #[sqlx(rename = "id")]
    pub file_id: i64,
    pub name: String,
    pub size_bytes: i64,
}

/// Files answering this bid's questions.
pub async fn files(conn: &mut AnyConnection, bid_id: i64) -> Result<Vec<BidFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT bf.question_id, f.id, f.name, bf.size_bytes FROM bid_files bf JOIN files f ON f.id = bf.file_id
         WHERE bf.bid_id = $1",
    )
    .bind(bid_id)
    .fetch_all(conn)
    .await
}

/// Attach a file to a question, replacing (and deleting) any file it had.
pub async fn set_file(
    conn: &mut AnyConnection,
    bid_id: i64,
    question_id: i64,
    file_id: i64,
    size: i64,
) -> Result<(), sqlx::Error> {
    remove_file(&mut *conn, bid_id, question_id).await?;
    sqlx::query(
        "INSERT INTO bid_files (bid_id, question_id, file_id, size_bytes) VALUES ($1, $2, $3, $4)",
    )
    .bind(bid_id)
    .bind(question_id)
    .bind(file_id)
    .bind(size)
    .execute(conn)
    .await?;
    Ok(())
}

/// Remove the file answering a question; its name, if there was one.
pub async fn remove_file(
    conn: &mut AnyConnection,
    bid_id: i64,
    question_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let Some((file_id, name)): Option<(i64, String)> = sqlx::query_as(
        "SELECT f.id, f.name FROM bid_files bf JOIN files f ON f.id = bf.file_id
         WHERE bf.bid_id = $1 AND bf.question_id = $2",
    )
    .bind(bid_id)
    .bind(question_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM bid_files WHERE bid_id = $1 AND question_id = $2")
        .bind(bid_id)
        .bind(question_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM files WHERE id = $1")
        .bind(file_id)
        .execute(conn)
        .await?;
    Ok(Some(name))
}

/// The organisation a bid belongs to.
pub async fn organisation_of(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT organisation_id FROM bids WHERE id = $1")
        .bind(bid_id)
        .fetch_optional(conn)
        .await
}

/// Bytes of every file an organisation keeps with its bids and its schemes' tranches.
pub async fn organisation_file_bytes(
    conn: &mut AnyConnection,
    organisation_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE((SELECT SUM(bf.size_bytes) FROM bid_files bf JOIN bids b ON b.id = bf.bid_id
                 WHERE b.organisation_id = $1), 0)
              + COALESCE((SELECT SUM(f.size_bytes) FROM tranche_files tf JOIN files f ON f.id = tf.file_id
                 JOIN tranches t ON t.id = tf.tranche_id JOIN schemes s ON s.id = t.scheme_id
                 WHERE s.organisation_id = $1), 0) AS BIGINT) AS n",
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await
}

/// Whether a file answers one of this bid's questions.
pub async fn has_file(pool: &AnyPool, bid_id: i64, file_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM bid_files WHERE bid_id = $1 AND file_id = $2")
            .bind(bid_id)
            .bind(file_id)
            .fetch_optional(pool)
            .await?
            .is_some(),
    )
}

/// A member of an organisation, to write to.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub email: String,
    pub full_name: String,
}

/// The members' email addresses and names, to tell them about the bid.
pub async fn member_emails(
    conn: &mut AnyConnection,
    organisation_id: i64,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.full_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 ORDER BY u.id",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// A bid that can be assessed (it was sent), with its organisation's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssessableBid {
    pub id: i64,
    #[sqlx(rename = "name")]
    pub organisation: String,
    pub reference: Option<String>,
}

pub async fn assessable(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<AssessableBid>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, o.name, b.reference FROM bids b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND b.status IN ('submitted', 'under_assessment', 'awarded', 'declined')
         ORDER BY b.reference, b.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// When assessment starts, the round's sent bids are under assessment.
pub async fn start_assessment(
    conn: &mut AnyConnection,
    round_id: i64,
    now: UtcTime,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE bids SET status = 'under_assessment', updated_at = $1 WHERE round_id = $2 AND status = 'submitted'",
    )
    .bind(now)
    .bind(round_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// A bid as the moderation ranking needs it.
#[derive(Debug, Clone, FromRow)]
pub struct RankedInput {
    pub id: i64,
    #[sqlx(rename = "name")]
    pub organisation: String,
    pub reference: String,
    pub requested: Pence,
    /// When it was sent (the earlier bid ranks first on a tie).
    pub submitted_at: String,
}

/// A round's bids for ranking.
pub async fn ranked_inputs(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<RankedInput>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, o.name, COALESCE(b.reference, '') AS reference, COALESCE(b.amount_requested_pence, 0) AS requested,
            COALESCE(b.submitted_at, '') AS submitted_at
         FROM bids b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND b.status IN ('under_assessment', 'awarded', 'declined')",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}
