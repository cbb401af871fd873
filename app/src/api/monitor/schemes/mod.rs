//! Funded schemes: the scheme page (agreement, tranches, returns, trajectory, cost avoided),
//! accepting an award, tranche evidence and payment, graduation. Organisation members and
//! commissioners see a scheme; for anyone else it does not exist.
use crate::domain::money::Pence;
use crate::domain::monitoring::SchemeStatus;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::auth, crate::db, crate::domain::date::display_date, crate::domain::monitoring as m,
    crate::domain::monitoring::Figures, crate::domain::roles::Role, crate::domain::time::UtcTime,
    crate::state::AppState,
};

/// The evidence form and the commissioner's review share a page: one kept form.
pub const TRANCHE_FORM: &str = "tranche";
pub const SCHEME_FORM: &str = "scheme";

mod clawback;
mod ending;
mod variation;
mod views;
pub use clawback::*;
pub use ending::*;
pub use variation::*;
pub use views::*;

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

#[server(prefix = "/api", endpoint = "schemes/view")]
pub async fn scheme(id: i64) -> Result<SchemeView, AppError> {
    view_of(load_scheme(id).await?).await
}

/// The scheme for a page that only its organisation's members may open (turning the award
/// down): anyone else is refused, as the change itself would be.
#[server(prefix = "/api", endpoint = "schemes/member_view")]
pub async fn member_view(id: i64) -> Result<SchemeView, AppError> {
    view_for(id, true).await
}

/// The scheme for a page that only commissioners may open (suspending or ending it).
#[server(prefix = "/api", endpoint = "schemes/commissioner_view")]
pub async fn commissioner_view(id: i64) -> Result<SchemeView, AppError> {
    view_for(id, false).await
}

#[cfg(feature = "ssr")]
async fn view_for(id: i64, member: bool) -> Result<SchemeView, AppError> {
    let l = load_scheme(id).await?;
    if l.is_member != member {
        return Err(auth::with_status(AppError::Forbidden));
    }
    view_of(l).await
}

#[cfg(feature = "ssr")]
async fn view_of(l: LoadedScheme) -> Result<SchemeView, AppError> {
    let id = l.scheme.id;
    let s = &l.scheme;
    let mut conn = l.state.pool.acquire().await?;
    let tranches = db::tranches::tranches(&mut conn, id).await?;
    let files = db::tranches::tranche_files(&mut conn, id).await?;
    let returns = db::returns::returns(&mut conn, id).await?;
    let measures = db::measures::measures(&mut conn, s.round_id).await?;
    let gaps = gaps_of(&mut conn, s.round_id).await?;
    let clawbacks = db::clawbacks::clawbacks(&mut conn, id).await?;
    let repayments = db::clawbacks::repayments(&mut conn, id).await?;
    let variations = db::variations::variations(&mut conn, id).await?;
    drop(conn);
    let valued = db::returns::valued_outcomes(&l.state.pool, Some(&[id])).await?;
    let today = crate::domain::date::uk_date(chrono::Utc::now());
    let t = trajectory_of(s, &returns, &valued, today);
    let actual: Vec<(String, u32)> = t
        .points
        .iter()
        .filter_map(|p| p.actual.map(|a| (p.label.clone(), a)))
        .collect();
    let assumptions = assumptions_of(&measures);
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
        ended: match (when(&s.ended_at), &s.ended_by) {
            (Some(at), Some(by)) => Some(format!("{at} by {by}")),
            (at, _) => at,
        },
        end_reason: s.end_reason.clone(),
        released: s.released,
        suspension: s.suspended_at.map(|at| Suspended {
            since: format!(
                "{} by {}",
                at.display_uk(),
                s.suspended_by.clone().unwrap_or_default()
            ),
            reason: s.suspension_reason.clone(),
            plan: s.support_plan.clone(),
            review: s
                .support_review_on
                .map(|d| display_date(d.0))
                .unwrap_or_default(),
        }),
        claimable: Pence(s.paid.0 - s.clawed_back.0),
        clawbacks: clawbacks
            .into_iter()
            .map(|c| clawback_view(c, &repayments, today))
            .collect(),
        variations: variations.into_iter().map(variation_view).collect(),
        return_every: s.return_every,
        is_member: l.is_member,
        is_commissioner: l.user.has(Role::Commissioner),
        progress: t.progress.clone(),
        graduation_proposed: t.graduation_proposed,
        tranches: tranches
            .into_iter()
            .map(|t| tranche_view(t, &files, l.user.id, today))
            .collect(),
        returns: returns.iter().map(|r| return_line(r, today)).collect(),
        chart_summary: m::trajectory_summary(&actual),
        points: t.points,
        cost_avoided: t.cost_avoided,
        assumptions,
        gaps,
    })
}

/// The gaps a scheme's round addresses: (id, title, status).
#[cfg(feature = "ssr")]
async fn gaps_of(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let mut gaps = Vec::new();
    for id in db::rounds::gap_ids(&mut *conn, round_id).await? {
        if let Some(g) = db::registers::gap(&mut *conn, id).await? {
            gaps.push((id, g.title.clone(), g.status.label().to_string()));
        }
    }
    Ok(gaps)
}

/// A scheme's trajectory from its returns (see [`trajectory`]).
#[cfg(feature = "ssr")]
fn trajectory_of(
    s: &db::schemes::SchemeRow,
    returns: &[db::returns::ReturnRow],
    valued: &[db::returns::ValuedOutcome],
    today: chrono::NaiveDate,
) -> Trajectory {
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
    trajectory(s, &periods, &reported, valued, &open_due, today)
}

#[cfg(feature = "ssr")]
fn tranche_view(
    t: db::tranches::TrancheRow,
    files: &[db::tranches::TrancheFile],
    me: i64,
    today: chrono::NaiveDate,
) -> TrancheView {
    use chrono::Datelike;
    TrancheView {
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
        i_approved: t.reviewer_id == Some(me),
        paid: match (when(&t.paid_at), t.paid_by) {
            (Some(at), Some(by)) => format!("{at} by {by}"),
            _ => String::new(),
        },
        payment_reference: t.payment_reference,
        paid_on: t.paid_on.map(|d| display_date(d.0)),
        paid_on_default: [
            today.day().to_string(),
            today.month().to_string(),
            today.year().to_string(),
        ],
        files: files
            .iter()
            .filter(|f| f.tranche_id == t.id)
            .map(|f| (f.file_id, f.name.clone(), f.size_bytes))
            .collect(),
    }
}

#[cfg(feature = "ssr")]
fn clawback_view(
    c: db::clawbacks::ClawbackRow,
    repayments: &[db::clawbacks::RepaymentRow],
    today: chrono::NaiveDate,
) -> ClawbackView {
    use chrono::Datelike;
    ClawbackView {
        id: c.id,
        amount: c.amount,
        repaid: c.repaid,
        outstanding: Pence(c.amount.0 - c.repaid.0),
        state: m::ClawbackState::of(c.amount, c.repaid, c.due_on.0, today),
        reason: c.reason,
        due: display_date(c.due_on.0),
        raised: format!(
            "{} by {}",
            c.raised_at.display_uk(),
            c.raised_by.unwrap_or_default()
        ),
        repayments: repayments
            .iter()
            .filter(|r| r.clawback_id == c.id)
            .map(|r| {
                let recorded = format!(
                    "{} by {}",
                    r.recorded_at.display_uk(),
                    r.recorded_by.clone().unwrap_or_default()
                );
                (
                    display_date(r.received_on.0),
                    r.amount,
                    r.reference.clone(),
                    recorded,
                )
            })
            .collect(),
        received_default: [
            today.day().to_string(),
            today.month().to_string(),
            today.year().to_string(),
        ],
    }
}

#[cfg(feature = "ssr")]
fn return_line(r: &db::returns::ReturnRow, today: chrono::NaiveDate) -> ReturnLine {
    ReturnLine {
        id: r.id,
        position: r.position,
        period: period_text(r.period_start, r.period_end),
        due: display_date(r.due_on),
        status: r.status,
        overdue_days: (r.status.open() && r.due_on < today).then(|| (today - r.due_on).num_days()),
        is_final: r.is_final,
        opens: (!crate::domain::monitoring::reportable(r.period_end, today))
            .then(|| display_date(crate::domain::monitoring::reportable_from(r.period_end))),
    }
}

/// How each valued measure is counted, for the cost-avoided figure's assumptions.
#[cfg(feature = "ssr")]
fn assumptions_of(measures: &[db::measures::MeasureRow]) -> Vec<String> {
    measures
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
        .collect()
}

/// The organisation accepts the award and its conditions: a named member, once, audited.
#[server(prefix = "/api", endpoint = "schemes/accept")]
pub async fn accept_award(
    scheme_id: i64,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use crate::service::schemes::{accept, AcceptError, AccessError};
    let (state, user) = auth::require_user().await?;
    match accept(state.ctx(), &user.actor(), scheme_id, !confirm.is_empty()).await {
        Ok(()) => {
            let notice =
                "You have accepted the award. You can now send evidence for the first tranche";
            let session = auth::session().await?;
            auth::notice_and_redirect(&session, notice, &format!("/schemes/{scheme_id}")).await?;
            Ok(())
        }
        Err(AcceptError::Access(e)) if e.is_status() => Err(auth::with_status(e.into())),
        Err(AcceptError::Access(AccessError::Database(e))) => Err(e.into()),
        Err(e) => Err(auth::reject_form(SCHEME_FORM, &[], e.into()).await),
    }
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
