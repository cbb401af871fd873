//! Files that answer a bid's upload questions: uploaded as a plain multipart form by the
//! organisation's members while the bid is a draft and the round is open; downloaded by
//! whoever may read the bid. Everyone else is told the bid does not exist.
use crate::files::{attachment, checked_upload, keep_field_error, refused};
use crate::ServerState;
use app::domain::files::{check_room, display_size, safe_name, MAX_ORGANISATION_BYTES};
use app::domain::round::QuestionType;
use app::error::AppError;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The form name the upload page reads its errors from.
pub const UPLOAD_FORM: &str = "bid_upload";
/// All the files of one bid together.
pub const MAX_BID_BYTES: i64 = 50 * 1024 * 1024;

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

/// The file question's section, if the question is a file question of this bid's round.
async fn file_question(
    state: &ServerState,
    bid_id: i64,
    question_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut conn = state.app.pool.acquire().await?;
    let Some(bid) = app::db::bids::get(&mut conn, bid_id).await? else {
        return Ok(None);
    };
    let sections = app::db::rounds::sections(&mut conn, bid.round_id).await?;
    Ok(sections.iter().find_map(|s| {
        s.questions
            .iter()
            .any(|(id, q)| *id == question_id && q.qtype == QuestionType::FileUpload)
            .then_some(s.id)
    }))
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
    let actor = user.id;
    let may = app::service::bids::may_change(state.app.ctx(), &user.actor(), bid_id).await;
    match may.map_err(AppError::from) {
        Ok(()) => {}
        Err(AppError::Conflict(message)) => {
            let back = format!("/bids/{bid_id}");
            let _ = app::auth::set_notice(&session, &message, &back).await;
            return Redirect::to(&back).into_response();
        }
        Err(e) => return e.into_response(),
    }
    let section_id = match file_question(&state, bid_id, question_id).await {
        Ok(Some(id)) => id,
        Ok(None) => return refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => {
            tracing::error!(%e, "could not read a bid's questions");
            return service_error();
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
    match store(
        &state,
        bid_id,
        question_id,
        actor,
        &name,
        content_type,
        &bytes,
    )
    .await
    {
        Ok(Ok(())) => {
            let to = format!("/bids/{bid_id}/sections/{section_id}");
            let _ = app::auth::set_notice(&session, &format!("File uploaded: {name}"), &to).await;
            Redirect::to(&to).into_response()
        }
        Ok(Err(message)) => fail(message).await,
        Err(e) => {
            tracing::error!(%e, "could not store a bid file");
            fail("Sorry, there is a problem with the service. Try again later".into()).await
        }
    }
}

/// Store the file and attach it, unless the bid's files would pass 50MB (Ok(Err(message))).
async fn store(
    state: &ServerState,
    bid_id: i64,
    question_id: i64,
    actor: i64,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<Result<(), String>, sqlx::Error> {
    let now = app::db::now();
    let mut tx = state.app.pool.begin().await?;
    let files = app::db::bids::files(&mut tx, bid_id).await?;
    let replaced: i64 = files
        .iter()
        .filter(|f| f.question_id == question_id)
        .map(|f| f.size_bytes)
        .sum();
    let others: i64 = files
        .iter()
        .filter(|f| f.question_id != question_id)
        .map(|f| f.size_bytes)
        .sum();
    if others + bytes.len() as i64 > MAX_BID_BYTES {
        return Ok(Err(format!(
            "The files in a bid must add up to less than 50MB. This bid's other files take {}: choose a smaller file",
            display_size(others)
        )));
    }
    // The organisation's storage, less the file this one replaces.
    if let Some(organisation) = app::db::bids::organisation_of(&mut tx, bid_id).await? {
        let kept = app::db::bids::organisation_file_bytes(&mut tx, organisation).await? - replaced;
        if let Err(e) = check_room(
            "file",
            0,
            kept,
            bytes.len() as i64,
            None,
            MAX_ORGANISATION_BYTES,
            "your organisation",
        ) {
            return Ok(Err(e.message));
        }
    }
    let (file_id, digest) =
        app::db::files::store(&mut tx, name, content_type, bytes, actor, now).await?;
    app::db::bids::set_file(&mut tx, bid_id, question_id, file_id, bytes.len() as i64).await?;
    app::db::audit::record(
        &mut tx,
        app::db::audit::Entry {
            actor: Some(actor),
            action: "bid.file_uploaded",
            subject_type: "bid",
            subject_id: bid_id.to_string(),
            summary: format!("File uploaded: {name} (sha256 {})", &digest[..12]),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
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
    let record = match app::api::bids::record_as(state.app.clone(), user, bid_id).await {
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
    let html = app::pages::apply::bids::printable_html(&record);
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
            crate::headers::DOCUMENT_POLICY,
        )
        .body(axum::body::Body::from(html))
        .unwrap_or_else(|_| service_error())
}
