//! The page kit rendered to HTML as the server sends it (what a browser without JavaScript sees).
use super::*;
use crate::error::FieldError;
use leptos::prelude::*;

/// The HTML without hydration markers (`<!>` comments, which builds with `--cfg
/// erase_components` write between text nodes; a browser shows nothing for them).
fn render<V: IntoView + 'static>(f: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    owner.with(|| f().to_html()).replace("<!>", "")
}

fn no_error() -> Signal<Option<String>> {
    Signal::derive(|| None)
}

fn error(message: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || Some(message.to_string()))
}

#[test]
fn text_input_wires_label_hint_and_error() {
    let html = render(|| {
        view! { <TextInput name="full_name" label="Full name" hint="As on your bank account" value="Jo <b>"
        error=error("Enter your full name") autocomplete="name"/> }
    });
    assert!(
        html.contains(r#"<label for="full-name" class="govuk-label">Full name</label>"#),
        "{html}"
    );
    assert!(html.contains(r#"id="full-name-hint""#));
    assert!(html.contains(r#"id="full-name-error""#));
    assert!(html.contains(r#"aria-describedby="full-name-hint full-name-error""#));
    assert!(html.contains("govuk-form-group--error"));
    assert!(html.contains("govuk-input--error"));
    assert!(
        html.contains(r#"value="Jo &lt;b&gt;""#),
        "typed value kept and escaped: {html}"
    );
    assert!(html.contains(r#"name="full_name""#));
}

#[test]
fn text_input_without_error_has_no_error_markup() {
    let html =
        render(|| view! { <TextInput name="email" label="Email address" error=no_error()/> });
    assert!(!html.contains("govuk-error-message"));
    assert!(!html.contains("aria-describedby"));
}

#[test]
fn money_input_has_a_pound_prefix_hidden_from_screen_readers() {
    let html = render(
        || view! { <MoneyInput name="amount" label="Amount requested" value="12500.50" error=no_error()/> },
    );
    assert!(
        html.contains(r#"<div aria-hidden="true" class="govuk-input__prefix">£</div>"#),
        "{html}"
    );
    assert!(html.contains(r#"inputmode="decimal""#));
    assert!(html.contains(r#"value="12500.50""#));
}

#[test]
fn textarea_says_its_limit_before_javascript() {
    let html = render(|| {
        view! { <Textarea name="summary" label="Summary" value="Meals and more" error=no_error() limit=Limit::Words(250)/> }
    });
    assert!(html.contains("You can enter up to 250 words"), "{html}");
    assert!(html.contains(r#"aria-describedby="summary-info""#));
    assert!(html.contains(">Meals and more</textarea>"));
}

/// Every textarea in the app is this component (see the next test), in its two forms.
#[test]
fn textareas_show_hostile_text_as_text() {
    let hostile = "</textarea><script>alert(1)</script> & <b>bold</b>";
    for limit in [None, Some(Limit::Words(250))] {
        let html = render(|| match limit {
            Some(limit) => view! { <Textarea name="feedback" label="Feedback" value=hostile
            error=no_error() limit=limit/> }
            .into_any(),
            None => view! { <Textarea name="feedback" label="Feedback" value=hostile
            error=no_error()/> }
            .into_any(),
        });
        assert!(!html.contains("<script>"), "{html}");
        assert_eq!(html.matches("</textarea>").count(), 1, "{html}");
        assert!(
            html.contains(
                "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</textarea>"
            ),
            "{html}"
        );
    }
}

/// No page writes a `<textarea>` of its own: they all use `Textarea`, which escapes its text.
#[test]
fn every_textarea_is_the_escaping_component() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("components/form/text.rs")
                && !path.ends_with("components/render_tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("<textarea") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.is_empty(), "raw <textarea> in {found:?}");
}

#[test]
fn radios_check_the_saved_value_and_link_errors_to_the_first_option() {
    let html = render(|| {
        view! { <Radios name="legal_form" legend="Legal form" value="cic" error=error("Select a legal form")
        choices=vec![Choice::new("charity", "Registered charity"), Choice::new("cic", "Community interest company").with_hint("A CIC")]/> }
    });
    assert!(
        html.contains(r#"id="legal-form" name="legal_form" type="radio" value="charity""#),
        "{html}"
    );
    assert!(html.contains(r#"value="cic" checked"#), "{html}");
    assert!(html.contains("<legend"));
    assert!(html.contains(r#"id="legal-form-error""#));
}

#[test]
fn checkboxes_post_each_choice_under_its_own_name() {
    let html = render(|| {
        view! { <Checkboxes name="roles" legend="Roles" checked=vec!["admin".to_string()] error=no_error()
        choices=vec![Choice::new("board_member", "Board member"), Choice::new("admin", "Admin")]/> }
    });
    assert!(
        html.contains(r#"name="admin" type="checkbox" value="admin" checked"#),
        "{html}"
    );
    assert!(html.contains(r#"name="board_member" type="checkbox" value="board_member""#));
}

#[test]
fn date_input_has_day_month_year() {
    let html = render(
        || view! { <DateInput name="opens" legend="Opening date" day="1".to_string() month="4".to_string() year="2027".to_string() error=no_error()/> },
    );
    for part in ["opens_day", "opens_month", "opens_year"] {
        assert!(
            html.contains(&format!(r#"name="{part}""#)),
            "{part}: {html}"
        );
    }
    assert!(
        html.contains(">Day</label>")
            && html.contains(">Month</label>")
            && html.contains(">Year</label>")
    );
}

#[test]
fn select_marks_the_saved_choice() {
    let html = render(|| {
        view! { <Select name="band" label="Annual income" value="b" error=no_error()
        choices=vec![Choice::new("a", "Under £10,000"), Choice::new("b", "£10,000 to £100,000")]/> }
    });
    assert!(html.contains(r#"<option value="b" selected"#), "{html}");
}

#[test]
fn error_summary_links_each_problem_to_its_field() {
    let html = render(|| {
        let errors = FormErrors(Signal::derive(|| {
            vec![
                FieldError::new("email", "Enter your email address"),
                FieldError::new("", "Try again later"),
            ]
        }));
        view! { <ErrorSummary errors=errors/> }
    });
    assert!(html.contains("There is a problem"));
    assert!(
        html.contains(r##"<a href="#email">Enter your email address</a>"##),
        "{html}"
    );
    assert!(html.contains("<li>Try again later</li>"));
    assert!(html.contains(r#"role="alert""#));
}

#[test]
fn task_list_shows_status_and_links_only_startable_tasks() {
    let html = render(|| {
        view! { <TaskList tasks=vec![
            Task { id: "budget".into(), name: "Budget".into(), href: Some("/b".into()), hint: None, status: TaskStatus::InProgress },
            Task { id: "declare".into(), name: "Declaration".into(), href: Some("/d".into()), hint: None, status: TaskStatus::CannotStartYet },
        ]/> }
    });
    assert!(
        html.contains(r#"href="/b""#) && html.contains("In progress"),
        "{html}"
    );
    assert!(
        !html.contains(r#"href="/d""#),
        "cannot start yet is not a link"
    );
    assert!(html.contains("Cannot start yet"));
}

#[test]
fn summary_list_change_links_name_what_they_change() {
    let html = render(
        || view! { <SummaryList rows=vec![SummaryRow::new("Name", "Jo").change("/n", "name")]/> },
    );
    assert!(
        html.contains(r#"<span class="govuk-visually-hidden"> name</span>"#),
        "{html}"
    );
}

#[test]
fn pagination_marks_the_current_page() {
    fn href(page: i64, _q: &str) -> String {
        format!("/x?page={page}")
    }
    let html = render(|| view! { <Pagination page=2 pages=5 href=href query=""/> });
    assert!(html.contains(r#"aria-current="page""#), "{html}");
    assert!(html.contains(r#"rel="prev""#) && html.contains(r#"rel="next""#));
}

#[test]
fn chart_text_is_readable_and_labels_do_not_crowd() {
    let points = (1..=12)
        .map(|i| (format!("Q{i} 2027"), Some(80 - i * 5), Some(75 - i * 5)))
        .collect();
    let html = render(|| {
        view! { <TrajectoryChart id="t" title="Dependency" points=points summary="Falls to 15%"/> }
    });
    for size in html.split("font-size=\"").skip(1) {
        let px: u32 = size.split('"').next().unwrap().parse().unwrap();
        assert!(px >= 16, "chart text at {px}px");
    }
    // Twelve quarters: every other one is labelled, so the labels never overlap.
    assert_eq!(html.matches(" 2027</text>").count(), 6, "{html}");
}
