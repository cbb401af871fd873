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

/// The Board's members, and this financial year's pooled fund if it is set up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub members: Vec<BoardMember>,
    /// (the year its statement is filed under, "2026 to 2027").
    pub fund_year: Option<(i32, String)>,
}

#[server(prefix = "/api", endpoint = "board/members")]
pub async fn board_members() -> Result<BoardData, AppError> {
    let (state, _) = auth::require_any_role(&[Role::BoardMember, Role::Commissioner]).await?;
    let mut conn = state.pool.acquire().await?;
    let members = db::users::board_members(&mut conn).await?;
    let this_year = crate::domain::fund::FinancialYear::containing(crate::domain::date::uk_date(
        chrono::Utc::now(),
    ));
    let fund_year = db::fund::fund_for_year_in(&mut conn, this_year)
        .await?
        .then(|| (this_year.0, this_year.label()));
    let members = members
        .into_iter()
        .map(|(_, name, email, code)| BoardMember {
            name,
            email,
            represents: crate::domain::board::Constituency::from_code(&code)
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| "Not recorded yet".into()),
        })
        .collect();
    Ok(BoardData { members, fund_year })
}
