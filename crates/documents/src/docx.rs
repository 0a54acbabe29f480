//! The written report of a two-day challenge as a Word document (.docx), written with
//! docx-rs: a title page block, contents, summary, method, findings per KLOE with the
//! evidence behind each finding, recommendations, what happens next and an appendix.
//!
//! Headings use Word's built-in Heading 1 to 3 styles, so the navigation pane, the outline
//! and screen readers' heading lists all work. The contents is a real TOC field, written
//! already filled in with links to the headings and without page numbers (`\n`), since only
//! Word knows where pages break: every reader shows it correctly as written, and updating
//! the field in Word gives the same list back.

use docx_rs::{
    AbstractNumbering, BreakType, Docx, FieldCharType, Footer, Hyperlink, HyperlinkType,
    IndentLevel, InstrText, InstrToC, Level, LevelJc, LevelText, LineSpacing, LineSpacingType,
    NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Run, RunFonts,
    Shading, SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableCellMargins,
    TableRow, WidthType,
};

use crate::DocumentError;
use crate::opc::{CoreProperties, core_properties, edit_parts};
use crate::report::{Finding, KloeFindings, ReportContent, long_date};
use crate::xml::legal;

/// A4 with one-inch margins, in twentieths of a point.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
const MARGIN: i32 = 1_440;
pub(crate) const TEXT_WIDTH: usize = 9_026;

/// The colours of the slide deck: near-black text, grey secondary text (7:1 on white).
const TEXT: &str = "0B0C0C";
const SECONDARY: &str = "505A5F";
const LIGHT_FILL: &str = "F3F2F1";

/// Our bullet list's numbering ids: docx-rs writes a numbered list of its own as 1.
const BULLETS: usize = 2;

/// The report as a .docx file.
pub fn written_report(report: &ReportContent) -> Result<Vec<u8>, DocumentError> {
    let mut body = Body::default();
    summary(&mut body, report);
    method(&mut body, report);
    findings(&mut body, report);
    recommendations(&mut body, report);
    if !report.what_happens_next.is_empty() {
        body.heading(1, "What happens next");
        body.list(report.what_happens_next.iter().map(String::as_str));
    }
    appendix(&mut body, report);

    let footer = format!("{} · {} · Page ", report.reference, report.version);
    document(
        &footer,
        title_block(report),
        body,
        &CoreProperties {
            title: &report.title,
            subject: &report.area,
            created: report.generated_on,
        },
    )
}

/// A document of ours: the page, styles and footer (`footer` then the page number), the
/// title block, the contents, then the body; the core properties put right after packing.
/// The written report, the data pack (`data_pack`) and the programmes' overviews
/// (`programme_overview`) are all written through it.
pub(crate) fn document(
    footer: &str,
    title_block: Vec<Paragraph>,
    body: Body,
    properties: &CoreProperties<'_>,
) -> Result<Vec<u8>, DocumentError> {
    let mut docx = document_setup(footer);
    for paragraph in title_block {
        docx = docx.add_paragraph(paragraph);
    }
    for paragraph in body.contents() {
        docx = docx.add_paragraph(paragraph);
    }
    for block in body.blocks {
        docx = match block {
            Block::Paragraph(paragraph) => docx.add_paragraph(*paragraph),
            Block::Table(table) => docx.add_table(*table),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(docx_rs::DocxError::from)?;
    let core = core_properties(properties);
    edit_parts(
        &bytes.into_inner(),
        &[CORE_PART, STYLES_PART],
        |name, text| {
            if name == CORE_PART {
                core.clone()
            } else {
                text.replacen(NORMAL_STYLE, DEFAULT_NORMAL_STYLE, 1)
            }
        },
        properties.created,
    )
}

/// Two things docx-rs cannot say, put right in its output. The core properties carry the
/// title and author, which Word shows and PDF exports and screen readers take as the
/// document's title. And its Normal style is not marked as the default, so Word, readers and
/// new paragraphs typed in Word would not know which style plain paragraphs have.
const CORE_PART: &str = "docProps/core.xml";
const STYLES_PART: &str = "word/styles.xml";
const NORMAL_STYLE: &str = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
const DEFAULT_NORMAL_STYLE: &str =
    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#;

/// Page, fonts, styles, bullets and the footer.
fn document_setup(footer: &str) -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .style("Footer")
            .add_run(text_run(footer))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" of "))
            .add_num_pages(NumPages::new()),
    );
    let arial = RunFonts::new()
        .ascii("Arial")
        .hi_ansi("Arial")
        .cs("Arial")
        .east_asia("Arial");
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(720)
                .footer(720),
        )
        .default_fonts(arial)
        .default_size(24)
        .default_line_spacing(
            LineSpacing::new()
                .after(160)
                .line(276)
                .line_rule(LineSpacingType::Auto),
        )
        .footer(footer)
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(720),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    for style in styles() {
        docx = docx.add_style(style);
    }
    docx
}

/// Word's built-in styles are matched by name ("heading 1"), so the navigation pane and the
/// contents field treat these as real headings; the outline levels make sure of it.
fn styles() -> Vec<Style> {
    let heading = |level: usize, size: usize, before: u32, after: u32| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .bold()
            .size(size)
            .color(TEXT)
            .line_spacing(LineSpacing::new().before(before).after(after))
            .outline_lvl(level - 1)
    };
    vec![
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .bold()
            .size(56)
            .color(TEXT)
            .line_spacing(LineSpacing::new().after(240)),
        Style::new("Subtitle", StyleType::Paragraph)
            .name("Subtitle")
            .based_on("Normal")
            .size(28)
            .color(SECONDARY)
            .line_spacing(LineSpacing::new().after(80)),
        heading(1, 40, 480, 240),
        heading(2, 32, 360, 160),
        heading(3, 26, 240, 120),
        Style::new("TOCHeading", StyleType::Paragraph)
            .name("TOC Heading")
            .based_on("Normal")
            .bold()
            .size(32)
            .line_spacing(LineSpacing::new().before(480).after(160)),
        Style::new("TOC1", StyleType::Paragraph)
            .name("toc 1")
            .based_on("Normal")
            .line_spacing(LineSpacing::new().after(80)),
        Style::new("TOC2", StyleType::Paragraph)
            .name("toc 2")
            .based_on("Normal")
            .indent(Some(360), None, None, None)
            .line_spacing(LineSpacing::new().after(80)),
        // Evidence sits under its finding, smaller and grey, so the findings read on their own.
        Style::new("Evidence", StyleType::Paragraph)
            .name("Evidence")
            .based_on("Normal")
            .size(20)
            .color(SECONDARY)
            .indent(Some(720), None, None, None)
            .line_spacing(LineSpacing::new().after(160)),
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(18)
            .color(SECONDARY),
    ]
}

fn title_block(report: &ReportContent) -> Vec<Paragraph> {
    let mut paragraphs = vec![
        styled("Title", &report.title),
        styled("Subtitle", &report.area),
    ];
    let dates = report.visit_dates_in_words();
    if !dates.is_empty() {
        paragraphs.push(styled("Subtitle", &format!("{}: {dates}", report.kind)));
    }
    paragraphs.push(styled(
        "Subtitle",
        &format!(
            "{} · {} · {}",
            report.version,
            report.reference,
            long_date(report.generated_on)
        ),
    ));
    paragraphs
}

/// Text with the characters XML cannot hold removed, and each line break kept as one.
pub(crate) fn text_run(text: &str) -> Run {
    let text = legal(text);
    let mut run = Run::new();
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    run
}

pub(crate) fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new().style(style).add_run(text_run(text))
}

pub(crate) fn plain(text: &str) -> Paragraph {
    Paragraph::new().add_run(text_run(text))
}

pub(crate) fn bullet(text: &str) -> Paragraph {
    plain(text).numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
}

pub(crate) enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// The report after its title: its blocks, and the headings the contents lists.
#[derive(Default)]
pub(crate) struct Body {
    blocks: Vec<Block>,
    headings: Vec<(usize, String, String)>,
}

impl Body {
    pub(crate) fn push(&mut self, paragraph: Paragraph) {
        self.blocks.push(Block::Paragraph(Box::new(paragraph)));
    }

    /// A heading with a bookmark the contents links to. Levels 1 and 2 are listed there.
    pub(crate) fn heading(&mut self, level: usize, text: &str) {
        let id = self.headings.len() + 1;
        let bookmark = format!("_TocPC{id:04}");
        let paragraph = Paragraph::new()
            .style(&format!("Heading{level}"))
            .keep_next(true)
            .add_bookmark_start(id, &bookmark)
            .add_run(text_run(text))
            .add_bookmark_end(id);
        self.push(paragraph);
        if level <= 2 {
            self.headings
                .push((level, legal(text).into_owned(), bookmark));
        }
    }

    /// A bulleted list; callers leave out the heading of an empty one, so a reader never
    /// meets a section that says nothing.
    pub(crate) fn list<'a>(&mut self, items: impl Iterator<Item = &'a str>) {
        for item in items {
            self.push(bullet(item));
        }
    }

    /// A level-3 heading and the findings beneath it, or nothing when there are none.
    fn findings_under(&mut self, heading: &str, findings: &[Finding]) {
        if !findings.is_empty() {
            self.heading(3, heading);
            self.findings(findings);
        }
    }

    /// Each finding as a bullet with its evidence beneath in smaller text.
    fn findings(&mut self, findings: &[Finding]) {
        for finding in findings {
            self.push(bullet(&finding.text));
            if !finding.evidence.is_empty() {
                self.push(
                    Paragraph::new()
                        .style("Evidence")
                        .add_run(Run::new().add_text("Evidence: ").bold())
                        .add_run(text_run(&finding.evidence.join("; "))),
                );
            }
        }
    }

    pub(crate) fn table(&mut self, headings: &[&str], widths: &[usize], rows: Vec<Vec<String>>) {
        let row = |cells: Vec<String>, header: bool| {
            let cells = cells
                .iter()
                .zip(widths)
                .map(|(text, &width)| {
                    let mut run = text_run(text);
                    if header {
                        run = run.bold();
                    }
                    let mut cell = TableCell::new()
                        .width(width, WidthType::Dxa)
                        .add_paragraph(Paragraph::new().add_run(run));
                    if header {
                        cell = cell.shading(Shading::new().fill(LIGHT_FILL));
                    }
                    cell
                })
                .collect();
            TableRow::new(cells).cant_split()
        };
        let header = headings.iter().map(|h| (*h).to_owned()).collect();
        let mut table_rows = vec![row(header, true)];
        table_rows.extend(rows.into_iter().map(|cells| row(cells, false)));
        let table = Table::new(table_rows)
            .set_grid(widths.to_vec())
            .width(TEXT_WIDTH, WidthType::Dxa)
            .margins(
                TableCellMargins::new()
                    .margin_top(60, WidthType::Dxa)
                    .margin_bottom(60, WidthType::Dxa)
                    .margin_left(108, WidthType::Dxa)
                    .margin_right(108, WidthType::Dxa),
            );
        self.blocks.push(Block::Table(Box::new(table)));
        // Word runs a table straight into a following one or a heading; a gap keeps them apart.
        self.push(Paragraph::new());
    }

    /// The contents: a TOC field over heading levels 1 and 2, hyperlinked, without page
    /// numbers, its result already filled in with one linked line per heading.
    fn contents(&self) -> Vec<Paragraph> {
        let instruction = InstrToC::new()
            .heading_styles_range(1, 2)
            .hyperlink()
            .omit_page_numbers_level_range(1, 2);
        let mut paragraphs = vec![styled("TOCHeading", "Contents")];
        let last = self.headings.len().saturating_sub(1);
        for (index, (level, text, bookmark)) in self.headings.iter().enumerate() {
            let mut paragraph = Paragraph::new().style(&format!("TOC{level}"));
            if index == 0 {
                paragraph = paragraph.add_run(
                    Run::new()
                        .add_field_char(FieldCharType::Begin, false)
                        .add_instr_text(InstrText::TOC(instruction.clone()))
                        .add_field_char(FieldCharType::Separate, false),
                );
            }
            paragraph = paragraph.add_hyperlink(
                Hyperlink::new(bookmark, HyperlinkType::Anchor).add_run(Run::new().add_text(text)),
            );
            if index == last {
                paragraph = paragraph.add_run(Run::new().add_field_char(FieldCharType::End, false));
            }
            paragraphs.push(paragraph);
        }
        paragraphs
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn summary(body: &mut Body, report: &ReportContent) {
    body.heading(1, "Summary");
    let dates = report.visit_dates_in_words();
    let when = if dates.is_empty() {
        String::new()
    } else {
        format!(" on {dates}")
    };
    body.push(plain(&format!(
        "This report sets out what the peer team found during the {} with {}{when}.",
        report.kind.to_lowercase(),
        report.area
    )));
    if !report.focus.is_empty() {
        body.push(plain("The area asked the team to focus on:"));
        body.list(report.focus.iter().map(String::as_str));
    }
    body.push(plain(&format!(
        "The team looked at {}:",
        count(
            report.kloes.len(),
            "key line of enquiry (KLOE)",
            "key lines of enquiry (KLOEs)"
        )
    )));
    for kloe in &report.kloes {
        body.push(bullet(&format!("{}: {}", kloe.label(), kloe.question)));
    }
    let total = |list: fn(&KloeFindings) -> usize| report.kloes.iter().map(list).sum::<usize>();
    body.push(plain(&format!(
        "Across them the team found {} and {}, and makes {}.",
        count(total(|k| k.strengths.len()), "strength", "strengths"),
        count(
            total(|k| k.areas_for_development.len()),
            "area for development",
            "areas for development"
        ),
        count(
            total(|k| k.recommendations.len()),
            "recommendation",
            "recommendations"
        ),
    )));
}

fn method(body: &mut Body, report: &ReportContent) {
    if report.activities.is_empty() {
        return;
    }
    body.heading(1, "Method and activities");
    let mut days: Vec<_> = report.activities.iter().map(|a| a.date).collect();
    days.sort();
    days.dedup();
    body.push(plain(&format!(
        "A team of {} spent {} with the area and took part in {}: meetings, focus groups, \
         case reviews and visits with the people who lead, deliver and use services.",
        report.team.len(),
        count(days.len(), "day", "days"),
        count(report.activities.len(), "activity", "activities"),
    )));
    let mut activities = report.activities.clone();
    activities.sort_by_key(|a| (a.date, a.start));
    let rows = activities
        .iter()
        .map(|activity| {
            vec![
                activity.date.format("%a %-d %b %Y").to_string(),
                format!(
                    "{}–{}",
                    activity.start.format("%H:%M"),
                    activity.end.format("%H:%M")
                ),
                activity.kind.clone(),
                activity.title.clone(),
            ]
        })
        .collect();
    body.table(
        &["Date", "Time", "Activity", "With or about"],
        &[2_100, 1_900, 1_700, 3_326],
        rows,
    );
}

/// Each KLOE with its strengths and areas for development; a KLOE with neither, and the
/// section when no KLOE has any, are left out rather than printed empty.
fn findings(body: &mut Body, report: &ReportContent) {
    let found: Vec<&KloeFindings> = report
        .kloes
        .iter()
        .filter(|k| !k.strengths.is_empty() || !k.areas_for_development.is_empty())
        .collect();
    if found.is_empty() {
        return;
    }
    body.heading(1, "Findings");
    for kloe in found {
        body.heading(2, &format!("{}: {}", kloe.label(), kloe.question));
        if !kloe.themes.is_empty() {
            body.push(plain(&format!("Themes: {}", kloe.themes.join("; "))));
        }
        body.findings_under("Strengths", &kloe.strengths);
        body.findings_under("Areas for development", &kloe.areas_for_development);
    }
}

fn recommendations(body: &mut Body, report: &ReportContent) {
    let made: Vec<&KloeFindings> = report
        .kloes
        .iter()
        .filter(|k| !k.recommendations.is_empty())
        .collect();
    if made.is_empty() {
        return;
    }
    body.heading(1, "Recommendations");
    for kloe in made {
        body.heading(2, &format!("{} recommendations", kloe.label()));
        body.push(plain(&kloe.question));
        body.findings(&kloe.recommendations);
    }
}

fn appendix(body: &mut Body, report: &ReportContent) {
    if report.team.is_empty() && report.kloes.is_empty() && report.visit_dates.is_empty() {
        return;
    }
    body.heading(1, "Appendix");
    if !report.team.is_empty() {
        body.heading(2, "The peer team");
        let rows = report
            .team
            .iter()
            .map(|member| vec![member.name.clone(), member.seat.clone()])
            .collect();
        body.table(&["Name", "Role on the team"], &[4_513, 4_513], rows);
    }
    if !report.kloes.is_empty() {
        body.heading(2, "Key lines of enquiry");
    }
    for kloe in &report.kloes {
        body.push(
            Paragraph::new()
                .add_run(Run::new().add_text(format!("{}: ", kloe.label())).bold())
                .add_run(text_run(&kloe.question)),
        );
        if !kloe.themes.is_empty() {
            body.push(styled(
                "Evidence",
                &format!("Themes: {}", kloe.themes.join("; ")),
            ));
        }
    }
    if report.visit_dates.is_empty() {
        return;
    }
    body.heading(2, "Visit dates");
    let mut dates = report.visit_dates.clone();
    dates.sort();
    dates.dedup();
    let dates: Vec<String> = dates.into_iter().map(long_date).collect();
    body.list(dates.iter().map(String::as_str));
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::libreoffice::{convert_to_pdf, page_count};
    use crate::read_back::read_back;
    use crate::report::sample;

    /// What python-docx sees: every paragraph with its style, and every table cell.
    const READ_REPORT: &str = r#"
import io, json
document = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
paragraphs = [{"style": p.style.name, "text": p.text} for p in document.paragraphs]
tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
print(json.dumps({
    "paragraphs": paragraphs,
    "tables": tables,
    "title": document.core_properties.title,
    "author": document.core_properties.author,
    "footer": [p.text for p in document.sections[0].footer.paragraphs],
}))
"#;

    fn paragraphs(read: &Value) -> Vec<(String, String)> {
        read["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .map(|p| {
                (
                    p["style"].as_str().expect("style").to_owned(),
                    p["text"].as_str().expect("text").to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn python_docx_reads_every_finding_under_real_headings() {
        let report = sample(3, 8);
        let read = read_back(
            "docx",
            READ_REPORT,
            &written_report(&report).expect("report"),
        );
        assert_eq!(read["title"], report.title);
        assert_eq!(read["author"], "Peer Challenge");
        let paragraphs = paragraphs(&read);
        let texts: Vec<&str> = paragraphs.iter().map(|(_, text)| text.as_str()).collect();
        let has = |style: &str, text: &str| paragraphs.iter().any(|(s, t)| s == style && t == text);
        assert!(has("Title", &report.title));
        for heading in [
            "Summary",
            "Method and activities",
            "Findings",
            "Recommendations",
            "What happens next",
            "Appendix",
        ] {
            assert!(has("Heading 1", heading), "{heading}");
            assert!(has("toc 1", heading), "{heading} in the contents");
        }
        for kloe in &report.kloes {
            let heading = format!("KLOE {}: {}", kloe.number, kloe.question);
            assert!(has("Heading 2", &heading), "{heading}");
            assert!(has("toc 2", &heading), "{heading} in the contents");
            for finding in kloe
                .strengths
                .iter()
                .chain(&kloe.areas_for_development)
                .chain(&kloe.recommendations)
            {
                let at = texts
                    .iter()
                    .position(|text| *text == finding.text)
                    .unwrap_or_else(|| panic!("missing {}", finding.text));
                assert_eq!(paragraphs[at + 1].0, "Evidence");
                assert_eq!(
                    paragraphs[at + 1].1,
                    format!("Evidence: {}", finding.evidence.join("; "))
                );
            }
        }
        assert!(has("Heading 3", "Strengths") && has("Heading 3", "Areas for development"));
        for line in &report.what_happens_next {
            assert!(texts.contains(&line.as_str()), "{line}");
        }

        let tables = read["tables"].as_array().expect("tables");
        assert_eq!(
            tables[0][0],
            serde_json::json!(["Date", "Time", "Activity", "With or about"])
        );
        assert_eq!(
            tables[0][1],
            serde_json::json!([
                "Thu 4 Mar 2027",
                "09:00–10:00",
                "Focus group",
                "Parent carers' forum & SENDIASS"
            ])
        );
        assert_eq!(
            tables[1][1],
            serde_json::json!(["Zoë Ó Briain", "Lead reviewer"])
        );
        assert_eq!(
            read["footer"],
            serde_json::json!(["DER-2027-01 · Draft 2 · Page 1 of 1"])
        );
    }

    #[test]
    fn libreoffice_opens_the_report() {
        let pdf = convert_to_pdf(&written_report(&sample(3, 8)).expect("report"), "docx");
        assert!(page_count(&pdf) > 3, "{} pages", page_count(&pdf));
    }

    #[test]
    fn line_breaks_are_kept_and_illegal_characters_dropped() {
        let mut report = sample(1, 1);
        report.kloes[0].strengths[0].text = "First line\nsecond line\u{7}".to_owned();
        let read = read_back(
            "docx",
            READ_REPORT,
            &written_report(&report).expect("report"),
        );
        let paragraphs = paragraphs(&read);
        assert!(
            paragraphs
                .iter()
                .any(|(_, text)| text == "First line\nsecond line")
        );
    }

    #[test]
    fn an_empty_report_still_makes_a_document() {
        let mut report = sample(0, 0);
        report.team.clear();
        report.activities.clear();
        report.visit_dates.clear();
        report.focus.clear();
        report.what_happens_next.clear();
        let read = read_back(
            "docx",
            READ_REPORT,
            &written_report(&report).expect("report"),
        );
        let paragraphs = paragraphs(&read);
        assert!(!paragraphs.iter().any(|(_, t)| t.contains("None recorded")));
        let headings: Vec<&str> = paragraphs
            .iter()
            .filter(|(style, _)| style == "Heading 1")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(headings, ["Summary"], "empty sections are left out");
    }

    #[test]
    fn a_kloe_without_findings_of_a_kind_has_no_empty_heading() {
        let mut report = sample(2, 1);
        report.kloes[1].areas_for_development.clear();
        report.kloes[1].recommendations.clear();
        let read = read_back(
            "docx",
            READ_REPORT,
            &written_report(&report).expect("report"),
        );
        let paragraphs = paragraphs(&read);
        let heading3 = paragraphs
            .iter()
            .filter(|(s, t)| s == "Heading 3" && t == "Areas for development")
            .count();
        assert_eq!(heading3, 1, "only KLOE 1 has areas for development");
        assert!(
            !paragraphs
                .iter()
                .any(|(s, t)| s == "Heading 2" && t == "KLOE 2 recommendations")
        );
    }
}
