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

/// A cell that a spreadsheet would run as a formula is prefixed with an apostrophe. A plain
/// number (a negative amount in a ledger, "-1250.00") is left as a number.
pub fn safe_cell(text: &str) -> String {
    let number = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            && t.chars().any(|c| c.is_ascii_digit())
    };
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r', '|', '%'])
        || text.starts_with(['\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}']);
    let signed_number = text.starts_with(['-', '+']) && number(&text[1..]);
    if risky && !signed_number {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// One CSV record (with its line end). Every CSV the app writes goes through here, so every
/// cell is made formula-safe ([`safe_cell`]).
pub fn csv_record<S: AsRef<str>>(cells: &[S]) -> Option<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(cells.iter().map(|c| safe_cell(c.as_ref())))
        .ok()?;
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
    let mut out = match csv_record(head) {
        Some(bytes) => bytes,
        None => return server_error(),
    };
    for row in rows {
        match csv_record(&row) {
            Some(bytes) => out.extend(bytes),
            None => return server_error(),
        }
    }
    csv_attachment(name, true, Body::from(out))
}

pub fn server_error() -> Response {
    crate::routes::files::refused(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("+1+cmd"), "'+1+cmd");
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("\u{ff1d}1+1"), "'\u{ff1d}1+1");
        assert_eq!(safe_cell("-1250.00"), "-1250.00");
        assert_eq!(safe_cell("+44"), "+44");
        assert_eq!(safe_cell("Smith & Sons"), "Smith & Sons");
        assert_eq!(safe_cell(""), "");
        assert_eq!(
            String::from_utf8(csv_record(&["=1+1", "ok"]).unwrap()).unwrap(),
            "'=1+1,ok\n"
        );
    }
}
