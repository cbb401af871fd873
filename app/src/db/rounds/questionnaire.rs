//! A round's questionnaire: its sections (built-in and the round's own) and their questions,
//! and the order of sections, questions and criteria.
use super::decode;
use crate::domain::round::{Panel, Question, QuestionType, SectionKind};
use sqlx::{AnyConnection, Row};

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
