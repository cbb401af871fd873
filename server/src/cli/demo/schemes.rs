//! Demo history of funded schemes, told through the same rules as the pages: a chiropody
//! social enterprise funded over two years ago whose charges grew until it graduated; a
//! church meals-and-help scheme a year in, on track with volunteers; and a befriending
//! scheme that is behind plan. Bids are checked and sent, awards go through the decision
//! rule (money committed from the fund of the year), tranches are evidenced and paid
//! through the ledger, returns are sent and accepted. Only the timestamps are today's.
use super::stories::{Story, STORIES};
use anyhow::{anyhow, Context};
use app::domain::answers::{check_section, Answers, SectionContext};
use app::domain::money::Pence;
use app::domain::monitoring::{ReturnContent, ReturnForm};
use app::domain::organisation::OrganisationForm;
use app::domain::round::{QuestionType, SectionKind};
use app::domain::time::UtcTime;
use chrono::{Datelike, Months, NaiveDate, Utc};
use sqlx::AnyPool;

fn money(p: i64) -> String {
    p.to_string()
}

/// The bid's answers for each section, as the pages would post them.
fn section_answers(
    kind: SectionKind,
    questions: &[(i64, app::domain::round::Question)],
    story: &Story,
) -> Answers {
    let s = |k: &str, v: String| (k.to_string(), v);
    let pairs: Vec<(String, String)> = match kind {
        SectionKind::Organisation => vec![s("confirmed", "answer[confirmed]".into())],
        SectionKind::Budget => vec![
            s("line0_description", "Running the service".into()),
            s("line0_category", "staff".into()),
            s("line0_y1", money(story.plan[0].1)),
            s("line0_y2", money(story.plan[1].1)),
            s("amount_requested", money(story.amount)),
        ],
        SectionKind::Sustainability => {
            let mut out = vec![s("years", "3".into())];
            for (i, (costs, grant, charge, users, hours)) in story.plan.iter().enumerate() {
                let y = i + 1;
                out.push(s(&format!("y{y}_costs"), money(*costs)));
                out.push(s(&format!("y{y}_seed_grant"), money(*grant)));
                out.push(s(&format!("y{y}_charge_per_user"), money(*charge)));
                out.push(s(&format!("y{y}_expected_users"), users.to_string()));
                if *hours > 0 {
                    out.push(s(&format!("y{y}_volunteer_hours"), hours.to_string()));
                    out.push(s(&format!("y{y}_value_per_hour"), "12".into()));
                }
            }
            out
        }
        SectionKind::Custom => questions
            .iter()
            .flat_map(|(id, q)| {
                let key = format!("q{id}");
                match q.qtype {
                    QuestionType::Date => vec![
                        s(&format!("{key}_day"), "1".into()),
                        s(&format!("{key}_month"), "4".into()),
                        s(&format!("{key}_year"), "2025".into()),
                    ],
                    QuestionType::WholeNumber => vec![s(&key, "300".into())],
                    QuestionType::YesNo => vec![s(&key, "yes".into())],
                    _ => vec![s(&key, story.service.into())],
                }
            })
            .collect(),
    };
    pairs.into_iter().collect()
}

async fn user_id(pool: &AnyPool, email: &str) -> anyhow::Result<i64> {
    Ok(app::db::users::by_email(pool, email)
        .await?
        .ok_or_else(|| anyhow!("demo account {email} is missing"))?
        .id)
}

pub(super) async fn round_id(pool: &AnyPool, title: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar("SELECT id FROM rounds WHERE title = $1")
        .bind(title)
        .fetch_one(pool)
        .await?)
}

/// Load once, after the rounds (the history rounds have closed by the clock).
pub async fn load(pool: &AnyPool, actor: i64) -> anyhow::Result<()> {
    let today = app::domain::date::uk_date(Utc::now());
    super::measures::load(pool, actor, today).await?;
    let state = super::common::offline_state(pool);
    let now = app::db::now();
    for story in &STORIES {
        let round = round_id(pool, story.round).await?;
        let owner = user_id(pool, story.owner).await?;
        let mut conn = pool.acquire().await?;
        let details = app::db::rounds::round(&mut conn, round)
            .await?
            .ok_or_else(|| anyhow!("history round missing"))?
            .details;
        let sections = app::db::rounds::sections(&mut conn, round).await?;
        drop(conn);
        let org = OrganisationForm {
            name: story.organisation.into(),
            legal_form: story.legal_form.into(),
            charity_number: story.charity_number.into(),
            company_number: story.company_number.into(),
            address_line_1: "1 Church Lane".into(),
            town: "Grimsby".into(),
            postcode: "DN31 1AA".into(),
            contact_name: story.organisation.into(),
            contact_email: story.owner.into(),
            income_band: "10k_100k".into(),
            area_served: "North East Lincolnshire".into(),
            ..Default::default()
        }
        .parse()
        .map_err(super::common::fail)?;
        let requested = Pence(story.amount * 100);
        let ctx = SectionContext {
            funded_years: app::domain::answers::funded_years(details.period_months),
            min_award: details.min_award,
            max_award: details.max_award,
            requested: Some(requested),
            files: vec![],
        };
        let mut tx = pool.begin().await?;
        let org_id = app::db::organisations::insert(&mut tx, &org, owner, now).await?;
        let bid_id = app::db::bids::insert(&mut tx, round, org_id, owner, now)
            .await?
            .ok_or_else(|| anyhow!("history bid exists"))?;
        for section in &sections {
            let a = section_answers(section.kind, &section.questions, story);
            if let Some(p) = check_section(section.kind, &section.questions, &a, &ctx, true).first()
            {
                return Err(anyhow!(
                    "history bid answer refused: {}: {}",
                    p.field,
                    p.message
                ));
            }
            app::db::bids::save_section(&mut tx, bid_id, section.id, 0, &a, true, owner, now)
                .await?;
        }
        app::db::bids::set_requested(&mut tx, bid_id, Some(requested)).await?;
        let year = app::domain::date::uk_date(details.closes_at).year();
        app::db::bids::submit(
            &mut tx,
            bid_id,
            &app::domain::bid::reference(year, bid_id),
            owner,
            now,
        )
        .await?
        .ok_or_else(|| anyhow!("history bid could not be sent"))?;
        app::db::bids::start_assessment(&mut tx, round, now).await?;
        tx.commit().await?;
        // The award, through the decision rule: money committed, scheme and schedule made.
        let mut start = app::domain::date::uk_date(details.opens_at)
            .checked_add_months(Months::new(story.started_after))
            .unwrap_or(today);
        if story.in_last_year {
            let last = app::domain::fund::FinancialYear(
                app::domain::fund::FinancialYear::containing(today).0 - 1,
            );
            start = start.max(last.starts().unwrap_or(start));
        }
        let form = app::domain::decision::DecisionForm {
            outcome: "award".into(),
            amount: money(story.amount),
            conditions:
                "Monitoring returns every quarter; tell us early about any risk to the service"
                    .into(),
            purpose: story.service.into(),
            feedback: String::new(),
            returns_every: "3".into(),
            ..Default::default()
        };
        app::service::decisions::decide(
            state.ctx(),
            actor,
            &app::service::decisions::Decide {
                round_id: round,
                bid_id,
                form,
                start,
            },
        )
        .await
        .map_err(|e| anyhow!("history award refused: {e}"))
        .context(story.organisation)?;
        follow(pool, story, bid_id, owner, actor, round).await?;
    }
    super::scheme_changes::tie_outcomes(pool, actor).await?;
    super::scheme_changes::suspend_befriending(pool, actor, today).await?;
    super::scheme_changes::vary_meals(pool, actor).await?;
    super::scheme_changes::claw_back_chiropody(pool, actor, today).await
}

/// A tranche evidenced by a member (`people.0`), its evidence approved by a commissioner
/// (`people.1`) and its payment recorded by another (`people.2`) from the round's fund
/// (`fund.0`, round `fund.1`), as the tranche pages do: the tranche first (never twice),
/// then the fund and the ledger.
pub(crate) async fn evidence_and_pay(
    tx: &mut sqlx::AnyConnection,
    tranche: i64,
    fund: (i64, i64),
    people: (i64, i64, i64),
    evidence: &str,
    reason: &str,
) -> anyhow::Result<()> {
    let now = app::db::now();
    app::db::tranches::submit_evidence(&mut *tx, tranche, evidence, people.0, now).await?;
    if !app::db::tranches::approve_tranche(&mut *tx, tranche, "", people.1, now).await? {
        return Err(anyhow!("tranche {tranche} not approved"));
    }
    let reference = format!("BACS-{tranche:06}");
    let paid_on = now.uk_day().0;
    let amount =
        app::db::tranches::pay_tranche(&mut *tx, tranche, &reference, paid_on, people.2, now)
            .await?
            .ok_or_else(|| anyhow!("tranche {tranche} not paid"))?;
    // Charged to the fund of the year the tranche is planned in (where it is paid).
    let (round_fund, round_id) = fund;
    let fund_id: Option<i64> = sqlx::query_scalar("SELECT fund_id FROM tranches WHERE id = $1")
        .bind(tranche)
        .fetch_one(&mut *tx)
        .await?;
    let fund_id = fund_id.unwrap_or(round_fund);
    let paid = app::db::fund::pay(
        &mut *tx, fund_id, round_id, tranche, amount, reason, people.2, now,
    );
    if !paid.await? {
        return Err(anyhow!("payment of tranche {tranche} refused"));
    }
    Ok(())
}

/// The second commissioner's id: the one who records the payments (four eyes).
pub(crate) async fn payer(pool: &AnyPool) -> anyhow::Result<i64> {
    Ok(app::db::users::by_email(pool, super::common::PAYER_EMAIL)
        .await?
        .ok_or_else(|| anyhow!("demo account {} is missing", super::common::PAYER_EMAIL))?
        .id)
}

/// After the award: accepted, tranches paid, returns sent and accepted, perhaps graduated.
async fn follow(
    pool: &AnyPool,
    story: &Story,
    bid_id: i64,
    owner: i64,
    actor: i64,
    round: i64,
) -> anyhow::Result<()> {
    let now = app::db::now();
    let mut conn = pool.acquire().await?;
    let scheme = app::db::schemes::of_bid(&mut conn, bid_id)
        .await?
        .ok_or_else(|| anyhow!("history scheme missing"))?;
    let fund_id = app::db::rounds::round(&mut conn, round)
        .await?
        .and_then(|r| r.fund_id)
        .ok_or_else(|| anyhow!("history round has no fund"))?;
    let tranches = app::db::tranches::tranches(&mut conn, scheme).await?;
    let returns = app::db::returns::returns(&mut conn, scheme).await?;
    let measures = app::db::measures::measures(&mut conn, round).await?;
    drop(conn);
    let payer = payer(pool).await?;
    let mut tx = pool.begin().await?;
    app::db::schemes::accept(&mut tx, scheme, owner, now).await?;
    tx.commit().await?;
    for t in tranches.iter().take(story.tranches_paid) {
        let mut tx = pool.begin().await?;
        let reason = format!("Tranche {} to {}", t.position, story.organisation);
        let evidence = "Milestone met: see the monitoring returns.";
        evidence_and_pay(
            &mut tx,
            t.id,
            (fund_id, round),
            (owner, actor, payer),
            evidence,
            &reason,
        )
        .await?;
        tx.commit().await?;
    }
    for (r, (costs, grant, charges, donations, in_kind, values)) in
        returns.iter().zip(story.returns)
    {
        let mut form = ReturnForm {
            narrative: "The service ran as planned this quarter.".into(),
            ..ReturnForm::default()
        };
        for (key, v) in [
            ("costs", costs),
            ("seed_grant", grant),
            ("charges", charges),
            ("donations", donations),
            ("in_kind", in_kind),
        ] {
            form.money.insert(key.into(), v.to_string());
        }
        for (m, v) in measures.iter().zip(values.iter()) {
            form.measures.insert(m.id.to_string(), v.to_string());
        }
        let names: Vec<_> = measures
            .iter()
            .map(|m| (m.id, m.name.clone(), m.unit))
            .collect();
        let content: ReturnContent = form.parse(&names, true).map_err(super::common::fail)?;
        let mut tx = pool.begin().await?;
        app::db::returns::save_return(&mut tx, r.id, &form, &content, true, owner, UtcTime::now())
            .await?;
        app::db::returns::review_return(&mut tx, r.id, true, "", actor, UtcTime::now()).await?;
        tx.commit().await?;
    }
    if story.graduate {
        let mut tx = pool.begin().await?;
        app::db::schemes::graduate(&mut tx, scheme, story.returns.len() as u32, actor, now).await?;
        for gap in app::db::rounds::gap_ids(&mut tx, round).await? {
            app::db::schemes::mark_gap_filled(&mut tx, gap, now).await?;
        }
        tx.commit().await?;
    }
    // The history happened in the past: awarded and accepted on the day the scheme started,
    // each paid tranche on its due day (never after today), so every page tells one story.
    let at_ten = |day: NaiveDate| {
        let ten = day.and_hms_opt(10, 0, 0).unwrap_or_default();
        app::domain::date::uk_local_to_utc("day", "Day", ten.date(), ten.time())
            .map(UtcTime::from)
            .unwrap_or_else(|_| UtcTime::now())
    };
    let mut conn = pool.acquire().await?;
    let starts_on = app::db::schemes::get(&mut conn, scheme)
        .await?
        .map(|s| s.starts_on)
        .unwrap_or_else(today_uk);
    let started = at_ten(starts_on.min(today_uk()));
    let paid: Vec<(i64, UtcTime)> = tranches
        .iter()
        .take(story.tranches_paid)
        .map(|t| (t.id, at_ten(t.due_on.max(starts_on).min(today_uk()))))
        .collect();
    app::db::schemes::set_history(&mut conn, scheme, started, &paid).await?;
    Ok(())
}

fn today_uk() -> NaiveDate {
    app::domain::date::uk_date(Utc::now())
}
