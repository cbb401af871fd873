//! Evidence files for a tranche: uploaded by the scheme's organisation members while the
//! tranche waits for evidence; downloaded by members and commissioners. For anyone else the
//! scheme does not exist.
use crate::routes::files::{attachment, checked_upload, keep_field_error, refused};
use crate::ServerState;
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
    use app::service::tranches::{attach_file, can_attach, TrancheError, Upload};
    let (actor, _) = match scheme_for(&state, &session, scheme_id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let back = format!("/schemes/{scheme_id}/tranches/{tranche_id}");
    let fail = |message: String| {
        let session = session.clone();
        let back = back.clone();
        async move {
            keep_field_error(
                &session,
                app::api::monitor::schemes::TRANCHE_FORM,
                "file",
                &back,
                &message,
            )
            .await
        }
    };
    // A refusal about the record is its status; about the file, a message by the field.
    let refusal = |e: TrancheError| match e {
        TrancheError::Access(a) => Err(AppError::from(a)),
        e => Ok(e.to_string()),
    };
    let ctx = state.app.ctx();
    if let Err(e) = can_attach(ctx, &actor, scheme_id, tranche_id).await {
        return match refusal(e) {
            Ok(message) => fail(message).await,
            Err(e) => e.into_response(),
        };
    }
    let (name, content_type, bytes) = match checked_upload(&mut multipart, "file").await {
        Ok(upload) => upload,
        Err(message) => return fail(message).await,
    };
    let upload = Upload {
        name: &name,
        content_type,
        bytes: &bytes,
    };
    match attach_file(ctx, &actor, scheme_id, tranche_id, upload).await {
        Ok(_) => {
            let _ = app::auth::set_notice(&session, &format!("File uploaded: {name}"), &back).await;
            Redirect::to(&back).into_response()
        }
        Err(TrancheError::Access(app::service::schemes::AccessError::Database(e))) => {
            tracing::error!(%e, "could not store a tranche file");
            fail("Sorry, there is a problem with the service. Try again later".into()).await
        }
        Err(e) => match refusal(e) {
            Ok(message) => fail(message).await,
            Err(e) => e.into_response(),
        },
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
        Ok(mut conn) => app::db::tranches::tranche_files(&mut conn, scheme_id)
            .await
            .map(|fs| fs.iter().any(|f| f.file_id == file_id)),
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
