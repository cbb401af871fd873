//! Sign-in throttling: how many failed attempts are tolerated in a window.

pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 20;

pub const TOO_MANY_MESSAGE: &str =
    "There have been too many attempts to sign in. Wait 15 minutes, then try again";

/// True when another attempt must be refused before the password is even checked.
pub fn is_locked(failures_for_account: i64, failures_for_ip: i64) -> bool {
    failures_for_account >= MAX_FAILURES_PER_ACCOUNT || failures_for_ip >= MAX_FAILURES_PER_IP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_failures_for_one_account() {
        assert!(!is_locked(4, 4));
        assert!(is_locked(5, 5));
    }

    #[test]
    fn locks_an_address_trying_many_accounts() {
        assert!(!is_locked(1, 19));
        assert!(is_locked(1, 20));
    }
}
