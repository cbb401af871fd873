//! How a monitoring measure is counted: a whole number (people supported), a number with
//! decimals (hours of support) or a percentage (carers satisfied in a survey). A value is
//! stored as a whole number in the unit's smallest step: the count itself, or hundredths.
use crate::coded_enum;
use crate::domain::FieldError;
use rust_decimal::Decimal;

coded_enum!(
    MeasureUnit {
        Count = ("count", "A whole number, like 120 people"),
        Number = ("number", "A number that may have decimals, like 12.5 hours"),
        Percent = ("percent", "A percentage, like 94%"),
    }
);

/// The largest count or number a return may give.
const MOST: i64 = 100_000_000;

impl MeasureUnit {
    /// How many stored steps make one: 1 for a count, 100 (hundredths) otherwise.
    fn scale(self) -> i64 {
        match self {
            MeasureUnit::Count => 1,
            MeasureUnit::Number | MeasureUnit::Percent => 100,
        }
    }

    /// "counted as a percentage": the short form for tables.
    pub fn short(self) -> &'static str {
        match self {
            MeasureUnit::Count => "Whole number",
            MeasureUnit::Number => "Number with decimals",
            MeasureUnit::Percent => "Percentage",
        }
    }

    /// The value typed for measure `name` in a return, as stored; the message says what
    /// is wrong with it in the measure's own terms.
    pub fn parse_value(self, field: &str, name: &str, text: &str) -> Result<i64, FieldError> {
        let cleaned: String = text
            .trim()
            .trim_end_matches('%')
            .trim()
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let message = match self {
            MeasureUnit::Count => format!("{name} must be a whole number, 0 or more, like 120"),
            MeasureUnit::Number => {
                format!(
                    "{name} must be a number, 0 or more, with up to 2 decimal places, like 12.5"
                )
            }
            MeasureUnit::Percent => {
                format!("{name} must be a percentage from 0 to 100, with up to 2 decimal places, like 94 or 94.5")
            }
        };
        let wrong = || FieldError::new(field, message.clone());
        if self != MeasureUnit::Percent && text.trim().ends_with('%') {
            return Err(wrong());
        }
        // Digits and at most one point: no signs, exponents or spaces inside.
        if cleaned.is_empty()
            || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
            || cleaned.matches('.').count() > 1
        {
            return Err(wrong());
        }
        let value: Decimal = cleaned.parse().map_err(|_| wrong())?;
        let stored = value * Decimal::from(self.scale());
        if stored.fract() != Decimal::ZERO {
            return Err(wrong());
        }
        let stored = i64::try_from(stored).map_err(|_| wrong())?;
        let most = match self {
            MeasureUnit::Percent => 100 * 100,
            unit => MOST * unit.scale(),
        };
        if !(0..=most).contains(&stored) {
            return Err(wrong());
        }
        Ok(stored)
    }

    /// A stored value as a number to type into the form again: "120", "12.5", "94".
    pub fn form_value(self, stored: i64) -> String {
        (Decimal::new(stored, 0) / Decimal::from(self.scale()))
            .normalize()
            .to_string()
    }

    /// A stored value as shown: "1,200", "12.5", "94%".
    pub fn display(self, stored: i64) -> String {
        let plain = self.form_value(stored);
        let (whole, fraction) = match plain.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (plain.as_str(), None),
        };
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if let Some(f) = fraction {
            grouped = format!("{grouped}.{f}");
        }
        match self {
            MeasureUnit::Percent => format!("{grouped}%"),
            _ => grouped,
        }
    }

    /// The input's `inputmode`: a phone shows digits only for a count.
    pub fn inputmode(self) -> &'static str {
        match self {
            MeasureUnit::Count => "numeric",
            _ => "decimal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MeasureUnit::{self, Count, Number, Percent};

    fn parse(unit: MeasureUnit, text: &str) -> Result<i64, String> {
        unit.parse_value("measure[1]", "People supported", text)
            .map_err(|e| e.message)
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(parse(Count, "1,200"), Ok(1200));
        assert_eq!(parse(Count, " 0 "), Ok(0));
        for bad in ["-3", "12.5", "1e3", "lots", "12%", "", "100000001", "1 200"] {
            assert_eq!(
                parse(Count, bad),
                Err("People supported must be a whole number, 0 or more, like 120".into()),
                "{bad}"
            );
        }
        // "12.0" is twelve.
        assert_eq!(parse(Count, "12.0"), Ok(12));
    }

    #[test]
    fn numbers_keep_two_decimal_places() {
        assert_eq!(parse(Number, "12.5"), Ok(1250));
        assert_eq!(parse(Number, "1,234.56"), Ok(123_456));
        assert_eq!(parse(Number, "7"), Ok(700));
        for bad in ["12.345", "-1", "1.2.3", "12%", "+4"] {
            assert!(
                parse(Number, bad)
                    .unwrap_err()
                    .contains("up to 2 decimal places"),
                "{bad}"
            );
        }
    }

    #[test]
    fn percentages_are_from_0_to_100() {
        assert_eq!(parse(Percent, "94"), Ok(9400));
        assert_eq!(parse(Percent, "94.5%"), Ok(9450));
        assert_eq!(parse(Percent, "100 %"), Ok(10_000));
        assert_eq!(parse(Percent, "0"), Ok(0));
        for bad in ["100.01", "101", "-5", "ninety", "94.555"] {
            assert!(
                parse(Percent, bad).unwrap_err().contains("from 0 to 100"),
                "{bad}"
            );
        }
    }

    #[test]
    fn values_show_as_typed_and_grouped() {
        assert_eq!(Count.display(1200), "1,200");
        assert_eq!(Count.display(120), "120");
        assert_eq!(Count.display(1_234_567), "1,234,567");
        assert_eq!(Number.display(123_456), "1,234.56");
        assert_eq!(Number.display(1250), "12.5");
        assert_eq!(Percent.display(9400), "94%");
        assert_eq!(Percent.display(9450), "94.5%");
        assert_eq!(Number.form_value(1250), "12.5");
        assert_eq!(Percent.form_value(9400), "94");
        // What is shown parses back to what is stored.
        for (unit, v) in [(Count, 1200), (Number, 123_456), (Percent, 9450)] {
            assert_eq!(parse(unit, &unit.display(v)), Ok(v));
        }
    }
}
