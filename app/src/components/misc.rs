use leptos::prelude::*;

#[component]
pub fn BackLink(
    #[prop(into)] href: String,
    #[prop(default = "Back".into(), into)] text: String,
) -> impl IntoView {
    view! { <a href=href class="govuk-back-link">{text}</a> }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TagColour {
    Grey,
    Blue,
    Green,
    Yellow,
    Red,
    LightBlue,
}

impl TagColour {
    fn class(self) -> &'static str {
        match self {
            TagColour::Grey => "govuk-tag govuk-tag--grey",
            TagColour::Blue => "govuk-tag govuk-tag--blue",
            TagColour::Green => "govuk-tag govuk-tag--green",
            TagColour::Yellow => "govuk-tag govuk-tag--yellow",
            TagColour::Red => "govuk-tag govuk-tag--red",
            TagColour::LightBlue => "govuk-tag govuk-tag--light-blue",
        }
    }
}

#[component]
pub fn Tag(
    #[prop(into)] text: String,
    #[prop(default = TagColour::Blue)] colour: TagColour,
) -> impl IntoView {
    view! { <strong class=colour.class()>{text}</strong> }
}

/// A success or information banner.
#[component]
pub fn NotificationBanner(
    #[prop(into)] text: String,
    #[prop(optional)] success: bool,
) -> impl IntoView {
    let (class, title, role) = if success {
        (
            "govuk-notification-banner govuk-notification-banner--success",
            "Success",
            "alert",
        )
    } else {
        ("govuk-notification-banner", "Important", "region")
    };
    view! {
        <div class=class role=role aria-labelledby="notification-banner-title" data-module="govuk-notification-banner">
            <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="notification-banner-title">{title}</h2>
            </div>
            <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">{text}</p>
            </div>
        </div>
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub key: String,
    pub value: String,
    /// (href, visually hidden text), e.g. ("/account/name", "name")
    pub change: Option<(String, String)>,
}

impl SummaryRow {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
            change: None,
        }
    }
    pub fn change(mut self, href: impl Into<String>, hidden: impl Into<String>) -> Self {
        self.change = Some((href.into(), hidden.into()));
        self
    }
}

#[component]
pub fn SummaryList(rows: Vec<SummaryRow>) -> impl IntoView {
    let items = rows
        .into_iter()
        .map(|row| {
            let action = row.change.map(|(href, hidden)| {
                view! {
                    <dd class="govuk-summary-list__actions">
                        <a class="govuk-link" href=href>"Change"<span class="govuk-visually-hidden">{format!(" {hidden}")}</span></a>
                    </dd>
                }
            });
            view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{row.key}</dt>
                    <dd class="govuk-summary-list__value">{row.value}</dd>
                    {action}
                </div>
            }
        })
        .collect_view();
    view! { <dl class="govuk-summary-list">{items}</dl> }
}

pub use crate::web::TaskStatus;

#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub href: Option<String>,
    pub hint: Option<String>,
    pub status: TaskStatus,
}

/// GOV.UK "complete multiple tasks" list.
#[component]
pub fn TaskList(tasks: Vec<Task>) -> impl IntoView {
    let items = tasks
        .into_iter()
        .map(|task| {
            let status_id = format!("{}-status", task.id);
            let hint_id = format!("{}-hint", task.id);
            let described = match task.hint {
                Some(_) => format!("{hint_id} {status_id}"),
                None => status_id.clone(),
            };
            let linkable = task.href.is_some() && task.status != TaskStatus::CannotStartYet;
            let name = match (linkable, task.href) {
                (true, Some(href)) => view! {
                    <a class="govuk-link govuk-task-list__link" href=href aria-describedby=described>{task.name}</a>
                }
                .into_any(),
                _ => view! { <div>{task.name}</div> }.into_any(),
            };
            let status = match task.status {
                TaskStatus::Completed => view! { <span>{task.status.label()}</span> }.into_any(),
                TaskStatus::CannotStartYet => view! { <span class="govuk-task-list__status--cannot-start-yet">{task.status.label()}</span> }.into_any(),
                TaskStatus::InProgress => view! { <strong class="govuk-tag govuk-tag--light-blue">{task.status.label()}</strong> }.into_any(),
                TaskStatus::NotYetStarted => view! { <strong class="govuk-tag govuk-tag--blue">{task.status.label()}</strong> }.into_any(),
            };
            let item_class = if linkable { "govuk-task-list__item govuk-task-list__item--with-link" } else { "govuk-task-list__item" };
            view! {
                <li class=item_class>
                    <div class="govuk-task-list__name-and-hint">
                        {name}
                        {task.hint.map(|h| view! { <div id=hint_id class="govuk-task-list__hint">{h}</div> })}
                    </div>
                    <div class="govuk-task-list__status" id=status_id>{status}</div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="govuk-task-list">{items}</ul> }
}

/// Numbered pagination. `href(page)` builds each link (keeping filters).
#[component]
pub fn Pagination(
    page: i64,
    pages: i64,
    href: fn(i64, &str) -> String,
    #[prop(into)] query: String,
) -> impl IntoView {
    if pages <= 1 {
        return ().into_any();
    }
    let previous = (page > 1).then(|| {
        let link = href(page - 1, &query);
        view! {
            <div class="govuk-pagination__prev">
                <a class="govuk-link govuk-pagination__link" href=link rel="prev">
                    <span class="govuk-pagination__link-title">"Previous"<span class="govuk-visually-hidden">" page"</span></span>
                </a>
            </div>
        }
    });
    let next = (page < pages).then(|| {
        let link = href(page + 1, &query);
        view! {
            <div class="govuk-pagination__next">
                <a class="govuk-link govuk-pagination__link" href=link rel="next">
                    <span class="govuk-pagination__link-title">"Next"<span class="govuk-visually-hidden">" page"</span></span>
                </a>
            </div>
        }
    });
    let numbers = (1..=pages)
        .filter(|n| *n == 1 || *n == pages || (*n - page).abs() <= 1)
        .map(|n| {
            let link = href(n, &query);
            let current = n == page;
            view! {
                <li class=if current { "govuk-pagination__item govuk-pagination__item--current" } else { "govuk-pagination__item" }>
                    <a class="govuk-link govuk-pagination__link" href=link aria-label=format!("Page {n}")
                        aria-current=current.then_some("page")>{n}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="govuk-pagination" aria-label="Pagination">
            {previous}
            <ul class="govuk-pagination__list">{numbers}</ul>
            {next}
        </nav>
    }
    .into_any()
}

/// A table body: `rendered` is rows already rendered to HTML (from the page's cache), drawn
/// as they are; without it the rows are drawn.
pub fn table_body<V: IntoView + 'static>(
    rendered: Option<std::sync::Arc<str>>,
    rows: impl FnOnce() -> V,
) -> AnyView {
    match rendered {
        Some(html) => {
            view! { <tbody class="govuk-table__body" inner_html=html></tbody> }.into_any()
        }
        None => view! { <tbody class="govuk-table__body">{rows()}</tbody> }.into_any(),
    }
}

/// A GOV.UK table with a caption and column headings; the rows are the children. An empty
/// heading is read out as "Action" (a column of links); `numeric` columns align right.
/// `rendered`: the rows already rendered to HTML (see [`table_body`]).
#[component]
pub fn DataTable(
    #[prop(into)] caption: String,
    #[prop(default = "govuk-table__caption--m")] caption_class: &'static str,
    headings: Vec<&'static str>,
    #[prop(optional)] numeric: Vec<usize>,
    #[prop(default = None)] rendered: Option<std::sync::Arc<str>>,
    children: Children,
) -> impl IntoView {
    let head = headings
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if numeric.contains(&i) {
                "govuk-table__header govuk-table__header--numeric"
            } else {
                "govuk-table__header"
            };
            if h.is_empty() {
                view! { <th scope="col" class=class><span class="govuk-visually-hidden">"Action"</span></th> }.into_any()
            } else {
                view! { <th scope="col" class=class>{h}</th> }.into_any()
            }
        })
        .collect_view();
    view! {
        <table class="govuk-table">
            <caption class=format!("govuk-table__caption {caption_class}")>{caption}</caption>
            <thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>
            {table_body(rendered, children)}
        </table>
    }
}

/// One select of a GET filter form: "All …" first, then the choices, the current one chosen.
pub fn filter_select(
    name: &'static str,
    label: &'static str,
    all: &'static str,
    choices: Vec<(String, String)>,
    value: String,
) -> impl IntoView {
    let options = std::iter::once((String::new(), all.to_string()))
        .chain(choices)
        .map(|(code, text)| {
            let selected = code == value;
            view! { <option value=code selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="govuk-form-group seedbed-filter">
            <label class="govuk-label govuk-label--s" for=name>{label}</label>
            <select class="govuk-select" id=name name=name>{options}</select>
        </div>
    }
}
