//! Background jobs, run in every instance: rounds opened and closed at their times, return
//! reminders, and the mail outbox. Each is safe with any number of instances (what one does
//! is claimed in the database first).
use crate::changed;
use app::state::AppState;

/// Start every job.
pub fn start(state: &AppState) {
    tokio::spawn(round_clock(state.clone()));
    tokio::spawn(reminder_clock(state.clone()));
    tokio::spawn(mail_clock(state.clone()));
}

/// Send the monitoring return reminders due on `today` (claimed first, so each is sent once):
/// how many were sent. A reminder none of whose emails could be sent is given back for the
/// next run.
pub async fn send_reminders(
    state: &AppState,
    today: chrono::NaiveDate,
) -> Result<usize, sqlx::Error> {
    use app::service::reminders::{claim_due, unclaim, ClaimedReminder};
    let mut sent = 0;
    for reminder in claim_due(state.ctx(), today).await? {
        let ClaimedReminder {
            return_id,
            kind,
            mail,
        } = reminder;
        let members = mail.len();
        let mut told = 0;
        for mail in mail {
            match state.mailer.send(mail).await {
                Ok(()) => told += 1,
                Err(e) => tracing::warn!(%e, "could not send a return reminder"),
            }
        }
        if told == 0 && members > 0 {
            unclaim(state.ctx(), return_id, kind).await?;
        } else {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Background task: open and close rounds at their times, every 15 seconds. Safe with any
/// number of instances (each transition is claimed once in the database).
async fn round_clock(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    loop {
        tick.tick().await;
        match app::service::rounds::advance_by_clock(&state.pool, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => {
                changed(&state).await;
                tracing::info!(rounds = n, "rounds moved on by the clock");
            }
            Err(e) => tracing::warn!(%e, "could not move rounds on by the clock"),
        }
    }
}

/// Background task: monitoring return reminders, every 10 minutes. Each reminder is claimed
/// in the database before it is sent, so restarts and extra instances send nothing twice.
/// The same tick keeps SQLite's planner statistics current (`db::optimize`).
async fn reminder_clock(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = app::db::optimize(&state.pool).await {
            tracing::warn!(%e, "could not refresh the query planner's statistics");
        }
        let today = app::domain::date::uk_date(chrono::Utc::now());
        match send_reminders(&state, today).await {
            Ok(0) => {}
            Ok(n) => {
                changed(&state).await;
                tracing::info!(reminders = n, "monitoring return reminders sent");
            }
            Err(e) => tracing::warn!(%e, "could not send monitoring return reminders"),
        }
    }
}

/// Background task: send what is waiting in the mail outbox, every 10 seconds (requests
/// start a send straight away too; this picks up what failed or was left by a stop).
async fn mail_clock(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
    loop {
        tick.tick().await;
        match app::outbox::drain(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(emails = n, "emails sent from the outbox"),
            Err(e) => tracing::warn!(%e, "could not send from the mail outbox"),
        }
    }
}
