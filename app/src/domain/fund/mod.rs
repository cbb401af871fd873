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
    /// Committed and not paid in this year: carried forward to the next year's fund with its
    /// commitment (at the year-end, or when a tranche is paid in a later year).
    CommitmentCarriedForward,
    /// A commitment carried forward from the year before, with its money.
    CommitmentBroughtForward,
    /// A partner's underspend carried forward to the next year's fund, as the partners agreed.
    UnderspendCarriedForward,
    /// A partner's underspend brought forward from the year before: uncommitted money.
    UnderspendBroughtForward,
    /// A partner's underspend returned to the partner at the year-end, as the partners agreed.
    UnderspendReturned,
    /// Money repaid (clawback) in this year for a payment made in an earlier, closed year:
    /// uncommitted money of this year.
    Recovered,
    /// A tranche planned in this year was paid early, in an earlier year (and committed
    /// there): this year's commitment goes back to its uncommitted money.
    PaidInEarlierYear,
    /// A variation reduced an award (or moved a tranche to another year): the commitment
    /// goes back to this year's uncommitted money.
    AwardReduced,
}

impl Movement {
    pub const ALL: [Movement; 15] = [
        Movement::Contribution,
        Movement::Reservation,
        Movement::Commitment,
        Movement::Release,
        Movement::Payment,
        Movement::Decommitment,
        Movement::Repayment,
        Movement::CommitmentCarriedForward,
        Movement::CommitmentBroughtForward,
        Movement::UnderspendCarriedForward,
        Movement::UnderspendBroughtForward,
        Movement::UnderspendReturned,
        Movement::Recovered,
        Movement::PaidInEarlierYear,
        Movement::AwardReduced,
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
            Movement::CommitmentCarriedForward => "commitment_carried_forward",
            Movement::CommitmentBroughtForward => "commitment_brought_forward",
            Movement::UnderspendCarriedForward => "underspend_carried_forward",
            Movement::UnderspendBroughtForward => "underspend_brought_forward",
            Movement::UnderspendReturned => "underspend_returned",
            Movement::Recovered => "recovered",
            Movement::PaidInEarlierYear => "paid_in_earlier_year",
            Movement::AwardReduced => "award_reduced",
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
            Movement::CommitmentCarriedForward => "Commitment carried forward to next year",
            Movement::CommitmentBroughtForward => "Commitment brought forward from last year",
            Movement::UnderspendCarriedForward => "Underspend carried forward to next year",
            Movement::UnderspendBroughtForward => "Underspend brought forward from last year",
            Movement::UnderspendReturned => "Underspend returned to the partner",
            Movement::Recovered => "Repaid for an earlier year's payment (clawback)",
            Movement::PaidInEarlierYear => "Commitment paid early, from an earlier year's fund",
            Movement::AwardReduced => "Commitment reduced by a variation",
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
    /// Money that came from the year before: commitments and underspend carried forward.
    #[serde(default)]
    pub brought_forward: Pence,
    /// Money that went to the next year: commitments and underspend carried forward.
    #[serde(default)]
    pub carried_forward: Pence,
    /// Underspend returned to the partner at the year-end.
    #[serde(default)]
    pub returned: Pence,
    /// Repayments of earlier years' payments, which add to this year's money.
    #[serde(default)]
    pub recovered: Pence,
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
            Movement::CommitmentCarriedForward => {
                self.committed.0 -= amount.0;
                self.carried_forward.0 += amount.0;
            }
            Movement::CommitmentBroughtForward => {
                self.committed.0 += amount.0;
                self.brought_forward.0 += amount.0;
            }
            Movement::UnderspendCarriedForward => self.carried_forward.0 += amount.0,
            Movement::UnderspendBroughtForward => self.brought_forward.0 += amount.0,
            Movement::UnderspendReturned => self.returned.0 += amount.0,
            Movement::Recovered => self.recovered.0 += amount.0,
            Movement::PaidInEarlierYear | Movement::AwardReduced => self.committed.0 -= amount.0,
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

    /// The money the year holds: contributed, brought forward from the year before and
    /// recovered from earlier years' payments, less what went on to the next year or back to
    /// the partners.
    pub fn available(&self) -> Pence {
        Pence(
            self.contributed.0 + self.brought_forward.0 + self.recovered.0
                - self.carried_forward.0
                - self.returned.0,
        )
    }

    /// Neither reserved for a round nor committed by an award.
    pub fn uncommitted(&self) -> Pence {
        Pence(self.available().0 - self.reserved.0 - self.committed.0)
    }

    pub fn add(&self, other: &Totals) -> Totals {
        Totals {
            contributed: Pence(self.contributed.0 + other.contributed.0),
            reserved: Pence(self.reserved.0 + other.reserved.0),
            committed: Pence(self.committed.0 + other.committed.0),
            paid: Pence(self.paid.0 + other.paid.0),
            released: Pence(self.released.0 + other.released.0),
            repaid: Pence(self.repaid.0 + other.repaid.0),
            brought_forward: Pence(self.brought_forward.0 + other.brought_forward.0),
            carried_forward: Pence(self.carried_forward.0 + other.carried_forward.0),
            returned: Pence(self.returned.0 + other.returned.0),
            recovered: Pence(self.recovered.0 + other.recovered.0),
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
    /// The year's fund is closed: nothing changes in it except through the next year's.
    Closed { year: FinancialYear },
    /// A later year's share of an award, and that year's fund is not set up.
    NoFundForYear { year: FinancialYear },
    /// A later year's share of an award is more than that year's fund has uncommitted.
    OverLaterYear {
        year: FinancialYear,
        share: Pence,
        uncommitted: Pence,
    },
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
            LedgerRefusal::Closed { year } => format!(
                "The {} pooled fund is closed: its year-end has been run. Record this in an open year",
                year.label()
            ),
            LedgerRefusal::NoFundForYear { year } => format!(
                "The award has tranches planned in {}, and that year's pooled fund is not set up. Set it up first, or plan the tranches in a year that has a fund",
                year.label()
            ),
            LedgerRefusal::OverLaterYear {
                year,
                share,
                uncommitted,
            } => format!(
                "The award's tranches planned in {} come to {share}, and that year's pooled fund has only {uncommitted} uncommitted",
                year.label()
            ),
        }
    }
}

mod years;
pub use years::*;

#[cfg(test)]
mod tests;
