use crate::api::StoredForm;
use crate::error::{AppError, FieldError};
use leptos::prelude::*;

/// Errors to show: from the last JavaScript submission, else from a plain post that redirected back.
#[derive(Clone, Copy)]
pub struct FormErrors(pub Signal<Vec<FieldError>>);

impl FormErrors {
    pub fn new<S>(action: ServerAction<S>, stored: StoredForm) -> Self
    where
        S: leptos::server_fn::ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        let stored_errors = stored.errors;
        // After a successful action the page's data is fetched again, even when the
        // server redirects back to the same address.
        if let Some(shell) = crate::components::use_shell() {
            Effect::new(move |_| {
                if matches!(action.value().get(), Some(Ok(_))) {
                    shell.1.update(|n| *n += 1);
                }
            });
        }
        FormErrors(Signal::derive(move || match action.value().get() {
            Some(Err(e)) => {
                let errors = e.field_errors();
                if errors.is_empty() {
                    vec![FieldError::new(
                        "",
                        "Sorry, there is a problem with the service. Try again later",
                    )]
                } else {
                    errors
                }
            }
            Some(Ok(_)) => vec![],
            None => stored_errors.clone(),
        }))
    }

    pub fn from_stored(stored: &StoredForm) -> Self {
        let errors = stored.errors.clone();
        FormErrors(Signal::derive(move || errors.clone()))
    }

    pub fn for_field(self, field: &'static str) -> Signal<Option<String>> {
        let all = self.0;
        Signal::derive(move || {
            all.get()
                .into_iter()
                .find(|e| e.field == field)
                .map(|e| e.message)
        })
    }

    pub fn any(self) -> Signal<bool> {
        let all = self.0;
        Signal::derive(move || !all.get().is_empty())
    }
}

/// The id of a field's input, used by labels and error summary links.
pub fn field_id(name: &str) -> String {
    name.replace('_', "-")
}

fn group_class(has_error: bool) -> &'static str {
    if has_error {
        "govuk-form-group govuk-form-group--error"
    } else {
        "govuk-form-group"
    }
}

fn describedby(id: &str, has_hint: bool, has_error: bool, extra: Option<String>) -> Option<String> {
    let mut parts = Vec::new();
    if has_hint {
        parts.push(format!("{id}-hint"));
    }
    if has_error {
        parts.push(format!("{id}-error"));
    }
    if let Some(extra) = extra {
        parts.push(extra);
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}

/// "There is a problem" with a link to each field. Takes focus when it appears.
#[component]
pub fn ErrorSummary(errors: FormErrors) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !errors.0.get().is_empty() {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <Show when=move || errors.any().get()>
            <div class="govuk-error-summary" id="error-summary" tabindex="-1" autofocus node_ref=node>
                <div role="alert">
                    <h2 class="govuk-error-summary__title">"There is a problem"</h2>
                    <div class="govuk-error-summary__body">
                        <ul class="govuk-list govuk-error-summary__list">
                            {move || {
                                let mut seen: Vec<String> = Vec::new();
                                errors.0.get().into_iter().filter(|e| {
                                    let key = format!("{}|{}", e.field, e.message);
                                    if seen.contains(&key) { false } else { seen.push(key); true }
                                }).map(|e| {
                                    if e.field.is_empty() {
                                        view! { <li>{e.message}</li> }.into_any()
                                    } else {
                                        let href = format!("#{}", field_id(&e.field));
                                        view! { <li><a href=href>{e.message}</a></li> }.into_any()
                                    }
                                }).collect_view()
                            }}
                        </ul>
                    </div>
                </div>
            </div>
        </Show>
    }
}

/// The page title, prefixed "Error: " while the form has errors.
#[component]
pub fn PageTitle(
    #[prop(into)] text: String,
    #[prop(optional)] errors: Option<FormErrors>,
) -> impl IntoView {
    let title = move || match errors {
        Some(errors) if errors.any().get() => format!("Error: {text}"),
        _ => text.clone(),
    };
    view! { <leptos_meta::Title text=title/> }
}

#[component]
fn ErrorMessage(id: String, error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p id=format!("{id}-error") class="govuk-error-message">
                    <span class="govuk-visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    }
}

#[component]
fn Hint(id: String, hint: Option<String>) -> impl IntoView {
    hint.map(|hint| view! { <div id=format!("{id}-hint") class="govuk-hint">{hint}</div> })
}

/// A text input with label, hint and error.
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

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            hint: None,
        }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[component]
fn Fieldset(
    id: String,
    legend: String,
    hint: Option<String>,
    error: Signal<Option<String>>,
    legend_is_page_heading: bool,
    children: Children,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let id_for_describe = id.clone();
    let describe = move || describedby(&id_for_describe, has_hint, error.get().is_some(), None);
    let group_class = move || group_class(error.get().is_some());
    let legend_view = if legend_is_page_heading {
        view! {
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--l">
                <h1 class="govuk-fieldset__heading">{legend}</h1>
            </legend>
        }
        .into_any()
    } else {
        view! { <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend> }
            .into_any()
    };
    view! {
        <div class=group_class>
            <fieldset class="govuk-fieldset" aria-describedby=describe>
                {legend_view}
                <Hint id=id.clone() hint=hint/>
                <ErrorMessage id=id.clone() error=error/>
                {children()}
            </fieldset>
        </div>
    }
}

/// Radios: pick one.
#[component]
pub fn Radios(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    choices: Vec<Choice>,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] legend_is_page_heading: bool,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let class = if inline {
        "govuk-radios govuk-radios--inline"
    } else {
        "govuk-radios"
    };
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            // The first option carries the field id, so error summary links land on it.
            let item_id = if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
            let hint_id = format!("{item_id}-item-hint");
            let checked = choice.value == value;
            let has_hint = choice.hint.is_some();
            view! {
                <div class="govuk-radios__item">
                    <input class="govuk-radios__input" id=item_id.clone() name=name.clone() type="radio"
                        value=choice.value checked=checked
                        aria-describedby=has_hint.then(|| hint_id.clone())/>
                    <label class="govuk-label govuk-radios__label" for=item_id>{choice.label}</label>
                    {choice.hint.map(|h| view! { <div id=hint_id class="govuk-hint govuk-radios__hint">{h}</div> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <Fieldset id=id legend=legend hint=hint error=error legend_is_page_heading=legend_is_page_heading>
            <div class=class>{items}</div>
        </Fieldset>
    }
}

/// Checkboxes: pick any. Each box posts its own field (`name` = the choice's value) so
/// the form decodes the same with and without JavaScript.
#[component]
pub fn Checkboxes(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    choices: Vec<Choice>,
    checked: Vec<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] legend_is_page_heading: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(i, choice)| {
            let item_id = if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) };
            let hint_id = format!("{item_id}-item-hint");
            let is_checked = checked.contains(&choice.value);
            let has_hint = choice.hint.is_some();
            view! {
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id=item_id.clone() name=choice.value.clone() type="checkbox"
                        value=choice.value checked=is_checked
                        aria-describedby=has_hint.then(|| hint_id.clone())/>
                    <label class="govuk-label govuk-checkboxes__label" for=item_id>{choice.label}</label>
                    {choice.hint.map(|h| view! { <div id=hint_id class="govuk-hint govuk-checkboxes__hint">{h}</div> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <Fieldset id=id legend=legend hint=hint error=error legend_is_page_heading=legend_is_page_heading>
            <div class="govuk-checkboxes">{items}</div>
        </Fieldset>
    }
}

/// A select. GOV.UK advises radios where possible; a select suits long lists.
#[component]
pub fn Select(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    choices: Vec<Choice>,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(&name);
    let has_hint = hint.is_some();
    let id_for_describe = id.clone();
    let describe = move || describedby(&id_for_describe, has_hint, error.get().is_some(), None);
    let group_class = move || group_class(error.get().is_some());
    let select_class = move || {
        if error.get().is_some() {
            "govuk-select govuk-select--error"
        } else {
            "govuk-select"
        }
    };
    let options = choices
        .into_iter()
        .map(|c| {
            let selected = c.value == value;
            view! { <option value=c.value selected=selected>{c.label}</option> }
        })
        .collect_view();
    view! {
        <div class=group_class>
            <label class="govuk-label" for=id.clone()>{label}</label>
            <Hint id=id.clone() hint=hint/>
            <ErrorMessage id=id.clone() error=error/>
            <select class=select_class id=id.clone() name=name aria-describedby=describe>{options}</select>
        </div>
    }
}

/// Day, month and year in three boxes, posted as `<name>_day`, `<name>_month`, `<name>_year`.
#[component]
pub fn DateInput(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] day: String,
    #[prop(optional)] month: String,
    #[prop(optional)] year: String,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(&name);
    let part_class = move |width: &'static str| {
        move || {
            if error.get().is_some() {
                format!("govuk-input govuk-date-input__input {width} govuk-input--error")
            } else {
                format!("govuk-input govuk-date-input__input {width}")
            }
        }
    };
    view! {
        <Fieldset id=id.clone() legend=legend hint=hint error=error legend_is_page_heading=false>
            <div class="govuk-date-input">
                <div class="govuk-date-input__item">
                    <div class="govuk-form-group">
                        <label class="govuk-label govuk-date-input__label" for=id.clone()>"Day"</label>
                        <input class=part_class("govuk-input--width-2") id=id.clone() name=format!("{name}_day") type="text" inputmode="numeric" value=day/>
                    </div>
                </div>
                <div class="govuk-date-input__item">
                    <div class="govuk-form-group">
                        <label class="govuk-label govuk-date-input__label" for=format!("{id}-month")>"Month"</label>
                        <input class=part_class("govuk-input--width-2") id=format!("{id}-month") name=format!("{name}_month") type="text" inputmode="numeric" value=month/>
                    </div>
                </div>
                <div class="govuk-date-input__item">
                    <div class="govuk-form-group">
                        <label class="govuk-label govuk-date-input__label" for=format!("{id}-year")>"Year"</label>
                        <input class=part_class("govuk-input--width-4") id=format!("{id}-year") name=format!("{name}_year") type="text" inputmode="numeric" value=year/>
                    </div>
                </div>
            </div>
        </Fieldset>
    }
}

#[component]
pub fn Button(
    #[prop(into)] text: String,
    #[prop(optional)] secondary: bool,
    #[prop(optional)] warning: bool,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] value: Option<&'static str>,
) -> impl IntoView {
    let class = if warning {
        "govuk-button govuk-button--warning"
    } else if secondary {
        "govuk-button govuk-button--secondary"
    } else {
        "govuk-button"
    };
    view! { <button type="submit" class=class data-module="govuk-button" name=name value=value>{text}</button> }
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

    #[test]
    fn describedby_joins_hint_error_and_count() {
        assert_eq!(
            describedby("email", true, true, None).as_deref(),
            Some("email-hint email-error")
        );
        assert_eq!(describedby("x", false, false, None), None);
        assert_eq!(
            describedby("x", false, false, Some("x-info".into())).as_deref(),
            Some("x-info")
        );
    }
}
