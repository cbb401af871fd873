pub mod account;
pub mod admin;
pub mod apply;
pub mod assess;
pub mod decide;
pub mod fund;
pub mod layout;
pub mod market;
pub mod monitor;
pub mod public;

use crate::error::AppError;
use crate::web::FlashedForm;
use leptos::prelude::*;

/// Only same-site paths may be used after sign-in (no open redirects): see
/// [`crate::domain::next_path::is_safe_next`].
pub use crate::domain::next_path::is_safe_next;

/// The typed values after a failed post, else the saved ones.
pub fn pick(stored: &FlashedForm, name: &str, saved: &str) -> String {
    if stored.errors.is_empty() {
        saved.to_string()
    } else {
        stored.value(name)
    }
}

/// Render a form page with what a failed plain post left behind (values and errors).
/// Only for a form that needs no other data: a form that does uses [`FormPage`], so that
/// both resources are created once, before any of them resolves. (A resource created inside
/// another resource's `Suspend` is created again each time that closure runs: the stored
/// form was taken by the first copy and the page showed the second, empty one; and a
/// server-side render could wait for ever on a copy created after the others resolved.)
#[component]
pub fn WithFlashedForm<F, V>(form: &'static str, render: F) -> impl IntoView
where
    F: Fn(FlashedForm) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let stored = Resource::new(|| (), move |_| crate::api::form_state(form.to_string()));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move { render(stored.await.unwrap_or_default()) })
            }}
        </Transition>
    }
}

/// A page that loads `data` and shows a form with what a failed plain post left behind.
#[component]
pub fn FormPage<T, F, V>(
    form: &'static str,
    data: Resource<Result<T, AppError>>,
    render: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(FlashedForm, T) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let stored = Resource::new(|| (), move |_| crate::api::form_state(form.to_string()));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    let stored = stored.await.unwrap_or_default();
                    match data.await {
                        Err(e) => crate::components::error_view(e),
                        Ok(data) => render(stored, data).into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// A page's table rows drawn from cached data (`at`: the cache key and data epoch):
/// their HTML is cached beside the data and rendered once per change. `None` in the browser
/// or without `at` (the rows are then drawn as usual). Only rows that are the same for
/// everyone who may see the page can be cached: nothing of the viewer's own.
pub fn cached_rows_html<V: IntoView + 'static>(
    at: Option<&crate::web::CachedAt>,
    rows: impl FnOnce() -> V,
) -> Option<std::sync::Arc<str>> {
    #[cfg(feature = "ssr")]
    if let (Some(at), Ok(state)) = (at, crate::state::app_state()) {
        return Some(state.cache.html(at, || rows().into_view().to_html()));
    }
    let _ = (at, rows);
    None
}

/// A record's history (its audit entries): when, what happened, and the change.
pub fn history_table(history: Vec<crate::api::admin::AuditView>) -> impl IntoView {
    let rows = history
        .into_iter()
        .map(|h| {
            let change = match (h.before, h.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a,
                _ => String::new(),
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{h.when}</td>
                    <td class="govuk-table__cell">{h.summary}</td>
                    <td class="govuk-table__cell">{change}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--m">"History"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"When"</th>
                    <th scope="col" class="govuk-table__header">"What happened"</th>
                    <th scope="col" class="govuk-table__header">"Change"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{rows}</tbody>
        </table>
    }
}
