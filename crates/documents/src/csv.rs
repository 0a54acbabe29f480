//! CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark so
//! Excel shows accented names correctly, and cells that would start a formula neutralised.

/// A CSV file with a header row, written by the `csv` crate.
#[derive(Debug)]
pub struct CsvTable {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvTable {
    pub fn new(headers: &[&str]) -> Self {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer("\u{feff}".as_bytes().to_vec());
        // Writing to memory cannot fail; a row's error would only be an IO one.
        let _ = writer.write_record(headers.iter().map(|header| neutralise(header)));
        Self { writer }
    }

    /// Append one row. Cells are written as given, quoted where needed.
    pub fn push_row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        let _ = self.writer.write_record(cells.into_iter().map(neutralise));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.writer
            .into_inner()
            .unwrap_or_else(|failed| failed.into_inner().get_ref().clone())
    }
}

/// Prefix an apostrophe if a spreadsheet would otherwise run the cell as a formula (CSV
/// injection); the `csv` crate does the quoting.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::*;

    fn sample() -> Vec<u8> {
        let mut table = CsvTable::new(&["name", "note"]);
        table.push_row(["Zoë Ó Briain", "plain"]);
        table.push_row(["Smith, Jo", "said \"hello\"\nthen left"]);
        table.push_row(["=HYPERLINK(\"http://evil\")", "-2+3"]);
        table.into_bytes()
    }

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        let text = String::from_utf8(sample()).expect("utf-8");
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"Smith, Jo\",\"said \"\"hello\"\"\nthen left\"\r\n"));
        assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\",'-2+3\r\n"));
    }

    /// Python's csv module, an independent reader, sees exactly the cells we wrote.
    #[test]
    fn an_independent_reader_reads_back_every_cell() {
        let script = "import csv, io, json, sys\n\
                      text = sys.stdin.buffer.read().decode('utf-8-sig')\n\
                      print(json.dumps(list(csv.reader(io.StringIO(text, newline='')))))";
        let mut python = Command::new("python3")
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is installed");
        python
            .stdin
            .take()
            .expect("stdin")
            .write_all(&sample())
            .expect("write");
        let output = python.wait_with_output().expect("python3 ran");
        let rows: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).expect("json rows");
        assert_eq!(
            rows,
            vec![
                vec!["name".to_owned(), "note".to_owned()],
                vec!["Zoë Ó Briain".to_owned(), "plain".to_owned()],
                vec![
                    "Smith, Jo".to_owned(),
                    "said \"hello\"\nthen left".to_owned()
                ],
                vec![
                    "'=HYPERLINK(\"http://evil\")".to_owned(),
                    "'-2+3".to_owned()
                ],
            ]
        );
    }
}
