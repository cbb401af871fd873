pub mod account;
pub mod admin;
pub mod public;
pub mod roles;

use crate::api::StoredForm;
use crate::domain::roles::Role;
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

/// Only same-site paths may be used after sign-in (no open redirects).
pub fn is_safe_next(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.starts_with("/api/")
}

/// Render a form page with what a failed plain post left behind (values and errors).
#[component]
pub fn WithStoredForm<F, V>(form: &'static str, render: F) -> impl IntoView
where
    F: Fn(StoredForm) -> V + Send + Sync + Clone + 'static,
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
