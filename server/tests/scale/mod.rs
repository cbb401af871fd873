//! The scale data (`seedbed demo --scale N`) at a small N: loaded through the domain paths,
//! so the pooled funds, rounds, schemes and their returns keep every invariant.
use crate::common::*;

crate::both_backends!(scale_data_keeps_every_invariant, async |app: &TestApp| {
    let scale = server::scale::Scale::times(0.02).unwrap();
    let loaded = server::scale::load(&app.pool, scale).await.unwrap();
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
        app.count("SELECT COUNT(*) FROM funds f WHERE f.committed_pence <> (SELECT COALESCE(SUM(amount_pence), 0) FROM fund_ledger l WHERE l.fund_id = f.id AND l.movement = 'commitment')").await,
        0,
        "the ledger's commitments equal each fund's committed"
    );
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
        server::demo::DEMO_PASSWORD,
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
    // Loading twice into one database is refused.
    let again = server::scale::load(&app.pool, scale).await;
    assert!(again.is_err());
});
