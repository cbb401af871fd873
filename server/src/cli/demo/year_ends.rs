//! The demo's past financial years, closed by their year-ends as a commissioner runs them:
//! each history round's unawarded money released, what each year committed and did not pay
//! carried forward, the council's underspend carried forward and the ICB's returned.
use anyhow::anyhow;
use app::domain::fund::FinancialYear;
use sqlx::AnyPool;

pub(super) async fn load(pool: &AnyPool, actor: i64) -> anyhow::Result<()> {
    let state = super::common::offline_state(pool);
    let ctx = state.ctx();
    let commissioner = super::scheme_changes::as_actor(pool, actor).await?;
    let this_year = FinancialYear::containing(app::domain::date::uk_date(chrono::Utc::now()));
    let mut years: Vec<app::db::fund::FundRow> = app::db::fund::funds(pool)
        .await?
        .into_iter()
        .filter(|f| f.year < this_year && f.closed_at.is_none())
        .collect();
    years.sort_by_key(|f| f.year);
    let partners = app::db::fund::partners(pool).await?;
    for fund in years {
        let rounds: Vec<i64> = sqlx::query_scalar("SELECT id FROM rounds WHERE fund_id = $1")
            .bind(fund.id)
            .fetch_all(pool)
            .await?;
        for round in rounds {
            app::service::decisions::release_unawarded(ctx, actor, round)
                .await
                .map_err(|e| anyhow!("releasing a history round's money: {e}"))?;
        }
        let mut form = app::service::fund::YearEndForm::default();
        for (i, partner) in partners.iter().enumerate() {
            let (choice, reason) = if i == 0 {
                ("carry_forward", "The council's cabinet agreed to keep its underspend in the pooled fund for next year's seed funding (partnership board, April).")
            } else {
                ("return", "The ICB's year-end financial position needed its underspend back, as the Section 75 agreement allows (partnership board, April).")
            };
            let id = partner.id.to_string();
            form.choice.insert(id.clone(), choice.into());
            form.reason.insert(id, reason.into());
        }
        app::service::fund::run_year_end(ctx, &commissioner, fund.year, &form)
            .await
            .map_err(|e| anyhow!("the {} year-end: {e}", fund.year.label()))?;
    }
    Ok(())
}
