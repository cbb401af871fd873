use super::FieldError;

/// Bidirectional overrides and isolates: they make a name read differently from what it is
/// ("evil\u{202e}fdp.exe" shows as "evilexe.pdf").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Refuse characters no one types: control characters (a NUL byte, which PostgreSQL
/// cannot store, among them) and bidirectional overrides. Line breaks and tabs are allowed
/// only in text that may run over several lines.
pub fn check_characters(
    field: &str,
    value: &str,
    label: &str,
    multi_line: bool,
) -> Result<(), FieldError> {
    let allowed = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    if value
        .chars()
        .any(|c| (c.is_control() && !allowed(c)) || is_bidi_control(c))
    {
        let message = if multi_line {
            format!("{label} must not include hidden control characters")
        } else {
            format!("{label} must be on one line and must not include hidden control characters")
        };
        return Err(FieldError::new(field, message));
    }
    Ok(())
}

fn checked(
    field: &str,
    input: &str,
    empty_message: Option<&str>,
    max_chars: usize,
    label: &str,
    multi_line: bool,
) -> Result<String, FieldError> {
    let value = input.trim();
    if let (true, Some(message)) = (value.is_empty(), empty_message) {
        return Err(FieldError::new(field, message));
    }
    if value.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            format!("{label} must be {max_chars} characters or fewer"),
        ));
    }
    check_characters(field, value, label, multi_line)?;
    Ok(value.to_string())
}

/// Required text that may run over several lines (a textarea), trimmed, with a maximum
/// length in characters.
pub fn required_text(
    field: &str,
    input: &str,
    empty_message: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, FieldError> {
    checked(field, input, Some(empty_message), max_chars, label, true)
}

/// Optional text that may run over several lines, trimmed ("" when left blank).
pub fn optional_text(
    field: &str,
    input: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, FieldError> {
    checked(field, input, None, max_chars, label, true)
}

/// A required single line (a name, a title, an address line): no line breaks or tabs.
pub fn required_line(
    field: &str,
    input: &str,
    empty_message: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, FieldError> {
    checked(field, input, Some(empty_message), max_chars, label, false)
}

/// An optional single line ("" when left blank).
pub fn optional_line(
    field: &str,
    input: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, FieldError> {
    checked(field, input, None, max_chars, label, false)
}

pub fn word_count(input: &str) -> usize {
    input.split_whitespace().count()
}

/// Names as a sentence lists them: "A", "A and B", "A, B and C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_a_list() {
        let names = |n: &[&str]| join_names(&n.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(names(&[]), "");
        assert_eq!(names(&["Ann"]), "Ann");
        assert_eq!(names(&["Ann", "Bo"]), "Ann and Bo");
        assert_eq!(names(&["Ann", "Bo", "Cy"]), "Ann, Bo and Cy");
    }

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
    fn hidden_characters_are_refused() {
        let nul = required_line("name", "Happy\u{0}Feet", "Enter a name", 200, "Name");
        assert_eq!(
            nul.unwrap_err().message,
            "Name must be on one line and must not include hidden control characters"
        );
        assert!(required_line("name", "Happy\u{202e}teeF", "x", 200, "Name").is_err());
        assert!(optional_line("name", "Happy\u{2066}Feet", 200, "Name").is_err());
        assert!(required_line("name", "Happy\nFeet", "x", 200, "Name").is_err());
        assert!(required_line("name", "Happy\tFeet", "x", 200, "Name").is_err());
        assert!(required_line("name", "Caf\u{e9} Cymru", "x", 200, "Name").is_ok());
        // Several lines: line breaks and tabs are fine, NUL and overrides are not.
        assert!(required_text("need", "Line one\r\nLine\ttwo", "x", 200, "The need").is_ok());
        assert_eq!(
            optional_text("need", "a\u{0}b", 200, "The need")
                .unwrap_err()
                .message,
            "The need must not include hidden control characters"
        );
        assert!(optional_text("need", "a\u{202d}b", 200, "The need").is_err());
        assert!(optional_text("need", "a\u{7f}b", 200, "The need").is_err());
    }

    #[test]
    fn counts_words() {
        assert_eq!(word_count("  meals and\nmore  "), 3);
        assert_eq!(word_count(""), 0);
    }
}
