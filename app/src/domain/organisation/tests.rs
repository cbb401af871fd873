//! The rules of `domain::organisation`, as their users meet them.
use super::*;

fn happy_feet() -> Organisation {
    OrganisationForm {
        name: "Happy Feet CIC".into(),
        legal_form: "cic".into(),
        company_number: "12345678".into(),
        address_line_1: "1 High Street".into(),
        town: "Grimsby".into(),
        postcode: "DN31 1AA".into(),
        contact_name: "Pat Jones".into(),
        contact_email: "pat@example.org".into(),
        income_band: "10k_100k".into(),
        area_served: "Grimsby".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

#[test]
fn an_owner_corrects_the_record_and_the_changes_are_named() {
    let before = happy_feet();
    let form = OrganisationForm::from(&before);
    assert_eq!(
        form.parse().unwrap(),
        before,
        "the form shows the record as it is"
    );
    let after = OrganisationForm {
        area_served: "Grimsby and Cleethorpes".into(),
        contact_phone: "01632 960 001".into(),
        ..form
    }
    .parse()
    .unwrap();
    assert_eq!(before.changes(&after), ["Main contact", "Area served"]);
    assert!(before.changes(&before).is_empty());
}

#[test]
fn charity_numbers_in_england_and_wales() {
    assert_eq!(
        CharityNumber::parse("c", " 1123 456 ").unwrap().as_str(),
        "1123456"
    );
    assert_eq!(
        CharityNumber::parse("c", "220949").unwrap().as_str(),
        "220949"
    );
    assert_eq!(
        CharityNumber::parse("c", "1123456-1").unwrap().as_str(),
        "1123456-1"
    );
    for bad in ["12345", "12345678", "SC012345", "1123456-", "1123456-123"] {
        assert_eq!(
            CharityNumber::parse("c", bad).unwrap_err().message,
            "Enter a charity number in the correct format, like 1123456",
            "{bad}"
        );
    }
}

#[test]
fn company_numbers_keep_leading_zeros() {
    assert_eq!(
        CompanyNumber::parse("c", "01234567").unwrap().as_str(),
        "01234567"
    );
    assert_eq!(
        CompanyNumber::parse("c", "1234567").unwrap().as_str(),
        "01234567"
    );
    assert_eq!(
        CompanyNumber::parse("c", "sc123456").unwrap().as_str(),
        "SC123456"
    );
    for bad in ["123456789", "SC12345", "S1234567", "12AB3456"] {
        assert!(CompanyNumber::parse("c", bad).is_err(), "{bad}");
    }
}

#[test]
fn postcodes_are_checked_and_tidied() {
    assert_eq!(
        Postcode::parse("p", "dn311hu").unwrap().as_str(),
        "DN31 1HU"
    );
    assert_eq!(
        Postcode::parse("p", "SW1A 1AA").unwrap().as_str(),
        "SW1A 1AA"
    );
    assert_eq!(Postcode::parse("p", "m1 1ae").unwrap().as_str(), "M1 1AE");
    assert_eq!(
        Postcode::parse("p", "").unwrap_err().message,
        "Enter a postcode"
    );
    for bad in ["DN31", "12345", "DN31 1H", "ZZZZ 1AA", "DN31 1HÜ"] {
        assert_eq!(
            Postcode::parse("p", bad).unwrap_err().message,
            "Enter a full UK postcode, like DN31 1HU",
            "{bad}"
        );
    }
}

fn form(legal: &str) -> OrganisationForm {
    OrganisationForm {
        name: "St Peter's Church".into(),
        legal_form: legal.into(),
        address_line_1: "1 Church Lane".into(),
        town: "Grimsby".into(),
        postcode: "dn31 1hu".into(),
        contact_name: "Ruth Evans".into(),
        contact_email: "ruth@example.org".into(),
        income_band: "10k_100k".into(),
        area_served: "Grimsby".into(),
        ..Default::default()
    }
}

#[test]
fn each_legal_form_asks_for_its_own_numbers() {
    // A registered charity needs its charity number; a company number is not asked.
    let errors = form("registered_charity").parse().unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "Enter the charity number");
    let charity = OrganisationForm {
        charity_number: "1123456".into(),
        company_number: "junk".into(),
        ..form("registered_charity")
    }
    .parse()
    .unwrap();
    assert_eq!(charity.company_number, None);
    // A CIC needs a company number; a church needs neither.
    assert_eq!(
        form("cic").parse().unwrap_err()[0].message,
        "Enter the company number"
    );
    let church = form("faith_group").parse().unwrap();
    assert_eq!(church.postcode.as_str(), "DN31 1HU");
    assert_eq!(church.to_form().parse().unwrap(), church);
}
