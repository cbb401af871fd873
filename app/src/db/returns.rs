//! Monitoring returns: the schedule's rows, saving and sending, review, what the portfolio
//! reads of them, and the reminder claims. State changes are conditional on the status.
use crate::domain::money::Pence;
use crate::domain::monitoring::{Figures, ReturnContent, ReturnForm, ReturnStatus};
use sqlx::{AnyConnection, AnyPool, Row};

use super::{date_from_db as date, date_to_db as day, decode_error as decode};

#[derive(Debug, Clone)]
pub struct ReturnRow {
    pub id: i64,
    pub scheme_id: i64,
    pub position: u32,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    pub due_on: chrono::NaiveDate,
    pub status: ReturnStatus,
    pub figures: Figures,
    pub typed: ReturnForm,
    pub narrative: String,
    pub risks: String,
    pub saved_by: Option<String>,
    pub saved_at: Option<String>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<String>,
    pub review_comment: String,
    pub reviewed_at: Option<String>,
    pub is_final: bool,
}

const RETURN_COLUMNS: &str = "r.id, r.scheme_id, r.position, r.period_start, r.period_end, r.due_on, r.status, r.costs_pence,
    r.seed_grant_pence, r.charges_pence, r.other_grants_pence, r.donations_pence, r.contracts_pence, r.in_kind_pence";

const RETURN_SELECT: &str = "SELECT r.id, r.scheme_id, r.position, r.period_start, r.period_end, r.due_on, r.status, r.costs_pence,
    r.seed_grant_pence, r.charges_pence, r.other_grants_pence, r.donations_pence, r.contracts_pence, r.in_kind_pence,
    r.typed, r.narrative, r.risks, sv.full_name AS saved_by, r.saved_at, sb.full_name AS submitted_by, r.submitted_at,
    r.review_comment, r.reviewed_at, r.is_final
    FROM returns r LEFT JOIN users sv ON sv.id = r.saved_by LEFT JOIN users sb ON sb.id = r.submitted_by";

fn figures_from_row(r: &sqlx::any::AnyRow) -> Result<Figures, sqlx::Error> {
    Ok(Figures {
        costs: Pence(r.try_get("costs_pence")?),
        seed_grant: Pence(r.try_get("seed_grant_pence")?),
        charges: Pence(r.try_get("charges_pence")?),
        other_grants: Pence(r.try_get("other_grants_pence")?),
        donations: Pence(r.try_get("donations_pence")?),
        contracts: Pence(r.try_get("contracts_pence")?),
        in_kind: Pence(r.try_get("in_kind_pence")?),
    })
}

fn return_from_row(r: &sqlx::any::AnyRow) -> Result<ReturnRow, sqlx::Error> {
    let typed: String = r.try_get("typed")?;
    Ok(ReturnRow {
        id: r.try_get("id")?,
        scheme_id: r.try_get("scheme_id")?,
        position: u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
        period_start: date(&r.try_get::<String, _>("period_start")?),
        period_end: date(&r.try_get::<String, _>("period_end")?),
        due_on: date(&r.try_get::<String, _>("due_on")?),
        status: ReturnStatus::from_code(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| decode("return status"))?,
        figures: figures_from_row(r)?,
        typed: serde_json::from_str(&typed).unwrap_or_default(),
        narrative: r.try_get("narrative")?,
        risks: r.try_get("risks")?,
        saved_by: r.try_get("saved_by")?,
        saved_at: r.try_get("saved_at")?,
        submitted_by: r.try_get("submitted_by")?,
        submitted_at: r.try_get("submitted_at")?,
        review_comment: r.try_get("review_comment")?,
        reviewed_at: r.try_get("reviewed_at")?,
        is_final: r.try_get::<i64, _>("is_final")? != 0,
    })
}

pub async fn returns(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<ReturnRow>, sqlx::Error> {
    let sql = format!("{RETURN_SELECT} WHERE r.scheme_id = $1 ORDER BY r.position");
    let rows = sqlx::query(&sql).bind(scheme_id).fetch_all(conn).await?;
    rows.iter().map(return_from_row).collect()
}

/// The measure values of a scheme's returns: (return id, measure id, value).
pub async fn values(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT v.return_id, v.measure_id, v.value FROM return_values v JOIN returns r ON r.id = v.return_id
         WHERE r.scheme_id = $1 ORDER BY r.position, v.measure_id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("return_id")?, r.try_get("measure_id")?, r.try_get("value")?)))
    .collect()
}

/// Save a return the organisation may still change, as a draft or sent. False when it
/// can no longer be changed (sent, accepted, or not needed).
pub async fn save_return(
    conn: &mut AnyConnection,
    return_id: i64,
    typed: &ReturnForm,
    c: &ReturnContent,
    send: bool,
    user: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let f = &c.figures;
    let typed = serde_json::to_string(typed).unwrap_or_else(|_| "{}".into());
    let done = sqlx::query(
        "UPDATE returns SET status = $1, costs_pence = $2, seed_grant_pence = $3, charges_pence = $4, other_grants_pence = $5,
         donations_pence = $6, contracts_pence = $7, in_kind_pence = $8, typed = $9, narrative = $10, risks = $11,
         saved_by = $12, saved_at = $13,
         submitted_by = CASE WHEN $14 = 1 THEN $12 ELSE submitted_by END,
         submitted_at = CASE WHEN $14 = 1 THEN $13 ELSE submitted_at END
         WHERE id = $15 AND status IN ('due', 'draft', 'changes_requested')",
    )
    .bind(if send {
        ReturnStatus::Submitted.code()
    } else {
        ReturnStatus::Draft.code()
    })
    .bind(f.costs.0)
    .bind(f.seed_grant.0)
    .bind(f.charges.0)
    .bind(f.other_grants.0)
    .bind(f.donations.0)
    .bind(f.contracts.0)
    .bind(f.in_kind.0)
    .bind(typed)
    .bind(&c.narrative)
    .bind(&c.risks)
    .bind(user)
    .bind(now)
    .bind(i64::from(send))
    .bind(return_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM return_values WHERE return_id = $1")
        .bind(return_id)
        .execute(&mut *conn)
        .await?;
    for (measure, value) in &c.measures {
        sqlx::query("INSERT INTO return_values (return_id, measure_id, value) VALUES ($1, $2, $3)")
            .bind(return_id)
            .bind(measure)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    refresh_cost_avoided(conn, Of::Return(return_id)).await?;
    Ok(true)
}

/// A commissioner accepts a sent return or asks for changes with a comment.
pub async fn review_return(
    conn: &mut AnyConnection,
    return_id: i64,
    accept: bool,
    comment: &str,
    user: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE returns SET status = $1, review_comment = $2, reviewed_by = $3, reviewed_at = $4
         WHERE id = $5 AND status = 'submitted'",
    )
    .bind(if accept {
        ReturnStatus::Accepted.code()
    } else {
        ReturnStatus::ChangesRequested.code()
    })
    .bind(comment)
    .bind(user)
    .bind(now)
    .bind(return_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    refresh_cost_avoided(conn, Of::Return(return_id)).await?;
    Ok(true)
}

/// Whose cost avoided to work out again.
#[derive(Debug, Clone, Copy)]
pub enum Of {
    /// The scheme of this return (a return sent, saved again, accepted or sent back).
    Return(i64),
    /// Every scheme with a valued outcome priced by this unit cost (its cost changed).
    UnitCost(i64),
}

/// Work out again, and keep with the scheme, the cost avoided of the schemes `of` names: the
/// sum over the valued outcomes of their sent and accepted returns, each rounded by the
/// domain rule (monitoring::cost_avoided). Runs in the transaction of the change, so the
/// portfolio's totals (a SUM over schemes) never disagree with the returns.
pub async fn refresh_cost_avoided(conn: &mut AnyConnection, of: Of) -> Result<(), sqlx::Error> {
    let schemes: Vec<i64> = match of {
        Of::Return(id) => sqlx::query("SELECT scheme_id FROM returns WHERE id = $1").bind(id),
        Of::UnitCost(id) => sqlx::query(
            "SELECT DISTINCT r.scheme_id FROM return_values v JOIN returns r ON r.id = v.return_id
             JOIN round_measures m ON m.id = v.measure_id WHERE m.unit_cost_id = $1",
        )
        .bind(id),
    }
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("scheme_id"))
    .collect::<Result<_, _>>()?;
    for scheme in schemes {
        let total: i64 = valued_outcomes(&mut *conn, Some(&[scheme]))
            .await?
            .into_iter()
            .map(|(_, _, value, cost, bp)| {
                crate::domain::monitoring::cost_avoided(
                    value,
                    cost,
                    crate::domain::monitoring::attribution_from_bp(bp),
                )
                .0
            })
            .sum();
        sqlx::query("UPDATE schemes SET cost_avoided_pence = $1 WHERE id = $2")
            .bind(total)
            .bind(scheme)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// `AND <column> IN (ids)` for some schemes, or nothing for every scheme. Ids are numbers,
/// never user text, so they are written into the statement.
fn only_schemes(column: &str, schemes: Option<&[i64]>) -> String {
    match schemes {
        None => String::new(),
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(" AND {column} IN ({})", ids.join(","))
        }
    }
}

/// Reported figures of many schemes at once (portfolio), every scheme's or only `schemes`':
/// (scheme id, position, period start, figures), in scheme and period order.
pub async fn reported(
    pool: &AnyPool,
    schemes: Option<&[i64]>,
) -> Result<Vec<(i64, u32, chrono::NaiveDate, Figures)>, sqlx::Error> {
    if schemes.is_some_and(|s| s.is_empty()) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {RETURN_COLUMNS} FROM returns r WHERE r.status IN ('submitted', 'accepted'){} ORDER BY r.scheme_id, r.position",
        only_schemes("r.scheme_id", schemes)
    );
    let rows = sqlx::query(&sql).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("scheme_id")?,
                u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
                date(&r.try_get::<String, _>("period_start")?),
                figures_from_row(r)?,
            ))
        })
        .collect()
}

/// Each scheme's earliest open return (every scheme's or only `schemes`'): (scheme id, due
/// date) (portfolio).
pub async fn next_due(
    pool: &AnyPool,
    schemes: Option<&[i64]>,
) -> Result<Vec<(i64, chrono::NaiveDate)>, sqlx::Error> {
    if schemes.is_some_and(|s| s.is_empty()) {
        return Ok(Vec::new());
    }
    sqlx::query(&format!(
        "SELECT scheme_id, MIN(due_on) AS due_on FROM returns WHERE status IN ('due', 'draft', 'changes_requested'){}
         GROUP BY scheme_id",
        only_schemes("scheme_id", schemes)
    ))
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("scheme_id")?, date(&r.try_get::<String, _>("due_on")?))))
    .collect()
}

/// Valued outcomes in reported returns (every scheme's or only `schemes`'): (scheme id,
/// position, value, unit cost, attribution bp).
pub async fn valued_outcomes<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    schemes: Option<&[i64]>,
) -> Result<Vec<(i64, u32, i64, Pence, i64)>, sqlx::Error> {
    if schemes.is_some_and(|s| s.is_empty()) {
        return Ok(Vec::new());
    }
    sqlx::query(&format!(
        "SELECT r.scheme_id, r.position, v.value, u.cost_pence, m.attribution_bp
         FROM return_values v JOIN returns r ON r.id = v.return_id JOIN round_measures m ON m.id = v.measure_id
         JOIN unit_costs u ON u.id = m.unit_cost_id
         WHERE r.status IN ('submitted', 'accepted') AND m.attribution_bp IS NOT NULL{}
         ORDER BY r.scheme_id, r.position",
        only_schemes("r.scheme_id", schemes)
    ))
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("scheme_id")?,
            u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
            r.try_get("value")?,
            Pence(r.try_get("cost_pence")?),
            r.try_get("attribution_bp")?,
        ))
    })
    .collect()
}

/// A return that may need a reminder.
#[derive(Debug, Clone)]
pub struct OpenReturn {
    pub id: i64,
    pub scheme_id: i64,
    pub position: u32,
    pub due_on: chrono::NaiveDate,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub round_title: String,
}

/// Open returns of active schemes due between two dates (inclusive).
pub async fn open_returns_due(
    pool: &AnyPool,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<OpenReturn>, sqlx::Error> {
    sqlx::query(
        "SELECT r.id, r.scheme_id, r.position, r.due_on, s.organisation_id, o.name AS organisation_name, rd.title AS round_title
         FROM returns r JOIN schemes s ON s.id = r.scheme_id JOIN organisations o ON o.id = s.organisation_id
         JOIN rounds rd ON rd.id = s.round_id
         WHERE r.status IN ('due', 'draft', 'changes_requested') AND s.status = 'active' AND r.due_on BETWEEN $1 AND $2
         ORDER BY r.due_on, r.id",
    )
    .bind(day(from))
    .bind(day(to))
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(OpenReturn {
            id: r.try_get("id")?,
            scheme_id: r.try_get("scheme_id")?,
            position: u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
            due_on: date(&r.try_get::<String, _>("due_on")?),
            organisation_id: r.try_get("organisation_id")?,
            organisation_name: r.try_get("organisation_name")?,
            round_title: r.try_get("round_title")?,
        })
    })
    .collect()
}

/// Claim a reminder: true for exactly one caller, ever, per return and kind.
pub async fn claim_reminder(
    pool: &AnyPool,
    return_id: i64,
    kind: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO reminders (return_id, kind, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING return_id",
    )
    .bind(return_id)
    .bind(kind)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(claimed.is_some())
}

/// Give a claim back when its email could not be sent, so the next run tries again.
pub async fn release_reminder(
    pool: &AnyPool,
    return_id: i64,
    kind: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM reminders WHERE return_id = $1 AND kind = $2")
        .bind(return_id)
        .bind(kind)
        .execute(pool)
        .await?;
    Ok(())
}
