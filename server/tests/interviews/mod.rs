//! Interviews and presentations: a commissioner shortlists a sent bid and invites its
//! organisation (emailed, on the bid's page); a member replies (the commissioner is emailed);
//! only the organisation's members reply, only before it; a decided bid is not invited.
use super::board::pilot_bid;
use super::common::*;
use super::schemes::client_for;
use crate::both_backends;
use chrono::{Datelike, Duration, Utc};
use sqlx::Row;

/// The church's bid in the demo's pilot round.
async fn church_bid(app: &TestApp, round: i64) -> i64 {
    sqlx::query(
        "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.round_id = $1 AND o.name = 'St Peter''s Church Lunch Club'",
    )
    .bind(round)
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id")
}

both_backends!(
    a_shortlisted_organisation_is_invited_and_replies,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, bid) = pilot_bid(app).await;
        let applicant = client_for(app, "applicant@seedbed.test").await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;

        // The demo shortlisted Happy Feet: its bid page says so and links to the invitation.
        let (status, page, _) = app.get(&applicant, &format!("/bids/{bid}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Your bid is shortlisted: you are invited to an interview")
                && page.contains("Reply to the invitation"),
            "{page}"
        );
        let invitation = format!("/bids/{bid}/interview");
        let (status, page, _) = app.get(&applicant, &invitation).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Grimsby Town Hall, Committee Room 2") && page.contains("No reply yet"),
            "{page}"
        );

        // Asking for another time needs a "when"; what was chosen is kept.
        let b = bid.to_string();
        let res = app
            .post_form(
                &applicant,
                "/api/bids/interview_reply",
                &invitation,
                &[("bid_id", &b), ("reply", "rearrange"), ("note", "")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(invitation.as_str()));
        let (_, page, _) = app.get(&applicant, &invitation).await;
        assert!(
            page.contains("Tell the commissioners when you could come"),
            "{page}"
        );
        assert!(page.contains("value=\"rearrange\" checked"), "{page}");
        let res = app
            .post_form(
                &applicant,
                "/api/bids/interview_reply",
                &invitation,
                &[
                    ("bid_id", &b),
                    ("reply", "rearrange"),
                    ("note", "Any afternoon the week after"),
                ],
            )
            .await;
        assert_eq!(res.location, Some(format!("/bids/{bid}")));
        // The commissioner who invited them is told, with the note.
        let mail = app.last_mail_to("commissioner@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC replied to the invitation"
        );
        assert!(mail.body.contains("Any afternoon the week after"));
        let moderation = format!("/fund/rounds/{round}/moderation/bids/{bid}");
        let (_, page, _) = app.get(&commissioner, &moderation).await;
        assert!(
            page.contains("Asked for another time") && page.contains("Change the invitation"),
            "{page}"
        );

        // Changing the invitation emails the members and asks for a new reply.
        let on = Utc::now() + Duration::days(10);
        let (d, m, y) = (
            on.day().to_string(),
            on.month().to_string(),
            on.year().to_string(),
        );
        let res = app
            .post_form(
                &commissioner,
                "/api/interviews/invite",
                &format!("{moderation}/interview"),
                &[
                    ("bid_id", &b),
                    ("format", "presentation"),
                    ("on_day", &d),
                    ("on_month", &m),
                    ("on_year", &y),
                    ("time", "2pm"),
                    ("place", "Online: the link is in your email"),
                    ("attendees", "The project lead"),
                ],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(moderation.as_str()));
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert!(
            mail.subject.starts_with("Your presentation has changed"),
            "{}",
            mail.subject
        );
        assert!(mail.body.contains("at 2pm") && mail.body.contains(&invitation));
        let (_, page, _) = app.get(&applicant, &invitation).await;
        assert!(
            page.contains("No reply yet") && page.contains("Online: the link"),
            "{page}"
        );

        // Another organisation's member cannot read or answer it.
        let other = client_for(app, "church@seedbed.test").await;
        let (status, _, _) = app.get(&other, &invitation).await;
        assert_eq!(status, 404);
        let res = app
            .post_js(
                &other,
                "/api/bids/interview_reply",
                &[("bid_id", &b), ("reply", "attending")],
            )
            .await;
        assert_eq!(res.status, 403);

        // Once the time has come, replies are closed.
        sqlx::query("UPDATE interviews SET held_at = $1 WHERE bid_id = $2")
            .bind(app::domain::time::UtcTime(Utc::now() - Duration::hours(1)))
            .bind(bid)
            .execute(&app.pool)
            .await
            .unwrap();
        let res = app
            .post_js(
                &applicant,
                "/api/bids/interview_reply",
                &[("bid_id", &b), ("reply", "attending")],
            )
            .await;
        assert_eq!(res.status, 409, "{}", res.body);
        let audited = app
            .count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE subject_id = '{bid}'
                 AND action IN ('bid.interview_invited', 'bid.interview_changed', 'bid.interview_reply')"
            ))
            .await;
        assert_eq!(audited, 3, "invited (demo), replied, changed");
    }
);

both_backends!(
    an_invitation_needs_every_detail_and_an_undecided_bid,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, _) = pilot_bid(app).await;
        let bid = church_bid(app, round).await;
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let page = format!("/fund/rounds/{round}/moderation/bids/{bid}");
        let (_, html, _) = app.get(&commissioner, &page).await;
        assert!(
            html.contains("Shortlist and invite to an interview or presentation"),
            "{html}"
        );
        let form = format!("{page}/interview");
        let b = bid.to_string();
        // Nothing filled in: a message by each field, nothing sent.
        let before = app.mails().len();
        let res = app
            .post_form(
                &commissioner,
                "/api/interviews/invite",
                &form,
                &[("bid_id", &b), ("place", "Town Hall")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(form.as_str()));
        let (_, html, _) = app.get(&commissioner, &form).await;
        for message in [
            "Select whether it is an interview or a presentation",
            "Enter the date",
            "Say who from the organisation should come",
        ] {
            assert!(html.contains(message), "{message}: {html}");
        }
        assert!(html.contains("value=\"Town Hall\""), "kept: {html}");
        // A date in the past is refused.
        let res = app
            .post_js(
                &commissioner,
                "/api/interviews/invite",
                &[
                    ("bid_id", &b),
                    ("format", "interview"),
                    ("on_day", "1"),
                    ("on_month", "1"),
                    ("on_year", "2020"),
                    ("time", "10am"),
                    ("place", "Town Hall"),
                    ("attendees", "Two people"),
                ],
            )
            .await;
        assert_eq!(res.status, 400);
        assert!(res.body.contains("must be in the future"), "{}", res.body);
        assert_eq!(app.mails().len(), before, "nothing was sent");
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM interviews WHERE bid_id = {bid}"
            ))
            .await,
            0
        );

        // The Circle's bid has a recorded decision: it is not invited.
        let circle: i64 = sqlx::query(
            "SELECT b.id FROM bids b JOIN organisations o ON o.id = b.organisation_id
             WHERE o.name = 'Cleethorpes Carers'' Circle'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
        let c = circle.to_string();
        let res = app
            .post_js(
                &commissioner,
                "/api/interviews/invite",
                &[
                    ("bid_id", &c),
                    ("format", "interview"),
                    ("on_day", "1"),
                    ("on_month", "1"),
                    ("on_year", "2099"),
                    ("time", "10am"),
                    ("place", "Town Hall"),
                    ("attendees", "Two people"),
                ],
            )
            .await;
        assert_eq!(res.status, 409);
        assert!(
            res.body.contains("The Board has decided on this bid"),
            "{}",
            res.body
        );

        // Only commissioners invite.
        let board = client_for(app, "board@seedbed.test").await;
        let res = app
            .post_js(
                &board,
                "/api/interviews/invite",
                &[("bid_id", &b), ("format", "interview")],
            )
            .await;
        assert_eq!(res.status, 403);
        let (status, _, _) = app.get(&board, &form).await;
        assert_eq!(status, 403);
    }
);

/// The pilot's interview criterion ("At the interview", scored by both panels).
async fn interview_criterion(app: &TestApp, round: i64) -> i64 {
    sqlx::query("SELECT id FROM round_criteria WHERE round_id = $1 AND stage = 'interview'")
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id")
}

/// An assessor's interview scores, as the page posts them (JavaScript on).
async fn interview_scores(
    app: &TestApp,
    client: &reqwest::Client,
    bid: i64,
    criterion: i64,
    (then, score, why): (&str, &str, &str),
) -> Posted {
    let (b, s, w) = (
        bid.to_string(),
        format!("score[{criterion}]"),
        format!("why[{criterion}]"),
    );
    app.post_js(
        client,
        "/api/assessment/score",
        &[
            ("bid_id", &b),
            ("stage", "interview"),
            ("then", then),
            (&s, score),
            (&w, why),
        ],
    )
    .await
}

both_backends!(
    interview_criteria_are_scored_after_the_interview_and_join_moderation,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let (round, bid) = pilot_bid(app).await;
        let criterion = interview_criterion(app, round).await;
        let board = client_for(app, "board@seedbed.test").await;
        let carer = client_for(app, "carer@seedbed.test").await;
        // The written bid first, as each panel scores it.
        crate::assessment::score_in_round(app, &board, (round, bid), "4", "Clear plan").await;
        crate::assessment::score_in_round(app, &carer, (round, bid), "3", "Carers were asked")
            .await;
        // The written scores left the interview criterion unscored.
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM score_totals WHERE bid_id = {bid} AND criterion_id = {criterion}"
            ))
            .await,
            0
        );
        let page = format!("/assess/bids/{bid}");
        let (_, html, _) = app.get(&board, &page).await;
        assert!(
            html.contains("Interview scores")
                && html.contains("You score At the interview after the interview"),
            "{html}"
        );
        let (_, list, _) = app.get(&board, "/assess").await;
        assert!(list.contains("Interview on "), "{list}");

        // Before the interview has taken place, its scores are refused.
        let res =
            interview_scores(app, &board, bid, criterion, ("confirm", "5", "Impressive")).await;
        assert_eq!(res.status, 409);
        assert!(res.body.contains("once it has taken place"), "{}", res.body);

        // The interview took place an hour ago.
        sqlx::query("UPDATE interviews SET held_at = $1 WHERE bid_id = $2")
            .bind(app::domain::time::UtcTime(Utc::now() - Duration::hours(1)))
            .bind(bid)
            .execute(&app.pool)
            .await
            .unwrap();
        let (_, list, _) = app.get(&board, "/assess").await;
        assert!(
            list.contains("Interview to score") && list.contains("Score the interview"),
            "{list}"
        );
        let (_, html, _) = app.get(&board, &page).await;
        assert!(html.contains("Check and submit interview scores"), "{html}");
        // Checking needs a score and reasons; what was typed is kept as a draft.
        let res =
            interview_scores(app, &board, bid, criterion, ("submit", "", "Half written")).await;
        assert_eq!(res.status, 400);
        assert!(
            res.body
                .contains("Select a score for \\\"At the interview\\\"")
                || res.body.contains("Select a score for \"At the interview\""),
            "{}",
            res.body
        );
        let (_, check, _) = app
            .get(&board, &format!("/assess/bids/{bid}/check?stage=interview"))
            .await;
        assert!(check.contains("Half written"), "kept as a draft: {check}");
        // Submitted: locked, and counted in moderation.
        let res = interview_scores(
            app,
            &board,
            bid,
            criterion,
            ("confirm", "5", "They knew carers' lives"),
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        let res = interview_scores(
            app,
            &board,
            bid,
            criterion,
            ("confirm", "1", "Changed my mind"),
        )
        .await;
        assert_eq!(res.status, 409, "locked: {}", res.body);
        let res = interview_scores(
            app,
            &carer,
            bid,
            criterion,
            ("confirm", "3", "Good listeners"),
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        let totals = sqlx::query(
            "SELECT scores, total FROM score_totals WHERE bid_id = $1 AND criterion_id = $2",
        )
        .bind(bid)
        .bind(criterion)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(
            (
                totals.get::<i64, _>("scores"),
                totals.get::<i64, _>("total")
            ),
            (2, 8),
            "both panels' interview scores count"
        );
        // The written scores stayed as they were.
        let (_, html, _) = app.get(&board, &page).await;
        assert!(
            html.contains("Your interview scores are submitted and locked"),
            "{html}"
        );
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let (_, moderation, _) = app
            .get(&commissioner, &format!("/fund/rounds/{round}/moderation"))
            .await;
        assert!(
            moderation.contains("Shortlisted")
                && moderation.contains("At the interview (10%, scored by the board and the lay panel at the interview)"),
            "{moderation}"
        );
        let (_, one, _) = app
            .get(
                &commissioner,
                &format!("/fund/rounds/{round}/moderation/bids/{bid}"),
            )
            .await;
        assert!(
            one.contains("They knew carers&#x27;") || one.contains("They knew carers'"),
            "{one}"
        );
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'bid.interview_scores_submitted' AND subject_id = '{bid}'"
            ))
            .await,
            2
        );
    }
);

both_backends!(
    an_interview_criterion_names_who_scores_it,
    async |app: &TestApp| {
        let client = crate::fund::commissioner_with_fund(app).await;
        crate::rounds::record_gap(app, &client).await;
        let round = crate::rounds::draft_round(
            app,
            "Interviewed round",
            app::domain::money::Pence(1_000_000),
        )
        .await;
        let r = round.to_string();
        let form_page = format!("/fund/rounds/{round}/criteria/new");
        let mut fields: Vec<(String, String)> = [
            ("round_id", r.as_str()),
            ("name", "What we heard"),
            ("guidance", "From the presentation"),
            ("weight", "10"),
            ("min_score", ""),
            ("stage", "interview"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        fields.extend(crate::rounds::descriptors());
        let res = app
            .post_form(
                &client,
                "/api/rounds/save_criterion",
                &form_page,
                &crate::rounds::borrow(&fields),
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(form_page.as_str()));
        let (_, html, _) = app.get(&client, &form_page).await;
        assert!(
            html.contains("Select who scores this criterion at the interview"),
            "{html}"
        );
        assert!(html.contains("value=\"What we heard\""), "kept: {html}");
        fields.push(("interview_panel".into(), "lay".into()));
        let res = app
            .post_form(
                &client,
                "/api/rounds/save_criterion",
                &form_page,
                &crate::rounds::borrow(&fields),
            )
            .await;
        assert_eq!(
            res.location,
            Some(format!("/fund/rounds/{round}")),
            "{}",
            res.body
        );
        let row = sqlx::query(
            "SELECT stage, interview_panel, section_ids FROM round_criteria WHERE round_id = $1 AND name = 'What we heard'",
        )
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("stage"), "interview");
        assert_eq!(row.get::<String, _>("interview_panel"), "lay");
        assert_eq!(row.get::<String, _>("section_ids"), "");
        let (_, html, _) = app.get(&client, &format!("/fund/rounds/{round}")).await;
        assert!(
            html.contains("At the interview: lay evaluators alone (for example, carers)"),
            "{html}"
        );
        // Written criteria still need their sections.
        let written: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| match k.as_str() {
                "stage" => (k.clone(), "written".to_string()),
                "name" => (k.clone(), "Written one".to_string()),
                _ => (k.clone(), v.clone()),
            })
            .collect();
        app.post_form(
            &client,
            "/api/rounds/save_criterion",
            &form_page,
            &crate::rounds::borrow(&written),
        )
        .await;
        let (_, html, _) = app.get(&client, &form_page).await;
        assert!(
            html.contains("Select the sections this criterion draws on"),
            "{html}"
        );
    }
);
