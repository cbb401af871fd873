//! The gaps and commissioned services registers.
use super::common::*;
use crate::both_backends;

both_backends!(gaps_and_services_registers, async |app: &TestApp| {
    let client = app
        .signed_in_as("commissioner@example.org", &[Role::Commissioner])
        .await;
    // A gap with nothing filled in: every essential is named, nothing is saved.
    let res = app
        .post_form(
            &client,
            "/api/gaps/save",
            "/fund/gaps/new",
            &[
                ("id", ""),
                ("title", "Chiropody"),
                ("need", ""),
                ("priority", ""),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/gaps/new"));
    let (_, page, _) = app.get(&client, "/fund/gaps/new").await;
    for message in [
        "Describe the need",
        "Enter the target population",
        "Enter the outcome sought",
        "Select the priority",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(page.contains("value=\"Chiropody\""));
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM gaps").await,
        0
    );

    crate::rounds::record_gap(app, &client).await;
    let res = app
        .post_form(
            &client,
            "/api/gaps/save",
            "/fund/gaps/1/edit",
            &[
                ("id", "1"),
                ("title", "Affordable chiropody for older people"),
                ("need", "Older people cannot get their toenails cut"),
                ("evidence", "Falls audit 2025"),
                ("target_population", "People over 65"),
                ("outcome_sought", "Fewer falls among over-65s"),
                ("priority", "medium"),
                ("status", "filled"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/gaps/1"));
    let (_, page, _) = app.get(&client, "/fund/gaps/1").await;
    assert!(page.contains("Falls audit 2025"));
    assert!(
        page.contains("Identified, High priority → Filled, Medium priority"),
        "{page}"
    );
    let (_, page, _) = app.get(&client, "/fund/gaps?status=identified").await;
    assert!(page.contains("0 gaps"));
    let (_, page, _) = app.get(&client, "/fund/gaps?status=filled").await;
    assert!(page.contains("1 gap"));

    // Services: the "what we buy" template, with dates checked.
    let service = |category: &'static str, due_year: &'static str| {
        vec![
            ("id", ""),
            ("name", "Meals on wheels"),
            ("current_provider", "Council in-house"),
            ("contract_value", "310,000"),
            ("contract_currency", "1 April 2024 to 31 March 2027"),
            ("quantity", "52,000 meals a year"),
            ("quality_criteria", "98% on time"),
            ("last_reviewed_day", "1"),
            ("last_reviewed_month", "6"),
            ("last_reviewed_year", "2025"),
            ("review_due_day", "31"),
            ("review_due_month", "2"),
            ("review_due_year", due_year),
            ("nature_of_review", "Recommission"),
            ("interdependencies", "Home care"),
            ("market_category", category),
        ]
    };
    let res = app
        .post_js(&client, "/api/services/save", &service("open", "2027"))
        .await;
    assert!(
        res.body
            .contains("Expected review date must be a real date"),
        "{}",
        res.body
    );
    let mut ok = service("open", "2027");
    ok[10] = ("review_due_day", "1");
    let res = app
        .post_form(&client, "/api/services/save", "/fund/services/new", &ok)
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/fund/services/1"),
        "{}",
        res.body
    );
    let mut restricted = ok.clone();
    restricted[1] = ("name", "Community podiatry");
    restricted[15] = ("market_category", "restricted");
    app.post_form(
        &client,
        "/api/services/save",
        "/fund/services/new",
        &restricted,
    )
    .await;
    let (_, page, _) = app.get(&client, "/fund/services").await;
    assert!(page.contains("2 services") && page.contains("£310,000.00"));
    let (_, page, _) = app.get(&client, "/fund/services?category=restricted").await;
    assert!(page.contains("1 service") && page.contains("Community podiatry"));

    // The public sees the open services only; only commissioners see the register.
    let anonymous = new_client();
    let (status, page, _) = app.get(&anonymous, "/market-position").await;
    assert_eq!(status, 200);
    assert!(page.contains("Meals on wheels"));
    assert!(!page.contains("Community podiatry"));
    let (status, _, _) = app.get(&anonymous, "/fund/services").await;
    assert_eq!(status, 302, "signed out: asked to sign in");
    let applicant = app.signed_in_as("applicant@example.org", &[]).await;
    let res = app.post_js(&applicant, "/api/services/save", &ok).await;
    assert_eq!(res.status, 403);
    let res = app
        .post_js(&applicant, "/api/gaps/save", &[("id", "1"), ("title", "x")])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM services")
            .await,
        2
    );
});

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    gap: i64,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, Option<String>) {
    let form = reqwest::multipart::Form::new().part(
        "evidence_file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let res = client
        .post(app.url(&format!("/fund/gaps/{gap}/evidence")))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    (res.status().as_u16(), location)
}

both_backends!(a_gap_keeps_an_evidence_file, async |app: &TestApp| {
    let client = app
        .signed_in_as("commissioner@example.org", &[Role::Commissioner])
        .await;
    crate::rounds::record_gap(app, &client).await;

    // Wrong kind of file: refused with a message on the gap's page; nothing stored.
    let (status, location) = upload(app, &client, 1, "tool.exe", b"MZ".to_vec()).await;
    assert_eq!((status, location.as_deref()), (303, Some("/fund/gaps/1")));
    let (_, page, _) = app.get(&client, "/fund/gaps/1").await;
    assert!(
        page.contains("The selected file must be a PDF, Word document"),
        "{page}"
    );
    // A program renamed needs.pdf: checked by content, as bid and tranche uploads are.
    let (status, _) = upload(
        app,
        &client,
        1,
        "needs.pdf",
        b"MZ\x90\x00\x03 program".to_vec(),
    )
    .await;
    assert_eq!(status, 303);
    let (_, page, _) = app.get(&client, "/fund/gaps/1").await;
    assert!(page.contains("contents do not match its type"), "{page}");
    let (status, _) = upload(app, &client, 1, "big.pdf", vec![b'x'; 10 * 1024 * 1024 + 1]).await;
    assert_eq!(status, 303);
    let (_, page, _) = app.get(&client, "/fund/gaps/1").await;
    assert!(page.contains("The selected file must be smaller than 10MB"));
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM files")
            .await,
        0
    );

    let pdf = b"%PDF-1.4 falls audit 2025".to_vec();
    let (status, _) = upload(app, &client, 1, "Falls audit \"2025\".pdf", pdf.clone()).await;
    assert_eq!(status, 303);
    let (_, page, _) = app.get(&client, "/fund/gaps/1").await;
    assert!(page.contains("Evidence file uploaded: Falls audit 2025.pdf"));
    assert!(page.contains("Falls audit 2025.pdf (1 KB)"));
    let res = client
        .get(app.url("/fund/gaps/1/evidence"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"Falls audit 2025.pdf\""
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(
        app.count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'gap.evidence_uploaded'"
        )
        .await,
        1
    );

    // Only commissioners may upload or download.
    let board = app
        .signed_in_as("board@example.org", &[Role::BoardMember])
        .await;
    let res = board
        .get(app.url("/fund/gaps/1/evidence"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let (status, _) = upload(app, &board, 1, "x.pdf", b"x".to_vec()).await;
    assert_eq!(status, 403);
    let res = new_client()
        .get(app.url("/fund/gaps/1/evidence"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let (status, _) = upload(app, &client, 99, "x.pdf", b"x".to_vec()).await;
    assert_eq!(status, 404);
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM files")
            .await,
        1
    );
});

both_backends!(
    board_members_read_the_gaps_register,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let board = app
            .signed_in_as("bo@example.org", &[Role::BoardMember])
            .await;
        let (status, page, _) = app.get(&board, "/fund/gaps").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Affordable chiropody for older people"),
            "{page}"
        );
        assert!(
            !page.contains("Record a gap"),
            "reading, not keeping: {page}"
        );
        let gap: i64 = app.count("SELECT CAST(MIN(id) AS BIGINT) FROM gaps").await;
        let (status, page, _) = app.get(&board, &format!("/fund/gaps/{gap}")).await;
        assert_eq!(status, 200);
        assert!(
            !page.contains("Upload an evidence file") && !page.contains("Create a funding round"),
            "{page}"
        );
        assert!(
            !page.contains(&format!("/fund/gaps/{gap}/edit")),
            "no Change links: {page}"
        );
        // The change form and the save are still the commissioners' alone.
        let (status, _, _) = app.get(&board, &format!("/fund/gaps/{gap}/edit")).await;
        assert_eq!(status, 403);
        let res = app
            .post_js(
                &board,
                "/api/gaps/save",
                &[("id", &gap.to_string()), ("title", "Taken over")],
            )
            .await;
        assert_eq!(res.status, 403, "{}", res.body);
        // A lay evaluator does not read it.
        let carer = app
            .signed_in_as("lay@example.org", &[Role::LayEvaluator])
            .await;
        assert_eq!(app.get(&carer, "/fund/gaps").await.0, 403);
    }
);

both_backends!(
    board_members_read_the_fund_statement,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let board = app
            .signed_in_as("bo@example.org", &[Role::BoardMember])
            .await;
        // The Board page leads to this year's statement.
        let (status, page, _) = app.get(&board, "/board").await;
        assert_eq!(status, 200);
        let year = app::domain::fund::FinancialYear::containing(app::domain::date::uk_date(
            chrono::Utc::now(),
        ));
        let statement = format!("/fund/pooled-funds/{}", year.0);
        assert!(page.contains(&format!("href=\"{statement}\"")), "{page}");
        let (status, page, _) = app.get(&board, &statement).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Money by partner") && page.contains("North East Lincolnshire Council"),
            "{page}"
        );
        assert!(
            !page.contains("Record a variation"),
            "reading, not running: {page}"
        );
        // Varying the fund stays the commissioners'.
        let (status, _, _) = app.get(&board, &format!("{statement}/variation")).await;
        assert_eq!(status, 403);
    }
);

both_backends!(board_members_read_the_portfolio, async |app: &TestApp| {
    server::cli::demo::load(&app.pool).await.unwrap();
    let board = app
        .signed_in_as("bo@example.org", &[Role::BoardMember])
        .await;
    let (status, page, _) = app.get(&board, "/fund/schemes").await;
    assert_eq!(status, 200);
    assert!(page.contains("Step Forward Chiropody CIC"), "{page}");
    // Reading: no links into the schemes, no download.
    assert!(!page.contains("href=\"/schemes/"), "{page}");
    assert!(!page.contains("Download these schemes"), "{page}");
    // A commissioner, after the board member (the rows are kept per kind of viewer), still
    // gets the links.
    let cora = app
        .signed_in_as("cora@example.org", &[Role::Commissioner])
        .await;
    let (_, page, _) = app.get(&cora, "/fund/schemes").await;
    assert!(page.contains("href=\"/schemes/"), "{page}");
    let (_, page, _) = app.get(&board, "/fund/schemes").await;
    assert!(!page.contains("href=\"/schemes/"), "{page}");
});
