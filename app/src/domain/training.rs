//! Lay evaluators are trained before they score: a commissioner records each one's training
//! (when, by whom, what it covered), and only a trained lay evaluator sits on a lay panel.
use super::date::parse_date;
use super::roles::Role;
use super::round::Panel;
use super::text::{required_line, required_text};
use super::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Training as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainingForm {
    pub trained_on_day: String,
    pub trained_on_month: String,
    pub trained_on_year: String,
    pub trained_by: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub trained_on: NaiveDate,
    pub trained_by: String,
    pub what: String,
}

impl TrainingForm {
    /// `today` (UK): training is recorded once it has happened.
    pub fn parse(&self, today: NaiveDate) -> Result<Training, Vec<FieldError>> {
        let mut errors = Vec::new();
        let on = parse_date(
            "trained_on",
            "The date of the training",
            &self.trained_on_day,
            &self.trained_on_month,
            &self.trained_on_year,
            true,
        );
        let trained_on = match on {
            Ok(Some(d)) if d > today => {
                errors.push(FieldError::new(
                    "trained_on",
                    "The date of the training must be today or in the past",
                ));
                None
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let trained_by = required_line(
            "trained_by",
            &self.trained_by,
            "Enter who gave the training",
            200,
            "Who gave the training",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let what = required_text(
            "what",
            &self.what,
            "Enter what the training covered",
            2_000,
            "What the training covered",
        )
        .map_err(|e| errors.push(e))
        .ok();
        match (trained_on, trained_by, what) {
            (Some(trained_on), Some(trained_by), Some(what)) if errors.is_empty() => Ok(Training {
                trained_on,
                trained_by,
                what,
            }),
            _ => Err(errors),
        }
    }
}

/// The panels a person may sit on, from the roles they hold: the board for a board member;
/// the lay panel for a lay evaluator whose training is recorded.
pub fn panels_open_to(roles: &[Role], trained: bool) -> Vec<Panel> {
    let mut panels = Vec::new();
    if roles.contains(&Role::BoardMember) {
        panels.push(Panel::Board);
    }
    if roles.contains(&Role::LayEvaluator) && trained {
        panels.push(Panel::Lay);
    }
    panels
}

/// Why someone cannot sit on a panel, in words for the panel page and its errors.
pub fn cannot_sit(name: &str, panel: Panel, roles: &[Role], trained: bool) -> Option<String> {
    let role = match panel {
        Panel::Board => Role::BoardMember,
        Panel::Lay => Role::LayEvaluator,
    };
    let on = match panel {
        Panel::Board => "the board",
        Panel::Lay => "the lay panel",
    };
    if !roles.contains(&role) {
        Some(format!(
            "{name} cannot sit on {on}: they do not hold the role"
        ))
    } else if panel == Panel::Lay && !trained {
        Some(format!(
            "{name} cannot sit on the lay panel until their lay evaluator training is recorded"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn training_is_recorded_once_it_has_happened() {
        let today = d(2026, 12, 6);
        let form = TrainingForm {
            trained_on_day: "2".into(),
            trained_on_month: "12".into(),
            trained_on_year: "2026".into(),
            trained_by: " Carers' Centre trainer ".into(),
            what: "Scoring against descriptors, conflicts of interest, confidentiality".into(),
        };
        let t = form.parse(today).unwrap();
        assert_eq!(t.trained_on, d(2026, 12, 2));
        assert_eq!(t.trained_by, "Carers' Centre trainer");
        let later = TrainingForm {
            trained_on_day: "7".into(),
            ..form.clone()
        };
        assert_eq!(later.parse(today).unwrap_err()[0].field, "trained_on");
        let blank = TrainingForm::default().parse(today).unwrap_err();
        let fields: Vec<&str> = blank.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["trained_on", "trained_by", "what"]);
    }

    #[test]
    fn only_trained_lay_evaluators_sit_on_the_lay_panel() {
        let lay = [Role::LayEvaluator];
        assert!(panels_open_to(&lay, false).is_empty());
        assert_eq!(panels_open_to(&lay, true), [Panel::Lay]);
        assert_eq!(
            panels_open_to(&[Role::BoardMember, Role::LayEvaluator], false),
            [Panel::Board]
        );
        assert_eq!(
            cannot_sit("Lou", Panel::Lay, &lay, false).unwrap(),
            "Lou cannot sit on the lay panel until their lay evaluator training is recorded"
        );
        assert_eq!(cannot_sit("Lou", Panel::Lay, &lay, true), None);
        assert!(cannot_sit("Lou", Panel::Board, &lay, true)
            .unwrap()
            .ends_with("they do not hold the role"));
    }
}
