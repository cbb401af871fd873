//! A round's lifecycle: publishing, a new version after publishing, assessment, and the clock.
use super::*;

/// Publish a draft: check it is complete, lock it and reserve its envelope from the fund,
/// all in one transaction. Refused, changing nothing, when the fund has too little left.
#[server(prefix = "/api", endpoint = "rounds/publish")]
pub async fn publish_round(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    match publish(&state.pool, round_id, user.id).await? {
        Ok(()) => {
            done(
                "Round published. Its budget envelope is reserved from the pooled fund",
                format!("/fund/rounds/{round_id}"),
            )
            .await
        }
        Err(message) => Err(refuse("round_action", message).await),
    }
}

/// The publishing rule itself, shared by the page and the demo data. `Ok(Err(message))`
/// is a refusal to show; nothing has changed then.
#[cfg(feature = "ssr")]
pub async fn publish(
    pool: &sqlx::AnyPool,
    round_id: i64,
    actor: i64,
) -> Result<Result<(), String>, AppError> {
    let mut conn = pool.acquire().await?;
    let round = load_round(&mut conn, round_id).await?;
    drop(conn);
    let Some(fund) = db::fund::fund_for_year(pool, fund_year_of(&round)).await? else {
        return Ok(Err(format!(
            "Set up the pooled fund for {} before publishing: the budget envelope is reserved from it",
            fund_year_of(&round).label()
        )));
    };
    let now_t = chrono::Utc::now();
    let now = crate::domain::time::to_db(now_t);
    let mut tx = pool.begin().await?;
    if !db::rounds::mark_published(&mut tx, round_id, fund.id, &now).await? {
        return Ok(Err("This round has already been published".into()));
    }
    // Checked under the lock, so a concurrent change cannot slip past.
    let gap_ids = db::rounds::gap_ids(&mut tx, round_id).await?;
    let gaps = gap_titles(&mut tx, &gap_ids).await?;
    let sections = section_views(db::rounds::sections(&mut tx, round_id).await?);
    let criteria = criterion_views(db::rounds::criteria(&mut tx, round_id).await?, &sections);
    let problems = publish_problems(&round, &gaps, &sections, &criteria, true, now_t);
    if let Some(first) = problems.into_iter().next() {
        return Ok(Err(first));
    }
    let reason = format!(
        "Budget envelope for \u{201c}{}\u{201d}",
        round.details.title
    );
    if let Err(refusal) = db::fund::reserve(
        &mut tx,
        fund.id,
        round.details.envelope,
        round_id,
        &reason,
        actor,
        &now,
    )
    .await?
    {
        return Ok(Err(refusal.message()));
    }
    for gap in &gap_ids {
        sqlx::query("UPDATE gaps SET status = 'round_open', updated_at = $1 WHERE id = $2 AND status = 'identified'")
            .bind(&now)
            .bind(gap)
            .execute(&mut *tx)
            .await?;
    }
    record(
        &mut tx,
        actor,
        "round.published",
        round_id,
        format!(
            "Published: {}; {} reserved from the pooled fund",
            round.details.title, round.details.envelope
        ),
        Some("Draft".into()),
        Some("Published".into()),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// A change after publishing: the round goes back to draft as a new version (not open to
/// bids meanwhile) and its reservation is released; publishing again reserves it again.
#[server(prefix = "/api", endpoint = "rounds/new_version")]
pub async fn new_version(round_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let values = [("reason", reason.as_str())];
    let reason = match crate::domain::text::required_text(
        "reason",
        &reason,
        "Enter the reason for changing the published round",
        1000,
        "Reason",
    ) {
        Ok(r) => r,
        Err(e) => {
            return Err(auth::reject_form("new_version", &values, AppError::Invalid(vec![e])).await)
        }
    };
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, round_id).await?;
    drop(conn);
    let now_t = chrono::Utc::now();
    let phase = crate::domain::round::phase(
        round.status,
        round.details.opens_at,
        round.details.closes_at,
        now_t,
    );
    if let Err(e) = crate::domain::round::can_move(phase, RoundStatus::Draft) {
        return Err(refuse("new_version", e).await);
    }
    let now = crate::domain::time::to_db(now_t);
    let mut tx = state.pool.begin().await?;
    if !db::rounds::set_status(
        &mut tx,
        round_id,
        round.status,
        RoundStatus::Draft,
        true,
        &now,
    )
    .await?
    {
        return Err(refuse("new_version", CHANGED).await);
    }
    if let Some(fund_id) = round.fund_id {
        db::fund::release(
            &mut tx,
            fund_id,
            round_id,
            &format!(
                "Round \u{201c}{}\u{201d} reopened for changes",
                round.details.title
            ),
            user.id,
            &now,
        )
        .await?;
    }
    record(
        &mut tx,
        user.id,
        "round.new_version",
        round_id,
        format!("Version {} started: {reason}", round.version + 1),
        Some(format!("{} (version {})", phase.label(), round.version)),
        Some(format!("Draft (version {})", round.version + 1)),
    )
    .await?;
    tx.commit().await?;
    done(
        "The round is a draft again. Make your changes, then publish it",
        format!("/fund/rounds/{round_id}"),
    )
    .await
}

/// After the deadline a commissioner starts assessment.
#[server(prefix = "/api", endpoint = "rounds/start_assessment")]
pub async fn start_assessment(round_id: i64) -> Result<(), AppError> {
    let (state, user) = commissioner().await?;
    let mut conn = state.pool.acquire().await?;
    let round = load_round(&mut conn, round_id).await?;
    drop(conn);
    let now_t = chrono::Utc::now();
    let phase = crate::domain::round::phase(
        round.status,
        round.details.opens_at,
        round.details.closes_at,
        now_t,
    );
    if let Err(e) = crate::domain::round::can_move(phase, RoundStatus::Assessment) {
        return Err(refuse("round_action", e).await);
    }
    let now = crate::domain::time::to_db(now_t);
    let mut tx = state.pool.begin().await?;
    if !db::rounds::set_status(
        &mut tx,
        round_id,
        round.status,
        RoundStatus::Assessment,
        false,
        &now,
    )
    .await?
    {
        return Err(refuse("round_action", CHANGED).await);
    }
    db::bids::start_assessment(&mut tx, round_id, &now).await?;
    record(
        &mut tx,
        user.id,
        "round.assessment_started",
        round_id,
        "Assessment started".into(),
        Some("Closed".into()),
        Some("In assessment".into()),
    )
    .await?;
    tx.commit().await?;
    done("Assessment started", format!("/fund/rounds/{round_id}")).await
}

/// Move rounds on by the clock (published → open → closed), once each, audited. Safe to run
/// in any number of server instances at once: each transition is claimed by a unique row.
#[cfg(feature = "ssr")]
pub async fn advance_by_clock(
    pool: &sqlx::AnyPool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    let now_text = crate::domain::time::to_db(now);
    let mut moved = 0;
    for (id, title, version, from, to) in db::rounds::due_transitions(pool, &now_text).await? {
        let mut tx = pool.begin().await?;
        if !db::rounds::claim_transition(&mut tx, id, to, version, &now_text).await? {
            continue;
        }
        if !db::rounds::set_status(&mut tx, id, from, to, false, &now_text).await? {
            continue;
        }
        db::audit::record(
            &mut tx,
            db::audit::Entry {
                actor: None,
                action: if to == RoundStatus::Open {
                    "round.opened"
                } else {
                    "round.closed"
                },
                subject_type: "round",
                subject_id: id.to_string(),
                summary: format!(
                    "{}: {} at the time set",
                    title,
                    if to == RoundStatus::Open {
                        "opened"
                    } else {
                        "closed"
                    }
                ),
                before: Some(from.label().into()),
                after: Some(to.label().into()),
            },
        )
        .await?;
        tx.commit().await?;
        moved += 1;
    }
    Ok(moved)
}
