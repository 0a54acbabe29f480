//! The overview of a programme activity for the board (a thematic event's emerging themes and
//! next steps, a biennial cycle's priorities, pairing and agreed actions), as plain data, and
//! its written form ([`written_overview`]); the slides are [`crate::pptx::overview_deck`].
//!
//! One model for every programme: services decide what each section says, and both writers
//! reuse the challenge report's building blocks (`docx::Body`, the deck's list and table
//! slides), so an overview has the same headings, table headers, slide titles and alternative
//! text as a report.

use chrono::NaiveDate;

use crate::DocumentError;
use crate::docx::{Body, TEXT_WIDTH, document, plain, styled};
use crate::opc::CoreProperties;
use crate::report::long_date;

#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    /// "Overview: Preparation for adulthood".
    pub title: String,
    /// What kind of overview: "Thematic peer challenge event" (the document's subject).
    pub kind: String,
    /// Lines under the title: when it was held, where, how many areas returned.
    pub subtitle: Vec<String>,
    pub generated_on: NaiveDate,
    pub sections: Vec<Section>,
}

/// One heading of the overview with its words, a list and any tables beneath. A section with
/// nothing in it is left out of both files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub bullets: Vec<String>,
    pub tables: Vec<OverviewTable>,
}

/// A table under its own title (an area's name, "Who challenges whom"): a level-2 heading in
/// the document, the slide title in the deck.
#[derive(Clone, Debug, PartialEq)]
pub struct OverviewTable {
    pub title: String,
    /// What the table shows in words: the deck's alternative text.
    pub description: String,
    pub columns: Vec<OverviewColumn>,
    pub rows: Vec<Vec<String>>,
}

/// A column's heading and its share of the table's width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverviewColumn {
    pub heading: &'static str,
    pub share: u32,
}

impl Section {
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
            && self.bullets.is_empty()
            && self.tables.iter().all(|t| t.rows.is_empty())
    }
}

impl OverviewTable {
    /// Each column's width out of `total`, by its share; the last takes what rounding leaves.
    pub(crate) fn widths(&self, total: i64) -> Vec<i64> {
        let shares: i64 = self.columns.iter().map(|c| i64::from(c.share.max(1))).sum();
        let mut widths: Vec<i64> = self
            .columns
            .iter()
            .map(|c| total * i64::from(c.share.max(1)) / shares.max(1))
            .collect();
        let used: i64 = widths.iter().sum();
        if let Some(last) = widths.last_mut() {
            *last += total - used;
        }
        widths
    }
}

/// The overview as a .docx file: title lines, contents, then each section under a Heading 1
/// with its tables under Heading 2 and a header row in every table.
pub fn written_overview(overview: &Overview) -> Result<Vec<u8>, DocumentError> {
    let mut body = Body::default();
    for section in overview.sections.iter().filter(|s| !s.is_empty()) {
        body.heading(1, &section.heading);
        for paragraph in &section.paragraphs {
            body.push(plain(paragraph));
        }
        body.list(section.bullets.iter().map(String::as_str));
        for table in section.tables.iter().filter(|t| !t.rows.is_empty()) {
            body.heading(2, &table.title);
            let headings: Vec<&str> = table.columns.iter().map(|c| c.heading).collect();
            let widths: Vec<usize> = table
                .widths(TEXT_WIDTH as i64)
                .into_iter()
                .map(|w| usize::try_from(w).unwrap_or(0))
                .collect();
            body.table(&headings, &widths, table.rows.clone());
        }
    }
    let mut title_block = vec![styled("Title", &overview.title)];
    title_block.extend(
        overview
            .subtitle
            .iter()
            .map(|line| styled("Subtitle", line)),
    );
    title_block.push(styled(
        "Subtitle",
        &format!("Produced {}", long_date(overview.generated_on)),
    ));
    let footer = format!("{} · Page ", overview.title);
    document(
        &footer,
        title_block,
        body,
        &CoreProperties {
            title: &overview.title,
            subject: &overview.kind,
            created: overview.generated_on,
        },
    )
}

/// An overview with awkward text and many areas, for the writers' tests.
#[cfg(test)]
pub(crate) fn sample(areas: usize, actions_per_area: usize) -> Overview {
    let date = |day| NaiveDate::from_ymd_opt(2026, 3, day).expect("valid date");
    let columns = vec![
        OverviewColumn {
            heading: "Reference",
            share: 2,
        },
        OverviewColumn {
            heading: "Action",
            share: 6,
        },
        OverviewColumn {
            heading: "Owner",
            share: 3,
        },
        OverviewColumn {
            heading: "Due",
            share: 2,
        },
        OverviewColumn {
            heading: "RAG",
            share: 2,
        },
    ];
    let area_name = |n: usize| format!("Area {n} & \"partners\" <Ōtautahi>");
    let tables = (1..=areas)
        .map(|n| OverviewTable {
            title: area_name(n),
            description: format!("{}: its next steps", area_name(n)),
            columns: columns.clone(),
            rows: (1..=actions_per_area)
                .map(|a| {
                    vec![
                        format!("A{n}-{a}"),
                        format!(
                            "Action {n}.{a}: publish the refreshed Local Offer – naïve \
                             <guesses> & \"quotes\" aside – and tell families"
                        ),
                        "Head of SEND".to_owned(),
                        "30 Jun 2026".to_owned(),
                        "Amber".to_owned(),
                    ]
                })
                .collect(),
        })
        .collect();
    Overview {
        title: "Overview: Preparation for adulthood & \"transitions\"".to_owned(),
        kind: "Thematic peer challenge event".to_owned(),
        subtitle: vec![
            "Held on 4 March 2026, online".to_owned(),
            format!("{} of {} areas returned their next steps", areas, areas + 1),
        ],
        generated_on: date(12),
        sections: vec![
            Section {
                heading: "Emerging themes".to_owned(),
                paragraphs: vec!["Areas agreed on what matters most:\nsecond line".to_owned()],
                bullets: vec![
                    "Preparation for adulthood: 5 next steps from 3 areas".to_owned(),
                    "Co-production with families: 2 next steps from 2 areas".to_owned(),
                ],
                tables: Vec::new(),
            },
            Section {
                heading: "Each area's next steps".to_owned(),
                paragraphs: Vec::new(),
                bullets: Vec::new(),
                tables,
            },
            Section {
                heading: "Nothing here".to_owned(),
                ..Section::default()
            },
            Section {
                heading: "Not yet returned".to_owned(),
                paragraphs: Vec::new(),
                bullets: vec!["Rutland County Council".to_owned()],
                tables: Vec::new(),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::libreoffice::{convert_to_pdf, page_count};
    use crate::read_back::read_back;

    /// What python-docx sees: every paragraph with its style, and every table cell.
    const READ: &str = r#"
import io, json
document = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
print(json.dumps({
    "paragraphs": [[p.style.name, p.text] for p in document.paragraphs],
    "tables": [[[c.text for c in row.cells] for row in t.rows] for t in document.tables],
    "title": document.core_properties.title,
    "subject": document.core_properties.subject,
}))
"#;

    fn has(read: &Value, style: &str, text: &str) -> bool {
        read["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .any(|p| p[0] == style && p[1] == text)
    }

    #[test]
    fn python_docx_reads_every_area_and_action_under_real_headings() {
        let overview = sample(10, 4);
        let read = read_back(
            "docx",
            READ,
            &written_overview(&overview).expect("overview"),
        );
        assert_eq!(read["title"], overview.title);
        assert_eq!(read["subject"], overview.kind);
        assert!(has(&read, "Title", &overview.title));
        for heading in [
            "Emerging themes",
            "Each area's next steps",
            "Not yet returned",
        ] {
            assert!(has(&read, "Heading 1", heading), "{heading}");
            assert!(has(&read, "toc 1", heading), "{heading} in the contents");
        }
        assert!(
            !has(&read, "Heading 1", "Nothing here"),
            "an empty section is left out"
        );
        assert!(has(&read, "Normal", "Rutland County Council"));
        let tables = read["tables"].as_array().expect("tables");
        assert_eq!(tables.len(), 10);
        for (table, written) in tables.iter().zip(&overview.sections[1].tables) {
            assert!(has(&read, "Heading 2", &written.title), "{}", written.title);
            assert_eq!(
                table[0],
                serde_json::json!(["Reference", "Action", "Owner", "Due", "RAG"]),
                "every table has its header row"
            );
            let rows: Vec<Vec<String>> =
                serde_json::from_value(Value::Array(table.as_array().expect("rows")[1..].to_vec()))
                    .expect("cells");
            assert_eq!(rows, written.rows);
        }
    }

    #[test]
    fn libreoffice_opens_the_overview() {
        let pdf = convert_to_pdf(&written_overview(&sample(10, 3)).expect("overview"), "docx");
        assert!(page_count(&pdf) > 1, "{} pages", page_count(&pdf));
    }

    #[test]
    fn widths_add_up_to_the_table() {
        let table = &sample(1, 1).sections[1].tables[0];
        let widths = table.widths(9_026);
        assert_eq!(widths.iter().sum::<i64>(), 9_026);
        assert!(widths[1] > widths[0] * 2, "the action column is widest");
    }
}
