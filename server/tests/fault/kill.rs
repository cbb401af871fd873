//! The real `seedbed` binary on SQLite (WAL), killed with SIGKILL in the middle of a burst
//! of bid saves and submissions and started again: every save and submission it
//! acknowledged is there, each answer with its own version and each sent bid with its
//! reference, time and audit entry (nothing half-written), and the database passes
//! `PRAGMA integrity_check`.
use crate::common::process::Instance;
use crate::common::*;
use sqlx::Row;

async fn sign_in(base: &str, email: &str) -> reqwest::Client {
    let client = new_client();
    let res = client
        .post(format!("{base}/api/account/sign_in"))
        .header("Accept", "text/html")
        .header("Referer", format!("{base}/account/sign-in"))
        .form(&[("email", email), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    client
}

/// Save the bid's first custom question as "save <n>" again and again until the server
/// stops answering: the last save it acknowledged (n, version after it).
async fn burst(
    client: reqwest::Client,
    base: String,
    bid: i64,
    section: i64,
    question: i64,
    mut version: i64,
) -> Option<(i64, i64)> {
    let mut acked = None;
    for n in 0.. {
        let answer = format!("save {n}");
        let form = [
            ("bid_id", bid.to_string()),
            ("section_id", section.to_string()),
            ("version", version.to_string()),
            ("then", "later".to_string()),
            ("completed", "no".to_string()),
            (&*format!("answer[q{question}]"), answer),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect::<Vec<_>>();
        match acknowledged(
            &client,
            &base,
            "save_section",
            &format!("/bids/{bid}/sections/{section}"),
            &form,
        )
        .await
        {
            Some(location) => {
                assert!(!location.contains("/sections/"), "refused: {location}");
                version += 1;
                acked = Some((n, version));
            }
            None => return acked,
        }
    }
    acked
}

/// Post a bid form as a browser without JavaScript does: the redirect's Location when the
/// server acknowledged it (302), none when the server was gone or refused.
async fn acknowledged(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    from: &str,
    form: &[(impl serde::Serialize, impl serde::Serialize)],
) -> Option<String> {
    let res = client
        .post(format!("{base}/api/bids/{endpoint}"))
        .header("Accept", "text/html")
        .header("Referer", format!("{base}{from}"))
        .form(form)
        .send()
        .await
        .ok()?;
    (res.status().as_u16() == 302).then(|| res.headers()["location"].to_str().unwrap().to_string())
}

/// Send each complete bid in turn (a quarter of a second apart) until the server stops
/// answering: the bids whose submission it acknowledged.
async fn send_each(client: reqwest::Client, base: String, bids: Vec<i64>) -> Vec<i64> {
    let mut acked = Vec::new();
    for bid in bids {
        let mut form = vec![("bid_id", bid.to_string())];
        form.extend(
            crate::bids::declarations()
                .into_iter()
                .map(|(k, v)| (k, v.to_string())),
        );
        match acknowledged(
            &client,
            &base,
            "submit",
            &format!("/bids/{bid}/check"),
            &form,
        )
        .await
        {
            Some(location) => {
                assert_eq!(location, format!("/bids/{bid}/confirmation"));
                acked.push(bid);
            }
            None => return acked,
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_a_sigkill() {
    let app = spawn_app(Backend::Sqlite).await;
    server::cli::demo::load(&app.pool).await.unwrap();
    // Two organisations, each with a chiropody bid (prepared through the in-process server).
    let mut bids = Vec::new();
    for (email, name) in [
        ("pat@example.org", "Pat's Feet CIC"),
        ("sam@example.org", "Sam's Toes CIC"),
    ] {
        let client = crate::bids::applicant(&app, email, name).await;
        bids.push((email, crate::bids::start(&app, &client).await));
    }
    let (section, question) = crate::bids::first_custom_question(&app).await;
    // A third member with ten organisations, each with a complete chiropody bid to send
    // during the burst.
    let sender = "kim@example.org";
    let kim = app.signed_in_as(sender, &[]).await;
    let mut to_send = Vec::new();
    for i in 0..10 {
        let name = format!("Kim's Care CIC {i}");
        let res = app
            .post_js(
                &kim,
                "/api/organisations/register",
                &crate::bids::cic(&name, sender),
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
        let org = crate::bids::org_id(&app, &name).await.to_string();
        let res = app
            .post_js(
                &kim,
                "/api/organisations/act_for",
                &[("organisation_id", &org)],
            )
            .await;
        assert!(res.status < 400, "{}", res.body);
        let bid = crate::bids::start(&app, &kim).await;
        crate::bids::complete_everything(&app, &kim, bid).await;
        to_send.push(bid);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = Instance::start(&app.database_url, dir.path(), &[]).await;

    // Both organisations save as fast as they can; the server is killed part-way.
    let mut loops = Vec::new();
    for (email, bid) in &bids {
        let client = sign_in(&child.base, email).await;
        loops.push(tokio::spawn(burst(
            client,
            child.base.clone(),
            *bid,
            section,
            question,
            0,
        )));
    }
    let sending = tokio::spawn(send_each(
        sign_in(&child.base, sender).await,
        child.base.clone(),
        to_send.clone(),
    ));
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    child.kill(); // SIGKILL
    let sent = sending.await.unwrap();
    assert!(
        !sent.is_empty(),
        "some submissions were acknowledged before the kill"
    );
    let mut acked = Vec::new();
    for l in loops {
        acked.push(
            l.await
                .unwrap()
                .expect("some saves were acknowledged before the kill"),
        );
    }

    // Started again on the same file.
    child.start_again().await;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    for ((email, bid), (n, version)) in bids.iter().zip(&acked) {
        let (text, stored_version) =
            crate::bids::stored_answer(&app, *bid, section, question).await;
        let saved: i64 = text.strip_prefix("save ").unwrap().parse().unwrap();
        assert!(
            stored_version >= *version && saved >= *n,
            "{email}: acknowledged save {n} (version {version}), found save {saved} (version {stored_version})"
        );
        assert_eq!(
            stored_version,
            saved + 1,
            "{email}: the answer and its version were written together"
        );
        // And the restarted server serves the bid.
        let client = sign_in(&child.base, email).await;
        let res = client
            .get(format!("{}/bids/{bid}", child.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
    assert!(
        acked.iter().all(|(n, _)| *n >= 2),
        "a real burst: {acked:?}"
    );
    // Every acknowledged submission is sent in full; any other bid is wholly sent or wholly
    // a draft: status, reference, time sent and audit entry are written together.
    for bid in &to_send {
        let row = sqlx::query(
            "SELECT status, reference, submitted_at,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log
                 WHERE action = 'bid.submitted' AND subject_id = $2) AS audited
             FROM bids WHERE id = $1",
        )
        .bind(bid)
        .bind(bid.to_string())
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let status: String = row.get("status");
        let reference: Option<String> = row.get("reference");
        let submitted_at: Option<String> = row.get("submitted_at");
        let audited: i64 = row.get("audited");
        let facts = format!("bid {bid}: {status} {reference:?} {submitted_at:?} audited {audited}");
        if sent.contains(bid) || status == "submitted" {
            assert!(
                status == "submitted"
                    && reference.is_some_and(|r| !r.is_empty())
                    && submitted_at.is_some()
                    && audited == 1,
                "acknowledged or sent, so sent in full: {facts}"
            );
        } else {
            assert!(
                status == "draft" && reference.is_none() && submitted_at.is_none() && audited == 0,
                "not sent, so nothing of the sending: {facts}"
            );
        }
    }
    app.cleanup().await;
}
