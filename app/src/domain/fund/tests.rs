use super::*;
use proptest::prelude::*;

#[test]
fn financial_years_run_april_to_march() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(
        FinancialYear::containing(d(2026, 11, 26)),
        FinancialYear(2026)
    );
    assert_eq!(
        FinancialYear::containing(d(2027, 3, 31)),
        FinancialYear(2026)
    );
    assert_eq!(
        FinancialYear::containing(d(2027, 4, 1)),
        FinancialYear(2027)
    );
    assert_eq!(FinancialYear(2026).label(), "2026 to 2027");
    assert_eq!(FinancialYear(2026).ends(), Some(d(2027, 3, 31)));
    assert!(FinancialYear::parse("year", "twenty").is_err());
}

#[test]
fn totals_follow_the_money() {
    let mut t = Totals::default();
    t.apply(Movement::Contribution, Pence(100_000));
    t.apply(Movement::Reservation, Pence(60_000));
    t.apply(Movement::Commitment, Pence(45_000));
    t.apply(Movement::Release, Pence(15_000));
    t.apply(Movement::Payment, Pence(20_000));
    assert_eq!(t.reserved, Pence(0));
    assert_eq!(t.committed, Pence(45_000));
    assert_eq!(t.paid, Pence(20_000));
    assert_eq!(t.uncommitted(), Pence(55_000));
    // A scheme ends with 25,000 of its award unpaid: it is uncommitted again.
    t.apply(Movement::Decommitment, Pence(25_000));
    assert_eq!(t.committed, Pence(20_000));
    assert_eq!(t.paid, Pence(20_000));
    assert_eq!(t.uncommitted(), Pence(80_000));
    // It repays 5,000 of what it was paid: neither paid nor committed, uncommitted again.
    t.apply(Movement::Repayment, Pence(5_000));
    assert_eq!((t.committed, t.paid), (Pence(15_000), Pence(15_000)));
    assert_eq!(t.uncommitted(), Pence(85_000));
    // The statement shows what was released and repaid beside what is left.
    assert_eq!((t.released, t.repaid), (Pence(25_000), Pence(5_000)));
    assert_eq!(t.add(&t).released, Pence(50_000));
}

#[test]
fn contributions_must_match_the_agreed_value() {
    assert!(check_contributions(Pence(300), &[Pence(100), Pence(200)]).is_ok());
    let e = check_contributions(Pence(301), &[Pence(100), Pence(200)]).unwrap_err();
    assert_eq!(
        e.message,
        "The partners' contributions add up to £3.00. The agreed value must be the same: £3.01 entered"
    );
}

#[test]
fn splits_a_penny_to_the_largest_share() {
    assert_eq!(
        split_pro_rata(Pence(100), &[Pence(2), Pence(1)]),
        vec![Pence(67), Pence(33)]
    );
    assert_eq!(
        split_pro_rata(Pence(1), &[Pence(1), Pence(1)]),
        vec![Pence(1), Pence(0)]
    );
    assert_eq!(
        split_pro_rata(Pence(10), &[Pence(0), Pence(0)]),
        vec![Pence(10), Pence(0)]
    );
}

proptest! {
    #[test]
    fn a_split_is_exact_and_fair(amount in 0i64..10_000_000_000, shares in prop::collection::vec(0i64..10_000_000_000, 1..5)) {
        let shares: Vec<Pence> = shares.into_iter().map(Pence).collect();
        let parts = split_pro_rata(Pence(amount), &shares);
        prop_assert_eq!(parts.iter().map(|p| p.0).sum::<i64>(), amount);
        let total: i128 = shares.iter().map(|s| i128::from(s.0)).sum();
        if total > 0 {
            for (part, share) in parts.iter().zip(&shares) {
                let exact = i128::from(amount) * i128::from(share.0);
                // |part × total − amount × share| < total: within one penny.
                prop_assert!((i128::from(part.0) * total - exact).abs() < total);
            }
        }
    }

    #[test]
    fn uncommitted_is_what_is_left(c in 0i64..1_000_000, r in 0i64..1_000_000, k in 0i64..1_000_000) {
        let t = Totals::from_sums([
            (Movement::Contribution, Pence(c)),
            (Movement::Reservation, Pence(r + k)),
            (Movement::Commitment, Pence(k)),
        ]);
        prop_assert_eq!(t.uncommitted().0 + t.reserved.0 + t.committed.0, c);
    }
}
