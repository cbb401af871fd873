//! Assessment: who scores what, conflicts of interest, weighted totals out of 100, the
//! spread between assessors, fundability and the funding line.
use super::money::Pence;
use super::round::Panel;
use super::text::{optional_text, required_text};
use super::FieldError;
use crate::coded_enum;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// How an assessor is connected with an applicant.
    ConflictNature {
        Trustee = ("trustee", "Trustee, director or committee member"),
        Employee = ("employee", "Employee or volunteer"),
        Family = ("family", "Family member or close friend works there"),
        Business = ("business", "Business or financial relationship"),
        Other = ("other", "Something else"),
    }
);

/// A declaration as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclarationForm {
    /// "none" or "conflict".
    pub conflict: String,
    pub nature: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Declaration {
    NoConflict,
    Conflict {
        nature: ConflictNature,
        description: String,
    },
}

impl DeclarationForm {
    pub fn parse(&self) -> Result<Declaration, Vec<FieldError>> {
        match self.conflict.as_str() {
            "none" => Ok(Declaration::NoConflict),
            "conflict" => {
                let mut errors = Vec::new();
                let nature = ConflictNature::parse(
                    "nature",
                    &self.nature,
                    "Select how you are connected with the organisation",
                )
                .map_err(|e| errors.push(e))
                .ok();
                let description = required_text(
                    "description",
                    &self.description,
                    "Describe the conflict of interest",
                    1000,
                    "The description",
                )
                .map_err(|e| errors.push(e))
                .ok();
                match (nature, description) {
                    (Some(nature), Some(description)) if errors.is_empty() => {
                        Ok(Declaration::Conflict {
                            nature,
                            description,
                        })
                    }
                    _ => Err(errors),
                }
            }
            _ => Err(vec![FieldError::new(
                "conflict",
                "Select whether you have a conflict of interest with this organisation",
            )]),
        }
    }
}

/// Where an assessor stands with one bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentStatus {
    DeclarationNeeded,
    ToScore,
    Scored,
    ConflictDeclared,
}

impl AssignmentStatus {
    pub fn label(self) -> &'static str {
        match self {
            AssignmentStatus::DeclarationNeeded => "Declaration needed",
            AssignmentStatus::ToScore => "To score",
            AssignmentStatus::Scored => "Scored",
            AssignmentStatus::ConflictDeclared => "Conflict declared",
        }
    }

    /// From the latest declaration (None: not yet declared; Some(true): a conflict) and
    /// whether the scores are submitted.
    pub fn of(declared: Option<bool>, submitted: bool) -> Self {
        match declared {
            None => AssignmentStatus::DeclarationNeeded,
            Some(true) => AssignmentStatus::ConflictDeclared,
            Some(false) if submitted => AssignmentStatus::Scored,
            Some(false) => AssignmentStatus::ToScore,
        }
    }
}

/// Does a panel score a criterion? Lay evaluators score a criterion when it covers a
/// section the lay panel scores; board members score every criterion except one drawn only
/// from lay-scored sections (the carers' section is scored by carers alone).
pub fn panel_scores(panel: Panel, criterion_sections: &[i64], lay_sections: &[i64]) -> bool {
    scored_by(criterion_sections, lay_sections).includes(panel)
}

/// Which panels score a criterion, from the sections it is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScoredBy {
    Board,
    Lay,
    Both,
}

impl ScoredBy {
    pub fn includes(self, panel: Panel) -> bool {
        matches!(
            (self, panel),
            (ScoredBy::Both, _) | (ScoredBy::Board, Panel::Board) | (ScoredBy::Lay, Panel::Lay)
        )
    }

    /// Stored for an interview criterion: "board", "lay" or "both".
    pub fn code(self) -> &'static str {
        match self {
            ScoredBy::Board => "board",
            ScoredBy::Lay => "lay",
            ScoredBy::Both => "both",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ScoredBy::Board, ScoredBy::Lay, ScoredBy::Both]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Who scores an interview criterion, as the criterion builder offers it.
    pub fn interview_label(self) -> &'static str {
        match self {
            ScoredBy::Board => "Board members",
            ScoredBy::Lay => "Lay evaluators alone (for example, carers)",
            ScoredBy::Both => "Board members and lay evaluators",
        }
    }

    /// "scored by the lay panel", for the moderation page.
    pub fn label(self) -> &'static str {
        match self {
            ScoredBy::Board => "scored by the board",
            ScoredBy::Lay => "scored by the lay panel alone",
            ScoredBy::Both => "scored by the board and the lay panel",
        }
    }
}

/// When a criterion is scored: from the written bid (drawing on sections), or at the
/// interview or presentation, by the panels the commissioner names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Written,
    Interview,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Written => "written",
            Stage::Interview => "interview",
        }
    }

    /// The stage a form or address names ("interview"; anything else is the written bid).
    pub fn from_form(code: &str) -> Self {
        if code == "interview" {
            Stage::Interview
        } else {
            Stage::Written
        }
    }
}

/// The builder's "when is it scored" for a criterion: `stage` ("written" or "interview"),
/// `panel` for an interview criterion, and how many sections were ticked (a written one
/// draws on at least one). None for a written criterion, else the panels that score it.
pub fn criterion_stage(
    stage: &str,
    panel: &str,
    sections_ticked: usize,
) -> Result<Option<ScoredBy>, FieldError> {
    match stage.trim() {
        "" | "written" if sections_ticked == 0 => Err(FieldError::new(
            "sections",
            "Select the sections this criterion draws on",
        )),
        "" | "written" => Ok(None),
        "interview" => ScoredBy::from_code(panel.trim()).map(Some).ok_or_else(|| {
            FieldError::new(
                "interview_panel",
                "Select who scores this criterion at the interview",
            )
        }),
        _ => Err(FieldError::new(
            "stage",
            "Select when this criterion is scored",
        )),
    }
}

pub fn scored_by(criterion_sections: &[i64], lay_sections: &[i64]) -> ScoredBy {
    let lay = criterion_sections
        .iter()
        .filter(|s| lay_sections.contains(s))
        .count();
    match lay {
        0 => ScoredBy::Board,
        n if n == criterion_sections.len() => ScoredBy::Lay,
        _ => ScoredBy::Both,
    }
}

/// A score as typed: 0 to 5 and a justification (required when submitting).
pub fn parse_score(
    field: &str,
    criterion: &str,
    score: &str,
    justification: &str,
    submitting: bool,
) -> Result<(Option<u32>, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let score_field = format!("score[{field}]");
    let why_field = format!("why[{field}]");
    let value = match score.trim() {
        "" if submitting => {
            errors.push(FieldError::new(
                &score_field,
                format!("Select a score for \"{criterion}\""),
            ));
            None
        }
        "" => None,
        s => match s.parse::<u32>() {
            Ok(n) if n <= super::questionnaire::MAX_SCORE => Some(n),
            _ => {
                errors.push(FieldError::new(
                    &score_field,
                    format!("The score for \"{criterion}\" must be from 0 to 5"),
                ));
                None
            }
        },
    };
    let why = if submitting {
        required_text(
            &why_field,
            justification,
            &format!("Explain your score for \"{criterion}\""),
            5000,
            "Your explanation",
        )
    } else {
        optional_text(&why_field, justification, 5000, "Your explanation")
    };
    let why = why.map_err(|e| errors.push(e)).ok();
    match why {
        Some(why) if errors.is_empty() => Ok((value, why)),
        _ => Err(errors),
    }
}

/// The weighted total out of 100: each criterion's score out of 5 times its weight (the
/// weights add up to 100), rounded to 1 decimal place.
pub fn weighted_total(scores: &[(u32, Decimal)]) -> Decimal {
    let total: Decimal = scores
        .iter()
        .map(|(weight, score)| Decimal::from(*weight) * *score / Decimal::from(5))
        .sum();
    total.round_dp(1)
}

/// The mean of some scores, to 1 decimal place; None without any.
pub fn mean(scores: &[u32]) -> Option<Decimal> {
    ScoreStats::of(scores).mean()
}

/// Assessors' scores for a criterion differ by 2 or more: talk about it at moderation.
pub fn spread_flag(scores: &[u32]) -> bool {
    ScoreStats::of(scores).spread()
}

/// What the moderation list needs of one criterion's scores for one bid: how many, their sum,
/// the lowest and the highest. The database aggregates these (COUNT, SUM, MIN, MAX) so the
/// ranking never reads every assessor's score; [`mean`] and [`spread_flag`] use the same rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreStats {
    pub count: u32,
    pub sum: u32,
    pub min: u32,
    pub max: u32,
}

impl ScoreStats {
    pub fn of(scores: &[u32]) -> ScoreStats {
        ScoreStats {
            count: scores.len() as u32,
            sum: scores.iter().sum(),
            min: scores.iter().copied().min().unwrap_or(0),
            max: scores.iter().copied().max().unwrap_or(0),
        }
    }

    /// The mean to one decimal place (half away from zero); none without scores.
    pub fn mean(&self) -> Option<Decimal> {
        (self.count > 0).then(|| (Decimal::from(self.sum) / Decimal::from(self.count)).round_dp(1))
    }

    /// The highest and lowest differ by 2 or more.
    pub fn spread(&self) -> bool {
        self.count > 0 && self.max.saturating_sub(self.min) >= 2
    }
}

/// A bid is fundable unless a criterion's (moderated, else mean) score is below its minimum.
pub fn fundable(scores: &[(Option<u32>, Decimal)]) -> bool {
    scores
        .iter()
        .all(|(min, score)| min.is_none_or(|m| *score >= Decimal::from(m)))
}

/// Whether a bid is fundable from each criterion's (minimum, agreed score, submitted
/// scores' count and sum): the agreed score counts, else the mean. None when no one has
/// scored it yet (it is not scored, rather than unfundable).
pub fn fundable_from(criteria: &[(Option<u32>, Option<u32>, u32, u32)]) -> Option<bool> {
    let scored = criteria.iter().any(|c| c.1.is_some() || c.2 > 0);
    let effective: Vec<(Option<u32>, Decimal)> = criteria
        .iter()
        .map(|&(min, agreed, count, sum)| {
            let mean = ScoreStats {
                count,
                sum,
                min: 0,
                max: 0,
            }
            .mean();
            (
                min,
                agreed.map(Decimal::from).or(mean).unwrap_or(Decimal::ZERO),
            )
        })
        .collect();
    scored.then(|| fundable(&effective))
}

/// A bid in the ranked list.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub bid_id: i64,
    pub total: Decimal,
    pub fundable: bool,
    pub requested: Pence,
    /// When it was sent: earlier wins a tie.
    pub submitted_at: String,
}

/// A place in the ranking: the running total of requests (fundable bids only) and whether
/// it lies above the funding line.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub bid: Ranked,
    pub running_total: Pence,
    pub above_line: bool,
}

/// Rank bids by moderated weighted total, highest first. Ties: the bid sent earlier first,
/// then the lower bid id. Fundable bids are funded in order while the running total of
/// their requests stays within the envelope; the funding line falls where it first does
/// not. Bids that are not fundable sit below the line and add nothing to the total.
pub fn rank(mut bids: Vec<Ranked>, envelope: Pence) -> Vec<Placed> {
    bids.sort_by(|a, b| {
        b.fundable
            .cmp(&a.fundable)
            .then(b.total.cmp(&a.total))
            .then(a.submitted_at.cmp(&b.submitted_at))
            .then(a.bid_id.cmp(&b.bid_id))
    });
    let mut running = 0i64;
    let mut line_reached = false;
    bids.into_iter()
        .map(|bid| {
            if bid.fundable {
                running += bid.requested.0;
            }
            let above = bid.fundable && !line_reached && running <= envelope.0;
            if bid.fundable && !above {
                line_reached = true;
            }
            Placed {
                running_total: Pence(running),
                above_line: above,
                bid,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
