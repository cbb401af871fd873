//! Funding rounds, their gaps, questionnaire sections and questions, and scoring criteria.
use super::types::Flag;
use crate::domain::money::Pence;
use crate::domain::round::{
    Criterion, LegalForm, Panel, Question, QuestionType, RoundDetails, RoundStatus, SectionKind,
};
use crate::domain::time::to_db;
use crate::domain::time::Day;
use crate::domain::time::UtcTime;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database").into())
}

#[derive(Debug, Clone)]
pub struct RoundRow {
    pub id: i64,
    pub fund_id: Option<i64>,
    pub details: RoundDetails,
    pub status: RoundStatus,
    pub version: i64,
    pub reserved: Pence,
    pub awarded: Pence,
}

impl RoundRow {
    /// Where the round stands at `now`: its stored status, overtaken by the clock once it
    /// opens or closes (domain::round::phase).
    pub fn phase_at(&self, now: DateTime<Utc>) -> RoundStatus {
        crate::domain::round::phase(
            self.status,
            self.details.opens_at,
            self.details.closes_at,
            now,
        )
    }
}

const ROUND_COLUMNS: &str = "id, fund_id, title, summary, guidance, envelope_pence, min_award_pence, max_award_pence,
    period_months, legal_forms, max_income_pence, area_served, opens_at, closes_at, decision_expected, invited_only,
    status, version, reserved_pence, awarded_pence";

/// A round's details as stored (the legal forms as a comma-separated list of codes).
impl<'r> FromRow<'r, AnyRow> for RoundDetails {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let legal: String = r.try_get("legal_forms")?;
        Ok(RoundDetails {
            title: r.try_get("title")?,
            summary: r.try_get("summary")?,
            guidance: r.try_get("guidance")?,
            envelope: r.try_get("envelope_pence")?,
            min_award: r.try_get("min_award_pence")?,
            max_award: r.try_get("max_award_pence")?,
            period_months: u32::try_from(r.try_get::<i64, _>("period_months")?)
                .map_err(|_| decode("period"))?,
            legal_forms: legal.split(',').filter_map(LegalForm::from_code).collect(),
            max_income: r.try_get("max_income_pence")?,
            area_served: r.try_get("area_served")?,
            opens_at: r.try_get::<UtcTime, _>("opens_at")?.0,
            closes_at: r.try_get::<UtcTime, _>("closes_at")?.0,
            decision_expected: r.try_get::<Day, _>("decision_expected")?.0,
            invited_only: r.try_get::<Flag, _>("invited_only")?.0,
        })
    }
}

impl<'r> FromRow<'r, AnyRow> for RoundRow {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(RoundRow {
            id: r.try_get("id")?,
            fund_id: r.try_get("fund_id")?,
            details: RoundDetails::from_row(r)?,
            status: RoundStatus::from_stored(r.try_get("status")?).map_err(|_| decode("status"))?,
            version: r.try_get("version")?,
            reserved: r.try_get("reserved_pence")?,
            awarded: r.try_get("awarded_pence")?,
        })
    }
}

fn round_from_row(r: &AnyRow) -> Result<RoundRow, sqlx::Error> {
    RoundRow::from_row(r)
}

fn legal_text(d: &RoundDetails) -> String {
    d.legal_forms
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(",")
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Bind a round's details as $1 to $14, in the column order both statements use.
fn bind_details<'q>(query: AnyQuery<'q>, d: &'q RoundDetails) -> AnyQuery<'q> {
    query
        .bind(&d.title)
        .bind(&d.summary)
        .bind(&d.guidance)
        .bind(d.envelope.0)
        .bind(d.min_award.0)
        .bind(d.max_award.0)
        .bind(i64::from(d.period_months))
        .bind(legal_text(d))
        .bind(d.max_income.map(|p| p.0))
        .bind(&d.area_served)
        .bind(to_db(d.opens_at))
        .bind(to_db(d.closes_at))
        .bind(d.decision_expected.format("%Y-%m-%d").to_string())
        .bind(i64::from(d.invited_only))
}

/// A new draft round with the built-in sections and the default sustainability criterion.
pub async fn insert_round(
    conn: &mut AnyConnection,
    d: &RoundDetails,
    gap_ids: &[i64],
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let id: i64 = bind_details(sqlx::query(
        "INSERT INTO rounds (title, summary, guidance, envelope_pence, min_award_pence, max_award_pence, period_months,
         legal_forms, max_income_pence, area_served, opens_at, closes_at, decision_expected, invited_only, status,
         created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'draft', $15, $16, $16) RETURNING id",
    ), d)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    set_gaps(&mut *conn, id, gap_ids).await?;
    let mut sustainability_section = 0;
    for (i, kind) in SectionKind::BUILT_IN.iter().enumerate() {
        let section = insert_section(
            &mut *conn,
            id,
            i as i64 + 1,
            *kind,
            kind.label(),
            Panel::Board,
        )
        .await?;
        if *kind == SectionKind::Sustainability {
            sustainability_section = section;
        }
    }
    insert_criterion(
        &mut *conn,
        id,
        &Criterion::sustainability(),
        &[sustainability_section],
    )
    .await?;
    Ok(id)
}

pub async fn update_details(
    conn: &mut AnyConnection,
    id: i64,
    d: &RoundDetails,
    gap_ids: &[i64],
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    bind_details(sqlx::query(
        "UPDATE rounds SET title = $1, summary = $2, guidance = $3, envelope_pence = $4, min_award_pence = $5,
         max_award_pence = $6, period_months = $7, legal_forms = $8, max_income_pence = $9, area_served = $10,
         opens_at = $11, closes_at = $12, decision_expected = $13, invited_only = $14, updated_at = $15 WHERE id = $16",
    ), d)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    set_gaps(conn, id, gap_ids).await
}

async fn set_gaps(conn: &mut AnyConnection, id: i64, gap_ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM round_gaps WHERE round_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for gap in gap_ids {
        sqlx::query("INSERT INTO round_gaps (round_id, gap_id) VALUES ($1, $2)")
            .bind(id)
            .bind(gap)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Take the round's row lock and check it is still a draft. Call first in a transaction
/// that changes the questionnaire or criteria, so a publish cannot slip in between.
pub async fn lock_draft(
    conn: &mut AnyConnection,
    id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE rounds SET updated_at = $1 WHERE id = $2 AND status = 'draft' RETURNING id",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

pub async fn round(conn: &mut AnyConnection, id: i64) -> Result<Option<RoundRow>, sqlx::Error> {
    let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(round_from_row)
        .transpose()
}

pub async fn gap_ids(conn: &mut AnyConnection, round_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT gap_id FROM round_gaps WHERE round_id = $1 ORDER BY gap_id")
        .bind(round_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| r.try_get("gap_id")).collect()
}

/// Every round, newest first (commissioners).
pub async fn all(pool: &AnyPool) -> Result<Vec<RoundRow>, sqlx::Error> {
    let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds ORDER BY id DESC LIMIT 500");
    let rows = sqlx::query(&sql).fetch_all(pool).await?;
    rows.iter().map(round_from_row).collect()
}

/// Published rounds that have not closed at `now`, soonest closing first (the public list).
pub async fn open_and_upcoming(pool: &AnyPool, now: UtcTime) -> Result<Vec<RoundRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ROUND_COLUMNS} FROM rounds WHERE status IN ('published', 'open') AND closes_at > $1
         ORDER BY closes_at, id LIMIT 200"
    );
    let rows = sqlx::query(&sql).bind(now).fetch_all(pool).await?;
    rows.iter().map(round_from_row).collect()
}

/// The rounds that address a gap: (id, title, status code).
pub async fn for_gap(
    pool: &AnyPool,
    gap_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.title, r.status FROM rounds r JOIN round_gaps g ON g.round_id = r.id
         WHERE g.gap_id = $1 ORDER BY r.id DESC",
    )
    .bind(gap_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("title")?, r.try_get("status")?)))
        .collect()
}

#[derive(Debug, Clone)]
pub struct SectionRow {
    pub id: i64,
    pub position: i64,
    pub kind: SectionKind,
    pub title: String,
    pub panel: Panel,
    pub questions: Vec<(i64, Question)>,
}

pub async fn insert_section(
    conn: &mut AnyConnection,
    round_id: i64,
    position: i64,
    kind: SectionKind,
    title: &str,
    panel: Panel,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO round_sections (round_id, position, kind, title, panel) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(round_id)
    .bind(position)
    .bind(kind.code())
    .bind(title)
    .bind(panel.code())
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Add a section of questions after the others.
pub async fn append_section(
    conn: &mut AnyConnection,
    round_id: i64,
    title: &str,
    panel: Panel,
) -> Result<i64, sqlx::Error> {
    let next: i64 = sqlx::query(
        "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) AS next FROM round_sections WHERE round_id = $1",
    )
    .bind(round_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("next")?;
    insert_section(conn, round_id, next, SectionKind::Custom, title, panel).await
}

pub async fn update_section(
    conn: &mut AnyConnection,
    round_id: i64,
    section_id: i64,
    title: &str,
    panel: Panel,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE round_sections SET title = CASE WHEN kind = 'custom' THEN $1 ELSE title END, panel = $2
         WHERE id = $3 AND round_id = $4",
    )
    .bind(title)
    .bind(panel.code())
    .bind(section_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remove a section of questions (built-in sections stay).
pub async fn delete_section(
    conn: &mut AnyConnection,
    round_id: i64,
    section_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "DELETE FROM round_questions WHERE section_id IN
         (SELECT id FROM round_sections WHERE id = $1 AND round_id = $2 AND kind = 'custom')",
    )
    .bind(section_id)
    .bind(round_id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "DELETE FROM round_sections WHERE id = $1 AND round_id = $2 AND kind = 'custom'",
    )
    .bind(section_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Swap a row's position with its neighbour in `table` (up: -1, down: +1) within `scope`.
async fn swap(
    conn: &mut AnyConnection,
    table: &str,
    scope_column: &str,
    scope: i64,
    id: i64,
    direction: i64,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT id, position FROM {table} WHERE {scope_column} = $1 ORDER BY position, id"
    ))
    .bind(scope)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<(i64, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("position")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let Some(i) = ids.iter().position(|(row, _)| *row == id) else {
        return Ok(());
    };
    let j = i as i64 + direction;
    if j < 0 || j >= ids.len() as i64 {
        return Ok(());
    }
    let (a, b) = (ids[i], ids[j as usize]);
    for (row, position) in [(a.0, b.1), (b.0, a.1)] {
        sqlx::query(&format!("UPDATE {table} SET position = $1 WHERE id = $2"))
            .bind(position)
            .bind(row)
            .execute(&mut *conn)
            .await?;
    }
    // Equal positions (never written by this code, but harmless): renumber in order.
    if a.1 == b.1 {
        for (n, (row, _)) in ids.iter().enumerate() {
            let position = if *row == a.0 {
                j
            } else if *row == b.0 {
                i as i64
            } else {
                n as i64
            };
            sqlx::query(&format!("UPDATE {table} SET position = $1 WHERE id = $2"))
                .bind(position + 1)
                .bind(row)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

pub async fn move_section(
    conn: &mut AnyConnection,
    round_id: i64,
    section_id: i64,
    direction: i64,
) -> Result<(), sqlx::Error> {
    swap(
        conn,
        "round_sections",
        "round_id",
        round_id,
        section_id,
        direction,
    )
    .await
}

pub async fn move_question(
    conn: &mut AnyConnection,
    section_id: i64,
    question_id: i64,
    direction: i64,
) -> Result<(), sqlx::Error> {
    swap(
        conn,
        "round_questions",
        "section_id",
        section_id,
        question_id,
        direction,
    )
    .await
}

pub async fn move_criterion(
    conn: &mut AnyConnection,
    round_id: i64,
    criterion_id: i64,
    direction: i64,
) -> Result<(), sqlx::Error> {
    swap(
        conn,
        "round_criteria",
        "round_id",
        round_id,
        criterion_id,
        direction,
    )
    .await
}

/// The round's sections in order, each with its questions in order.
pub async fn sections(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<SectionRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, position, kind, title, panel FROM round_sections WHERE round_id = $1 ORDER BY position, id",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut sections: Vec<SectionRow> = rows
        .iter()
        .map(|r| {
            Ok(SectionRow {
                id: r.try_get("id")?,
                position: r.try_get("position")?,
                kind: SectionKind::from_code(&r.try_get::<String, _>("kind")?)
                    .ok_or_else(|| decode("section kind"))?,
                title: r.try_get("title")?,
                panel: Panel::from_code(&r.try_get::<String, _>("panel")?)
                    .ok_or_else(|| decode("panel"))?,
                questions: vec![],
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let questions = sqlx::query(
        "SELECT q.id, q.section_id, q.label, q.hint, q.qtype, q.required, q.word_limit, q.options
         FROM round_questions q JOIN round_sections s ON s.id = q.section_id
         WHERE s.round_id = $1 ORDER BY q.position, q.id",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in &questions {
        let section_id: i64 = r.try_get("section_id")?;
        let options: String = r.try_get("options")?;
        let question = Question {
            label: r.try_get("label")?,
            hint: r.try_get("hint")?,
            qtype: QuestionType::from_code(&r.try_get::<String, _>("qtype")?)
                .ok_or_else(|| decode("question type"))?,
            required: r.try_get::<i64, _>("required")? != 0,
            word_limit: r
                .try_get::<Option<i64>, _>("word_limit")?
                .and_then(|n| u32::try_from(n).ok()),
            options: options
                .lines()
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        };
        if let Some(section) = sections.iter_mut().find(|s| s.id == section_id) {
            section.questions.push((r.try_get("id")?, question));
        }
    }
    Ok(sections)
}

/// Add a question at the end of a section of this round. False when the section is not the round's.
pub async fn add_question(
    conn: &mut AnyConnection,
    round_id: i64,
    section_id: i64,
    q: &Question,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO round_questions (section_id, position, label, hint, qtype, required, word_limit, options)
         SELECT s.id, COALESCE((SELECT MAX(position) FROM round_questions WHERE section_id = s.id), 0) + 1,
                $1, $2, $3, $4, $5, $6
         FROM round_sections s WHERE s.id = $7 AND s.round_id = $8 AND s.kind = 'custom'",
    )
    .bind(&q.label)
    .bind(&q.hint)
    .bind(q.qtype.code())
    .bind(i64::from(q.required))
    .bind(q.word_limit.map(i64::from))
    .bind(q.options.join("\n"))
    .bind(section_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update_question(
    conn: &mut AnyConnection,
    round_id: i64,
    question_id: i64,
    q: &Question,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE round_questions SET label = $1, hint = $2, qtype = $3, required = $4, word_limit = $5, options = $6
         WHERE id = $7 AND section_id IN (SELECT id FROM round_sections WHERE round_id = $8)",
    )
    .bind(&q.label)
    .bind(&q.hint)
    .bind(q.qtype.code())
    .bind(i64::from(q.required))
    .bind(q.word_limit.map(i64::from))
    .bind(q.options.join("\n"))
    .bind(question_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_question(
    conn: &mut AnyConnection,
    round_id: i64,
    question_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM round_questions WHERE id = $1 AND section_id IN (SELECT id FROM round_sections WHERE round_id = $2)",
    )
    .bind(question_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The section a question of this round belongs to.
pub async fn question_section(
    conn: &mut AnyConnection,
    round_id: i64,
    question_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query(
        "SELECT q.section_id FROM round_questions q JOIN round_sections s ON s.id = q.section_id
         WHERE q.id = $1 AND s.round_id = $2",
    )
    .bind(question_id)
    .bind(round_id)
    .fetch_optional(conn)
    .await?
    .map(|r| r.try_get("section_id"))
    .transpose()
}

#[derive(Debug, Clone)]
pub struct CriterionRow {
    pub id: i64,
    pub criterion: Criterion,
    pub section_ids: Vec<i64>,
}

fn ids_text(ids: &[i64]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn insert_criterion(
    conn: &mut AnyConnection,
    round_id: i64,
    c: &Criterion,
    section_ids: &[i64],
) -> Result<i64, sqlx::Error> {
    let descriptors =
        serde_json::to_string(&c.descriptors).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO round_criteria (round_id, position, name, guidance, weight, min_score, descriptors, section_ids)
         SELECT $1, COALESCE((SELECT MAX(position) FROM round_criteria WHERE round_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7
         RETURNING id",
    )
    .bind(round_id)
    .bind(&c.name)
    .bind(&c.guidance)
    .bind(i64::from(c.weight))
    .bind(c.min_score.map(i64::from))
    .bind(descriptors)
    .bind(ids_text(section_ids))
    .fetch_one(conn)
    .await?
    .try_get("id")
}

pub async fn update_criterion(
    conn: &mut AnyConnection,
    round_id: i64,
    criterion_id: i64,
    c: &Criterion,
    section_ids: &[i64],
) -> Result<bool, sqlx::Error> {
    let descriptors =
        serde_json::to_string(&c.descriptors).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let done = sqlx::query(
        "UPDATE round_criteria SET name = $1, guidance = $2, weight = $3, min_score = $4, descriptors = $5, section_ids = $6
         WHERE id = $7 AND round_id = $8",
    )
    .bind(&c.name)
    .bind(&c.guidance)
    .bind(i64::from(c.weight))
    .bind(c.min_score.map(i64::from))
    .bind(descriptors)
    .bind(ids_text(section_ids))
    .bind(criterion_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_criterion(
    conn: &mut AnyConnection,
    round_id: i64,
    criterion_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM round_criteria WHERE id = $1 AND round_id = $2")
        .bind(criterion_id)
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn criteria(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<CriterionRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, guidance, weight, min_score, descriptors, section_ids FROM round_criteria
         WHERE round_id = $1 ORDER BY position, id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let descriptors: [String; 6] =
                serde_json::from_str(&r.try_get::<String, _>("descriptors")?)
                    .map_err(|_| decode("descriptors"))?;
            let sections: String = r.try_get("section_ids")?;
            Ok(CriterionRow {
                id: r.try_get("id")?,
                criterion: Criterion {
                    name: r.try_get("name")?,
                    guidance: r.try_get("guidance")?,
                    weight: u32::try_from(r.try_get::<i64, _>("weight")?)
                        .map_err(|_| decode("weight"))?,
                    min_score: r
                        .try_get::<Option<i64>, _>("min_score")?
                        .and_then(|n| u32::try_from(n).ok()),
                    descriptors,
                },
                section_ids: sections.split(',').filter_map(|s| s.parse().ok()).collect(),
            })
        })
        .collect()
}

/// Publish a draft: lock it, set its fund and reservation. First statement of the
/// transaction. False when it is no longer a draft.
pub async fn mark_published(
    conn: &mut AnyConnection,
    id: i64,
    fund_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE rounds SET status = 'published', fund_id = $1, reserved_pence = envelope_pence, updated_at = $2
         WHERE id = $3 AND status = 'draft' RETURNING id",
    )
    .bind(fund_id)
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// Move a round between two states if it is still in `from`.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    from: RoundStatus,
    to: RoundStatus,
    bump_version: bool,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE rounds SET status = $1, version = version + $2, updated_at = $3
         WHERE id = $4 AND status = $5 RETURNING id",
    )
    .bind(to.code())
    .bind(i64::from(bump_version))
    .bind(now)
    .bind(id)
    .bind(from.code())
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// A round whose stored status the clock has overtaken.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueTransition {
    pub id: i64,
    pub title: String,
    pub version: i64,
    #[sqlx(rename = "status", try_from = "String")]
    pub from: RoundStatus,
    pub closes_at: UtcTime,
}

impl DueTransition {
    /// What the round becomes at `now`: closed once its closing time has passed, else open.
    pub fn to(&self, now: UtcTime) -> RoundStatus {
        if self.closes_at <= now {
            RoundStatus::Closed
        } else {
            RoundStatus::Open
        }
    }
}

/// Rounds whose stored status the clock has overtaken.
pub async fn due_transitions(
    pool: &AnyPool,
    now: UtcTime,
) -> Result<Vec<DueTransition>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, version, status, closes_at FROM rounds
         WHERE (status = 'published' AND (opens_at <= $1 OR closes_at <= $1))
            OR (status = 'open' AND closes_at <= $1)
         ORDER BY id LIMIT 500",
    )
    .bind(now)
    .fetch_all(pool)
    .await
}

/// Record a clock transition once: false when another instance (or an earlier run) did.
pub async fn claim_transition(
    conn: &mut AnyConnection,
    id: i64,
    to: RoundStatus,
    version: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO round_transitions (round_id, to_status, version, happened_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(to.code())
    .bind(version)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
