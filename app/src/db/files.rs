//! Uploaded files, stored in the database.
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow};

pub struct NewFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
    pub uploaded_by: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    f: NewFile<'_>,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO files (name, content_type, size_bytes, sha256, bytes, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(f.name)
    .bind(f.content_type)
    .bind(f.bytes.len() as i64)
    .bind(f.sha256)
    .bind(f.bytes.to_vec())
    .bind(f.uploaded_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

#[derive(FromRow)]
pub struct StoredFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    sqlx::query_as("SELECT name, content_type, bytes FROM files WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A stored file's name and size, without its bytes.
#[derive(Debug, Clone, FromRow)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub size_bytes: i64,
}

/// A gap's evidence file.
pub async fn gap_evidence(pool: &AnyPool, gap_id: i64) -> Result<Option<FileInfo>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.name, f.size_bytes FROM gaps g JOIN files f ON f.id = g.evidence_file_id WHERE g.id = $1",
    )
    .bind(gap_id)
    .fetch_optional(pool)
    .await
}

/// Attach a file to a gap as its evidence. False when there is no such gap.
pub async fn set_gap_evidence(
    conn: &mut AnyConnection,
    gap_id: i64,
    file_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let old: Option<i64> =
        sqlx::query_scalar::<_, Option<i64>>("SELECT evidence_file_id FROM gaps WHERE id = $1")
            .bind(gap_id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    let done = sqlx::query("UPDATE gaps SET evidence_file_id = $1, updated_at = $2 WHERE id = $3")
        .bind(file_id)
        .bind(now)
        .bind(gap_id)
        .execute(&mut *conn)
        .await?;
    // The file it replaces is deleted, not left behind.
    if let Some(old) = old.filter(|old| *old != file_id) {
        sqlx::query("DELETE FROM files WHERE id = $1")
            .bind(old)
            .execute(conn)
            .await?;
    }
    Ok(done.rows_affected() == 1)
}

/// Store an uploaded file under its SHA-256 digest: (its id, the digest in hex).
pub async fn store(
    conn: &mut AnyConnection,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    actor: i64,
    now: UtcTime,
) -> Result<(i64, String), sqlx::Error> {
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(bytes));
    let file = NewFile {
        name,
        content_type,
        bytes,
        sha256: &digest,
        uploaded_by: actor,
    };
    let id = insert(conn, file, now).await?;
    Ok((id, digest))
}
