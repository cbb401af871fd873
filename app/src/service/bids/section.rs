//! Saving a section of a bid as typed, and checking it.
use super::{access, context, BidError};
use crate::db;
use crate::error::AppError;
use crate::service::{Actor, Ctx, Done};

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

impl Next {
    /// The button pressed: "continue", "later", "add_line", "add_year", "upload_<question
    /// id>" or "remove_<question id>"; anything else saves for later.
    pub fn parse(then: &str) -> Next {
        let question = |prefix: &str| then.strip_prefix(prefix).and_then(|q| q.parse().ok());
        match then {
            "continue" => Next::Continue,
            "add_line" => Next::AddLine,
            "add_year" => Next::AddYear,
            _ => match (question("upload_"), question("remove_")) {
                (Some(q), _) => Next::Upload(q),
                (_, Some(q)) => Next::Remove(q),
                _ => Next::Later,
            },
        }
    }
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
    use crate::domain::answers;
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
    let context = context(&a, files.iter().map(|f| f.question_id).collect());
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

#[cfg(test)]
mod tests {
    use super::Next;

    #[test]
    fn the_button_pressed_says_where_to_go_next() {
        assert_eq!(Next::parse("continue"), Next::Continue);
        assert_eq!(Next::parse("add_year"), Next::AddYear);
        assert_eq!(Next::parse("upload_12"), Next::Upload(12));
        assert_eq!(Next::parse("remove_7"), Next::Remove(7));
        assert_eq!(Next::parse("upload_x"), Next::Later);
        assert_eq!(Next::parse(""), Next::Later);
    }
}
