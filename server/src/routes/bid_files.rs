//! Files that answer a bid's upload questions: uploaded as a plain multipart form by the
//! organisation's members while the bid is a draft and the round is open; downloaded by
//! whoever may read the bid. Everyone else is told the bid does not exist.
use crate::routes::files::{attachment, checked_upload, keep_field_error, refused};
use crate::ServerState;
use app::domain::files::safe_name;
use app::error::AppError;
use app::service::bids;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The form name the upload page reads its errors from.
pub const UPLOAD_FORM: &str = "bid_upload";

fn service_error() -> Response {
    refused(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service",
    )
}

async fn signed_in(
    state: &ServerState,
    session: &Session,
    back: &str,
) -> Result<app::auth::CurrentUser, Response> {
    match app::auth::current_user(&state.app, session).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(Redirect::to(&format!(
            "/account/sign-in?next={}",
            app::components::urlencode(back)
        ))
        .into_response()),
        Err(e) => Err(e.into_response()),
    }
}

pub async fn upload_bid_file(
    State(state): State<ServerState>,
    session: Session,
    Path((bid_id, question_id)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> Response {
    let user = match signed_in(&state, &session, &format!("/bids/{bid_id}")).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let (ctx, actor) = (state.app.ctx(), user.actor());
    let section_id = match bids::upload_target(ctx, &actor, bid_id, question_id).await {
        Ok(section_id) => section_id,
        Err(e) if e.is_status() => return AppError::from(e).into_response(),
        Err(e) => {
            let back = format!("/bids/{bid_id}");
            let _ = app::auth::set_notice(&session, &e.to_string(), &back).await;
            return Redirect::to(&back).into_response();
        }
    };
    let back = format!("/bids/{bid_id}/sections/{section_id}/files/{question_id}");
    let fail = |message: String| {
        let session = session.clone();
        let back = back.clone();
        async move { keep_field_error(&session, UPLOAD_FORM, "file", &back, &message).await }
    };
    let (name, content_type, bytes) = match checked_upload(&mut multipart, "file").await {
        Ok(upload) => upload,
        Err(message) => return fail(message).await,
    };
    let file = bids::Upload {
        name: &name,
        content_type,
        bytes: &bytes,
    };
    match bids::attach(ctx, &actor, (bid_id, question_id), file).await {
        Ok(()) => {
            let to = format!("/bids/{bid_id}/sections/{section_id}");
            let _ = app::auth::set_notice(&session, &format!("File uploaded: {name}"), &to).await;
            Redirect::to(&to).into_response()
        }
        Err(bids::BidError::Invalid(errors)) => {
            let message = errors.into_iter().map(|e| e.message).collect::<Vec<_>>();
            fail(message.join(". ")).await
        }
        Err(e) => {
            tracing::error!(%e, "could not store a bid file");
            fail("Sorry, there is a problem with the service. Try again later".into()).await
        }
    }
}

pub async fn download_bid_file(
    State(state): State<ServerState>,
    session: Session,
    Path((bid_id, file_id)): Path<(i64, i64)>,
) -> Response {
    let user = match signed_in(&state, &session, &format!("/bids/{bid_id}")).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match app::service::bids::access(state.app.ctx(), &user.actor(), bid_id).await {
        Ok(_) => {}
        Err(e) => return AppError::from(e).into_response(),
    }
    let found = match app::db::bids::has_file(&state.app.pool, bid_id, file_id).await {
        Ok(true) => app::db::files::get(&state.app.pool, file_id).await,
        Ok(false) => Ok(None),
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(file)) => attachment(file),
        Ok(None) => refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => {
            tracing::error!(%e, "could not read a bid file");
            service_error()
        }
    }
}

/// The whole bid as a self-contained HTML file to keep and print.
pub async fn download_bid_print(
    State(state): State<ServerState>,
    session: Session,
    Path(bid_id): Path<i64>,
) -> Response {
    let user = match signed_in(&state, &session, &format!("/bids/{bid_id}/view")).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let record = match app::api::apply::bids::record_as(state.app.clone(), user, bid_id).await {
        Ok(record) => record,
        Err(e) => return e.into_response(),
    };
    let name = format!(
        "{}.html",
        record
            .bid
            .reference
            .clone()
            .unwrap_or_else(|| format!("bid-{bid_id}-draft"))
    );
    let html = app::pages::apply::bid_record::printable_html(&record);
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", safe_name(&name)),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "private, no-store")
        // A document to save and print: its own styles, and no script at all.
        .header(
            header::CONTENT_SECURITY_POLICY,
            crate::serve::headers::DOCUMENT_POLICY,
        )
        .body(axum::body::Body::from(html))
        .unwrap_or_else(|_| service_error())
}
