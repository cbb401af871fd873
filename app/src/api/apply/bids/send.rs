//! The whole bid (check answers, reading, printing), sending it, withdrawing and reopening.
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionAnswersView {
    pub section_id: i64,
    pub title: String,
    pub completed: bool,
    pub rows: Vec<crate::domain::answers::AnswerRow>,
    pub files: Vec<UploadedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BidRecord {
    pub bid: BidHeader,
    pub organisation: Organisation,
    pub sections: Vec<SectionAnswersView>,
    pub plan: Option<Vec<PlanYear>>,
    pub funded_years: usize,
    pub flags: Vec<String>,
    pub summary: String,
    pub can_withdraw: bool,
    pub can_reopen: bool,
}

/// The whole bid: for check answers, reading and printing.
#[server(prefix = "/api", endpoint = "bids/full")]
pub async fn full_bid(id: i64) -> Result<BidRecord, AppError> {
    record_of(&load(id).await?).await
}

/// The whole bid for the download route (outside Leptos): NotFound for strangers.
#[cfg(feature = "ssr")]
pub async fn record_as(
    state: AppState,
    user: auth::CurrentUser,
    bid_id: i64,
) -> Result<BidRecord, AppError> {
    record_of(&load_for(state, user, bid_id).await?).await
}

/// The whole bid for an assessor the caller has checked (assigned, no conflict declared).
#[cfg(feature = "ssr")]
pub async fn record_for_assessor(state: &AppState, bid_id: i64) -> Result<BidRecord, AppError> {
    let l = load_unchecked(state.clone(), bid_id, false).await?;
    record_shown(&l, true).await
}

#[cfg(feature = "ssr")]
async fn record_of(l: &Loaded) -> Result<BidRecord, AppError> {
    record_shown(l, false).await
}

/// The whole bid; `for_assessor`: the organisation's details without its contact.
#[cfg(feature = "ssr")]
async fn record_shown(l: &Loaded, for_assessor: bool) -> Result<BidRecord, AppError> {
    let c = l.contents().await?;
    let organisation = db::organisations::get(&l.state.pool, l.bid.organisation_id)
        .await?
        .ok_or(AppError::Internal)?;
    let ctx = l.context_for(&c);
    let names: Vec<(i64, String)> = c
        .files
        .iter()
        .map(|f| (f.question_id, f.name.clone()))
        .collect();
    let mut plan = None;
    let views = c
        .sections
        .iter()
        .map(|s| {
            let this = c.saved(s.id);
            let empty = Answers::new();
            let a = this.map(|t| &t.answers).unwrap_or(&empty);
            if s.kind == SectionKind::Sustainability {
                plan = Some(plan_view(a, ctx.funded_years));
            }
            SectionAnswersView {
                section_id: s.id,
                title: s.title.clone(),
                completed: this.is_some_and(|t| t.completed),
                rows: section_rows(
                    s.kind,
                    answers::answer_rows(s.kind, &s.questions, a, &ctx, &names),
                    &organisation,
                    for_assessor,
                ),
                files: c
                    .files
                    .iter()
                    .filter(|f| s.questions.iter().any(|(q, _)| *q == f.question_id))
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let (plan, flags, summary) = plan.unwrap_or_default();
    let header = l.header();
    Ok(BidRecord {
        can_withdraw: l.is_member && l.round_open && l.bid.status == BidStatus::Submitted,
        can_reopen: l.is_member && l.round_open && l.bid.status == BidStatus::Withdrawn,
        bid: header,
        organisation,
        sections: views,
        plan,
        funded_years: ctx.funded_years,
        flags,
        summary,
    })
}

/// A section's rows as the bid shows them: the first section leads with the organisation's
/// details (kept on its record, so not changed from the bid).
#[cfg(feature = "ssr")]
fn section_rows(
    kind: SectionKind,
    rows: Vec<answers::AnswerRow>,
    organisation: &Organisation,
    for_assessor: bool,
) -> Vec<answers::AnswerRow> {
    if kind != SectionKind::Organisation {
        return rows;
    }
    let details = if for_assessor {
        organisation.details_for_assessors()
    } else {
        organisation.details()
    };
    details
        .into_iter()
        .map(|(label, value)| answers::AnswerRow::worked_out(label, value))
        .chain(rows)
        .collect()
}

pub use crate::domain::bid::DECLARATIONS;

/// Turn a refusal into the page's status, or a message on the form named `form`.
#[cfg(feature = "ssr")]
pub(super) async fn refused(
    form: &str,
    values: &[(&str, &str)],
    e: crate::service::bids::BidError,
) -> AppError {
    if e.is_status() {
        auth::with_status(e.into())
    } else {
        auth::reject_form(form, values, e.into()).await
    }
}

/// Send the bid: every section complete, every declaration made, before the deadline.
#[server(prefix = "/api", endpoint = "bids/submit")]
pub async fn submit_bid(
    bid_id: i64,
    #[server(default)] declare: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let declared: Vec<String> = declare.into_keys().collect();
    match crate::service::bids::send(state.ctx(), &user.actor(), bid_id, &declared).await {
        Ok(done) => {
            state.deliver(done).await;
            leptos_axum::redirect(&format!("/bids/{bid_id}/confirmation"));
            Ok(())
        }
        Err(e) => {
            let typed: Vec<String> = declared.iter().map(|k| format!("declare[{k}]")).collect();
            let values: Vec<(&str, &str)> =
                typed.iter().map(|k| (k.as_str(), k.as_str())).collect();
            Err(refused("submit_bid", &values, e).await)
        }
    }
}

/// Withdraw a sent bid (before the round closes), or reopen a withdrawn one as a draft.
#[server(prefix = "/api", endpoint = "bids/withdraw")]
pub async fn withdraw_bid(bid_id: i64, reopen: bool) -> Result<(), AppError> {
    let (state, user) = auth::require_user().await?;
    let verb =
        match crate::service::bids::withdraw(state.ctx(), &user.actor(), bid_id, reopen).await {
            Ok(verb) => verb,
            Err(e) => return Err(refused("withdraw_bid", &[], e).await),
        };
    let to = if reopen {
        format!("/bids/{bid_id}")
    } else {
        format!("/bids/{bid_id}/view")
    };
    let session = auth::session().await?;
    auth::notice_and_redirect(&session, &format!("Your bid has been {verb}"), &to).await?;
    Ok(())
}
