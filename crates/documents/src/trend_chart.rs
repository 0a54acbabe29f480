//! An indicator's trend as an SVG line chart drawn on the server: the area against the region
//! and England, one line each over the periods. An image with a name and a description in
//! words (`role="img"`, `<title>`, `<desc>`); each line has its own dash and marker shape as
//! well as colour, so colour is never the only cue; it scales to its container (a `viewBox`
//! and no fixed width), so it never scrolls sideways. Pages put the same figures in a table.

use std::fmt::Write;

use crate::xml::escape;

/// One line: a name and a value (or none) per period, in the chart's period order.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrendChart {
    /// Unique on the page: it prefixes the ids of the title and description.
    pub id: String,
    pub title: String,
    /// The periods along the bottom ("2022", "2023/24").
    pub periods: Vec<String>,
    pub series: Vec<TrendSeries>,
    /// The top of the scale: 100 for a percentage, or `None` to fit the largest value.
    pub max: Option<f64>,
    /// What a value is followed by in words ("%", or "").
    pub unit: String,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 80.0;
/// GOV.UK blue, black and dark grey; dashes and markers differ too.
const STYLES: [(&str, &str, &str); 4] = [
    ("#1d70b8", "", "circle"),
    ("#0b0c0c", "8 4", "square"),
    ("#505a5f", "2 4", "triangle"),
    ("#00703c", "12 3 3 3", "square"),
];

fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// The chart's SVG.
pub fn trend_chart(chart: &TrendChart) -> String {
    let largest = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b));
    let max = chart.max.unwrap_or_else(|| (largest * 1.1).max(1.0));
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = chart.periods.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - (v / max).clamp(0.0, 1.0));
    let id = escape(&chart.id);
    let mut desc = String::new();
    for series in &chart.series {
        let said: Vec<String> = chart
            .periods
            .iter()
            .zip(&series.values)
            .map(|(p, v)| match v {
                Some(v) => format!("{p}: {}{}", number(*v), chart.unit),
                None => format!("{p}: not available"),
            })
            .collect();
        let _ = write!(desc, "{}: {}. ", series.name, said.join(", "));
    }
    let mut svg = format!(
        "<svg class=\"app-trend-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&chart.title),
        escape(desc.trim_end())
    );
    // Gridlines at quarters of the scale, labelled.
    for quarter in 0..=4 {
        let value = max * f64::from(quarter) / 4.0;
        let gy = y(value);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>\
<text x=\"{}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"end\" fill=\"#0b0c0c\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            gy + 5.0,
            number(value)
        );
    }
    for (i, period) in chart.periods.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"14\" text-anchor=\"middle\" fill=\"#0b0c0c\">{}</text>",
            x(i),
            HEIGHT - BOTTOM + 20.0,
            escape(period)
        );
    }
    for (s, series) in chart.series.iter().enumerate() {
        let (colour, dash, marker) = STYLES[s % STYLES.len()];
        // A gap where a value is missing: the line never pretends to know it.
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in series.values.iter().enumerate() {
            match value {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                svg,
                "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\" stroke-dasharray=\"{dash}\"/>",
                path.trim_end()
            );
        }
        for (i, value) in series.values.iter().enumerate() {
            if let Some(v) = value {
                svg.push_str(&mark(marker, x(i), y(*v), colour));
            }
        }
        // The legend, below the axis: a marker and the name.
        let ly = HEIGHT - BOTTOM + 42.0 + 18.0 * s as f64;
        svg.push_str(&mark(marker, LEFT + 6.0, ly - 5.0, colour));
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{ly:.1}\" font-size=\"14\" fill=\"#0b0c0c\">{}</text>",
            LEFT + 18.0,
            escape(&series.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn mark(shape: &str, x: f64, y: f64, colour: &str) -> String {
    match shape {
        "square" => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"{colour}\"/>",
            x - 4.5,
            y - 4.5
        ),
        "triangle" => format!(
            "<path d=\"M{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z\" fill=\"{colour}\"/>",
            x,
            y - 6.0,
            x - 6.0,
            y + 5.0,
            x + 6.0,
            y + 5.0
        ),
        _ => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\"/>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_says_its_figures_in_words_and_leaves_gaps() {
        let svg = trend_chart(&TrendChart {
            id: "ehcp".into(),
            title: "Derby <timeliness>".into(),
            periods: vec!["2022".into(), "2023".into(), "2024".into()],
            series: vec![
                TrendSeries {
                    name: "Derby".into(),
                    values: vec![Some(25.3), None, Some(14.0)],
                },
                TrendSeries {
                    name: "England".into(),
                    values: vec![None, Some(50.3), Some(46.4)],
                },
            ],
            max: Some(100.0),
            unit: "%".into(),
        });
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("Derby &lt;timeliness&gt;"));
        assert!(svg.contains("Derby: 2022: 25.3%, 2023: not available, 2024: 14%."));
        // Two separate strokes for Derby: the missing year is a gap.
        assert_eq!(svg.matches("<path d=\"M").count(), 2);
        assert!(!svg.contains("width=\"600\""), "scales to its container");
    }
}
