//! An area's action plan as an Excel workbook: the template an area downloads (with its
//! actions so far), fills in and uploads again, and the reader for the upload. Also the
//! board's export of every area's actions in the same columns.
//!
//! The reader only reports the sheet's structure: which row holds what text. Whether a RAG
//! word, a date or a theme code is acceptable is the domain's decision, made by the caller,
//! so every problem with the values can be listed together against its row.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ColNum, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, RowNum, Workbook, Worksheet,
};

use domain::next_steps::{
    ACTION_FIELDS, ActionAnswers, ActionField, FieldShape, REFERENCE_LIMIT, Rag, date_of_answer,
};

use crate::DocumentError;
use crate::opc::AUTHOR;
use crate::upload::{self, FileKind, SafeZip, UploadLimits, UploadProblem, grouped};

/// The action plan's columns, in order, as the header row names them: the headings of
/// [`ACTION_FIELDS`]. The reader insists on these headings in these places, so a plan is never
/// read into the wrong fields.
pub const COLUMNS: [&str; ACTION_FIELDS.len()] = {
    let mut headings = [""; ACTION_FIELDS.len()];
    let mut index = 0;
    while index < headings.len() {
        headings[index] = ACTION_FIELDS[index].column;
        index += 1;
    }
    headings
};

/// How wide a column is shown, by what it holds.
fn column_width(field: &ActionField) -> f64 {
    match field.shape {
        FieldShape::OneLine(limit) if limit <= REFERENCE_LIMIT => 12.0,
        FieldShape::OneLine(_) => 22.0,
        FieldShape::Lines(_) | FieldShape::Progress => 40.0,
        FieldShape::Theme => 24.0,
        FieldShape::Date | FieldShape::Rag => 12.0,
    }
}

/// The 0-based columns of the plan's fields of this shape.
fn columns_of(shape: FieldShape) -> impl Iterator<Item = ColNum> {
    (0..)
        .zip(&ACTION_FIELDS)
        .filter(move |(_, field)| field.shape == shape)
        .map(|(col, _)| col)
}

/// Rows below the header that offer the drop-down lists and date checks, beyond those filled.
const SPARE_ROWS: usize = 500;

/// The most an uploaded plan's file may be and unpack to. A plan at its limits (500 actions
/// of long text) is a few MB of XML; the template is 10 KB.
pub const UPLOAD_LIMITS: UploadLimits = UploadLimits {
    max_bytes: 5 * 1024 * 1024,
    max_entries: 1_000,
    max_unpacked_bytes: 32 * 1024 * 1024,
    max_ratio: 100,
};

/// The most actions one upload may hold: checking and applying them is one transaction.
pub const MAX_ACTIONS: usize = 500;

/// Columns that may hold anything: the plan's 14 and room for an area's own notes.
pub const MAX_COLUMNS: u32 = 50;

/// Cells of the first sheet the reader looks at, filled or only formatted, before it stops.
pub const MAX_CELLS: u64 = 100_000;

/// Different texts the workbook may declare it holds. calamine reserves room for as many as
/// the file declares before reading one, so a declared count is checked first.
const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// The plan as the template is written.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionPlanSheet {
    /// "Derby", for the title and the Instructions sheet.
    pub area: String,
    /// The practice themes the Theme column offers, in the order to list them.
    pub themes: Vec<ThemeLine>,
    /// Each action's answers: as checked, or anything at all for a test's hostile file.
    pub rows: Vec<ActionAnswers>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeLine {
    pub code: String,
    pub label: String,
}

/// One non-blank row of an uploaded plan: its number as the spreadsheet shows it (the header
/// is row 1) and each cell as trimmed text in its field. A cell Excel holds as a date comes
/// back as `YYYY-MM-DD`; a date typed as text comes back as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawActionRow {
    pub row: u32,
    pub answers: ActionAnswers,
}

/// Why an upload cannot be read as an action plan, in words to show the person who sent it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetProblem {
    #[error(
        "The file is not an Excel workbook (.xlsx). Download the action plan template, fill it \
         in and upload it as an .xlsx file."
    )]
    NotAWorkbook,
    #[error("{0}")]
    Upload(UploadProblem),
    #[error(
        "The action plan has more than {} actions. Split it into parts of at most {} actions \
         and upload each in turn: a part changes only the actions it holds.",
        grouped(*.limit as u64),
        grouped(*.limit as u64)
    )]
    TooManyActions { limit: usize },
    #[error(
        "The action plan has something in cell {cell}, beyond column {last}. Keep everything in \
         the first {limit} columns (A to {last}): delete what is to the right and upload it again."
    )]
    TooManyColumns {
        cell: String,
        limit: u32,
        last: String,
    },
    #[error(
        "The first sheet has more than {} cells, filled or formatted. Keep only the action plan \
         on it, clear the rest and upload it again.",
        grouped(*.limit)
    )]
    TooManyCells { limit: u64 },
    #[error(
        "The workbook says it holds more than {} different texts. Save it again in Excel and \
         upload that.",
        grouped(*.limit)
    )]
    TooManyTexts { limit: u64 },
    #[error("The workbook has no sheets. The action plan must be on the first sheet.")]
    NoSheet,
    #[error("The first sheet of the workbook could not be read. Save it again in Excel and retry.")]
    UnreadableSheet,
    #[error("The header row has no \"{name}\" column: it should be column {letter}.")]
    MissingColumn { name: &'static str, letter: String },
    #[error("Column {letter} should be headed \"{name}\", not \"{found}\".")]
    RenamedColumn {
        name: &'static str,
        letter: String,
        found: String,
    },
    #[error("The \"{name}\" column should be column {letter}, not column {found_letter}.")]
    MovedColumn {
        name: &'static str,
        letter: String,
        found_letter: String,
    },
}

/// The template: the plan on the first sheet (the reader reads that one), then instructions,
/// then the themes the Theme column's list offers.
pub fn write_action_plan(plan: &ActionPlanSheet) -> Result<Vec<u8>, DocumentError> {
    Ok(template(plan)?.save_to_buffer()?)
}

/// The template with one more cell, `text` at (`row`, `col`) counted from 0, on the plan's
/// sheet: a hostile upload made from the real thing (XFD1048576 is row 1048575, column 16383).
#[cfg(any(test, feature = "test-support"))]
pub fn template_with_cell(
    plan: &ActionPlanSheet,
    row: RowNum,
    col: ColNum,
    text: &str,
) -> Result<Vec<u8>, DocumentError> {
    let mut book = template(plan)?;
    book.worksheet_from_index(0)?.write_string(row, col, text)?;
    Ok(book.save_to_buffer()?)
}

fn template(plan: &ActionPlanSheet) -> Result<Workbook, DocumentError> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("Action plan: {}", plan.area))
            .set_author(AUTHOR),
    );

    let sheet = book.add_worksheet();
    sheet.set_name("Action plan")?;
    write_header(sheet, &[], &formats)?;
    for (index, row) in plan.rows.iter().enumerate() {
        write_row(sheet, data_row(index)?, &[], row, &formats)?;
    }
    let last = data_row(plan.rows.len() + SPARE_ROWS - 1)?;
    add_validations(sheet, last, plan.themes.len())?;

    instructions(book.add_worksheet(), plan, &formats)?;
    themes(book.add_worksheet(), &plan.themes, &formats)?;
    Ok(book)
}

/// One area's actions, for the board's export.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaActions {
    pub area: String,
    pub actions: Vec<ExportedAction>,
}

/// One action in the board's export, with the programme and activity it answers.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedAction {
    /// "Peer challenges", "Thematic events", ...
    pub programme: String,
    /// The challenge, event or cycle, as people call it.
    pub activity: String,
    pub row: ActionAnswers,
}

/// Every area's actions on one sheet: the area, programme and activity first, then the
/// action plan's columns.
pub fn actions_export(areas: &[AreaActions]) -> Result<Vec<u8>, DocumentError> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title("Action plans: every area")
            .set_author(AUTHOR),
    );
    let sheet = book.add_worksheet();
    sheet.set_name("Actions")?;
    write_header(
        sheet,
        &[("Area", 18.0), ("Programme", 18.0), ("From", 30.0)],
        &formats,
    )?;
    let rows = areas.iter().flat_map(|area| {
        area.actions
            .iter()
            .map(move |action| (area.area.as_str(), action))
    });
    for (index, (area, action)) in rows.enumerate() {
        let leading = [area, action.programme.as_str(), action.activity.as_str()];
        write_row(sheet, data_row(index)?, &leading, &action.row, &formats)?;
    }
    Ok(book.save_to_buffer()?)
}

/// The spreadsheet row (0-based, below the header) of the `index`th action.
fn data_row(index: usize) -> Result<RowNum, DocumentError> {
    RowNum::try_from(index + 1).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError.into())
}

struct Formats {
    header: Format,
    text: Format,
    /// The cell stays text even when someone edits it, so "=..." or "-2" never turns into a
    /// formula or a number.
    literal: Format,
    date: Format,
    heading: Format,
}

impl Formats {
    fn new() -> Self {
        let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("#F3F2F1")
                .set_border_bottom(FormatBorder::Medium),
            literal: text.clone().set_quote_prefix(),
            date: Format::new()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            heading: Format::new().set_bold().set_font_size(14),
            text,
        }
    }
}

/// The header row, frozen, with a filter; `leading` columns come before the plan's own.
/// Every column is formatted for what people type into it, so new rows look like old ones.
fn write_header(
    sheet: &mut Worksheet,
    leading: &[(&str, f64)],
    formats: &Formats,
) -> Result<(), DocumentError> {
    let own = ACTION_FIELDS
        .iter()
        .map(|field| (field.column, column_width(field), field.shape));
    let columns = leading
        .iter()
        .map(|(name, width)| (*name, *width, FieldShape::Lines(0)))
        .chain(own);
    let mut count: ColNum = 0;
    for (col, (name, width, shape)) in (0..).zip(columns) {
        sheet.write_string_with_format(0, col, name, &formats.header)?;
        sheet.set_column_width(col, width)?;
        let format = if shape == FieldShape::Date {
            &formats.date
        } else {
            &formats.text
        };
        sheet.set_column_format(col, format)?;
        count = col + 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, 0, count.saturating_sub(1))?;
    Ok(())
}

/// One action's row: the `leading` texts, then each field's answer, a date field's as a date
/// cell when it reads as one.
fn write_row(
    sheet: &mut Worksheet,
    row: RowNum,
    leading: &[&str],
    action: &ActionAnswers,
    formats: &Formats,
) -> Result<(), DocumentError> {
    let mut col: ColNum = 0;
    for text in leading {
        write_text(sheet, row, col, text, formats)?;
        col += 1;
    }
    for field in &ACTION_FIELDS {
        let answer = (field.answer)(action);
        match date_of_answer(answer).filter(|_| field.shape == FieldShape::Date) {
            Some(date) => {
                sheet.write_datetime_with_format(row, col, excel_date(date)?, &formats.date)?;
            }
            None => write_text(sheet, row, col, answer, formats)?,
        }
        col += 1;
    }
    Ok(())
}

fn write_text(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    formats: &Formats,
) -> Result<(), DocumentError> {
    if text.is_empty() {
        return Ok(());
    }
    let format = if text.starts_with(['=', '+', '-', '@']) {
        &formats.literal
    } else {
        &formats.text
    };
    sheet.write_string_with_format(row, col, text, format)?;
    Ok(())
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, DocumentError> {
    let out_of_range = || DocumentError::DateOutOfRange { date };
    let year = u16::try_from(date.year()).map_err(|_| out_of_range())?;
    let month = u8::try_from(date.month()).map_err(|_| out_of_range())?;
    let day = u8::try_from(date.day()).map_err(|_| out_of_range())?;
    ExcelDateTime::from_ymd(year, month, day).map_err(|_| out_of_range())
}

/// Drop-down lists for the RAG status and the theme, and a date check on the two dates, from
/// the first data row to `last`. Each explains itself when someone types something else.
fn add_validations(
    sheet: &mut Worksheet,
    last: RowNum,
    themes: usize,
) -> Result<(), DocumentError> {
    let statuses: Vec<&str> = Rag::ALL.iter().map(|rag| rag.label()).collect();
    let rag = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_error_title("RAG status")?
        .set_error_message("Choose Red, Amber, Green or Complete from the list.")?;
    for col in columns_of(FieldShape::Rag) {
        sheet.add_data_validation(1, col, last, col, &rag)?;
    }

    if themes > 0 {
        let list = Formula::new(format!("=Themes!$A$2:$A${}", themes + 1));
        let theme = DataValidation::new()
            .allow_list_formula(list)
            .set_error_title("Theme")?
            .set_error_message(
                "Choose a theme code from the list. The Themes sheet says what each means.",
            )?;
        for col in columns_of(FieldShape::Theme) {
            sheet.add_data_validation(1, col, last, col, &theme)?;
        }
    }

    let earliest = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let latest = ExcelDateTime::from_ymd(2099, 12, 31)?;
    let dates = DataValidation::new()
        .allow_date(DataValidationRule::Between(earliest, latest))
        .set_error_title("Date")?
        .set_error_message("Enter a date as dd/mm/yyyy, for example 31/03/2027.")?;
    for col in columns_of(FieldShape::Date) {
        sheet.add_data_validation(1, col, last, col, &dates)?;
    }
    Ok(())
}

fn instructions(
    sheet: &mut Worksheet,
    plan: &ActionPlanSheet,
    formats: &Formats,
) -> Result<(), DocumentError> {
    sheet.set_name("Instructions")?;
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 90)?;
    sheet.set_column_format(1, &formats.text)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Action plan: {}", plan.area),
        &formats.heading,
    )?;
    let lines = [
        "Fill in one row for each action on the \"Action plan\" sheet, then upload this file.",
        "Keep the header row as it is: the upload is refused if a column is missing, renamed or moved.",
        "Choose the RAG status and the theme from the drop-down lists, and enter dates as dd/mm/yyyy.",
        "Write about services, never about a child: no names, dates of birth or other details that identify a child or family.",
    ];
    for (row, line) in (2..).zip(lines) {
        sheet.write_string(row, 0, line)?;
    }
    let first = 7;
    sheet.write_string_with_format(first, 0, "Column", &formats.header)?;
    sheet.write_string_with_format(first, 1, "What to enter", &formats.header)?;
    for (row, field) in (first + 1..).zip(&ACTION_FIELDS) {
        sheet.write_string_with_format(row, 0, field.column, &formats.text)?;
        sheet.write_string_with_format(row, 1, field.guidance, &formats.text)?;
    }
    Ok(())
}

fn themes(
    sheet: &mut Worksheet,
    themes: &[ThemeLine],
    formats: &Formats,
) -> Result<(), DocumentError> {
    sheet.set_name("Themes")?;
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 80)?;
    sheet.write_string_with_format(0, 0, "Code", &formats.header)?;
    sheet.write_string_with_format(0, 1, "Theme", &formats.header)?;
    for (row, theme) in (1..).zip(themes) {
        sheet.write_string(row, 0, &theme.code)?;
        sheet.write_string_with_format(row, 1, &theme.label, &formats.text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

impl From<UploadProblem> for SheetProblem {
    fn from(problem: UploadProblem) -> Self {
        match problem {
            UploadProblem::NotWhatItSays { .. } | UploadProblem::UnknownType => Self::NotAWorkbook,
            other => Self::Upload(other),
        }
    }
}

/// The actions on the first sheet of an uploaded workbook, each non-blank row in order.
///
/// The file is inspected within [`UPLOAD_LIMITS`] before calamine opens it, and the sheet is
/// read one cell at a time, stopping at the first limit passed: a declared dimension or used
/// range is never trusted (one cell at XFD1048576 would make a dense range of 512 GiB).
pub fn read_action_plan(bytes: &[u8]) -> Result<Vec<RawActionRow>, SheetProblem> {
    let zip = upload::open_office(FileKind::Excel, bytes, &UPLOAD_LIMITS)?;
    check_declared_texts(&zip)?;
    let mut book = Xlsx::new(Cursor::new(zip.bytes())).map_err(|_| SheetProblem::NotAWorkbook)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetProblem::NoSheet)?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| SheetProblem::UnreadableSheet)?;
    let mut header: Vec<String> = Vec::new();
    let mut rows: BTreeMap<u32, ActionAnswers> = BTreeMap::new();
    let mut seen: u64 = 0;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|_| SheetProblem::UnreadableSheet)?
    {
        seen += 1;
        if seen > MAX_CELLS {
            return Err(SheetProblem::TooManyCells { limit: MAX_CELLS });
        }
        let (row, col) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if col >= MAX_COLUMNS {
            return Err(SheetProblem::TooManyColumns {
                cell: format!("{}{}", column_letter(col as usize), u64::from(row) + 1),
                limit: MAX_COLUMNS,
                last: column_letter(MAX_COLUMNS as usize - 1),
            });
        }
        let col = col as usize;
        if row == 0 {
            if header.len() <= col {
                header.resize(col + 1, String::new());
            }
            header[col] = text;
        } else if let Some(field) = ACTION_FIELDS.get(col) {
            if !rows.contains_key(&row) && rows.len() >= MAX_ACTIONS {
                return Err(SheetProblem::TooManyActions { limit: MAX_ACTIONS });
            }
            *(field.answer_mut)(rows.entry(row).or_default()) = text;
        }
    }
    check_header(&header)?;
    Ok(rows
        .into_iter()
        .map(|(row, answers)| RawActionRow {
            row: row + 1,
            answers,
        })
        .collect())
}

/// calamine reserves room for as many shared texts as `<sst uniqueCount>` declares before it
/// reads one: a tiny file declaring a trillion would abort the process. Every part named like
/// the shared strings (calamine finds them ignoring case) is checked before calamine opens
/// the file, and a count that is not a plain number is refused too.
fn check_declared_texts(zip: &SafeZip<'_>) -> Result<(), SheetProblem> {
    let too_many = SheetProblem::TooManyTexts {
        limit: MAX_SHARED_STRINGS,
    };
    for (name, _) in zip.entries() {
        if !name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            continue;
        }
        let declared = zip
            .with_part(name, |part| declared_unique_count(part))?
            .flatten();
        match declared {
            None => {}
            Some(Some(count)) if count <= MAX_SHARED_STRINGS => {}
            Some(_) => return Err(too_many),
        }
    }
    Ok(())
}

/// The `uniqueCount` of the part's root `sst` element: `None` when there is none,
/// `Some(None)` when it is not a plain number that fits.
fn declared_unique_count(part: &mut dyn Read) -> Option<Option<u64>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                if element.local_name().as_ref() != "sst" {
                    return None;
                }
                let value = element
                    .attributes()
                    .flatten()
                    .find(|attribute| attribute.key.as_ref() == "uniqueCount")?
                    .value
                    .into_owned();
                let plain = !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit());
                return Some(plain.then(|| value.parse::<u64>().ok()).flatten());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// The header row must name every column in its place. The first column out of place is
/// reported, as missing, moved or renamed, whichever explains it.
fn check_header(header: &[String]) -> Result<(), SheetProblem> {
    let same = |a: &str, b: &str| normalise(a) == normalise(b);
    for (index, name) in COLUMNS.iter().copied().enumerate() {
        let found = header.get(index).map_or("", String::as_str);
        if same(found, name) {
            continue;
        }
        let letter = column_letter(index);
        if let Some(elsewhere) = header.iter().position(|cell| same(cell, name)) {
            return Err(SheetProblem::MovedColumn {
                name,
                letter,
                found_letter: column_letter(elsewhere),
            });
        }
        let is_another_column = COLUMNS.iter().any(|other| same(found, other));
        return Err(if found.is_empty() || is_another_column {
            SheetProblem::MissingColumn { name, letter }
        } else {
            SheetProblem::RenamedColumn {
                name,
                letter,
                found: found.to_owned(),
            }
        });
    }
    Ok(())
}

/// Headings compare ignoring case and runs of spaces.
fn normalise(heading: &str) -> String {
    heading
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "A" for the first column, "Z", "AA" and so on.
fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).expect("below 26")));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A cell as trimmed text. A date cell is given in ISO form so the caller need not know
/// Excel's serial numbers; whole numbers lose Excel's ".0".
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(text) => text.trim().to_owned(),
        DataRef::SharedString(text) => text.trim().to_owned(),
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) => float_text(*number),
        DataRef::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(value) => value.as_datetime().map_or_else(
            || float_text(value.as_f64()),
            |at| at.date().format("%Y-%m-%d").to_string(),
        ),
        DataRef::DateTimeIso(text) => {
            NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").map_or_else(
                |_| text.trim().to_owned(),
                |date| date.format("%Y-%m-%d").to_string(),
            )
        }
        DataRef::DurationIso(text) => text.trim().to_owned(),
        DataRef::Error(error) => error.to_string(),
    }
}

fn float_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back::read_back;
    use crate::upload::hostile;

    fn row(n: u32) -> ActionAnswers {
        ActionAnswers {
            reference: format!("DER-{n}"),
            answers: "Recommendation 1: set out a recovery plan & report <monthly>".to_owned(),
            theme: "EHCNA_TIMELINESS".to_owned(),
            action: "Recruit two EHC coordinators – Ōtautahi naïve \"quotes\"".to_owned(),
            owner: "Head of SEND".to_owned(),
            partners: "Parent carer forum; health".to_owned(),
            start: "01/04/2027".to_owned(),
            due: "29/02/2028".to_owned(),
            milestones: "Posts advertised by May\nin post by September".to_owned(),
            baseline: "38".to_owned(),
            target: "=80% within 20 weeks".to_owned(),
            rag: "Amber".to_owned(),
            progress: "-2 vacancies filled".to_owned(),
            impact: "@ Families report shorter waits".to_owned(),
        }
    }

    fn plan(rows: Vec<ActionAnswers>) -> ActionPlanSheet {
        ActionPlanSheet {
            area: "Derby".to_owned(),
            themes: vec![
                ThemeLine {
                    code: "EHCNA_TIMELINESS".to_owned(),
                    label: "EHC needs assessments and the 20-week timescale".to_owned(),
                },
                ThemeLine {
                    code: "COPRODUCTION".to_owned(),
                    label: "Co-production with families".to_owned(),
                },
            ],
            rows,
        }
    }

    /// What the reader gives back for `row` written as row `number`: a date cell in ISO form.
    fn expected(row: &ActionAnswers, number: u32) -> RawActionRow {
        let iso = |text: &str| date_of_answer(text).map_or(text.to_owned(), |d| d.to_string());
        RawActionRow {
            row: number,
            answers: ActionAnswers {
                start: iso(&row.start),
                due: iso(&row.due),
                ..row.clone()
            },
        }
    }

    #[test]
    fn a_written_plan_reads_back_field_for_field() {
        let blank_dates = ActionAnswers {
            start: String::new(),
            due: String::new(),
            rag: String::new(),
            ..row(2)
        };
        let rows = vec![row(1), blank_dates];
        let bytes = write_action_plan(&plan(rows.clone())).expect("workbook");
        let read = read_action_plan(&bytes).expect("plan");
        assert_eq!(read, vec![expected(&rows[0], 2), expected(&rows[1], 3)]);
    }

    #[test]
    fn an_empty_template_reads_as_no_rows() {
        let bytes = write_action_plan(&plan(vec![])).expect("workbook");
        assert_eq!(read_action_plan(&bytes), Ok(vec![]));
    }

    #[test]
    fn what_is_not_a_workbook_is_refused_clearly() {
        assert_eq!(
            read_action_plan(b"not a spreadsheet at all"),
            Err(SheetProblem::NotAWorkbook)
        );
        assert_eq!(
            read_action_plan(&[]),
            Err(SheetProblem::Upload(UploadProblem::Empty))
        );
        let word = crate::docx::written_report(&crate::report::sample(1, 1)).expect("docx");
        assert_eq!(read_action_plan(&word), Err(SheetProblem::NotAWorkbook));
    }

    /// A workbook whose first sheet has `header` as its first row and one data row.
    fn with_header(header: &[&str]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, name) in (0..).zip(header) {
            sheet.write_string(0, col, *name).expect("write");
            sheet.write_string(1, col, "x").expect("write");
        }
        book.save_to_buffer().expect("save")
    }

    #[test]
    fn header_problems_name_the_column() {
        let mut missing = COLUMNS.to_vec();
        missing.remove(5);
        assert_eq!(
            read_action_plan(&with_header(&missing)),
            Err(SheetProblem::MissingColumn {
                name: "Partners",
                letter: "F".to_owned()
            })
        );
        let mut renamed = COLUMNS.to_vec();
        renamed[5] = "Partner organisations";
        let problem = read_action_plan(&with_header(&renamed)).expect_err("renamed");
        assert_eq!(
            problem.to_string(),
            "Column F should be headed \"Partners\", not \"Partner organisations\"."
        );
        let mut moved = COLUMNS.to_vec();
        moved.swap(0, 1);
        assert_eq!(
            read_action_plan(&with_header(&moved)),
            Err(SheetProblem::MovedColumn {
                name: "Reference",
                letter: "A".to_owned(),
                found_letter: "B".to_owned()
            })
        );
        assert!(matches!(
            read_action_plan(&with_header(&[])),
            Err(SheetProblem::MissingColumn {
                name: "Reference",
                ..
            })
        ));
        // Case, spacing and extra columns on the right are forgiven.
        let mut relaxed: Vec<String> = COLUMNS
            .iter()
            .map(|c| format!("  {}  ", c.to_uppercase()))
            .collect();
        relaxed.push("Our own notes".to_owned());
        let relaxed: Vec<&str> = relaxed.iter().map(String::as_str).collect();
        assert_eq!(
            read_action_plan(&with_header(&relaxed)).map(|rows| rows.len()),
            Ok(1)
        );
    }

    #[test]
    fn cells_read_as_text_whatever_their_type() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, name) in (0..).zip(COLUMNS) {
            sheet.write_string(0, col, name).expect("write");
        }
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        let day = ExcelDateTime::from_ymd(2027, 3, 31).expect("date");
        sheet.write_string(3, 0, "  DER-9  ").expect("write");
        sheet.write_number(3, 9, 38.0).expect("write");
        sheet.write_number(3, 10, 0.8).expect("write");
        sheet
            .write_datetime_with_format(3, 6, &day, &date_format)
            .expect("write");
        sheet.write_string(3, 7, "31/03/2027").expect("write");
        sheet.write_boolean(3, 12, true).expect("write");
        let bytes = book.save_to_buffer().expect("save");
        let rows = read_action_plan(&bytes).expect("plan");
        assert_eq!(rows.len(), 1, "blank rows 2 and 3 are skipped");
        assert_eq!(rows[0].row, 4);
        let row = &rows[0].answers;
        assert_eq!(row.reference, "DER-9");
        assert_eq!(row.baseline, "38");
        assert_eq!(row.target, "0.8");
        assert_eq!(row.start, "2027-03-31");
        assert_eq!(row.due, "31/03/2027");
        assert_eq!(row.progress, "TRUE");
    }

    #[test]
    fn one_cell_at_the_last_column_of_the_last_row_is_refused_not_allocated() {
        // The template with one more cell at XFD1048576: its used range is the whole sheet,
        // which a dense range would allocate (512 GiB) and abort the process.
        let bytes =
            template_with_cell(&plan(vec![row(1)]), 1_048_575, 16_383, "x").expect("workbook");
        assert!(bytes.len() < 20 * 1024, "{} bytes", bytes.len());
        let problem = read_action_plan(&bytes).expect_err("refused");
        assert_eq!(
            problem,
            SheetProblem::TooManyColumns {
                cell: "XFD1048576".to_owned(),
                limit: 50,
                last: "AX".to_owned()
            }
        );
        assert_eq!(
            problem.to_string(),
            "The action plan has something in cell XFD1048576, beyond column AX. Keep \
             everything in the first 50 columns (A to AX): delete what is to the right and \
             upload it again."
        );
        // In the last row but a column of the plan, it is just one more row to check.
        let bytes =
            template_with_cell(&plan(vec![row(1)]), 1_048_575, 0, "DER-9").expect("workbook");
        let rows = read_action_plan(&bytes).expect("read");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].row, 1_048_576);
    }

    #[test]
    fn a_sheet_of_300000_rows_stops_at_the_limit() {
        let bytes = hostile::one_cell_rows(&COLUMNS, 300_000);
        let problem = read_action_plan(&bytes).expect_err("refused");
        assert_eq!(problem, SheetProblem::TooManyActions { limit: 500 });
        assert!(
            problem
                .to_string()
                .starts_with("The action plan has more than 500 actions. Split it"),
            "{problem}"
        );
        // 500 actions are fine.
        let rows = read_action_plan(&hostile::one_cell_rows(&COLUMNS, 500)).expect("read");
        assert_eq!(rows.len(), 500);
        assert_eq!(rows[499].row, 501);
    }

    #[test]
    fn too_many_cells_even_empty_ones_are_refused() {
        let mut sheet = String::from(
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Reference</t></is></c></row><row r=\"2\">",
        );
        sheet.push_str(&"<c/>".repeat(100_001));
        sheet.push_str("</row></sheetData></worksheet>");
        let bytes = hostile::workbook_with_sheet(sheet.as_bytes());
        assert_eq!(
            read_action_plan(&bytes),
            Err(SheetProblem::TooManyCells { limit: 100_000 })
        );
    }

    #[test]
    fn a_zip_bomb_workbook_is_refused_before_calamine_sees_it() {
        let problem = read_action_plan(&hostile::zip_bomb(1)).expect_err("refused");
        assert_eq!(
            problem,
            SheetProblem::Upload(UploadProblem::UnpacksTooLarge {
                limit: upload::Size(32 * 1024 * 1024)
            })
        );
        assert!(problem.to_string().contains("more than 32 MB"));
        assert_eq!(
            read_action_plan(&hostile::many_entries(2_000)),
            Err(SheetProblem::Upload(UploadProblem::TooManyEntries {
                limit: 1_000
            }))
        );
        assert_eq!(
            read_action_plan(&hostile::plain_zip()),
            Err(SheetProblem::NotAWorkbook)
        );
    }

    #[test]
    fn a_declared_count_of_texts_is_checked_before_calamine_reserves_it() {
        let with_strings = |count: &str| {
            let sst = format!("<sst uniqueCount=\"{count}\"><si><t>x</t></si></sst>");
            hostile::raw_zip(&[
                hostile::RawEntry::stored(
                    "[Content_Types].xml",
                    hostile::WORKBOOK_TYPES.as_bytes(),
                ),
                hostile::RawEntry::stored("xl/workbook.xml", b"<workbook/>"),
                hostile::RawEntry::stored("xl/SharedStrings.xml", sst.as_bytes()),
            ])
        };
        for count in ["1000000000000", "99999999999999999999999", "+5", "1e12"] {
            assert_eq!(
                read_action_plan(&with_strings(count)),
                Err(SheetProblem::TooManyTexts { limit: 1_000_000 }),
                "{count}"
            );
        }
        // A sensible count gets as far as calamine, which finds no workbook relationships.
        assert_eq!(
            read_action_plan(&with_strings("1")),
            Err(SheetProblem::NotAWorkbook)
        );
    }

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    /// A date field's answer that gives no date (before 1900, or not a date at all) is
    /// written as typed, for the check to name when the plan comes back.
    #[test]
    fn a_date_answer_that_is_no_date_is_kept_as_typed() {
        let odd = ActionAnswers {
            start: "soon".to_owned(),
            due: "01/01/1850".to_owned(),
            ..row(1)
        };
        let bytes = write_action_plan(&plan(vec![odd.clone()])).expect("workbook");
        let read = read_action_plan(&bytes).expect("plan");
        assert_eq!(
            read,
            vec![RawActionRow {
                row: 2,
                answers: odd
            }]
        );
    }

    /// openpyxl sees the layout: frozen header, the validations, real dates in dd/mm/yyyy,
    /// text that stays text, and the three sheets.
    #[test]
    fn openpyxl_reads_the_template_layout() {
        let bytes = write_action_plan(&plan(vec![row(1)])).expect("workbook");
        let script = r#"
import io, json
book = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read()))
sheet = book.worksheets[0]
print(json.dumps({
    "sheets": book.sheetnames,
    "title": book.properties.title,
    "freeze": sheet.freeze_panes,
    "header": [c.value for c in sheet[1]],
    "due": [sheet["H2"].value.isoformat(), sheet["H2"].number_format],
    "target": [sheet["K2"].value, sheet["K2"].data_type, bool(sheet["K2"].quotePrefix)],
    "validations": sorted([dv.type, dv.formula1, str(dv.sqref)] for dv in sheet.data_validations.dataValidation),
    "themes": [[c.value for c in row] for row in book["Themes"].iter_rows()],
}))
"#;
        let seen = read_back("openpyxl", script, &bytes);
        assert_eq!(
            seen["sheets"],
            serde_json::json!(["Action plan", "Instructions", "Themes"])
        );
        assert_eq!(seen["title"], "Action plan: Derby");
        assert_eq!(seen["freeze"], "A2");
        assert_eq!(seen["header"], serde_json::json!(COLUMNS));
        assert_eq!(
            seen["due"],
            serde_json::json!(["2028-02-29T00:00:00", "dd/mm/yyyy"])
        );
        assert_eq!(
            seen["target"],
            serde_json::json!(["=80% within 20 weeks", "s", true])
        );
        assert_eq!(
            seen["validations"],
            serde_json::json!([
                ["date", "36526", "G2:G502"],
                ["date", "36526", "H2:H502"],
                ["list", "\"Red,Amber,Green,Complete\"", "L2:L502"],
                ["list", "Themes!$A$2:$A$3", "C2:C502"],
            ])
        );
        assert_eq!(seen["themes"][1][0], "EHCNA_TIMELINESS");
    }

    #[test]
    fn the_export_puts_the_area_and_where_each_action_came_from_first() {
        let from = |number, activity: &str| ExportedAction {
            programme: "Peer challenges".to_owned(),
            activity: activity.to_owned(),
            row: row(number),
        };
        let areas = vec![
            AreaActions {
                area: "Derby".to_owned(),
                actions: vec![from(1, "PC-2027-001: Derby"), from(2, "PC-2027-001: Derby")],
            },
            AreaActions {
                area: "Rutland".to_owned(),
                actions: vec![from(3, "PC-2027-002: Rutland")],
            },
        ];
        let bytes = actions_export(&areas).expect("workbook");
        let script = r#"
import io, json
sheet = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read())).worksheets[0]
rows = [[c.value.isoformat() if hasattr(c.value, "isoformat") else c.value for c in row] for row in sheet.iter_rows()]
print(json.dumps({"title": sheet.title, "rows": rows, "freeze": sheet.freeze_panes}))
"#;
        let seen = read_back("openpyxl", script, &bytes);
        assert_eq!(seen["title"], "Actions");
        assert_eq!(seen["freeze"], "A2");
        let rows = seen["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0][0], "Area");
        assert_eq!(rows[0][1], "Programme");
        assert_eq!(rows[0][2], "From");
        assert_eq!(rows[0][3], "Reference");
        assert_eq!(rows[1][0], "Derby");
        assert_eq!(rows[3][0], "Rutland");
        assert_eq!(rows[3][1], "Peer challenges");
        assert_eq!(rows[3][2], "PC-2027-002: Rutland");
        assert_eq!(rows[3][3], "DER-3");
        assert_eq!(rows[3][10], "2028-02-29T00:00:00");
    }
}
