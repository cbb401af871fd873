//! The partners' joint sign-off of the Board's recommended awards: each partner's answer,
//! and the recommendations an approver sees.
use crate::domain::board::SignOff;
use crate::domain::money::Pence;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, FromRow};

/// How many partners have named at least one approver.
pub async fn partners_with_approvers(conn: &mut AnyConnection) -> Result<usize, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT u.approver_for) FROM users u
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'partner_approver'
         WHERE u.approver_for IS NOT NULL",
    )
    .fetch_one(conn)
    .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Take hold of a recommended award awaiting sign-off: the first statement of a sign-off's
/// transaction (SQLite takes its write lock, PostgreSQL locks the row, so answers to one
/// recommendation are given one after another). False when it is not awaiting sign-off.
pub async fn hold_awaiting(conn: &mut AnyConnection, bid_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE decisions SET sign_off = sign_off
         WHERE bid_id = $1 AND outcome = 'award' AND sign_off = 'awaiting'",
    )
    .bind(bid_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the partners sign off: the Board's recommended award on a bid, or a variation that
/// adds money to an award.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    Award { bid_id: i64 },
    Variation { variation_id: i64 },
}

impl Signed {
    /// (table, key column, id).
    fn table(self) -> (&'static str, &'static str, i64) {
        match self {
            Signed::Award { bid_id } => ("sign_offs", "bid_id", bid_id),
            Signed::Variation { variation_id } => {
                ("variation_sign_offs", "variation_id", variation_id)
            }
        }
    }
}

/// Record a partner's answer; false when that partner has answered.
pub async fn sign(
    conn: &mut AnyConnection,
    what: Signed,
    partner_id: i64,
    (approved, reason): (bool, &str),
    actor: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let (table, key, id) = what.table();
    let sql = format!(
        "INSERT INTO {table} ({key}, partner_id, approved, reason, signed_by, signed_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ({key}, partner_id) DO NOTHING"
    );
    let done = sqlx::query(&sql)
        .bind(id)
        .bind(partner_id)
        .bind(i64::from(approved))
        .bind(reason)
        .bind(actor)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Move a recommendation awaiting sign-off to `to` (signed or refused).
pub async fn set_sign_off(
    conn: &mut AnyConnection,
    bid_id: i64,
    to: SignOff,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE decisions SET sign_off = $1 WHERE bid_id = $2 AND sign_off = 'awaiting'",
    )
    .bind(to.code())
    .bind(bid_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One partner's answer to a recommendation.
#[derive(Debug, Clone, FromRow)]
pub struct SignOffRow {
    pub partner_id: i64,
    pub partner: String,
    pub approved: i64,
    pub reason: String,
    pub signed_by: String,
    pub signed_at: UtcTime,
}

/// The partners' answers, by partner.
pub async fn sign_offs(
    conn: &mut AnyConnection,
    what: Signed,
) -> Result<Vec<SignOffRow>, sqlx::Error> {
    let (table, key, id) = what.table();
    let sql = format!(
        "SELECT s.partner_id, p.name AS partner, s.approved, s.reason,
                COALESCE(u.full_name, '') AS signed_by, s.signed_at
         FROM {table} s JOIN partners p ON p.id = s.partner_id
         LEFT JOIN users u ON u.id = s.signed_by
         WHERE s.{key} = $1 ORDER BY p.id"
    );
    sqlx::query_as(&sql).bind(id).fetch_all(conn).await
}

/// A recommended award as the partners' approvers see it in their list.
#[derive(Debug, Clone, FromRow)]
pub struct Recommendation {
    pub bid_id: i64,
    pub round_id: i64,
    pub round_title: String,
    pub organisation: String,
    #[sqlx(rename = "amount_pence")]
    pub amount: Option<Pence>,
    pub override_reason: String,
    #[sqlx(try_from = "String")]
    pub sign_off: SignOff,
    pub decided_at: UtcTime,
    /// This partner's answer: 1 approved, 0 refused, None not yet.
    pub answered: Option<i64>,
}

/// The recommended awards awaiting sign-off, or answered in the last `days` days (newest
/// first), with `partner_id`'s answer to each.
pub async fn recommendations(
    conn: &mut AnyConnection,
    partner_id: i64,
    since: UtcTime,
) -> Result<Vec<Recommendation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.bid_id, b.round_id, r.title AS round_title, o.name AS organisation,
                d.amount_pence, d.override_reason, d.sign_off, d.decided_at,
                (SELECT s.approved FROM sign_offs s WHERE s.bid_id = d.bid_id AND s.partner_id = $1) AS answered
         FROM decisions d JOIN bids b ON b.id = d.bid_id JOIN rounds r ON r.id = b.round_id
         JOIN organisations o ON o.id = b.organisation_id
         WHERE d.outcome = 'award'
           AND (d.sign_off = 'awaiting' OR (d.sign_off IN ('signed', 'refused') AND d.decided_at >= $2))
         ORDER BY CASE WHEN d.sign_off = 'awaiting' THEN 0 ELSE 1 END, d.decided_at DESC, d.bid_id",
    )
    .bind(partner_id)
    .bind(since)
    .fetch_all(conn)
    .await
}

/// How many recommended awards in a round await sign-off.
pub async fn awaiting_in_round(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM decisions d JOIN bids b ON b.id = d.bid_id
         WHERE b.round_id = $1 AND d.outcome = 'award' AND d.sign_off = 'awaiting'",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await
}

/// A variation adding money to an award, as approvers see it in their list.
#[derive(Debug, Clone, FromRow)]
pub struct VariationToSign {
    pub variation_id: i64,
    pub scheme_id: i64,
    pub organisation: String,
    #[sqlx(rename = "amount_before_pence")]
    pub amount_before: Pence,
    #[sqlx(rename = "amount_after_pence")]
    pub amount_after: Pence,
    pub status: String,
    pub decided_at: Option<UtcTime>,
    /// This partner's answer: 1 approved, 0 refused, None not yet.
    pub answered: Option<i64>,
}

/// The variations awaiting the partners' sign-off, and those some partner answered since
/// `since` (awaiting first, then newest first), with `partner_id`'s answer to each.
pub async fn variations_to_sign(
    conn: &mut AnyConnection,
    partner_id: i64,
    since: UtcTime,
) -> Result<Vec<VariationToSign>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.id AS variation_id, v.scheme_id, o.name AS organisation, v.amount_before_pence,
                v.amount_after_pence, v.status, v.decided_at,
                (SELECT s.approved FROM variation_sign_offs s WHERE s.variation_id = v.id AND s.partner_id = $1) AS answered
         FROM variations v JOIN schemes sc ON sc.id = v.scheme_id
         JOIN organisations o ON o.id = sc.organisation_id
         WHERE v.status = 'awaiting_sign_off'
            OR EXISTS (SELECT 1 FROM variation_sign_offs s WHERE s.variation_id = v.id AND s.signed_at >= $2)
         ORDER BY CASE WHEN v.status = 'awaiting_sign_off' THEN 0 ELSE 1 END, v.decided_at DESC, v.id",
    )
    .bind(partner_id)
    .bind(since)
    .fetch_all(conn)
    .await
}

/// Who recorded the decision on a bid: (email, name).
pub async fn decided_by(
    conn: &mut AnyConnection,
    bid_id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.email, u.full_name FROM decisions d JOIN users u ON u.id = d.decided_by
         WHERE d.bid_id = $1",
    )
    .bind(bid_id)
    .fetch_optional(conn)
    .await?;
    use sqlx::Row;
    row.map(|r| Ok((r.try_get("email")?, r.try_get("full_name")?)))
        .transpose()
}
