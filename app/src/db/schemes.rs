//! Funded schemes: acceptance, tranches (evidence, return, payment), monitoring returns and
//! their measure values, reminders, graduation. Every state change is a conditional update
//! on the row's current status, so two people (or two instances) cannot both make it.
use crate::domain::bid::PlanYear;
use crate::domain::decision::Tranche;
use crate::domain::money::Pence;
use crate::domain::monitoring::{
    Figures, Period, ReturnContent, ReturnForm, ReturnStatus, SchemeStatus, TrancheStatus,
};
use sqlx::{AnyConnection, AnyPool, Row};

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unexpected {what}").into())
}

fn date(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What an award creates.
pub struct NewScheme<'a> {
    pub bid_id: i64,
    pub round_id: i64,
    pub organisation_id: i64,
    pub amount: Pence,
    pub conditions: &'a str,
    pub plan: &'a [PlanYear],
    pub starts_on: chrono::NaiveDate,
    pub return_every: u32,
    pub tranches: &'a [Tranche],
    pub periods: &'a [Period],
}

/// The funded scheme an award creates, with its tranches and its schedule of returns.
pub async fn create(
    conn: &mut AnyConnection,
    s: &NewScheme<'_>,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let plan = serde_json::to_string(s.plan).unwrap_or_else(|_| "[]".into());
    let id: i64 = sqlx::query(
        "INSERT INTO schemes (bid_id, round_id, organisation_id, amount_pence, conditions, status, created_at, plan, starts_on, return_every_months)
         VALUES ($1, $2, $3, $4, $5, 'awarded', $6, $7, $8, $9) RETURNING id",
    )
    .bind(s.bid_id)
    .bind(s.round_id)
    .bind(s.organisation_id)
    .bind(s.amount.0)
    .bind(s.conditions)
    .bind(now)
    .bind(plan)
    .bind(day(s.starts_on))
    .bind(i64::from(s.return_every))
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for (i, t) in s.tranches.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tranches (scheme_id, position, amount_pence, due_on, milestone, status) VALUES ($1, $2, $3, $4, $5, 'due')",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(t.amount.0)
        .bind(day(t.due))
        .bind(&t.milestone)
        .execute(&mut *conn)
        .await?;
    }
    for p in s.periods {
        sqlx::query(
            "INSERT INTO returns (scheme_id, position, period_start, period_end, due_on, status) VALUES ($1, $2, $3, $4, $5, 'due')",
        )
        .bind(id)
        .bind(i64::from(p.position))
        .bind(day(p.start))
        .bind(day(p.end))
        .bind(day(p.due))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct SchemeRow {
    pub id: i64,
    pub bid_id: i64,
    pub reference: Option<String>,
    pub round_id: i64,
    pub round_title: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub amount: Pence,
    pub paid: Pence,
    pub conditions: String,
    pub status: SchemeStatus,
    pub plan: Vec<PlanYear>,
    pub starts_on: chrono::NaiveDate,
    pub return_every: u32,
    pub awarded_at: String,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<String>,
    pub graduated_at: Option<String>,
}

const SCHEME_SELECT: &str = "SELECT s.id, s.bid_id, b.reference, s.round_id, r.title AS round_title, s.organisation_id,
    o.name AS organisation_name, s.amount_pence, s.paid_pence, s.conditions, s.status, s.plan, s.starts_on,
    s.return_every_months, s.created_at, a.full_name AS accepted_by, s.accepted_at, s.graduated_at
    FROM schemes s JOIN bids b ON b.id = s.bid_id JOIN rounds r ON r.id = s.round_id
    JOIN organisations o ON o.id = s.organisation_id LEFT JOIN users a ON a.id = s.accepted_by";

fn scheme_from_row(r: &sqlx::any::AnyRow) -> Result<SchemeRow, sqlx::Error> {
    let plan: String = r.try_get("plan")?;
    Ok(SchemeRow {
        id: r.try_get("id")?,
        bid_id: r.try_get("bid_id")?,
        reference: r.try_get("reference")?,
        round_id: r.try_get("round_id")?,
        round_title: r.try_get("round_title")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        amount: Pence(r.try_get("amount_pence")?),
        paid: Pence(r.try_get("paid_pence")?),
        conditions: r.try_get("conditions")?,
        status: SchemeStatus::from_code(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| decode("scheme status"))?,
        plan: serde_json::from_str(&plan).unwrap_or_default(),
        starts_on: date(&r.try_get::<String, _>("starts_on")?),
        return_every: u32::try_from(r.try_get::<i64, _>("return_every_months")?).unwrap_or(3),
        awarded_at: r.try_get("created_at")?,
        accepted_by: r.try_get("accepted_by")?,
        accepted_at: r.try_get("accepted_at")?,
        graduated_at: r.try_get("graduated_at")?,
    })
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<SchemeRow>, sqlx::Error> {
    let sql = format!("{SCHEME_SELECT} WHERE s.id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(scheme_from_row)
        .transpose()
}

pub async fn of_bid(conn: &mut AnyConnection, bid_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT id FROM schemes WHERE bid_id = $1")
        .bind(bid_id)
        .fetch_optional(conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()
}

/// Every scheme of the organisations a user belongs to.
pub async fn for_member(pool: &AnyPool, user_id: i64) -> Result<Vec<SchemeRow>, sqlx::Error> {
    let sql = format!(
        "{SCHEME_SELECT} WHERE s.organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = $1) ORDER BY s.id DESC"
    );
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(pool).await?;
    rows.iter().map(scheme_from_row).collect()
}

/// Schemes for the portfolio, filtered; newest award first.
pub async fn portfolio(
    pool: &AnyPool,
    round_id: Option<i64>,
    gap_id: Option<i64>,
) -> Result<Vec<SchemeRow>, sqlx::Error> {
    let sql = format!(
        "{SCHEME_SELECT} WHERE ($1 = 0 OR s.round_id = $1)
         AND ($2 = 0 OR EXISTS (SELECT 1 FROM round_gaps g WHERE g.round_id = s.round_id AND g.gap_id = $2))
         ORDER BY s.id DESC"
    );
    let rows = sqlx::query(&sql)
        .bind(round_id.unwrap_or(0))
        .bind(gap_id.unwrap_or(0))
        .fetch_all(pool)
        .await?;
    rows.iter().map(scheme_from_row).collect()
}

/// The organisation accepts the award: once.
pub async fn accept(
    conn: &mut AnyConnection,
    id: i64,
    user: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE schemes SET status = 'active', accepted_by = $1, accepted_at = $2 WHERE id = $3 AND status = 'awarded'",
    )
    .bind(user)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct TrancheRow {
    pub id: i64,
    pub scheme_id: i64,
    pub position: i64,
    pub amount: Pence,
    pub paid: Pence,
    pub due_on: chrono::NaiveDate,
    pub milestone: String,
    pub status: TrancheStatus,
    pub evidence: String,
    pub evidence_by: Option<String>,
    pub evidence_at: Option<String>,
    pub review_note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
}

const TRANCHE_SELECT: &str = "SELECT t.id, t.scheme_id, t.position, t.amount_pence, t.paid_pence, t.due_on, t.milestone, t.status,
    t.evidence, e.full_name AS evidence_by, t.evidence_at, t.review_note, v.full_name AS reviewed_by, t.reviewed_at
    FROM tranches t LEFT JOIN users e ON e.id = t.evidence_by LEFT JOIN users v ON v.id = t.reviewed_by";

fn tranche_from_row(r: &sqlx::any::AnyRow) -> Result<TrancheRow, sqlx::Error> {
    Ok(TrancheRow {
        id: r.try_get("id")?,
        scheme_id: r.try_get("scheme_id")?,
        position: r.try_get("position")?,
        amount: Pence(r.try_get("amount_pence")?),
        paid: Pence(r.try_get("paid_pence")?),
        due_on: date(&r.try_get::<String, _>("due_on")?),
        milestone: r.try_get("milestone")?,
        status: TrancheStatus::from_code(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| decode("tranche status"))?,
        evidence: r.try_get("evidence")?,
        evidence_by: r.try_get("evidence_by")?,
        evidence_at: r.try_get("evidence_at")?,
        review_note: r.try_get("review_note")?,
        reviewed_by: r.try_get("reviewed_by")?,
        reviewed_at: r.try_get("reviewed_at")?,
    })
}

pub async fn tranches(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<TrancheRow>, sqlx::Error> {
    let sql = format!("{TRANCHE_SELECT} WHERE t.scheme_id = $1 ORDER BY t.position");
    let rows = sqlx::query(&sql).bind(scheme_id).fetch_all(conn).await?;
    rows.iter().map(tranche_from_row).collect()
}

/// The organisation sends (or sends again) evidence for a tranche of an accepted award.
pub async fn submit_evidence(
    conn: &mut AnyConnection,
    tranche_id: i64,
    evidence: &str,
    user: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'evidence_submitted', evidence = $1, evidence_by = $2, evidence_at = $3
         WHERE id = $4 AND status IN ('due', 'returned')
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.status = 'active')",
    )
    .bind(evidence)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A commissioner returns the evidence with a reason.
pub async fn return_evidence(
    conn: &mut AnyConnection,
    tranche_id: i64,
    note: &str,
    user: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'returned', review_note = $1, reviewed_by = $2, reviewed_at = $3
         WHERE id = $4 AND status = 'evidence_submitted'",
    )
    .bind(note)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Mark a tranche paid in full: only once, only with evidence sent, only for an accepted
/// award. The first statement of the payment's transaction: of two approvals at the same
/// time, one pays and the other finds nothing to update. Returns the amount paid.
pub async fn pay_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    note: &str,
    user: i64,
    now: &str,
) -> Result<Option<Pence>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE tranches SET status = 'paid', paid_pence = amount_pence, review_note = $1, reviewed_by = $2, reviewed_at = $3
         WHERE id = $4 AND status = 'evidence_submitted' AND paid_pence = 0
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.accepted_at IS NOT NULL)
         RETURNING amount_pence, scheme_id",
    )
    .bind(note)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let amount = Pence(row.try_get("amount_pence")?);
    let scheme_id: i64 = row.try_get("scheme_id")?;
    sqlx::query(
        "UPDATE schemes SET paid_pence = paid_pence + $1 WHERE id = $2 AND paid_pence + $1 <= amount_pence",
    )
    .bind(amount.0)
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    Ok(Some(amount))
}

pub async fn add_tranche_file(
    conn: &mut AnyConnection,
    tranche_id: i64,
    file_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tranche_files (tranche_id, file_id) VALUES ($1, $2)")
        .bind(tranche_id)
        .bind(file_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A scheme's evidence files: (tranche id, file id, name, size).
pub async fn tranche_files(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<(i64, i64, String, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT tf.tranche_id, f.id, f.name, f.size_bytes FROM tranche_files tf JOIN files f ON f.id = tf.file_id
         JOIN tranches t ON t.id = tf.tranche_id WHERE t.scheme_id = $1 ORDER BY f.id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("tranche_id")?,
            r.try_get("id")?,
            r.try_get("name")?,
            r.try_get("size_bytes")?,
        ))
    })
    .collect()
}

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
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Confirm a scheme self-sustaining: once; its latest accepted return becomes the final
/// one and the returns after it are no longer needed.
pub async fn graduate(
    conn: &mut AnyConnection,
    scheme_id: i64,
    final_position: u32,
    user: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE schemes SET status = 'self_sustaining', graduated_by = $1, graduated_at = $2 WHERE id = $3 AND status = 'active'",
    )
    .bind(user)
    .bind(now)
    .bind(scheme_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE returns SET is_final = 1 WHERE scheme_id = $1 AND position = $2")
        .bind(scheme_id)
        .bind(i64::from(final_position))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE returns SET status = 'not_needed' WHERE scheme_id = $1 AND position > $2 AND status IN ('due', 'draft', 'changes_requested')",
    )
    .bind(scheme_id)
    .bind(i64::from(final_position))
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

pub async fn mark_gap_filled(
    conn: &mut AnyConnection,
    gap_id: i64,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE gaps SET status = 'filled', updated_at = $1 WHERE id = $2 AND status <> 'filled'",
    )
    .bind(now)
    .bind(gap_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Reported figures of many schemes at once (portfolio): (scheme id, position, period
/// start, figures), in scheme and period order.
pub async fn reported(
    pool: &AnyPool,
) -> Result<Vec<(i64, u32, chrono::NaiveDate, Figures)>, sqlx::Error> {
    let sql = format!(
        "SELECT {RETURN_COLUMNS} FROM returns r WHERE r.status IN ('submitted', 'accepted') ORDER BY r.scheme_id, r.position"
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

/// Each scheme's earliest open return: (scheme id, due date) (portfolio).
pub async fn next_due(pool: &AnyPool) -> Result<Vec<(i64, chrono::NaiveDate)>, sqlx::Error> {
    sqlx::query(
        "SELECT scheme_id, MIN(due_on) AS due_on FROM returns WHERE status IN ('due', 'draft', 'changes_requested') GROUP BY scheme_id",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("scheme_id")?, date(&r.try_get::<String, _>("due_on")?))))
    .collect()
}

/// Valued outcomes in reported returns: (scheme id, position, value, unit cost, attribution bp).
pub async fn valued_outcomes(
    pool: &AnyPool,
    scheme_id: Option<i64>,
) -> Result<Vec<(i64, u32, i64, Pence, i64)>, sqlx::Error> {
    sqlx::query(
        "SELECT r.scheme_id, r.position, v.value, u.cost_pence, m.attribution_bp
         FROM return_values v JOIN returns r ON r.id = v.return_id JOIN round_measures m ON m.id = v.measure_id
         JOIN unit_costs u ON u.id = m.unit_cost_id
         WHERE r.status IN ('submitted', 'accepted') AND m.attribution_bp IS NOT NULL AND ($1 = 0 OR r.scheme_id = $1)
         ORDER BY r.scheme_id, r.position",
    )
    .bind(scheme_id.unwrap_or(0))
    .fetch_all(pool)
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

#[derive(Debug, Clone)]
pub struct MeasureRow {
    pub id: i64,
    pub kind: crate::domain::monitoring::MeasureKind,
    pub name: String,
    /// (unit cost id, name, unit, cost, attribution bp)
    pub valued_by: Option<(i64, String, String, Pence, i64)>,
}

pub async fn measures(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<MeasureRow>, sqlx::Error> {
    sqlx::query(
        "SELECT m.id, m.kind, m.name, m.unit_cost_id, u.name AS cost_name, u.unit, u.cost_pence, m.attribution_bp
         FROM round_measures m LEFT JOIN unit_costs u ON u.id = m.unit_cost_id WHERE m.round_id = $1 ORDER BY m.position, m.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let cost_id: Option<i64> = r.try_get("unit_cost_id")?;
        let valued_by = match cost_id {
            Some(id) => Some((
                id,
                r.try_get("cost_name")?,
                r.try_get("unit")?,
                Pence(r.try_get("cost_pence")?),
                r.try_get::<Option<i64>, _>("attribution_bp")?.unwrap_or(0),
            )),
            None => None,
        };
        Ok(MeasureRow {
            id: r.try_get("id")?,
            kind: crate::domain::monitoring::MeasureKind::from_code(&r.try_get::<String, _>("kind")?)
                .ok_or_else(|| decode("measure kind"))?,
            name: r.try_get("name")?,
            valued_by,
        })
    })
    .collect()
}

pub async fn add_measure(
    conn: &mut AnyConnection,
    round_id: i64,
    m: &crate::domain::monitoring::Measure,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO round_measures (round_id, kind, name, unit_cost_id, attribution_bp, position)
         VALUES ($1, $2, $3, $4, $5, (SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM round_measures WHERE round_id = $1))
         RETURNING id",
    )
    .bind(round_id)
    .bind(m.kind.code())
    .bind(&m.name)
    .bind(m.cost.map(|c| c.0))
    .bind(m.cost.map(|c| c.1))
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Remove a measure no return has used yet.
pub async fn remove_measure(
    conn: &mut AnyConnection,
    round_id: i64,
    measure_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM round_measures WHERE id = $1 AND round_id = $2
         AND NOT EXISTS (SELECT 1 FROM return_values WHERE measure_id = $1)",
    )
    .bind(measure_id)
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct UnitCostRow {
    pub id: i64,
    pub cost: crate::domain::monitoring::UnitCost,
    pub updated_by: Option<String>,
    pub updated_at: String,
}

pub async fn unit_costs(pool: &AnyPool) -> Result<Vec<UnitCostRow>, sqlx::Error> {
    sqlx::query(
        "SELECT c.id, c.name, c.unit, c.cost_pence, c.source, c.source_date, u.full_name AS updated_by, c.updated_at
         FROM unit_costs c LEFT JOIN users u ON u.id = c.updated_by ORDER BY LOWER(c.name)",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(UnitCostRow {
            id: r.try_get("id")?,
            cost: crate::domain::monitoring::UnitCost {
                name: r.try_get("name")?,
                unit: r.try_get("unit")?,
                cost: Pence(r.try_get("cost_pence")?),
                source: r.try_get("source")?,
                source_date: date(&r.try_get::<String, _>("source_date")?),
            },
            updated_by: r.try_get("updated_by")?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .collect()
}

/// Add a unit cost (`None` id) or change one; a duplicate name is a unique violation.
pub async fn save_unit_cost(
    conn: &mut AnyConnection,
    id: Option<i64>,
    c: &crate::domain::monitoring::UnitCost,
    user: i64,
    now: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row = match id {
        None => sqlx::query(
            "INSERT INTO unit_costs (name, unit, cost_pence, source, source_date, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        ),
        Some(_) => sqlx::query(
            "UPDATE unit_costs SET name = $1, unit = $2, cost_pence = $3, source = $4, source_date = $5, updated_by = $6, updated_at = $7
             WHERE id = $8 RETURNING id",
        ),
    }
    .bind(&c.name)
    .bind(&c.unit)
    .bind(c.cost.0)
    .bind(&c.source)
    .bind(day(c.source_date))
    .bind(user)
    .bind(now);
    let row = match id {
        Some(id) => row.bind(id),
        None => row,
    };
    row.fetch_optional(conn)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()
}
