//! spawn_app(): the real router on 127.0.0.1:0 against a fresh SQLite file or a fresh
//! PostgreSQL database, with a capturing mailer; a cookie-keeping client drives it like a browser.
pub use app::domain::roles::Role;
use reqwest::header::{ACCEPT, REFERER};
use server::mail::CapturingMailer;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
pub mod process;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub mailer: CapturingMailer,
    pub pool: sqlx::AnyPool,
    /// The app's state, for calling what the server's background tasks call.
    pub state: app::state::AppState,
    pub database_url: String,
    _dir: Option<tempfile::TempDir>,
    pg_db: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn admin_pg_url() -> String {
    std::env::var("SEEDBED_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    // Warnings and errors from the app show in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
    let (url, dir, pg_db) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("seedbed.db").display()
            );
            (url, Some(dir), None)
        }
        Backend::Postgres => {
            sqlx::any::install_default_drivers();
            let name = format!(
                "seedbed_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                chrono::Utc::now().timestamp_subsec_nanos()
            );
            let admin = admin_pg_url();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap();
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            let base = admin.rsplit_once('/').unwrap().0.to_string();
            (format!("{base}/{name}"), None, Some(name))
        }
    };
    let (base, mailer, state) = serve_on(&url).await;
    TestApp {
        base,
        mailer,
        pool: state.pool.clone(),
        state,
        database_url: url,
        _dir: dir,
        pg_db,
    }
}

/// Build and serve the app on a database: (base URL, its mailer, its state).
async fn serve_on(url: &str) -> (String, CapturingMailer, app::state::AppState) {
    let mailer = CapturingMailer::default();
    let mut leptos_options = leptos::prelude::get_configuration(None)
        .unwrap()
        .leptos_options;
    leptos_options.output_name = "seedbed".into();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let (router, state) = server::build(server::BuildOptions {
        database_url: url.to_string(),
        max_connections: 5,
        base_url: base.clone(),
        secure_cookies: false,
        leptos_options,
        mailer: Arc::new(mailer.clone()),
        open_data_prefix: "seedbed".into(),
        // The tests' reverse proxy connects from this loopback address.
        trusted_proxies: vec![TEST_PROXY.parse().unwrap()],
        contact: app::state::Contact {
            email: "team@test.example".into(),
            ..Default::default()
        },
    })
    .await
    .unwrap();
    tokio::spawn(server::serve(router, listener));
    (base, mailer, state)
}

/// Every test client: the server closes a connection idle for 15 s (its header read
/// timeout), so a client must not reuse one idle for longer (it would race that close).
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(5))
}

pub fn new_client() -> reqwest::Client {
    crate::common::client_builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A client whose requests come from another loopback address (another person's network).
pub fn client_from(ip: &str) -> reqwest::Client {
    crate::common::client_builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A loopback address of its own for each person the tests register, as people register
/// from their own networks (registrations are limited per client address).
fn next_home_address() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("127.1.{}.{}", (n / 250) % 250, n % 250 + 1)
}

/// Leptos adds `__path` and `__err` to the address it redirects a failed plain post back to.
fn strip_error_query(location: &str) -> String {
    for marker in ["?__path=", "&__path="] {
        if let Some(i) = location.find(marker) {
            return location[..i].to_string();
        }
    }
    location.to_string()
}

pub const TEST_PASSWORD: &str = "correct horse battery";

/// The address the tests' stand-in reverse proxy connects from (trusted by every test app).
pub const TEST_PROXY: &str = "127.0.0.3";

async fn send(request: reqwest::RequestBuilder) -> Posted {
    let res = request.send().await.unwrap();
    Posted {
        status: res.status().as_u16(),
        location: res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(String::from),
        body: res.text().await.unwrap_or_default(),
    }
}

pub struct Posted {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A plain HTML form post from `page`, as a browser without JavaScript sends it.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        page: &str,
        form: &[(&str, &str)],
    ) -> Posted {
        let request = client
            .post(self.url(endpoint))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, self.url(page))
            .form(form);
        let posted = send(request).await;
        Posted {
            location: posted
                .location
                .map(|l| strip_error_query(&l.replace(&self.base, ""))),
            ..posted
        }
    }

    /// A call as the hydrated page makes it (JavaScript on).
    pub async fn post_js(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Posted {
        let request = client
            .post(self.url(endpoint))
            .header(ACCEPT, "application/json")
            .form(form);
        send(request).await
    }

    /// A confirmed account holding `roles`, signed in on a fresh client.
    pub async fn signed_in_as(&self, email: &str, roles: &[Role]) -> reqwest::Client {
        self.user_with_roles(email, roles).await;
        let client = new_client();
        let res = self.sign_in(&client, email, TEST_PASSWORD).await;
        assert_eq!(res.status, 302, "{}", res.body);
        client
    }

    /// A confirmed account holding `roles`, signed in: its session cookie (`name=value`), for
    /// requests written by hand.
    pub async fn session_cookie(&self, email: &str, roles: &[Role]) -> String {
        self.user_with_roles(email, roles).await;
        let res = crate::common::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(self.url("/api/account/sign_in"))
            .header(ACCEPT, "text/html")
            .form(&[("email", email), ("password", TEST_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        let cookie = res
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("seedbed_session="))
            .expect("a session cookie");
        cookie.split(';').next().unwrap().to_string()
    }

    async fn user_with_roles(&self, email: &str, roles: &[Role]) {
        self.registered_user("Test User", email, TEST_PASSWORD)
            .await;
        let user = app::db::users::by_email(&self.pool, email)
            .await
            .unwrap()
            .unwrap();
        let mut conn = self.pool.acquire().await.unwrap();
        app::db::users::set_roles(&mut conn, user.id, roles, None, app::db::now())
            .await
            .unwrap();
    }

    /// How many rows a query counts (`SELECT CAST(COUNT(*) AS BIGINT) AS n …`).
    /// Rows of the kept score totals (what the moderation ranking reads) that differ from
    /// the totals worked out afresh from the submitted scores, either way round.
    pub async fn score_totals_out_of_step(&self) -> i64 {
        let kept = "SELECT bid_id, criterion_id, scores, total, lowest, highest FROM score_totals";
        let fresh = "SELECT s.bid_id, s.criterion_id, COUNT(s.score), CAST(COALESCE(SUM(s.score), 0) AS BIGINT),
            COALESCE(MIN(s.score), 0), COALESCE(MAX(s.score), 0)
            FROM scores s JOIN assignments a ON a.bid_id = s.bid_id AND a.user_id = s.user_id AND a.submitted_at IS NOT NULL
            GROUP BY s.bid_id, s.criterion_id";
        let mut out = 0;
        for (a, b) in [(kept, fresh), (fresh, kept)] {
            out += self
                .count(&format!(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM ({a} EXCEPT {b}) AS d"
                ))
                .await;
        }
        out
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String, Option<String>) {
        let res = client
            .get(self.url(path))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let html = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        let body = res.text().await.unwrap();
        // A page as the reader sees it: without the hydration markers (`<!>` comments between
        // text nodes) that debug builds with `--cfg erase_components` write.
        let body = if html { body.replace("<!>", "") } else { body };
        (status, body, location)
    }

    /// Every email sent so far, after sending what waits in the outbox (mail leaves the
    /// request through the outbox and a background task; this sends it now).
    pub fn mails(&self) -> Vec<app::mail::OutgoingMail> {
        let state = self.state.clone();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                app::outbox::drain(&state).await.unwrap();
                // A message the request's own sender had claimed may still be on its way.
                for _ in 0..500 {
                    if app::db::outbox::unsent(&state.pool).await.unwrap() == 0 {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            })
        });
        self.mailer.messages()
    }

    pub fn last_mail_to(&self, to: &str) -> app::mail::OutgoingMail {
        self.mails()
            .into_iter()
            .rev()
            .find(|m| m.to == to)
            .unwrap_or_else(|| panic!("no mail to {to}"))
    }

    pub fn token_in_last_mail(&self, to: &str) -> String {
        let body = self.last_mail_to(to).body;
        let start = body.find("token=").expect("a link with a token") + "token=".len();
        body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect()
    }

    /// Register and confirm an account, returning nothing; the client is left signed out.
    pub async fn registered_user(&self, name: &str, email: &str, password: &str) {
        let client = client_from(&next_home_address());
        let res = self
            .post_form(
                &client,
                "/api/account/register",
                "/account/register",
                &[
                    ("full_name", name),
                    ("email", email),
                    ("password", password),
                    ("confirm_password", password),
                ],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/account/check-email"),
            "{}",
            res.body
        );
        let token = self.token_in_last_mail(email);
        let res = self
            .post_form(
                &client,
                "/api/account/verify",
                "/account/verify",
                &[("token", &token)],
            )
            .await;
        assert_eq!(res.location.as_deref(), Some("/account/sign-in"));
    }

    pub async fn sign_in(&self, client: &reqwest::Client, email: &str, password: &str) -> Posted {
        self.post_form(
            client,
            "/api/account/sign_in",
            "/account/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A second server instance on the same database (a restart, or scale-out), with its
    /// own mail outbox. Dropping it leaves the database in place.
    pub async fn another_instance(&self) -> TestApp {
        let (base, mailer, state) = serve_on(&self.database_url).await;
        TestApp {
            base,
            mailer,
            pool: state.pool.clone(),
            state,
            database_url: self.database_url.clone(),
            _dir: None,
            pg_db: None,
        }
    }

    /// The same database and helpers, talking to another address (a `seedbed serve`
    /// process or a proxy in front of several).
    pub fn at(&self, base: &str) -> TestApp {
        TestApp {
            base: base.trim_end_matches('/').to_string(),
            mailer: self.mailer.clone(),
            pool: self.pool.clone(),
            state: self.state.clone(),
            database_url: self.database_url.clone(),
            _dir: None,
            pg_db: None,
        }
    }

    pub async fn cleanup(self) {
        let TestApp { pool, pg_db, .. } = self;
        pool.close().await;
        if let Some(name) = pg_db {
            // Sessions use their own pool; force other connections off before dropping.
            if let Ok(mut conn) =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_pg_url()).await
            {
                let _ = sqlx::Executor::execute(
                    &mut conn,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                )
                .await;
            }
        }
    }
}

/// Run a test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = spawn_app(Backend::Sqlite).await;
                ($body)(&app).await;
                app.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = spawn_app(Backend::Postgres).await;
                ($body)(&app).await;
                app.cleanup().await;
            }
        }
    };
}

/// The partners have not named approvers (as before joint sign-off was set up): a
/// commissioner's award is made at once. For tests about something other than sign-off.
pub async fn without_sign_off(app: &TestApp) {
    sqlx::query("UPDATE users SET approver_for = NULL")
        .execute(&app.pool)
        .await
        .unwrap();
}

/// The payment form's date boxes for today (UK), as a payer would leave them.
pub fn paid_today() -> Vec<(&'static str, String)> {
    use chrono::Datelike;
    let today = app::domain::date::uk_date(chrono::Utc::now());
    vec![
        ("paid_day", today.day().to_string()),
        ("paid_month", today.month().to_string()),
        ("paid_year", today.year().to_string()),
    ]
}
