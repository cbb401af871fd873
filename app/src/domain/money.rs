//! Money: pounds and pence, exact. Stored as integer pence, handled as `Decimal`.
use super::FieldError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An amount of money in whole pence.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Pence(pub i64);

/// Largest amount accepted from a form: £999,999,999.99.
pub const MAX_PENCE: i64 = 99_999_999_999;

impl Pence {
    /// None when the amount is not a whole number of pence or does not fit (a 28-digit
    /// amount overflows `Decimal` when multiplied: checked, never a panic).
    pub fn from_decimal(pounds: Decimal) -> Option<Self> {
        let pence = pounds.checked_mul(Decimal::ONE_HUNDRED)?.normalize();
        if pence.fract() != Decimal::ZERO {
            return None;
        }
        i64::try_from(pence).ok().map(Pence)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Parse what a person types in a money field: "12500", "12,500.50", "£12,500".
    pub fn parse(field: &str, label: &str, input: &str) -> Result<Self, FieldError> {
        let cleaned: String = input
            .trim()
            .trim_start_matches('£')
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != ' ')
            .collect();
        if cleaned.is_empty() {
            return Err(FieldError::new(field, format!("Enter {label}")));
        }
        let format_error = || {
            FieldError::new(
                field,
                format!(
                    "{} must be an amount in pounds, like 12500 or 12500.50",
                    capitalise(label)
                ),
            )
        };
        let valid_shape = {
            let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
            !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
                && (!cleaned.contains('.') || !frac.is_empty())
        };
        if cleaned.starts_with('-') {
            return Err(FieldError::new(
                field,
                format!("{} must be £0 or more", capitalise(label)),
            ));
        }
        if !valid_shape {
            return Err(format_error());
        }
        let (_, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if frac.len() > 2 {
            return Err(FieldError::new(
                field,
                format!(
                    "{} must not include fractions of a penny",
                    capitalise(label)
                ),
            ));
        }
        let value: Decimal = cleaned.parse().map_err(|_| format_error())?;
        let pence = Pence::from_decimal(value).ok_or_else(format_error)?;
        if pence.0 > MAX_PENCE {
            return Err(FieldError::new(
                field,
                format!("{} must be £999,999,999.99 or less", capitalise(label)),
            ));
        }
        Ok(pence)
    }

    /// "£12,500.00"; whole pounds keep their pence for exactness.
    pub fn display(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let pounds = abs / 100;
        let pence = abs % 100;
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{}£{grouped}.{pence:02}", if negative { "-" } else { "" })
    }

    /// What to put back in a form field: "12500.50".
    pub fn form_value(self) -> String {
        self.to_decimal().to_string()
    }
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl std::fmt::Display for Pence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_28_digit_amount_is_a_message_not_a_panic() {
        let err = Pence::parse("a", "the amount", "9999999999999999999999999999").unwrap_err();
        assert_eq!(err.field, "a");
        assert!(Pence::from_decimal(Decimal::MAX).is_none());
        assert!(Pence::parse("a", "the amount", "79228162514264337593543950335.99").is_err());
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(
            Pence::parse("a", "the amount", "12500").unwrap(),
            Pence(1_250_000)
        );
        assert_eq!(
            Pence::parse("a", "the amount", "£12,500.50").unwrap(),
            Pence(1_250_050)
        );
        assert_eq!(Pence::parse("a", "the amount", " 0.1 ").unwrap(), Pence(10));
        assert_eq!(
            Pence::parse("a", "the amount", "£ 7.05").unwrap(),
            Pence(705)
        );
    }

    #[test]
    fn explains_what_is_wrong() {
        let empty = Pence::parse("amount", "the amount", "").unwrap_err();
        assert_eq!(empty.message, "Enter the amount");
        let words = Pence::parse("amount", "the amount", "ten pounds").unwrap_err();
        assert_eq!(
            words.message,
            "The amount must be an amount in pounds, like 12500 or 12500.50"
        );
        let fraction = Pence::parse("amount", "the amount", "1.005").unwrap_err();
        assert_eq!(
            fraction.message,
            "The amount must not include fractions of a penny"
        );
        let negative = Pence::parse("amount", "the amount", "-5").unwrap_err();
        assert_eq!(negative.message, "The amount must be £0 or more");
        let huge = Pence::parse("amount", "the amount", "1000000000").unwrap_err();
        assert!(huge.message.contains("or less"));
        assert!(Pence::parse("amount", "the amount", "12.").is_err());
        assert!(Pence::parse("amount", "the amount", "1e5").is_err());
    }

    #[test]
    fn displays_in_pounds_with_grouping() {
        assert_eq!(Pence(0).display(), "£0.00");
        assert_eq!(Pence(5).display(), "£0.05");
        assert_eq!(Pence(1_250_050).display(), "£12,500.50");
        assert_eq!(Pence(100_000_000).display(), "£1,000,000.00");
        assert_eq!(Pence(-12_345).display(), "-£123.45");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(pence in 0i64..=MAX_PENCE) {
            let shown = Pence(pence).display();
            prop_assert_eq!(Pence::parse("a", "the amount", &shown).unwrap(), Pence(pence));
            prop_assert_eq!(Pence::parse("a", "the amount", &Pence(pence).form_value()).unwrap(), Pence(pence));
        }

        #[test]
        fn decimal_conversion_is_exact(pence in -MAX_PENCE..=MAX_PENCE) {
            prop_assert_eq!(Pence::from_decimal(Pence(pence).to_decimal()), Some(Pence(pence)));
        }
    }
}
