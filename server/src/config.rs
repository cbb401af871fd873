//! Command line and environment: every setting is a flag with an environment variable.
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "seedbed",
    version,
    about = "Seedbed: seed funding for community services from a pooled health and social care fund"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web portal (the default)
    Serve(ServeArgs),
    /// Apply database migrations and exit
    Migrate,
    /// Create an admin account (or make an existing account an admin) and print a link to set its password
    CreateAdmin {
        /// The admin's email address
        email: String,
        /// The admin's full name
        #[arg(long, default_value = "Seedbed admin")]
        name: String,
    },
    /// Load the demo accounts (idempotent) and print them
    Demo {
        /// Also load scale data for load benchmarks into a fresh database: 1 is 10 rounds of
        /// 300 bids, 15 assessors, 500 funded schemes with 12 returns, 5,000 organisations;
        /// 0.1 is a tenth of that
        #[arg(long, value_name = "N")]
        scale: Option<f64>,
    },
    /// Copy the SQLite database to PATH while the portal runs (on PostgreSQL use pg_dump)
    Backup {
        /// Where to write the backup (a new file)
        path: std::path::PathBuf,
    },
    /// Replace the SQLite database with the backup at PATH (stop the portal first)
    Restore {
        /// The backup to restore
        path: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Database URL: sqlite://path?mode=rwc or postgres://user@host/db
    #[arg(
        long,
        env = "SEEDBED_DATABASE_URL",
        default_value = "sqlite://data/seedbed.db?mode=rwc",
        global = true
    )]
    pub database_url: String,
    /// Maximum database connections in the pool
    #[arg(
        long,
        env = "SEEDBED_DATABASE_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub database_max_connections: u32,
    /// Public address of the portal, used in emailed links
    #[arg(
        long,
        env = "SEEDBED_BASE_URL",
        default_value = "http://127.0.0.1:3000",
        global = true
    )]
    pub base_url: String,
    /// The 360Giving identifier prefix registered for this publisher: grants are published as
    /// 360G-<prefix>-<id>
    #[arg(
        long,
        env = "SEEDBED_360G_PREFIX",
        default_value = "seedbed",
        global = true
    )]
    pub open_data_prefix: String,
    /// SMTP server URL for outgoing mail, e.g. smtps://user:pass@smtp.example.org; unset writes mail to the outbox folder
    #[arg(long, env = "SEEDBED_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// Sender address of outgoing mail
    #[arg(
        long,
        env = "SEEDBED_MAIL_FROM",
        default_value = "Seedbed <no-reply@seedbed.invalid>",
        global = true
    )]
    pub mail_from: String,
    /// Folder for outgoing mail when no SMTP server is set
    #[arg(
        long,
        env = "SEEDBED_OUTBOX_DIR",
        default_value = "data/outbox",
        global = true
    )]
    pub outbox_dir: String,
    /// The commissioning team's email address, on the contact page and for feedback
    #[arg(
        long,
        env = "SEEDBED_CONTACT_EMAIL",
        default_value = app::state::DEFAULT_CONTACT[0],
        global = true
    )]
    pub contact_email: String,
    /// The commissioning team's phone number, on the contact page
    #[arg(
        long,
        env = "SEEDBED_CONTACT_PHONE",
        default_value = app::state::DEFAULT_CONTACT[1],
        global = true
    )]
    pub contact_phone: String,
    /// The commissioning team's postal address (lines separated by commas)
    #[arg(
        long,
        env = "SEEDBED_CONTACT_ADDRESS",
        default_value = app::state::DEFAULT_CONTACT[2],
        global = true
    )]
    pub contact_address: String,
    /// When the phone is answered
    #[arg(
        long,
        env = "SEEDBED_CONTACT_HOURS",
        default_value = app::state::DEFAULT_CONTACT[3],
        global = true
    )]
    pub contact_hours: String,
    /// Log filter, e.g. info or seedbed=debug,tower_http=info
    #[arg(long, env = "SEEDBED_LOG", default_value = "info", global = true)]
    pub log: String,
}

#[derive(Debug, Clone, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on (defaults to LEPTOS_SITE_ADDR, then 127.0.0.1:3000)
    #[arg(long, env = "SEEDBED_ADDR")]
    pub addr: Option<String>,
    /// Load the demo accounts at start-up and print them
    #[arg(long, env = "SEEDBED_DEMO", default_value_t = false)]
    pub demo: bool,
    /// Mark the session cookie Secure (default: on unless the base URL is plain http on localhost)
    #[arg(long, env = "SEEDBED_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Addresses of reverse proxies in front of Seedbed (comma-separated): only from these is
    /// X-Forwarded-For believed, for the client's address in sign-in and mail throttling
    #[arg(long, env = "SEEDBED_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Secure cookies everywhere except plain-http local development.
pub fn secure_cookies_default(base_url: &str) -> bool {
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
    !local.iter().any(|p| base_url.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_outside_local_development() {
        assert!(!secure_cookies_default("http://127.0.0.1:3000"));
        assert!(!secure_cookies_default("http://localhost:3000"));
        assert!(secure_cookies_default("https://seedbed.example.org"));
        assert!(secure_cookies_default("http://seedbed.example.org"));
    }

    #[test]
    fn cli_parses_subcommands() {
        let cli = Cli::try_parse_from(["seedbed", "create-admin", "a@example.org"]).unwrap();
        assert!(matches!(cli.command, Some(Command::CreateAdmin { .. })));
        let cli = Cli::try_parse_from(["seedbed"]).unwrap();
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from([
            "seedbed",
            "--database-url",
            "postgres://x/y",
            "serve",
            "--demo",
        ])
        .unwrap();
        assert_eq!(cli.common.database_url, "postgres://x/y");
        assert!(matches!(
            cli.command,
            Some(Command::Serve(ServeArgs { demo: true, .. }))
        ));
    }
}
