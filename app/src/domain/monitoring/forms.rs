//! What a commissioner or an organisation types about monitoring: a return's money and
//! measure values, a round's measures, the unit costs table; each parsed with its errors.
use super::*;
use crate::domain::text::{optional_text, required_line, required_text};
use crate::domain::FieldError;

/// A monitoring return as typed: money by key, measure values by measure id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnForm {
    pub money: BTreeMap<String, String>,
    pub measures: BTreeMap<String, String>,
    pub narrative: String,
    pub risks: String,
}

/// A parsed return.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReturnContent {
    pub figures: Figures,
    /// (measure id, value in the measure's stored steps: see `MeasureUnit`)
    pub measures: Vec<(i64, i64)>,
    pub narrative: String,
    pub risks: String,
}

pub const NARRATIVE_CHARS: usize = 5_000;

pub fn money_field(key: &str) -> String {
    format!("money[{key}]")
}

pub fn measure_field(id: i64) -> String {
    format!("measure[{id}]")
}

/// What a money row is called in messages.
pub fn money_label(key: &str) -> String {
    if key == "costs" {
        return "running costs".into();
    }
    INCOME_SOURCES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| format!("income from {}", l.to_lowercase()))
        .unwrap_or_else(|| key.to_string())
}

impl ReturnForm {
    /// `measures` are the round's (id, name, how it is counted). `complete`: sending it, so every figure is
    /// required; a draft keeps what is there and checks only what was typed.
    pub fn parse(
        &self,
        measures: &[(i64, String, MeasureUnit)],
        complete: bool,
    ) -> Result<ReturnContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut figures = Figures::default();
        let keys = std::iter::once("costs").chain(INCOME_SOURCES.iter().map(|(k, _)| *k));
        for key in keys {
            let name = money_field(key);
            let text = self.money.get(key).map(|s| s.trim()).unwrap_or("");
            if text.is_empty() && !complete {
                continue;
            }
            let label = money_label(key);
            match Pence::parse(
                &name,
                &label,
                if text.is_empty() && key != "costs" {
                    "0"
                } else {
                    text
                },
            ) {
                Ok(p) => figures.set(key, p),
                Err(e) => errors.push(e),
            }
        }
        let mut values = Vec::new();
        for (id, name, unit) in measures {
            let field = measure_field(*id);
            let text = self
                .measures
                .get(&id.to_string())
                .map(|s| s.trim())
                .unwrap_or_default();
            if text.is_empty() {
                if complete {
                    let what = match unit {
                        MeasureUnit::Percent => "percentage",
                        _ => "number",
                    };
                    errors.push(FieldError::new(
                        &field,
                        format!("Enter the {what} for {}", name.to_lowercase()),
                    ));
                }
                continue;
            }
            match unit.parse_value(&field, name, text) {
                Ok(n) => values.push((*id, n)),
                Err(e) => errors.push(e),
            }
        }
        let narrative = if complete {
            required_text(
                "narrative",
                &self.narrative,
                "Enter what happened in this period",
                NARRATIVE_CHARS,
                "What happened in this period",
            )
        } else {
            optional_text(
                "narrative",
                &self.narrative,
                NARRATIVE_CHARS,
                "What happened in this period",
            )
        };
        let narrative = narrative.map_err(|e| errors.push(e)).unwrap_or_default();
        let risks = optional_text("risks", &self.risks, NARRATIVE_CHARS, "Risks")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        if errors.is_empty() {
            Ok(ReturnContent {
                figures,
                measures: values,
                narrative,
                risks,
            })
        } else {
            Err(errors)
        }
    }
}

/// A measure chosen for a round, as typed by a commissioner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasureForm {
    pub kind: String,
    pub name: String,
    /// How it is counted (a `MeasureUnit` code).
    pub unit: String,
    /// How to count it (optional).
    pub guidance: String,
    pub unit_cost_id: String,
    pub attribution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub kind: MeasureKind,
    pub name: String,
    pub unit: MeasureUnit,
    /// How to count it, for the people filling in returns ("" if none given).
    pub guidance: String,
    /// (unit cost id, attribution in basis points)
    pub cost: Option<(i64, i64)>,
}

impl MeasureForm {
    pub fn parse(&self, unit_costs: &[i64]) -> Result<Measure, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = MeasureKind::parse(
            "kind",
            &self.kind,
            "Select whether it measures activity or an outcome",
        )
        .map_err(|e| errors.push(e))
        .ok();
        let name = required_line(
            "name",
            &self.name,
            "Enter the name of the measure",
            120,
            "The name",
        )
        .map_err(|e| errors.push(e))
        .ok();
        // Not chosen: a whole number, as every measure was before the choice was offered.
        let unit = match self.unit.trim() {
            "" => Some(MeasureUnit::Count),
            code => MeasureUnit::parse("unit", code, "Select how it is counted")
                .map_err(|e| errors.push(e))
                .ok(),
        };
        let guidance = optional_text("guidance", &self.guidance, 600, "How to count it")
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let mut cost = None;
        let chosen = self.unit_cost_id.trim();
        if !chosen.is_empty() {
            match chosen
                .parse::<i64>()
                .ok()
                .filter(|id| unit_costs.contains(id))
            {
                None => errors.push(FieldError::new(
                    "unit_cost_id",
                    "Select a unit cost from the list",
                )),
                Some(id) => {
                    if kind == Some(MeasureKind::Activity) {
                        errors.push(FieldError::new(
                            "unit_cost_id",
                            "Only an outcome measure can be valued by a unit cost",
                        ));
                    } else if unit.is_some_and(|u| u != MeasureUnit::Count) {
                        errors.push(FieldError::new(
                            "unit_cost_id",
                            "Only a measure counted in whole numbers can be valued by a unit cost (a unit cost prices each one)",
                        ));
                    }
                    match parse_attribution("attribution", &self.attribution) {
                        Ok(bp) => cost = Some((id, bp)),
                        Err(e) => errors.push(e),
                    }
                }
            }
        } else if !self.attribution.trim().is_empty() {
            errors.push(FieldError::new(
                "unit_cost_id",
                "Select the unit cost the share credited to the scheme applies to",
            ));
        }
        match (kind, name, unit, errors.is_empty()) {
            (Some(kind), Some(name), Some(unit), true) => Ok(Measure {
                kind,
                name,
                unit,
                guidance,
                cost,
            }),
            _ => Err(errors),
        }
    }
}

/// A unit cost as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitCostForm {
    pub name: String,
    pub unit: String,
    pub cost: String,
    pub source: String,
    pub source_date_day: String,
    pub source_date_month: String,
    pub source_date_year: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCost {
    pub name: String,
    pub unit: String,
    pub cost: Pence,
    pub source: String,
    pub source_date: NaiveDate,
}

impl UnitCostForm {
    pub fn parse(&self, today: NaiveDate) -> Result<UnitCost, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ok = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
        let name = ok(required_line(
            "name",
            &self.name,
            "Enter what the unit cost is for, like A week of residential care",
            120,
            "What it is for",
        ));
        let unit = ok(required_line(
            "unit",
            &self.unit,
            "Enter the unit, like per week or per admission",
            60,
            "The unit",
        ));
        let source = ok(required_text("source", &self.source, "Enter where the figure comes from, like PSSRU Unit Costs of Health and Social Care 2025", 300, "The source"));
        let cost = match Pence::parse("cost", "the unit cost", &self.cost) {
            Ok(p) if p.0 > 0 => Some(p),
            Ok(_) => {
                errors.push(FieldError::new(
                    "cost",
                    "The unit cost must be more than £0",
                ));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let date = match crate::domain::date::parse_date(
            "source_date",
            "The date of the source",
            &self.source_date_day,
            &self.source_date_month,
            &self.source_date_year,
            true,
        ) {
            Ok(Some(d)) if d > today => {
                errors.push(FieldError::new(
                    "source_date",
                    "The date of the source must be today or in the past",
                ));
                None
            }
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (name, unit, source, cost, date, errors.is_empty()) {
            (Some(name), Some(unit), Some(source), Some(cost), Some(source_date), true) => {
                Ok(UnitCost {
                    name,
                    unit,
                    cost,
                    source,
                    source_date,
                })
            }
            _ => Err(errors),
        }
    }
}
