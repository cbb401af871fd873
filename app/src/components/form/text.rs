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
    // A password is never shown again after a problem: without JavaScript the page comes
    // back empty; with JavaScript the field is cleared when an error appears.
    let field_name: String = name.clone();
    Effect::new(move |_| {
        if error.get().is_some() {
            #[cfg(feature = "hydrate")]
            if let Some(input) = leptos::prelude::document()
                .get_element_by_id(&field_id(&field_name))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok())
            {
                input.set_value("");
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &field_name;
        }
    });
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
#[derive(Clone, Copy, PartialEq, Eq)]
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

/// A textarea with an optional character or word count.
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
    let has_hint = hint.is_some();
    let text = RwSignal::new(value.clone());
    let count_id = format!("{id}-info");
    let id_for_describe = id.clone();
    let count_for_describe = limit.map(|_| count_id.clone());
    let describe = move || {
        describedby(
            &id_for_describe,
            has_hint,
            error.get().is_some(),
            count_for_describe.clone(),
        )
    };
    let group_class = move || group_class(error.get().is_some());
    let over = move || {
        limit
            .map(|l| remaining_message(l, &text.get()).1)
            .unwrap_or(false)
    };
    let area_class = move || {
        if error.get().is_some() || over() {
            "govuk-textarea govuk-textarea--error"
        } else {
            "govuk-textarea"
        }
    };
    let count = limit.map(|limit| {
        let static_text = match limit {
            Limit::Characters(max) => format!("You can enter up to {max} characters"),
            Limit::Words(max) => format!("You can enter up to {max} words"),
        };
        let hydrated = RwSignal::new(false);
        Effect::new(move |_| hydrated.set(true));
        view! {
            <div id=count_id.clone() class=move || {
                if hydrated.get() && remaining_message(limit, &text.get()).1 { "govuk-error-message govuk-character-count__message" } else { "govuk-hint govuk-character-count__message" }
            } aria-live="polite">
                {move || if hydrated.get() { remaining_message(limit, &text.get()).0 } else { static_text.clone() }}
            </div>
        }
    });
    view! {
        <div class=group_class>
            <label class="govuk-label" for=id.clone()>{label}</label>
            <Hint id=id.clone() hint=hint/>
            <ErrorMessage id=id.clone() error=error/>
            <textarea
                class=area_class
                id=id.clone()
                name=name
                rows=rows
                aria-describedby=describe
                on:input=move |ev| text.set(event_target_value(&ev))
            >{value}</textarea>
            {count}
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
