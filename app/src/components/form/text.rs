//! Text fields: text, password, money and textarea with a count.
use super::{describedby, field_id, group_class, ErrorMessage, Hint};
use leptos::prelude::*;

#[component]
pub fn TextInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] width_class: Option<&'static str>,
    #[prop(optional)] spellcheck: Option<bool>,
    #[prop(optional)] label_is_page_heading: bool,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] prefix: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(&name);
    // Wrappers pass an empty hint for "none".
    let hint = hint.filter(|h| !h.is_empty());
    let has_hint = hint.is_some();
    let id_for_describe = id.clone();
    let describe = move || describedby(&id_for_describe, has_hint, error.get().is_some(), None);
    let group_class = move || group_class(error.get().is_some());
    let base_class = match width_class {
        Some(w) => format!("govuk-input {w}"),
        None => "govuk-input".to_string(),
    };
    let input_class = move || {
        if error.get().is_some() {
            format!("{base_class} govuk-input--error")
        } else {
            base_class.clone()
        }
    };
    let label_view = if label_is_page_heading {
        view! {
            <h1 class="govuk-label-wrapper">
                <label class="govuk-label govuk-label--l" for=id.clone()>{label}</label>
            </h1>
        }
        .into_any()
    } else {
        view! { <label class="govuk-label" for=id.clone()>{label}</label> }.into_any()
    };
    let input = view! {
        <input
            class=input_class
            id=id.clone()
            name=name
            type=input_type
            value=value
            autocomplete=autocomplete
            spellcheck=spellcheck.map(|s| s.to_string())
            inputmode=inputmode
            aria-describedby=describe
        />
    };
    view! {
        <div class=group_class>
            {label_view}
            <Hint id=id.clone() hint=hint/>
            <ErrorMessage id=id.clone() error=error/>
            {match prefix {
                Some(prefix) => view! {
                    <div class="govuk-input__wrapper">
                        <div class="govuk-input__prefix" aria-hidden="true">{prefix}</div>
                        {input}
                    </div>
                }.into_any(),
                None => input.into_any(),
            }}
        </div>
    }
}

/// A password input. The value is never sent back to the page.
#[component]
pub fn PasswordInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    autocomplete: &'static str,
) -> impl IntoView {
    // A password is never shown again: after a problem the page comes back with it empty.
    view! {
        <TextInput
            name=name
            label=label
            hint=hint.unwrap_or_default()
            error=error
            input_type="password"
            autocomplete=autocomplete
            spellcheck=false
            width_class="govuk-!-width-three-quarters"
        />
    }
}

/// Money in pounds: a £ prefix, the value kept exactly as typed.
#[component]
pub fn MoneyInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <TextInput
            name=name
            label=label
            hint=hint.unwrap_or_default()
            value=value
            error=error
            width_class="govuk-input--width-10"
            inputmode="decimal"
            spellcheck=false
            prefix="£"
        />
    }
}

/// Count characters or words, as GOV.UK's character count does.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Limit {
    Characters(usize),
    Words(usize),
}

fn remaining_message(limit: Limit, text: &str) -> (String, bool) {
    let (max, used, unit) = match limit {
        Limit::Characters(max) => (max, text.chars().count(), "character"),
        Limit::Words(max) => (max, crate::domain::text::word_count(text), "word"),
    };
    if used <= max {
        let left = max - used;
        (
            format!(
                "You have {left} {unit}{} remaining",
                if left == 1 { "" } else { "s" }
            ),
            false,
        )
    } else {
        let over = used - max;
        (
            format!(
                "You have {over} {unit}{} too many",
                if over == 1 { "" } else { "s" }
            ),
            true,
        )
    }
}

/// A textarea with an optional character or word count. The label, hint and error are
/// rendered on the server; a counted textarea is an island, the only part of a form page
/// that runs in the browser (the count updates as people type).
#[component]
pub fn Textarea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] limit: Option<Limit>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let id = field_id(&name);
    let hint = hint.filter(|h| !h.is_empty());
    let has_error = error.get_untracked().is_some();
    let count_id = limit.map(|_| format!("{id}-info"));
    let describe = describedby(&id, hint.is_some(), has_error, count_id).unwrap_or_default();
    let area = match limit {
        Some(limit) => view! {
            <CountedTextarea id=id.clone() name=name rows=rows value=value has_error=has_error
                describe=describe limit=limit/>
        }
        .into_any(),
        None => view! {
            <textarea class=area_class(has_error) id=id.clone() name=name rows=rows
                aria-describedby=(!describe.is_empty()).then_some(describe)>{textarea_text(&value)}</textarea>
        }
        .into_any(),
    };
    view! {
        <div class=group_class(has_error)>
            <label class="govuk-label" for=id.clone()>{label}</label>
            <Hint id=id.clone() hint=hint/>
            <ErrorMessage id=id error=error/>
            {area}
        </div>
    }
}

/// A textarea's text as markup. Leptos writes a textarea's children without escaping them
/// (tachys 0.2 treats it as a raw-text element, leptos-rs/leptos#4730), so a value holding
/// `</textarea><script>` would end the element and run: every textarea's text goes through
/// here. The browser decodes the entities back to exactly what was typed. In the browser
/// (an island's text node) the value is text already and is left as it is.
pub(crate) fn textarea_text(value: &str) -> String {
    if cfg!(feature = "ssr") {
        html_escape::encode_text(value).into_owned()
    } else {
        value.to_string()
    }
}

fn area_class(has_error: bool) -> &'static str {
    if has_error {
        "govuk-textarea govuk-textarea--error"
    } else {
        "govuk-textarea"
    }
}

/// The textarea and its count. Before the browser runs it (or without JavaScript) the
/// count says how much may be entered; after, how much is left or over.
#[island]
pub fn CountedTextarea(
    id: String,
    name: String,
    rows: u32,
    value: String,
    has_error: bool,
    describe: String,
    limit: Limit,
) -> impl IntoView {
    let text = RwSignal::new(value.clone());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let over = move || hydrated.get() && remaining_message(limit, &text.get()).1;
    let static_text = match limit {
        Limit::Characters(max) => format!("You can enter up to {max} characters"),
        Limit::Words(max) => format!("You can enter up to {max} words"),
    };
    view! {
        <textarea
            class=move || area_class(has_error || over())
            id=id.clone()
            name=name
            rows=rows
            aria-describedby=describe
            on:input=move |ev| text.set(event_target_value(&ev))
        >{textarea_text(&value)}</textarea>
        <div id=format!("{id}-info") class=move || {
            if over() { "govuk-error-message govuk-character-count__message" } else { "govuk-hint govuk-character-count__message" }
        } aria-live="polite">
            {move || if hydrated.get() { remaining_message(limit, &text.get()).0 } else { static_text.clone() }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_remaining_and_over() {
        assert_eq!(
            remaining_message(Limit::Characters(5), "abc"),
            ("You have 2 characters remaining".into(), false)
        );
        assert_eq!(
            remaining_message(Limit::Characters(2), "abc"),
            ("You have 1 character too many".into(), true)
        );
        assert_eq!(
            remaining_message(Limit::Words(3), "one two"),
            ("You have 1 word remaining".into(), false)
        );
    }
}
