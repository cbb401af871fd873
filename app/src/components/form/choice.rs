//! Choice fields: radios, checkboxes, select, and the day/month/year date.
use super::{describedby, field_id, group_class, ErrorMessage, Hint};
use leptos::prelude::*;

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
    let hint = hint.filter(|h| !h.is_empty());
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
    let hint = hint.filter(|h| !h.is_empty());
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

/// The name of one part of a field: `when` + "day" is `when_day`; `answer[q4]` + "day" is
/// `answer[q4_day]`, so that a map of answers receives it.
fn part_name(name: &str, part: &str) -> String {
    match name.strip_suffix(']') {
        Some(open) => format!("{open}_{part}]"),
        None => format!("{name}_{part}"),
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
                        <input class=part_class("govuk-input--width-2") id=id.clone() name=part_name(&name, "day") type="text" inputmode="numeric" value=day/>
                    </div>
                </div>
                <div class="govuk-date-input__item">
                    <div class="govuk-form-group">
                        <label class="govuk-label govuk-date-input__label" for=format!("{id}-month")>"Month"</label>
                        <input class=part_class("govuk-input--width-2") id=format!("{id}-month") name=part_name(&name, "month") type="text" inputmode="numeric" value=month/>
                    </div>
                </div>
                <div class="govuk-date-input__item">
                    <div class="govuk-form-group">
                        <label class="govuk-label govuk-date-input__label" for=format!("{id}-year")>"Year"</label>
                        <input class=part_class("govuk-input--width-4") id=format!("{id}-year") name=part_name(&name, "year") type="text" inputmode="numeric" value=year/>
                    </div>
                </div>
            </div>
        </Fieldset>
    }
}

/// Questions that apply only when one radio of `name` is chosen (`value`), placed after the
/// radios: GOV.UK's conditional reveal. Without JavaScript (and until the page is
/// interactive) they are always shown, and their labels say when they apply; in the browser
/// they show only while that radio is chosen.
#[island]
pub fn RevealWhenChosen(
    id: String,
    name: String,
    value: String,
    children: Children,
) -> impl IntoView {
    let shown = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let (n, v) = (name.clone(), value.clone());
        Effect::new(move |_| {
            let chosen = leptos::prelude::document()
                .query_selector(&format!("input[name=\"{n}\"]:checked"))
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute("value"));
            shown.set(chosen.as_deref() == Some(v.as_str()));
        });
        let (n, v) = (name.clone(), value.clone());
        let handle = window_event_listener(leptos::ev::change, move |ev| {
            let input = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok());
            if let Some(input) = input.filter(|i| i.name() == n) {
                shown.set(input.checked() && input.value() == v);
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <div id=id data-reveal-name=name data-reveal-value=value class=move || {
            if shown.get() {
                "govuk-radios__conditional seedbed-reveal"
            } else {
                "govuk-radios__conditional seedbed-reveal govuk-radios__conditional--hidden"
            }
        }>
            {children()}
        </div>
    }
}
