//! Scale data: organisations, their bids, the start of assessment and the panel's scores.
use super::{mix, Scale};
use anyhow::anyhow;
use app::domain::assessment::Declaration;
use app::domain::money::Pence;
use app::domain::round::{Panel, RoundStatus};
use chrono::{Datelike, NaiveDate, Utc};
use sqlx::AnyPool;

const PLACES: [&str; 8] = [
    "Grimsby",
    "Cleethorpes",
    "Immingham",
    "Waltham",
    "Laceby",
    "Humberston",
    "New Waltham",
    "Healing",
];
const KINDS: [&str; 6] = [
    "Lunch Club",
    "Befriending Service",
    "Foot Care CIC",
    "Carers' Network",
    "Men's Shed",
    "Community Transport",
];

/// The organisation form for organisation `n` (a third each charity, company, group).
pub(super) fn organisation_form(n: usize) -> app::domain::organisation::OrganisationForm {
    let place = PLACES[n % PLACES.len()];
    let kind = KINDS[(n / PLACES.len()) % KINDS.len()];
    let (legal_form, charity, company) = match n % 3 {
        0 => (
            "registered_charity",
            format!("{}", 1_100_000 + n),
            String::new(),
        ),
        1 => ("cic", String::new(), format!("{:08}", 9_000_000 + n)),
        _ => ("community_group", String::new(), String::new()),
    };
    app::domain::organisation::OrganisationForm {
        name: format!("{place} {kind} {n}"),
        legal_form: legal_form.into(),
        charity_number: charity,
        company_number: company,
        address_line_1: format!("{} High Street", 1 + n % 200),
        town: place.into(),
        postcode: "DN31 1HU".into(),
        contact_name: format!("Contact {n}"),
        contact_email: format!("org{n}@scale.seedbed.test"),
        income_band: "10k_100k".into(),
        area_served: "North East Lincolnshire".into(),
        ..Default::default()
    }
}

/// A domain refusal as an error naming each field and its message.
pub(super) fn failed(e: app::error::AppError) -> anyhow::Error {
    let fields: Vec<String> = e
        .field_errors()
        .into_iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    anyhow!("{e} {}", fields.join("; "))
}

/// What bid `b` of round `r` asks for, in pounds: £5,000 to £10,000.
pub(super) fn requested_pounds(r: usize, b: usize) -> i64 {
    5_000 + (mix((r * 1000 + b) as u64) % 6) as i64 * 1_000
}

/// Each of the round's bids started and sent by a different organisation's owner.
pub(super) async fn send_bids(
    pool: &AnyPool,
    round: i64,
    r: usize,
    scale: Scale,
    organisations: &[(i64, i64)],
    opens: NaiveDate,
) -> anyhow::Result<Vec<(i64, i64)>> {
    let now = app::db::now();
    let mut bids = Vec::with_capacity(scale.bids_per_round);
    let mut tx = pool.begin().await?;
    for b in 0..scale.bids_per_round {
        let (org, owner) = organisations[(r * scale.bids_per_round + b) % organisations.len()];
        let bid = app::db::bids::insert(&mut tx, round, org, owner, now)
            .await?
            .ok_or_else(|| anyhow!("organisation {org} already bid for round {round}"))?;
        let requested = requested_pounds(r, b);
        app::db::bids::set_requested(&mut tx, bid, Some(Pence(requested * 100))).await?;
        app::db::bids::submit(
            &mut tx,
            bid,
            &app::domain::bid::reference(opens.year(), bid),
            owner,
            now,
        )
        .await?
        .ok_or_else(|| anyhow!("bid {bid} could not be sent"))?;
        app::db::audit::entry(
            &mut tx,
            owner,
            "bid.started",
            ("bid", bid),
            "Bid started".into(),
        )
        .await?;
        app::db::audit::entry(
            &mut tx,
            owner,
            "bid.submitted",
            ("bid", bid),
            "Bid sent".into(),
        )
        .await?;
        bids.push((bid, owner));
    }
    tx.commit().await?;
    Ok(bids)
}

/// The round moves from closed into assessment, taking its sent bids with it.
pub(super) async fn start_assessment(pool: &AnyPool, round: i64) -> anyhow::Result<()> {
    let now = app::db::now();
    let mut tx = pool.begin().await?;
    let row = app::db::rounds::round(&mut tx, round)
        .await?
        .ok_or_else(|| anyhow!("round {round} missing"))?;
    let phase = app::domain::round::phase(
        row.status,
        row.details.opens_at,
        row.details.closes_at,
        Utc::now(),
    );
    app::domain::round::can_move(phase, RoundStatus::Assessment).map_err(|e| anyhow!(e))?;
    if !app::db::rounds::set_status(
        &mut tx,
        round,
        row.status,
        RoundStatus::Assessment,
        false,
        now,
    )
    .await?
    {
        return Err(anyhow!("round {round} changed while starting assessment"));
    }
    app::db::bids::start_assessment(&mut tx, round, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The panel: every assessor declares no conflict and scores every criterion of every bid.
pub(super) async fn score(
    pool: &AnyPool,
    round: i64,
    bids: &[(i64, i64)],
    assessors: &[i64],
    actor: i64,
) -> anyhow::Result<usize> {
    let now = app::db::now();
    let mut conn = pool.acquire().await?;
    let criteria: Vec<i64> = app::db::rounds::criteria(&mut conn, round)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let panel: Vec<(i64, Panel)> = assessors.iter().map(|a| (*a, Panel::Board)).collect();
    app::db::assessment::set_panel(&mut conn, round, &panel, actor, now).await?;
    drop(conn);
    let mut scores = 0;
    for (b, (bid, _)) in bids.iter().enumerate() {
        let mut tx = pool.begin().await?;
        for (a, assessor) in assessors.iter().enumerate() {
            app::db::assessment::assign(&mut tx, *bid, *assessor, now).await?;
            app::db::assessment::declare(
                &mut tx,
                *bid,
                *assessor,
                &Declaration::NoConflict,
                None,
                "",
                now,
            )
            .await?;
            for (c, criterion) in criteria.iter().enumerate() {
                // Stronger bids score higher with every assessor, give or take one.
                let base = 5 - (b * 5 / bids.len().max(1)) as u64;
                let jitter = mix(((b * 31 + a) * 7 + c) as u64) % 3;
                let value = (base + jitter).saturating_sub(1).min(5) as u32;
                app::db::assessment::save_score(
                    &mut tx,
                    *bid,
                    *assessor,
                    *criterion,
                    Some(value),
                    "Scored against the descriptors; see the bid's sustainability plan.",
                    now,
                )
                .await?;
                scores += 1;
            }
            app::db::assessment::submit(&mut tx, *bid, *assessor, now).await?;
            let summary = "Scores submitted".to_string();
            app::db::audit::entry(
                &mut tx,
                *assessor,
                "bid.scores_submitted",
                ("bid", *bid),
                summary,
            )
            .await?;
        }
        // Once every assessor's scores for the bid are in (same transaction).
        app::db::assessment::refresh_score_totals(&mut tx, *bid).await?;
        tx.commit().await?;
    }
    Ok(scores)
}
