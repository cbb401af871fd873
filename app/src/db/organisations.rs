//! Applicant organisations and their members.
use crate::domain::email::Email;
use crate::domain::organisation::{
    CharityNumber, CompanyNumber, IncomeBand, Organisation, Postcode,
};
use crate::domain::round::LegalForm;
use crate::domain::time::UtcTime;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

fn decode(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad {what} in the database").into())
}

const COLUMNS: &str =
    "id, name, legal_form, charity_number, company_number, address_line_1, address_line_2, town,
    postcode, contact_name, contact_email, contact_phone, income_band, area_served";

/// An organisation's stored details, checked as the form checks them.
impl<'r> FromRow<'r, AnyRow> for Organisation {
    fn from_row(r: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let text = |name: &str| r.try_get::<String, _>(name);
        Ok(Organisation {
            name: text("name")?,
            legal_form: LegalForm::from_code(&text("legal_form")?)
                .ok_or_else(|| decode("legal form"))?,
            charity_number: r
                .try_get::<Option<String>, _>("charity_number")?
                .and_then(|n| CharityNumber::parse("", &n).ok()),
            company_number: r
                .try_get::<Option<String>, _>("company_number")?
                .and_then(|n| CompanyNumber::parse("", &n).ok()),
            address_line_1: text("address_line_1")?,
            address_line_2: text("address_line_2")?,
            town: text("town")?,
            postcode: Postcode::parse("", &text("postcode")?).map_err(|_| decode("postcode"))?,
            contact_name: text("contact_name")?,
            contact_email: Email::parse("", &text("contact_email")?)
                .map_err(|_| decode("email"))?,
            contact_phone: text("contact_phone")?,
            income_band: IncomeBand::from_code(&text("income_band")?)
                .ok_or_else(|| decode("income band"))?,
            area_served: text("area_served")?,
        })
    }
}

/// Another organisation (not `except`: 0 for none) already registered with this charity or
/// company number, if any: (its id, its name, and whether the charity number is the one that
/// matches).
pub async fn registered_with(
    conn: &mut AnyConnection,
    charity_number: Option<&str>,
    company_number: Option<&str>,
    except: i64,
) -> Result<Option<RegisteredWith>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, CASE WHEN charity_number = $1 THEN 1 ELSE 0 END AS by_charity
         FROM organisations WHERE (charity_number = $1 OR company_number = $2) AND id <> $3
         ORDER BY id LIMIT 1",
    )
    .bind(charity_number)
    .bind(company_number)
    .bind(except)
    .fetch_optional(conn)
    .await
}

/// Correct an organisation's details.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    o: &Organisation,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE organisations SET name = $1, legal_form = $2, charity_number = $3, company_number = $4,
         address_line_1 = $5, address_line_2 = $6, town = $7, postcode = $8, contact_name = $9,
         contact_email = $10, contact_phone = $11, income_band = $12, area_served = $13, updated_at = $14
         WHERE id = $15";
    with_fields(sqlx::query(sql), o)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Bind $1 to $13: the organisation's fields, in the order of `insert`'s and `update`'s
/// columns.
fn with_fields<'q>(q: AnyQuery<'q>, o: &'q Organisation) -> AnyQuery<'q> {
    q.bind(&o.name)
        .bind(o.legal_form.code())
        .bind(o.charity_number.as_ref().map(|c| c.as_str().to_string()))
        .bind(o.company_number.as_ref().map(|c| c.as_str().to_string()))
        .bind(&o.address_line_1)
        .bind(&o.address_line_2)
        .bind(&o.town)
        .bind(o.postcode.as_str())
        .bind(&o.contact_name)
        .bind(o.contact_email.as_str())
        .bind(&o.contact_phone)
        .bind(o.income_band.code())
        .bind(&o.area_served)
}

/// An organisation that holds a charity or company number.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegisteredWith {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "super::types::Flag")]
    pub by_charity: bool,
}

pub async fn insert(
    conn: &mut AnyConnection,
    o: &Organisation,
    owner: i64,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    let sql = "INSERT INTO organisations (name, legal_form, charity_number, company_number, address_line_1, address_line_2,
         town, postcode, contact_name, contact_email, contact_phone, income_band, area_served, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id";
    let id: i64 = with_fields(sqlx::query(sql), o)
        .bind(owner)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
        .try_get("id")?;
    sqlx::query("INSERT INTO memberships (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'owner', $3)")
        .bind(id)
        .bind(owner)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<Organisation>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
}

/// An organisation someone belongs to, with their role in it ("owner" or "member").
#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub name: String,
    pub role: String,
}

/// The organisations a user belongs to, with their role in each.
pub async fn for_user(pool: &AnyPool, user_id: i64) -> Result<Vec<MembershipRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, o.name, m.role FROM organisations o JOIN memberships m ON m.organisation_id = o.id
         WHERE m.user_id = $1 ORDER BY LOWER(o.name), o.id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// A user's role in an organisation, if they are a member.
pub async fn role_of(
    pool: &AnyPool,
    organisation_id: i64,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2")
        .bind(organisation_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
}

/// How a person is connected with an organisation: (a member of it, has declared a conflict
/// of interest with one of its bids, by their latest declaration on that bid).
pub async fn connection(
    pool: &AnyPool,
    organisation_id: i64,
    user_id: i64,
) -> Result<(bool, bool), sqlx::Error> {
    let member = role_of(pool, organisation_id, user_id).await?.is_some();
    let conflicts: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM declarations d JOIN bids b ON b.id = d.bid_id
         WHERE b.organisation_id = $1 AND d.user_id = $2 AND d.conflict = 1
         AND d.id = (SELECT MAX(d2.id) FROM declarations d2 WHERE d2.bid_id = d.bid_id AND d2.user_id = d.user_id)",
    )
    .bind(organisation_id)
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok((member, conflicts > 0))
}

/// A member of an organisation.
#[derive(Debug, Clone, FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    /// "owner" or "member".
    pub role: String,
}

/// Members, owners first.
pub async fn members(pool: &AnyPool, organisation_id: i64) -> Result<Vec<MemberRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, LOWER(u.full_name)",
    )
    .bind(organisation_id)
    .fetch_all(pool)
    .await
}

pub async fn insert_invite(
    conn: &mut AnyConnection,
    organisation_id: i64,
    email: &str,
    token_hash: &str,
    invited_by: i64,
    expires_at: UtcTime,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation_invites (organisation_id, email, token_hash, invited_by, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(organisation_id)
    .bind(email)
    .bind(token_hash)
    .bind(invited_by)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An invitation to join an organisation.
#[derive(Debug, Clone, FromRow)]
pub struct InviteRow {
    pub organisation_id: i64,
    /// The organisation's name (empty where not asked for).
    #[sqlx(default)]
    pub name: String,
    /// The invited email address.
    pub email: String,
}

/// A live invitation.
pub async fn live_invite(
    pool: &AnyPool,
    token_hash: &str,
    now: UtcTime,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.organisation_id, o.name, i.email FROM organisation_invites i JOIN organisations o ON o.id = i.organisation_id
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Use an invitation once (a conditional update).
pub async fn consume_invite(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: UtcTime,
) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE organisation_invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
         RETURNING organisation_id, email",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

/// An invitation not yet used.
#[derive(Debug, Clone, FromRow)]
pub struct PendingInvite {
    pub email: String,
    pub expires_at: UtcTime,
}

/// Invitations not yet used or expired.
pub async fn pending_invites(
    pool: &AnyPool,
    organisation_id: i64,
    now: UtcTime,
) -> Result<Vec<PendingInvite>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, expires_at FROM organisation_invites WHERE organisation_id = $1 AND used_at IS NULL AND expires_at > $2
         ORDER BY id DESC LIMIT 50",
    )
    .bind(organisation_id)
    .bind(now)
    .fetch_all(pool)
    .await
}

/// Add a member (nothing happens if they already belong).
pub async fn add_member(
    conn: &mut AnyConnection,
    organisation_id: i64,
    user_id: i64,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO memberships (organisation_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(organisation_id)
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remove a member who is not the owner.
pub async fn remove_member(
    conn: &mut AnyConnection,
    organisation_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2 AND role = 'member'",
    )
    .bind(organisation_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hand ownership from `owner` to the member `to`. The owner's row goes first, so a second
/// hand-over at the same time finds no owner and changes nothing.
pub async fn hand_over(
    conn: &mut AnyConnection,
    organisation_id: i64,
    owner: i64,
    to: i64,
) -> Result<bool, sqlx::Error> {
    let demoted = sqlx::query(
        "UPDATE memberships SET role = 'member' WHERE organisation_id = $1 AND user_id = $2 AND role = 'owner' RETURNING user_id",
    )
    .bind(organisation_id)
    .bind(owner)
    .fetch_optional(&mut *conn)
    .await?;
    if demoted.is_none() {
        return Ok(false);
    }
    let promoted = sqlx::query(
        "UPDATE memberships SET role = 'owner' WHERE organisation_id = $1 AND user_id = $2 AND role = 'member' RETURNING user_id",
    )
    .bind(organisation_id)
    .bind(to)
    .fetch_optional(conn)
    .await?;
    Ok(promoted.is_some())
}
