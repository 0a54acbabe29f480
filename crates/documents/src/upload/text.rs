//! The words of an upload, read within its limits, so a caller can check them as it checks
//! free text (pre-reading must not identify a child).
//!
//! Every reader here goes through the same bounds as the rest of `upload`: the zip-based
//! formats through [`SafeZip`] (parts read with `read_part`, each capped), a PDF's streams
//! inflated through a reader that stops at a budget. The text gathered stops at
//! [`TEXT_BUDGET`] (4 MB of text, some thousand pages): a longer document is checked that far and
//! read no further. Paragraphs, cells and PDF text lines end
//! with a line break, so a detail split over runs of one paragraph reads whole while words of
//! different paragraphs never run together.

use std::io::Read;

use quick_xml::events::Event;

use super::{FileKind, SafeZip, UploadLimits, UploadProblem, check_size, open_zip};

/// The most text gathered from one upload, in bytes of UTF-8.
pub const TEXT_BUDGET: usize = 4 * 1024 * 1024;

/// The most bytes one XML part or one PDF stream is read to, decompressed.
const PART_MAX: u64 = 64 * 1024 * 1024;

/// The parts of a zip-based file that hold its words, in reading order, and the elements
/// whose end is a line break.
struct Parts {
    /// Part names, or a prefix ending `/` for numbered parts (`ppt/slides/`), taken in order.
    names: &'static [&'static str],
    breaks: &'static [&'static str],
}

fn parts(kind: FileKind) -> Option<Parts> {
    Some(match kind {
        FileKind::Word => Parts {
            names: &[
                "word/document.xml",
                "word/header",
                "word/footer",
                "word/footnotes.xml",
                "word/endnotes.xml",
                "word/comments.xml",
            ],
            breaks: &["p", "tab", "br", "tc"],
        },
        FileKind::Excel => Parts {
            names: &["xl/sharedStrings.xml", "xl/worksheets/"],
            breaks: &["si", "c", "row"],
        },
        FileKind::PowerPoint => Parts {
            names: &["ppt/slides/", "ppt/notesSlides/"],
            breaks: &["p", "br"],
        },
        FileKind::OpenDocumentText
        | FileKind::OpenDocumentSpreadsheet
        | FileKind::OpenDocumentPresentation => Parts {
            names: &["content.xml"],
            breaks: &["p", "h", "table-cell", "line-break", "tab"],
        },
        FileKind::Pdf | FileKind::Csv | FileKind::Text => return None,
    })
}

/// The text of a `kind` upload as far as a bounded reader gets, or why the file cannot be
/// read at all. A PDF whose text is drawn in an embedded font's own codes yields what its
/// literal strings hold, which may be little.
pub fn readable_text(
    kind: FileKind,
    bytes: &[u8],
    limits: &UploadLimits,
) -> Result<String, UploadProblem> {
    check_size(bytes, limits)?;
    let mut text = String::new();
    match kind {
        FileKind::Csv | FileKind::Text => {
            let all = std::str::from_utf8(bytes)
                .map_err(|_| UploadProblem::NotWhatItSays { expected: kind })?;
            push_bounded(&mut text, all);
        }
        FileKind::Pdf => pdf_text(bytes, limits, &mut text),
        _ => {
            let zip = open_zip(kind, bytes, limits)?;
            if let Some(parts) = parts(kind) {
                zip_text(&zip, &parts, &mut text)?;
            }
        }
    }
    Ok(text)
}

/// Append as much of `more` as fits in the budget, cut at a character's edge.
fn push_bounded(text: &mut String, more: &str) {
    let room = TEXT_BUDGET.saturating_sub(text.len());
    let mut end = room.min(more.len());
    while !more.is_char_boundary(end) {
        end -= 1;
    }
    text.push_str(&more[..end]);
}

fn full(text: &str) -> bool {
    text.len() >= TEXT_BUDGET
}

fn zip_text(zip: &SafeZip<'_>, parts: &Parts, text: &mut String) -> Result<(), UploadProblem> {
    for name in parts.names {
        let mut matching: Vec<&str> = zip
            .entries()
            .iter()
            .map(|(entry, _)| entry.as_str())
            .filter(|entry| {
                if name.ends_with(".xml") {
                    entry.eq_ignore_ascii_case(name)
                } else {
                    entry.starts_with(name) && entry.ends_with(".xml") && !entry.contains("/_rels/")
                }
            })
            .collect();
        // slide2 before slide10.
        matching.sort_by_key(|entry| (entry.len(), entry.to_string()));
        for entry in matching {
            if full(text) {
                return Ok(());
            }
            if let Some(xml) = zip.read_part(entry, PART_MAX)? {
                xml_text(&xml, parts.breaks, text);
            }
        }
    }
    Ok(())
}

/// Every text node of `xml`, a line break at the end of each of `breaks` (by local name). A
/// spreadsheet cell whose value is an index into the shared strings (`t="s"`) is skipped: its
/// words are read from the shared strings themselves.
fn xml_text(xml: &[u8], breaks: &[&str], text: &mut String) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut in_shared_cell = false;
    loop {
        if full(text) {
            return;
        }
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element)) => {
                if element.local_name().into_inner() == "c" {
                    in_shared_cell = element.attributes().flatten().any(|attribute| {
                        attribute.key.local_name().into_inner() == "t"
                            && attribute.value.as_ref() == "s"
                    });
                }
            }
            Ok(Event::Empty(element)) => {
                let name = element.local_name().into_inner();
                if breaks.contains(&name) {
                    push_bounded(text, "\n");
                }
            }
            Ok(Event::End(element)) => {
                let name = element.local_name().into_inner();
                if name == "c" {
                    in_shared_cell = false;
                }
                if breaks.contains(&name) {
                    push_bounded(text, "\n");
                }
            }
            Ok(Event::Text(words)) if !in_shared_cell => {
                push_bounded(text, &words.xml10_content());
            }
            Ok(Event::CData(words)) if !in_shared_cell => {
                push_bounded(text, &words.into_inner());
            }
            Ok(Event::GeneralRef(reference)) if !in_shared_cell => {
                let entity = reference.xml10_content();
                let character = match entity.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    other => other
                        .strip_prefix("#x")
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                };
                if let Some(character) = character {
                    push_bounded(text, character.encode_utf8(&mut [0; 4]));
                }
            }
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// A PDF's text layer as far as literal and hexadecimal strings in its content streams go:
/// every `stream … endstream` that is not an image or a font, inflated if `FlateDecode`
/// within what is left of the upload's unpacked budget, read for the strings its text
/// operators show.
fn pdf_text(bytes: &[u8], limits: &UploadLimits, text: &mut String) {
    let mut budget = limits.max_unpacked_bytes.min(PART_MAX * 4);
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let keyword = at + found;
        at = keyword + 6;
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let mut start = at;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(length) = find(&bytes[start..], b"endstream") else {
            return;
        };
        let data = &bytes[start..start + length];
        at = start + length + 9;
        // The stream's dictionary: from the last "<<" before the keyword.
        let dictionary_from = keyword.saturating_sub(2048);
        let dictionary = &bytes[dictionary_from..keyword];
        let dictionary = match rfind(dictionary, b"obj") {
            Some(object) => &dictionary[object..],
            None => dictionary,
        };
        if contains(dictionary, b"/Subtype") || contains(dictionary, b"/Length1") {
            continue;
        }
        let content = if contains(dictionary, b"/FlateDecode") {
            let mut inflated = Vec::new();
            let reader = flate2::read::ZlibDecoder::new(data);
            if reader.take(budget).read_to_end(&mut inflated).is_err() && inflated.is_empty() {
                continue;
            }
            inflated
        } else if contains(dictionary, b"/Filter") {
            continue;
        } else {
            data.to_vec()
        };
        budget = budget.saturating_sub(u64::try_from(content.len()).unwrap_or(u64::MAX));
        content_strings(&content, text);
        if budget == 0 || full(text) {
            return;
        }
    }
}

/// The strings a content stream shows: `(literal)` and `<hex>` strings, with a line break at
/// each operator that starts a new line or ends a text object.
fn content_strings(content: &[u8], text: &mut String) {
    let mut index = 0;
    let mut line = String::new();
    while index < content.len() {
        match content[index] {
            b'(' => {
                let (string, next) = literal_string(content, index + 1);
                line.push_str(&string);
                index = next;
            }
            b'<' if content.get(index + 1) != Some(&b'<') => {
                let end = content[index..]
                    .iter()
                    .position(|b| *b == b'>')
                    .map_or(content.len(), |p| index + p);
                line.push_str(&hex_string(&content[index + 1..end]));
                index = end + 1;
            }
            b'%' => {
                while index < content.len() && content[index] != b'\n' && content[index] != b'\r' {
                    index += 1;
                }
            }
            byte if byte.is_ascii_alphabetic() || byte == b'\'' || byte == b'"' || byte == b'*' => {
                let start = index;
                while index < content.len()
                    && (content[index].is_ascii_alphabetic()
                        || matches!(content[index], b'\'' | b'"' | b'*'))
                {
                    index += 1;
                }
                if matches!(
                    &content[start..index],
                    b"ET" | b"Td" | b"TD" | b"T*" | b"'" | b"\"" | b"Tm"
                ) && !line.is_empty()
                {
                    line.push('\n');
                    push_bounded(text, &line);
                    line.clear();
                }
            }
            _ => index += 1,
        }
        if full(text) {
            return;
        }
    }
    if !line.is_empty() {
        line.push('\n');
        push_bounded(text, &line);
    }
}

/// A literal string from after its `(` to its balancing `)`, escapes undone; and where it ends.
fn literal_string(content: &[u8], mut index: usize) -> (String, usize) {
    let mut depth = 1;
    let mut out = Vec::new();
    while index < content.len() {
        let byte = content[index];
        index += 1;
        match byte {
            b'\\' => {
                let Some(&next) = content.get(index) else {
                    break;
                };
                index += 1;
                match next {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'0'..=b'7' => {
                        let mut value = u32::from(next - b'0');
                        for _ in 0..2 {
                            match content.get(index) {
                                Some(&digit @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(digit - b'0');
                                    index += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(u8::try_from(value & 0xFF).unwrap_or(b' '));
                    }
                    b'\r' | b'\n' => {}
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(byte);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                out.push(byte);
            }
            _ => out.push(byte),
        }
    }
    (decode_pdf_string(&out), index)
}

fn hex_string(hex: &[u8]) -> String {
    let digits: Vec<u8> = hex
        .iter()
        .filter_map(|b| (*b as char).to_digit(16))
        .filter_map(|d| u8::try_from(d).ok())
        .collect();
    let bytes: Vec<u8> = digits
        .chunks(2)
        .map(|pair| pair[0] * 16 + pair.get(1).copied().unwrap_or(0))
        .collect();
    decode_pdf_string(&bytes)
}

/// UTF-16BE with its byte-order mark, or bytes read as Latin-1 (close enough to
/// PDFDocEncoding and WinAnsi for digits and letters).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|b| char::from(*b)).collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn limits() -> UploadLimits {
        UploadLimits::documents(10 * 1024 * 1024)
    }

    #[test]
    fn plain_text_and_csv_are_read_as_they_are() {
        let text = readable_text(FileKind::Csv, b"Case,NHS\nA1,943 476 5919\n", &limits());
        assert_eq!(text.as_deref(), Ok("Case,NHS\nA1,943 476 5919\n"));
    }

    #[test]
    fn a_pdf_text_layer_is_read_from_plain_and_deflated_streams() {
        let shown = b"BT /F1 12 Tf 72 700 Td (Child: 943) Tj [(476) -20 (5919)] TJ ET";
        let mut deflated =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        deflated
            .write_all(b"BT (Postcode <NG1 5DT>) Tj ET")
            .expect("deflate");
        let deflated = deflated.finish().expect("deflate");
        let mut pdf = b"%PDF-1.4\n4 0 obj\n<< /Length 60 >>\nstream\n".to_vec();
        pdf.extend_from_slice(shown);
        pdf.extend_from_slice(
            b"\nendstream\nendobj\n5 0 obj\n<< /Filter /FlateDecode >>\nstream\n",
        );
        pdf.extend_from_slice(&deflated);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        let text = readable_text(FileKind::Pdf, &pdf, &limits()).expect("read");
        assert!(text.contains("Child: 9434765919"), "{text}");
        assert!(text.contains("Postcode <NG1 5DT>"), "{text}");
    }

    #[test]
    fn word_runs_of_one_paragraph_read_together_and_paragraphs_apart() {
        use docx_rs::{Docx, Paragraph, Run};
        let mut bytes = std::io::Cursor::new(Vec::new());
        Docx::new()
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Child 94347"))
                    .add_run(Run::new().add_text("65919 & family")),
            )
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Next paragraph")))
            .build()
            .pack(&mut bytes)
            .expect("a document");
        let text = readable_text(FileKind::Word, bytes.get_ref(), &limits()).expect("read");
        assert!(text.contains("Child 9434765919 & family\n"), "{text:?}");
        assert!(text.contains("Next paragraph"), "{text:?}");
    }

    #[test]
    fn a_workbook_gives_its_strings_and_numbers_but_not_string_indexes() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "NHS number").expect("cell");
        sheet.write_number(0, 1, 9_434_765_919.0).expect("cell");
        sheet.write_string(1, 0, "UPN").expect("cell");
        let bytes = workbook.save_to_buffer().expect("a workbook");
        let text = readable_text(FileKind::Excel, &bytes, &limits()).expect("read");
        assert!(text.contains("NHS number\n"), "{text:?}");
        assert!(text.contains("\n9434765919\n"), "{text:?}");
        assert!(
            !text.contains("\n0\n"),
            "a shared string's index is no text: {text:?}"
        );
    }

    #[test]
    fn a_bomb_stream_stops_at_the_budget() {
        let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        for _ in 0..64 {
            deflated.write_all(&[b' '; 1024 * 1024]).expect("deflate");
        }
        let deflated = deflated.finish().expect("deflate");
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&deflated);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        let tight = UploadLimits {
            max_unpacked_bytes: 1024 * 1024,
            ..limits()
        };
        assert_eq!(
            readable_text(FileKind::Pdf, &pdf, &tight),
            Ok(String::new())
        );
    }
}
