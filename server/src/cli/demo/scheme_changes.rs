//! The demo's schemes that do not run as planned: Befriend Grimsby's payments suspended
//! while a support plan runs, and Step Forward Chiropody asked to repay money. Each goes
//! through the use case a commissioner's form calls (their letters are not sent).
use anyhow::anyhow;
use chrono::{Datelike, Months, NaiveDate};
use sqlx::AnyPool;

/// The demo commissioner, as the service layer sees a signed-in person.
pub(super) async fn as_actor(pool: &AnyPool, actor: i64) -> anyhow::Result<app::service::Actor> {
    let (user, roles) = app::db::users::by_id_with_roles(pool, actor)
        .await?
        .ok_or_else(|| anyhow!("demo commissioner missing"))?;
    Ok(app::service::Actor {
        id: user.id,
        full_name: user.full_name,
        email: user.email,
        roles,
    })
}

async fn scheme_of(pool: &AnyPool, organisation: &str) -> anyhow::Result<i64> {
    let id = sqlx::query_scalar(
        "SELECT s.id FROM schemes s JOIN organisations o ON o.id = s.organisation_id WHERE o.name = $1",
    )
    .bind(organisation)
    .fetch_one(pool)
    .await?;
    Ok(id)
}

/// Step Forward Chiropody sold a foot-care chair the seed grant bought when its clinic
/// moved: it is asked to repay £1,200 within two months and has repaid £400 so far.
pub(super) async fn claw_back_chiropody(
    pool: &AnyPool,
    actor: i64,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let scheme = scheme_of(pool, "Step Forward Chiropody CIC").await?;
    let commissioner = as_actor(pool, actor).await?;
    let state = super::common::offline_state(pool);
    let due = today.checked_add_months(Months::new(2)).unwrap_or(today);
    let form = app::domain::monitoring::ClawbackForm {
        amount: "1200".into(),
        reason: "A foot-care chair bought with the seed grant was sold for £1,200 when the clinic moved; equipment the grant paid for must be used for the service or its value repaid.".into(),
        due_day: due.day().to_string(),
        due_month: due.month().to_string(),
        due_year: due.year().to_string(),
    };
    let ctx = state.ctx();
    let asked = app::service::schemes::raise_clawback(ctx, &commissioner, scheme, &form)
        .await
        .map_err(|e| anyhow!("demo clawback refused: {e}"))?;
    let repayment = app::domain::monitoring::RepaymentForm {
        amount: "400".into(),
        reference: "REC-SFC-001".into(),
        received_day: today.day().to_string(),
        received_month: today.month().to_string(),
        received_year: today.year().to_string(),
    };
    app::service::schemes::record_repayment(ctx, &commissioner, scheme, asked.value, &repayment)
        .await
        .map_err(|e| anyhow!("demo repayment refused: {e}"))?;
    Ok(())
}

/// Befriend Grimsby is behind its plan: its payments are suspended while a support plan
/// runs, through the same use case a commissioner's form calls (its letters are not sent).
pub(super) async fn suspend_befriending(
    pool: &AnyPool,
    actor: i64,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let scheme = scheme_of(pool, "Befriend Grimsby").await?;
    let commissioner = as_actor(pool, actor).await?;
    let review = today.checked_add_months(Months::new(2)).unwrap_or(today);
    let form = app::domain::monitoring::SuspensionForm {
        reason: "Charges and donations are well behind the plan and the volunteer coordinator has left; the last two returns show dependency above plan.".into(),
        plan: "The support organisation's adviser meets the trustees every fortnight to recruit a new coordinator and set up a donations page; the next two returns are reviewed together.".into(),
        review_day: review.day().to_string(),
        review_month: review.month().to_string(),
        review_year: review.year().to_string(),
    };
    let state = super::common::offline_state(pool);
    app::service::schemes::suspend(state.ctx(), &commissioner, scheme, &form)
        .await
        .map_err(|e| anyhow!("demo suspension refused: {e}"))?;
    Ok(())
}

/// Pay for outcomes: the meals scheme's second tranche waits for 6,000 meals in all (its
/// returns report 6,150: reached); Befriend Grimsby's for 120 people supported (95 so far).
pub(super) async fn tie_outcomes(pool: &AnyPool, actor: i64) -> anyhow::Result<()> {
    let commissioner = as_actor(pool, actor).await?;
    let state = super::common::offline_state(pool);
    for (organisation, measure, target) in [
        ("St Mary's Church Meals and More", "Meals delivered", "6000"),
        ("Befriend Grimsby", "People supported", "120"),
    ] {
        let scheme = scheme_of(pool, organisation).await?;
        let (tranche, measure_id): (i64, i64) = sqlx::query_as(
            "SELECT t.id, m.id FROM tranches t JOIN schemes s ON s.id = t.scheme_id
             JOIN round_measures m ON m.round_id = s.round_id AND m.name = $2
             WHERE t.scheme_id = $1 AND t.position = 2",
        )
        .bind(scheme)
        .bind(measure)
        .fetch_one(pool)
        .await?;
        let form = app::domain::monitoring::OutcomeForm {
            measure_id: measure_id.to_string(),
            target: target.into(),
        };
        app::service::tranches::set_outcome(state.ctx(), &commissioner, scheme, tranche, &form)
            .await
            .map_err(|e| anyhow!("demo outcome refused: {e}"))?;
    }
    Ok(())
}

/// St Mary's asked to add a Saturday lunch: its last tranche goes up by £1,500 with a new
/// milestone, and a commissioner approved it (money committed against that tranche's year),
/// before the partners named their approvers.
pub(super) async fn vary_meals(pool: &AnyPool, actor: i64) -> anyhow::Result<()> {
    let ask = More {
        organisation: "St Mary's Church Meals and More",
        member: "meals@seedbed.test",
        extra: 150_000,
        milestone: "A Saturday lunch running alongside the weekday meals, with its own volunteers",
        reason: "Thirty people on the waiting list asked for a weekend meal; the church hall is free on Saturdays and six new volunteers have offered to cook.",
    };
    let (scheme, asked) = ask_for_more(pool, &ask).await?;
    let commissioner = as_actor(pool, actor).await?;
    let ctx = super::common::offline_state(pool);
    app::service::schemes::decide_variation(ctx.ctx(), &commissioner, (scheme, asked), true, "")
        .await
        .map_err(|e| anyhow!("demo variation approval refused: {e}"))?;
    Ok(())
}

/// Once the partners sign off: St Mary's asked for £600 more for its last tranche (a second
/// freezer for the Saturday meals), a commissioner approved it, and the council's approver
/// signed it off; it awaits the ICB's approver.
pub(super) async fn vary_meals_again(pool: &AnyPool, actor: i64) -> anyhow::Result<()> {
    let ask = More {
        organisation: "St Mary's Church Meals and More",
        member: "meals@seedbed.test",
        extra: 60_000,
        milestone: "Saturday lunches running, and frozen meals delivered to people who cannot come",
        reason: "Our freezer cannot hold the Saturday meals as well as the weekday ones. A second freezer lets us cook ahead and deliver frozen meals to the eleven people on our list who cannot come to the hall.",
    };
    let (scheme, asked) = ask_for_more(pool, &ask).await?;
    let commissioner = as_actor(pool, actor).await?;
    let state = super::common::offline_state(pool);
    let ctx = state.ctx();
    let note =
        "Approved: it reaches people who would otherwise go without a hot meal at the weekend.";
    app::service::schemes::decide_variation(ctx, &commissioner, (scheme, asked), true, note)
        .await
        .map_err(|e| anyhow!("demo variation approval refused: {e}"))?;
    let director = app::db::users::by_email(pool, "director@seedbed.test")
        .await?
        .ok_or_else(|| anyhow!("demo account director@seedbed.test is missing"))?;
    let director = as_actor(pool, director.id).await?;
    app::service::schemes::answer_variation(ctx, &director, asked, ("approve", ""))
        .await
        .map_err(|e| anyhow!("demo variation sign-off refused: {e}"))?;
    Ok(())
}

/// A member asks for more money for their scheme's last variable tranche.
struct More {
    organisation: &'static str,
    member: &'static str,
    extra: i64,
    milestone: &'static str,
    reason: &'static str,
}

/// The request (scheme, variation).
async fn ask_for_more(pool: &AnyPool, ask: &More) -> anyhow::Result<(i64, i64)> {
    let scheme = scheme_of(pool, ask.organisation).await?;
    let owner = app::db::users::by_email(pool, ask.member)
        .await?
        .ok_or_else(|| anyhow!("demo account {} is missing", ask.member))?;
    let member = as_actor(pool, owner.id).await?;
    let state = super::common::offline_state(pool);
    let mut conn = pool.acquire().await?;
    let tranches: Vec<app::domain::monitoring::VariableTranche> =
        app::db::variations::variable_tranches(&mut conn, scheme)
            .await?
            .into_iter()
            .map(|(t, _)| t)
            .collect();
    let conditions: String = sqlx::query_scalar("SELECT conditions FROM schemes WHERE id = $1")
        .bind(scheme)
        .fetch_one(&mut *conn)
        .await?;
    drop(conn);
    let last = tranches
        .last()
        .ok_or_else(|| anyhow!("{} has no tranche left to vary", ask.organisation))?;
    let mut form = app::domain::monitoring::AwardVariationForm::from_award(&tranches, &conditions);
    let id = app::domain::monitoring::tranche_key(last.id);
    form.amount.insert(
        id.clone(),
        app::domain::money::Pence(last.amount.0 + ask.extra)
            .to_decimal()
            .to_string(),
    );
    form.milestone.insert(id, ask.milestone.into());
    form.reason = ask.reason.into();
    let asked = app::service::schemes::request_variation(state.ctx(), &member, scheme, &form)
        .await
        .map_err(|e| anyhow!("demo variation request refused: {e:?}"))?;
    Ok((scheme, asked.value))
}
