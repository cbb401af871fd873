//! Reminders for monitoring returns: 14 days and 1 day before a return is due, and when it
//! becomes overdue. Each is claimed in the database before its emails go, so it is sent once
//! whatever restarts or however many instances run; the job that sends them gives a claim
//! back when none of its emails could be sent, so the next run tries again.
use super::Ctx;
use crate::db;
use crate::domain::date::display_date;
use crate::domain::monitoring as m;
use crate::domain::time::UtcTime;
use crate::mail::OutgoingMail;

/// A reminder claimed for sending: its emails, one to each member of the organisation.
#[derive(Debug)]
pub struct ClaimedReminder {
    pub return_id: i64,
    pub kind: m::Reminder,
    pub mail: Vec<OutgoingMail>,
}

/// Claim the reminders due on `today` that no one has sent yet.
pub async fn claim_due(
    ctx: Ctx<'_>,
    today: chrono::NaiveDate,
) -> Result<Vec<ClaimedReminder>, sqlx::Error> {
    let from = today - chrono::Duration::days(7);
    let to = today + chrono::Duration::days(14);
    let open = db::returns::open_returns_due(ctx.pool, from, to).await?;
    let now = UtcTime::now();
    let mut claimed = Vec::new();
    for r in open {
        let Some(kind) = m::reminder_due(r.due_on, today) else {
            continue;
        };
        if !db::returns::claim_reminder(ctx.pool, r.id, kind.code(), now).await? {
            continue;
        }
        let mut conn = ctx.pool.acquire().await?;
        let members = db::bids::member_emails(&mut conn, r.organisation_id).await?;
        drop(conn);
        let link = format!("{}/schemes/{}/returns/{}", ctx.base_url, r.scheme_id, r.id);
        let due = display_date(r.due_on);
        let mail = members
            .iter()
            .map(|m| {
                crate::mail::return_reminder(
                    &m.email,
                    &m.full_name,
                    &r.organisation_name,
                    r.position,
                    &due,
                    kind,
                    &link,
                )
            })
            .collect();
        claimed.push(ClaimedReminder {
            return_id: r.id,
            kind,
            mail,
        });
    }
    Ok(claimed)
}

/// Give a reminder's claim back (none of its emails could be sent).
pub async fn unclaim(ctx: Ctx<'_>, return_id: i64, kind: m::Reminder) -> Result<(), sqlx::Error> {
    db::returns::release_reminder(ctx.pool, return_id, kind.code()).await
}
