//! What a funded scheme's page shows: its tranches, returns and trajectory (the reported
//! figures against the plan, the status and graduation rules, the cost avoided), the last
//! shared with the portfolio.
use crate::domain::money::Pence;
use crate::domain::monitoring::{Figures, Progress, ReturnStatus, SchemeStatus, TrancheStatus};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {crate::db, crate::domain::monitoring as m};

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
    /// The day the money was paid, as recorded.
    pub paid_on: Option<String>,
    /// The payment form's date boxes before anything is typed: today (day, month, year).
    pub paid_on_default: [String; 3],
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
    /// Its period has ended: it can be filled in. Otherwise, the day it can be.
    #[serde(default)]
    pub opens: Option<String>,
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
    /// Turned down or ended early: when and by whom, and why.
    pub ended: Option<String>,
    pub end_reason: String,
    /// What went back to the pooled fund unpaid.
    pub released: Pence,
    /// While payments are suspended.
    pub suspension: Option<Suspended>,
    /// What could still be asked back: paid, less what clawbacks already ask for.
    pub claimable: Pence,
    pub clawbacks: Vec<ClawbackView>,
    /// The award's variations, oldest first.
    #[serde(default)]
    pub variations: Vec<VariationView>,
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

/// One variation to the award, for its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariationView {
    pub id: i64,
    pub status: crate::domain::monitoring::VariationStatus,
    /// Who raised or asked for it, and when.
    pub raised: String,
    pub changes: Vec<String>,
    pub reason: String,
    /// Decided by a commissioner (a variation the organisation asked for).
    pub decided: Option<String>,
    pub note: String,
    pub amount_before: Pence,
    pub amount_after: Pence,
}

/// Money asked back from the scheme, and what has been received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClawbackView {
    pub id: i64,
    pub amount: Pence,
    pub repaid: Pence,
    pub outstanding: Pence,
    pub reason: String,
    pub due: String,
    /// When and by whom it was asked for.
    pub raised: String,
    pub state: crate::domain::monitoring::ClawbackState,
    /// (date received, amount, reference, recorded when and by whom)
    pub repayments: Vec<(String, Pence, String, String)>,
    /// The repayment form's date boxes before anything is typed: today.
    pub received_default: [String; 3],
}

/// A suspension of payments as the scheme page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suspended {
    /// When and by whom.
    pub since: String,
    pub reason: String,
    pub plan: String,
    /// The support plan's review date.
    pub review: String,
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
