use super::FieldError;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

const COMMON: &str = include_str!("common_passwords.txt");

/// A new password that meets NCSC advice: long enough, not a common one.
/// No composition rules; any characters, paste allowed.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let count = input.chars().count();
        if count == 0 {
            return Err(FieldError::new(field, "Enter a password"));
        }
        if count < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                format!("Password must be {MIN_PASSWORD_CHARS} characters or more"),
            ));
        }
        if count > MAX_PASSWORD_CHARS {
            return Err(FieldError::new(
                field,
                format!("Password must be {MAX_PASSWORD_CHARS} characters or fewer"),
            ));
        }
        if is_common(input) {
            return Err(FieldError::new(
                field,
                "This password is too common and easy to guess. Choose a different password, such as three random words",
            ));
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// True when the password, ignoring case and surrounding spaces, is in the bundled list,
/// or is one character repeated.
pub fn is_common(input: &str) -> bool {
    let lowered = input.trim().to_lowercase();
    let mut chars = lowered.chars();
    if let Some(first) = chars.next() {
        if chars.all(|c| c == first) {
            return true;
        }
    }
    COMMON
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line == lowered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_short_is_refused_with_the_rule() {
        let err = NewPassword::parse("password", "short pass").err().unwrap();
        assert_eq!(err.message, "Password must be 12 characters or more");
    }

    #[test]
    fn empty_asks_for_a_password() {
        let err = NewPassword::parse("password", "").err().unwrap();
        assert_eq!(err.message, "Enter a password");
    }

    #[test]
    fn common_passwords_are_refused_whatever_the_case() {
        for common in [
            "password1234",
            "Password1234",
            "QWERTY123456",
            "aaaaaaaaaaaaaa",
        ] {
            let err = NewPassword::parse("password", common).err().unwrap();
            assert!(err.message.contains("too common"), "{common}");
        }
    }

    #[test]
    fn three_random_words_are_fine_without_digits_or_symbols() {
        assert!(NewPassword::parse("password", "carrot lantern puddle").is_ok());
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 11 characters, more than 12 bytes
        assert!(NewPassword::parse("password", "ééééééééééé").is_err());
        assert!(NewPassword::parse("password", "éléphant vert").is_ok());
    }

    #[test]
    fn the_bundled_list_has_only_long_entries() {
        for line in COMMON.lines().filter(|l| !l.starts_with('#')) {
            assert!(line.chars().count() >= MIN_PASSWORD_CHARS, "{line}");
        }
    }
}
