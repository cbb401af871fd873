//! A round's scoring criteria and the sections each draws on.
use super::decode;
use crate::domain::assessment::{scored_by, ScoredBy, Stage};
use crate::domain::round::{Criterion, Panel};
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct CriterionRow {
    pub id: i64,
    pub criterion: Criterion,
    /// The sections a written criterion draws on (none for an interview criterion).
    pub section_ids: Vec<i64>,
    /// An interview criterion: the panels that score it at the interview.
    pub interview: Option<ScoredBy>,
}

impl CriterionRow {
    pub fn stage(&self) -> Stage {
        if self.interview.is_some() {
            Stage::Interview
        } else {
            Stage::Written
        }
    }

    /// Which panels score it: an interview criterion's as named, a written one's from its
    /// sections (`lay_sections`: the sections the lay panel scores).
    pub fn scored_by(&self, lay_sections: &[i64]) -> ScoredBy {
        self.interview
            .unwrap_or_else(|| scored_by(&self.section_ids, lay_sections))
    }

    pub fn scored_by_panel(&self, panel: Panel, lay_sections: &[i64]) -> bool {
        self.scored_by(lay_sections).includes(panel)
    }
}

fn stage_columns(interview: Option<ScoredBy>) -> (&'static str, &'static str) {
    match interview {
        Some(panel) => (Stage::Interview.code(), panel.code()),
        None => (Stage::Written.code(), ""),
    }
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
    (section_ids, interview): (&[i64], Option<ScoredBy>),
) -> Result<i64, sqlx::Error> {
    let descriptors =
        serde_json::to_string(&c.descriptors).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let (stage, panel) = stage_columns(interview);
    sqlx::query(
        "INSERT INTO round_criteria (round_id, position, name, guidance, weight, min_score, descriptors, section_ids, stage, interview_panel)
         SELECT $1, COALESCE((SELECT MAX(position) FROM round_criteria WHERE round_id = $1), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9
         RETURNING id",
    )
    .bind(round_id)
    .bind(&c.name)
    .bind(&c.guidance)
    .bind(i64::from(c.weight))
    .bind(c.min_score.map(i64::from))
    .bind(descriptors)
    .bind(ids_text(section_ids))
    .bind(stage)
    .bind(panel)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

pub async fn update_criterion(
    conn: &mut AnyConnection,
    round_id: i64,
    criterion_id: i64,
    c: &Criterion,
    (section_ids, interview): (&[i64], Option<ScoredBy>),
) -> Result<bool, sqlx::Error> {
    let descriptors =
        serde_json::to_string(&c.descriptors).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let (stage, panel) = stage_columns(interview);
    let done = sqlx::query(
        "UPDATE round_criteria SET name = $1, guidance = $2, weight = $3, min_score = $4, descriptors = $5, section_ids = $6,
            stage = $7, interview_panel = $8
         WHERE id = $9 AND round_id = $10",
    )
    .bind(&c.name)
    .bind(&c.guidance)
    .bind(i64::from(c.weight))
    .bind(c.min_score.map(i64::from))
    .bind(descriptors)
    .bind(ids_text(section_ids))
    .bind(stage)
    .bind(panel)
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
        "SELECT id, name, guidance, weight, min_score, descriptors, section_ids, stage, interview_panel FROM round_criteria
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
            let stage: String = r.try_get("stage")?;
            let interview = match stage.as_str() {
                "interview" => Some(
                    ScoredBy::from_code(&r.try_get::<String, _>("interview_panel")?)
                        .ok_or_else(|| decode("interview_panel"))?,
                ),
                _ => None,
            };
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
                interview,
            })
        })
        .collect()
}
