//! Variations under concurrency: two commissioners varying one award at once, and a
//! variation racing the scheme's ending and a payment. Whatever the order, the ledger, the
//! funds and the schemes agree to the penny and nothing applies on a closed scheme.
use super::{amount, tranches, vary};
use crate::both_backends;
use crate::common::*;
use crate::scheme_changes::books_agree;
use crate::schemes::{accept, awarded_scheme, client_for, review, send_evidence};

both_backends!(
    variations_racing_each_other_and_an_ending_agree_to_the_penny,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme).await;
        without_sign_off(app).await;
        let icb = client_for(app, server::cli::demo::PAYER_EMAIL).await;
        let t = tranches(app, scheme).await;
        let (a2, a3) = (
            format!("amount[t{}]", t[1].0),
            format!("amount[t{}]", t[2].0),
        );
        // Two commissioners change the award's amount at once, each from the page as it
        // was: one applies, the other is refused; never both, never half.
        let up = [(a2.as_str(), "8000"), ("reason", "More clinics")];
        let down = [(a3.as_str(), "4000"), ("reason", "Fewer home visits")];
        let (x, y) = tokio::join!(
            vary(app, &commissioner, scheme, &up, true),
            vary(app, &icb, scheme, &down, true),
        );
        assert!(x.status < 500 && y.status < 500, "{} {}", x.body, y.body);
        // A refusal keeps the form (its status is not the measure): count what was kept.
        let applied = app
            .count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM variations WHERE scheme_id = {scheme} AND status = 'approved'"))
            .await;
        let now = amount(app, scheme).await;
        let after = tranches(app, scheme).await;
        // Each form was filled in from the award as it was: the second to arrive is refused
        // (its page showed the award before the first), so nothing is undone.
        assert_eq!(applied, 1, "{} {}", x.body, y.body);
        assert!(
            (now == 2_480_000 && after[1].2 == 800_000 && after[2].2 == 480_000)
                || (now == 2_320_000 && after[1].2 == 720_000 && after[2].2 == 400_000),
            "one variation, whole: {now} {after:?}"
        );
        // Refused before its transaction (the page showed the award before the other) or
        // inside it (the award changed under it): either way, it says so.
        let refused = if x.body.contains("has changed since") {
            &x
        } else {
            &y
        };
        assert!(
            refused.body.contains("The award has changed since"),
            "{}",
            refused.body
        );
        books_agree(app).await;

        // A variation racing the ending and a payment of an approved tranche.
        send_evidence(app, &applicant, scheme, t[0].0, "Clinic open").await;
        review(app, &commissioner, scheme, t[0].0, "approve", "").await;
        let s = scheme.to_string();
        let ending = [
            ("scheme_id", s.as_str()),
            ("reason", "The CIC has closed"),
            ("confirm", "confirm"),
        ];
        let first = t[0].0.to_string();
        let date = paid_today();
        let mut payment = vec![
            ("scheme_id", s.as_str()),
            ("tranche_id", first.as_str()),
            ("reference", "BACS-77"),
        ];
        payment.extend(date.iter().map(|(k, v)| (*k, v.as_str())));
        let more = [(a3.as_str(), "7000"), ("reason", "Winter clinics")];
        let (e, p, v) = tokio::join!(
            app.post_js(&commissioner, "/api/schemes/end", &ending),
            app.post_js(&icb, "/api/schemes/record_payment", &payment),
            vary(app, &commissioner, scheme, &more, true),
        );
        for r in [&e, &p, &v] {
            assert!(r.status < 500, "{} {}", r.status, r.body);
        }
        let status: String = sqlx::query_scalar("SELECT status FROM schemes WHERE id = $1")
            .bind(scheme)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(status, "closed");
        // Nothing unpaid is left on the closed scheme, whichever came first.
        let unpaid = app
            .count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM tranches WHERE scheme_id = {scheme} AND status IN ('due', 'evidence_submitted', 'returned')"))
            .await;
        assert_eq!(unpaid, 0);
        books_agree(app).await;
        // Once closed, no variation applies.
        let res = vary(app, &commissioner, scheme, &more, true).await;
        assert!(
            res.status >= 400 && res.body.contains("closed"),
            "{}",
            res.body
        );
    }
);

both_backends!(
    a_variation_sent_from_a_page_opened_before_another_change_is_refused,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme).await;
        without_sign_off(app).await;
        // The organisation opens the variation page; meanwhile a commissioner varies the award.
        let (_, page, _) = app
            .get(&applicant, &format!("/schemes/{scheme}/variation"))
            .await;
        let shown = page
            .split("name=\"based_on\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page says which award it shows")
            .to_string();
        let t = tranches(app, scheme).await;
        let a3 = format!("amount[t{}]", t[2].0);
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[(&a3, "4000"), ("reason", "Less")],
            true,
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        // The organisation's form still says tranche 3 is £4,800: sent as it was, refused.
        let m2 = format!("milestone[t{}]", t[1].0);
        let stale = [
            (a3.as_str(), "4800"),
            (m2.as_str(), "Two clinics running"),
            ("reason", "A second clinic"),
            ("based_on", shown.as_str()),
        ];
        let res = vary(app, &applicant, scheme, &stale, false).await;
        assert!(
            res.body
                .contains("The award has changed since you opened this page")
                || res.location.is_some(),
            "{}",
            res.body
        );
        assert_eq!(
            app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM variations WHERE scheme_id = {scheme} AND status = 'requested'")).await,
            0,
            "nothing asked for from a stale page"
        );
        assert_eq!(amount(app, scheme).await, 2_320_000);
        // The page, opened again, shows the award as it is: sent from it, the request is kept.
        let res = vary(app, &applicant, scheme, &stale[1..3], false).await;
        assert!(res.status < 400, "{}", res.body);
        assert_eq!(
            app.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM variations WHERE scheme_id = {scheme} AND status = 'requested'")).await,
            1
        );
    }
);
