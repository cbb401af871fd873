//! Demo funding data: this year's pooled fund with both partners, the three gaps from the
//! product brief, one open round per gap with a realistic questionnaire and criteria, and a
//! few commissioned services. Everything goes through the same domain parsing, queries and
//! publishing rule as the pages use.
use super::catalogue::{rounds, services, DemoRound};
use super::common::fail;
use anyhow::{anyhow, Context};
use app::domain::fund::FinancialYear;
use app::domain::money::Pence;
use app::domain::registers::GapForm;
use app::domain::round::{CriterionForm, QuestionForm, RoundForm};
use chrono::{Datelike, Duration, Utc};
use sqlx::AnyPool;

const DESCRIPTORS: [&str; 6] = [
    "Unacceptable: not addressed",
    "Poor: major gaps or doubts",
    "Weak: addressed with significant weaknesses",
    "Satisfactory: addressed, with some weaknesses",
    "Good: well addressed with evidence",
    "Excellent: fully addressed, well evidenced and innovative",
];

/// Set up a year's pooled fund with each partner's contribution (the agreed value is their
/// sum), as the set-up page does. Returns the fund's id.
pub(crate) async fn set_up_fund(
    conn: &mut sqlx::AnyConnection,
    year: FinancialYear,
    shares: &[(i64, Pence)],
    actor: i64,
    now: app::domain::time::UtcTime,
) -> anyhow::Result<i64> {
    let agreed = Pence(shares.iter().map(|(_, p)| p.0).sum());
    let fund = app::service::fund::NewFund {
        year,
        agreed,
        contributions: shares.to_vec(),
    };
    app::service::fund::set_up_in(conn, actor, &fund, now)
        .await
        .map_err(|e| anyhow::anyhow!("setting up the {} fund: {e:?}", year.label()))
}

/// What a round built from a template is called, how much it holds and when it runs.
pub(crate) struct RoundSpec {
    pub title: String,
    pub envelope: String,
    pub max_award: String,
    pub period_months: String,
    pub opens: chrono::NaiveDate,
    pub opens_time: &'static str,
    pub closes: chrono::NaiveDate,
    pub decision: chrono::NaiveDate,
}

/// The demo rounds, as templates for more rounds (the scale data).
pub(crate) fn templates() -> Vec<DemoRound> {
    rounds()
}

/// Build a round from a template through the round form, question and criterion rules, and
/// publish it (reserving its envelope from the pooled fund). Returns the round's id.
pub(crate) async fn build_round(
    pool: &AnyPool,
    demo: &DemoRound,
    spec: &RoundSpec,
    actor: i64,
) -> anyhow::Result<i64> {
    let now = app::db::now();
    let (opens, closes, decision) = (spec.opens, spec.closes, spec.decision);
    let gap = GapForm {
        title: if spec.title == demo.title {
            demo.gap.title.clone()
        } else {
            format!("{} ({})", demo.gap.title, spec.title)
        },
        ..demo.gap.clone()
    }
    .parse()
    .map_err(fail)?;
    let mut tx = pool.begin().await?;
    let gap_id = app::db::registers::insert_gap(&mut tx, &gap, actor, now).await?;
    let form = RoundForm {
        title: spec.title.clone(),
        summary: demo.summary.into(),
        guidance: demo.guidance.into(),
        envelope: spec.envelope.clone(),
        min_award: "5000".into(),
        max_award: spec.max_award.clone(),
        period_months: spec.period_months.clone(),
        max_income: String::new(),
        area_served: "North East Lincolnshire".into(),
        opens_day: opens.day().to_string(),
        opens_month: opens.month().to_string(),
        opens_year: opens.year().to_string(),
        opens_time: spec.opens_time.into(),
        closes_day: closes.day().to_string(),
        closes_month: closes.month().to_string(),
        closes_year: closes.year().to_string(),
        closes_time: "12pm".into(),
        decision_day: decision.day().to_string(),
        decision_month: decision.month().to_string(),
        decision_year: decision.year().to_string(),
        access: "open".into(),
    };
    let all_forms: Vec<String> = app::domain::round::LegalForm::ALL
        .iter()
        .map(|f| f.code().to_string())
        .collect();
    let details = form.parse(&all_forms).map_err(fail)?;
    let round_id = app::db::rounds::insert_round(&mut tx, &details, &[gap_id], actor, now).await?;
    for section in &demo.sections {
        let section_id =
            app::db::rounds::append_section(&mut tx, round_id, section.title, section.panel)
                .await?;
        for question in &section.questions {
            let parsed = QuestionForm {
                label: question.label.into(),
                hint: question.hint.into(),
                qtype: question.qtype.into(),
                required: "yes".into(),
                word_limit: question.word_limit.into(),
                options: question.options.into(),
            }
            .parse()
            .map_err(fail)?;
            app::db::rounds::add_question(&mut tx, round_id, section_id, &parsed).await?;
        }
    }
    let sections = app::db::rounds::sections(&mut tx, round_id).await?;
    for criterion in &demo.criteria {
        let [d0, d1, d2, d3, d4, d5] = DESCRIPTORS.map(String::from);
        let parsed = CriterionForm {
            name: criterion.name.into(),
            guidance: criterion.guidance.into(),
            weight: criterion.weight.to_string(),
            min_score: String::new(),
            descriptor_0: d0,
            descriptor_1: d1,
            descriptor_2: d2,
            descriptor_3: d3,
            descriptor_4: d4,
            descriptor_5: d5,
        }
        .parse()
        .map_err(fail)?;
        let ids: Vec<i64> = sections
            .iter()
            .filter(|s| criterion.sections.contains(&s.title.as_str()))
            .map(|s| s.id)
            .collect();
        // A criterion drawing on no section is scored at the interview by both panels.
        let interview = ids
            .is_empty()
            .then_some(app::domain::assessment::ScoredBy::Both);
        app::db::rounds::insert_criterion(&mut tx, round_id, &parsed, (&ids, interview)).await?;
    }
    tx.commit().await?;
    let ctx = app::service::Ctx { pool, base_url: "" };
    app::service::rounds::publish(ctx, actor, round_id)
        .await
        .map_err(|e| anyhow!("demo round could not be published: {e}"))
        .with_context(|| spec.title.clone())?;
    Ok(round_id)
}

/// Move a published round's closing date into the past (history: a round cannot be
/// published with a closing date behind it, nor closed early).
pub(crate) async fn close_in_the_past(
    pool: &AnyPool,
    round_id: i64,
    closed: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
    let closes_at = app::domain::date::uk_local_to_utc("closes", "Closes", closed, noon)
        .ok()
        .unwrap_or_else(Utc::now);
    sqlx::query("UPDATE rounds SET closes_at = $1, decision_expected = $2 WHERE id = $3")
        .bind(app::domain::time::to_db(closes_at))
        .bind((closed + Duration::weeks(4)).format("%Y-%m-%d").to_string())
        .bind(round_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Load the demo funding data once (skipped when any partner exists). `actor` is the demo
/// commissioner's user id.
pub async fn load(pool: &AnyPool, actor: i64) -> anyhow::Result<bool> {
    if !app::db::fund::partners(pool).await?.is_empty() {
        return Ok(false);
    }
    let now_t = Utc::now();
    let now = app::db::now();
    let today = app::domain::date::uk_date(now_t);
    let year = FinancialYear::containing(today);
    let mut tx = pool.begin().await?;
    let council =
        app::db::fund::insert_partner(&mut tx, "North East Lincolnshire Council", now).await?;
    let icb =
        app::db::fund::insert_partner(&mut tx, "NHS Humber and North Yorkshire ICB", now).await?;
    // Their organisation identifiers (org-id.guide), named as funders in the open data.
    app::db::opendata::set_partner_identifier(&mut tx, council, "GB-LAE-NEL").await?;
    app::db::opendata::set_partner_identifier(&mut tx, icb, "GB-NHS-QOQ").await?;
    let shares = [(council, Pence(24_000_000)), (icb, Pence(16_000_000))];
    set_up_fund(&mut tx, year, &shares, actor, now).await?;
    // The funds of the years the history's tranches fall in, and the next two years' (an
    // award's later tranches are committed against them).
    let first = FinancialYear::containing(
        today
            .checked_sub_months(chrono::Months::new(30))
            .unwrap_or(today),
    );
    for past in (first.0..=year.0 + 2).map(FinancialYear) {
        if past == year || app::db::fund::fund_for_year_in(&mut tx, past).await? {
            continue;
        }
        let shares = if past > year {
            shares
        } else {
            [(council, Pence(9_000_000)), (icb, Pence(6_000_000))]
        };
        set_up_fund(&mut tx, past, &shares, actor, now).await?;
    }
    for service in services() {
        let parsed = service.parse().map_err(fail)?;
        app::db::registers::insert_service(&mut tx, &parsed, actor, now).await?;
    }
    tx.commit().await?;

    // Rounds open today at 9am (or now, if earlier) and close in six weeks at noon.
    let opens = today;
    let closes = today + Duration::weeks(6);
    let decision = today + Duration::weeks(10);
    let uk_now = now_t.with_timezone(&chrono_tz::Europe::London).time();
    let opens_time = if uk_now < chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default() {
        "12am"
    } else {
        "9am"
    };
    for demo in rounds() {
        let (opens, closes, decision, opens_time) = if demo.opened_months_ago == 0 {
            (opens, closes, decision, opens_time)
        } else {
            let then = today
                .checked_sub_months(chrono::Months::new(demo.opened_months_ago))
                .unwrap_or(today);
            // Published like any round (the closing date must be ahead then), and moved
            // into the past after it, as the pilot is: a round cannot close early otherwise.
            (then, closes, decision, "9am")
        };
        let spec = RoundSpec {
            title: demo.title.into(),
            envelope: demo.envelope.into(),
            max_award: demo.max_award.into(),
            period_months: "24".into(),
            opens,
            opens_time,
            closes,
            decision,
        };
        let round_id = build_round(pool, &demo, &spec, actor).await?;
        if demo.opened_months_ago > 0 {
            close_in_the_past(pool, round_id, opens + Duration::weeks(6)).await?;
        }
    }
    app::service::rounds::advance_by_clock(pool, Utc::now()).await?;
    Ok(true)
}
