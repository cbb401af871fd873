use super::FieldError;
use serde::{Deserialize, Serialize};

/// An email address, trimmed and lower-cased, checked for a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldError::new(field, "Enter your email address"));
        }
        if value.chars().count() > 254 || !looks_like_email(&value) {
            return Err(FieldError::new(
                field,
                "Enter an email address in the correct format, like name@example.com",
            ));
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let bad = |c: char| c.is_whitespace() || c == '<' || c == '>' || c == ',' || c == '@';
    !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(bad)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases() {
        let email = Email::parse("email", "  Jo.Bloggs@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "jo.bloggs@example.org");
    }

    #[test]
    fn empty_asks_for_an_address() {
        let err = Email::parse("email", "   ").unwrap_err();
        assert_eq!(err.message, "Enter your email address");
        assert_eq!(err.field, "email");
    }

    #[test]
    fn rejects_bad_shapes() {
        for bad in [
            "jo",
            "jo@",
            "@example.org",
            "jo@example",
            "jo@@example.org",
            "jo bloggs@example.org",
            "jo@example..org",
            "jo@.example.org",
            "<jo>@example.org",
        ] {
            let err = Email::parse("email", bad).unwrap_err();
            assert!(err.message.contains("correct format"), "{bad}");
        }
    }

    #[test]
    fn accepts_plus_addressing_and_subdomains() {
        assert!(Email::parse("email", "grants+round1@mail.nelincs.gov.uk").is_ok());
    }
}
