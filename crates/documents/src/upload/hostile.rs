//! Hostile uploads for tests, built in memory in milliseconds: a zip bomb, a zip of very many
//! entries, a plain zip renamed, a workbook of very many rows. Each is the attack it is named
//! for, so a test that refuses it proves the defence (tests check that the bomb really
//! decompresses to what it claims).

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A raw DEFLATE stream that decompresses to `1 + 258 × matches` spaces: one literal space,
/// then `matches` copies of "258 bytes from 1 back", each coded in two bits by a dynamic
/// Huffman block whose only length code (285) and only distance code (0) are one bit long.
/// That is DEFLATE's best ratio, about 1,032 to 1, and the body is all zero bits, so a GiB
/// costs nothing to make.
pub fn deflated_spaces(matches: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // the final block
    bits.put(2, 2); // dynamic Huffman codes
    bits.put(29, 5); // 286 literal/length code lengths
    bits.put(0, 5); // one distance code length
    bits.put(14, 4); // 18 code-length code lengths, in the order the format lists them
    // Symbols 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1: only 18 (repeat
    // a zero 11 to 138 times), 2 and 1 are used, with codes 0, 11 and 10.
    for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits.put(length, 3);
    }
    let zeros = |bits: &mut Bits, count: u32| {
        bits.code(0b0, 1);
        bits.put(count - 11, 7);
    };
    // The code lengths, each written with those codes: 18 with seven bits of count for
    // runs of unused symbols, "11" for a length of 2 and "10" for a length of 1.
    zeros(&mut bits, 32); // literals 0 to 31 unused
    bits.code(0b11, 2); // a space (32): length 2
    zeros(&mut bits, 138);
    zeros(&mut bits, 85); // 33 to 255 unused
    bits.code(0b11, 2); // end of block (256): length 2
    zeros(&mut bits, 28); // lengths 257 to 284 unused
    bits.code(0b10, 2); // length 285 (copy 258 bytes): length 1
    bits.code(0b10, 2); // distance code 0 (1 back): length 1
    // So the canonical codes are 285 "0", space "10", end of block "11", distance 0 "0".
    bits.code(0b10, 2);
    bits.zeros(matches.saturating_mul(2));
    bits.code(0b11, 2);
    bits.finish()
}

/// Bits packed as DEFLATE packs them: values from their least significant bit, Huffman codes
/// from their most significant.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    used: u8,
}

impl Bits {
    fn bit(&mut self, bit: bool) {
        if self.used == 0 {
            self.bytes.push(0);
        }
        if bit && let Some(last) = self.bytes.last_mut() {
            *last |= 1 << self.used;
        }
        self.used = (self.used + 1) % 8;
    }

    fn put(&mut self, value: u32, count: u8) {
        for shift in 0..count {
            self.bit(value >> shift & 1 == 1);
        }
    }

    fn code(&mut self, code: u32, count: u8) {
        for shift in (0..count).rev() {
            self.bit(code >> shift & 1 == 1);
        }
    }

    fn zeros(&mut self, mut count: u64) {
        while count > 0 && self.used != 0 {
            self.bit(false);
            count -= 1;
        }
        let whole = usize::try_from(count / 8).unwrap_or(usize::MAX);
        self.bytes.resize(self.bytes.len() + whole, 0);
        for _ in 0..count % 8 {
            self.bit(false);
        }
    }

    fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// One entry of a zip written by hand, its data already compressed with `method` (0 stored,
/// 8 deflated) and its sizes and checksum as declared.
#[derive(Clone, Debug)]
pub struct RawEntry {
    pub name: String,
    pub method: u16,
    pub data: Vec<u8>,
    pub size: u32,
    pub crc: u32,
}

impl RawEntry {
    /// A stored entry: its data as it is.
    pub fn stored(name: &str, data: &[u8]) -> Self {
        Self {
            name: name.to_owned(),
            method: 0,
            data: data.to_vec(),
            size: u32::try_from(data.len()).unwrap_or(u32::MAX),
            crc: crc32(data),
        }
    }
}

/// A zip written by hand, so its entries may declare whatever a hostile one declares.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
        let compressed = u32::try_from(entry.data.len()).unwrap_or(u32::MAX);
        let name = entry.name.as_bytes();
        let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
        let common = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&entry.method.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // time
            out.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1 January 1980
            out.extend_from_slice(&entry.crc.to_le_bytes());
            out.extend_from_slice(&compressed.to_le_bytes());
            out.extend_from_slice(&entry.size.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        };
        out.extend_from_slice(b"PK\x03\x04");
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&entry.data);

        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let start = u32::try_from(out.len()).unwrap_or(u32::MAX);
    let size = u32::try_from(central.len()).unwrap_or(u32::MAX);
    let count = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out
}

/// CRC-32 as zip uses it, bit by bit: test files are small.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The `[Content_Types].xml` of a workbook whose main part is `xl/workbook.xml`.
pub const WORKBOOK_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;

/// A workbook-shaped zip whose worksheet is `gib` GiB of spaces deflated into about a MiB:
/// the zip bomb. Its checksum is left wrong, as working out a GiB's is slow; nothing reads
/// that far.
pub fn zip_bomb(gib: u64) -> Vec<u8> {
    let matches = (gib << 30).div_ceil(258);
    let size = 1 + 258 * matches;
    raw_zip(&[
        RawEntry::stored("[Content_Types].xml", WORKBOOK_TYPES.as_bytes()),
        RawEntry::stored("xl/workbook.xml", b"<workbook/>"),
        RawEntry {
            name: "xl/worksheets/sheet1.xml".to_owned(),
            method: 8,
            data: deflated_spaces(matches),
            size: u32::try_from(size).unwrap_or(u32::MAX),
            crc: 0,
        },
    ])
}

/// A zip of `count` empty entries.
pub fn many_entries(count: usize) -> Vec<u8> {
    let mut entries = vec![RawEntry::stored(
        "[Content_Types].xml",
        WORKBOOK_TYPES.as_bytes(),
    )];
    entries.extend((0..count).map(|n| RawEntry::stored(&format!("{n:x}"), b"")));
    raw_zip(&entries)
}

/// A plain zip holding a text file: what a renamed archive looks like.
pub fn plain_zip() -> Vec<u8> {
    raw_zip(&[RawEntry::stored("notes.txt", b"Not a document at all.\n")])
}

/// A workbook whose first sheet has the header row `header` and then `rows` rows of one cell
/// each, written as XML with the cell references a spreadsheet program writes.
pub fn one_cell_rows(header: &[&str], rows: u32) -> Vec<u8> {
    let mut sheet = String::with_capacity(usize::try_from(rows).unwrap_or(0) * 40 + 4096);
    sheet.push_str(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#,
    );
    for (col, name) in header.iter().enumerate() {
        let letter = char::from(b'A' + u8::try_from(col % 26).unwrap_or(0));
        sheet.push_str(&format!(
            r#"<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>"#
        ));
    }
    sheet.push_str("</row>");
    for row in 2..rows + 2 {
        sheet.push_str(&format!(
            r#"<row r="{row}"><c r="A{row}"><v>1</v></c></row>"#
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    workbook_with_sheet(sheet.as_bytes())
}

/// A minimal workbook around one worksheet's XML, deflated as Excel would.
pub fn workbook_with_sheet(sheet: &[u8]) -> Vec<u8> {
    let parts: [(&str, &[u8]); 5] = [
        ("[Content_Types].xml", WORKBOOK_TYPES.as_bytes()),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Action plan" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, data) in parts {
        zip.start_file(name, options).expect("a zip entry");
        zip.write_all(data).expect("written");
    }
    zip.finish().expect("a zip").into_inner()
}
