//! The budget's totals beside its lines. Without JavaScript they are the totals as last
//! saved; in the browser they add up as the applicant types.
use crate::domain::money::Pence;
use leptos::prelude::*;

/// Each year's total and the whole total of `lines` budget lines over `years` years, from
/// the amounts as typed (`typed(key)`; what does not read as money counts as nothing).
pub fn add_up(lines: usize, years: usize, typed: impl Fn(&str) -> String) -> (Vec<Pence>, Pence) {
    let per_year: Vec<Pence> = (1..=years)
        .map(|y| {
            let sum = (0..lines)
                .filter_map(|i| Pence::parse("", "", &typed(&format!("line{i}_y{y}"))).ok())
                .map(|p| p.0)
                .sum();
            Pence(sum)
        })
        .collect();
    let total = Pence(per_year.iter().map(|p| p.0).sum());
    (per_year, total)
}

/// The totals table. `saved`: the totals as last saved, pence per year and in all.
#[island]
pub fn BudgetTotals(lines: usize, years: usize, saved: Option<(Vec<i64>, i64)>) -> impl IntoView {
    let live = RwSignal::new(None::<(Vec<Pence>, Pence)>);
    #[cfg(feature = "hydrate")]
    {
        let read = move || {
            use leptos::wasm_bindgen::JsCast;
            let document = leptos::prelude::document();
            add_up(lines, years, |key| {
                let id = crate::components::field_id(&crate::domain::answers::field(key));
                document
                    .get_element_by_id(&id)
                    .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default()
            })
        };
        Effect::new(move |_| live.set(Some(read())));
        let handle = window_event_listener(leptos::ev::input, move |_| live.set(Some(read())));
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lines, years);
    let shown = move || match live.get() {
        Some(totals) => Some(totals),
        None => saved
            .clone()
            .map(|(per_year, total)| (per_year.into_iter().map(Pence).collect(), Pence(total))),
    };
    let caption = move || {
        if live.get().is_some() {
            "Total cost (adds up as you type)"
        } else {
            "Total cost (as last saved)"
        }
    };
    view! {
        {move || shown().map(|(per_year, total)| {
            let cells = per_year
                .iter()
                .enumerate()
                .map(|(i, p)| view! {
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">{format!("Year {}", i + 1)}</th>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{p.display()}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <table class="govuk-table seedbed-narrow-table" aria-live="polite">
                    <caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Year"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Cost"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">
                        {cells}
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header">"Total"</th>
                            <td class="govuk-table__cell govuk-table__cell--numeric"><strong>{total.display()}</strong></td>
                        </tr>
                    </tbody>
                </table>
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_totals_add_up_what_is_typed() {
        let typed = |key: &str| {
            match key {
                "line0_y1" => "15,000",
                "line0_y2" => "£15000.50",
                "line1_y1" => "5000",
                "line1_y2" => "lots",
                _ => "",
            }
            .to_string()
        };
        let (per_year, total) = add_up(3, 2, typed);
        assert_eq!(per_year, [Pence(2_000_000), Pence(1_500_050)]);
        assert_eq!(total, Pence(3_500_050));
    }
}
