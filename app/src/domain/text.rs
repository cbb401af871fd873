use super::FieldError;

/// A required piece of text, trimmed, with a maximum length in characters.
pub fn required_text(
    field: &str,
    input: &str,
    empty_message: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, FieldError> {
    let value = input.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, empty_message));
    }
    if value.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            format!("{label} must be {max_chars} characters or fewer"),
        ));
    }
    Ok(value.to_string())
}

/// Optional text, trimmed, with a maximum length in characters ("" when left blank).
pub fn optional_text(
    field: &str,
    input: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, FieldError> {
    let value = input.trim();
    if value.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            format!("{label} must be {max_chars} characters or fewer"),
        ));
    }
    Ok(value.to_string())
}

pub fn word_count(input: &str) -> usize {
    input.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_limits() {
        assert_eq!(
            required_text("n", "  Jo  ", "Enter your full name", 10, "Full name").unwrap(),
            "Jo"
        );
        assert_eq!(
            required_text("n", "  ", "Enter your full name", 10, "Full name")
                .unwrap_err()
                .message,
            "Enter your full name"
        );
        assert_eq!(
            required_text("n", "abcdefghijk", "Enter your full name", 10, "Full name")
                .unwrap_err()
                .message,
            "Full name must be 10 characters or fewer"
        );
    }

    #[test]
    fn counts_words() {
        assert_eq!(word_count("  meals and\nmore  "), 3);
        assert_eq!(word_count(""), 0);
    }
}
