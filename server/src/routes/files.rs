//! File routes: a gap's evidence file is uploaded as a plain multipart form (it works the
//! same with and without JavaScript) and downloaded by commissioners only.
use crate::ServerState;
use app::domain::files::{check_upload, safe_name, MAX_BYTES};
use app::domain::roles::Role;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

pub const EVIDENCE_FORM: &str = "gap_evidence";

/// The body limit for upload routes: the largest file plus room for the form around it.
pub const UPLOAD_BODY_LIMIT: usize = MAX_BYTES + 64 * 1024;

pub(crate) fn refused(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The signed-in commissioner, or the response that refuses everyone else.
pub(crate) async fn commissioner(
    state: &ServerState,
    session: &Session,
    back: &str,
) -> Result<i64, Response> {
    with_role(state, session, back, &[Role::Commissioner]).await
}

/// The signed-in user holding one of `roles`; a sign-in redirect for anyone signed out,
/// 403 for everyone else.
pub(crate) async fn with_role(
    state: &ServerState,
    session: &Session,
    back: &str,
    roles: &[Role],
) -> Result<i64, Response> {
    match app::auth::current_user(&state.app, session).await {
        Ok(Some(user)) if roles.iter().any(|r| user.has(*r)) => Ok(user.id),
        Ok(Some(_)) => Err(refused(
            StatusCode::FORBIDDEN,
            "You do not have permission to do that",
        )),
        Ok(None) => Err(Redirect::to(&format!(
            "/account/sign-in?next={}",
            app::components::urlencode(back)
        ))
        .into_response()),
        Err(_) => Err(refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sorry, there is a problem with the service",
        )),
    }
}

pub async fn upload_gap_evidence(
    State(state): State<ServerState>,
    session: Session,
    Path(gap_id): Path<i64>,
    mut multipart: Multipart,
) -> Response {
    let back = format!("/fund/gaps/{gap_id}");
    let actor = match commissioner(&state, &session, &back).await {
        Ok(id) => id,
        Err(response) => return response,
    };
    // A gap that does not exist is not found, whatever the file.
    match gap_exists(&state, gap_id).await {
        Ok(true) => {}
        Ok(false) => return refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => {
            tracing::error!(%e, "could not read a gap");
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
            );
        }
    }
    // Checked by name, size and content, as every upload is (a program renamed needs.pdf
    // is refused).
    let (name, content_type, bytes) = match checked_upload(&mut multipart, "evidence_file").await {
        Ok(upload) => upload,
        Err(message) => return keep_error(&session, &back, &message).await,
    };
    match store(&state, gap_id, actor, &name, content_type, &bytes).await {
        Ok(true) => {
            let _ =
                app::auth::set_notice(&session, &format!("Evidence file uploaded: {name}"), &back)
                    .await;
            Redirect::to(&back).into_response()
        }
        Ok(false) => refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => {
            tracing::error!(%e, "could not store an evidence file");
            keep_error(
                &session,
                &back,
                "Sorry, there is a problem with the service. Try again later",
            )
            .await
        }
    }
}

/// The file posted in `field` (name and bytes); an empty name and no bytes when none was
/// chosen. A body over the route's limit fails here.
pub(crate) async fn read_file_field(
    multipart: &mut Multipart,
    field: &str,
) -> Result<(String, Vec<u8>), &'static str> {
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) if part.name() == Some(field) => {
                let name = part.file_name().unwrap_or_default().to_string();
                match part.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes.to_vec())),
                    Err(_) => return Err("The selected file must be smaller than 10MB"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Err("The selected file must be smaller than 10MB"),
        }
    }
    Ok(upload.unwrap_or_default())
}

/// The file posted in `field`, checked by name, size and content (a renamed program is
/// refused): (safe name, content type, bytes), or the message for the field.
pub(crate) async fn checked_upload(
    multipart: &mut Multipart,
    field: &str,
) -> Result<(String, &'static str, Vec<u8>), String> {
    let (name, bytes) = read_file_field(multipart, field)
        .await
        .map_err(String::from)?;
    let content_type = check_upload(field, &name, bytes.len()).map_err(|e| e.message)?;
    app::domain::files::check_content(field, content_type, &bytes).map_err(|e| e.message)?;
    Ok((safe_name(&name), content_type, bytes))
}

async fn gap_exists(state: &ServerState, gap_id: i64) -> Result<bool, sqlx::Error> {
    let mut conn = state.app.pool.acquire().await?;
    Ok(app::db::registers::gap(&mut conn, gap_id).await?.is_some())
}

async fn store(
    state: &ServerState,
    gap_id: i64,
    actor: i64,
    name: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<bool, sqlx::Error> {
    let now = app::db::now();
    let mut tx = state.app.pool.begin().await?;
    let (file_id, digest) =
        app::db::files::store(&mut tx, name, content_type, bytes, actor, now).await?;
    if !app::db::files::set_gap_evidence(&mut tx, gap_id, file_id, now).await? {
        return Ok(false);
    }
    app::db::audit::record(
        &mut tx,
        app::db::audit::Entry {
            actor: Some(actor),
            action: "gap.evidence_uploaded",
            subject_type: "gap",
            subject_id: gap_id.to_string(),
            summary: format!("Evidence file uploaded: {name} (sha256 {})", &digest[..12]),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn keep_error(session: &Session, back: &str, message: &str) -> Response {
    keep_field_error(session, EVIDENCE_FORM, "evidence_file", back, message).await
}

/// Keep an upload's error for the form's page, and go back to it.
pub(crate) async fn keep_field_error(
    session: &Session,
    form: &str,
    field: &str,
    back: &str,
    message: &str,
) -> Response {
    let errors = vec![app::error::FieldError::new(field, message)];
    if let Err(e) = app::auth::keep_form_errors(session, form, errors).await {
        tracing::warn!(?e, "could not keep the upload error");
    }
    Redirect::to(back).into_response()
}

/// A stored file as a download: never shown inline, never sniffed, never cached.
pub(crate) fn attachment(file: app::db::files::StoredFile) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, file.content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", safe_name(&file.name)),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from(file.bytes))
        .unwrap_or_else(|_| {
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
            )
        })
}

pub async fn download_gap_evidence(
    State(state): State<ServerState>,
    session: Session,
    Path(gap_id): Path<i64>,
) -> Response {
    let back = format!("/fund/gaps/{gap_id}/evidence");
    if let Err(response) = commissioner(&state, &session, &back).await {
        return response;
    }
    let found = match app::db::files::gap_evidence(&state.app.pool, gap_id).await {
        Ok(Some(evidence)) => app::db::files::get(&state.app.pool, evidence.id).await,
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(file)) => attachment(file),
        Ok(None) => refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => {
            tracing::error!(%e, "could not read an evidence file");
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
            )
        }
    }
}
