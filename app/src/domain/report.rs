//! Reports for commissioners: a funding round in figures (how many bids came in, went
//! through assessment and were funded; money asked for and awarded; scores by criterion).
use super::assessment::mean;
use super::bid::BidStatus;
use super::decision::Outcome;
use super::money::Pence;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the report needs to know about one bid.
#[derive(Debug, Clone, PartialEq)]
pub struct BidFacts {
    pub status: BidStatus,
    /// It was sent at least once (it has a reference), whatever happened next.
    pub sent: bool,
    pub requested: Pence,
    pub decision: Option<(Outcome, Option<Pence>)>,
    /// Assessors assigned to it who have not declared a conflict.
    pub assessors: u32,
    /// Of those, how many have submitted their scores.
    pub submitted: u32,
}

/// The round's bids counted at each stage, and the money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundFigures {
    /// Started and never sent.
    pub drafts: u32,
    /// Sent by the closing date (including any later withdrawn).
    pub received: u32,
    pub withdrawn: u32,
    /// Passed the eligibility check and taken into assessment.
    pub eligible: u32,
    /// Eligible, and every assessor without a conflict has submitted scores.
    pub scored: u32,
    pub funded: u32,
    pub declined: u32,
    pub reserve_list: u32,
    /// Asked for by the bids received and not withdrawn.
    pub requested: Pence,
    pub awarded: Pence,
}

pub fn round_figures(bids: &[BidFacts]) -> RoundFigures {
    let mut f = RoundFigures::default();
    for b in bids {
        if !b.sent {
            if b.status == BidStatus::Draft {
                f.drafts += 1;
            }
            continue;
        }
        f.received += 1;
        if b.status == BidStatus::Withdrawn {
            f.withdrawn += 1;
            continue;
        }
        f.requested.0 += b.requested.0;
        let assessed = matches!(
            b.status,
            BidStatus::UnderAssessment | BidStatus::Awarded | BidStatus::Declined
        );
        if assessed {
            f.eligible += 1;
            if b.assessors > 0 && b.submitted >= b.assessors {
                f.scored += 1;
            }
        }
        match b.decision {
            Some((Outcome::Award, amount)) => {
                f.funded += 1;
                f.awarded.0 += amount.map(|a| a.0).unwrap_or_default();
            }
            Some((Outcome::Decline, _)) => f.declined += 1,
            Some((Outcome::Reserve, _)) => f.reserve_list += 1,
            None => {}
        }
    }
    f
}

/// One criterion's scores across the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionSummary {
    pub name: String,
    pub weight: u32,
    /// Submitted scores (every assessor, every bid).
    pub scores: u32,
    pub mean: Option<Decimal>,
    pub lowest: Option<u32>,
    pub highest: Option<u32>,
    /// Scores agreed at moderation.
    pub agreed: u32,
    pub agreed_mean: Option<Decimal>,
}

pub fn criterion_summary(
    name: &str,
    weight: u32,
    scores: &[u32],
    agreed: &[u32],
) -> CriterionSummary {
    CriterionSummary {
        name: name.to_string(),
        weight,
        scores: scores.len() as u32,
        mean: mean(scores),
        lowest: scores.iter().min().copied(),
        highest: scores.iter().max().copied(),
        agreed: agreed.len() as u32,
        agreed_mean: mean(agreed),
    }
}

/// A funding round in figures: its bids and decisions, and each criterion's scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundReport {
    pub round_id: i64,
    pub title: String,
    pub status: String,
    pub envelope: Pence,
    pub figures: RoundFigures,
    pub criteria: Vec<CriterionSummary>,
    /// Awards of bids below a criterion's minimum score: (organisation, amount, the reason).
    #[serde(default)]
    pub overrides: Vec<(String, Pence, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bid(status: BidStatus, sent: bool, requested: i64) -> BidFacts {
        BidFacts {
            status,
            sent,
            requested: Pence(requested),
            decision: None,
            assessors: 0,
            submitted: 0,
        }
    }

    #[test]
    fn bids_are_counted_at_each_stage() {
        let mut awarded = bid(BidStatus::Awarded, true, 100000);
        awarded.decision = Some((Outcome::Award, Some(Pence(80000))));
        awarded.assessors = 3;
        awarded.submitted = 3;
        let mut declined = bid(BidStatus::Declined, true, 200000);
        declined.decision = Some((Outcome::Decline, None));
        declined.assessors = 2;
        declined.submitted = 1;
        let mut reserve = bid(BidStatus::UnderAssessment, true, 50000);
        reserve.decision = Some((Outcome::Reserve, None));
        let bids = [
            awarded,
            declined,
            reserve,
            bid(BidStatus::Submitted, true, 30000),
            bid(BidStatus::Withdrawn, true, 999900),
            bid(BidStatus::Withdrawn, false, 0),
            bid(BidStatus::Draft, false, 70000),
        ];
        let f = round_figures(&bids);
        assert_eq!(f.drafts, 1);
        assert_eq!(
            f.received, 5,
            "sent bids, including the one withdrawn after"
        );
        assert_eq!(f.withdrawn, 1);
        assert_eq!(f.eligible, 3);
        assert_eq!(f.scored, 1, "every assessor without a conflict must submit");
        assert_eq!((f.funded, f.declined, f.reserve_list), (1, 1, 1));
        assert_eq!(
            f.requested,
            Pence(380000),
            "withdrawn and unsent bids ask for nothing"
        );
        assert_eq!(f.awarded, Pence(80000));
    }

    #[test]
    fn a_bid_with_no_assessors_is_not_scored() {
        let f = round_figures(&[bid(BidStatus::UnderAssessment, true, 1)]);
        assert_eq!((f.eligible, f.scored), (1, 0));
    }

    #[test]
    fn an_empty_round_reports_zeroes() {
        assert_eq!(round_figures(&[]), RoundFigures::default());
        let c = criterion_summary("Sustainability", 40, &[], &[]);
        assert_eq!(
            (c.scores, c.mean, c.lowest, c.highest),
            (0, None, None, None)
        );
    }

    #[test]
    fn criterion_means_spread_and_agreed_scores() {
        let c = criterion_summary("Sustainability", 40, &[3, 4, 4, 5, 2], &[4, 3]);
        assert_eq!(c.scores, 5);
        assert_eq!(c.mean, Some(Decimal::new(36, 1)));
        assert_eq!((c.lowest, c.highest), (Some(2), Some(5)));
        assert_eq!((c.agreed, c.agreed_mean), (2, Some(Decimal::new(35, 1))));
    }
}
