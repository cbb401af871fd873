//! Commissioners: a round's panels, assigning bids to assessors, and the register of
//! interests.
use super::*;

// ---- Panels and assignment (commissioners) ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// Who a board member represents ("" if not recorded or not a board member).
    #[serde(default)]
    pub represents: String,
    /// The panels this person may sit on (from their roles and training).
    pub can_sit: Vec<Panel>,
    /// Why they cannot sit on a panel their role is for ("" if nothing stops them).
    #[serde(default)]
    pub held_back: String,
    pub panel: Option<Panel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessableBid {
    pub bid_id: i64,
    pub organisation: String,
    pub reference: Option<String>,
    /// Assessors assigned: (user id, status).
    pub assessors: Vec<(i64, AssignmentStatus)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelData {
    pub round_id: i64,
    pub title: String,
    pub status: RoundStatus,
    /// Bids can be assigned: the round has closed.
    pub can_assign: bool,
    pub candidates: Vec<Candidate>,
    pub bids: Vec<AssessableBid>,
}

#[server(prefix = "/api", endpoint = "assessment/panel")]
pub async fn round_panel(round_id: i64) -> Result<PanelData, AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let status = round.phase_at(chrono::Utc::now());
    let panel = db::assessment::panel(&mut conn, round_id).await?;
    let people = db::users::with_roles(&mut conn, &[Role::BoardMember, Role::LayEvaluator]).await?;
    let trained = db::training::trained(&mut conn).await?;
    let board = db::users::board_members(&mut conn).await?;
    let candidates = people
        .into_iter()
        .map(|person| Candidate {
            panel: panel
                .iter()
                .find(|p| p.user_id == person.id)
                .map(|p| p.panel),
            held_back: (person.roles.contains(&Role::LayEvaluator))
                .then(|| {
                    let trained = trained.contains(&person.id);
                    crate::domain::training::cannot_sit(
                        &person.full_name,
                        Panel::Lay,
                        &person.roles,
                        trained,
                    )
                })
                .flatten()
                .unwrap_or_default(),
            can_sit: crate::domain::training::panels_open_to(
                &person.roles,
                trained.contains(&person.id),
            ),
            represents: board
                .iter()
                .find(|b| b.0 == person.id)
                .and_then(|b| crate::domain::board::Constituency::from_code(&b.3))
                .map(|c| c.label().to_string())
                .unwrap_or_default(),
            user_id: person.id,
            name: person.full_name,
            email: person.email,
        })
        .collect();
    let statuses = db::assessment::round_statuses(&mut conn, round_id).await?;
    let bids = db::bids::assessable(&mut conn, round_id)
        .await?
        .into_iter()
        .map(|b| AssessableBid {
            assessors: statuses
                .iter()
                .filter(|s| s.bid_id == b.id)
                .map(|s| (s.user_id, s.status()))
                .collect(),
            bid_id: b.id,
            organisation: b.organisation,
            reference: b.reference,
        })
        .collect();
    Ok(PanelData {
        round_id,
        title: round.details.title.clone(),
        can_assign: matches!(status, RoundStatus::Closed | RoundStatus::Assessment),
        status,
        candidates,
        bids,
    })
}

/// Appoint the round's panels: `member[user id]` = "board" or "lay" (blank: not on a panel).
#[server(prefix = "/api", endpoint = "assessment/set_panels")]
pub async fn set_panels(
    round_id: i64,
    #[server(default)] member: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let values: Vec<(String, String)> = member
        .iter()
        .map(|(k, v)| (format!("member[{k}]"), v.clone()))
        .collect();
    let borrowed: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut chosen = BTreeMap::new();
    let mut errors = Vec::new();
    for (id, code) in member.iter().filter(|(_, v)| !v.is_empty()) {
        match (id.parse::<i64>(), Panel::from_code(code)) {
            (Ok(id), Some(panel)) => {
                chosen.insert(id, panel);
            }
            _ => errors.push(FieldError::new(format!("member[{id}]"), "Choose a panel")),
        }
    }
    let done = match errors.is_empty() {
        true => service::appoint_panels(state.ctx(), &user.actor(), round_id, &chosen).await,
        false => Err(AssessmentError::Invalid(errors)),
    };
    match done {
        Ok(done) => {
            let a = state.deliver(done).await;
            let message = format!(
                "Panels saved: {} board members and {} lay evaluators",
                a.board, a.lay
            );
            let to = format!("/fund/rounds/{round_id}/assessment");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(AssessmentError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => Err(auth::reject_form("set_panels", &borrowed, e.into()).await),
    }
}

/// Assign bids to assessors and email each assessor who has new bids. With `bid_id`, that
/// bid goes to the assessors ticked in `assessor[user id]`; without, every bid goes to every
/// panel member.
#[server(prefix = "/api", endpoint = "assessment/assign")]
pub async fn assign_bids(
    round_id: i64,
    #[server(default)] bid_id: Option<i64>,
    #[server(default)] assessor: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let what = match bid_id {
        Some(bid_id) => Assign::OneBid {
            bid_id,
            assessors: assessor.keys().filter_map(|k| k.parse().ok()).collect(),
        },
        None => Assign::EveryBid,
    };
    match service::assign(state.ctx(), &user.actor(), round_id, &what).await {
        Ok(done) => {
            let a = state.deliver(done).await;
            let message = format!(
                "{} new assignments. Each assessor with new bids has been emailed",
                a.new_assignments
            );
            let to = format!("/fund/rounds/{round_id}/assessment");
            auth::notice_and_redirect(&auth::session().await?, &message, &to).await?;
            Ok(())
        }
        Err(AssessmentError::NotFound) => Err(auth::with_status(AppError::NotFound)),
        Err(e) => Err(auth::reject_form("assign_bids", &[], e.into()).await),
    }
}

// ---- The register of interests ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterestItem {
    pub declared: String,
    pub assessor: String,
    pub organisation: String,
    pub reference: String,
    pub declaration: String,
    pub nature: Option<ConflictNature>,
    pub description: String,
    pub reason: String,
    pub superseded: bool,
}

#[server(prefix = "/api", endpoint = "assessment/interests")]
pub async fn register_of_interests(round_id: i64) -> Result<(String, Vec<InterestItem>), AppError> {
    let (state, _) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| auth::with_status(AppError::NotFound))?;
    let items = interest_items(&mut conn, round_id).await?;
    Ok((round.details.title, items))
}

#[cfg(feature = "ssr")]
pub async fn interest_items(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
) -> Result<Vec<InterestItem>, AppError> {
    Ok(db::assessment::interests(conn, round_id)
        .await?
        .into_iter()
        .map(|r| InterestItem {
            declared: r.declared_at.display_uk(),
            assessor: r.assessor,
            organisation: r.organisation,
            reference: r.reference.unwrap_or_default(),
            declaration: if r.conflict {
                "Conflict of interest"
            } else {
                "No conflict"
            }
            .into(),
            nature: r.nature,
            description: r.description,
            reason: r.reason,
            superseded: r.superseded,
        })
        .collect())
}
