//! The gaps register and the commissioned services register (market position statement).
use super::date::parse_date;
use super::money::Pence;
use super::text::{optional_text, required_line, required_text};
use super::FieldError;
use crate::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

coded_enum!(
    /// How urgent the Board thinks a gap is.
    Priority {
        High = ("high", "High"),
        Medium = ("medium", "Medium"),
        Low = ("low", "Low"),
    }
);

coded_enum!(
    /// Where a gap stands.
    GapStatus {
        Identified = ("identified", "Identified"),
        RoundOpen = ("round_open", "Round open"),
        Filled = ("filled", "Filled"),
        Closed = ("closed", "Closed"),
    }
);

coded_enum!(
    /// How open a commissioned service is to the market, as commissioning intentions describe it.
    MarketCategory {
        Restricted = ("restricted", "Restricted"),
        Protected = ("protected", "Protected"),
        Open = ("open", "Open"),
    }
);

impl MarketCategory {
    pub fn hint(self) -> &'static str {
        match self {
            MarketCategory::Restricted => "Must be provided by the council or the NHS",
            MarketCategory::Protected => {
                "Limited competition: only a certain number or type of organisation may provide it"
            }
            MarketCategory::Open => "Any provider may offer it: the public can see this service",
        }
    }
}

/// A gap as typed into the form: every field is text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapForm {
    pub title: String,
    pub need: String,
    pub evidence: String,
    pub target_population: String,
    pub outcome_sought: String,
    pub priority: String,
    pub status: String,
}

/// A gap in community resources that the Board has identified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub title: String,
    pub need: String,
    pub evidence: String,
    pub target_population: String,
    pub outcome_sought: String,
    pub priority: Priority,
    pub status: GapStatus,
}

impl GapForm {
    pub fn parse(&self) -> Result<Gap, Vec<FieldError>> {
        let mut e = Vec::new();
        let title = keep(
            &mut e,
            required_line(
                "title",
                &self.title,
                "Enter a title for the gap",
                150,
                "Title",
            ),
        );
        let need = keep(
            &mut e,
            required_text("need", &self.need, "Describe the need", 5000, "The need"),
        );
        let evidence = keep(
            &mut e,
            optional_text("evidence", &self.evidence, 5000, "Evidence"),
        );
        let target = keep(
            &mut e,
            required_text(
                "target_population",
                &self.target_population,
                "Enter the target population",
                500,
                "Target population",
            ),
        );
        let outcome = keep(
            &mut e,
            required_text(
                "outcome_sought",
                &self.outcome_sought,
                "Enter the outcome sought",
                500,
                "Outcome sought",
            ),
        );
        let priority = keep(
            &mut e,
            Priority::parse("priority", &self.priority, "Select the priority"),
        );
        let status = if self.status.is_empty() {
            Some(GapStatus::Identified)
        } else {
            keep(
                &mut e,
                GapStatus::parse("status", &self.status, "Select the status"),
            )
        };
        match (title, need, evidence, target, outcome, priority, status) {
            (
                Some(title),
                Some(need),
                Some(evidence),
                Some(target_population),
                Some(outcome_sought),
                Some(priority),
                Some(status),
            ) if e.is_empty() => Ok(Gap {
                title,
                need,
                evidence,
                target_population,
                outcome_sought,
                priority,
                status,
            }),
            _ => Err(e),
        }
    }
}

impl Gap {
    pub fn to_form(&self) -> GapForm {
        GapForm {
            title: self.title.clone(),
            need: self.need.clone(),
            evidence: self.evidence.clone(),
            target_population: self.target_population.clone(),
            outcome_sought: self.outcome_sought.clone(),
            priority: self.priority.code().into(),
            status: self.status.code().into(),
        }
    }
}

/// A commissioned service as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    pub name: String,
    pub current_provider: String,
    pub contract_value: String,
    pub contract_currency: String,
    pub quantity: String,
    pub quality_criteria: String,
    pub last_reviewed_day: String,
    pub last_reviewed_month: String,
    pub last_reviewed_year: String,
    pub review_due_day: String,
    pub review_due_month: String,
    pub review_due_year: String,
    pub nature_of_review: String,
    pub interdependencies: String,
    pub market_category: String,
}

/// A service the partners commission: the "what we buy" template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    pub current_provider: String,
    pub contract_value: Pence,
    /// How long the current contract runs, e.g. "1 April 2025 to 31 March 2028".
    pub contract_currency: String,
    pub quantity: String,
    pub quality_criteria: String,
    pub last_reviewed: Option<NaiveDate>,
    pub review_due: Option<NaiveDate>,
    pub nature_of_review: String,
    pub interdependencies: String,
    pub market_category: MarketCategory,
}

impl ServiceForm {
    pub fn parse(&self) -> Result<Service, Vec<FieldError>> {
        let mut e = Vec::new();
        let name = keep(
            &mut e,
            required_line(
                "name",
                &self.name,
                "Enter the name of the service",
                150,
                "Name",
            ),
        );
        let provider = keep(
            &mut e,
            required_line(
                "current_provider",
                &self.current_provider,
                "Enter the current provider",
                200,
                "Current provider",
            ),
        );
        let value = keep(
            &mut e,
            Pence::parse("contract_value", "the contract value", &self.contract_value),
        );
        let currency = keep(
            &mut e,
            required_line(
                "contract_currency",
                &self.contract_currency,
                "Enter how long the contract runs",
                200,
                "Contract currency",
            ),
        );
        let quantity = keep(
            &mut e,
            optional_text("quantity", &self.quantity, 500, "Quantity"),
        );
        let criteria = keep(
            &mut e,
            optional_text(
                "quality_criteria",
                &self.quality_criteria,
                2000,
                "Key quality or performance criteria",
            ),
        );
        let last = keep(
            &mut e,
            parse_date(
                "last_reviewed",
                "Date of the last review",
                &self.last_reviewed_day,
                &self.last_reviewed_month,
                &self.last_reviewed_year,
                false,
            ),
        );
        let due = keep(
            &mut e,
            parse_date(
                "review_due",
                "Expected review date",
                &self.review_due_day,
                &self.review_due_month,
                &self.review_due_year,
                false,
            ),
        );
        if let (Some(Some(last)), Some(Some(due))) = (last, due) {
            if due <= last {
                e.push(FieldError::new(
                    "review_due",
                    "Expected review date must be after the date of the last review",
                ));
            }
        }
        let nature = keep(
            &mut e,
            optional_text(
                "nature_of_review",
                &self.nature_of_review,
                500,
                "Nature of the review",
            ),
        );
        let inter = keep(
            &mut e,
            optional_text(
                "interdependencies",
                &self.interdependencies,
                2000,
                "Interdependencies",
            ),
        );
        let category = keep(
            &mut e,
            MarketCategory::parse(
                "market_category",
                &self.market_category,
                "Select whether the service is restricted, protected or open",
            ),
        );
        match (
            name, provider, value, currency, quantity, criteria, last, due, nature, inter, category,
        ) {
            (
                Some(name),
                Some(current_provider),
                Some(contract_value),
                Some(contract_currency),
                Some(quantity),
                Some(quality_criteria),
                Some(last_reviewed),
                Some(review_due),
                Some(nature_of_review),
                Some(interdependencies),
                Some(market_category),
            ) if e.is_empty() => Ok(Service {
                name,
                current_provider,
                contract_value,
                contract_currency,
                quantity,
                quality_criteria,
                last_reviewed,
                review_due,
                nature_of_review,
                interdependencies,
                market_category,
            }),
            _ => Err(e),
        }
    }
}

fn date_parts(date: Option<NaiveDate>) -> [String; 3] {
    use chrono::Datelike;
    match date {
        Some(d) => [
            d.day().to_string(),
            d.month().to_string(),
            d.year().to_string(),
        ],
        None => Default::default(),
    }
}

impl Service {
    pub fn to_form(&self) -> ServiceForm {
        let [lrd, lrm, lry] = date_parts(self.last_reviewed);
        let [rdd, rdm, rdy] = date_parts(self.review_due);
        ServiceForm {
            name: self.name.clone(),
            current_provider: self.current_provider.clone(),
            contract_value: self.contract_value.form_value(),
            contract_currency: self.contract_currency.clone(),
            quantity: self.quantity.clone(),
            quality_criteria: self.quality_criteria.clone(),
            last_reviewed_day: lrd,
            last_reviewed_month: lrm,
            last_reviewed_year: lry,
            review_due_day: rdd,
            review_due_month: rdm,
            review_due_year: rdy,
            nature_of_review: self.nature_of_review.clone(),
            interdependencies: self.interdependencies.clone(),
            market_category: self.market_category.code().into(),
        }
    }
}

#[cfg(test)]
mod tests;
