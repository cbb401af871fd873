//! Funded schemes: the scheme page (agreement, tranches, returns, trajectory, cost avoided),
//! accepting an award, tranche evidence and payment, graduation. Organisation members and
//! commissioners see a scheme; for anyone else it does not exist.
use crate::domain::money::Pence;
use crate::domain::monitoring::{Figures, Progress, ReturnStatus, SchemeStatus, TrancheStatus};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::auth, crate::db, crate::domain::date::display_date, crate::domain::monitoring as m,
    crate::domain::roles::Role, crate::domain::time::UtcTime, crate::error::FieldError,
    crate::state::AppState,
};

/// The evidence form and the commissioner's review share a page: one kept form.
pub const TRANCHE_FORM: &str = "tranche";
pub const SCHEME_FORM: &str = "scheme";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrancheView {
    pub id: i64,
    pub position: i64,
    pub amount: Pence,
    pub due: String,
    pub milestone: String,
    pub status: TrancheStatus,
    pub evidence: String,
    pub evidence_by: String,
    pub evidence_at: String,
    pub review_note: String,
    /// When and by whom the evidence was approved (or returned).
    pub reviewed: String,
    /// The signed-in user approved it: someone else must record the payment.
    pub i_approved: bool,
    /// When and by whom the payment was recorded, and its reference.
    pub paid: String,
    pub payment_reference: String,
    /// (file id, name, size in bytes)
    pub files: Vec<(i64, String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnLine {
    pub id: i64,
    pub position: u32,
    pub period: String,
    pub due: String,
    pub status: ReturnStatus,
    pub overdue_days: Option<i64>,
    pub is_final: bool,
}

/// One period of the trajectory: planned and actual dependency, income and costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodPoint {
    pub position: u32,
    /// Short, for the chart: "Apr 2025".
    pub label: String,
    pub planned: Option<u32>,
    pub actual: Option<u32>,
    pub figures: Option<Figures>,
    pub cost_avoided: Pence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeView {
    pub id: i64,
    pub bid_id: i64,
    pub reference: String,
    pub round_id: i64,
    pub round_title: String,
    pub organisation_name: String,
    pub amount: Pence,
    pub paid: Pence,
    pub conditions: String,
    pub status: SchemeStatus,
    pub awarded: String,
    pub accepted: Option<String>,
    pub graduated: Option<String>,
    pub return_every: u32,
    pub is_member: bool,
    pub is_commissioner: bool,
    pub progress: Option<(Progress, String)>,
    pub graduation_proposed: bool,
    pub tranches: Vec<TrancheView>,
    pub returns: Vec<ReturnLine>,
    pub points: Vec<PeriodPoint>,
    pub chart_summary: String,
    pub cost_avoided: Pence,
    /// What the estimate assumes: one line per valued measure.
    pub assumptions: Vec<String>,
    /// The round's gaps: (id, title, status label) for marking filled at graduation.
    pub gaps: Vec<(i64, String, String)>,
}

#[cfg(feature = "ssr")]
pub struct LoadedScheme {
    pub state: AppState,
    pub user: auth::CurrentUser,
    pub scheme: db::schemes::SchemeRow,
    pub is_member: bool,
}

/// A scheme for the signed-in user: members of its organisation and commissioners.
#[cfg(feature = "ssr")]
pub(crate) async fn load_scheme(id: i64) -> Result<LoadedScheme, AppError> {
    let (state, user) = auth::require_user().await?;
    load_scheme_for(state, user, id)
        .await
        .map_err(auth::with_status)
}

#[cfg(feature = "ssr")]
pub async fn load_scheme_for(
    state: AppState,
    user: auth::CurrentUser,
    id: i64,
) -> Result<LoadedScheme, AppError> {
    let crate::service::schemes::SchemeAccess { scheme, is_member } =
        crate::service::schemes::access(state.ctx(), &user.actor(), id).await?;
    Ok(LoadedScheme {
        state,
        user,
        scheme,
        is_member,
    })
}

#[cfg(feature = "ssr")]
impl LoadedScheme {
    pub(crate) fn member_only(&self) -> Result<(), AppError> {
        if self.is_member {
            Ok(())
        } else {
            Err(auth::with_status(AppError::Forbidden))
        }
    }

    pub async fn audit(
        &self,
        conn: &mut sqlx::AnyConnection,
        action: &str,
        summary: String,
    ) -> Result<(), AppError> {
        db::audit::record(
            conn,
            db::audit::Entry {
                actor: Some(self.user.id),
                action,
                subject_type: "scheme",
                subject_id: self.scheme.id.to_string(),
                summary,
                before: None,
                after: None,
            },
        )
        .await?;
        Ok(())
    }

    /// One of this scheme's monitoring returns; any other id does not exist here.
    pub(crate) async fn monitoring_return(
        &self,
        id: i64,
    ) -> Result<db::returns::ReturnRow, AppError> {
        let mut conn = self.state.pool.acquire().await?;
        db::returns::returns(&mut conn, self.scheme.id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| auth::with_status(AppError::NotFound))
    }
}

#[cfg(feature = "ssr")]
fn when(at: &Option<UtcTime>) -> Option<String> {
    at.map(UtcTime::display_uk)
}

#[cfg(feature = "ssr")]
pub(crate) fn period_text(start: chrono::NaiveDate, end: chrono::NaiveDate) -> String {
    format!("{} to {}", display_date(start), display_date(end))
}

/// What the portfolio and the scheme page both derive from a scheme's returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub points: Vec<PeriodPoint>,
    pub progress: Option<(Progress, String)>,
    pub graduation_proposed: bool,
    pub cost_avoided: Pence,
    pub most_overdue: Option<i64>,
}

/// Reported figures per period against the plan, the status rule and the graduation rule.
/// `periods`: every scheduled (position, start); `reported`: (position, figures);
/// `valued`: (position, value, unit cost, attribution bp); `open_due`: due dates of returns
/// not yet sent.
#[cfg(feature = "ssr")]
pub(crate) fn trajectory(
    scheme: &db::schemes::SchemeRow,
    periods: &[(u32, chrono::NaiveDate)],
    reported: &[(u32, Figures)],
    valued: &[db::returns::ValuedOutcome],
    open_due: &[chrono::NaiveDate],
    today: chrono::NaiveDate,
) -> Trajectory {
    let points: Vec<PeriodPoint> = periods
        .iter()
        .map(|(position, start)| {
            let figures = reported.iter().find(|r| r.0 == *position).map(|r| r.1);
            let cost_avoided = Pence(
                valued
                    .iter()
                    .filter(|v| v.position == *position)
                    .map(|v| v.cost_avoided().0)
                    .sum(),
            );
            PeriodPoint {
                position: *position,
                label: start.format("%b %Y").to_string(),
                planned: m::planned_dependency(&scheme.plan, scheme.starts_on, *start)
                    .map(m::percent),
                actual: figures.map(|f| m::percent(f.dependency())),
                figures,
                cost_avoided,
            }
        })
        .collect();
    let most_overdue = open_due
        .iter()
        .filter(|d| **d < today)
        .map(|d| (today - *d).num_days())
        .max();
    let latest = reported.last().map(|(position, f)| {
        let start = periods
            .iter()
            .find(|p| p.0 == *position)
            .map(|p| p.1)
            .unwrap_or(scheme.starts_on);
        (
            f.dependency(),
            m::planned_dependency(&scheme.plan, scheme.starts_on, start),
        )
    });
    let progress =
        (scheme.status == SchemeStatus::Active).then(|| m::progress(latest, most_overdue));
    Trajectory {
        cost_avoided: Pence(points.iter().map(|p| p.cost_avoided.0).sum()),
        graduation_proposed: scheme.status == SchemeStatus::Active && m::graduation_due(reported),
        points,
        progress,
        most_overdue,
    }
}

#[server(prefix = "/api", endpoint = "schemes/view")]
pub async fn scheme(id: i64) -> Result<SchemeView, AppError> {
    let l = load_scheme(id).await?;
    let s = &l.scheme;
    let mut conn = l.state.pool.acquire().await?;
    let tranches = db::schemes::tranches(&mut conn, id).await?;
    let files = db::schemes::tranche_files(&mut conn, id).await?;
    let returns = db::returns::returns(&mut conn, id).await?;
    let measures = db::measures::measures(&mut conn, s.round_id).await?;
    let gap_ids = db::rounds::gap_ids(&mut conn, s.round_id).await?;
    let mut gaps = Vec::new();
    for gid in gap_ids {
        if let Some(g) = db::registers::gap(&mut conn, gid).await? {
            gaps.push((gid, g.title.clone(), g.status.label().to_string()));
        }
    }
    drop(conn);
    let valued = db::returns::valued_outcomes(&l.state.pool, Some(&[id])).await?;
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let periods: Vec<(u32, chrono::NaiveDate)> = returns
        .iter()
        .map(|r| (r.position, r.period_start))
        .collect();
    let reported: Vec<(u32, Figures)> = returns
        .iter()
        .filter(|r| r.status.reported())
        .map(|r| (r.position, r.figures))
        .collect();
    let open_due: Vec<chrono::NaiveDate> = returns
        .iter()
        .filter(|r| r.status.open())
        .map(|r| r.due_on)
        .collect();
    let t = trajectory(s, &periods, &reported, &valued, &open_due, today);
    let actual: Vec<(String, u32)> = t
        .points
        .iter()
        .filter_map(|p| p.actual.map(|a| (p.label.clone(), a)))
        .collect();
    let assumptions = measures
        .iter()
        .filter_map(|mr| {
            mr.valued_by.as_ref().map(|v| {
                format!(
                    "{}: each counted as {} ({} {}), {}% credited to this scheme",
                    mr.name,
                    v.name.to_lowercase(),
                    v.cost.display(),
                    v.unit,
                    m::attribution_from_bp(v.attribution_bp).normalize()
                )
            })
        })
        .collect();
    Ok(SchemeView {
        id,
        bid_id: s.bid_id,
        reference: s.reference.clone().unwrap_or_default(),
        round_id: s.round_id,
        round_title: s.round_title.clone(),
        organisation_name: s.organisation_name.clone(),
        amount: s.amount,
        paid: s.paid,
        conditions: s.conditions.clone(),
        status: s.status,
        awarded: s.awarded_at.display_uk(),
        accepted: when(&s.accepted_at).map(|at| {
            format!(
                "{at} by {}",
                s.accepted_by.clone().unwrap_or_else(|| "a member".into())
            )
        }),
        graduated: when(&s.graduated_at),
        return_every: s.return_every,
        is_member: l.is_member,
        is_commissioner: l.user.has(Role::Commissioner),
        progress: t.progress.clone(),
        graduation_proposed: t.graduation_proposed,
        tranches: tranches
            .into_iter()
            .map(|t| TrancheView {
                id: t.id,
                position: t.position,
                amount: t.amount,
                due: display_date(t.due_on),
                milestone: t.milestone,
                status: t.status,
                evidence: t.evidence,
                evidence_by: t.evidence_by.unwrap_or_default(),
                evidence_at: when(&t.evidence_at).unwrap_or_default(),
                review_note: t.review_note,
                reviewed: match (when(&t.reviewed_at), t.reviewed_by) {
                    (Some(at), Some(by)) => format!("{at} by {by}"),
                    _ => String::new(),
                },
                i_approved: t.reviewer_id == Some(l.user.id),
                paid: match (when(&t.paid_at), t.paid_by) {
                    (Some(at), Some(by)) => format!("{at} by {by}"),
                    _ => String::new(),
                },
                payment_reference: t.payment_reference,
                files: files
                    .iter()
                    .filter(|f| f.tranche_id == t.id)
                    .map(|f| (f.file_id, f.name.clone(), f.size_bytes))
                    .collect(),
            })
            .collect(),
        returns: returns
            .iter()
            .map(|r| ReturnLine {
                id: r.id,
                position: r.position,
                period: period_text(r.period_start, r.period_end),
                due: display_date(r.due_on),
                status: r.status,
                overdue_days: (r.status.open() && r.due_on < today)
                    .then(|| (today - r.due_on).num_days()),
                is_final: r.is_final,
            })
            .collect(),
        chart_summary: m::trajectory_summary(&actual),
        points: t.points,
        cost_avoided: t.cost_avoided,
        assumptions,
        gaps,
    })
}

/// The organisation accepts the award and its conditions: a named member, once, audited.
#[server(prefix = "/api", endpoint = "schemes/accept")]
pub async fn accept_award(
    scheme_id: i64,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    let l = load_scheme(scheme_id).await?;
    l.member_only()?;
    if confirm.is_empty() {
        return Err(auth::reject_form(
            SCHEME_FORM,
            &[],
            AppError::Invalid(vec![FieldError::new(
                "confirm",
                "Confirm that your organisation accepts the award and its conditions",
            )]),
        )
        .await);
    }
    let now = db::now();
    let mut tx = l.state.pool.begin().await?;
    if !db::schemes::accept(&mut tx, scheme_id, l.user.id, now).await? {
        drop(tx);
        return Err(auth::reject_form(
            SCHEME_FORM,
            &[],
            AppError::Conflict("This award has already been accepted".into()),
        )
        .await);
    }
    l.audit(
        &mut tx,
        "scheme.accepted",
        format!(
            "{} accepted the award of {} for {}",
            l.user.full_name,
            l.scheme.amount.display(),
            l.scheme.organisation_name
        ),
    )
    .await?;
    tx.commit().await?;
    let session = auth::session().await?;
    auth::notice_and_redirect(
        &session,
        "You have accepted the award. You can now send evidence for the first tranche",
        &format!("/schemes/{scheme_id}"),
    )
    .await?;
    Ok(())
}

/// A commissioner confirms a proposed graduation: the scheme is self-sustaining (audited,
/// dated), its latest accepted return is the final one, and ticked gaps are marked filled.
#[server(prefix = "/api", endpoint = "schemes/graduate")]
pub async fn confirm_graduation(
    scheme_id: i64,
    #[server(default)] confirm: String,
    #[server(default)] gap: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::service::schemes::{graduate, AccessError, GraduationError};
    let (state, user) = auth::require_user().await?;
    let filled: Vec<i64> = gap.keys().filter_map(|g| g.parse().ok()).collect();
    let confirmed = !confirm.is_empty();
    match graduate(state.ctx(), &user.actor(), scheme_id, confirmed, &filled).await {
        Ok(done) => {
            let name = state.deliver(done).await;
            let message = format!("{name} is confirmed as self-sustaining");
            let to = format!("/schemes/{scheme_id}");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(GraduationError::Access(e)) if e.is_status() => Err(auth::with_status(e.into())),
        Err(GraduationError::Access(AccessError::Database(e))) => Err(e.into()),
        Err(e) => Err(auth::reject_form(SCHEME_FORM, &[], e.into()).await),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeListItem {
    pub id: i64,
    pub organisation_name: String,
    pub round_title: String,
    pub amount: Pence,
    pub status: SchemeStatus,
}

/// The funded schemes of the signed-in user's organisations.
#[server(prefix = "/api", endpoint = "schemes/mine")]
pub async fn my_schemes() -> Result<Vec<SchemeListItem>, AppError> {
    let (state, user) = auth::require_user().await?;
    Ok(db::schemes::for_member(&state.pool, user.id)
        .await?
        .into_iter()
        .map(|s| SchemeListItem {
            id: s.id,
            organisation_name: s.organisation_name,
            round_title: s.round_title,
            amount: s.amount,
            status: s.status,
        })
        .collect())
}
