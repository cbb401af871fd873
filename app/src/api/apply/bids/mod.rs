//! Bids: an organisation's online bid for a round, as a task list of sections that its
//! members fill in, check and send. Only the organisation's members (and commissioners,
//! read-only) can see a bid; anyone else is told it does not exist.
use crate::domain::answers::Answers;
use crate::domain::bid::{BidStatus, PlanYear};
use crate::domain::money::Pence;
use crate::domain::organisation::Organisation;
use crate::domain::round::{Question, SectionKind};
use crate::error::AppError;
use crate::web::TaskStatus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod interview;
mod section;
mod send;
pub use interview::*;
pub use section::*;
pub use send::*;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::answers::{self, SectionContext},
    crate::domain::round::{phase, RoundStatus},
    crate::state::AppState,
};

/// The section form's name for values and errors kept across a plain post.
pub const SECTION_FORM: &str = "bid_section";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidHeader {
    pub id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub status: BidStatus,
    pub reference: Option<String>,
    pub requested: Option<Pence>,
    pub closes: String,
    pub closes_in: String,
    /// The round takes bids and changes now, by the server's clock.
    pub round_open: bool,
    /// A member may change it: a draft in an open round.
    pub editable: bool,
    pub is_member: bool,
    pub submitted: Option<String>,
}

/// A bid loaded for the signed-in user (the rule of who may see and change it is
/// `service::bids`); its fields read through to the `BidAccess`.
#[cfg(feature = "ssr")]
struct Loaded {
    state: AppState,
    access: crate::service::bids::BidAccess,
}

#[cfg(feature = "ssr")]
impl std::ops::Deref for Loaded {
    type Target = crate::service::bids::BidAccess;
    fn deref(&self) -> &Self::Target {
        &self.access
    }
}

#[cfg(feature = "ssr")]
impl Loaded {
    fn header(&self) -> BidHeader {
        let d = &self.round.details;
        let now = chrono::Utc::now();
        BidHeader {
            id: self.bid.id,
            round_id: self.bid.round_id,
            round_title: self.bid.round_title.clone(),
            organisation_id: self.bid.organisation_id,
            organisation_name: self.bid.organisation_name.clone(),
            status: self.bid.status,
            reference: self.bid.reference.clone(),
            requested: self.bid.requested,
            closes: crate::domain::time::display_uk(d.closes_at),
            closes_in: crate::domain::round::closes_in(d.closes_at, now),
            round_open: self.round_open,
            editable: self.is_member && self.round_open && self.bid.status == BidStatus::Draft,
            is_member: self.is_member,
            submitted: self
                .bid
                .submitted_at
                .map(crate::domain::time::UtcTime::display_uk),
        }
    }
}

/// A bid's questionnaire, its saved answers and its files.
#[cfg(feature = "ssr")]
struct Contents {
    sections: Vec<db::rounds::SectionRow>,
    saved: Vec<db::bids::SectionAnswers>,
    files: Vec<UploadedFile>,
}

#[cfg(feature = "ssr")]
impl Contents {
    fn saved(&self, section_id: i64) -> Option<&db::bids::SectionAnswers> {
        self.saved.iter().find(|s| s.section_id == section_id)
    }

    fn section(&self, section_id: i64) -> Result<&db::rounds::SectionRow, AppError> {
        self.sections
            .iter()
            .find(|s| s.id == section_id)
            .ok_or_else(|| auth::with_status(AppError::NotFound))
    }
}

#[cfg(feature = "ssr")]
impl Loaded {
    async fn contents(&self) -> Result<Contents, AppError> {
        let mut conn = self.state.pool.acquire().await?;
        Ok(Contents {
            sections: db::rounds::sections(&mut conn, self.round.id).await?,
            saved: db::bids::sections(&mut conn, self.bid.id).await?,
            files: section::files_of(&mut conn, self.bid.id).await?,
        })
    }

    fn context_for(&self, c: &Contents) -> SectionContext {
        crate::service::bids::context(
            &self.access,
            c.files.iter().map(|f| f.question_id).collect(),
        )
    }
}

/// A sustainability plan as saved, when every figure in it reads: the plan, its warnings
/// and its one-line summary (nothing when it does not read yet).
#[cfg(feature = "ssr")]
fn plan_view(a: &Answers, funded_years: usize) -> (Option<Vec<PlanYear>>, Vec<String>, String) {
    match answers::parse_plan(a, funded_years, None, false) {
        Ok(plan) => {
            let flags = crate::domain::bid::flags(&plan, funded_years)
                .iter()
                .map(|f| f.message())
                .collect();
            let summary = crate::domain::bid::summary(&plan);
            (Some(plan), flags, summary)
        }
        Err(_) => Default::default(),
    }
}

/// Load a bid for the signed-in user: its organisation's members and commissioners may see
/// it; for anyone else it does not exist.
#[cfg(feature = "ssr")]
async fn load(bid_id: i64) -> Result<Loaded, AppError> {
    let (state, user) = auth::require_user().await?;
    load_for(state, user, bid_id)
        .await
        .map_err(auth::with_status)
}

#[cfg(feature = "ssr")]
async fn load_for(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
) -> Result<Loaded, AppError> {
    let access = crate::service::bids::access(state.ctx(), &user.actor(), bid_id).await?;
    Ok(Loaded { state, access })
}

/// Load a bid without asking who may see it: the caller has checked.
#[cfg(feature = "ssr")]
async fn load_unchecked(state: AppState, bid_id: i64, is_member: bool) -> Result<Loaded, AppError> {
    let access = crate::service::bids::access_unchecked(state.ctx(), bid_id, is_member).await?;
    Ok(Loaded { state, access })
}

// ---- Starting a bid ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartData {
    pub round_id: i64,
    pub round_title: String,
    pub round_open: bool,
    pub closes: String,
    pub area_served: String,
    /// The user's organisations, and which one they act for.
    pub organisations: usize,
    /// (id, name) of each, to choose from when they belong to several.
    #[serde(default)]
    pub choices: Vec<(i64, String)>,
    pub acting_for: Option<(i64, String)>,
    /// Reasons the organisation cannot bid, from its legal form and income.
    pub reasons: Vec<String>,
    pub existing_bid: Option<i64>,
}

#[server(prefix = "/api", endpoint = "bids/start_info")]
pub async fn start_info(round_id: i64) -> Result<StartData, AppError> {
    let (state, user) = auth::require_user().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .filter(|r| r.status != RoundStatus::Draft)
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    drop(conn);
    let d = &round.details;
    let memberships = db::organisations::for_user(&state.pool, user.id).await?;
    let acting = crate::api::apply::organisations::acting_for(&memberships).await?;
    let acting_for = acting.and_then(|id| {
        memberships
            .iter()
            .find(|m| m.id == id)
            .map(|m| (m.id, m.name.clone()))
    });
    let (reasons, existing_bid) = match &acting_for {
        Some((org_id, _)) => {
            let org = db::organisations::get(&state.pool, *org_id)
                .await?
                .ok_or(AppError::Internal)?;
            (
                crate::service::bids::eligibility_reasons(&round, &org, true),
                db::bids::find(&state.pool, round_id, *org_id).await?,
            )
        }
        None => (vec![], None),
    };
    Ok(StartData {
        round_id,
        round_title: d.title.clone(),
        round_open: phase(round.status, d.opens_at, d.closes_at, chrono::Utc::now())
            == RoundStatus::Open,
        closes: crate::domain::time::display_uk(d.closes_at),
        area_served: d.area_served.clone(),
        organisations: memberships.len(),
        choices: memberships.iter().map(|m| (m.id, m.name.clone())).collect(),
        acting_for,
        reasons,
        existing_bid,
    })
}

/// Choose, on a round's "Start a bid" page, which of your organisations you are bidding
/// for; then the same page again, for that organisation.
#[server(prefix = "/api", endpoint = "bids/choose_organisation")]
pub async fn choose_organisation(
    round_id: i64,
    #[server(default)] organisation_id: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let start = format!("/rounds/{round_id}/bid");
    let chosen = match organisation_id.trim().parse::<i64>() {
        Ok(id) => crate::api::apply::organisations::choose_acting(&state, user.id, id).await?,
        Err(_) => None,
    };
    let Some(name) = chosen else {
        let error = AppError::field(
            "organisation_id",
            "Select the organisation you are bidding for",
        );
        return Err(auth::reject_form("start_bid", &[], error).await);
    };
    let session = auth::session().await?;
    let notice = format!("You are bidding for {name}");
    auth::notice_and_redirect(&session, &notice, &start).await?;
    Ok(())
}

/// Start (or go back to) the acting organisation's bid for a round, after the
/// eligibility questions.
#[server(prefix = "/api", endpoint = "bids/start")]
pub async fn start_bid(
    round_id: i64,
    #[server(default)] covers_area: String,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let memberships = db::organisations::for_user(&state.pool, user.id).await?;
    let acting = crate::api::apply::organisations::acting_for(&memberships).await?;
    let actor = user.actor();
    match crate::service::bids::start(state.ctx(), &actor, round_id, acting, &covers_area).await {
        Ok(started) => {
            leptos_axum::redirect(&format!("/bids/{}", started.bid_id));
            Ok(())
        }
        Err(e) => {
            let values = [("covers_area", covers_area.as_str())];
            Err(refused("start_bid", &values, e).await)
        }
    }
}

// ---- The task list ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidTask {
    pub section_id: i64,
    pub title: String,
    pub status: TaskStatus,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskListData {
    pub bid: BidHeader,
    pub tasks: Vec<BidTask>,
    pub completed: usize,
    pub can_check: bool,
    /// Shortlisted: the invitation to an interview or presentation.
    pub interview: Option<crate::api::decide::interviews::InterviewView>,
}

#[cfg(feature = "ssr")]
fn task_status(
    kind: SectionKind,
    saved: Option<&db::bids::SectionAnswers>,
    budget_done: bool,
) -> TaskStatus {
    match saved {
        Some(s) if s.completed => TaskStatus::Completed,
        _ if kind == SectionKind::Sustainability && !budget_done => TaskStatus::CannotStartYet,
        Some(_) => TaskStatus::InProgress,
        None => TaskStatus::NotYetStarted,
    }
}

#[cfg(feature = "ssr")]
async fn tasks_of(l: &Loaded) -> Result<Vec<BidTask>, AppError> {
    let c = l.contents().await?;
    let find = |id: i64| c.saved(id);
    let budget_done = c
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Budget)
        .all(|s| find(s.id).is_some_and(|a| a.completed));
    Ok(c.sections
        .iter()
        .map(|s| BidTask {
            section_id: s.id,
            title: s.title.clone(),
            status: task_status(s.kind, find(s.id), budget_done),
            hint: (s.kind == SectionKind::Sustainability && !budget_done)
                .then(|| "Complete your budget first".to_string()),
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "bids/tasks")]
pub async fn bid_tasks(id: i64) -> Result<TaskListData, AppError> {
    let l = load(id).await?;
    let tasks = tasks_of(&l).await?;
    let completed = tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Completed)
        .count();
    let interview = if l.bid.status == BidStatus::Draft {
        None
    } else {
        interview_of(&l.state, id).await?
    };
    Ok(TaskListData {
        can_check: completed == tasks.len(),
        completed,
        tasks,
        bid: l.header(),
        interview,
    })
}

// ---- The organisation's bids ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidListItem {
    pub id: i64,
    pub round_title: String,
    pub organisation_name: String,
    pub status: BidStatus,
    pub reference: Option<String>,
    pub requested: Option<Pence>,
    pub updated: String,
    /// Shortlisted: "Invited to an interview on 14 January 2027 at 10am" (and the reply).
    #[serde(default)]
    pub interview: Option<String>,
}

#[server(prefix = "/api", endpoint = "bids/mine")]
pub async fn my_bids() -> Result<Vec<BidListItem>, AppError> {
    let (state, user) = auth::require_user().await?;
    let bids = db::bids::for_member(&state.pool, user.id).await?;
    let sent: Vec<i64> = bids
        .iter()
        .filter(|b| b.status != BidStatus::Draft)
        .map(|b| b.id)
        .collect();
    let mut conn = state.pool.acquire().await?;
    let now = chrono::Utc::now();
    let interviews: BTreeMap<i64, String> = db::interviews::of_bids(&mut conn, &sent)
        .await?
        .iter()
        .map(|r| {
            let v = crate::api::decide::interviews::interview_view(r, now);
            let what = if v.format_code == "presentation" {
                "to present"
            } else {
                "to an interview"
            };
            (
                r.bid_id,
                format!("Invited {what} on {}. Reply: {}", v.when, v.reply),
            )
        })
        .collect();
    drop(conn);
    Ok(bids
        .into_iter()
        .map(|b| BidListItem {
            interview: interviews.get(&b.id).cloned(),
            id: b.id,
            round_title: b.round_title,
            organisation_name: b.organisation_name,
            status: b.status,
            reference: b.reference,
            requested: b.requested,
            updated: b.updated_at.display_uk(),
        })
        .collect())
}

/// For the upload page and routes: may this user change this bid's files, and what is the
/// question? (title of the section, question label)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadData {
    pub bid: BidHeader,
    pub section_id: i64,
    pub section_title: String,
    pub question_id: i64,
    pub label: String,
    pub hint: String,
    pub current: Option<UploadedFile>,
    pub used: String,
}

#[server(prefix = "/api", endpoint = "bids/upload_info")]
pub async fn upload_info(
    id: i64,
    section_id: i64,
    question_id: i64,
) -> Result<UploadData, AppError> {
    let l = load(id).await?;
    let c = l.contents().await?;
    let used: i64 = c.files.iter().map(|f| f.bytes).sum();
    let section = c.section(section_id)?;
    let (_, q) = section
        .questions
        .iter()
        .find(|(qid, q)| {
            *qid == question_id && q.qtype == crate::domain::round::QuestionType::FileUpload
        })
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    Ok(UploadData {
        bid: l.header(),
        section_id,
        section_title: section.title.clone(),
        question_id,
        label: q.label.clone(),
        hint: q.hint.clone(),
        current: c
            .files
            .iter()
            .find(|f| f.question_id == question_id)
            .cloned(),
        used: crate::domain::files::display_size(used),
    })
}
