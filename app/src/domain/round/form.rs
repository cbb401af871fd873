//! A round's details: the form as typed, and the details it parses into.
use super::LegalForm;
use crate::domain::money::Pence;
use crate::domain::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

fn keep<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A round's details as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub title: String,
    pub summary: String,
    pub guidance: String,
    pub envelope: String,
    pub min_award: String,
    pub max_award: String,
    pub period_months: String,
    pub max_income: String,
    pub area_served: String,
    pub opens_day: String,
    pub opens_month: String,
    pub opens_year: String,
    pub opens_time: String,
    pub closes_day: String,
    pub closes_month: String,
    pub closes_year: String,
    pub closes_time: String,
    pub decision_day: String,
    pub decision_month: String,
    pub decision_year: String,
    pub access: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundDetails {
    pub title: String,
    pub summary: String,
    pub guidance: String,
    pub envelope: Pence,
    pub min_award: Pence,
    pub max_award: Pence,
    pub period_months: u32,
    pub legal_forms: Vec<LegalForm>,
    pub max_income: Option<Pence>,
    pub area_served: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub decision_expected: chrono::NaiveDate,
    pub invited_only: bool,
}

impl RoundForm {
    /// Parse the details. `legal_forms` are the ticked codes; `gaps_chosen` says whether any
    /// gap was ticked (checked by the caller against the register).
    pub fn parse(&self, legal_forms: &[String]) -> Result<RoundDetails, Vec<FieldError>> {
        use crate::domain::date::{parse_date, parse_time, uk_local_to_utc};
        use crate::domain::text::{required_line, required_text};
        let mut e: Vec<FieldError> = Vec::new();
        let title = keep(
            required_line(
                "title",
                &self.title,
                "Enter the title of the round",
                150,
                "Title",
            ),
            &mut e,
        );
        let summary = keep(
            required_text(
                "summary",
                &self.summary,
                "Enter a summary of the round",
                600,
                "Summary",
            ),
            &mut e,
        );
        let guidance = keep(
            required_text(
                "guidance",
                &self.guidance,
                "Enter guidance for applicants",
                20_000,
                "Guidance",
            ),
            &mut e,
        );
        let envelope = keep(
            Pence::parse("envelope", "the budget envelope", &self.envelope),
            &mut e,
        );
        let min_award = keep(
            Pence::parse("min_award", "the minimum award", &self.min_award),
            &mut e,
        );
        let max_award = keep(
            Pence::parse("max_award", "the maximum award", &self.max_award),
            &mut e,
        );
        let period = match self.period_months.trim().parse::<u32>() {
            Ok(n) if (1..=60).contains(&n) => Some(n),
            _ if self.period_months.trim().is_empty() => {
                e.push(FieldError::new(
                    "period_months",
                    "Enter the funding period in months",
                ));
                None
            }
            _ => {
                e.push(FieldError::new(
                    "period_months",
                    "Funding period must be a whole number of months between 1 and 60",
                ));
                None
            }
        };
        let max_income = if self.max_income.trim().is_empty() {
            Some(None)
        } else {
            keep(
                Pence::parse("max_income", "the maximum annual income", &self.max_income),
                &mut e,
            )
            .map(Some)
        };
        let area = keep(
            required_line(
                "area_served",
                &self.area_served,
                "Enter the area the service must cover",
                300,
                "Area served",
            ),
            &mut e,
        );
        let forms: Vec<LegalForm> = legal_forms
            .iter()
            .filter_map(|c| LegalForm::from_code(c))
            .collect();
        if forms.is_empty() {
            e.push(FieldError::new(
                "legal_forms",
                "Select which kinds of organisation may apply",
            ));
        }
        let opens_date = keep(
            parse_date(
                "opens",
                "Opening date",
                &self.opens_day,
                &self.opens_month,
                &self.opens_year,
                true,
            ),
            &mut e,
        )
        .flatten();
        let opens_time = keep(
            parse_time("opens_time", "Opening time", &self.opens_time),
            &mut e,
        );
        let closes_date = keep(
            parse_date(
                "closes",
                "Closing date",
                &self.closes_day,
                &self.closes_month,
                &self.closes_year,
                true,
            ),
            &mut e,
        )
        .flatten();
        let closes_time = keep(
            parse_time("closes_time", "Closing time", &self.closes_time),
            &mut e,
        );
        let decision = keep(
            parse_date(
                "decision",
                "Decision date",
                &self.decision_day,
                &self.decision_month,
                &self.decision_year,
                true,
            ),
            &mut e,
        )
        .flatten();
        let opens_at = match (opens_date, opens_time) {
            (Some(d), Some(t)) => keep(uk_local_to_utc("opens_time", "Opening time", d, t), &mut e),
            _ => None,
        };
        let closes_at = match (closes_date, closes_time) {
            (Some(d), Some(t)) => {
                keep(uk_local_to_utc("closes_time", "Closing time", d, t), &mut e)
            }
            _ => None,
        };
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c <= o {
                e.push(FieldError::new(
                    "closes",
                    "Closing date must be after the opening date",
                ));
            }
        }
        if let (Some(c), Some(d)) = (closes_at, decision) {
            if d < crate::domain::date::uk_date(c) {
                e.push(FieldError::new(
                    "decision",
                    "Decision date must be on or after the closing date",
                ));
            }
        }
        if let (Some(min), Some(max)) = (min_award, max_award) {
            if max.0 == 0 {
                e.push(FieldError::new(
                    "max_award",
                    "The maximum award must be more than £0",
                ));
            } else if min > max {
                e.push(FieldError::new(
                    "min_award",
                    "The minimum award must not be more than the maximum award",
                ));
            }
        }
        if let (Some(max), Some(env)) = (max_award, envelope) {
            if max > env {
                e.push(FieldError::new(
                    "max_award",
                    "The maximum award must not be more than the budget envelope",
                ));
            }
        }
        let invited_only = match self.access.as_str() {
            "open" => Some(false),
            "invited" => Some(true),
            _ => {
                e.push(FieldError::new("access", "Select who can bid"));
                None
            }
        };
        match (
            title,
            summary,
            guidance,
            envelope,
            min_award,
            max_award,
            period,
            max_income,
            area,
            opens_at,
            closes_at,
            decision,
            invited_only,
        ) {
            (
                Some(title),
                Some(summary),
                Some(guidance),
                Some(envelope),
                Some(min_award),
                Some(max_award),
                Some(period_months),
                Some(max_income),
                Some(area_served),
                Some(opens_at),
                Some(closes_at),
                Some(decision_expected),
                Some(invited_only),
            ) if e.is_empty() => Ok(RoundDetails {
                title,
                summary,
                guidance,
                envelope,
                min_award,
                max_award,
                period_months,
                legal_forms: forms,
                max_income,
                area_served,
                opens_at,
                closes_at,
                decision_expected,
                invited_only,
            }),
            _ => Err(e),
        }
    }
}

impl RoundDetails {
    pub fn to_form(&self) -> RoundForm {
        use crate::domain::date::{uk_date, uk_time_value};
        use chrono::Datelike;
        let o = uk_date(self.opens_at);
        let c = uk_date(self.closes_at);
        let d = self.decision_expected;
        RoundForm {
            title: self.title.clone(),
            summary: self.summary.clone(),
            guidance: self.guidance.clone(),
            envelope: self.envelope.form_value(),
            min_award: self.min_award.form_value(),
            max_award: self.max_award.form_value(),
            period_months: self.period_months.to_string(),
            max_income: self.max_income.map(|p| p.form_value()).unwrap_or_default(),
            area_served: self.area_served.clone(),
            opens_day: o.day().to_string(),
            opens_month: o.month().to_string(),
            opens_year: o.year().to_string(),
            opens_time: uk_time_value(self.opens_at),
            closes_day: c.day().to_string(),
            closes_month: c.month().to_string(),
            closes_year: c.year().to_string(),
            closes_time: uk_time_value(self.closes_at),
            decision_day: d.day().to_string(),
            decision_month: d.month().to_string(),
            decision_year: d.year().to_string(),
            access: if self.invited_only { "invited" } else { "open" }.into(),
        }
    }
}
