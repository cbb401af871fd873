//! The tranche schedule in a variation: a tranche is removed (its money released to the
//! fund it was charged to, as when a scheme ends) and one is added at the end (its money
//! committed against the year it is planned in, after the partners' sign-off, as any
//! variation that adds money); the books agree to the penny.
use super::{amount, tranches, vary};
use crate::both_backends;
use crate::common::*;
use crate::scheme_changes::{books_agree, statement_agrees};
use crate::schemes::{accept, awarded_scheme};
use chrono::Datelike;

async fn committed(app: &TestApp) -> i64 {
    app.count("SELECT CAST(COALESCE(SUM(committed_pence), 0) AS BIGINT) FROM funds")
        .await
}

async fn released(app: &TestApp, scheme: i64) -> i64 {
    app.count(&format!(
        "SELECT CAST(released_pence AS BIGINT) FROM schemes WHERE id = {scheme}"
    ))
    .await
}

both_backends!(
    a_variation_removes_a_tranche_and_adds_one_at_the_end,
    async |app: &TestApp| {
        let (scheme, commissioner, applicant) = awarded_scheme(app).await;
        accept(app, &applicant, scheme).await;
        // The partners' sign-off of the added money is tested in `sign_off`.
        without_sign_off(app).await;
        let t = tranches(app, scheme).await;
        let (t2, t3) = (t[1].0, t[2].0);
        let remove3 = format!("remove[t{t3}]");
        let before = committed(app).await;

        // A new tranche half filled in, and every tranche removed: each refused by its field.
        let remove2 = format!("remove[t{t2}]");
        let remove1 = format!("remove[t{}]", t[0].0);
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[
                (&remove1, "yes"),
                (&remove2, "yes"),
                (&remove3, "yes"),
                ("reason", "Stop"),
            ],
            true,
        )
        .await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(res.body.contains("end it instead"), "{}", res.body);
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[("new_amount", "2000"), ("reason", "More")],
            true,
        )
        .await;
        assert!(
            res.body.contains("Enter the new tranche") && res.body.contains("milestone"),
            "{}",
            res.body
        );
        assert_eq!(tranches(app, scheme).await.len(), 3);

        // Tranche 3 removed, a fourth added two months after it: tranche 3's £4,800 is
        // released (it stays in the award: paid, released and still to pay) and £6,000 more
        // is committed.
        let later = t[2].3 + chrono::Duration::days(60);
        let (day, month, year) = (
            later.day().to_string(),
            later.month().to_string(),
            later.year().to_string(),
        );
        let reason = "The clinic moves to a new venue; its last stage is replaced by a longer one";
        let res = vary(
            app,
            &commissioner,
            scheme,
            &[
                (&remove3, "yes"),
                ("new_amount", "6000"),
                ("new_due_day", &day),
                ("new_due_month", &month),
                ("new_due_year", &year),
                (
                    "new_milestone",
                    "Clinics running at the new venue for six months",
                ),
                ("reason", reason),
            ],
            false,
        )
        .await;
        assert!(res.status < 400, "{}", res.body);
        let after = tranches(app, scheme).await;
        assert_eq!(after.len(), 4);
        assert_eq!(after[3].1, 4);
        assert_eq!(after[3].2, 600_000);
        assert_eq!(after[3].3, later);
        let status: String = sqlx::query_scalar("SELECT status FROM tranches WHERE id = $1")
            .bind(t3)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(status, "released");
        assert_eq!(released(app, scheme).await, t[2].2);
        assert_eq!(amount(app, scheme).await, 2_400_000 + 600_000);
        assert_eq!(committed(app).await, before - t[2].2 + 600_000);
        books_agree(app).await;
        statement_agrees(app, &commissioner).await;
        let (_, body, _) = app.get(&applicant, &format!("/schemes/{scheme}")).await;
        assert!(
            body.contains("Tranche 3 removed: £4,800.00 released to the pooled fund"),
            "{body}"
        );
        assert!(
            body.contains("New tranche 4: £6,000.00 planned for"),
            "{body}"
        );
        let mail = app.last_mail_to("applicant@seedbed.test");
        assert!(mail.body.contains("New tranche 4"), "{}", mail.body);

        // The new tranche is varied like any other; the released one is gone from the form.
        let (_, body, _) = app
            .get(&commissioner, &format!("/schemes/{scheme}/variation"))
            .await;
        assert!(
            body.contains("Tranche 4") && !body.contains("Remove tranche 3"),
            "{body}"
        );
    }
);
