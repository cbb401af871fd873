//! Bids: who may read a bid and who may change it now (the rule the pages, server functions
//! and the file routes all use).
use super::{Actor, Ctx, Done};
use crate::db;
use crate::db::bids::BidRow;
use crate::db::rounds::RoundRow;
use crate::domain::bid::BidStatus;
use crate::domain::roles::Role;
use crate::domain::round::{phase, RoundStatus};
use crate::error::AppError;

/// Why a bid may not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum BidError {
    /// No such bid, or it is not this person's to see.
    #[error("page not found")]
    NotFound,
    /// Seen by a commissioner, who may read it but not change it.
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("This round closed at {closed_at}. Bids can no longer be changed")]
    RoundClosed { closed_at: String },
    #[error("This bid has been sent. To change it, withdraw it first")]
    AlreadySent,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<BidError> for AppError {
    fn from(e: BidError) -> Self {
        match e {
            BidError::NotFound => AppError::NotFound,
            BidError::Forbidden => AppError::Forbidden,
            BidError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

impl BidError {
    /// A refusal that is the page's own status (not found, not permitted) rather than a
    /// message on the form.
    pub fn is_status(&self) -> bool {
        matches!(self, BidError::NotFound | BidError::Forbidden)
    }
}

/// A bid as one person may see it: its round, whether they are a member of the bidding
/// organisation (otherwise a commissioner), and whether the round is open now.
#[derive(Debug, Clone)]
pub struct BidAccess {
    pub bid: BidRow,
    pub round: RoundRow,
    pub is_member: bool,
    pub round_open: bool,
}

impl BidAccess {
    /// Refuse a change that the actor, the deadline or the bid's status does not allow.
    pub fn check_can_change(&self) -> Result<(), BidError> {
        if !self.is_member {
            return Err(BidError::Forbidden);
        }
        if !self.round_open {
            return Err(BidError::RoundClosed {
                closed_at: crate::domain::time::display_uk(self.round.details.closes_at),
            });
        }
        if self.bid.status != BidStatus::Draft {
            return Err(BidError::AlreadySent);
        }
        Ok(())
    }

    /// May the actor change it now (members, while the round is open and it is a draft)?
    pub fn editable(&self) -> bool {
        self.check_can_change().is_ok()
    }
}

/// The bid, if the actor may see it: members of the bidding organisation and commissioners.
pub async fn access(ctx: Ctx<'_>, actor: &Actor, bid_id: i64) -> Result<BidAccess, BidError> {
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(BidError::NotFound)?;
    drop(conn);
    let is_member = db::organisations::role_of(ctx.pool, bid.organisation_id, actor.id)
        .await?
        .is_some();
    if !is_member && !actor.has(Role::Commissioner) {
        return Err(BidError::NotFound);
    }
    access_unchecked(ctx, bid_id, is_member).await
}

/// The bid without asking who may see it: the caller has checked (an assessor's page).
pub async fn access_unchecked(
    ctx: Ctx<'_>,
    bid_id: i64,
    is_member: bool,
) -> Result<BidAccess, BidError> {
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .ok_or(BidError::NotFound)?;
    let round = db::rounds::round(&mut conn, bid.round_id)
        .await?
        .ok_or(BidError::NotFound)?;
    let d = &round.details;
    let round_open =
        phase(round.status, d.opens_at, d.closes_at, chrono::Utc::now()) == RoundStatus::Open;
    Ok(BidAccess {
        bid,
        round,
        is_member,
        round_open,
    })
}

/// For the upload route: may the actor change this bid's answers now?
pub async fn may_change(ctx: Ctx<'_>, actor: &Actor, bid_id: i64) -> Result<(), BidError> {
    access(ctx, actor, bid_id).await?.check_can_change()
}

// ---- Saving a section ----

/// Where the applicant goes after saving a section (the button they pressed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// To the task list; the section is completed if they say so.
    Continue,
    /// To the task list, leaving the section to finish later.
    Later,
    /// Back here with room for another budget line.
    AddLine,
    /// Back here with another year of the sustainability plan.
    AddYear,
    /// To this question's upload page.
    Upload(i64),
    /// Remove this question's file and come back.
    Remove(i64),
}

/// A section as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveSection {
    pub bid_id: i64,
    pub section_id: i64,
    /// The version the page was opened at (0: never saved): a save over a later one is
    /// refused, so no one overwrites a colleague's answers unseen.
    pub version: i64,
    pub answers: crate::domain::answers::Answers,
    /// "Have you completed this section?": yes, no, or not answered.
    pub completed: Option<bool>,
    pub next: Next,
}

/// What saving a section did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSaved {
    pub title: String,
    /// It is now marked completed.
    pub completed: bool,
    /// The name of the file removed, if one was.
    pub removed: Option<String>,
}

/// Why a section was not saved, or was saved with problems.
#[derive(Debug, thiserror::Error)]
pub enum SectionError {
    #[error(transparent)]
    Bid(#[from] BidError),
    #[error("Someone else saved this section after you opened it, so your answers have not been saved. Your answers are shown below: check them against the saved ones, then save again to replace them")]
    Stale,
    /// Saved as typed, but something needs fixing (completing it needs every answer right).
    #[error("there is a problem with the form")]
    Invalid(Vec<crate::error::FieldError>),
}

impl From<sqlx::Error> for SectionError {
    fn from(e: sqlx::Error) -> Self {
        SectionError::Bid(BidError::Database(e))
    }
}

impl From<SectionError> for AppError {
    fn from(e: SectionError) -> Self {
        match e {
            SectionError::Bid(e) => e.into(),
            SectionError::Invalid(errors) => AppError::Invalid(errors),
            SectionError::Stale => AppError::Conflict(e.to_string()),
        }
    }
}

/// Save a section as typed, then check it: everything typed is kept, even what does not
/// read yet, and the problems come back as field errors (after saving). Completing it needs
/// every answer right. A changed budget changes the amount asked for, and the
/// sustainability plan (whose seed grant must add up to it) is checked again.
pub async fn save_section(
    ctx: Ctx<'_>,
    actor: &Actor,
    cmd: SaveSection,
) -> Result<Done<SectionSaved>, SectionError> {
    use crate::domain::answers::{self, SectionContext};
    use crate::domain::round::SectionKind;
    let a = access(ctx, actor, cmd.bid_id).await?;
    a.check_can_change()?;
    let mut conn = ctx.pool.acquire().await?;
    let sections = db::rounds::sections(&mut conn, a.round.id).await?;
    let files = db::bids::files(&mut conn, a.bid.id).await?;
    drop(conn);
    let section = sections
        .iter()
        .find(|s| s.id == cmd.section_id)
        .ok_or(BidError::NotFound)?;
    let of_section = |q: i64| section.questions.iter().any(|(id, _)| *id == q);
    if let Next::Upload(q) | Next::Remove(q) = cmd.next {
        if !of_section(q) {
            return Err(BidError::NotFound.into());
        }
    }
    let d = &a.round.details;
    let context = SectionContext {
        funded_years: answers::funded_years(d.period_months),
        min_award: d.min_award,
        max_award: d.max_award,
        requested: a.bid.requested,
        files: files.iter().map(|f| f.question_id).collect(),
    };
    let mut typed = answers::clean(cmd.answers);
    if cmd.next == Next::AddYear && section.kind == SectionKind::Sustainability {
        let years = answers::plan_years(&typed, context.funded_years);
        typed.insert("years".into(), (years + 1).to_string());
    }
    let completing = cmd.next == Next::Continue && cmd.completed == Some(true);
    let mut errors = answers::check_section(
        section.kind,
        &section.questions,
        &typed,
        &context,
        completing,
    );
    if cmd.next == Next::Continue && cmd.completed.is_none() {
        errors.push(crate::error::FieldError::new(
            "completed",
            "Select whether you have completed this section",
        ));
    }
    let done = completing && errors.is_empty();
    let requested = match section.kind {
        SectionKind::Budget => answers::parse_budget(
            &typed,
            context.funded_years,
            (context.min_award, context.max_award),
            false,
        )
        .ok()
        .and_then(|b| b.requested),
        _ => a.bid.requested,
    };
    let (bid_id, now) = (a.bid.id, db::now());
    let mut tx = ctx.pool.begin().await?;
    let saved = db::bids::save_section(
        &mut tx,
        bid_id,
        section.id,
        cmd.version,
        &typed,
        done,
        actor.id,
        now,
    )
    .await?;
    if !saved {
        return Err(SectionError::Stale);
    }
    if section.kind == SectionKind::Budget && requested != a.bid.requested {
        db::bids::set_requested(&mut tx, bid_id, requested).await?;
        let plans = sections
            .iter()
            .filter(|s| s.kind == SectionKind::Sustainability);
        for plan in plans {
            db::bids::reopen_section(&mut tx, bid_id, plan.id).await?;
        }
    }
    let mut removed = None;
    if let Next::Remove(q) = cmd.next {
        if let Some(name) = db::bids::remove_file(&mut tx, bid_id, q).await? {
            let summary = format!("File removed: {name}");
            db::audit::entry(
                &mut tx,
                actor.id,
                "bid.file_removed",
                ("bid", bid_id),
                summary,
            )
            .await?;
            removed = Some(name);
        }
    }
    if done {
        let summary = format!("Section completed: {}", section.title);
        db::audit::entry(
            &mut tx,
            actor.id,
            "bid.section_completed",
            ("bid", bid_id),
            summary,
        )
        .await?;
    }
    tx.commit().await?;
    if !errors.is_empty() {
        return Err(SectionError::Invalid(errors));
    }
    Ok(Done {
        value: SectionSaved {
            title: section.title.clone(),
            completed: done,
            removed,
        },
        mail: Vec::new(),
    })
}
