//! The regional board's slides: the region at a glance, then each area's counts and what is
//! overdue.

use super::fit::{continued_titles, pages_after};
use super::report::MAX_BULLETS;
use super::slides::{CONTENT_BODY, Chart, Column, Layout, Para, ParaStyle, Slide, Table, body_box};
use crate::board::{AreaProgress, BoardPack};
use crate::report::long_date;

/// The title, the region's table of areas with a plan, one slide gathering the areas with
/// no plan yet (rather than a slide of noughts each), then each planning area's progress.
pub(super) fn slides(pack: &BoardPack) -> Vec<Slide> {
    let mut slides = vec![title_slide(pack)];
    slides.extend(summary_slides(pack));
    if !pack.months.is_empty() {
        slides.push(chart_slide(pack));
    }
    let unplanned: Vec<Para> = pack
        .areas
        .iter()
        .filter(|area| area.total == 0)
        .map(|area| Para::new(ParaStyle::Bullet, &area.area))
        .collect();
    if !unplanned.is_empty() {
        let mut paras = vec![Para::new(
            ParaStyle::Plain,
            "These areas have no actions recorded yet: no plan, rather than a plan on track.",
        )];
        paras.extend(unplanned);
        slides.extend(super::report::list_slides_of(
            "Areas with no action plan yet",
            paras,
            super::report::MAX_SHORT_LINES,
        ));
    }
    for area in pack.areas.iter().filter(|area| area.total > 0) {
        slides.extend(area_slides(area));
    }
    slides
}

/// The region's actions by RAG status at each month end, as a stacked column chart in the
/// colours of the web page's chart.
fn chart_slide(pack: &BoardPack) -> Slide {
    let series = [
        ("Red", "D4351C"),
        ("Amber", "F47738"),
        ("Green", "00703C"),
        ("Complete", "1D70B8"),
    ]
    .iter()
    .enumerate()
    .map(|(index, (name, colour))| {
        let values = pack
            .months
            .iter()
            .map(|(_, counts)| counts[index])
            .collect();
        ((*name).to_owned(), *colour, values)
    })
    .collect();
    let mut slide = Slide::new(
        Layout::Content,
        "Actions by RAG status, month by month".to_owned(),
        Vec::new(),
    );
    slide.chart = Some(Chart {
        description: "The region's actions by RAG status at the end of each month: red, \
                      amber, green and complete, stacked."
            .to_owned(),
        categories: pack
            .months
            .iter()
            .map(|(month, _)| month.format("%b %Y").to_string())
            .collect(),
        series,
        lines: Vec::new(),
    });
    slide
}

fn title_slide(pack: &BoardPack) -> Slide {
    let areas = match pack.areas.len() {
        1 => "1 area".to_owned(),
        n => format!("{n} areas"),
    };
    let subtitle = [
        format!("Progress on the action plans of {areas}"),
        format!("Produced {}", long_date(pack.generated_on)),
    ]
    .iter()
    .map(|line| Para::new(ParaStyle::Plain, line))
    .collect();
    Slide::new(Layout::Title, pack.title.clone(), subtitle)
}

/// The counts' columns, after the area's name where there is one.
const COUNT_HEADINGS: [&str; 6] = ["Actions", "Red", "Amber", "Green", "Complete", "Overdue"];

fn counts(area: &AreaProgress) -> Vec<String> {
    [
        area.total,
        area.red,
        area.amber,
        area.green,
        area.complete,
        area.overdue,
    ]
    .iter()
    .map(usize::to_string)
    .collect()
}

fn count_columns(width: i64) -> Vec<Column> {
    COUNT_HEADINGS
        .iter()
        .map(|&heading| Column {
            heading,
            width,
            numeric: true,
        })
        .collect()
}

/// Every area's counts and the region's total, in a table spread over as many slides as it
/// needs; the total comes last.
fn summary_slides(pack: &BoardPack) -> Vec<Slide> {
    let area_width = 3_474_720;
    let mut columns = vec![Column {
        heading: "Area",
        width: area_width,
        numeric: false,
    }];
    let count_width = (CONTENT_BODY.cx - area_width) / COUNT_HEADINGS.len() as i64;
    columns.extend(count_columns(count_width));
    let row = |area: &AreaProgress| {
        let mut cells = vec![area.area.clone()];
        cells.extend(counts(area));
        cells
    };
    let mut rows: Vec<Vec<String>> = pack
        .areas
        .iter()
        .filter(|area| area.total > 0)
        .map(row)
        .collect();
    rows.push(row(&pack.region()));

    let pages = table_pages(&columns, rows);
    let count = pages.len();
    continued_titles("Actions across the region", count)
        .into_iter()
        .zip(pages)
        .enumerate()
        .map(|(index, (title, rows))| {
            let mut slide = Slide::new(Layout::Content, title, Vec::new());
            slide.table = Some(Table {
                description: "Actions in each area by RAG status, and how many are overdue. \
                              The last row is the region's total."
                    .to_owned(),
                columns: columns.clone(),
                rows,
                last_row_is_total: index + 1 == count,
            });
            slide
        })
        .collect()
}

/// Rows spread over slides so that each table, header included, fits the body area.
pub(super) fn table_pages(columns: &[Column], rows: Vec<Vec<String>>) -> Vec<Vec<Vec<String>>> {
    let header: Vec<String> = columns.iter().map(|c| c.heading.to_owned()).collect();
    let header_height = Table::row_height(columns, &header, true);
    let last = rows.len().saturating_sub(1);
    let mut pages = Vec::new();
    let mut page = Vec::new();
    let mut used = header_height;
    for (index, row) in rows.into_iter().enumerate() {
        let height = Table::row_height(columns, &row, index == last);
        if !page.is_empty() && used + height > CONTENT_BODY.cy {
            pages.push(std::mem::take(&mut page));
            used = header_height;
        }
        used += height;
        page.push(row);
    }
    pages.push(page);
    pages
}

/// An area's counts above its overdue actions; a long list of those continues on further
/// slides without the table.
fn area_slides(area: &AreaProgress) -> Vec<Slide> {
    let table = Table {
        description: format!(
            "{}: actions by RAG status, and how many are overdue",
            area.area
        ),
        columns: count_columns(CONTENT_BODY.cx / COUNT_HEADINGS.len() as i64),
        rows: vec![counts(area)],
        last_row_is_total: false,
    };
    let title = format!("{}: progress", area.area);
    let paras = if area.overdue_actions.is_empty() {
        vec![Para::new(
            ParaStyle::Plain,
            "On track: no actions are overdue.",
        )]
    } else {
        let mut paras = vec![Para::new(ParaStyle::Heading, "Overdue actions")];
        paras.extend(
            area.overdue_actions
                .iter()
                .map(|action| Para::new(ParaStyle::Bullet, action)),
        );
        paras
    };
    let first = body_box(Layout::Content, Some(&table)).room(MAX_BULLETS);
    let pages = pages_after(paras, &first, &CONTENT_BODY.room(MAX_BULLETS));
    let mut slides: Vec<Slide> = continued_titles(&title, pages.len())
        .into_iter()
        .zip(pages)
        .map(|(title, body)| Slide::new(Layout::Content, title, body))
        .collect();
    if let Some(slide) = slides.first_mut() {
        slide.table = Some(table);
    }
    slides
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn area(name: &str, overdue: usize) -> AreaProgress {
        AreaProgress {
            area: name.to_owned(),
            total: 10,
            red: 2,
            amber: 3,
            green: 4,
            complete: 1,
            overdue,
            overdue_actions: (1..=overdue)
                .map(|n| format!("{name}-{n}: publish the refreshed Local Offer & tell families"))
                .collect(),
        }
    }

    fn pack(areas: Vec<AreaProgress>) -> BoardPack {
        BoardPack {
            months: Vec::new(),
            title: "Regional board".to_owned(),
            generated_on: NaiveDate::from_ymd_opt(2027, 3, 12).expect("valid date"),
            areas,
        }
    }

    #[test]
    fn the_summary_ends_with_the_region_total() {
        let slides = slides(&pack(vec![area("Derby", 1), area("Leicester", 0)]));
        let table = slides[1].table.as_ref().expect("summary table");
        assert_eq!(table.rows.len(), 3);
        assert!(table.last_row_is_total);
        assert_eq!(table.rows[2], ["Region", "20", "4", "6", "8", "2", "1"]);
        assert_eq!(slides[2].title, "Derby: progress");
        assert_eq!(
            slides[2].body[1].text,
            "Derby-1: publish the refreshed Local Offer & tell families"
        );
        assert_eq!(slides[3].body[0].text, "On track: no actions are overdue.");
    }

    #[test]
    fn areas_with_no_plan_share_one_slide_and_are_not_on_track() {
        let none = AreaProgress {
            area: "Rutland".to_owned(),
            ..AreaProgress::default()
        };
        let also_none = AreaProgress {
            area: "Lincolnshire".to_owned(),
            ..AreaProgress::default()
        };
        let slides = slides(&pack(vec![area("Derby", 0), none, also_none]));
        let titles: Vec<&str> = slides.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Regional board",
                "Actions across the region",
                "Areas with no action plan yet",
                "Derby: progress"
            ]
        );
        let table = slides[1].table.as_ref().expect("summary table");
        assert_eq!(
            table.rows.len(),
            2,
            "Derby and the region: no rows of noughts"
        );
        let listed: Vec<&str> = slides[2].body.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(listed[1..], ["Rutland", "Lincolnshire"]);
    }

    #[test]
    fn many_areas_spread_the_table_over_slides_that_fit() {
        let areas: Vec<AreaProgress> = (1..=30).map(|n| area(&format!("Area {n}"), 0)).collect();
        let slides = slides(&pack(areas));
        let summaries: Vec<&Slide> = slides
            .iter()
            .filter(|slide| slide.title.starts_with("Actions across the region"))
            .collect();
        assert!(summaries.len() >= 3, "{}", summaries.len());
        let mut rows = 0;
        for (index, slide) in summaries.iter().enumerate() {
            let table = slide.table.as_ref().expect("table");
            assert!(table.height() <= CONTENT_BODY.cy, "{}", slide.title);
            assert_eq!(table.last_row_is_total, index + 1 == summaries.len());
            rows += table.rows.len();
        }
        assert_eq!(rows, 31, "every area and the total");
    }

    #[test]
    fn a_long_overdue_list_continues_without_the_table() {
        let slides = area_slides(&area("Derby", 15));
        assert!(slides.len() >= 3, "{}", slides.len());
        assert!(slides[0].table.is_some());
        assert!(slides[1..].iter().all(|slide| slide.table.is_none()));
        assert!(
            slides[1]
                .title
                .starts_with("Derby: progress (continued, 2 of")
        );
        let listed = slides
            .iter()
            .flat_map(|s| &s.body)
            .filter(|p| p.style == ParaStyle::Bullet);
        assert_eq!(listed.count(), 15);
    }
}
