//! Tranches tied to outcomes: a commissioner names the measure and the figure a tranche's
//! milestone must reach; the evidence page shows the measure's reported figures, and
//! evidence is approved before the figure is reached only with a reason. The organisation's
//! members are emailed when a tranche is tied to an outcome or untied.
use super::{tranche_of, Loaded, TrancheError};
use crate::db;
use crate::db::measures::Reported;
use crate::db::tranches::TrancheRow;
use crate::domain::monitoring::{self as m, MeasureUnit, OutcomeForm};
use crate::service::schemes::{entry, independent, scheme_for, Need};
use crate::service::{Actor, Ctx, Done};
use sqlx::AnyConnection;

/// Where a tranche stands against its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeStatus {
    pub name: String,
    pub unit: MeasureUnit,
    pub target: i64,
    /// The measure's figures in the scheme's reported returns, oldest first.
    pub reported: Vec<Reported>,
    pub progress: Option<i64>,
    pub reached: bool,
}

impl OutcomeStatus {
    /// "Falls avoided: 40 in all".
    pub fn target_text(&self) -> String {
        m::target_text(&self.name, self.unit, self.target)
    }

    /// "12 so far, over every return sent".
    pub fn progress_text(&self) -> String {
        m::progress_text(self.unit, self.progress)
    }
}

/// The tranche's outcome and the figures it is judged on; `None` if it is tied to none.
/// `measures`: its round's (`db::measures::named`).
pub async fn outcome_status(
    conn: &mut AnyConnection,
    measures: &[(i64, String, MeasureUnit)],
    tranche: &TrancheRow,
) -> Result<Option<OutcomeStatus>, sqlx::Error> {
    let Some(outcome) = tranche.outcome() else {
        return Ok(None);
    };
    let Some((_, name, unit)) = measures.iter().find(|(id, _, _)| *id == outcome.measure_id) else {
        return Ok(None);
    };
    let (name, unit) = (name.clone(), *unit);
    let reported = db::measures::reported(conn, tranche.scheme_id, outcome.measure_id).await?;
    let values: Vec<i64> = reported.iter().map(|r| r.value).collect();
    Ok(Some(OutcomeStatus {
        name,
        unit,
        target: outcome.target,
        progress: m::outcome_progress(unit, &values),
        reached: m::outcome_reached(unit, &values, outcome.target),
        reported,
    }))
}

/// A commissioner (independent of the organisation) ties a tranche not yet approved to an
/// outcome, or unties it. The outcome is the notice.
pub async fn set_outcome(
    ctx: Ctx<'_>,
    actor: &Actor,
    scheme_id: i64,
    tranche_id: i64,
    form: &OutcomeForm,
) -> Result<Done<String>, TrancheError> {
    let scheme = scheme_for(ctx, actor, scheme_id, Need::Commissioner).await?;
    independent(ctx, actor, &scheme).await?;
    let Loaded { scheme, tranche } = tranche_of(ctx, scheme, tranche_id).await?;
    let mut conn = ctx.pool.acquire().await?;
    let measures = db::measures::named(&mut conn, scheme.round_id).await?;
    drop(conn);
    let outcome = form.parse(&measures).map_err(TrancheError::Invalid)?;
    // The update is the transaction's first statement (SQLite: a reading transaction
    // cannot become a writing one while another writes).
    let mut tx = ctx.pool.begin().await?;
    if !db::tranches::set_outcome(&mut tx, tranche_id, outcome).await? {
        return Err(TrancheError::OutcomeNotNow {
            position: tranche.position,
            status: tranche.status.label().to_lowercase(),
        });
    }
    let position = tranche.position;
    let described = outcome.and_then(|o| {
        let (_, name, unit) = measures.iter().find(|(id, _, _)| *id == o.measure_id)?;
        Some(m::target_text(name, *unit, o.target))
    });
    let (summary, notice) = match &described {
        Some(text) => (
            format!("Tranche {position} tied to an outcome: {text}"),
            format!("Tranche {position} is tied to an outcome: {text}"),
        ),
        None => (
            format!("Tranche {position} no longer tied to an outcome"),
            format!("Tranche {position} is no longer tied to an outcome"),
        ),
    };
    db::audit::record(
        &mut tx,
        entry(actor, &scheme, "tranche.outcome_set", summary),
    )
    .await?;
    tx.commit().await?;
    let link = crate::service::schemes::link(ctx, &scheme, &format!("/tranches/{tranche_id}"));
    let mail = crate::service::schemes::to_members(ctx, &scheme, |to, name| {
        crate::mail::tranche_outcome_set(
            to,
            name,
            &scheme.organisation_name,
            position,
            described.as_deref(),
            &link,
        )
    })
    .await?;
    Ok(Done {
        value: notice,
        mail,
    })
}
