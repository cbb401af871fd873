//! Board meetings: when and where the Board meets, the funding rounds on its agenda and the
//! members invited; who was present, and who took no part in a decision because they had
//! declared a conflict of interest in that bid.
use super::date::{parse_date, parse_time, uk_local_to_utc};
use super::text::required_line;
use super::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A meeting as typed: the date boxes, the time, the place, and the ids ticked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub held_day: String,
    pub held_month: String,
    pub held_year: String,
    pub time: String,
    pub place: String,
    pub rounds: Vec<String>,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub held_at: DateTime<Utc>,
    pub place: String,
    pub rounds: Vec<i64>,
    pub members: Vec<i64>,
}

/// The ticked ids that are among `allowed`, in the order ticked, once each; an id that is
/// not allowed (or not a number) is an error.
fn chosen(ticked: &[String], allowed: &[i64]) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for t in ticked {
        let id: i64 = t.trim().parse().ok().filter(|id| allowed.contains(id))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Some(out)
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

impl MeetingForm {
    /// `rounds`: the rounds that may go on an agenda; `members`: the board members.
    pub fn parse(&self, rounds: &[i64], members: &[i64]) -> Result<Meeting, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let date = keep(
            e,
            parse_date(
                "held",
                "The date of the meeting",
                &self.held_day,
                &self.held_month,
                &self.held_year,
                true,
            ),
        )
        .flatten();
        let time = keep(
            e,
            parse_time("time", "The time the meeting starts", &self.time),
        );
        let held_at = match (date, time) {
            (Some(d), Some(t)) => keep(
                e,
                uk_local_to_utc("time", "The time the meeting starts", d, t),
            ),
            _ => None,
        };
        let place = keep(
            e,
            required_line(
                "place",
                &self.place,
                "Enter where the Board meets, or the link to join online",
                200,
                "Where the Board meets",
            ),
        );
        let agenda = match chosen(&self.rounds, rounds) {
            Some(ids) if !ids.is_empty() => Some(ids),
            Some(_) => {
                errors.push(FieldError::new(
                    "rounds",
                    "Select at least one funding round for the agenda",
                ));
                None
            }
            None => {
                errors.push(FieldError::new("rounds", "Select rounds from the list"));
                None
            }
        };
        let invited = match chosen(&self.members, members) {
            Some(ids) if !ids.is_empty() => Some(ids),
            Some(_) => {
                errors.push(FieldError::new(
                    "members",
                    "Select the board members invited",
                ));
                None
            }
            None => {
                errors.push(FieldError::new("members", "Select members from the list"));
                None
            }
        };
        match (held_at, place, agenda, invited) {
            (Some(held_at), Some(place), Some(rounds), Some(members)) if errors.is_empty() => {
                Ok(Meeting {
                    held_at,
                    place,
                    rounds,
                    members,
                })
            }
            _ => Err(errors),
        }
    }
}

/// How a board member took part in the Board's decision on one bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    TookPart,
    /// Present, but declared a conflict of interest in this bid: left the room for it.
    ConflictNotTakingPart,
    Absent,
}

impl Part {
    pub fn label(self) -> &'static str {
        match self {
            Part::TookPart => "Took part",
            Part::ConflictNotTakingPart => "Declared a conflict: took no part",
            Part::Absent => "Absent",
        }
    }
}

/// How a member took part in a decision on a bid: `present` at the meeting, `conflicted`
/// (declared a conflict of interest in the bid). A conflicted member never takes part.
pub fn part(present: bool, conflicted: bool) -> Part {
    match (present, conflicted) {
        (false, _) => Part::Absent,
        (true, true) => Part::ConflictNotTakingPart,
        (true, false) => Part::TookPart,
    }
}

/// A meeting as a list names it: "Board meeting, 14 January 2027 at 2pm, Town Hall".
pub fn describe(held_at: DateTime<Utc>, place: &str) -> String {
    use super::date::{display_date, uk_date, uk_time_value};
    format!(
        "Board meeting, {} at {}, {place}",
        display_date(uk_date(held_at)),
        uk_time_value(held_at)
    )
}

/// The meeting a decision was made at, as chosen: none ('') or one of the `meetings` (ids)
/// that have taken place with the bid's round on their agenda.
pub fn meeting_choice(typed: &str, meetings: &[i64]) -> Result<Option<i64>, FieldError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed
        .parse::<i64>()
        .ok()
        .filter(|id| meetings.contains(id))
        .map(Some)
        .ok_or_else(|| {
            FieldError::new(
                "meeting",
                "Select a board meeting that has taken place with this round on its agenda",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MeetingForm {
        MeetingForm {
            held_day: "14".into(),
            held_month: "1".into(),
            held_year: "2027".into(),
            time: "2pm".into(),
            place: "Grimsby Town Hall, Committee Room 1".into(),
            rounds: vec!["3".into()],
            members: vec!["7".into(), "8".into(), "7".into()],
        }
    }

    #[test]
    fn a_meeting_has_a_time_a_place_an_agenda_and_members() {
        let m = form().parse(&[3, 4], &[7, 8, 9]).unwrap();
        // 2pm in January is 14:00 UTC.
        assert_eq!(m.held_at.to_rfc3339(), "2027-01-14T14:00:00+00:00");
        assert_eq!(m.rounds, vec![3]);
        assert_eq!(m.members, vec![7, 8], "each member once");
    }

    #[test]
    fn each_missing_part_is_named_next_to_its_field() {
        let empty = MeetingForm::default().parse(&[3], &[7]).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["held", "time", "place", "rounds", "members"]);
        assert_eq!(
            empty[3].message,
            "Select at least one funding round for the agenda"
        );
        let mut f = form();
        f.rounds = vec!["99".into()];
        f.members = vec!["x".into()];
        let wrong = f.parse(&[3], &[7]).unwrap_err();
        assert_eq!(wrong[0].message, "Select rounds from the list");
        assert_eq!(wrong[1].message, "Select members from the list");
    }

    #[test]
    fn a_meeting_is_named_by_its_uk_date_time_and_place() {
        let m = form().parse(&[3], &[7, 8]).unwrap();
        assert_eq!(
            describe(m.held_at, &m.place),
            "Board meeting, 14 January 2027 at 2pm, Grimsby Town Hall, Committee Room 1"
        );
    }

    #[test]
    fn a_decision_names_a_meeting_with_its_round_on_the_agenda() {
        assert_eq!(meeting_choice("", &[4]), Ok(None));
        assert_eq!(meeting_choice("4", &[4, 5]), Ok(Some(4)));
        assert_eq!(meeting_choice("6", &[4, 5]).unwrap_err().field, "meeting");
    }

    #[test]
    fn a_member_with_a_conflict_takes_no_part() {
        assert_eq!(part(true, false), Part::TookPart);
        assert_eq!(part(true, true), Part::ConflictNotTakingPart);
        assert_eq!(part(false, true), Part::Absent);
        assert_eq!(
            Part::ConflictNotTakingPart.label(),
            "Declared a conflict: took no part"
        );
    }
}
