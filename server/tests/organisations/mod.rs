//! Applicant organisations: registering one, and who may see it.
use super::common::*;
use crate::both_backends;

fn church() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "St Peter's Church"),
        ("legal_form", "registered_charity"),
        ("charity_number", ""),
        ("company_number", ""),
        ("address_line_1", "1 Church Lane"),
        ("address_line_2", ""),
        ("town", "Grimsby"),
        ("postcode", "DN31"),
        ("contact_name", "Ruth Evans"),
        ("contact_email", "ruth@example.org"),
        ("contact_phone", ""),
        ("income_band", "10k_100k"),
        ("area_served", "Grimsby"),
    ]
}

both_backends!(
    register_an_organisation_and_keep_it_private,
    async |app: &TestApp| {
        let ruth = app.signed_in_as("ruth@example.org", &[]).await;
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/register",
                "/organisations/new",
                &church(),
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations/new"));
        let (_, page, _) = app.get(&ruth, "/organisations/new").await;
        assert!(page.contains("Enter the charity number"), "{page}");
        assert!(page.contains("Enter a full UK postcode, like DN31 1HU"));
        assert!(page.contains("value=\"1 Church Lane\""));
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations")
                .await,
            0
        );

        let mut form = church();
        form[2] = ("charity_number", "1123 456");
        form[3] = ("company_number", "ignored for a charity");
        form[7] = ("postcode", "dn31 1hu");
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/register",
                "/organisations/new",
                &form,
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/organisations/1"),
            "{}",
            res.body
        );
        let (status, page, _) = app.get(&ruth, "/organisations/1").await;
        assert_eq!(status, 200);
        assert!(page.contains("St Peter&#x27;s Church") || page.contains("St Peter's Church"));
        assert!(page.contains("1123456") && page.contains("DN31 1HU"));
        assert!(page.contains("Owner"));
        assert!(!page.contains("Companies House number"));
        let (_, page, _) = app.get(&ruth, "/organisations").await;
        assert!(page.contains("/organisations/1") && page.contains("(owner)"));

        // A CIC must give its company number; leading zeros are kept.
        let mut cic = church();
        cic[0] = ("name", "Happy Feet CIC");
        cic[1] = ("legal_form", "cic");
        cic[7] = ("postcode", "DN35 8AA");
        let res = app
            .post_js(&ruth, "/api/organisations/register", &cic)
            .await;
        assert_eq!(res.status, 400);
        assert!(res.body.contains("Enter the company number"));
        cic[3] = ("company_number", "1234567");
        let res = app
            .post_js(&ruth, "/api/organisations/register", &cic)
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let (_, page, _) = app.get(&ruth, "/organisations/2").await;
        assert!(page.contains("01234567"));

        // Someone else's organisation does not exist for other applicants; commissioners see it.
        let other = app.signed_in_as("other@example.org", &[]).await;
        let (status, _, _) = app.get(&other, "/organisations/1").await;
        assert_eq!(status, 404);
        let res = app
            .post_js(&other, "/api/organisations/detail", &[("id", "1")])
            .await;
        assert_eq!(res.status, 404);
        let (_, page, _) = app.get(&other, "/organisations").await;
        assert!(page.contains("You do not belong to any organisation yet"));
        let commissioner = app
            .signed_in_as("commissioner@example.org", &[Role::Commissioner])
            .await;
        let (status, _, _) = app.get(&commissioner, "/organisations/1").await;
        assert_eq!(status, 200);
        // Signed out: asked to sign in, nothing registered.
        let res = app
            .post_js(&new_client(), "/api/organisations/register", &form)
            .await;
        assert_eq!(res.status, 401);
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations")
                .await,
            2
        );
        assert_eq!(app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'organisation.registered'").await, 2);
    }
);

both_backends!(
    a_charity_or_company_is_registered_once,
    async |app: &TestApp| {
        let register = |client: reqwest::Client, form: Vec<(&'static str, &'static str)>| async move {
            app.post_form(
                &client,
                "/api/organisations/register",
                "/organisations/new",
                &form,
            )
            .await
        };
        let ruth = app.signed_in_as("ruth@example.org", &[]).await;
        let mut first = church();
        first[2] = ("charity_number", "1098765");
        first[7] = ("postcode", "DN31 1HU");
        let res = register(ruth, first.clone()).await;
        assert_eq!(res.location.as_deref(), Some("/organisations/1"));

        // The same charity number again, by someone else: refused, with the way in.
        let sam = app.signed_in_as("sam@example.org", &[]).await;
        let mut again = first.clone();
        again[0] = ("name", "St Peter's Parish Church");
        again[9] = ("contact_email", "sam@example.org");
        let res = register(sam.clone(), again).await;
        assert_eq!(res.location.as_deref(), Some("/organisations/new"));
        let (_, page, _) = app.get(&sam, "/organisations/new").await;
        assert!(
            page.contains("is already registered in Seedbed with this charity number")
                && page.contains("Ask its owner to invite you"),
            "{page}"
        );
        assert!(
            page.contains("St Peter&#x27;s Parish Church")
                || page.contains("St Peter's Parish Church"),
            "what was typed is kept"
        );
        // A company number held by another organisation is refused the same way.
        let mut cic = church();
        cic[0] = ("name", "Grimsby Foot Care CIC");
        cic[1] = ("legal_form", "cic");
        cic[3] = ("company_number", "12345678");
        cic[7] = ("postcode", "DN31 1HU");
        let res = register(sam.clone(), cic.clone()).await;
        assert_eq!(
            res.location.as_deref(),
            Some("/organisations/2"),
            "{:?}",
            res.location
        );
        let mut other = cic.clone();
        other[0] = ("name", "Another CIC");
        let res = register(sam.clone(), other).await;
        assert_eq!(res.location.as_deref(), Some("/organisations/new"));
        let (_, page, _) = app.get(&sam, "/organisations/new").await;
        assert!(page.contains("with this company number"), "{page}");
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations")
                .await,
            2
        );
    }
);

both_backends!(owners_invite_remove_and_hand_over, async |app: &TestApp| {
    let ruth = app.signed_in_as("ruth@example.org", &[]).await;
    let mut form = church();
    form[2] = ("charity_number", "1123456");
    form[7] = ("postcode", "DN31 1HU");
    let res = app
        .post_form(
            &ruth,
            "/api/organisations/register",
            "/organisations/new",
            &form,
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/organisations/1"));

    // Invitations are checked and emailed with a single-use link.
    let res = app
        .post_js(
            &ruth,
            "/api/organisations/invite",
            &[("organisation_id", "1"), ("email", "ruth@example.org")],
        )
        .await;
    assert!(
        res.body.contains("ruth@example.org is already a member"),
        "{}",
        res.body
    );
    let res = app
        .post_form(
            &ruth,
            "/api/organisations/invite",
            "/organisations/1",
            &[("organisation_id", "1"), ("email", "Sam@Example.org")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/organisations/1"));
    let mail = app.last_mail_to("sam@example.org");
    assert!(
        mail.subject
            .contains("invited you to join St Peter's Church"),
        "{}",
        mail.subject
    );
    let token = app.token_in_last_mail("sam@example.org");
    let (_, page, _) = app.get(&ruth, "/organisations/1").await;
    assert!(page.contains("Invitation sent to sam@example.org"));
    assert!(page.contains("sam@example.org (invitation expires"));

    // Someone else cannot use Sam's link.
    let mallory = app.signed_in_as("mallory@example.org", &[]).await;
    let join = format!("/organisations/join?token={token}");
    let (_, page, _) = app.get(&mallory, &join).await;
    assert!(page.contains("This invitation is for sam@example.org"));
    let res = app
        .post_js(&mallory, "/api/organisations/accept", &[("token", &token)])
        .await;
    assert!(
        res.body
            .contains("This invitation was sent to sam@example.org"),
        "{}",
        res.body
    );
    let (status, _, _) = app.get(&mallory, "/organisations/1").await;
    assert_eq!(status, 404);

    let sam = app.signed_in_as("sam@example.org", &[]).await;
    let (_, page, _) = app.get(&sam, &join).await;
    assert!(page.contains("Accept invitation"));
    let res = app
        .post_form(
            &sam,
            "/api/organisations/accept",
            &join,
            &[("token", &token)],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/organisations/1"));
    let (status, page, _) = app.get(&sam, "/organisations/1").await;
    assert_eq!(status, 200);
    assert!(page.contains("You are now a member of St Peter"));
    // Once only.
    let res = app
        .post_js(&sam, "/api/organisations/accept", &[("token", &token)])
        .await;
    assert!(res.body.contains("has expired or has already been used"));
    let (_, page, _) = app.get(&sam, &join).await;
    assert!(page.contains("This invitation has expired"));

    // A member is not an owner: no inviting, removing or handing over.
    let sam_id = app::db::users::by_email(&app.pool, "sam@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    let ruth_id = app::db::users::by_email(&app.pool, "ruth@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    let res = app
        .post_js(
            &sam,
            "/api/organisations/invite",
            &[("organisation_id", "1"), ("email", "x@example.org")],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = app
        .post_js(
            &sam,
            "/api/organisations/remove_member",
            &[("organisation_id", "1"), ("user_id", &ruth_id.to_string())],
        )
        .await;
    assert_eq!(res.status, 403);
    let res = app
        .post_js(
            &mallory,
            "/api/organisations/hand_over",
            &[("organisation_id", "1"), ("user_id", &ruth_id.to_string())],
        )
        .await;
    assert_eq!(res.status, 404);

    // The owner hands over; the old owner is a member and the new one can remove them.
    let res = app
        .post_js(
            &ruth,
            "/api/organisations/remove_member",
            &[("organisation_id", "1"), ("user_id", &ruth_id.to_string())],
        )
        .await;
    assert!(
        res.body.contains("first make someone else the owner"),
        "{}",
        res.body
    );
    let res = app
        .post_form(
            &ruth,
            "/api/organisations/hand_over",
            "/organisations/1",
            &[("organisation_id", "1"), ("user_id", &sam_id.to_string())],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/organisations/1"));
    assert_eq!(
        app::db::organisations::role_of(&app.pool, 1, sam_id)
            .await
            .unwrap()
            .as_deref(),
        Some("owner")
    );
    assert_eq!(
        app::db::organisations::role_of(&app.pool, 1, ruth_id)
            .await
            .unwrap()
            .as_deref(),
        Some("member")
    );
    let res = app
        .post_form(
            &sam,
            "/api/organisations/remove_member",
            "/organisations/1",
            &[("organisation_id", "1"), ("user_id", &ruth_id.to_string())],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/organisations/1"));
    let (status, _, _) = app.get(&ruth, "/organisations/1").await;
    assert_eq!(status, 404);
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE subject_type = 'organisation' AND action IN ('organisation.member_invited', 'organisation.member_joined', 'organisation.owner_changed', 'organisation.member_removed')").await,
        4
    );

    // An expired invitation cannot be used.
    app.post_form(
        &sam,
        "/api/organisations/invite",
        "/organisations/1",
        &[("organisation_id", "1"), ("email", "late@example.org")],
    )
    .await;
    let late = app.token_in_last_mail("late@example.org");
    sqlx::query("UPDATE organisation_invites SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE email = 'late@example.org'")
        .execute(&app.pool)
        .await
        .unwrap();
    let late_user = app.signed_in_as("late@example.org", &[]).await;
    let res = app
        .post_js(&late_user, "/api/organisations/accept", &[("token", &late)])
        .await;
    assert!(res.body.contains("has expired or has already been used"));
});

both_backends!(
    a_member_of_several_organisations_chooses_one_to_act_for,
    async |app: &TestApp| {
        let ruth = app.signed_in_as("ruth@example.org", &[]).await;
        let mut first = church();
        first[2] = ("charity_number", "1123456");
        first[7] = ("postcode", "DN31 1HU");
        app.post_form(
            &ruth,
            "/api/organisations/register",
            "/organisations/new",
            &first,
        )
        .await;
        // With one organisation, that is the one she acts for.
        let (_, page, _) = app.get(&ruth, "/organisations").await;
        assert!(page.contains("You are acting for St Peter"), "{page}");
        let mut second = first.clone();
        second[0] = ("name", "Grimsby Foodbank");
        second[2] = ("charity_number", "1123457");
        app.post_form(
            &ruth,
            "/api/organisations/register",
            "/organisations/new",
            &second,
        )
        .await;
        let (_, page, _) = app.get(&ruth, "/organisations").await;
        assert!(page.contains("Choose which one you act for"));
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/act_for",
                "/organisations",
                &[("organisation_id", "2")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations"));
        let (_, page, _) = app.get(&ruth, "/organisations").await;
        assert!(page.contains("You are acting for Grimsby Foodbank"));
        // Nobody acts for an organisation they do not belong to.
        let other = app.signed_in_as("other@example.org", &[]).await;
        let res = app
            .post_js(
                &other,
                "/api/organisations/act_for",
                &[("organisation_id", "2")],
            )
            .await;
        assert_eq!(res.status, 404);
    }
);

both_backends!(
    owners_correct_their_organisations_details,
    async |app: &TestApp| {
        let ruth = app.signed_in_as("ruth@example.org", &[]).await;
        let mut form = church();
        form[2] = ("charity_number", "1098765");
        form[7] = ("postcode", "DN31 1HU");
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/register",
                "/organisations/new",
                &form,
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations/1"));
        // The owner finds the way from the organisation's page; the form shows the record.
        let (_, page, _) = app.get(&ruth, "/organisations/1").await;
        assert!(page.contains("href=\"/organisations/1/edit\""), "{page}");
        let (status, page, _) = app.get(&ruth, "/organisations/1/edit").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Change your organisation&#x27;s details")
                || page.contains("Change your organisation's details"),
            "{page}"
        );
        assert!(page.contains("value=\"1 Church Lane\""), "{page}");

        // A bad postcode is refused beside the field, keeping what was typed.
        let mut changed: Vec<(&str, &str)> = vec![("organisation_id", "1")];
        changed.extend(form.iter().copied());
        let at = |name: &str| changed.iter().position(|(k, _)| *k == name).unwrap();
        let (area, postcode) = (at("area_served"), at("postcode"));
        changed[area] = ("area_served", "Grimsby and Cleethorpes");
        changed[postcode] = ("postcode", "nowhere");
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/update",
                "/organisations/1/edit",
                &changed,
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations/1/edit"));
        let (_, page, _) = app.get(&ruth, "/organisations/1/edit").await;
        assert!(page.contains("Enter a full UK postcode"), "{page}");
        assert!(page.contains("value=\"Grimsby and Cleethorpes\""), "{page}");

        changed[postcode] = ("postcode", "DN35 8AA");
        let res = app
            .post_form(
                &ruth,
                "/api/organisations/update",
                "/organisations/1/edit",
                &changed,
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations/1"));
        let (_, page, _) = app.get(&ruth, "/organisations/1").await;
        assert!(
            page.contains("Grimsby and Cleethorpes") && page.contains("DN35 8AA"),
            "{page}"
        );
        assert_eq!(
            app.count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'organisation.updated' AND summary LIKE '%Registered address, Area served%'"
            )
            .await,
            1
        );

        // Someone outside the organisation is told it does not exist.
        let sam = app.signed_in_as("sam@example.org", &[]).await;
        let res = app
            .post_js(&sam, "/api/organisations/update", &changed)
            .await;
        assert_eq!(res.status, 404, "{}", res.body);
        // Another organisation's charity number cannot be taken over by a correction.
        let mut other = church();
        other[0] = ("name", "Sam's Group");
        other[1] = ("legal_form", "community_group");
        other[7] = ("postcode", "DN31 1HU");
        let res = app
            .post_form(
                &sam,
                "/api/organisations/register",
                "/organisations/new",
                &other,
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/organisations/2"));
        let mut take: Vec<(&str, &str)> = vec![("organisation_id", "2")];
        take.extend(other.iter().copied());
        let legal = take.iter().position(|(k, _)| *k == "legal_form").unwrap();
        take[legal] = ("legal_form", "registered_charity");
        let charity = take
            .iter()
            .position(|(k, _)| *k == "charity_number")
            .unwrap();
        take[charity] = ("charity_number", "1098765");
        let res = app.post_js(&sam, "/api/organisations/update", &take).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(res.body.contains("St Peter"), "{}", res.body);
    }
);

both_backends!(
    with_several_organisations_start_a_bid_asks_which_and_stays_on_the_round,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let ruth = app.signed_in_as("ruth@example.org", &[]).await;
        let mut ids = Vec::new();
        for (name, charity) in [
            ("St Peter's Church", "1123456"),
            ("Grimsby Foodbank", "1123457"),
        ] {
            let mut form = church();
            form[0] = ("name", name);
            form[2] = ("charity_number", charity);
            form[7] = ("postcode", "DN31 1HU");
            let res = app
                .post_form(
                    &ruth,
                    "/api/organisations/register",
                    "/organisations/new",
                    &form,
                )
                .await;
            let to = res.location.unwrap_or_default();
            ids.push(to["/organisations/".len()..].to_string());
        }
        let (_, page, _) = app.get(&ruth, "/rounds/1/bid").await;
        assert!(
            page.contains("Which organisation are you bidding for?"),
            "{page}"
        );
        assert!(page.contains("Grimsby Foodbank"), "{page}");
        // Nothing chosen: the question again, with the error beside it.
        let res = app
            .post_form(
                &ruth,
                "/api/bids/choose_organisation",
                "/rounds/1/bid",
                &[("round_id", "1")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/rounds/1/bid"));
        let (_, page, _) = app.get(&ruth, "/rounds/1/bid").await;
        assert!(
            page.contains("Select the organisation you are bidding for"),
            "{page}"
        );
        // Chosen: back on the same round's start page, bidding for it.
        let res = app
            .post_form(
                &ruth,
                "/api/bids/choose_organisation",
                "/rounds/1/bid",
                &[("round_id", "1"), ("organisation_id", ids[1].as_str())],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/rounds/1/bid"));
        let (_, page, _) = app.get(&ruth, "/rounds/1/bid").await;
        assert!(
            page.contains("You are bidding for Grimsby Foodbank"),
            "{page}"
        );
        // Not an organisation of hers: refused the same way.
        let res = app
            .post_js(
                &ruth,
                "/api/bids/choose_organisation",
                &[("round_id", "1"), ("organisation_id", "1")],
            )
            .await;
        assert_eq!(res.status, 400, "{}", res.body);
    }
);
