//! The open data rules: identifiers, a grant as 360Giving JSON and as a CSV row, the
//! package, and the financial years' file names.
#[test]
fn a_financial_years_file_is_named_by_its_two_calendar_years() {
    use super::{parse_year_file, year_file, FinancialYear};
    assert_eq!(year_file(FinancialYear(2025)), "2025-26.json");
    assert_eq!(year_file(FinancialYear(1999)), "1999-00.json");
    assert_eq!(parse_year_file("2025-26.json"), Some(FinancialYear(2025)));
    assert_eq!(parse_year_file("1999-00.json"), Some(FinancialYear(1999)));
    for bad in [
        "2025-27.json",
        "2025-26",
        "2025.json",
        "25-26.json",
        "2025-2026.json",
        "abcd-26.json",
        "+202-03.json",
        "",
    ] {
        assert_eq!(parse_year_file(bad), None, "{bad}");
    }
}

#[test]
fn org_identifiers_follow_org_id_guide() {
    use super::parse_org_identifier as parse;
    assert_eq!(parse("id", " GB-LAE-NEL ").unwrap(), "GB-LAE-NEL");
    assert_eq!(parse("id", "GB-NHS-QOQ").unwrap(), "GB-NHS-QOQ");
    assert_eq!(parse("id", "GB-COH-01234567").unwrap(), "GB-COH-01234567");
    assert_eq!(parse("id", "XI-PB-a.b_c-d").unwrap(), "XI-PB-a.b_c-d");
    assert_eq!(
        parse("id", "").unwrap_err().message,
        "Enter the organisation identifier"
    );
    for bad in [
        "GB-LAE",
        "gb-lae-nel",
        "GBR-LAE-NEL",
        "GB--NEL",
        "GB-LAE-",
        "GB-LAE-N L",
        "<b>-X-1",
    ] {
        assert!(
            parse("id", bad)
                .unwrap_err()
                .message
                .contains("format GB-LAE-NEL"),
            "{bad}"
        );
    }
    assert!(parse("id", &format!("GB-LAE-{}", "N".repeat(100)))
        .unwrap_err()
        .message
        .contains("100 characters"));
}

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn identifiers_follow_the_rules_for_each_legal_form() {
    assert_eq!(grant_identifier("nelc", 42), "360G-nelc-42");
    assert_eq!(grant_identifier("ne/lc", 42), "360G-ne-lc-42", "no slashes");
    assert_eq!(
        recipient_identifier("nelc", 7, LegalForm::RegisteredCharity, "1187654", ""),
        "GB-CHC-1187654"
    );
    assert_eq!(
        recipient_identifier("nelc", 7, LegalForm::Cio, "1190001", ""),
        "GB-CHC-1190001"
    );
    assert_eq!(
        recipient_identifier("nelc", 7, LegalForm::Cic, "", "01234567"),
        "GB-COH-01234567",
        "leading zeros kept"
    );
    assert_eq!(
        recipient_identifier(
            "nelc",
            7,
            LegalForm::CompanyLimitedByGuarantee,
            "1122334",
            "sc123456"
        ),
        "GB-COH-SC123456"
    );
    assert_eq!(
        recipient_identifier("nelc", 7, LegalForm::FaithGroup, "", ""),
        "360G-nelc-org-7"
    );
    assert_eq!(
        recipient_identifier("nelc", 8, LegalForm::CommunityGroup, "", ""),
        "360G-nelc-org-8"
    );
}

#[test]
fn durations_are_whole_months() {
    assert_eq!(duration_months(d(2025, 4, 1), d(2027, 3, 31)), 24);
    assert_eq!(duration_months(d(2025, 4, 1), d(2025, 4, 30)), 1);
    assert_eq!(duration_months(d(2025, 1, 15), d(2025, 7, 15)), 7);
}

#[test]
fn amounts_are_plain_numbers_and_the_package_wraps_the_grants() {
    assert_eq!(amount_number(Pence(2_400_000)).to_string(), "24000");
    assert_eq!(amount_number(Pence(1_250_050)).to_string(), "12500.5");
    let (open, close) = package_parts("Board", "https://x", "2026-11-26T10:00:00Z", None);
    let whole: Value = serde_json::from_str(&format!("{open}{{\"id\":\"a\"}}{close}")).unwrap();
    assert_eq!(whole["grants"][0]["id"], "a");
    assert_eq!(whole["publisher"]["name"], "Board");
    assert!(whole["license"]
        .as_str()
        .unwrap()
        .contains("open-government-licence"));
}

#[test]
fn a_csv_row_matches_its_header() {
    let a = Award {
        scheme_id: 3,
        title: "T".into(),
        description: "D".into(),
        amount: Pence(2_400_000),
        award_date: d(2025, 1, 2),
        organisation_id: 9,
        organisation: "Org".into(),
        legal_form: LegalForm::Cic,
        charity_number: String::new(),
        company_number: "01234567".into(),
        postcode: "DN31 1AA".into(),
        programme: "P".into(),
        planned_start: d(2025, 1, 2),
        planned_end: d(2027, 1, 1),
        location: "North East Lincolnshire".into(),
        modified: "2026-11-26T10:00:00Z".into(),
        open_call: true,
        closed: None,
    };
    let funders = vec![
        ("GB-LAE-NEL".to_string(), "Council".to_string()),
        ("GB-NHS-QOQ".to_string(), "ICB".to_string()),
    ];
    let header = csv_header(2);
    let row = csv_row(&a, "nelc", &funders, "https://x/open-data");
    assert_eq!(header.len(), row.len());
    let at = |h: &str| &row[header.iter().position(|x| x == h).unwrap()];
    assert_eq!(at("Amount Awarded"), "24000");
    assert_eq!(at("Recipient Org:Identifier"), "GB-COH-01234567");
    assert_eq!(at("Funding Org:Identifier 2"), "GB-NHS-QOQ");
    assert_eq!(at("Planned Dates:Duration (months)"), "24");
    let g = grant(&a, "nelc", &funders, "https://x/open-data");
    assert_eq!(g["fundingOrganization"].as_array().unwrap().len(), 2);
    assert_eq!(g["amountAwarded"], 24000);
    assert!(g.get("amountDisbursed").is_none());
    assert_eq!(at("Amount Disbursed"), "");
    // Ended early: what was actually paid, and when it ended.
    let ended = Award {
        closed: Some((d(2026, 2, 10), Pence(800_000))),
        ..a
    };
    let g = grant(&ended, "nelc", &funders, "https://x/open-data");
    assert_eq!(g["amountAwarded"], 24000);
    assert_eq!(g["amountDisbursed"], 8000);
    assert_eq!(g["actualDates"][0]["endDate"], "2026-02-10");
    let row = csv_row(&ended, "nelc", &funders, "https://x/open-data");
    let at = |h: &str| row[header.iter().position(|x| x == h).unwrap()].clone();
    assert_eq!(at("Amount Disbursed"), "8000");
    assert_eq!(at("Actual Dates:End Date"), "2026-02-10");
}
