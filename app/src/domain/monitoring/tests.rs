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
fn a_return_is_filled_in_once_its_period_has_ended() {
    let end = d(2027, 6, 30);
    assert!(!reportable(end, d(2027, 4, 1)), "a future period");
    assert!(!reportable(end, end), "the period's last day");
    assert!(reportable(end, d(2027, 7, 1)));
    assert!(reportable(end, d(2027, 9, 1)), "overdue");
    assert_eq!(reportable_from(end), d(2027, 7, 1));
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
    // Volunteer time is shown as income but pays no bills: 900 in cash and 300 of
    // volunteer time do not cover 1,000 of costs.
    let volunteered = Figures {
        in_kind: Pence(300),
        ..short
    };
    assert_eq!(volunteered.total_income(), Pence(1200));
    assert_eq!(volunteered.cash_income(), Pence(900));
    assert!(!volunteered.covers_costs());
    assert!(!graduation_due(&[(4, volunteered), (5, volunteered)]));
    let paid_for = Figures {
        in_kind: Pence(300),
        ..free
    };
    assert!(paid_for.covers_costs());
    assert!(graduation_due(&[(4, paid_for), (5, paid_for)]));
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
fn cost_avoided_never_overflows() {
    let huge = cost_avoided(i64::MAX, Pence(i64::MAX), Decimal::ONE_HUNDRED);
    assert_eq!(huge, Pence(crate::domain::money::MAX_PENCE));
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
    let measures = vec![(7, "People supported".to_string(), MeasureUnit::Count)];
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
    assert_eq!(
        errors[0].message,
        "Income from donations and fundraising must be an amount in pounds, like 12500 or 12500.50"
    );
    assert_eq!(
        errors[1].message,
        "People supported must be a whole number, 0 or more, like 120"
    );
    // A percentage measure takes decimals and a % sign, and says so when it is wrong.
    let survey = vec![(8, "Carers satisfied".to_string(), MeasureUnit::Percent)];
    let mut form = ReturnForm::default();
    form.measures.insert("8".into(), "94.5%".into());
    assert_eq!(
        form.parse(&survey, false).unwrap().measures,
        vec![(8, 9450)]
    );
    form.measures.insert("8".into(), "140".into());
    assert!(form.parse(&survey, false).unwrap_err()[0]
        .message
        .contains("from 0 to 100"));
    let errors = ReturnForm::default().parse(&survey, true).unwrap_err();
    assert!(errors
        .iter()
        .any(|e| e.message == "Enter the percentage for carers satisfied"));
}

#[test]
fn measures_and_unit_costs_parse() {
    let m = MeasureForm {
        kind: "outcome".into(),
        name: "Falls avoided".into(),
        unit: String::new(),
        unit_cost_id: "3".into(),
        attribution: "25".into(),
        guidance: "  Count each regular user who had no fall this period.  ".into(),
    };
    assert_eq!(m.parse(&[3]).unwrap().cost, Some((3, 2500)));
    assert_eq!(
        m.parse(&[3]).unwrap().guidance,
        "Count each regular user who had no fall this period."
    );
    let long = MeasureForm {
        guidance: "x".repeat(601),
        ..m.clone()
    };
    assert_eq!(long.parse(&[3]).unwrap_err()[0].field, "guidance");
    assert!(m.parse(&[4]).is_err(), "unknown unit cost");
    let activity = MeasureForm {
        kind: "activity".into(),
        ..m.clone()
    };
    assert_eq!(
        activity.parse(&[3]).unwrap_err()[0].message,
        "Only an outcome measure can be valued by a unit cost"
    );
    // Not chosen is a whole number; a unit cost prices whole ones only.
    assert_eq!(m.parse(&[3]).unwrap().unit, MeasureUnit::Count);
    let survey = MeasureForm {
        name: "Carers satisfied with the service".into(),
        unit: "percent".into(),
        ..m.clone()
    };
    assert!(survey.parse(&[3]).unwrap_err()[0]
        .message
        .starts_with("Only a measure counted in whole numbers"));
    let survey = MeasureForm {
        unit_cost_id: String::new(),
        attribution: String::new(),
        ..survey
    };
    assert_eq!(survey.parse(&[3]).unwrap().unit, MeasureUnit::Percent);
    let odd = MeasureForm {
        unit: "furlongs".into(),
        ..m.clone()
    };
    assert_eq!(
        odd.parse(&[3]).unwrap_err()[0].message,
        "Select how it is counted"
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
