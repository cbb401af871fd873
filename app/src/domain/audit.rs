//! The audit trail viewer's filter: who, which record, which action, between which dates
//! (UK days, turned into UTC instants for the query), and plain words for codes.
use super::date::{parse_date, uk_local_to_utc};
use super::time::to_db;
use super::FieldError;
use chrono::{Days, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// The filter as typed (a GET form: every value comes back in the address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilterForm {
    /// A user id, "system" for what Seedbed did by itself, or empty for anyone.
    pub user: String,
    /// A record type code (e.g. "bid"), or empty.
    pub record: String,
    /// The record's number, or empty.
    pub record_id: String,
    /// An action code (e.g. "bid.decided"), or empty.
    pub action: String,
    pub from_day: String,
    pub from_month: String,
    pub from_year: String,
    pub to_day: String,
    pub to_month: String,
    pub to_year: String,
}

/// Who made the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anyone,
    /// Seedbed itself (background tasks, the demo loader).
    System,
    User(i64),
}

/// A checked filter, ready for the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Actor,
    pub record: String,
    pub record_id: String,
    pub action: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn code(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() <= 60
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'))
    .then(|| t.to_string())
}

impl AuditFilterForm {
    pub fn parse(&self) -> Result<AuditFilter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let actor = match self.user.trim() {
            "" => Actor::Anyone,
            "system" => Actor::System,
            id => match id.parse::<i64>() {
                Ok(id) if id > 0 => Actor::User(id),
                _ => {
                    errors.push(FieldError::new("user", "Select a person from the list"));
                    Actor::Anyone
                }
            },
        };
        let record = code(&self.record).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "record",
                "Select a kind of record from the list",
            ));
            String::new()
        });
        let record_id = self.record_id.trim().to_string();
        if !record_id.is_empty() {
            if self.record.trim().is_empty() {
                errors.push(FieldError::new(
                    "record",
                    "Select the kind of record the number belongs to",
                ));
            }
            if record_id.len() > 18 || !record_id.chars().all(|c| c.is_ascii_digit()) {
                errors.push(FieldError::new(
                    "record_id",
                    "Record number must be a whole number, like 42",
                ));
            }
        }
        let action = code(&self.action).unwrap_or_else(|| {
            errors.push(FieldError::new("action", "Select an action from the list"));
            String::new()
        });
        let from = parse_date(
            "from",
            "The from date",
            &self.from_day,
            &self.from_month,
            &self.from_year,
            false,
        )
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let to = parse_date(
            "to",
            "The to date",
            &self.to_day,
            &self.to_month,
            &self.to_year,
            false,
        )
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.push(FieldError::new(
                    "to",
                    "The to date must be the same as or after the from date",
                ));
            }
        }
        if errors.is_empty() {
            Ok(AuditFilter {
                actor,
                record,
                record_id,
                action,
                from,
                to,
            })
        } else {
            Err(errors)
        }
    }
}

impl AuditFilter {
    /// The instants bounding the filter's UK days, as stored text: from midnight at the start
    /// of `from` (inclusive) to midnight at the end of `to` (exclusive); empty for no bound.
    pub fn bounds(&self) -> (String, String) {
        let midnight = |d: NaiveDate| {
            uk_local_to_utc("", "", d, NaiveTime::MIN)
                .map(to_db)
                .unwrap_or_default()
        };
        (
            self.from.map(midnight).unwrap_or_default(),
            self.to
                .and_then(|d| d.checked_add_days(Days::new(1)))
                .map(midnight)
                .unwrap_or_default(),
        )
    }

    /// The actor as a query argument: 0 for anyone, −1 for Seedbed itself.
    pub fn actor_arg(&self) -> i64 {
        match self.actor {
            Actor::Anyone => 0,
            Actor::System => -1,
            Actor::User(id) => id,
        }
    }
}

/// "bid.scores_submitted" → "Bid scores submitted".
pub fn action_label(code: &str) -> String {
    let words = code.replace(['.', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A record type code in words ("unit_cost" → "Unit cost").
pub fn record_label(code: &str) -> String {
    action_label(code)
}

/// An audit entry as the viewer and its CSV show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditItem {
    pub id: i64,
    pub when: String,
    /// Name and email, or "Seedbed" for what it did by itself.
    pub who: String,
    pub action: String,
    pub record: String,
    pub summary: String,
    pub before: String,
    pub after: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AuditFilterForm {
        AuditFilterForm::default()
    }

    #[test]
    fn an_empty_filter_matches_everything() {
        let f = form().parse().unwrap();
        assert_eq!(f.actor, Actor::Anyone);
        assert_eq!(f.actor_arg(), 0);
        assert_eq!(f.bounds(), (String::new(), String::new()));
    }

    #[test]
    fn dates_are_whole_uk_days() {
        let f = AuditFilterForm {
            from_day: "1".into(),
            from_month: "7".into(),
            from_year: "2026".into(),
            to_day: "1".into(),
            to_month: "dec".into(),
            to_year: "2026".into(),
            ..form()
        }
        .parse()
        .unwrap();
        // Midnight in British Summer Time is 11pm the day before in UTC; in December UTC = UK.
        assert_eq!(
            f.bounds(),
            (
                "2026-06-30T23:00:00.000000Z".to_string(),
                "2026-12-02T00:00:00.000000Z".to_string()
            )
        );
    }

    #[test]
    fn bad_input_is_named_next_to_its_field() {
        let errors = AuditFilterForm {
            user: "someone".into(),
            record: "bid; DROP TABLE".into(),
            record_id: "4x".into(),
            action: "<script>".into(),
            from_day: "31".into(),
            from_month: "2".into(),
            from_year: "2026".into(),
            to_day: "1".into(),
            to_month: "1".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["user", "record", "record_id", "action", "from", "to"]
        );
        assert_eq!(errors[4].message, "The from date must be a real date");
        assert_eq!(errors[5].message, "The to date must include a year");
    }

    #[test]
    fn a_record_number_needs_its_kind_and_the_range_must_run_forwards() {
        let errors = AuditFilterForm {
            record_id: "42".into(),
            from_day: "2".into(),
            from_month: "3".into(),
            from_year: "2026".into(),
            to_day: "1".into(),
            to_month: "3".into(),
            to_year: "2026".into(),
            ..form()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors[0].field, "record");
        assert_eq!(
            errors[1].message,
            "The to date must be the same as or after the from date"
        );
        let f = AuditFilterForm {
            user: "system".into(),
            record: "bid".into(),
            record_id: " 42 ".into(),
            action: "bid.decided".into(),
            ..form()
        }
        .parse()
        .unwrap();
        assert_eq!((f.actor_arg(), f.record_id.as_str()), (-1, "42"));
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(action_label("bid.scores_submitted"), "Bid scores submitted");
        assert_eq!(record_label("unit_cost"), "Unit cost");
    }
}
