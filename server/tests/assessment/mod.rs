//! Assessment: panels, assignment, declarations of interest, blind scoring.
use super::bids::{applicant, complete_everything, declarations, start};
use super::common::*;
use crate::both_backends;
use app::domain::roles::Role;
use sqlx::Row;

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id")
}

/// A sent chiropody bid in a round that has closed; returns the bid id.
async fn sent_bid(app: &TestApp, email: &str, name: &str) -> i64 {
    let client = applicant(app, email, name).await;
    let bid = start(app, &client).await;
    complete_everything(app, &client, bid).await;
    let b = bid.to_string();
    let mut form = vec![("bid_id", b.as_str())];
    form.extend(declarations());
    let res = app.post_js(&client, "/api/bids/submit", &form).await;
    assert!(res.status < 400, "{}", res.body);
    bid
}

async fn close_round(app: &TestApp) {
    let closed = app::domain::time::to_db(chrono::Utc::now() - chrono::Duration::minutes(1));
    sqlx::query("UPDATE rounds SET closes_at = $1 WHERE id = 1")
        .bind(closed)
        .execute(&app.pool)
        .await
        .unwrap();
}

both_backends!(assessors_declare_then_score_blind, async |app: &TestApp| {
    server::cli::demo::load(&app.pool).await.unwrap();
    let bid = sent_bid(app, "pat@example.org", "Happy Feet CIC").await;
    // The service section is scored by the lay panel in this test.
    sqlx::query("UPDATE round_sections SET panel = 'lay' WHERE round_id = 1 AND kind = 'custom'")
        .execute(&app.pool)
        .await
        .unwrap();
    let cora = app
        .signed_in_as("cora@example.org", &[Role::Commissioner])
        .await;
    let ben = app
        .signed_in_as("ben@example.org", &[Role::BoardMember])
        .await;
    let bea = app
        .signed_in_as("bea@example.org", &[Role::BoardMember])
        .await;
    let connie = app
        .signed_in_as("connie@example.org", &[Role::BoardMember])
        .await;
    let lou = app
        .signed_in_as("lou@example.org", &[Role::LayEvaluator])
        .await;
    let ids: Vec<String> = [
        "ben@example.org",
        "bea@example.org",
        "connie@example.org",
        "lou@example.org",
    ]
    .iter()
    .map(|e| e.to_string())
    .collect();
    let mut id_of = std::collections::HashMap::new();
    for e in &ids {
        id_of.insert(e.clone(), user_id(app, e).await.to_string());
    }
    // Bids cannot be assigned before the round closes.
    let res = app
        .post_js(&cora, "/api/assessment/assign", &[("round_id", "1")])
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    close_round(app).await;
    // A lay evaluator cannot sit on the board panel.
    let lou_key = format!("member[{}]", id_of["lou@example.org"]);
    app.post_form(
        &cora,
        "/api/assessment/set_panels",
        "/fund/rounds/1/assessment",
        &[("round_id", "1"), (&lou_key, "board")],
    )
    .await;
    let (_, page, _) = app.get(&cora, "/fund/rounds/1/assessment").await;
    assert!(
        page.contains("cannot sit on the board: they do not hold the role"),
        "{page}"
    );
    // Nor on the lay panel until their training is recorded: the page says why.
    assert!(
        page.contains("cannot sit on the lay panel until their lay evaluator training is recorded"),
        "{page}"
    );
    app.post_form(
        &cora,
        "/api/assessment/set_panels",
        "/fund/rounds/1/assessment",
        &[("round_id", "1"), (&lou_key, "lay")],
    )
    .await;
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM round_assessors WHERE round_id = 1")
            .await,
        0,
        "nobody appointed"
    );
    // A training record with gaps comes back with each gap named and what was typed kept.
    let lou_id = id_of["lou@example.org"].clone();
    app.post_form(
        &cora,
        "/api/assessment/record_training",
        "/fund/lay-evaluators",
        &[
            ("user_id", lou_id.as_str()),
            ("trained_by", "Carers' Centre"),
        ],
    )
    .await;
    let (_, page, _) = app.get(&cora, "/fund/lay-evaluators").await;
    assert!(
        page.contains("Enter what the training covered")
            && (page.contains("value=\"Carers&#x27; Centre\"")
                || page.contains("value=\"Carers' Centre\"")),
        "{page}"
    );
    let res = app
        .post_form(
            &cora,
            "/api/assessment/record_training",
            "/fund/lay-evaluators",
            &[
                ("user_id", lou_id.as_str()),
                ("trained_on_day", "1"),
                ("trained_on_month", "11"),
                ("trained_on_year", "2026"),
                ("trained_by", "Carers' Centre"),
                (
                    "what",
                    "Scoring against the descriptors; conflicts of interest",
                ),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/lay-evaluators"));
    let (_, page, _) = app.get(&cora, "/fund/lay-evaluators").await;
    assert!(page.contains("1 November 2026, by Carers"), "{page}");
    let keys: Vec<(String, &str)> = vec![
        (format!("member[{}]", id_of["ben@example.org"]), "board"),
        (format!("member[{}]", id_of["bea@example.org"]), "board"),
        (format!("member[{}]", id_of["connie@example.org"]), "board"),
        (lou_key.clone(), "lay"),
    ];
    let mut form: Vec<(&str, &str)> = vec![("round_id", "1")];
    form.extend(keys.iter().map(|(k, v)| (k.as_str(), *v)));
    let res = app
        .post_form(
            &cora,
            "/api/assessment/set_panels",
            "/fund/rounds/1/assessment",
            &form,
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/rounds/1/assessment"));
    let res = app
        .post_form(
            &cora,
            "/api/assessment/assign",
            "/fund/rounds/1/assessment",
            &[("round_id", "1")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/rounds/1/assessment"));
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM assignments a JOIN bids b ON b.id = a.bid_id WHERE b.round_id = 1")
            .await,
        4
    );
    assert!(app
        .last_mail_to("ben@example.org")
        .subject
        .contains("You have 1 bid to assess"));
    assert!(app
        .last_mail_to("lou@example.org")
        .subject
        .contains("Affordable chiropody"));

    // The assessor sees only the organisation's name until they declare.
    let (_, page, _) = app.get(&ben, "/assess").await;
    assert!(
        page.contains("Happy Feet CIC") && page.contains("Declaration needed"),
        "{page}"
    );
    let path = format!("/assess/bids/{bid}");
    let (status, page, _) = app.get(&ben, &path).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Do you have a conflict of interest with Happy Feet CIC?"),
        "{page}"
    );
    assert!(
        !page.contains("Clinic room hire"),
        "no bid content before the declaration"
    );
    let b = bid.to_string();
    app.post_form(
        &ben,
        "/api/assessment/declare",
        &path,
        &[("bid_id", &b), ("conflict", "conflict")],
    )
    .await;
    let (_, page, _) = app.get(&ben, &path).await;
    assert!(
        page.contains("Select how you are connected with the organisation"),
        "{page}"
    );
    let res = app
        .post_form(
            &ben,
            "/api/assessment/declare",
            &path,
            &[("bid_id", &b), ("conflict", "none")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some(path.as_str()));
    let (_, page, _) = app.get(&ben, &path).await;
    assert!(
        page.contains("Clinic room hire") && page.contains("Grant dependency falls from 78%"),
        "{page}"
    );
    // About the organisation: its details, as the applicant was told assessors see them.
    for detail in [
        "Legal form",
        "Companies House number",
        "Annual income",
        "Area served",
    ] {
        assert!(page.contains(detail), "{detail}: {page}");
    }
    assert!(page.contains("Grimsby"), "{page}");
    // Not how to reach it: an assessor never contacts a bidder.
    assert!(
        !page.contains("Main contact") && !page.contains("Registered address"),
        "{page}"
    );
    // The service section is the lay panel's here: "Meets the need", drawn only from it, is
    // the carers' to score; board members score the rest.
    assert!(page.contains("Sustainability") && page.contains("Delivery and value for money"));
    assert!(!page.contains("Why did you give this score for Meets the need?"));

    // Connie declares a conflict: the bid disappears for her everywhere.
    app.post_form(
        &connie,
        "/api/assessment/declare",
        &path,
        &[
            ("bid_id", &b),
            ("conflict", "conflict"),
            ("nature", "trustee"),
            ("description", "I am a trustee of Happy Feet"),
        ],
    )
    .await;
    let (status, _, _) = app.get(&connie, &path).await;
    assert_eq!(status, 404);
    for (endpoint, form) in [
        ("assessment/bid", vec![("bid_id", b.as_str())]),
        (
            "assessment/score",
            vec![("bid_id", b.as_str()), ("then", "draft")],
        ),
        (
            "assessment/declare",
            vec![
                ("bid_id", b.as_str()),
                ("conflict", "none"),
                ("reason", "changed my mind"),
            ],
        ),
    ] {
        let res = app
            .post_js(&connie, &format!("/api/{endpoint}"), &form)
            .await;
        assert_eq!(res.status, 404, "{endpoint}: {}", res.body);
    }
    for other in [
        format!("/bids/{bid}"),
        format!("/bids/{bid}/view"),
        format!("/bids/{bid}/download"),
    ] {
        assert_eq!(app.get(&connie, &other).await.0, 404, "{other}");
    }
    let (_, page, _) = app.get(&connie, "/assess").await;
    assert!(page.contains("Conflict declared"));
    let (_, page, _) = app.get(&cora, "/fund/rounds/1/interests").await;
    assert!(
        page.contains("I am a trustee of Happy Feet") && page.contains("No conflict"),
        "{page}"
    );
    let csv = cora
        .get(app.url("/fund/rounds/1/interests.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("Declared,Assessor,Organisation"), "{csv}");
    assert!(csv.contains("I am a trustee of Happy Feet"));

    // The lay evaluator sees and scores only the lay panel's section and its criteria.
    app.post_form(
        &lou,
        "/api/assessment/declare",
        &path,
        &[("bid_id", &b), ("conflict", "none")],
    )
    .await;
    let (_, page, _) = app.get(&lou, &path).await;
    assert!(
        page.contains("Your proposed service") && page.contains("Meets the need"),
        "{page}"
    );
    assert!(
        !page.contains("Clinic room hire"),
        "the budget is not the lay panel's"
    );
    let criteria: Vec<(i64, String)> =
        sqlx::query("SELECT id, name FROM round_criteria WHERE round_id = 1 ORDER BY position")
            .fetch_all(&app.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("id"), r.get("name")))
            .collect();
    let sustainability = criteria.iter().find(|c| c.1 == "Sustainability").unwrap().0;
    let res = app
        .post_js(
            &lou,
            "/api/assessment/score",
            &[
                ("bid_id", &b),
                ("then", "draft"),
                (&format!("score[{sustainability}]"), "5"),
                (&format!("why[{sustainability}]"), "sneaky"),
            ],
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM scores WHERE justification = 'sneaky'")
            .await,
        0,
        "a lay score on a board criterion is ignored"
    );

    // Blind scoring: Bea submits first; Ben cannot see her scores until he submits his.
    app.post_form(
        &bea,
        "/api/assessment/declare",
        &path,
        &[("bid_id", &b), ("conflict", "none")],
    )
    .await;
    let fields = |score: &str, why: &str| -> Vec<(String, String)> {
        criteria
            .iter()
            .flat_map(|(id, _)| {
                [
                    (format!("score[{id}]"), score.to_string()),
                    (format!("why[{id}]"), why.to_string()),
                ]
            })
            .collect()
    };
    let submit = |fields: Vec<(String, String)>, then: &'static str| {
        let mut f: Vec<(String, String)> =
            vec![("bid_id".into(), b.clone()), ("then".into(), then.into())];
        f.extend(fields);
        f
    };
    // "Check and submit scores" saves them and shows them for checking: not yet locked.
    let form = submit(fields("4", "Bea's reasoning"), "submit");
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app
        .post_form(&bea, "/api/assessment/score", &path, &borrowed)
        .await;
    let check = format!("{path}/check");
    assert_eq!(res.location.as_deref(), Some(check.as_str()));
    let (_, page, _) = app.get(&bea, &check).await;
    assert!(
        page.contains("Check your scores before you submit them")
            && page.contains("4 out of 5")
            && page.contains("your scores are locked"),
        "{page}"
    );
    let (_, page, _) = app.get(&bea, &path).await;
    assert!(!page.contains("submitted and locked"), "{page}");
    // Submitting from the check page locks them.
    let form = submit(fields("4", "Bea's reasoning"), "confirm");
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app
        .post_form(&bea, "/api/assessment/score", &path, &borrowed)
        .await;
    assert_eq!(res.location.as_deref(), Some(path.as_str()));
    let (_, page, _) = app.get(&bea, &path).await;
    assert!(
        page.contains("Your scores are submitted and locked"),
        "{page}"
    );
    // Submitting without every score and reason is refused, and the draft is kept.
    let form = submit(
        vec![(format!("score[{sustainability}]"), "2".into())],
        "submit",
    );
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(&ben, "/api/assessment/score", &path, &borrowed)
        .await;
    let (_, page, _) = app.get(&ben, &path).await;
    assert!(page.contains("Explain your score for"), "{page}");
    assert!(
        !page.contains("Bea&#x27;s reasoning") && !page.contains("Bea's reasoning"),
        "blind until Ben submits"
    );
    let form = submit(fields("2", "Ben's reasoning"), "confirm");
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(&ben, "/api/assessment/score", &path, &borrowed)
        .await;
    let (_, page, _) = app.get(&ben, &path).await;
    assert!(
        page.contains("Bea&#x27;s reasoning") || page.contains("Bea's reasoning"),
        "{page}"
    );
    // The lay evaluator, once submitted, reads no board member's reasons: theirs are about
    // criteria argued from sections the lay panel does not see.
    let lay_form = submit(fields("3", "Lou's reasoning"), "confirm");
    let borrowed_lay: Vec<(&str, &str)> = lay_form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = app
        .post_form(&lou, "/api/assessment/score", &path, &borrowed_lay)
        .await;
    assert_eq!(res.location.as_deref(), Some(path.as_str()));
    let (_, page, _) = app.get(&lou, &path).await;
    assert!(
        page.contains("Your scores are submitted and locked"),
        "{page}"
    );
    for other in [
        "Bea&#x27;s reasoning",
        "Bea's reasoning",
        "Ben&#x27;s reasoning",
        "Ben's reasoning",
    ] {
        assert!(!page.contains(other), "{other}: {page}");
    }
    // The moderation ranking's kept totals follow the submissions.
    let kept = format!(
        "SELECT CAST(COALESCE(SUM(scores), 0) AS BIGINT) FROM score_totals WHERE bid_id = {b}"
    );
    let both = app.count(&kept).await;
    assert!(both > 0);
    assert_eq!(app.score_totals_out_of_step().await, 0);
    // Locked: a second submission is refused; a commissioner reopens with a reason.
    let res = app.post_js(&ben, "/api/assessment/score", &borrowed).await;
    assert_eq!(res.status, 409, "{}", res.body);
    let ben_id = id_of["ben@example.org"].clone();
    let reason_key = format!("reason[{ben_id}]");
    let res = app
        .post_js(
            &cora,
            "/api/assessment/reopen",
            &[
                ("round_id", "1"),
                ("bid_id", &b),
                ("user_id", &ben_id),
                (reason_key.as_str(), ""),
            ],
        )
        .await;
    assert_eq!(res.status, 400);
    let res = app
        .post_js(
            &cora,
            "/api/assessment/reopen",
            &[
                ("round_id", "1"),
                ("bid_id", &b),
                ("user_id", &ben_id),
                (reason_key.as_str(), "Scored the wrong bid"),
            ],
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    let (_, page, _) = app.get(&ben, &path).await;
    assert!(page.contains("Check and submit scores"));
    let after = app.count(&kept).await;
    assert!(
        after > 0 && after < both,
        "Ben's reopened scores no longer count: {both} -> {after}"
    );
    assert_eq!(app.score_totals_out_of_step().await, 0);
    assert_eq!(
        app.count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'bid.scores_reopened'"
        )
        .await,
        1
    );
    // A declaration is superseded, never edited: a reason is required.
    let conflict = [
        ("bid_id", b.as_str()),
        ("conflict", "conflict"),
        ("nature", "business"),
        ("description", "My firm supplies them"),
    ];
    app.post_form(&ben, "/api/assessment/declare", &path, &conflict)
        .await;
    let (_, page, _) = app.get(&ben, &path).await;
    assert!(
        page.contains("Say why you are changing your declaration"),
        "{page}"
    );
    let mut with_reason = conflict.to_vec();
    with_reason.push(("reason", "I found the link when reading the budget"));
    app.post_form(&ben, "/api/assessment/declare", &path, &with_reason)
        .await;
    assert_eq!(app.get(&ben, &path).await.0, 404);
    let (_, page, _) = app.get(&cora, "/fund/rounds/1/interests").await;
    assert!(
        page.contains("(superseded)") && page.contains("I found the link when reading the budget"),
        "{page}"
    );
    // A commissioner can choose the assessors of one bid.
    let (status, page, _) = app
        .get(&cora, &format!("/fund/rounds/1/assessment/bids/{bid}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Who should assess this bid?"), "{page}");
    assert!(
        page.contains("Reopen Test User&#x27;s scores")
            || page.contains("Reopen Test User's scores"),
        "Bea's submitted scores can be reopened: {page}"
    );
    // Applicants and strangers cannot reach assessment pages.
    let pat = new_client();
    app.sign_in(&pat, "pat@example.org", TEST_PASSWORD).await;
    assert_eq!(app.get(&pat, &path).await.0, 403);
    assert_eq!(app.get(&pat, "/fund/rounds/1/assessment").await.0, 403);
});

both_backends!(
    a_bid_no_one_has_scored_is_not_scored_yet_and_the_funding_line_says_what_is_left,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        // Awards made at once: the partners have not named approvers (board::… tests sign off).
        without_sign_off(app).await;
        let good = sent_bid(app, "pat@example.org", "Happy Feet CIC").await;
        let unscored = sent_bid(app, "eve@example.org", "Not Yet Scored CIC").await;
        close_round(app).await;
        let cora = app
            .signed_in_as("cora@example.org", &[Role::Commissioner])
            .await;
        app.post_js(&cora, "/api/rounds/start_assessment", &[("round_id", "1")])
            .await;
        let ben = app
            .signed_in_as("ben@example.org", &[Role::BoardMember])
            .await;
        let member = format!("member[{}]", user_id(app, "ben@example.org").await);
        app.post_js(
            &cora,
            "/api/assessment/set_panels",
            &[("round_id", "1"), (&member, "board")],
        )
        .await;
        app.post_js(&cora, "/api/assessment/assign", &[("round_id", "1")])
            .await;
        score_all(app, &ben, good, "4", "Strong, credible plan").await;

        let (status, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert_eq!(status, 200);
        assert!(page.contains("Not scored yet"), "{page}");
        assert!(
            !page.contains("Not fundable"),
            "a bid no one has scored is not called unfundable: {page}"
        );
        // The envelope has not run out after the one scored bid: the line says what is left.
        assert!(!page.contains("runs out here"), "{page}");
        assert!(
            page.contains("the bids below are not scored yet or below a minimum score")
                && page.contains("of the budget envelope of")
                && page.contains("is left"),
            "{page}"
        );
        assert!(page.contains("Not counted"), "{page}");

        // An award before an assigned assessor has scored is warned of, and goes ahead only
        // when the commissioner ticks the box that says so; alone or in a batch.
        let u = unscored.to_string();
        let bid_page = format!("/fund/rounds/1/moderation/bids/{unscored}");
        let (_, page, _) = app.get(&cora, &bid_page).await;
        assert!(
            page.contains("Test User has not submitted scores for this bid yet"),
            "{page}"
        );
        let award = [
            ("round_id", "1"),
            ("bid_id", u.as_str()),
            ("outcome", "award"),
            ("amount", "1000"),
            ("purpose", "A weekly clinic"),
        ];
        let res = app.post_js(&cora, "/api/decisions/decide", &award).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(
            res.body.contains(
                "Test User has not submitted scores for this bid. Wait for their scores, or tick the box"
            ),
            "{}",
            res.body
        );
        let ticked = format!("bid[{unscored}]");
        let batch = [
            ("round_id", "1"),
            ("outcome", "award"),
            (ticked.as_str(), "1"),
        ];
        app.post_form(
            &cora,
            "/api/decisions/batch",
            "/fund/rounds/1/moderation",
            &batch,
        )
        .await;
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert!(
            page.contains("0 decisions recorded. Not recorded:")
                && page.contains("Test User has not submitted scores"),
            "{page}"
        );
        let schemes_of_bid =
            format!("SELECT CAST(COUNT(*) AS BIGINT) FROM schemes WHERE bid_id = {unscored}");
        assert_eq!(app.count(&schemes_of_bid).await, 0, "nothing was awarded");
        let mut confirmed = award.to_vec();
        confirmed.push(("award_before_scores", "award_before_scores"));
        let res = app
            .post_js(&cora, "/api/decisions/decide", &confirmed)
            .await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(app.count(&schemes_of_bid).await, 1);
        // The scored bid's assessor has scored: no warning, no box.
        let (_, page, _) = app
            .get(&cora, &format!("/fund/rounds/1/moderation/bids/{good}"))
            .await;
        assert!(!page.contains("has not submitted scores"), "{page}");
    }
);

/// Submit every criterion of a bid (in the first round) at one score.
async fn score_all(app: &TestApp, client: &reqwest::Client, bid: i64, score: &str, why: &str) {
    score_in_round(app, client, (1, bid), score, why).await;
}

/// Declare no conflict in a bid of `round` and submit every criterion at one score.
pub(crate) async fn score_in_round(
    app: &TestApp,
    client: &reqwest::Client,
    (round, bid): (i64, i64),
    score: &str,
    why: &str,
) {
    let b = bid.to_string();
    let path = format!("/assess/bids/{bid}");
    app.post_form(
        client,
        "/api/assessment/declare",
        &path,
        &[("bid_id", &b), ("conflict", "none")],
    )
    .await;
    let criteria: Vec<i64> = sqlx::query("SELECT id FROM round_criteria WHERE round_id = $1")
        .bind(round)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    let mut form: Vec<(String, String)> = vec![
        ("bid_id".into(), b.clone()),
        ("then".into(), "confirm".into()),
    ];
    for id in criteria {
        form.push((format!("score[{id}]"), score.into()));
        form.push((format!("why[{id}]"), why.into()));
    }
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app
        .post_js(client, "/api/assessment/score", &borrowed)
        .await;
    assert!(res.status < 400, "{}", res.body);
}

both_backends!(
    moderation_ranks_bids_and_awards_commit_the_money,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        // Awards made at once: the partners have not named approvers (board::… tests sign off).
        without_sign_off(app).await;
        let good = sent_bid(app, "pat@example.org", "Happy Feet CIC").await;
        let weak = sent_bid(app, "eve@example.org", "Weak Plan CIC").await;
        close_round(app).await;
        let cora = app
            .signed_in_as("cora@example.org", &[Role::Commissioner])
            .await;
        let res = app
            .post_js(&cora, "/api/rounds/start_assessment", &[("round_id", "1")])
            .await;
        assert!(res.status < 400, "{}", res.body);
        let ben = app
            .signed_in_as("ben@example.org", &[Role::BoardMember])
            .await;
        let bea = app
            .signed_in_as("bea@example.org", &[Role::BoardMember])
            .await;
        let (ben_id, bea_id) = (
            user_id(app, "ben@example.org").await,
            user_id(app, "bea@example.org").await,
        );
        let (k1, k2) = (format!("member[{ben_id}]"), format!("member[{bea_id}]"));
        app.post_js(
            &cora,
            "/api/assessment/set_panels",
            &[("round_id", "1"), (&k1, "board"), (&k2, "board")],
        )
        .await;
        app.post_js(&cora, "/api/assessment/assign", &[("round_id", "1")])
            .await;
        score_all(app, &ben, good, "4", "Strong, credible plan").await;
        score_all(app, &bea, good, "2", "Charges look optimistic").await;
        score_all(app, &ben, weak, "2", "Relies on the grant").await;
        score_all(app, &bea, weak, "2", "No route to independence").await;

        // Ranked with the means; the spread and the unfundable bid are flagged.
        let (status, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Differ by 2+") && page.contains("Not fundable"),
            "{page}"
        );
        assert!(page.contains("Funding line"));
        assert!(
            page.find("Happy Feet CIC").unwrap() < page.find("Weak Plan CIC").unwrap(),
            "the stronger bid ranks first"
        );
        assert!(
            page.contains("60.0"),
            "mean 3 on every criterion is 60 out of 100: {page}"
        );

        // Agreed scores need a note; they then count instead of the mean.
        let sustainability: i64 = sqlx::query(
            "SELECT id FROM round_criteria WHERE round_id = 1 AND name = 'Sustainability'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
        let (g, a, n) = (
            good.to_string(),
            format!("agreed[{sustainability}]"),
            format!("note[{sustainability}]"),
        );
        let page_path = format!("/fund/rounds/1/moderation/bids/{good}");
        app.post_form(
            &cora,
            "/api/decisions/moderate",
            &page_path,
            &[("round_id", "1"), ("bid_id", &g), (&a, "4")],
        )
        .await;
        let (_, page, _) = app.get(&cora, &page_path).await;
        assert!(
            page.contains("Add a note on the agreed score for"),
            "{page}"
        );
        let res = app
            .post_form(
                &cora,
                "/api/decisions/moderate",
                &page_path,
                &[
                    ("round_id", "1"),
                    ("bid_id", &g),
                    (&a, "4"),
                    (&n, "Panel agreed the charging model is sound"),
                ],
            )
            .await;
        // The commissioner stays on the bid, at its decision.
        assert_eq!(res.location, Some(format!("{page_path}#decision")));
        // The list seen above was kept (app::kept); the agreed score moved the data
        // generation on, so the list shows it.
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert!(page.contains("Agreed 4"), "{page}");

        // An award may not exceed the request; it commits the money and creates the scheme.
        let res = app
            .post_js(
                &cora,
                "/api/decisions/decide",
                &[
                    ("round_id", "1"),
                    ("bid_id", &g),
                    ("outcome", "award"),
                    ("amount", "30000"),
                ],
            )
            .await;
        assert_eq!(res.status, 400);
        assert!(
            res.body
                .contains("must not be more than the £24,000.00 requested"),
            "{}",
            res.body
        );
        let res = app
            .post_form(
                &cora,
                "/api/decisions/decide",
                &page_path,
                &[
                    ("round_id", "1"),
                    ("bid_id", &g),
                    ("outcome", "award"),
                    ("amount", "20000"),
                    ("purpose", "Foot care clinics for older people in Grimsby"),
                    ("conditions", "Quarterly returns"),
                    ("feedback", ""),
                ],
            )
            .await;
        assert!(res
            .location
            .unwrap_or_default()
            .starts_with("/fund/rounds/1/moderation"));
        let awarded: i64 = sqlx::query("SELECT awarded_pence FROM rounds WHERE id = 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("awarded_pence");
        assert_eq!(awarded, 2_000_000);
        // Committed in the funds of the years its tranches are planned in.
        let committed = app
            .count("SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_ledger WHERE round_id = 1 AND movement = 'commitment'")
            .await;
        assert_eq!(committed, 2_000_000);
        crate::years::tranches_charged_to_their_years(app, 1).await;
        assert_eq!(
            app.count("SELECT CAST(SUM(t.amount_pence) AS BIGINT) FROM tranches t JOIN schemes s ON s.id = t.scheme_id WHERE s.round_id = 1")
                .await,
            2_000_000
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM tranches t JOIN schemes s ON s.id = t.scheme_id WHERE s.round_id = 1")
                .await,
            3
        );
        let mail = app.last_mail_to("pat@example.org");
        assert!(
            mail.subject.contains("has been funded") && mail.body.contains("£20,000.00"),
            "{}",
            mail.body
        );
        let (_, page, _) = app.get(&cora, &page_path).await;
        assert!(
            page.contains("Payment schedule") && page.contains("£10,000.00"),
            "{page}"
        );
        let res = app
            .post_js(
                &cora,
                "/api/decisions/decide",
                &[
                    ("round_id", "1"),
                    ("bid_id", &g),
                    ("outcome", "decline"),
                    ("feedback", "x"),
                ],
            )
            .await;
        assert_eq!(res.status, 409, "an award is final: {}", res.body);

        // A batch post without a decision comes back with the error and the bid still
        // ticked, though the ranking's rows are kept as HTML for everyone (app::kept); the
        // page's next view is unticked again.
        let w = format!("bid[{weak}]");
        let tick = format!("id=\"tick-{weak}\"");
        let ticked = |page: &str| {
            let at = page.find(&tick).expect("the bid's tick box");
            page[at..][..page[at..].find('>').unwrap()].contains("checked")
        };
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert!(!ticked(&page));
        app.post_form(
            &cora,
            "/api/decisions/batch",
            "/fund/rounds/1/moderation",
            &[("round_id", "1"), (&w, "1")],
        )
        .await;
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert!(
            page.contains("Select a decision for the ticked bids"),
            "{page}"
        );
        assert!(ticked(&page), "the tick was lost");
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert!(!ticked(&page));

        // Batch: decline the weak bid with feedback drawn from its scores.
        app.post_form(
            &cora,
            "/api/decisions/batch",
            "/fund/rounds/1/moderation",
            &[("round_id", "1"), ("outcome", "decline"), (&w, "1")],
        )
        .await;
        let mail = app.last_mail_to("eve@example.org");
        assert!(
            mail.body.contains("did not reach the minimum score")
                && mail.body.contains("No route to independence"),
            "{}",
            mail.body
        );
        let status: String = sqlx::query("SELECT status FROM bids WHERE id = $1")
            .bind(weak)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("status");
        assert_eq!(status, "declined");
        // The applicant sees the decision on their bid list.
        let pat = new_client();
        app.sign_in(&pat, "pat@example.org", TEST_PASSWORD).await;
        let (_, page, _) = app.get(&pat, "/bids").await;
        assert!(page.contains("Awarded"), "{page}");

        // Release what was not awarded back to the fund.
        let res = app
            .post_js(&cora, "/api/decisions/release", &[("round_id", "1")])
            .await;
        assert!(res.status < 400, "{}", res.body);
        let reserved: i64 = sqlx::query("SELECT reserved_pence FROM rounds WHERE id = 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("reserved_pence");
        assert_eq!(reserved, 2_000_000);
    }
);

both_backends!(
    concurrent_awards_never_overcommit_the_envelope,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        // Awards made at once: the partners have not named approvers (board::… tests sign off).
        without_sign_off(app).await;
        close_round(app).await;
        // 30 bids under assessment, each asking for £5,000, against the round's £60,000.
        let owner = app.signed_in_as("owner@example.org", &[]).await;
        drop(owner);
        let owner_id = user_id(app, "owner@example.org").await;
        let now = app::db::now();
        let mut bids = Vec::new();
        for i in 0..30 {
            let form = app::domain::organisation::OrganisationForm {
                name: format!("Org {i}"),
                legal_form: "community_group".into(),
                address_line_1: "1 Street".into(),
                town: "Grimsby".into(),
                postcode: "DN31 1HU".into(),
                contact_name: "A".into(),
                contact_email: "a@example.org".into(),
                income_band: "under_10k".into(),
                area_served: "Grimsby".into(),
                ..Default::default()
            };
            let parsed = form.parse().unwrap();
            let mut tx = app.pool.begin().await.unwrap();
            let org_id = app::db::organisations::insert(&mut tx, &parsed, owner_id, now)
                .await
                .unwrap();
            let bid = app::db::bids::insert(&mut tx, 1, org_id, owner_id, now)
                .await
                .unwrap()
                .unwrap();
            app::db::bids::set_requested(&mut tx, bid, Some(app::domain::money::Pence(500_000)))
                .await
                .unwrap();
            tx.commit().await.unwrap();
            sqlx::query("UPDATE bids SET status = 'under_assessment', reference = $1, submitted_at = $2 WHERE id = $3")
                .bind(format!("SB-T-{bid}")).bind(now).bind(bid).execute(&app.pool).await.unwrap();
            bids.push(bid);
        }
        let cora = app
            .signed_in_as("cora@example.org", &[Role::Commissioner])
            .await;
        let mut tasks = Vec::new();
        for bid in bids {
            let client = cora.clone();
            let url = app.url("/api/decisions/decide");
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .header("Accept", "application/json")
                    .form(&[
                        ("round_id", "1".to_string()),
                        ("bid_id", bid.to_string()),
                        ("outcome", "award".into()),
                        ("amount", "5000".into()),
                        ("purpose", "A weekly clinic".into()),
                    ])
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }));
        }
        let mut ok = 0;
        for t in tasks {
            let status = t.await.unwrap();
            assert!(
                status == 200 || status == 409 || status == 302,
                "unexpected {status}"
            );
            if status < 400 {
                ok += 1;
            }
        }
        assert_eq!(ok, 12, "exactly £60,000 of £5,000 awards");
        let (awarded, reserved): (i64, i64) = {
            let r = sqlx::query("SELECT awarded_pence, reserved_pence FROM rounds WHERE id = 1")
                .fetch_one(&app.pool)
                .await
                .unwrap();
            (r.get("awarded_pence"), r.get("reserved_pence"))
        };
        assert_eq!((awarded, reserved), (6_000_000, 6_000_000));
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM schemes WHERE round_id = 1")
                .await,
            12
        );
        assert_eq!(
            app.count("SELECT CAST(SUM(t.amount_pence) AS BIGINT) FROM tranches t JOIN schemes s ON s.id = t.scheme_id WHERE s.round_id = 1")
                .await,
            6_000_000
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bids WHERE round_id = 1 AND status = 'awarded'")
                .await,
            12
        );
    }
);

both_backends!(
    the_demo_has_a_pilot_round_in_assessment,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        server::cli::demo::load(&app.pool).await.unwrap();
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM bids WHERE status = 'under_assessment'"
            )
            .await,
            3,
            "loaded once, however often demo runs"
        );
        // Two bids assigned to the three assessors; the third came by post, with agreed
        // scores, and the Board recommended it at the demo's meeting: the council has signed
        // it off, the ICB has not.
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM assignments")
                .await,
            6
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM decisions WHERE sign_off = 'awaiting' AND meeting_id IS NOT NULL")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM sign_offs WHERE approved = 1")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM meeting_members WHERE present = 1")
                .await,
            2
        );
        let board = new_client();
        app.sign_in(
            &board,
            "board@seedbed.test",
            server::cli::demo::DEMO_PASSWORD,
        )
        .await;
        let (_, page, _) = app.get(&board, "/assess").await;
        assert!(
            page.contains("Happy Feet Chiropody CIC")
                && page.contains("St Peter&#x27;s Church Lunch Club")
                || page.contains("St Peter's Church Lunch Club"),
            "{page}"
        );
        assert!(page.contains("Declaration needed"));
        // Every section of the demo bids is complete and checks out.
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bid_sections WHERE completed = 0")
                .await,
            0
        );
    }
);

both_backends!(
    carers_alone_score_a_criterion_drawn_only_from_their_section,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let bid = sent_bid(app, "pat@example.org", "Happy Feet CIC").await;
        // The service section is the lay panel's: "Meets the need" is drawn only from it.
        sqlx::query(
            "UPDATE round_sections SET panel = 'lay' WHERE round_id = 1 AND kind = 'custom'",
        )
        .execute(&app.pool)
        .await
        .unwrap();
        let need: i64 = sqlx::query(
            "SELECT id FROM round_criteria WHERE round_id = 1 AND name = 'Meets the need'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
        close_round(app).await;
        let cora = app
            .signed_in_as("cora@example.org", &[Role::Commissioner])
            .await;
        app.post_js(&cora, "/api/rounds/start_assessment", &[("round_id", "1")])
            .await;
        let ben = app
            .signed_in_as("ben@example.org", &[Role::BoardMember])
            .await;
        let member = format!("member[{}]", user_id(app, "ben@example.org").await);
        app.post_js(
            &cora,
            "/api/assessment/set_panels",
            &[("round_id", "1"), (&member, "board")],
        )
        .await;
        app.post_js(&cora, "/api/assessment/assign", &[("round_id", "1")])
            .await;
        let b = bid.to_string();
        let path = format!("/assess/bids/{bid}");
        app.post_form(
            &ben,
            "/api/assessment/declare",
            &path,
            &[("bid_id", &b), ("conflict", "none")],
        )
        .await;
        // The board member reads the carers' section but is not asked to score it.
        let (_, page, _) = app.get(&ben, &path).await;
        assert!(page.contains("Your proposed service"), "{page}");
        assert!(
            !page.contains("Why did you give this score for Meets the need?"),
            "{page}"
        );
        assert!(
            page.contains("Why did you give this score for Delivery"),
            "{page}"
        );
        // Nor can the server function be made to take a score for it.
        let (score, why) = (format!("score[{need}]"), format!("why[{need}]"));
        let res = app
            .post_js(
                &ben,
                "/api/assessment/score",
                &[
                    ("bid_id", &b),
                    ("then", "draft"),
                    (&score, "1"),
                    (&why, "board says no"),
                ],
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM scores WHERE justification = 'board says no'"
            )
            .await,
            0
        );
        // Moderation says which panel scores each criterion.
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/moderation").await;
        assert!(
            page.contains("Meets the need (") && page.contains("scored by the lay panel alone"),
            "{page}"
        );
    }
);

both_backends!(
    awarding_a_bid_below_a_minimum_score_needs_a_reason,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        // Awards made at once: the partners have not named approvers (board::… tests sign off).
        without_sign_off(app).await;
        let weak = sent_bid(app, "eve@example.org", "Weak Plan CIC").await;
        close_round(app).await;
        let cora = app
            .signed_in_as("cora@example.org", &[Role::Commissioner])
            .await;
        app.post_js(&cora, "/api/rounds/start_assessment", &[("round_id", "1")])
            .await;
        let ben = app
            .signed_in_as("ben@example.org", &[Role::BoardMember])
            .await;
        let member = format!("member[{}]", user_id(app, "ben@example.org").await);
        app.post_js(
            &cora,
            "/api/assessment/set_panels",
            &[("round_id", "1"), (&member, "board")],
        )
        .await;
        app.post_js(&cora, "/api/assessment/assign", &[("round_id", "1")])
            .await;
        score_all(app, &ben, weak, "2", "Relies on the grant").await;

        let w = weak.to_string();
        let page_path = format!("/fund/rounds/1/moderation/bids/{weak}");
        let (_, page, _) = app.get(&cora, &page_path).await;
        assert!(page.contains("This bid is not fundable"), "{page}");
        let mut award = vec![
            ("round_id", "1"),
            ("bid_id", w.as_str()),
            ("outcome", "award"),
            ("amount", "5000"),
            ("purpose", "A weekly clinic"),
        ];
        let res = app.post_js(&cora, "/api/decisions/decide", &award).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(
            res.body.contains("Give the reason for awarding it anyway"),
            "{}",
            res.body
        );
        let schemes = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM schemes WHERE bid_id = {weak}");
        assert_eq!(app.count(&schemes).await, 0);
        award.push((
            "override_reason",
            "The only bid that reaches the East Marsh estate",
        ));
        let res = app.post_js(&cora, "/api/decisions/decide", &award).await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(app.count(&schemes).await, 1);
        // The reason is kept with the decision and in the audit trail.
        let (_, page, _) = app.get(&cora, &page_path).await;
        assert!(
            page.contains("The reason recorded: The only bid that reaches the East Marsh estate"),
            "{page}"
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'bid.decided' AND summary LIKE '%below a criterion%East Marsh%'")
                .await,
            1
        );
        let (_, page, _) = app.get(&cora, "/fund/rounds/1/report").await;
        assert!(
            page.contains("Awarded although below a criterion")
                && page.contains("East Marsh estate"),
            "{page}"
        );
    }
);
