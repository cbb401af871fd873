//! Page numbers from the address bar: any number, even one that overflows, is a page.

/// The highest page number looked at; anything above shows an empty page past the end.
pub const MAX_PAGE: i64 = 1_000_000;

/// A page number brought into 1..=[`MAX_PAGE`], and the offset of its first row.
pub fn window(page: i64, size: i64) -> (i64, i64) {
    let page = page.clamp(1, MAX_PAGE);
    (page, (page - 1).saturating_mul(size.max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_page_number_is_a_window() {
        assert_eq!(window(1, 25), (1, 0));
        assert_eq!(window(3, 25), (3, 50));
        assert_eq!(window(0, 25), (1, 0));
        assert_eq!(window(-5, 25), (1, 0));
        assert_eq!(window(i64::MAX, 25), (MAX_PAGE, (MAX_PAGE - 1) * 25));
        assert_eq!(window(i64::MIN, 25), (1, 0));
    }
}
