//! Awards for open data: every funded scheme with what 360Giving needs, read as a stream.
use crate::domain::money::Pence;
use crate::domain::opendata::{Award, Funder};
use crate::domain::round::LegalForm;
use chrono::NaiveDate;
use sqlx::{AnyPool, Row};

/// Every award, oldest first (`fetch` it as a stream and map rows with [`award_from_row`]).
pub const AWARDS_SQL: &str = "SELECT s.id, s.amount_pence, s.starts_on, s.created_at, s.accepted_at, s.graduated_at,
    r.title AS round_title, r.summary, r.period_months, r.area_served, r.invited_only,
    o.id AS organisation_id, o.name AS organisation, o.legal_form, o.charity_number, o.company_number, o.postcode,
    d.decided_at
    FROM schemes s JOIN rounds r ON r.id = s.round_id JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN decisions d ON d.bid_id = s.bid_id
    ORDER BY s.id";

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub fn award_from_row(r: &sqlx::any::AnyRow) -> Result<Award, sqlx::Error> {
    let starts: String = r.try_get("starts_on")?;
    let created: String = r.try_get("created_at")?;
    let decided: Option<String> = r.try_get("decided_at")?;
    let decided = decided
        .as_deref()
        .and_then(crate::domain::time::from_db)
        .map(crate::domain::date::uk_date);
    let created_day = crate::domain::time::from_db(&created).map(crate::domain::date::uk_date);
    let planned_start = date(&starts).or(created_day).unwrap_or_default();
    // An award is dated when it was decided, or when its scheme started if that was earlier.
    let award_date = decided.map_or(planned_start, |d| d.min(planned_start));
    let months = u32::try_from(r.try_get::<i64, _>("period_months")?).unwrap_or(12);
    let planned_end = planned_start
        .checked_add_months(chrono::Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(planned_start);
    let graduated: Option<String> = r.try_get("graduated_at")?;
    let accepted: Option<String> = r.try_get("accepted_at")?;
    let round_title: String = r.try_get("round_title")?;
    let organisation: String = r.try_get("organisation")?;
    Ok(Award {
        scheme_id: r.try_get("id")?,
        title: format!("{round_title}: {organisation}"),
        description: r.try_get("summary")?,
        amount: Pence(r.try_get("amount_pence")?),
        award_date,
        organisation_id: r.try_get("organisation_id")?,
        legal_form: LegalForm::from_code(&r.try_get::<String, _>("legal_form")?)
            .unwrap_or(LegalForm::CommunityGroup),
        charity_number: r
            .try_get::<Option<String>, _>("charity_number")?
            .unwrap_or_default(),
        company_number: r
            .try_get::<Option<String>, _>("company_number")?
            .unwrap_or_default(),
        postcode: r.try_get("postcode")?,
        organisation,
        programme: round_title,
        planned_start,
        planned_end,
        location: r.try_get("area_served")?,
        modified: graduated.or(accepted).unwrap_or(created),
        open_call: r.try_get::<i64, _>("invited_only")? == 0,
    })
}

/// The pooled fund's partners as funders: (org-id, name). A partner with no identifier yet
/// is named with a Seedbed one so the data stays valid.
pub async fn funders(pool: &AnyPool, prefix: &str) -> Result<Vec<Funder>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, org_identifier FROM partners ORDER BY id")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("org_identifier")?;
            let pid: i64 = r.try_get("id")?;
            let id = if id.trim().is_empty() {
                format!("360G-{prefix}-funder-{pid}")
            } else {
                id
            };
            Ok((id, r.try_get("name")?))
        })
        .collect()
}

pub async fn set_partner_identifier(
    conn: &mut sqlx::AnyConnection,
    partner_id: i64,
    identifier: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE partners SET org_identifier = $1 WHERE id = $2")
        .bind(identifier)
        .bind(partner_id)
        .execute(conn)
        .await?;
    Ok(())
}
