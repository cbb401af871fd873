//! The rules of `domain::bid`, as their users meet them.
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
