//! A statistics-service (DfE Explore Education Statistics) CSV file read within bounds into
//! its header and rows of text, for `domain::indicators::check_file` to check. Refused whole
//! when it is too large, not UTF-8 (a file saved from Excel as Windows-1252, say), or not CSV.

use std::fmt;

/// The largest file read, in bytes: a whole national SEN2 file is about 2 MB.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// The most data rows read.
pub const MAX_ROWS: usize = 250_000;
/// The most columns read.
pub const MAX_COLUMNS: usize = 300;
/// The longest cell read.
pub const MAX_CELL: usize = 1_000;

/// A file's header and its rows, each with its row number (the header is row 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedTable {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Why a file was not read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableProblem {
    Empty,
    TooLarge {
        bytes: usize,
    },
    /// The first byte that is not UTF-8, by row (line) and byte in that row.
    NotUtf8 {
        row: u64,
        byte: usize,
    },
    TooManyRows,
    TooManyColumns,
    CellTooLong {
        row: u64,
        column: usize,
    },
    Malformed {
        row: u64,
        reason: String,
    },
}

impl fmt::Display for TableProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("The file is empty"),
            Self::TooLarge { bytes } => write!(
                f,
                "The file is {} MB: the largest accepted is {} MB",
                bytes.div_ceil(1024 * 1024),
                MAX_BYTES / (1024 * 1024)
            ),
            Self::NotUtf8 { row, byte } => write!(
                f,
                "Row {row}, character {byte}: the file is not UTF-8 (it may have been saved as Windows-1252 or \"CSV\" from Excel): download it again from the statistics service, or save it as \"CSV UTF-8\""
            ),
            Self::TooManyRows => write!(f, "The file has more than {MAX_ROWS} rows"),
            Self::TooManyColumns => write!(f, "The file has more than {MAX_COLUMNS} columns"),
            Self::CellTooLong { row, column } => write!(
                f,
                "Row {row}, column {column}: a cell is longer than {MAX_CELL} characters"
            ),
            Self::Malformed { row, reason } => {
                write!(f, "Row {row}: the file is not CSV ({reason})")
            }
        }
    }
}

/// Read a file's bytes into its header and rows.
pub fn read_table(bytes: &[u8]) -> Result<PublishedTable, TableProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(TableProblem::TooLarge { bytes: bytes.len() });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Err(error) = std::str::from_utf8(bytes) {
        let at = error.valid_up_to();
        let before = &bytes[..at];
        let row = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        return Err(TableProblem::NotUtf8 {
            row,
            byte: at - line_start + 1,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    // The row a record starts on, from its byte offset: the reader's own line count has
    // skipped blank lines and the header by then.
    let line_starts: Vec<u64> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i as u64 + 1),
        )
        .collect();
    let row_at = |byte: u64| line_starts.partition_point(|start| *start <= byte) as u64;
    let mut record = csv::StringRecord::new();
    let mut next = |record: &mut csv::StringRecord| -> Result<Option<u64>, TableProblem> {
        // The reader stands just past the last record; blank lines it will skip come first.
        let mut start = reader.position().byte() as usize;
        while bytes.get(start).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            start += 1;
        }
        match reader.read_record(record) {
            Ok(true) => Ok(Some(row_at(start as u64))),
            Ok(false) => Ok(None),
            Err(error) => Err(malformed(&error, row_at(start as u64))),
        }
    };
    if next(&mut record)?.is_none() {
        return Err(TableProblem::Empty);
    }
    let headers: Vec<String> = record.iter().map(str::to_owned).collect();
    if headers.len() > MAX_COLUMNS {
        return Err(TableProblem::TooManyColumns);
    }
    let mut rows = Vec::new();
    while let Some(row) = next(&mut record)? {
        if rows.len() >= MAX_ROWS {
            return Err(TableProblem::TooManyRows);
        }
        if record.len() > MAX_COLUMNS {
            return Err(TableProblem::TooManyColumns);
        }
        if let Some(column) = record.iter().position(|cell| cell.len() > MAX_CELL) {
            return Err(TableProblem::CellTooLong {
                row,
                column: column + 1,
            });
        }
        rows.push((row, record.iter().map(str::to_owned).collect()));
    }
    if rows.is_empty() {
        return Err(TableProblem::Empty);
    }
    Ok(PublishedTable { headers, rows })
}

fn malformed(error: &csv::Error, row: u64) -> TableProblem {
    TableProblem::Malformed {
        row,
        reason: match error.kind() {
            csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_owned(),
            _ => "a quote is not closed or a row is broken".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_numbers() {
        let table = read_table(b"\xef\xbb\xbfa,b\r\n1,2\r\n\r\n3,4\r\n")
            .unwrap_or_else(|p| unreachable!("{p}"));
        assert_eq!(table.headers, ["a", "b"]);
        let numbers: Vec<u64> = table.rows.iter().map(|(row, _)| *row).collect();
        assert_eq!(numbers, [2, 4]);
    }

    #[test]
    fn windows_1252_is_refused_with_its_row() {
        // "Sheffield" then "M\xe9xico" in Windows-1252: é is the single byte 0xE9.
        let problem = read_table(b"a,b\n1,2\n3,M\xe9xico\n").err();
        assert_eq!(problem, Some(TableProblem::NotUtf8 { row: 3, byte: 4 }));
        assert!(
            problem
                .map(|p| p.to_string())
                .unwrap_or_default()
                .contains("Row 3")
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(read_table(b"").err(), Some(TableProblem::Empty));
        assert_eq!(read_table(b"a,b\n").err(), Some(TableProblem::Empty));
    }
}
