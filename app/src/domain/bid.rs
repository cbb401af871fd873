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
mod tests {
    use super::*;
    use crate::domain::organisation::OrganisationForm;
    use proptest::prelude::*;

    #[test]
    fn amounts_at_the_limits_do_not_overflow() {
        let y = PlanYear {
            costs: Pence(i64::MIN + 1),
            seed_grant: Pence(i64::MAX),
            charge_per_user: Pence(crate::domain::money::MAX_PENCE),
            expected_users: u32::MAX,
            value_per_hour: Pence(crate::domain::money::MAX_PENCE),
            volunteer_hours: u32::MAX,
            ..PlanYear::default()
        };
        assert_eq!(y.charges(), Pence(i64::MAX));
        assert_eq!(y.total_income(), Pence(i64::MAX));
        assert_eq!(y.surplus(), Pence(i64::MAX));
        assert!(y.dependency() <= Decimal::ONE);
    }

    fn year(costs: i64, grant: i64, charge: i64, users: u32) -> PlanYear {
        PlanYear {
            costs: Pence(costs),
            seed_grant: Pence(grant),
            charge_per_user: Pence(charge),
            expected_users: users,
            ..Default::default()
        }
    }

    #[test]
    fn income_from_users_can_be_a_years_total() {
        // A meals service charging members £10 a month as a flat rate, and £3 a meal.
        let y = PlanYear {
            other_charges: Pence(600_000),
            ..year(3_000_000, 1_000_000, 300, 2_000)
        };
        assert_eq!(y.charges(), Pence(1_200_000));
        assert_eq!(y.total_income(), Pence(2_200_000));
        // A plan saved before the field existed still reads.
        let old: PlanYear = serde_json::from_str(
            r#"{"costs":100,"seed_grant":0,"charge_per_user":1,"expected_users":100,"other_grants":0,"donations":0,"contracts":0,"volunteer_hours":0,"value_per_hour":0}"#,
        )
        .unwrap();
        assert_eq!(old.charges(), Pence(100));
    }

    #[test]
    fn the_chiropody_plan_reaches_independence_in_year_3() {
        // £20,000 a year to run; charges of £15 grow as the grant falls away.
        let plan = vec![
            year(2_000_000, 1_600_000, 1_500, 300),
            year(2_000_000, 800_000, 1_500, 800),
            year(2_000_000, 0, 1_500, 1_400),
        ];
        assert_eq!(plan[0].charges(), Pence(450_000));
        assert_eq!(plan[0].dependency_percent(), 78);
        assert_eq!(plan[2].dependency(), Decimal::ZERO);
        assert_eq!(plan[2].surplus(), Pence(100_000));
        assert!(flags(&plan, 2).is_empty());
        assert_eq!(
            summary(&plan),
            "Grant dependency falls from 78% in year 1 to 0% in year 3"
        );
    }

    #[test]
    fn a_plan_that_leans_on_the_grant_is_flagged() {
        let plan = vec![
            year(1_000_000, 1_000_000, 0, 0),
            year(1_000_000, 500_000, 100, 1000),
            year(1_000_000, 0, 100, 1000),
        ];
        assert_eq!(
            flags(&plan, 2),
            vec![PlanFlag::ShortfallAfterGrant(vec![3])]
        );
        assert_eq!(
            flags(&plan, 2)[0].message(),
            "Income does not cover costs after the grant ends (year 3)"
        );
        let never = vec![year(100, 100, 0, 0)];
        assert_eq!(flags(&never, 1), vec![PlanFlag::NeverIndependent]);
    }

    #[test]
    fn in_kind_time_counts_as_income() {
        let y = PlanYear {
            costs: Pence(500_000),
            volunteer_hours: 400,
            value_per_hour: Pence(1_200),
            ..Default::default()
        };
        assert_eq!(y.in_kind(), Pence(480_000));
        assert_eq!(y.surplus(), Pence(-20_000));
    }

    #[test]
    fn requests_lie_within_the_award_limits_and_the_cost() {
        let (min, max) = (Pence(500_000), Pence(3_000_000));
        assert!(check_request(Pence(2_000_000), min, max, Pence(4_000_000)).is_ok());
        assert_eq!(
            check_request(Pence(100), min, max, Pence(4_000_000))
                .unwrap_err()
                .message,
            "The amount you ask for must be between £5,000.00 and £30,000.00"
        );
        assert_eq!(
            check_request(Pence(2_000_000), min, max, Pence(1_500_000))
                .unwrap_err()
                .message,
            "The amount you ask for must not be more than the total cost of £15,000.00"
        );
    }

    #[test]
    fn references_are_padded() {
        assert_eq!(reference(2026, 42), "SB-2026-0042");
        assert_eq!(reference(2027, 12345), "SB-2027-12345");
    }

    fn church() -> Organisation {
        OrganisationForm {
            name: "St Peter's".into(),
            legal_form: "faith_group".into(),
            address_line_1: "1 Church Lane".into(),
            town: "Grimsby".into(),
            postcode: "DN31 1HU".into(),
            contact_name: "Ruth".into(),
            contact_email: "ruth@example.org".into(),
            income_band: "100k_500k".into(),
            area_served: "Grimsby".into(),
            ..Default::default()
        }
        .parse()
        .unwrap()
    }

    #[test]
    fn ineligible_organisations_are_told_why() {
        let forms = [LegalForm::Cic, LegalForm::FaithGroup];
        let rules = Eligibility {
            legal_forms: &forms,
            max_income: None,
            area_served: "North East Lincolnshire",
        };
        assert!(ineligible_because(&rules, &church(), true).is_empty());
        let small = Eligibility {
            legal_forms: &[LegalForm::Cic],
            max_income: Some(Pence(10_000_000)),
            area_served: "North East Lincolnshire",
        };
        assert_eq!(
            ineligible_because(&small, &church(), false),
            vec![
                "This round is not open to organisations of your legal form (faith group)".to_string(),
                "This round is for organisations with an annual income of £100,000.00 or less. Yours is £100,001 to £500,000".to_string(),
                "The service must cover North East Lincolnshire".to_string(),
            ]
        );
    }

    fn pence() -> impl Strategy<Value = Pence> {
        (0i64..100_000_000).prop_map(Pence)
    }

    proptest! {
        #[test]
        fn dependency_is_a_share_between_0_and_1(costs in pence(), grant in pence(), charge in 0i64..10_000, users in 0u32..5_000, other in pence(), hours in 0u32..10_000) {
            let y = PlanYear { costs, seed_grant: grant, charge_per_user: Pence(charge), expected_users: users, other_grants: other, volunteer_hours: hours, value_per_hour: Pence(1_000), ..Default::default() };
            let d = y.dependency();
            prop_assert!(d >= Decimal::ZERO && d <= Decimal::ONE);
            if grant.0 == 0 {
                prop_assert_eq!(d, Decimal::ZERO);
            }
            if grant.0 > 0 && grant == y.total_income() {
                prop_assert_eq!(d, Decimal::ONE);
            }
            prop_assert!(y.dependency_percent() <= 100);
        }

        #[test]
        fn budget_totals_are_the_sum_of_the_lines(lines in prop::collection::vec(prop::collection::vec(0i64..10_000_000, 3), 0..8)) {
            let budget: Vec<BudgetLine> = lines.iter().map(|amounts| BudgetLine {
                description: "x".into(),
                category: BudgetCategory::Staff,
                amounts: amounts.iter().copied().map(Pence).collect(),
            }).collect();
            let (per_year, total) = budget_totals(&budget, 3);
            let all: i64 = lines.iter().flatten().sum();
            prop_assert_eq!(total.0, all);
            for (year, amount) in per_year.iter().enumerate() {
                prop_assert_eq!(amount.0, lines.iter().map(|l| l[year]).sum::<i64>());
            }
        }
    }

    #[test]
    fn each_declaration_not_made_is_named_against_its_box() {
        let missing = missing_declarations(|k| k == "true");
        let fields: Vec<&str> = missing.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["declare[authorised]", "declare[monitoring]"]);
        assert!(missing_declarations(|_| true).is_empty());
    }
}
