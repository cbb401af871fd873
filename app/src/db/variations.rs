//! Variations to an award and applying one: the variable tranches first (each a conditional
//! update that finds it still unapproved and unpaid), then the scheme's amount (a conditional
//! update on the amount it had), then the money in each year's fund (`db::fund`).
use crate::domain::money::Pence;
use crate::domain::monitoring::{Proposal, VariableTranche, VariationStatus};
use crate::domain::time::{Day, UtcTime};
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct VariationRow {
    pub id: i64,
    pub scheme_id: i64,
    #[sqlx(try_from = "String")]
    pub status: VariationStatus,
    pub by_organisation: i64,
    pub reason: String,
    pub proposal: String,
    /// What it changes, one line each, as the history shows it.
    pub changes: String,
    #[sqlx(rename = "amount_before_pence")]
    pub amount_before: Pence,
    #[sqlx(rename = "amount_after_pence")]
    pub amount_after: Pence,
    pub raised_by: Option<String>,
    pub raised_at: UtcTime,
    pub decided_by: Option<String>,
    pub decided_by_id: Option<i64>,
    pub decided_at: Option<UtcTime>,
    pub decision_note: String,
}

impl VariationRow {
    pub fn proposal(&self) -> Option<Proposal> {
        serde_json::from_str(&self.proposal).ok()
    }
}

const SELECT: &str = "SELECT v.id, v.scheme_id, v.status, v.by_organisation, v.reason, v.proposal, v.changes,
    v.amount_before_pence, v.amount_after_pence, r.full_name AS raised_by, v.raised_at, d.full_name AS decided_by,
    v.decided_by AS decided_by_id, v.decided_at, v.decision_note
    FROM variations v LEFT JOIN users r ON r.id = v.raised_by LEFT JOIN users d ON d.id = v.decided_by";

/// A scheme's variations, oldest first.
pub async fn variations(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<VariationRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE v.scheme_id = $1 ORDER BY v.id");
    sqlx::query_as(&sql).bind(scheme_id).fetch_all(conn).await
}

/// A new variation: requested by the organisation, or raised (and approved at once) by a
/// commissioner. Its id.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut AnyConnection,
    scheme_id: i64,
    status: VariationStatus,
    by_organisation: bool,
    (proposal, changes): (&Proposal, &[String]),
    reason: &str,
    actor: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let json = serde_json::to_string(proposal).unwrap_or_else(|_| "{}".into());
    let decided = (status != VariationStatus::Requested).then_some(actor);
    let decided_at = decided.map(|_| now);
    sqlx::query_scalar(
        "INSERT INTO variations (scheme_id, status, by_organisation, reason, proposal, changes, amount_before_pence,
            amount_after_pence, raised_by, raised_at, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(scheme_id)
    .bind(status.code())
    .bind(i64::from(by_organisation))
    .bind(reason)
    .bind(json)
    .bind(changes.join("\n"))
    .bind(proposal.amount_before.0)
    .bind(proposal.amount_after.0)
    .bind(actor)
    .bind(now)
    .bind(decided)
    .bind(decided_at)
    .fetch_one(conn)
    .await
}

/// Decide a requested variation (first statement of its transaction): false when it was
/// decided already.
pub async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: VariationStatus,
    note: &str,
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE variations SET status = $1, decision_note = $2, decided_by = $3, decided_at = $4
         WHERE id = $5 AND status = 'requested' RETURNING id",
    )
    .bind(status.code())
    .bind(note)
    .bind(actor)
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// The tranches a variation may change: not yet approved or paid (nor released).
pub async fn variable_tranches(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<(VariableTranche, Option<i64>)>, sqlx::Error> {
    let rows: Vec<(i64, i64, Pence, Day, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, position, amount_pence, due_on, milestone, fund_id FROM tranches
         WHERE scheme_id = $1 AND status IN ('due', 'evidence_submitted', 'returned') ORDER BY position",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, position, amount, due, milestone, fund)| {
            (
                VariableTranche {
                    id,
                    position,
                    amount,
                    due: due.0,
                    milestone,
                },
                fund,
            )
        })
        .collect())
}

/// One tranche as varied, if it is still unapproved and unpaid and, when `before` is given,
/// still as it was then (false otherwise): its amount, planned date, milestone and the fund
/// of the year it is now charged to.
pub async fn vary_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    (amount, due, milestone): (Pence, chrono::NaiveDate, &str),
    fund_id: i64,
    before: Option<&VariableTranche>,
) -> Result<bool, sqlx::Error> {
    let mut sql = String::from(
        "UPDATE tranches SET amount_pence = $1, due_on = $2, milestone = $3, fund_id = $4
         WHERE id = $5 AND status IN ('due', 'evidence_submitted', 'returned')",
    );
    if before.is_some() {
        sql.push_str(" AND amount_pence = $6 AND due_on = $7 AND milestone = $8");
    }
    sql.push_str(" RETURNING id");
    let mut query = sqlx::query(&sql)
        .bind(amount.0)
        .bind(Day(due))
        .bind(milestone)
        .bind(fund_id)
        .bind(tranche_id);
    if let Some(b) = before {
        query = query
            .bind(b.amount.0)
            .bind(Day(b.due))
            .bind(b.milestone.clone());
    }
    Ok(query.fetch_optional(conn).await?.is_some())
}

/// The scheme's amount and conditions as varied, and what a variation released (removed
/// tranches), if its amount is still `before` and it is still running (false otherwise).
pub async fn vary_scheme(
    conn: &mut AnyConnection,
    (scheme_id, released): (i64, Pence),
    (before, after): (Pence, Pence),
    conditions: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE schemes SET amount_pence = $1, conditions = $2, released_pence = released_pence + $5
         WHERE id = $3 AND amount_pence = $4 AND status IN ('awarded', 'active', 'suspended') RETURNING id",
    )
    .bind(after.0)
    .bind(conditions)
    .bind(scheme_id)
    .bind(before.0)
    .bind(released.0)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// Release a tranche a variation removes, if it is still unapproved and unpaid and, when
/// `before` is given, still as it was: its amount and the fund it was charged to.
pub async fn release_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    before: Option<&VariableTranche>,
) -> Result<Option<(Pence, Option<i64>)>, sqlx::Error> {
    let mut sql = String::from(
        "UPDATE tranches SET status = 'released'
         WHERE id = $1 AND status IN ('due', 'evidence_submitted', 'returned')",
    );
    if before.is_some() {
        sql.push_str(" AND amount_pence = $2 AND due_on = $3 AND milestone = $4");
    }
    sql.push_str(" RETURNING amount_pence, fund_id");
    let mut query = sqlx::query_as(&sql).bind(tranche_id);
    if let Some(b) = before {
        query = query
            .bind(b.amount.0)
            .bind(Day(b.due))
            .bind(b.milestone.clone());
    }
    query.fetch_optional(conn).await
}

/// A tranche a variation adds, after every tranche the scheme has, charged to `fund_id`.
pub async fn add_tranche(
    conn: &mut AnyConnection,
    scheme_id: i64,
    added: &crate::domain::monitoring::AddedTranche,
    fund_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tranches (scheme_id, position, amount_pence, due_on, milestone, status, fund_id)
         VALUES ($1, (SELECT COALESCE(MAX(t.position), 0) + 1 FROM tranches t WHERE t.scheme_id = $1),
                 $2, $3, $4, 'due', $5)",
    )
    .bind(scheme_id)
    .bind(added.amount.0)
    .bind(Day(added.due))
    .bind(added.milestone.as_str())
    .bind(fund_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One variation.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<VariationRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE v.id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// Take hold of a variation awaiting the partners' sign-off: the first statement of an
/// answer's transaction (SQLite takes its write lock, PostgreSQL locks the row, so answers
/// are given one after another). False when it is not awaiting sign-off.
pub async fn hold_awaiting(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE variations SET status = status WHERE id = $1 AND status = 'awaiting_sign_off'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Settle a variation awaiting sign-off: approved (applied) or refused, with its note (the
/// commissioner's, and a refusing partner's reason). False when it was no longer awaiting.
pub async fn settle(
    conn: &mut AnyConnection,
    id: i64,
    to: VariationStatus,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE variations SET status = $1, decision_note = $2
         WHERE id = $3 AND status = 'awaiting_sign_off'",
    )
    .bind(to.code())
    .bind(note)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
