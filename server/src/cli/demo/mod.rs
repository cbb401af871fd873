//! The demo: accounts for every role and the first admin (here), then the pooled fund,
//! registers and rounds (funding.rs), the pilot round in assessment (assessment.rs) and the
//! funded schemes' history (schemes.rs), loaded in that order on a fresh database.
mod assessment;
mod catalogue;
pub(crate) mod common;
pub(crate) mod funding;
mod measures;
mod scheme_changes;
pub(crate) mod schemes;
mod stories;
mod year_ends;

use app::domain::roles::Role;
pub use common::{
    offline_state, CHIROPODY_ROUND, DEMO_PASSWORD, MEALS_ROUND, PAYER_EMAIL, PILOT_TITLE,
};
use sqlx::AnyPool;

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub roles: &'static [Role],
    pub what: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@seedbed.test",
        name: "Alex Admin",
        roles: &[Role::Admin],
        what: "admin: manages users and roles",
    },
    DemoAccount {
        email: "commissioner@seedbed.test",
        name: "Chris Commissioner",
        roles: &[Role::Commissioner],
        what: "commissioner: runs the fund and rounds",
    },
    DemoAccount {
        email: "icb@seedbed.test",
        name: "Imani Ibrahim",
        roles: &[Role::Commissioner],
        what: "commissioner for the ICB: records payments another commissioner approved",
    },
    DemoAccount {
        email: "board@seedbed.test",
        name: "Bernie Board",
        roles: &[Role::BoardMember],
        what: "board member for the voluntary sector: scores every criterion but the carers'",
    },
    DemoAccount {
        email: "board2@seedbed.test",
        name: "Blessing Board",
        roles: &[Role::BoardMember],
        what: "board member for adult social care: a second scorer",
    },
    DemoAccount {
        email: "carer@seedbed.test",
        name: "Carol Carer",
        roles: &[Role::LayEvaluator],
        what: "lay evaluator: unpaid carer scoring the carers' section",
    },
    DemoAccount {
        email: "director@seedbed.test",
        name: "Dana Okoro",
        roles: &[Role::PartnerApprover],
        what: "partner approver for the council (Director of Adult Services): has signed off the Circle's award",
    },
    DemoAccount {
        email: "icblead@seedbed.test",
        name: "Ian Lister",
        roles: &[Role::PartnerApprover],
        what: "partner approver for the ICB (commissioning lead): the Circle's award and St Mary's variation (£600 more) await their sign-off",
    },
    DemoAccount {
        email: "applicant@seedbed.test",
        name: "Amira Applicant",
        roles: &[],
        what: "applicant: owns Happy Feet Chiropody CIC",
    },
    DemoAccount {
        email: "church@seedbed.test",
        name: "Ruth Reverend",
        roles: &[],
        what: "applicant: runs St Peter's Church Lunch Club",
    },
    DemoAccount {
        email: assessment::RECOMMENDED_OWNER,
        name: "Priya Shah",
        roles: &[],
        what: "applicant: Cleethorpes Carers' Circle, recommended for an award awaiting sign-off",
    },
    DemoAccount {
        email: "footcare@seedbed.test",
        name: "Sam Patel",
        roles: &[],
        what: "applicant: Step Forward Chiropody CIC, now self-sustaining",
    },
    DemoAccount {
        email: "meals@seedbed.test",
        name: "Grace Okafor",
        roles: &[],
        what: "applicant: St Mary's Church Meals and More, fifteen months in, a return overdue; a variation awaits the partners' sign-off",
    },
    DemoAccount {
        email: "befriend@seedbed.test",
        name: "Dan Hughes",
        roles: &[],
        what: "applicant: Befriend Grimsby, behind plan, payments suspended",
    },
    DemoAccount {
        email: "lunchclub@seedbed.test",
        name: "Pat Sowerby",
        roles: &[],
        what: "applicant: Nunsthorpe Friday Lunch Club, awarded last year, its first tranche carried forward",
    },
];

/// Insert the demo accounts if they are missing. Existing accounts are left as they are.
/// Past financial years are closed by their year-ends.
pub async fn load(pool: &AnyPool) -> anyhow::Result<()> {
    load_with(pool, true).await
}

/// The demo with its past financial years still open (the scale data adds history to them,
/// then closes them with [`close_past_years`]).
pub async fn load_open(pool: &AnyPool) -> anyhow::Result<()> {
    load_with(pool, false).await
}

/// Run the year-end of every past financial year still open, oldest first, as the demo's
/// commissioner.
pub async fn close_past_years(pool: &AnyPool) -> anyhow::Result<()> {
    let commissioner = app::db::users::by_email(pool, "commissioner@seedbed.test")
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo commissioner missing"))?;
    year_ends::load(pool, commissioner.id).await
}

async fn load_with(pool: &AnyPool, close_years: bool) -> anyhow::Result<()> {
    let hash = app::service::accounts::password::hash_password(DEMO_PASSWORD.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for account in DEMO_ACCOUNTS {
        if app::db::users::by_email(pool, account.email)
            .await?
            .is_some()
        {
            continue;
        }
        let now = app::db::now();
        let mut tx = pool.begin().await?;
        let id =
            app::db::users::insert(&mut tx, account.email, account.name, &hash, true, now).await?;
        app::db::users::set_roles(&mut tx, id, account.roles, None, now).await?;
        // Who each demo board member represents on the Board.
        let represents = match account.email {
            "board@seedbed.test" => "vcs",
            "board2@seedbed.test" => "adult_social_care",
            _ => "",
        };
        app::db::users::set_constituency(&mut tx, id, represents).await?;
        app::db::audit::record(
            &mut tx,
            app::db::audit::Entry::about_user(
                None,
                "demo.account_created",
                id,
                format!("Demo account created: {}", account.what),
            ),
        )
        .await?;
        tx.commit().await?;
    }
    if let Some(commissioner) = app::db::users::by_email(pool, "commissioner@seedbed.test").await? {
        // The fund, registers and rounds; then the pilot's assessment and the funded
        // schemes' history, which build on them (only on a fresh database).
        if funding::load(pool, commissioner.id).await? {
            let pilot: i64 = sqlx::query_scalar("SELECT id FROM rounds WHERE title = $1")
                .bind(PILOT_TITLE)
                .fetch_one(pool)
                .await?;
            assessment::load(pool, pilot, commissioner.id).await?;
            schemes::load(pool, commissioner.id).await?;
            if close_years {
                year_ends::load(pool, commissioner.id).await?;
            }
            // The partners name their approvers once the history's awards are made; from
            // then on an award the Board recommends waits for both to sign it off.
            approvers(pool).await?;
            scheme_changes::vary_meals_again(pool, commissioner.id).await?;
            assessment::recommend(pool, pilot, commissioner.id).await?;
            assessment::shortlist(pool, pilot, commissioner.id).await?;
        }
    }
    Ok(())
}

/// Each partner's approver: the council's first, the ICB's second.
async fn approvers(pool: &AnyPool) -> anyhow::Result<()> {
    let partners = app::db::fund::partners(pool).await?;
    for (email, partner) in ["director@seedbed.test", "icblead@seedbed.test"]
        .into_iter()
        .zip(&partners)
    {
        if let Some(user) = app::db::users::by_email(pool, email).await? {
            let mut conn = pool.acquire().await?;
            app::db::users::set_approver_for(&mut conn, user.id, Some(partner.id)).await?;
        }
    }
    Ok(())
}

pub fn describe() -> String {
    let mut text = format!("Demo accounts (password for all: \"{DEMO_PASSWORD}\"):\n");
    for account in DEMO_ACCOUNTS {
        text.push_str(&format!("  {:<28} {}\n", account.email, account.what));
    }
    text
}

/// Create an admin (or grant admin to an existing account). Returns a link to set the password.
pub async fn create_admin(
    pool: &AnyPool,
    email: &str,
    name: &str,
    base_url: &str,
) -> anyhow::Result<String> {
    let email =
        app::domain::email::Email::parse("email", email).map_err(|e| anyhow::anyhow!(e.message))?;
    let now = app::db::now();
    // Read before the transaction starts: it must never wait on a second pool connection.
    let existing = match app::db::users::by_email(pool, email.as_str()).await? {
        Some(user) => Some((user.id, app::db::users::roles(pool, user.id).await?)),
        None => None,
    };
    // A random password nobody knows; the admin sets their own through the link.
    let (random, _) = app::service::tokens::new_token();
    let hash = app::service::accounts::password::hash_password(random)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = pool.begin().await?;
    let (id, roles) = match existing {
        Some((id, mut roles)) => {
            if !roles.contains(&Role::Admin) {
                roles.push(Role::Admin);
            }
            (id, roles)
        }
        None => {
            let id =
                app::db::users::insert(&mut tx, email.as_str(), name, &hash, true, now).await?;
            (id, vec![Role::Admin])
        }
    };
    app::db::users::set_roles(&mut tx, id, &roles, None, now).await?;
    let (token, digest) = app::service::tokens::new_token();
    let expires = app::domain::time::UtcTime(chrono::Utc::now() + chrono::Duration::hours(24));
    app::db::tokens::insert(&mut tx, id, app::db::tokens::RESET, &digest, expires, now).await?;
    app::db::audit::record(
        &mut tx,
        app::db::audit::Entry {
            actor: None,
            action: "user.admin_created",
            subject_type: "user",
            subject_id: id.to_string(),
            summary: "Admin role granted from the command line (seedbed create-admin)".into(),
            before: None,
            after: Some("Admin".into()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "{}/account/reset-password?token={token}",
        base_url.trim_end_matches('/')
    ))
}
