//! Excel workbooks (.xlsx) for exports: one sheet per table, a bold frozen header row with a
//! filter, real dates, and text that can never turn into a formula.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, RowNum, Workbook, Worksheet};

/// One cell's value. Each variant is written with its own Excel type, so sorting and
/// filtering work on numbers and dates rather than on their text.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Integer(i64),
    Date(NaiveDate),
    Bool(bool),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Self {
        Self::Number(number)
    }
}

impl From<i64> for Cell {
    fn from(integer: i64) -> Self {
        Self::Integer(integer)
    }
}

impl From<NaiveDate> for Cell {
    fn from(date: NaiveDate) -> Self {
        Self::Date(date)
    }
}

impl From<bool> for Cell {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Empty, Into::into)
    }
}

/// One worksheet: a header row, then the rows. Column widths are worked out from the
/// contents. The name may be anything; it is made acceptable to Excel when written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    #[error("sheet {sheet:?} has {rows} rows; Excel holds at most 1,048,575 below the header")]
    TooManyRows { sheet: String, rows: usize },
    #[error("sheet {sheet:?} has {columns} columns; Excel holds at most 16,384")]
    TooManyColumns { sheet: String, columns: usize },
    #[error("{date} is outside the dates Excel can show (1900 to 9999)")]
    DateOutOfRange { date: NaiveDate },
    #[error("could not write the workbook")]
    Writer(#[from] rust_xlsxwriter::XlsxError),
}

/// Excel's own limits (Excel specifications and limits, "Worksheet and workbook").
const MAX_SHEET_NAME_UTF16: usize = 31;
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// Column widths in Excel's units (roughly characters of the default font).
const MIN_WIDTH: f64 = 8.0;
const MAX_WIDTH: f64 = 60.0;
/// Room for the header's filter button and its bold face.
const HEADER_ALLOWANCE: usize = 3;

/// The bytes of an .xlsx file holding `sheets` in order. An empty slice gives a workbook
/// with one empty sheet, since Excel cannot open a workbook without any.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let names = sheet_names(sheets.iter().map(|sheet| sheet.name.as_str()));
    let mut book = Workbook::new();
    for (sheet, name) in sheets.iter().zip(names) {
        let worksheet = book.add_worksheet();
        worksheet.set_name(name)?;
        write_sheet(worksheet, sheet, &styles)?;
    }
    Ok(book.save_to_buffer()?)
}

struct Styles {
    header: Format,
    literal_header: Format,
    date: Format,
    /// Excel's "quote prefix": the cell stays text even when someone edits it and presses
    /// Enter, as if they had typed a leading apostrophe.
    literal_text: Format,
}

impl Styles {
    fn new() -> Self {
        Self {
            header: Format::new().set_bold(),
            literal_header: Format::new().set_bold().set_quote_prefix(),
            date: Format::new().set_num_format("d mmm yyyy"),
            literal_text: Format::new().set_quote_prefix(),
        }
    }
}

fn write_sheet(worksheet: &mut Worksheet, sheet: &Sheet, styles: &Styles) -> Result<(), XlsxError> {
    let columns = sheet
        .rows
        .iter()
        .map(Vec::len)
        .chain([sheet.headers.len()])
        .max()
        .unwrap_or(0);
    let last_row = RowNum::try_from(sheet.rows.len())
        .ok()
        .filter(|_| sheet.rows.len() < MAX_ROWS)
        .ok_or_else(|| XlsxError::TooManyRows {
            sheet: sheet.name.clone(),
            rows: sheet.rows.len(),
        })?;
    let too_many_columns = || XlsxError::TooManyColumns {
        sheet: sheet.name.clone(),
        columns,
    };
    if columns > MAX_COLUMNS {
        return Err(too_many_columns());
    }

    let mut widths = vec![0_usize; columns];
    for (col, header) in (0..).zip(&sheet.headers) {
        let format = if starts_like_formula(header) {
            &styles.literal_header
        } else {
            &styles.header
        };
        worksheet.write_string_with_format(0, col, header, format)?;
        widths[usize::from(col)] = display_width(header) + HEADER_ALLOWANCE;
    }
    for (row, cells) in (1..).zip(&sheet.rows) {
        for ((col, cell), width) in (0..).zip(cells).zip(widths.iter_mut()) {
            write_cell(worksheet, row, col, cell, styles)?;
            *width = (*width).max(cell_width(cell));
        }
    }

    for (col, width) in (0..).zip(&widths) {
        worksheet.set_column_width(col, column_width(*width))?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    if let Some(last_col) = columns.checked_sub(1) {
        let last_col = ColNum::try_from(last_col).map_err(|_| too_many_columns())?;
        worksheet.autofilter(0, 0, last_row, last_col)?;
    }
    Ok(())
}

fn write_cell(
    worksheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    cell: &Cell,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match cell {
        // Always write_string: a string cell is never evaluated, whatever it starts with.
        Cell::Text(text) if starts_like_formula(text) => {
            worksheet.write_string_with_format(row, col, text, &styles.literal_text)?;
        }
        Cell::Text(text) => {
            worksheet.write_string(row, col, text)?;
        }
        // Excel has no NaN or infinity; rust_xlsxwriter writes those as the text NAN, INF, -INF.
        Cell::Number(number) => {
            worksheet.write_number(row, col, *number)?;
        }
        // Excel stores every number as a double, so integers beyond 2^53 lose precision
        // there whatever we do; callers with such identifiers should send them as text.
        Cell::Integer(integer) => {
            worksheet.write_number(row, col, *integer as f64)?;
        }
        Cell::Date(date) => {
            let excel_date = excel_date(*date)?;
            worksheet.write_datetime_with_format(row, col, &excel_date, &styles.date)?;
        }
        Cell::Bool(value) => {
            worksheet.write_boolean(row, col, *value)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let out_of_range = || XlsxError::DateOutOfRange { date };
    let year = u16::try_from(date.year()).map_err(|_| out_of_range())?;
    let month = u8::try_from(date.month()).map_err(|_| out_of_range())?;
    let day = u8::try_from(date.day()).map_err(|_| out_of_range())?;
    ExcelDateTime::from_ymd(year, month, day).map_err(|_| out_of_range())
}

/// Text a spreadsheet would run as a formula if typed in (the CSV-injection characters).
fn starts_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@'])
}

/// Roughly how many characters wide a cell shows: its longest line.
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Text(text) => display_width(text),
        Cell::Number(number) => number.to_string().len(),
        Cell::Integer(integer) => integer.to_string().len(),
        Cell::Date(_) => "30 Sep 2025".len(),
        Cell::Bool(_) => "FALSE".len(),
        Cell::Empty => 0,
    }
}

/// One character of padding, and capped so a long note cannot push the next column off
/// screen (the text is still all there; Excel shows it on click).
fn column_width(characters: usize) -> f64 {
    ((characters + 1) as f64).clamp(MIN_WIDTH, MAX_WIDTH)
}

/// Names Excel will accept for each sheet, in order: its characters allowed, at most 31
/// UTF-16 units, not blank, not "History" (Excel reserves it), and no two alike ignoring
/// case, since Excel refuses a workbook with duplicate names.
fn sheet_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut result = Vec::new();
    for (index, name) in names.into_iter().enumerate() {
        let mut base = sanitise_sheet_name(name);
        if base.is_empty() {
            base = format!("Sheet{}", index + 1);
        }
        let mut candidate = base.clone();
        let mut counter = 1;
        while candidate.eq_ignore_ascii_case("History") || taken.contains(&candidate.to_lowercase())
        {
            counter += 1;
            let suffix = format!(" ({counter})");
            let room = MAX_SHEET_NAME_UTF16 - suffix.len();
            candidate = format!("{}{suffix}", truncate_utf16(&base, room).trim_end());
        }
        taken.push(candidate.to_lowercase());
        result.push(candidate);
    }
    result
}

/// Replace the characters Excel forbids in a sheet name with the nearest allowed ones (or
/// drop them where nothing is near), drop control characters, collapse runs of spaces, trim spaces and apostrophes from the ends (Excel refuses a name that
/// starts or ends with an apostrophe), and cut to 31 UTF-16 units.
pub fn sanitise_sheet_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?'))
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            '/' | '\\' => '-',
            other => other,
        })
        .collect();
    // Dropping a character can leave two spaces together ("a : b").
    let replaced = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let trim = |text: &str| {
        text.trim_matches(|c: char| c.is_whitespace() || c == '\'')
            .to_owned()
    };
    trim(truncate_utf16(&trim(&replaced), MAX_SHEET_NAME_UTF16))
}

/// The longest prefix of `text` at most `units` UTF-16 code units long (Excel counts those).
fn truncate_utf16(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..at];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back::read_back;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(
            sanitise_sheet_name("Visits [2025/26]: all?"),
            "Visits (2025-26) all"
        );
        assert_eq!(sanitise_sheet_name("a\\b*c : d"), "a-bc d");
        assert_eq!(sanitise_sheet_name("  'quoted'  "), "quoted");
        assert_eq!(sanitise_sheet_name("tab\there"), "tabhere");
        let long = sanitise_sheet_name("Reviewers from every local authority in the region");
        assert_eq!(long, "Reviewers from every local auth");
        assert_eq!(long.encode_utf16().count(), 31);
        // Astral characters count twice towards Excel's limit, and are never split.
        let emoji = sanitise_sheet_name(&"😀".repeat(20));
        assert_eq!(emoji, "😀".repeat(15));
        // A cut that leaves a trailing space or apostrophe is trimmed again.
        assert_eq!(
            sanitise_sheet_name("0123456789012345678901234567890'x"),
            "0123456789012345678901234567890"
        );
        assert_eq!(
            sanitise_sheet_name("012345678901234567890123456789 x"),
            "012345678901234567890123456789"
        );
    }

    #[test]
    fn sheet_names_are_unique_not_blank_and_not_reserved() {
        let long = "A name that is far too long for a sheet";
        assert_eq!(
            sheet_names(["Visits", "visits", "", "History", "[]", long, long]),
            vec![
                "Visits",
                "visits (2)",
                "Sheet3",
                "History (2)",
                "()",
                "A name that is far too long for",
                "A name that is far too long (2)",
            ]
        );
    }

    #[test]
    fn formula_like_text_is_detected() {
        for text in ["=SUM(1)", "+44 20", "-2", "@cmd"] {
            assert!(starts_like_formula(text), "{text}");
        }
        for text in ["SUM(1)", " =1", "", "a=b"] {
            assert!(!starts_like_formula(text), "{text}");
        }
    }

    #[test]
    fn column_widths_follow_the_longest_value_within_bounds() {
        assert!((column_width(0) - MIN_WIDTH).abs() < f64::EPSILON);
        assert!((column_width(20) - 21.0).abs() < f64::EPSILON);
        assert!((column_width(500) - MAX_WIDTH).abs() < f64::EPSILON);
        assert_eq!(display_width("short\na much longer line"), 18);
    }

    #[test]
    fn dates_outside_excel_are_refused() {
        let sheet = Sheet {
            name: "Dates".to_owned(),
            headers: vec!["When".to_owned()],
            rows: vec![vec![Cell::Date(date(1850, 1, 1))]],
        };
        assert!(matches!(
            workbook(&[sheet]),
            Err(XlsxError::DateOutOfRange { .. })
        ));
    }

    #[test]
    fn empty_input_still_makes_a_workbook() {
        for sheets in [vec![], vec![Sheet::default()]] {
            let bytes = workbook(&sheets).expect("workbook");
            assert!(bytes.starts_with(b"PK"), "a zip file");
        }
    }

    fn sample() -> Vec<Sheet> {
        vec![
            Sheet {
                name: "Reviewers: 2025/26".to_owned(),
                headers: ["Name", "Visits", "Score", "Trained on", "Active", "Note"]
                    .map(String::from)
                    .to_vec(),
                rows: vec![
                    vec![
                        "Zoë Ó Briain".into(),
                        Cell::Integer(3),
                        Cell::Number(2.5),
                        Cell::Date(date(2025, 9, 30)),
                        Cell::Bool(true),
                        "=SUM(1)".into(),
                    ],
                    vec![
                        "Smith, Jo".into(),
                        Cell::Integer(-12),
                        Cell::Number(-0.125),
                        Cell::Date(date(2024, 2, 29)),
                        Cell::Bool(false),
                        "+44 20 7946 0000".into(),
                    ],
                    vec![
                        "A. N. Other".into(),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Date(date(1999, 12, 31)),
                        Cell::Empty,
                        "-2+3\nsecond line".into(),
                    ],
                    vec!["@mention".into()],
                ],
            },
            Sheet {
                name: "Empty".to_owned(),
                headers: vec!["Only a header".to_owned()],
                rows: vec![],
            },
        ]
    }

    /// openpyxl, an independent reader, sees every header, value and type we wrote, and the
    /// layout (bold frozen header, filter, date format, widths).
    #[test]
    fn an_independent_reader_reads_back_every_cell() {
        let bytes = workbook(&sample()).expect("workbook");
        let script = r#"
import datetime, io, json, zipfile
data = sys.stdin.buffer.read()
book = openpyxl.load_workbook(io.BytesIO(data))
def cell(c):
    v = c.value
    if isinstance(v, datetime.datetime):
        return ["datetime", v.isoformat(), c.number_format]
    return [type(v).__name__, v, c.data_type, bool(c.quotePrefix)]
sheets = []
for ws in book.worksheets:
    sheets.append({
        "title": ws.title,
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "bold": [c.font.b for c in ws[1]],
        "rows": [[cell(c) for c in row] for row in ws.iter_rows()],
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
    })
with zipfile.ZipFile(io.BytesIO(data)) as z:
    formulas = [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]
print(json.dumps({"sheets": sheets, "formulas": formulas}))
"#;
        let seen = read_back("openpyxl", script, &bytes);
        let sheets = seen["sheets"].as_array().expect("sheets");
        assert_eq!(sheets.len(), 2);
        assert_eq!(
            seen["formulas"],
            serde_json::json!([]),
            "no cell holds a formula"
        );

        let first = &sheets[0];
        assert_eq!(first["title"], "Reviewers 2025-26");
        assert_eq!(first["freeze"], "A2");
        assert_eq!(first["filter"], "A1:F5");
        assert_eq!(first["bold"], serde_json::json!(vec![true; 6]));
        let text = |s: &str, prefixed: bool| serde_json::json!(["str", s, "s", prefixed]);
        let int = |n: i64| serde_json::json!(["int", n, "n", false]);
        let float = |n: f64| serde_json::json!(["float", n, "n", false]);
        let day =
            |iso: &str| serde_json::json!(["datetime", format!("{iso}T00:00:00"), "d mmm yyyy"]);
        let boolean = |b: bool| serde_json::json!(["bool", b, "b", false]);
        let empty = serde_json::json!(["NoneType", null, "n", false]);
        let header_row = ["Name", "Visits", "Score", "Trained on", "Active", "Note"]
            .map(|h| text(h, false))
            .to_vec();
        assert_eq!(
            first["rows"],
            serde_json::json!([
                header_row,
                [
                    text("Zoë Ó Briain", false),
                    int(3),
                    float(2.5),
                    day("2025-09-30"),
                    boolean(true),
                    text("=SUM(1)", true)
                ],
                [
                    text("Smith, Jo", false),
                    int(-12),
                    float(-0.125),
                    day("2024-02-29"),
                    boolean(false),
                    text("+44 20 7946 0000", true)
                ],
                [
                    text("A. N. Other", false),
                    empty.clone(),
                    empty.clone(),
                    day("1999-12-31"),
                    empty.clone(),
                    text("-2+3\nsecond line", true)
                ],
                [
                    text("@mention", true),
                    empty.clone(),
                    empty.clone(),
                    empty.clone(),
                    empty.clone(),
                    empty.clone()
                ],
            ])
        );
        // The longest value sets the width: "+44 20 7946 0000" (16) + 1; short columns get
        // the minimum plus room for the header's filter button. Excel stores each width plus
        // the cell padding (5 pixels, about 0.71 of a character), hence the range.
        let widths = &first["widths"];
        for (col, expected) in [
            ("A", 13.0),
            ("B", 10.0),
            ("C", 9.0),
            ("D", 14.0),
            ("F", 17.0),
        ] {
            let width = widths[col].as_f64().expect("width");
            assert!((0.0..1.0).contains(&(width - expected)), "{col}: {widths}");
        }

        let second = &sheets[1];
        assert_eq!(second["title"], "Empty");
        assert_eq!(second["filter"], "A1");
        assert_eq!(
            second["rows"],
            serde_json::json!([[text("Only a header", false)]])
        );
    }
}
