//! The rules of `domain::registers`, as their users meet them.
use super::*;

#[test]
fn statuses_have_plain_labels() {
    assert_eq!(GapStatus::RoundOpen.label(), "Round open");
    assert_eq!(GapStatus::from_code("filled"), Some(GapStatus::Filled));
    assert_eq!(MarketCategory::ALL.len(), 3);
    assert!(Priority::parse("priority", "urgent", "Select the priority").is_err());
}

#[test]
fn a_gap_needs_its_essentials() {
    let errors = GapForm::default().parse().unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "title",
            "need",
            "target_population",
            "outcome_sought",
            "priority"
        ]
    );
    let gap = GapForm {
        title: " Affordable chiropody ".into(),
        need: "Older people cannot get their feet cared for".into(),
        target_population: "People over 65".into(),
        outcome_sought: "Fewer falls among over-65s".into(),
        priority: "high".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    assert_eq!(gap.title, "Affordable chiropody");
    assert_eq!(gap.status, GapStatus::Identified);
    assert_eq!(gap.to_form().parse(), Ok(gap));
}

#[test]
fn a_service_review_comes_after_the_last_one() {
    let form = ServiceForm {
        name: "Meals on wheels".into(),
        current_provider: "Council in-house".into(),
        contract_value: "120,000".into(),
        contract_currency: "1 April 2025 to 31 March 2028".into(),
        last_reviewed_day: "1".into(),
        last_reviewed_month: "6".into(),
        last_reviewed_year: "2026".into(),
        review_due_day: "1".into(),
        review_due_month: "6".into(),
        review_due_year: "2025".into(),
        market_category: "open".into(),
        ..Default::default()
    };
    let errors = form.parse().unwrap_err();
    assert_eq!(
        errors[0].message,
        "Expected review date must be after the date of the last review"
    );
    let fixed = ServiceForm {
        review_due_year: "2027".into(),
        ..form
    };
    let service = fixed.parse().unwrap();
    assert_eq!(service.contract_value, Pence(12_000_000));
    assert_eq!(service.to_form().parse(), Ok(service));
}
