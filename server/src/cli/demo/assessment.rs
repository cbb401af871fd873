//! Demo assessment data: a pilot round that has closed and is in assessment, with two sent
//! chiropody bids (from the demo applicant's and the demo church's organisations), the board
//! and lay panels appointed and every bid assigned. The bids' answers, budgets and plans go
//! through the same checks as the bid pages; only the round's dates are moved into the past
//! (a round cannot be made to close early any other way).
use anyhow::{anyhow, Context};
use app::domain::answers::{check_section, Answers, SectionContext};
use app::domain::money::Pence;
use app::domain::organisation::OrganisationForm;
use app::domain::round::{Panel, QuestionType, SectionKind};
use chrono::{Duration, Utc};
use sqlx::AnyPool;

struct DemoBid {
    owner: &'static str,
    organisation: &'static str,
    legal_form: &'static str,
    company_number: &'static str,
    charity_number: &'static str,
    service: &'static str,
    carers: &'static str,
}

/// The third pilot bid: not assigned to the panel (it came in by post and was scored at the
/// Board's pre-meeting: its agreed scores are recorded), recommended for an award by the
/// Board and signed off by the council, the ICB's sign-off awaited (mod.rs, `recommend`).
pub const RECOMMENDED_OWNER: &str = "circle@seedbed.test";
pub const RECOMMENDED_ORGANISATION: &str = "Cleethorpes Carers' Circle";

const BIDS: [DemoBid; 3] = [
    DemoBid {
        owner: "applicant@seedbed.test",
        organisation: "Happy Feet Chiropody CIC",
        legal_form: "cic",
        company_number: "09876543",
        charity_number: "",
        service: "Toenail cutting, foot checks and advice at home for people who are cared for, on the same day as their carer's break.",
        carers: "Six carers from the Carers' Support Centre designed the booking and visit times with us.",
    },
    DemoBid {
        owner: "church@seedbed.test",
        organisation: "St Peter's Church Lunch Club",
        legal_form: "faith_group",
        company_number: "",
        charity_number: "",
        service: "A volunteer foot care clinic after the Tuesday lunch club, with home visits for members who cannot come.",
        carers: "Carers who come to the lunch club asked for it and will run the rota with us.",
    },
    DemoBid {
        owner: RECOMMENDED_OWNER,
        organisation: RECOMMENDED_ORGANISATION,
        legal_form: "registered_charity",
        company_number: "",
        charity_number: "1187654",
        service: "A carers' foot care morning once a fortnight at the Circle's drop-in, with a trained volunteer and a visiting podiatrist.",
        carers: "The Circle is run by carers: twelve members planned the sessions and the sitting service that frees carers to come.",
    },
];

fn answers(pairs: &[(String, String)]) -> Answers {
    pairs.iter().cloned().collect()
}

/// Answers to every section of the pilot round, as the pages would post them.
fn section_answers(
    kind: SectionKind,
    questions: &[(i64, app::domain::round::Question)],
    bid: &DemoBid,
) -> Answers {
    let s = |k: &str, v: &str| (k.to_string(), v.to_string());
    match kind {
        SectionKind::Organisation => answers(&[s("confirmed", "answer[confirmed]")]),
        SectionKind::Budget => answers(&[
            s("line0_description", "Foot care practitioner (part time)"),
            s("line0_category", "staff"),
            s("line0_y1", "15000"),
            s("line0_y2", "15000"),
            s("line1_description", "Instruments and sterilising"),
            s("line1_category", "equipment"),
            s("line1_y1", "3000"),
            s("line1_y2", "1000"),
            s("amount_requested", "24000"),
        ]),
        SectionKind::Sustainability => {
            let mut out = vec![s("years", "3")];
            for (year, grant, users) in [(1, "16000", "300"), (2, "8000", "800"), (3, "0", "1400")]
            {
                out.push(s(&format!("y{year}_costs"), "20000"));
                out.push(s(&format!("y{year}_seed_grant"), grant));
                out.push(s(&format!("y{year}_charge_per_user"), "15"));
                out.push(s(&format!("y{year}_expected_users"), users));
            }
            answers(&out)
        }
        SectionKind::Custom => {
            let mut out = Vec::new();
            for (id, q) in questions {
                let key = format!("q{id}");
                match q.qtype {
                    QuestionType::Date => {
                        out.push(s(&format!("{key}_day"), "1"));
                        out.push(s(&format!("{key}_month"), "4"));
                        out.push(s(&format!("{key}_year"), "2027"));
                    }
                    QuestionType::WholeNumber => out.push(s(&key, "250")),
                    QuestionType::YesNo => out.push(s(&key, "yes")),
                    _ if q.label.contains("carers") => out.push(s(&key, bid.carers)),
                    _ => out.push(s(&key, bid.service)),
                }
            }
            answers(&out)
        }
    }
}

/// Load once: skipped when the pilot round exists. `round_id` is the pilot round, created
/// and published with the other demo rounds.
pub async fn load(pool: &AnyPool, round_id: i64, actor: i64) -> anyhow::Result<()> {
    let now_t = Utc::now();
    let now = app::db::now();
    // The pilot ran for six weeks and closed yesterday.
    sqlx::query(
        "UPDATE rounds SET opens_at = $1, closes_at = $2, status = 'assessment' WHERE id = $3",
    )
    .bind(app::domain::time::to_db(now_t - Duration::weeks(7)))
    .bind(app::domain::time::to_db(now_t - Duration::days(1)))
    .bind(round_id)
    .execute(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let round = app::db::rounds::round(&mut conn, round_id)
        .await?
        .ok_or_else(|| anyhow!("the pilot round is missing"))?;
    let sections = app::db::rounds::sections(&mut conn, round_id).await?;
    drop(conn);
    let ctx = SectionContext {
        funded_years: app::domain::answers::funded_years(round.details.period_months),
        min_award: round.details.min_award,
        max_award: round.details.max_award,
        requested: Some(Pence(2_400_000)),
        files: vec![],
    };
    for bid in &BIDS {
        let owner = app::db::users::by_email(pool, bid.owner)
            .await?
            .ok_or_else(|| anyhow!("demo account {} is missing", bid.owner))?;
        let form = OrganisationForm {
            name: bid.organisation.into(),
            legal_form: bid.legal_form.into(),
            charity_number: bid.charity_number.into(),
            company_number: bid.company_number.into(),
            address_line_1: "12 Freeman Street".into(),
            town: "Grimsby".into(),
            postcode: "DN32 7AA".into(),
            contact_name: owner.full_name.clone(),
            contact_email: bid.owner.into(),
            income_band: "10k_100k".into(),
            area_served: "Grimsby and Cleethorpes".into(),
            ..Default::default()
        };
        let organisation = form.parse().map_err(super::common::fail)?;
        let mut tx = pool.begin().await?;
        let org_id = app::db::organisations::insert(&mut tx, &organisation, owner.id, now).await?;
        let bid_id = app::db::bids::insert(&mut tx, round_id, org_id, owner.id, now)
            .await?
            .ok_or_else(|| anyhow!("demo bid exists"))?;
        for section in &sections {
            let a = section_answers(section.kind, &section.questions, bid);
            let problems = check_section(section.kind, &section.questions, &a, &ctx, true);
            if let Some(p) = problems.first() {
                return Err(anyhow!(
                    "demo bid answer refused: {}: {}",
                    p.field,
                    p.message
                ));
            }
            app::db::bids::save_section(&mut tx, bid_id, section.id, 0, &a, true, owner.id, now)
                .await?;
        }
        app::db::bids::set_requested(&mut tx, bid_id, Some(Pence(2_400_000))).await?;
        let year = chrono::Datelike::year(&now_t);
        app::db::bids::submit(
            &mut tx,
            bid_id,
            &app::domain::bid::reference(year, bid_id),
            owner.id,
            now,
        )
        .await?
        .ok_or_else(|| anyhow!("demo bid could not be sent"))?;
        tx.commit().await?;
    }
    let mut panel = Vec::new();
    for (email, p) in [
        ("board@seedbed.test", Panel::Board),
        ("board2@seedbed.test", Panel::Board),
        ("carer@seedbed.test", Panel::Lay),
    ] {
        let user = app::db::users::by_email(pool, email)
            .await?
            .ok_or_else(|| anyhow!("demo account {email} is missing"))?;
        panel.push((user.id, p));
    }
    let mut tx = pool.begin().await?;
    app::db::bids::start_assessment(&mut tx, round_id, now).await?;
    // The carer was trained before being appointed to the lay panel.
    let training = app::domain::training::Training {
        trained_on: app::domain::date::uk_date(chrono::Utc::now()) - Duration::days(30),
        trained_by: "North East Lincolnshire Carers' Centre".into(),
        what: "Lay evaluator training: scoring against the descriptors, declaring conflicts of interest, keeping bids confidential".into(),
    };
    for (user, _) in panel.iter().filter(|(_, p)| *p == Panel::Lay) {
        app::db::training::record(&mut tx, *user, &training, actor, now).await?;
    }
    app::db::assessment::set_panel(&mut tx, round_id, &panel, actor, now).await?;
    let mut by_post = None;
    for bid in app::db::bids::assessable(&mut tx, round_id).await? {
        if bid.organisation == RECOMMENDED_ORGANISATION {
            by_post = Some(bid.id);
            continue;
        }
        for (user, _) in &panel {
            app::db::assessment::assign(&mut tx, bid.id, *user, now).await?;
        }
    }
    // The bid that came by post: its scores as the Board agreed them.
    if let Some(bid_id) = by_post {
        let written = app::db::rounds::criteria(&mut tx, round_id)
            .await?
            .into_iter()
            .filter(|c| c.interview.is_none());
        for c in written {
            let note = "Scored at the Board's pre-meeting: the bid came by post";
            app::db::decisions::moderate(&mut tx, bid_id, c.id, 4, note, actor, now).await?;
        }
    }
    tx.commit().await.context("demo assessment")?;
    Ok(())
}

/// The Board's recommendation of the Circle's award (awaiting sign-off, once the partners
/// have named approvers) and the council's approval; the ICB's answer is left for a visitor.
pub async fn recommend(pool: &AnyPool, round_id: i64, actor: i64) -> anyhow::Result<()> {
    let bid_id: i64 = sqlx::query_scalar(
        "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND o.name = $2",
    )
    .bind(round_id)
    .bind(RECOMMENDED_ORGANISATION)
    .fetch_one(pool)
    .await?;
    let state = super::offline_state(pool);
    // The Board met two hours ago with the pilot on its agenda; both members were there.
    let held = (Utc::now() - Duration::hours(2)).with_timezone(&chrono_tz::Europe::London);
    let members: Vec<String> = {
        let mut conn = pool.acquire().await?;
        app::db::users::board_members(&mut conn)
            .await?
            .into_iter()
            .map(|(id, ..)| id.to_string())
            .collect()
    };
    let meeting = app::domain::meeting::MeetingForm {
        held_day: held.format("%d").to_string(),
        held_month: held.format("%m").to_string(),
        held_year: held.format("%Y").to_string(),
        time: held.format("%H:%M").to_string(),
        place: "Grimsby Town Hall, Committee Room 1".into(),
        rounds: vec![round_id.to_string()],
        members: members.clone(),
    };
    let meeting_id = app::service::meetings::arrange(state.ctx(), actor, &meeting)
        .await
        .map_err(|e| anyhow!("demo meeting refused: {e:?}"))?;
    app::service::meetings::attendance(state.ctx(), actor, meeting_id, &members)
        .await
        .map_err(|e| anyhow!("demo attendance refused: {e:?}"))?;
    let form = app::domain::decision::DecisionForm {
        meeting: meeting_id.to_string(),
        outcome: "award".into(),
        amount: "12000".into(),
        conditions: "A trained volunteer at every session; report the number of carers who come each quarter".into(),
        purpose: "A fortnightly carers' foot care morning with a visiting podiatrist".into(),
        returns_every: "3".into(),
        ..Default::default()
    };
    let start = app::domain::date::uk_date(Utc::now());
    let cmd = app::service::decisions::Decide {
        round_id,
        bid_id,
        form,
        start,
    };
    app::service::decisions::decide(state.ctx(), actor, &cmd)
        .await
        .map_err(|e| anyhow!("demo recommendation refused: {e}"))?;
    let director = app::db::users::by_email(pool, "director@seedbed.test")
        .await?
        .ok_or_else(|| anyhow!("demo account director@seedbed.test is missing"))?;
    app::service::sign_off::answer(state.ctx(), director.id, bid_id, ("approve", ""), start)
        .await
        .map_err(|e| anyhow!("demo sign-off refused: {e}"))?;
    Ok(())
}

/// The demo applicant's pilot bid is shortlisted: Happy Feet is invited to an interview a
/// week from now (no reply yet), so an applicant sees the invitation and replies.
pub async fn shortlist(pool: &AnyPool, round_id: i64, actor: i64) -> anyhow::Result<()> {
    let bid_id: i64 = sqlx::query_scalar(
        "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND o.name = $2",
    )
    .bind(round_id)
    .bind(BIDS[0].organisation)
    .fetch_one(pool)
    .await?;
    let on = (Utc::now() + Duration::days(7)).with_timezone(&chrono_tz::Europe::London);
    let form = app::domain::interview::InvitationForm {
        format: "interview".into(),
        on_day: on.format("%d").to_string(),
        on_month: on.format("%m").to_string(),
        on_year: on.format("%Y").to_string(),
        time: "10am".into(),
        place: "Grimsby Town Hall, Committee Room 2".into(),
        attendees: "The person who will run the service and one of your directors".into(),
    };
    let state = super::offline_state(pool);
    app::service::interviews::invite(state.ctx(), actor, bid_id, &form)
        .await
        .map_err(|e| anyhow!("demo interview refused: {e}"))?;
    Ok(())
}
