//! The market: the gaps register and the commissioned services register.
pub mod gaps;
pub mod services;

use crate::components::filter_select;
use leptos::prelude::*;

/// A GET filter form: one select and a button (works without JavaScript).
#[component]
pub(crate) fn Filter(
    action: &'static str,
    name: &'static str,
    label: &'static str,
    all_label: &'static str,
    choices: Vec<(String, String)>,
    value: String,
) -> impl IntoView {
    view! {
        <form method="get" action=action class="seedbed-search">
            {filter_select(name, label, all_label, choices, value)}
            <button type="submit" class="govuk-button govuk-button--secondary">"Filter"</button>
        </form>
    }
}
