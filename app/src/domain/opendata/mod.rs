//! 360Giving open data: identifiers for grants and organisations, one award as a 360Giving
//! grant (standard 1.4), and the same grant as a spreadsheet row with the standard's column
//! titles.
use super::fund::FinancialYear;
use super::money::Pence;
use super::round::LegalForm;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

/// A financial year's 360Giving file: `2025-26.json` (the year's first April and the
/// next year's last two digits, as the registry's publishers name their files).
pub fn year_file(year: FinancialYear) -> String {
    format!("{}-{:02}.json", year.0, (year.0 + 1).rem_euclid(100))
}

/// The financial year a file name like `2025-26.json` names; `None` for anything else.
pub fn parse_year_file(name: &str) -> Option<FinancialYear> {
    let (first, next) = name.strip_suffix(".json")?.split_once('-')?;
    if first.len() != 4 || next.len() != 2 || !next.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = FinancialYear(first.parse().ok()?);
    (year_file(year) == name).then_some(year)
}

/// `360G-<prefix>-<id>`: hyphens only, never a slash.
pub fn grant_identifier(prefix: &str, scheme_id: i64) -> String {
    format!("360G-{}-{scheme_id}", clean_prefix(prefix))
}

fn clean_prefix(prefix: &str) -> String {
    let p: String = prefix
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if p.is_empty() {
        "seedbed".into()
    } else {
        p
    }
}

/// The recipient's org-id: a registered charity's number (`GB-CHC-`), else a company's
/// Companies House number (`GB-COH-`, leading zeros kept), else `360G-<prefix>-org-<id>`.
pub fn recipient_identifier(
    prefix: &str,
    organisation_id: i64,
    legal_form: LegalForm,
    charity_number: &str,
    company_number: &str,
) -> String {
    let charity = charity_number.trim();
    let company = company_number.trim().to_uppercase();
    let is_charity = matches!(legal_form, LegalForm::RegisteredCharity | LegalForm::Cio);
    if is_charity && !charity.is_empty() {
        format!("GB-CHC-{charity}")
    } else if !company.is_empty() {
        format!("GB-COH-{company}")
    } else if !charity.is_empty() {
        format!("GB-CHC-{charity}")
    } else {
        format!("360G-{}-org-{organisation_id}", clean_prefix(prefix))
    }
}

/// A funder's org-id as typed (org-id.guide: a list code such as `GB-LAE` or `GB-NHS`, then
/// the organisation's code in that list), e.g. `GB-LAE-NEL` for a council.
pub fn parse_org_identifier(field: &str, input: &str) -> Result<String, super::FieldError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(super::FieldError::new(
            field,
            "Enter the organisation identifier",
        ));
    }
    if text.len() > 100 {
        return Err(super::FieldError::new(
            field,
            "Organisation identifier must be 100 characters or fewer",
        ));
    }
    let parts: Vec<&str> = text.splitn(3, '-').collect();
    let shaped = match parts.as_slice() {
        [country, list, code] => {
            country.len() == 2
                && country.chars().all(|c| c.is_ascii_uppercase())
                && !list.is_empty()
                && list
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        }
        _ => false,
    };
    if shaped {
        Ok(text.to_string())
    } else {
        Err(super::FieldError::new(
            field,
            "Enter the identifier in the format GB-LAE-NEL: a country code, the list's code and the organisation's code, joined by hyphens",
        ))
    }
}

/// Whole months from the start to the end of a planned period (at least 1).
pub fn duration_months(start: NaiveDate, end: NaiveDate) -> u32 {
    let months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32
        + i32::from(end.day() >= start.day());
    u32::try_from(months).unwrap_or(0).max(1)
}

/// A funder: (org-id, name).
pub type Funder = (String, String);

/// One award, as Seedbed knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    pub scheme_id: i64,
    pub title: String,
    pub description: String,
    pub amount: Pence,
    pub award_date: NaiveDate,
    pub organisation_id: i64,
    pub organisation: String,
    pub legal_form: LegalForm,
    pub charity_number: String,
    pub company_number: String,
    pub postcode: String,
    pub programme: String,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub location: String,
    /// RFC 3339.
    pub modified: String,
    pub open_call: bool,
    /// Ended early: the day it ended and what was actually paid.
    pub closed: Option<(NaiveDate, Pence)>,
}

/// The award as a 360Giving grant object.
pub fn grant(a: &Award, prefix: &str, funders: &[Funder], data_source: &str) -> Value {
    let mut recipient = json!({
        "id": recipient_identifier(prefix, a.organisation_id, a.legal_form, &a.charity_number, &a.company_number),
        "name": a.organisation,
    });
    if !a.charity_number.trim().is_empty() {
        recipient["charityNumber"] = json!(a.charity_number.trim());
    }
    if !a.company_number.trim().is_empty() {
        recipient["companyNumber"] = json!(a.company_number.trim().to_uppercase());
    }
    if !a.postcode.trim().is_empty() {
        recipient["postalCode"] = json!(a.postcode.trim());
    }
    let mut grant = json!({
        "id": grant_identifier(prefix, a.scheme_id),
        "title": a.title,
        "description": a.description,
        "currency": "GBP",
        "amountAwarded": amount_number(a.amount),
        "awardDate": a.award_date.format("%Y-%m-%d").to_string(),
        "plannedDates": [{
            "startDate": a.planned_start.format("%Y-%m-%d").to_string(),
            "endDate": a.planned_end.format("%Y-%m-%d").to_string(),
            "duration": duration_months(a.planned_start, a.planned_end),
        }],
        "recipientOrganization": [recipient],
        "fundingOrganization": funders.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "grantProgramme": [{"title": a.programme}],
        "beneficiaryLocation": [{"name": a.location, "countryCode": "GB"}],
        "dateModified": a.modified,
        "fromOpenCall": if a.open_call { "Yes" } else { "No" },
        "dataSource": data_source,
    });
    if let Some((ended, paid)) = a.closed {
        grant["amountDisbursed"] = amount_number(paid);
        grant["actualDates"] = json!([{
            "startDate": a.planned_start.format("%Y-%m-%d").to_string(),
            "endDate": ended.format("%Y-%m-%d").to_string(),
        }]);
    }
    grant
}

/// Pounds as a plain JSON number: 24000 or 12500.5, never a string.
pub fn amount_number(p: Pence) -> Value {
    if p.0 % 100 == 0 {
        json!(p.0 / 100)
    } else {
        serde_json::Number::from_f64(p.0 as f64 / 100.0)
            .map(Value::Number)
            .unwrap_or_else(|| json!(p.0 / 100))
    }
}

/// The package around the grants: everything before the first grant and after the last,
/// so the grants can be streamed between them.
pub fn package_parts(
    publisher: &str,
    publisher_site: &str,
    modified: &str,
    year: Option<FinancialYear>,
) -> (String, String) {
    let title = match year {
        Some(y) => format!(
            "{publisher}: grants awarded in the financial year {}",
            y.label()
        ),
        None => format!("{publisher}: grants awarded"),
    };
    let head = json!({
        "version": "1.4",
        "title": title,
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "modified": modified,
        "publisher": {"name": publisher, "website": publisher_site},
    });
    let text = head.to_string();
    // {"version":…} → {"version":…,"grants":[ … ]}
    let open = format!("{},\"grants\":[", &text[..text.len() - 1]);
    (open, "]}".to_string())
}

/// The standard's spreadsheet columns, with `funders` numbered Funding Org columns.
pub fn csv_header(funders: usize) -> Vec<String> {
    let mut h: Vec<String> = [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
        "Planned Dates:Duration (months)",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Recipient Org:Charity Number",
        "Recipient Org:Company Number",
        "Recipient Org:Postal Code",
        "Grant Programme:Title",
        "Beneficiary Location:Name",
        "Beneficiary Location:Country Code",
        "Last Modified",
        "From An Open Call?",
        "Data Source",
        "Amount Disbursed",
        "Actual Dates:End Date",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in 0..funders {
        let n = if i == 0 {
            String::new()
        } else {
            format!(" {}", i + 1)
        };
        h.push(format!("Funding Org:Identifier{n}"));
        h.push(format!("Funding Org:Name{n}"));
    }
    h
}

/// One grant as a spreadsheet row, in the order of [`csv_header`].
pub fn csv_row(a: &Award, prefix: &str, funders: &[Funder], data_source: &str) -> Vec<String> {
    let mut r = vec![
        grant_identifier(prefix, a.scheme_id),
        a.title.clone(),
        a.description.clone(),
        "GBP".into(),
        a.amount.to_decimal().normalize().to_string(),
        a.award_date.format("%Y-%m-%d").to_string(),
        a.planned_start.format("%Y-%m-%d").to_string(),
        a.planned_end.format("%Y-%m-%d").to_string(),
        duration_months(a.planned_start, a.planned_end).to_string(),
        recipient_identifier(
            prefix,
            a.organisation_id,
            a.legal_form,
            &a.charity_number,
            &a.company_number,
        ),
        a.organisation.clone(),
        a.charity_number.trim().to_string(),
        a.company_number.trim().to_uppercase(),
        a.postcode.trim().to_string(),
        a.programme.clone(),
        a.location.clone(),
        "GB".into(),
        a.modified.clone(),
        if a.open_call { "Yes" } else { "No" }.into(),
        data_source.into(),
        a.closed
            .map(|(_, paid)| paid.to_decimal().normalize().to_string())
            .unwrap_or_default(),
        a.closed
            .map(|(ended, _)| ended.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    ];
    for (id, name) in funders {
        r.push(id.clone());
        r.push(name.clone());
    }
    r
}

#[cfg(test)]
mod tests;
