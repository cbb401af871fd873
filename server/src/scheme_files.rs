//! Evidence files for a tranche: uploaded by the scheme's organisation members while the
//! tranche waits for evidence; downloaded by members and commissioners. For anyone else the
//! scheme does not exist.
use crate::files::{attachment, checked_upload, insert_upload, keep_field_error, refused};
use crate::ServerState;
use app::domain::files::{
    check_room, MAX_ORGANISATION_BYTES, MAX_TRANCHE_BYTES, MAX_TRANCHE_FILES,
};
use app::domain::monitoring::{SchemeStatus, TrancheStatus};
use app::error::AppError;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

fn service_error() -> Response {
    refused(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service",
    )
}

async fn scheme_for(
    state: &ServerState,
    session: &Session,
    scheme_id: i64,
) -> Result<(app::service::Actor, app::service::schemes::SchemeAccess), Response> {
    let user = match app::auth::current_user(&state.app, session).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return Err(Redirect::to(&format!(
                "/account/sign-in?next={}",
                app::components::urlencode(&format!("/schemes/{scheme_id}"))
            ))
            .into_response())
        }
        Err(e) => return Err(e.into_response()),
    };
    let actor = user.actor();
    match app::service::schemes::access(state.app.ctx(), &actor, scheme_id).await {
        Ok(access) => Ok((actor, access)),
        Err(e) => Err(AppError::from(e).into_response()),
    }
}

pub async fn upload_tranche_file(
    State(state): State<ServerState>,
    session: Session,
    Path((scheme_id, tranche_id)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> Response {
    let (actor, l) = match scheme_for(&state, &session, scheme_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !l.is_member {
        return refused(
            StatusCode::FORBIDDEN,
            "You do not have permission to do that",
        );
    }
    let tranche = match state.app.pool.acquire().await {
        Ok(mut conn) => app::db::schemes::tranches(&mut conn, scheme_id)
            .await
            .map(|ts| ts.into_iter().find(|t| t.id == tranche_id)),
        Err(e) => Err(e),
    };
    let tranche = match tranche {
        Ok(Some(t)) => t,
        Ok(None) => return refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => return AppError::from(e).into_response(),
    };
    let back = format!("/schemes/{scheme_id}/tranches/{tranche_id}");
    let fail = |message: String| {
        let session = session.clone();
        let back = back.clone();
        async move {
            keep_field_error(
                &session,
                app::api::schemes::TRANCHE_FORM,
                "file",
                &back,
                &message,
            )
            .await
        }
    };
    if l.scheme.status != SchemeStatus::Active
        || !matches!(tranche.status, TrancheStatus::Due | TrancheStatus::Returned)
    {
        return fail(format!(
            "Files can be added while a tranche waits for evidence. This one is {}",
            tranche.status.label().to_lowercase()
        ))
        .await;
    }
    let (name, content_type, bytes) = match checked_upload(&mut multipart, "file").await {
        Ok(upload) => upload,
        Err(message) => return fail(message).await,
    };
    let stored = async {
        let now = app::db::now();
        let mut tx = state.app.pool.begin().await?;
        // Room in the tranche (count and size) and in the organisation's storage.
        let here: Vec<i64> = app::db::schemes::tranche_files(&mut tx, scheme_id)
            .await?
            .into_iter()
            .filter(|f| f.0 == tranche_id)
            .map(|f| f.3)
            .collect();
        let new_bytes = bytes.len() as i64;
        let mut room = check_room(
            "file",
            here.len(),
            here.iter().sum(),
            new_bytes,
            Some(MAX_TRANCHE_FILES),
            MAX_TRANCHE_BYTES,
            "a tranche",
        );
        if room.is_ok() {
            let kept =
                app::db::bids::organisation_file_bytes(&mut tx, l.scheme.organisation_id).await?;
            room = check_room(
                "file",
                0,
                kept,
                new_bytes,
                None,
                MAX_ORGANISATION_BYTES,
                "your organisation",
            );
        }
        if let Err(e) = room {
            return Ok(Err(e.message));
        }
        let (file_id, digest) =
            insert_upload(&mut tx, &name, content_type, &bytes, actor.id, &now).await?;
        app::db::schemes::add_tranche_file(&mut tx, tranche_id, file_id).await?;
        let summary = format!(
            "Evidence file for tranche {}: {name} (sha256 {})",
            tranche.position,
            &digest[..12]
        );
        let entry =
            app::service::schemes::entry(&actor, &l.scheme, "tranche.file_uploaded", summary);
        app::db::audit::record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok::<Result<(), String>, AppError>(Ok(()))
    };
    match stored.await {
        Ok(Err(message)) => fail(message).await,
        Ok(Ok(())) => {
            let _ = app::auth::set_notice(&session, &format!("File uploaded: {name}"), &back).await;
            Redirect::to(&back).into_response()
        }
        Err(e) => {
            tracing::error!(?e, "could not store a tranche file");
            fail("Sorry, there is a problem with the service. Try again later".into()).await
        }
    }
}

pub async fn download_scheme_file(
    State(state): State<ServerState>,
    session: Session,
    Path((scheme_id, file_id)): Path<(i64, i64)>,
) -> Response {
    if let Err(response) = scheme_for(&state, &session, scheme_id).await {
        return response;
    }
    let belongs = match state.app.pool.acquire().await {
        Ok(mut conn) => app::db::schemes::tranche_files(&mut conn, scheme_id)
            .await
            .map(|fs| fs.iter().any(|f| f.1 == file_id)),
        Err(e) => Err(e),
    };
    let found = match belongs {
        Ok(true) => app::db::files::get(&state.app.pool, file_id).await,
        Ok(false) => Ok(None),
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(file)) => attachment(file),
        Ok(None) => refused(StatusCode::NOT_FOUND, "Page not found"),
        Err(e) => {
            tracing::error!(%e, "could not read a scheme file");
            service_error()
        }
    }
}
