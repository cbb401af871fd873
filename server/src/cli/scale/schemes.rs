//! Scale data: funded schemes after the award (accepted, first tranche paid, returns sent
//! and accepted).
use anyhow::anyhow;
use app::domain::monitoring::ReturnForm;
use app::domain::time::UtcTime;
use sqlx::AnyPool;

/// After an award: accepted, the first tranche evidenced and paid, every return sent with
/// figures that show the grant falling away, and accepted. Returns how many returns.
pub(super) async fn follow(
    pool: &AnyPool,
    bid: i64,
    owner: i64,
    actor: i64,
    n: usize,
) -> anyhow::Result<usize> {
    let now = app::db::now();
    let payer = crate::cli::demo::schemes::payer(pool).await?;
    let mut tx = pool.begin().await?;
    let scheme = app::db::schemes::of_bid(&mut tx, bid)
        .await?
        .ok_or_else(|| anyhow!("scheme of bid {bid} missing"))?;
    let round = app::db::schemes::get(&mut tx, scheme)
        .await?
        .ok_or_else(|| anyhow!("scheme {scheme} missing"))?
        .round_id;
    let fund_id = app::db::rounds::round(&mut tx, round)
        .await?
        .and_then(|r| r.fund_id)
        .ok_or_else(|| anyhow!("round {round} has no fund"))?;
    app::db::schemes::accept(&mut tx, scheme, owner, now).await?;
    let tranches = app::db::tranches::tranches(&mut tx, scheme).await?;
    if let Some(t) = tranches.first() {
        let (fund, people) = ((fund_id, round), (owner, actor, payer));
        crate::cli::demo::schemes::evidence_and_pay(
            &mut tx,
            t.id,
            fund,
            people,
            "Service launched.",
            "First tranche",
        )
        .await?;
    }
    let returns = app::db::returns::returns(&mut tx, scheme).await?;
    let measures = app::db::measures::measures(&mut tx, round).await?;
    let names: Vec<_> = measures
        .iter()
        .map(|m| (m.id, m.name.clone(), m.unit))
        .collect();
    for (i, r) in returns.iter().enumerate() {
        let mut form = ReturnForm {
            narrative: "The service ran as planned this quarter.".into(),
            ..ReturnForm::default()
        };
        let grant = 2_000i64
            .saturating_sub(i as i64 * 200 + (n % 5) as i64 * 50)
            .max(0);
        for (key, v) in [
            ("costs", 3_000),
            ("seed_grant", grant),
            ("charges", 800 + i as i64 * 150),
            ("donations", 200),
            ("in_kind", 0),
        ] {
            form.money.insert(key.into(), v.to_string());
        }
        for (id, _, _) in &names {
            form.measures
                .insert(id.to_string(), (20 + i + n % 7).to_string());
        }
        let content = form
            .parse(&names, true)
            .map_err(crate::cli::demo::common::fail)?;
        app::db::returns::save_return(&mut tx, r.id, &form, &content, true, owner, UtcTime::now())
            .await?;
        app::db::returns::review_return(&mut tx, r.id, true, "", actor, UtcTime::now()).await?;
    }
    tx.commit().await?;
    Ok(returns.len())
}
