//! Bids: eligibility, the budget, and the sustainability plan's arithmetic (grant
//! dependency = seed grant ÷ total income), all in exact money.
use super::money::Pence;
use super::organisation::{IncomeBand, Organisation};
use super::round::LegalForm;
use super::FieldError;
use crate::coded_enum;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

coded_enum!(
    BidStatus {
        Draft = ("draft", "Draft"),
        Submitted = ("submitted", "Submitted"),
        Withdrawn = ("withdrawn", "Withdrawn"),
        UnderAssessment = ("under_assessment", "Under assessment"),
        Awarded = ("awarded", "Awarded"),
        Declined = ("declined", "Declined"),
    }
);

/// "SB-2026-0042": the reference a bid gets when it is submitted.
pub fn reference(year: i32, id: i64) -> String {
    format!("SB-{year}-{id:04}")
}

/// What the person sending a bid declares (its key on the form, and the statement).
pub const DECLARATIONS: [(&str, &str); 3] = [
    ("true", "The information in this bid is true and complete, to the best of my knowledge"),
    ("authorised", "I am authorised to submit this bid on behalf of the organisation"),
    ("monitoring", "If the bid is funded, the organisation will send monitoring returns and let the Board publish the award as open data"),
];

/// A field error for each declaration not made (`made` says whether a key was ticked).
pub fn missing_declarations(made: impl Fn(&str) -> bool) -> Vec<FieldError> {
    DECLARATIONS
        .iter()
        .filter(|(key, _)| !made(key))
        .map(|(key, _)| {
            FieldError::new(
                format!("declare[{key}]"),
                match *key {
                    "true" => "Confirm that the information in this bid is true and complete",
                    "authorised" => "Confirm that you are authorised to submit this bid",
                    _ => "Confirm that the organisation will send monitoring returns if funded",
                },
            )
        })
        .collect()
}

/// What the round asks of a bidder, for the eligibility check.
pub struct Eligibility<'a> {
    pub legal_forms: &'a [LegalForm],
    pub max_income: Option<Pence>,
    pub area_served: &'a str,
}

/// Why an organisation cannot bid, in plain words; empty when it can.
pub fn ineligible_because(
    rules: &Eligibility<'_>,
    org: &Organisation,
    covers_area: bool,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if !rules.legal_forms.contains(&org.legal_form) {
        reasons.push(format!(
            "This round is not open to organisations of your legal form ({})",
            org.legal_form.label().to_lowercase()
        ));
    }
    if let Some(max) = rules.max_income {
        let fits = match org.income_band.upper_pence() {
            Some(upper) => upper <= max.0,
            None => false,
        };
        if !fits {
            reasons.push(format!(
                "This round is for organisations with an annual income of {} or less. Yours is {}",
                max,
                band_words(org.income_band)
            ));
        }
    }
    if !covers_area {
        reasons.push(format!("The service must cover {}", rules.area_served));
    }
    reasons
}

fn band_words(band: IncomeBand) -> String {
    band.label().to_lowercase()
}

coded_enum!(
    BudgetCategory {
        Staff = ("staff", "Staff"),
        VolunteerExpenses = ("volunteer_expenses", "Volunteers' expenses"),
        Premises = ("premises", "Premises"),
        Equipment = ("equipment", "Equipment"),
        Other = ("other", "Other"),
    }
);

/// One line of the budget: an amount for each year of the funding period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub description: String,
    pub category: BudgetCategory,
    pub amounts: Vec<Pence>,
}

/// The cost in each year (lines added up) and in total.
pub fn budget_totals(lines: &[BudgetLine], years: usize) -> (Vec<Pence>, Pence) {
    let mut per_year = vec![Pence(0); years];
    for line in lines {
        for (year, amount) in line.amounts.iter().enumerate().take(years) {
            per_year[year].0 += amount.0;
        }
    }
    let total = Pence(per_year.iter().map(|p| p.0).sum());
    (per_year, total)
}

/// The amount requested must lie between the round's minimum and maximum award and may not
/// be more than the total cost.
pub fn check_request(
    requested: Pence,
    min: Pence,
    max: Pence,
    total_cost: Pence,
) -> Result<(), FieldError> {
    let field = "amount_requested";
    if requested < min || requested > max {
        return Err(FieldError::new(
            field,
            format!("The amount you ask for must be between {min} and {max}"),
        ));
    }
    if requested > total_cost {
        return Err(FieldError::new(
            field,
            format!("The amount you ask for must not be more than the total cost of {total_cost}"),
        ));
    }
    Ok(())
}

/// One year of the sustainability plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanYear {
    pub costs: Pence,
    pub seed_grant: Pence,
    /// A charge for each paid use (an appointment, a meal, a session)...
    pub charge_per_user: Pence,
    /// ...times the paid uses in the year.
    pub expected_users: u32,
    /// Fees and charges given as the year's total (memberships, a flat rate).
    #[serde(default)]
    pub other_charges: Pence,
    pub other_grants: Pence,
    pub donations: Pence,
    pub contracts: Pence,
    pub volunteer_hours: u32,
    pub value_per_hour: Pence,
}

impl PlanYear {
    /// Charges to users: the charge for each paid use times the paid uses, and the other
    /// fees and charges.
    pub fn charges(&self) -> Pence {
        Pence(
            self.charge_per_user
                .0
                .saturating_mul(i64::from(self.expected_users))
                .saturating_add(self.other_charges.0),
        )
    }

    /// In-kind volunteer time: hours times the value given to an hour.
    pub fn in_kind(&self) -> Pence {
        Pence(
            self.value_per_hour
                .0
                .saturating_mul(i64::from(self.volunteer_hours)),
        )
    }

    /// Every source added up (saturating: amounts typed at the form's limits cannot
    /// overflow into a panic or a wrapped sum).
    pub fn total_income(&self) -> Pence {
        Pence(
            [
                self.charges().0,
                self.other_grants.0,
                self.donations.0,
                self.contracts.0,
                self.in_kind().0,
            ]
            .into_iter()
            .fold(self.seed_grant.0, i64::saturating_add),
        )
    }

    /// Income less costs: negative is a shortfall.
    pub fn surplus(&self) -> Pence {
        Pence(self.total_income().0.saturating_sub(self.costs.0))
    }

    /// Seed grant ÷ total income, between 0 and 1; zero when there is no income at all.
    pub fn dependency(&self) -> Decimal {
        let total = self.total_income().0;
        if total <= 0 || self.seed_grant.0 <= 0 {
            Decimal::ZERO
        } else {
            Decimal::from(self.seed_grant.0) / Decimal::from(total)
        }
    }

    /// The dependency as a whole percentage, rounded half up: "80%".
    pub fn dependency_percent(&self) -> u32 {
        let percent = (self.dependency() * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        u32::try_from(percent.mantissa() / 10i128.pow(percent.scale())).unwrap_or(0)
    }
}

/// What the assessors (and the applicant) are warned about in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanFlag {
    /// Grant dependency is still above zero in the plan's last year.
    NeverIndependent,
    /// A year after the funding period ends with costs not covered (year numbers from 1).
    ShortfallAfterGrant(Vec<usize>),
}

impl PlanFlag {
    pub fn message(&self) -> String {
        match self {
            PlanFlag::NeverIndependent => {
                "Grant dependency does not reach zero by the end of the plan".to_string()
            }
            PlanFlag::ShortfallAfterGrant(years) => format!(
                "Income does not cover costs after the grant ends (year {})",
                years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", year ")
            ),
        }
    }
}

/// Flags for a plan whose first `funded_years` years are the funding period.
pub fn flags(plan: &[PlanYear], funded_years: usize) -> Vec<PlanFlag> {
    let mut out = Vec::new();
    if plan.last().is_some_and(|y| y.dependency() > Decimal::ZERO) {
        out.push(PlanFlag::NeverIndependent);
    }
    let short: Vec<usize> = plan
        .iter()
        .enumerate()
        .skip(funded_years)
        .filter(|(_, y)| y.surplus().0 < 0)
        .map(|(i, _)| i + 1)
        .collect();
    if !short.is_empty() {
        out.push(PlanFlag::ShortfallAfterGrant(short));
    }
    out
}

/// A sentence for the chart's text summary: "Grant dependency falls from 80% in year 1 to 0%
/// in year 3".
pub fn summary(plan: &[PlanYear]) -> String {
    let (Some(first), Some(last)) = (plan.first(), plan.last()) else {
        return "The plan has no years yet".to_string();
    };
    let (a, b) = (first.dependency_percent(), last.dependency_percent());
    let n = plan.len();
    let verb = match a.cmp(&b) {
        std::cmp::Ordering::Greater => "falls",
        std::cmp::Ordering::Less => "rises",
        std::cmp::Ordering::Equal => "stays",
    };
    if verb == "stays" {
        format!("Grant dependency stays at {a}% from year 1 to year {n}")
    } else {
        format!("Grant dependency {verb} from {a}% in year 1 to {b}% in year {n}")
    }
}

#[cfg(test)]
mod tests;
