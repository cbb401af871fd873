//! Throttling: sign-in attempts slow down as they fail, and mail the portal sends on a
//! stranger's request (a reset link, a confirmation, an invitation) is limited per target
//! address and per client address.
use chrono::Duration;

pub const WINDOW_MINUTES: i64 = 15;
/// Failed attempts from one address at one account before each next attempt must wait.
pub const FREE_FAILURES_PER_PAIR: i64 = 5;
/// Failed attempts at one account from every address, and from one address at every account.
pub const FREE_FAILURES_PER_ACCOUNT: i64 = 50;
pub const FREE_FAILURES_PER_IP: i64 = 20;
/// The first wait, doubled after each further failure, and the longest.
pub const FIRST_WAIT_SECONDS: i64 = 30;
pub const LONGEST_WAIT_SECONDS: i64 = 15 * 60;

/// What the person is told: how long to wait, rounded up to a whole minute (or 30 seconds).
pub fn too_many_message(wait: Duration) -> String {
    let seconds = wait.num_seconds().max(1);
    let how_long = if seconds <= 30 {
        "30 seconds".to_string()
    } else {
        let minutes = (seconds + 59) / 60;
        format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
    };
    format!("There have been too many attempts to sign in. Wait {how_long}, then try again")
}

/// Recent failed sign-in attempts: their number and the time since the latest, for the
/// account from this address, the account from anywhere, and this address at any account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub pair: (i64, Duration),
    pub account: (i64, Duration),
    pub ip: (i64, Duration),
}

/// The wait after `failures` failures, once more than `free` have failed: 30 s, 1 min,
/// 2 min … up to 15 minutes.
fn wait_after(failures: i64, free: i64) -> Duration {
    if failures < free {
        return Duration::zero();
    }
    let doublings = (failures - free).min(10) as u32;
    Duration::seconds((FIRST_WAIT_SECONDS << doublings).min(LONGEST_WAIT_SECONDS))
}

/// How long this attempt must still wait before a password is checked (None: check it).
/// Someone guessing one account from one address slows down quickly; a person signing in
/// from their own address is not locked out by failures from elsewhere, unless an account
/// is attacked from very many addresses at once.
pub fn wait_before_attempt(f: Failures) -> Option<Duration> {
    [
        (f.pair, FREE_FAILURES_PER_PAIR),
        (f.account, FREE_FAILURES_PER_ACCOUNT),
        (f.ip, FREE_FAILURES_PER_IP),
    ]
    .into_iter()
    .map(|((n, since), free)| (wait_after(n, free), since.max(Duration::zero())))
    .filter(|(wait, _)| *wait > Duration::zero())
    .map(|(wait, since)| wait - since)
    .filter(|left| *left > Duration::zero())
    .max()
}

/// Mail sent because someone asked through a public form, limited per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailRequest {
    PasswordReset,
    Confirmation,
    /// A registration (one per person registering) or the note to the owner of an
    /// address that already has an account.
    Registration,
    Invitation,
}

impl MailRequest {
    pub fn code(self) -> &'static str {
        match self {
            MailRequest::PasswordReset => "password_reset",
            MailRequest::Confirmation => "confirmation",
            MailRequest::Registration => "registration",
            MailRequest::Invitation => "invitation",
        }
    }

    /// At most this many to one address, and from one client address, an hour.
    pub fn limits(self) -> (i64, i64) {
        match self {
            MailRequest::PasswordReset => (3, 10),
            MailRequest::Confirmation => (3, 10),
            MailRequest::Registration => (3, 5),
            MailRequest::Invitation => (3, 20),
        }
    }

    /// May it go, with `to_address` and `from_client` requests in the last hour (this one
    /// included)? (to the address, from the client)
    pub fn allowed(self, to_address: i64, from_client: i64) -> (bool, bool) {
        let (per_address, per_client) = self.limits();
        (to_address <= per_address, from_client <= per_client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pair: (i64, i64), account: (i64, i64), ip: (i64, i64)) -> Failures {
        let d = |(n, s): (i64, i64)| (n, Duration::seconds(s));
        Failures {
            pair: d(pair),
            account: d(account),
            ip: d(ip),
        }
    }

    #[test]
    fn a_few_failures_cost_nothing() {
        assert_eq!(wait_before_attempt(f((4, 0), (4, 0), (4, 0))), None);
        // The latest attempt (this one) may be stamped a moment after "now" was read.
        assert_eq!(wait_before_attempt(f((0, -1), (0, -1), (0, -1))), None);
        assert_eq!(
            wait_before_attempt(f((5, -1), (0, 0), (0, 0))),
            Some(Duration::seconds(30))
        );
    }

    #[test]
    fn waits_grow_with_each_failure_and_run_out() {
        assert_eq!(
            wait_before_attempt(f((5, 0), (5, 0), (5, 0))),
            Some(Duration::seconds(30))
        );
        assert_eq!(
            wait_before_attempt(f((6, 10), (6, 10), (6, 10))),
            Some(Duration::seconds(50))
        );
        assert_eq!(wait_before_attempt(f((6, 61), (6, 61), (6, 61))), None);
        assert_eq!(
            wait_before_attempt(f((200, 0), (200, 0), (200, 0))),
            Some(Duration::minutes(15))
        );
    }

    #[test]
    fn failures_from_elsewhere_do_not_lock_out_the_owner() {
        // 10 failures at the account from another address; none from the owner's.
        assert_eq!(wait_before_attempt(f((0, 0), (10, 0), (0, 0))), None);
        // An address trying many accounts waits, whoever it tries.
        assert!(wait_before_attempt(f((1, 0), (1, 0), (20, 0))).is_some());
    }

    #[test]
    fn the_message_says_how_long_to_wait() {
        assert_eq!(
            too_many_message(Duration::seconds(12)),
            "There have been too many attempts to sign in. Wait 30 seconds, then try again"
        );
        assert!(too_many_message(Duration::seconds(61)).contains("Wait 2 minutes"));
        assert!(too_many_message(Duration::seconds(60)).contains("Wait 1 minute,"));
    }

    #[test]
    fn mail_requests_are_limited_per_address_and_client() {
        assert_eq!(MailRequest::PasswordReset.allowed(3, 10), (true, true));
        assert_eq!(MailRequest::PasswordReset.allowed(4, 11), (false, false));
        assert_eq!(MailRequest::Registration.allowed(1, 6), (true, false));
    }
}
