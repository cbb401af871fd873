//! Board meetings (commissioners arrange them): the meeting with its agenda and members
//! invited, and who was present. The decisions made at it are recorded on each bid
//! (service::decisions), naming the meeting.
use super::Ctx;
use crate::db;
use crate::domain::meeting::MeetingForm;
use crate::domain::round::RoundStatus;
use crate::error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum MeetingError {
    #[error("page not found")]
    NotFound,
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<MeetingError> for crate::error::AppError {
    fn from(e: MeetingError) -> Self {
        match e {
            MeetingError::NotFound => crate::error::AppError::NotFound,
            MeetingError::Invalid(errors) => crate::error::AppError::Invalid(errors),
            MeetingError::Database(e) => e.into(),
        }
    }
}

/// What a meeting may be arranged about: the rounds that have closed for bids (in
/// assessment or decided), (id, title); and the board members, (id, name, constituency).
pub async fn choices(
    ctx: Ctx<'_>,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String, String)>), sqlx::Error> {
    let now = chrono::Utc::now();
    let rounds = db::rounds::all(ctx.pool)
        .await?
        .into_iter()
        .filter(|r| r.status != RoundStatus::Draft && r.details.closes_at <= now)
        .map(|r| (r.id, r.details.title))
        .collect();
    let mut conn = ctx.pool.acquire().await?;
    let members = db::users::board_members(&mut conn)
        .await?
        .into_iter()
        .map(|(id, name, _, constituency)| (id, name, constituency))
        .collect();
    Ok((rounds, members))
}

/// Arrange a board meeting. (Its id.)
pub async fn arrange(ctx: Ctx<'_>, actor: i64, form: &MeetingForm) -> Result<i64, MeetingError> {
    let (rounds, members) = choices(ctx).await?;
    let round_ids: Vec<i64> = rounds.iter().map(|r| r.0).collect();
    let member_ids: Vec<i64> = members.iter().map(|m| m.0).collect();
    let meeting = form
        .parse(&round_ids, &member_ids)
        .map_err(MeetingError::Invalid)?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let id = db::meetings::insert(&mut tx, &meeting, actor, now).await?;
    let summary = crate::domain::meeting::describe(meeting.held_at, &meeting.place);
    db::audit::entry(&mut tx, actor, "meeting.arranged", ("meeting", id), summary).await?;
    tx.commit().await?;
    Ok(id)
}

/// Record who was present at a meeting (`ticked`: member ids; only those invited count).
/// (How many were present.)
pub async fn attendance(
    ctx: Ctx<'_>,
    actor: i64,
    meeting_id: i64,
    ticked: &[String],
) -> Result<usize, MeetingError> {
    let mut conn = ctx.pool.acquire().await?;
    db::meetings::get(&mut conn, meeting_id)
        .await?
        .ok_or(MeetingError::NotFound)?;
    let invited: Vec<i64> = db::meetings::members(&mut conn, meeting_id)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    drop(conn);
    let mut present = Vec::new();
    for t in ticked {
        match t
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| invited.contains(id))
        {
            Some(id) if !present.contains(&id) => present.push(id),
            Some(_) => {}
            None => {
                return Err(MeetingError::Invalid(vec![FieldError::new(
                    "present",
                    "Select members from the list of those invited",
                )]))
            }
        }
    }
    let mut tx = ctx.pool.begin().await?;
    db::meetings::set_present(&mut tx, meeting_id, &present).await?;
    let summary = format!("Attendance recorded: {} present", present.len());
    db::audit::entry(
        &mut tx,
        actor,
        "meeting.attendance",
        ("meeting", meeting_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(present.len())
}

/// A decision in a meeting's minutes.
#[derive(Debug, Clone)]
pub struct Minute {
    pub round: String,
    pub reference: String,
    pub organisation: String,
    pub requested: Option<crate::domain::money::Pence>,
    pub outcome: crate::domain::decision::Outcome,
    pub amount: Option<crate::domain::money::Pence>,
    pub sign_off: crate::domain::board::SignOff,
    /// The meeting it was made at, described ('' when none was named).
    pub meeting: String,
    pub conditions: String,
    pub override_reason: String,
    /// Present members who declared a conflict in the bid and took no part.
    pub not_taking_part: Vec<String>,
}

/// A meeting and its minutes.
#[derive(Debug, Clone)]
pub struct Minutes {
    pub held_at: chrono::DateTime<chrono::Utc>,
    pub place: String,
    /// (round id, title).
    pub agenda: Vec<(i64, String)>,
    pub members: Vec<db::meetings::Invited>,
    pub decisions: Vec<Minute>,
}

/// A meeting with its agenda, members and the decisions made at it. `None` if there is no
/// such meeting.
pub async fn minutes(ctx: Ctx<'_>, id: i64) -> Result<Option<Minutes>, sqlx::Error> {
    use crate::domain::meeting::{part, Part};
    let mut conn = ctx.pool.acquire().await?;
    let Some(m) = db::meetings::get(&mut conn, id).await? else {
        return Ok(None);
    };
    let agenda = db::meetings::agenda(&mut conn, id).await?;
    let members = db::meetings::members(&mut conn, id).await?;
    let conflicts = db::meetings::conflicts(&mut conn, id).await?;
    let titles: std::collections::BTreeMap<i64, String> = agenda.iter().cloned().collect();
    let decisions = db::meetings::decisions(&mut conn, id)
        .await?
        .into_iter()
        .map(|d| Minute {
            round: titles.get(&d.round_id).cloned().unwrap_or_default(),
            reference: d.reference.unwrap_or_default(),
            organisation: d.organisation,
            requested: d.requested,
            meeting: crate::domain::meeting::describe(m.held_at.0, &m.place),
            outcome: d.outcome,
            amount: d.amount,
            sign_off: d.sign_off,
            conditions: d.conditions,
            override_reason: d.override_reason,
            not_taking_part: members
                .iter()
                .filter(|i| {
                    let conflicted = conflicts.contains(&(d.bid_id, i.user_id));
                    part(i.present == 1, conflicted) == Part::ConflictNotTakingPart
                })
                .map(|i| i.full_name.clone())
                .collect(),
        })
        .collect();
    Ok(Some(Minutes {
        held_at: m.held_at.0,
        place: m.place,
        agenda,
        members,
        decisions,
    }))
}

/// A round's decisions for the partners: every decision recorded on its bids, and where
/// its money stands after them.
#[derive(Debug, Clone)]
pub struct RoundDecisions {
    pub title: String,
    pub envelope: crate::domain::money::Pence,
    /// Committed by awards made.
    pub awarded: crate::domain::money::Pence,
    /// Recommended awards awaiting the partners' sign-off (still reserved in the envelope).
    pub awaiting: crate::domain::money::Pence,
    pub fund_id: Option<i64>,
    pub decisions: Vec<Minute>,
}

/// A round's decision report. `None` if there is no such round (or it is a draft).
pub async fn round_decisions(
    ctx: Ctx<'_>,
    round_id: i64,
) -> Result<Option<RoundDecisions>, sqlx::Error> {
    use crate::domain::board::SignOff;
    use crate::domain::decision::Outcome;
    let mut conn = ctx.pool.acquire().await?;
    let Some(round) = db::rounds::round(&mut conn, round_id).await? else {
        return Ok(None);
    };
    if round.status == RoundStatus::Draft {
        return Ok(None);
    }
    let meetings: std::collections::BTreeMap<i64, String> = db::meetings::list(&mut conn)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.id,
                crate::domain::meeting::describe(m.held_at.0, &m.place),
            )
        })
        .collect();
    let decisions: Vec<Minute> = db::meetings::round_decisions(&mut conn, round_id)
        .await?
        .into_iter()
        .map(|d| Minute {
            round: round.details.title.clone(),
            reference: d.reference.unwrap_or_default(),
            organisation: d.organisation,
            requested: d.requested,
            outcome: d.outcome,
            amount: d.amount,
            sign_off: d.sign_off,
            meeting: d
                .meeting_id
                .and_then(|id| meetings.get(&id).cloned())
                .unwrap_or_default(),
            conditions: d.conditions,
            override_reason: d.override_reason,
            not_taking_part: Vec::new(),
        })
        .collect();
    let awaiting = decisions
        .iter()
        .filter(|d| d.outcome == Outcome::Award && d.sign_off == SignOff::Awaiting)
        .filter_map(|d| d.amount.or(d.requested))
        .map(|p| p.0)
        .sum();
    Ok(Some(RoundDecisions {
        title: round.details.title,
        envelope: round.reserved,
        awarded: round.awarded,
        awaiting: crate::domain::money::Pence(awaiting),
        fund_id: round.fund_id,
        decisions,
    }))
}
