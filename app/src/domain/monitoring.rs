//! Funded schemes after the award: the schedule of monitoring returns, what a return
//! records, grant dependency per period against the plan, the status rule, the graduation
//! rule and the estimate of cost avoided.
use super::bid::PlanYear;
use super::money::Pence;
use super::text::{optional_text, required_text};
use super::FieldError;
use crate::coded_enum;
use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

coded_enum!(
    /// Where a scheme is in its life.
    SchemeStatus {
        Awarded = ("awarded", "Awarded: waiting for acceptance"),
        Active = ("active", "Active"),
        SelfSustaining = ("self_sustaining", "Self-sustaining"),
        Closed = ("closed", "Closed"),
    }
);

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
        Returned = ("returned", "Returned: more evidence needed"),
        Paid = ("paid", "Paid"),
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
        Pence(self.income().iter().map(|p| p.0).sum())
    }

    /// Seed grant ÷ total income, between 0 and 1 (0 when there is no income).
    pub fn dependency(&self) -> Decimal {
        dependency(self.seed_grant, self.total_income())
    }

    pub fn covers_costs(&self) -> bool {
        self.total_income() >= self.costs
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
/// and income covering costs.
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
    let value = Decimal::from(count) * Decimal::from(unit_cost.0) * attribution_percent
        / Decimal::ONE_HUNDRED;
    let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    Pence(i64::try_from(rounded).unwrap_or(0))
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

/// A monitoring return as typed: money by key, measure values by measure id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReturnForm {
    pub money: BTreeMap<String, String>,
    pub measures: BTreeMap<String, String>,
    pub narrative: String,
    pub risks: String,
}

/// A parsed return.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReturnContent {
    pub figures: Figures,
    /// (measure id, value)
    pub measures: Vec<(i64, i64)>,
    pub narrative: String,
    pub risks: String,
}

pub const NARRATIVE_CHARS: usize = 5_000;

pub fn money_field(key: &str) -> String {
    format!("money[{key}]")
}

pub fn measure_field(id: i64) -> String {
    format!("measure[{id}]")
}

/// What a money row is called in messages.
pub fn money_label(key: &str) -> String {
    if key == "costs" {
        return "running costs".into();
    }
    INCOME_SOURCES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| format!("income from {}", l.to_lowercase()))
        .unwrap_or_else(|| key.to_string())
}

impl ReturnForm {
    /// `measures` are the round's (id, name). `complete`: sending it, so every figure is
    /// required; a draft keeps what is there and checks only what was typed.
    pub fn parse(
        &self,
        measures: &[(i64, String)],
        complete: bool,
    ) -> Result<ReturnContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut figures = Figures::default();
        let keys = std::iter::once("costs").chain(INCOME_SOURCES.iter().map(|(k, _)| *k));
        for key in keys {
            let name = money_field(key);
            let text = self.money.get(key).map(|s| s.trim()).unwrap_or("");
            if text.is_empty() && !complete {
                continue;
            }
            let label = money_label(key);
            match Pence::parse(
                &name,
                &label,
                if text.is_empty() && key != "costs" {
                    "0"
                } else {
                    text
                },
            ) {
                Ok(p) => figures.set(key, p),
                Err(e) => errors.push(e),
            }
        }
        let mut values = Vec::new();
        for (id, name) in measures {
            let field = measure_field(*id);
            let text: String = self
                .measures
                .get(&id.to_string())
                .map(|s| s.trim().chars().filter(|c| *c != ',').collect())
                .unwrap_or_default();
            if text.is_empty() {
                if complete {
                    errors.push(FieldError::new(
                        &field,
                        format!("Enter the number for {}", name.to_lowercase()),
                    ));
                }
                continue;
            }
            match text.parse::<i64>() {
                Ok(n) if (0..=100_000_000).contains(&n) => values.push((*id, n)),
                _ => errors.push(FieldError::new(
                    &field,
                    format!("{name} must be a whole number, 0 or more, like 120"),
                )),
            }
        }
        let narrative = if complete {
            required_text(
                "narrative",
                &self.narrative,
                "Enter what happened in this period",
                NARRATIVE_CHARS,
                "What happened in this period",
            )
        } else {
            optional_text(
                "narrative",
                &self.narrative,
                NARRATIVE_CHARS,
                "What happened in this period",
            )
        };
        let narrative = narrative.map_err(|e| errors.push(e)).unwrap_or_default();
        let risks = optional_text("risks", &self.risks, NARRATIVE_CHARS, "Risks")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if errors.is_empty() {
            Ok(ReturnContent {
                figures,
                measures: values,
                narrative,
                risks,
            })
        } else {
            Err(errors)
        }
    }
}

/// A measure chosen for a round, as typed by a commissioner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasureForm {
    pub kind: String,
    pub name: String,
    pub unit_cost_id: String,
    pub attribution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub kind: MeasureKind,
    pub name: String,
    /// (unit cost id, attribution in basis points)
    pub cost: Option<(i64, i64)>,
}

impl MeasureForm {
    pub fn parse(&self, unit_costs: &[i64]) -> Result<Measure, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = MeasureKind::parse(
            "kind",
            &self.kind,
            "Select whether it measures activity or an outcome",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let name = required_text(
            "name",
            &self.name,
            "Enter the name of the measure",
            120,
            "The name",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let mut cost = None;
        let chosen = self.unit_cost_id.trim();
        if !chosen.is_empty() {
            match chosen
                .parse::<i64>()
                .ok()
                .filter(|id| unit_costs.contains(id))
            {
                None => errors.push(FieldError::new(
                    "unit_cost_id",
                    "Select a unit cost from the list",
                )),
                Some(id) => {
                    if kind == Some(MeasureKind::Activity) {
                        errors.push(FieldError::new(
                            "unit_cost_id",
                            "Only an outcome measure can be valued by a unit cost",
                        ));
                    }
                    match parse_attribution("attribution", &self.attribution) {
                        Ok(bp) => cost = Some((id, bp)),
                        Err(e) => errors.push(e),
                    }
                }
            }
        } else if !self.attribution.trim().is_empty() {
            errors.push(FieldError::new(
                "unit_cost_id",
                "Select the unit cost the share credited to the scheme applies to",
            ));
        }
        match (kind, name, errors.is_empty()) {
            (Some(kind), Some(name), true) => Ok(Measure { kind, name, cost }),
            _ => Err(errors),
        }
    }
}

/// A unit cost as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitCostForm {
    pub name: String,
    pub unit: String,
    pub cost: String,
    pub source: String,
    pub source_date_day: String,
    pub source_date_month: String,
    pub source_date_year: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCost {
    pub name: String,
    pub unit: String,
    pub cost: Pence,
    pub source: String,
    pub source_date: NaiveDate,
}

impl UnitCostForm {
    pub fn parse(&self, today: NaiveDate) -> Result<UnitCost, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ok = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
        let name = ok(required_text(
            "name",
            &self.name,
            "Enter what the unit cost is for, like A week of residential care",
            120,
            "What it is for",
        ));
        let unit = ok(required_text(
            "unit",
            &self.unit,
            "Enter the unit, like per week or per admission",
            60,
            "The unit",
        ));
        let source = ok(required_text("source", &self.source, "Enter where the figure comes from, like PSSRU Unit Costs of Health and Social Care 2025", 300, "The source"));
        let cost = match Pence::parse("cost", "the unit cost", &self.cost) {
            Ok(p) if p.0 > 0 => Some(p),
            Ok(_) => {
                errors.push(FieldError::new(
                    "cost",
                    "The unit cost must be more than £0",
                ));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let date = match super::date::parse_date(
            "source_date",
            "The date of the source",
            &self.source_date_day,
            &self.source_date_month,
            &self.source_date_year,
            true,
        ) {
            Ok(Some(d)) if d > today => {
                errors.push(FieldError::new(
                    "source_date",
                    "The date of the source must be today or in the past",
                ));
                None
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (name, unit, source, cost, date, errors.is_empty()) {
            (Some(name), Some(unit), Some(source), Some(cost), Some(source_date), true) => {
                Ok(UnitCost {
                    name,
                    unit,
                    cost,
                    source,
                    source_date,
                })
            }
            _ => Err(errors),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fig(costs: i64, grant: i64, charges: i64) -> Figures {
        Figures {
            costs: Pence(costs),
            seed_grant: Pence(grant),
            charges: Pence(charges),
            ..Figures::default()
        }
    }

    #[test]
    fn quarterly_returns_cover_the_funding_period_and_a_year_after() {
        let s = return_schedule(d(2025, 4, 1), 24, 3);
        assert_eq!(s.len(), 12);
        assert_eq!(s[0].start, d(2025, 4, 1));
        assert_eq!(s[0].end, d(2025, 6, 30));
        assert_eq!(s[0].due, d(2025, 7, 30));
        assert_eq!(s[11].end, d(2028, 3, 31));
        assert!(s
            .windows(2)
            .all(|w| w[1].start == w[0].end.succ_opt().unwrap()));
        assert_eq!(return_schedule(d(2025, 1, 31), 12, 6).len(), 4);
    }

    #[test]
    fn dependency_is_grant_over_income() {
        assert_eq!(fig(1000, 600, 400).dependency(), Decimal::new(6, 1));
        assert_eq!(fig(1000, 0, 1200).dependency(), Decimal::ZERO);
        assert_eq!(fig(1000, 0, 0).dependency(), Decimal::ZERO);
        assert_eq!(percent(fig(300, 100, 200).dependency()), 33);
        assert_eq!(percent(fig(300, 200, 100).dependency()), 67);
        assert!(fig(1000, 0, 1000).covers_costs());
        assert!(!fig(1000, 0, 999).covers_costs());
    }

    #[test]
    fn status_rule_gives_its_reason() {
        let half = Decimal::new(5, 1);
        assert_eq!(progress(None, None).0, Progress::OnTrack);
        let (p, why) = progress(Some((Decimal::new(45, 2), Some(half))), None);
        assert_eq!(p, Progress::OnTrack);
        assert_eq!(why, "Grant dependency 45%, at or below the 50% planned");
        assert_eq!(
            progress(Some((half, Some(half))), None).0,
            Progress::OnTrack
        );
        assert_eq!(
            progress(Some((Decimal::new(60, 2), Some(half))), None).0,
            Progress::Behind
        );
        assert_eq!(
            progress(Some((Decimal::new(601, 3), Some(half))), None).0,
            Progress::AtRisk
        );
        let (p, why) = progress(Some((Decimal::ZERO, Some(half))), Some(30));
        assert_eq!(p, Progress::AtRisk);
        assert_eq!(why, "A monitoring return is 30 days overdue");
        assert_eq!(
            progress(Some((Decimal::ZERO, Some(half))), Some(29)).0,
            Progress::OnTrack
        );
    }

    #[test]
    fn graduation_needs_two_consecutive_self_funded_periods() {
        let free = fig(1000, 0, 1000);
        let short = fig(1000, 0, 900);
        let granted = fig(1000, 100, 1000);
        assert!(graduation_due(&[(3, granted), (4, free), (5, free)]));
        assert!(!graduation_due(&[(4, free)]));
        assert!(!graduation_due(&[(3, free), (5, free)]), "not consecutive");
        assert!(!graduation_due(&[(4, free), (5, short)]));
        assert!(!graduation_due(&[(4, granted), (5, free)]));
    }

    #[test]
    fn planned_dependency_follows_the_plan_year() {
        let y = |grant: i64, charge: i64| PlanYear {
            costs: Pence(1000),
            seed_grant: Pence(grant),
            charge_per_user: Pence(charge),
            expected_users: 1,
            ..PlanYear::default()
        };
        let plan = vec![y(800, 200), y(400, 600), y(0, 1000)];
        let start = d(2025, 4, 1);
        assert_eq!(
            planned_dependency(&plan, start, d(2025, 10, 1)),
            Some(Decimal::new(8, 1))
        );
        assert_eq!(
            planned_dependency(&plan, start, d(2026, 4, 1)),
            Some(Decimal::new(4, 1))
        );
        assert_eq!(
            planned_dependency(&plan, start, d(2029, 1, 1)),
            Some(Decimal::ZERO)
        );
        assert_eq!(planned_dependency(&[], start, start), None);
    }

    #[test]
    fn reminders_fall_14_days_and_1_day_before_and_when_overdue() {
        let due = d(2026, 6, 30);
        assert_eq!(reminder_due(due, d(2026, 6, 15)), None);
        assert_eq!(reminder_due(due, d(2026, 6, 16)), Some(Reminder::Fortnight));
        assert_eq!(reminder_due(due, d(2026, 6, 28)), Some(Reminder::Fortnight));
        assert_eq!(reminder_due(due, d(2026, 6, 29)), Some(Reminder::Tomorrow));
        assert_eq!(reminder_due(due, d(2026, 6, 30)), Some(Reminder::Tomorrow));
        assert_eq!(reminder_due(due, d(2026, 7, 1)), Some(Reminder::Overdue));
        assert_eq!(
            reminder_due(due, d(2026, 7, 8)),
            None,
            "long overdue: no fresh chase"
        );
    }

    #[test]
    fn cost_avoided_is_exact_to_the_penny() {
        // 3 admissions × £3,450.50 × 25% = £2,587.875 → £2,587.88
        assert_eq!(
            cost_avoided(3, Pence(345_050), Decimal::from(25)),
            Pence(258_788)
        );
        assert_eq!(cost_avoided(0, Pence(345_050), Decimal::from(25)), Pence(0));
        assert_eq!(parse_attribution("a", "12.5%").unwrap(), 1250);
        assert_eq!(attribution_from_bp(1250), Decimal::new(125, 1));
        assert!(parse_attribution("a", "0").is_err());
        assert!(parse_attribution("a", "101").is_err());
        assert!(parse_attribution("a", "1.255").is_err());
        assert!(parse_attribution("a", "a lot").is_err());
    }

    #[test]
    fn a_return_needs_every_figure_when_sent() {
        let measures = vec![(7, "People supported".to_string())];
        let empty = ReturnForm::default();
        assert!(
            empty.parse(&measures, false).is_ok(),
            "an empty draft saves"
        );
        let errors = empty.parse(&measures, true).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["money[costs]", "measure[7]", "narrative"]);
        let mut form = ReturnForm {
            narrative: "We opened a second clinic".into(),
            ..ReturnForm::default()
        };
        form.money.insert("costs".into(), "12,000".into());
        form.money.insert("charges".into(), "£9,500.50".into());
        form.measures.insert("7".into(), "1,200".into());
        let c = form.parse(&measures, true).unwrap();
        assert_eq!(c.figures.costs, Pence(1_200_000));
        assert_eq!(c.figures.charges, Pence(950_050));
        assert_eq!(c.figures.seed_grant, Pence(0), "blank income is none");
        assert_eq!(c.measures, vec![(7, 1200)]);
        form.measures.insert("7".into(), "-3".into());
        form.money.insert("donations".into(), "lots".into());
        let errors = form.parse(&measures, false).unwrap_err();
        assert_eq!(errors[0].message, "Income from donations and fundraising must be an amount in pounds, like 12500 or 12500.50");
        assert_eq!(
            errors[1].message,
            "People supported must be a whole number, 0 or more, like 120"
        );
    }

    #[test]
    fn measures_and_unit_costs_parse() {
        let m = MeasureForm {
            kind: "outcome".into(),
            name: "Falls avoided".into(),
            unit_cost_id: "3".into(),
            attribution: "25".into(),
        };
        assert_eq!(m.parse(&[3]).unwrap().cost, Some((3, 2500)));
        assert!(m.parse(&[4]).is_err(), "unknown unit cost");
        let activity = MeasureForm {
            kind: "activity".into(),
            ..m.clone()
        };
        assert_eq!(
            activity.parse(&[3]).unwrap_err()[0].message,
            "Only an outcome measure can be valued by a unit cost"
        );
        let u = UnitCostForm {
            name: "A week of residential care".into(),
            unit: "per week".into(),
            cost: "1,250".into(),
            source: "PSSRU 2025".into(),
            source_date_day: "1".into(),
            source_date_month: "3".into(),
            source_date_year: "2026".into(),
        };
        assert_eq!(u.parse(d(2026, 11, 26)).unwrap().cost, Pence(125_000));
        assert!(u.parse(d(2026, 2, 1)).is_err(), "a source from the future");
    }

    proptest! {
        #[test]
        fn dependency_stays_a_share(costs in 0i64..10_000_000, grant in 0i64..10_000_000, charges in 0i64..10_000_000, other in 0i64..10_000_000) {
            let f = Figures { costs: Pence(costs), seed_grant: Pence(grant), charges: Pence(charges), other_grants: Pence(other), ..Figures::default() };
            let dep = f.dependency();
            prop_assert!(dep >= Decimal::ZERO && dep <= Decimal::ONE);
            prop_assert_eq!(dep == Decimal::ZERO, grant == 0);
            prop_assert_eq!(f.total_income(), Pence(grant + charges + other));
        }

        #[test]
        fn cost_avoided_is_within_half_a_penny(count in 0i64..10_000, cost in 1i64..10_000_000, bp in 1i64..=10_000) {
            let got = cost_avoided(count, Pence(cost), attribution_from_bp(bp));
            let exact = Decimal::from(count) * Decimal::from(cost) * Decimal::from(bp) / Decimal::from(10_000);
            prop_assert!((Decimal::from(got.0) - exact).abs() <= Decimal::new(5, 1));
        }

        #[test]
        fn worse_dependency_never_improves_the_status(planned in 0u32..=100, a in 0u32..=100, b in 0u32..=100) {
            let rank = |p: Progress| match p { Progress::OnTrack => 0, Progress::Behind => 1, Progress::AtRisk => 2 };
            let (lo, hi) = (a.min(b), a.max(b));
            let share = |n: u32| Decimal::new(i64::from(n), 2);
            let plan = Some(share(planned));
            prop_assert!(rank(progress(Some((share(lo), plan)), None).0) <= rank(progress(Some((share(hi), plan)), None).0));
        }
    }
}
