//! One slide as data (a layout, a title, paragraphs, perhaps a table) and its PresentationML.
//! Titles go in the layout's title placeholder and text in its body placeholder, so the
//! outline, screen readers and "Reset slide" all see the slide's structure.

use super::fit::{Room, fit_size, line_count, text_height};
use crate::xml::{escape, one_line};

/// English Metric Units: what DrawingML measures in.
const EMU_PER_POINT: i64 = 12_700;
/// The default text insets of a shape: 0.1 inch left and right, 0.05 inch top and bottom.
const INSET_X: i64 = 91_440;
const INSET_Y: i64 = 45_720;

/// A box on the slide, in EMU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rect {
    pub(crate) x: i64,
    pub(crate) y: i64,
    pub(crate) cx: i64,
    pub(crate) cy: i64,
}

impl Rect {
    /// The space for text inside the box once its insets are taken off.
    pub(crate) fn room(self, max_paragraphs: usize) -> Room {
        Room {
            width: points(self.cx - 2 * INSET_X),
            height: points(self.cy - 2 * INSET_Y),
            max_paragraphs,
        }
    }

    fn xfrm(self) -> String {
        format!(
            r#"<a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></a:xfrm>"#,
            self.x, self.y, self.cx, self.cy
        )
    }
}

fn points(emu: i64) -> f32 {
    emu as f32 / EMU_PER_POINT as f32
}

fn emu(points: f32) -> i64 {
    (points * EMU_PER_POINT as f32).ceil() as i64
}

/// Font sizes are written in hundredths of a point.
fn hundredths(points: f32) -> u32 {
    (points * 100.0).round() as u32
}

/// Where the master deck's placeholders are (templates/pptx). A test checks they agree.
pub(crate) const TITLE_SLIDE_TITLE: Rect = Rect {
    x: 1_097_280,
    y: 1_143_000,
    cx: 10_149_840,
    cy: 2_514_600,
};
pub(crate) const TITLE_SLIDE_SUBTITLE: Rect = Rect {
    x: 1_097_280,
    y: 4_023_360,
    cx: 10_149_840,
    cy: 2_286_000,
};
pub(crate) const CONTENT_TITLE: Rect = Rect {
    x: 548_640,
    y: 365_760,
    cx: 11_094_720,
    cy: 1_005_840,
};
pub(crate) const CONTENT_BODY: Rect = Rect {
    x: 548_640,
    y: 1_645_920,
    cx: 11_094_720,
    cy: 4_389_120,
};
pub(crate) const SECTION_TITLE: Rect = Rect {
    x: 1_097_280,
    y: 685_800,
    cx: 10_149_840,
    cy: 3_200_400,
};
pub(crate) const SECTION_BODY: Rect = Rect {
    x: 1_097_280,
    y: 4_251_960,
    cx: 10_149_840,
    cy: 1_737_360,
};

/// The master deck's layouts, numbered as their parts are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    Title,
    Content,
    Section,
}

impl Layout {
    pub(crate) fn part_number(self) -> usize {
        match self {
            Self::Title => 1,
            Self::Content => 2,
            Self::Section => 3,
        }
    }

    fn title_box(self) -> Rect {
        match self {
            Self::Title => TITLE_SLIDE_TITLE,
            Self::Content => CONTENT_TITLE,
            Self::Section => SECTION_TITLE,
        }
    }

    /// Title sizes to try, largest first: the layout's own size, then smaller for long titles.
    fn title_sizes(self) -> &'static [f32] {
        match self {
            Self::Title => &[40.0, 36.0, 32.0, 28.0],
            Self::Content => &[28.0, 24.0, 20.0],
            Self::Section => &[32.0, 28.0, 24.0, 20.0],
        }
    }

    fn title_placeholder(self) -> &'static str {
        match self {
            Self::Title => r#"<p:ph type="ctrTitle"/>"#,
            Self::Content | Self::Section => r#"<p:ph type="title"/>"#,
        }
    }

    fn body_placeholder(self) -> &'static str {
        match self {
            Self::Title => r#"<p:ph type="subTitle" idx="1"/>"#,
            Self::Content => r#"<p:ph idx="1"/>"#,
            Self::Section => r#"<p:ph type="body" idx="1"/>"#,
        }
    }
}

/// Body text size and the space before each paragraph, as the master's text styles set them.
pub(crate) const BODY_TEXT: f32 = 20.0;
pub(crate) const PARA_SPACE: f32 = 10.0;

/// How a paragraph of body text is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParaStyle {
    Bullet,
    Plain,
    /// Bold, without a bullet: a label over the bullets that follow.
    Heading,
}

impl ParaStyle {
    /// Points from the box's left inset to the text.
    pub(crate) fn indent(self) -> f32 {
        match self {
            Self::Bullet => 27.0,
            Self::Plain | Self::Heading => 0.0,
        }
    }

    pub(crate) fn bold(self) -> bool {
        self == Self::Heading
    }

    fn properties(self) -> &'static str {
        match self {
            Self::Bullet => "",
            Self::Plain | Self::Heading => r#"<a:pPr marL="0" indent="0"><a:buNone/></a:pPr>"#,
        }
    }
}

/// A paragraph of body text, on one line however it was typed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Para {
    pub(crate) style: ParaStyle,
    pub(crate) text: String,
}

impl Para {
    pub(crate) fn new(style: ParaStyle, text: &str) -> Self {
        Self {
            style,
            text: one_line(text),
        }
    }

    pub(crate) fn with_text(&self, text: String) -> Self {
        Self {
            style: self.style,
            text,
        }
    }

    /// The paragraph at the layout's size for its style, or at `size` points.
    fn xml(&self, size: Option<f32>) -> String {
        let bold = if self.style.bold() { r#" b="1""# } else { "" };
        let size = size.map_or(String::new(), |size| {
            format!(r#" sz="{}""#, hundredths(size))
        });
        format!(
            r#"<a:p>{}<a:r><a:rPr lang="en-GB"{size}{bold} dirty="0"/><a:t>{}</a:t></a:r></a:p>"#,
            self.style.properties(),
            escape(&self.text)
        )
    }
}

/// A table column: its heading, width, and whether it holds numbers (centred).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Column {
    pub(crate) heading: &'static str,
    pub(crate) width: i64,
    pub(crate) numeric: bool,
}

/// A table with a header row, optionally ending in a bold total row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    /// Alternative text: what the table shows, for those who cannot see it.
    pub(crate) description: String,
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) last_row_is_total: bool,
}

/// Table text size, and the least height of a row: 14pt text with the cell insets.
const TABLE_TEXT: f32 = 14.0;
const TABLE_ROW_MIN: i64 = 329_184;

impl Table {
    /// The height of one row as shown: taller when a cell's text wraps.
    pub(crate) fn row_height(columns: &[Column], cells: &[String], bold: bool) -> i64 {
        let lines = columns
            .iter()
            .zip(cells)
            .map(|(column, cell)| {
                line_count(cell, TABLE_TEXT, bold, points(column.width - 2 * INSET_X))
            })
            .max()
            .unwrap_or(1);
        let text = emu(text_height(lines, TABLE_TEXT)) + 2 * INSET_Y;
        text.max(TABLE_ROW_MIN)
    }

    fn header(&self) -> Vec<String> {
        self.columns
            .iter()
            .map(|column| column.heading.to_owned())
            .collect()
    }

    fn is_bold(&self, row: usize) -> bool {
        self.last_row_is_total && row + 1 == self.rows.len()
    }

    /// Height of the whole table, header included.
    pub(crate) fn height(&self) -> i64 {
        let header = Self::row_height(&self.columns, &self.header(), true);
        let rows: i64 = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| Self::row_height(&self.columns, row, self.is_bold(index)))
            .sum();
        header + rows
    }

    fn xml(&self, id: usize, at: Rect) -> String {
        let grid: String = self
            .columns
            .iter()
            .map(|column| format!(r#"<a:gridCol w="{}"/>"#, column.width))
            .collect();
        let mut rows = self.row_xml(&self.header(), RowKind::Header);
        for (index, row) in self.rows.iter().enumerate() {
            let kind = if self.is_bold(index) {
                RowKind::Total
            } else {
                RowKind::Body
            };
            rows.push_str(&self.row_xml(row, kind));
        }
        format!(
            r#"<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{id}" name="Table {id}" descr="{descr}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1"{last}/><a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"#,
            descr = escape(&self.description),
            x = at.x,
            y = at.y,
            cx = at.cx,
            cy = self.height(),
            last = if self.last_row_is_total {
                r#" lastRow="1""#
            } else {
                ""
            },
        )
    }

    fn row_xml(&self, cells: &[String], kind: RowKind) -> String {
        let bold = kind != RowKind::Body;
        let height = Self::row_height(&self.columns, cells, bold);
        let cells: String = self
            .columns
            .iter()
            .zip(cells)
            .map(|(column, text)| cell_xml(text, column.numeric, kind))
            .collect();
        format!(r#"<a:tr h="{height}">{cells}</a:tr>"#)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    Header,
    Body,
    Total,
}

/// A cell: header cells white on the accent colour (5.2:1), body cells dark on white with a
/// grey rule beneath, the total row bold with a dark rule above.
fn cell_xml(text: &str, numeric: bool, kind: RowKind) -> String {
    let align = if numeric { r#" algn="ctr""# } else { "" };
    let (bold, colour, fill) = match kind {
        RowKind::Header => (r#" b="1""#, "bg1", "accent1"),
        RowKind::Body => ("", "tx1", "bg1"),
        RowKind::Total => (r#" b="1""#, "tx1", "bg1"),
    };
    let line = |side: &str, width: u32, colour: &str| {
        format!(
            r#"<a:{side} w="{width}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:{side}>"#
        )
    };
    let none = |side: &str| format!(r#"<a:{side}><a:noFill/></a:{side}>"#);
    let top = match kind {
        RowKind::Total => line("lnT", 19_050, "0B0C0C"),
        RowKind::Header | RowKind::Body => none("lnT"),
    };
    format!(
        r#"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr{align}/><a:r><a:rPr lang="en-GB" sz="{size}"{bold} dirty="0"><a:solidFill><a:schemeClr val="{colour}"/></a:solidFill></a:rPr><a:t>{text}</a:t></a:r></a:p></a:txBody><a:tcPr marL="{INSET_X}" marR="{INSET_X}" marT="{INSET_Y}" marB="{INSET_Y}" anchor="ctr">{left}{right}{top}{bottom}<a:solidFill><a:schemeClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>"#,
        size = hundredths(TABLE_TEXT),
        text = escape(&one_line(text)),
        left = none("lnL"),
        right = none("lnR"),
        bottom = line("lnB", 9_525, "B1B4B6"),
    )
}

/// A slide. On a title slide the body is the subtitle.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Slide {
    pub(crate) layout: Layout,
    pub(crate) title: String,
    pub(crate) body: Vec<Para>,
    /// Set when the body is shrunk to fit rather than spread over slides.
    pub(crate) body_size: Option<f32>,
    pub(crate) table: Option<Table>,
    /// A native chart in the body's place; its part is written beside the slide as `rId2`.
    pub(crate) chart: Option<Chart>,
}

/// A stacked column chart, written as a native chart part (DrawingML) with its data given
/// literally, so PowerPoint, LibreOffice and python-pptx all read it without a workbook.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Chart {
    /// Alternative text: what the chart shows.
    pub(crate) description: String,
    pub(crate) categories: Vec<String>,
    /// Each series: its name, its colour (hex RGB) and a value per category.
    pub(crate) series: Vec<(String, &'static str, Vec<usize>)>,
    /// Lines instead of stacked columns (the data pack's trends): each its name, colour, dash
    /// and marker (so colour is never the only cue), and a value or a gap per category.
    pub(crate) lines: Vec<ChartLine>,
}

/// One line of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ChartLine {
    pub(crate) name: String,
    pub(crate) colour: &'static str,
    /// DrawingML's preset dash ("solid", "dash", "sysDot").
    pub(crate) dash: &'static str,
    /// DrawingML's marker symbol ("circle", "square", "triangle").
    pub(crate) marker: &'static str,
    pub(crate) values: Vec<Option<f64>>,
}

impl Chart {
    /// The graphic frame on the slide, pointing at the chart part by `rId2`.
    fn frame_xml(&self, id: usize, at: Rect) -> String {
        format!(
            r#"<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{id}" name="Chart {id}" descr="{descr}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId2"/></a:graphicData></a:graphic></p:graphicFrame>"#,
            descr = escape(&self.description),
            x = at.x,
            y = at.y,
            cx = at.cx,
            cy = at.cy,
        )
    }

    /// The chart part.
    pub(crate) fn part_xml(&self) -> String {
        if !self.lines.is_empty() {
            return self.line_part_xml();
        }
        let count = self.categories.len();
        let categories: String = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, escape(c)))
            .collect();
        let series: String = self
            .series
            .iter()
            .enumerate()
            .map(|(index, (name, colour, values))| {
                let points: String = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#))
                    .collect();
                format!(
                    r#"<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:tx><c:strRef><c:f>Sheet1!$A${row}</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx><c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/><c:cat><c:strLit><c:ptCount val="{count}"/>{categories}</c:strLit></c:cat><c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val="{count}"/>{points}</c:numLit></c:val></c:ser>"#,
                    row = index + 2,
                    name = escape(name),
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="stacked"/><c:varyColors val="0"/>{series}<c:gapWidth val="50"/><c:overlap val="100"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart><c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="0" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400"><a:latin typeface="Arial"/></a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr></c:chartSpace>"#
        )
    }
}

impl Chart {
    /// A line chart part: a gap where a line has no value (`dispBlanksAs="gap"`), never zero.
    fn line_part_xml(&self) -> String {
        let count = self.categories.len();
        let categories: String = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, escape(c)))
            .collect();
        let series: String = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let points: String = line
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#)))
                    .collect();
                format!(
                    r#"<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:tx><c:strRef><c:f>Sheet1!$A${row}</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx><c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:prstDash val="{dash}"/></a:ln></c:spPr><c:marker><c:symbol val="{marker}"/><c:size val="8"/><c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr></c:marker><c:cat><c:strLit><c:ptCount val="{count}"/>{categories}</c:strLit></c:cat><c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val="{count}"/>{points}</c:numLit></c:val><c:smooth val="0"/></c:ser>"#,
                    row = index + 2,
                    name = escape(&line.name),
                    colour = line.colour,
                    dash = line.dash,
                    marker = line.marker,
                )
            })
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}<c:marker val="1"/><c:axId val="1001"/><c:axId val="1002"/></c:lineChart><c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="0" sourceLinked="0"/><c:tickLblPos val="nextTo"/><c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400"><a:latin typeface="Arial"/></a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr></c:chartSpace>"#
        )
    }
}

/// The room a line of text above a chart takes (0.7 inch).
const CHART_TEXT_ROOM: i64 = 640_080;

/// Space between a table and the text below it.
const TABLE_GAP: i64 = 182_880;

/// Where the body text goes: the layout's body placeholder, or below the table if there is one.
pub(crate) fn body_box(layout: Layout, table: Option<&Table>) -> Rect {
    let body = match layout {
        Layout::Title => TITLE_SLIDE_SUBTITLE,
        Layout::Content => CONTENT_BODY,
        Layout::Section => SECTION_BODY,
    };
    match table {
        Some(table) => {
            let top = body.y + table.height() + TABLE_GAP;
            Rect {
                y: top,
                cy: (body.y + body.cy - top).max(0),
                ..body
            }
        }
        None => body,
    }
}

impl Slide {
    pub(crate) fn new(layout: Layout, title: String, body: Vec<Para>) -> Self {
        Self {
            layout,
            title,
            body,
            body_size: None,
            table: None,
            chart: None,
        }
    }

    /// The slide part. `number` is shown on every slide but the title slide.
    pub(crate) fn xml(&self, number: usize) -> String {
        let mut shapes = self.title_xml();
        let mut next_id = 3;
        if let Some(table) = &self.table {
            shapes.push_str(&table.xml(next_id, CONTENT_BODY));
            next_id += 1;
        }
        if let Some(chart) = &self.chart {
            // Below a line of text when there is one, else in the body's place.
            let at = if self.body.is_empty() {
                CONTENT_BODY
            } else {
                Rect {
                    y: CONTENT_BODY.y + CHART_TEXT_ROOM,
                    cy: CONTENT_BODY.cy - CHART_TEXT_ROOM,
                    ..CONTENT_BODY
                }
            };
            shapes.push_str(&chart.frame_xml(next_id, at));
            next_id += 1;
        }
        if !self.body.is_empty() {
            shapes.push_str(&self.body_xml(next_id));
            next_id += 1;
        }
        if self.layout != Layout::Title {
            shapes.push_str(&slide_number_xml(next_id, number));
        }
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"#
        )
    }

    /// The title at the largest of the layout's sizes that fits its box.
    fn title_xml(&self) -> String {
        let title = one_line(&self.title);
        let room = self.layout.title_box().room(1);
        let size = fit_size(
            &title,
            true,
            room.width,
            room.height,
            self.layout.title_sizes(),
        );
        format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title 1"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr><a:normAutofit/></a:bodyPr><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB" sz="{sz}" dirty="0"/><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"#,
            ph = self.layout.title_placeholder(),
            sz = hundredths(size),
            text = escape(&title),
        )
    }

    fn body_xml(&self, id: usize) -> String {
        // Below a table the body moves down; otherwise it sits where the layout puts it.
        let position = match &self.table {
            Some(table) => body_box(self.layout, Some(table)).xfrm(),
            None => String::new(),
        };
        let paras: String = self
            .body
            .iter()
            .map(|para| para.xml(self.body_size))
            .collect();
        format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="Content {id}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{position}</p:spPr><p:txBody><a:bodyPr><a:normAutofit/></a:bodyPr><a:lstStyle/>{paras}</p:txBody></p:sp>"#,
            ph = self.layout.body_placeholder(),
        )
    }
}

fn slide_number_xml(id: usize, number: usize) -> String {
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="Slide Number {id}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldNum" sz="quarter" idx="12"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="slidenum"><a:rPr lang="en-GB"/><a:t>{number}</a:t></a:fld><a:endParaRPr lang="en-GB"/></a:p></p:txBody></p:sp>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pptx::MASTER_PARTS;

    /// The writer measures text against these boxes, so they must be where the templates put
    /// the placeholders.
    #[test]
    fn placeholder_boxes_match_the_master_deck() {
        let part = |name: &str| {
            MASTER_PARTS
                .iter()
                .find(|(path, _)| path.ends_with(name))
                .map(|(_, xml)| *xml)
                .expect("template part")
        };
        for (name, rect) in [
            ("slideLayout1.xml", TITLE_SLIDE_TITLE),
            ("slideLayout1.xml", TITLE_SLIDE_SUBTITLE),
            ("slideMaster1.xml", CONTENT_TITLE),
            ("slideMaster1.xml", CONTENT_BODY),
            ("slideLayout3.xml", SECTION_TITLE),
            ("slideLayout3.xml", SECTION_BODY),
        ] {
            assert!(part(name).contains(&rect.xfrm()), "{name}: {rect:?}");
        }
    }

    #[test]
    fn text_is_escaped_in_every_place() {
        let slide = Slide {
            layout: Layout::Content,
            title: "Tom & \"Jerry\" <b>".to_owned(),
            body: vec![Para::new(ParaStyle::Bullet, "a < b\u{7}")],
            body_size: None,
            chart: None,
            table: Some(Table {
                description: "alt & \"text\"".to_owned(),
                columns: vec![Column {
                    heading: "Area",
                    width: 1_000_000,
                    numeric: false,
                }],
                rows: vec![vec!["R&D".to_owned()]],
                last_row_is_total: false,
            }),
        };
        let xml = slide.xml(2);
        assert!(xml.contains("Tom &amp; &quot;Jerry&quot; &lt;b&gt;"));
        assert!(xml.contains("<a:t>a &lt; b</a:t>"));
        assert!(xml.contains(r#"descr="alt &amp; &quot;text&quot;""#));
        assert!(xml.contains("<a:t>R&amp;D</a:t>"));
        assert!(!xml.contains('\u{7}'));
    }

    #[test]
    fn long_titles_get_smaller_sizes() {
        let slide = |title: &str| Slide::new(Layout::Section, title.to_owned(), vec![]);
        assert!(slide("KLOE 1: short").xml(1).contains(r#"sz="3200""#));
        let long = format!(
            "KLOE 1: {}",
            "how well do partners work together? ".repeat(14)
        );
        assert!(slide(&long).xml(1).contains(r#"sz="2000""#));
    }

    #[test]
    fn the_body_moves_below_a_table() {
        let table = Table {
            description: String::new(),
            columns: vec![Column {
                heading: "Area",
                width: 1_000_000,
                numeric: false,
            }],
            rows: vec![vec!["Derby".to_owned()]],
            last_row_is_total: false,
        };
        let below = body_box(Layout::Content, Some(&table));
        assert_eq!(below.y, CONTENT_BODY.y + table.height() + TABLE_GAP);
        assert_eq!(below.y + below.cy, CONTENT_BODY.y + CONTENT_BODY.cy);
    }
}
