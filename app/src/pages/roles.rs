//! The landing page for assessors. Their journeys arrive with a later issue;
//! for now the page says truthfully what there is.
use crate::api::ShellData;
use crate::components::*;
use crate::domain::roles::Role;
use crate::error::AppError;
use leptos::prelude::*;

fn guard(info: Option<Result<ShellData, AppError>>, roles: &[Role]) -> Result<(), AppError> {
    match info {
        None => Ok(()),
        Some(Err(e)) => Err(e),
        Some(Ok(info)) => match info.user {
            None => Err(AppError::Unauthenticated),
            Some(user) if roles.iter().any(|r| user.roles.contains(r)) => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        },
    }
}

#[component]
pub fn AssessHomePage() -> impl IntoView {
    let shell = use_shell();
    view! {
        <Suspense fallback=|| ()>
            {move || match guard(shell.and_then(|s| s.0.get()), &[Role::BoardMember, Role::LayEvaluator]) {
                Err(e) => error_view(e),
                Ok(()) => view! {
                    <PageTitle text="Your assessments"/>
                    <h1 class="govuk-heading-l">"Your assessments"</h1>
                    <p class="govuk-body">"Bids assigned to you to score will be listed here, with what you need to do for each: declare any conflict of interest, then score."</p>
                    <p class="govuk-body">"You have no bids to assess at the moment."</p>
                }.into_any(),
            }}
        </Suspense>
    }
}
