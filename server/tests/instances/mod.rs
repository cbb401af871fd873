//! Several instances: two `seedbed serve` processes on one PostgreSQL database behind
//! Debian's nginx, set up as docs/deploy.md sets them up (round robin, the client's address
//! in X-Forwarded-For, the proxy trusted by the app). What people do through one instance
//! works on the other; what the clock does happens once; restarting one instance while the
//! other serves loses nothing that was acknowledged.
use crate::common::process::{free_ports, Instance};
use crate::common::*;
use sqlx::Row;
use std::time::Duration;

/// nginx in the foreground with its own prefix, config and logs in a scratch directory.
struct Nginx {
    process: std::process::Child,
    base: String,
    dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Nginx {
    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

fn nginx_binary() -> &'static str {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("this test needs Debian's nginx (scripts/test.sh installs it)")
}

/// The site of docs/deploy.md, on loopback without TLS, in front of `upstreams`.
fn nginx_conf(dir: &std::path::Path, port: u16, upstreams: &[u16]) -> String {
    let d = dir.display();
    let servers: String = upstreams
        .iter()
        .map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;\n"))
        .collect();
    format!(
        r#"worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  upstream seedbed {{
{servers}    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 11m;
    location / {{
      proxy_pass http://seedbed;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"#
    )
}

async fn start_nginx(port: u16, upstreams: &[u16]) -> Nginx {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // nginx's workers run as nobody when it is started as root: they write request bodies here.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o777)).unwrap();
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf(dir.path(), port, upstreams)).unwrap();
    let process = std::process::Command::new(nginx_binary())
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf)
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nginx starts");
    let nginx = Nginx {
        process,
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{}/health", nginx.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return nginx;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nginx did not answer: {}", nginx.error_log());
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let (status, body, _) = app.get(client, path).await;
    assert_eq!(status, 200, "{} {path}: {body}", app.base);
    body
}

async fn text(client: &reqwest::Client, url: String) -> String {
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "{url}");
    res.text().await.unwrap()
}

/// The subjects of every message the two instances and the in-process app have sent.
fn subjects(app: &TestApp, instances: &[&Instance]) -> Vec<String> {
    let mut all: Vec<String> = app.mails().into_iter().map(|m| m.subject).collect();
    for instance in instances {
        all.extend(instance.mail_subjects());
    }
    all
}

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx() {
    let app = spawn_app(Backend::Postgres).await;
    server::cli::demo::load(&app.pool).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    // Due when the instances start: an open round's closing time (not the chiropody round's,
    // where a bid is saved below), and a return's reminder.
    let round: i64 =
        sqlx::query("SELECT id FROM rounds WHERE status = 'open' ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("id");
    let past = app::domain::time::to_db(chrono::Utc::now() - chrono::Duration::minutes(1));
    sqlx::query("UPDATE rounds SET closes_at = $1 WHERE id = $2")
        .bind(&past)
        .bind(round)
        .execute(&app.pool)
        .await
        .unwrap();
    let tomorrow = app::domain::date::uk_date(chrono::Utc::now()) + chrono::Duration::days(1);
    let reminder = sqlx::query(
        "SELECT r.id, r.position, o.name FROM returns r JOIN schemes s ON s.id = r.scheme_id
         JOIN organisations o ON o.id = s.organisation_id
         WHERE r.status IN ('due', 'draft') AND s.status = 'active' ORDER BY r.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (return_id, position, organisation): (i64, i64, String) = (
        reminder.get("id"),
        reminder.get("position"),
        reminder.get("name"),
    );
    sqlx::query("UPDATE returns SET due_on = $1 WHERE id = $2")
        .bind(tomorrow.format("%Y-%m-%d").to_string())
        .bind(return_id)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM reminders WHERE return_id = $1")
        .bind(return_id)
        .execute(&app.pool)
        .await
        .unwrap();

    // Two instances started together, and nginx in front of both.
    let env = |public: &str| {
        vec![
            ("SEEDBED_BASE_URL", public.to_string()),
            ("SEEDBED_TRUSTED_PROXIES", "127.0.0.1".to_string()),
        ]
    };
    let [nginx_port, port_a, port_b] = free_ports();
    let public = format!("http://127.0.0.1:{nginx_port}");
    let settings = env(&public);
    let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (mut a, mut b) = tokio::join!(
        Instance::start_on(port_a, &app.database_url, dir.path(), &settings),
        Instance::start_on(port_b, &app.database_url, dir.path(), &settings)
    );
    let nginx = start_nginx(nginx_port, &[a.port, b.port]).await;
    let (via_a, via_b, via_proxy) = (app.at(&a.base), app.at(&b.base), app.at(&nginx.base));

    // The clock closed the round once, and the reminder went once to each member.
    wait_for("the round's closing", async || {
        app.count(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM rounds WHERE id = {round} AND status = 'closed'"
        ))
        .await
            == 1
    })
    .await;
    let subject = format!(
        "Monitoring return {position} for {organisation} is due on {}",
        app::domain::date::display_date(tomorrow)
    );
    let members = app
        .count(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM memberships m JOIN schemes s ON s.organisation_id = m.organisation_id
             JOIN returns r ON r.scheme_id = s.id WHERE r.id = {return_id}"
        ))
        .await;
    assert!(members > 0);
    for tries in 0.. {
        let all = subjects(&app, &[&a, &b]);
        if all.iter().filter(|s| **s == subject).count() as i64 >= members {
            break;
        }
        assert!(
            tries < 300,
            "no reminder \"{subject}\" within 30 s: {all:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A little longer: a second instance's send would have arrived by now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = subjects(&app, &[&a, &b])
        .iter()
        .filter(|s| **s == subject)
        .count() as i64;
    assert_eq!(sent, members, "each member is reminded once: {subject}");
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'round.closed' AND subject_type = 'round' AND subject_id = '{round}'"
        ))
        .await,
        1,
        "the round is closed once"
    );
    let anon = new_client();
    for base in [&a.base, &b.base] {
        let page = text(&anon, format!("{base}/rounds/{round}")).await;
        assert!(page.contains("This round is closed to new bids."), "{base}");
    }

    // A session made through one instance works on the other (the cookie names a session
    // kept in the database).
    let commissioner = crate::schemes::client_for(&via_a, "commissioner@seedbed.test").await;
    let pilot: i64 = sqlx::query("SELECT id FROM rounds WHERE title = $1")
        .bind(server::cli::demo::PILOT_TITLE)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("id");
    let moderation = format!("/fund/rounds/{pilot}/moderation");
    let before = page(&via_b, &commissioner, &moderation).await;
    assert!(!before.contains("Awarded £24,000.00"), "{before}");
    let portfolio = page(&via_b, &commissioner, "/fund/schemes").await;
    assert!(!portfolio.contains("Happy Feet Chiropody CIC"));
    let register = page(&via_b, &anon, "/awards").await;
    assert!(!register.contains("Happy Feet Chiropody CIC"));
    let open_data = text(&anon, format!("{}/open-data/360giving.json", b.base)).await;
    assert!(!open_data.contains("Happy Feet Chiropody CIC"));

    // A write through one instance is on the other's pages at the next request (each page's
    // cached data is checked against the data generation kept in the database).
    let (scheme, _, applicant) = crate::schemes::award_pilot(&via_a).await;
    let after = page(&via_b, &commissioner, &moderation).await;
    assert!(after.contains("Awarded £24,000.00"), "{after}");
    let portfolio = page(&via_b, &commissioner, "/fund/schemes").await;
    assert!(
        portfolio.contains("Happy Feet Chiropody CIC"),
        "{portfolio}"
    );
    let register = page(&via_b, &anon, "/awards").await;
    assert!(register.contains("Happy Feet Chiropody CIC"), "{register}");
    let open_data = text(&anon, format!("{}/open-data/360giving.json", b.base)).await;
    assert!(open_data.contains("Happy Feet Chiropody CIC"));

    // An upload through one instance downloads through the other (files are kept in the
    // database, not on an instance's disk).
    let tranche: i64 =
        sqlx::query("SELECT id FROM tranches WHERE scheme_id = $1 ORDER BY position LIMIT 1")
            .bind(scheme)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .get("id");
    crate::schemes::accept(&via_a, &applicant, scheme).await;
    let body = b"%PDF-1.4 insurance certificate, uploaded through one instance".to_vec();
    let res = applicant
        .post(format!(
            "{}/schemes/{scheme}/tranches/{tranche}/files",
            a.base
        ))
        .header("Accept", "text/html")
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(body.clone()).file_name("insurance.pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let file: i64 = sqlx::query("SELECT file_id FROM tranche_files")
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .get("file_id");
    let res = applicant
        .get(format!("{}/schemes/{scheme}/files/{file}", b.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), body);

    // Through the proxy, sign-in throttling sees each person's own address (nginx puts it in
    // X-Forwarded-For; the app trusts that header from the proxy alone). Someone guessing
    // from one address is slowed down on both instances; a person at another address is not.
    let email = "applicant@seedbed.test";
    let guesser = client_from("127.0.0.5");
    for _ in 0..app::domain::throttle::FREE_FAILURES_PER_PAIR {
        let res = via_proxy.sign_in(&guesser, email, "not the password").await;
        assert_eq!(res.status, 302);
    }
    via_proxy.sign_in(&guesser, email, "not the password").await;
    let (_, signin, _) = via_proxy.get(&guesser, "/account/sign-in").await;
    assert!(
        signin.contains("There have been too many attempts to sign in"),
        "{signin}"
    );
    let person = client_from("127.0.0.6");
    let res = via_proxy
        .sign_in(&person, email, crate::schemes::DEMO)
        .await;
    assert_eq!(res.status, 302);
    let (status, account, _) = via_proxy.get(&person, &format!("/schemes/{scheme}")).await;
    assert_eq!(status, 200, "{account}");

    // Restarting each instance in turn while people save their work through the proxy: every
    // save is acknowledged (nginx sends a request the stopping instance no longer takes to
    // the other; the stopping one finishes what it took), and every acknowledged save is kept.
    let saver = crate::bids::applicant(&app, "pat@example.org", "Pat's Feet CIC").await;
    let bid = crate::bids::start(&app, &saver).await;
    let (section, question) = crate::bids::first_custom_question(&app).await;
    let saver = new_client();
    assert_eq!(
        via_proxy
            .sign_in(&saver, "pat@example.org", TEST_PASSWORD)
            .await
            .status,
        302
    );
    // Saves go on (one every 20 ms or so) until both restarts are over, and a second more.
    let restarting = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let saving = tokio::spawn({
        let via_proxy = app.at(&nginx.base);
        let restarting = restarting.clone();
        async move {
            let mut version = 0;
            let mut n = 0;
            let mut done_at = None;
            loop {
                if !restarting.load(std::sync::atomic::Ordering::SeqCst) {
                    let at = *done_at.get_or_insert_with(std::time::Instant::now);
                    if at.elapsed() > Duration::from_secs(1) {
                        break;
                    }
                }
                let answer = format!("save {n}");
                let key = format!("answer[q{question}]");
                let form = [
                    ("bid_id", bid.to_string()),
                    ("section_id", section.to_string()),
                    ("version", version.to_string()),
                    ("then", "later".to_string()),
                    ("completed", "no".to_string()),
                    (key.as_str(), answer),
                ];
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let res = via_proxy
                    .post_form(
                        &saver,
                        "/api/bids/save_section",
                        &format!("/bids/{bid}/sections/{section}"),
                        &form,
                    )
                    .await;
                assert_eq!(
                    res.status, 302,
                    "save {n} was not acknowledged: {}",
                    res.body
                );
                assert!(
                    !res.location.as_deref().unwrap_or("").contains("/sections/"),
                    "save {n} refused: {:?}",
                    res.location
                );
                version += 1;
                n += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (n, version)
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.stop().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.start_again().await;
    // nginx tries a failed instance again after fail_timeout (3 s).
    tokio::time::sleep(Duration::from_secs(4)).await;
    b.stop().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    b.start_again().await;
    restarting.store(false, std::sync::atomic::Ordering::SeqCst);
    let (saves, last_version) = saving.await.unwrap();
    assert!(saves > 100, "{saves} saves");
    let (last, version) = crate::bids::stored_answer(&app, bid, section, question).await;
    assert_eq!(last, format!("save {}", saves - 1));
    assert_eq!(version, last_version);
    assert!(
        !nginx.error_log().contains("no live upstreams"),
        "{}",
        nginx.error_log()
    );
    drop(nginx);
    drop((a, b));
    app.cleanup().await;
}

/// A release as docs/deploy.md installs it: `hash.txt` beside the binary names the copies of
/// the JavaScript, wasm and stylesheet whose names carry their content's hash
/// (scripts/build.sh --release writes them). With LEPTOS_HASH_FILES=true every page links
/// those names, which nginx lets browsers keep for a year.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_link_the_hashed_files_of_a_release() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let pkg = dir.path().join("site/pkg");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    let binary = bin.join("seedbed");
    std::fs::copy(env!("CARGO_BIN_EXE_seedbed"), &binary).unwrap();
    let (js, wasm, css) = ("0123456789abcdef", "fedcba9876543210", "00112233aabbccdd");
    std::fs::write(
        bin.join("hash.txt"),
        format!("js: {js}\nwasm: {wasm}\ncss: {css}\n"),
    )
    .unwrap();
    std::fs::write(pkg.join(format!("seedbed.{css}.css")), "body { margin: 0 }").unwrap();
    let database = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("seedbed.db").display()
    );
    let site = dir.path().join("site");
    let [port] = free_ports();
    let release = Instance::start_binary(
        binary,
        port,
        &database,
        dir.path(),
        &[
            ("LEPTOS_SITE_ROOT", site.to_str().unwrap()),
            ("LEPTOS_HASH_FILES", "true"),
        ],
    )
    .await;
    let page = text(&new_client(), format!("{}/", release.base)).await;
    for link in [
        format!("/pkg/seedbed.{css}.css"),
        format!("/pkg/seedbed.{js}.js"),
        format!("/pkg/seedbed.{wasm}.wasm"),
    ] {
        assert!(page.contains(&link), "{link}: {page}");
    }
    assert!(!page.contains("/pkg/seedbed.css"), "{page}");
    let css_file = text(
        &new_client(),
        format!("{}/pkg/seedbed.{css}.css", release.base),
    )
    .await;
    assert_eq!(css_file, "body { margin: 0 }");
}
