//! The Board: its members and who each represents (board members and commissioners).
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{auth, db, domain::roles::Role};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardMember {
    pub name: String,
    pub email: String,
    /// "NHS", or "Not recorded yet".
    pub represents: String,
}

#[server(prefix = "/api", endpoint = "board/members")]
pub async fn board_members() -> Result<Vec<BoardMember>, AppError> {
    let (state, _) = auth::require_any_role(&[Role::BoardMember, Role::Commissioner]).await?;
    let mut conn = state.pool.acquire().await?;
    let members = db::users::board_members(&mut conn).await?;
    Ok(members
        .into_iter()
        .map(|(_, name, email, code)| BoardMember {
            name,
            email,
            represents: crate::domain::board::Constituency::from_code(&code)
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| "Not recorded yet".into()),
        })
        .collect())
}
