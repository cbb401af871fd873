//! Demo funding data: this year's pooled fund with both partners, the three gaps from the
//! product brief, one open round per gap with a realistic questionnaire and criteria, and a
//! few commissioned services. Everything goes through the same domain parsing, queries and
//! publishing rule as the pages use.
use super::common::fail;
use anyhow::{anyhow, Context};
use app::domain::fund::FinancialYear;
use app::domain::money::Pence;
use app::domain::registers::{GapForm, ServiceForm};
use app::domain::round::{CriterionForm, Panel, QuestionForm, RoundForm};
use chrono::{Datelike, Duration, Utc};
use sqlx::AnyPool;

struct DemoQuestion {
    label: &'static str,
    hint: &'static str,
    qtype: &'static str,
    word_limit: &'static str,
    options: &'static str,
}

const fn q(
    label: &'static str,
    hint: &'static str,
    qtype: &'static str,
    word_limit: &'static str,
) -> DemoQuestion {
    DemoQuestion {
        label,
        hint,
        qtype,
        word_limit,
        options: "",
    }
}

struct DemoSection {
    title: &'static str,
    panel: Panel,
    questions: Vec<DemoQuestion>,
}

struct DemoCriterion {
    name: &'static str,
    guidance: &'static str,
    weight: u32,
    /// Titles of the sections it draws on.
    sections: &'static [&'static str],
}

pub(crate) struct DemoRound {
    gap: GapForm,
    pub(crate) title: &'static str,
    summary: &'static str,
    guidance: &'static str,
    envelope: &'static str,
    max_award: &'static str,
    /// 0 for a round opening today; else it ran this many months ago (history for the
    /// funded schemes, see schemes.rs).
    opened_months_ago: u32,
    sections: Vec<DemoSection>,
    criteria: Vec<DemoCriterion>,
}

const DESCRIPTORS: [&str; 6] = [
    "Unacceptable: not addressed",
    "Poor: major gaps or doubts",
    "Weak: addressed with significant weaknesses",
    "Satisfactory: addressed, with some weaknesses",
    "Good: well addressed with evidence",
    "Excellent: fully addressed, well evidenced and innovative",
];

fn gap(
    title: &str,
    need: &str,
    evidence: &str,
    target: &str,
    outcome: &str,
    priority: &str,
) -> GapForm {
    GapForm {
        title: title.into(),
        need: need.into(),
        evidence: evidence.into(),
        target_population: target.into(),
        outcome_sought: outcome.into(),
        priority: priority.into(),
        status: String::new(),
    }
}

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
        app::db::rounds::insert_criterion(&mut tx, round_id, &parsed, &ids).await?;
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

fn rounds() -> Vec<DemoRound> {
    let service_section = || DemoSection {
        title: "Your proposed service",
        panel: Panel::Board,
        questions: vec![
            q(
                "Describe the service you will provide",
                "Say who it is for, what they will get, where and how often",
                "long_text",
                "500",
            ),
            q(
                "How many people will the service support in its first year?",
                "",
                "whole_number",
                "",
            ),
            q("When could the service start?", "", "date", ""),
            q(
                "Have you delivered a similar service before?",
                "",
                "yes_no",
                "",
            ),
        ],
    };
    vec![
        DemoRound {
            gap: gap(
                "Affordable chiropody for older people",
                "Older people who cannot cut their own toenails or manage minor foot problems have nowhere affordable to go. NHS podiatry sees only high-risk feet.",
                "Falls prevention audit 2025: foot problems were a factor in 1 in 5 falls among over-65s seen by the falls team. Adult social care receives about 140 requests a year for toenail cutting.",
                "People over 65 living at home",
                "Fewer falls among over-65s",
                "high",
            ),
            title: "Affordable chiropody for older people",
            summary: "Seed funding to start a low-cost foot care service for older people that pays its way through modest charges.",
            guidance: "We want to fund a community foot care service for people over 65: toenail cutting, foot checks and advice, in community venues and at home for people who cannot travel.\n\nThe service must be able to continue without this grant. Most successful schemes charge a modest fee, with concessions for people on low incomes.\n\nYour bid must include:\n- a budget for each year of the funding period\n- a sustainability plan showing how grant dependency falls to zero\n- how you will recruit and supervise qualified foot care staff",
            envelope: "60000",
            max_award: "30000",
            opened_months_ago: 0,
            sections: vec![service_section()],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service reaches older people at risk of falls.", weight: 35, sections: &["Your proposed service"] },
                DemoCriterion { name: "Delivery and value for money", guidance: "A realistic plan, budget and timetable.", weight: 25, sections: &["Your proposed service", "Budget"] },
            ],
        },
        DemoRound {
            gap: gap(
                "Meals with help to live independently",
                "Some people need more than a meal delivered: help with shopping, a check on how they are, and signposting to other support.",
                "Review of the meals on wheels contract (2025): 38% of people receiving meals also had a home care visit mainly for shopping or a welfare check.",
                "Adults at risk of losing their independence, especially people who live alone",
                "More people living independently at home for longer, with fewer home care hours",
                "high",
            ),
            title: "Meals and more",
            summary: "Seed funding for a volunteer-led service that delivers meals and helps people live independently.",
            guidance: "We invite bids for a service that brings a hot meal and more: help with shopping, a friendly check on how people are, and signposting to other support.\n\nVolunteers are central to this model. Tell us how you will recruit, train and keep them.\n\n1. Read this guidance and the scoring criteria\n2. Complete every section of the bid\n3. Submit before the closing time",
            envelope: "80000",
            max_award: "40000",
            opened_months_ago: 0,
            sections: vec![
                service_section(),
                DemoSection {
                    title: "Volunteers and community",
                    panel: Panel::Board,
                    questions: vec![
                        q("How will you recruit, train and keep volunteers?", "", "long_text", "300"),
                        DemoQuestion {
                            label: "Which of these will your service offer?",
                            hint: "Select all that apply",
                            qtype: "multiple_choice",
                            word_limit: "",
                            options: "Meal delivery\nHelp with shopping\nWelfare checks\nSignposting to other support",
                        },
                    ],
                },
            ],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service helps people stay independent.", weight: 30, sections: &["Your proposed service"] },
                DemoCriterion { name: "Volunteers and community", guidance: "A credible volunteer model rooted in the community.", weight: 30, sections: &["Volunteers and community"] },
            ],
        },
        DemoRound {
            gap: gap(
                "Support for unpaid carers",
                "Unpaid carers need breaks, information and peer support to keep caring without harm to their own health.",
                "Carers' survey 2025: 61% of carers had not had a break in the last year.",
                "Unpaid carers of adults",
                "Carers able to keep caring, with fewer carer breakdowns that lead to emergency respite",
                "medium",
            ),
            title: "Breaks and peer support for unpaid carers",
            summary: "Seed funding for carer-led breaks and peer support. One section of each bid is scored by carers.",
            guidance: "We want to fund breaks and peer support designed with carers.\n\nThe section \"Carers' experience\" is scored only by trained lay evaluators who are unpaid carers themselves. Write it for them.",
            envelope: "50000",
            max_award: "25000",
            opened_months_ago: 0,
            sections: vec![
                service_section(),
                DemoSection {
                    title: "Carers' experience",
                    panel: Panel::Lay,
                    questions: vec![
                        q("How have carers shaped this service?", "", "long_text", "400"),
                        q("How will carers tell you what works and what does not?", "", "long_text", "300"),
                    ],
                },
            ],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service gives carers breaks and support.", weight: 30, sections: &["Your proposed service"] },
                DemoCriterion { name: "Carers' experience", guidance: "Scored by carers: does this feel right for people who care?", weight: 30, sections: &["Carers' experience"] },
            ],
        },
        // Closed and in assessment (see assessment.rs): two sent bids to score.
        DemoRound {
            gap: gap(
                "Foot care for people cared for at home",
                "People cared for at home miss foot care because their carer cannot take them to a clinic.",
                "Carers' survey 2025: 1 in 4 carers said the person they care for had gone without foot care for over a year.",
                "Adults cared for at home by an unpaid carer",
                "Fewer falls at home; carers less stretched",
                "medium",
            ),
            title: super::common::PILOT_TITLE,
            summary: "A pilot round for foot care at home, with a section scored by carers.",
            guidance: "This pilot has closed. Bids are being assessed by the board and by carers.",
            envelope: "60000",
            max_award: "30000",
            opened_months_ago: 0,
            sections: vec![
                service_section(),
                DemoSection {
                    title: "Carers' experience",
                    panel: Panel::Lay,
                    questions: vec![q("How have carers shaped this service?", "", "long_text", "400")],
                },
            ],
            criteria: vec![
                DemoCriterion { name: "Meets the need", guidance: "How well the service reaches people cared for at home.", weight: 35, sections: &["Your proposed service"] },
                DemoCriterion { name: "Carers' experience", guidance: "Scored by carers: does this work for the people who care?", weight: 25, sections: &["Carers' experience"] },
            ],
        },
        // History: rounds that ran before, whose funded schemes the demo follows (schemes.rs).
        DemoRound {
            gap: gap(
                "Affordable chiropody for over-65s in Grimsby",
                "Over-65s in Grimsby had no affordable foot care; NHS podiatry saw only high-risk feet.",
                "Falls clinic audit 2023: 2 in 5 fallers had untreated foot problems.",
                "People aged 65 and over in Grimsby",
                "Fewer falls among older people",
                "high",
            ),
            title: super::common::CHIROPODY_ROUND,
            summary: "Seed funding for an affordable chiropody service that will pay its own way by charging.",
            guidance: "This round has closed and its award is being monitored.",
            envelope: "40000",
            max_award: "30000",
            opened_months_ago: 30,
            sections: vec![service_section()],
            criteria: vec![DemoCriterion { name: "Meets the need", guidance: "How well the service reaches older people.", weight: 60, sections: &["Your proposed service"] }],
        },
        DemoRound {
            gap: gap(
                "More than meals: shopping help and signposting",
                "A review of meal delivery found people who needed more than a meal: help with shopping, a friendly visit, and someone to point them to other help.",
                "Meals service review 2025: 38% of recipients had no other visitor in a typical week.",
                "Older and disabled people living alone",
                "People living independently for longer; less call on adult social care",
                "high",
            ),
            title: super::common::MEALS_ROUND,
            summary: "Seed funding for community meals with shopping help and signposting, run mainly by volunteers.",
            guidance: "This round has closed and its awards are being monitored.",
            envelope: "60000",
            max_award: "30000",
            opened_months_ago: 14,
            sections: vec![service_section()],
            criteria: vec![DemoCriterion { name: "Meets the need", guidance: "How well the service reaches people living alone.", weight: 60, sections: &["Your proposed service"] }],
        },
    ]
}

fn services() -> Vec<ServiceForm> {
    let s = |name: &str,
             provider: &str,
             value: &str,
             currency: &str,
             quantity: &str,
             criteria: &str,
             last: [&str; 3],
             due: [&str; 3],
             nature: &str,
             inter: &str,
             category: &str| ServiceForm {
        name: name.into(),
        current_provider: provider.into(),
        contract_value: value.into(),
        contract_currency: currency.into(),
        quantity: quantity.into(),
        quality_criteria: criteria.into(),
        last_reviewed_day: last[0].into(),
        last_reviewed_month: last[1].into(),
        last_reviewed_year: last[2].into(),
        review_due_day: due[0].into(),
        review_due_month: due[1].into(),
        review_due_year: due[2].into(),
        nature_of_review: nature.into(),
        interdependencies: inter.into(),
        market_category: category.into(),
    };
    vec![
        s(
            "Meals on wheels",
            "Council in-house catering",
            "310000",
            "1 April 2024 to 31 March 2027",
            "52,000 meals a year",
            "Hot meal delivered between 11:30am and 1:30pm; 98% on time",
            ["1", "6", "2025"],
            ["1", "12", "2026"],
            "Recommission with help to live independently",
            "Home care; day services",
            "open",
        ),
        s(
            "Community podiatry",
            "Northern Lincolnshire and Goole NHS Foundation Trust",
            "540000",
            "1 April 2023 to 31 March 2028",
            "9,000 appointments a year",
            "High-risk feet seen within 4 weeks",
            ["1", "9", "2024"],
            ["1", "9", "2027"],
            "Contract review",
            "Diabetes pathway; falls service",
            "restricted",
        ),
        s(
            "Carers' support service",
            "Carers' Support Centre",
            "420000",
            "1 April 2025 to 31 March 2028",
            "1,200 carers supported a year",
            "Carers' assessment offered within 28 days",
            ["1", "4", "2025"],
            ["1", "4", "2027"],
            "Re-tender with a section scored by carers",
            "Respite services; adult social care",
            "protected",
        ),
        s(
            "Handyperson and falls prevention",
            "Care and Repair",
            "95000",
            "1 April 2025 to 31 March 2026, extended yearly",
            "1,500 jobs a year",
            "Urgent jobs within 2 working days",
            ["1", "3", "2025"],
            ["1", "3", "2027"],
            "Open to new providers at the next review",
            "Falls service; occupational therapy",
            "open",
        ),
    ]
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
    // The funds of the years the history rounds ran in.
    for months in [30u32, 14] {
        let then = today
            .checked_sub_months(chrono::Months::new(months))
            .unwrap_or(today);
        let past = FinancialYear::containing(then);
        if past == year || app::db::fund::fund_for_year_in(&mut tx, past).await? {
            continue;
        }
        let shares = [(council, Pence(9_000_000)), (icb, Pence(6_000_000))];
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
