//! The biennial pairing as a ring of areas with an arrow from each challenging area to the
//! area it challenges: an `<svg>` drawn on the server (no script), with a title and a
//! description that says every pair in words for people who cannot see it.

use std::fmt::Write as _;

use crate::xml::escape;

const SIZE: f64 = 640.0;
const CENTRE: f64 = SIZE / 2.0;
/// The ring the areas sit on, and the radius of each area's dot.
const RING: f64 = 200.0;
const DOT: f64 = 9.0;
const TEXT: &str = "#0b0c0c";
const ARROW: &str = "#1d70b8";

/// The ring for `areas` (names, in the order they sit round it) and `pairs` (indexes into
/// `areas`: challenger, challenged). `id` makes the element ids unique on the page.
pub fn pairing_ring(id: &str, title: &str, areas: &[String], pairs: &[(usize, usize)]) -> String {
    let id: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let description = pairs
        .iter()
        .filter_map(|&(from, to)| {
            Some(format!(
                "{} challenges {}.",
                areas.get(from)?,
                areas.get(to)?
            ))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Arial, sans-serif" font-size="15" fill="{TEXT}"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc><defs><marker id="{id}-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{ARROW}"/></marker></defs>"#,
        title = escape(title),
        desc = escape(&description),
    );
    let count = areas.len().max(1);
    let at = |index: usize| {
        // Start at the top and go clockwise.
        #[allow(clippy::cast_precision_loss)]
        let angle =
            std::f64::consts::TAU * index as f64 / count as f64 - std::f64::consts::FRAC_PI_2;
        (angle.cos(), angle.sin())
    };
    for &(from, to) in pairs {
        if from >= areas.len() || to >= areas.len() || from == to {
            continue;
        }
        let ((fx, fy), (tx, ty)) = (at(from), at(to));
        let (x1, y1) = (CENTRE + RING * fx, CENTRE + RING * fy);
        let (x2, y2) = (CENTRE + RING * tx, CENTRE + RING * ty);
        let length = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt().max(1.0);
        // Stop short of both dots so the arrowhead shows.
        let trim = (DOT + 4.0) / length;
        let _ = write!(
            svg,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{ARROW}" stroke-width="2.5" marker-end="url(#{id}-head)"/>"#,
            x1 + (x2 - x1) * trim,
            y1 + (y2 - y1) * trim,
            x2 - (x2 - x1) * trim,
            y2 - (y2 - y1) * trim,
        );
    }
    for (index, name) in areas.iter().enumerate() {
        let (dx, dy) = at(index);
        let (x, y) = (CENTRE + RING * dx, CENTRE + RING * dy);
        let anchor = if dx > 0.2 {
            "start"
        } else if dx < -0.2 {
            "end"
        } else {
            "middle"
        };
        let (lx, ly) = (
            CENTRE + (RING + 22.0) * dx,
            CENTRE + (RING + 22.0) * dy + 5.0,
        );
        let _ = write!(
            svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{DOT}" fill="{TEXT}"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}">{}</text>"#,
            escape(name),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_is_an_arrow_and_said_in_words() {
        let areas = vec![
            "Derby".to_owned(),
            "Leicester & Co".to_owned(),
            "Rutland".to_owned(),
        ];
        let svg = pairing_ring(
            "ring 1",
            "Who challenges whom",
            &areas,
            &[(0, 1), (1, 2), (2, 0)],
        );
        assert_eq!(svg.matches("<line").count(), 3);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(
            "Derby challenges Leicester &amp; Co. Leicester &amp; Co challenges Rutland. Rutland challenges Derby."
        ));
        assert!(svg.contains(r#"aria-labelledby="ring-1-title ring-1-desc""#));
        assert_eq!(
            svg,
            pairing_ring(
                "ring 1",
                "Who challenges whom",
                &areas,
                &[(0, 1), (1, 2), (2, 0)]
            )
        );
    }
}
