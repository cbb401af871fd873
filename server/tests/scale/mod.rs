//! The scale data (`seedbed demo --scale N`) at a small N: loaded through the domain paths,
//! so the pooled funds, rounds, schemes and their returns keep every invariant.
use crate::common::*;

crate::both_backends!(scale_data_keeps_every_invariant, async |app: &TestApp| {
    let scale = server::cli::scale::Scale::times(0.02).unwrap();
    let loaded = server::cli::scale::load(&app.pool, scale).await.unwrap();
    assert_eq!(loaded.bids, scale.rounds * scale.bids_per_round);
    assert_eq!(loaded.schemes, scale.schemes);
    assert_eq!(loaded.returns, scale.schemes * scale.returns_per_scheme);
    assert_eq!(loaded.organisations, scale.organisations);
    // Every fund: what is reserved and committed fits what the partners agreed, and the
    // ledger adds up to the fund's totals.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM funds WHERE reserved_pence + committed_pence > agreed_pence"
        )
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM funds f WHERE f.committed_pence <> (SELECT COALESCE(SUM(CASE WHEN l.movement IN ('commitment', 'commitment_brought_forward') THEN amount_pence ELSE -amount_pence END), 0)
            FROM fund_ledger l WHERE l.fund_id = f.id AND l.movement IN ('commitment', 'commitment_brought_forward', 'decommitment', 'repayment',
                'commitment_carried_forward', 'paid_in_earlier_year', 'award_reduced'))").await,
        0,
        "the ledger's commitments, less what was released, repaid or moved to another year, equal each fund's committed"
    );
    // Every fund, the schemes and the ledger agree (past years closed by their year-ends).
    crate::scheme_changes::books_agree(app).await;
    // Each scale round's awards fit its envelope; the newest is in assessment with every
    // bid scored by every assessor.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM rounds WHERE awarded_pence > envelope_pence")
            .await,
        0
    );
    let moderation = loaded.moderation_round;
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM bids WHERE round_id = {moderation} AND status = 'under_assessment'")).await,
        scale.bids_per_round as i64
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(DISTINCT s.user_id) FROM scores s JOIN bids b ON b.id = s.bid_id WHERE b.round_id = {moderation}")).await,
        scale.assessors as i64
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM returns r JOIN schemes s ON s.id = r.scheme_id JOIN organisations o ON o.id = s.organisation_id WHERE r.status = 'accepted' AND o.contact_email LIKE '%@scale.seedbed.test'").await,
        loaded.returns as i64,
        "every scale scheme's returns are sent and accepted"
    );
    // The pages the load benchmark drives answer with the data.
    let commissioner = new_client();
    app.sign_in(
        &commissioner,
        "commissioner@seedbed.test",
        server::cli::demo::DEMO_PASSWORD,
    )
    .await;
    let (status, body, _) = app
        .get(
            &commissioner,
            &format!("/fund/rounds/{moderation}/moderation"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Funding line"),
        "the moderation page ranks the bids"
    );
    let (status, body, _) = app.get(&commissioner, "/fund/schemes").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("scale data"),
        "the portfolio lists the scale schemes"
    );
    // The portfolio page pages the schemes and has the database sum them; its totals and
    // rows agree with the CSV, which works out every matching scheme in full.
    let (status, csv, _) = app.get(&commissioner, "/fund/schemes.csv").await;
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.len() > scale.schemes, "{}", rows.len());
    let pence = |column: usize| -> app::domain::money::Pence {
        let sum: rust_decimal::Decimal = rows
            .iter()
            .map(|r| r[column].parse::<rust_decimal::Decimal>().unwrap())
            .sum();
        app::domain::money::Pence(i64::try_from(sum * rust_decimal::Decimal::from(100)).unwrap())
    };
    let sustaining = rows.iter().filter(|r| &r[7] == "Self-sustaining").count();
    for (label, expected) in [
        // Net of what went back to the fund, as the ledger counts it.
        ("Committed", pence(12).display()),
        (
            "Paid",
            app::domain::money::Pence(pence(4).0 - pence(13).0).display(),
        ),
        ("Schemes self-sustaining", sustaining.to_string()),
        ("Estimated cost avoided", pence(11).display()),
    ] {
        assert_eq!(summary_value(&body, label), expected, "{label}");
    }
    let listed: Vec<String> = body
        .split("href=\"/schemes/")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    let in_csv: Vec<String> = rows.iter().take(50).map(|r| r[0].to_string()).collect();
    assert_eq!(
        listed, in_csv,
        "the first page lists the newest 50 schemes, as the CSV does"
    );
    let (_, sustaining_page, _) = app
        .get(&commissioner, "/fund/schemes?status=self_sustaining")
        .await;
    assert!(
        sustaining_page.contains(&format!("{sustaining} funded scheme")),
        "a status filter counts what the status rule says"
    );
    // The moderation ranking reads kept score totals: at scale they agree with the scores.
    assert_eq!(app.score_totals_out_of_step().await, 0);
    // Loading twice into one database is refused.
    let again = server::cli::scale::load(&app.pool, scale).await;
    assert!(again.is_err());
});

/// The value beside a label in a GOV.UK summary list.
pub(crate) fn summary_value(page: &str, label: &str) -> String {
    let at = page
        .find(&format!(">{label}<"))
        .unwrap_or_else(|| panic!("no {label}"));
    let rest = &page[at..];
    let value = &rest[rest.find("govuk-summary-list__value").unwrap()..];
    let start = value.find('>').unwrap() + 1;
    let end = start + value[start..].find('<').unwrap();
    value[start..end].trim().to_string()
}
