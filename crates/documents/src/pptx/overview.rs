//! A programme overview's slides: the title, then each section's words on list slides and each
//! of its tables on as many slides as it needs, titled with the table's own title.

use super::board::table_pages;
use super::fit::continued_titles;
use super::report::list_slides;
use super::slides::{CONTENT_BODY, Column, Layout, Para, ParaStyle, Slide, Table};
use crate::programme_overview::{Overview, OverviewTable, Section};
use crate::report::long_date;

/// A section with words gets list slides under its heading; a section of tables alone opens
/// with a section slide, so the deck's outline still names it. Empty sections and tables get
/// no slide.
pub(super) fn slides(overview: &Overview) -> Vec<Slide> {
    let mut subtitle: Vec<Para> = overview
        .subtitle
        .iter()
        .map(|line| Para::new(ParaStyle::Plain, line))
        .collect();
    subtitle.push(Para::new(
        ParaStyle::Plain,
        &format!("Produced {}", long_date(overview.generated_on)),
    ));
    let mut slides = vec![Slide::new(Layout::Title, overview.title.clone(), subtitle)];
    for section in overview.sections.iter().filter(|s| !s.is_empty()) {
        let words = words(section);
        if words.is_empty() {
            slides.push(Slide::new(
                Layout::Section,
                section.heading.clone(),
                Vec::new(),
            ));
        } else {
            slides.extend(list_slides(&section.heading, words));
        }
        for table in section.tables.iter().filter(|t| !t.rows.is_empty()) {
            slides.extend(table_slides(table));
        }
    }
    slides
}

fn words(section: &Section) -> Vec<Para> {
    section
        .paragraphs
        .iter()
        .map(|text| Para::new(ParaStyle::Plain, text))
        .chain(
            section
                .bullets
                .iter()
                .map(|text| Para::new(ParaStyle::Bullet, text)),
        )
        .collect()
}

/// The table over as many slides as its rows need, each with the header row and the
/// table's description as its alternative text.
fn table_slides(table: &OverviewTable) -> Vec<Slide> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .zip(table.widths(CONTENT_BODY.cx))
        .map(|(column, width)| Column {
            heading: column.heading,
            width,
            numeric: false,
        })
        .collect();
    let pages = table_pages(&columns, table.rows.clone());
    continued_titles(&table.title, pages.len())
        .into_iter()
        .zip(pages)
        .map(|(title, rows)| {
            let mut slide = Slide::new(Layout::Content, title, Vec::new());
            slide.table = Some(Table {
                description: table.description.clone(),
                columns: columns.clone(),
                rows,
                last_row_is_total: false,
            });
            slide
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::overview_deck;
    use super::super::tests::{all_text, read_deck, slides_of};
    use crate::libreoffice::{convert_to_pdf, page_count};
    use crate::programme_overview::sample;

    #[test]
    fn python_pptx_reads_every_area_and_action_under_a_slide_title() {
        let overview = sample(10, 6);
        let deck = read_deck(&overview_deck(&overview).expect("deck"));
        assert_eq!(deck["core_title"], overview.title);
        let slides = slides_of(&deck);
        assert_eq!(slides[0]["layout"], "Title Slide");
        assert_eq!(slides[0]["title"], overview.title);
        for slide in slides {
            let title = slide["title"].as_str().expect("every slide has a title");
            assert!(!title.is_empty());
        }
        let titles: Vec<&str> = slides
            .iter()
            .map(|s| s["title"].as_str().expect("title"))
            .collect();
        assert!(titles.contains(&"Emerging themes"));
        assert!(titles.contains(&"Each area's next steps"), "{titles:?}");
        assert!(titles.contains(&"Not yet returned"));
        assert!(
            !titles.contains(&"Nothing here"),
            "an empty section has no slide"
        );
        let text = all_text(&deck);
        for table in &overview.sections[1].tables {
            assert!(
                titles.iter().any(|t| t.starts_with(table.title.as_str())),
                "{}",
                table.title
            );
            for row in &table.rows {
                for cell in row {
                    assert!(text.contains(cell.as_str()), "{cell}");
                }
            }
        }
        assert!(text.contains("Rutland County Council"));
    }

    #[test]
    fn every_table_slide_has_its_header_and_alternative_text() {
        let overview = sample(2, 30);
        let bytes = overview_deck(&overview).expect("deck");
        let slides = super::slides(&overview);
        let tables: Vec<_> = slides.iter().filter_map(|s| s.table.as_ref()).collect();
        assert!(tables.len() > 2, "30 actions continue on further slides");
        for table in tables {
            assert!(table.description.ends_with("its next steps"));
            assert_eq!(table.columns[1].heading, "Action");
        }
        let pdf = convert_to_pdf(&bytes, "pptx");
        assert_eq!(page_count(&pdf), slides.len());
    }
}
