//! The pooled fund: set-up, the ledger, variations and the agreed-value invariant.
use super::common::*;
use crate::both_backends;
use app::domain::fund::FinancialYear;
use app::domain::money::Pence;

pub fn this_year() -> FinancialYear {
    FinancialYear::containing(
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::London)
            .date_naive(),
    )
}

/// A commissioner with the two demo partners and a fund of £250,000 for this year
/// (£150,000 from the council, £100,000 from the ICB).
pub async fn commissioner_with_fund(app: &TestApp) -> reqwest::Client {
    let client = app
        .signed_in_as("commissioner@example.org", &[Role::Commissioner])
        .await;
    for name in [
        "North East Lincolnshire Council",
        "NHS Humber and North Yorkshire ICB",
    ] {
        let res = app
            .post_form(
                &client,
                "/api/fund/add_partner",
                "/fund/partners",
                &[("name", name)],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/fund/partners"),
            "{}",
            res.body
        );
    }
    let year = this_year().0.to_string();
    let res = app
        .post_form(
            &client,
            "/api/fund/set_up",
            "/fund/pooled-funds/new",
            &[
                ("year", &year),
                ("agreed_value", "250,000"),
                ("contribution[1]", "150000"),
                ("contribution[2]", "£100,000.00"),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/fund/pooled-funds/{year}").as_str()),
        "{}",
        res.body
    );
    client
}

both_backends!(set_up_a_fund_and_vary_it, async |app: &TestApp| {
    // Nobody but a commissioner may touch the fund.
    let anonymous = new_client();
    let (status, _, location) = app.get(&anonymous, "/fund").await;
    assert_eq!(status, 302, "signed out: asked to sign in");
    assert!(location.unwrap_or_default().starts_with("/account/sign-in"));
    let assessor = app
        .signed_in_as("board@example.org", &[Role::BoardMember, Role::Admin])
        .await;
    let res = app
        .post_js(&assessor, "/api/fund/add_partner", &[("name", "Somebody")])
        .await;
    assert_eq!(res.status, 403);
    let (status, _, _) = app.get(&assessor, "/fund/pooled-funds/new").await;
    assert_eq!(status, 403);

    let client = app
        .signed_in_as("commissioner@example.org", &[Role::Commissioner])
        .await;
    for name in [
        "North East Lincolnshire Council",
        "NHS Humber and North Yorkshire ICB",
    ] {
        app.post_form(
            &client,
            "/api/fund/add_partner",
            "/fund/partners",
            &[("name", name)],
        )
        .await;
    }
    let res = app
        .post_form(
            &client,
            "/api/fund/add_partner",
            "/fund/partners",
            &[("name", " North East Lincolnshire Council ")],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/partners"));
    let (_, page, _) = app.get(&client, "/fund/partners").await;
    assert!(page.contains("A partner with this name already exists"));

    // Contributions that do not add up are refused; what was typed comes back.
    let year = this_year().0.to_string();
    let form = [
        ("year", year.as_str()),
        ("agreed_value", "250000"),
        ("contribution[1]", "150000"),
        ("contribution[2]", "90000"),
    ];
    let res = app
        .post_form(&client, "/api/fund/set_up", "/fund/pooled-funds/new", &form)
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/pooled-funds/new"));
    let (_, page, _) = app.get(&client, "/fund/pooled-funds/new").await;
    assert!(
        page.contains("contributions add up to £240,000.00"),
        "{page}"
    );
    assert!(page.contains("value=\"90000\""));
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM funds")
            .await,
        0
    );

    let res = app
        .post_js(
            &client,
            "/api/fund/set_up",
            &[
                ("year", &year),
                ("agreed_value", "ten"),
                ("contribution[1]", ""),
                ("contribution[2]", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert!(res
        .body
        .contains("The agreed value must be an amount in pounds"));
    assert!(res
        .body
        .contains("Enter North East Lincolnshire Council's contribution"));

    let form = [
        ("year", year.as_str()),
        ("agreed_value", "250000"),
        ("contribution[1]", "150000"),
        ("contribution[2]", "100000"),
    ];
    let res = app
        .post_form(&client, "/api/fund/set_up", "/fund/pooled-funds/new", &form)
        .await;
    let fund_page = format!("/fund/pooled-funds/{year}");
    assert_eq!(res.location.as_deref(), Some(fund_page.as_str()));
    let (status, page, _) = app.get(&client, &fund_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("£250,000.00"));
    assert!(page.contains("£150,000.00") && page.contains("£100,000.00"));

    // One fund per year.
    let res = app
        .post_form(&client, "/api/fund/set_up", "/fund/pooled-funds/new", &form)
        .await;
    assert_eq!(res.location.as_deref(), Some("/fund/pooled-funds/new"));

    // A variation is a new ledger entry with a reason, audited; nothing is edited.
    let variation = format!("{fund_page}/variation");
    let res = app
        .post_form(
            &client,
            "/api/fund/vary",
            &variation,
            &[
                ("year", &year),
                ("partner", "2"),
                ("direction", "increase"),
                ("amount", "20000.50"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some(variation.as_str()));
    let (_, page, _) = app.get(&client, &variation).await;
    assert!(page.contains("Enter the reason for the variation"));
    assert!(page.contains("value=\"20000.50\""));

    let res = app
        .post_form(
            &client,
            "/api/fund/vary",
            &variation,
            &[
                ("year", &year),
                ("partner", "2"),
                ("direction", "increase"),
                ("amount", "20000.50"),
                ("reason", "Winter pressures money agreed by the board"),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some(fund_page.as_str()));
    let (_, page, _) = app.get(&client, &fund_page).await;
    assert!(page.contains("Variation recorded. The agreed value is now £270,000.50"));
    assert!(page.contains("£120,000.50"));
    assert!(page.contains("Winter pressures money agreed by the board"));
    assert_eq!(
        app.count("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'fund.varied' AND before_summary = 'Agreed value £250,000.00' AND after_summary = 'Agreed value £270,000.50'").await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM fund_ledger WHERE movement = 'contribution'"
        )
        .await,
        3
    );

    // A decrease below the partner's contribution is refused and changes nothing.
    let res = app
        .post_js(
            &client,
            "/api/fund/vary",
            &[
                ("year", &year),
                ("partner", "2"),
                ("direction", "decrease"),
                ("amount", "130000"),
                ("reason", "Mistake"),
            ],
        )
        .await;
    assert_eq!(res.status, 400);
    assert!(
        res.body.contains("contribution cannot go below £0.00"),
        "{}",
        res.body
    );
    assert_eq!(
        app.count("SELECT CAST(agreed_pence AS BIGINT) FROM funds")
            .await,
        27_000_050
    );
});

both_backends!(
    reservations_never_exceed_the_agreed_value,
    async |app: &TestApp| {
        commissioner_with_fund(app).await;
        let fund = app::db::fund::fund_for_year(&app.pool, this_year())
            .await
            .unwrap()
            .unwrap();
        // 25 concurrent reservations of £12,000: only 20 fit in £250,000 (£240,000), exactly.
        let tasks: Vec<_> = (0..25)
            .map(|i| {
                let pool = app.pool.clone();
                tokio::spawn(async move {
                    let now = app::db::now();
                    let mut tx = pool.begin().await.unwrap();
                    let result = app::db::fund::reserve(
                        &mut tx,
                        fund.id,
                        Pence(1_200_000),
                        1000 + i,
                        "Round envelope",
                        1,
                        now,
                    )
                    .await;
                    match result {
                        Ok(()) => {
                            tx.commit().await.unwrap();
                            true
                        }
                        Err(app::db::fund::LedgerError::Refused(_)) => false,
                        Err(e) => panic!("{e}"),
                    }
                })
            })
            .collect();
        let mut granted = 0;
        for t in tasks {
            if t.await.unwrap() {
                granted += 1;
            }
        }
        assert_eq!(granted, 20);
        let fund = app::db::fund::fund_for_year(&app.pool, this_year())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(fund.reserved, Pence(24_000_000));
        // The ledger agrees with the guard, to the penny, and splits 60:40 between partners.
        let totals = app::db::fund::partner_totals(&app.pool, fund.id)
            .await
            .unwrap();
        assert_eq!(totals[0].1.reserved, Pence(14_400_000));
        assert_eq!(totals[1].1.reserved, Pence(9_600_000));
        assert_eq!(
            totals[0].1.uncommitted().0 + totals[1].1.uncommitted().0,
            1_000_000
        );
    }
);
