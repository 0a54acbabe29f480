//! PowerPoint decks (.pptx) written by our own code over a master deck designed in the repo
//! (`templates/pptx`): no mature crate writes PowerPoint, and the format's core is a handful
//! of XML parts. Two decks: a challenge's findings ([`slide_deck`]) and the regional board's
//! progress pack ([`board_pack`]).

mod board;
mod data_pack;
mod fit;
mod overview;
mod report;
mod slides;

use chrono::NaiveDate;

use crate::DocumentError;
use crate::board::BoardPack;
use crate::opc::{AUTHOR, CoreProperties, Package, core_properties};
use crate::report::ReportContent;
use slides::Slide;

/// The findings of a challenge as slides: a title slide, the scope, the team, the method (a
/// chart of the activities), a per-KLOE summary, then for each KLOE a section slide (question
/// and themes) followed by its strengths, areas for development and recommendations under
/// their headings, and last what happens next. A list too long for one slide continues on the
/// next; an empty one gets no slide.
pub fn slide_deck(report: &ReportContent) -> Result<Vec<u8>, DocumentError> {
    let deck = Deck {
        title: &report.title,
        subject: &report.area,
        written_on: report.generated_on,
        slides: report::slides(report),
    };
    deck.write()
}

/// The regional board's pack: a title slide, the actions by RAG status of every area with a
/// plan and the region's total, the region's RAG-by-month chart, one slide of the areas with
/// no plan yet, then a slide per area with a plan: its counts and its overdue actions.
pub fn board_pack(pack: &BoardPack) -> Result<Vec<u8>, DocumentError> {
    let deck = Deck {
        title: &pack.title,
        subject: "Action plan progress",
        written_on: pack.generated_on,
        slides: board::slides(pack),
    };
    deck.write()
}

/// An area's data pack for the triad conversation (`crate::data_pack`): a title slide, then
/// per indicator its trend as a line chart and its figures as a table, the inspections, and
/// the flags.
pub fn data_pack(pack: &crate::data_pack::DataPack) -> Result<Vec<u8>, DocumentError> {
    let deck = Deck {
        title: &pack.title,
        subject: &pack.area,
        written_on: pack.generated_on,
        slides: data_pack::slides(pack),
    };
    deck.write()
}

/// A programme's overview for the board (a thematic event, a biennial cycle): a title slide,
/// then each section's words and tables; see [`crate::programme_overview`].
pub fn overview_deck(
    overview: &crate::programme_overview::Overview,
) -> Result<Vec<u8>, DocumentError> {
    let deck = Deck {
        title: &overview.title,
        subject: &overview.kind,
        written_on: overview.generated_on,
        slides: overview::slides(overview),
    };
    deck.write()
}

/// The parts every deck shares, as designed in `templates/pptx`.
const MASTER_PARTS: [(&str, &str); 9] = [
    (
        "ppt/slideMasters/slideMaster1.xml",
        include_str!("../../templates/pptx/slideMaster1.xml"),
    ),
    (
        "ppt/slideMasters/_rels/slideMaster1.xml.rels",
        include_str!("../../templates/pptx/slideMaster1.xml.rels"),
    ),
    (
        "ppt/slideLayouts/slideLayout1.xml",
        include_str!("../../templates/pptx/slideLayout1.xml"),
    ),
    (
        "ppt/slideLayouts/slideLayout2.xml",
        include_str!("../../templates/pptx/slideLayout2.xml"),
    ),
    (
        "ppt/slideLayouts/slideLayout3.xml",
        include_str!("../../templates/pptx/slideLayout3.xml"),
    ),
    (
        "ppt/theme/theme1.xml",
        include_str!("../../templates/pptx/theme1.xml"),
    ),
    (
        "ppt/presProps.xml",
        include_str!("../../templates/pptx/presProps.xml"),
    ),
    (
        "ppt/viewProps.xml",
        include_str!("../../templates/pptx/viewProps.xml"),
    ),
    (
        "ppt/tableStyles.xml",
        include_str!("../../templates/pptx/tableStyles.xml"),
    ),
];

/// Every layout's relationships: each points back at the one master.
const LAYOUT_RELS: &str = include_str!("../../templates/pptx/slideLayout.xml.rels");
const LAYOUTS: usize = 3;

const RELATIONSHIP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PRESENTATIONML: &str = "application/vnd.openxmlformats-officedocument.presentationml";

/// A deck ready to be packaged.
struct Deck<'a> {
    title: &'a str,
    subject: &'a str,
    written_on: NaiveDate,
    slides: Vec<Slide>,
}

impl Deck<'_> {
    fn write(&self) -> Result<Vec<u8>, DocumentError> {
        let mut package = Package::new(self.written_on);
        // The content types come first: some readers look for them at the start of the zip.
        package.add("[Content_Types].xml", self.content_types().as_bytes())?;
        package.add("_rels/.rels", PACKAGE_RELS.as_bytes())?;
        let core = core_properties(&CoreProperties {
            title: self.title,
            subject: self.subject,
            created: self.written_on,
        });
        package.add("docProps/core.xml", core.as_bytes())?;
        package.add("docProps/app.xml", self.app_properties().as_bytes())?;
        package.add("ppt/presentation.xml", self.presentation().as_bytes())?;
        package.add(
            "ppt/_rels/presentation.xml.rels",
            self.presentation_rels().as_bytes(),
        )?;
        for (path, xml) in MASTER_PARTS {
            package.add(path, xml.as_bytes())?;
        }
        for layout in 1..=LAYOUTS {
            package.add(
                &format!("ppt/slideLayouts/_rels/slideLayout{layout}.xml.rels"),
                LAYOUT_RELS.as_bytes(),
            )?;
        }
        for (index, slide) in self.slides.iter().enumerate() {
            let number = index + 1;
            package.add(
                &format!("ppt/slides/slide{number}.xml"),
                slide.xml(number).as_bytes(),
            )?;
            package.add(
                &format!("ppt/slides/_rels/slide{number}.xml.rels"),
                slide_rels(slide, number).as_bytes(),
            )?;
            if let Some(chart) = &slide.chart {
                package.add(
                    &format!("ppt/charts/chart{number}.xml"),
                    chart.part_xml().as_bytes(),
                )?;
            }
        }
        package.finish()
    }

    fn content_types(&self) -> String {
        let mut overrides = vec![
            (
                "/ppt/presentation.xml".to_owned(),
                format!("{PRESENTATIONML}.presentation.main+xml"),
            ),
            (
                "/ppt/slideMasters/slideMaster1.xml".to_owned(),
                format!("{PRESENTATIONML}.slideMaster+xml"),
            ),
            (
                "/ppt/theme/theme1.xml".to_owned(),
                "application/vnd.openxmlformats-officedocument.theme+xml".to_owned(),
            ),
            (
                "/ppt/presProps.xml".to_owned(),
                format!("{PRESENTATIONML}.presProps+xml"),
            ),
            (
                "/ppt/viewProps.xml".to_owned(),
                format!("{PRESENTATIONML}.viewProps+xml"),
            ),
            (
                "/ppt/tableStyles.xml".to_owned(),
                format!("{PRESENTATIONML}.tableStyles+xml"),
            ),
            (
                "/docProps/core.xml".to_owned(),
                "application/vnd.openxmlformats-package.core-properties+xml".to_owned(),
            ),
            (
                "/docProps/app.xml".to_owned(),
                "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_owned(),
            ),
        ];
        for layout in 1..=LAYOUTS {
            overrides.push((
                format!("/ppt/slideLayouts/slideLayout{layout}.xml"),
                format!("{PRESENTATIONML}.slideLayout+xml"),
            ));
        }
        for (index, slide) in self.slides.iter().enumerate() {
            let number = index + 1;
            overrides.push((
                format!("/ppt/slides/slide{number}.xml"),
                format!("{PRESENTATIONML}.slide+xml"),
            ));
            if slide.chart.is_some() {
                overrides.push((
                    format!("/ppt/charts/chart{number}.xml"),
                    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml".to_owned(),
                ));
            }
        }
        let overrides: String = overrides
            .iter()
            .map(|(part, kind)| format!(r#"<Override PartName="{part}" ContentType="{kind}"/>"#))
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
        )
    }

    fn app_properties(&self) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>{AUTHOR}</Application><PresentationFormat>Widescreen</PresentationFormat><Slides>{}</Slides></Properties>"#,
            self.slides.len(),
        )
    }

    /// Slides are relationships rId100 onwards, clear of the fixed parts' ids.
    fn presentation(&self) -> String {
        let slide_ids: String = (0..self.slides.len())
            .map(|index| {
                format!(
                    r#"<p:sldId id="{}" r:id="rId{}"/>"#,
                    256 + index,
                    100 + index
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:presentation xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{RELATIONSHIP}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst>{slide_ids}</p:sldIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/><p:defaultTextStyle><a:defPPr><a:defRPr lang="en-GB"/></a:defPPr></p:defaultTextStyle></p:presentation>"#
        )
    }

    fn presentation_rels(&self) -> String {
        let mut rels = vec![
            (
                "rId1",
                "slideMaster",
                "slideMasters/slideMaster1.xml".to_owned(),
            ),
            ("rId2", "theme", "theme/theme1.xml".to_owned()),
            ("rId3", "presProps", "presProps.xml".to_owned()),
            ("rId4", "viewProps", "viewProps.xml".to_owned()),
            ("rId5", "tableStyles", "tableStyles.xml".to_owned()),
        ]
        .into_iter()
        .map(|(id, kind, target)| relationship(id, kind, &target))
        .collect::<String>();
        for index in 0..self.slides.len() {
            rels.push_str(&relationship(
                &format!("rId{}", 100 + index),
                "slide",
                &format!("slides/slide{}.xml", index + 1),
            ));
        }
        relationships(&rels)
    }
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

/// A slide's layout as `rId1`, and its chart, numbered as the slide, as `rId2`.
fn slide_rels(slide: &Slide, number: usize) -> String {
    let mut inner = relationship(
        "rId1",
        "slideLayout",
        &format!(
            "../slideLayouts/slideLayout{}.xml",
            slide.layout.part_number()
        ),
    );
    if slide.chart.is_some() {
        inner.push_str(&relationship(
            "rId2",
            "chart",
            &format!("../charts/chart{number}.xml"),
        ));
    }
    relationships(&inner)
}

fn relationship(id: &str, kind: &str, target: &str) -> String {
    format!(r#"<Relationship Id="{id}" Type="{RELATIONSHIP}/{kind}" Target="{target}"/>"#)
}

fn relationships(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{inner}</Relationships>"#
    )
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use serde_json::Value;

    use super::*;
    use crate::board::AreaProgress;
    use crate::libreoffice::{convert_to_pdf, page_count};
    use crate::read_back::read_back;
    use crate::report::sample;

    /// What python-pptx sees: for each slide, its layout, its title and the title
    /// placeholder's type, and all its text in reading order (tables cell by cell).
    const READ_DECK: &str = r#"
import io, json
from pptx.enum.shapes import PP_PLACEHOLDER
deck = pptx.Presentation(io.BytesIO(sys.stdin.buffer.read()))
slides = []
for slide in deck.slides:
    title = slide.shapes.title
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.extend(p.text for p in shape.text_frame.paragraphs)
        if shape.has_table:
            texts.extend(c.text for r in shape.table.rows for c in r.cells)
    charts = [{
        "type": str(shape.chart.chart_type).split(".")[-1].split(" ")[0],
        "categories": list(shape.chart.plots[0].categories),
        "series": [[s.name, [int(v) for v in s.values]] for s in shape.chart.plots[0].series],
        "descr": shape._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0],
    } for shape in slide.shapes if getattr(shape, "has_chart", False) and shape.has_chart]
    slides.append({
        "charts": charts,
        "layout": slide.slide_layout.name,
        "title": title.text if title is not None else None,
        "title_type": str(title.placeholder_format.type).split(".")[-1].split(" ")[0] if title is not None else None,
        "texts": texts,
    })
print(json.dumps({
    "slides": slides,
    "width": deck.slide_width,
    "height": deck.slide_height,
    "core_title": deck.core_properties.title,
    "language": deck.core_properties.language,
}))
"#;

    pub(super) fn read_deck(bytes: &[u8]) -> Value {
        read_back("pptx", READ_DECK, bytes)
    }

    pub(super) fn slides_of(deck: &Value) -> &Vec<Value> {
        deck["slides"].as_array().expect("slides")
    }

    /// Every slide's text, joined, for finding a phrase wherever it landed.
    pub(super) fn all_text(deck: &Value) -> String {
        slides_of(deck)
            .iter()
            .flat_map(|slide| slide["texts"].as_array().expect("texts"))
            .map(|text| text.as_str().expect("text"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn python_pptx_reads_every_finding_under_a_real_title() {
        let report = sample(3, 8);
        let bytes = slide_deck(&report).expect("deck");
        let deck = read_deck(&bytes);
        assert_eq!(deck["width"], 12_192_000);
        assert_eq!(deck["height"], 6_858_000);
        assert_eq!(deck["core_title"], report.title);
        assert_eq!(deck["language"], "en-GB");

        let text = all_text(&deck);
        for kloe in &report.kloes {
            assert!(text.contains(&kloe.question), "{}", kloe.question);
            for theme in &kloe.themes {
                assert!(text.contains(theme.as_str()), "{theme}");
            }
            for finding in kloe
                .strengths
                .iter()
                .chain(&kloe.areas_for_development)
                .chain(&kloe.recommendations)
            {
                assert!(text.contains(&finding.text), "{}", finding.text);
            }
        }
        for line in report.what_happens_next.iter().chain(&report.focus) {
            assert!(text.contains(line.as_str()), "{line}");
        }
        for member in &report.team {
            assert!(text.contains(&member.name), "{}", member.name);
        }

        let slides = slides_of(&deck);
        let mut titles = Vec::new();
        for slide in slides {
            let title = slide["title"].as_str().expect("every slide has a title");
            assert!(!title.is_empty());
            let expected = if slide["layout"] == "Title Slide" {
                "CENTER_TITLE"
            } else {
                "TITLE"
            };
            assert_eq!(slide["title_type"], expected, "{title}");
            titles.push(title.to_owned());
        }
        assert_eq!(slides[0]["layout"], "Title Slide");
        assert_eq!(slides[0]["title"], report.title);
        let layouts: Vec<&str> = slides
            .iter()
            .map(|s| s["layout"].as_str().expect("layout"))
            .collect();
        assert!(layouts.contains(&"Section Header") && layouts.contains(&"Title and Content"));
        // The per-KLOE summary, read by python-pptx, and no slide saying nothing.
        let summary = slides
            .iter()
            .find(|s| s["title"] == "What we found: a summary")
            .expect("a summary slide");
        let summary = all_text(&json_slide(summary));
        for kloe in &report.kloes {
            assert!(summary.contains(&format!("{}: {}", kloe.label(), kloe.question)));
        }
        assert!(summary.contains("8 strengths, 8 areas for development, 8 recommendations"));
        assert!(!text.contains("None recorded"));
        // The activities as a native chart, read back by python-pptx.
        let method = slides
            .iter()
            .find(|s| s["title"] == "How we gathered evidence")
            .expect("the method slide");
        assert_eq!(
            method["charts"][0]["categories"],
            serde_json::json!(["Focus group", "Case review"])
        );
        assert_eq!(method["charts"][0]["series"][0][0], "Activities");
        let mut unique = titles.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            titles.len(),
            "slide titles are unique: {titles:?}"
        );
    }

    #[test]
    fn python_pptx_reads_the_board_pack_tables() {
        let area = |name: &str, overdue: Vec<&str>| AreaProgress {
            area: name.to_owned(),
            total: 9,
            red: 1,
            amber: 2,
            green: 3,
            complete: 3,
            overdue: overdue.len(),
            overdue_actions: overdue.into_iter().map(str::to_owned).collect(),
        };
        let month = |m| NaiveDate::from_ymd_opt(2027, m, 1).expect("valid date");
        let pack = BoardPack {
            months: vec![(month(1), [1, 2, 0, 0]), (month(2), [2, 4, 6, 6])],
            title: "Regional board: March 2027 & \"Q4\"".to_owned(),
            generated_on: NaiveDate::from_ymd_opt(2027, 3, 12).expect("valid date"),
            areas: vec![
                area(
                    "Derby",
                    vec!["DER-3: Refresh the Local Offer <web> (due 1 March 2027)"],
                ),
                area("Nottinghamshire", vec![]),
                AreaProgress {
                    area: "Rutland".to_owned(),
                    ..AreaProgress::default()
                },
            ],
        };
        let deck = read_deck(&board_pack(&pack).expect("pack"));
        let slides = slides_of(&deck);
        let titles: Vec<&str> = slides
            .iter()
            .map(|s| s["title"].as_str().expect("title"))
            .collect();
        assert_eq!(
            titles,
            [
                pack.title.as_str(),
                "Actions across the region",
                "Actions by RAG status, month by month",
                "Areas with no action plan yet",
                "Derby: progress",
                "Nottinghamshire: progress"
            ]
        );
        // The RAG-by-month chart is a native chart python-pptx reads back, series by series.
        assert_eq!(
            slides[2]["charts"],
            serde_json::json!([{
                "type": "COLUMN_STACKED",
                "categories": ["Jan 2027", "Feb 2027"],
                "series": [
                    ["Red", [1, 2]],
                    ["Amber", [2, 4]],
                    ["Green", [0, 6]],
                    ["Complete", [0, 6]]
                ],
                "descr": "The region's actions by RAG status at the end of each month: red, amber, green and complete, stacked."
            }])
        );
        let unplanned = all_text(&json_slide(&slides[3]));
        assert!(
            unplanned.contains("Rutland")
                && unplanned.contains("no plan, rather than a plan on track")
        );
        let summary: Vec<&str> = slides[1]["texts"]
            .as_array()
            .expect("texts")
            .iter()
            .map(|t| t.as_str().expect("text"))
            .collect();
        assert_eq!(
            summary[1..],
            [
                "Area",
                "Actions",
                "Red",
                "Amber",
                "Green",
                "Complete",
                "Overdue", //
                "Derby",
                "9",
                "1",
                "2",
                "3",
                "3",
                "1", //
                "Nottinghamshire",
                "9",
                "1",
                "2",
                "3",
                "3",
                "0", //
                "Region",
                "18",
                "2",
                "4",
                "6",
                "6",
                "1", //
                "2", // the slide number
            ]
        );
        let derby = all_text(&json_slide(&slides[4]));
        assert!(derby.contains("DER-3: Refresh the Local Offer <web> (due 1 March 2027)"));
        assert!(all_text(&json_slide(&slides[5])).contains("On track: no actions are overdue."));
    }

    /// LibreOffice opens both decks and shows every slide.
    #[test]
    fn libreoffice_opens_the_decks() {
        let report = sample(3, 8);
        let deck = read_deck(&slide_deck(&report).expect("deck"));
        let pdf = convert_to_pdf(&slide_deck(&report).expect("deck"), "pptx");
        assert_eq!(page_count(&pdf), slides_of(&deck).len());

        let pack = BoardPack {
            months: vec![(report.generated_on, [1, 0, 0, 0])],
            title: "Regional board".to_owned(),
            generated_on: report.generated_on,
            areas: vec![AreaProgress {
                area: "Derby".to_owned(),
                total: 1,
                overdue: 1,
                overdue_actions: vec!["DER-1: late & <overdue>".to_owned()],
                ..AreaProgress::default()
            }],
        };
        assert_eq!(
            page_count(&convert_to_pdf(&board_pack(&pack).expect("pack"), "pptx")),
            4,
            "the title, the table, the chart and Derby"
        );
    }

    fn json_slide(slide: &Value) -> Value {
        serde_json::json!({ "slides": [slide] })
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let report = sample(2, 3);
        assert_eq!(
            slide_deck(&report).expect("deck"),
            slide_deck(&report).expect("deck")
        );
    }

    /// Every part is well-formed XML, every relationship points at a part that exists, and
    /// every part has a content type: the checks PowerPoint makes before offering a repair.
    #[test]
    fn the_package_is_consistent() {
        let bytes = slide_deck(&sample(2, 9)).expect("deck");
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let names: Vec<String> = archive
            .file_names()
            .map(|name| name.expect("utf-8 name").into_owned())
            .collect();
        assert_eq!(names[0], "[Content_Types].xml");
        let mut parts: std::collections::BTreeMap<String, String> = Default::default();
        for name in &names {
            let mut text = String::new();
            archive
                .by_name(name)
                .expect("part")
                .read_to_string(&mut text)
                .expect("utf-8");
            assert_well_formed(name, &text);
            parts.insert(name.clone(), text);
        }
        let types = &parts["[Content_Types].xml"];
        for name in names
            .iter()
            .filter(|n| !n.ends_with(".rels") && n.ends_with(".xml"))
        {
            if name != "[Content_Types].xml" {
                assert!(
                    types.contains(&format!("PartName=\"/{name}\"")),
                    "{name} has no type"
                );
            }
        }
        for (name, xml) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
            let base = name.replace("_rels/", "").replace(".rels", "");
            let folder = base.rsplit_once('/').map_or("", |(folder, _)| folder);
            for target in xml
                .split("Target=\"")
                .skip(1)
                .filter_map(|t| t.split('"').next())
            {
                let resolved = resolve(folder, target);
                assert!(
                    parts.contains_key(&resolved),
                    "{name} points at missing {resolved}"
                );
            }
        }
    }

    fn resolve(folder: &str, target: &str) -> String {
        let mut path: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
        for segment in target.split('/') {
            match segment {
                ".." => {
                    path.pop();
                }
                segment => path.push(segment),
            }
        }
        path.join("/")
    }

    fn assert_well_formed(name: &str, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(error) => panic!("{name} is not well-formed: {error}"),
            }
        }
    }
}
