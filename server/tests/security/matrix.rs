//! The access matrix (server/src/serve/access.rs) checked against the router: every page route,
//! server function and file route has an entry, and asking each as each kind of person gives
//! what the matrix says. Any 200 for someone the matrix does not allow fails.
use crate::common::*;
use app::domain::assessment::{ConflictNature, Declaration};
use server::serve::access::{Who, FILE_ROUTES, PAGES, SERVER_FUNCTIONS};
use std::collections::{BTreeMap, BTreeSet};

/// The demo data's records the samples point at, and one signed-in client per person.
struct Fixture {
    ids: BTreeMap<&'static str, String>,
    clients: Vec<(Who, reqwest::Client)>,
}

async fn id(app: &TestApp, sql: &str) -> String {
    let v: i64 = sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap();
    v.to_string()
}

async fn fixture(app: &TestApp) -> Fixture {
    server::cli::demo::load(&app.pool).await.unwrap();
    let user = |email: &'static str| async move {
        app::db::users::by_email(&app.pool, email)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let round = id(
        app,
        &format!(
            "SELECT id FROM rounds WHERE title = '{}'",
            server::cli::demo::PILOT_TITLE
        ),
    )
    .await;
    let a = user("applicant@seedbed.test").await;
    let bid = id(app, &format!("SELECT b.id FROM bids b JOIN memberships m ON m.organisation_id = b.organisation_id WHERE b.round_id = {round} AND m.user_id = {a}")).await;
    let org = id(
        app,
        &format!("SELECT organisation_id FROM bids WHERE id = {bid}"),
    )
    .await;
    let section = id(app, &format!("SELECT MIN(s.id) FROM round_sections s WHERE s.round_id = {round} AND EXISTS (SELECT 1 FROM round_questions q WHERE q.section_id = s.id)")).await;
    let question = id(
        app,
        &format!("SELECT MIN(id) FROM round_questions WHERE section_id = {section}"),
    )
    .await;
    let criterion = id(
        app,
        &format!("SELECT MIN(id) FROM round_criteria WHERE round_id = {round}"),
    )
    .await;
    let open = id(
        app,
        "SELECT MIN(id) FROM rounds WHERE status IN ('published', 'open')",
    )
    .await;
    // Applicant A is also a member of a funded scheme's organisation.
    let meals = user("meals@seedbed.test").await;
    let scheme = id(app, &format!("SELECT MIN(s.id) FROM schemes s JOIN memberships m ON m.organisation_id = s.organisation_id WHERE m.user_id = {meals}")).await;
    let scheme_org: i64 = id(
        app,
        &format!("SELECT organisation_id FROM schemes WHERE id = {scheme}"),
    )
    .await
    .parse()
    .unwrap();
    let now = app::db::now();
    let mut conn = app.pool.acquire().await.unwrap();
    app::db::organisations::add_member(&mut conn, scheme_org, a, now)
        .await
        .unwrap();
    // The second board member has declared a conflict in A's bid.
    let board2 = user("board2@seedbed.test").await;
    app::db::assessment::declare(
        &mut conn,
        bid.parse().unwrap(),
        board2,
        &Declaration::Conflict {
            nature: ConflictNature::Trustee,
            description: "I am a trustee".into(),
        },
        None,
        "",
        now,
    )
    .await
    .unwrap();
    // A file question in the bid's first section, for the upload page and route.
    let file_question = app::domain::round::QuestionForm {
        label: "Upload your safeguarding policy".into(),
        hint: String::new(),
        qtype: "file_upload".into(),
        required: "no".into(),
        word_limit: String::new(),
        options: String::new(),
    }
    .parse()
    .unwrap();
    app::db::rounds::add_question(
        &mut conn,
        round.parse().unwrap(),
        section.parse().unwrap(),
        &file_question,
    )
    .await
    .unwrap();
    drop(conn);
    let mut ids = BTreeMap::new();
    ids.insert("file_section", section.clone());
    ids.insert(
        "file_question",
        id(
            app,
            &format!("SELECT MAX(id) FROM round_questions WHERE section_id = {section}"),
        )
        .await,
    );
    ids.insert("round", round);
    ids.insert("open", open);
    ids.insert("bid", bid);
    ids.insert("org", org);
    ids.insert("section", section);
    ids.insert("question", question);
    ids.insert("criterion", criterion);
    ids.insert(
        "tranche",
        id(
            app,
            &format!("SELECT MIN(id) FROM tranches WHERE scheme_id = {scheme}"),
        )
        .await,
    );
    ids.insert(
        "return",
        id(
            app,
            &format!("SELECT MIN(id) FROM returns WHERE scheme_id = {scheme}"),
        )
        .await,
    );
    // The demo asks another scheme for money back: this one gets a clawback of its own, so
    // that its repayment page is tried by everyone.
    sqlx::query(
        "INSERT INTO clawbacks (scheme_id, amount_pence, reason, due_on, raised_at)
         VALUES ($1, 100, 'Tried by the access matrix', '2099-01-01', '2026-12-07T00:00:00Z')",
    )
    .bind(scheme.parse::<i64>().unwrap())
    .execute(&app.pool)
    .await
    .unwrap();
    ids.insert(
        "clawback",
        id(
            app,
            &format!("SELECT MAX(id) FROM clawbacks WHERE scheme_id = {scheme}"),
        )
        .await,
    );
    // A variation to the scheme that adds money and awaits the partners' sign-off.
    sqlx::query(
        "INSERT INTO variations (scheme_id, status, by_organisation, reason, proposal, changes,
            amount_before_pence, amount_after_pence, raised_at)
         VALUES ($1, 'awaiting_sign_off', 1, 'Tried by the access matrix', '{}', 'Award up',
            100, 200, '2026-12-07T00:00:00Z')",
    )
    .bind(scheme.parse::<i64>().unwrap())
    .execute(&app.pool)
    .await
    .unwrap();
    ids.insert(
        "variation",
        id(
            app,
            &format!("SELECT MAX(id) FROM variations WHERE scheme_id = {scheme}"),
        )
        .await,
    );
    ids.insert("scheme", scheme);
    ids.insert(
        "recommended",
        id(
            app,
            "SELECT MIN(bid_id) FROM decisions WHERE sign_off = 'awaiting'",
        )
        .await,
    );
    ids.insert(
        "meeting",
        id(app, "SELECT MIN(id) FROM board_meetings").await,
    );
    ids.insert("gap", id(app, "SELECT MIN(id) FROM gaps").await);
    ids.insert("service", id(app, "SELECT MIN(id) FROM services").await);
    ids.insert("unit_cost", id(app, "SELECT MIN(id) FROM unit_costs").await);
    ids.insert("partner", id(app, "SELECT MIN(id) FROM partners").await);

    ids.insert("year", id(app, "SELECT MAX(year) FROM funds").await);
    ids.insert("user", a.to_string());
    let mut clients = Vec::new();
    for (who, email) in [
        (Who::SignedOut, ""),
        (Who::ApplicantA, "applicant@seedbed.test"),
        (Who::ApplicantB, "church@seedbed.test"),
        (Who::BoardMember, "board@seedbed.test"),
        (Who::ConflictedBoardMember, "board2@seedbed.test"),
        (Who::LayEvaluator, "carer@seedbed.test"),
        (Who::Commissioner, "commissioner@seedbed.test"),
        (Who::Approver, "icblead@seedbed.test"),
        (Who::Admin, "admin@seedbed.test"),
    ] {
        let client = new_client();
        if !email.is_empty() {
            let posted = app
                .sign_in(&client, email, server::cli::demo::DEMO_PASSWORD)
                .await;
            assert!(posted.status < 400, "{email} signs in: {}", posted.body);
        }
        clients.push((who, client));
    }
    Fixture { ids, clients }
}

fn fill(sample: &str, ids: &BTreeMap<&'static str, String>) -> String {
    let mut out = sample.to_string();
    for (k, v) in ids {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    assert!(!out.contains('{'), "no value for a placeholder in {sample}");
    out
}

/// A route as the matrix spells it: `:param` for leptos (`{param}` from axum).
fn leptos_style(path: &str) -> String {
    path.split('/')
        .map(
            |part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => format!(":{name}"),
                None => part.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// Every route the router serves, by kind, and the matrix's entries: they must be the same.
fn coverage() -> Vec<String> {
    let mut problems = Vec::new();
    let mut compare = |kind: &str, routed: BTreeSet<String>, listed: BTreeSet<String>| {
        for r in routed.difference(&listed) {
            problems.push(format!(
                "{kind} {r} has no entry in server/src/serve/access.rs"
            ));
        }
        for r in listed.difference(&routed) {
            problems.push(format!(
                "{kind} {r} is in server/src/serve/access.rs but not routed"
            ));
        }
    };
    let pages: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| leptos_style(r.path()))
        .collect();
    compare(
        "page",
        pages,
        PAGES.iter().map(|p| p.route.to_string()).collect(),
    );
    let functions: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    compare(
        "server function",
        functions,
        SERVER_FUNCTIONS
            .iter()
            .map(|(f, _)| f.to_string())
            .collect(),
    );
    compare(
        "file route",
        server::file_route_paths()
            .into_iter()
            .map(String::from)
            .collect(),
        FILE_ROUTES.iter().map(|f| f.route.to_string()).collect(),
    );
    problems
}

/// Every argument any server function takes, with a value of the right shape, so that a
/// refused call is refused by its access check rather than by a missing argument.
fn arguments(ids: &BTreeMap<&'static str, String>, function: &str) -> Vec<(String, String)> {
    let id = |k: &str| ids[k].clone();
    // `id` is the record the function is about, named by its module.
    let record = match function.split('/').next().unwrap_or("") {
        "bids" => "bid",
        "organisations" => "org",
        "schemes" => "scheme",
        "admin" => "user",
        "gaps" => "gap",
        "services" => "service",
        "fund" => "partner",
        "portfolio" => "unit_cost",
        _ => "round",
    };
    let mut args: Vec<(String, String)> = [
        ("round_id", id("round")),
        ("bid_id", id("bid")),
        ("scheme_id", id("scheme")),
        ("organisation_id", id("org")),
        ("section_id", id("section")),
        ("question_id", id("question")),
        ("criterion_id", id("criterion")),
        ("tranche_id", id("tranche")),
        ("clawback_id", id("clawback")),
        ("return_id", id("return")),
        ("user_id", id("user")),
        ("meeting_id", id("meeting")),
        ("variation_id", id("variation")),
        ("measure_id", "1".into()),
        ("item_id", "1".into()),
        ("id", id(record)),
        ("year", id("year")),
        ("page", "1".into()),
        ("version", "1".into()),
        ("reopen", "false".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    // `reason`, `note`, `gap` and `legal_form` are a single value for some functions and a
    // map (`note[3]=…`) for others; a map left out is empty.
    for (name, single) in [
        (
            "reason",
            ["fund/vary", "bids/withdraw", "rounds/new_version"].as_slice(),
        ),
        (
            "note",
            ["schemes/review_tranche", "bids/interview_reply"].as_slice(),
        ),
        ("gap", ["portfolio/view", "opendata/register"].as_slice()),
        ("legal_form", ["organisations/register"].as_slice()),
    ] {
        if single.contains(&function) {
            args.push((name.to_string(), "1".to_string()));
        }
    }
    for text in [
        "token",
        "email",
        "password",
        "confirm_password",
        "direction",
        "round",
        "status",
        "decision",
        "then",
        "confirm",
        "name",
        "org_identifier",
        "agreed_value",
        "partner",
        "amount",
        "full_name",
        "purpose",
        "evidence",
        "form",
        "category",
        "narrative",
        "risks",
        "comment",
        "outcome",
        "search",
        "title",
        "panel",
        "what",
        "covers_area",
        "next",
        "cost",
        "unit",
        "source",
        "kind",
        "attribution",
        "unit_cost_id",
        "need",
        "reference",
        "target_population",
        "outcome_sought",
        "priority",
        "conditions",
        "feedback",
        "returns_every",
        "summary",
        "guidance",
        "envelope",
        "min_award",
        "max_award",
        "period_months",
        "area_served",
        "label",
        "hint",
        "qtype",
        "required",
        "word_limit",
        "options",
        "weight",
        "min_score",
        "description",
        "nature",
    ] {
        // A variation's amounts are a map (`amount[t12]=…`), left out here.
        if text == "amount" && function == "schemes/vary" {
            continue;
        }
        args.push((text.to_string(), "1".to_string()));
    }
    args
}

fn refused(who: Who, status: u16, location: &Option<String>) -> bool {
    matches!(status, 401 | 403 | 404)
        || (who == Who::SignedOut
            && matches!(status, 302 | 303)
            && location
                .as_deref()
                .is_some_and(|l| l.starts_with("/account/sign-in")))
}

crate::both_backends!(
    every_route_answers_only_the_people_it_is_for,
    async |app: &TestApp| {
        let mut problems = coverage();
        let f = fixture(app).await;
        for page in PAGES {
            let url = fill(page.sample, &f.ids);
            for (who, client) in &f.clients {
                let res = client
                    .get(app.url(&url))
                    .header("Accept", "text/html")
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .map(String::from);
                let ok = if page.access.allows(*who) {
                    status == 200
                } else {
                    refused(*who, status, &location)
                };
                if !ok {
                    problems.push(format!(
                        "page {url} as {who:?}: {status} (matrix: {:?})",
                        page.access
                    ));
                }
            }
        }
        for (function, access) in SERVER_FUNCTIONS {
            for (who, client) in &f.clients {
                // Allowed calls change things: the journeys' own tests make them. Here, every
                // refusal is checked, with every argument present and pointing at real records.
                if access.allows(*who) {
                    continue;
                }
                let res = client
                    .post(app.url(&format!("/api/{function}")))
                    .header("Accept", "application/json")
                    .form(&arguments(&f.ids, function))
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .map(String::from);
                if !refused(*who, status, &location) {
                    let body = res.text().await.unwrap_or_default();
                    problems.push(format!(
                        "server function {function} as {who:?}: {status} {} (matrix: {access:?})",
                        body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
        for route in FILE_ROUTES {
            let url = fill(route.sample, &f.ids);
            for (who, client) in &f.clients {
                let allowed = route.access.allows(*who);
                let request = if route.method == "POST" {
                    if allowed {
                        continue;
                    }
                    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 test".to_vec())
                        .file_name("evidence.pdf")
                        .mime_str("application/pdf")
                        .unwrap();
                    client
                        .post(app.url(&url))
                        .multipart(reqwest::multipart::Form::new().part("file", part))
                } else {
                    client.get(app.url(&url))
                };
                let res = request.header("Accept", "text/html").send().await.unwrap();
                let status = res.status().as_u16();
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .map(String::from);
                // Allowed: not refused. A download the demo data has no file for is a 404.
                let ok = if allowed {
                    !matches!(status, 401 | 403)
                        && status < 500
                        && location.is_none_or(|l| !l.starts_with("/account/sign-in"))
                } else {
                    refused(*who, status, &location)
                };
                if !ok {
                    problems.push(format!(
                        "{} {url} as {who:?}: {status} (matrix: {:?})",
                        route.method, route.access
                    ));
                }
            }
        }
        problems.extend(cross_site_and_get(app, &f).await);
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
);

/// Every mutating endpoint (every server function, every upload) refuses a cross-site post
/// even from someone it is for, and none answers GET.
async fn cross_site_and_get(app: &TestApp, f: &Fixture) -> Vec<String> {
    let mut problems = Vec::new();
    let client_for = |access: server::serve::access::Access| {
        f.clients
            .iter()
            .rev()
            .find(|(who, _)| access.allows(*who))
            .map(|(_, c)| c.clone())
            .unwrap_or_else(new_client)
    };
    let posts = SERVER_FUNCTIONS
        .iter()
        .map(|(function, access)| (format!("/api/{function}"), *access))
        .collect::<Vec<_>>()
        .into_iter()
        .chain(
            FILE_ROUTES
                .iter()
                .filter(|r| r.method == "POST")
                .map(|r| (fill(r.sample, &f.ids), r.access)),
        );
    for (url, access) in posts {
        let client = client_for(access);
        for (origin, site) in [
            ("https://evil.example", "cross-site"),
            ("https://evil.example", ""),
        ] {
            let mut request = client
                .post(app.url(&url))
                .header("Accept", "application/json")
                .header("Origin", origin)
                .form(&arguments(&f.ids, url.trim_start_matches("/api/")));
            if !site.is_empty() {
                request = request.header("Sec-Fetch-Site", site);
            }
            let status = request.send().await.unwrap().status().as_u16();
            if status != 403 {
                problems.push(format!(
                    "cross-site POST {url} (Sec-Fetch-Site {site:?}): {status}"
                ));
            }
        }
        let is_download = FILE_ROUTES
            .iter()
            .any(|r| r.method == "GET" && fill(r.sample, &f.ids) == url);
        if !is_download {
            let status = client
                .get(app.url(&url))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            if status != 405 {
                problems.push(format!("GET {url}: {status}, not 405"));
            }
        }
    }
    problems
}
