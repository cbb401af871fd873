//! Board meetings: the meeting, its agenda of rounds, the members invited and present, the
//! decisions recorded at it, and the conflicts members declared in the bids before it.
use crate::domain::board::SignOff;
use crate::domain::decision::Outcome;
use crate::domain::meeting::Meeting;
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, FromRow, Row};

/// Arrange a meeting with its agenda and invited members. (Its id.)
pub async fn insert(
    conn: &mut AnyConnection,
    m: &Meeting,
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO board_meetings (held_at, place, created_by, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(UtcTime(m.held_at))
    .bind(&m.place)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for round in &m.rounds {
        sqlx::query("INSERT INTO meeting_rounds (meeting_id, round_id) VALUES ($1, $2)")
            .bind(id)
            .bind(round)
            .execute(&mut *conn)
            .await?;
    }
    for member in &m.members {
        sqlx::query(
            "INSERT INTO meeting_members (meeting_id, user_id, present) VALUES ($1, $2, 0)",
        )
        .bind(id)
        .bind(member)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

#[derive(Debug, Clone, FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub held_at: UtcTime,
    pub place: String,
}

/// Every meeting, the latest first.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<MeetingRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, held_at, place FROM board_meetings ORDER BY held_at DESC, id DESC")
        .fetch_all(conn)
        .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<MeetingRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, held_at, place FROM board_meetings WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Every meeting's agenda: (meeting id, round id, title).
pub async fn agendas(conn: &mut AnyConnection) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT mr.meeting_id, r.id, r.title FROM meeting_rounds mr JOIN rounds r ON r.id = mr.round_id
         ORDER BY mr.meeting_id, r.title",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("meeting_id")?,
                r.try_get("id")?,
                r.try_get("title")?,
            ))
        })
        .collect()
}

/// The rounds on a meeting's agenda: (round id, title).
pub async fn agenda(conn: &mut AnyConnection, id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.title FROM meeting_rounds mr JOIN rounds r ON r.id = mr.round_id
         WHERE mr.meeting_id = $1 ORDER BY r.title",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("title")?)))
        .collect()
}

/// A member invited to a meeting.
#[derive(Debug, Clone, FromRow)]
pub struct Invited {
    pub user_id: i64,
    pub full_name: String,
    /// A constituency code ('' for none).
    pub constituency: String,
    pub present: i64,
}

pub async fn members(conn: &mut AnyConnection, id: i64) -> Result<Vec<Invited>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.full_name, u.constituency, mm.present
         FROM meeting_members mm JOIN users u ON u.id = mm.user_id
         WHERE mm.meeting_id = $1 ORDER BY LOWER(u.full_name), u.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Record who was present (every other invited member was not).
pub async fn set_present(
    conn: &mut AnyConnection,
    id: i64,
    present: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE meeting_members SET present = 0 WHERE meeting_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for user in present {
        sqlx::query(
            "UPDATE meeting_members SET present = 1 WHERE meeting_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The meetings held by `now` with a round on their agenda, the latest first. (A decision
/// is made at a meeting that has taken place.)
pub async fn for_round(
    conn: &mut AnyConnection,
    round_id: i64,
    now: UtcTime,
) -> Result<Vec<MeetingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.held_at, m.place FROM board_meetings m
         JOIN meeting_rounds mr ON mr.meeting_id = m.id
         WHERE mr.round_id = $1 AND m.held_at <= $2 ORDER BY m.held_at DESC, m.id DESC",
    )
    .bind(round_id)
    .bind(now)
    .fetch_all(conn)
    .await
}

/// A decision recorded at a meeting (or on a round's bid, in its decision report).
#[derive(Debug, Clone, FromRow)]
pub struct MeetingDecision {
    pub bid_id: i64,
    pub round_id: i64,
    pub organisation: String,
    pub reference: Option<String>,
    #[sqlx(rename = "amount_requested_pence")]
    pub requested: Option<Pence>,
    #[sqlx(try_from = "String")]
    pub outcome: Outcome,
    #[sqlx(rename = "amount_pence")]
    pub amount: Option<Pence>,
    pub conditions: String,
    pub override_reason: String,
    #[sqlx(try_from = "String")]
    pub sign_off: SignOff,
    pub meeting_id: Option<i64>,
}

const DECISIONS: &str = "SELECT d.bid_id, b.round_id, o.name AS organisation, b.reference,
        b.amount_requested_pence, d.outcome, d.amount_pence, d.conditions, d.override_reason,
        d.sign_off, d.meeting_id
     FROM decisions d JOIN bids b ON b.id = d.bid_id JOIN organisations o ON o.id = b.organisation_id";

/// The decisions made at a meeting.
pub async fn decisions(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Vec<MeetingDecision>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DECISIONS} WHERE d.meeting_id = $1 ORDER BY b.reference, b.id"
    ))
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Every decision recorded on a round's bids, wherever it was made.
pub async fn round_decisions(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<MeetingDecision>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DECISIONS} WHERE b.round_id = $1 ORDER BY b.reference, b.id"
    ))
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// The conflicts of interest declared in the bids of a meeting's agenda, by anyone invited:
/// (bid id, user id), each declaration as last made.
pub async fn conflicts(conn: &mut AnyConnection, id: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.bid_id, d.user_id FROM declarations d
         JOIN bids b ON b.id = d.bid_id
         JOIN meeting_rounds mr ON mr.round_id = b.round_id AND mr.meeting_id = $1
         JOIN meeting_members mm ON mm.meeting_id = $1 AND mm.user_id = d.user_id
         WHERE d.conflict = 1
           AND d.id = (SELECT MAX(d2.id) FROM declarations d2 WHERE d2.bid_id = d.bid_id AND d2.user_id = d.user_id)",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("bid_id")?, r.try_get("user_id")?)))
        .collect()
}

/// The conflicts of interest declared in a round's bids (each declaration as last made):
/// (bid id, the name of who declared it).
pub async fn conflicts_in_round(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT d.bid_id, u.full_name FROM declarations d
         JOIN bids b ON b.id = d.bid_id JOIN users u ON u.id = d.user_id
         WHERE b.round_id = $1 AND d.conflict = 1
           AND d.id = (SELECT MAX(d2.id) FROM declarations d2 WHERE d2.bid_id = d.bid_id AND d2.user_id = d.user_id)
         ORDER BY d.bid_id, u.full_name",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("bid_id")?, r.try_get("full_name")?)))
        .collect()
}
