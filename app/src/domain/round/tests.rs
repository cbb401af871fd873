//! The round's rules: its lifecycle, its details form, publishing.
use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, d, h, 0, 0).unwrap()
}

#[test]
fn published_rounds_open_and_close_by_the_clock() {
    let (opens, closes) = (at(10, 9), at(20, 12));
    let p = |now| phase(RoundStatus::Published, opens, closes, now);
    assert_eq!(p(at(9, 9)), RoundStatus::Published);
    assert_eq!(p(at(10, 9)), RoundStatus::Open);
    assert_eq!(p(at(20, 11)), RoundStatus::Open);
    assert_eq!(p(at(20, 12)), RoundStatus::Closed);
    assert_eq!(
        phase(RoundStatus::Open, opens, closes, at(21, 0)),
        RoundStatus::Closed
    );
    assert_eq!(
        phase(RoundStatus::Draft, opens, closes, at(21, 0)),
        RoundStatus::Draft
    );
    assert_eq!(
        phase(RoundStatus::Assessment, opens, closes, at(21, 0)),
        RoundStatus::Assessment
    );
}

#[test]
fn people_cannot_open_or_close_rounds_by_hand() {
    assert!(can_move(RoundStatus::Draft, RoundStatus::Published).is_ok());
    assert!(can_move(RoundStatus::Published, RoundStatus::Open).is_err());
    assert!(can_move(RoundStatus::Open, RoundStatus::Closed).is_err());
    assert!(can_move(RoundStatus::Closed, RoundStatus::Assessment).is_ok());
    assert_eq!(
        can_move(RoundStatus::Decided, RoundStatus::Draft).unwrap_err(),
        "A round that is decided cannot become draft"
    );
    assert!(clock_moves(RoundStatus::Published, RoundStatus::Closed));
    assert!(!clock_moves(RoundStatus::Draft, RoundStatus::Open));
}

proptest! {
    #[test]
    fn the_clock_only_moves_forward(stored in 0usize..6, a in 0i64..1000, b in 0i64..1000, now in 0i64..1000) {
        let stored = RoundStatus::ALL[stored];
        let base = at(1, 0);
        let opens = base + chrono::Duration::hours(a.min(b));
        let closes = base + chrono::Duration::hours(a.max(b) + 1);
        let now = base + chrono::Duration::hours(now);
        let real = phase(stored, opens, closes, now);
        // Either nothing changed or the clock made a legal move.
        prop_assert!(real == stored || clock_moves(stored, real));
        // A published round is never taken as open outside its window.
        if stored == RoundStatus::Published && real == RoundStatus::Open {
            prop_assert!(now >= opens && now < closes);
        }
    }
}

fn good_round() -> RoundForm {
    RoundForm {
        title: "Affordable chiropody".into(),
        summary: "Seed funding for foot care".into(),
        guidance: "Read this".into(),
        envelope: "60000".into(),
        min_award: "5000".into(),
        max_award: "30000".into(),
        period_months: "24".into(),
        area_served: "North East Lincolnshire".into(),
        opens_day: "1".into(),
        opens_month: "6".into(),
        opens_year: "2027".into(),
        opens_time: "9am".into(),
        closes_day: "30".into(),
        closes_month: "6".into(),
        closes_year: "2027".into(),
        closes_time: "12pm".into(),
        decision_day: "31".into(),
        decision_month: "7".into(),
        decision_year: "2027".into(),
        access: "open".into(),
        ..Default::default()
    }
}

#[test]
fn round_details_parse_in_uk_time() {
    let d = good_round()
        .parse(&["cic".into(), "registered_charity".into()])
        .unwrap();
    assert_eq!(
        d.opens_at,
        Utc.with_ymd_and_hms(2027, 6, 1, 8, 0, 0).unwrap()
    );
    assert_eq!(
        d.closes_at,
        Utc.with_ymd_and_hms(2027, 6, 30, 11, 0, 0).unwrap()
    );
    assert_eq!(
        d.legal_forms,
        vec![LegalForm::Cic, LegalForm::RegisteredCharity]
    );
    assert_eq!(
        d.to_form()
            .parse(&["cic".into(), "registered_charity".into()])
            .unwrap(),
        d
    );
}

#[test]
fn round_details_must_make_sense_together() {
    let bad = RoundForm {
        max_award: "70000".into(),
        min_award: "80000".into(),
        closes_month: "5".into(),
        ..good_round()
    };
    let errors = bad.parse(&[]).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.contains(&"Select which kinds of organisation may apply"));
    assert!(messages.contains(&"Closing date must be after the opening date"));
    assert!(messages.contains(&"The minimum award must not be more than the maximum award"));
    assert!(messages.contains(&"The maximum award must not be more than the budget envelope"));
}

#[test]
fn counts_days_to_the_deadline_in_uk_dates() {
    let closes = Utc.with_ymd_and_hms(2027, 1, 20, 12, 0, 0).unwrap();
    assert_eq!(
        closes_in(closes, Utc.with_ymd_and_hms(2027, 1, 20, 8, 0, 0).unwrap()),
        "Closes today"
    );
    assert_eq!(
        closes_in(closes, Utc.with_ymd_and_hms(2027, 1, 19, 23, 0, 0).unwrap()),
        "Closes tomorrow"
    );
    assert_eq!(
        closes_in(closes, Utc.with_ymd_and_hms(2027, 1, 8, 8, 0, 0).unwrap()),
        "Closes in 12 days"
    );
    assert_eq!(closes_in(closes, closes), "Closed");
}

#[test]
fn a_round_is_published_only_when_complete() {
    let now = Utc::now();
    let later = now + chrono::Duration::days(30);
    let complete = PublishCheck {
        gaps: 1,
        criteria: vec![("Sustainability", 60, true), ("Need", 40, true)],
        empty_sections: vec![],
        closes_at: later,
        fund_missing: None,
    };
    assert!(publish_problems(&complete, now).is_empty());
    let year = fund_year(now);
    let broken = PublishCheck {
        gaps: 0,
        criteria: vec![("Sustainability", 60, false)],
        empty_sections: vec!["Carers' views"],
        closes_at: now,
        fund_missing: Some(year),
    };
    let problems = publish_problems(&broken, now);
    assert_eq!(problems.len(), 6, "{problems:?}");
    assert_eq!(problems[0], "Choose at least one gap the round addresses");
    assert!(problems
        .iter()
        .any(|p| p.contains("\u{201c}Sustainability\u{201d} draws on")));
    assert!(problems
        .iter()
        .any(|p| p.contains("\u{201c}Carers' views\u{201d}, or remove it")));
    assert!(problems
        .iter()
        .any(|p| p == "The closing date has passed. Change the dates"));
    assert_eq!(problems[5], no_fund_message(year));
}
