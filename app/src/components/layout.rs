//! Error pages and the response status.
use crate::error::AppError;
use crate::web::set_status;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <crate::components::PageTitle text="Page not found"/>
        <h1 class="govuk-heading-l">"Page not found"</h1>
        <p class="govuk-body">"If you typed the web address, check it is correct."</p>
        <p class="govuk-body">"If you pasted the web address, check you copied the entire address."</p>
        <p class="govuk-body"><a class="govuk-link" href="/">"Go to the list of funding rounds"</a></p>
    }
}

#[component]
pub fn ForbiddenPage() -> impl IntoView {
    set_status(403);
    view! {
        <crate::components::PageTitle text="You do not have permission to see this page"/>
        <h1 class="govuk-heading-l">"You do not have permission to see this page"</h1>
        <p class="govuk-body">"Your account does not have the role this page needs."</p>
        <p class="govuk-body">"If you think you should have access, ask a Seedbed admin to give your account the right role."</p>
        <p class="govuk-body"><a class="govuk-link" href="/account">"Go to your account"</a></p>
    }
}

#[component]
pub fn ServiceErrorPage() -> impl IntoView {
    set_status(500);
    view! {
        <crate::components::PageTitle text="Sorry, there is a problem with the service"/>
        <h1 class="govuk-heading-l">"Sorry, there is a problem with the service"</h1>
        <p class="govuk-body">"Try again later."</p>
        <p class="govuk-body">"Anything you saved before the problem is still saved."</p>
    }
}

#[component]
pub fn ServiceUnavailablePage() -> impl IntoView {
    set_status(503);
    view! {
        <crate::components::PageTitle text="Sorry, the service is unavailable"/>
        <h1 class="govuk-heading-l">"Sorry, the service is unavailable"</h1>
        <p class="govuk-body">"Try again in a few minutes."</p>
        <p class="govuk-body">"Anything you saved before the problem is still saved."</p>
    }
}

#[component]
pub fn SignInNeededPage() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&format!("/account/sign-in?next={}", urlencode(&path)));
    view! {
        <crate::components::PageTitle text="Sign in to continue"/>
        <h1 class="govuk-heading-l">"Sign in to continue"</h1>
        <p class="govuk-body">"You need to sign in to see this page."</p>
        <p class="govuk-body"><a class="govuk-link" href=format!("/account/sign-in?next={}", urlencode(&path))>"Sign in"</a></p>
    }
}

pub fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The page for an error from a page's data.
pub fn error_view(error: AppError) -> AnyView {
    match error {
        AppError::Unauthenticated => view! { <SignInNeededPage/> }.into_any(),
        AppError::Forbidden => view! { <ForbiddenPage/> }.into_any(),
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        AppError::Unavailable => view! { <ServiceUnavailablePage/> }.into_any(),
        _ => view! { <ServiceErrorPage/> }.into_any(),
    }
}
