//! Downloads streamed from the database: a task reads the query's rows as a stream and
//! sends each written row down a channel, so memory stays flat however many rows there are.
use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use sqlx::any::AnyRow;
use sqlx::AnyPool;

type Chunk = Result<Bytes, std::io::Error>;

/// A value bound to a streamed query's placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
}

/// Stream `head`, then each row of `sql` written by `write` (told whether it is the first),
/// then `tail`. A row that cannot be read or written ends the body with an error, so the
/// client sees a failed download rather than a silently short file.
pub fn stream_query(
    pool: AnyPool,
    sql: String,
    args: Vec<Arg>,
    head: Vec<u8>,
    tail: Vec<u8>,
    mut write: impl FnMut(&AnyRow, bool) -> Option<Vec<u8>> + Send + 'static,
) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Chunk>(32);
    tokio::spawn(async move {
        if tx.send(Ok(Bytes::from(head))).await.is_err() {
            return;
        }
        let mut query = sqlx::query(&sql);
        for arg in args {
            query = match arg {
                Arg::Text(t) => query.bind(t),
                Arg::Int(i) => query.bind(i),
            };
        }
        let mut rows = query.fetch(&pool);
        let mut first = true;
        while let Some(row) = rows.next().await {
            let chunk = match row.map(|r| write(&r, first)) {
                Ok(Some(bytes)) => Ok(Bytes::from(bytes)),
                Ok(None) | Err(_) => {
                    tracing::error!("a streamed download stopped on a row it could not read");
                    Err(std::io::Error::other("download row"))
                }
            };
            first = false;
            let failed = chunk.is_err();
            if tx.send(chunk).await.is_err() || failed {
                return;
            }
        }
        let _ = tx.send(Ok(Bytes::from(tail))).await;
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Body::from_stream(stream)
}

/// A cell that a spreadsheet would run as a formula is prefixed with an apostrophe.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// One CSV record (with its line end), every cell made formula-safe when `safe`.
pub fn csv_record<S: AsRef<str>>(cells: &[S], safe: bool) -> Option<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let written = if safe {
        w.write_record(cells.iter().map(|c| safe_cell(c.as_ref())))
    } else {
        w.write_record(cells.iter().map(|c| c.as_ref()))
    };
    written.ok()?;
    w.into_inner().ok()
}

/// Response headers for a CSV attachment.
pub fn csv_attachment(name: &str, private: bool, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (
                header::CACHE_CONTROL,
                if private {
                    "private, no-store"
                } else {
                    "no-cache"
                }
                .to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

/// A whole CSV built in memory (for small reports): formula-safe cells, header first.
pub fn csv_download<S: AsRef<str>>(
    name: &str,
    head: &[&str],
    rows: impl IntoIterator<Item = Vec<S>>,
) -> Response {
    let mut out = match csv_record(head, true) {
        Some(bytes) => bytes,
        None => return server_error(),
    };
    for row in rows {
        match csv_record(&row, true) {
            Some(bytes) => out.extend(bytes),
            None => return server_error(),
        }
    }
    csv_attachment(name, true, Body::from(out))
}

pub fn server_error() -> Response {
    crate::files::refused(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service",
    )
}
