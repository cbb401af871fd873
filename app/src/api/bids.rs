//! Bids: an organisation's online bid for a round, as a task list of sections that its
//! members fill in, check and send. Only the organisation's members (and commissioners,
//! read-only) can see a bid; anyone else is told it does not exist.
use crate::components::TaskStatus;
use crate::domain::answers::Answers;
use crate::domain::bid::{BidStatus, PlanYear};
use crate::domain::money::Pence;
use crate::domain::organisation::Organisation;
use crate::domain::round::{Question, SectionKind};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::answers::{self, SectionContext},
    crate::domain::roles::Role,
    crate::domain::round::{phase, RoundStatus},
    crate::error::FieldError,
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

#[cfg(feature = "ssr")]
struct Loaded {
    state: AppState,
    user: auth::CurrentUser,
    bid: db::bids::BidRow,
    round: db::rounds::RoundRow,
    is_member: bool,
    round_open: bool,
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
                .as_deref()
                .and_then(crate::domain::time::from_db)
                .map(crate::domain::time::display_uk),
        }
    }

    fn context(&self, files: Vec<i64>) -> SectionContext {
        let d = &self.round.details;
        SectionContext {
            funded_years: answers::funded_years(d.period_months),
            min_award: d.min_award,
            max_award: d.max_award,
            requested: self.bid.requested,
            files,
        }
    }

    /// Refuse a change the deadline or the bid's status does not allow.
    fn check_can_change(&self) -> Result<(), AppError> {
        if !self.is_member {
            return Err(AppError::Forbidden);
        }
        if !self.round_open {
            return Err(AppError::Conflict(format!(
                "This round closed at {}. Bids can no longer be changed",
                crate::domain::time::display_uk(self.round.details.closes_at)
            )));
        }
        if self.bid.status != BidStatus::Draft {
            return Err(AppError::Conflict(
                "This bid has been sent. To change it, withdraw it first".into(),
            ));
        }
        Ok(())
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
            files: files_of(&mut conn, self.bid.id).await?,
        })
    }

    fn context_for(&self, c: &Contents) -> SectionContext {
        self.context(c.files.iter().map(|f| f.question_id).collect())
    }

    /// Record what happened to this bid, in the change's transaction.
    async fn audit(
        &self,
        conn: &mut sqlx::AnyConnection,
        action: &str,
        summary: String,
        change: Option<(BidStatus, BidStatus)>,
    ) -> Result<(), AppError> {
        db::audit::record(
            conn,
            db::audit::Entry {
                actor: Some(self.user.id),
                action,
                subject_type: "bid",
                subject_id: self.bid.id.to_string(),
                summary,
                before: change.map(|(from, _)| from.label().to_string()),
                after: change.map(|(_, to)| to.label().to_string()),
            },
        )
        .await?;
        Ok(())
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
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let is_member = db::organisations::role_of(&state.pool, bid.organisation_id, user.id)
        .await?
        .is_some();
    if !is_member && !user.has(Role::Commissioner) {
        return Err(AppError::NotFound);
    }
    load_unchecked(state, user, bid_id, is_member).await
}

/// Load a bid without asking who may see it: the caller has checked.
#[cfg(feature = "ssr")]
async fn load_unchecked(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
    is_member: bool,
) -> Result<Loaded, AppError> {
    let mut conn = state.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = db::rounds::round(&mut conn, bid.round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let d = &round.details;
    let round_open =
        phase(round.status, d.opens_at, d.closes_at, chrono::Utc::now()) == RoundStatus::Open;
    Ok(Loaded {
        state,
        user,
        bid,
        round,
        is_member,
        round_open,
    })
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
    let acting = crate::api::organisations::acting_for(&memberships).await?;
    let acting_for = acting.and_then(|id| {
        memberships
            .iter()
            .find(|(m, _, _)| *m == id)
            .map(|(id, name, _)| (*id, name.clone()))
    });
    let (reasons, existing_bid) = match &acting_for {
        Some((org_id, _)) => {
            let org = db::organisations::get(&state.pool, *org_id)
                .await?
                .ok_or(AppError::Internal)?;
            (
                eligibility_reasons(&round, &org, true),
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
        acting_for,
        reasons,
        existing_bid,
    })
}

#[cfg(feature = "ssr")]
fn eligibility_reasons(
    round: &db::rounds::RoundRow,
    org: &Organisation,
    covers_area: bool,
) -> Vec<String> {
    let d = &round.details;
    crate::domain::bid::ineligible_because(
        &crate::domain::bid::Eligibility {
            legal_forms: &d.legal_forms,
            max_income: d.max_income,
            area_served: &d.area_served,
        },
        org,
        covers_area,
    )
}

/// Start (or go back to) the acting organisation's bid for a round, after the
/// eligibility questions.
#[server(prefix = "/api", endpoint = "bids/start")]
pub async fn start_bid(
    round_id: i64,
    #[server(default)] covers_area: String,
) -> Result<(), AppError> {
    let info = start_info(round_id).await?;
    let values = [("covers_area", covers_area.as_str())];
    let reject = |e: AppError| auth::reject_form("start_bid", &values, e);
    let Some((org_id, org_name)) = info.acting_for.clone() else {
        return Err(reject(AppError::Conflict(
            "Choose which organisation you are bidding for on the \"Your organisations\" page"
                .into(),
        ))
        .await);
    };
    if let Some(bid_id) = info.existing_bid {
        leptos_axum::redirect(&format!("/bids/{bid_id}"));
        return Ok(());
    }
    if !info.round_open {
        return Err(reject(AppError::Conflict(format!(
            "This round is not open for bids. It closes at {}",
            info.closes
        )))
        .await);
    }
    let covers = match covers_area.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(reject(AppError::field(
                "covers_area",
                &format!("Select yes if your service will cover {}", info.area_served),
            ))
            .await)
        }
    };
    if !info.reasons.is_empty() || !covers {
        let mut reasons = info.reasons.clone();
        if !covers {
            reasons.push(format!(
                "The service must cover {}. {org_name} cannot bid in this round",
                info.area_served
            ));
        }
        let errors = reasons
            .into_iter()
            .map(|r| FieldError::new("covers_area", r))
            .collect();
        return Err(reject(AppError::Invalid(errors)).await);
    }
    let (state, user) = auth::require_user().await?;
    let now = db::now();
    let mut tx = state.pool.begin().await?;
    let id = match db::bids::insert(&mut tx, round_id, org_id, user.id, &now).await? {
        Some(id) => id,
        None => {
            // A colleague started it a moment ago: go to theirs.
            drop(tx);
            let id = db::bids::find(&state.pool, round_id, org_id)
                .await?
                .ok_or(AppError::Internal)?;
            leptos_axum::redirect(&format!("/bids/{id}"));
            return Ok(());
        }
    };
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(user.id),
            action: "bid.started",
            subject_type: "bid",
            subject_id: id.to_string(),
            summary: format!("Bid started by {org_name} for {}", info.round_title),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/bids/{id}"));
    Ok(())
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
    Ok(TaskListData {
        can_check: completed == tasks.len(),
        completed,
        tasks,
        bid: l.header(),
    })
}

// ---- A section ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub question_id: i64,
    pub file_id: i64,
    pub name: String,
    pub size: String,
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionData {
    pub bid: BidHeader,
    pub section_id: i64,
    pub kind: SectionKind,
    pub title: String,
    pub number: usize,
    pub of: usize,
    pub version: i64,
    pub answers: Answers,
    pub completed: bool,
    pub last_saved: Option<String>,
    pub questions: Vec<(i64, Question)>,
    pub files: Vec<UploadedFile>,
    pub organisation: Option<Organisation>,
    pub funded_years: usize,
    pub min_award: Pence,
    pub max_award: Pence,
    /// The plan as saved, when every figure in it reads (for the table and chart).
    pub plan: Option<Vec<PlanYear>>,
    pub flags: Vec<String>,
    pub summary: String,
    /// Budget totals per year and in all, when the budget reads.
    pub budget_totals: Option<(Vec<Pence>, Pence)>,
}

#[cfg(feature = "ssr")]
async fn files_of(
    conn: &mut sqlx::AnyConnection,
    bid_id: i64,
) -> Result<Vec<UploadedFile>, AppError> {
    Ok(db::bids::files(conn, bid_id)
        .await?
        .into_iter()
        .map(|(question_id, file_id, name, size)| UploadedFile {
            question_id,
            file_id,
            name,
            size: crate::domain::files::display_size(size),
            bytes: size,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "bids/section")]
pub async fn bid_section(id: i64, section_id: i64) -> Result<SectionData, AppError> {
    let l = load(id).await?;
    let c = l.contents().await?;
    let section = c.section(section_id)?;
    let position = c
        .sections
        .iter()
        .position(|s| s.id == section_id)
        .unwrap_or(0);
    let this = c.saved(section_id);
    let answers = this.map(|s| s.answers.clone()).unwrap_or_default();
    let ctx = l.context_for(&c);
    let organisation = if section.kind == SectionKind::Organisation {
        db::organisations::get(&l.state.pool, l.bid.organisation_id).await?
    } else {
        None
    };
    let (plan, flags, summary) = if section.kind == SectionKind::Sustainability {
        match answers::parse_plan(&answers, ctx.funded_years, None, false) {
            Ok(plan) => {
                let flags = crate::domain::bid::flags(&plan, ctx.funded_years)
                    .iter()
                    .map(|f| f.message())
                    .collect();
                let summary = crate::domain::bid::summary(&plan);
                (Some(plan), flags, summary)
            }
            Err(_) => (None, vec![], String::new()),
        }
    } else {
        (None, vec![], String::new())
    };
    let budget_totals = (section.kind == SectionKind::Budget)
        .then(|| {
            answers::parse_budget(
                &answers,
                ctx.funded_years,
                (ctx.min_award, ctx.max_award),
                false,
            )
            .ok()
            .map(|b| b.totals(ctx.funded_years))
        })
        .flatten();
    Ok(SectionData {
        bid: l.header(),
        section_id,
        kind: section.kind,
        title: section.title.clone(),
        number: position + 1,
        of: c.sections.len(),
        version: this.map(|s| s.version).unwrap_or(0),
        completed: this.is_some_and(|s| s.completed),
        last_saved: this.map(|s| {
            let when = crate::domain::time::from_db(&s.updated_at)
                .map(crate::domain::time::display_uk)
                .unwrap_or_default();
            format!("Last saved by {} at {when}", s.updated_by)
        }),
        answers,
        questions: section.questions.clone(),
        files: c.files.clone(),
        organisation,
        funded_years: ctx.funded_years,
        min_award: ctx.min_award,
        max_award: ctx.max_award,
        plan,
        flags,
        summary,
        budget_totals,
    })
}

/// Save a section as typed, then check it. `then` says where to go next: "continue" (to
/// the task list, marking the section complete if the applicant says so), "later" (to the
/// task list), "add_line" or "add_year" (back to this page with room for more), or
/// "upload_<question id>" (to that question's upload page) or "remove_<question id>" (remove
/// that question's file and come back). `return_to` = "check" returns to check answers.
#[server(prefix = "/api", endpoint = "bids/save_section")]
#[allow(clippy::too_many_arguments)]
pub async fn save_section(
    bid_id: i64,
    section_id: i64,
    version: i64,
    #[server(default)] completed: String,
    #[server(default)] then: String,
    #[server(default)] return_to: String,
    #[server(default)] answer: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let mut answers = answers::clean(answer);
    let typed: Vec<(String, String)> = answers
        .iter()
        .map(|(k, v)| (answers::field(k), v.clone()))
        .chain([
            ("completed".to_string(), completed.clone()),
            ("return_to".to_string(), return_to.clone()),
        ])
        .collect();
    let values: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let l = load(bid_id).await?;
    if let Err(e) = l.check_can_change() {
        return Err(auth::reject_form(SECTION_FORM, &values, auth::with_status(e)).await);
    }
    let c = l.contents().await?;
    let section = c.section(section_id)?;
    let ctx = l.context_for(&c);
    if then == "add_year" && section.kind == SectionKind::Sustainability {
        let years = answers::plan_years(&answers, ctx.funded_years);
        answers.insert("years".into(), (years + 1).to_string());
    }
    let completing = then == "continue" && completed == "yes";
    let mut errors =
        answers::check_section(section.kind, &section.questions, &answers, &ctx, completing);
    if then == "continue" && completed.is_empty() {
        errors.push(FieldError::new(
            "completed",
            "Select whether you have completed this section",
        ));
    }
    let done = completing && errors.is_empty();
    let requested = if section.kind == SectionKind::Budget {
        answers::parse_budget(
            &answers,
            ctx.funded_years,
            (ctx.min_award, ctx.max_award),
            false,
        )
        .ok()
        .and_then(|b| b.requested)
    } else {
        l.bid.requested
    };
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::bids::save_section(
        &mut tx, bid_id, section_id, version, &answers, done, l.user.id, &now,
    )
    .await?
    {
        drop(tx);
        let error = AppError::Conflict(
            "Someone else saved this section after you opened it, so your answers have not been saved. Your answers are shown below: check them against the saved ones, then save again to replace them".into(),
        );
        return Err(auth::reject_form(SECTION_FORM, &values, error).await);
    }
    if section.kind == SectionKind::Budget && requested != l.bid.requested {
        db::bids::set_requested(&mut tx, bid_id, requested).await?;
        // The plan's seed grant must add up to the new amount: check it again.
        for plan in c
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Sustainability)
        {
            db::bids::reopen_section(&mut tx, bid_id, plan.id).await?;
        }
    }
    let question_in = |prefix: &str| {
        then.strip_prefix(prefix)
            .and_then(|q| q.parse::<i64>().ok())
            .filter(|q| section.questions.iter().any(|(id, _)| id == q))
    };
    let mut removed = None;
    if let Some(qid) = question_in("remove_") {
        if let Some(name) = db::bids::remove_file(&mut tx, bid_id, qid).await? {
            l.audit(
                &mut tx,
                "bid.file_removed",
                format!("File removed: {name}"),
                None,
            )
            .await?;
            removed = Some(name);
        }
    }
    if done {
        let summary = format!("Section completed: {}", section.title);
        l.audit(&mut tx, "bid.section_completed", summary, None)
            .await?;
    }
    tx.commit().await?;
    if !errors.is_empty() {
        return Err(auth::reject_form(SECTION_FORM, &values, AppError::Invalid(errors)).await);
    }
    let here = format!("/bids/{bid_id}/sections/{section_id}");
    let session = auth::session().await?;
    if let Some(name) = removed {
        auth::set_notice(&session, &format!("File removed: {name}")).await?;
    }
    let target = match then.as_str() {
        "add_line" => format!("{here}#budget-lines"),
        "add_year" => format!("{here}#plan-years"),
        t if t.starts_with("remove_") => here,
        t if t.starts_with("upload_") => match question_in("upload_") {
            Some(qid) => format!("{here}/files/{qid}"),
            None => return Err(auth::with_status(AppError::NotFound)),
        },
        "continue" if return_to == "check" => {
            auth::set_notice(
                &session,
                &format!("Your answers to \"{}\" have been saved", section.title),
            )
            .await?;
            format!("/bids/{bid_id}/check")
        }
        _ => {
            let notice = if done {
                format!("\"{}\" is completed", section.title)
            } else {
                format!("Your answers to \"{}\" have been saved", section.title)
            };
            auth::set_notice(&session, &notice).await?;
            format!("/bids/{bid_id}")
        }
    };
    leptos_axum::redirect(&target);
    Ok(())
}

// ---- Check answers, send, withdraw, reopen ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionAnswersView {
    pub section_id: i64,
    pub title: String,
    pub completed: bool,
    pub rows: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidRecord {
    pub bid: BidHeader,
    pub organisation: Organisation,
    pub sections: Vec<SectionAnswersView>,
    pub plan: Option<Vec<PlanYear>>,
    pub funded_years: usize,
    pub flags: Vec<String>,
    pub summary: String,
    pub can_withdraw: bool,
    pub can_reopen: bool,
}

/// The whole bid: for check answers, reading and printing.
#[server(prefix = "/api", endpoint = "bids/full")]
pub async fn full_bid(id: i64) -> Result<BidRecord, AppError> {
    record_of(&load(id).await?).await
}

/// The whole bid for the download route (outside Leptos): NotFound for strangers.
#[cfg(feature = "ssr")]
pub async fn record_as(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
) -> Result<BidRecord, AppError> {
    record_of(&load_for(state, user, bid_id).await?).await
}

/// The whole bid for an assessor the caller has checked (assigned, no conflict declared).
#[cfg(feature = "ssr")]
pub async fn record_for_assessor(state: &AppState, bid_id: i64) -> Result<BidRecord, AppError> {
    let (_, user) = auth::require_user().await?;
    let l = load_unchecked(state.clone(), user, bid_id, false).await?;
    record_of(&l).await
}

#[cfg(feature = "ssr")]
async fn record_of(l: &Loaded) -> Result<BidRecord, AppError> {
    let c = l.contents().await?;
    let organisation = db::organisations::get(&l.state.pool, l.bid.organisation_id)
        .await?
        .ok_or(AppError::Internal)?;
    let ctx = l.context_for(&c);
    let names: Vec<(i64, String)> = c
        .files
        .iter()
        .map(|f| (f.question_id, f.name.clone()))
        .collect();
    let mut plan = None;
    let views = c
        .sections
        .iter()
        .map(|s| {
            let this = c.saved(s.id);
            let empty = Answers::new();
            let a = this.map(|t| &t.answers).unwrap_or(&empty);
            if s.kind == SectionKind::Sustainability {
                plan = answers::parse_plan(a, ctx.funded_years, None, false).ok();
            }
            SectionAnswersView {
                section_id: s.id,
                title: s.title.clone(),
                completed: this.is_some_and(|t| t.completed),
                rows: answers::answer_rows(s.kind, &s.questions, a, &ctx, &names),
                files: c
                    .files
                    .iter()
                    .filter(|f| s.questions.iter().any(|(q, _)| *q == f.question_id))
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let (flags, summary) = match &plan {
        Some(p) => (
            crate::domain::bid::flags(p, ctx.funded_years)
                .iter()
                .map(|f| f.message())
                .collect(),
            crate::domain::bid::summary(p),
        ),
        None => (vec![], String::new()),
    };
    let header = l.header();
    Ok(BidRecord {
        can_withdraw: l.is_member && l.round_open && l.bid.status == BidStatus::Submitted,
        can_reopen: l.is_member && l.round_open && l.bid.status == BidStatus::Withdrawn,
        bid: header,
        organisation,
        sections: views,
        plan,
        funded_years: ctx.funded_years,
        flags,
        summary,
    })
}

pub const DECLARATIONS: [(&str, &str); 3] = [
    ("true", "The information in this bid is true and complete, to the best of my knowledge"),
    ("authorised", "I am authorised to submit this bid on behalf of the organisation"),
    ("monitoring", "If the bid is funded, the organisation will send monitoring returns and let the Board publish the award as open data"),
];

/// Send the bid: every section complete, every declaration made, before the deadline.
#[server(prefix = "/api", endpoint = "bids/submit")]
pub async fn submit_bid(
    bid_id: i64,
    #[server(default)] declare: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let typed: Vec<(String, String)> = declare
        .keys()
        .map(|k| (format!("declare[{k}]"), format!("declare[{k}]")))
        .collect();
    let values: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let reject = |e: AppError| auth::reject_form("submit_bid", &values, e);
    let l = load(bid_id).await?;
    if let Err(e) = l.check_can_change() {
        return Err(reject(auth::with_status(e)).await);
    }
    let c = l.contents().await?;
    let ctx = l.context_for(&c);
    let mut errors = Vec::new();
    for s in &c.sections {
        let this = c.saved(s.id);
        let ok = this.is_some_and(|a| {
            a.completed
                && answers::check_section(s.kind, &s.questions, &a.answers, &ctx, true).is_empty()
        });
        if !ok {
            errors.push(FieldError::new(
                format!("section-{}", s.id),
                format!(
                    "Complete the section \"{}\" before you send your bid",
                    s.title
                ),
            ));
        }
    }
    for (key, _) in DECLARATIONS {
        if !declare.contains_key(key) {
            errors.push(FieldError::new(
                format!("declare[{key}]"),
                match key {
                    "true" => "Confirm that the information in this bid is true and complete",
                    "authorised" => "Confirm that you are authorised to submit this bid",
                    _ => "Confirm that the organisation will send monitoring returns if funded",
                },
            ));
        }
    }
    if !errors.is_empty() {
        return Err(reject(AppError::Invalid(errors)).await);
    }
    let now = db::now();
    let year =
        chrono::Datelike::year(&chrono::Utc::now().with_timezone(&chrono_tz::Europe::London));
    let mut tx = l.state.pool.begin().await?;
    let Some(reference) = db::bids::submit(
        &mut tx,
        bid_id,
        &crate::domain::bid::reference(year, bid_id),
        l.user.id,
        &now,
    )
    .await?
    else {
        drop(tx);
        return Err(reject(AppError::Conflict("This bid has already been sent".into())).await);
    };
    let summary = format!("Bid {reference} submitted for {}", l.bid.round_title);
    let change = Some((BidStatus::Draft, BidStatus::Submitted));
    l.audit(&mut tx, "bid.submitted", summary, change).await?;
    let members = db::bids::member_emails(&mut tx, l.bid.organisation_id).await?;
    tx.commit().await?;
    let link = format!("{}/bids/{bid_id}/view", l.state.settings.base_url);
    let closes = crate::domain::time::display_uk(l.round.details.closes_at);
    for (email, name) in members {
        crate::api::account::send_mail(
            &l.state,
            crate::mail::bid_submitted(
                &email,
                &name,
                &l.user.full_name,
                &l.bid.organisation_name,
                &l.bid.round_title,
                &reference,
                &closes,
                &link,
            ),
        )
        .await;
    }
    leptos_axum::redirect(&format!("/bids/{bid_id}/confirmation"));
    Ok(())
}

/// Withdraw a sent bid (before the round closes), or reopen a withdrawn one as a draft.
#[server(prefix = "/api", endpoint = "bids/withdraw")]
pub async fn withdraw_bid(bid_id: i64, reopen: bool) -> Result<(), AppError> {
    let l = load(bid_id).await?;
    let (from, to, verb) = if reopen {
        (
            BidStatus::Withdrawn,
            BidStatus::Draft,
            "reopened as a draft",
        )
    } else {
        (BidStatus::Submitted, BidStatus::Withdrawn, "withdrawn")
    };
    if !l.is_member {
        return Err(auth::with_status(AppError::Forbidden));
    }
    if !l.round_open {
        let e = AppError::Conflict(format!(
            "This round closed at {}. Bids can no longer be changed",
            crate::domain::time::display_uk(l.round.details.closes_at)
        ));
        return Err(auth::reject_form("withdraw_bid", &[], e).await);
    }
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::bids::move_status(&mut tx, bid_id, from, to, &now).await? {
        drop(tx);
        let e = AppError::Conflict(format!(
            "This bid cannot be {verb} now: it is {}",
            l.bid.status.label().to_lowercase()
        ));
        return Err(auth::reject_form("withdraw_bid", &[], e).await);
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(l.user.id),
            action: if reopen {
                "bid.reopened"
            } else {
                "bid.withdrawn"
            },
            subject_type: "bid",
            subject_id: bid_id.to_string(),
            summary: format!("Bid {verb}"),
            before: Some(from.label().into()),
            after: Some(to.label().into()),
        },
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::set_notice(&session, &format!("Your bid has been {verb}")).await?;
    leptos_axum::redirect(&if reopen {
        format!("/bids/{bid_id}")
    } else {
        format!("/bids/{bid_id}/view")
    });
    Ok(())
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
}

#[server(prefix = "/api", endpoint = "bids/mine")]
pub async fn my_bids() -> Result<Vec<BidListItem>, AppError> {
    let (state, user) = auth::require_user().await?;
    Ok(db::bids::for_member(&state.pool, user.id)
        .await?
        .into_iter()
        .map(|b| BidListItem {
            id: b.id,
            round_title: b.round_title,
            organisation_name: b.organisation_name,
            status: b.status,
            reference: b.reference,
            requested: b.requested,
            updated: crate::domain::time::from_db(&b.updated_at)
                .map(crate::domain::time::display_uk)
                .unwrap_or_default(),
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

/// For the upload route (outside Leptos): may this user change this bid's answers now?
/// NotFound for strangers, Forbidden for commissioners, Conflict after the deadline.
#[cfg(feature = "ssr")]
pub async fn may_change_as(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
) -> Result<(), AppError> {
    let l = load_for(state, user, bid_id).await?;
    if !l.is_member {
        return Err(AppError::Forbidden);
    }
    l.check_can_change()
}

/// For the download route: may this user read this bid (and its files)?
#[cfg(feature = "ssr")]
pub async fn may_read_as(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
) -> Result<(), AppError> {
    load_for(state, user, bid_id).await.map(|_| ())
}
