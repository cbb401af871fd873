//! Tranches tied to outcomes ("pay for outcomes, not activity"): a tranche's milestone may
//! name one of the round's monitoring measures and the figure to reach. Counts and numbers
//! add up over the scheme's reported returns (falls avoided so far); a percentage is read
//! from the latest reported return (a survey's share of satisfied carers).
use super::MeasureUnit;
use crate::domain::FieldError;
use serde::{Deserialize, Serialize};

/// The outcome a tranche is tied to, as typed by a commissioner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    /// A measure id of the scheme's round, or "" for none (the milestone alone).
    pub measure_id: String,
    /// The figure to reach, in the measure's unit ("40", "90%").
    pub target: String,
}

/// A tranche's outcome: the measure and the figure to reach (stored as the measure's
/// values are: see `MeasureUnit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeTarget {
    pub measure_id: i64,
    pub target: i64,
}

impl OutcomeForm {
    /// `measures`: the round's (id, name, unit). `None`: the tranche is tied to no measure.
    pub fn parse(
        &self,
        measures: &[(i64, String, MeasureUnit)],
    ) -> Result<Option<OutcomeTarget>, Vec<FieldError>> {
        let chosen = self.measure_id.trim();
        if chosen.is_empty() {
            return if self.target.trim().is_empty() {
                Ok(None)
            } else {
                Err(vec![FieldError::new(
                    "measure_id",
                    "Select the measure the figure to reach is for",
                )])
            };
        }
        let Some((id, name, unit)) = chosen
            .parse::<i64>()
            .ok()
            .and_then(|id| measures.iter().find(|(m, _, _)| *m == id))
        else {
            return Err(vec![FieldError::new(
                "measure_id",
                "Select a measure from the list",
            )]);
        };
        if self.target.trim().is_empty() {
            return Err(vec![FieldError::new(
                "target",
                format!("Enter the figure to reach for {}", name.to_lowercase()),
            )]);
        }
        let target = unit
            .parse_value("target", name, &self.target)
            .map_err(|e| vec![e])?;
        if target == 0 {
            return Err(vec![FieldError::new(
                "target",
                "Enter a figure to reach greater than 0",
            )]);
        }
        Ok(Some(OutcomeTarget {
            measure_id: *id,
            target,
        }))
    }
}

/// Where a scheme stands against a measure: the total of its reported returns (a count or
/// a number) or its latest reported figure (a percentage). `reported`: the value of each
/// reported return that gave one, oldest first. `None` before any return gave a figure.
pub fn outcome_progress(unit: MeasureUnit, reported: &[i64]) -> Option<i64> {
    match unit {
        MeasureUnit::Percent => reported.last().copied(),
        MeasureUnit::Count | MeasureUnit::Number => {
            (!reported.is_empty()).then(|| reported.iter().sum())
        }
    }
}

/// Whether the outcome is reached.
pub fn outcome_reached(unit: MeasureUnit, reported: &[i64], target: i64) -> bool {
    outcome_progress(unit, reported).is_some_and(|p| p >= target)
}

/// "40 in all" / "94% in the latest return": how progress is worded.
pub fn progress_text(unit: MeasureUnit, progress: Option<i64>) -> String {
    match (unit, progress) {
        (_, None) => "No figures reported yet".to_string(),
        (MeasureUnit::Percent, Some(p)) => format!("{} in the latest return", unit.display(p)),
        (_, Some(p)) => format!("{} so far, over every return sent", unit.display(p)),
    }
}

/// "Falls avoided: 40" / "Carers who keep caring: 90% in the latest return".
pub fn target_text(name: &str, unit: MeasureUnit, target: i64) -> String {
    match unit {
        MeasureUnit::Percent => format!(
            "{name}: {} or more in the latest return",
            unit.display(target)
        ),
        _ => format!("{name}: {} in all", unit.display(target)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MeasureUnit::{Count, Number, Percent};

    fn measures() -> Vec<(i64, String, MeasureUnit)> {
        vec![
            (7, "Falls avoided".into(), Count),
            (8, "Carers who keep caring".into(), Percent),
            (9, "Hours of support".into(), Number),
        ]
    }

    fn form(measure: &str, target: &str) -> OutcomeForm {
        OutcomeForm {
            measure_id: measure.into(),
            target: target.into(),
        }
    }

    fn message(f: OutcomeForm) -> (String, String) {
        let e = f.parse(&measures()).unwrap_err().remove(0);
        (e.field, e.message)
    }

    #[test]
    fn a_target_is_a_measure_of_the_round_and_a_figure_in_its_unit() {
        let parsed = |f: OutcomeForm| f.parse(&measures()).unwrap();
        assert_eq!(parsed(form("", "")), None, "the milestone alone");
        assert_eq!(
            parsed(form("7", "40")),
            Some(OutcomeTarget {
                measure_id: 7,
                target: 40
            })
        );
        assert_eq!(
            parsed(form("8", "90%")),
            Some(OutcomeTarget {
                measure_id: 8,
                target: 9000
            })
        );
        assert_eq!(
            message(form("", "40")),
            (
                "measure_id".into(),
                "Select the measure the figure to reach is for".into()
            )
        );
        assert_eq!(
            message(form("99", "40")).1,
            "Select a measure from the list",
            "not a measure of this round"
        );
        assert_eq!(
            message(form("7", " ")),
            (
                "target".into(),
                "Enter the figure to reach for falls avoided".into()
            )
        );
        assert_eq!(
            message(form("8", "120")).1,
            "Carers who keep caring must be a percentage from 0 to 100, with up to 2 decimal places, like 94 or 94.5"
        );
        assert_eq!(message(form("7", "2.5")).0, "target");
        assert_eq!(
            message(form("7", "0")).1,
            "Enter a figure to reach greater than 0"
        );
    }

    #[test]
    fn counts_add_up_and_percentages_are_the_latest() {
        assert_eq!(outcome_progress(Count, &[]), None);
        assert_eq!(outcome_progress(Count, &[3, 4, 5]), Some(12));
        assert_eq!(outcome_progress(Number, &[1250, 50]), Some(1300));
        assert_eq!(outcome_progress(Percent, &[9400, 8800]), Some(8800));
        assert!(outcome_reached(Count, &[3, 4, 5], 12));
        assert!(!outcome_reached(Count, &[3, 4, 5], 13));
        assert!(
            !outcome_reached(Percent, &[9400, 8800], 9000),
            "the latest survey fell short"
        );
        assert!(!outcome_reached(Percent, &[], 1));
        assert_eq!(
            progress_text(Percent, Some(8800)),
            "88% in the latest return"
        );
        assert_eq!(
            progress_text(Count, Some(1200)),
            "1,200 so far, over every return sent"
        );
        assert_eq!(progress_text(Count, None), "No figures reported yet");
        assert_eq!(
            target_text("Falls avoided", Count, 40),
            "Falls avoided: 40 in all"
        );
        assert_eq!(
            target_text("Carers who keep caring", Percent, 9000),
            "Carers who keep caring: 90% or more in the latest return"
        );
    }
}
