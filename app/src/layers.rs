//! The direction of dependencies between layers (ARCHITECTURE.md, "Layers"), checked by
//! reading the source: a `use` that points the wrong way fails the test command.
//!
//!     pages → api → service → db → domain;  service → domain;  pages → components;
//!     api, pages → web
//!
//! What is still listed in `NOT_YET` is where the code does not keep the rule today (issue
//! 19 moves it one journey at a time); the test also fails when an entry there is no longer
//! needed, so the list only shrinks.

/// For each layer (a folder or file under `app/src`), the top-level modules of this crate it must
/// not use, and whether it may use leptos and sqlx.
const RULES: &[(&str, &[&str], bool, bool)] = &[
    // (layer, forbidden crate modules, may use leptos, may use sqlx)
    (
        "domain",
        &[
            "db",
            "service",
            "api",
            "pages",
            "components",
            "auth",
            "state",
            "cache",
            "outbox",
            "mail",
        ],
        false,
        false,
    ),
    (
        "db",
        &[
            "service",
            "api",
            "pages",
            "components",
            "auth",
            "state",
            "cache",
            "outbox",
        ],
        false,
        true,
    ),
    (
        "service",
        &[
            "api",
            "pages",
            "components",
            "auth",
            "state",
            "cache",
            "outbox",
        ],
        false,
        true,
    ),
    (
        "components",
        &[
            "db", "service", "api", "pages", "auth", "state", "cache", "outbox",
        ],
        true,
        false,
    ),
    // Server functions and their view models never reach up to the views or the page kit.
    ("api", &["pages", "components", "outbox"], true, true),
    // Views reach the data only through server functions (the cache of rendered rows is
    // theirs: `pages::cached_rows_html`).
    (
        "pages",
        &["db", "service", "auth", "outbox", "mail"],
        true,
        false,
    ),
    // The web adapter's own pieces sit below the pages and server functions.
    (
        "web.rs",
        &[
            "db",
            "service",
            "api",
            "pages",
            "components",
            "auth",
            "state",
            "cache",
        ],
        true,
        false,
    ),
    (
        "error.rs",
        &[
            "service",
            "api",
            "pages",
            "components",
            "auth",
            "state",
            "cache",
        ],
        true,
        true,
    ),
    ("auth", &["api", "pages", "components"], true, true),
    (
        "cache.rs",
        &["api", "pages", "components", "auth"],
        true,
        true,
    ),
    (
        "state.rs",
        &["api", "pages", "components", "auth"],
        true,
        true,
    ),
];

/// (file, the module it uses against the rule): to be moved, then struck off.
const NOT_YET: &[(&str, &str)] = &[];

/// The crate modules a file names (`crate::x`, `crate::{x, y::z}`), ignoring comments.
fn crate_modules(source: &str) -> Vec<String> {
    let code: String = source
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names inside the braces.
            let mut depth = 0;
            let mut name = String::new();
            let mut expecting = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => expecting = true,
                    c if depth == 0 && expecting && (c.is_alphanumeric() || c == '_') => {
                        name.push(c)
                    }
                    _ if !name.is_empty() => {
                        found.push(std::mem::take(&mut name));
                        expecting = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                found.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

fn uses_crate(source: &str, krate: &str) -> bool {
    source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .any(|l| l.contains(&format!("{krate}::")) || l.contains(&format!("use {krate}")))
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn dependencies_point_one_way() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (layer, forbidden, leptos_ok, sqlx_ok) in RULES {
        let mut all = Vec::new();
        files(&src.join(layer), &mut all);
        assert!(!all.is_empty(), "{layer} has files");
        for path in all {
            let name = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let source = std::fs::read_to_string(&path).unwrap();
            for module in crate_modules(&source) {
                if forbidden.contains(&module.as_str()) {
                    wrong.push((name.clone(), module));
                }
            }
            if !leptos_ok && uses_crate(&source, "leptos") {
                wrong.push((name.clone(), "leptos".into()));
            }
            if !sqlx_ok && uses_crate(&source, "sqlx") {
                wrong.push((name.clone(), "sqlx".into()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    let new: Vec<_> = wrong
        .iter()
        .filter(|(f, m)| !NOT_YET.contains(&(f.as_str(), m.as_str())))
        .collect();
    assert!(new.is_empty(), "imports that point the wrong way: {new:?}");
    let stale: Vec<_> = NOT_YET
        .iter()
        .filter(|(f, m)| !wrong.iter().any(|(wf, wm)| wf == f && wm == m))
        .collect();
    assert!(stale.is_empty(), "fixed, strike off NOT_YET: {stale:?}");
}

#[test]
fn finds_every_kind_of_crate_path() {
    let source = "use crate::db;\nuse crate::{api::X, state::{a, b}, cache};\n// crate::pages\nlet x = crate::auth::f();";
    assert_eq!(
        crate_modules(source),
        ["db", "api", "state", "cache", "auth"].map(String::from)
    );
}
