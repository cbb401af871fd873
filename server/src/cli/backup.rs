//! `seedbed backup PATH` and `seedbed restore PATH` for SQLite.
//!
//! A backup is `VACUUM INTO`: a consistent copy of the database as of one moment, taken
//! while the portal keeps running (readers and writers carry on; WAL mode). A restore checks
//! the file is a sound Seedbed database (`PRAGMA integrity_check`, the migrations table),
//! copies it beside the live file and renames it into place (so a crash half-way leaves the
//! old database whole), removes the old write-ahead log, then applies any newer migrations.
//! Stop the portal before restoring. PostgreSQL has its own tools: see the README
//! (`pg_dump --format=custom` and `pg_restore`).
use anyhow::{bail, Context};
use app::db::Backend;
use sqlx::Row;
use std::path::Path;

const POSTGRES: &str = "On PostgreSQL use its own tools: pg_dump --format=custom --file=PATH \"$SEEDBED_DATABASE_URL\" to back up, and pg_restore --no-owner --dbname=NEW_DATABASE_URL PATH to restore into a fresh database (see the README)";

fn sqlite_file(database_url: &str) -> anyhow::Result<String> {
    match Backend::of(database_url) {
        Some(Backend::Sqlite) => app::db::sqlite_path(database_url).context(
            "the SQLite database URL names no file (an in-memory database cannot be backed up)",
        ),
        Some(Backend::Postgres) => bail!("{POSTGRES}"),
        None => bail!("SEEDBED_DATABASE_URL must start with sqlite: or postgres:"),
    }
}

/// Copy the live database to `target` (which must not exist yet). Returns its size in bytes.
pub async fn backup(database_url: &str, target: &Path) -> anyhow::Result<u64> {
    sqlite_file(database_url)?;
    if target.exists() {
        bail!(
            "{} already exists: choose a new file name",
            target.display()
        );
    }
    let target_text = target
        .to_str()
        .context("the backup path must be valid UTF-8")?;
    let pool = app::db::connect(database_url, 1).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(target_text)
        .execute(&pool)
        .await
        .with_context(|| format!("could not write the backup to {}", target.display()))?;
    pool.close().await;
    Ok(std::fs::metadata(target)?.len())
}

/// Check `source` is a sound Seedbed database: integrity and the migrations table.
async fn check(source: &Path) -> anyhow::Result<()> {
    let url = format!(
        "sqlite://{}?mode=ro",
        source.to_str().context("the path must be valid UTF-8")?
    );
    // A plain read-only connection: the app's pool would switch the file to WAL mode.
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .with_context(|| format!("{} is not a SQLite database", source.display()))?;
    let integrity: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a SQLite database", source.display()))?
        .try_get(0)?;
    if integrity != "ok" {
        bail!("{} is damaged: {integrity}", source.display());
    }
    let migrations = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| anyhow::anyhow!("{} is not a Seedbed database", source.display()))?;
    let applied: i64 = migrations.try_get("n")?;
    if applied == 0 {
        bail!("{} is not a Seedbed database", source.display());
    }
    sqlx::Connection::close(conn).await?;
    Ok(())
}

/// Replace the database named by `database_url` with the backup at `source`, then bring its
/// schema up to date.
pub async fn restore(database_url: &str, source: &Path) -> anyhow::Result<()> {
    let live = sqlite_file(database_url)?;
    if !source.is_file() {
        bail!("{} does not exist", source.display());
    }
    check(source).await?;
    let live = Path::new(&live);
    if let Some(parent) = live.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    let staging = live.with_extension("restoring");
    std::fs::copy(source, &staging)
        .with_context(|| format!("could not copy {}", source.display()))?;
    std::fs::File::open(&staging)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", live.display());
        if Path::new(&side).exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&staging, live)?;
    let pool = app::db::connect(database_url, 1).await?;
    app::db::migrate(&pool, database_url).await?;
    // The data changed under anything a server kept (app::kept).
    app::db::epoch::advance(&pool).await?;
    pool.close().await;
    Ok(())
}
