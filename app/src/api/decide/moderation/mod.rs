//! Moderation (commissioners): every assessor's scores per bid and criterion, agreed
//! moderated scores, and the ranked list against the envelope with its funding line.
use crate::domain::decision::Outcome;
use crate::domain::money::Pence;
use crate::error::AppError;
use crate::web::CachedAt;
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod bid;
pub use bid::*;

#[cfg(feature = "ssr")]
use {
    crate::auth,
    crate::db,
    crate::domain::assessment::{fundable, rank, weighted_total, Ranked, ScoreStats},
};

/// One bid's moderation page keeps typed values for both its forms under this name.
pub const MODERATE_FORM: &str = "moderate_bid";

#[cfg(feature = "ssr")]
use crate::auth::require_commissioner as commissioner;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionHead {
    pub id: i64,
    pub name: String,
    pub weight: u32,
    pub min_score: Option<u32>,
    /// Which panels score it.
    pub scored_by: crate::domain::assessment::ScoredBy,
    /// Scored at the interview (shortlisted bids only).
    #[serde(default)]
    pub interview: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub criterion_id: i64,
    /// Each submitted score: (assessor, score).
    pub scores: Vec<(String, Option<u32>)>,
    pub mean: Option<Decimal>,
    pub spread: bool,
    pub moderated: Option<u32>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationRow {
    pub bid_id: i64,
    pub organisation: String,
    pub reference: String,
    pub requested: Pence,
    pub cells: Vec<Cell>,
    pub total: Decimal,
    pub fundable: bool,
    /// Someone has scored it (or a score has been agreed): a bid no one has scored yet is
    /// not fundable, but it is not "Not fundable" either.
    #[serde(default)]
    pub scored: bool,
    pub running_total: Pence,
    pub above_line: bool,
    /// Invited to an interview or presentation.
    #[serde(default)]
    pub shortlisted: bool,
    /// The decision recorded: its outcome, an award's amount, where it stands with the partners.
    pub decision: Option<(Outcome, Option<Pence>, crate::domain::board::SignOff)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationData {
    pub round_id: i64,
    pub title: String,
    pub envelope: Pence,
    pub awarded: Pence,
    pub criteria: Vec<CriterionHead>,
    /// Ranked: highest moderated total first; the funding line falls where the envelope runs out.
    /// One page of them when paged (see [`ModerationData::paged`]).
    pub rows: Vec<ModerationRow>,
    /// Where this page starts in the ranking (0 on the first page).
    #[serde(default)]
    pub first_rank: usize,
    /// Has the funding line fallen on an earlier page?
    #[serde(default)]
    pub line_before: bool,
    #[serde(default)]
    pub page: i64,
    #[serde(default)]
    pub pages: i64,
    /// Bids in the whole ranking.
    #[serde(default)]
    pub total_bids: usize,
    /// Where this page's data was kept (server only).
    #[serde(skip)]
    pub cache: Option<CachedAt>,
}

/// Bids on one page of the moderation list.
pub const MODERATION_PAGE_SIZE: usize = 50;

impl ModerationData {
    /// One page of the ranking (`page` from 1; out of range means the nearest page); with
    /// `bid` and no page, the page holding that bid. Copies that page's rows only.
    pub fn paged(&self, page: i64, bid: i64) -> Self {
        let total = self.rows.len();
        let pages = total.div_ceil(MODERATION_PAGE_SIZE).max(1) as i64;
        let page = if page < 1 && bid > 0 {
            self.rows
                .iter()
                .position(|r| r.bid_id == bid)
                .map(|i| (i / MODERATION_PAGE_SIZE) as i64 + 1)
                .unwrap_or(1)
        } else {
            page.clamp(1, pages)
        };
        let first = (page as usize - 1) * MODERATION_PAGE_SIZE;
        ModerationData {
            round_id: self.round_id,
            title: self.title.clone(),
            envelope: self.envelope,
            awarded: self.awarded,
            criteria: self.criteria.clone(),
            rows: self
                .rows
                .iter()
                .skip(first)
                .take(MODERATION_PAGE_SIZE)
                .cloned()
                .collect(),
            first_rank: first,
            line_before: first > 0 && self.rows.get(first - 1).is_some_and(|r| !r.above_line),
            page,
            pages,
            total_bids: total,
            cache: None,
        }
    }
}

#[cfg(feature = "ssr")]
pub async fn moderation_for(
    pool: &sqlx::AnyPool,
    round_id: i64,
) -> Result<ModerationData, AppError> {
    let mut conn = pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lay_sections: Vec<i64> = db::rounds::sections(&mut conn, round_id)
        .await?
        .iter()
        .filter(|s| s.panel == crate::domain::round::Panel::Lay)
        .map(|s| s.id)
        .collect();
    let criteria: Vec<CriterionHead> = db::rounds::criteria(&mut conn, round_id)
        .await?
        .into_iter()
        .map(|c| CriterionHead {
            id: c.id,
            scored_by: c.scored_by(&lay_sections),
            interview: c.interview.is_some(),
            name: c.criterion.name,
            weight: c.criterion.weight,
            min_score: c.criterion.min_score,
        })
        .collect();
    let bids = db::bids::ranked_inputs(&mut conn, round_id).await?;
    // The database sums up the scores (COUNT, SUM, MIN, MAX per bid and criterion): the
    // ranking never reads each assessor's score; a page reads those for its own bids only.
    let stats = db::decisions::round_score_stats(&mut conn, round_id).await?;
    let moderated = db::decisions::round_moderated(&mut conn, round_id).await?;
    let decisions = db::decisions::round_decisions(&mut conn, round_id).await?;
    let shortlisted = db::interviews::shortlisted(&mut conn, round_id).await?;
    drop(conn);
    let stats: BTreeMap<(i64, i64), ScoreStats> = stats
        .into_iter()
        .map(|s| ((s.bid_id, s.criterion_id), s.stats))
        .collect();
    type Recorded = (Outcome, Option<Pence>, crate::domain::board::SignOff);
    let decisions: BTreeMap<i64, Recorded> = decisions
        .into_iter()
        .map(|d| (d.bid_id, (d.outcome, d.amount, d.sign_off)))
        .collect();
    let mut moderated_by: BTreeMap<(i64, i64), (u32, String)> = BTreeMap::new();
    for m in moderated {
        moderated_by.insert((m.bid_id, m.criterion_id), (m.score, m.note));
    }
    let mut rows: BTreeMap<i64, ModerationRow> = BTreeMap::new();
    let mut inputs = Vec::new();
    for bid in bids {
        let bid_id = bid.id;
        let cells: Vec<Cell> = criteria
            .iter()
            .map(|c| {
                let given = stats.get(&(bid_id, c.id)).copied().unwrap_or_default();
                let agreed = moderated_by.get(&(bid_id, c.id));
                Cell {
                    criterion_id: c.id,
                    mean: given.mean(),
                    spread: given.spread(),
                    moderated: agreed.map(|a| a.0),
                    note: agreed.map(|a| a.1.clone()).unwrap_or_default(),
                    scores: Vec::new(),
                }
            })
            .collect();
        let cells_scored = cells
            .iter()
            .any(|c| c.mean.is_some() || c.moderated.is_some());
        let effective: Vec<Decimal> = cells
            .iter()
            .map(|c| {
                c.moderated
                    .map(Decimal::from)
                    .or(c.mean)
                    .unwrap_or(Decimal::ZERO)
            })
            .collect();
        let total = weighted_total(
            &criteria
                .iter()
                .zip(&effective)
                .map(|(c, e)| (c.weight, *e))
                .collect::<Vec<_>>(),
        );
        // A bid not shortlisted is judged on its written criteria: the interview's minimum
        // scores apply only to the bids interviewed (and add nothing to the others' totals).
        let interviewed = shortlisted.contains(&bid_id);
        let ok = fundable(
            &criteria
                .iter()
                .zip(&effective)
                .filter(|(c, _)| interviewed || !c.interview)
                .map(|(c, e)| (c.min_score, *e))
                .collect::<Vec<_>>(),
        );
        inputs.push(Ranked {
            bid_id,
            total,
            fundable: ok,
            requested: bid.requested,
            submitted_at: bid.submitted_at,
        });
        rows.insert(
            bid_id,
            ModerationRow {
                bid_id,
                organisation: bid.organisation,
                reference: bid.reference,
                requested: bid.requested,
                cells,
                total,
                fundable: ok,
                scored: cells_scored,
                running_total: Pence(0),
                above_line: false,
                shortlisted: interviewed,
                decision: decisions.get(&bid_id).copied(),
            },
        );
    }
    let envelope = round.reserved;
    let ranked: Vec<ModerationRow> = rank(inputs, envelope)
        .into_iter()
        .filter_map(|p| {
            let mut row = rows.remove(&p.bid.bid_id)?;
            row.running_total = p.running_total;
            row.above_line = p.above_line;
            Some(row)
        })
        .collect();
    let total_bids = ranked.len();
    Ok(ModerationData {
        round_id,
        title: round.details.title,
        envelope,
        awarded: round.awarded,
        criteria,
        rows: ranked,
        first_rank: 0,
        line_before: false,
        page: 1,
        pages: 1,
        total_bids,
        cache: None,
    })
}

/// One page of a round's ranked bids (`page` from 1), or the page holding `bid`.
#[server(prefix = "/api", endpoint = "decisions/moderation")]
pub async fn moderation(
    round_id: i64,
    #[server(default)] page: i64,
    #[server(default)] bid: i64,
) -> Result<ModerationData, AppError> {
    let (state, _) = commissioner().await?;
    let (at, ranking) = ranking(&state, round_id).await?;
    let mut paged = ranking.paged(page, bid);
    // Its rows are rendered once per change (the page key names the rows exactly).
    paged.cache = Some(CachedAt {
        key: format!("{}/page/{}", at.key, paged.page),
        epoch: at.epoch,
    });
    Ok(paged)
}

/// The whole ranking with every assessor's score, kept until the data changes: it covers
/// every bid of the round, and a page shows 50 of them.
#[cfg(feature = "ssr")]
async fn ranking(
    state: &crate::state::AppState,
    round_id: i64,
) -> Result<(CachedAt, std::sync::Arc<ModerationData>), AppError> {
    let pool = &state.pool;
    state
        .cache
        .get_or_make(pool, format!("moderation/{round_id}"), || async {
            let mut data = moderation_for(pool, round_id).await?;
            let mut conn = pool.acquire().await?;
            with_scores(&mut conn, round_id, &mut data.rows, false).await?;
            Ok(data)
        })
        .await
        .map_err(auth::with_status)
}

/// A round's moderation as a board member reads it, once they have finished with every bid
/// of it assigned to them (scored, or a conflict declared): the ranking with everyone's
/// scores, except in the bids they declared a conflict in. Nothing here can be changed.
#[server(prefix = "/api", endpoint = "decisions/board_moderation")]
pub async fn board_moderation(
    round_id: i64,
    #[server(default)] page: i64,
) -> Result<ModerationData, AppError> {
    use crate::domain::assessment::AssignmentStatus;
    let (state, user) = auth::require_any_role(&[crate::domain::roles::Role::BoardMember]).await?;
    let mine: Vec<_> = db::assessment::for_assessor(&state.pool, user.id)
        .await?
        .into_iter()
        .filter(|a| a.round_id == round_id)
        .collect();
    let statuses: Vec<AssignmentStatus> = mine.iter().map(|a| a.status()).collect();
    // Interview scores still to give count as unfinished: scoring stays blind until then.
    if !crate::domain::board::reads_moderation(&statuses)
        || mine.iter().any(|a| a.interview_pending())
    {
        return Err(auth::with_status(AppError::Forbidden));
    }
    let withheld: Vec<i64> = mine
        .iter()
        .filter(|a| a.status() == AssignmentStatus::ConflictDeclared)
        .map(|a| a.bid_id)
        .collect();
    let (_, ranking) = ranking(&state, round_id).await?;
    let mut paged = ranking.paged(page, 0);
    for row in paged
        .rows
        .iter_mut()
        .filter(|r| withheld.contains(&r.bid_id))
    {
        row.organisation = "Withheld: you declared a conflict of interest in this bid".into();
        for cell in &mut row.cells {
            cell.scores.clear();
            cell.note.clear();
        }
    }
    Ok(paged)
}

/// Read the assessors' scores of these rows' bids (one query) into their cells; returns them.
#[cfg(feature = "ssr")]
async fn with_scores(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
    rows: &mut [ModerationRow],
    reasons: bool,
) -> Result<Vec<db::decisions::SubmittedScore>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.bid_id).collect();
    let scores = db::decisions::scores_of_bids(conn, round_id, &ids, reasons).await?;
    // Each (bid, criterion)'s scores, as the cell shows them.
    type Given = Vec<(String, Option<u32>)>;
    let mut by_cell: BTreeMap<(i64, i64), Given> = BTreeMap::new();
    for s in &scores {
        by_cell
            .entry((s.bid_id, s.criterion_id))
            .or_default()
            .push((s.assessor.clone(), s.score));
    }
    for row in rows.iter_mut() {
        for cell in &mut row.cells {
            cell.scores = by_cell
                .remove(&(row.bid_id, cell.criterion_id))
                .unwrap_or_default();
        }
    }
    Ok(scores)
}

#[cfg(test)]
mod paging_tests {
    use super::*;

    fn ranked(n: usize, above: usize) -> ModerationData {
        ModerationData {
            round_id: 1,
            title: "Round".into(),
            envelope: Pence(0),
            awarded: Pence(0),
            criteria: vec![],
            rows: (0..n)
                .map(|i| ModerationRow {
                    bid_id: 100 + i as i64,
                    organisation: format!("Organisation {i}"),
                    reference: format!("SB-{i}"),
                    requested: Pence(0),
                    cells: vec![],
                    total: Decimal::ZERO,
                    fundable: true,
                    scored: true,
                    running_total: Pence(0),
                    above_line: i < above,
                    shortlisted: false,
                    decision: None,
                })
                .collect(),
            first_rank: 0,
            line_before: false,
            page: 1,
            pages: 1,
            total_bids: n,
            cache: None,
        }
    }

    #[test]
    fn a_page_holds_fifty_bids_in_rank_order() {
        let m = ranked(120, 60).paged(2, 0);
        assert_eq!(
            (m.page, m.pages, m.total_bids, m.first_rank),
            (2, 3, 120, 50)
        );
        assert_eq!(m.rows.len(), 50);
        assert_eq!(m.rows[0].bid_id, 150);
        // The line falls on page 2 (after rank 60): not before it.
        assert!(!m.line_before);
        let last = ranked(120, 60).paged(3, 0);
        assert_eq!(last.rows.len(), 20);
        assert!(last.line_before, "the line fell on an earlier page");
    }

    #[test]
    fn a_bid_opens_the_page_that_holds_it_and_pages_out_of_range_are_clamped() {
        assert_eq!(ranked(120, 0).paged(0, 175).page, 2);
        assert_eq!(ranked(120, 0).paged(0, 999).page, 1);
        assert_eq!(ranked(120, 0).paged(9, 0).page, 3);
        assert_eq!(ranked(0, 0).paged(1, 0).pages, 1);
        assert_eq!(
            ranked(120, 0).paged(1, 175).page,
            1,
            "an explicit page wins"
        );
    }
}
