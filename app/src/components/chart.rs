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
                <text x=left - 6 y=y + 4 text-anchor="end" font-size="16" fill="#0b0c0c">{format!("{p}%")}</text>
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
                <text x=centre y=y.saturating_sub(4).max(12) text-anchor="middle" font-size="16" font-weight="bold" fill="#0b0c0c">{format!("{percent}%")}</text>
                <text x=centre y=height - bottom + 18 text-anchor="middle" font-size="16" fill="#0b0c0c">{label}</text>
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

/// Planned (dashed) and actual (solid) grant dependency by period, 0 to 100%.
#[component]
pub fn TrajectoryChart(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    /// (period label, planned %, actual %)
    points: Vec<(String, Option<u32>, Option<u32>)>,
    #[prop(into)] summary: String,
) -> impl IntoView {
    let (width, height, left, top, bottom) = (640u32, 260u32, 48u32, 16u32, 56u32);
    let plot_h = height - top - bottom;
    let n = points.len().max(1) as u32;
    let slot = (width - left - 8) / n;
    let x_for = move |i: usize| left + slot * i as u32 + slot / 2;
    let y_for = move |percent: u32| top + plot_h - plot_h * percent.min(100) / 100;
    let grid = [0u32, 25, 50, 75, 100]
        .into_iter()
        .map(|p| {
            let y = y_for(p);
            view! {
                <line x1=left x2=width - 8 y1=y y2=y stroke="#b1b4b6" stroke-width="1"/>
                <text x=left - 6 y=y + 4 text-anchor="end" font-size="16" fill="#0b0c0c">{format!("{p}%")}</text>
            }
        })
        .collect_view();
    type Point = (String, Option<u32>, Option<u32>);
    let line = |pick: fn(&Point) -> Option<u32>| {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|v| format!("{},{}", x_for(i), y_for(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let planned = line(|p| p.1);
    let actual = line(|p| p.2);
    let step = points.len().div_ceil(6).max(1);
    let labels = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(i, p)| view! {
            <text x=x_for(i) y=height - bottom + 18 text-anchor="middle" font-size="16" fill="#0b0c0c">{p.0.clone()}</text>
        })
        .collect_view();
    let dots = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.2.map(|v| view! { <circle cx=x_for(i) cy=y_for(v) r="4" fill="#0b0c0c"/> })
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let legend_y = height - 12;
    view! {
        <figure class="seedbed-chart" id=id.clone()>
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby=labelled_by
                class="seedbed-chart__svg" preserveAspectRatio="xMinYMin meet">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{summary.clone()}</desc>
                {grid}
                <polyline points=planned fill="none" stroke="#1d70b8" stroke-width="3" stroke-dasharray="8 5"/>
                <polyline points=actual fill="none" stroke="#0b0c0c" stroke-width="3"/>
                {dots}
                {labels}
                <line x1=left x2=left + 30 y1=legend_y - 4 y2=legend_y - 4 stroke="#1d70b8" stroke-width="3" stroke-dasharray="8 5"/>
                <text x=left + 36 y=legend_y font-size="16" fill="#0b0c0c">"Planned in the bid"</text>
                <line x1=left + 200 x2=left + 230 y1=legend_y - 4 y2=legend_y - 4 stroke="#0b0c0c" stroke-width="3"/>
                <text x=left + 236 y=legend_y font-size="16" fill="#0b0c0c">"Actual, from monitoring returns"</text>
            </svg>
            <figcaption class="govuk-body">{summary}</figcaption>
        </figure>
    }
}

/// Income by source per period as stacked bars, with each period's running costs marked.
#[component]
pub fn IncomeChart(
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    /// Source names, bottom of the stack first.
    sources: Vec<&'static str>,
    /// (period label, income per source in pence, costs in pence)
    periods: Vec<(String, Vec<i64>, i64)>,
    #[prop(into)] summary: String,
) -> impl IntoView {
    const COLOURS: [&str; 6] = [
        "#1d70b8", "#00703c", "#f47738", "#4c2c92", "#d4351c", "#505a5f",
    ];
    let (width, height, left, top, bottom) = (640u32, 344u32, 100u32, 16u32, 140u32);
    let plot_h = (height - top - bottom) as i64;
    let max = periods
        .iter()
        .map(|p| p.1.iter().sum::<i64>().max(p.2))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = periods.len().max(1) as u32;
    let slot = (width - left - 8) / n;
    let bar_w = (slot * 3 / 5).max(6);
    let y_for = move |v: i64| top as i64 + plot_h - plot_h * v.clamp(0, max) / max;
    let bars = periods
        .iter()
        .enumerate()
        .map(|(i, (_, income, costs))| {
            let x = left + slot * i as u32 + (slot - bar_w) / 2;
            let mut base = 0i64;
            let parts = income
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0)
                .map(|(k, v)| {
                    let (y1, y0) = (y_for(base + v), y_for(base));
                    base += v;
                    view! { <rect x=x y=y1 width=bar_w height=(y0 - y1).max(1) fill=COLOURS[k % 6]/> }
                })
                .collect_view();
            let cy = y_for(*costs);
            view! {
                {parts}
                <line x1=x - 4 x2=x + bar_w + 4 y1=cy y2=cy stroke="#0b0c0c" stroke-width="3"/>
            }
        })
        .collect_view();
    let step = periods.len().div_ceil(6).max(1);
    let labels = periods
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(i, p)| {
            let x = left + slot * i as u32 + slot / 2;
            view! { <text x=x y=height - bottom + 18 text-anchor="middle" font-size="16" fill="#0b0c0c">{p.0.clone()}</text> }
        })
        .collect_view();
    let top_label = crate::domain::money::Pence(max).display();
    let legend = sources
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let (col, row) = ((k % 2) as u32, (k / 2) as u32);
            let (x, y) = (left + col * 260, height - bottom + 44 + row * 24);
            view! {
                <rect x=x y=y - 11 width="14" height="14" fill=COLOURS[k % 6]/>
                <text x=x + 20 y=y font-size="16" fill="#0b0c0c">{*name}</text>
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
                <line x1=left x2=width - 8 y1=y_for(0) y2=y_for(0) stroke="#b1b4b6" stroke-width="1"/>
                <line x1=left x2=width - 8 y1=y_for(max) y2=y_for(max) stroke="#b1b4b6" stroke-width="1"/>
                <text x=left - 6 y=y_for(0) + 4 text-anchor="end" font-size="16" fill="#0b0c0c">"£0"</text>
                <text x=left - 6 y=y_for(max) + 4 text-anchor="end" font-size="16" fill="#0b0c0c">{top_label}</text>
                {bars}
                {labels}
                {legend}
                <line x1=left - 3 x2=left + 17 y1=height - bottom + 111 y2=height - bottom + 111 stroke="#0b0c0c" stroke-width="3"/>
                <text x=left + 20 y=height - bottom + 116 font-size="16" fill="#0b0c0c">"Running costs (the black line)"</text>
            </svg>
            <figcaption class="govuk-body">{summary}</figcaption>
        </figure>
    }
}

/// A small inline line of actual dependency per period, for tables; the figures are in
/// its accessible name.
#[component]
pub fn Sparkline(values: Vec<u32>) -> impl IntoView {
    if values.is_empty() {
        return view! { <span>"No returns yet"</span> }.into_any();
    }
    let (w, h) = (90u32, 24u32);
    let n = values.len().max(2) as u32 - 1;
    let points = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{},{}",
                2 + (w - 4) * i as u32 / n.max(1),
                2 + (h - 4) * (100 - (*v).min(100)) / 100
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let label = format!(
        "Grant dependency by period: {}",
        values
            .iter()
            .map(|v| format!("{v}%"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    view! {
        <svg class="seedbed-sparkline" viewBox=format!("0 0 {w} {h}") width=w height=h role="img" aria-label=label>
            <polyline points=points fill="none" stroke="#0b0c0c" stroke-width="2"/>
        </svg>
    }
    .into_any()
}
