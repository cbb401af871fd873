//! Evidence files for a tranche: added by the organisation's members while it waits for
//! evidence, within the tranche's and the organisation's room.
use super::{tranche_of, Loaded, TrancheError};
use crate::db;
use crate::domain::monitoring::TrancheStatus;
use crate::service::schemes::{entry, scheme_for, Need};
use crate::service::{Actor, Ctx, Done};

/// A member may add evidence files to a tranche while it waits for evidence: the tranche's
/// position if so. Checked before the upload is read, and again by [`attach_file`].
pub async fn can_attach(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
) -> Result<i64, TrancheError> {
    attachable(ctx, actor, scheme_id, tranche_id)
        .await
        .map(|l| l.tranche.position)
}

/// The scheme and tranche, if the actor may add files to it now.
async fn attachable(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
) -> Result<Loaded, TrancheError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Member).await?;
    let loaded = tranche_of(ctx, scheme, tranche_id).await?;
    if !loaded.scheme.status.running()
        || !matches!(
            loaded.tranche.status,
            TrancheStatus::Due | TrancheStatus::Returned
        )
    {
        return Err(TrancheError::FilesNotNow {
            status: loaded.tranche.status.label().to_lowercase(),
        });
    }
    Ok(loaded)
}

/// An uploaded file, already checked by name, size and content.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Add an evidence file to a tranche, if there is room in the tranche (count and size) and
/// in the organisation's storage; audited with the file's digest.
pub async fn attach_file(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
    upload: Upload<'_>,
) -> Result<Done<()>, TrancheError> {
    use crate::domain::files::{
        check_room, MAX_ORGANISATION_BYTES, MAX_TRANCHE_BYTES, MAX_TRANCHE_FILES,
    };
    let Loaded { scheme, tranche } = attachable(ctx, actor, scheme_id, tranche_id).await?;
    let position = tranche.position;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let here: Vec<i64> = db::tranches::tranche_files(&mut tx, scheme_id)
        .await?
        .into_iter()
        .filter(|f| f.tranche_id == tranche_id)
        .map(|f| f.size_bytes)
        .collect();
    let new_bytes = upload.bytes.len() as i64;
    let (count, used) = (here.len(), here.iter().sum());
    check_room(
        "file",
        count,
        used,
        new_bytes,
        Some(MAX_TRANCHE_FILES),
        MAX_TRANCHE_BYTES,
        "a tranche",
    )
    .map_err(|e| TrancheError::NoRoom(e.message))?;
    let kept = db::bids::organisation_file_bytes(&mut tx, scheme.organisation_id).await?;
    check_room(
        "file",
        0,
        kept,
        new_bytes,
        None,
        MAX_ORGANISATION_BYTES,
        "your organisation",
    )
    .map_err(|e| TrancheError::NoRoom(e.message))?;
    let (file_id, digest) = db::files::store(
        &mut tx,
        upload.name,
        upload.content_type,
        upload.bytes,
        actor.id,
        now,
    )
    .await?;
    db::tranches::add_tranche_file(&mut tx, tranche_id, file_id).await?;
    let summary = format!(
        "Evidence file for tranche {position}: {} (sha256 {})",
        upload.name,
        &digest[..12]
    );
    db::audit::record(
        &mut tx,
        entry(actor, &scheme, "tranche.file_uploaded", summary),
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: (),
        mail: Vec::new(),
    })
}
