//! Monitoring returns: the schedule's rows, saving and sending, review, what the portfolio
//! reads of them, and the reminder claims. State changes are conditional on the status.
use crate::domain::money::Pence;
use crate::domain::monitoring::{Figures, ReturnContent, ReturnForm, ReturnStatus};
use crate::domain::time::{Day, UtcTime};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

use super::types::Flag;

#[derive(Debug, Clone, FromRow)]
pub struct ReturnRow {
    pub id: i64,
    pub scheme_id: i64,
    #[sqlx(try_from = "i64")]
    pub position: u32,
    #[sqlx(try_from = "Day")]
    pub period_start: NaiveDate,
    #[sqlx(try_from = "Day")]
    pub period_end: NaiveDate,
    #[sqlx(try_from = "Day")]
    pub due_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub status: ReturnStatus,
    #[sqlx(flatten)]
    pub figures: Figures,
    #[sqlx(try_from = "String")]
    pub typed: ReturnForm,
    pub narrative: String,
    pub risks: String,
    pub saved_by: Option<String>,
    pub saved_at: Option<UtcTime>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<UtcTime>,
    pub review_comment: String,
    pub reviewed_at: Option<UtcTime>,
    #[sqlx(try_from = "Flag")]
    pub is_final: bool,
}

const RETURN_COLUMNS: &str = "r.id, r.scheme_id, r.position, r.period_start, r.period_end, r.due_on, r.status, r.costs_pence,
    r.seed_grant_pence, r.charges_pence, r.other_grants_pence, r.donations_pence, r.contracts_pence, r.in_kind_pence";

const RETURN_SELECT: &str = "SELECT r.id, r.scheme_id, r.position, r.period_start, r.period_end, r.due_on, r.status, r.costs_pence,
    r.seed_grant_pence, r.charges_pence, r.other_grants_pence, r.donations_pence, r.contracts_pence, r.in_kind_pence,
    r.typed, r.narrative, r.risks, sv.full_name AS saved_by, r.saved_at, sb.full_name AS submitted_by, r.submitted_at,
    r.review_comment, r.reviewed_at, r.is_final
    FROM returns r LEFT JOIN users sv ON sv.id = r.saved_by LEFT JOIN users sb ON sb.id = r.submitted_by";

/// A return's figures, from its `*_pence` columns.
impl<'r> FromRow<'r, AnyRow> for Figures {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Figures {
            costs: r.try_get("costs_pence")?,
            seed_grant: r.try_get("seed_grant_pence")?,
            charges: r.try_get("charges_pence")?,
            other_grants: r.try_get("other_grants_pence")?,
            donations: r.try_get("donations_pence")?,
            contracts: r.try_get("contracts_pence")?,
            in_kind: r.try_get("in_kind_pence")?,
        })
    }
}

/// What was typed into a return's form, stored as JSON (`{}` before anything was typed).
impl TryFrom<String> for ReturnForm {
    type Error = serde_json::Error;
    fn try_from(json: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&json)
    }
}

pub async fn returns(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<ReturnRow>, sqlx::Error> {
    let sql = format!("{RETURN_SELECT} WHERE r.scheme_id = $1 ORDER BY r.position");
    sqlx::query_as(&sql).bind(scheme_id).fetch_all(conn).await
}

/// One measure's value in one return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ReturnValue {
    pub return_id: i64,
    pub measure_id: i64,
    pub value: i64,
}

/// The measure values of a scheme's returns.
pub async fn values(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<ReturnValue>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.return_id, v.measure_id, v.value FROM return_values v JOIN returns r ON r.id = v.return_id
         WHERE r.scheme_id = $1 ORDER BY r.position, v.measure_id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
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
    now: UtcTime,
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
    .bind(f.costs)
    .bind(f.seed_grant)
    .bind(f.charges)
    .bind(f.other_grants)
    .bind(f.donations)
    .bind(f.contracts)
    .bind(f.in_kind)
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
    now: UtcTime,
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
        Of::Return(id) => {
            sqlx::query_scalar("SELECT scheme_id FROM returns WHERE id = $1").bind(id)
        }
        Of::UnitCost(id) => sqlx::query_scalar(
            "SELECT DISTINCT r.scheme_id FROM return_values v JOIN returns r ON r.id = v.return_id
             JOIN round_measures m ON m.id = v.measure_id WHERE m.unit_cost_id = $1",
        )
        .bind(id),
    }
    .fetch_all(&mut *conn)
    .await?;
    for scheme in schemes {
        let total: i64 = valued_outcomes(&mut *conn, Some(&[scheme]))
            .await?
            .into_iter()
            .map(|v| v.cost_avoided().0)
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

/// One sent or accepted return's figures, for the portfolio.
#[derive(Debug, Clone, FromRow)]
pub struct Reported {
    pub scheme_id: i64,
    #[sqlx(try_from = "i64")]
    pub position: u32,
    #[sqlx(try_from = "Day")]
    pub period_start: NaiveDate,
    #[sqlx(flatten)]
    pub figures: Figures,
}

/// Reported figures of many schemes at once (portfolio), every scheme's or only `schemes`',
/// in scheme and period order.
pub async fn reported(
    pool: &AnyPool,
    schemes: Option<&[i64]>,
) -> Result<Vec<Reported>, sqlx::Error> {
    if schemes.is_some_and(|s| s.is_empty()) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {RETURN_COLUMNS} FROM returns r WHERE r.status IN ('submitted', 'accepted'){} ORDER BY r.scheme_id, r.position",
        only_schemes("r.scheme_id", schemes)
    );
    sqlx::query_as(&sql).fetch_all(pool).await
}

/// A scheme's earliest open return's due date.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct NextDue {
    pub scheme_id: i64,
    #[sqlx(try_from = "Day")]
    pub due_on: NaiveDate,
}

/// Each scheme's earliest open return (every scheme's or only `schemes`') (portfolio).
pub async fn next_due(
    pool: &AnyPool,
    schemes: Option<&[i64]>,
) -> Result<Vec<NextDue>, sqlx::Error> {
    if schemes.is_some_and(|s| s.is_empty()) {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "SELECT scheme_id, MIN(due_on) AS due_on FROM returns WHERE status IN ('due', 'draft', 'changes_requested'){}
         GROUP BY scheme_id",
        only_schemes("scheme_id", schemes)
    ))
    .fetch_all(pool)
    .await
}

/// A valued outcome reported in a return: how many, at what unit cost, how much of it the
/// scheme may claim (attribution in basis points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ValuedOutcome {
    pub scheme_id: i64,
    #[sqlx(try_from = "i64")]
    pub position: u32,
    pub value: i64,
    #[sqlx(rename = "cost_pence")]
    pub unit_cost: Pence,
    pub attribution_bp: i64,
}

impl ValuedOutcome {
    /// The cost this outcome avoided (monitoring::cost_avoided).
    pub fn cost_avoided(&self) -> Pence {
        crate::domain::monitoring::cost_avoided(
            self.value,
            self.unit_cost,
            crate::domain::monitoring::attribution_from_bp(self.attribution_bp),
        )
    }
}

/// Valued outcomes in reported returns (every scheme's or only `schemes`').
pub async fn valued_outcomes<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    schemes: Option<&[i64]>,
) -> Result<Vec<ValuedOutcome>, sqlx::Error> {
    if schemes.is_some_and(|s| s.is_empty()) {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "SELECT r.scheme_id, r.position, v.value, u.cost_pence, m.attribution_bp
         FROM return_values v JOIN returns r ON r.id = v.return_id JOIN round_measures m ON m.id = v.measure_id
         JOIN unit_costs u ON u.id = m.unit_cost_id
         WHERE r.status IN ('submitted', 'accepted') AND m.attribution_bp IS NOT NULL{}
         ORDER BY r.scheme_id, r.position",
        only_schemes("r.scheme_id", schemes)
    ))
    .fetch_all(db)
    .await
}

/// A return that may need a reminder.
#[derive(Debug, Clone, FromRow)]
pub struct OpenReturn {
    pub id: i64,
    pub scheme_id: i64,
    #[sqlx(try_from = "i64")]
    pub position: u32,
    #[sqlx(try_from = "Day")]
    pub due_on: NaiveDate,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub round_title: String,
}

/// Open returns of active schemes due between two dates (inclusive).
pub async fn open_returns_due(
    pool: &AnyPool,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OpenReturn>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.scheme_id, r.position, r.due_on, s.organisation_id, o.name AS organisation_name, rd.title AS round_title
         FROM returns r JOIN schemes s ON s.id = r.scheme_id JOIN organisations o ON o.id = s.organisation_id
         JOIN rounds rd ON rd.id = s.round_id
         WHERE r.status IN ('due', 'draft', 'changes_requested') AND s.status IN ('active', 'suspended') AND r.due_on BETWEEN $1 AND $2
         ORDER BY r.due_on, r.id",
    )
    .bind(Day(from))
    .bind(Day(to))
    .fetch_all(pool)
    .await
}

/// Claim a reminder: true for exactly one caller, ever, per return and kind.
pub async fn claim_reminder(
    pool: &AnyPool,
    return_id: i64,
    kind: &str,
    now: UtcTime,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_nothing_was_typed_into_reads_as_an_empty_form() {
        // The column's default, and what a return saved before a field existed holds.
        assert_eq!(
            ReturnForm::try_from("{}".to_string()).unwrap(),
            ReturnForm::default()
        );
        let old = r#"{"money":{"costs":"100"}}"#.to_string();
        assert_eq!(ReturnForm::try_from(old).unwrap().money["costs"], "100");
    }
}
