//! A one-button form for small actions (move up, remove, publish).
use leptos::prelude::*;
use leptos::server_fn::{client::Client, codec::PostUrl, request::ClientReq, Http, ServerFn};

/// A one-button form posting hidden fields to a server action.
#[component]
pub fn SmallForm<S, O>(
    action: ServerAction<S>,
    fields: Vec<(&'static str, String)>,
    #[prop(into)] text: String,
    #[prop(optional, into)] hidden_context: String,
    #[prop(default = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0")]
    class: &'static str,
) -> impl IntoView
where
    S: serde::de::DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, O>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<S::Error>>::Request as ClientReq<S::Error>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    S::Client: Client<S::Error>,
    O: 'static,
{
    let inputs = fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <ActionForm action=action attr:class="seedbed-inline-form">
            {inputs}
            <button type="submit" class=class data-module="govuk-button">
                {text}
                {(!hidden_context.is_empty()).then(|| view! { <span class="govuk-visually-hidden">" "{hidden_context.clone()}</span> })}
            </button>
        </ActionForm>
    }
}
