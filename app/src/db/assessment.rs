//! Panels, assignments, declarations of interest and scores.
use super::types::Flag;
use crate::domain::assessment::{AssignmentStatus, ConflictNature, Declaration};
use crate::domain::round::Panel;
use crate::domain::time::UtcTime;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

/// Someone appointed to one of a round's panels.
#[derive(Debug, Clone, FromRow)]
pub struct PanelMember {
    #[sqlx(rename = "id")]
    pub user_id: i64,
    pub full_name: String,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub panel: Panel,
}

/// A round's assessors, by panel and name.
pub async fn panel(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<PanelMember>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, a.panel FROM round_assessors a JOIN users u ON u.id = a.user_id
         WHERE a.round_id = $1 ORDER BY a.panel, u.full_name, u.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// Replace a round's panels with these appointments.
pub async fn set_panel(
    conn: &mut AnyConnection,
    round_id: i64,
    members: &[(i64, Panel)],
    actor: i64,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM round_assessors WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    for (user_id, panel) in members {
        sqlx::query(
            "INSERT INTO round_assessors (round_id, user_id, panel, appointed_by, appointed_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(round_id)
        .bind(user_id)
        .bind(panel.code())
        .bind(actor)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Run a statement on one assignment (`$1` bid, `$2` assessor, `$3` the time, if given);
/// true when it changed a row.
async fn on_assignment(
    conn: &mut AnyConnection,
    sql: &str,
    bid_id: i64,
    user_id: i64,
    now: Option<UtcTime>,
) -> Result<bool, sqlx::Error> {
    let mut query = sqlx::query(sql).bind(bid_id).bind(user_id);
    if let Some(now) = now {
        query = query.bind(now);
    }
    Ok(query.execute(conn).await?.rows_affected() == 1)
}

/// Assign a bid to an assessor; false when it already was.
pub async fn assign(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    on_assignment(
        conn,
        "INSERT INTO assignments (bid_id, user_id, assigned_at) VALUES ($1, $2, $3) ON CONFLICT (bid_id, user_id) DO NOTHING",
        bid_id,
        user_id,
        Some(now),
    )
    .await
}

/// Remove an assignment that has no scores submitted.
pub async fn unassign(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    on_assignment(
        conn,
        "DELETE FROM assignments WHERE bid_id = $1 AND user_id = $2 AND submitted_at IS NULL",
        bid_id,
        user_id,
        None,
    )
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct MyAssignment {
    pub bid_id: i64,
    pub round_id: i64,
    #[sqlx(rename = "title")]
    pub round_title: String,
    #[sqlx(rename = "name")]
    pub organisation_name: String,
    pub reference: Option<String>,
    #[sqlx(try_from = "String")]
    pub panel: Panel,
    /// The latest declaration: None before one is made; a conflict or not.
    pub conflict: Option<Flag>,
    pub submitted_at: Option<UtcTime>,
    pub interview_submitted_at: Option<UtcTime>,
    /// Shortlisted: when the interview is.
    pub interview_at: Option<UtcTime>,
    /// How many of the round's criteria this assessor's panel scores at an interview.
    pub interview_criteria: i64,
}

impl MyAssignment {
    pub fn status(&self) -> AssignmentStatus {
        AssignmentStatus::of(self.conflict.map(bool::from), self.submitted_at.is_some())
    }

    /// Shortlisted, this assessor's panel scores criteria at the interview, and their
    /// interview scores are not submitted (whether or not it has taken place).
    pub fn interview_pending(&self) -> bool {
        self.status() != AssignmentStatus::ConflictDeclared
            && self.interview_criteria > 0
            && self.interview_at.is_some()
            && self.interview_submitted_at.is_none()
    }
}

/// An assessor's assignments across rounds, with their latest declaration.
pub async fn for_assessor(pool: &AnyPool, user_id: i64) -> Result<Vec<MyAssignment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.bid_id, b.round_id, r.title, o.name, b.reference, ra.panel, a.submitted_at,
            a.interview_submitted_at, i.held_at AS interview_at,
            (SELECT d.conflict FROM declarations d WHERE d.bid_id = a.bid_id AND d.user_id = a.user_id
             ORDER BY d.id DESC LIMIT 1) AS conflict,
            (SELECT CAST(COUNT(*) AS BIGINT) FROM round_criteria c WHERE c.round_id = b.round_id
             AND c.stage = 'interview' AND c.interview_panel IN ('both', ra.panel)) AS interview_criteria
         FROM assignments a JOIN bids b ON b.id = a.bid_id JOIN rounds r ON r.id = b.round_id
         JOIN organisations o ON o.id = b.organisation_id
         JOIN round_assessors ra ON ra.round_id = b.round_id AND ra.user_id = a.user_id
         LEFT JOIN interviews i ON i.bid_id = a.bid_id
         WHERE a.user_id = $1 ORDER BY b.round_id DESC, b.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// One assessor's assignment to one bid.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct Assignment {
    #[sqlx(try_from = "String")]
    pub panel: Panel,
    /// The latest declaration's id, none before one is made.
    pub declaration: Option<i64>,
    /// Whether the latest declaration is of a conflict.
    pub conflict: Option<Flag>,
    pub submitted_at: Option<UtcTime>,
    /// The interview criteria's scores, submitted apart from the written ones.
    pub interview_submitted_at: Option<UtcTime>,
}

impl Assignment {
    /// The latest declaration: its id, and whether it is of a conflict.
    pub fn declared(&self) -> Option<(i64, bool)> {
        self.declaration.zip(self.conflict.map(bool::from))
    }

    pub fn has_conflict(&self) -> bool {
        self.declared().is_some_and(|(_, conflict)| conflict)
    }

    pub fn submitted(&self) -> bool {
        self.submitted_at.is_some()
    }

    pub fn status(&self) -> AssignmentStatus {
        AssignmentStatus::of(self.declared().map(|d| d.1), self.submitted())
    }
}

/// One assessor's assignment to one bid, if there is one.
pub async fn assignment(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ra.panel, a.submitted_at, a.interview_submitted_at,
            (SELECT d.id FROM declarations d WHERE d.bid_id = a.bid_id AND d.user_id = a.user_id ORDER BY d.id DESC LIMIT 1) AS declaration,
            (SELECT d.conflict FROM declarations d WHERE d.bid_id = a.bid_id AND d.user_id = a.user_id ORDER BY d.id DESC LIMIT 1) AS conflict
         FROM assignments a JOIN bids b ON b.id = a.bid_id
         JOIN round_assessors ra ON ra.round_id = b.round_id AND ra.user_id = a.user_id
         WHERE a.bid_id = $1 AND a.user_id = $2",
    )
    .bind(bid_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// Record a declaration (superseding `supersedes`, if given, with a reason).
#[allow(clippy::too_many_arguments)]
pub async fn declare(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
    declaration: &Declaration,
    supersedes: Option<i64>,
    reason: &str,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let (conflict, nature, description) = match declaration {
        Declaration::NoConflict => (0i64, "", ""),
        Declaration::Conflict {
            nature,
            description,
        } => (1, nature.code(), description.as_str()),
    };
    sqlx::query_scalar(
        "INSERT INTO declarations (bid_id, user_id, conflict, nature, description, supersedes, reason, declared_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(bid_id)
    .bind(user_id)
    .bind(conflict)
    .bind(nature)
    .bind(description)
    .bind(supersedes)
    .bind(reason)
    .bind(now)
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone)]
pub struct InterestRow {
    pub declared_at: UtcTime,
    pub assessor: String,
    pub organisation: String,
    pub reference: Option<String>,
    pub conflict: bool,
    pub nature: Option<ConflictNature>,
    pub description: String,
    pub reason: String,
    pub superseded: bool,
}

impl<'r> FromRow<'r, AnyRow> for InterestRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(InterestRow {
            declared_at: r.try_get("declared_at")?,
            assessor: r.try_get("full_name")?,
            organisation: r.try_get("name")?,
            reference: r.try_get("reference")?,
            conflict: r.try_get::<Flag, _>("conflict")?.0,
            // Stored empty for a declaration of no conflict.
            nature: ConflictNature::from_code(&r.try_get::<String, _>("nature")?),
            description: r.try_get("description")?,
            reason: r.try_get("reason")?,
            superseded: r.try_get::<i64, _>("later")? > 0,
        })
    }
}

/// The register of interests for a round: every declaration, newest first.
pub async fn interests(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<InterestRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.declared_at, u.full_name, o.name, b.reference, d.conflict, d.nature, d.description, d.reason,
            (SELECT COUNT(*) FROM declarations n WHERE n.supersedes = d.id) AS later
         FROM declarations d JOIN users u ON u.id = d.user_id JOIN bids b ON b.id = d.bid_id
         JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 ORDER BY d.id DESC",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// One assessor's score for one criterion of a bid (blank until scored).
#[derive(Debug, Clone, FromRow)]
pub struct ScoreRow {
    #[sqlx(default)]
    pub user_id: i64,
    #[sqlx(default)]
    pub full_name: String,
    pub criterion_id: i64,
    pub score: Option<i64>,
    pub justification: String,
}

impl ScoreRow {
    /// The score given, 0 to 5; none while blank.
    pub fn score(&self) -> Option<u32> {
        self.score.and_then(|s| u32::try_from(s).ok())
    }
}

/// An assessor's scores for a bid.
pub async fn scores_of(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
) -> Result<Vec<ScoreRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT criterion_id, score, justification FROM scores WHERE bid_id = $1 AND user_id = $2",
    )
    .bind(bid_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Save a draft score (while the assessor has not submitted).
pub async fn save_score(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
    criterion_id: i64,
    score: Option<u32>,
    justification: &str,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scores (bid_id, user_id, criterion_id, score, justification, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (bid_id, user_id, criterion_id) DO UPDATE SET score = excluded.score,
         justification = excluded.justification, updated_at = excluded.updated_at",
    )
    .bind(bid_id)
    .bind(user_id)
    .bind(criterion_id)
    .bind(score.map(i64::from))
    .bind(justification)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Lock the assessor's scores for a bid; false when they already were. The first statement
/// of its transaction, so two submissions cannot both pass. The caller saves the scores
/// after it, then calls [`refresh_score_totals`] before committing.
pub async fn submit(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    on_assignment(
        conn,
        "UPDATE assignments SET submitted_at = $3 WHERE bid_id = $1 AND user_id = $2 AND submitted_at IS NULL",
        bid_id,
        user_id,
        Some(now),
    )
    .await
}

/// Lock the assessor's interview scores for a bid; false when they already were. The first
/// statement of its transaction, as [`submit`].
pub async fn submit_interview(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    on_assignment(
        conn,
        "UPDATE assignments SET interview_submitted_at = $3 WHERE bid_id = $1 AND user_id = $2 AND interview_submitted_at IS NULL",
        bid_id,
        user_id,
        Some(now),
    )
    .await
}

/// Unlock submitted scores, written and interview (a commissioner, with a reason recorded in
/// the audit log).
pub async fn reopen(
    conn: &mut AnyConnection,
    bid_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    if !on_assignment(
        &mut *conn,
        "UPDATE assignments SET submitted_at = NULL, interview_submitted_at = NULL
         WHERE bid_id = $1 AND user_id = $2 AND (submitted_at IS NOT NULL OR interview_submitted_at IS NOT NULL)",
        bid_id,
        user_id,
        None,
    )
    .await?
    {
        return Ok(false);
    }
    refresh_score_totals(conn, bid_id).await?;
    Ok(true)
}

/// A score counts once it is submitted: a written criterion's with the assessor's written
/// scores, an interview criterion's with their interview scores (`s` scores, `a`
/// assignments, `c` criteria).
pub(crate) const SUBMITTED: &str =
    "((c.stage = 'interview' AND a.interview_submitted_at IS NOT NULL)
    OR (c.stage <> 'interview' AND a.submitted_at IS NOT NULL))";

/// Rewrite a bid's kept score totals (the `score_totals` table the moderation ranking reads)
/// from its submitted scores, in the transaction that submits or reopens some of them.
pub async fn refresh_score_totals(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM score_totals WHERE bid_id = $1")
        .bind(bid_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO score_totals (bid_id, criterion_id, scores, total, lowest, highest)
         SELECT s.bid_id, s.criterion_id, COUNT(s.score), CAST(COALESCE(SUM(s.score), 0) AS BIGINT),
            COALESCE(MIN(s.score), 0), COALESCE(MAX(s.score), 0)
         FROM scores s JOIN assignments a ON a.bid_id = s.bid_id AND a.user_id = s.user_id
         JOIN round_criteria c ON c.id = s.criterion_id
         WHERE s.bid_id = $1 AND {SUBMITTED} GROUP BY s.bid_id, s.criterion_id"
    ))
    .bind(bid_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every assessor's submitted scores for a bid, with who gave them.
pub async fn submitted_scores(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Vec<ScoreRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT s.user_id, u.full_name, s.criterion_id, s.score, s.justification FROM scores s
         JOIN assignments a ON a.bid_id = s.bid_id AND a.user_id = s.user_id
         JOIN round_criteria c ON c.id = s.criterion_id
         JOIN users u ON u.id = s.user_id WHERE s.bid_id = $1 AND {SUBMITTED} ORDER BY u.full_name, s.criterion_id"
    ))
    .bind(bid_id)
    .fetch_all(conn)
    .await
}

/// An assignment in a round, with its state.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct AssignmentState {
    pub bid_id: i64,
    pub user_id: i64,
    /// The latest declaration: none before one is made; a conflict or not.
    pub conflict: Option<Flag>,
    pub submitted_at: Option<UtcTime>,
}

impl AssignmentState {
    pub fn status(&self) -> AssignmentStatus {
        AssignmentStatus::of(self.conflict.map(bool::from), self.submitted_at.is_some())
    }

    pub fn has_conflict(&self) -> bool {
        self.conflict.is_some_and(bool::from)
    }
}

/// Every assignment in a round with its state.
pub async fn round_statuses(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<AssignmentState>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.bid_id, a.user_id, a.submitted_at,
            (SELECT d.conflict FROM declarations d WHERE d.bid_id = a.bid_id AND d.user_id = a.user_id
             ORDER BY d.id DESC LIMIT 1) AS conflict
         FROM assignments a JOIN bids b ON b.id = a.bid_id WHERE b.round_id = $1 ORDER BY a.bid_id, a.user_id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}
