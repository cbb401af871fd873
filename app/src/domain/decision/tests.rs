//! The rules of `domain::decision`, as their users meet them.
use super::*;

#[test]
fn awards_are_at_most_the_request_and_declines_need_feedback() {
    let requested = Pence(2_400_000);
    let award = DecisionForm {
        outcome: "award".into(),
        amount: "20000".into(),
        purpose: "A weekly chiropody clinic".into(),
        ..Default::default()
    };
    assert_eq!(
        award.parse(requested).unwrap().amount,
        Some(Pence(2_000_000))
    );
    // What the grant pays for is published: an award needs it.
    let unsaid = DecisionForm {
        purpose: " ".into(),
        ..award.clone()
    };
    assert_eq!(
        unsaid.parse(requested).unwrap_err()[0].message,
        "Enter what the grant pays for: it is published on the register of awards"
    );
    let too_much = DecisionForm {
        outcome: "award".into(),
        amount: "30000".into(),
        ..Default::default()
    };
    assert_eq!(
        too_much.parse(requested).unwrap_err()[0].message,
        "The amount awarded must not be more than the £24,000.00 requested"
    );
    let decline = DecisionForm {
        outcome: "decline".into(),
        ..Default::default()
    };
    assert_eq!(decline.parse(requested).unwrap_err()[0].field, "feedback");
    assert_eq!(
        DecisionForm::default().parse(requested).unwrap_err()[0].message,
        "Select a decision"
    );
}

#[test]
fn an_award_before_every_assessor_has_scored_must_be_confirmed() {
    let award = DecisionForm {
        outcome: "award".into(),
        amount: "20000".into(),
        ..Default::default()
    };
    let waiting = vec!["Priya Shah".to_string(), "Tom Reed".to_string()];
    let refused = check_scores_in(&award, &waiting).unwrap_err();
    assert_eq!(refused.field, "award_before_scores");
    assert_eq!(
        refused.message,
        "Priya Shah and Tom Reed have not submitted scores for this bid. Wait for their \
         scores, or tick the box to award before they have"
    );
    assert!(check_scores_in(&award, &waiting[..1])
        .unwrap_err()
        .message
        .starts_with("Priya Shah has not submitted"));
    let confirmed = DecisionForm {
        award_before_scores: "award_before_scores".into(),
        ..award.clone()
    };
    assert!(check_scores_in(&confirmed, &waiting).is_ok());
    assert!(check_scores_in(&award, &[]).is_ok());
    // Only an award waits: a bid can go on the reserve list or be declined.
    let reserve = DecisionForm {
        outcome: "reserve".into(),
        ..Default::default()
    };
    assert!(check_scores_in(&reserve, &waiting).is_ok());
}

#[test]
fn awarding_a_bid_below_a_minimum_needs_a_reason() {
    let award = DecisionForm {
        outcome: "award".into(),
        amount: "1000".into(),
        purpose: "A clinic".into(),
        ..Default::default()
    };
    assert_eq!(check_override(&award, true), Ok(None));
    assert_eq!(
        check_override(&award, false).unwrap_err().message,
        "This bid scored below a criterion's minimum. Give the reason for awarding it anyway"
    );
    let reasoned = DecisionForm {
        override_reason: " The only bid that reaches the estate ".into(),
        ..award.clone()
    };
    assert_eq!(
        check_override(&reasoned, false),
        Ok(Some("The only bid that reaches the estate".into()))
    );
    let decline = DecisionForm {
        outcome: "decline".into(),
        ..Default::default()
    };
    assert_eq!(check_override(&decline, false), Ok(None));
}

#[test]
fn what_an_award_pays_for_is_drafted_from_the_budget() {
    let lines = ["Chiropodist (part time)", "Clinic room hire", "DBS checks"];
    let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        draft_purpose(&lines),
        "Seed funding towards chiropodist (part time), clinic room hire and DBS checks"
    );
    assert_eq!(draft_purpose(&[]), "Seed funding to set up the service");
}

#[test]
fn tranches_split_50_30_20_to_the_penny() {
    let start = NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
    let t = default_tranches(Pence(2_000_001), start, 24);
    assert_eq!(t.iter().map(|x| x.amount.0).sum::<i64>(), 2_000_001);
    assert_eq!(t[0].amount, Pence(1_000_001));
    assert_eq!(t[1].amount, Pence(600_000));
    assert_eq!(t[1].due, NaiveDate::from_ymd_opt(2028, 4, 1).unwrap());
    assert_eq!(t[2].due, NaiveDate::from_ymd_opt(2029, 1, 1).unwrap());
}

#[test]
fn feedback_is_drawn_from_scores_and_reasons() {
    let text = draft_feedback(
        "Happy Feet CIC",
        &[
            (
                "Sustainability".into(),
                Some(2.into()),
                40,
                vec!["Charges too low to cover costs".into()],
            ),
            (
                "Need".into(),
                Some(rust_decimal::Decimal::new(45, 1)),
                30,
                vec![],
            ),
            (
                "Value".into(),
                Some(rust_decimal::Decimal::new(43333, 4)),
                30,
                vec![],
            ),
        ],
        false,
    );
    assert!(text.contains("Sustainability (weight 40%): 2 out of 5."));
    // A mean of 4.5 is 4.5, not rounded to 4 (nor to even).
    assert!(text.contains("Need (weight 30%): 4.5 out of 5."), "{text}");
    assert!(text.contains("Value (weight 30%): 4.3 out of 5."), "{text}");
    assert!(text.contains("- Charges too low to cover costs"));
    assert!(text.contains("minimum score"));
}

#[test]
fn an_agreed_score_is_0_to_5_with_a_note_and_blank_leaves_it() {
    let criteria = [(1, "Need"), (2, "Sustainability"), (3, "Value")];
    let typed = |scores: [(&'static str, &'static str); 3]| {
        move |id: i64| {
            let (s, n) = scores[(id - 1) as usize];
            (s.to_string(), n.to_string())
        }
    };
    let ok = agreed_scores(
        &criteria,
        typed([("4", " agreed at panel "), ("", ""), ("0", "none")]),
    );
    assert_eq!(
        ok.unwrap(),
        vec![(1, 4, "agreed at panel".into()), (3, 0, "none".into())]
    );
    let bad = agreed_scores(&criteria, typed([("6", "x"), ("3", " "), ("two", "")])).unwrap_err();
    let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["agreed[1]", "note[2]", "agreed[3]"]);
    assert!(bad[1].message.contains("\"Sustainability\""));
}

#[test]
fn a_batch_needs_a_decision_and_a_ticked_bid() {
    assert_eq!(batch_choice("award", 2), Ok(Outcome::Award));
    let both = batch_choice("", 0).unwrap_err();
    let fields: Vec<&str> = both.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["outcome", "bid"]);
    assert_eq!(
        batch_choice("decline", 0).unwrap_err()[0].message,
        "Tick at least one bid"
    );
}
