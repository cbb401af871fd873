//! Tranches of a funded scheme: the organisation sends evidence that a milestone is met; a
//! commissioner approves it (or returns it with a reason) and another records the payment,
//! a ledger entry in the pooled fund. Nobody reviews or pays for an organisation they belong
//! to or have declared a conflict with.
use super::schemes::{entry, independent, link, scheme_for, to_members, AccessError, Need};
use super::{Actor, Ctx, Done};
use crate::db;
use crate::db::schemes::SchemeRow;
use crate::db::tranches::TrancheRow;
use crate::domain::monitoring::SchemeStatus;
use crate::error::{AppError, FieldError};

/// The most characters of evidence or of a reviewer's note.
pub const EVIDENCE_CHARS: usize = 5_000;

/// Why nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum TrancheError {
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("Accept the award before you send evidence for a tranche")]
    NotAccepted,
    #[error("Evidence for tranche {position} cannot be sent now: it is {status}")]
    EvidenceNotNow { position: i64, status: String },
    #[error("The award has not been accepted yet: a tranche cannot be approved before it is")]
    ApprovalBeforeAcceptance,
    #[error("Tranche {position} has no evidence waiting for review: it is {status}")]
    NothingToReview { position: i64, status: String },
    #[error("The payment of tranche {position} cannot be recorded: it is {status}")]
    PaymentNotNow { position: i64, status: String },
    #[error("Tranche {position} cannot be tied to an outcome now: it is {status}")]
    OutcomeNotNow { position: i64, status: String },
    #[error("Payments to this scheme are suspended: resume them before recording a payment")]
    Suspended,
    #[error("The pooled fund's payments would exceed what it has committed")]
    OverCommitted,
    #[error("Files can be added while a tranche waits for evidence. This one is {status}")]
    FilesNotNow { status: String },
    /// No room for the file in the tranche or the organisation's storage (the reason).
    #[error("{0}")]
    NoRoom(String),
    /// Not found, not theirs to do, not independent, or the database failed.
    #[error(transparent)]
    Access(#[from] AccessError),
}

impl From<sqlx::Error> for TrancheError {
    fn from(e: sqlx::Error) -> Self {
        TrancheError::Access(AccessError::Database(e))
    }
}

impl From<TrancheError> for AppError {
    fn from(e: TrancheError) -> Self {
        match e {
            TrancheError::Access(e) => e.into(),
            TrancheError::Invalid(errors) => AppError::Invalid(errors),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

/// A scheme and one of its tranches.
struct Loaded {
    scheme: SchemeRow,
    tranche: TrancheRow,
}

/// One of the scheme's tranches; any other id does not exist here.
async fn tranche_of(
    ctx: Ctx<'_>,
    scheme: SchemeRow,
    tranche_id: i64,
) -> Result<Loaded, TrancheError> {
    let mut conn = ctx.pool.acquire().await?;
    let tranche = db::tranches::tranches(&mut conn, scheme.id)
        .await?
        .into_iter()
        .find(|t| t.id == tranche_id)
        .ok_or(TrancheError::Access(AccessError::NotFound))?;
    Ok(Loaded { scheme, tranche })
}

fn tranche_link(ctx: Ctx<'_>, scheme: &SchemeRow, tranche_id: i64) -> String {
    link(ctx, scheme, &format!("/tranches/{tranche_id}"))
}

/// A member of the organisation sends evidence that a tranche's milestone is met. The
/// outcome is the tranche's position.
pub async fn send_evidence(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
    evidence: &str,
) -> Result<Done<i64>, TrancheError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Member).await?;
    let text = crate::domain::text::required_text(
        "evidence",
        evidence,
        "Enter how the milestone has been met",
        EVIDENCE_CHARS,
        "The evidence",
    )
    .map_err(|e| TrancheError::Invalid(vec![e]))?;
    let Loaded { scheme, tranche } = tranche_of(ctx, scheme, tranche_id).await?;
    if scheme.status == SchemeStatus::Awarded {
        return Err(TrancheError::NotAccepted);
    }
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    if !db::tranches::submit_evidence(&mut tx, tranche_id, &text, actor.id, now).await? {
        return Err(TrancheError::EvidenceNotNow {
            position: tranche.position,
            status: tranche.status.label().to_lowercase(),
        });
    }
    let summary = format!(
        "Evidence sent for tranche {} by {}",
        tranche.position, actor.full_name
    );
    db::audit::record(
        &mut tx,
        entry(actor, &scheme, "tranche.evidence_sent", summary),
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: tranche.position,
        mail: Vec::new(),
    })
}

mod files;
mod outcome;
mod payment;
pub use files::{attach_file, can_attach, Upload};
pub use outcome::{outcome_status, set_outcome, OutcomeStatus};
pub use payment::{pay, Paid};

/// A commissioner's review of a tranche's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Approved: someone else then records the payment.
    Approve,
    /// Returned to the organisation with a note saying what is needed.
    Return,
}

/// Parse a review as typed: the decision ("approve" or "return") and the note (required to
/// return evidence).
pub fn parse_review(decision: &str, note: &str) -> Result<(Review, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let review = match decision {
        "approve" => Some(Review::Approve),
        "return" => Some(Review::Return),
        _ => {
            errors.push(FieldError::new(
                "decision",
                "Select approve the evidence, or return the evidence",
            ));
            None
        }
    };
    let note = crate::domain::text::optional_text("note", note, EVIDENCE_CHARS, "The note")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if review == Some(Review::Return) && note.is_empty() {
        errors.push(FieldError::new(
            "note",
            "Enter why the evidence is returned and what is needed",
        ));
    }
    match review {
        Some(review) if errors.is_empty() => Ok((review, note)),
        _ => Err(errors),
    }
}

/// A commissioner approves a tranche's evidence or returns it with a note (the organisation
/// is emailed the note). The outcome is the notice for the commissioner.
pub async fn review(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
    decision: &str,
    note: &str,
) -> Result<Done<String>, TrancheError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    let (review, note) = parse_review(decision, note).map_err(TrancheError::Invalid)?;
    independent(ctx, actor, &scheme).await?;
    let Loaded { scheme, tranche } = tranche_of(ctx, scheme, tranche_id).await?;
    // Pay for outcomes: evidence is approved before its figure is reached only with a reason.
    // Read before the transaction, whose first statement must be its write (SQLite cannot
    // turn a reading transaction into a writing one while another writes).
    let unmet = match review {
        Review::Approve if tranche.outcome().is_some() => {
            let mut conn = ctx.pool.acquire().await?;
            let measures = db::measures::named(&mut conn, scheme.round_id).await?;
            outcome_status(&mut conn, &measures, &tranche)
                .await?
                .filter(|o| !o.reached)
        }
        _ => None,
    };
    if let (Some(o), true) = (&unmet, note.is_empty()) {
        return Err(TrancheError::Invalid(vec![FieldError::new(
            "note",
            format!(
                "The outcome for this tranche has not been reached ({}; {}). Say in the note why you approve the evidence anyway, or return it",
                o.target_text(),
                o.progress_text().to_lowercase()
            ),
        )]));
    }
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let done = match review {
        Review::Approve => {
            db::tranches::approve_tranche(&mut tx, tranche_id, &note, actor.id, now).await?
        }
        Review::Return => {
            db::tranches::return_evidence(&mut tx, tranche_id, &note, actor.id, now).await?
        }
    };
    if !done {
        return Err(if scheme.accepted_at.is_none() {
            TrancheError::ApprovalBeforeAcceptance
        } else {
            TrancheError::NothingToReview {
                position: tranche.position,
                status: tranche.status.label().to_lowercase(),
            }
        });
    }
    let position = tranche.position;
    let (action, summary, message) = match review {
        Review::Approve => (
            "tranche.approved",
            match &unmet {
                None => format!(
                    "Evidence for tranche {position} approved; its payment of {} is to be recorded by someone else",
                    tranche.amount.display()
                ),
                Some(o) => format!(
                    "Evidence for tranche {position} approved although its outcome was not reached ({}; {}): {note}. Its payment of {} is to be recorded by someone else",
                    o.target_text(),
                    o.progress_text().to_lowercase(),
                    tranche.amount.display()
                ),
            },
            format!(
                "Evidence for tranche {position} approved. Another commissioner must now record its payment"
            ),
        ),
        Review::Return => (
            "tranche.returned",
            format!("Evidence for tranche {position} returned: {note}"),
            format!("Evidence for tranche {position} returned to the organisation"),
        ),
    };
    db::audit::record(&mut tx, entry(actor, &scheme, action, summary)).await?;
    tx.commit().await?;
    let mail = if review == Review::Return {
        let link = tranche_link(ctx, &scheme, tranche_id);
        to_members(ctx, &scheme, |to, name| {
            crate::mail::tranche_reviewed(
                to,
                name,
                &scheme.organisation_name,
                position,
                None,
                &note,
                &link,
            )
        })
        .await?
    } else {
        Vec::new()
    };
    Ok(Done {
        value: message,
        mail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_needs_a_decision_and_a_returned_one_a_note() {
        assert_eq!(
            parse_review("approve", ""),
            Ok((Review::Approve, String::new()))
        );
        assert_eq!(
            parse_review("return", "Send the invoices"),
            Ok((Review::Return, "Send the invoices".into()))
        );
        let fields = |r: Result<(Review, String), Vec<FieldError>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(parse_review("", "")), ["decision"]);
        assert_eq!(fields(parse_review("return", "  ")), ["note"]);
        assert_eq!(fields(parse_review("pay", "")), ["decision"]);
    }
}
