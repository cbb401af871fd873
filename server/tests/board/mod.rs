//! The Board decides and the partners sign off: a recommended award commits no money until
//! an approver for every partner has approved it; the last approval makes it exactly once.
use super::assessment::score_in_round;
use super::common::*;
use super::schemes::client_for;
use crate::both_backends;
use app::domain::roles::Role;
use sqlx::Row;

/// The demo's pilot round and Happy Feet's bid in it: (round id, bid id).
pub(crate) async fn pilot_bid(app: &TestApp) -> (i64, i64) {
    let row = sqlx::query(
        "SELECT b.round_id, b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id
         JOIN rounds r ON r.id = b.round_id
         WHERE r.title = $1 AND o.name = 'Happy Feet Chiropody CIC'",
    )
    .bind(server::cli::demo::PILOT_TITLE)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (row.get("round_id"), row.get("id"))
}

/// The commissioner records the Board's recommendation: an award of £24,000.
pub(crate) async fn recommend(
    app: &TestApp,
    commissioner: &reqwest::Client,
    round: i64,
    bid: i64,
) -> Posted {
    let (r, b) = (round.to_string(), bid.to_string());
    app.post_form(
        commissioner,
        "/api/decisions/decide",
        &format!("/fund/rounds/{r}/moderation/bids/{b}"),
        &[
            ("round_id", &r),
            ("bid_id", &b),
            ("outcome", "award"),
            ("amount", "24000"),
            ("purpose", "Foot care clinics for older people in Grimsby"),
            ("conditions", "Quarterly returns on time"),
            // The demo's assessors have not scored the pilot's bids yet.
            ("award_before_scores", "award_before_scores"),
            ("feedback", ""),
            ("returns_every", "3"),
        ],
    )
    .await
}

/// An approver's answer, as the sign-off page posts it (JavaScript on: the status and body).
async fn answer(
    app: &TestApp,
    approver: &reqwest::Client,
    bid: i64,
    answer: &str,
    reason: &str,
) -> Posted {
    let b = bid.to_string();
    app.post_js(
        approver,
        "/api/sign-off/answer",
        &[("bid_id", &b), ("answer", answer), ("reason", reason)],
    )
    .await
}

/// Both demo approvers approve the recommendation on `bid` (the council's, then the ICB's).
pub(crate) async fn sign_off_by_both(app: &TestApp, bid: i64) {
    for email in ["director@seedbed.test", "icblead@seedbed.test"] {
        let approver = client_for(app, email).await;
        let res = answer(app, &approver, bid, "approve", "").await;
        assert!(res.status < 400, "{email}: {} {}", res.status, res.body);
    }
}

/// The demo, with Happy Feet's pilot bid recommended for £24,000: (round, bid, the
/// commissioner, the pence committed before).
async fn recommended(app: &TestApp) -> (i64, i64, reqwest::Client, i64) {
    server::cli::demo::load(&app.pool).await.unwrap();
    let (round, bid) = pilot_bid(app).await;
    let commissioner = client_for(app, "commissioner@seedbed.test").await;
    let before = committed(app).await;
    assert_eq!(recommend(app, &commissioner, round, bid).await.status, 302);
    (round, bid, commissioner, before)
}

async fn committed(app: &TestApp) -> i64 {
    app.count("SELECT CAST(COALESCE(SUM(committed_pence), 0) AS BIGINT) FROM funds")
        .await
}

async fn schemes_of(app: &TestApp, bid: i64) -> i64 {
    app.count(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM schemes WHERE bid_id = {bid}"
    ))
    .await
}

both_backends!(
    no_money_moves_until_both_partners_sign_off,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, bid) = pilot_bid(app).await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let before = committed(app).await;
        let res = recommend(app, &commissioner, round, bid).await;
        assert_eq!(res.status, 302, "{}", res.body);
        // Recommended: no scheme, no money, the organisation not told; the approvers are asked.
        assert_eq!(schemes_of(app, bid).await, 0);
        assert_eq!(committed(app).await, before);
        let page = format!("/fund/rounds/{round}/moderation/bids/{bid}");
        let (_, html, _) = app.get(&commissioner, &page).await;
        assert!(
            html.contains("Recommended £24,000.00, awaiting sign-off"),
            "{html}"
        );
        assert!(app
            .mails()
            .iter()
            .all(|m| m.to != "applicant@seedbed.test" || !m.subject.contains("funded")));
        assert!(app
            .last_mail_to("icblead@seedbed.test")
            .subject
            .contains("awaits your sign-off"));

        // The council's approver finds it in their list and approves: still nothing moves.
        let director = client_for(app, "director@seedbed.test").await;
        let (status, list, _) = app.get(&director, "/sign-off").await;
        assert_eq!(status, 200);
        assert!(
            list.contains("Happy Feet Chiropody CIC")
                && list.contains("You sign off for North East Lincolnshire Council"),
            "{list}"
        );
        let (_, detail, _) = app.get(&director, &format!("/sign-off/{bid}")).await;
        assert!(
            detail.contains("Send your answer")
                && detail.contains("Foot care clinics for older people in Grimsby"),
            "{detail}"
        );
        let res = answer(app, &director, bid, "approve", "").await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(schemes_of(app, bid).await, 0);
        assert_eq!(committed(app).await, before);
        // A partner answers once.
        let again = answer(app, &director, bid, "approve", "").await;
        assert_eq!(again.status, 409, "{}", again.body);
        assert!(
            again.body.contains("has already answered"),
            "{}",
            again.body
        );
        // No one else signs off: a commissioner is refused.
        let refused = answer(app, &commissioner, bid, "approve", "").await;
        assert_eq!(refused.status, 403);

        // The ICB's approval is the last: the award is made, once.
        let icb = client_for(app, "icblead@seedbed.test").await;
        let res = answer(app, &icb, bid, "approve", "").await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(schemes_of(app, bid).await, 1);
        assert_eq!(committed(app).await, before + 2_400_000);
        let status: String = sqlx::query_scalar("SELECT status FROM bids WHERE id = $1")
            .bind(bid)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(status, "awarded");
        assert!(app
            .last_mail_to("applicant@seedbed.test")
            .subject
            .contains("has been funded"));
        // A final award is not replaced by another decision.
        let res = recommend(app, &commissioner, round, bid).await;
        assert!(
            res.body.contains("already been awarded")
                || res.location.as_deref() == Some(page.as_str()),
            "{:?}",
            res.location
        );
        assert_eq!(committed(app).await, before + 2_400_000);
        let audit = app
        .count(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE subject_id = '{bid}' AND action IN ('bid.recommended', 'bid.signed_off')"
        ))
        .await;
        assert_eq!(audit, 3, "recommended, then two approvals");
        // The demo's own recommendation: the council approved, the ICB is still to answer.
        let (_, list, _) = app.get(&icb, "/sign-off").await;
        assert!(
            list.contains("Cleethorpes Carers&#x27;") || list.contains("Cleethorpes Carers'"),
            "{list}"
        );
    }
);

both_backends!(
    a_refusal_needs_a_reason_and_commits_nothing,
    async |app: &TestApp| {
        let (round, bid, commissioner, before) = recommended(app).await;
        let icb = client_for(app, "icblead@seedbed.test").await;
        let res = answer(app, &icb, bid, "refuse", "  ").await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(
            res.body
                .contains("Enter why you refuse this recommendation"),
            "{}",
            res.body
        );
        let res = answer(app, &icb, bid, "", "").await;
        assert!(
            res.body.contains("Select approve or refuse"),
            "{}",
            res.body
        );
        let res = answer(
            app,
            &icb,
            bid,
            "refuse",
            "The plan relies on a grant renewal in year 3",
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        // The commissioner who recorded it is told, with the reason.
        let told = app.last_mail_to("commissioner@seedbed.test");
        assert!(
            told.subject
                .contains("refused the award to Happy Feet Chiropody CIC")
                && told
                    .body
                    .contains("The plan relies on a grant renewal in year 3"),
            "{}",
            told.body
        );
        assert_eq!(schemes_of(app, bid).await, 0);
        assert_eq!(committed(app).await, before);
        // Refused: the other partner can no longer approve it, and the Board sees why.
        let director = client_for(app, "director@seedbed.test").await;
        let res = answer(app, &director, bid, "approve", "").await;
        assert_eq!(res.status, 409, "{}", res.body);
        let page = format!("/fund/rounds/{round}/moderation/bids/{bid}");
        let (_, html, _) = app.get(&commissioner, &page).await;
        assert!(
            html.contains("refused at sign-off")
                && html.contains("The plan relies on a grant renewal in year 3"),
            "{html}"
        );
        // The Board may recommend again: the partners answer afresh.
        assert_eq!(recommend(app, &commissioner, round, bid).await.status, 302);
        let answers = app
            .count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM sign_offs WHERE bid_id = {bid}"
            ))
            .await;
        assert_eq!(answers, 0);
        // While it waits, the round's unawarded money cannot be released from under it.
        let res = app
            .post_js(
                &commissioner,
                "/api/decisions/release",
                &[("round_id", &round.to_string())],
            )
            .await;
        assert_eq!(res.status, 409, "{}", res.body);
        assert!(
            res.body.contains("await the partners' sign-off"),
            "{}",
            res.body
        );
        sign_off_by_both(app, bid).await;
        assert_eq!(schemes_of(app, bid).await, 1);
        assert_eq!(committed(app).await, before + 2_400_000);
    }
);

both_backends!(
    exactly_one_award_under_concurrent_final_approvals,
    async |app: &TestApp| {
        let (_, bid, _, before) = recommended(app).await;
        // A second approver for the ICB: three approvers answer at once.
        let second = app
            .signed_in_as("second.icb@example.org", &[Role::PartnerApprover])
            .await;
        let icb_partner: i64 = app
            .count("SELECT CAST(MAX(id) AS BIGINT) FROM partners")
            .await;
        let id: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'second.icb@example.org'")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        let mut conn = app.pool.acquire().await.unwrap();
        app::db::users::set_approver_for(&mut conn, id, Some(icb_partner))
            .await
            .unwrap();
        drop(conn);
        let director = client_for(app, "director@seedbed.test").await;
        let icb = client_for(app, "icblead@seedbed.test").await;
        let (a, b, c) = tokio::join!(
            answer(app, &director, bid, "approve", ""),
            answer(app, &icb, bid, "approve", ""),
            answer(app, &second, bid, "approve", ""),
        );
        let ok = [&a, &b, &c].iter().filter(|r| r.status < 400).count();
        assert_eq!(ok, 2, "one per partner: {} {} {}", a.body, b.body, c.body);
        assert_eq!(schemes_of(app, bid).await, 1);
        assert_eq!(committed(app).await, before + 2_400_000);
        let tranches = app
        .count(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM tranches t JOIN schemes s ON s.id = t.scheme_id WHERE s.bid_id = {bid}"
        ))
        .await;
        assert_eq!(tranches, 3);
        let commitments = app
        .count("SELECT CAST(COUNT(*) AS BIGINT) FROM fund_ledger WHERE movement = 'commitment' AND reason = 'Award to Happy Feet Chiropody CIC'")
        .await;
        assert!(commitments >= 1, "the award's commitment is on the ledger");
        let funded = app
            .mails()
            .iter()
            .filter(|m| m.to == "applicant@seedbed.test" && m.subject.contains("has been funded"))
            .count();
        assert_eq!(funded, 1, "the organisation is told once");
    }
);

both_backends!(
    an_approver_is_independent_of_the_organisation,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, bid) = pilot_bid(app).await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        assert_eq!(recommend(app, &commissioner, round, bid).await.status, 302);
        // The council's approver joins Happy Feet: they may no longer sign off its award.
        let director: i64 =
            sqlx::query_scalar("SELECT id FROM users WHERE email = 'director@seedbed.test'")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        sqlx::query(
            "INSERT INTO memberships (organisation_id, user_id, role, joined_at)
         SELECT organisation_id, $1, 'member', created_at FROM bids WHERE id = $2",
        )
        .bind(director)
        .bind(bid)
        .execute(&app.pool)
        .await
        .unwrap();
        let client = client_for(app, "director@seedbed.test").await;
        let (_, page, _) = app.get(&client, &format!("/sign-off/{bid}")).await;
        assert!(!page.contains("Send your answer"), "no form for a member");
        let res = answer(app, &client, bid, "approve", "").await;
        assert_eq!(res.status, 409, "{}", res.body);
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM sign_offs WHERE bid_id = {bid}"
            ))
            .await,
            0
        );
    }
);

/// The commissioner puts the bid on the reserve list, as decided at `meeting`.
async fn reserve_at(
    app: &TestApp,
    commissioner: &reqwest::Client,
    (round, bid): (i64, i64),
    meeting: i64,
) -> Posted {
    let (r, b, m) = (round.to_string(), bid.to_string(), meeting.to_string());
    app.post_js(
        commissioner,
        "/api/decisions/decide",
        &[
            ("round_id", r.as_str()),
            ("bid_id", b.as_str()),
            ("outcome", "reserve"),
            ("amount", "24000"),
            ("feedback", ""),
            ("meeting", m.as_str()),
        ],
    )
    .await
}

/// A commissioner arranges a meeting with the pilot on its agenda (every board member
/// invited). (Its id.)
async fn arrange(
    app: &TestApp,
    commissioner: &reqwest::Client,
    (round, year): (i64, &str),
    place: &str,
) -> i64 {
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'board_member' ORDER BY u.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let round_key = format!("agenda[{round}]");
    let member_keys: Vec<String> = members.iter().map(|m| format!("invite[{m}]")).collect();
    let mut form = vec![
        ("held_day", "14"),
        ("held_month", "1"),
        ("held_year", year),
        ("time", "2pm"),
        ("place", place),
        (round_key.as_str(), "1"),
    ];
    form.extend(member_keys.iter().map(|k| (k.as_str(), "1")));
    let res = app
        .post_form(
            commissioner,
            "/api/board/arrange_meeting",
            "/board/meetings/new",
            &form,
        )
        .await;
    assert_eq!(res.status, 302, "{}", res.body);
    let location = res.location.unwrap();
    location
        .trim_start_matches("/board/meetings/")
        .parse()
        .unwrap()
}

both_backends!(
    a_meeting_minutes_its_decisions_and_who_took_no_part,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, bid) = pilot_bid(app).await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        // Nothing typed: each missing part is named.
        let res = app
            .post_js(
                &commissioner,
                "/api/board/arrange_meeting",
                &[("place", "")],
            )
            .await;
        assert_eq!(res.status, 400, "{}", res.body);
        for message in [
            "Enter the date of the meeting",
            "Enter the time the meeting starts",
            "Enter where the Board meets, or the link to join online",
            "Select at least one funding round for the agenda",
            "Select the board members invited",
        ] {
            assert!(res.body.contains(message), "{message}: {}", res.body);
        }
        let meeting = arrange(app, &commissioner, (round, "2026"), "Cleethorpes Library").await;
        // Blessing Board declares a conflict in Happy Feet's bid; both members attend.
        let blessing = client_for(app, "board2@seedbed.test").await;
        let b = bid.to_string();
        app.post_form(
            &blessing,
            "/api/assessment/declare",
            &format!("/assess/bids/{b}"),
            &[
                ("bid_id", &b),
                ("conflict", "conflict"),
                ("nature", "trustee"),
                ("description", "I am a trustee of Happy Feet"),
            ],
        )
        .await;
        let members: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM meeting_members WHERE meeting_id = $1")
                .bind(meeting)
                .fetch_all(&app.pool)
                .await
                .unwrap();
        let keys: Vec<String> = members.iter().map(|m| format!("present[{m}]")).collect();
        let m = meeting.to_string();
        let mut form = vec![("meeting_id", m.as_str())];
        form.extend(keys.iter().map(|k| (k.as_str(), "1")));
        let res = app
            .post_js(&commissioner, "/api/board/attendance", &form)
            .await;
        assert!(res.status < 400, "{}", res.body);
        // A meeting without this round on its agenda cannot minute its decision.
        let other: i64 = app
            .count("SELECT CAST(MIN(id) AS BIGINT) FROM board_meetings")
            .await;
        assert_ne!(other, meeting, "the demo's meeting came first");
        sqlx::query("DELETE FROM meeting_rounds WHERE meeting_id = $1")
            .bind(other)
            .execute(&app.pool)
            .await
            .unwrap();
        let res = reserve_at(app, &commissioner, (round, bid), other).await;
        assert_eq!(res.status, 400, "{}", res.body);
        // Nor can a meeting that has not taken place yet.
        let future = arrange(app, &commissioner, (round, "2030"), "Grimsby Minster").await;
        let res = reserve_at(app, &commissioner, (round, bid), future).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(
            res.body.contains(
                "Select a board meeting that has taken place with this round on its agenda"
            ),
            "{}",
            res.body
        );
        let res = reserve_at(app, &commissioner, (round, bid), meeting).await;
        assert!(res.status < 400, "{}", res.body);
        // The minutes: the decision, and Blessing Board took no part in it.
        let (status, page, _) = app
            .get(&commissioner, &format!("/board/meetings/{meeting}"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Reserve list"), "{page}");
        assert!(
            page.contains("Blessing Board (declared a conflict)"),
            "{page}"
        );
        assert!(
            !page.contains("Bernie Board (declared a conflict)"),
            "{page}"
        );
        // And where the pooled fund stands after them, per partner.
        assert!(
            page.contains("The pooled fund after these decisions")
                && page.contains("NHS Humber and North Yorkshire ICB"),
            "{page}"
        );
        // The decision report for the partners, as a spreadsheet.
        let csv = commissioner
            .get(app.url(&format!("/board/meetings/{meeting}/decisions.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        let csv = csv.text().await.unwrap();
        assert!(
            csv.starts_with("Meeting,Funding round,Bid reference,Organisation,Decision"),
            "{csv}"
        );
        assert!(
            csv.contains("Happy Feet Chiropody CIC,Reserve list") && csv.contains("Blessing Board"),
            "{csv}"
        );
        // Board members and approvers read the pack; a lay evaluator and an applicant do not.
        let bernie = client_for(app, "board@seedbed.test").await;
        let (status, pack, _) = app
            .get(&bernie, &format!("/board/meetings/{meeting}/pack"))
            .await;
        assert_eq!(status, 200);
        for text in [
            "North East Lincolnshire Council",
            "Happy Feet Chiropody CIC",
            "Grant dependency falls from 78% in year 1 to 0% in year 3",
            "Blessing Board",
            "Reserve list",
        ] {
            assert!(pack.contains(text), "{text}: {pack}");
        }
        // Board members and approvers read the pack; a lay evaluator and an applicant do not.
        for (email, path, status) in [
            ("icblead@seedbed.test", "/pack", 200),
            ("carer@seedbed.test", "", 403),
            ("applicant@seedbed.test", "/pack", 403),
        ] {
            let client = client_for(app, email).await;
            let got = app
                .get(&client, &format!("/board/meetings/{meeting}{path}"))
                .await
                .0;
            assert_eq!(got, status, "{email}");
        }
        let refused = app
            .post_js(
                &bernie,
                "/api/board/attendance",
                &[("meeting_id", m.as_str())],
            )
            .await;
        assert_eq!(refused.status, 403);
    }
);

both_backends!(
    a_board_member_reads_moderation_only_after_scoring,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, happy_feet) = pilot_bid(app).await;
        let st_peters: i64 = sqlx::query_scalar(
            "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND o.name = 'St Peter''s Church Lunch Club'",
        )
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let bernie = client_for(app, "board@seedbed.test").await;
        let blessing = client_for(app, "board2@seedbed.test").await;
        let page = format!("/board/rounds/{round}/moderation");
        // Scoring is blind: nothing until Bernie has finished his own.
        assert_eq!(app.get(&bernie, &page).await.0, 403);
        score_in_round(
            app,
            &blessing,
            (round, happy_feet),
            "2",
            "As the descriptors say",
        )
        .await;
        score_in_round(
            app,
            &bernie,
            (round, happy_feet),
            "4",
            "As the descriptors say",
        )
        .await;
        assert_eq!(
            app.get(&bernie, &page).await.0,
            403,
            "St Peter's is still to do"
        );
        let (_, assessments, _) = app.get(&bernie, "/assess").await;
        assert!(
            !assessments.contains("Read the moderation of"),
            "{assessments}"
        );
        // He declares a conflict in St Peter's: finished.
        let s = st_peters.to_string();
        app.post_form(
            &bernie,
            "/api/assessment/declare",
            &format!("/assess/bids/{s}"),
            &[
                ("bid_id", &s),
                ("conflict", "conflict"),
                ("nature", "employee"),
                ("description", "I volunteer at the lunch club"),
            ],
        )
        .await;
        // Happy Feet is shortlisted: his interview scores are still to give (scoring stays
        // blind until they are in).
        assert_eq!(
            app.get(&bernie, &page).await.0,
            403,
            "the interview is to score"
        );
        sqlx::query("UPDATE interviews SET held_at = $1 WHERE bid_id = $2")
            .bind(app::domain::time::UtcTime(
                chrono::Utc::now() - chrono::Duration::hours(1),
            ))
            .bind(happy_feet)
            .execute(&app.pool)
            .await
            .unwrap();
        let criterion: i64 = sqlx::query_scalar(
            "SELECT id FROM round_criteria WHERE round_id = $1 AND stage = 'interview'",
        )
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let (h, sk, wk) = (
            happy_feet.to_string(),
            format!("score[{criterion}]"),
            format!("why[{criterion}]"),
        );
        let res = app
            .post_js(
                &bernie,
                "/api/assessment/score",
                &[
                    ("bid_id", h.as_str()),
                    ("stage", "interview"),
                    ("then", "confirm"),
                    (sk.as_str(), "4"),
                    (wk.as_str(), "They know the carers"),
                ],
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
        let (_, assessments, _) = app.get(&bernie, "/assess").await;
        assert!(
            assessments.contains(&format!(
                "Read the moderation of {}",
                server::cli::demo::PILOT_TITLE
            )),
            "{assessments}"
        );
        let (status, html, _) = app.get(&bernie, &page).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("Blessing Board: 2") && html.contains("Bernie Board: 4"),
            "{html}"
        );
        assert!(
            html.contains("Withheld: you declared a conflict of interest in this bid"),
            "{html}"
        );
        assert!(
            !html.contains("St Peter&#x27;s Church Lunch Club")
                && !html.contains("St Peter's Church Lunch Club"),
            "{html}"
        );
        // Read only: no decision form, and the commissioners' page stays theirs.
        assert!(!html.contains("Record decision"), "{html}");
        assert_eq!(
            app.get(&bernie, &format!("/fund/rounds/{round}/moderation"))
                .await
                .0,
            403
        );
        // Blessing has St Peter's still to score.
        assert_eq!(app.get(&blessing, &page).await.0, 403);
    }
);

both_backends!(
    a_round_s_decision_report_gives_the_money_after_the_decisions,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, _) = pilot_bid(app).await;
        // The demo's Board recommended £12,000 for the Circle; the council has approved.
        let approver = client_for(app, "icblead@seedbed.test").await;
        let page = format!("/board/rounds/{round}/decisions");
        let (status, html, _) = app.get(&approver, &page).await;
        assert_eq!(status, 200);
        for text in [
            "Decision report: Foot care at home, designed with carers (pilot)",
            "Cleethorpes Carers&#x27; Circle",
            "Award of £12,000.00 recommended, awaiting the partners&#x27; sign-off",
            "Grimsby Town Hall, Committee Room 1",
            "Recommended, awaiting the partners&#x27; sign-off",
            "North East Lincolnshire Council",
            "Not committed",
        ] {
            let plain = text.replace("&#x27;", "'");
            assert!(
                html.contains(text) || html.contains(&plain),
                "{text}: {html}"
            );
        }
        // £60,000 envelope, nothing awarded yet, £12,000 awaiting sign-off: £48,000 left.
        assert!(html.contains("£48,000.00"), "{html}");
        // The same decisions as a spreadsheet, for board members too.
        let board = client_for(app, "board@seedbed.test").await;
        let csv = board
            .get(app.url(&format!("{page}.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        let csv = csv.text().await.unwrap();
        assert!(
            csv.starts_with("Funding round,Bid reference,Organisation,Requested (£),Decision"),
            "{csv}"
        );
        assert!(
            csv.contains("Cleethorpes Carers' Circle") && csv.contains("12000.00"),
            "{csv}"
        );
        // Applicants and lay evaluators do not read it.
        for email in ["applicant@seedbed.test", "carer@seedbed.test"] {
            let client = client_for(app, email).await;
            let (status, _, _) = app.get(&client, &page).await;
            assert_eq!(status, 403, "{email}");
        }
    }
);
