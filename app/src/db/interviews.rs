//! Interviews and presentations: a shortlisted bid's invitation and the organisation's reply.
use crate::domain::interview::{InterviewFormat, InterviewReply, Invitation};
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct InterviewRow {
    pub bid_id: i64,
    #[sqlx(try_from = "String")]
    pub format: InterviewFormat,
    pub held_at: UtcTime,
    pub place: String,
    pub attendees: String,
    pub invited_at: UtcTime,
    pub reply: Option<String>,
    pub reply_note: String,
    pub replied_at: Option<UtcTime>,
}

impl InterviewRow {
    pub fn reply(&self) -> Option<InterviewReply> {
        self.reply.as_deref().and_then(InterviewReply::from_code)
    }
}

const COLUMNS: &str =
    "bid_id, format, held_at, place, attendees, invited_at, reply, reply_note, replied_at";

/// Invite the bid's organisation, or change the invitation (which clears any reply).
pub async fn invite(
    conn: &mut AnyConnection,
    bid_id: i64,
    i: &Invitation,
    actor: i64,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO interviews (bid_id, format, held_at, place, attendees, invited_by, invited_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (bid_id) DO UPDATE SET format = excluded.format, held_at = excluded.held_at,
            place = excluded.place, attendees = excluded.attendees, invited_by = excluded.invited_by,
            invited_at = excluded.invited_at, reply = NULL, reply_note = '', replied_by = NULL,
            replied_at = NULL",
    )
    .bind(bid_id)
    .bind(i.format.code())
    .bind(UtcTime(i.at))
    .bind(&i.place)
    .bind(&i.attendees)
    .bind(actor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Take a bid off the shortlist.
pub async fn remove(conn: &mut AnyConnection, bid_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM interviews WHERE bid_id = $1")
        .bind(bid_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The organisation's reply.
pub async fn reply(
    conn: &mut AnyConnection,
    bid_id: i64,
    reply: InterviewReply,
    note: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE interviews SET reply = $1, reply_note = $2, replied_by = $3, replied_at = $4
         WHERE bid_id = $5",
    )
    .bind(reply.code())
    .bind(note)
    .bind(actor)
    .bind(now)
    .bind(bid_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn for_bid(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Option<InterviewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM interviews WHERE bid_id = $1"
    ))
    .bind(bid_id)
    .fetch_optional(conn)
    .await
}

/// Every shortlisted bid of a round, the soonest first.
pub async fn for_round(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<InterviewRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.bid_id, i.format, i.held_at, i.place, i.attendees, i.invited_at, i.reply,
                i.reply_note, i.replied_at
         FROM interviews i JOIN bids b ON b.id = i.bid_id WHERE b.round_id = $1
         ORDER BY i.held_at, i.bid_id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// Who sent the invitation, to tell them of the reply.
pub async fn inviter(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Option<crate::db::bids::Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email, u.full_name FROM interviews i JOIN users u ON u.id = i.invited_by
         WHERE i.bid_id = $1",
    )
    .bind(bid_id)
    .fetch_optional(conn)
    .await
}

/// The bids of a round that are shortlisted (invited to an interview or presentation).
pub async fn shortlisted(conn: &mut AnyConnection, round_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.bid_id FROM interviews i JOIN bids b ON b.id = i.bid_id WHERE b.round_id = $1
         ORDER BY i.bid_id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// The invitations of some bids (an organisation's list of its bids): one query.
pub async fn of_bids(
    conn: &mut AnyConnection,
    bids: &[i64],
) -> Result<Vec<InterviewRow>, sqlx::Error> {
    if bids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are numbers, never user text: written into the statement as the list it needs.
    let ids: Vec<String> = bids.iter().map(i64::to_string).collect();
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM interviews WHERE bid_id IN ({}) ORDER BY bid_id",
        ids.join(",")
    ))
    .fetch_all(conn)
    .await
}
