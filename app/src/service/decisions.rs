//! Decisions on bids (commissioners): award, decline with feedback, the reserve list, and
//! releasing a round's unawarded money.
use super::{Ctx, Done};
use crate::db;
use crate::domain::bid::BidStatus;
use crate::domain::board::{award_sign_off, SignOff};
use crate::domain::decision::{Decision, DecisionForm, Outcome};
use crate::domain::fund::LedgerRefusal;
use crate::domain::money::Pence;
use crate::error::{AppError, FieldError};

mod award;
pub(super) use award::{commit_money, create_scheme};

/// Record a decision on one bid.
#[derive(Debug, Clone)]
pub struct Decide {
    pub round_id: i64,
    pub bid_id: i64,
    pub form: DecisionForm,
    /// An award's scheme, tranches and returns start on this day.
    pub start: chrono::NaiveDate,
}

/// Why a decision was not recorded (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    #[error("page not found")]
    NotFound,
    #[error("A decision can be made on a bid under assessment. This one is {status}")]
    NotUnderAssessment { status: String },
    /// The commissioner belongs to the organisation or declared a conflict with it.
    #[error("{0}")]
    NotIndependent(String),
    #[error("there is a problem with the form")]
    Invalid(Vec<FieldError>),
    #[error("This round is not funded from a pooled fund")]
    NoFund,
    #[error("{}", .0.message())]
    NotEnoughMoney(LedgerRefusal),
    #[error("This bid has already been awarded")]
    AlreadyAwarded,
    #[error("{}", awaiting_message(*.0))]
    AwaitingSignOff(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn awaiting_message(n: i64) -> String {
    let what = if n == 1 {
        "1 recommended award in this round awaits".to_string()
    } else {
        format!("{n} recommended awards in this round await")
    };
    format!("{what} the partners' sign-off: its money stays in the round until it is signed off or refused")
}

impl From<DecisionError> for AppError {
    fn from(e: DecisionError) -> Self {
        match e {
            DecisionError::NotFound => AppError::NotFound,
            DecisionError::Invalid(errors) => AppError::Invalid(errors),
            DecisionError::Database(e) => e.into(),
            refusal => AppError::Conflict(refusal.to_string()),
        }
    }
}

impl From<db::fund::LedgerError> for DecisionError {
    fn from(e: db::fund::LedgerError) -> Self {
        match e {
            db::fund::LedgerError::Refused(refusal) => DecisionError::NotEnoughMoney(refusal),
            db::fund::LedgerError::Database(e) => e.into(),
        }
    }
}

/// An award commits the money from the round's envelope and the pooled fund in the same
/// transaction (refused, changing nothing, when either would be overdrawn), creates the
/// funded scheme with tranches of 50/30/20% and its return schedule; a decline records the
/// feedback; the reserve list holds the bid. The organisation's members are told of an
/// award or a decline. The outcome is the notice for the person deciding.
pub async fn decide(ctx: Ctx<'_>, actor: i64, cmd: &Decide) -> Result<Done<String>, DecisionError> {
    let Decide {
        round_id,
        bid_id,
        ref form,
        start,
    } = *cmd;
    let mut conn = ctx.pool.acquire().await?;
    let bid = db::bids::get(&mut conn, bid_id)
        .await?
        .filter(|b| b.round_id == round_id)
        .ok_or(DecisionError::NotFound)?;
    let round = db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(DecisionError::NotFound)?;
    let waiting = db::decisions::awaiting_scores(&mut conn, bid_id).await?;
    let standing: Vec<(Option<u32>, Option<u32>, u32, u32)> =
        db::decisions::standing_of_bid(&mut conn, round_id, bid_id)
            .await?
            .into_iter()
            .map(|c| {
                let n = |v: i64| u32::try_from(v).unwrap_or(0);
                (c.min_score.map(n), c.agreed.map(n), n(c.scores), n(c.total))
            })
            .collect();
    drop(conn);
    let fundable = crate::domain::assessment::fundable_from(&standing).unwrap_or(true);
    if !matches!(bid.status, BidStatus::UnderAssessment | BidStatus::Declined) {
        return Err(DecisionError::NotUnderAssessment {
            status: bid.status.label().to_lowercase(),
        });
    }
    // No one decides for an organisation they belong to or have declared a conflict with.
    let (member, conflict) =
        db::organisations::connection(ctx.pool, bid.organisation_id, actor).await?;
    if let Some(why) =
        crate::domain::independence::refusal(&bid.organisation_name, member, conflict)
    {
        return Err(DecisionError::NotIndependent(why));
    }
    let requested = bid.requested.unwrap_or(Pence(0));
    let scores_in = crate::domain::decision::check_scores_in(form, &waiting);
    let overridden = crate::domain::decision::check_override(form, fundable);
    let meetings: Vec<i64> = {
        let mut conn = ctx.pool.acquire().await?;
        db::meetings::for_round(&mut conn, round_id, db::now())
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect()
    };
    let meeting = crate::domain::meeting::meeting_choice(&form.meeting, &meetings);
    let mut decision = match (form.parse(requested), scores_in, overridden, meeting) {
        (Ok(mut decision), Ok(()), Ok(reason), Ok(meeting_id)) => {
            decision.override_reason = reason.unwrap_or_default();
            decision.meeting_id = meeting_id;
            decision
        }
        (parsed, scores_in, overridden, meeting) => {
            let mut errors = parsed.err().unwrap_or_default();
            errors.extend(scores_in.err());
            errors.extend(overridden.err());
            errors.extend(meeting.err());
            return Err(DecisionError::Invalid(errors));
        }
    };
    if decision.outcome != Outcome::Award {
        decision.override_reason.clear();
    }
    if decision.outcome == Outcome::Award && round.fund_id.is_none() {
        return Err(DecisionError::NoFund);
    }
    let sign_off = if decision.outcome == Outcome::Award {
        let mut conn = ctx.pool.acquire().await?;
        award_sign_off(db::sign_offs::partners_with_approvers(&mut conn).await?)
    } else {
        SignOff::NotNeeded
    };
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let mut scheme_id = None;
    let mut message = format!(
        "{}: {}",
        bid.organisation_name,
        decision.outcome.label().to_lowercase()
    );
    let mut action = "bid.decided";
    if decision.outcome == Outcome::Award && sign_off == SignOff::NotNeeded {
        let amount = decision.amount.unwrap_or(requested);
        // The money first: the conditional updates are the transaction's first statements.
        let by = (actor, now);
        let money =
            commit_money(&mut tx, &round, &bid.organisation_name, amount, start, by).await?;
        if !db::decisions::decide(&mut tx, bid_id, &decision, sign_off, actor, now).await? {
            return Err(DecisionError::AlreadyAwarded);
        }
        let schedule = (start, &money);
        scheme_id = Some(create_scheme(&mut tx, &bid, &round, &decision, schedule, now).await?);
        message = format!("{} awarded {}", bid.organisation_name, amount.display());
    } else {
        if !db::decisions::decide(&mut tx, bid_id, &decision, sign_off, actor, now).await? {
            return Err(DecisionError::AlreadyAwarded);
        }
        let to = match (decision.outcome, bid.status) {
            (Outcome::Decline, _) => Some(BidStatus::Declined),
            (_, BidStatus::Declined) => Some(BidStatus::UnderAssessment),
            _ => None,
        };
        if let Some(to) = to {
            db::bids::move_status(&mut tx, bid_id, bid.status, to, now).await?;
        }
        if sign_off == SignOff::Awaiting {
            action = "bid.recommended";
            message = format!(
                "{}: an award of {} is recommended, awaiting sign-off by each partner",
                bid.organisation_name,
                decision.amount.unwrap_or(requested).display()
            );
        }
    }
    if decision.outcome == Outcome::Award && !decision.override_reason.is_empty() {
        message.push_str(&format!(
            ", although it scored below a criterion's minimum: {}",
            decision.override_reason
        ));
    }
    db::audit::record(
        &mut tx,
        db::audit::Entry {
            actor: Some(actor),
            action,
            subject_type: "bid",
            subject_id: bid_id.to_string(),
            summary: message.clone(),
            before: Some(bid.status.label().into()),
            after: Some(match sign_off {
                SignOff::Awaiting => sign_off.label().into(),
                _ => decision.outcome.label().into(),
            }),
        },
    )
    .await?;
    let members = db::bids::member_emails(&mut tx, bid.organisation_id).await?;
    let approvers = if sign_off == SignOff::Awaiting {
        db::users::partner_approvers(&mut tx).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let mut mail = Vec::new();
    // An award waiting for sign-off is not told to the organisation yet: the approvers are.
    if decision.outcome != Outcome::Reserve && sign_off != SignOff::Awaiting {
        mail = decision_mail(ctx, &members, &bid, &decision, scheme_id);
    }
    for (_, name, email) in approvers {
        mail.push(crate::mail::sign_off_requested(
            &email,
            &name,
            &bid.organisation_name,
            &bid.round_title,
            &format!("{}/sign-off/{bid_id}", ctx.base_url),
        ));
    }
    Ok(Done {
        value: message,
        mail,
    })
}

/// The emails telling an organisation's members of an award or a decline.
pub(super) fn decision_mail(
    ctx: Ctx<'_>,
    members: &[db::bids::Recipient],
    bid: &db::bids::BidRow,
    decision: &Decision,
    scheme_id: Option<i64>,
) -> Vec<crate::mail::OutgoingMail> {
    let link = match scheme_id {
        Some(id) => format!("{}/schemes/{id}", ctx.base_url),
        None => format!("{}/bids/{}/view", ctx.base_url, bid.id),
    };
    members
        .iter()
        .map(|m| {
            crate::mail::bid_decision(
                &m.email,
                &m.full_name,
                &bid.organisation_name,
                &bid.round_title,
                decision,
                &link,
            )
        })
        .collect()
}

/// The answers a bid saved for the round's section of `kind` (Budget, Sustainability), if
/// any. `sections`: the round's sections, read once by the caller.
async fn saved_answers(
    conn: &mut sqlx::AnyConnection,
    sections: &[db::rounds::SectionRow],
    bid_id: i64,
    kind: crate::domain::round::SectionKind,
) -> Result<Option<crate::domain::answers::Answers>, sqlx::Error> {
    let Some(section) = sections.iter().find(|s| s.kind == kind) else {
        return Ok(None);
    };
    let saved = db::bids::sections(&mut *conn, bid_id).await?;
    Ok(saved
        .into_iter()
        .find(|a| a.section_id == section.id)
        .map(|a| a.answers))
}

/// The sustainability plan of a bid, as the award agrees it (none if it cannot be read).
pub async fn agreed_plan(
    conn: &mut sqlx::AnyConnection,
    bid_id: i64,
    round_id: i64,
    period_months: u32,
) -> Result<Vec<crate::domain::bid::PlanYear>, sqlx::Error> {
    use crate::domain::answers;
    use crate::domain::round::SectionKind;
    let sections = db::rounds::sections(&mut *conn, round_id).await?;
    let funded = answers::funded_years(period_months);
    Ok(
        saved_answers(conn, &sections, bid_id, SectionKind::Sustainability)
            .await?
            .and_then(|a| answers::parse_plan(&a, funded, None, false).ok())
            .unwrap_or_default(),
    )
}

/// A first draft of what an award pays for, for each of a round's bids, from its budget
/// lines (the round and its sections read once).
pub async fn draft_purposes(
    conn: &mut sqlx::AnyConnection,
    round_id: i64,
    bid_ids: &[i64],
) -> Result<Vec<String>, sqlx::Error> {
    use crate::domain::answers;
    use crate::domain::decision::draft_purpose;
    use crate::domain::round::SectionKind;
    let Some(round) = db::rounds::round(&mut *conn, round_id).await? else {
        return Ok(bid_ids.iter().map(|_| draft_purpose(&[])).collect());
    };
    let d = &round.details;
    let sections = db::rounds::sections(&mut *conn, round_id).await?;
    let funded = answers::funded_years(d.period_months);
    let mut drafts = Vec::with_capacity(bid_ids.len());
    for bid_id in bid_ids {
        let lines: Vec<String> = saved_answers(conn, &sections, *bid_id, SectionKind::Budget)
            .await?
            .and_then(|a| answers::parse_budget(&a, funded, (d.min_award, d.max_award), false).ok())
            .map(|b| b.lines.into_iter().map(|l| l.description).collect())
            .unwrap_or_default();
        drafts.push(draft_purpose(&lines));
    }
    Ok(drafts)
}

/// Give a round's unawarded money back to the pooled fund: one action, audited. `None` when
/// the round does not exist or is not funded from a pooled fund. Refused while a recommended
/// award waits for sign-off: its money stays in the round's envelope until then.
pub async fn release_unawarded(
    ctx: Ctx<'_>,
    actor: i64,
    round_id: i64,
) -> Result<Option<Pence>, DecisionError> {
    let mut conn = ctx.pool.acquire().await?;
    let Some(fund_id) = db::rounds::round(&mut conn, round_id)
        .await?
        .and_then(|r| r.fund_id)
    else {
        return Ok(None);
    };
    let waiting = db::sign_offs::awaiting_in_round(&mut conn, round_id).await?;
    if waiting > 0 {
        return Err(DecisionError::AwaitingSignOff(waiting));
    }
    drop(conn);
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    let reason = "Unawarded money released after decisions";
    let released = db::fund::release(&mut tx, fund_id, round_id, reason, actor, now).await?;
    tx.commit().await?;
    Ok(Some(released))
}

/// Record the agreed scores for one bid under assessment (or decided) in a round: for each
/// criterion the score typed and a note (`typed(criterion id)` → (score, note); blank
/// leaves it). (How many were recorded.)
pub async fn moderate(
    ctx: Ctx<'_>,
    actor: i64,
    (round_id, bid_id): (i64, i64),
    typed: impl Fn(i64) -> (String, String),
) -> Result<usize, DecisionError> {
    let mut conn = ctx.pool.acquire().await?;
    db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or(DecisionError::NotFound)?;
    let in_round = db::bids::ranked_inputs(&mut conn, round_id).await?;
    if !in_round.iter().any(|b| b.id == bid_id) {
        return Err(DecisionError::NotFound);
    }
    let criteria = db::rounds::criteria(&mut conn, round_id).await?;
    drop(conn);
    let names: Vec<(i64, &str)> = criteria
        .iter()
        .map(|c| (c.id, c.criterion.name.as_str()))
        .collect();
    let chosen =
        crate::domain::decision::agreed_scores(&names, typed).map_err(DecisionError::Invalid)?;
    let now = db::now();
    let mut tx = ctx.pool.begin().await?;
    for (criterion_id, score, why) in &chosen {
        db::decisions::moderate(&mut tx, bid_id, *criterion_id, *score, why, actor, now).await?;
    }
    let summary = format!("Agreed scores recorded for {} criteria", chosen.len());
    db::audit::entry(&mut tx, actor, "bid.moderated", ("bid", bid_id), summary).await?;
    tx.commit().await?;
    Ok(chosen.len())
}
