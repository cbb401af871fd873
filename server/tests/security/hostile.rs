//! Hostile input: a script payload stored in the free-text fields (organisation name, gap
//! description, bid answers, decline feedback, return narrative and risks) is shown as text
//! on every page and download that shows it, never run; a formula never starts a CSV cell;
//! SQL metacharacters are stored verbatim and a megabyte in a field gets a clear message.
use crate::common::*;
use crate::schemes::{awarded_scheme, client_for};
use sqlx::Row;

const SCRIPT: &str =
    "</title></textarea><script>alert(\"xss\")</script><img src=x onerror=alert(1)>";

fn inert(path: &str, page: &str) {
    assert!(
        !page.contains("<script>alert")
            && !page.contains("<img src=x onerror")
            && !page.contains("</title></textarea>"),
        "{path} shows the payload as markup"
    );
}

crate::both_backends!(
    stored_payloads_are_shown_as_text_everywhere,
    async |app: &TestApp| {
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let row = sqlx::query(
            "SELECT s.round_id, s.bid_id, s.organisation_id FROM schemes s WHERE s.id = $1",
        )
        .bind(scheme_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let (round_id, bid_id, org_id): (i64, i64, i64) = (
            row.get("round_id"),
            row.get("bid_id"),
            row.get("organisation_id"),
        );
        let name = format!("=HYPERLINK(\"http://evil.example\") Smith & Sons {SCRIPT}");
        for (sql, value) in [
            ("UPDATE organisations SET name = $1 WHERE id = $2", name.clone()),
            (
                "UPDATE returns SET narrative = $1, risks = $1 WHERE scheme_id = $2 AND position = 1",
                SCRIPT.to_string(),
            ),
        ] {
            let id = if sql.contains("organisations") { org_id } else { scheme_id };
            sqlx::query(sql)
                .bind(value)
                .bind(id)
                .execute(&app.pool)
                .await
                .unwrap();
        }
        // Every answer of the awarded bid becomes the payload.
        let sections =
            sqlx::query("SELECT section_id, answers FROM bid_sections WHERE bid_id = $1")
                .bind(bid_id)
                .fetch_all(&app.pool)
                .await
                .unwrap();
        for s in &sections {
            let mut answers: serde_json::Value =
                serde_json::from_str(&s.get::<String, _>("answers")).unwrap();
            if let Some(map) = answers.as_object_mut() {
                for (_, v) in map.iter_mut() {
                    if v.is_string() {
                        *v = serde_json::Value::String(SCRIPT.into());
                    }
                }
            }
            sqlx::query(
                "UPDATE bid_sections SET answers = $1 WHERE bid_id = $2 AND section_id = $3",
            )
            .bind(answers.to_string())
            .bind(bid_id)
            .bind(s.get::<i64, _>("section_id"))
            .execute(&app.pool)
            .await
            .unwrap();
        }
        // Written behind the service's back: move the data generation on as a request would,
        // so no page shows what it kept from before.
        app::db::epoch::advance(&app.pool).await.unwrap();
        // The gap, through its form; the other bid declined with the payload as feedback.
        let gap_id: i64 = sqlx::query("SELECT gap_id FROM round_gaps WHERE round_id = $1")
            .bind(round_id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("gap_id");
        let g = gap_id.to_string();
        let res = app
            .post_form(
                &commissioner,
                "/api/gaps/save",
                &format!("/fund/gaps/{g}/edit"),
                &[
                    ("id", &g),
                    ("title", "Foot care at home"),
                    ("need", SCRIPT),
                    ("evidence", SCRIPT),
                    ("target_population", "People cared for at home"),
                    ("outcome_sought", SCRIPT),
                    ("priority", "high"),
                    ("status", "round_open"),
                ],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/fund/gaps/{g}").as_str()),
            "{}",
            res.body
        );
        let other: i64 = sqlx::query(
            "SELECT id FROM bids WHERE round_id = $1 AND id <> $2 AND status = 'under_assessment'",
        )
        .bind(round_id)
        .bind(bid_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
        let o = other.to_string();
        let r = round_id.to_string();
        // The other bid's organisation and its assessors' justifications carry the payload
        // too: the draft decline feedback in a textarea quotes both.
        sqlx::query("UPDATE organisations SET name = $1 WHERE id = (SELECT organisation_id FROM bids WHERE id = $2)")
            .bind(&name)
            .bind(other)
            .execute(&app.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE scores SET justification = $1 WHERE bid_id = $2")
            .bind(SCRIPT)
            .bind(other)
            .execute(&app.pool)
            .await
            .unwrap();
        app::db::epoch::advance(&app.pool).await.unwrap();
        for path in [
            format!("/fund/rounds/{r}/moderation/bids/{o}"),
            format!("/fund/gaps/{g}/edit"),
        ] {
            let (status, page, _) = app.get(&commissioner, &path).await;
            assert_eq!(status, 200, "{path}");
            inert(&path, &page);
            assert!(
                page.contains("&lt;/title&gt;&lt;/textarea&gt;&lt;script&gt;"),
                "{path} shows the payload in a textarea, as text"
            );
        }
        let res = app
            .post_form(
                &commissioner,
                "/api/decisions/decide",
                &format!("/fund/rounds/{r}/moderation/bids/{o}"),
                &[
                    ("round_id", &r),
                    ("bid_id", &o),
                    ("outcome", "decline"),
                    ("amount", ""),
                    ("conditions", ""),
                    ("feedback", SCRIPT),
                    ("returns_every", "3"),
                ],
            )
            .await;
        assert_eq!(res.status, 302, "{}", res.body);
        let church = client_for(app, "church@seedbed.test").await;

        let return_id: i64 =
            sqlx::query("SELECT id FROM returns WHERE scheme_id = $1 AND position = 1")
                .bind(scheme_id)
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .get("id");
        let mut shown = 0;
        for (client, path) in [
            (&new_client(), "/awards".to_string()),
            (&commissioner, format!("/fund/gaps/{g}")),
            (&commissioner, "/fund/gaps".to_string()),
            (&commissioner, format!("/fund/rounds/{r}")),
            (&commissioner, format!("/fund/rounds/{r}/moderation")),
            (
                &commissioner,
                format!("/fund/rounds/{r}/moderation/bids/{bid_id}"),
            ),
            (&commissioner, format!("/fund/rounds/{r}/interests")),
            (&commissioner, "/fund/schemes".to_string()),
            (&commissioner, format!("/schemes/{scheme_id}")),
            (
                &commissioner,
                format!("/schemes/{scheme_id}/returns/{return_id}"),
            ),
            (&commissioner, "/audit-trail".to_string()),
            (&applicant, "/bids".to_string()),
            (&applicant, format!("/bids/{bid_id}/view")),
            (&applicant, format!("/bids/{bid_id}/download")),
            (&applicant, format!("/organisations/{org_id}")),
            (&church, "/bids".to_string()),
            (&new_client(), format!("/rounds/{r}")),
        ] {
            let (status, page, _) = app.get(client, &path).await;
            assert_eq!(status, 200, "{path}");
            inert(&path, &page);
            if page.contains("&lt;script&gt;alert") || page.contains("\\u003cscript") {
                shown += 1;
            }
        }
        assert!(
            shown >= 10,
            "the payload is on the pages, as text ({shown})"
        );
        let feedback = app.last_mail_to("church@seedbed.test");
        assert!(
            feedback.body.contains(SCRIPT),
            "plain-text email carries it as typed"
        );

        // Downloads: JSON escapes it; no cell of any CSV the app writes starts a formula.
        // A declaration about each bid in the round, so the register of interests has rows.
        sqlx::query(
            "INSERT INTO declarations (bid_id, user_id, conflict, nature, description, supersedes, reason, declared_at)
             SELECT b.id, (SELECT MIN(id) FROM users), 0, '', $1, NULL, '', '2026-12-01T10:00:00.000000Z'
             FROM bids b WHERE b.round_id = $2",
        )
        .bind(&name)
        .bind(r.parse::<i64>().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE partners SET name = $1 WHERE id = (SELECT MIN(id) FROM partners)")
            .bind(&name)
            .execute(&app.pool)
            .await
            .unwrap();
        app::db::epoch::advance(&app.pool).await.unwrap();
        let year: i64 = sqlx::query("SELECT year FROM funds ORDER BY year LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("year");
        let csvs = [
            (new_client(), "/awards.csv".to_string()),
            (new_client(), "/open-data/360giving.csv".to_string()),
            (commissioner.clone(), "/fund/schemes.csv".to_string()),
            (
                commissioner.clone(),
                format!("/fund/rounds/{r}/interests.csv"),
            ),
            (commissioner.clone(), format!("/fund/rounds/{r}/report.csv")),
            (commissioner.clone(), "/audit-trail.csv".to_string()),
            (
                commissioner.clone(),
                format!("/fund/pooled-funds/{year}/statement.csv"),
            ),
            (
                commissioner.clone(),
                format!("/fund/pooled-funds/{year}/ledger.csv"),
            ),
        ];
        for (client, path) in &csvs {
            let res = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            let body = res.text().await.unwrap();
            if !path.contains("report.csv") {
                assert!(body.contains("HYPERLINK"), "{path} names the payload");
            }
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(body.as_bytes());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    assert!(!cell.starts_with(['=', '@', '+']), "{path}: {cell}");
                }
            }
        }
        let json = new_client()
            .get(app.url("/open-data/360giving.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(parsed["grants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["recipientOrganization"][0]["name"] == name.as_str()));
    }
);

crate::both_backends!(
    sql_metacharacters_are_stored_verbatim_and_huge_input_is_refused,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let sneaky = "O'Brien\"; DROP TABLE gaps; -- 100% _under_ \\ ' OR '1'='1";
        let huge = "x".repeat(1_000_000);
        let gap = |need: &str| {
            vec![
                ("title".to_string(), "Foot care".to_string()),
                ("need".to_string(), need.to_string()),
                ("evidence".to_string(), sneaky.to_string()),
                ("target_population".to_string(), sneaky.to_string()),
                ("outcome_sought".to_string(), sneaky.to_string()),
                ("priority".to_string(), "high".to_string()),
            ]
        };
        let form = gap(sneaky);
        let fields: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app
            .post_form(&commissioner, "/api/gaps/save", "/fund/gaps/new", &fields)
            .await;
        assert_eq!(res.status, 302, "{}", res.body);
        let stored: String = sqlx::query("SELECT need FROM gaps ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("need");
        assert_eq!(stored, sneaky, "stored exactly as typed");
        let gaps_before = app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM gaps").await;

        // A megabyte in a free-text field: a clear message by the field, no 500, nothing saved.
        let form = gap(&huge);
        let fields: Vec<(&str, &str)> =
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app.post_js(&commissioner, "/api/gaps/save", &fields).await;
        assert_eq!(res.status, 400, "{}", &res.body[..res.body.len().min(300)]);
        assert!(
            res.body.contains("characters or fewer"),
            "{}",
            &res.body[..res.body.len().min(300)]
        );
        assert_eq!(
            app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM gaps").await,
            gaps_before
        );
        // And in the sign-in and search boxes.
        let res = app
            .post_js(
                &new_client(),
                "/api/account/sign_in",
                &[("email", huge.as_str()), ("password", huge.as_str())],
            )
            .await;
        assert!(res.status < 500, "sign-in: {}", res.status);
        let (status, _, _) = app
            .get(
                &commissioner,
                &format!("/audit-trail?record_id={}", &huge[..10_000]),
            )
            .await;
        assert!(status < 500, "audit filter: {status}");
        let (status, page, _) = app
            .get(
                &new_client(),
                &format!("/awards?year={}", urlencoding(sneaky)),
            )
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Register of awards"));
    }
);

fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

crate::both_backends!(
    a_bid_answer_is_text_in_a_colleagues_textarea,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let client = crate::bids::applicant(app, "owner@example.org", "Hostile Helpers CIC").await;
        let bid = crate::bids::start(app, &client).await;
        let custom: i64 = sqlx::query(
            "SELECT id FROM round_sections WHERE round_id = 1 AND kind = 'custom' ORDER BY position LIMIT 1",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
        let first: i64 = sqlx::query(
            "SELECT id FROM round_questions WHERE section_id = $1 ORDER BY position, id LIMIT 1",
        )
        .bind(custom)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
        let res = crate::bids::save(
            app,
            &client,
            bid,
            custom,
            "later",
            "",
            &[(format!("q{first}"), SCRIPT.to_string())],
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        let path = format!("/bids/{bid}/sections/{custom}");
        let (status, page, _) = app.get(&client, &path).await;
        assert_eq!(status, 200);
        inert(&path, &page);
        assert!(
            page.contains("&lt;/title&gt;&lt;/textarea&gt;&lt;script&gt;"),
            "the answer is back in its textarea, as text"
        );
    }
);
