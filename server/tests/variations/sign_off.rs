//! The partners' joint sign-off of a variation that adds money to an award: a commissioner's
//! approval waits for an approver of every partner (no money moves until the last approves);
//! a refusal leaves the award as it was and tells the organisation and the commissioner;
//! approvers answering at once apply it exactly once; only approvers answer.
use super::{amount, tranches, vary};
use crate::both_backends;
use crate::common::*;
use crate::scheme_changes::books_agree;
use crate::schemes::{accept, awarded_scheme, client_for};
use app::domain::roles::Role;

async fn committed(app: &TestApp) -> i64 {
    app.count("SELECT CAST(COALESCE(SUM(committed_pence), 0) AS BIGINT) FROM funds")
        .await
}

/// The newest variation to `scheme` and its status.
async fn newest(app: &TestApp, scheme: i64) -> (i64, String) {
    sqlx::query_as("SELECT id, status FROM variations WHERE scheme_id = $1 ORDER BY id DESC")
        .bind(scheme)
        .fetch_optional(&app.pool)
        .await
        .unwrap()
        .expect("a variation")
}

async fn answer(
    app: &TestApp,
    approver: &reqwest::Client,
    variation: i64,
    answer: &str,
    reason: &str,
) -> Posted {
    let v = variation.to_string();
    app.post_js(
        approver,
        "/api/sign-off/answer_variation",
        &[("variation_id", &v), ("answer", answer), ("reason", reason)],
    )
    .await
}

/// Happy Feet's award with its members' request for £800 more on tranche 2, approved by a
/// commissioner: (scheme, variation, commissioner, applicant, what the funds had committed
/// before the commissioner's approval).
async fn approved_increase(app: &TestApp) -> (i64, i64, reqwest::Client, reqwest::Client, i64) {
    let (scheme, commissioner, applicant) = awarded_scheme(app).await;
    accept(app, &applicant, scheme).await;
    let t = tranches(app, scheme).await;
    let a2 = format!("amount[t{}]", t[1].0);
    let change = [(a2.as_str(), "8000"), ("reason", "A second clinic opened")];
    let res = vary(app, &applicant, scheme, &change, false).await;
    assert!(res.status < 400, "{}", res.body);
    let (id, status) = newest(app, scheme).await;
    assert_eq!(status, "requested");
    let before = committed(app).await;
    let res = app
        .post_js(
            &commissioner,
            "/api/schemes/decide_variation",
            &[
                ("scheme_id", &scheme.to_string()),
                ("variation_id", &id.to_string()),
                ("decision", "approve"),
                ("note", "Worth it: the waiting list halves"),
            ],
        )
        .await;
    assert!(res.status < 400, "{}", res.body);
    (scheme, id, commissioner, applicant, before)
}

both_backends!(
    a_variation_adding_money_waits_for_every_partner,
    async |app: &TestApp| {
        let (scheme, id, commissioner, applicant, committed_before) = approved_increase(app).await;
        let award = 2_400_000;
        // Approved by a commissioner, but nothing moves yet.
        assert_eq!(newest(app, scheme).await.1, "awaiting_sign_off");
        assert_eq!(amount(app, scheme).await, award);
        assert_eq!(committed(app).await, committed_before);
        books_agree(app).await;
        let page = format!("/schemes/{scheme}");
        let (_, body, _) = app.get(&commissioner, &page).await;
        assert!(
            body.contains("Approved by a commissioner: awaiting the partners&#x27; sign-off")
                || body.contains("Approved by a commissioner: awaiting the partners' sign-off"),
            "{body}"
        );
        for email in ["director@seedbed.test", "icblead@seedbed.test"] {
            let mail = app.last_mail_to(email);
            assert_eq!(
                mail.subject,
                "A variation to Happy Feet Chiropody CIC's award awaits your sign-off"
            );
            assert!(
                mail.body.contains("from £24,000.00 to £24,800.00"),
                "{}",
                mail.body
            );
            assert!(mail.body.contains(&format!("/sign-off/variations/{id}")));
        }

        // Only partner approvers read and answer it.
        let director = client_for(app, "director@seedbed.test").await;
        let icb = client_for(app, "icblead@seedbed.test").await;
        let sign_off_page = format!("/sign-off/variations/{id}");
        let (status, _, _) = app.get(&commissioner, &sign_off_page).await;
        assert_eq!(status, 403);
        let (status, _, _) = app.get(&applicant, &sign_off_page).await;
        assert_eq!(status, 403);
        assert_eq!(
            answer(app, &commissioner, id, "approve", "").await.status,
            403
        );
        assert_eq!(answer(app, &applicant, id, "approve", "").await.status, 403);
        let (status, body, _) = app.get(&director, "/sign-off").await;
        assert_eq!(status, 200);
        assert!(
            body.contains("Variation to Happy Feet Chiropody CIC&#x27;s award")
                || body.contains("Variation to Happy Feet Chiropody CIC's award"),
            "{body}"
        );
        let (status, body, _) = app.get(&director, &sign_off_page).await;
        assert_eq!(status, 200);
        assert!(body.contains("Extra money to commit"), "{body}");
        assert!(body.contains("£800.00"), "{body}");
        assert!(body.contains("Tranche 2: £7,200.00 to £8,000.00"), "{body}");
        assert!(body.contains("Worth it: the waiting list halves"), "{body}");

        // A refusal needs its reason; an answer must be chosen.
        let res = answer(app, &director, id, "refuse", "").await;
        assert_eq!(res.status, 400);
        assert!(res.body.contains("Enter why you refuse"), "{}", res.body);
        let res = answer(app, &director, id, "", "").await;
        assert!(
            res.body.contains("Select approve or refuse"),
            "{}",
            res.body
        );

        // The council approves: still waiting for the ICB, still no money.
        let res = answer(app, &director, id, "approve", "").await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(newest(app, scheme).await.1, "awaiting_sign_off");
        assert_eq!(amount(app, scheme).await, award);
        let res = answer(app, &director, id, "approve", "").await;
        assert!(res.body.contains("has already answered"), "{}", res.body);
        let (_, body, _) = app.get(&director, &sign_off_page).await;
        assert!(
            body.contains("North East Lincolnshire Council: approved by"),
            "{body}"
        );

        // The ICB approves: applied, the money committed, the organisation told.
        let res = answer(app, &icb, id, "approve", "").await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(newest(app, scheme).await.1, "approved");
        assert_eq!(amount(app, scheme).await, award + 80_000);
        assert_eq!(committed(app).await, committed_before + 80_000);
        assert_eq!(tranches(app, scheme).await[1].2, 800_000);
        books_agree(app).await;
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC's award has been varied"
        );
        let res = answer(app, &icb, id, "approve", "").await;
        assert!(
            res.body.contains("no longer awaiting sign-off"),
            "{}",
            res.body
        );
        let audits = app
            .count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE subject_id = '{scheme}' AND action IN ('scheme.variation_recommended', 'scheme.variation_signed_off', 'scheme.varied')"))
            .await;
        assert_eq!(audits, 3, "recommended, the council's approval, applied");
    }
);

both_backends!(
    a_partner_refuses_a_variation_and_the_award_stays_as_it_was,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme).await;
        let before = committed(app).await;
        // A commissioner raises an increase directly: it waits for the partners too.
        let t = tranches(app, scheme).await;
        let a3 = format!("amount[t{}]", t[2].0);
        let change = [(a3.as_str(), "5800"), ("reason", "Home visits added")];
        let res = vary(app, &commissioner, scheme, &change, true).await;
        assert!(res.status < 400, "{}", res.body);
        let (id, status) = newest(app, scheme).await;
        assert_eq!(status, "awaiting_sign_off");
        assert_eq!(amount(app, scheme).await, 2_400_000);
        let icb = client_for(app, "icblead@seedbed.test").await;
        let reason = "The ICB funds home visits through its own contract";
        let res = answer(app, &icb, id, "refuse", reason).await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(newest(app, scheme).await.1, "refused");
        assert_eq!(amount(app, scheme).await, 2_400_000);
        assert_eq!(committed(app).await, before);
        books_agree(app).await;
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert_eq!(
            mail.subject,
            "Happy Feet Chiropody CIC's request to vary its award was refused"
        );
        assert!(mail.body.contains(reason), "{}", mail.body);
        let mail = app.last_mail_to("commissioner@seedbed.test");
        assert_eq!(
            mail.subject,
            "NHS Humber and North Yorkshire ICB refused the variation to Happy Feet Chiropody CIC's award"
        );
        let (_, body, _) = app.get(&applicant, &format!("/schemes/{scheme}")).await;
        assert!(body.contains(reason), "{body}");
        // Too late for the council to approve it.
        let director = client_for(app, "director@seedbed.test").await;
        let res = answer(app, &director, id, "approve", "").await;
        assert!(
            res.body.contains("no longer awaiting sign-off"),
            "{}",
            res.body
        );
        assert_eq!(amount(app, scheme).await, 2_400_000);
        // Less money needs no sign-off: applied at once.
        let change = [(a3.as_str(), "4000"), ("reason", "Fewer clinics")];
        let res = vary(app, &commissioner, scheme, &change, true).await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(newest(app, scheme).await.1, "approved");
        assert_eq!(amount(app, scheme).await, 2_320_000);
        books_agree(app).await;
    }
);

both_backends!(
    approvers_answering_at_once_apply_a_variation_exactly_once,
    async |app: &TestApp| {
        let (scheme, id, _, _, before) = approved_increase(app).await;
        let second = app
            .signed_in_as("second.icb@example.org", &[Role::PartnerApprover])
            .await;
        let icb_partner: i64 = app
            .count("SELECT CAST(MAX(id) AS BIGINT) FROM partners")
            .await;
        sqlx::query("UPDATE users SET approver_for = $1 WHERE email = 'second.icb@example.org'")
            .bind(icb_partner)
            .execute(&app.pool)
            .await
            .unwrap();
        let director = client_for(app, "director@seedbed.test").await;
        let icb = client_for(app, "icblead@seedbed.test").await;
        let (a, b, c) = tokio::join!(
            answer(app, &director, id, "approve", ""),
            answer(app, &icb, id, "approve", ""),
            answer(app, &second, id, "approve", ""),
        );
        let ok = [&a, &b, &c].iter().filter(|r| r.status < 400).count();
        assert_eq!(ok, 2, "one per partner: {} {} {}", a.body, b.body, c.body);
        assert_eq!(newest(app, scheme).await.1, "approved");
        assert_eq!(amount(app, scheme).await, 2_480_000);
        assert_eq!(committed(app).await, before + 80_000, "committed once");
        books_agree(app).await;
        let varied = app
            .mails()
            .iter()
            .filter(|m| m.to == "applicant@seedbed.test" && m.subject.contains("has been varied"))
            .count();
        assert_eq!(varied, 1, "the organisation is told once");
    }
);
