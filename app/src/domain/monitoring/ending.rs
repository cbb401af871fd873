//! A scheme that does not run its course: the organisation turns the award down, a
//! commissioner suspends payments while a support plan runs (and resumes them), or ends the
//! scheme early. Which change each status allows, what a change needs typed, and which
//! tranches give their money back.
use super::{SchemeStatus, TrancheStatus};
use crate::domain::date::parse_date;
use crate::domain::text::required_text;
use crate::domain::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most characters of a reason or a support plan.
pub const REASON_CHARS: usize = 2_000;

/// A change to where a scheme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The organisation declines the award before accepting it.
    TurnDown,
    /// A commissioner holds payments while a support plan runs.
    Suspend,
    /// A commissioner lets payments run again.
    Resume,
    /// A commissioner ends the scheme before it has run its course.
    End,
}

impl Change {
    /// The statuses a scheme may be in for this change.
    pub fn from(self) -> &'static [SchemeStatus] {
        match self {
            Change::TurnDown => &[SchemeStatus::Awarded],
            Change::Suspend => &[SchemeStatus::Active],
            Change::Resume => &[SchemeStatus::Suspended],
            Change::End => &[
                SchemeStatus::Awarded,
                SchemeStatus::Active,
                SchemeStatus::Suspended,
            ],
        }
    }

    /// The status after the change.
    pub fn to(self) -> SchemeStatus {
        match self {
            Change::TurnDown => SchemeStatus::TurnedDown,
            Change::Suspend => SchemeStatus::Suspended,
            Change::Resume => SchemeStatus::Active,
            Change::End => SchemeStatus::Closed,
        }
    }

    /// Why a scheme in `status` cannot have this change, or None when it can.
    pub fn refusal(self, status: SchemeStatus) -> Option<&'static str> {
        if self.from().contains(&status) {
            return None;
        }
        Some(match (self, status) {
            (
                _,
                SchemeStatus::Closed | SchemeStatus::SelfSustaining | SchemeStatus::TurnedDown,
            ) => "This scheme has already closed: nothing more can change",
            (Change::TurnDown, _) => {
                "The award has been accepted, so it can no longer be turned down. Contact the commissioning team to end it"
            }
            (Change::Suspend, SchemeStatus::Awarded) => {
                "Payments cannot be suspended before the organisation accepts the award: none can be made until then"
            }
            (Change::Suspend, _) => "Payments are already suspended",
            (Change::Resume, _) => "Payments are not suspended",
            (Change::End, _) => "This scheme cannot be ended now",
        })
    }
}

/// Whether the money of a tranche in this status goes back to the fund when the scheme
/// ends or graduates: anything not yet paid, except a tranche whose evidence has been
/// approved, which the organisation has earned and which can still be paid.
pub fn releasable(status: TrancheStatus) -> bool {
    matches!(
        status,
        TrancheStatus::Due | TrancheStatus::Returned | TrancheStatus::EvidenceSubmitted
    )
}

/// A reason for a change, typed into a textarea.
pub fn reason(field: &str, input: &str, empty_message: &str) -> Result<String, FieldError> {
    required_text(field, input, empty_message, REASON_CHARS, "The reason")
}

/// The suspension form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SuspensionForm {
    pub reason: String,
    pub plan: String,
    pub review_day: String,
    pub review_month: String,
    pub review_year: String,
}

/// Why payments are held, the support agreed with the organisation, and when it is reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub reason: String,
    pub plan: String,
    pub review_on: NaiveDate,
}

impl SuspensionForm {
    /// Every field checked (all errors at once); the review date falls after `today`, and
    /// within a year of it.
    pub fn parse(&self, today: NaiveDate) -> Result<Suspension, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = reason(
            "reason",
            &self.reason,
            "Enter why payments are being suspended",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let plan = required_text(
            "plan",
            &self.plan,
            "Enter the support plan agreed with the organisation",
            REASON_CHARS,
            "The support plan",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let review_on = match parse_date(
            "review",
            "The review date",
            &self.review_day,
            &self.review_month,
            &self.review_year,
            true,
        ) {
            Ok(Some(day)) if day <= today => {
                errors.push(FieldError::new(
                    "review",
                    "The review date must be in the future",
                ));
                None
            }
            Ok(Some(day)) if today.checked_add_months(chrono::Months::new(12)) < Some(day) => {
                errors.push(FieldError::new(
                    "review",
                    "The review date must be within a year of today",
                ));
                None
            }
            Ok(day) => day,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (reason, plan, review_on) {
            (Some(reason), Some(plan), Some(review_on)) if errors.is_empty() => Ok(Suspension {
                reason,
                plan,
                review_on,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn each_change_has_its_statuses() {
        assert_eq!(Change::TurnDown.refusal(SchemeStatus::Awarded), None);
        assert!(Change::TurnDown
            .refusal(SchemeStatus::Active)
            .unwrap()
            .contains("no longer be turned down"));
        assert_eq!(Change::Suspend.refusal(SchemeStatus::Active), None);
        assert_eq!(
            Change::Suspend.refusal(SchemeStatus::Suspended),
            Some("Payments are already suspended")
        );
        assert!(Change::Suspend.refusal(SchemeStatus::Awarded).is_some());
        assert_eq!(Change::Resume.refusal(SchemeStatus::Suspended), None);
        assert_eq!(
            Change::Resume.refusal(SchemeStatus::Active),
            Some("Payments are not suspended")
        );
        for open in [
            SchemeStatus::Awarded,
            SchemeStatus::Active,
            SchemeStatus::Suspended,
        ] {
            assert_eq!(Change::End.refusal(open), None);
        }
        for closed in [
            SchemeStatus::Closed,
            SchemeStatus::SelfSustaining,
            SchemeStatus::TurnedDown,
        ] {
            for change in [
                Change::TurnDown,
                Change::Suspend,
                Change::Resume,
                Change::End,
            ] {
                assert_eq!(
                    change.refusal(closed),
                    Some("This scheme has already closed: nothing more can change")
                );
            }
        }
        assert_eq!(Change::End.to(), SchemeStatus::Closed);
        assert_eq!(Change::TurnDown.to(), SchemeStatus::TurnedDown);
    }

    #[test]
    fn approved_and_paid_tranches_keep_their_money() {
        assert!(releasable(TrancheStatus::Due));
        assert!(releasable(TrancheStatus::Returned));
        assert!(releasable(TrancheStatus::EvidenceSubmitted));
        assert!(!releasable(TrancheStatus::Approved));
        assert!(!releasable(TrancheStatus::Paid));
        assert!(!releasable(TrancheStatus::Released));
    }

    #[test]
    fn a_suspension_needs_a_reason_a_plan_and_a_review_date_ahead() {
        let today = day(2026, 12, 7);
        let empty = SuspensionForm::default().parse(today).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason", "plan", "review"]);
        let mut form = SuspensionForm {
            reason: " Two returns overdue and no volunteers since October ".into(),
            plan: "Weekly call with the adviser; recruit two volunteers by the review".into(),
            review_day: "7".into(),
            review_month: "12".into(),
            review_year: "2026".into(),
        };
        let e = form.parse(today).unwrap_err();
        assert_eq!(e[0].message, "The review date must be in the future");
        form.review_year = "2028".into();
        let e = form.parse(today).unwrap_err();
        assert_eq!(
            e[0].message,
            "The review date must be within a year of today"
        );
        form.review_month = "February".into();
        form.review_year = "2027".into();
        let s = form.parse(today).unwrap();
        assert_eq!(s.review_on, day(2027, 2, 7));
        assert_eq!(
            s.reason,
            "Two returns overdue and no volunteers since October"
        );
        form.plan = "x".repeat(REASON_CHARS + 1);
        let e = form.parse(today).unwrap_err();
        assert_eq!(
            e[0].message,
            format!("The support plan must be {REASON_CHARS} characters or fewer")
        );
    }
}
