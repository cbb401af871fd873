//! Moderation, decisions, and the funded schemes that awards create.
use crate::domain::assessment::ScoreStats;
use crate::domain::board::SignOff;
use crate::domain::decision::{Decision, Outcome};
use crate::domain::money::Pence;
use crate::domain::time::{Day, UtcTime};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

/// A submitted score, with who gave it.
#[derive(Debug, Clone)]
pub struct SubmittedScore {
    pub bid_id: i64,
    pub assessor: String,
    pub criterion_id: i64,
    pub score: Option<u32>,
    pub justification: String,
}

impl<'r> FromRow<'r, AnyRow> for SubmittedScore {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(SubmittedScore {
            bid_id: r.try_get("bid_id")?,
            assessor: r.try_get("full_name")?,
            criterion_id: r.try_get("criterion_id")?,
            // A blank score is stored as NULL; a stored score is 0 to 5.
            score: r
                .try_get::<Option<i64>, _>("score")?
                .and_then(|s| u32::try_from(s).ok()),
            justification: r.try_get("justification")?,
        })
    }
}

/// After the columns: `s.justification` (with the reasons) or `'' AS justification`.
const SUBMITTED_SCORES: &str =
    "SELECT s.bid_id, s.user_id, u.full_name, s.criterion_id, s.score, {reasons} FROM scores s
     JOIN assignments a ON a.bid_id = s.bid_id AND a.user_id = s.user_id
     JOIN round_criteria c ON c.id = s.criterion_id
     JOIN bids b ON b.id = s.bid_id JOIN users u ON u.id = s.user_id
     WHERE b.round_id = $1 AND {submitted}";

/// Every submitted score in a round. One query, whatever the number of bids.
pub async fn round_scores(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<SubmittedScore>, sqlx::Error> {
    submitted_scores(conn, round_id, None, true).await
}

/// The submitted scores of some of a round's bids (one page of the moderation list, or one
/// bid): one query. `reasons`: with each score's justification (a page of the list shows
/// only the scores: leaving the text out keeps the query light).
pub async fn scores_of_bids(
    conn: &mut AnyConnection,
    round_id: i64,
    bids: &[i64],
    reasons: bool,
) -> Result<Vec<SubmittedScore>, sqlx::Error> {
    if bids.is_empty() {
        return Ok(Vec::new());
    }
    submitted_scores(conn, round_id, Some(bids), reasons).await
}

/// A round's submitted scores, of every bid or of `bids` only.
async fn submitted_scores(
    conn: &mut AnyConnection,
    round_id: i64,
    bids: Option<&[i64]>,
    reasons: bool,
) -> Result<Vec<SubmittedScore>, sqlx::Error> {
    let columns = if reasons {
        "s.justification"
    } else {
        "'' AS justification"
    };
    // Ids are numbers, never user text: written into the statement as the list it needs.
    let only = bids
        .map(|ids| {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(" AND s.bid_id IN ({})", ids.join(","))
        })
        .unwrap_or_default();
    let select = SUBMITTED_SCORES
        .replace("{reasons}", columns)
        .replace("{submitted}", crate::db::assessment::SUBMITTED);
    sqlx::query_as(&format!(
        "{select}{only} ORDER BY s.bid_id, u.full_name, s.user_id"
    ))
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// One bid's submitted scores for one criterion, as kept summed up in `score_totals`
/// (db::assessment::refresh_score_totals). A blank score is not counted.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct CriterionStats {
    pub bid_id: i64,
    pub criterion_id: i64,
    #[sqlx(flatten)]
    pub stats: ScoreStats,
}

impl<'r> FromRow<'r, AnyRow> for ScoreStats {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let number = |name: &str| -> Result<u32, sqlx::Error> {
            Ok(u32::try_from(r.try_get::<i64, _>(name)?).unwrap_or(0))
        };
        Ok(ScoreStats {
            count: number("n")?,
            sum: number("total")?,
            min: number("low")?,
            max: number("high")?,
        })
    }
}

/// Each bid's submitted score statistics per criterion in a round.
pub async fn round_score_stats(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<CriterionStats>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.bid_id, t.criterion_id, t.scores AS n, t.total, t.lowest AS low, t.highest AS high
         FROM score_totals t JOIN bids b ON b.id = t.bid_id WHERE b.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// The score the moderators agreed for one criterion of a bid, and why.
#[derive(Debug, Clone, FromRow)]
pub struct ModeratedScore {
    pub bid_id: i64,
    pub criterion_id: i64,
    #[sqlx(try_from = "i64")]
    pub score: u32,
    pub note: String,
}

/// Moderated scores in a round.
pub async fn round_moderated(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<ModeratedScore>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.bid_id, m.criterion_id, m.score, m.note FROM moderated_scores m JOIN bids b ON b.id = m.bid_id
         WHERE b.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

pub async fn moderate(
    conn: &mut AnyConnection,
    bid_id: i64,
    criterion_id: i64,
    score: u32,
    note: &str,
    actor: i64,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moderated_scores (bid_id, criterion_id, score, note, moderated_by, moderated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (bid_id, criterion_id) DO UPDATE SET score = excluded.score, note = excluded.note,
         moderated_by = excluded.moderated_by, moderated_at = excluded.moderated_at",
    )
    .bind(bid_id)
    .bind(criterion_id)
    .bind(i64::from(score))
    .bind(note)
    .bind(actor)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A decision on one of a round's bids.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct RoundDecision {
    pub bid_id: i64,
    #[sqlx(try_from = "String")]
    pub outcome: Outcome,
    #[sqlx(rename = "amount_pence")]
    pub amount: Option<Pence>,
    #[sqlx(try_from = "String")]
    pub sign_off: SignOff,
}

/// Decisions in a round.
pub async fn round_decisions(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<RoundDecision>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.bid_id, d.outcome, d.amount_pence, d.sign_off FROM decisions d JOIN bids b ON b.id = d.bid_id WHERE b.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// Record a decision (replacing one not yet final: a final award, made by a commissioner
/// alone or signed off by every partner, is never replaced). A new decision clears the
/// partners' answers to an earlier recommendation. False when a final award stands.
pub async fn decide(
    conn: &mut AnyConnection,
    bid_id: i64,
    d: &Decision,
    sign_off: SignOff,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO decisions (bid_id, outcome, amount_pence, conditions, feedback, decided_by, decided_at, override_reason, sign_off, purpose, returns_every, meeting_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (bid_id) DO UPDATE SET outcome = excluded.outcome, amount_pence = excluded.amount_pence,
         conditions = excluded.conditions, feedback = excluded.feedback, decided_by = excluded.decided_by,
         decided_at = excluded.decided_at, override_reason = excluded.override_reason,
         sign_off = excluded.sign_off, purpose = excluded.purpose, returns_every = excluded.returns_every,
         meeting_id = excluded.meeting_id
         WHERE NOT (decisions.outcome = 'award' AND decisions.sign_off IN ('none', 'signed'))",
    )
    .bind(bid_id)
    .bind(d.outcome.code())
    .bind(d.amount)
    .bind(&d.conditions)
    .bind(&d.feedback)
    .bind(actor)
    .bind(now)
    .bind(&d.override_reason)
    .bind(sign_off.code())
    .bind(&d.purpose)
    .bind(i64::from(d.returns_every))
    .bind(d.meeting_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM sign_offs WHERE bid_id = $1")
        .bind(bid_id)
        .execute(conn)
        .await?;
    Ok(true)
}

/// A decision as recorded, with what an award needs when it is made at sign-off.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub decision: Decision,
    pub sign_off: SignOff,
    pub decided_at: UtcTime,
}

/// The decision recorded on a bid, in full.
pub async fn recorded(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Option<Recorded>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT outcome, amount_pence, conditions, feedback, override_reason, sign_off, purpose,
                returns_every, decided_at, meeting_id
         FROM decisions WHERE bid_id = $1",
    )
    .bind(bid_id)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let coded = |e: crate::domain::coded::UnknownCode| sqlx::Error::Decode(Box::new(e));
    let outcome: String = r.try_get("outcome")?;
    let sign_off: String = r.try_get("sign_off")?;
    let every: i64 = r.try_get("returns_every")?;
    Ok(Some(Recorded {
        decision: Decision {
            outcome: Outcome::from_stored(outcome).map_err(coded)?,
            amount: r.try_get("amount_pence")?,
            conditions: r.try_get("conditions")?,
            purpose: r.try_get("purpose")?,
            feedback: r.try_get("feedback")?,
            returns_every: u32::try_from(every).unwrap_or(3),
            override_reason: r.try_get("override_reason")?,
            meeting_id: r.try_get("meeting_id")?,
        },
        sign_off: SignOff::from_stored(sign_off).map_err(coded)?,
        decided_at: r.try_get("decided_at")?,
    }))
}

/// A tranche of the scheme a bid's award created.
#[derive(Debug, Clone, FromRow)]
pub struct BidTranche {
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    #[sqlx(try_from = "Day")]
    pub due_on: NaiveDate,
    pub milestone: String,
    #[sqlx(try_from = "String")]
    pub status: crate::domain::monitoring::TrancheStatus,
}

/// The tranches of the scheme a bid's award created, in order.
pub async fn tranches_of_bid(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Vec<BidTranche>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.amount_pence, t.due_on, t.milestone, t.status FROM tranches t JOIN schemes s ON s.id = t.scheme_id
         WHERE s.bid_id = $1 ORDER BY t.position",
    )
    .bind(bid_id)
    .fetch_all(conn)
    .await
}

/// The assessors assigned to a bid who have not submitted scores for it, by name (one who
/// declared a conflict is not waited for: they never score it).
pub async fn awaiting_scores(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.full_name FROM assignments a JOIN users u ON u.id = a.user_id
         JOIN bids b ON b.id = a.bid_id
         JOIN round_assessors ra ON ra.round_id = b.round_id AND ra.user_id = a.user_id
         WHERE a.bid_id = $1
           AND (a.submitted_at IS NULL
                OR (a.interview_submitted_at IS NULL
                    AND EXISTS (SELECT 1 FROM interviews i WHERE i.bid_id = a.bid_id)
                    AND EXISTS (SELECT 1 FROM round_criteria c WHERE c.round_id = b.round_id
                                AND c.stage = 'interview' AND c.interview_panel IN ('both', ra.panel))))
           AND COALESCE((SELECT d.conflict FROM declarations d
                         WHERE d.bid_id = a.bid_id AND d.user_id = a.user_id
                         ORDER BY d.id DESC LIMIT 1), 0) = 0
         ORDER BY u.full_name",
    )
    .bind(bid_id)
    .fetch_all(conn)
    .await
}

/// One criterion of a bid as its fundability is judged: the criterion's minimum score, the
/// agreed score if there is one, and the submitted scores' count and sum.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct CriterionStanding {
    pub min_score: Option<i64>,
    pub agreed: Option<i64>,
    pub scores: i64,
    pub total: i64,
}

/// Each of the round's criteria for one bid (one query).
pub async fn standing_of_bid(
    conn: &mut AnyConnection,
    round_id: i64,
    bid_id: i64,
) -> Result<Vec<CriterionStanding>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.min_score, m.score AS agreed,
            CAST(COALESCE(t.scores, 0) AS BIGINT) AS scores, CAST(COALESCE(t.total, 0) AS BIGINT) AS total
         FROM round_criteria c
         LEFT JOIN score_totals t ON t.criterion_id = c.id AND t.bid_id = $2
         LEFT JOIN moderated_scores m ON m.criterion_id = c.id AND m.bid_id = $2
         WHERE c.round_id = $1 ORDER BY c.position",
    )
    .bind(round_id)
    .bind(bid_id)
    .fetch_all(conn)
    .await
}

/// The awards in a round of bids below a criterion's minimum score: (organisation, amount,
/// the reason recorded).
pub async fn round_overrides(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<(String, Pence, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.name, d.amount_pence, d.override_reason FROM decisions d
         JOIN bids b ON b.id = d.bid_id JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND d.outcome = 'award' AND d.override_reason <> '' ORDER BY o.name",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let amount: Option<Pence> = r.try_get("amount_pence")?;
            Ok((
                r.try_get("name")?,
                amount.unwrap_or_default(),
                r.try_get("override_reason")?,
            ))
        })
        .collect()
}
