//! Funding rounds: commissioners build and publish them; anyone can read the published ones.
mod builder;
mod lifecycle;

pub use builder::*;
pub use lifecycle::*;

use crate::domain::money::Pence;
use crate::domain::round::{
    Block, Criterion, CriterionForm, LegalForm, Panel, Question, QuestionForm, RoundDetails,
    RoundForm, RoundStatus, SectionKind,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {crate::auth, crate::db};

#[cfg(feature = "ssr")]
use crate::auth::require_commissioner as commissioner;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapChoice {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundListItem {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub status: RoundStatus,
    pub envelope: Pence,
    pub max_award: Pence,
    pub opens: String,
    pub closes: String,
    pub closes_in: String,
}

#[cfg(feature = "ssr")]
fn list_item(r: &db::rounds::RoundRow, now: chrono::DateTime<chrono::Utc>) -> RoundListItem {
    use crate::domain::round::{closes_in, phase};
    use crate::domain::time::display_uk;
    let d = &r.details;
    RoundListItem {
        id: r.id,
        title: d.title.clone(),
        summary: d.summary.clone(),
        status: phase(r.status, d.opens_at, d.closes_at, now),
        envelope: d.envelope,
        max_award: d.max_award,
        opens: display_uk(d.opens_at),
        closes: display_uk(d.closes_at),
        closes_in: closes_in(d.closes_at, now),
    }
}

/// Every round, for commissioners.
#[server(prefix = "/api", endpoint = "rounds/all")]
pub async fn all_rounds() -> Result<Vec<RoundListItem>, AppError> {
    let (state, _) = commissioner().await?;
    let now = chrono::Utc::now();
    Ok(db::rounds::all(&state.pool)
        .await?
        .iter()
        .map(|r| list_item(r, now))
        .collect())
}

/// Open and upcoming rounds, for anyone.
#[server(prefix = "/api", endpoint = "rounds/public")]
pub async fn public_rounds() -> Result<Vec<RoundListItem>, AppError> {
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now();
    Ok(db::rounds::open_and_upcoming(&state.pool, now.into())
        .await?
        .iter()
        .map(|r| list_item(r, now))
        .collect())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: i64,
    pub question: Question,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: i64,
    pub kind: SectionKind,
    pub title: String,
    pub panel: Panel,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionView {
    pub id: i64,
    pub criterion: Criterion,
    pub section_ids: Vec<i64>,
    pub sections: Vec<String>,
    /// Scored at the interview, by these panels (none: from the written bid).
    #[serde(default)]
    pub interview: Option<crate::domain::assessment::ScoredBy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundBuild {
    pub id: i64,
    pub details: RoundDetails,
    pub form: RoundForm,
    pub stored_status: RoundStatus,
    pub status: RoundStatus,
    pub version: i64,
    pub gaps: Vec<GapChoice>,
    pub sections: Vec<SectionView>,
    pub criteria: Vec<CriterionView>,
    pub weight_total: u32,
    /// What stops the round being published, in plain words.
    pub problems: Vec<String>,
    pub history: Vec<crate::api::admin::AuditView>,
    pub opens: String,
    pub closes: String,
}

impl RoundBuild {
    pub fn editable(&self) -> bool {
        crate::domain::round::is_editable(self.stored_status)
    }
}

#[cfg(feature = "ssr")]
async fn load_round(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<db::rounds::RoundRow, AppError> {
    db::rounds::round(conn, id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))
}

#[cfg(feature = "ssr")]
async fn gap_titles(
    conn: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> Result<Vec<GapChoice>, AppError> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(gap) = db::registers::gap(&mut *conn, *id).await? {
            out.push(GapChoice {
                id: *id,
                title: gap.title,
            });
        }
    }
    Ok(out)
}

#[cfg(feature = "ssr")]
fn section_views(rows: Vec<db::rounds::SectionRow>) -> Vec<SectionView> {
    rows.into_iter()
        .map(|s| SectionView {
            id: s.id,
            kind: s.kind,
            title: s.title,
            panel: s.panel,
            questions: s
                .questions
                .into_iter()
                .map(|(id, question)| QuestionView { id, question })
                .collect(),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn criterion_views(
    rows: Vec<db::rounds::CriterionRow>,
    sections: &[SectionView],
) -> Vec<CriterionView> {
    rows.into_iter()
        .map(|c| CriterionView {
            sections: c
                .section_ids
                .iter()
                .filter_map(|id| {
                    sections
                        .iter()
                        .find(|s| s.id == *id)
                        .map(|s| s.title.clone())
                })
                .collect(),
            id: c.id,
            criterion: c.criterion,
            section_ids: c.section_ids,
            interview: c.interview,
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn fund_year_of(round: &db::rounds::RoundRow) -> crate::domain::fund::FinancialYear {
    crate::domain::round::fund_year(round.details.opens_at)
}

#[server(prefix = "/api", endpoint = "rounds/admin")]
pub async fn round_admin(id: i64) -> Result<RoundBuild, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, id).await?;
    let gap_ids = db::rounds::gap_ids(&mut conn, id).await?;
    let gaps = gap_titles(&mut conn, &gap_ids).await?;
    let section_rows = db::rounds::sections(&mut conn, id).await?;
    let criterion_rows = db::rounds::criteria(&mut conn, id).await?;
    drop(conn);
    let fund_exists = db::fund::fund_for_year(&state.pool, fund_year_of(&round))
        .await?
        .is_some();
    let now = chrono::Utc::now();
    let check = crate::service::rounds::publish_check(
        &round,
        gaps.len(),
        &section_rows,
        &criterion_rows,
        fund_exists,
    );
    let problems = crate::domain::round::publish_problems(&check, now);
    let sections = section_views(section_rows);
    let criteria = criterion_views(criterion_rows, &sections);
    let history = crate::api::history(&state.pool, "round", id, 30).await?;
    let d = &round.details;
    Ok(RoundBuild {
        id,
        form: d.to_form(),
        stored_status: round.status,
        status: crate::domain::round::phase(round.status, d.opens_at, d.closes_at, now),
        version: round.version,
        weight_total: criteria.iter().map(|c| c.criterion.weight).sum(),
        opens: crate::domain::time::display_uk(d.opens_at),
        closes: crate::domain::time::display_uk(d.closes_at),
        details: round.details,
        gaps,
        sections,
        criteria,
        problems,
        history,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundFormInfo {
    pub gaps: Vec<GapChoice>,
    /// For an existing round: its values, ticked legal forms and gaps.
    pub current: Option<(RoundForm, Vec<String>, Vec<i64>)>,
    pub editable: bool,
}

#[server(prefix = "/api", endpoint = "rounds/form")]
pub async fn round_form_data(id: Option<i64>) -> Result<RoundFormInfo, AppError> {
    let (state, _) = commissioner().await?;
    let gaps = db::registers::gaps(&state.pool, None)
        .await?
        .into_iter()
        .filter(|g| g.item.status != crate::domain::registers::GapStatus::Closed)
        .map(|g| GapChoice {
            id: g.id,
            title: g.item.title,
        })
        .collect();
    let mut editable = true;
    let current = match id {
        None => None,
        Some(id) => {
            let mut conn = state.pool.acquire().await?;
            let round = load_round(&mut conn, id).await?;
            editable = crate::domain::round::is_editable(round.status);
            let gap_ids = db::rounds::gap_ids(&mut conn, id).await?;
            let forms = round
                .details
                .legal_forms
                .iter()
                .map(|f| f.code().to_string())
                .collect();
            Some((round.details.to_form(), forms, gap_ids))
        }
    };
    Ok(RoundFormInfo {
        gaps,
        current,
        editable,
    })
}

/// A refusal: a missing round is the page's status; anything else is shown on the form
/// (`form`) with what was typed.
#[cfg(feature = "ssr")]
async fn refused(
    form: &str,
    typed: &[(&str, &str)],
    e: crate::service::rounds::RoundError,
) -> AppError {
    match e {
        crate::service::rounds::RoundError::NotFound => auth::with_status(AppError::NotFound),
        e => auth::reject_form(form, typed, e.into()).await,
    }
}

#[cfg(feature = "ssr")]
async fn done(notice: &str, href: String) -> Result<(), AppError> {
    let session = auth::session().await?;
    auth::notice_and_redirect(&session, notice, &href).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCriterion {
    pub name: String,
    pub guidance: String,
    pub weight: u32,
    pub min_score: Option<u32>,
    /// Scored at an interview or presentation with shortlisted organisations.
    #[serde(default)]
    pub at_interview: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicRoundInfo {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub guidance: Vec<Block>,
    pub status: RoundStatus,
    pub envelope: Pence,
    pub min_award: Pence,
    pub max_award: Pence,
    pub period_months: u32,
    pub legal_forms: Vec<LegalForm>,
    pub max_income: Option<Pence>,
    pub area_served: String,
    pub opens: String,
    pub closes: String,
    pub closes_in: String,
    pub decision_expected: String,
    pub invited_only: bool,
    pub gaps: Vec<String>,
    pub criteria: Vec<PublicCriterion>,
    pub sections: Vec<(String, Panel)>,
}

/// A published round, for anyone. Drafts do not exist to the public.
#[server(prefix = "/api", endpoint = "rounds/public_round")]
pub async fn public_round(id: i64) -> Result<PublicRoundInfo, AppError> {
    let state = crate::state::app_state()?;
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, id).await?;
    if round.status == RoundStatus::Draft {
        return Err(auth::with_status(AppError::NotFound));
    }
    let gap_ids = db::rounds::gap_ids(&mut conn, id).await?;
    let gaps = gap_titles(&mut conn, &gap_ids)
        .await?
        .into_iter()
        .map(|g| g.title)
        .collect();
    let criteria = db::rounds::criteria(&mut conn, id)
        .await?
        .into_iter()
        .map(|c| PublicCriterion {
            at_interview: c.interview.is_some(),
            name: c.criterion.name,
            guidance: c.criterion.guidance,
            weight: c.criterion.weight,
            min_score: c.criterion.min_score,
        })
        .collect();
    let sections = db::rounds::sections(&mut conn, id)
        .await?
        .into_iter()
        .map(|s| (s.title, s.panel))
        .collect();
    let now = chrono::Utc::now();
    let d = round.details;
    Ok(PublicRoundInfo {
        id,
        status: crate::domain::round::phase(round.status, d.opens_at, d.closes_at, now),
        guidance: crate::domain::round::blocks(&d.guidance),
        opens: crate::domain::time::display_uk(d.opens_at),
        closes: crate::domain::time::display_uk(d.closes_at),
        closes_in: crate::domain::round::closes_in(d.closes_at, now),
        decision_expected: crate::domain::date::display_date(d.decision_expected),
        title: d.title,
        summary: d.summary,
        envelope: d.envelope,
        min_award: d.min_award,
        max_award: d.max_award,
        period_months: d.period_months,
        legal_forms: d.legal_forms,
        max_income: d.max_income,
        area_served: d.area_served,
        invited_only: d.invited_only,
        gaps,
        criteria,
        sections,
    })
}
