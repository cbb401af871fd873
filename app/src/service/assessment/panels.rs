//! Commissioners: appointing a round's panels, assigning its bids (with the mail to each
//! assessor), and reopening submitted scores.
use super::{round, AssessmentError};
use crate::db;
use crate::domain::roles::Role;
use crate::domain::round::{Panel, RoundStatus};
use crate::domain::training::cannot_sit;
use crate::error::FieldError;
use crate::mail::OutgoingMail;
use crate::service::{Actor, Ctx, Done};
use std::collections::BTreeMap;

/// How many sit on each panel once appointed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appointed {
    pub board: usize,
    pub lay: usize,
}

/// Replace a round's panels with these appointments (person → panel). Each person must hold
/// the panel's role; `member[id]` names the field of anyone who does not.
pub async fn appoint_panels(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    chosen: &BTreeMap<i64, Panel>,
) -> Result<Done<Appointed>, AssessmentError> {
    round(ctx, round_id).await?;
    let mut conn = ctx.pool.acquire().await?;
    let people = db::users::with_roles(&mut conn, &[Role::BoardMember, Role::LayEvaluator]).await?;
    let trained = db::training::trained(&mut conn).await?;
    drop(conn);
    let mut members = Vec::new();
    let mut errors = Vec::new();
    for (user_id, panel) in chosen {
        let person = people.iter().find(|p| p.id == *user_id);
        let refusal = match person {
            Some(p) => cannot_sit(&p.full_name, *panel, &p.roles, trained.contains(&p.id)),
            None => cannot_sit("This person", *panel, &[], false),
        };
        match refusal {
            None => members.push((*user_id, *panel)),
            Some(why) => errors.push(FieldError::new(format!("member[{user_id}]"), why)),
        }
    }
    if !errors.is_empty() {
        return Err(AssessmentError::Invalid(errors));
    }
    let board = members.iter().filter(|m| m.1 == Panel::Board).count();
    let lay = members.len() - board;
    let mut tx = ctx.pool.begin().await?;
    db::assessment::set_panel(&mut tx, round_id, &members, actor.id, db::now()).await?;
    let summary = format!("Panels appointed: {board} board members, {lay} lay evaluators");
    db::audit::entry(
        &mut tx,
        actor.id,
        "round.panels_appointed",
        ("round", round_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(Done {
        value: Appointed { board, lay },
        mail: Vec::new(),
    })
}

/// Which bids go to whom: one bid to the panel members ticked for it, or every bid of the
/// round to every panel member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assign {
    OneBid { bid_id: i64, assessors: Vec<i64> },
    EveryBid,
}

/// What assigning did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assigned {
    pub new_assignments: usize,
    pub assessors_emailed: usize,
}

/// Assign bids to a round's panel members once it has closed, and email each assessor who
/// has new bids. For one bid, unticked assessors come off it unless they have submitted
/// their scores.
pub async fn assign(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    what: &Assign,
) -> Result<Done<Assigned>, AssessmentError> {
    let round = round(ctx, round_id).await?;
    let phase = round.phase_at(chrono::Utc::now());
    if !matches!(phase, RoundStatus::Closed | RoundStatus::Assessment) {
        return Err(AssessmentError::NotClosed);
    }
    let mut conn = ctx.pool.acquire().await?;
    let panel = db::assessment::panel(&mut conn, round_id).await?;
    let bids = db::bids::assessable(&mut conn, round_id).await?;
    drop(conn);
    if panel.is_empty() {
        return Err(AssessmentError::NoPanel);
    }
    let pairs: Vec<(i64, i64)> = match what {
        Assign::OneBid { bid_id, assessors } => {
            if !bids.iter().any(|b| b.id == *bid_id) {
                return Err(AssessmentError::NotFound);
            }
            panel
                .iter()
                .filter(|m| assessors.contains(&m.user_id))
                .map(|m| (*bid_id, m.user_id))
                .collect()
        }
        Assign::EveryBid => bids
            .iter()
            .flat_map(|b| panel.iter().map(move |m| (b.id, m.user_id)))
            .collect(),
    };
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let mut new_for: BTreeMap<i64, usize> = BTreeMap::new();
    for (bid, who) in &pairs {
        if db::assessment::assign(&mut tx, *bid, *who, now).await? {
            *new_for.entry(*who).or_default() += 1;
        }
    }
    if let Assign::OneBid { bid_id, assessors } = what {
        for m in panel.iter().filter(|m| !assessors.contains(&m.user_id)) {
            db::assessment::unassign(&mut tx, *bid_id, m.user_id).await?;
        }
    }
    let total: usize = new_for.values().sum();
    let summary = format!("{total} new assignments to {} assessors", new_for.len());
    db::audit::entry(
        &mut tx,
        actor.id,
        "round.bids_assigned",
        ("round", round_id),
        summary,
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/assess", ctx.base_url);
    let mail: Vec<OutgoingMail> = new_for
        .iter()
        .filter_map(|(who, count)| {
            let m = panel.iter().find(|m| m.user_id == *who)?;
            Some(crate::mail::bids_assigned(
                &m.email,
                &m.full_name,
                &round.details.title,
                *count,
                &link,
            ))
        })
        .collect();
    Ok(Done {
        value: Assigned {
            new_assignments: total,
            assessors_emailed: mail.len(),
        },
        mail,
    })
}

/// A commissioner reopens an assessor's submitted scores for a bid, with a reason (audited,
/// with the state before and after).
pub async fn reopen(
    ctx: Ctx<'_>,
    actor: &Actor,
    round_id: i64,
    bid_id: i64,
    assessor: i64,
    reason: &str,
) -> Result<Done<()>, AssessmentError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AssessmentError::Invalid(vec![FieldError::new(
            format!("reason[{assessor}]"),
            "Say why you are reopening these scores",
        )]));
    }
    let mut tx = ctx.pool.begin().await?;
    let in_round = db::bids::get(&mut tx, bid_id)
        .await?
        .is_some_and(|b| b.round_id == round_id);
    if !in_round || !db::assessment::reopen(&mut tx, bid_id, assessor).await? {
        return Err(AssessmentError::NotSubmitted);
    }
    let entry = db::audit::Entry {
        actor: Some(actor.id),
        action: "bid.scores_reopened",
        subject_type: "bid",
        subject_id: bid_id.to_string(),
        summary: format!("Scores reopened for assessor {assessor}: {reason}"),
        before: Some("Submitted".into()),
        after: Some("Draft".into()),
    };
    db::audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Done {
        value: (),
        mail: Vec::new(),
    })
}
