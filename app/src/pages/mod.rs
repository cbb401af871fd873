pub mod account;
pub mod admin;
pub mod apply;
pub mod assess;
pub mod fund;
pub mod layout;
pub mod moderation;
pub mod public;
pub mod rounds;
pub mod schemes;

use crate::domain::roles::Role;
use crate::error::AppError;
use crate::web::FlashedForm;
use leptos::prelude::*;

/// Where a user lands after signing in.
pub fn home_for(roles: &[Role]) -> &'static str {
    if roles.contains(&Role::Commissioner) {
        "/fund"
    } else if roles.contains(&Role::BoardMember) || roles.contains(&Role::LayEvaluator) {
        "/assess"
    } else if roles.contains(&Role::Admin) {
        "/admin/users"
    } else {
        "/account"
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lands_on_the_most_useful_page() {
        assert_eq!(home_for(&[]), "/account");
        assert_eq!(home_for(&[Role::Admin]), "/admin/users");
        assert_eq!(home_for(&[Role::LayEvaluator]), "/assess");
        assert_eq!(home_for(&[Role::Admin, Role::Commissioner]), "/fund");
    }

    #[test]
    fn refuses_open_redirects() {
        assert!(is_safe_next("/admin/users?page=2"));
        assert!(!is_safe_next("https://evil.example"));
        assert!(!is_safe_next("//evil.example"));
        assert!(!is_safe_next("/\\evil.example"));
        assert!(!is_safe_next("/api/account/sign_out"));
    }
}
