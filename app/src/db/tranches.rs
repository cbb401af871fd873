//! A funded scheme's tranches: evidence, its return or approval, payment, evidence files,
//! and the release of unpaid tranches when a scheme ends. Every state change is a
//! conditional update on the row's current status, so two people (or two instances) cannot
//! both make it.
use crate::domain::money::Pence;
use crate::domain::monitoring::TrancheStatus;
use crate::domain::time::{Day, UtcTime};
use chrono::NaiveDate;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct TrancheRow {
    pub id: i64,
    pub scheme_id: i64,
    pub position: i64,
    #[sqlx(rename = "amount_pence")]
    pub amount: Pence,
    #[sqlx(rename = "paid_pence")]
    pub paid: Pence,
    #[sqlx(try_from = "Day")]
    pub due_on: NaiveDate,
    pub milestone: String,
    #[sqlx(try_from = "String")]
    pub status: TrancheStatus,
    pub evidence: String,
    pub evidence_by: Option<String>,
    pub evidence_at: Option<UtcTime>,
    pub review_note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<UtcTime>,
    /// Who approved (or returned) the evidence: never the one who records the payment.
    pub reviewer_id: Option<i64>,
    pub paid_by: Option<String>,
    pub paid_at: Option<UtcTime>,
    /// The day the money left the finance system, as the payer recorded it.
    pub paid_on: Option<Day>,
    pub payment_reference: String,
    /// The outcome it is tied to: a measure of the round and the figure to reach.
    pub measure_id: Option<i64>,
    pub target_value: Option<i64>,
    /// The pooled fund its commitment is charged to (the year it is paid from).
    pub fund_id: Option<i64>,
}

impl TrancheRow {
    pub fn outcome(&self) -> Option<crate::domain::monitoring::OutcomeTarget> {
        Some(crate::domain::monitoring::OutcomeTarget {
            measure_id: self.measure_id?,
            target: self.target_value?,
        })
    }
}

const TRANCHE_SELECT: &str = "SELECT t.id, t.scheme_id, t.position, t.amount_pence, t.paid_pence, t.due_on, t.milestone, t.status,
    t.evidence, e.full_name AS evidence_by, t.evidence_at, t.review_note, v.full_name AS reviewed_by, t.reviewed_at,
    t.reviewed_by AS reviewer_id, p.full_name AS paid_by, t.paid_at, t.paid_on, t.payment_reference,
    t.measure_id, t.target_value, t.fund_id
    FROM tranches t LEFT JOIN users e ON e.id = t.evidence_by LEFT JOIN users v ON v.id = t.reviewed_by
    LEFT JOIN users p ON p.id = t.paid_by";

pub async fn tranches(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<TrancheRow>, sqlx::Error> {
    let sql = format!("{TRANCHE_SELECT} WHERE t.scheme_id = $1 ORDER BY t.position");
    sqlx::query_as(&sql).bind(scheme_id).fetch_all(conn).await
}

/// Tie a tranche not yet approved or paid to an outcome, or untie it (`None`). False when
/// its evidence has been approved (or it is paid or released) meanwhile.
pub async fn set_outcome(
    conn: &mut AnyConnection,
    tranche_id: i64,
    outcome: Option<crate::domain::monitoring::OutcomeTarget>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET measure_id = $1, target_value = $2
         WHERE id = $3 AND status IN ('due', 'returned', 'evidence_submitted')",
    )
    .bind(outcome.map(|o| o.measure_id))
    .bind(outcome.map(|o| o.target))
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The organisation sends (or sends again) evidence for a tranche of an accepted award.
pub async fn submit_evidence(
    conn: &mut AnyConnection,
    tranche_id: i64,
    evidence: &str,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'evidence_submitted', evidence = $1, evidence_by = $2, evidence_at = $3
         WHERE id = $4 AND status IN ('due', 'returned')
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.status IN ('active', 'suspended'))",
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
    now: UtcTime,
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

/// Approve a tranche's evidence (of an accepted award): it then waits for its payment to be
/// recorded by someone else. False when it has no evidence waiting.
pub async fn approve_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    note: &str,
    user: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tranches SET status = 'approved', review_note = $1, reviewed_by = $2, reviewed_at = $3
         WHERE id = $4 AND status = 'evidence_submitted'
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.accepted_at IS NOT NULL)",
    )
    .bind(note)
    .bind(user)
    .bind(now)
    .bind(tranche_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Record the payment of an approved tranche, by someone other than its approver (the
/// condition is in the update, so it holds whatever runs at the same time): the amount
/// paid, or None when it is not approved, already paid or released, `user` approved it, or
/// the scheme's payments are suspended.
pub async fn pay_tranche(
    conn: &mut AnyConnection,
    tranche_id: i64,
    reference: &str,
    paid_on: NaiveDate,
    user: i64,
    now: UtcTime,
) -> Result<Option<Pence>, sqlx::Error> {
    let row: Option<(Pence, i64)> = sqlx::query_as(
        "UPDATE tranches SET status = 'paid', paid_pence = amount_pence, paid_by = $1, paid_at = $2, payment_reference = $3,
         paid_on = $5
         WHERE id = $4 AND status = 'approved' AND paid_pence = 0
         AND reviewed_by IS NOT NULL AND reviewed_by <> $1
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.accepted_at IS NOT NULL AND s.status <> 'suspended')
         RETURNING amount_pence, scheme_id",
    )
    .bind(user)
    .bind(now)
    .bind(reference)
    .bind(tranche_id)
    .bind(Day(paid_on))
    .fetch_optional(&mut *conn)
    .await?;
    let Some((amount, scheme_id)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE schemes SET paid_pence = paid_pence + $1 WHERE id = $2 AND paid_pence + $1 <= amount_pence",
    )
    .bind(amount)
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

/// An evidence file of one of a scheme's tranches.
#[derive(Debug, Clone, FromRow)]
pub struct TrancheFile {
    pub tranche_id: i64,
    #[sqlx(rename = "id")]
    pub file_id: i64,
    pub name: String,
    pub size_bytes: i64,
}

/// A scheme's evidence files.
pub async fn tranche_files(
    conn: &mut AnyConnection,
    scheme_id: i64,
) -> Result<Vec<TrancheFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT tf.tranche_id, f.id, f.name, f.size_bytes FROM tranche_files tf JOIN files f ON f.id = tf.file_id
         JOIN tranches t ON t.id = tf.tranche_id WHERE t.scheme_id = $1 ORDER BY f.id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
}

/// Release a scheme's unpaid tranches (`monitoring::releasable`: not paid, evidence not
/// approved) while the scheme is in one of `from` (stored codes): the amount released. The
/// first statement of an ending's transaction, so that it takes the tranches' locks in the
/// order a payment does; a tranche paid at the same moment is either paid first (and kept)
/// or finds itself released.
/// What a scheme's ending released: in all, and per fund its tranches were charged to (in
/// fund order; `None`: the round's fund).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Released {
    pub total: Pence,
    pub by_fund: Vec<(Option<i64>, Pence)>,
}

/// Charge a tranche to another year's fund (its commitment was carried there).
pub async fn charge_to(
    conn: &mut AnyConnection,
    tranche_id: i64,
    fund_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tranches SET fund_id = $1 WHERE id = $2")
        .bind(fund_id)
        .bind(tranche_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn release_unpaid(
    conn: &mut AnyConnection,
    scheme_id: i64,
    from: &[crate::domain::monitoring::SchemeStatus],
) -> Result<Released, sqlx::Error> {
    use crate::domain::monitoring::releasable;
    let statuses: Vec<String> = TrancheStatus::ALL
        .iter()
        .filter(|t| releasable(**t))
        .map(|t| format!("'{}'", t.code()))
        .collect();
    let schemes: Vec<String> = from.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "UPDATE tranches SET status = 'released' WHERE scheme_id = $1 AND status IN ({})
         AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = tranches.scheme_id AND s.status IN ({}))
         RETURNING amount_pence, fund_id",
        statuses.join(", "),
        schemes.join(", ")
    );
    let amounts: Vec<(Pence, Option<i64>)> =
        sqlx::query_as(&sql).bind(scheme_id).fetch_all(conn).await?;
    let mut released = Released::default();
    for (amount, fund) in amounts {
        released.total.0 += amount.0;
        match released.by_fund.iter_mut().find(|(f, _)| *f == fund) {
            Some((_, sum)) => sum.0 += amount.0,
            None => released.by_fund.push((fund, amount)),
        }
    }
    released.by_fund.sort_by_key(|(f, _)| *f);
    Ok(released)
}
