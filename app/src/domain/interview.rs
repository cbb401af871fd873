//! Interviews and presentations (optional per round): a commissioner shortlists a sent bid
//! and invites its organisation (when, where or the link, who should come); the organisation
//! replies. Interview criteria are scored by the panel after the interview and join
//! moderation like the written ones.
use super::date::{parse_date, parse_time, uk_local_to_utc};
use super::text::{optional_text, required_line, required_text};
use super::FieldError;
use crate::coded_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// What the shortlisted organisation is invited to.
    InterviewFormat {
        Interview = ("interview", "An interview"),
        Presentation = ("presentation", "A presentation, then questions from the panel"),
    }
);

impl InterviewFormat {
    /// "interview" or "presentation", inside a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            InterviewFormat::Interview => "interview",
            InterviewFormat::Presentation => "presentation",
        }
    }
}

coded_enum!(
    /// The organisation's answer to an invitation.
    InterviewReply {
        Attending = ("attending", "We will come"),
        Rearrange = ("rearrange", "We cannot come then: please offer another time"),
    }
);

/// An invitation as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationForm {
    pub format: String,
    pub on_day: String,
    pub on_month: String,
    pub on_year: String,
    pub time: String,
    pub place: String,
    pub attendees: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub format: InterviewFormat,
    pub at: DateTime<Utc>,
    pub place: String,
    pub attendees: String,
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

impl InvitationForm {
    /// Every field is needed, and the interview must be after `now`.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<Invitation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let format = keep(
            e,
            InterviewFormat::parse(
                "format",
                &self.format,
                "Select whether it is an interview or a presentation",
            ),
        );
        let date = keep(
            e,
            parse_date(
                "on",
                "The date",
                &self.on_day,
                &self.on_month,
                &self.on_year,
                true,
            ),
        )
        .flatten();
        let time = keep(e, parse_time("time", "The time it starts", &self.time));
        let at = match (date, time) {
            (Some(d), Some(t)) => keep(e, uk_local_to_utc("time", "The time it starts", d, t)),
            _ => None,
        };
        if let Some(at) = at {
            if at <= now {
                e.push(FieldError::new(
                    "on",
                    "The date and time must be in the future",
                ));
            }
        }
        let place = keep(
            e,
            required_line(
                "place",
                &self.place,
                "Enter where it takes place, or the link to join online",
                300,
                "Where it takes place",
            ),
        );
        let attendees = keep(
            e,
            required_text(
                "attendees",
                &self.attendees,
                "Say who from the organisation should come",
                1000,
                "Who should come",
            ),
        );
        match (format, at, place, attendees) {
            (Some(format), Some(at), Some(place), Some(attendees)) if errors.is_empty() => {
                Ok(Invitation {
                    format,
                    at,
                    place,
                    attendees,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A reply as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    pub reply: String,
    pub note: String,
}

impl ReplyForm {
    /// A reply, and a note: needed when asking for another time (when could you come?).
    pub fn parse(&self) -> Result<(InterviewReply, String), Vec<FieldError>> {
        let reply = InterviewReply::parse(
            "reply",
            &self.reply,
            "Select whether you will come or need another time",
        )
        .map_err(|e| vec![e])?;
        let note = match reply {
            InterviewReply::Rearrange => required_text(
                "note",
                &self.note,
                "Tell the commissioners when you could come",
                1000,
                "Your note",
            ),
            InterviewReply::Attending => optional_text("note", &self.note, 1000, "Your note"),
        }
        .map_err(|e| vec![e])?;
        Ok((reply, note))
    }
}

/// May a bid be invited (or its invitation changed)? Only a sent bid in a round that has
/// closed for bids, while the Board has not decided on it.
pub fn may_invite(bid_sent: bool, round_closed: bool, decided: bool) -> Result<(), &'static str> {
    if !bid_sent {
        Err("Only a bid that has been sent can be shortlisted")
    } else if !round_closed {
        Err("Bids can be shortlisted once the round has closed")
    } else if decided {
        Err("The Board has decided on this bid: it can no longer be invited")
    } else {
        Ok(())
    }
}

/// May the organisation reply? Before the interview starts.
pub fn may_reply(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), &'static str> {
    if now >= at {
        Err("The interview has started or taken place: contact the commissioning team")
    } else {
        Ok(())
    }
}

/// Interview criteria are scored once the interview has taken place.
pub fn interview_held(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    at.is_some_and(|at| at <= now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form() -> InvitationForm {
        InvitationForm {
            format: "interview".into(),
            on_day: "14".into(),
            on_month: "1".into(),
            on_year: "2027".into(),
            time: "2pm".into(),
            place: "Grimsby Town Hall, Room 2".into(),
            attendees: "Your chair and the person who will run the service".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
    }

    #[test]
    fn an_invitation_needs_every_part_and_a_time_to_come() {
        let invited = form().parse(now()).unwrap();
        assert_eq!(invited.format, InterviewFormat::Interview);
        // 2pm in January is 14:00 UTC (GMT).
        assert_eq!(
            invited.at,
            Utc.with_ymd_and_hms(2027, 1, 14, 14, 0, 0).unwrap()
        );

        let errors = InvitationForm::default().parse(now()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["format", "on", "time", "place", "attendees"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }

        let past = InvitationForm {
            on_year: "2025".into(),
            ..form()
        };
        let errors = past.parse(now()).unwrap_err();
        assert_eq!(errors[0].message, "The date and time must be in the future");
    }

    #[test]
    fn asking_for_another_time_says_when() {
        let asked = ReplyForm {
            reply: "rearrange".into(),
            note: " ".into(),
        };
        assert_eq!(
            asked.parse().unwrap_err()[0].message,
            "Tell the commissioners when you could come"
        );
        let coming = ReplyForm {
            reply: "attending".into(),
            note: String::new(),
        };
        assert_eq!(coming.parse().unwrap().0, InterviewReply::Attending);
        assert_eq!(ReplyForm::default().parse().unwrap_err()[0].field, "reply");
    }

    #[test]
    fn only_sent_bids_of_closed_rounds_are_invited_and_replies_come_before() {
        assert!(may_invite(true, true, false).is_ok());
        assert!(may_invite(false, true, false).is_err());
        assert!(may_invite(true, false, false).is_err());
        assert!(may_invite(true, true, true).is_err());
        let at = Utc.with_ymd_and_hms(2027, 1, 14, 14, 0, 0).unwrap();
        assert!(may_reply(at, now()).is_ok());
        assert!(may_reply(at, at).is_err());
        assert!(!interview_held(Some(at), now()));
        assert!(interview_held(Some(at), at));
        assert!(!interview_held(None, at));
    }
}
