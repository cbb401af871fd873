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
