//! `seedbed backup` and `seedbed restore` (SQLite): a backup taken while the portal runs,
//! restored into a fresh database, gives the same fund statement, bids and audit trail;
//! bad files are refused with a clear message; PostgreSQL is pointed at pg_dump.
use crate::common::*;
use sqlx::{Column, Row};

/// Every row of a query, each column as text, for comparing two databases.
async fn rows(pool: &sqlx::AnyPool, sql: &str) -> Vec<Vec<String>> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (0..r.columns().len())
                .map(|i| {
                    r.try_get::<Option<String>, _>(i)
                        .map(|v| v.unwrap_or_else(|| "NULL".into()))
                        .or_else(|_| r.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| r.try_get::<Option<bool>, _>(i).map(|v| format!("{v:?}")))
                        .unwrap_or_else(|e| panic!("column {}: {e}", r.columns()[i].name()))
                })
                .collect()
        })
        .collect()
}

/// What must survive a backup and restore.
async fn snapshot(pool: &sqlx::AnyPool) -> Vec<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for sql in [
        "SELECT id, year, agreed_pence, reserved_pence, committed_pence, paid_pence FROM funds ORDER BY id",
        "SELECT * FROM fund_ledger ORDER BY id",
        "SELECT * FROM bids ORDER BY id",
        "SELECT * FROM bid_sections ORDER BY bid_id, section_id",
        "SELECT * FROM audit_log ORDER BY id",
        "SELECT * FROM schemes ORDER BY id",
    ] {
        out.push(rows(pool, sql).await);
    }
    // The fund statement as the page computes it.
    let funds: Vec<i64> = sqlx::query_scalar("SELECT id FROM funds ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap();
    for fund in funds {
        let totals = app::db::fund::partner_totals(pool, fund).await.unwrap();
        out.push(
            totals
                .iter()
                .map(|(p, t)| vec![p.name.clone(), format!("{t:?}")])
                .collect(),
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_running_restores_identically() {
    let app = spawn_app(Backend::Sqlite).await;
    // Demo data plus an award made through the decision page (ledger, scheme, audit).
    let (_, commissioner, _) = crate::schemes::awarded_scheme(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seedbed-backup.db");
    // Taken while the server is serving.
    let (status, _, _) = app.get(&commissioner, "/fund/schemes").await;
    assert_eq!(status, 200);
    let size = server::cli::backup::backup(&app.database_url, &file)
        .await
        .unwrap();
    assert!(size > 0);
    let before = snapshot(&app.pool).await;
    assert!(before[4].len() > 10, "an audit trail to compare");

    // A second backup never overwrites the first.
    let error = server::cli::backup::backup(&app.database_url, &file)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("already exists"), "{error}");

    // Restored into a fresh database: the same fund statement, bids and audit trail.
    let restored = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("restored/seedbed.db").display()
    );
    server::cli::backup::restore(&restored, &file)
        .await
        .unwrap();
    let pool = app::db::connect(&restored, 2).await.unwrap();
    assert_eq!(snapshot(&pool).await, before);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    pool.close().await;

    // Restoring over a database that has moved on puts it back as it was.
    sqlx::query("DELETE FROM fund_ledger")
        .execute(&app.pool)
        .await
        .unwrap();
    let other = dir.path().join("later.db");
    server::cli::backup::backup(&app.database_url, &other)
        .await
        .unwrap();
    server::cli::backup::restore(&restored, &other)
        .await
        .unwrap();
    let pool = app::db::connect(&restored, 2).await.unwrap();
    let ledger: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM fund_ledger")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(ledger, 0, "the later backup is in place");
    pool.close().await;
    server::cli::backup::restore(&restored, &file)
        .await
        .unwrap();
    let pool = app::db::connect(&restored, 2).await.unwrap();
    assert_eq!(snapshot(&pool).await, before, "and the first one again");
    pool.close().await;
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_backups_are_refused_and_postgres_is_pointed_at_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("seedbed.db").display()
    );
    let missing = dir.path().join("missing.db");
    let error = server::cli::backup::restore(&target, &missing)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("does not exist"), "{error}");

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "not a database at all, just some words to fill a page",
    )
    .unwrap();
    let error = server::cli::backup::restore(&target, &text)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("is not a SQLite database"), "{error}");

    // A SQLite file that is not Seedbed's.
    let foreign = dir.path().join("foreign.db");
    let url = format!("sqlite://{}?mode=rwc", foreign.display());
    let pool = app::db::connect(&url, 1).await.unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let error = server::cli::backup::restore(&target, &foreign)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("is not a Seedbed database"), "{error}");
    assert!(
        !dir.path().join("seedbed.db").exists(),
        "nothing was put in place"
    );

    let error = server::cli::backup::backup(
        "postgres://postgres@127.0.0.1:5432/postgres",
        &dir.path().join("pg.dump"),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(error.contains("pg_dump"), "{error}");
}
