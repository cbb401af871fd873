//! Times are UTC in storage and shown in UK local time.
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Europe::London;

/// The fixed storage format: RFC 3339 UTC with microseconds and `Z`; sorts as text.
pub fn to_db(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn from_db(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// "26 November 2026 at 9:05am" in UK local time (GMT or BST).
pub fn display_uk(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&London);
    let time = local.format("%-I:%M%P").to_string().replace(":00", "");
    format!("{} at {}", local.format("%-d %B %Y"), time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn storage_format_round_trips_and_sorts() {
        let a = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let b = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
        assert_eq!(from_db(&to_db(a)), Some(a));
        assert!(to_db(a) < to_db(b));
        assert_eq!(to_db(a), "2026-03-01T09:00:00.000000Z");
    }

    #[test]
    fn shows_uk_local_time_across_bst() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 14, 30, 0).unwrap();
        assert_eq!(display_uk(winter), "15 January 2026 at 2:30pm");
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 14, 0, 0).unwrap();
        assert_eq!(display_uk(summer), "15 July 2026 at 3pm");
    }
}
