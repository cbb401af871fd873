//! People's accounts and the roles granted to them.
use super::types::Flag;
use crate::domain::roles::Role;
use crate::domain::time::UtcTime;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "Flag")]
    pub email_verified: bool,
    pub session_version: i64,
    pub created_at: UtcTime,
}

const USER_COLUMNS: &str =
    "id, email, full_name, password_hash, email_verified, session_version, created_at";

/// Insert a user; a duplicate email is a unique violation for the caller to turn into a field error.
pub async fn insert(
    conn: &mut AnyConnection,
    email: &str,
    full_name: &str,
    password_hash: &str,
    verified: bool,
    now: UtcTime,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, full_name, password_hash, email_verified, session_version, created_at)
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(email)
    .bind(full_name)
    .bind(password_hash)
    .bind(i64::from(verified))
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn by_email(pool: &AnyPool, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    sqlx::query_as(&sql).bind(email).fetch_optional(pool).await
}

pub async fn by_id(pool: &AnyPool, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
}

/// A user and their granted roles in one query: the signed-in user is read on every request.
pub async fn by_id_with_roles(
    pool: &AnyPool,
    id: i64,
) -> Result<Option<(UserRow, Vec<Role>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.full_name, u.password_hash, u.email_verified, \
         u.session_version, u.created_at, r.role \
         FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let user = UserRow::from_row(first)?;
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>("role").ok().flatten())
        .filter_map(|code| Role::from_code(&code))
        .collect();
    roles.sort();
    Ok(Some((user, roles)))
}

pub async fn roles(pool: &AnyPool, user_id: i64) -> Result<Vec<Role>, sqlx::Error> {
    let codes: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    let mut roles: Vec<Role> = codes.iter().filter_map(|c| Role::from_code(c)).collect();
    roles.sort();
    Ok(roles)
}

/// Replace a user's granted roles.
pub async fn set_roles(
    conn: &mut AnyConnection,
    user_id: i64,
    roles: &[Role],
    granted_by: Option<i64>,
    now: UtcTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for role in roles {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, granted_at, granted_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(role.code())
        .bind(now)
        .bind(granted_by)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn mark_verified(conn: &mut AnyConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Set a new password hash and invalidate every existing session of the user.
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, session_version = session_version + 1 WHERE id = $2",
    )
    .bind(password_hash)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct UserListRow {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    #[sqlx(try_from = "Flag")]
    pub email_verified: bool,
    /// Filled in after the query: the roles' labels, comma-separated.
    #[sqlx(skip)]
    pub roles: String,
}

/// A role granted to someone.
#[derive(FromRow)]
struct Grant {
    user_id: i64,
    role: String,
}

/// One page of users, ordered by name then id, optionally filtered by name or email.
pub async fn list(
    pool: &AnyPool,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UserListRow>, i64), sqlx::Error> {
    let pattern = format!("%{}%", search.trim().to_lowercase());
    let total: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users
         WHERE LOWER(email) LIKE $1 OR LOWER(full_name) LIKE $1",
    )
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let mut users: Vec<UserListRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.full_name, u.email_verified
         FROM users u
         WHERE LOWER(u.email) LIKE $1 OR LOWER(u.full_name) LIKE $1
         ORDER BY LOWER(u.full_name), u.id
         LIMIT $2 OFFSET $3",
    )
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    // Roles for the page in one query (no N+1).
    if !users.is_empty() {
        let ids: Vec<String> = users.iter().map(|u| u.id.to_string()).collect();
        let sql = format!(
            "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY role",
            ids.join(",")
        );
        let grants: Vec<Grant> = sqlx::query_as(&sql).fetch_all(pool).await?;
        for grant in grants {
            if let (Some(user), Some(role)) = (
                users.iter_mut().find(|u| u.id == grant.user_id),
                Role::from_code(&grant.role),
            ) {
                if !user.roles.is_empty() {
                    user.roles.push_str(", ");
                }
                user.roles.push_str(role.label());
            }
        }
    }
    Ok((users, total))
}

/// Someone holding some of the roles asked for.
#[derive(Debug, Clone)]
pub struct RoleHolder {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

/// A person and one role they hold.
#[derive(FromRow)]
struct PersonRole {
    id: i64,
    full_name: String,
    email: String,
    role: String,
}

/// Everyone holding any of `roles`, with which of them they hold, by name.
pub async fn with_roles(
    conn: &mut AnyConnection,
    roles: &[Role],
) -> Result<Vec<RoleHolder>, sqlx::Error> {
    let rows: Vec<PersonRole> = sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, r.role FROM users u JOIN user_roles r ON r.user_id = u.id
         ORDER BY LOWER(u.full_name), u.id",
    )
    .fetch_all(conn)
    .await?;
    let mut out: Vec<RoleHolder> = Vec::new();
    for row in rows {
        let Some(role) = Role::from_code(&row.role).filter(|r| roles.contains(r)) else {
            continue;
        };
        match out.last_mut() {
            Some(last) if last.id == row.id => last.roles.push(role),
            _ => out.push(RoleHolder {
                id: row.id,
                full_name: row.full_name,
                email: row.email,
                roles: vec![role],
            }),
        }
    }
    Ok(out)
}

/// Who a user represents on the Board ('' for none).
pub async fn set_constituency(
    conn: &mut AnyConnection,
    user_id: i64,
    code: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET constituency = $1 WHERE id = $2")
        .bind(code)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn constituency(pool: &AnyPool, user_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT constituency FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// The board members, by name: (id, name, email, constituency code).
pub async fn board_members(
    conn: &mut AnyConnection,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.full_name, u.email, u.constituency FROM users u
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'board_member'
         ORDER BY LOWER(u.full_name), u.id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("full_name")?,
                r.try_get("email")?,
                r.try_get("constituency")?,
            ))
        })
        .collect()
}

/// The partner a user signs off for (None for anyone who is not a partner approver).
pub async fn set_approver_for(
    conn: &mut AnyConnection,
    user_id: i64,
    partner_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET approver_for = $1 WHERE id = $2")
        .bind(partner_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The partner `user_id` signs off for, if they hold the partner approver role.
pub async fn approver_for(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let found: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT u.approver_for FROM users u
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'partner_approver'
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.flatten())
}

/// The partner approvers: (partner id, name, email), by partner then name.
pub async fn partner_approvers(
    conn: &mut AnyConnection,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.approver_for, u.full_name, u.email FROM users u
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'partner_approver'
         WHERE u.approver_for IS NOT NULL
         ORDER BY u.approver_for, LOWER(u.full_name), u.id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("approver_for")?,
                r.try_get("full_name")?,
                r.try_get("email")?,
            ))
        })
        .collect()
}
