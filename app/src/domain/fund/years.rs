//! Money across financial years: an award's commitment profiled over the years its tranches
//! are planned in, a payment charged to the year it is paid in, and the year-end.
use super::FinancialYear;
use crate::domain::money::Pence;
use crate::domain::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Each financial year's share of an award: the sum of the tranches planned in it, years in
/// order, each year once. Tranches planned before the round's year (`first`) are charged to
/// the round's year, whose fund holds the round's envelope.
pub fn profile(
    first: FinancialYear,
    tranches: &[(NaiveDate, Pence)],
) -> Vec<(FinancialYear, Pence)> {
    let mut years: Vec<(FinancialYear, Pence)> = Vec::new();
    for (due, amount) in tranches {
        let year = FinancialYear::containing(*due).max(first);
        match years.iter_mut().find(|(y, _)| *y == year) {
            Some((_, total)) => total.0 += amount.0,
            None => years.push((year, *amount)),
        }
    }
    years.sort_by_key(|(y, _)| *y);
    years
}

/// The year a tranche planned in `year` is charged to: its own year, or the round's when
/// planned before it.
pub fn charged_year(first: FinancialYear, due: NaiveDate) -> FinancialYear {
    FinancialYear::containing(due).max(first)
}

/// Where a payment is charged, given the year its tranche's commitment is in and the day it
/// was paid: that year, or the year it was paid in (the commitment moves with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentYear {
    /// Paid in the year its commitment is in.
    Planned,
    /// Paid in a later year: its commitment is carried forward to that year's fund first,
    /// with its money.
    Later(FinancialYear),
    /// Paid early, in an earlier year than planned: committed against that year's uncommitted
    /// money, and the later year's commitment given back to that year.
    Earlier(FinancialYear),
}

pub fn payment_year(committed_in: FinancialYear, paid_on: NaiveDate) -> PaymentYear {
    let paid_in = FinancialYear::containing(paid_on);
    match paid_in.cmp(&committed_in) {
        std::cmp::Ordering::Equal => PaymentYear::Planned,
        std::cmp::Ordering::Greater => PaymentYear::Later(paid_in),
        std::cmp::Ordering::Less => PaymentYear::Earlier(paid_in),
    }
}

/// What a partner's underspend does at the year-end, as the partners agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnderspendChoice {
    /// Carried forward to the next year's fund as uncommitted money.
    CarryForward,
    /// Returned to the partner.
    Return,
}

impl UnderspendChoice {
    pub fn code(self) -> &'static str {
        match self {
            UnderspendChoice::CarryForward => "carry_forward",
            UnderspendChoice::Return => "return",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [UnderspendChoice::CarryForward, UnderspendChoice::Return]
            .into_iter()
            .find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnderspendChoice::CarryForward => "Carried forward to next year",
            UnderspendChoice::Return => "Returned to the partner",
        }
    }
}

/// One partner's underspend decision as typed: the choice's code and the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedChoice {
    pub choice: String,
    pub reason: String,
}

/// Check one partner's underspend decision. An underspend needs a choice and a reason (the
/// partners' agreement); a partner with none needs neither. Fields are named per partner
/// (`choice[<id>]`, `reason[<id>]`).
pub fn parse_choice(
    partner_id: i64,
    partner: &str,
    underspend: Pence,
    typed: &TypedChoice,
) -> Result<Option<(UnderspendChoice, String)>, Vec<FieldError>> {
    if underspend.0 <= 0 {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let choice = UnderspendChoice::from_code(typed.choice.trim());
    if choice.is_none() {
        errors.push(FieldError::new(
            format!("choice[{partner_id}]"),
            format!("Select whether {partner}'s underspend of {underspend} is carried forward or returned"),
        ));
    }
    let reason = typed.reason.trim();
    if reason.is_empty() {
        errors.push(FieldError::new(
            format!("reason[{partner_id}]"),
            format!("Enter the reason for what happens to {partner}'s underspend, as the partners agreed it"),
        ));
    } else if reason.chars().count() > 1000 {
        errors.push(FieldError::new(
            format!("reason[{partner_id}]"),
            "The reason must be 1000 characters or fewer",
        ));
    }
    match choice {
        Some(choice) if errors.is_empty() => Ok(Some((choice, reason.to_string()))),
        _ => Err(errors),
    }
}

/// Why a year-end cannot be run now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearEndRefusal {
    /// The year has not ended yet.
    NotEnded { ends: NaiveDate },
    /// Its year-end has been run.
    Closed,
    /// The year before has not been closed: years close in order.
    EarlierOpen { year: FinancialYear },
    /// The next year's fund, to carry forward into, is not set up.
    NoNextFund { year: FinancialYear },
    /// Rounds still hold money reserved in the year (their titles).
    Reserved { rounds: Vec<String> },
}

impl YearEndRefusal {
    pub fn message(&self, year: FinancialYear) -> String {
        match self {
            YearEndRefusal::NotEnded { ends } => format!(
                "The year-end for {} can be run once the year has ended, after {}",
                year.label(),
                crate::domain::date::display_date(*ends)
            ),
            YearEndRefusal::Closed => format!("The year-end for {} has been run", year.label()),
            YearEndRefusal::EarlierOpen { year: earlier } => format!(
                "Run the year-end for {} first: years are closed in order",
                earlier.label()
            ),
            YearEndRefusal::NoNextFund { year: next } => format!(
                "Set up the {} pooled fund first: what {} committed and did not pay is carried forward to it",
                next.label(),
                year.label()
            ),
            YearEndRefusal::Reserved { rounds } => format!(
                "Money is still reserved for {}. Release each round's unawarded money first: on the round's moderation page, choose “Release unawarded money to the pooled fund”",
                rounds
                    .iter()
                    .map(|r| format!("\u{201c}{r}\u{201d}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The year-end for `year` can run when the year has ended (today is after 31 March), its
/// fund is open, the year before (if it has a fund) is closed, the next year's fund is set up
/// and open, and no round holds money reserved in it.
pub fn year_end_ready(
    year: FinancialYear,
    today: NaiveDate,
    closed: bool,
    earlier_open: bool,
    next_fund: bool,
    reserved_rounds: Vec<String>,
) -> Result<(), YearEndRefusal> {
    if closed {
        return Err(YearEndRefusal::Closed);
    }
    let ends = year.ends().unwrap_or(today);
    if today <= ends {
        return Err(YearEndRefusal::NotEnded { ends });
    }
    if earlier_open {
        return Err(YearEndRefusal::EarlierOpen {
            year: FinancialYear(year.0 - 1),
        });
    }
    if !next_fund {
        return Err(YearEndRefusal::NoNextFund {
            year: FinancialYear(year.0 + 1),
        });
    }
    if !reserved_rounds.is_empty() {
        return Err(YearEndRefusal::Reserved {
            rounds: reserved_rounds,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_commitment_is_profiled_over_the_years_its_tranches_fall_in() {
        let tranches = [
            (d(2026, 12, 7), Pence(12_000)),
            (d(2027, 3, 31), Pence(3_000)),
            (d(2027, 4, 1), Pence(7_200)),
            (d(2027, 9, 7), Pence(4_800)),
        ];
        assert_eq!(
            profile(FinancialYear(2026), &tranches),
            vec![
                (FinancialYear(2026), Pence(15_000)),
                (FinancialYear(2027), Pence(12_000))
            ]
        );
        // A tranche planned before the round's year is charged to the round's year.
        assert_eq!(
            profile(FinancialYear(2027), &tranches),
            vec![(FinancialYear(2027), Pence(27_000))]
        );
        assert_eq!(
            charged_year(FinancialYear(2027), d(2026, 12, 7)),
            FinancialYear(2027)
        );
    }

    #[test]
    fn a_payment_is_charged_to_the_year_it_is_paid_in() {
        assert_eq!(
            payment_year(FinancialYear(2026), d(2027, 3, 31)),
            PaymentYear::Planned
        );
        assert_eq!(
            payment_year(FinancialYear(2026), d(2027, 4, 1)),
            PaymentYear::Later(FinancialYear(2027))
        );
        assert_eq!(
            payment_year(FinancialYear(2027), d(2027, 3, 31)),
            PaymentYear::Earlier(FinancialYear(2026))
        );
    }

    #[test]
    fn an_underspend_needs_a_choice_and_a_reason() {
        let typed = |choice: &str, reason: &str| TypedChoice {
            choice: choice.into(),
            reason: reason.into(),
        };
        assert_eq!(
            parse_choice(1, "Council", Pence(0), &typed("", "")),
            Ok(None)
        );
        let errors = parse_choice(1, "Council", Pence(50_000), &typed("", " ")).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "choice[1]");
        assert_eq!(
            errors[0].message,
            "Select whether Council's underspend of £500.00 is carried forward or returned"
        );
        assert_eq!(errors[1].field, "reason[1]");
        assert_eq!(
            parse_choice(
                1,
                "Council",
                Pence(1),
                &typed("return", " Agreed at the Board ")
            ),
            Ok(Some((
                UnderspendChoice::Return,
                "Agreed at the Board".into()
            )))
        );
        assert!(parse_choice(1, "C", Pence(1), &typed("spend", "x")).is_err());
    }

    #[test]
    fn a_year_end_waits_for_the_year_to_end_and_goes_in_order() {
        let y = FinancialYear(2025);
        let ready = |today, closed, earlier, next, rounds: Vec<String>| {
            year_end_ready(y, today, closed, earlier, next, rounds)
        };
        assert_eq!(
            ready(d(2026, 3, 31), false, false, true, vec![]),
            Err(YearEndRefusal::NotEnded {
                ends: d(2026, 3, 31)
            })
        );
        assert_eq!(ready(d(2026, 4, 1), false, false, true, vec![]), Ok(()));
        assert_eq!(
            ready(d(2026, 4, 1), true, false, true, vec![]),
            Err(YearEndRefusal::Closed)
        );
        let earlier = ready(d(2026, 4, 1), false, true, true, vec![]).unwrap_err();
        assert_eq!(
            earlier.message(y),
            "Run the year-end for 2024 to 2025 first: years are closed in order"
        );
        let next = ready(d(2026, 4, 1), false, false, false, vec![]).unwrap_err();
        assert!(next
            .message(y)
            .starts_with("Set up the 2026 to 2027 pooled fund first"));
        let reserved = ready(d(2026, 4, 1), false, false, true, vec!["Meals".into()]);
        assert!(reserved
            .unwrap_err()
            .message(y)
            .starts_with("Money is still reserved for \u{201c}Meals\u{201d}"));
    }

    proptest! {
        /// The profile keeps every penny, once, in the year its tranche is charged to.
        #[test]
        fn a_profile_adds_up_year_by_year(
            first in 2024i32..2030,
            tranches in prop::collection::vec((0i64..3_000, 0i64..10_000_000), 0..8),
        ) {
            let base = d(2024, 1, 1);
            let tranches: Vec<(NaiveDate, Pence)> = tranches
                .into_iter()
                .map(|(days, amount)| (base + chrono::Duration::days(days), Pence(amount)))
                .collect();
            let first = FinancialYear(first);
            let years = profile(first, &tranches);
            let total: i64 = tranches.iter().map(|(_, a)| a.0).sum();
            prop_assert_eq!(years.iter().map(|(_, a)| a.0).sum::<i64>(), total);
            for pair in years.windows(2) {
                prop_assert!(pair[0].0 < pair[1].0, "years in order, each once");
            }
            for (year, share) in &years {
                prop_assert!(*year >= first);
                let planned: i64 = tranches
                    .iter()
                    .filter(|(due, _)| charged_year(first, *due) == *year)
                    .map(|(_, a)| a.0)
                    .sum();
                prop_assert_eq!(share.0, planned);
            }
            if let Some((year, _)) = years.first() {
                prop_assert!(tranches.iter().any(|(due, _)| charged_year(first, *due) == *year));
            }
        }
    }
}
