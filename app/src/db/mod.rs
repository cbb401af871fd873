//! Queries per aggregate over `AnyPool`. SQL only: no business rules.
pub mod assessment;
pub mod audit;
pub mod bids;
pub mod clawbacks;
pub mod decisions;
pub mod epoch;
pub mod files;
pub mod fund;
pub mod interviews;
pub mod measures;
pub mod meetings;
pub mod opendata;
pub mod organisations;
pub mod outbox;
pub mod registers;
pub mod reports;
pub mod returns;
pub mod rounds;
pub mod schemes;
pub mod sign_offs;
pub mod throttle;
pub mod tokens;
pub mod training;
pub mod tranches;
pub mod types;
pub mod users;
pub mod variations;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;

pub use sqlx::Any as Db;

/// Which backend a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Connect to the database named by `url`, creating the SQLite file's folder if needed.
pub async fn connect(url: &str, max_connections: u32) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url).ok_or_else(|| {
        sqlx::Error::Configuration(
            "SEEDBED_DATABASE_URL must start with sqlite: or postgres:".into(),
        )
    })?;
    if backend == Backend::Sqlite {
        if let Some(path) = sqlite_path(url) {
            if let Some(parent) = std::path::Path::new(&path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
                }
            }
        }
    }
    let options = AnyConnectOptions::from_str(url)?;
    AnyPoolOptions::new()
        .max_connections(max_connections)
        // When the database is unreachable, a request fails with the service-unavailable
        // page after this long rather than hanging for sqlx's default 30 seconds.
        .acquire_timeout(std::time::Duration::from_secs(5))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    // Table statistics for the query planner (see `optimize`).
                    conn.execute("PRAGMA analysis_limit = 1000").await?;
                    conn.execute("PRAGMA optimize = 0x10002").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

/// Keep SQLite's query planner statistics current (PostgreSQL's autovacuum does this by
/// itself). Without them the planner guessed, for example, that `status IN (...)` was more
/// selective than `scheme_id IN (50 ids)` and read every sent return to find one page's
/// (the portfolio at 500 schemes). Run when a connection opens, every few minutes by the
/// server's clock, and after a bulk load; `analysis_limit` keeps each run to milliseconds.
pub async fn optimize(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        conn.execute("PRAGMA analysis_limit = 1000").await?;
        conn.execute("PRAGMA optimize = 0x10002").await?;
    }
    Ok(())
}

/// The file path inside a `sqlite://path?mode=rwc` URL.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_string())
    }
}

/// Apply the embedded migrations for the backend behind `url`.
pub async fn migrate(pool: &AnyPool, url: &str) -> Result<(), sqlx::migrate::MigrateError> {
    match Backend::of(url) {
        Some(Backend::Postgres) => sqlx::migrate!("../migrations/postgres").run(pool).await,
        _ => sqlx::migrate!("../migrations/sqlite").run(pool).await,
    }
}

/// The time now, as every write records it.
pub fn now() -> crate::domain::time::UtcTime {
    crate::domain::time::UtcTime::now()
}

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .map(|e| e.is_unique_violation())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sqlite_file() {
        assert_eq!(
            sqlite_path("sqlite://data/seedbed.db?mode=rwc").as_deref(),
            Some("data/seedbed.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite://"), None);
        assert_eq!(
            Backend::of("postgres://localhost/seedbed"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of("mysql://x"), None);
    }

    /// The two migration trees are one schema: the same files, and each PostgreSQL file is
    /// its SQLite twin with only the known type substitutions. A migration added to one tree
    /// and not the other, or a column that differs, fails here.
    #[test]
    fn the_two_migration_trees_are_one_schema() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        let names = |dir: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let (sqlite, postgres) = (names("sqlite"), names("postgres"));
        assert_eq!(sqlite, postgres, "both trees hold the same migrations");
        assert!(sqlite.len() >= 17);
        for name in &sqlite {
            let read = |dir: &str| std::fs::read_to_string(root.join(dir).join(name)).unwrap();
            let translated = postgres_twin(&read("sqlite"));
            let expected = read("postgres");
            for (n, (a, b)) in translated.lines().zip(expected.lines()).enumerate() {
                assert_eq!(a, b, "{name} line {}: the trees differ", n + 1);
            }
            assert_eq!(
                translated.lines().count(),
                expected.lines().count(),
                "{name}"
            );
        }
        assert_eq!(
            postgres_twin("id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL"),
            "id BIGSERIAL PRIMARY KEY, body BYTEA NOT NULL"
        );
    }

    /// The PostgreSQL text of a SQLite migration (the only differences allowed).
    fn postgres_twin(sqlite: &str) -> String {
        sqlite
            .replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
            .replace("BLOB", "BYTEA")
    }
}
