//! Uploaded files: which kinds are accepted, how big, and how sizes are shown.
use super::FieldError;

/// The largest file accepted: 10 MB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Evidence files for one tranche: how many, and how much in all.
pub const MAX_TRANCHE_FILES: usize = 10;
pub const MAX_TRANCHE_BYTES: i64 = 50 * 1024 * 1024;
/// Everything one organisation keeps with its bids and schemes.
pub const MAX_ORGANISATION_BYTES: i64 = 250 * 1024 * 1024;

/// Is there room for a file of `new_bytes` where `count` files of `bytes` in all are kept
/// (`what` names the place: "a tranche")? The message says what to do.
pub fn check_room(
    field: &str,
    count: usize,
    bytes: i64,
    new_bytes: i64,
    max_count: Option<usize>,
    max_bytes: i64,
    what: &str,
) -> Result<(), FieldError> {
    if max_count.is_some_and(|max| count >= max) {
        return Err(FieldError::new(
            field,
            format!(
                "You can add up to {} files to {what}. Put several documents in one PDF",
                max_count.unwrap_or_default()
            ),
        ));
    }
    if bytes.saturating_add(new_bytes) > max_bytes {
        return Err(FieldError::new(
            field,
            format!(
                "The files for {what} must add up to less than {}MB. They already take {}: choose a smaller file",
                max_bytes / (1024 * 1024),
                display_size(bytes)
            ),
        ));
    }
    Ok(())
}

/// Accepted kinds by extension, with the content type they are served as (never the
/// browser's claim).
const KINDS: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// Check an uploaded file's name and size (GOV.UK file upload wording); returns the
/// content type to store and serve it with.
pub fn check_upload(field: &str, name: &str, size: usize) -> Result<&'static str, FieldError> {
    if name.trim().is_empty() || size == 0 {
        return Err(FieldError::new(
            field,
            if name.trim().is_empty() {
                "Select a file"
            } else {
                "The selected file is empty"
            },
        ));
    }
    if size > MAX_BYTES {
        return Err(FieldError::new(
            field,
            "The selected file must be smaller than 10MB",
        ));
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    KINDS
        .iter()
        .find(|(ext, _)| *ext == extension)
        .map(|(_, content_type)| *content_type)
        .ok_or_else(|| {
            FieldError::new(
                field,
                "The selected file must be a PDF, Word document, spreadsheet, CSV, text file, PNG or JPG",
            )
        })
}

/// Check that a file's bytes are what its name says: a PDF starts "%PDF", a Word or
/// spreadsheet file is a zip or an OLE compound file, an image has its signature, and CSV
/// or text is UTF-8 without NUL bytes. A renamed program is refused.
pub fn check_content(field: &str, content_type: &str, bytes: &[u8]) -> Result<(), FieldError> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let zip = starts(b"PK\x03\x04");
    let ole = starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let ok = match content_type {
        "application/pdf" => starts(b"%PDF-"),
        "application/msword" | "application/vnd.ms-excel" => ole,
        "image/png" => starts(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/jpeg" => starts(&[0xFF, 0xD8, 0xFF]),
        "text/csv" | "text/plain" => std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0),
        _ => zip,
    };
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "The selected file's contents do not match its type. Save it again as a PDF, Word document, spreadsheet, CSV, text file, PNG or JPG",
        ))
    }
}

/// A file name safe to put in a download header: the last path part, no quotes or controls.
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != ';')
        .take(150)
        .collect();
    if cleaned.trim().is_empty() {
        "file".into()
    } else {
        cleaned.trim().to_string()
    }
}

/// "850 KB", "2.4 MB".
pub fn display_size(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_limited_by_count_and_size() {
        let mb = 1024 * 1024;
        assert!(check_room("file", 9, 10 * mb, mb, Some(10), 50 * mb, "a tranche").is_ok());
        let full = check_room("file", 10, 10 * mb, mb, Some(10), 50 * mb, "a tranche").unwrap_err();
        assert_eq!(
            full.message,
            "You can add up to 10 files to a tranche. Put several documents in one PDF"
        );
        let big =
            check_room("file", 1, 45 * mb, 6 * mb, Some(10), 50 * mb, "a tranche").unwrap_err();
        assert!(
            big.message
                .starts_with("The files for a tranche must add up to less than 50MB"),
            "{}",
            big.message
        );
        assert!(check_room("file", 0, 0, i64::MAX, None, 50 * mb, "x").is_err());
    }

    #[test]
    fn contents_must_match_the_type() {
        assert!(check_content("f", "application/pdf", b"%PDF-1.7 rest").is_ok());
        assert!(check_content("f", "application/pdf", b"MZ\x90\x00 a program").is_err());
        assert!(check_content("f", "text/csv", b"a,b\n1,2\n").is_ok());
        assert!(check_content("f", "text/plain", b"bin\x00ary").is_err());
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert!(check_content("f", docx, b"PK\x03\x04....").is_ok());
        assert!(check_content("f", docx, b"<html>").is_err());
    }

    #[test]
    fn accepts_documents_and_images_up_to_10mb() {
        assert_eq!(
            check_upload("f", "Needs assessment.PDF", 1000).unwrap(),
            "application/pdf"
        );
        assert_eq!(
            check_upload("f", "", 0).unwrap_err().message,
            "Select a file"
        );
        assert_eq!(
            check_upload("f", "a.pdf", 0).unwrap_err().message,
            "The selected file is empty"
        );
        assert_eq!(
            check_upload("f", "a.pdf", MAX_BYTES + 1)
                .unwrap_err()
                .message,
            "The selected file must be smaller than 10MB"
        );
        assert!(check_upload("f", "run.exe", 10).is_err());
        assert!(check_upload("f", "pdf", 10).is_err());
    }

    #[test]
    fn names_are_safe_in_headers() {
        assert_eq!(
            safe_name("C:\\Users\\jo\\falls \"audit\".pdf"),
            "falls audit.pdf"
        );
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("\u{0}"), "file");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(display_size(1), "1 KB");
        assert_eq!(display_size(870_000), "850 KB");
        assert_eq!(display_size(2_516_582), "2.4 MB");
    }
}
