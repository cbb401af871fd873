//! Board meetings: the list, arranging one (commissioners), a meeting's page with its
//! agenda, members, attendance and the minutes of its decisions.
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::board::{decision_words, Constituency},
    crate::domain::date::{display_date, uk_date, uk_time_value},
    crate::domain::roles::Role,
};

/// Who reads the Board's meetings: board members, commissioners and partner approvers.
#[cfg(feature = "ssr")]
const READERS: [Role; 3] = [Role::BoardMember, Role::Commissioner, Role::PartnerApprover];

#[cfg(feature = "ssr")]
fn represents(code: &str) -> String {
    Constituency::from_code(code)
        .map(|c| c.label().to_string())
        .unwrap_or_else(|| "Not recorded yet".into())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingItem {
    pub id: i64,
    /// "Board meeting, 14 January 2027 at 2pm, Town Hall".
    pub name: String,
    pub agenda: Vec<String>,
    pub upcoming: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingsData {
    pub meetings: Vec<MeetingItem>,
    /// A commissioner: may arrange a meeting.
    pub can_arrange: bool,
}

#[server(prefix = "/api", endpoint = "board/meetings")]
pub async fn meetings() -> Result<MeetingsData, AppError> {
    let (state, user) = auth::require_any_role(&READERS).await?;
    let mut conn = state.pool.acquire().await?;
    let rows = db::meetings::list(&mut conn).await?;
    let mut agendas: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (meeting, _, title) in db::meetings::agendas(&mut conn).await? {
        agendas.entry(meeting).or_default().push(title);
    }
    let now = chrono::Utc::now();
    Ok(MeetingsData {
        meetings: rows
            .into_iter()
            .map(|m| MeetingItem {
                id: m.id,
                name: crate::domain::meeting::describe(m.held_at.0, &m.place),
                agenda: agendas.remove(&m.id).unwrap_or_default(),
                upcoming: m.held_at.0 > now,
            })
            .collect(),
        can_arrange: user.has(Role::Commissioner),
    })
}

/// What a new meeting can be arranged about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMeetingData {
    /// Rounds closed for bids: (id, title).
    pub rounds: Vec<(i64, String)>,
    /// Board members: (id, name, who they represent).
    pub members: Vec<(i64, String, String)>,
}

#[server(prefix = "/api", endpoint = "board/new_meeting")]
pub async fn new_meeting() -> Result<NewMeetingData, AppError> {
    let (state, _) = auth::require_commissioner().await?;
    let (rounds, members) = crate::service::meetings::choices(state.ctx()).await?;
    Ok(NewMeetingData {
        rounds,
        members: members
            .into_iter()
            .map(|(id, name, code)| (id, name, represents(&code)))
            .collect(),
    })
}

/// Arrange a board meeting: date, time, place or link, rounds on the agenda (`agenda[id]`)
/// and members invited (`invite[id]`).
#[server(prefix = "/api", endpoint = "board/arrange_meeting")]
pub async fn arrange_meeting(
    #[server(default)] held_day: String,
    #[server(default)] held_month: String,
    #[server(default)] held_year: String,
    #[server(default)] time: String,
    #[server(default)] place: String,
    #[server(default)] agenda: BTreeMap<String, String>,
    #[server(default)] invite: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = auth::require_commissioner().await?;
    let form = crate::domain::meeting::MeetingForm {
        held_day,
        held_month,
        held_year,
        time,
        place,
        rounds: agenda.keys().cloned().collect(),
        members: invite.keys().cloned().collect(),
    };
    match crate::service::meetings::arrange(state.ctx(), user.id, &form).await {
        Ok(id) => {
            let session = auth::session().await?;
            let to = format!("/board/meetings/{id}");
            auth::notice_and_redirect(&session, "Board meeting arranged", &to).await?;
            Ok(())
        }
        Err(e) => {
            let rounds: Vec<String> = form.rounds.iter().map(|r| format!("agenda[{r}]")).collect();
            let members: Vec<String> = form
                .members
                .iter()
                .map(|m| format!("invite[{m}]"))
                .collect();
            let mut kept = vec![
                ("held_day", form.held_day.as_str()),
                ("held_month", form.held_month.as_str()),
                ("held_year", form.held_year.as_str()),
                ("time", form.time.as_str()),
                ("place", form.place.as_str()),
            ];
            kept.extend(rounds.iter().map(|r| (r.as_str(), r.as_str())));
            kept.extend(members.iter().map(|m| (m.as_str(), m.as_str())));
            Err(auth::reject_form("arrange_meeting", &kept, e.into()).await)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberLine {
    pub user_id: i64,
    pub name: String,
    pub represents: String,
    pub present: bool,
}

/// One decision in the minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinuteLine {
    pub round: String,
    pub reference: String,
    pub organisation: String,
    /// "Award of £12,000.00 recommended, awaiting sign-off", "Declined", …
    pub decision: String,
    pub conditions: String,
    /// Why a bid below a minimum score was recommended ('' if it was not).
    pub override_reason: String,
    /// Present members who declared a conflict in this bid and took no part.
    pub not_taking_part: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i64,
    pub name: String,
    pub when: String,
    pub place: String,
    /// (round id, title).
    pub agenda: Vec<(i64, String)>,
    pub members: Vec<MemberLine>,
    pub minutes: Vec<MinuteLine>,
    /// A commissioner: records attendance and decisions.
    pub can_record: bool,
    /// The pooled funds of the rounds on the agenda, per partner, as they stand now (after
    /// the decisions made).
    #[serde(default)]
    pub funds: Vec<super::pack::FundPosition>,
}

#[server(prefix = "/api", endpoint = "board/meeting")]
pub async fn meeting(id: i64) -> Result<MeetingView, AppError> {
    let (state, user) = auth::require_any_role(&READERS).await?;
    let m = crate::service::meetings::minutes(state.ctx(), id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let mut conn = state.pool.acquire().await?;
    let mut fund_ids = Vec::new();
    for (round_id, _) in &m.agenda {
        let fund = db::rounds::round(&mut conn, *round_id)
            .await?
            .and_then(|r| r.fund_id);
        if let Some(f) = fund.filter(|f| !fund_ids.contains(f)) {
            fund_ids.push(f);
        }
    }
    let funds = super::pack::fund_positions(&state.pool, &mut conn, &fund_ids).await?;
    drop(conn);
    Ok(MeetingView {
        id,
        funds,
        name: crate::domain::meeting::describe(m.held_at, &m.place),
        when: format!(
            "{} at {}",
            display_date(uk_date(m.held_at)),
            uk_time_value(m.held_at)
        ),
        place: m.place,
        agenda: m.agenda,
        members: m
            .members
            .into_iter()
            .map(|i| MemberLine {
                user_id: i.user_id,
                name: i.full_name,
                represents: represents(&i.constituency),
                present: i.present == 1,
            })
            .collect(),
        minutes: m
            .decisions
            .into_iter()
            .map(|d| MinuteLine {
                decision: decision_words(d.outcome, d.amount, d.sign_off),
                round: d.round,
                reference: d.reference,
                organisation: d.organisation,
                conditions: d.conditions,
                override_reason: d.override_reason,
                not_taking_part: d.not_taking_part,
            })
            .collect(),
        can_record: user.has(Role::Commissioner),
    })
}

/// Record who was present (`present[id]` ticked).
#[server(prefix = "/api", endpoint = "board/attendance")]
pub async fn record_attendance(
    meeting_id: i64,
    #[server(default)] present: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = auth::require_commissioner().await?;
    let ticked: Vec<String> = present.keys().cloned().collect();
    let to = format!("/board/meetings/{meeting_id}");
    match crate::service::meetings::attendance(state.ctx(), user.id, meeting_id, &ticked).await {
        Ok(n) => {
            let session = auth::session().await?;
            let notice = format!("Attendance recorded: {n} present");
            auth::notice_and_redirect(&session, &notice, &to).await?;
            Ok(())
        }
        Err(crate::service::meetings::MeetingError::NotFound) => {
            Err(auth::with_status(AppError::NotFound))
        }
        Err(e) => Err(auth::reject_form("attendance", &[], e.into()).await),
    }
}
