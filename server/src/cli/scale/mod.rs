//! Scale data for load benchmarks: `seedbed demo --scale N`.
//!
//! At N = 1: 10 rounds of 300 bids each, 15 assessors scoring every bid, 500 funded schemes
//! with 12 returns each, 5,000 organisations (each with its own account) and the audit trail
//! their actions leave (over 50,000 entries). N scales every count (N = 0.1 is one tenth). Deterministic: the same N
//! gives the same data. Everything goes through the rules and queries the pages use: the
//! organisation form, the round form and publishing (which reserves the envelope), bid
//! sending, conflict declarations, the decision rule (which commits the money and makes the
//! scheme with its tranches and returns), the return form and review. The scale bids carry
//! no answers (the demo's own bids do): their sections are not what the benchmark reads.
mod bids;
mod schemes;

use crate::cli::demo::funding::{build_round, close_in_the_past, templates, RoundSpec};
use anyhow::{anyhow, Context};
use app::domain::fund::FinancialYear;
use app::domain::money::Pence;
use bids::{failed, organisation_form, requested_pounds, score, send_bids, start_assessment};
use chrono::{Duration, Months, NaiveDate, Utc};
use schemes::follow;
use sqlx::{AnyPool, Row};

/// How much data to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub rounds: usize,
    pub bids_per_round: usize,
    pub assessors: usize,
    pub schemes: usize,
    pub returns_per_scheme: usize,
    pub organisations: usize,
}

impl Scale {
    /// N = 1 is the full set; every count is multiplied by N (at least one of each). The audit
    /// trail grows with the actions (about 56,000 entries at N = 1).
    pub fn times(n: f64) -> Result<Scale, String> {
        if !(n.is_finite() && n > 0.0 && n <= 20.0) {
            return Err("The scale must be a number above 0 and at most 20, like 1 or 0.1".into());
        }
        let of = |full: usize| ((full as f64 * n).round() as usize).max(1);
        let rounds = of(10).max(2);
        // Up to N = 1 every count shrinks with N. Beyond it a fund's history grows as it
        // would: more rounds of the same size, scored by the same board (N = 10: 100 rounds,
        // 30,000 bids, 5,000 schemes), so the newest round's moderation page is the same
        // size at every N and what grows is everything around it.
        let (bids_per_round, assessors) = if n <= 1.0 {
            (of(300).max(2), of(15))
        } else {
            (300, 15)
        };
        // Every decided round funds the same share; the last round stays in assessment.
        let schemes = of(500).min((rounds - 1) * bids_per_round);
        Ok(Scale {
            rounds,
            bids_per_round,
            assessors,
            schemes,
            returns_per_scheme: 12,
            organisations: of(5_000).max(rounds * bids_per_round),
        })
    }
}

/// What was loaded, for the summary and the load benchmark.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The round still in assessment, with `bids_per_round` scored bids.
    pub moderation_round: i64,
    /// An open round anyone can see (from the demo data).
    pub open_round: i64,
    pub bids: usize,
    pub scores: usize,
    pub schemes: usize,
    pub returns: usize,
    pub organisations: usize,
    pub audit_entries: i64,
}

/// A deterministic stream of numbers (splitmix64), seeded per use.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Load the demo data, then `scale` more on top. Refused if scale data is already there.
pub async fn load(pool: &AnyPool, scale: Scale) -> anyhow::Result<Loaded> {
    crate::cli::demo::load_open(pool).await?;
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email LIKE '%@scale.seedbed.test'")
            .fetch_one(pool)
            .await?;
    if existing > 0 {
        return Err(anyhow!(
            "This database already holds scale data: load it into a fresh database"
        ));
    }
    let commissioner = app::db::users::by_email(pool, "commissioner@seedbed.test")
        .await?
        .ok_or_else(|| anyhow!("demo commissioner missing"))?
        .id;
    let state = crate::cli::demo::offline_state(pool);
    // The scale data is history from before the partners named approvers (as the demo's
    // is): its awards are made at once. The approvers are named again at the end.
    let approvers: Vec<(i64, i64)> = {
        let rows = sqlx::query("SELECT id, approver_for FROM users WHERE approver_for IS NOT NULL")
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("approver_for")?)))
            .collect::<Result<_, sqlx::Error>>()?
    };
    sqlx::query("UPDATE users SET approver_for = NULL")
        .execute(pool)
        .await?;
    let hash = app::service::accounts::password::hash_password(
        crate::cli::demo::DEMO_PASSWORD.to_string(),
    )
    .await
    .map_err(failed)?;
    let now = app::db::now();

    // People: assessors (board members), and one account owning each organisation.
    let mut tx = pool.begin().await?;
    let mut assessors = Vec::new();
    for i in 0..scale.assessors {
        let id = app::db::users::insert(
            &mut tx,
            &format!("assessor{i}@scale.seedbed.test"),
            &format!("Assessor {:02}", i + 1),
            &hash,
            true,
            now,
        )
        .await?;
        app::db::users::set_roles(
            &mut tx,
            id,
            &[app::domain::roles::Role::BoardMember],
            Some(commissioner),
            now,
        )
        .await?;
        assessors.push(id);
    }
    tx.commit().await?;
    let mut organisations = Vec::with_capacity(scale.organisations);
    for chunk in (0..scale.organisations).collect::<Vec<_>>().chunks(500) {
        let mut tx = pool.begin().await?;
        for &n in chunk {
            let owner = app::db::users::insert(
                &mut tx,
                &format!("org{n}@scale.seedbed.test"),
                &format!("Contact {n}"),
                &hash,
                true,
                now,
            )
            .await?;
            let form = organisation_form(n)
                .parse()
                .map_err(crate::cli::demo::common::fail)
                .with_context(|| format!("organisation {n}"))?;
            let org = app::db::organisations::insert(&mut tx, &form, owner, now).await?;
            let summary = format!(
                "Organisation registered: {} ({})",
                form.name,
                form.legal_form.label()
            );
            app::db::audit::entry(
                &mut tx,
                owner,
                "organisation.registered",
                ("organisation", org),
                summary,
            )
            .await?;
            organisations.push((org, owner));
        }
        tx.commit().await?;
    }

    // Rounds: one every four months, the newest closed last week and in assessment.
    let today = app::domain::date::uk_date(Utc::now());
    let templates = templates();
    let per_round_awards = scale.schemes.div_ceil(scale.rounds - 1);
    let max_award = 10_000i64;
    let mut loaded = Loaded {
        moderation_round: 0,
        open_round: 0,
        bids: 0,
        scores: 0,
        schemes: 0,
        returns: 0,
        organisations: organisations.len(),
        audit_entries: 0,
    };
    for r in 0..scale.rounds {
        let newest = r + 1 == scale.rounds;
        let opens = if newest {
            today - Duration::weeks(8)
        } else {
            // Four months apart, three a year, whatever N: ten times the history is ten
            // times the years (N = 1: ten rounds over three years; N = 10: a hundred over
            // thirty-three), as a fund's would be, so that a year's awards are as many at
            // every N (its 360Giving file, its pooled fund).
            let back = 40 + 4 * (scale.rounds - 2 - r);
            today
                .checked_sub_months(Months::new(back as u32))
                .unwrap_or(today)
        };
        let envelope = per_round_awards as i64 * max_award;
        // The round's year, and the years its awards' later tranches fall in.
        for months in [0, 12, 24, 36] {
            let year = opens
                .checked_add_months(Months::new(months))
                .unwrap_or(opens);
            ensure_fund(pool, year, Pence(envelope * 100), commissioner).await?;
        }
        let template = &templates[r % templates.len()];
        let spec = RoundSpec {
            title: format!("{} (round {} of the scale data)", template.title, r + 1),
            envelope: envelope.to_string(),
            max_award: max_award.to_string(),
            // Quarterly returns cover the funded period and the year after it: 24 months
            // funded gives 12 returns.
            period_months: "24".into(),
            opens,
            opens_time: "9am",
            closes: today + Duration::weeks(6),
            decision: today + Duration::weeks(10),
        };
        let round = build_round(pool, template, &spec, commissioner).await?;
        let bids = send_bids(pool, round, r, scale, &organisations, opens).await?;
        close_in_the_past(pool, round, opens + Duration::weeks(6)).await?;
        app::service::rounds::advance_by_clock(pool, Utc::now()).await?;
        start_assessment(pool, round).await?;
        loaded.scores += score(pool, round, &bids, &assessors, commissioner).await?;
        loaded.bids += bids.len();
        if newest {
            loaded.moderation_round = round;
            continue;
        }
        let awards = per_round_awards.min(scale.schemes - loaded.schemes);
        let start = opens + Duration::weeks(16);
        for (i, (bid, owner)) in bids.iter().enumerate() {
            let award = i < awards;
            let form = app::domain::decision::DecisionForm {
                outcome: if award { "award" } else { "decline" }.into(),
                amount: if award {
                    requested_pounds(r, i).to_string()
                } else {
                    String::new()
                },
                conditions: "Monitoring returns every quarter".into(),
                purpose: "Seed funding to set up a preventative community service".into(),
                // Scale data awards the first bids of each round whatever their scores.
                override_reason: "Scale data for the load benchmark".into(),
                feedback: if award {
                    String::new()
                } else {
                    "The panel funded bids with a clearer route to sustainability.".into()
                },
                returns_every: "3".into(),
                ..Default::default()
            };
            app::service::decisions::decide(
                state.ctx(),
                commissioner,
                &app::service::decisions::Decide {
                    round_id: round,
                    bid_id: *bid,
                    form,
                    start,
                },
            )
            .await
            .map_err(|e| failed(e.into()))
            .with_context(|| format!("decision on bid {bid}"))?;
            if award {
                loaded.returns += follow(pool, *bid, *owner, commissioner, i).await?;
                loaded.schemes += 1;
            }
        }
    }
    loaded.open_round = sqlx::query_scalar(
        "SELECT MIN(id) FROM rounds WHERE status IN ('published', 'open') AND title NOT LIKE '%scale data%'",
    )
    .fetch_one(pool)
    .await?;
    for (user, partner) in approvers {
        let mut conn = pool.acquire().await?;
        app::db::users::set_approver_for(&mut conn, user, Some(partner)).await?;
    }
    // The past years closed by their year-ends, as the demo's are.
    crate::cli::demo::close_past_years(pool).await?;
    loaded.audit_entries = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await?;
    // After a bulk load, statistics for the query planner (SQLite; PostgreSQL's autovacuum
    // analyses by itself): `ANALYZE` on both backends.
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(loaded)
}

/// The pooled fund of the financial year containing `day` holds at least `more` beyond what
/// it has reserved and committed: set up (both partners contributing) or varied.
async fn ensure_fund(
    pool: &AnyPool,
    day: NaiveDate,
    more: Pence,
    actor: i64,
) -> anyhow::Result<()> {
    let year = FinancialYear::containing(day);
    let now = app::db::now();
    let partners = app::db::fund::partners(pool).await?;
    let (council, icb) = match partners.as_slice() {
        [a, b, ..] => (a.id, b.id),
        _ => return Err(anyhow!("the demo partners are missing")),
    };
    let fund = app::db::fund::fund_for_year(pool, year).await?;
    let mut tx = pool.begin().await?;
    match fund {
        Some(fund) => {
            let free = fund.agreed.0 - fund.reserved.0 - fund.committed.0;
            if free < more.0 {
                app::db::fund::vary(
                    &mut tx,
                    fund.id,
                    council,
                    Pence(more.0 - free),
                    "Additional contribution for a further round",
                    actor,
                    now,
                )
                .await?;
            }
        }
        None => {
            let council_share = Pence(more.0 * 3 / 5);
            let shares = [
                (council, council_share),
                (icb, Pence(more.0 - council_share.0)),
            ];
            crate::cli::demo::funding::set_up_fund(&mut tx, year, &shares, actor, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_the_full_set_and_a_tenth_scales_every_count() {
        let full = Scale::times(1.0).unwrap();
        assert_eq!(
            (
                full.rounds,
                full.bids_per_round,
                full.assessors,
                full.schemes
            ),
            (10, 300, 15, 500)
        );
        assert_eq!(full.organisations, 5_000);
        let tenth = Scale::times(0.1).unwrap();
        assert_eq!(
            (
                tenth.rounds,
                tenth.bids_per_round,
                tenth.assessors,
                tenth.schemes
            ),
            (2, 30, 2, 30)
        );
        assert_eq!(tenth.returns_per_scheme, 12);
        // Ten times the history: ten times the rounds, bids, schemes and organisations.
        let ten = Scale::times(10.0).unwrap();
        assert_eq!(
            (ten.rounds, ten.bids_per_round, ten.assessors, ten.schemes),
            (100, 300, 15, 5_000)
        );
        assert_eq!(ten.rounds * ten.bids_per_round, 30_000);
        assert_eq!(ten.organisations, 50_000);
        assert!(Scale::times(0.0).is_err());
        assert!(Scale::times(f64::NAN).is_err());
        assert!(Scale::times(21.0).is_err());
    }

    #[test]
    fn organisations_are_valid_and_distinct() {
        let names: std::collections::HashSet<String> = (0..300)
            .map(|n| {
                let form = organisation_form(n);
                assert!(form.parse().is_ok(), "organisation {n} is valid");
                form.name
            })
            .collect();
        assert_eq!(names.len(), 300);
    }
}
