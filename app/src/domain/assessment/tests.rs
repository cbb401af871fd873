//! The rules of `domain::assessment`, as their users meet them.
use super::*;
use proptest::prelude::*;

#[test]
fn declarations_need_a_nature_and_description_for_a_conflict() {
    let none = DeclarationForm {
        conflict: "none".into(),
        ..Default::default()
    };
    assert_eq!(none.parse(), Ok(Declaration::NoConflict));
    let vague = DeclarationForm {
        conflict: "conflict".into(),
        ..Default::default()
    };
    let errors = vague.parse().unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        DeclarationForm::default().parse().unwrap_err()[0].message,
        "Select whether you have a conflict of interest with this organisation"
    );
    let trustee = DeclarationForm {
        conflict: "conflict".into(),
        nature: "trustee".into(),
        description: "I am a trustee".into(),
    };
    assert!(matches!(
        trustee.parse(),
        Ok(Declaration::Conflict {
            nature: ConflictNature::Trustee,
            ..
        })
    ));
}

#[test]
fn lay_evaluators_score_only_criteria_on_their_sections() {
    assert!(panel_scores(Panel::Board, &[1], &[2]));
    assert!(!panel_scores(Panel::Lay, &[1], &[2]));
    assert!(panel_scores(Panel::Lay, &[1, 2], &[2]));
    assert!(!panel_scores(Panel::Lay, &[], &[2]));
    assert!(panel_scores(Panel::Board, &[], &[2]));
}

#[test]
fn a_bid_is_fundable_from_agreed_scores_else_the_mean() {
    // Sustainability (minimum 3): two assessors gave 2 and 3, a mean of 2.5.
    assert_eq!(
        fundable_from(&[(None, None, 2, 8), (Some(3), None, 2, 5)]),
        Some(false)
    );
    // The panel agreed 3: fundable.
    assert_eq!(
        fundable_from(&[(None, None, 2, 8), (Some(3), Some(3), 2, 5)]),
        Some(true)
    );
    assert_eq!(
        fundable_from(&[(Some(3), None, 0, 0)]),
        None,
        "not scored yet"
    );
}

#[test]
fn carers_alone_score_a_criterion_drawn_only_from_their_section() {
    assert!(!panel_scores(Panel::Board, &[2], &[2]));
    assert!(panel_scores(Panel::Lay, &[2], &[2]));
    assert!(!panel_scores(Panel::Board, &[2, 3], &[2, 3]));
    // Drawn from the carers' section and another: both panels score it.
    assert!(panel_scores(Panel::Board, &[1, 2], &[2]));
    assert_eq!(scored_by(&[1, 2], &[2]), ScoredBy::Both);
    assert_eq!(scored_by(&[2], &[2]), ScoredBy::Lay);
    assert_eq!(scored_by(&[1], &[2]), ScoredBy::Board);
    assert_eq!(ScoredBy::Lay.label(), "scored by the lay panel alone");
}

#[test]
fn scores_are_0_to_5_with_a_justification_to_submit() {
    assert_eq!(
        parse_score("3", "Need", "4", "Strong evidence", true),
        Ok((Some(4), "Strong evidence".into()))
    );
    assert_eq!(
        parse_score("3", "Need", "", "", false),
        Ok((None, String::new()))
    );
    let errors = parse_score("3", "Need", "", "", true).unwrap_err();
    assert_eq!(errors[0].field, "score[3]");
    assert_eq!(errors[1].message, "Explain your score for \"Need\"");
    assert!(parse_score("3", "Need", "6", "x", false).is_err());
}

#[test]
fn totals_means_and_spread() {
    let d = |n: i64| Decimal::from(n);
    assert_eq!(
        weighted_total(&[(40, d(5)), (35, d(5)), (25, d(5))]),
        d(100)
    );
    assert_eq!(
        weighted_total(&[(40, d(3)), (35, d(4)), (25, d(2))]),
        Decimal::new(62, 0)
    );
    assert_eq!(mean(&[3, 4]), Some(Decimal::new(35, 1)));
    assert!(spread_flag(&[1, 3]));
    assert!(!spread_flag(&[2, 3, 3]));
    assert!(fundable(&[(Some(3), d(3)), (None, d(0))]));
    assert!(!fundable(&[(Some(3), Decimal::new(29, 1))]));
}

fn ranked(id: i64, total: i64, fundable: bool, requested: i64, at: &str) -> Ranked {
    Ranked {
        bid_id: id,
        total: Decimal::from(total),
        fundable,
        requested: Pence(requested),
        submitted_at: at.into(),
    }
}

#[test]
fn the_funding_line_falls_where_the_money_runs_out() {
    let placed = rank(
        vec![
            ranked(1, 60, true, 30_000, "b"),
            ranked(2, 80, true, 30_000, "a"),
            ranked(3, 90, false, 10_000, "a"),
            ranked(4, 60, true, 10_000, "a"),
            ranked(5, 50, true, 1_000, "a"),
        ],
        Pence(65_000),
    );
    let order: Vec<i64> = placed.iter().map(|p| p.bid.bid_id).collect();
    assert_eq!(
        order,
        vec![2, 4, 1, 5, 3],
        "ties go to the earlier bid; unfundable last"
    );
    let above: Vec<bool> = placed.iter().map(|p| p.above_line).collect();
    assert_eq!(above, vec![true, true, false, false, false]);
    assert_eq!(placed[2].running_total, Pence(70_000));
}

#[test]
fn score_stats_give_the_mean_and_the_spread() {
    let stats = ScoreStats {
        count: 3,
        sum: 10,
        min: 2,
        max: 4,
    };
    assert_eq!(stats.mean(), Some(Decimal::new(33, 1)));
    assert!(stats.spread());
    assert!(!ScoreStats {
        count: 2,
        sum: 7,
        min: 3,
        max: 4
    }
    .spread());
    assert_eq!(ScoreStats::default().mean(), None);
    assert!(!ScoreStats::default().spread());
    assert_eq!(mean(&[4, 5]), Some(Decimal::new(45, 1)));
    assert_eq!(mean(&[1, 1, 2]), Some(Decimal::new(13, 1)));
}

proptest! {
    #[test]
    fn stats_agree_with_the_scores_they_sum_up(scores in prop::collection::vec(0u32..=5, 0..20)) {
        let stats = ScoreStats::of(&scores);
        let exact = (!scores.is_empty()).then(|| {
            Decimal::from(scores.iter().sum::<u32>()) / Decimal::from(scores.len() as u32)
        });
        match (stats.mean(), exact) {
            (Some(m), Some(e)) => prop_assert!((m - e).abs() <= Decimal::new(5, 2)),
            (None, None) => {}
            other => prop_assert!(false, "mean disagrees: {other:?}"),
        }
        let spread = scores.iter().any(|a| scores.iter().any(|b| a + 2 <= *b));
        prop_assert_eq!(stats.spread(), spread);
    }

    #[test]
    fn weighted_totals_lie_between_0_and_100(scores in prop::collection::vec(0u32..=5, 1..8)) {
        // Weights that add up to 100.
        let n = scores.len() as u32;
        let mut weights = vec![100 / n; scores.len()];
        weights[0] += 100 - (100 / n) * n;
        let pairs: Vec<(u32, Decimal)> = weights.into_iter().zip(scores.iter().map(|s| Decimal::from(*s))).collect();
        let total = weighted_total(&pairs);
        prop_assert!(total >= Decimal::ZERO && total <= Decimal::from(100));
    }

    #[test]
    fn ranking_is_stable_whatever_the_input_order(mut totals in prop::collection::vec((0i64..5, 0i64..3), 1..12)) {
        let bids: Vec<Ranked> = totals.iter().enumerate().map(|(i, (t, at))| ranked(i as i64, *t * 10, true, 100, &at.to_string())).collect();
        let forward: Vec<i64> = rank(bids.clone(), Pence(1_000)).iter().map(|p| p.bid.bid_id).collect();
        let mut reversed = bids;
        reversed.reverse();
        let backward: Vec<i64> = rank(reversed, Pence(1_000)).iter().map(|p| p.bid.bid_id).collect();
        prop_assert_eq!(forward, backward);
        totals.clear();
    }
}

#[test]
fn a_criterion_is_scored_from_the_bid_or_at_the_interview() {
    assert_eq!(criterion_stage("written", "", 2), Ok(None));
    assert_eq!(criterion_stage("", "", 1), Ok(None));
    assert_eq!(
        criterion_stage("written", "", 0).unwrap_err().field,
        "sections"
    );
    // An interview criterion draws on no section: the commissioner names who scores it.
    assert_eq!(
        criterion_stage("interview", "lay", 0),
        Ok(Some(ScoredBy::Lay))
    );
    assert_eq!(
        criterion_stage("interview", "both", 3),
        Ok(Some(ScoredBy::Both))
    );
    assert_eq!(
        criterion_stage("interview", "", 0).unwrap_err().message,
        "Select who scores this criterion at the interview"
    );
    assert_eq!(criterion_stage("later", "", 1).unwrap_err().field, "stage");
    for s in [ScoredBy::Board, ScoredBy::Lay, ScoredBy::Both] {
        assert_eq!(ScoredBy::from_code(s.code()), Some(s));
    }
    assert_eq!(Stage::from_form("interview"), Stage::Interview);
    assert_eq!(Stage::from_form(""), Stage::Written);
}
