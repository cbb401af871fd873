//! Where to go after signing in: only a path on this site (no open redirects).

/// True for a same-site path that a `Location` header may carry as it is: it starts with one
/// `/` (not `//`, which names another host), holds only printable ASCII (a tab or newline
/// inside `/\t/evil.example` is dropped by browsers, leaving `//evil.example`; CR or LF would
/// split the header), no backslash (browsers read `/\evil.example` as `//evil.example`), and
/// is not a server function.
pub fn is_safe_next(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic())
        && !next.contains('\\')
        && !next.starts_with("/api/")
        && next.len() <= 2000
}

/// Where a user lands after signing in: what they came to do. Someone with no role bids for
/// an organisation: "Your bids" says what to do next (register the organisation, then the
/// open rounds and their drafts).
pub fn home_for(roles: &[crate::domain::roles::Role]) -> &'static str {
    if roles.contains(&crate::domain::roles::Role::Commissioner) {
        "/fund"
    } else if roles.contains(&crate::domain::roles::Role::BoardMember)
        || roles.contains(&crate::domain::roles::Role::LayEvaluator)
    {
        "/assess"
    } else if roles.contains(&crate::domain::roles::Role::PartnerApprover) {
        "/sign-off"
    } else if roles.contains(&crate::domain::roles::Role::Admin) {
        "/admin/users"
    } else {
        "/bids"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_pass() {
        for ok in [
            "/",
            "/bids",
            "/bids/12/sections/3?return_to=check",
            "/rounds%2F1",
        ] {
            assert!(is_safe_next(ok), "{ok}");
        }
    }

    #[test]
    fn other_sites_and_header_tricks_are_refused() {
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: a=b",
            "/\\evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "/caf\u{e9}",
            "/api/account/sign_out",
            "evil.example",
        ] {
            assert!(!is_safe_next(bad), "{bad:?}");
        }
        assert!(!is_safe_next(&format!("/{}", "a".repeat(3000))));
    }

    #[test]
    fn lands_on_the_most_useful_page() {
        use crate::domain::roles::Role;
        assert_eq!(home_for(&[]), "/bids");
        assert_eq!(home_for(&[Role::Admin]), "/admin/users");
        assert_eq!(home_for(&[Role::LayEvaluator]), "/assess");
        assert_eq!(home_for(&[Role::Admin, Role::Commissioner]), "/fund");
        assert_eq!(home_for(&[Role::PartnerApprover]), "/sign-off");
        assert_eq!(home_for(&[Role::PartnerApprover, Role::Admin]), "/sign-off");
    }
}
