//! Applicant organisations: legal forms and their registration numbers, postcodes, income.
use super::email::Email;
use super::round::LegalForm;
use super::text::{optional_line, required_line};
use super::FieldError;
use crate::coded_enum;
use serde::{Deserialize, Serialize};

/// A charity number in England and Wales: 6 or 7 digits, with an optional "-1" style
/// suffix for a linked charity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CharityNumber(String);

impl CharityNumber {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let cleaned: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if cleaned.is_empty() {
            return Err(FieldError::new(field, "Enter the charity number"));
        }
        let (main, suffix) = cleaned.split_once('-').unwrap_or((&cleaned, ""));
        let main_ok = (6..=7).contains(&main.len()) && main.chars().all(|c| c.is_ascii_digit());
        let suffix_ok = !cleaned.contains('-')
            || ((1..=2).contains(&suffix.len()) && suffix.chars().all(|c| c.is_ascii_digit()));
        if main_ok && suffix_ok {
            Ok(CharityNumber(cleaned))
        } else {
            Err(FieldError::new(
                field,
                "Enter a charity number in the correct format, like 1123456",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Companies House number: 8 characters, leading zeros kept: 8 digits, or a 2-letter
/// prefix (SC, NI, OC, CE…) and 6 digits. Digits typed without their leading zeros are padded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyNumber(String);

impl CompanyNumber {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if cleaned.is_empty() {
            return Err(FieldError::new(field, "Enter the company number"));
        }
        let bad = || {
            FieldError::new(
                field,
                "Enter a company number in the correct format, like 01234567 or SC123456",
            )
        };
        if cleaned.chars().all(|c| c.is_ascii_digit()) {
            return if cleaned.len() <= 8 {
                Ok(CompanyNumber(format!("{cleaned:0>8}")))
            } else {
                Err(bad())
            };
        }
        let prefix: String = cleaned.chars().take(2).collect();
        let rest: String = cleaned.chars().skip(2).collect();
        if cleaned.len() == 8
            && prefix.chars().all(|c| c.is_ascii_uppercase())
            && rest.chars().all(|c| c.is_ascii_digit())
        {
            Ok(CompanyNumber(cleaned))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A full UK postcode, normalised to upper case with one space: "DN31 1HU".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if cleaned.is_empty() {
            return Err(FieldError::new(field, "Enter a postcode"));
        }
        let bad = || FieldError::new(field, "Enter a full UK postcode, like DN31 1HU");
        if !(5..=7).contains(&cleaned.len()) || !cleaned.is_ascii() {
            return Err(bad());
        }
        let (outward, inward) = cleaned.split_at(cleaned.len() - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
        };
        // Outward codes: A9, A99, AA9, AA99, A9A, AA9A.
        let shape: String = outward
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { 'A' })
            .collect();
        let outward_ok = matches!(
            shape.as_str(),
            "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
        );
        if inward_ok && outward_ok {
            Ok(Postcode(format!("{outward} {inward}")))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

coded_enum!(
    /// Annual income, in bands.
    IncomeBand {
        Under10k = ("under_10k", "Less than £10,000"),
        To100k = ("10k_100k", "£10,000 to £100,000"),
        To500k = ("100k_500k", "£100,001 to £500,000"),
        To1m = ("500k_1m", "£500,001 to £1 million"),
        Over1m = ("over_1m", "More than £1 million"),
    }
);

impl IncomeBand {
    /// The most an organisation in this band can earn, in pence (None: no upper limit).
    pub fn upper_pence(self) -> Option<i64> {
        match self {
            IncomeBand::Under10k => Some(1_000_000 - 1),
            IncomeBand::To100k => Some(10_000_000),
            IncomeBand::To500k => Some(50_000_000),
            IncomeBand::To1m => Some(100_000_000),
            IncomeBand::Over1m => None,
        }
    }
}

/// Which registration numbers a legal form has: (charity number, company number), each
/// `Some(true)` required, `Some(false)` optional, `None` not asked.
pub fn numbers_for(form: LegalForm) -> (Option<bool>, Option<bool>) {
    match form {
        LegalForm::RegisteredCharity | LegalForm::Cio => (Some(true), None),
        LegalForm::CompanyLimitedByGuarantee => (Some(false), Some(true)),
        LegalForm::Cic => (None, Some(true)),
        LegalForm::CommunityBenefitSociety => (Some(false), None),
        LegalForm::FaithGroup => (Some(false), None),
        LegalForm::CommunityGroup => (None, None),
    }
}

/// An organisation as typed into the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub legal_form: String,
    pub charity_number: String,
    pub company_number: String,
    pub address_line_1: String,
    pub address_line_2: String,
    pub town: String,
    pub postcode: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub income_band: String,
    pub area_served: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub legal_form: LegalForm,
    pub charity_number: Option<CharityNumber>,
    pub company_number: Option<CompanyNumber>,
    pub address_line_1: String,
    pub address_line_2: String,
    pub town: String,
    pub postcode: Postcode,
    pub contact_name: String,
    pub contact_email: Email,
    pub contact_phone: String,
    pub income_band: IncomeBand,
    pub area_served: String,
}

impl From<&Organisation> for OrganisationForm {
    /// The record as the form shows it, for its owner to correct.
    fn from(o: &Organisation) -> Self {
        OrganisationForm {
            name: o.name.clone(),
            legal_form: o.legal_form.code().to_string(),
            charity_number: o
                .charity_number
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            company_number: o
                .company_number
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            address_line_1: o.address_line_1.clone(),
            address_line_2: o.address_line_2.clone(),
            town: o.town.clone(),
            postcode: o.postcode.as_str().to_string(),
            contact_name: o.contact_name.clone(),
            contact_email: o.contact_email.as_str().to_string(),
            contact_phone: o.contact_phone.clone(),
            income_band: o.income_band.code().to_string(),
            area_served: o.area_served.clone(),
        }
    }
}

impl Organisation {
    /// What a correction changed, by label (for the audit trail): the name, then each of
    /// the details whose shown value differs.
    pub fn changes(&self, after: &Organisation) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.name != after.name {
            changed.push("Name");
        }
        let before = self.details();
        let now = after.details();
        for (label, value) in &now {
            if before.iter().find(|(l, _)| l == label).map(|(_, v)| v) != Some(value) {
                changed.push(*label);
            }
        }
        for (label, _) in &before {
            if !now.iter().any(|(l, _)| l == label) {
                changed.push(*label);
            }
        }
        changed
    }

    /// The organisation's details as (label, value) rows: what the applicant confirms, what
    /// assessors read with a bid, and the organisation's own page.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        self.details_shown(true)
    }

    /// What assessors read with a bid: who the organisation is, not how to reach it (no
    /// address or contact: an assessor never contacts a bidder).
    pub fn details_for_assessors(&self) -> Vec<(&'static str, String)> {
        self.details_shown(false)
    }

    fn details_shown(&self, contact: bool) -> Vec<(&'static str, String)> {
        let address = [
            self.address_line_1.as_str(),
            self.address_line_2.as_str(),
            self.town.as_str(),
            self.postcode.as_str(),
        ]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        let mut rows = vec![("Legal form", self.legal_form.label().to_string())];
        if let Some(n) = &self.charity_number {
            rows.push(("Charity number", n.as_str().to_string()));
        }
        if let Some(n) = &self.company_number {
            rows.push(("Companies House number", n.as_str().to_string()));
        }
        let phone = if self.contact_phone.is_empty() {
            String::new()
        } else {
            format!(", {}", self.contact_phone)
        };
        if contact {
            let main = format!(
                "{}, {}{phone}",
                self.contact_name,
                self.contact_email.as_str()
            );
            rows.extend([("Registered address", address), ("Main contact", main)]);
        }
        rows.extend([
            ("Annual income", self.income_band.label().to_string()),
            ("Area served", self.area_served.clone()),
        ]);
        rows
    }
}

fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A number the legal form has: required, optional (blank allowed) or not asked (ignored).
fn number<T>(
    errors: &mut Vec<FieldError>,
    rule: Option<bool>,
    input: &str,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Option<Option<T>> {
    match rule {
        None => Some(None),
        Some(false) if input.trim().is_empty() => Some(None),
        Some(_) => keep(errors, parse(input)).map(Some),
    }
}

impl OrganisationForm {
    pub fn parse(&self) -> Result<Organisation, Vec<FieldError>> {
        let mut e = Vec::new();
        let name = keep(
            &mut e,
            required_line(
                "name",
                &self.name,
                "Enter the organisation's name",
                200,
                "Name",
            ),
        );
        let legal_form = keep(
            &mut e,
            LegalForm::parse(
                "legal_form",
                &self.legal_form,
                "Select the organisation's legal form",
            ),
        );
        let (charity_rule, company_rule) = legal_form.map(numbers_for).unwrap_or((None, None));
        let charity = number(&mut e, charity_rule, &self.charity_number, |t| {
            CharityNumber::parse("charity_number", t)
        });
        let company = number(&mut e, company_rule, &self.company_number, |t| {
            CompanyNumber::parse("company_number", t)
        });
        let line1 = keep(
            &mut e,
            required_line(
                "address_line_1",
                &self.address_line_1,
                "Enter address line 1, typically the building and street",
                200,
                "Address line 1",
            ),
        );
        let line2 = keep(
            &mut e,
            optional_line(
                "address_line_2",
                &self.address_line_2,
                200,
                "Address line 2",
            ),
        );
        let town = keep(
            &mut e,
            required_line(
                "town",
                &self.town,
                "Enter town or city",
                100,
                "Town or city",
            ),
        );
        let postcode = keep(&mut e, Postcode::parse("postcode", &self.postcode));
        let contact_name = keep(
            &mut e,
            required_line(
                "contact_name",
                &self.contact_name,
                "Enter the main contact's full name",
                200,
                "Main contact's name",
            ),
        );
        let contact_email = keep(&mut e, Email::parse("contact_email", &self.contact_email));
        let contact_phone = keep(
            &mut e,
            optional_line("contact_phone", &self.contact_phone, 30, "Phone number"),
        );
        let income_band = keep(
            &mut e,
            IncomeBand::parse(
                "income_band",
                &self.income_band,
                "Select the organisation's annual income",
            ),
        );
        let area = keep(
            &mut e,
            required_line(
                "area_served",
                &self.area_served,
                "Enter the area the organisation serves",
                300,
                "Area served",
            ),
        );
        match (
            name,
            legal_form,
            charity,
            company,
            line1,
            line2,
            town,
            postcode,
            contact_name,
            contact_email,
            contact_phone,
            income_band,
            area,
        ) {
            (
                Some(name),
                Some(legal_form),
                Some(charity_number),
                Some(company_number),
                Some(address_line_1),
                Some(address_line_2),
                Some(town),
                Some(postcode),
                Some(contact_name),
                Some(contact_email),
                Some(contact_phone),
                Some(income_band),
                Some(area_served),
            ) if e.is_empty() => Ok(Organisation {
                name,
                legal_form,
                charity_number,
                company_number,
                address_line_1,
                address_line_2,
                town,
                postcode,
                contact_name,
                contact_email,
                contact_phone,
                income_band,
                area_served,
            }),
            _ => Err(e),
        }
    }
}

impl Organisation {
    pub fn to_form(&self) -> OrganisationForm {
        OrganisationForm {
            name: self.name.clone(),
            legal_form: self.legal_form.code().into(),
            charity_number: self
                .charity_number
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            company_number: self
                .company_number
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            address_line_1: self.address_line_1.clone(),
            address_line_2: self.address_line_2.clone(),
            town: self.town.clone(),
            postcode: self.postcode.as_str().to_string(),
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.as_str().to_string(),
            contact_phone: self.contact_phone.clone(),
            income_band: self.income_band.code().into(),
            area_served: self.area_served.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
