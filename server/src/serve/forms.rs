//! Forms posted to server functions are read here, before any server function sees them, so
//! that a body too large, cut off or not UTF-8 is the sender's mistake (400 with a message)
//! rather than a fault inside the server function (500). Layered on the whole router:
//! leptos registers each server function's own route, which a catch-all route would not see.
use axum::extract::Request;
use axum::http::{header, request::Parts, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest form a server function accepts (a megabyte typed into a field still gets its
/// field's own message; uploads go to their own routes with their own limit).
pub const FORM_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// How long a form may take to arrive in all (a client dribbling bytes is cut off).
const FORM_READ_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn read_form(request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let read =
        tokio::time::timeout(FORM_READ_LIMIT, axum::body::to_bytes(body, FORM_BODY_LIMIT)).await;
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) if is_too_large(&e) => {
            return bad_form(
                &parts,
                "The form was too large to send. Shorten your answers and try again",
            )
        }
        Ok(Err(_)) | Err(_) => {
            return bad_form(
                &parts,
                "The form was not received in full. Check your connection and try again",
            )
        }
    };
    if std::str::from_utf8(&bytes).is_err() {
        return bad_form(
            &parts,
            "The form was not sent as expected. Go back to the page and try again",
        );
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// 400 for a form that could not be read: a page for a browser posting a plain form, the
/// server function's JSON error for code calling it.
fn bad_form(parts: &Parts, message: &str) -> Response {
    let html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if html {
        let body = crate::plain_page(
            "There is a problem with the form",
            &format!(
                "<p class=\"govuk-body\">{message}.</p><p class=\"govuk-body\">Anything you saved before is still saved.</p>"
            ),
        );
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
    }
    let error = app::error::AppError::Invalid(vec![app::error::FieldError::new("", message)]);
    let json = serde_json::to_string(&error).unwrap_or_else(|_| "\"Internal\"".into());
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response()
}
