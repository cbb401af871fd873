//! Funded schemes after the award: the schedule of monitoring returns, what a return
//! records, grant dependency per period against the plan, the status rule, the graduation
//! rule and the estimate of cost avoided.
use super::bid::PlanYear;
use super::money::Pence;
use super::FieldError;
use crate::coded_enum;
use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod clawback;
mod ending;
mod forms;
mod measure_unit;
mod outcome;
mod payment;
mod variation;
mod variation_apply;
mod variation_schedule;
pub use clawback::*;
pub use ending::*;
pub use forms::*;
pub use measure_unit::*;
pub use outcome::*;
pub use payment::*;
pub use variation::*;
pub use variation_apply::award_version;
pub use variation_schedule::*;
#[cfg(test)]
mod tests;

coded_enum!(
    /// Where a scheme is in its life.
    SchemeStatus {
        Awarded = ("awarded", "Awarded: waiting for acceptance"),
        Active = ("active", "Active"),
        /// Payments held while a support plan runs; resumed or ended later.
        Suspended = ("suspended", "Payments suspended"),
        SelfSustaining = ("self_sustaining", "Self-sustaining"),
        /// Ended early by a commissioner: unpaid tranches released.
        Closed = ("closed", "Closed"),
        /// The organisation turned the award down before accepting it.
        TurnedDown = ("turned_down", "Turned down"),
    }
);

impl SchemeStatus {
    /// Accepted and not closed: the organisation sends returns and evidence (while payments
    /// are suspended too).
    pub fn running(self) -> bool {
        matches!(self, SchemeStatus::Active | SchemeStatus::Suspended)
    }
}

coded_enum!(
    /// The status rule's verdict on an active scheme.
    Progress {
        OnTrack = ("on_track", "On track"),
        Behind = ("behind", "Behind"),
        AtRisk = ("at_risk", "At risk"),
    }
);

coded_enum!(
    TrancheStatus {
        Due = ("due", "Evidence needed"),
        EvidenceSubmitted = ("evidence_submitted", "Evidence sent: waiting for approval"),
        Approved = ("approved", "Evidence approved: payment to be recorded"),
        Returned = ("returned", "Returned: more evidence needed"),
        Paid = ("paid", "Paid"),
        /// Never paid: the scheme ended or graduated first, and the money went back.
        Released = ("released", "Not paid: released to the fund"),
    }
);

coded_enum!(
    ReturnStatus {
        Due = ("due", "Not started"),
        Draft = ("draft", "In progress"),
        Submitted = ("submitted", "Sent: waiting for review"),
        Accepted = ("accepted", "Accepted"),
        ChangesRequested = ("changes_requested", "Changes requested"),
        NotNeeded = ("not_needed", "Not needed: scheme closed"),
    }
);

impl ReturnStatus {
    /// The organisation may still change it.
    pub fn open(self) -> bool {
        matches!(
            self,
            ReturnStatus::Due | ReturnStatus::Draft | ReturnStatus::ChangesRequested
        )
    }

    /// Its figures count (sent to the commissioners).
    pub fn reported(self) -> bool {
        matches!(self, ReturnStatus::Submitted | ReturnStatus::Accepted)
    }
}

coded_enum!(
    MeasureKind {
        Activity = ("activity", "Activity"),
        Outcome = ("outcome", "Outcome"),
    }
);

coded_enum!(
    /// How often a scheme reports.
    Frequency {
        Quarterly = ("3", "Every 3 months (quarterly)"),
        HalfYearly = ("6", "Every 6 months"),
        Monthly = ("1", "Every month"),
    }
);

impl Frequency {
    pub fn months(self) -> u32 {
        match self {
            Frequency::Quarterly => 3,
            Frequency::HalfYearly => 6,
            Frequency::Monthly => 1,
        }
    }
}

/// Months a scheme is monitored beyond its funding period: a year, to see it stand alone.
pub const MONITORED_AFTER_MONTHS: u32 = 12;

/// One reporting period and when its return is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub position: u32,
    pub start: NaiveDate,
    /// The last day of the period.
    pub end: NaiveDate,
    /// A month after the period ends.
    pub due: NaiveDate,
}

/// The first day a period's return can be filled in: the day after the period ends (a
/// period still running, or yet to come, has nothing to report).
pub fn reportable_from(period_end: NaiveDate) -> NaiveDate {
    period_end.succ_opt().unwrap_or(period_end)
}

/// A return can be filled in from the day after its period ends.
pub fn reportable(period_end: NaiveDate, today: NaiveDate) -> bool {
    today >= reportable_from(period_end)
}

/// Returns every `every` months from `start` for the funding period and the year after it.
pub fn return_schedule(start: NaiveDate, period_months: u32, every: u32) -> Vec<Period> {
    let every = every.max(1);
    let total = period_months + MONITORED_AFTER_MONTHS;
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < total {
        let (Some(from), Some(next)) = (
            start.checked_add_months(Months::new(offset)),
            start.checked_add_months(Months::new(offset + every)),
        ) else {
            break;
        };
        let end = next.pred_opt().unwrap_or(next);
        let due = end.checked_add_months(Months::new(1)).unwrap_or(end);
        out.push(Period {
            position: out.len() as u32 + 1,
            start: from,
            end,
            due,
        });
        offset += every;
    }
    out
}

/// The income sources a return records: (key, label).
pub const INCOME_SOURCES: [(&str, &str); 6] = [
    ("seed_grant", "This seed grant"),
    ("charges", "Charges to users"),
    ("other_grants", "Other grants"),
    ("donations", "Donations and fundraising"),
    ("contracts", "Contracts"),
    ("in_kind", "In-kind (volunteer time at its value)"),
];

/// A period's running costs and the income actually received, by source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub costs: Pence,
    pub seed_grant: Pence,
    pub charges: Pence,
    pub other_grants: Pence,
    pub donations: Pence,
    pub contracts: Pence,
    pub in_kind: Pence,
}

impl Figures {
    /// Income by source, in the order of [`INCOME_SOURCES`].
    pub fn income(&self) -> [Pence; 6] {
        [
            self.seed_grant,
            self.charges,
            self.other_grants,
            self.donations,
            self.contracts,
            self.in_kind,
        ]
    }

    pub fn set(&mut self, key: &str, value: Pence) {
        match key {
            "costs" => self.costs = value,
            "seed_grant" => self.seed_grant = value,
            "charges" => self.charges = value,
            "other_grants" => self.other_grants = value,
            "donations" => self.donations = value,
            "contracts" => self.contracts = value,
            _ => self.in_kind = value,
        }
    }

    pub fn total_income(&self) -> Pence {
        Pence(
            self.income()
                .iter()
                .map(|p| p.0)
                .fold(0, i64::saturating_add),
        )
    }

    /// Seed grant ÷ total income, between 0 and 1 (0 when there is no income).
    pub fn dependency(&self) -> Decimal {
        dependency(self.seed_grant, self.total_income())
    }

    /// Income received as money: everything but volunteer time valued in kind.
    pub fn cash_income(&self) -> Pence {
        Pence(self.total_income().0.saturating_sub(self.in_kind.0))
    }

    /// Whether the money coming in pays the running costs. Volunteer time valued in kind is
    /// shown with the income but pays no bills, so it does not count here (nor, so, for
    /// graduation).
    pub fn covers_costs(&self) -> bool {
        self.cash_income() >= self.costs
    }

    /// The same period of a plan year (a year's figures shared over its periods do not
    /// change the dependency, so the year's totals serve).
    pub fn from_plan(y: &PlanYear) -> Self {
        Figures {
            costs: y.costs,
            seed_grant: y.seed_grant,
            charges: y.charges(),
            other_grants: y.other_grants,
            donations: y.donations,
            contracts: y.contracts,
            in_kind: y.in_kind(),
        }
    }
}

pub fn dependency(grant: Pence, income: Pence) -> Decimal {
    if income.0 <= 0 || grant.0 <= 0 {
        Decimal::ZERO
    } else {
        Decimal::from(grant.0) / Decimal::from(income.0)
    }
}

/// A share (0 to 1) as a whole percentage, rounded half up.
pub fn percent(share: Decimal) -> u32 {
    let p = (share * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    u32::try_from(p.mantissa() / 10i128.pow(p.scale())).unwrap_or(0)
}

/// The plan's dependency for a period starting `period_start` of a scheme that started on
/// `scheme_start`: the plan year the period falls in (the last year beyond the plan).
pub fn planned_dependency(
    plan: &[PlanYear],
    scheme_start: NaiveDate,
    period_start: NaiveDate,
) -> Option<Decimal> {
    let months = months_between(scheme_start, period_start);
    let year = (months / 12) as usize;
    plan.get(year)
        .or_else(|| plan.last())
        .map(|y| Figures::from_plan(y).dependency())
}

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    use chrono::Datelike;
    let months = (to.year() - from.year()) * 12 + to.month() as i32
        - from.month() as i32
        - i32::from(to.day() < from.day());
    u32::try_from(months).unwrap_or(0)
}

/// Overdue by 30 days or more puts a scheme at risk.
pub const AT_RISK_OVERDUE_DAYS: i64 = 30;
/// Percentage points above plan that are "behind" rather than "at risk".
pub const BEHIND_POINTS: i64 = 10;

/// The status rule, with its reason: on track at or below planned dependency, behind up to
/// 10 percentage points above it, at risk more than 10 points above or with a return
/// overdue by 30 days. `latest` is the latest reported period's (actual, planned).
pub fn progress(
    latest: Option<(Decimal, Option<Decimal>)>,
    most_overdue_days: Option<i64>,
) -> (Progress, String) {
    if let Some(days) = most_overdue_days.filter(|d| *d >= AT_RISK_OVERDUE_DAYS) {
        return (
            Progress::AtRisk,
            format!("A monitoring return is {days} days overdue"),
        );
    }
    let Some((actual, planned)) = latest else {
        return (Progress::OnTrack, "No monitoring returns sent yet".into());
    };
    let a = percent(actual);
    let Some(planned) = planned else {
        return (
            Progress::OnTrack,
            format!("Grant dependency {a}%; the bid has no plan to compare with"),
        );
    };
    let p = percent(planned);
    // Compare the exact shares, so 10.4 points above plan is "behind" and 10.6 "at risk".
    let points = (actual - planned) * Decimal::ONE_HUNDRED;
    if points <= Decimal::ZERO {
        (
            Progress::OnTrack,
            format!("Grant dependency {a}%, at or below the {p}% planned"),
        )
    } else if points <= Decimal::from(BEHIND_POINTS) {
        (
            Progress::Behind,
            format!(
                "Grant dependency {a}%, above the {p}% planned by up to {BEHIND_POINTS} points"
            ),
        )
    } else {
        (
            Progress::AtRisk,
            format!(
                "Grant dependency {a}%, more than {BEHIND_POINTS} points above the {p}% planned"
            ),
        )
    }
}

/// Reported periods in order: (position, figures). A scheme is proposed for graduation
/// when its two latest reported periods are consecutive, each with no seed grant income
/// and cash income (volunteer time not counted) covering costs.
pub fn graduation_due(reported: &[(u32, Figures)]) -> bool {
    let n = reported.len();
    if n < 2 {
        return false;
    }
    let (a, b) = (&reported[n - 2], &reported[n - 1]);
    b.0 == a.0 + 1
        && [a.1, b.1]
            .iter()
            .all(|f| f.seed_grant.0 == 0 && f.covers_costs())
}

/// Estimated cost avoided: `count` outcomes × the unit cost × the attribution (a
/// percentage of the outcome credited to the scheme), to the nearest penny.
pub fn cost_avoided(count: i64, unit_cost: Pence, attribution_percent: Decimal) -> Pence {
    let value = Decimal::from(count)
        .checked_mul(Decimal::from(unit_cost.0))
        .and_then(|v| v.checked_mul(attribution_percent))
        .map(|v| v / Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::from(super::money::MAX_PENCE));
    let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    // Capped at the largest amount a form accepts, so that sums over schemes stay in range.
    Pence(
        i64::try_from(rounded)
            .unwrap_or(super::money::MAX_PENCE)
            .min(super::money::MAX_PENCE),
    )
}

/// Attribution stored as basis points (hundredths of a percent).
pub fn attribution_from_bp(bp: i64) -> Decimal {
    Decimal::new(bp, 2)
}

pub fn parse_attribution(field: &str, input: &str) -> Result<i64, FieldError> {
    let cleaned = input.trim().trim_end_matches('%').trim();
    if cleaned.is_empty() {
        return Err(FieldError::new(
            field,
            "Enter the share of the outcome credited to the scheme, as a percentage, like 25",
        ));
    }
    let value: Decimal = cleaned.parse().map_err(|_| {
        FieldError::new(
            field,
            "The share credited to the scheme must be a percentage, like 25 or 12.5",
        )
    })?;
    if value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(FieldError::new(
            field,
            "The share credited to the scheme must be more than 0% and no more than 100%",
        ));
    }
    let bp = (value * Decimal::ONE_HUNDRED).normalize();
    if bp.fract() != Decimal::ZERO {
        return Err(FieldError::new(
            field,
            "The share credited to the scheme can have at most 2 decimal places",
        ));
    }
    i64::try_from(bp).map_err(|_| FieldError::new(field, "Enter a percentage, like 25"))
}

coded_enum!(
    /// The reminders a return's members are sent.
    Reminder {
        Fortnight = ("due_in_14_days", "due in 14 days"),
        Tomorrow = ("due_tomorrow", "due tomorrow"),
        Overdue = ("overdue", "overdue"),
    }
);

/// Which reminder a return due on `due` needs today, if any. Each kind is sent once (the
/// caller records it); the windows let a reminder missed while no server ran go out late,
/// but never one that has been overtaken (no "14 days" notice the day before).
pub fn reminder_due(due: NaiveDate, today: NaiveDate) -> Option<Reminder> {
    let days = (due - today).num_days();
    match days {
        2..=14 => Some(Reminder::Fortnight),
        0..=1 => Some(Reminder::Tomorrow),
        -7..=-1 => Some(Reminder::Overdue),
        _ => None,
    }
}

/// A sentence for a chart of actual dependency by period.
pub fn trajectory_summary(actual: &[(String, u32)]) -> String {
    match (actual.first(), actual.last()) {
        (Some(first), Some(last)) if actual.len() > 1 => {
            let verb = match first.1.cmp(&last.1) {
                std::cmp::Ordering::Greater => "fell",
                std::cmp::Ordering::Less => "rose",
                std::cmp::Ordering::Equal => "stayed",
            };
            if verb == "stayed" {
                format!(
                    "Actual grant dependency stayed at {}% from {} to {}",
                    first.1, first.0, last.0
                )
            } else {
                format!(
                    "Actual grant dependency {verb} from {}% in {} to {}% in {}",
                    first.1, first.0, last.1, last.0
                )
            }
        }
        (Some(only), _) => format!("Actual grant dependency was {}% in {}", only.1, only.0),
        _ => "No monitoring returns sent yet".into(),
    }
}
