//! Every uploaded file is read through here, within bounds, before any parser sees it.
//!
//! An upload is judged by the type its name claims and by its bytes together: its size first,
//! then, for the zip-based formats, a [`SafeZip`] inspection that counts the entries and
//! measures the real decompressed size of every one with a bounded reader (never trusting a
//! declared size or count), then its structure (an Office file's content types and main part,
//! an OpenDocument file's `mimetype`, a PDF's header and end marker, text that is UTF-8).
//! Only then may a parser such as calamine read it. Every refusal is a typed
//! [`UploadProblem`] whose message names the limit or the type expected.

mod package;
mod text;

#[cfg(any(test, feature = "test-support"))]
pub mod hostile;

use std::fmt;

pub use package::SafeZip;
pub use text::{TEXT_BUDGET, readable_text};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// How far an upload may go before it is refused unread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadLimits {
    /// The file as sent.
    pub max_bytes: u64,
    /// Entries in a zip-based file (each costs memory in every zip reader).
    pub max_entries: usize,
    /// Everything in a zip, decompressed.
    pub max_unpacked_bytes: u64,
    /// How many times its own size a zip may unpack to. The first [`RATIO_GRACE`] bytes are
    /// allowed whatever the ratio, as small XML parts compress very well.
    pub max_ratio: u64,
}

/// Unpacked bytes allowed whatever the compression ratio: a small workbook's XML compresses
/// far better than 100 to 1 without being a bomb.
pub const RATIO_GRACE: u64 = MIB;

impl UploadLimits {
    /// Documents kept to be downloaded (guidance, pre-reading): only their structure is read,
    /// but their size, entries and unpacked size are still bounded.
    pub const fn documents(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            max_entries: 10_000,
            max_unpacked_bytes: 256 * MIB,
            max_ratio: 100,
        }
    }

    /// The most a zip of `len` bytes may unpack to under these limits, and which limit that is.
    fn unpack_budget(&self, len: u64) -> (u64, UploadProblem) {
        let by_ratio = len.saturating_mul(self.max_ratio).max(RATIO_GRACE);
        if by_ratio < self.max_unpacked_bytes {
            (
                by_ratio,
                UploadProblem::CompressedTooFar {
                    ratio: self.max_ratio,
                },
            )
        } else {
            (
                self.max_unpacked_bytes,
                UploadProblem::UnpacksTooLarge {
                    limit: Size(self.max_unpacked_bytes),
                },
            )
        }
    }
}

/// A number of bytes as people read it, in binary units: "10 MB" is 10 × 1024 × 1024 bytes,
/// the same unit the limits are set and checked in, so a hint, a refusal and the check agree.
/// A size that is not a whole number of units shows one decimal, rounded down, so a limit is
/// never shown larger than it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0;
        let (unit, name) = match bytes {
            b if b >= 1024 * MIB => (1024 * MIB, "GB"),
            b if b >= MIB => (MIB, "MB"),
            b if b >= KIB => (KIB, "KB"),
            1 => return f.write_str("1 byte"),
            b => return write!(f, "{b} bytes"),
        };
        let whole = bytes / unit;
        let tenths = (bytes % unit) * 10 / unit;
        if tenths == 0 {
            write!(f, "{whole} {name}")
        } else {
            write!(f, "{whole}.{tenths} {name}")
        }
    }
}

/// A count as a person reads it: "100,000".
pub fn grouped(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The kinds of file an upload may be, each known by its extension and checked by its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Word,
    Excel,
    PowerPoint,
    OpenDocumentText,
    OpenDocumentSpreadsheet,
    OpenDocumentPresentation,
    Csv,
    Text,
}

impl FileKind {
    pub const ALL: [Self; 9] = [
        Self::Pdf,
        Self::Word,
        Self::Excel,
        Self::PowerPoint,
        Self::OpenDocumentText,
        Self::OpenDocumentSpreadsheet,
        Self::OpenDocumentPresentation,
        Self::Csv,
        Self::Text,
    ];

    /// The kind a file name claims, by its extension.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let (_, extension) = name.rsplit_once('.')?;
        let extension = extension.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|kind| kind.extension() == extension)
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Word => "docx",
            Self::Excel => "xlsx",
            Self::PowerPoint => "pptx",
            Self::OpenDocumentText => "odt",
            Self::OpenDocumentSpreadsheet => "ods",
            Self::OpenDocumentPresentation => "odp",
            Self::Csv => "csv",
            Self::Text => "txt",
        }
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Word => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Excel => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::PowerPoint => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::OpenDocumentText => "application/vnd.oasis.opendocument.text",
            Self::OpenDocumentSpreadsheet => "application/vnd.oasis.opendocument.spreadsheet",
            Self::OpenDocumentPresentation => "application/vnd.oasis.opendocument.presentation",
            Self::Csv => "text/csv",
            Self::Text => "text/plain",
        }
    }

    /// What the file should be, as a refusal names it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pdf => "a PDF",
            Self::Word => "a Word document (.docx)",
            Self::Excel => "an Excel workbook (.xlsx)",
            Self::PowerPoint => "a PowerPoint presentation (.pptx)",
            Self::OpenDocumentText => "an OpenDocument text file (.odt)",
            Self::OpenDocumentSpreadsheet => "an OpenDocument spreadsheet (.ods)",
            Self::OpenDocumentPresentation => "an OpenDocument presentation (.odp)",
            Self::Csv => "a CSV file in UTF-8",
            Self::Text => "a plain text file in UTF-8",
        }
    }

    /// The content type [Content_Types].xml gives the main part of an Office Open XML file.
    const fn office_main_part(self) -> Option<&'static str> {
        match self {
            Self::Word => Some(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            Self::Excel => {
                Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
            }
            Self::PowerPoint => Some(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
            ),
            _ => None,
        }
    }
}

/// Why an upload was refused, in words to show the person who sent it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadProblem {
    #[error("The selected file is empty")]
    Empty,
    #[error("The selected file must be {limit} or smaller")]
    TooLarge { limit: Size },
    #[error("The selected file is not a type we accept")]
    UnknownType,
    #[error(
        "The selected file is not {}, whatever its name says: save it again as {} and upload that",
        .expected.label(),
        .expected.label()
    )]
    NotWhatItSays { expected: FileKind },
    #[error(
        "The selected file is damaged, encrypted or uses a compression we cannot read: save it \
         again without a password and upload that"
    )]
    Unreadable,
    #[error(
        "The selected file holds more than {} files packed inside it, the most we accept: \
         save it with less in it and upload that",
        grouped(*.limit as u64)
    )]
    TooManyEntries { limit: usize },
    #[error(
        "The selected file unpacks to more than {limit}, the most we accept: save it with less \
         in it and upload that"
    )]
    UnpacksTooLarge { limit: Size },
    #[error(
        "The selected file unpacks to more than {ratio} times its own size, more than any \
         ordinary document: save it again and upload that"
    )]
    CompressedTooFar { ratio: u64 },
}

/// The kind of an upload named `file_name`, if it is one of `accepted` and its bytes are what
/// the name says, within `limits`.
pub fn recognise(
    file_name: &str,
    bytes: &[u8],
    accepted: &[FileKind],
    limits: &UploadLimits,
) -> Result<FileKind, UploadProblem> {
    let kind = FileKind::from_file_name(file_name)
        .filter(|kind| accepted.contains(kind))
        .ok_or(UploadProblem::UnknownType)?;
    check_upload(kind, bytes, limits)?;
    Ok(kind)
}

/// Whether `bytes` are a `kind` file within `limits`: size first, then what is packed inside,
/// then the structure.
pub fn check_upload(
    kind: FileKind,
    bytes: &[u8],
    limits: &UploadLimits,
) -> Result<(), UploadProblem> {
    check_size(bytes, limits)?;
    let fits = match kind {
        FileKind::Pdf => is_pdf(bytes),
        FileKind::Csv | FileKind::Text => is_text(bytes),
        FileKind::Word | FileKind::Excel | FileKind::PowerPoint => {
            let zip = open_zip(kind, bytes, limits)?;
            is_office(&zip, kind)?
        }
        FileKind::OpenDocumentText
        | FileKind::OpenDocumentSpreadsheet
        | FileKind::OpenDocumentPresentation => {
            let zip = open_zip(kind, bytes, limits)?;
            is_open_document(&zip, kind)?
        }
    };
    if fits {
        Ok(())
    } else {
        Err(UploadProblem::NotWhatItSays { expected: kind })
    }
}

/// An Office file inspected within `limits` and checked to be a `kind`, ready for a parser.
pub fn open_office<'a>(
    kind: FileKind,
    bytes: &'a [u8],
    limits: &UploadLimits,
) -> Result<SafeZip<'a>, UploadProblem> {
    check_size(bytes, limits)?;
    let zip = open_zip(kind, bytes, limits)?;
    if is_office(&zip, kind)? {
        Ok(zip)
    } else {
        Err(UploadProblem::NotWhatItSays { expected: kind })
    }
}

fn check_size(bytes: &[u8], limits: &UploadLimits) -> Result<(), UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limits.max_bytes {
        return Err(UploadProblem::TooLarge {
            limit: Size(limits.max_bytes),
        });
    }
    Ok(())
}

/// A zip, inspected; a file that is no zip at all is simply not what its name says.
fn open_zip<'a>(
    kind: FileKind,
    bytes: &'a [u8],
    limits: &UploadLimits,
) -> Result<SafeZip<'a>, UploadProblem> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(UploadProblem::NotWhatItSays { expected: kind });
    }
    SafeZip::inspect(bytes, limits)
}

/// `%PDF-` at the start and `%%EOF` in the last kilobyte, where readers look for it.
fn is_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|window| window == b"%%EOF")
}

/// UTF-8 with no NUL and no control characters but tab, line ends and form feed: binary
/// files are full of both.
fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| {
        text.chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    })
}

/// The most of `[Content_Types].xml` read: a real one is a few kilobytes.
const CONTENT_TYPES_MAX: u64 = MIB;

/// An Office Open XML file: `[Content_Types].xml` gives the main part the content type of
/// `kind`, and that part is in the zip.
fn is_office(zip: &SafeZip<'_>, kind: FileKind) -> Result<bool, UploadProblem> {
    let Some(main_type) = kind.office_main_part() else {
        return Ok(false);
    };
    let Some(types) = zip.read_part("[Content_Types].xml", CONTENT_TYPES_MAX)? else {
        return Ok(false);
    };
    Ok(overrides(&types)
        .iter()
        .filter(|(_, content_type)| content_type.trim().eq_ignore_ascii_case(main_type))
        .any(|(part, _)| zip.contains(part.trim_start_matches('/'))))
}

/// The `Override` elements of `[Content_Types].xml`: part name and content type.
fn overrides(xml: &[u8]) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut found = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element) | Event::Empty(element))
                if element.local_name().as_ref() == "Override" =>
            {
                let attribute = |name: &str| {
                    element
                        .attributes()
                        .flatten()
                        .find(|attribute| attribute.key.local_name().as_ref() == name)
                        .map(|attribute| attribute.value.into_owned())
                };
                if let (Some(part), Some(content_type)) =
                    (attribute("PartName"), attribute("ContentType"))
                {
                    found.push((part, content_type));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    found
}

/// An OpenDocument file starts with an uncompressed `mimetype` entry naming its type
/// (OpenDocument 1.2, part 3, section 3.3) and holds its `content.xml`.
fn is_open_document(zip: &SafeZip<'_>, kind: FileKind) -> Result<bool, UploadProblem> {
    let mime = kind.content_type().as_bytes();
    let bytes = zip.bytes();
    let first_is_mimetype = bytes.get(30..38) == Some(b"mimetype".as_slice())
        && bytes.get(38..).is_some_and(|rest| rest.starts_with(mime));
    let mimetype = zip.read_part("mimetype", 256)?;
    Ok(first_is_mimetype && mimetype.as_deref() == Some(mime) && zip.contains("content.xml"))
}

#[cfg(test)]
mod tests;
