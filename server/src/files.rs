//! File routes: a gap's evidence file is uploaded as a plain multipart form (it works the
//! same with and without JavaScript) and downloaded by commissioners only.
use crate::ServerState;
use app::domain::files::{check_upload, safe_name, MAX_BYTES};
use app::domain::roles::Role;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use tower_sessions::Session;

pub const EVIDENCE_FORM: &str = "gap_evidence";

/// The body limit for upload routes: the largest file plus room for the form around it.
pub const UPLOAD_BODY_LIMIT: usize = MAX_BYTES + 64 * 1024;

fn refused(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The signed-in commissioner, or the response that refuses everyone else.
async fn commissioner(state: &ServerState, session: &Session, back: &str) -> Result<i64, Response> {
    match app::auth::current_user(&state.app, session).await {
        Ok(Some(user)) if user.has(Role::Commissioner) => Ok(user.id),
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
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("evidence_file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes.to_vec())),
                    Err(_) => {
                        return keep_error(
                            &session,
                            &back,
                            "The selected file must be smaller than 10MB",
                        )
                        .await
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                return keep_error(
                    &session,
                    &back,
                    "The selected file could not be uploaded. Try again",
                )
                .await
            }
        }
    }
    let (name, bytes) = upload.unwrap_or_default();
    let content_type = match check_upload("evidence_file", &name, bytes.len()) {
        Ok(t) => t,
        Err(e) => return keep_error(&session, &back, &e.message).await,
    };
    let name = safe_name(&name);
    let digest = hex::encode(Sha256::digest(&bytes));
    match store(&state, gap_id, actor, &name, content_type, &bytes, &digest).await {
        Ok(true) => {
            let _ =
                app::auth::set_notice(&session, &format!("Evidence file uploaded: {name}")).await;
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

#[allow(clippy::too_many_arguments)]
async fn store(
    state: &ServerState,
    gap_id: i64,
    actor: i64,
    name: &str,
    content_type: &str,
    bytes: &[u8],
    digest: &str,
) -> Result<bool, sqlx::Error> {
    let now = app::db::now();
    let mut tx = state.app.pool.begin().await?;
    let file_id = app::db::files::insert(
        &mut tx,
        app::db::files::NewFile {
            name,
            content_type,
            bytes,
            sha256: digest,
            uploaded_by: actor,
        },
        &now,
    )
    .await?;
    if !app::db::files::set_gap_evidence(&mut tx, gap_id, file_id, &now).await? {
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
    let errors = vec![app::error::FieldError::new("evidence_file", message)];
    if let Err(e) = app::auth::keep_form_errors(session, EVIDENCE_FORM, errors).await {
        tracing::warn!(?e, "could not keep the upload error");
    }
    Redirect::to(back).into_response()
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
        Ok(Some((file_id, _, _))) => app::db::files::get(&state.app.pool, file_id).await,
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(file)) => Response::builder()
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
            }),
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
