//! Progress over time as an SVG chart, drawn on the server so it needs no JavaScript: a
//! stacked bar per update showing how many actions are red, amber, green and complete.
//!
//! It is an image with a name and a description in words (`role="img"`, `<title>`, `<desc>`)
//! so a screen reader user gets the numbers, and colour is never the only cue: each status
//! has its own pattern, the legend shows the same patterns, and segments tall enough carry
//! their count. Colours are GOV.UK's.

use std::fmt::Write;

use crate::xml::escape;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressChart {
    /// Unique on the page: it prefixes the ids of the title, description and patterns, which
    /// HTML shares across every SVG in a page.
    pub id: String,
    /// "Derby: actions by RAG status".
    pub title: String,
    /// What each point is: "Month", "Update".
    pub period: String,
    pub points: Vec<ProgressPoint>,
}

/// The counts at one point in time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressPoint {
    /// "Mar 2027".
    pub label: String,
    pub red: usize,
    pub amber: usize,
    pub green: usize,
    pub complete: usize,
}

impl ProgressPoint {
    fn total(&self) -> usize {
        self.red + self.amber + self.green + self.complete
    }

    /// The segments from the bottom of the bar up: complete actions at the base, so progress
    /// shows as the bar's foundation growing.
    fn segments(&self) -> [(Status, usize); 4] {
        [
            (Status::Complete, self.complete),
            (Status::Green, self.green),
            (Status::Amber, self.amber),
            (Status::Red, self.red),
        ]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Red,
    Amber,
    Green,
    Complete,
}

impl Status {
    /// In the legend's reading order, which is the bar's from the top down.
    const ALL: [Self; 4] = [Self::Red, Self::Amber, Self::Green, Self::Complete];

    fn name(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Amber => "amber",
            Self::Green => "green",
            Self::Complete => "complete",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Red => "Red",
            Self::Amber => "Amber",
            Self::Green => "Green",
            Self::Complete => "Complete",
        }
    }

    /// The fill and a pattern over it: stripes, dots, plain, and a grid.
    fn pattern(self) -> (&'static str, &'static str) {
        match self {
            Self::Red => (
                "#d4351c",
                r##"<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="1.5" stroke-opacity="0.6"/>"##,
            ),
            Self::Amber => (
                "#f47738",
                r##"<circle cx="4" cy="4" r="1.6" fill="#0b0c0c" fill-opacity="0.45"/>"##,
            ),
            Self::Green => ("#00703c", ""),
            Self::Complete => (
                "#1d70b8",
                r##"<path d="M0,4 h8 M4,0 v8" stroke="#ffffff" stroke-width="1" stroke-opacity="0.6"/>"##,
            ),
        }
    }
}

/// The drawing's size in its own units; it scales to its container.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 420.0;
const PLOT_LEFT: f64 = 64.0;
const PLOT_RIGHT: f64 = 704.0;
const PLOT_TOP: f64 = 64.0;
const PLOT_BOTTOM: f64 = 340.0;
const TEXT: &str = "#0b0c0c";
const GRID: &str = "#b1b4b6";

/// The chart as an `<svg>` element to put straight into a page. The same input always gives
/// the same text.
pub fn progress_chart(chart: &ProgressChart) -> String {
    let id = element_id(&chart.id);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Arial, sans-serif" font-size="14" fill="{TEXT}"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        title = escape(&chart.title),
        desc = escape(&description(chart)),
    );
    svg.push_str(&patterns(&id));
    svg.push_str(&legend(&id));
    if chart.points.is_empty() {
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{y}" text-anchor="middle">No progress updates yet.</text>"#,
            x = WIDTH / 2.0,
            y = (PLOT_TOP + PLOT_BOTTOM) / 2.0,
        );
    } else {
        let top = axis_top(
            chart
                .points
                .iter()
                .map(ProgressPoint::total)
                .max()
                .unwrap_or(0),
        );
        svg.push_str(&y_axis(top));
        svg.push_str(&bars(&id, chart, top));
        svg.push_str(&x_axis_title(&chart.period));
    }
    svg.push_str("</svg>");
    svg
}

/// An id safe in HTML and CSS: letters, digits, hyphens and underscores, starting with a
/// letter.
fn element_id(id: &str) -> String {
    let clean: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    if clean.starts_with(|c: char| c.is_ascii_alphabetic()) {
        clean
    } else {
        format!("chart-{clean}")
    }
}

/// The chart in words: every point's counts, for those who cannot see the bars.
fn description(chart: &ProgressChart) -> String {
    if chart.points.is_empty() {
        return "No progress updates yet.".to_owned();
    }
    let points: Vec<String> = chart
        .points
        .iter()
        .map(|point| {
            format!(
                "{}: {} red, {} amber, {} green and {} complete, {} in all.",
                point.label,
                point.red,
                point.amber,
                point.green,
                point.complete,
                point.total()
            )
        })
        .collect();
    format!(
        "Actions by RAG status for each {}. {}",
        chart.period.to_lowercase(),
        points.join(" ")
    )
}

fn patterns(id: &str) -> String {
    let mut defs = String::from("<defs>");
    for status in Status::ALL {
        let (fill, overlay) = status.pattern();
        let _ = write!(
            defs,
            r#"<pattern id="{id}-{name}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{fill}"/>{overlay}</pattern>"#,
            name = status.name(),
        );
    }
    defs.push_str("</defs>");
    defs
}

fn legend(id: &str) -> String {
    let mut legend = String::from(r#"<g class="legend">"#);
    for (index, status) in Status::ALL.iter().enumerate() {
        let x = PLOT_LEFT + 130.0 * index as f64;
        let _ = write!(
            legend,
            r##"<rect x="{x}" y="18" width="20" height="20" fill="url(#{id}-{name})" stroke="{TEXT}" stroke-width="1"/><text x="{tx}" y="33">{label}</text>"##,
            name = status.name(),
            tx = x + 28.0,
            label = status.label(),
        );
    }
    legend.push_str("</g>");
    legend
}

/// The top of the value axis: a round number at or above the tallest bar, at least 1.
fn axis_top(max: usize) -> usize {
    let step = tick_step(max);
    max.div_ceil(step).max(1) * step
}

/// A step of 1, 2 or 5 times a power of ten giving at most five intervals up to `max`.
fn tick_step(max: usize) -> usize {
    let mut magnitude = 1;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * magnitude;
            if max <= step * 5 {
                return step;
            }
        }
        magnitude *= 10;
    }
}

fn y_for(count: usize, top: usize) -> f64 {
    PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * count as f64 / top as f64
}

fn y_axis(top: usize) -> String {
    let step = tick_step(top);
    let mut axis = String::from(r#"<g class="y-axis" font-size="13">"#);
    for value in (0..=top).step_by(step) {
        let y = y_for(value, top);
        let _ = write!(
            axis,
            r#"<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{value}</text>"#,
            tx = PLOT_LEFT - 8.0,
            ty = y + 4.5,
        );
    }
    let middle = (PLOT_TOP + PLOT_BOTTOM) / 2.0;
    let _ = write!(
        axis,
        r#"<text x="18" y="{middle}" text-anchor="middle" transform="rotate(-90 18 {middle})">Number of actions</text></g>"#
    );
    axis
}

fn x_axis_title(period: &str) -> String {
    format!(
        r#"<text x="{x}" y="{y}" text-anchor="middle">{period}</text>"#,
        x = (PLOT_LEFT + PLOT_RIGHT) / 2.0,
        y = HEIGHT - 8.0,
        period = escape(period),
    )
}

/// A stacked bar per point, its total above it and its label below. Labels turn when they
/// would crowd each other.
fn bars(id: &str, chart: &ProgressChart, top: usize) -> String {
    let slot = (PLOT_RIGHT - PLOT_LEFT) / chart.points.len() as f64;
    let bar = (slot * 0.6).min(72.0);
    let longest = chart
        .points
        .iter()
        .map(|point| point.label.chars().count())
        .max()
        .unwrap_or(0);
    let turn = longest as f64 * 7.0 > slot;
    let mut bars = String::from(r#"<g class="bars">"#);
    for (index, point) in chart.points.iter().enumerate() {
        let centre = PLOT_LEFT + slot * (index as f64 + 0.5);
        let x = centre - bar / 2.0;
        let mut base = 0;
        for (status, count) in point.segments() {
            if count == 0 {
                continue;
            }
            let (y_top, y_bottom) = (y_for(base + count, top), y_for(base, top));
            let height = y_bottom - y_top;
            let _ = write!(
                bars,
                r##"<rect class="segment {name}" x="{x:.1}" y="{y_top:.1}" width="{bar:.1}" height="{height:.1}" fill="url(#{id}-{name})" stroke="#ffffff" stroke-width="1"><title>{label}: {count} {name}</title></rect>"##,
                name = status.name(),
                label = escape(&point.label),
            );
            // A count inside the segment, on white so it reads whatever the colour behind.
            if height >= 20.0 {
                let width = 8.0 * count.to_string().len() as f64 + 8.0;
                let middle = (y_top + y_bottom) / 2.0;
                let _ = write!(
                    bars,
                    r#"<rect x="{rx:.1}" y="{ry:.1}" width="{width:.1}" height="16" rx="3" fill="white"/><text x="{centre:.1}" y="{ty:.1}" text-anchor="middle" font-size="12">{count}</text>"#,
                    rx = centre - width / 2.0,
                    ry = middle - 8.0,
                    ty = middle + 4.0,
                );
            }
            base += count;
        }
        let _ = write!(
            bars,
            r#"<text x="{centre:.1}" y="{y:.1}" text-anchor="middle" font-weight="bold">{total}</text>"#,
            y = y_for(base, top) - 6.0,
            total = point.total(),
        );
        let label = escape(&point.label);
        let y = PLOT_BOTTOM + 20.0;
        if turn {
            let _ = write!(
                bars,
                r#"<text x="{centre:.1}" y="{y}" text-anchor="end" font-size="12" transform="rotate(-40 {centre:.1} {y})">{label}</text>"#
            );
        } else {
            let _ = write!(
                bars,
                r#"<text x="{centre:.1}" y="{y}" text-anchor="middle" font-size="13">{label}</text>"#
            );
        }
    }
    let _ = write!(
        bars,
        r#"<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}" stroke="{TEXT}" stroke-width="1.5"/></g>"#
    );
    bars
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;

    use super::*;

    fn point(label: &str, counts: [usize; 4]) -> ProgressPoint {
        ProgressPoint {
            label: label.to_owned(),
            red: counts[0],
            amber: counts[1],
            green: counts[2],
            complete: counts[3],
        }
    }

    fn chart(points: Vec<ProgressPoint>) -> ProgressChart {
        ProgressChart {
            id: "derby progress".to_owned(),
            title: "Derby & <partners>: actions by RAG status".to_owned(),
            period: "Month".to_owned(),
            points,
        }
    }

    /// An element as quick-xml reads it: its name, attributes and the text directly in it.
    struct Element {
        name: String,
        attributes: Vec<(String, String)>,
        text: String,
    }

    impl Element {
        fn attribute(&self, key: &str) -> &str {
            self.attributes
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("no {key}"))
        }

        fn has_class(&self) -> bool {
            self.attributes.iter().any(|(k, _)| k == "class")
        }
    }

    /// Every element in order, proving the SVG is well-formed.
    fn elements(svg: &str) -> Vec<Element> {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut found: Vec<Element> = Vec::new();
        loop {
            match reader.read_event().expect("well-formed SVG") {
                Event::Start(element) | Event::Empty(element) => {
                    let attributes = element
                        .attributes()
                        .map(|attribute| {
                            let attribute = attribute.expect("attribute");
                            (
                                attribute.key.as_ref().to_owned(),
                                attribute
                                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .expect("attribute value")
                                    .into_owned(),
                            )
                        })
                        .collect();
                    let name = element.name().as_ref().to_owned();
                    found.push(Element {
                        name,
                        attributes,
                        text: String::new(),
                    });
                }
                Event::Text(text) => {
                    if let Some(last) = found.last_mut() {
                        last.text.push_str(&text.xml10_content());
                    }
                }
                Event::GeneralRef(reference) => {
                    let entity = reference.xml10_content();
                    let character = match entity.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity {other}"),
                    };
                    if let Some(last) = found.last_mut() {
                        last.text.push_str(character);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        found
    }

    #[test]
    fn the_chart_is_an_accessible_image_with_the_numbers_in_words() {
        let svg = progress_chart(&chart(vec![
            point("Mar 2027", [3, 4, 2, 1]),
            point("Apr 2027", [1, 3, 4, 2]),
        ]));
        let elements = elements(&svg);
        let root = &elements[0];
        assert_eq!(root.name, "svg");
        assert_eq!(root.attribute("role"), "img");
        assert_eq!(
            root.attribute("aria-labelledby"),
            "derbyprogress-title derbyprogress-desc"
        );
        let title = elements.iter().find(|e| e.name == "title").expect("title");
        assert_eq!(title.attribute("id"), "derbyprogress-title");
        assert_eq!(title.text, "Derby & <partners>: actions by RAG status");
        let desc = elements.iter().find(|e| e.name == "desc").expect("desc");
        assert_eq!(
            desc.text,
            "Actions by RAG status for each month. \
             Mar 2027: 3 red, 4 amber, 2 green and 1 complete, 10 in all. \
             Apr 2027: 1 red, 3 amber, 4 green and 2 complete, 10 in all."
        );
    }

    #[test]
    fn each_status_is_a_patterned_segment_of_the_right_height() {
        let svg = progress_chart(&chart(vec![
            point("Mar 2027", [3, 0, 2, 5]),
            point("Apr 2027", [0, 0, 0, 0]),
        ]));
        let elements = elements(&svg);
        let segments: Vec<_> = elements
            .iter()
            .filter(|e| {
                e.name == "rect" && e.has_class() && e.attribute("class").starts_with("segment")
            })
            .collect();
        let classes: Vec<&str> = segments.iter().map(|s| s.attribute("class")).collect();
        assert_eq!(
            classes,
            ["segment complete", "segment green", "segment red"],
            "empty segments are not drawn"
        );
        // 10 actions on an axis up to 10: the plot's full height, split 5:2:3.
        let heights: Vec<f64> = segments
            .iter()
            .map(|s| s.attribute("height").parse().expect("number"))
            .collect();
        let plot = PLOT_BOTTOM - PLOT_TOP;
        for (height, share) in heights.iter().zip([0.5, 0.2, 0.3]) {
            assert!((height - plot * share).abs() < 0.2, "{heights:?}");
        }
        assert_eq!(segments[2].attribute("fill"), "url(#derbyprogress-red)");
        let patterns: Vec<&str> = elements
            .iter()
            .filter(|e| e.name == "pattern")
            .map(|e| e.attribute("id"))
            .collect();
        assert_eq!(
            patterns,
            [
                "derbyprogress-red",
                "derbyprogress-amber",
                "derbyprogress-green",
                "derbyprogress-complete"
            ]
        );
        let texts: Vec<&str> = elements
            .iter()
            .filter(|e| e.name == "text")
            .map(|e| e.text.as_str())
            .collect();
        for expected in [
            "Red",
            "Amber",
            "Green",
            "Complete",
            "Mar 2027",
            "Apr 2027",
            "Number of actions",
            "Month",
        ] {
            assert!(texts.contains(&expected), "{expected} in {texts:?}");
        }
        let segment_titles: Vec<&str> = elements
            .iter()
            .filter(|e| e.name == "title")
            .skip(1)
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(
            segment_titles,
            [
                "Mar 2027: 5 complete",
                "Mar 2027: 2 green",
                "Mar 2027: 3 red"
            ]
        );
    }

    #[test]
    fn the_axis_rounds_up_to_a_tidy_number() {
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(3), 3);
        assert_eq!(axis_top(7), 8);
        assert_eq!(axis_top(10), 10);
        assert_eq!(axis_top(23), 25);
        assert_eq!(axis_top(101), 150);
    }

    #[test]
    fn the_same_data_gives_the_same_svg_and_labels_are_escaped() {
        let points = vec![point("<Q1> & \"Q2\"", [1, 1, 1, 1])];
        let first = progress_chart(&chart(points.clone()));
        assert_eq!(first, progress_chart(&chart(points)));
        assert!(first.contains("&lt;Q1&gt; &amp; &quot;Q2&quot;"));
        elements(&first);
    }

    #[test]
    fn an_empty_chart_says_so() {
        let svg = progress_chart(&chart(vec![]));
        let elements = elements(&svg);
        let desc = elements.iter().find(|e| e.name == "desc").expect("desc");
        assert_eq!(desc.text, "No progress updates yet.");
        assert!(
            elements
                .iter()
                .any(|e| e.name == "text" && e.text == "No progress updates yet.")
        );
        assert!(!elements.iter().any(|e| e.name == "rect" && e.has_class()));
    }

    #[test]
    fn ids_are_safe_in_html() {
        assert_eq!(element_id("derby-2027"), "derby-2027");
        assert_eq!(element_id("\"><script>"), "script");
        assert_eq!(element_id("2027"), "chart-2027");
        assert_eq!(element_id(""), "chart-");
    }
}
