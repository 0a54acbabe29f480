//! The data pack's slides: the title, a slide per indicator with its trend as a native line
//! chart (area, region's middle, England: each its own dash and marker) under one line of
//! where the area stands, the same figures as a table, the inspections, and the flags.

use super::report::{MAX_BULLETS, list_slides_of};
use super::slides::{Chart, ChartLine, Column, Layout, Para, ParaStyle, Slide, Table};
use crate::data_pack::DataPack;
use crate::report::long_date;

/// The area, the region and England: GOV.UK blue, black and dark grey, as the web chart.
const LINE_STYLES: [(&str, &str, &str); 3] = [
    ("1D70B8", "solid", "circle"),
    ("0B0C0C", "dash", "square"),
    ("505A5F", "sysDot", "triangle"),
];

pub(super) fn slides(pack: &DataPack) -> Vec<Slide> {
    let mut slides = vec![Slide::new(
        Layout::Title,
        pack.title.clone(),
        [
            pack.cycle.clone(),
            format!(
                "For the triad conversation · {}",
                long_date(pack.generated_on)
            ),
        ]
        .iter()
        .map(|line| Para::new(ParaStyle::Plain, line))
        .collect(),
    )];
    for indicator in &pack.indicators {
        let mut chart = Slide::new(
            Layout::Content,
            indicator.title.clone(),
            vec![Para::new(ParaStyle::Plain, &indicator.standing)],
        );
        chart.chart = Some(Chart {
            description: format!(
                "{}: {} against the middle of the region's areas and England, by period. The figures are on the next slide.",
                indicator.title, pack.area
            ),
            categories: indicator.periods.clone(),
            series: Vec::new(),
            lines: indicator
                .lines
                .iter()
                .zip(LINE_STYLES)
                .map(|((name, values), (colour, dash, marker))| ChartLine {
                    name: name.clone(),
                    colour,
                    dash,
                    marker,
                    values: values.clone(),
                })
                .collect(),
        });
        slides.push(chart);
        let width = 10_058_400 / (indicator.lines.len() as i64 + 1);
        let mut columns = vec![Column {
            heading: "Period",
            width,
            numeric: false,
        }];
        // Column headings are static: the lines' names go in the description and the rows.
        columns.extend(
            indicator
                .lines
                .iter()
                .zip(["Area", "Region (middle)", "England"])
                .map(|(_, heading)| Column {
                    heading,
                    width,
                    numeric: true,
                }),
        );
        let mut table = Slide::new(
            Layout::Content,
            format!("{}: the figures", indicator.title),
            Vec::new(),
        );
        table.table = Some(Table {
            description: format!(
                "{} by period: {}",
                indicator.title,
                indicator
                    .lines
                    .iter()
                    .map(|(name, _)| name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            columns,
            rows: indicator.rows(),
            last_row_is_total: false,
        });
        slides.push(table);
    }
    let mut inspections: Vec<Para> = pack
        .inspections
        .iter()
        .map(|[when, kind, outcome]| {
            Para::new(ParaStyle::Bullet, &format!("{when}, {kind}: {outcome}"))
        })
        .collect();
    if let Some(next) = &pack.next_inspection {
        inspections.push(Para::new(ParaStyle::Plain, next));
    }
    slides.extend(list_slides_of(
        "Area SEND inspections",
        inspections,
        MAX_BULLETS,
    ));
    let mut flags = vec![Para::new(ParaStyle::Plain, &pack.flags_from)];
    if pack.flags.is_empty() {
        flags.push(Para::new(
            ParaStyle::Plain,
            "No flags: no rating disagrees with the figures or the inspection.",
        ));
    }
    flags.extend(pack.flags.iter().map(|[section, rating, says]| {
        Para::new(ParaStyle::Bullet, &format!("{section} ({rating}): {says}"))
    }));
    slides.extend(list_slides_of(
        "Where the self-assessment and the evidence disagree",
        flags,
        4,
    ));
    slides
}
