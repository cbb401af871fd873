//! Reports for commissioners: the pooled fund statement and its ledger (CSV), the round
//! report (page and CSV), the audit trail viewer (filters, paging, CSV), partners'
//! organisation identifiers; and who may see them.
use crate::both_backends;
use crate::common::*;
use crate::schemes::{awarded_scheme, client_for};
use sqlx::Row;
use std::collections::BTreeMap;

async fn csv_rows(client: &reqwest::Client, url: &str) -> (u16, Vec<Vec<String>>) {
    let res = client.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (status, rows)
}

both_backends!(
    the_fund_statement_and_ledger_download_match_the_ledger,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        // This year's fund: the one the demo's rounds draw on.
        let fund = sqlx::query("SELECT id, year FROM funds f WHERE EXISTS (SELECT 1 FROM rounds r WHERE r.fund_id = f.id) ORDER BY year DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let (fund_id, year): (i64, i64) = (fund.get("id"), fund.get("year"));
        let (status, page, _) = app
            .get(&commissioner, &format!("/fund/pooled-funds/{year}"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Pooled fund statement"));
        assert!(page.contains("Download money by partner (CSV)"));
        assert!(page.contains("Download every ledger entry (CSV)"));

        let (status, rows) = csv_rows(
            &commissioner,
            &app.url(&format!("/fund/pooled-funds/{year}/statement.csv")),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            rows[0],
            [
                "Financial year",
                "Partner",
                "Contributed (£)",
                "Reserved (£)",
                "Committed (£)",
                "Paid (£)",
                "Uncommitted (£)",
                "Released (£)",
                "Repaid (£)",
                "Brought forward (£)",
                "Carried forward (£)",
                "Returned to the partner (£)",
                "Repaid for earlier years (£)"
            ]
        );
        let totals = app::db::fund::partner_totals(&app.pool, fund_id)
            .await
            .unwrap();
        assert_eq!(
            rows.len(),
            totals.len() + 2,
            "a row per partner and a total"
        );
        let money = |p: app::domain::money::Pence| p.to_decimal().to_string();
        let mut sum = app::domain::fund::Totals::default();
        for ((partner, t), row) in totals.iter().zip(&rows[1..]) {
            assert_eq!(row[1], partner.name);
            assert_eq!(
                row[2..],
                [
                    money(t.contributed),
                    money(t.reserved),
                    money(t.committed),
                    money(t.paid),
                    money(t.uncommitted()),
                    money(t.released),
                    money(t.repaid),
                    money(t.brought_forward),
                    money(t.carried_forward),
                    money(t.returned),
                    money(t.recovered)
                ]
            );
            sum = sum.add(t);
        }
        let total = rows.last().unwrap();
        assert_eq!(total[1], "Total");
        assert_eq!(total[2], money(sum.contributed));
        assert_eq!(total[6], money(sum.uncommitted()));
        let agreed: i64 = sqlx::query("SELECT agreed_pence FROM funds WHERE id = $1")
            .bind(fund_id)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("agreed_pence");
        assert_eq!(
            sum.available().0,
            agreed,
            "contributions, with what came from last year and went on, make the agreed value"
        );

        // Every ledger entry, oldest first, adding up to the same totals.
        let (status, rows) = csv_rows(
            &commissioner,
            &app.url(&format!("/fund/pooled-funds/{year}/ledger.csv")),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            rows[0][..5],
            ["Entry", "When", "Partner", "Movement", "Amount (£)"]
        );
        let entries = app
            .count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM fund_ledger WHERE fund_id = {fund_id}"
            ))
            .await;
        assert_eq!(rows.len() as i64 - 1, entries);
        let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first");
        let mut by_movement: BTreeMap<String, rust_decimal::Decimal> = BTreeMap::new();
        for r in &rows[1..] {
            *by_movement.entry(r[3].clone()).or_default() +=
                r[4].parse::<rust_decimal::Decimal>().unwrap();
        }
        assert_eq!(
            by_movement["Contribution"].to_string(),
            money(sum.contributed)
        );
        assert!(rows[1..].iter().any(|r| !r[5].is_empty()), "round named");

        // Only commissioners; no fund, no statement.
        let applicant = client_for(app, "applicant@seedbed.test").await;
        for path in ["statement.csv", "ledger.csv"] {
            let url = app.url(&format!("/fund/pooled-funds/{year}/{path}"));
            let res = applicant.get(&url).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 403, "{path}");
            let res = new_client().get(&url).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 303, "signed out: sign in first");
        }
        let res = commissioner
            .get(app.url("/fund/pooled-funds/1999/statement.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
    }
);

both_backends!(
    the_round_report_counts_bids_money_and_scores,
    async |app: &TestApp| {
        // The pilot round: two bids of £24,000 sent, one awarded £24,000.
        let (scheme_id, commissioner, applicant) = awarded_scheme(app).await;
        let row = sqlx::query("SELECT round_id, bid_id FROM schemes WHERE id = $1")
            .bind(scheme_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        let (round_id, awarded_bid): (i64, i64) = (row.get("round_id"), row.get("bid_id"));
        let criteria: Vec<i64> =
            sqlx::query("SELECT id FROM round_criteria WHERE round_id = $1 ORDER BY position, id")
                .bind(round_id)
                .fetch_all(&app.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get("id"))
                .collect();
        assert!(criteria.len() >= 2);
        let assignments: Vec<(i64, i64)> = sqlx::query(
            "SELECT a.bid_id, a.user_id FROM assignments a JOIN bids b ON b.id = a.bid_id
             WHERE b.round_id = $1 ORDER BY a.bid_id, a.user_id",
        )
        .bind(round_id)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("bid_id"), r.get("user_id")))
        .collect();
        // Every assessor of the awarded bid scores and submits: the first criterion 4 from
        // everyone, the second 2, 5, 3, …; on the other bid one assessor declares a
        // conflict and one submits, so it is not fully scored while anyone else is left.
        let now = app::db::now();
        let mut conn = app.pool.acquire().await.unwrap();
        let mut first = Vec::new();
        let mut second = Vec::new();
        let mut other_bid_assessors = 0;
        for (k, (bid, user)) in assignments.iter().enumerate() {
            if *bid == awarded_bid {
                for (j, criterion) in criteria.iter().enumerate() {
                    let score = if j == 0 { 4 } else { [2, 5, 3][k % 3] };
                    if j == 0 {
                        first.push(score);
                    } else if j == 1 {
                        second.push(score);
                    }
                    app::db::assessment::save_score(
                        &mut conn,
                        *bid,
                        *user,
                        *criterion,
                        Some(score),
                        "Reasons",
                        now,
                    )
                    .await
                    .unwrap();
                }
                assert!(app::db::assessment::submit(&mut conn, *bid, *user, now)
                    .await
                    .unwrap());
            } else {
                other_bid_assessors += 1;
                if other_bid_assessors == 1 {
                    let conflict = app::domain::assessment::Declaration::Conflict {
                        nature: app::domain::assessment::ConflictNature::Other,
                        description: "Sits on its board".into(),
                    };
                    app::db::assessment::declare(&mut conn, *bid, *user, &conflict, None, "", now)
                        .await
                        .unwrap();
                } else if other_bid_assessors == 2 {
                    app::db::assessment::save_score(
                        &mut conn,
                        *bid,
                        *user,
                        criteria[0],
                        Some(1),
                        "Weak",
                        now,
                    )
                    .await
                    .unwrap();
                    app::db::assessment::submit(&mut conn, *bid, *user, now)
                        .await
                        .unwrap();
                    first.push(1);
                }
            }
        }
        drop(conn);
        assert!(
            other_bid_assessors >= 3,
            "someone on the other bid has not scored"
        );

        let (status, page, _) = app
            .get(&commissioner, &format!("/fund/rounds/{round_id}"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Round report: bids, money and scores"));
        let (status, page, _) = app
            .get(&commissioner, &format!("/fund/rounds/{round_id}/report"))
            .await;
        assert_eq!(status, 200);
        // The demo's pilot has three bids; the third's award is recommended, awaiting
        // sign-off, and is not counted as funded until it is made.
        assert!(page.contains("£72,000.00"), "requested by the three bids");
        let mean = |s: &[u32]| app::domain::assessment::mean(s).unwrap().to_string();
        assert!(page.contains(&format!(">{}<", mean(&first))));

        let (status, rows) = csv_rows(
            &commissioner,
            &app.url(&format!("/fund/rounds/{round_id}/report.csv")),
        )
        .await;
        assert_eq!(status, 200);
        let figures: BTreeMap<String, String> = rows
            .into_iter()
            .skip(1)
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        assert_eq!(figures["Bids received"], "3");
        assert_eq!(figures["Eligible (taken into assessment)"], "3");
        assert_eq!(figures["Scored by every assessor"], "1");
        assert_eq!(figures["Funded"], "1");
        assert_eq!(figures["Amount requested (£)"], "72000.00");
        assert_eq!(figures["Amount awarded (£)"], "24000.00");
        let names: Vec<String> = sqlx::query(
            "SELECT name FROM round_criteria WHERE round_id = $1 ORDER BY position, id",
        )
        .bind(round_id)
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("name"))
        .collect();
        assert_eq!(
            figures[&format!("{}: scores submitted", names[0])],
            first.len().to_string()
        );
        assert_eq!(figures[&format!("{}: mean score", names[0])], mean(&first));
        assert_eq!(figures[&format!("{}: mean score", names[1])], mean(&second));
        assert_eq!(figures[&format!("{}: lowest score", names[0])], "1");

        // Only commissioners; an unknown round is not found.
        let (status, _, _) = app
            .get(&applicant, &format!("/fund/rounds/{round_id}/report"))
            .await;
        assert_eq!(status, 403);
        let res = applicant
            .get(app.url(&format!("/fund/rounds/{round_id}/report.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        let (status, _, _) = app.get(&commissioner, "/fund/rounds/999999/report").await;
        assert_eq!(status, 404);
    }
);

both_backends!(
    the_audit_trail_filters_pages_and_downloads,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        // Awards made at once: the partners have not named approvers (board::… tests sign off).
        without_sign_off(app).await;
        // A longer history than one page: 60 more entries by Seedbed itself.
        let mut conn = app.pool.acquire().await.unwrap();
        for n in 0..60 {
            app::db::audit::record(
                &mut conn,
                app::db::audit::Entry {
                    actor: None,
                    action: "reminder.sent",
                    subject_type: "return",
                    subject_id: n.to_string(),
                    summary: format!("Reminder {n} sent"),
                    before: None,
                    after: None,
                },
            )
            .await
            .unwrap();
        }
        drop(conn);
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let (status, page, _) = app.get(&commissioner, "/fund").await;
        assert_eq!(status, 200);
        assert!(page.contains("Audit trail"));
        let (status, page, _) = app.get(&commissioner, "/audit-trail").await;
        assert_eq!(status, 200);
        assert!(page.contains("<h1 class=\"govuk-heading-l\">Audit trail</h1>"));
        let total = app
            .count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log")
            .await;
        assert!(total > 60);
        assert!(page.contains("The latest 50 entries"));
        assert!(page.contains("Older entries"));

        // By action: only those entries, and the CSV has exactly them.
        let expected = app
            .count(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'round.published'",
            )
            .await;
        assert!(expected >= 1);
        let (_, page, _) = app
            .get(&commissioner, "/audit-trail?action=round.published")
            .await;
        assert_eq!(
            page.matches(">Round published</td>").count() as i64,
            expected
        );
        let (status, rows) = csv_rows(
            &commissioner,
            &app.url("/audit-trail.csv?action=round.published"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            rows[0],
            ["Entry", "When", "Who", "Action", "Record", "Summary", "Before", "After"]
        );
        assert_eq!(rows.len() as i64 - 1, expected);
        assert!(rows[1..].iter().all(|r| r[3] == "Round published"));

        // By who and by record.
        let commissioner_id: i64 =
            sqlx::query("SELECT id FROM users WHERE email = 'commissioner@seedbed.test'")
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .get("id");
        let (_, rows) = csv_rows(
            &commissioner,
            &app.url(&format!("/audit-trail.csv?user={commissioner_id}")),
        )
        .await;
        let by_commissioner = app
            .count(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE actor_user_id = {commissioner_id}"
            ))
            .await;
        assert_eq!(rows.len() as i64 - 1, by_commissioner);
        assert!(rows[1..]
            .iter()
            .all(|r| r[2].contains("commissioner@seedbed.test")));
        let round_id: i64 = sqlx::query(
            "SELECT subject_id FROM audit_log WHERE subject_type = 'round' ORDER BY id LIMIT 1",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get::<String, _>("subject_id")
        .parse()
        .unwrap();
        let (_, page, _) = app
            .get(
                &commissioner,
                &format!("/audit-trail?record=round&record_id={round_id}"),
            )
            .await;
        assert!(page.contains(&format!(">Round {round_id}</td>")));
        let (_, rows) = csv_rows(
            &commissioner,
            &app.url(&format!(
                "/audit-trail.csv?record=round&record_id={round_id}"
            )),
        )
        .await;
        assert!(rows.len() > 1);
        assert!(
            rows[1..]
                .iter()
                .all(|r| r[4] == format!("Round {round_id}")),
            "only that record"
        );

        // Dates: tomorrow onwards matches nothing; today matches everything so far.
        let today = app::domain::date::uk_date(chrono::Utc::now());
        let tomorrow = today.succ_opt().unwrap();
        let day = |name: &str, d: chrono::NaiveDate| {
            use chrono::Datelike;
            format!(
                "{name}_day={}&{name}_month={}&{name}_year={}",
                d.day(),
                d.month(),
                d.year()
            )
        };
        let url = app.url(&format!("/audit-trail.csv?{}", day("from", tomorrow)));
        let (_, rows) = csv_rows(&commissioner, &url).await;
        assert_eq!(rows.len(), 1, "only the header");
        let url = app.url(&format!("/audit-trail.csv?{}", day("to", today)));
        let (_, rows) = csv_rows(&commissioner, &url).await;
        assert_eq!(rows.len() as i64 - 1, total);

        // Bad input: a message next to the field, the typed values kept, no entries.
        let (status, page, _) = app
            .get(
                &commissioner,
                "/audit-trail?from_day=31&from_month=2&from_year=2026&record_id=abc&action=bid.decided",
            )
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("<title>Error: Audit trail"));
        assert!(page.contains("The from date must be a real date"));
        assert!(page.contains("Record number must be a whole number, like 42"));
        assert!(page.contains("value=\"31\""));
        assert!(page.contains("value=\"abc\""));
        assert!(!page.contains("Download every matching entry"));
        let res = commissioner
            .get(app.url("/audit-trail.csv?from_day=31&from_month=2&from_year=2026"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400);

        // Keyset paging: the next page holds the next 50, older, none repeated.
        let first: Vec<i64> = sqlx::query("SELECT id FROM audit_log ORDER BY id DESC LIMIT 51")
            .fetch_all(&app.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("id"))
            .collect();
        let res = app
            .post_js(
                &commissioner,
                "/api/reports/audit",
                &[("before", &first[49].to_string())],
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let data: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(
            data["items"][0]["id"], first[50],
            "page two starts where one ended"
        );
        assert_eq!(
            data["items"].as_array().unwrap().len() as i64,
            (total - 50).min(50)
        );

        // Read-only, and only for commissioners and admins.
        let admin = app
            .signed_in_as("auditor@example.org", &[app::domain::roles::Role::Admin])
            .await;
        let (status, _, _) = app.get(&admin, "/audit-trail").await;
        assert_eq!(status, 200);
        let board = client_for(app, "board@seedbed.test").await;
        let (status, _, _) = app.get(&board, "/audit-trail").await;
        assert_eq!(status, 403);
        let res = board.get(app.url("/audit-trail.csv")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
        let applicant = client_for(app, "applicant@seedbed.test").await;
        let (status, _, _) = app.get(&applicant, "/audit-trail").await;
        assert_eq!(status, 403);
        let (status, _, location) = app.get(&new_client(), "/audit-trail.csv").await;
        assert_eq!(status, 303);
        assert!(location.unwrap().starts_with("/account/sign-in"));
    }
);

both_backends!(
    a_partners_identifier_is_checked_audited_and_published,
    async |app: &TestApp| {
        server::cli::demo::load(&app.pool).await.unwrap();
        let commissioner = client_for(app, "commissioner@seedbed.test").await;
        let partner =
            sqlx::query("SELECT id, name, org_identifier FROM partners ORDER BY id LIMIT 1")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        let (id, name, before): (i64, String, String) = (
            partner.get("id"),
            partner.get("name"),
            partner.get("org_identifier"),
        );
        let (_, page, _) = app.get(&commissioner, "/fund/partners").await;
        assert!(
            page.contains(&before),
            "each partner's identifier is listed"
        );
        assert!(page.contains(&format!(" the organisation identifier of {name}")));
        let form_page = format!("/fund/partners/{id}");
        let (status, page, _) = app.get(&commissioner, &form_page).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("value=\"{before}\"")));

        let res = app
            .post_form(
                &commissioner,
                "/api/fund/partner_identifier",
                &form_page,
                &[("id", &id.to_string()), ("org_identifier", "gb lae nel")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some(form_page.as_str()));
        let (_, page, _) = app.get(&commissioner, &form_page).await;
        assert!(page.contains("Enter the identifier in the format GB-LAE-NEL"));
        assert!(
            page.contains("value=\"gb lae nel\""),
            "what was typed is kept"
        );
        let res = app
            .post_js(
                &commissioner,
                "/api/fund/partner_identifier",
                &[("id", &id.to_string()), ("org_identifier", "")],
            )
            .await;
        assert!(res.body.contains("Enter the organisation identifier"));

        let applicant = client_for(app, "applicant@seedbed.test").await;
        let res = app
            .post_js(
                &applicant,
                "/api/fund/partner_identifier",
                &[("id", &id.to_string()), ("org_identifier", "GB-LAE-XYZ")],
            )
            .await;
        assert_eq!(res.status, 403);

        let res = app
            .post_form(
                &commissioner,
                "/api/fund/partner_identifier",
                &form_page,
                &[("id", &id.to_string()), ("org_identifier", " GB-LAE-ABC ")],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/fund/partners"));
        let package: serde_json::Value = new_client()
            .get(app.url("/open-data/360giving.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let funders = &package["grants"][0]["fundingOrganization"];
        assert!(funders
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "GB-LAE-ABC" && f["name"] == name.as_str()));
        let (_, rows) = csv_rows(
            &commissioner,
            &app.url(&format!(
                "/audit-trail.csv?record=partner&record_id={id}&action=partner.identifier_changed"
            )),
        )
        .await;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][6..], [before, "GB-LAE-ABC".to_string()]);
        let res = app
            .post_js(
                &commissioner,
                "/api/fund/partner_identifier",
                &[("id", "999999"), ("org_identifier", "GB-LAE-ABC")],
            )
            .await;
        assert_eq!(res.status, 404);
    }
);
