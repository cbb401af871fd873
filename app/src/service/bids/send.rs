//! Sending a bid, withdrawing a sent one and reopening a withdrawn one as a draft.
use super::{about, access, context, BidError};
use crate::db;
use crate::domain::answers;
use crate::domain::bid::{missing_declarations, BidStatus};
use crate::error::FieldError;
use crate::service::{Actor, Ctx, Done};

/// Send the bid: every section complete and right, every declaration made (`declared`:
/// the keys ticked), before the deadline. The organisation's members are emailed. (Its
/// reference.)
pub async fn send(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
    declared: &[String],
) -> Result<Done<String>, BidError> {
    let a = access(ctx, actor, bid_id).await?;
    a.check_can_change()?;
    let mut conn = ctx.pool.acquire().await?;
    let sections = db::rounds::sections(&mut conn, a.round.id).await?;
    let saved = db::bids::sections(&mut conn, bid_id).await?;
    let files = db::bids::files(&mut conn, bid_id).await?;
    drop(conn);
    let context = context(&a, files.iter().map(|f| f.question_id).collect());
    let mut errors: Vec<FieldError> = sections
        .iter()
        .filter(|s| {
            let this = saved.iter().find(|a| a.section_id == s.id);
            !this.is_some_and(|a| {
                a.completed
                    && answers::check_section(s.kind, &s.questions, &a.answers, &context, true)
                        .is_empty()
            })
        })
        .map(|s| {
            FieldError::new(
                format!("section-{}", s.id),
                format!(
                    "Complete the section \"{}\" before you send your bid",
                    s.title
                ),
            )
        })
        .collect();
    errors.extend(missing_declarations(|key| {
        declared.iter().any(|d| d == key)
    }));
    if !errors.is_empty() {
        return Err(BidError::Invalid(errors));
    }
    let year =
        chrono::Datelike::year(&chrono::Utc::now().with_timezone(&chrono_tz::Europe::London));
    let reference = crate::domain::bid::reference(year, bid_id);
    let mut tx = ctx.pool.begin().await?;
    let Some(reference) =
        db::bids::submit(&mut tx, bid_id, &reference, actor.id, db::now()).await?
    else {
        return Err(BidError::SentAlready);
    };
    let summary = format!("Bid {reference} submitted for {}", a.bid.round_title);
    let change = Some((BidStatus::Draft, BidStatus::Submitted));
    let entry = about(actor, bid_id, "bid.submitted", summary, change);
    db::audit::record(&mut tx, entry).await?;
    let members = db::bids::member_emails(&mut tx, a.bid.organisation_id).await?;
    tx.commit().await?;
    let link = format!("{}/bids/{bid_id}/view", ctx.base_url);
    let closes = crate::domain::time::display_uk(a.round.details.closes_at);
    let mail = members
        .iter()
        .map(|m| {
            crate::mail::bid_submitted(
                &m.email,
                &m.full_name,
                &actor.full_name,
                &a.bid.organisation_name,
                &a.bid.round_title,
                &reference,
                &closes,
                &link,
            )
        })
        .collect();
    Ok(Done {
        value: reference,
        mail,
    })
}

/// Withdraw a sent bid before the round closes (`reopen` false), or reopen a withdrawn one
/// as a draft (true). (What was done, for the notice: "withdrawn", "reopened as a draft".)
pub async fn withdraw(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
    reopen: bool,
) -> Result<&'static str, BidError> {
    let (from, to, verb, action) = if reopen {
        let verb = "reopened as a draft";
        (BidStatus::Withdrawn, BidStatus::Draft, verb, "bid.reopened")
    } else {
        let verb = "withdrawn";
        (
            BidStatus::Submitted,
            BidStatus::Withdrawn,
            verb,
            "bid.withdrawn",
        )
    };
    let a = access(ctx, actor, bid_id).await?;
    if !a.is_member {
        return Err(BidError::Forbidden);
    }
    if !a.round_open {
        return Err(BidError::RoundClosed {
            closed_at: crate::domain::time::display_uk(a.round.details.closes_at),
        });
    }
    let mut tx = ctx.pool.begin().await?;
    if !db::bids::move_status(&mut tx, bid_id, from, to, db::now()).await? {
        return Err(BidError::CannotMove {
            verb,
            status: a.bid.status.label().to_lowercase(),
        });
    }
    let entry = about(
        actor,
        bid_id,
        action,
        format!("Bid {verb}"),
        Some((from, to)),
    );
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(verb)
}
