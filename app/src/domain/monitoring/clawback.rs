//! Clawback: money a scheme was paid and must repay (a condition broken, money unspent when
//! a scheme ends), with a due date; then repayments received, each back to the pooled fund.
use super::super::date::{display_date, parse_date};
use super::super::money::Pence;
use super::super::text::required_line;
use super::super::FieldError;
use super::reason;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The clawback form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClawbackForm {
    pub amount: String,
    pub reason: String,
    pub due_day: String,
    pub due_month: String,
    pub due_year: String,
}

/// Money to be repaid, as it will be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clawback {
    pub amount: Pence,
    pub reason: String,
    pub due_on: NaiveDate,
}

/// The repayment form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RepaymentForm {
    pub amount: String,
    pub reference: String,
    pub received_day: String,
    pub received_month: String,
    pub received_year: String,
}

/// A repayment received, as it will be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repayment {
    pub amount: Pence,
    pub reference: String,
    pub received_on: NaiveDate,
}

/// Where a clawback stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClawbackState {
    Outstanding,
    PartlyRepaid,
    Overdue,
    Repaid,
}

impl ClawbackState {
    /// Repaid in full; otherwise overdue once its due date has passed, else partly repaid or
    /// outstanding.
    pub fn of(amount: Pence, repaid: Pence, due_on: NaiveDate, today: NaiveDate) -> Self {
        if repaid.0 >= amount.0 {
            ClawbackState::Repaid
        } else if due_on < today {
            ClawbackState::Overdue
        } else if repaid.0 > 0 {
            ClawbackState::PartlyRepaid
        } else {
            ClawbackState::Outstanding
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClawbackState::Outstanding => "To be repaid",
            ClawbackState::PartlyRepaid => "Partly repaid",
            ClawbackState::Overdue => "Overdue",
            ClawbackState::Repaid => "Repaid",
        }
    }

    /// The GOV.UK tag colour.
    pub fn tag_class(self) -> &'static str {
        match self {
            ClawbackState::Outstanding => "govuk-tag govuk-tag--yellow",
            ClawbackState::PartlyRepaid => "govuk-tag govuk-tag--blue",
            ClawbackState::Overdue => "govuk-tag govuk-tag--red",
            ClawbackState::Repaid => "govuk-tag govuk-tag--green",
        }
    }
}

impl ClawbackForm {
    /// Every field checked (all errors at once). `claimable` is what the scheme was paid
    /// less what is already being clawed back: no more can be asked for. The due date is
    /// after `today` and within a year of it.
    pub fn parse(&self, today: NaiveDate, claimable: Pence) -> Result<Clawback, Vec<FieldError>> {
        let mut errors = Vec::new();
        let amount = match Pence::parse("amount", "the amount to be repaid", &self.amount) {
            Ok(a) if a.0 == 0 => {
                errors.push(FieldError::new(
                    "amount",
                    "The amount to be repaid must be more than £0",
                ));
                None
            }
            Ok(a) if a.0 > claimable.0 => {
                errors.push(FieldError::new(
                    "amount",
                    format!(
                        "The amount to be repaid must be {} or less: what the scheme was paid and is not already being repaid",
                        claimable.display()
                    ),
                ));
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let why = reason("reason", &self.reason, "Enter why the money must be repaid")
            .map_err(|e| errors.push(e))
            .ok();
        let due_on = future_date(
            &mut errors,
            parse_date(
                "due",
                "The due date",
                &self.due_day,
                &self.due_month,
                &self.due_year,
                true,
            ),
            today,
        );
        match (amount, why, due_on) {
            (Some(amount), Some(reason), Some(due_on)) if errors.is_empty() => Ok(Clawback {
                amount,
                reason,
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

fn future_date(
    errors: &mut Vec<FieldError>,
    parsed: Result<Option<NaiveDate>, FieldError>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match parsed {
        Ok(Some(day)) if day <= today => {
            errors.push(FieldError::new("due", "The due date must be in the future"));
            None
        }
        Ok(Some(day)) if today.checked_add_months(chrono::Months::new(12)) < Some(day) => {
            errors.push(FieldError::new(
                "due",
                "The due date must be within a year of today",
            ));
            None
        }
        Ok(day) => day,
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

impl RepaymentForm {
    /// Every field checked. No more than is `outstanding` on the clawback; received between
    /// the day it was asked for (`raised_on`) and `today`.
    pub fn parse(
        &self,
        today: NaiveDate,
        raised_on: NaiveDate,
        outstanding: Pence,
    ) -> Result<Repayment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let amount = match Pence::parse("amount", "the amount received", &self.amount) {
            Ok(a) if a.0 == 0 => {
                errors.push(FieldError::new(
                    "amount",
                    "The amount received must be more than £0",
                ));
                None
            }
            Ok(a) if a.0 > outstanding.0 => {
                errors.push(FieldError::new(
                    "amount",
                    format!(
                        "The amount received must be {} or less: what is still to be repaid",
                        outstanding.display()
                    ),
                ));
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let reference = required_line(
            "reference",
            &self.reference,
            "Enter the finance system's reference for the money received",
            super::REFERENCE_CHARS,
            "The reference",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let received_on = match parse_date(
            "received",
            "The date received",
            &self.received_day,
            &self.received_month,
            &self.received_year,
            true,
        ) {
            Ok(Some(day)) if day > today => {
                errors.push(FieldError::new(
                    "received",
                    "The date received must be today or in the past",
                ));
                None
            }
            Ok(Some(day)) if day < raised_on => {
                errors.push(FieldError::new(
                    "received",
                    format!("The date received must be on or after {}, when the repayment was asked for", display_date(raised_on)),
                ));
                None
            }
            Ok(day) => day,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (amount, reference, received_on) {
            (Some(amount), Some(reference), Some(received_on)) if errors.is_empty() => {
                Ok(Repayment {
                    amount,
                    reference,
                    received_on,
                })
            }
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

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_clawback_asks_for_no_more_than_was_paid_and_not_already_claimed() {
        let today = day(2026, 12, 7);
        let empty = ClawbackForm::default()
            .parse(today, Pence(1_000_000))
            .unwrap_err();
        assert_eq!(fields(&empty), ["amount", "reason", "due"]);
        let form = |amount: &str| ClawbackForm {
            amount: amount.into(),
            reason: "Clinic closed in March; £2,000 unspent".into(),
            due_day: "31".into(),
            due_month: "1".into(),
            due_year: "2027".into(),
        };
        let ok = form("2,000").parse(today, Pence(1_000_000)).unwrap();
        assert_eq!(ok.amount, Pence(200_000));
        assert_eq!(ok.due_on, day(2027, 1, 31));
        let too_much = form("10000.01").parse(today, Pence(1_000_000)).unwrap_err();
        assert_eq!(
            too_much[0].message,
            "The amount to be repaid must be £10,000.00 or less: what the scheme was paid and is not already being repaid"
        );
        assert_eq!(
            form("0").parse(today, Pence(1)).unwrap_err()[0].message,
            "The amount to be repaid must be more than £0"
        );
        let mut past = form("1");
        past.due_year = "2026".into();
        past.due_month = "12".into();
        past.due_day = "7".into();
        assert_eq!(
            past.parse(today, Pence(100)).unwrap_err()[0].message,
            "The due date must be in the future"
        );
    }

    #[test]
    fn a_repayment_is_no_more_than_is_outstanding_and_dated_after_the_request() {
        let (today, raised) = (day(2026, 12, 7), day(2026, 11, 1));
        let form = |amount: &str, d: &str| RepaymentForm {
            amount: amount.into(),
            reference: "REC-1".into(),
            received_day: d.into(),
            received_month: "11".into(),
            received_year: "2026".into(),
        };
        let ok = form("500", "15")
            .parse(today, raised, Pence(200_000))
            .unwrap();
        assert_eq!(
            (ok.amount, ok.received_on),
            (Pence(50_000), day(2026, 11, 15))
        );
        let over = form("2000.01", "15")
            .parse(today, raised, Pence(200_000))
            .unwrap_err();
        assert_eq!(
            over[0].message,
            "The amount received must be £2,000.00 or less: what is still to be repaid"
        );
        let early = form("5", "--")
            .parse(today, raised, Pence(200_000))
            .unwrap_err();
        assert_eq!(fields(&early), ["received"]);
        let before = RepaymentForm {
            received_month: "10".into(),
            ..form("5", "31")
        }
        .parse(today, raised, Pence(200_000))
        .unwrap_err();
        assert!(
            before[0].message.contains("on or after 1 November 2026"),
            "{}",
            before[0].message
        );
        let empty = RepaymentForm::default()
            .parse(today, raised, Pence(1))
            .unwrap_err();
        assert_eq!(fields(&empty), ["amount", "reference", "received"]);
    }

    #[test]
    fn partly_repaid_and_overdue_clawbacks_are_told_apart() {
        let today = day(2026, 12, 7);
        let due = day(2026, 12, 31);
        assert_eq!(
            ClawbackState::of(Pence(100), Pence(0), due, today),
            ClawbackState::Outstanding
        );
        assert_eq!(
            ClawbackState::of(Pence(100), Pence(40), due, today),
            ClawbackState::PartlyRepaid
        );
        assert_eq!(
            ClawbackState::of(Pence(100), Pence(40), day(2026, 12, 6), today),
            ClawbackState::Overdue
        );
        assert_eq!(
            ClawbackState::of(Pence(100), Pence(0), today, today),
            ClawbackState::Outstanding,
            "due today is not yet overdue"
        );
        assert_eq!(
            ClawbackState::of(Pence(100), Pence(100), day(2026, 1, 1), today),
            ClawbackState::Repaid
        );
    }
}
