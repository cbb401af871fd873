//! Files that answer a bid's upload questions: attached by the organisation's members while
//! the bid is a draft and the round is open, within the bid's and the organisation's room.
use super::{access, BidError};
use crate::db;
use crate::domain::files::{check_room, display_size, MAX_ORGANISATION_BYTES};
use crate::domain::round::QuestionType;
use crate::error::FieldError;
use crate::service::{Actor, Ctx};

/// All the files of one bid together.
pub const MAX_BID_BYTES: i64 = 50 * 1024 * 1024;

/// May the actor upload a file for this question now? (The question's section.) Refused
/// like any change to the bid; a question that is not a file question of the bid's round
/// does not exist.
pub async fn upload_target(
    ctx: Ctx<'_>,
    actor: &Actor,
    bid_id: i64,
    question_id: i64,
) -> Result<i64, BidError> {
    let a = access(ctx, actor, bid_id).await?;
    a.check_can_change()?;
    let mut conn = ctx.pool.acquire().await?;
    let sections = db::rounds::sections(&mut conn, a.bid.round_id).await?;
    sections
        .iter()
        .find_map(|s| {
            s.questions
                .iter()
                .any(|(id, q)| *id == question_id && q.qtype == QuestionType::FileUpload)
                .then_some(s.id)
        })
        .ok_or(BidError::NotFound)
}

/// A file as uploaded (already checked for its type and size: `server::files`).
pub struct Upload<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

fn too_big(message: String) -> BidError {
    BidError::Invalid(vec![FieldError::new("file", message)])
}

/// Store the file and attach it to the question (replacing the one there), unless the
/// bid's files would pass 50MB or the organisation's its room. The caller has checked
/// `upload_target`.
pub async fn attach(
    ctx: Ctx<'_>,
    actor: &Actor,
    (bid_id, question_id): (i64, i64),
    file: Upload<'_>,
) -> Result<(), BidError> {
    let size = file.bytes.len() as i64;
    let mut tx = ctx.pool.begin().await?;
    let files = db::bids::files(&mut tx, bid_id).await?;
    let (replaced, others): (i64, i64) = files.iter().fold((0, 0), |(this, rest), f| {
        if f.question_id == question_id {
            (this + f.size_bytes, rest)
        } else {
            (this, rest + f.size_bytes)
        }
    });
    if others + size > MAX_BID_BYTES {
        return Err(too_big(format!(
            "The files in a bid must add up to less than 50MB. This bid's other files take {}: choose a smaller file",
            display_size(others)
        )));
    }
    // The organisation's storage, less the file this one replaces.
    if let Some(organisation) = db::bids::organisation_of(&mut tx, bid_id).await? {
        let kept = db::bids::organisation_file_bytes(&mut tx, organisation).await? - replaced;
        let room = "your organisation";
        check_room("file", 0, kept, size, None, MAX_ORGANISATION_BYTES, room)
            .map_err(|e| too_big(e.message))?;
    }
    let (file_id, digest) = db::files::store(
        &mut tx,
        file.name,
        file.content_type,
        file.bytes,
        actor.id,
        db::now(),
    )
    .await?;
    db::bids::set_file(&mut tx, bid_id, question_id, file_id, size).await?;
    let short = digest.get(..12).unwrap_or(&digest);
    let summary = format!("File uploaded: {} (sha256 {short})", file.name);
    db::audit::entry(
        &mut tx,
        actor.id,
        "bid.file_uploaded",
        ("bid", bid_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
