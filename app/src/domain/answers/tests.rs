//! The answers' checks, as the applicant meets them.
use super::*;

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn question(qtype: QuestionType, limit: Option<u32>) -> Question {
    Question {
        label: "Describe the service".into(),
        hint: String::new(),
        qtype,
        required: true,
        word_limit: limit,
        options: vec!["Meals".into(), "Shopping".into()],
    }
}

#[test]
fn a_draft_keeps_blanks_but_completion_requires_answers() {
    let q = question(QuestionType::LongText, Some(3));
    let empty = Answers::new();
    assert!(check_question(7, &q, &empty, false, false).is_none());
    let e = check_question(7, &q, &empty, false, true).unwrap();
    assert_eq!(e.field, "answer[q7]");
    assert_eq!(e.message, "Enter your answer to \"Describe the service\"");
    let long = answers(&[("q7", "one two three four")]);
    assert_eq!(
        check_question(7, &q, &long, false, false).unwrap().message,
        "Your answer to \"Describe the service\" must be 3 words or fewer (it has 4)"
    );
}

#[test]
fn typed_values_are_checked_by_type() {
    let n = question(QuestionType::WholeNumber, None);
    assert!(check_question(1, &n, &answers(&[("q1", "1,200")]), false, true).is_none());
    assert!(check_question(1, &n, &answers(&[("q1", "lots")]), false, false).is_some());
    let choice = question(QuestionType::SingleChoice, None);
    assert!(check_question(1, &choice, &answers(&[("q1", "Meals")]), false, true).is_none());
    assert!(check_question(1, &choice, &answers(&[("q1", "Other")]), false, true).is_some());
    let many = question(QuestionType::MultipleChoice, None);
    assert_eq!(
        check_question(1, &many, &Answers::new(), false, true)
            .unwrap()
            .field,
        "answer[q1_0]"
    );
    assert_eq!(
        display(1, &many, &answers(&[("q1_1", "on")]), None),
        "Shopping"
    );
    let date = question(QuestionType::Date, None);
    let typed = answers(&[("q1_day", "1"), ("q1_month", "4"), ("q1_year", "2027")]);
    assert!(check_question(1, &date, &typed, false, true).is_none());
    assert_eq!(display(1, &date, &typed, None), "1 April 2027");
    let file = question(QuestionType::FileUpload, None);
    assert!(check_question(1, &file, &Answers::new(), true, true).is_none());
    assert!(check_question(1, &file, &Answers::new(), false, true).is_some());
}

#[test]
fn clean_drops_foreign_fields_and_cuts_huge_pastes() {
    let posted = answers(&[("q1", &"x".repeat(MAX_FIELD_CHARS + 10)), ("bad key!", "x")]);
    let kept = clean(posted);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept["q1"].chars().count(), MAX_FIELD_CHARS);
}

#[test]
fn a_budget_adds_up_and_the_request_is_checked() {
    let a = answers(&[
        ("line0_description", "Chiropodist (part time)"),
        ("line0_category", "staff"),
        ("line0_y1", "15000"),
        ("line0_y2", "15000"),
        ("line1_description", "Clinic room hire"),
        ("line1_category", "premises"),
        ("line1_y1", "5,000"),
        ("amount_requested", "24000"),
    ]);
    let limits = (Pence(500_000), Pence(3_000_000));
    let budget = parse_budget(&a, 2, limits, true).unwrap();
    assert_eq!(budget.lines.len(), 2);
    assert_eq!(
        budget.totals(2),
        (vec![Pence(2_000_000), Pence(1_500_000)], Pence(3_500_000))
    );
    assert_eq!(budget_rows(&a, 2), 2);
    // Check answers offers "Change" beside what was typed, never beside the total.
    let ctx = SectionContext {
        funded_years: 2,
        min_award: limits.0,
        max_award: limits.1,
        ..Default::default()
    };
    let rows = answer_rows(SectionKind::Budget, &[], &a, &ctx, &[]);
    let row = |q: &str| rows.iter().find(|r| r.question == q).unwrap().clone();
    assert_eq!(row("Total cost").answer, "£35,000.00");
    assert!(row("Total cost").worked_out);
    assert!(!row("Amount requested").worked_out);
    assert!(!row("Clinic room hire (Premises)").worked_out);
    let mut over = a.clone();
    over.insert("amount_requested".into(), "40000".into());
    let errors = parse_budget(&over, 2, limits, true).err().unwrap();
    assert_eq!(errors[0].field, "answer[amount_requested]");
    let mut half = a.clone();
    half.insert("line2_y1".into(), "12".into());
    let errors = parse_budget(&half, 2, limits, false).err().unwrap();
    assert_eq!(
        errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>(),
        vec![
            "Enter a description for budget line 3",
            "Select a category for budget line 3"
        ]
    );
}

#[test]
fn the_plan_runs_past_the_grant_and_adds_up_to_the_request() {
    let mut a = answers(&[("years", "3")]);
    for (year, grant, users) in [(1, "16000", "300"), (2, "8000", "800"), (3, "0", "1400")] {
        a.insert(plan_key(year, "costs"), "20000".into());
        a.insert(plan_key(year, "seed_grant"), grant.into());
        a.insert(plan_key(year, "charge_per_user"), "15".into());
        a.insert(plan_key(year, "expected_users"), users.into());
    }
    let plan = parse_plan(&a, 2, Some(Pence(2_400_000)), true).unwrap();
    assert_eq!(plan.len(), 3);
    assert_eq!(plan[2].dependency_percent(), 0);
    let wrong = parse_plan(&a, 2, Some(Pence(3_000_000)), true)
        .err()
        .unwrap();
    assert!(wrong[0]
        .message
        .starts_with("The seed grant across the plan must add up to the £30,000.00"));
    a.insert(plan_key(3, "seed_grant"), "100".into());
    let after = parse_plan(&a, 2, None, false).err().unwrap();
    assert_eq!(
        after[0].message,
        "The seed grant ends with the funding period: enter 0 for year 3"
    );
    assert_eq!(plan_years(&Answers::new(), 2), 3);
    assert_eq!(
        plan_years(&answers(&[("years", "99")]), 2),
        2 + MAX_YEARS_AFTER
    );
}
