//! The sustainability plan: year by year, the running costs and the income that covers them
//! (charges, grants, donations, contracts, volunteer time), the seed grant tapering to none.
use super::{field, value, Answers};
use crate::domain::bid::PlanYear;
use crate::domain::money::Pence;
use crate::domain::FieldError;

/// The plan's rows: (key, label, is money). Income from the people who use the service is
/// a charge for each paid use (an appointment, a meal, a session) times the paid uses, and
/// any fees or charges better given as a year's total (memberships, a flat rate).
pub const PLAN_FIELDS: [(&str, &str, bool); 10] = [
    ("costs", "Running costs", true),
    ("seed_grant", "This seed grant", true),
    ("charge_per_user", "Charge for each paid use", true),
    ("expected_users", "Paid uses in the year", false),
    ("other_charges", "Other fees and charges", true),
    ("other_grants", "Other grants", true),
    ("donations", "Donations and fundraising", true),
    ("contracts", "Contracts", true),
    ("volunteer_hours", "Volunteer hours", false),
    ("value_per_hour", "Value of a volunteer hour", true),
];

/// The most years a plan can run beyond the funding period.
pub const MAX_YEARS_AFTER: usize = 4;

pub fn plan_key(year: usize, part: &str) -> String {
    format!("y{year}_{part}")
}

/// How many years the plan covers: the funding period plus at least one year after.
pub fn plan_years(a: &Answers, funded: usize) -> usize {
    let chosen = value(a, "years").parse::<usize>().unwrap_or(0);
    chosen.clamp(funded + 1, funded + MAX_YEARS_AFTER)
}

/// The plan as typed, year by year, or what is wrong with it. `requested` is the amount
/// asked for in the budget: the seed grant across the plan must add up to it.
pub fn parse_plan(
    a: &Answers,
    funded: usize,
    requested: Option<Pence>,
    complete: bool,
) -> Result<Vec<PlanYear>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut plan = Vec::new();
    for year in 1..=plan_years(a, funded) {
        let mut y = PlanYear::default();
        for (part, label, money) in PLAN_FIELDS {
            let key = plan_key(year, part);
            let name = field(&key);
            let text = value(a, &key);
            if text.is_empty() {
                if complete && part == "costs" {
                    errors.push(FieldError::new(
                        &name,
                        format!("Enter the running costs for year {year}"),
                    ));
                }
                continue;
            }
            let label = format!("{} for year {year}", label.to_lowercase());
            if money {
                match Pence::parse(&name, &label, text) {
                    Ok(p) => match part {
                        "costs" => y.costs = p,
                        "seed_grant" => y.seed_grant = p,
                        "charge_per_user" => y.charge_per_user = p,
                        "other_charges" => y.other_charges = p,
                        "other_grants" => y.other_grants = p,
                        "donations" => y.donations = p,
                        "contracts" => y.contracts = p,
                        _ => y.value_per_hour = p,
                    },
                    Err(e) => errors.push(e),
                }
            } else {
                let cleaned: String = text.chars().filter(|c| *c != ',').collect();
                match cleaned.parse::<u32>() {
                    Ok(n) if n <= 10_000_000 => {
                        if part == "expected_users" {
                            y.expected_users = n
                        } else {
                            y.volunteer_hours = n
                        }
                    }
                    _ => errors.push(FieldError::new(
                        &name,
                        format!(
                            "{} must be a whole number, like 250",
                            crate::domain::money::capitalise(&label)
                        ),
                    )),
                }
            }
        }
        if year > funded && y.seed_grant.0 > 0 {
            errors.push(FieldError::new(
                field(&plan_key(year, "seed_grant")),
                format!("The seed grant ends with the funding period: enter 0 for year {year}"),
            ));
        }
        plan.push(y);
    }
    if complete && errors.is_empty() {
        if let Some(requested) = requested {
            let total = Pence(plan.iter().map(|y| y.seed_grant.0).sum());
            if total != requested {
                errors.push(FieldError::new(
                    field(&plan_key(1, "seed_grant")),
                    format!(
                        "The seed grant across the plan must add up to the {requested} you ask for in your budget (it adds up to {total})"
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}
