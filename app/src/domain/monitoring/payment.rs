//! Recording a tranche's payment: the finance system's reference and the date it was paid,
//! which decides the financial year it is charged to.
use super::super::date::parse_date;
use super::super::text::required_line;
use super::super::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest payment reference a finance system gives (BACS, CHAPS, purchase ledger).
pub const REFERENCE_CHARS: usize = 60;

/// The payment form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentForm {
    pub reference: String,
    pub paid_day: String,
    pub paid_month: String,
    pub paid_year: String,
}

/// A payment as it will be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub reference: String,
    pub paid_on: NaiveDate,
}

impl PaymentForm {
    /// Every field checked (all errors at once). The date is the day the money left the
    /// finance system: not after `today`, and not before the evidence was approved
    /// (`approved_on`), since a tranche is paid for evidence already accepted.
    pub fn parse(
        &self,
        today: NaiveDate,
        approved_on: NaiveDate,
    ) -> Result<Payment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reference = required_line(
            "reference",
            &self.reference,
            "Enter the payment reference, like BACS-20261205-001",
            REFERENCE_CHARS,
            "The payment reference",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let paid_on = match parse_date(
            "paid",
            "The date paid",
            &self.paid_day,
            &self.paid_month,
            &self.paid_year,
            true,
        ) {
            Ok(Some(day)) if day > today => {
                errors.push(FieldError::new(
                    "paid",
                    "The date paid must be today or in the past",
                ));
                None
            }
            Ok(Some(day)) if day < approved_on => {
                errors.push(FieldError::new(
                    "paid",
                    format!(
                        "The date paid must be on or after {}, when the evidence was approved",
                        super::super::date::display_date(approved_on)
                    ),
                ));
                None
            }
            Ok(day) => day,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (reference, paid_on) {
            (Some(reference), Some(paid_on)) if errors.is_empty() => {
                Ok(Payment { reference, paid_on })
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

    fn form(reference: &str, d: &str, m: &str, y: &str) -> PaymentForm {
        PaymentForm {
            reference: reference.into(),
            paid_day: d.into(),
            paid_month: m.into(),
            paid_year: y.into(),
        }
    }

    #[test]
    fn a_payment_needs_a_reference_and_a_date_paid() {
        let (today, approved) = (day(2026, 12, 7), day(2026, 11, 20));
        let errors = PaymentForm::default().parse(today, approved).unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "reference",
                    "Enter the payment reference, like BACS-20261205-001"
                ),
                ("paid", "Enter the date paid")
            ]
        );
        let ok = form(" BACS-1 ", "1", "12", "2026")
            .parse(today, approved)
            .unwrap();
        assert_eq!(
            ok,
            Payment {
                reference: "BACS-1".into(),
                paid_on: day(2026, 12, 1)
            }
        );
    }

    #[test]
    fn the_date_paid_falls_between_the_approval_and_today() {
        let (today, approved) = (day(2026, 12, 7), day(2026, 11, 20));
        let message = |f: PaymentForm| f.parse(today, approved).unwrap_err()[0].message.clone();
        assert_eq!(
            message(form("B", "8", "12", "2026")),
            "The date paid must be today or in the past"
        );
        assert_eq!(
            message(form("B", "19", "11", "2026")),
            "The date paid must be on or after 20 November 2026, when the evidence was approved"
        );
        assert_eq!(
            message(form("B", "31", "11", "2026")),
            "The date paid must be a real date"
        );
        assert_eq!(
            message(form("B", "", "11", "2026")),
            "The date paid must include a day"
        );
        // Both ends are allowed.
        assert!(form("B", "20", "11", "2026").parse(today, approved).is_ok());
        assert!(form("B", "7", "12", "2026").parse(today, approved).is_ok());
        let long = "X".repeat(REFERENCE_CHARS + 1);
        assert_eq!(
            errs_field(form(&long, "7", "12", "2026").parse(today, approved)),
            "reference"
        );
    }

    fn errs_field(r: Result<Payment, Vec<FieldError>>) -> String {
        r.unwrap_err()[0].field.clone()
    }
}
