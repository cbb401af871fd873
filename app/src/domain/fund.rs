//! The pooled fund: financial years, the partners' shares, and the ledger's arithmetic.
//!
//! Every movement of money is an append-only ledger entry attributed to a partner.
//! Totals are derived from the entries; nothing is edited in place.
use super::money::Pence;
use super::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A UK public-sector financial year, 1 April to 31 March, named by the year it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    pub fn containing(date: NaiveDate) -> Self {
        if date.month() >= 4 {
            FinancialYear(date.year())
        } else {
            FinancialYear(date.year() - 1)
        }
    }

    pub fn starts(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0, 4, 1)
    }

    pub fn ends(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31)
    }

    /// "2026 to 2027", as GOV.UK writes year ranges.
    pub fn label(self) -> String {
        format!("{} to {}", self.0, self.0 + 1)
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        match input.trim().parse::<i32>() {
            Ok(year) if (2000..=2100).contains(&year) => Ok(FinancialYear(year)),
            _ => Err(FieldError::new(field, "Select the financial year")),
        }
    }
}

impl TryFrom<String> for Movement {
    type Error = crate::domain::coded::UnknownCode;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Movement::from_stored(code)
    }
}

/// The kinds of movement in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Movement {
    /// A partner's contribution, or a variation to it (may be negative).
    Contribution,
    /// Money set aside for a funding round's envelope when it is published.
    Reservation,
    /// Money promised to an organisation by an award; it comes out of a reservation.
    Commitment,
    /// Unused reserved money returned to the fund (e.g. what a round did not award).
    Release,
    /// A tranche paid to a funded scheme; it comes out of a commitment.
    Payment,
    /// Committed money that will not be paid (an award turned down, a scheme ended early or
    /// graduated with tranches unpaid), returned to the fund's uncommitted money.
    Decommitment,
    /// Money a scheme was paid and repaid (clawback): no longer paid nor committed, it is
    /// the fund's uncommitted money again.
    Repayment,
}

impl Movement {
    pub const ALL: [Movement; 7] = [
        Movement::Contribution,
        Movement::Reservation,
        Movement::Commitment,
        Movement::Release,
        Movement::Payment,
        Movement::Decommitment,
        Movement::Repayment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Movement::Contribution => "contribution",
            Movement::Reservation => "reservation",
            Movement::Commitment => "commitment",
            Movement::Release => "release",
            Movement::Payment => "payment",
            Movement::Decommitment => "decommitment",
            Movement::Repayment => "repayment",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Movement::ALL.into_iter().find(|m| m.code() == code)
    }

    /// A stored code (ledger rows decode their movement through this).
    pub fn from_stored(code: String) -> Result<Self, crate::domain::coded::UnknownCode> {
        Movement::from_code(&code).ok_or(crate::domain::coded::UnknownCode(code))
    }

    pub fn label(self) -> &'static str {
        match self {
            Movement::Contribution => "Contribution",
            Movement::Reservation => "Reserved for a round",
            Movement::Commitment => "Committed by an award",
            Movement::Release => "Released back to the fund",
            Movement::Payment => "Paid",
            Movement::Decommitment => "Commitment released: not to be paid",
            Movement::Repayment => "Repaid by a scheme (clawback)",
        }
    }
}

/// What a partner (or the whole fund) has put in and where it has gone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub contributed: Pence,
    /// Reserved for rounds and not yet committed or released.
    pub reserved: Pence,
    /// Promised by awards (including what has since been paid).
    pub committed: Pence,
    pub paid: Pence,
    /// Committed, then released unpaid: awards turned down, schemes ended or graduated with
    /// tranches unpaid (already out of `committed`).
    #[serde(default)]
    pub released: Pence,
    /// Paid, then repaid by schemes (clawback; already out of `committed` and `paid`).
    #[serde(default)]
    pub repaid: Pence,
}

impl Totals {
    /// Add one ledger entry.
    pub fn apply(&mut self, movement: Movement, amount: Pence) {
        match movement {
            Movement::Contribution => self.contributed.0 += amount.0,
            Movement::Reservation => self.reserved.0 += amount.0,
            Movement::Commitment => {
                self.reserved.0 -= amount.0;
                self.committed.0 += amount.0;
            }
            Movement::Release => self.reserved.0 -= amount.0,
            Movement::Payment => self.paid.0 += amount.0,
            Movement::Decommitment => {
                self.committed.0 -= amount.0;
                self.released.0 += amount.0;
            }
            Movement::Repayment => {
                self.committed.0 -= amount.0;
                self.paid.0 -= amount.0;
                self.repaid.0 += amount.0;
            }
        }
    }

    /// From the sum of each kind of entry.
    pub fn from_sums(sums: impl IntoIterator<Item = (Movement, Pence)>) -> Self {
        let mut totals = Totals::default();
        for (movement, amount) in sums {
            totals.apply(movement, amount);
        }
        totals
    }

    /// Neither reserved for a round nor committed by an award.
    pub fn uncommitted(&self) -> Pence {
        Pence(self.contributed.0 - self.reserved.0 - self.committed.0)
    }

    pub fn add(&self, other: &Totals) -> Totals {
        Totals {
            contributed: Pence(self.contributed.0 + other.contributed.0),
            reserved: Pence(self.reserved.0 + other.reserved.0),
            committed: Pence(self.committed.0 + other.committed.0),
            paid: Pence(self.paid.0 + other.paid.0),
            released: Pence(self.released.0 + other.released.0),
            repaid: Pence(self.repaid.0 + other.repaid.0),
        }
    }
}

/// Split `amount` between partners in proportion to their `shares` (their contributions),
/// exactly: the parts add up to `amount` to the penny, each part is within a penny of its
/// exact proportion, and leftover pennies go to the largest remainders (ties to the first).
/// With no positive shares everything goes to the first partner.
pub fn split_pro_rata(amount: Pence, shares: &[Pence]) -> Vec<Pence> {
    if shares.is_empty() {
        return vec![];
    }
    let total: i128 = shares.iter().map(|s| i128::from(s.0.max(0))).sum();
    if total == 0 {
        let mut parts = vec![Pence(0); shares.len()];
        parts[0] = amount;
        return parts;
    }
    let amount_i = i128::from(amount.0);
    let mut parts: Vec<i128> = Vec::with_capacity(shares.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(shares.len());
    for (i, share) in shares.iter().enumerate() {
        let exact = amount_i * i128::from(share.0.max(0));
        parts.push(exact.div_euclid(total));
        remainders.push((exact.rem_euclid(total), i));
    }
    let mut left = amount_i - parts.iter().sum::<i128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left <= 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|p| Pence(i64::try_from(p).unwrap_or(i64::MAX)))
        .collect()
}

/// Contributions entered at set-up must add up to the agreed value.
pub fn check_contributions(agreed: Pence, contributions: &[Pence]) -> Result<(), FieldError> {
    let sum: i64 = contributions.iter().map(|c| c.0).sum();
    if sum == agreed.0 {
        Ok(())
    } else {
        Err(FieldError::new(
            "agreed_value",
            format!(
                "The partners' contributions add up to {}. The agreed value must be the same: {} entered",
                Pence(sum),
                agreed
            ),
        ))
    }
}

/// Why a movement was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerRefusal {
    /// Reserving or committing this much would take the fund past its agreed value.
    OverAgreedValue { uncommitted: Pence },
    /// An award larger than what is left of the round's envelope.
    OverEnvelope { left: Pence },
    /// A decrease that would leave the fund below what is already reserved and committed.
    BelowCommitments { in_use: Pence },
}

impl LedgerRefusal {
    pub fn message(&self) -> String {
        match self {
            LedgerRefusal::OverAgreedValue { uncommitted } => format!(
                "There is not enough uncommitted money in the pooled fund. Only {uncommitted} is left to reserve"
            ),
            LedgerRefusal::OverEnvelope { left } => format!(
                "The award is more than is left in the round's budget envelope. Only {left} is left"
            ),
            LedgerRefusal::BelowCommitments { in_use } => format!(
                "The agreed value cannot go below the {in_use} already reserved and committed"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
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
}
