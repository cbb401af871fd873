use crate::domain::roles::Role;
use sqlx::{AnyConnection, AnyPool, Row};

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    pub email_verified: bool,
    pub session_version: i64,
    pub created_at: String,
}

const USER_COLUMNS: &str =
    "id, email, full_name, password_hash, email_verified, session_version, created_at";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        full_name: row.try_get("full_name")?,
        password_hash: row.try_get("password_hash")?,
        email_verified: row.try_get::<i64, _>("email_verified")? != 0,
        session_version: row.try_get("session_version")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Insert a user; a duplicate email is a unique violation for the caller to turn into a field error.
pub async fn insert(
    conn: &mut AnyConnection,
    email: &str,
    full_name: &str,
    password_hash: &str,
    verified: bool,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (email, full_name, password_hash, email_verified, session_version, created_at)
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(email)
    .bind(full_name)
    .bind(password_hash)
    .bind(i64::from(verified))
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

pub async fn by_email(pool: &AnyPool, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    sqlx::query(&sql)
        .bind(email)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn by_id(pool: &AnyPool, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
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
    let user = user_from_row(first)?;
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>("role").ok().flatten())
        .filter_map(|code| Role::from_code(&code))
        .collect();
    roles.sort();
    Ok(Some((user, roles)))
}

pub async fn roles(pool: &AnyPool, user_id: i64) -> Result<Vec<Role>, sqlx::Error> {
    let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("role").ok())
        .filter_map(|code| Role::from_code(&code))
        .collect();
    roles.sort();
    Ok(roles)
}

/// Replace a user's granted roles.
pub async fn set_roles(
    conn: &mut AnyConnection,
    user_id: i64,
    roles: &[Role],
    granted_by: Option<i64>,
    now: &str,
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

#[derive(Debug, Clone)]
pub struct UserListRow {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub email_verified: bool,
    pub roles: String,
}

/// One page of users, ordered by name then id, optionally filtered by name or email.
pub async fn list(
    pool: &AnyPool,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UserListRow>, i64), sqlx::Error> {
    let pattern = format!("%{}%", search.trim().to_lowercase());
    let total: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM users
         WHERE LOWER(email) LIKE $1 OR LOWER(full_name) LIKE $1",
    )
    .bind(&pattern)
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    let rows = sqlx::query(
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
    let mut users = Vec::with_capacity(rows.len());
    for row in &rows {
        users.push(UserListRow {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            full_name: row.try_get("full_name")?,
            email_verified: row.try_get::<i64, _>("email_verified")? != 0,
            roles: String::new(),
        });
    }
    // Roles for the page in one query (no N+1).
    if !users.is_empty() {
        let ids: Vec<String> = users.iter().map(|u| u.id.to_string()).collect();
        let sql = format!(
            "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY role",
            ids.join(",")
        );
        let role_rows = sqlx::query(&sql).fetch_all(pool).await?;
        for row in &role_rows {
            let user_id: i64 = row.try_get("user_id")?;
            let code: String = row.try_get("role")?;
            if let (Some(user), Some(role)) = (
                users.iter_mut().find(|u| u.id == user_id),
                Role::from_code(&code),
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

/// Everyone holding any of `roles`: (id, full name, email, their roles), by name.
pub async fn with_roles(
    conn: &mut AnyConnection,
    roles: &[Role],
) -> Result<Vec<(i64, String, String, Vec<Role>)>, sqlx::Error> {
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    let rows = sqlx::query(
        "SELECT u.id, u.full_name, u.email, r.role FROM users u JOIN user_roles r ON r.user_id = u.id
         ORDER BY LOWER(u.full_name), u.id",
    )
    .fetch_all(conn)
    .await?;
    let mut out: Vec<(i64, String, String, Vec<Role>)> = Vec::new();
    for row in &rows {
        let code: String = row.try_get("role")?;
        if !codes.contains(&code.as_str()) {
            continue;
        }
        let Some(role) = Role::from_code(&code) else {
            continue;
        };
        let id: i64 = row.try_get("id")?;
        match out.last_mut() {
            Some(last) if last.0 == id => last.3.push(role),
            _ => out.push((
                id,
                row.try_get("full_name")?,
                row.try_get("email")?,
                vec![role],
            )),
        }
    }
    Ok(out)
}
