//! Times are UTC in storage and shown in UK local time. `UtcTime` is a moment and `Day` a
//! calendar date: the types every layer passes (never a `&str` time); db::types stores them
//! as fixed-format text that sorts correctly.
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A moment, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UtcTime(pub DateTime<Utc>);

impl UtcTime {
    pub fn now() -> Self {
        UtcTime(Utc::now())
    }

    /// The stored text: RFC 3339 UTC with microseconds and `Z`.
    pub fn to_db(self) -> String {
        to_db(self.0)
    }

    /// "26 November 2026 at 9:05am", in UK local time.
    pub fn display_uk(self) -> String {
        display_uk(self.0)
    }

    /// The date in the UK when this happened.
    pub fn uk_day(self) -> Day {
        Day(crate::domain::date::uk_date(self.0))
    }
}

impl From<DateTime<Utc>> for UtcTime {
    fn from(at: DateTime<Utc>) -> Self {
        UtcTime(at)
    }
}

impl TryFrom<String> for UtcTime {
    type Error = BadTime;
    fn try_from(text: String) -> Result<Self, BadTime> {
        from_db(&text).map(UtcTime).ok_or(BadTime(text))
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_db())
    }
}

/// A calendar date (no time, no zone): a due date, a period's end, an award date.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Day(pub NaiveDate);

impl Day {
    /// The stored text: `YYYY-MM-DD`.
    pub fn to_db(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// "5 December 2026".
    pub fn display(self) -> String {
        crate::domain::date::display_date(self.0)
    }

    /// Today in the UK.
    pub fn today_uk() -> Self {
        UtcTime::now().uk_day()
    }
}

impl From<NaiveDate> for Day {
    fn from(d: NaiveDate) -> Self {
        Day(d)
    }
}

impl From<Day> for NaiveDate {
    fn from(d: Day) -> NaiveDate {
        d.0
    }
}

impl From<UtcTime> for DateTime<Utc> {
    fn from(t: UtcTime) -> DateTime<Utc> {
        t.0
    }
}

impl TryFrom<String> for Day {
    type Error = BadTime;
    fn try_from(text: String) -> Result<Self, BadTime> {
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| BadTime(text))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_db())
    }
}

/// Stored text that is not a time or date in the storage format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a stored time or date: {0:?}")]
pub struct BadTime(pub String);

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
    let time = crate::domain::date::uk_time_value(at);
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
    fn times_and_days_read_back_what_was_stored() {
        let at = UtcTime(Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap());
        assert_eq!(UtcTime::try_from(at.to_db()), Ok(at));
        // Half past midnight on 1 July in London (BST).
        assert_eq!(at.uk_day().to_db(), "2026-07-01");
        let day = Day::try_from("2026-12-05".to_string()).unwrap();
        assert_eq!(day.display(), "5 December 2026");
        assert_eq!(day.to_string(), "2026-12-05");
        assert!(Day::try_from("5/12/2026".to_string()).is_err());
        assert!(UtcTime::try_from("yesterday".to_string()).is_err());
    }

    #[test]
    fn shows_uk_local_time_across_bst() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 14, 30, 0).unwrap();
        assert_eq!(display_uk(winter), "15 January 2026 at 2:30pm");
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 14, 0, 0).unwrap();
        assert_eq!(display_uk(summer), "15 July 2026 at 3pm");
    }

    #[test]
    fn times_are_shown_as_gov_uk_writes_them() {
        let noon_bst = Utc.with_ymd_and_hms(2026, 7, 1, 11, 0, 0).unwrap();
        assert_eq!(display_uk(noon_bst), "1 July 2026 at midday");
        let midnight = Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap();
        assert_eq!(display_uk(midnight), "5 December 2026 at midnight");
        let half_five = Utc.with_ymd_and_hms(2026, 12, 5, 17, 30, 0).unwrap();
        assert_eq!(display_uk(half_five), "5 December 2026 at 5:30pm");
    }
}
