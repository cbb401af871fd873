//! Mail leaves through the outbox: a request writes the message to the database and
//! returns; a background task (on any instance) claims and sends it. A response therefore
//! takes the same time whether or not an email goes, and a slow or failing mail server
//! slows no page and loses no message (it is tried again).
use crate::domain::time::UtcTime;
use crate::mail::OutgoingMail;
use crate::state::AppState;

/// Write `mail` to the outbox and start sending straight away, outside the request.
pub async fn send(state: &AppState, mail: OutgoingMail) {
    if state.settings.offline {
        if let Err(e) = state.mailer.send(mail).await {
            tracing::warn!(%e, "could not capture an email");
        }
        return;
    }
    match crate::db::outbox::add(&state.pool, &mail, crate::db::now()).await {
        Ok(_) => {
            let state = state.clone();
            tokio::spawn(async move {
                if let Err(e) = drain(&state).await {
                    tracing::warn!(%e, "could not send from the mail outbox");
                }
            });
        }
        Err(e) => tracing::error!(%e, to = %mail.to, "could not write an email to the outbox"),
    }
}

/// How long a claimed message may stay unsent before another sender takes it over (its
/// sender stopped part-way).
const CLAIM_MINUTES: i64 = 5;

/// Send everything waiting in the outbox: the number sent. Safe to run anywhere, any number
/// of times at once (each message is claimed before it is sent).
pub async fn drain(state: &AppState) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    loop {
        let now = crate::db::now();
        let stale = UtcTime(now.0 - chrono::Duration::minutes(CLAIM_MINUTES));
        let Some((id, mail)) = crate::db::outbox::claim(&state.pool, now, stale).await? else {
            return Ok(sent);
        };
        let to = mail.to.clone();
        match state.mailer.send(mail).await {
            Ok(()) => {
                crate::db::outbox::sent(&state.pool, id, crate::db::now()).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(%e, %to, "could not send an email; it will be tried again");
                crate::db::outbox::failed(&state.pool, id, &e).await?;
                // Leave the rest for the next round rather than hammer a failing server.
                return Ok(sent);
            }
        }
    }
}
