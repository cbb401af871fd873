//! Funding rounds: building, publishing against the fund, the public pages, the clock.
use super::common::*;
use super::fund::{commissioner_with_fund, this_year};
use crate::both_backends;
use app::domain::money::Pence;
use chrono::{Datelike, Duration};

fn uk_today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
}

/// The fields of a valid round form, opening yesterday and closing in 30 days.
fn round_fields(title: &str, envelope: &str) -> Vec<(String, String)> {
    let opens = uk_today() - Duration::days(1);
    let closes = uk_today() + Duration::days(30);
    let decision = uk_today() + Duration::days(60);
    let mut f: Vec<(String, String)> = [
        ("id", ""),
        ("title", title),
        ("summary", "Seed funding for foot care"),
        ("guidance", "Who can apply\n\n- Charities\n- CICs"),
        ("envelope", envelope),
        ("min_award", "5000"),
        ("max_award", "10000"),
        ("period_months", "24"),
        ("max_income", ""),
        ("area_served", "North East Lincolnshire"),
        ("opens_time", "9am"),
        ("closes_time", "12pm"),
        ("access", "open"),
        ("legal_form[cic]", "cic"),
        ("legal_form[registered_charity]", "registered_charity"),
        ("gap[1]", "1"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, d) in [("opens", opens), ("closes", closes), ("decision", decision)] {
        f.push((format!("{name}_day"), d.day().to_string()));
        f.push((format!("{name}_month"), d.month().to_string()));
        f.push((format!("{name}_year"), d.year().to_string()));
    }
    f
}

pub(crate) fn borrow(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

pub(crate) fn descriptors() -> Vec<(String, String)> {
    (0..6)
        .map(|n| {
            (
                format!("descriptor_{n}"),
                format!("What a score of {n} means"),
            )
        })
        .collect()
}

pub async fn record_gap(app: &TestApp, client: &reqwest::Client) {
    let res = app
        .post_form(
            client,
            "/api/gaps/save",
            "/fund/gaps/new",
            &[
                ("id", ""),
                ("title", "Affordable chiropody for older people"),
                ("need", "Older people cannot get their toenails cut"),
                ("evidence", ""),
                ("target_population", "People over 65"),
                ("outcome_sought", "Fewer falls among over-65s"),
                ("priority", "high"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/fund/gaps/1"),
        "{}",
        res.body
    );
}

both_backends!(build_publish_and_find_a_round, async |app: &TestApp| {
    let client = commissioner_with_fund(app).await;
    record_gap(app, &client).await;

    // Every field is checked; what was typed comes back.
    let mut bad = round_fields("Affordable chiropody", "250000.01");
    bad.retain(|(k, _)| !k.starts_with("legal_form") && k != "closes_time");
    let res = app
        .post_form(
            &client,
            "/api/rounds/save",
            "/fund/rounds/new",
            &borrow(&bad),
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/rounds/new"));
    let (_, page, _) = app.get(&client, "/fund/rounds/new").await;
    assert!(
        page.contains("Select which kinds of organisation may apply"),
        "{page}"
    );
    assert!(page.contains("Enter closing time"));
    if !page.contains("value=\"250000.01\"") {
        std::fs::write(
            format!("/tmp/failed-page-{}.html", std::process::id()),
            &page,
        )
        .unwrap();
    }
    assert!(page.contains("value=\"250000.01\""));
    assert!(page.contains("Affordable chiropody"));

    let fields = round_fields("Affordable chiropody", "60000");
    let res = app
        .post_form(
            &client,
            "/api/rounds/save",
            "/fund/rounds/new",
            &borrow(&fields),
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/fund/rounds/1"),
        "{}",
        res.body
    );
    let (status, page, _) = app.get(&client, "/fund/rounds/1").await;
    assert_eq!(status, 200);
    // The built-in sections and the default sustainability criterion are there.
    for text in [
        "About your organisation",
        "Budget",
        "Sustainability plan",
        "Sustainability",
        "Weights add up to 40",
    ] {
        assert!(page.contains(text), "{text}");
    }
    assert!(
        page.contains("The weights of the scoring criteria must add up to 100. They add up to 40")
    );

    // A lay-evaluator section with a question.
    let res = app
        .post_form(
            &client,
            "/api/rounds/save_section",
            "/fund/rounds/1/sections/new",
            &[
                ("round_id", "1"),
                ("section_id", ""),
                ("title", "Carers' experience"),
                ("panel", "lay"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/fund/rounds/1/sections/4"),
        "{}",
        res.body
    );
    let question = [
        ("round_id", "1"),
        ("section_id", "4"),
        ("question_id", ""),
        ("label", "How have carers shaped this service?"),
        ("hint", ""),
        ("qtype", "long_text"),
        ("required", "yes"),
        ("word_limit", ""),
        ("options", ""),
    ];
    let res = app
        .post_js(&client, "/api/rounds/save_question", &question)
        .await;
    assert!(res.body.contains("Enter the word limit"), "{}", res.body);
    let mut question = question.to_vec();
    question[7] = ("word_limit", "400");
    let res = app
        .post_form(
            &client,
            "/api/rounds/save_question",
            "/fund/rounds/1/sections/4/questions/new",
            &question,
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/fund/rounds/1/sections/4"),
        "{}",
        res.body
    );

    // Publishing an incomplete round is refused and changes nothing.
    let res = app
        .post_form(
            &client,
            "/api/rounds/publish",
            "/fund/rounds/1",
            &[("round_id", "1")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/rounds/1"));
    let (_, page, _) = app.get(&client, "/fund/rounds/1").await;
    assert!(page.contains("They add up to 40"));
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM rounds WHERE status = 'draft'")
            .await,
        1
    );

    let mut criterion: Vec<(String, String)> = [
        ("round_id", "1"),
        ("criterion_id", ""),
        ("name", "Carers' experience"),
        ("guidance", "Scored by carers"),
        ("weight", "60"),
        ("min_score", ""),
        ("section[4]", "4"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    criterion.extend(descriptors());
    let res = app
        .post_form(
            &client,
            "/api/rounds/save_criterion",
            "/fund/rounds/1/criteria/new",
            &borrow(&criterion),
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/fund/rounds/1"),
        "{}",
        res.body
    );

    // Nobody else may publish.
    let board = app
        .signed_in_as("board@example.org", &[Role::BoardMember])
        .await;
    let res = app
        .post_js(&board, "/api/rounds/publish", &[("round_id", "1")])
        .await;
    assert_eq!(res.status, 403);
    let (status, _, _) = app.get(&board, "/fund/rounds/1").await;
    assert_eq!(status, 403);
    // A draft does not exist to the public.
    let anonymous = new_client();
    let (status, _, _) = app.get(&anonymous, "/rounds/1").await;
    assert_eq!(status, 404);

    let res = app
        .post_form(
            &client,
            "/api/rounds/publish",
            "/fund/rounds/1",
            &[("round_id", "1")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/rounds/1"));
    let (_, page, _) = app.get(&client, "/fund/rounds/1").await;
    assert!(page.contains("Round published"), "{page}");
    let fund = app::db::fund::fund_for_year(&app.pool, this_year())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fund.reserved, Pence(6_000_000));
    let (_, page, _) = app
        .get(&client, &format!("/fund/pooled-funds/{}", this_year().0))
        .await;
    assert!(page.contains("Reserved for a round"));
    assert!(
        page.contains("£190,000.00"),
        "uncommitted after reserving £60,000"
    );
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM gaps WHERE status = 'round_open'")
            .await,
        1
    );

    // The questionnaire is locked now.
    let res = app
        .post_js(&client, "/api/rounds/save_question", &question)
        .await;
    assert!(
        res.body
            .contains("its details, questionnaire and criteria are locked"),
        "{}",
        res.body
    );
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM round_questions")
            .await,
        1
    );

    // A signed-out visitor finds it on the public list and reads it.
    let (_, home, _) = app.get(&anonymous, "/").await;
    assert!(home.contains("Affordable chiropody"));
    assert!(home.contains("£60,000.00"));
    assert!(home.contains("Closes in 30 days"));
    let (status, page, _) = app.get(&anonymous, "/rounds/1").await;
    assert_eq!(status, 200);
    assert!(page.contains("Start a bid"));
    assert!(page.contains("Community interest company (CIC)"));
    assert!(page.contains("scored by lay evaluators"));
    assert!(
        page.contains("<li>Charities</li>"),
        "guidance lists become lists"
    );
    assert!(page.contains("60%"));

    // A change after publishing is a new version, with a reason, and releases the envelope.
    let res = app
        .post_js(
            &client,
            "/api/rounds/new_version",
            &[("round_id", "1"), ("reason", "")],
        )
        .await;
    assert!(res
        .body
        .contains("Enter the reason for changing the published round"));
    let res = app
        .post_form(
            &client,
            "/api/rounds/new_version",
            "/fund/rounds/1/new-version",
            &[("round_id", "1"), ("reason", "Extend the closing date")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/rounds/1"));
    let fund = app::db::fund::fund_for_year(&app.pool, this_year())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fund.reserved, Pence(0));
    let (_, page, _) = app.get(&client, "/fund/rounds/1").await;
    assert!(page.contains("version 2"));
    assert!(page.contains("Extend the closing date"));
    let (status, _, _) = app.get(&anonymous, "/rounds/1").await;
    assert_eq!(status, 404);
});

/// A complete draft round with the given envelope, straight through the query layer.
pub(crate) async fn draft_round(app: &TestApp, title: &str, envelope: Pence) -> i64 {
    let fields = round_fields(title, &envelope.form_value());
    let form = app::domain::round::RoundForm {
        title: title.into(),
        summary: "Summary".into(),
        guidance: "Guidance".into(),
        envelope: envelope.form_value(),
        min_award: "1".into(),
        max_award: envelope.form_value(),
        period_months: "12".into(),
        area_served: "Grimsby".into(),
        opens_day: get(&fields, "opens_day"),
        opens_month: get(&fields, "opens_month"),
        opens_year: get(&fields, "opens_year"),
        opens_time: "9am".into(),
        closes_day: get(&fields, "closes_day"),
        closes_month: get(&fields, "closes_month"),
        closes_year: get(&fields, "closes_year"),
        closes_time: "12pm".into(),
        decision_day: get(&fields, "decision_day"),
        decision_month: get(&fields, "decision_month"),
        decision_year: get(&fields, "decision_year"),
        access: "open".into(),
        ..Default::default()
    };
    let details = form.parse(&["cic".into()]).unwrap();
    let mut tx = app.pool.begin().await.unwrap();
    let id = app::db::rounds::insert_round(&mut tx, &details, &[1], 1, app::db::now())
        .await
        .unwrap();
    let sections = app::db::rounds::sections(&mut tx, id).await.unwrap();
    let mut criterion = app::domain::round::Criterion::sustainability();
    criterion.name = "Value".into();
    criterion.weight = 60;
    app::db::rounds::insert_criterion(&mut tx, id, &criterion, (&[sections[1].id], None))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn get(f: &[(String, String)], name: &str) -> String {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap()
}

both_backends!(
    concurrent_publishing_never_overcommits_the_fund,
    async |app: &TestApp| {
        let client = commissioner_with_fund(app).await;
        record_gap(app, &client).await;
        let mut ids = Vec::new();
        for n in 0..25 {
            ids.push(draft_round(app, &format!("Round {n}"), Pence(1_200_000)).await);
        }
        // 25 commissioners' clicks at once, each reserving £12,000 of £250,000: 20 fit.
        let tasks: Vec<_> = ids
            .iter()
            .map(|id| {
                let client = client.clone();
                let url = app.url("/api/rounds/publish");
                let id = id.to_string();
                tokio::spawn(async move {
                    let res = client
                        .post(url)
                        .header("accept", "application/json")
                        .form(&[("round_id", id.as_str())])
                        .send()
                        .await
                        .unwrap();
                    let status = res.status().as_u16();
                    (status, res.text().await.unwrap())
                })
            })
            .collect();
        let mut refused = 0;
        for t in tasks {
            let (status, body) = t.await.unwrap();
            if status != 200 {
                assert!(body.contains("There is not enough uncommitted money in the pooled fund. Only £10,000.00 is left to reserve"), "{status} {body}");
                refused += 1;
            }
        }
        assert_eq!(refused, 5);
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM rounds WHERE status = 'published'")
                .await,
            20
        );
        let fund = app::db::fund::fund_for_year(&app.pool, this_year())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(fund.reserved, Pence(24_000_000));
        assert_eq!(
        app.count("SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_ledger WHERE movement = 'reservation'").await,
        24_000_000
    );
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'round.published'"
            )
            .await,
            20
        );
    }
);

both_backends!(
    concurrent_awards_never_exceed_the_envelope,
    async |app: &TestApp| {
        let client = commissioner_with_fund(app).await;
        record_gap(app, &client).await;
        let id = draft_round(app, "Meals and more", Pence(5_000_000)).await;
        app::service::rounds::publish(app.state.ctx(), 1, id)
            .await
            .unwrap();
        let fund = app::db::fund::fund_for_year(&app.pool, this_year())
            .await
            .unwrap()
            .unwrap();
        // 25 awards of £2,500 against a £50,000 envelope: exactly 20 are committed.
        let tasks: Vec<_> = (0..25)
            .map(|_| {
                let pool = app.pool.clone();
                tokio::spawn(async move {
                    let mut tx = pool.begin().await.unwrap();
                    let result = app::db::fund::commit(
                        &mut tx,
                        fund.id,
                        id,
                        Pence(250_000),
                        "Award",
                        1,
                        app::db::now(),
                    )
                    .await;
                    match result {
                        Ok(()) => {
                            tx.commit().await.unwrap();
                            Ok(())
                        }
                        Err(app::db::fund::LedgerError::Refused(refusal)) => Err(refusal),
                        Err(e) => panic!("{e}"),
                    }
                })
            })
            .collect();
        let mut committed = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => committed += 1,
                Err(refusal) => assert_eq!(
                refusal.message(),
                "The award is more than is left in the round's budget envelope. Only £0.00 is left"
            ),
            }
        }
        assert_eq!(committed, 20);
        let fund = app::db::fund::fund_for_year(&app.pool, this_year())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(fund.committed, Pence(5_000_000));
        assert_eq!(fund.reserved, Pence(0));
        let totals = app::db::fund::partner_totals(&app.pool, fund.id)
            .await
            .unwrap();
        let sum = totals
            .iter()
            .fold(app::domain::fund::Totals::default(), |a, (_, t)| a.add(t));
        assert_eq!(sum.committed, Pence(5_000_000));
        assert_eq!(sum.reserved, Pence(0));
        assert_eq!(sum.uncommitted(), Pence(20_000_000));
    }
);

both_backends!(
    rounds_close_at_the_deadline_by_themselves,
    async |app: &TestApp| {
        let client = commissioner_with_fund(app).await;
        record_gap(app, &client).await;
        let id = draft_round(app, "Breaks for carers", Pence(1_000_000)).await;
        app::service::rounds::publish(app.state.ctx(), 1, id)
            .await
            .unwrap();
        // The deadline passes (the clock moves on: here, the closing time moves back).
        let past = app::domain::time::to_db(chrono::Utc::now() - Duration::seconds(1));
        sqlx::query("UPDATE rounds SET closes_at = $1 WHERE id = $2")
            .bind(&past)
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
        // Closed at once for everyone, whether or not the background task has run.
        let anonymous = new_client();
        let (_, home, _) = app.get(&anonymous, "/").await;
        assert!(!home.contains("Breaks for carers"));
        let (_, page, _) = app.get(&anonymous, &format!("/rounds/{id}")).await;
        assert!(page.contains("This round is closed to new bids"));
        assert!(!page.contains("Start a bid"));
        // The background task records the transition once, however many instances run it.
        let runs: Vec<_> = (0..5)
            .map(|_| {
                let pool = app.pool.clone();
                tokio::spawn(async move {
                    app::service::rounds::advance_by_clock(&pool, chrono::Utc::now())
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut moved = 0;
        for r in runs {
            moved += r.await.unwrap();
        }
        assert_eq!(moved, 1);
        assert_eq!(
            app::service::rounds::advance_by_clock(&app.pool, chrono::Utc::now())
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM rounds WHERE status = 'closed'")
                .await,
            1
        );
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'round.closed'"
            )
            .await,
            1
        );
        // Now the commissioner can start assessment.
        let res = app
            .post_form(
                &client,
                "/api/rounds/start_assessment",
                &format!("/fund/rounds/{id}"),
                &[("round_id", &id.to_string())],
            )
            .await;
        assert_eq!(res.location, Some(format!("/fund/rounds/{id}")));
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM rounds WHERE status = 'assessment'")
                .await,
            1
        );
    }
);

both_backends!(
    commissioner_actions_are_refused_to_everyone_else,
    async |app: &TestApp| {
        let endpoints = [
            "/api/fund/add_partner",
            "/api/fund/set_up",
            "/api/fund/vary",
            "/api/gaps/save",
            "/api/services/save",
            "/api/rounds/save",
            "/api/rounds/save_section",
            "/api/rounds/remove_section",
            "/api/rounds/move",
            "/api/rounds/save_question",
            "/api/rounds/remove_question",
            "/api/rounds/save_criterion",
            "/api/rounds/remove_criterion",
            "/api/rounds/publish",
            "/api/rounds/new_version",
            "/api/rounds/start_assessment",
        ];
        let form = [
            ("year", "2026"),
            ("round_id", "1"),
            ("section_id", "1"),
            ("question_id", "1"),
            ("criterion_id", "1"),
            ("item_id", "1"),
            ("what", "section"),
            ("direction", "up"),
            ("name", "X"),
            ("title", "X"),
            ("amount", "1"),
            ("reason", "X"),
            ("agreed_value", "1"),
        ];
        let anonymous = new_client();
        for endpoint in endpoints {
            let res = app.post_js(&anonymous, endpoint, &form).await;
            assert_eq!(res.status, 401, "{endpoint} signed out: {}", res.body);
        }
        let people = [
            ("applicant@example.org", vec![]),
            ("board@example.org", vec![Role::BoardMember]),
            ("carer@example.org", vec![Role::LayEvaluator]),
            ("admin@example.org", vec![Role::Admin]),
        ];
        for (email, roles) in people {
            let client = app.signed_in_as(email, &roles).await;
            for endpoint in endpoints {
                let res = app.post_js(&client, endpoint, &form).await;
                assert_eq!(res.status, 403, "{endpoint} as {email}: {}", res.body);
            }
            for page in [
                "/fund",
                "/fund/gaps",
                "/fund/services",
                "/fund/rounds",
                "/fund/rounds/new",
                "/fund/partners",
            ] {
                let (status, _, _) = app.get(&client, page).await;
                // Board members read the gaps register (and change nothing in it).
                let reads = page == "/fund/gaps" && roles.contains(&Role::BoardMember);
                assert_eq!(status, if reads { 200 } else { 403 }, "{page} as {email}");
            }
        }
        for table in ["partners", "funds", "gaps", "services", "rounds"] {
            assert_eq!(
                app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
                    .await,
                0,
                "{table}"
            );
        }
    }
);
