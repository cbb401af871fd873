//! Dates typed into GOV.UK day/month/year boxes, and UK local times for round dates.
use super::FieldError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::London;

/// Parse three boxes. Empty boxes give `Ok(None)` when the date is optional.
/// Messages follow the GOV.UK date input pattern and name the field by `label`.
pub fn parse_date(
    field: &str,
    label: &str,
    day: &str,
    month: &str,
    year: &str,
    required: bool,
) -> Result<Option<NaiveDate>, FieldError> {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        return if required {
            Err(FieldError::new(
                field,
                format!("Enter {}", lower_first(label)),
            ))
        } else {
            Ok(None)
        };
    }
    let missing: Vec<&str> = [("day", d), ("month", m), ("year", y)]
        .into_iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| n)
        .collect();
    if !missing.is_empty() {
        return Err(FieldError::new(
            field,
            format!("{label} must include a {}", missing.join(" and a ")),
        ));
    }
    let real = || FieldError::new(field, format!("{label} must be a real date"));
    let day: u32 = d.parse().map_err(|_| real())?;
    let month: u32 = month_number(m).ok_or_else(real)?;
    if y.len() != 4 {
        return Err(FieldError::new(field, "Year must include 4 numbers"));
    }
    let year: i32 = y.parse().map_err(|_| real())?;
    NaiveDate::from_ymd_opt(year, month, day)
        .map(Some)
        .ok_or_else(real)
}

/// "3", "03", "March" and "mar" are all March.
fn month_number(text: &str) -> Option<u32> {
    if let Ok(n) = text.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = text.to_lowercase();
    NAMES
        .iter()
        .position(|name| lower.len() >= 3 && name.starts_with(&lower))
        .map(|i| i as u32 + 1)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A time of day typed as "9am", "5:30pm", "17:00" or "midday".
pub fn parse_time(field: &str, label: &str, input: &str) -> Result<NaiveTime, FieldError> {
    let text = input.trim().to_lowercase().replace([' ', '.'], "");
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            format!("Enter {}", lower_first(label)),
        ));
    }
    let bad = || {
        FieldError::new(
            field,
            format!("{label} must be a real time, like 9am, 5:30pm or 17:00"),
        )
    };
    match text.as_str() {
        "midday" | "noon" | "12noon" => {
            return Ok(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
        }
        "midnight" => return Ok(NaiveTime::MIN),
        _ => {}
    }
    let (clock, suffix) = if let Some(c) = text.strip_suffix("am") {
        (c, Some(false))
    } else if let Some(c) = text.strip_suffix("pm") {
        (c, Some(true))
    } else {
        (text.as_str(), None)
    };
    let (h, m) = clock.split_once(':').unwrap_or((clock, "0"));
    let mut hour: u32 = h.parse().map_err(|_| bad())?;
    let minute: u32 = m.parse().map_err(|_| bad())?;
    match suffix {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return Err(bad());
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if !m.is_empty() && clock.contains(':') => {}
        None => return Err(bad()),
    }
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(bad)
}

/// A UK local date and time as a UTC instant. In the autumn hour that happens twice the
/// earlier is taken; a time in the spring gap (which never happens) is an error.
pub fn uk_local_to_utc(
    field: &str,
    label: &str,
    date: NaiveDate,
    time: NaiveTime,
) -> Result<DateTime<Utc>, FieldError> {
    London
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("{label} falls when the clocks go forward. Choose another time"),
            )
        })
}

/// "5:30pm", "9am", "midday" or "midnight" in UK local time (GOV.UK style), as pages show
/// a time and as a time box is filled in (`parse_time` reads each back).
pub fn uk_time_value(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&London);
    match (local.hour(), local.minute()) {
        (0, 0) => "midnight".to_string(),
        (12, 0) => "midday".to_string(),
        _ => local.format("%-I:%M%P").to_string().replace(":00", ""),
    }
}

pub fn uk_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

/// "26 November 2026".
pub fn display_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_dates_as_people_type_them() {
        assert_eq!(
            parse_date("d", "Review date", "1", "4", "2027", true).unwrap(),
            Some(date(2027, 4, 1))
        );
        assert_eq!(
            parse_date("d", "Review date", "01", "apr", "2027", true).unwrap(),
            Some(date(2027, 4, 1))
        );
        assert_eq!(
            parse_date("d", "Review date", "", "", "", false).unwrap(),
            None
        );
    }

    #[test]
    fn says_what_is_missing_or_wrong() {
        let msg = |d, m, y| {
            parse_date("d", "Review date", d, m, y, true)
                .unwrap_err()
                .message
        };
        assert_eq!(msg("", "", ""), "Enter review date");
        assert_eq!(
            msg("1", "", ""),
            "Review date must include a month and a year"
        );
        assert_eq!(msg("31", "2", "2027"), "Review date must be a real date");
        assert_eq!(msg("1", "2", "27"), "Year must include 4 numbers");
    }

    #[test]
    fn reads_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_time("t", "Time", "9am").unwrap(), t(9, 0));
        assert_eq!(parse_time("t", "Time", "5:30 PM").unwrap(), t(17, 30));
        assert_eq!(parse_time("t", "Time", "17:00").unwrap(), t(17, 0));
        assert_eq!(parse_time("t", "Time", "12am").unwrap(), t(0, 0));
        assert_eq!(parse_time("t", "Time", "midday").unwrap(), t(12, 0));
        assert!(parse_time("t", "Time", "17").is_err());
        assert!(parse_time("t", "Time", "13pm").is_err());
        assert_eq!(
            parse_time("t", "Time", "").unwrap_err().message,
            "Enter time"
        );
    }

    #[test]
    fn uk_times_become_utc_across_bst() {
        let winter = uk_local_to_utc(
            "t",
            "Time",
            date(2027, 1, 10),
            NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(winter.to_rfc3339(), "2027-01-10T12:00:00+00:00");
        let summer = uk_local_to_utc(
            "t",
            "Time",
            date(2027, 6, 10),
            NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(summer.to_rfc3339(), "2027-06-10T11:00:00+00:00");
        // GOV.UK style: midday and midnight, never "12pm" or "12am"; each reads back.
        assert_eq!(uk_time_value(summer), "midday");
        let midnight = Utc.with_ymd_and_hms(2027, 1, 10, 0, 0, 0).unwrap();
        assert_eq!(uk_time_value(midnight), "midnight");
        assert_eq!(
            uk_time_value(midnight + chrono::Duration::minutes(30)),
            "12:30am"
        );
        assert_eq!(uk_time_value(summer + chrono::Duration::hours(6)), "6pm");
        for typed in ["midday", "midnight", "12:30am", "6pm"] {
            assert!(parse_time("t", "Time", typed).is_ok(), "{typed}");
        }
        // 1:30am on the last Sunday of March 2027 does not exist in the UK.
        assert!(uk_local_to_utc(
            "t",
            "Time",
            date(2027, 3, 28),
            NaiveTime::from_hms_opt(1, 30, 0).unwrap()
        )
        .is_err());
    }
}
