//! Charts drawn as SVG on the server: readable without JavaScript, with a text summary for
//! screen readers (the data table beside each chart carries the figures).
use leptos::prelude::*;

/// Bars of grant dependency (0 to 100%) by period, labelled with their values.
#[component]
pub fn DependencyChart(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    /// (period label, percent)
    bars: Vec<(String, u32)>,
    #[prop(into)] summary: String,
) -> impl IntoView {
    let (width, height, left, top, bottom) = (640u32, 260u32, 48u32, 16u32, 40u32);
    let plot_h = height - top - bottom;
    let n = bars.len().max(1) as u32;
    let slot = (width - left - 8) / n;
    let bar_w = (slot * 3 / 5).max(8);
    let y_for = move |percent: u32| top + plot_h - plot_h * percent.min(100) / 100;
    let grid = [0u32, 25, 50, 75, 100]
        .into_iter()
        .map(|p| {
            let y = y_for(p);
            view! {
                <line x1=left x2=width - 8 y1=y y2=y stroke="#b1b4b6" stroke-width="1"/>
                <text x=left - 6 y=y + 4 text-anchor="end" font-size="12" fill="#0b0c0c">{format!("{p}%")}</text>
            }
        })
        .collect_view();
    let columns = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, percent))| {
            let x = left + slot * i as u32 + (slot - bar_w) / 2;
            let y = y_for(percent);
            let h = top + plot_h - y;
            let centre = x + bar_w / 2;
            view! {
                <rect x=x y=y width=bar_w height=h fill="#1d70b8"/>
                <text x=centre y=y.saturating_sub(4).max(12) text-anchor="middle" font-size="13" font-weight="bold" fill="#0b0c0c">{format!("{percent}%")}</text>
                <text x=centre y=height - bottom + 18 text-anchor="middle" font-size="13" fill="#0b0c0c">{label}</text>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <figure class="seedbed-chart" id=id.clone()>
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby=labelled_by
                class="seedbed-chart__svg" preserveAspectRatio="xMinYMin meet">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{summary.clone()}</desc>
                {grid}
                {columns}
            </svg>
            <figcaption class="govuk-body">{summary}</figcaption>
        </figure>
    }
}
