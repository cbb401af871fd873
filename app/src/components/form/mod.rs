//! Form building blocks shared by every field: errors, the error summary, the title, the button.
use crate::error::FieldError;
use crate::web::FlashedForm;
use leptos::prelude::*;

mod action;
mod choice;
mod text;
pub use action::*;
pub use choice::*;
pub use text::*;

/// Errors to show: what a failed plain post left for its form (pages do not hydrate, so every
/// submission is a plain post that redirects back).
#[derive(Clone, Copy)]
pub struct FormErrors(pub Signal<Vec<FieldError>>);

impl FormErrors {
    /// Errors of several actions on one page, shown together.
    pub fn and(self, other: FormErrors) -> FormErrors {
        FormErrors(Signal::derive(move || {
            let mut all = self.0.get();
            all.extend(other.0.get());
            all
        }))
    }

    pub fn from_stored(stored: &FlashedForm) -> Self {
        let errors = stored.errors.clone();
        FormErrors(Signal::derive(move || errors.clone()))
    }

    pub fn for_field(self, field: &'static str) -> Signal<Option<String>> {
        self.for_name(field)
    }

    /// The error for a field whose name is built at run time (`answer[q12]`).
    pub fn for_name(self, field: impl Into<String>) -> Signal<Option<String>> {
        let field: String = field.into();
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
/// `contribution[12]` becomes `contribution-12`.
pub fn field_id(name: &str) -> String {
    name.replace(['_', '['], "-").replace(']', "")
}

pub(super) fn group_class(has_error: bool) -> &'static str {
    if has_error {
        "govuk-form-group govuk-form-group--error"
    } else {
        "govuk-form-group"
    }
}

pub(super) fn describedby(
    id: &str,
    has_hint: bool,
    has_error: bool,
    extra: Option<String>,
) -> Option<String> {
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

/// "There is a problem" with a link to each field. Takes focus when the page loads
/// (`autofocus`: every form posts and the page comes back with its errors).
#[component]
pub fn ErrorSummary(errors: FormErrors) -> impl IntoView {
    view! {
        <Show when=move || errors.any().get()>
            <div class="govuk-error-summary" id="error-summary" tabindex="-1" autofocus>
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
    // `try_get`: the errors may belong to a render that has been replaced.
    let title = move || {
        let has_errors = errors
            .and_then(|e| e.0.try_get())
            .is_some_and(|all| !all.is_empty());
        let title = if has_errors {
            format!("Error: {text}")
        } else {
            text.clone()
        };
        title_text(&title)
    };
    if cfg!(feature = "ssr") {
        // On the server the title is written into the head after the page's body has
        // rendered, when the body's signals may already be disposed (a panic, one request
        // in twenty, under load on the moderation page): work it out now.
        let now = title();
        view! { <leptos_meta::Title text=now/> }.into_any()
    } else {
        view! { <leptos_meta::Title text=title/> }.into_any()
    }
}

/// leptos_meta writes the server-rendered `<title>` without escaping it, so a stored name
/// holding `</title><script>` would run: escape it there. In the browser the title is set
/// through the DOM, which takes it as text.
fn title_text(title: &str) -> String {
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title.to_string()
    }
}

#[component]
pub(super) fn ErrorMessage(id: String, error: Signal<Option<String>>) -> impl IntoView {
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
pub(super) fn Hint(id: String, hint: Option<String>) -> impl IntoView {
    hint.map(|hint| view! { <div id=format!("{id}-hint") class="govuk-hint">{hint}</div> })
}

/// A text input with label, hint and error.
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
