//! Bids: start, fill in, save and come back, stale saves, send, deadlines, files, and who
//! may see a bid.
use super::common::*;
use crate::both_backends;
use sqlx::Row;

/// The organisation form for a CIC called `name`, with `email` as its contact. Its company
/// number is made from its name: each company is registered once.
pub(crate) fn cic<'a>(name: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    let digits = name.bytes().fold(14_695_981_039_346_656_037u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(1_099_511_628_211)
    }) % 100_000_000;
    let company_number: &'static str = Box::leak(format!("{digits:08}").into_boxed_str());
    vec![
        ("name", name),
        ("legal_form", "cic"),
        ("company_number", company_number),
        ("address_line_1", "2 High Street"),
        ("town", "Grimsby"),
        ("postcode", "DN31 1HU"),
        ("contact_name", "Pat Jones"),
        ("contact_email", email),
        ("income_band", "10k_100k"),
        ("area_served", "Grimsby"),
    ]
}

/// The demo data, an organisation for `email` (a CIC), and its signed-in owner.
pub(crate) async fn applicant(app: &TestApp, email: &str, name: &str) -> reqwest::Client {
    let client = app.signed_in_as(email, &[]).await;
    let res = app
        .post_js(&client, "/api/organisations/register", &cic(name, email))
        .await;
    assert!(res.status < 400, "{}", res.body);
    client
}

/// An organisation's id by name (the demo data has organisations of its own).
pub(crate) async fn org_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id")
}

async fn section_id(app: &TestApp, bid_round: i64, kind: &str) -> i64 {
    sqlx::query(
        "SELECT id FROM round_sections WHERE round_id = $1 AND kind = $2 ORDER BY position LIMIT 1",
    )
    .bind(bid_round)
    .bind(kind)
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id")
}

async fn version(app: &TestApp, bid: i64, section: i64) -> String {
    sqlx::query("SELECT version FROM bid_sections WHERE bid_id = $1 AND section_id = $2")
        .bind(bid)
        .bind(section)
        .fetch_optional(&app.pool)
        .await
        .unwrap()
        .map(|r| r.get::<i64, _>("version"))
        .unwrap_or(0)
        .to_string()
}

async fn question_ids(app: &TestApp, section: i64) -> Vec<i64> {
    sqlx::query("SELECT id FROM round_questions WHERE section_id = $1 ORDER BY position, id")
        .bind(section)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect()
}

/// Start the chiropody bid (round 1) for the client's organisation; returns the bid id.
/// A section's stored answer to `question` and the section's version.
pub(crate) async fn stored_answer(
    app: &TestApp,
    bid: i64,
    section: i64,
    question: i64,
) -> (String, i64) {
    let row = sqlx::query(
        "SELECT answers, version FROM bid_sections WHERE bid_id = $1 AND section_id = $2",
    )
    .bind(bid)
    .bind(section)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let answers: serde_json::Value =
        serde_json::from_str(&row.get::<String, _>("answers")).unwrap();
    let text = answers[format!("answer[q{question}]")]
        .as_str()
        .or_else(|| answers[format!("q{question}")].as_str())
        .unwrap_or_else(|| panic!("{answers}"))
        .to_string();
    (text, row.get("version"))
}

/// The chiropody round's first custom section and its first question: (section, question).
pub(crate) async fn first_custom_question(app: &TestApp) -> (i64, i64) {
    let section: i64 = sqlx::query(
        "SELECT id FROM round_sections WHERE round_id = 1 AND kind = 'custom' ORDER BY position LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id");
    let question: i64 = sqlx::query(
        "SELECT id FROM round_questions WHERE section_id = $1 ORDER BY position, id LIMIT 1",
    )
    .bind(section)
    .fetch_one(&app.pool)
    .await
    .unwrap()
    .get("id");
    (section, question)
}

pub(crate) async fn start(app: &TestApp, client: &reqwest::Client) -> i64 {
    let res = app
        .post_form(
            client,
            "/api/bids/start",
            "/rounds/1/bid",
            &[("round_id", "1"), ("covers_area", "yes")],
        )
        .await;
    let location = res.location.unwrap_or_default();
    assert!(location.starts_with("/bids/"), "{location} {}", res.body);
    location["/bids/".len()..].parse().unwrap()
}

/// Save a section as a plain form post from its page.
pub(crate) async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    bid: i64,
    section: i64,
    then: &str,
    completed: &str,
    answers: &[(String, String)],
) -> Posted {
    let v = version(app, bid, section).await;
    save_at(app, client, bid, section, &v, then, completed, answers).await
}

#[allow(clippy::too_many_arguments)]
async fn save_at(
    app: &TestApp,
    client: &reqwest::Client,
    bid: i64,
    section: i64,
    version: &str,
    then: &str,
    completed: &str,
    answers: &[(String, String)],
) -> Posted {
    let (b, s) = (bid.to_string(), section.to_string());
    let mut form: Vec<(&str, &str)> = vec![
        ("bid_id", &b),
        ("section_id", &s),
        ("version", version),
        ("then", then),
        ("completed", completed),
    ];
    let named: Vec<(String, &str)> = answers
        .iter()
        .map(|(k, v)| (format!("answer[{k}]"), v.as_str()))
        .collect();
    form.extend(named.iter().map(|(k, v)| (k.as_str(), *v)));
    app.post_form(
        client,
        "/api/bids/save_section",
        &format!("/bids/{bid}/sections/{section}"),
        &form,
    )
    .await
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn budget() -> Vec<(String, String)> {
    pairs(&[
        ("line0_description", "Foot care practitioner (part time)"),
        ("line0_category", "staff"),
        ("line0_y1", "15000"),
        ("line0_y2", "15000"),
        ("line1_description", "Clinic room hire"),
        ("line1_category", "premises"),
        ("line1_y1", "5000"),
        ("line1_y2", "5000"),
        ("amount_requested", "24000"),
    ])
}

fn plan() -> Vec<(String, String)> {
    let mut p = vec![("years".to_string(), "3".to_string())];
    for (year, grant, users) in [(1, "16000", "300"), (2, "8000", "800"), (3, "0", "1400")] {
        for (part, value) in [
            ("costs", "20000"),
            ("seed_grant", grant),
            ("charge_per_user", "15"),
            ("expected_users", users),
        ] {
            p.push((format!("y{year}_{part}"), value.to_string()));
        }
    }
    p
}

/// Complete answers to the chiropody round's own questions.
async fn complete_custom_answers(app: &TestApp, custom: i64) -> Vec<(String, String)> {
    let q = question_ids(app, custom).await;
    pairs(&[
        (
            &format!("q{}", q[0]),
            "Toenail cutting and foot checks in four community venues.",
        ),
        (&format!("q{}", q[1]), "300"),
        (&format!("q{}_day", q[2]), "1"),
        (&format!("q{}_month", q[2]), "4"),
        (&format!("q{}_year", q[2]), "2027"),
        (&format!("q{}", q[3]), "yes"),
    ])
}

/// Fill in every section of the chiropody bid and mark each complete.
pub(crate) async fn complete_everything(app: &TestApp, client: &reqwest::Client, bid: i64) {
    let org = section_id(app, 1, "organisation").await;
    let res = save(
        app,
        client,
        bid,
        org,
        "continue",
        "yes",
        &pairs(&[("confirmed", "answer[confirmed]")]),
    )
    .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/bids/{bid}").as_str())
    );
    let custom = section_id(app, 1, "custom").await;
    let q = question_ids(app, custom).await;
    let answers = pairs(&[
        (
            &format!("q{}", q[0]),
            "Toenail cutting and foot checks in four community venues.",
        ),
        (&format!("q{}", q[1]), "300"),
        (&format!("q{}_day", q[2]), "1"),
        (&format!("q{}_month", q[2]), "4"),
        (&format!("q{}_year", q[2]), "2027"),
        (&format!("q{}", q[3]), "yes"),
    ]);
    let res = save(app, client, bid, custom, "continue", "yes", &answers).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/bids/{bid}").as_str()),
        "{}",
        res.body
    );
    let b = section_id(app, 1, "budget").await;
    let res = save(app, client, bid, b, "continue", "yes", &budget()).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/bids/{bid}").as_str())
    );
    let s = section_id(app, 1, "sustainability").await;
    let res = save(app, client, bid, s, "continue", "yes", &plan()).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/bids/{bid}").as_str())
    );
}

pub(crate) fn declarations() -> Vec<(&'static str, &'static str)> {
    vec![
        ("declare[true]", "declare[true]"),
        ("declare[authorised]", "declare[authorised]"),
        ("declare[monitoring]", "declare[monitoring]"),
    ]
}

both_backends!(
    a_member_fills_in_saves_and_sends_a_bid,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let pat = applicant(app, "pat@example.org", "Happy Feet CIC").await;
        // A colleague in the same organisation.
        let sam = app.signed_in_as("sam@example.org", &[]).await;
        let sam_id: i64 = sqlx::query("SELECT id FROM users WHERE email = 'sam@example.org'")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("id");
        let mut conn = app.pool.acquire().await.unwrap();
        app::db::organisations::add_member(
            &mut conn,
            org_id(app, "Happy Feet CIC").await,
            sam_id,
            app::db::now(),
        )
        .await
        .unwrap();
        drop(conn);

        // Eligibility first: a service outside the area cannot go on.
        let (status, page, _) = app.get(&pat, "/rounds/1/bid").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Will your service cover North East Lincolnshire?"),
            "{page}"
        );
        app.post_form(
            &pat,
            "/api/bids/start",
            "/rounds/1/bid",
            &[("round_id", "1"), ("covers_area", "no")],
        )
        .await;
        let (_, page, _) = app.get(&pat, "/rounds/1/bid").await;
        assert!(page.contains("The service must cover North East Lincolnshire. Happy Feet CIC cannot bid in this round"), "{page}");
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bids WHERE round_id = 1")
                .await,
            0
        );

        let bid = start(app, &pat).await;
        // One bid per organisation: Sam starting again goes to the same bid.
        assert_eq!(start(app, &sam).await, bid);
        let (status, page, _) = app.get(&pat, &format!("/bids/{bid}")).await;
        assert_eq!(status, 200);
        for text in [
            "About your organisation",
            "Your proposed service",
            "Budget",
            "Sustainability plan",
            "Cannot start yet",
            "You have completed 0 of 4 sections",
        ] {
            assert!(page.contains(text), "{text}: {page}");
        }

        // Save and come back later keeps half-finished answers, even wrong ones.
        let custom = section_id(app, 1, "custom").await;
        let q = question_ids(app, custom).await;
        let partial = pairs(&[(&format!("q{}", q[1]), "about 300")]);
        let res = save(app, &pat, bid, custom, "later", "", &partial).await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/bids/{bid}/sections/{custom}").as_str()),
            "a typing mistake is shown"
        );
        let (_, page, _) = app
            .get(&pat, &format!("/bids/{bid}/sections/{custom}"))
            .await;
        assert!(page.contains("must be a whole number, like 120"), "{page}");
        assert!(page.contains("value=\"about 300\""));
        let (_, page, _) = app
            .get(&sam, &format!("/bids/{bid}/sections/{custom}"))
            .await;
        assert!(
            page.contains("value=\"about 300\""),
            "saved for colleagues too"
        );
        assert!(page.contains("Last saved by Test User"));

        // Marking complete needs every required answer.
        let res = save(
            app,
            &pat,
            bid,
            custom,
            "continue",
            "yes",
            &pairs(&[(&format!("q{}", q[1]), "300")]),
        )
        .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/bids/{bid}/sections/{custom}").as_str())
        );
        let (_, page, _) = app
            .get(&pat, &format!("/bids/{bid}/sections/{custom}"))
            .await;
        assert!(page.contains("Enter your answer to"), "{page}");
        assert!(page.contains("Select yes or no for"));
        let (_, page, _) = app.get(&pat, &format!("/bids/{bid}")).await;
        assert!(page.contains("In progress"));

        // A stale page is refused: Sam saves, then Pat saves a page opened before Sam's save.
        let stale = version(app, bid, custom).await;
        let res = save(
            app,
            &sam,
            bid,
            custom,
            "later",
            "",
            &pairs(&[(&format!("q{}", q[1]), "250")]),
        )
        .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/bids/{bid}").as_str())
        );
        let res = save_at(
            app,
            &pat,
            bid,
            custom,
            &stale,
            "later",
            "",
            &pairs(&[(&format!("q{}", q[1]), "999")]),
        )
        .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/bids/{bid}/sections/{custom}").as_str())
        );
        let (_, page, _) = app
            .get(&pat, &format!("/bids/{bid}/sections/{custom}"))
            .await;
        assert!(
            page.contains("Someone else saved this section after you opened it"),
            "{page}"
        );
        assert!(
            page.contains("value=\"999\""),
            "Pat's typing is kept on the page"
        );
        let (_, page, _) = app
            .get(&sam, &format!("/bids/{bid}/sections/{custom}"))
            .await;
        assert!(
            page.contains("value=\"250\""),
            "Sam's answer was not overwritten"
        );
        // With JavaScript the refusal is a 409.
        let v = version(app, bid, custom).await;
        let stale_js = app
            .post_js(
                &pat,
                "/api/bids/save_section",
                &[
                    ("bid_id", &bid.to_string()),
                    ("section_id", &custom.to_string()),
                    ("version", &(v.parse::<i64>().unwrap() - 1).to_string()),
                    ("then", "later"),
                ],
            )
            .await;
        assert_eq!(stale_js.status, 409, "{}", stale_js.body);

        // Budget: the request must lie within the award limits and the total cost.
        let b = section_id(app, 1, "budget").await;
        let mut over = budget();
        over.last_mut().unwrap().1 = "45000".into();
        save(app, &pat, bid, b, "continue", "yes", &over).await;
        let (_, page, _) = app.get(&pat, &format!("/bids/{bid}/sections/{b}")).await;
        assert!(
            page.contains("The amount you ask for must be between £5,000.00 and £30,000.00"),
            "{page}"
        );
        assert!(page.contains("£40,000.00"), "totals are computed: {page}");

        complete_everything(app, &pat, bid).await;
        let (_, page, _) = app
            .get(
                &pat,
                &format!(
                    "/bids/{bid}/sections/{}",
                    section_id(app, 1, "sustainability").await
                ),
            )
            .await;
        assert!(
            page.contains("Grant dependency falls from 78% in year 1 to 0% in year 3"),
            "{page}"
        );
        assert!(page.contains("<svg"));
        let (_, page, _) = app.get(&pat, &format!("/bids/{bid}")).await;
        assert!(
            page.contains("You have completed 4 of 4 sections"),
            "{page}"
        );

        // Check answers, then send: the declarations are required.
        let (status, page, _) = app.get(&pat, &format!("/bids/{bid}/check")).await;
        assert_eq!(status, 200);
        // One heading per section; no "Change" beside what is worked out or kept elsewhere.
        assert_eq!(
            page.matches(">About your organisation</h2>").count(),
            1,
            "{page}"
        );
        assert!(page.contains("Area served"), "{page}");
        for worked_out in ["total cost", "summary", "area served"] {
            let hidden = format!("<span class=\"govuk-visually-hidden\"> {worked_out}</span>");
            assert!(!page.contains(&hidden), "{worked_out}: {page}");
        }
        assert!(
            page.contains("<span class=\"govuk-visually-hidden\"> amount requested</span>"),
            "{page}"
        );
        // A change link returns to check answers after saving.
        let change = format!("/bids/{bid}/sections/{custom}?return=check");
        assert!(page.contains(&change), "{page}");
        let (_, section_page, _) = app.get(&pat, &change).await;
        assert!(section_page.contains("Back to check your answers"));
        let v = version(app, bid, custom).await;
        let (b_s, c_s) = (bid.to_string(), custom.to_string());
        let answers_now = complete_custom_answers(app, custom).await;
        let mut form: Vec<(String, String)> = vec![
            ("bid_id".into(), b_s),
            ("section_id".into(), c_s),
            ("version".into(), v),
            ("then".into(), "continue".into()),
            ("completed".into(), "yes".into()),
            ("return_to".into(), "check".into()),
        ];
        form.extend(
            answers_now
                .into_iter()
                .map(|(k, v)| (format!("answer[{k}]"), v)),
        );
        let borrowed: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app
            .post_form(&pat, "/api/bids/save_section", &change, &borrowed)
            .await;
        assert_eq!(
            res.location,
            Some(format!("/bids/{bid}/check")),
            "{}",
            res.body
        );
        assert!(
            page.contains("Foot care practitioner (part time) (Staff)"),
            "{page}"
        );
        assert!(page.contains("1 April 2027"));
        let b_id = bid.to_string();
        app.post_form(
            &pat,
            "/api/bids/submit",
            &format!("/bids/{bid}/check"),
            &[("bid_id", &b_id)],
        )
        .await;
        let (_, page, _) = app.get(&pat, &format!("/bids/{bid}/check")).await;
        assert!(
            page.contains("Confirm that you are authorised to submit this bid"),
            "{page}"
        );
        let mut form = vec![("bid_id", b_id.as_str())];
        form.extend(declarations());
        let res = app
            .post_form(
                &pat,
                "/api/bids/submit",
                &format!("/bids/{bid}/check"),
                &form,
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/bids/{bid}/confirmation").as_str()),
            "{}",
            res.body
        );
        let reference: String = sqlx::query("SELECT reference FROM bids WHERE id = $1")
            .bind(bid)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("reference");
        assert!(
            reference.starts_with("SB-20") && reference.ends_with(&format!("{bid:04}")),
            "{reference}"
        );
        let (_, page, _) = app.get(&pat, &format!("/bids/{bid}/confirmation")).await;
        assert!(page.contains("Bid sent") && page.contains(&reference));
        // Every member is told.
        for who in ["pat@example.org", "sam@example.org"] {
            let mail = app.last_mail_to(who);
            assert!(mail.subject.contains(&reference), "{who}");
            assert!(mail.body.contains("Affordable chiropody for older people"));
        }
        // A sent bid cannot be changed until it is withdrawn; then it can be reopened.
        let res = save(app, &pat, bid, custom, "later", "", &partial).await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/bids/{bid}/sections/{custom}").as_str())
        );
        let (_, page, _) = app
            .get(&pat, &format!("/bids/{bid}/sections/{custom}"))
            .await;
        assert!(
            page.contains("This bid is submitted. To change it, withdraw it first"),
            "{page}"
        );
        let (_, page, _) = app.get(&pat, "/bids").await;
        assert!(page.contains(&reference) && page.contains("Submitted"));
        let (_, page, _) = app.get(&pat, &format!("/bids/{bid}/view")).await;
        assert!(page.contains("Withdraw this bid") && page.contains("Clinic room hire"));
        // The printable download: one self-contained HTML file with the whole bid.
        let res = pat
            .get(app.url(&format!("/bids/{bid}/download")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(
            res.headers()["content-disposition"].to_str().unwrap(),
            format!("attachment; filename=\"{reference}.html\"")
        );
        let printable = res.text().await.unwrap();
        for text in [
            "Clinic room hire",
            "Grant dependency falls from 78% in year 1 to 0% in year 3",
            "<svg",
            "Happy Feet CIC",
        ] {
            assert!(printable.contains(text), "{text}: {printable}");
        }
        app.post_form(
            &pat,
            "/api/bids/withdraw",
            &format!("/bids/{bid}/view"),
            &[("bid_id", &b_id), ("reopen", "false")],
        )
        .await;
        app.post_form(
            &pat,
            "/api/bids/withdraw",
            &format!("/bids/{bid}/view"),
            &[("bid_id", &b_id), ("reopen", "true")],
        )
        .await;
        let status: String = sqlx::query("SELECT status FROM bids WHERE id = $1")
            .bind(bid)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("status");
        assert_eq!(status, "draft");
        let audited = app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action IN ('bid.started', 'bid.submitted', 'bid.withdrawn', 'bid.reopened')").await;
        assert_eq!(audited, 4);
    }
);

both_backends!(
    other_organisations_cannot_find_a_bid,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let pat = applicant(app, "pat@example.org", "Happy Feet CIC").await;
        let bid = start(app, &pat).await;
        let custom = section_id(app, 1, "custom").await;
        save(app, &pat, bid, custom, "later", "", &pairs(&[("q1", "x")])).await;
        let stranger = applicant(app, "eve@example.org", "Other Org CIC").await;
        let before = version(app, bid, custom).await;
        for path in [
            format!("/bids/{bid}"),
            format!("/bids/{bid}/sections/{custom}"),
            format!("/bids/{bid}/sections/{custom}/files/1"),
            format!("/bids/{bid}/check"),
            format!("/bids/{bid}/view"),
            format!("/bids/{bid}/confirmation"),
            format!("/bids/{bid}/files/1"),
            format!("/bids/{bid}/download"),
        ] {
            let (status, page, _) = app.get(&stranger, &path).await;
            assert_eq!(status, 404, "{path}: {page}");
            assert!(!page.contains("Happy Feet"), "{path}");
        }
        let b = bid.to_string();
        let s = custom.to_string();
        for (endpoint, form) in [
            ("bids/tasks", vec![("id", b.as_str())]),
            (
                "bids/section",
                vec![("id", b.as_str()), ("section_id", s.as_str())],
            ),
            ("bids/full", vec![("id", b.as_str())]),
            (
                "bids/upload_info",
                vec![
                    ("id", b.as_str()),
                    ("section_id", s.as_str()),
                    ("question_id", "1"),
                ],
            ),
            (
                "bids/save_section",
                vec![
                    ("bid_id", b.as_str()),
                    ("section_id", s.as_str()),
                    ("version", before.as_str()),
                    ("then", "later"),
                    ("answer[q1]", "hijacked"),
                ],
            ),
            ("bids/submit", vec![("bid_id", b.as_str())]),
            (
                "bids/withdraw",
                vec![("bid_id", b.as_str()), ("reopen", "true")],
            ),
        ] {
            let res = app
                .post_js(&stranger, &format!("/api/{endpoint}"), &form)
                .await;
            assert_eq!(res.status, 404, "{endpoint}: {}", res.body);
        }
        let res = stranger
            .post(app.url(&format!("/bids/{bid}/questions/1/file")))
            .multipart(reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("a.pdf"),
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert_eq!(version(app, bid, custom).await, before, "nothing changed");
        // The stranger's own bid list does not show it; a commissioner can read it.
        // (The open rounds listed below the bids name the round; no bid for it is listed.)
        let (_, page, _) = app.get(&stranger, "/bids").await;
        assert!(
            !page.contains(" the bid for Affordable chiropody"),
            "{page}"
        );
        assert!(
            page.contains("Your organisations have not started any bids yet"),
            "{page}"
        );
        let commissioner = app
            .signed_in_as(
                "cora@example.org",
                &[app::domain::roles::Role::Commissioner],
            )
            .await;
        let (status, page, _) = app.get(&commissioner, &format!("/bids/{bid}/view")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Happy Feet CIC"));
        let res = app
            .post_js(
                &commissioner,
                "/api/bids/save_section",
                &[
                    ("bid_id", &b),
                    ("section_id", &s),
                    ("version", &before),
                    ("then", "later"),
                ],
            )
            .await;
        assert_eq!(res.status, 403, "commissioners read, members write");
    }
);

both_backends!(nothing_changes_after_the_deadline, async |app: &TestApp| {
    server::cli::demo::load(&app.pool).await.unwrap();
    let pat = applicant(app, "pat@example.org", "Happy Feet CIC").await;
    let bid = start(app, &pat).await;
    complete_everything(app, &pat, bid).await;
    // The round closed a minute ago by the server's clock (whatever the page showed).
    let closed = app::domain::time::to_db(chrono::Utc::now() - chrono::Duration::minutes(1));
    sqlx::query("UPDATE rounds SET closes_at = $1 WHERE id = 1")
        .bind(closed)
        .execute(&app.pool)
        .await
        .unwrap();
    let b = bid.to_string();
    let mut form = vec![("bid_id", b.as_str())];
    form.extend(declarations());
    let res = app.post_js(&pat, "/api/bids/submit", &form).await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(
        res.body.contains("Bids can no longer be changed"),
        "{}",
        res.body
    );
    app.post_form(
        &pat,
        "/api/bids/submit",
        &format!("/bids/{bid}/check"),
        &form,
    )
    .await;
    let (_, page, _) = app.get(&pat, &format!("/bids/{bid}/check")).await;
    assert!(page.contains("This round closed at"), "{page}");
    let custom = section_id(app, 1, "custom").await;
    let before = version(app, bid, custom).await;
    save(
        app,
        &pat,
        bid,
        custom,
        "later",
        "",
        &pairs(&[("q1", "late")]),
    )
    .await;
    assert_eq!(version(app, bid, custom).await, before);
    let status: String = sqlx::query("SELECT status FROM bids WHERE id = $1")
        .bind(bid)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("status");
    assert_eq!(status, "draft");
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bids WHERE round_id = 1 AND reference IS NOT NULL")
            .await,
        0
    );
    // No new bids either.
    let other = applicant(app, "eve@example.org", "Other Org CIC").await;
    app.post_form(
        &other,
        "/api/bids/start",
        "/rounds/1/bid",
        &[("round_id", "1"), ("covers_area", "yes")],
    )
    .await;
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bids WHERE round_id = 1")
            .await,
        1
    );
});

both_backends!(uploads_are_checked_and_private, async |app: &TestApp| {
    server::cli::demo::load(&app.pool).await.unwrap();
    // The round asks for a file (added straight to the published round for the test).
    let custom = section_id(app, 1, "custom").await;
    let question = app::domain::round::QuestionForm {
        label: "Upload your safeguarding policy".into(),
        qtype: "file_upload".into(),
        required: "yes".into(),
        ..Default::default()
    }
    .parse()
    .unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    app::db::rounds::add_question(&mut conn, 1, custom, &question)
        .await
        .unwrap();
    drop(conn);
    let qid = *question_ids(app, custom).await.last().unwrap();
    let pat = applicant(app, "pat@example.org", "Happy Feet CIC").await;
    let bid = start(app, &pat).await;
    let (_, page, _) = app
        .get(&pat, &format!("/bids/{bid}/sections/{custom}"))
        .await;
    assert!(page.contains("Save and upload a file"), "{page}");
    // The button saves what was typed, then goes to the upload page.
    let res = save(
        app,
        &pat,
        bid,
        custom,
        &format!("upload_{qid}"),
        "",
        &pairs(&[("q1", "typed first")]),
    )
    .await;
    let upload_page = format!("/bids/{bid}/sections/{custom}/files/{qid}");
    assert_eq!(res.location.as_deref(), Some(upload_page.as_str()));
    let (status, page, _) = app.get(&pat, &upload_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("Upload your safeguarding policy"));

    let url = app.url(&format!("/bids/{bid}/questions/{qid}/file"));
    let send = |name: &'static str, bytes: Vec<u8>| {
        let pat = pat.clone();
        let url = url.clone();
        async move {
            // A refused large body leaves its connection half-read: do not reuse it.
            let res = pat
                .post(&url)
                .header("Connection", "close")
                .multipart(reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name(name),
                ))
                .send()
                .await
                .unwrap();
            res.headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
        }
    };
    for (name, bytes, message) in [
        (
            "policy.exe",
            b"MZ program".to_vec(),
            "must be a PDF, Word document, spreadsheet, CSV, text file, PNG or JPG",
        ),
        (
            "policy.pdf",
            b"MZ renamed program".to_vec(),
            "contents do not match its type",
        ),
        (
            "policy.pdf",
            vec![b'%'; 11 * 1024 * 1024],
            "must be smaller than 10MB",
        ),
    ] {
        let location = send(name, bytes).await;
        assert_eq!(location.as_deref(), Some(upload_page.as_str()), "{name}");
        let (_, page, _) = app.get(&pat, &upload_page).await;
        assert!(page.contains(message), "{message}: {page}");
    }
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bid_files")
            .await,
        0
    );
    let location = send("Safeguarding policy.pdf", b"%PDF-1.7 the policy".to_vec()).await;
    assert_eq!(location, Some(format!("/bids/{bid}/sections/{custom}")));
    let (_, page, _) = app
        .get(&pat, &format!("/bids/{bid}/sections/{custom}"))
        .await;
    assert!(
        page.contains("Safeguarding policy.pdf") && page.contains("typed first</textarea>"),
        "{page}"
    );
    let file_id: i64 = sqlx::query("SELECT file_id FROM bid_files")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("file_id");
    let res = pat
        .get(app.url(&format!("/bids/{bid}/files/{file_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.7 the policy");
    // A file of another bid cannot be fetched through this one.
    let eve = applicant(app, "eve@example.org", "Other Org CIC").await;
    let (status, _, _) = app.get(&eve, &format!("/bids/{bid}/files/{file_id}")).await;
    assert_eq!(status, 404);
    // Replacing the file deletes the one it replaces: nothing is left behind.
    let files_before = app
        .count("SELECT CAST(COUNT(*) AS BIGINT) FROM files")
        .await;
    for _ in 0..3 {
        let location = send("Safeguarding policy.pdf", b"%PDF-1.7 a new policy".to_vec()).await;
        assert_eq!(location, Some(format!("/bids/{bid}/sections/{custom}")));
    }
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM files")
            .await,
        files_before
    );
    let (status, _, _) = app.get(&pat, &format!("/bids/{bid}/files/{file_id}")).await;
    assert_eq!(status, 404, "the replaced file is gone");
});
