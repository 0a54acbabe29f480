//! The Open Packaging Conventions container behind .pptx and .docx: a zip of XML parts, and
//! the document properties (title, author, dates) that Office shows under File > Info and that
//! screen readers and PDF exports use as the document's title.

use std::io::{Cursor, Read, Write};

use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::DocumentError;
use crate::xml::escape;

/// Who Office shows as the author and the application that wrote the file.
pub(crate) const AUTHOR: &str = "Peer Challenge";

/// A package being written, part by part.
pub(crate) struct Package {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    options: SimpleFileOptions,
}

impl Package {
    /// Every part is stamped with `written_on`, so the same content gives the same bytes.
    pub(crate) fn new(written_on: NaiveDate) -> Self {
        Self {
            zip: ZipWriter::new(Cursor::new(Vec::new())),
            options: SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .last_modified_time(zip_time(written_on)),
        }
    }

    pub(crate) fn add(&mut self, name: &str, content: &[u8]) -> Result<(), DocumentError> {
        self.zip.start_file(name, self.options)?;
        self.zip.write_all(content)?;
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<Vec<u8>, DocumentError> {
        Ok(self.zip.finish()?.into_inner())
    }
}

/// Zip dates start in 1980; a date outside what zip can hold is stamped 1980-01-01 rather than
/// refused, since the stamp is only a courtesy to unzip tools.
fn zip_time(date: NaiveDate) -> DateTime {
    let parts = (
        u16::try_from(date.year()),
        u8::try_from(date.month()),
        u8::try_from(date.day()),
    );
    match parts {
        (Ok(year), Ok(month), Ok(day)) => {
            DateTime::from_date_and_time(year, month, day, 0, 0, 0).unwrap_or_default()
        }
        _ => DateTime::default(),
    }
}

/// A copy of the package `bytes` with the parts named in `names` rewritten by `edit`, which
/// is given each one's name and text; every other part is copied as it was, still compressed.
pub(crate) fn edit_parts(
    bytes: &[u8],
    names: &[&str],
    edit: impl Fn(&str, String) -> String,
    written_on: NaiveDate,
) -> Result<Vec<u8>, DocumentError> {
    let mut source = ZipArchive::new(Cursor::new(bytes))?;
    let mut package = Package::new(written_on);
    for index in 0..source.len() {
        let name = source.by_index_raw(index)?.name()?.into_owned();
        if names.contains(&name.as_str()) {
            let mut text = String::new();
            source.by_index(index)?.read_to_string(&mut text)?;
            package.add(&name, edit(&name, text).as_bytes())?;
        } else {
            package.zip.raw_copy_file(source.by_index_raw(index)?)?;
        }
    }
    package.finish()
}

/// What `docProps/core.xml` says about a document.
pub(crate) struct CoreProperties<'a> {
    pub(crate) title: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) created: NaiveDate,
}

/// The core properties part. British English is declared so a screen reader picks the right
/// voice when the body text does not say.
pub(crate) fn core_properties(properties: &CoreProperties<'_>) -> String {
    let when = properties.created.format("%Y-%m-%dT00:00:00Z");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy><dc:language>en-GB</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#,
        title = escape(properties.title),
        subject = escape(properties.subject),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }

    #[test]
    fn named_parts_are_edited_and_the_rest_kept() {
        let day = date(2027, 3, 12);
        let mut package = Package::new(day);
        package.add("a.xml", b"<a/>").expect("add");
        package.add("b.xml", b"<b/>").expect("add");
        let bytes = package.finish().expect("finish");
        let replaced = edit_parts(
            &bytes,
            &["a.xml"],
            |name, text| format!("{name}: {text}"),
            day,
        )
        .expect("edit");
        let mut archive = ZipArchive::new(Cursor::new(replaced)).expect("zip");
        let mut read = |name: &str| {
            let mut text = String::new();
            archive
                .by_name(name)
                .expect("part")
                .read_to_string(&mut text)
                .expect("read");
            text
        };
        assert_eq!(read("a.xml"), "a.xml: <a/>");
        assert_eq!(read("b.xml"), "<b/>");
    }

    #[test]
    fn zip_dates_outside_its_range_fall_back() {
        assert_eq!(zip_time(date(1970, 1, 1)), DateTime::default());
        assert_eq!(
            zip_time(date(2027, 3, 12)),
            DateTime::from_date_and_time(2027, 3, 12, 0, 0, 0).expect("valid")
        );
    }

    #[test]
    fn core_properties_escape_the_title() {
        let xml = core_properties(&CoreProperties {
            title: "Derby & <partners>",
            subject: "SEND",
            created: date(2027, 3, 12),
        });
        assert!(xml.contains("<dc:title>Derby &amp; &lt;partners&gt;</dc:title>"));
        assert!(xml.contains(">2027-03-12T00:00:00Z</dcterms:created>"));
    }
}
