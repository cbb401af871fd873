//! The questionnaire builder's questions and the scoring criteria, as typed and as parsed.
use super::round::QuestionType;
use super::FieldError;
use serde::{Deserialize, Serialize};

/// A question as typed into the builder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub label: String,
    pub hint: String,
    pub qtype: String,
    pub required: String,
    pub word_limit: String,
    pub options: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub label: String,
    pub hint: String,
    pub qtype: QuestionType,
    pub required: bool,
    pub word_limit: Option<u32>,
    /// For choice questions: the options, one per line in the form.
    pub options: Vec<String>,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<Question, Vec<FieldError>> {
        let mut errors = Vec::new();
        let label = self.label.trim();
        if label.is_empty() {
            errors.push(FieldError::new("label", "Enter the question"));
        } else if label.chars().count() > 500 {
            errors.push(FieldError::new(
                "label",
                "The question must be 500 characters or fewer",
            ));
        }
        if self.hint.trim().chars().count() > 1000 {
            errors.push(FieldError::new(
                "hint",
                "Hint text must be 1000 characters or fewer",
            ));
        }
        let qtype = QuestionType::parse("qtype", &self.qtype, "Select the type of answer")
            .map_err(|e| errors.push(e))
            .ok();
        let required = match self.required.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(FieldError::new(
                    "required",
                    "Select whether an answer is required",
                ));
                None
            }
        };
        let mut word_limit = None;
        if qtype == Some(QuestionType::LongText) {
            match self.word_limit.trim().parse::<u32>() {
                Ok(n) if (1..=5000).contains(&n) => word_limit = Some(n),
                _ if self.word_limit.trim().is_empty() => {
                    errors.push(FieldError::new("word_limit", "Enter the word limit"))
                }
                _ => errors.push(FieldError::new(
                    "word_limit",
                    "Word limit must be a whole number between 1 and 5000",
                )),
            }
        }
        let options: Vec<String> = self
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if qtype.is_some_and(QuestionType::has_options) && options.len() < 2 {
            errors.push(FieldError::new(
                "options",
                "Enter at least 2 options, one on each line",
            ));
        }
        match (qtype, required) {
            (Some(qtype), Some(required)) if errors.is_empty() => Ok(Question {
                label: label.to_string(),
                hint: self.hint.trim().to_string(),
                qtype,
                required,
                word_limit,
                options: if qtype.has_options() { options } else { vec![] },
            }),
            _ => Err(errors),
        }
    }
}

impl Question {
    pub fn to_form(&self) -> QuestionForm {
        QuestionForm {
            label: self.label.clone(),
            hint: self.hint.clone(),
            qtype: self.qtype.code().into(),
            required: if self.required { "yes" } else { "no" }.into(),
            word_limit: self.word_limit.map(|n| n.to_string()).unwrap_or_default(),
            options: self.options.join("\n"),
        }
    }
}

/// A scoring criterion as typed into the builder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionForm {
    pub name: String,
    pub guidance: String,
    pub weight: String,
    pub min_score: String,
    pub descriptor_0: String,
    pub descriptor_1: String,
    pub descriptor_2: String,
    pub descriptor_3: String,
    pub descriptor_4: String,
    pub descriptor_5: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub guidance: String,
    /// Out of 100 across the round.
    pub weight: u32,
    pub min_score: Option<u32>,
    /// What each score from 0 to 5 means.
    pub descriptors: [String; 6],
}

pub const MAX_SCORE: u32 = 5;

impl CriterionForm {
    pub fn descriptors(&self) -> [&str; 6] {
        [
            &self.descriptor_0,
            &self.descriptor_1,
            &self.descriptor_2,
            &self.descriptor_3,
            &self.descriptor_4,
            &self.descriptor_5,
        ]
    }

    pub fn parse(&self) -> Result<Criterion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "Enter the name of the criterion"));
        } else if name.chars().count() > 150 {
            errors.push(FieldError::new(
                "name",
                "Name must be 150 characters or fewer",
            ));
        }
        let weight = match self.weight.trim().parse::<u32>() {
            Ok(w) if (1..=100).contains(&w) => Some(w),
            _ if self.weight.trim().is_empty() => {
                errors.push(FieldError::new("weight", "Enter the weight"));
                None
            }
            _ => {
                errors.push(FieldError::new(
                    "weight",
                    "Weight must be a whole number between 1 and 100",
                ));
                None
            }
        };
        let min_score = match self.min_score.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if n <= MAX_SCORE => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "min_score",
                        "Minimum score must be a whole number from 0 to 5, or left blank",
                    ));
                    None
                }
            },
        };
        let descriptors = self.descriptors().map(|d| d.trim().to_string());
        for (score, text) in descriptors.iter().enumerate() {
            if text.is_empty() {
                errors.push(FieldError::new(
                    format!("descriptor_{score}"),
                    format!("Describe what a score of {score} means"),
                ));
            }
        }
        match weight {
            Some(weight) if errors.is_empty() => Ok(Criterion {
                name: name.to_string(),
                guidance: self.guidance.trim().to_string(),
                weight,
                min_score,
                descriptors,
            }),
            _ => Err(errors),
        }
    }
}

impl Criterion {
    pub fn to_form(&self) -> CriterionForm {
        let [d0, d1, d2, d3, d4, d5] = self.descriptors.clone();
        CriterionForm {
            name: self.name.clone(),
            guidance: self.guidance.clone(),
            weight: self.weight.to_string(),
            min_score: self.min_score.map(|n| n.to_string()).unwrap_or_default(),
            descriptor_0: d0,
            descriptor_1: d1,
            descriptor_2: d2,
            descriptor_3: d3,
            descriptor_4: d4,
            descriptor_5: d5,
        }
    }

    /// Every new round starts with this criterion: sustainability, heavily weighted,
    /// with a minimum score of 3 below which a bid cannot be funded.
    pub fn sustainability() -> Criterion {
        Criterion {
            name: "Sustainability".into(),
            guidance: "How convincingly the plan brings grant dependency to zero by the end of the funding period, with income from charges, other funding or volunteers covering the costs.".into(),
            weight: 40,
            min_score: Some(3),
            descriptors: [
                "Unacceptable: no credible plan to continue without the grant".into(),
                "Poor: relies on the grant throughout, with no other income identified".into(),
                "Weak: other income identified but unlikely to cover costs".into(),
                "Satisfactory: a credible plan that reaches zero grant dependency, with some risks".into(),
                "Good: a well-evidenced plan with income covering costs before the grant ends".into(),
                "Excellent: self-sustaining early, with evidence such as existing charging or committed funders".into(),
            ],
        }
    }
}

/// The weights of a round's criteria must add up to 100 before it is published.
pub fn check_weights(weights: &[u32]) -> Result<(), String> {
    let total: u32 = weights.iter().sum();
    if weights.is_empty() {
        Err("Add at least one scoring criterion".into())
    } else if total == 100 {
        Ok(())
    } else {
        Err(format!(
            "The weights of the scoring criteria must add up to 100. They add up to {total}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_must_total_100() {
        assert!(check_weights(&[40, 30, 30]).is_ok());
        assert_eq!(
            check_weights(&[40, 30]).unwrap_err(),
            "The weights of the scoring criteria must add up to 100. They add up to 70"
        );
        assert!(check_weights(&[]).is_err());
    }

    #[test]
    fn a_criterion_needs_every_descriptor() {
        let mut form = Criterion::sustainability().to_form();
        assert_eq!(form.parse().unwrap(), Criterion::sustainability());
        form.descriptor_3 = " ".into();
        form.weight = "0".into();
        let errors = form.parse().unwrap_err();
        assert_eq!(
            errors[0].message,
            "Weight must be a whole number between 1 and 100"
        );
        assert_eq!(errors[1].message, "Describe what a score of 3 means");
    }

    #[test]
    fn questions_check_their_type_specific_parts() {
        let form = QuestionForm {
            label: "How will carers be involved?".into(),
            qtype: "long_text".into(),
            required: "yes".into(),
            ..Default::default()
        };
        assert_eq!(form.parse().unwrap_err()[0].message, "Enter the word limit");
        let ok = QuestionForm {
            word_limit: "500".into(),
            ..form.clone()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.word_limit, Some(500));
        let choice = QuestionForm {
            qtype: "single_choice".into(),
            options: "Weekly\n".into(),
            ..form
        };
        assert_eq!(
            choice.parse().unwrap_err()[0].message,
            "Enter at least 2 options, one on each line"
        );
    }
}
