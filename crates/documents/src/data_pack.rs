//! An area's data pack for a year's triad conversation: its published indicators against
//! the region and England (charts in the slides, the same figures as tables in both), its
//! inspection history and the next inspection's window, and the flags where its
//! self-assessment and the evidence disagree. The content is plain data; `pptx::data_pack`
//! writes the slides and `data_pack_docx` the Word document, through the same writers as the
//! challenge reports.

use chrono::NaiveDate;

use crate::DocumentError;
use crate::docx::{Body, document, plain, styled};
use crate::opc::CoreProperties;
use crate::report::long_date;

/// What a data pack says.
#[derive(Clone, Debug, PartialEq)]
pub struct DataPack {
    /// "Derby: data pack".
    pub title: String,
    /// "Annual self-assessment 2026 to 2027".
    pub cycle: String,
    pub area: String,
    pub generated_on: NaiveDate,
    pub indicators: Vec<PackIndicator>,
    /// Oldest first: when ("February 2023"), the kind and the outcome.
    pub inspections: Vec<[String; 3]>,
    /// The next inspection's window and why, in words.
    pub next_inspection: Option<String>,
    /// Each flag: the section, its self-rating, what disagrees.
    pub flags: Vec<[String; 3]>,
    /// Whose self-assessment the flags are read from ("Version 2, submitted"), or why none.
    pub flags_from: String,
}

/// One indicator's trend.
#[derive(Clone, Debug, PartialEq)]
pub struct PackIndicator {
    /// "EHC plans issued within 20 weeks (%)".
    pub title: String,
    /// Where the area stands, in one line ("2024: 14.0%, 8th of 10 in the region; England 46.4%").
    pub standing: String,
    pub periods: Vec<String>,
    /// The area, the region's middle, England: a name and a value or a gap per period.
    pub lines: Vec<(String, Vec<Option<f64>>)>,
    pub percentage: bool,
}

impl PackIndicator {
    /// A figure as the tables show it; a gap is "No figure", never zero.
    pub fn cell(&self, value: Option<f64>) -> String {
        match value {
            Some(v) if self.percentage => format!("{v:.1}%"),
            Some(v) => format!("{v:.0}"),
            None => "No figure".to_owned(),
        }
    }

    /// The figures as table rows: a period, then a cell per line.
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.periods
            .iter()
            .enumerate()
            .map(|(i, period)| {
                let mut row = vec![period.clone()];
                row.extend(
                    self.lines
                        .iter()
                        .map(|(_, values)| self.cell(values.get(i).copied().flatten())),
                );
                row
            })
            .collect()
    }
}

/// The data pack as a Word document: the indicators as tables (a Word reader has no chart we
/// can write that every reader opens; the slides carry the charts), the inspections, the flags.
pub fn data_pack_docx(pack: &DataPack) -> Result<Vec<u8>, DocumentError> {
    let mut body = Body::default();
    body.heading(1, "Published data");
    if pack.indicators.is_empty() {
        body.push(plain("No published figures for this area yet."));
    }
    for indicator in &pack.indicators {
        body.heading(2, &indicator.title);
        body.push(plain(&indicator.standing));
        let mut headings = vec!["Period"];
        headings.extend(indicator.lines.iter().map(|(name, _)| name.as_str()));
        let first = 1_500;
        let rest = (9_026 - first) / indicator.lines.len().max(1);
        let mut widths = vec![first];
        widths.extend(indicator.lines.iter().map(|_| rest));
        body.table(&headings, &widths, indicator.rows());
    }
    body.heading(1, "Area SEND inspections");
    if pack.inspections.is_empty() {
        body.push(plain(
            "No area SEND inspection recorded under the current framework.",
        ));
    } else {
        body.table(
            &["When", "Kind", "Outcome"],
            &[2_000, 2_200, 4_826],
            pack.inspections.iter().map(|row| row.to_vec()).collect(),
        );
    }
    if let Some(next) = &pack.next_inspection {
        body.push(plain(next));
    }
    body.heading(1, "Where the self-assessment and the evidence disagree");
    body.push(plain(&pack.flags_from));
    if pack.flags.is_empty() {
        body.push(plain(
            "No flags: no rating disagrees with the figures or the inspection.",
        ));
    } else {
        body.table(
            &["Section", "Self-rating", "What disagrees"],
            &[2_600, 1_800, 4_626],
            pack.flags.iter().map(|row| row.to_vec()).collect(),
        );
    }
    let title_block = vec![
        styled("Title", &pack.title),
        styled("Subtitle", &pack.cycle),
        styled(
            "Subtitle",
            &format!(
                "For the triad conversation · {}",
                long_date(pack.generated_on)
            ),
        ),
    ];
    document(
        &format!("{} · Page ", pack.title),
        title_block,
        body,
        &CoreProperties {
            title: &pack.title,
            subject: &pack.area,
            created: pack.generated_on,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back::read_back;

    fn sample() -> DataPack {
        DataPack {
            title: "Derby: data pack".to_owned(),
            cycle: "Annual self-assessment 2026 to 2027".to_owned(),
            area: "Derby".to_owned(),
            generated_on: NaiveDate::from_ymd_opt(2026, 11, 2).expect("date"),
            indicators: vec![PackIndicator {
                title: "EHC plans issued within 20 weeks (%)".to_owned(),
                standing: "2024: 14.0%, 8th of 10 in the region; England 46.4%".to_owned(),
                periods: vec!["2022".into(), "2023".into(), "2024".into()],
                lines: vec![
                    ("Derby".into(), vec![Some(25.3), Some(22.6), Some(14.0)]),
                    (
                        "East Midlands (middle of its areas)".into(),
                        vec![Some(40.9), None, Some(32.8)],
                    ),
                    ("England".into(), vec![None, Some(50.3), Some(46.4)]),
                ],
                percentage: true,
            }],
            inspections: vec![[
                "March 2024".into(),
                "Full inspection".into(),
                "Widespread and/or systemic failings".into(),
            ]],
            next_inspection: Some("Monitoring inspection expected by September 2025.".into()),
            flags: vec![[
                "Needs identified".into(),
                "Typically positive".into(),
                "Rated typically positive, while 8th of 10 and below England (46.4%).".into(),
            ]],
            flags_from: "From version 2, submitted.".into(),
        }
    }

    const READ_DECK: &str = r#"
import io, json
deck = pptx.Presentation(io.BytesIO(sys.stdin.buffer.read()))
slides = []
for slide in deck.slides:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.extend(p.text for p in shape.text_frame.paragraphs)
        if shape.has_table:
            texts.extend(c.text for r in shape.table.rows for c in r.cells)
    charts = [{
        "type": str(shape.chart.chart_type).split(".")[-1].split(" ")[0],
        "categories": list(shape.chart.plots[0].categories),
        "series": [[s.name, list(s.values)] for s in shape.chart.plots[0].series],
    } for shape in slide.shapes if getattr(shape, "has_chart", False) and shape.has_chart]
    slides.append({"title": slide.shapes.title.text if slide.shapes.title is not None else None, "texts": texts, "charts": charts})
print(json.dumps({"slides": slides, "title": deck.core_properties.title}))
"#;

    const READ_DOCUMENT: &str = r#"
import io, json
document = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
print(json.dumps({
    "paragraphs": [[p.style.name, p.text] for p in document.paragraphs],
    "tables": [[[c.text for c in row.cells] for row in t.rows] for t in document.tables],
    "title": document.core_properties.title,
}))
"#;

    #[test]
    fn python_pptx_reads_the_trend_as_a_line_chart_with_gaps_the_figures_and_the_flags() {
        let bytes = crate::pptx::data_pack(&sample()).expect("deck");
        let read = read_back("pptx", READ_DECK, &bytes);
        assert_eq!(read["title"], "Derby: data pack");
        let slides = read["slides"].as_array().expect("slides");
        let chart = slides
            .iter()
            .flat_map(|s| s["charts"].as_array().expect("charts"))
            .next()
            .expect("a chart");
        assert!(
            chart["type"].as_str().expect("type").starts_with("LINE"),
            "{chart}"
        );
        assert_eq!(
            chart["categories"],
            serde_json::json!(["2022", "2023", "2024"])
        );
        assert_eq!(chart["series"][0][0], "Derby");
        assert_eq!(chart["series"][0][1], serde_json::json!([25.3, 22.6, 14.0]));
        assert_eq!(
            chart["series"][2][1],
            serde_json::json!([null, 50.3, 46.4]),
            "a gap, not zero"
        );
        let text: Vec<String> = slides
            .iter()
            .flat_map(|s| s["texts"].as_array().expect("texts"))
            .map(|t| t.as_str().expect("text").to_owned())
            .collect();
        assert!(text.iter().any(|t| t.contains("8th of 10 in the region")));
        assert!(text.iter().any(|t| t == "No figure"), "the table's gap");
        assert!(
            text.iter()
                .any(|t| t.contains("March 2024, Full inspection"))
        );
        assert!(
            text.iter()
                .any(|t| t.starts_with("Needs identified (Typically positive): Rated")),
            "{text:?}"
        );
    }

    #[test]
    fn python_docx_reads_the_figures_inspections_and_flags_under_headings() {
        let bytes = data_pack_docx(&sample()).expect("document");
        let read = read_back("docx", READ_DOCUMENT, &bytes);
        assert_eq!(read["title"], "Derby: data pack");
        let paragraphs = read["paragraphs"].as_array().expect("paragraphs");
        let heading = |text: &str| {
            paragraphs
                .iter()
                .any(|p| p[0].as_str().is_some_and(|s| s.starts_with("Heading")) && p[1] == text)
        };
        assert!(heading("Published data"));
        assert!(heading("EHC plans issued within 20 weeks (%)"));
        assert!(heading("Area SEND inspections"));
        assert!(heading(
            "Where the self-assessment and the evidence disagree"
        ));
        let tables = read["tables"].as_array().expect("tables");
        assert_eq!(
            tables[0][1],
            serde_json::json!(["2022", "25.3%", "40.9%", "No figure"])
        );
        assert_eq!(tables[1][1][2], "Widespread and/or systemic failings");
        assert!(
            tables[2][1][2]
                .as_str()
                .expect("flag")
                .contains("8th of 10")
        );
    }
}
