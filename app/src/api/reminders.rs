//! Reminders for monitoring returns, sent by the server's background task.
#[cfg(feature = "ssr")]
use {
    crate::db, crate::domain::date::display_date, crate::domain::monitoring as m,
    crate::error::AppError, crate::state::AppState,
};

/// Send the reminders due today: 14 days and 1 day before a return is due and when it
/// becomes overdue. Each reminder is claimed in the database before its emails go, so it is
/// sent once whatever restarts or however many instances run. Returns how many were sent.
#[cfg(feature = "ssr")]
pub async fn send_reminders(state: &AppState, today: chrono::NaiveDate) -> Result<usize, AppError> {
    let from = today - chrono::Duration::days(7);
    let to = today + chrono::Duration::days(14);
    let open = db::returns::open_returns_due(&state.pool, from, to).await?;
    let now = db::now();
    let mut sent = 0;
    for r in open {
        let Some(kind) = m::reminder_due(r.due_on, today) else {
            continue;
        };
        if !db::returns::claim_reminder(&state.pool, r.id, kind.code(), &now).await? {
            continue;
        }
        let mut conn = state.pool.acquire().await?;
        let members = db::bids::member_emails(&mut conn, r.organisation_id).await?;
        drop(conn);
        let link = format!(
            "{}/schemes/{}/returns/{}",
            state.settings.base_url, r.scheme_id, r.id
        );
        let mut told = 0;
        for (email, name) in &members {
            let mail = crate::mail::return_reminder(
                email,
                name,
                &r.organisation_name,
                r.position,
                &display_date(r.due_on),
                kind,
                &link,
            );
            match state.mailer.send(mail).await {
                Ok(()) => told += 1,
                Err(e) => tracing::warn!(%e, "could not send a return reminder"),
            }
        }
        if told == 0 && !members.is_empty() {
            // Nobody was told: give the claim back so the next run tries again.
            db::returns::release_reminder(&state.pool, r.id, kind.code()).await?;
        } else {
            sent += 1;
        }
    }
    Ok(sent)
}
