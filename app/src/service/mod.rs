//! Use cases: one function per thing a person does with Seedbed. A service function takes the
//! database, the acting user and a typed command; it opens the transaction, checks that this
//! person may do this to this record, applies the domain rule, writes, audits and commits,
//! and returns a typed outcome with the mail to send (or a typed refusal). No leptos, no
//! session, no HTML: server functions, the demo, the scale loader and jobs all call these.
//! (ARCHITECTURE.md, "Layers".)
pub mod accounts;
pub mod assessment;
pub mod bids;
pub mod decisions;
pub mod fund;
pub mod interviews;
pub mod measures;
pub mod meetings;
pub mod organisations;
pub mod registers;
pub mod reminders;
pub mod reports;
pub mod returns;
pub mod rounds;
pub mod schemes;
pub mod sign_off;
pub mod tokens;
pub mod tranches;

use crate::mail::OutgoingMail;

/// What a use case needs from the world beyond its command.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub pool: &'a sqlx::AnyPool,
    /// The public address, for links in mail.
    pub base_url: &'a str,
}

/// A use case's outcome and the mail to send once it has committed.
#[derive(Debug)]
pub struct Done<T> {
    pub value: T,
    pub mail: Vec<OutgoingMail>,
}

/// The person doing something, as the use cases need them.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub roles: Vec<crate::domain::roles::Role>,
}

impl Actor {
    pub fn has(&self, role: crate::domain::roles::Role) -> bool {
        self.roles.contains(&role)
    }
}
