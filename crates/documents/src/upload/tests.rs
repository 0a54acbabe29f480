use std::io::{Cursor, Read, Write};

use proptest::prelude::*;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::hostile::{self, RawEntry};
use super::*;

const MB: u64 = 1024 * 1024;

/// The limits the web uses for pre-reading documents.
fn documents() -> UploadLimits {
    UploadLimits::documents(20 * MB)
}

fn report() -> crate::report::ReportContent {
    crate::report::sample(1, 1)
}

#[test]
fn sizes_are_binary_and_never_shown_larger_than_they_are() {
    assert_eq!(Size(10 * MB).to_string(), "10 MB");
    assert_eq!(Size(10 * MB + MB / 2).to_string(), "10.5 MB");
    assert_eq!(Size(10 * MB - 1).to_string(), "9.9 MB");
    assert_eq!(Size(2048).to_string(), "2 KB");
    assert_eq!(Size(2000).to_string(), "1.9 KB");
    assert_eq!(Size(512).to_string(), "512 bytes");
    assert_eq!(Size(1).to_string(), "1 byte");
    assert_eq!(Size(3 * 1024 * MB).to_string(), "3 GB");
    assert_eq!(
        UploadProblem::TooLarge {
            limit: Size(10 * MB)
        }
        .to_string(),
        "The selected file must be 10 MB or smaller"
    );
}

#[test]
fn counts_are_grouped_in_thousands() {
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1_000), "1,000");
    assert_eq!(grouped(100_000), "100,000");
    assert_eq!(grouped(1_048_576), "1,048,576");
}

#[test]
fn the_hand_made_deflate_stream_is_what_it_says() {
    // Small enough to read whole: 1 + 258 × 3 spaces, with the right checksum.
    let spaces = vec![b' '; 1 + 258 * 3];
    let zip = hostile::raw_zip(&[RawEntry {
        name: "spaces.txt".to_owned(),
        method: 8,
        data: hostile::deflated_spaces(3),
        size: 775,
        crc: hostile::crc32(&spaces),
    }]);
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).expect("a zip");
    let mut read = Vec::new();
    archive
        .by_index(0)
        .expect("an entry")
        .read_to_end(&mut read)
        .expect("it inflates, checksum and all");
    assert_eq!(read, spaces);

    // The bomb: about a MiB that really inflates to spaces, as far as anyone reads.
    let bomb = hostile::zip_bomb(1);
    assert!(bomb.len() < 2 * MB as usize, "{} bytes", bomb.len());
    let mut archive = zip::ZipArchive::new(Cursor::new(&bomb)).expect("a zip");
    let mut entry = archive.by_index(2).expect("the worksheet");
    assert!(entry.size() > 1 << 30, "declares over a GiB");
    let mut start = vec![0; 8 * MB as usize];
    entry.read_exact(&mut start).expect("8 MiB inflate");
    assert!(start.iter().all(|byte| *byte == b' '));
}

#[test]
fn a_zip_bomb_is_refused_without_being_unpacked() {
    let bomb = hostile::zip_bomb(1);
    // Under the documents' limits the ratio runs out first: 100 times a MiB.
    assert_eq!(
        check_upload(FileKind::Excel, &bomb, &documents()),
        Err(UploadProblem::CompressedTooFar { ratio: 100 })
    );
    // Under a tighter cap, the cap: and the message names it.
    let tight = UploadLimits {
        max_unpacked_bytes: 32 * MB,
        ..documents()
    };
    let problem = check_upload(FileKind::Excel, &bomb, &tight).expect_err("refused");
    assert_eq!(
        problem,
        UploadProblem::UnpacksTooLarge {
            limit: Size(32 * MB)
        }
    );
    assert!(problem.to_string().contains("more than 32 MB"), "{problem}");
}

#[test]
fn declared_sizes_are_not_trusted() {
    // A worksheet that declares 1 byte but inflates to a GiB is refused all the same.
    let lying = hostile::raw_zip(&[RawEntry {
        name: "xl/worksheets/sheet1.xml".to_owned(),
        method: 8,
        data: hostile::deflated_spaces((1 << 30) / 258),
        size: 1,
        crc: 0,
    }]);
    assert!(SafeZip::inspect(&lying, &documents()).is_err());
}

#[test]
fn a_zip_of_a_hundred_thousand_entries_is_refused_before_it_is_parsed() {
    let many = hostile::many_entries(100_000);
    assert!(many.len() < 20 * MB as usize);
    let problem = check_upload(FileKind::Word, &many, &documents()).expect_err("refused");
    assert_eq!(problem, UploadProblem::TooManyEntries { limit: 10_000 });
    assert!(problem.to_string().contains("more than 10,000 files"));
    // Just under the limit, the entries are fine (and the file is not a Word document).
    assert_eq!(
        check_upload(FileKind::Word, &hostile::many_entries(9_000), &documents()),
        Err(UploadProblem::NotWhatItSays {
            expected: FileKind::Word
        })
    );
}

#[test]
fn a_renamed_plain_zip_is_not_an_office_file() {
    let zip = hostile::plain_zip();
    for kind in [FileKind::Word, FileKind::Excel, FileKind::PowerPoint] {
        let problem = check_upload(kind, &zip, &documents()).expect_err("refused");
        assert_eq!(problem, UploadProblem::NotWhatItSays { expected: kind });
    }
    assert_eq!(
        recognise("Guidance.docx", &zip, &[FileKind::Word], &documents())
            .expect_err("refused")
            .to_string(),
        "The selected file is not a Word document (.docx), whatever its name says: save it \
         again as a Word document (.docx) and upload that"
    );
    // A zip that only mentions the folder, as the old check looked for, is no better.
    let folder = hostile::raw_zip(&[
        RawEntry::stored("[Content_Types].xml", b"<Types/>"),
        RawEntry::stored("word/document.xml", b"<w:document/>"),
    ]);
    assert!(check_upload(FileKind::Word, &folder, &documents()).is_err());
}

#[test]
fn real_office_files_are_recognised_and_told_apart() {
    let word = crate::docx::written_report(&report()).expect("docx");
    let slides = crate::pptx::slide_deck(&report()).expect("pptx");
    let sheet = crate::action_plan::write_action_plan(&crate::action_plan::ActionPlanSheet {
        area: "Derby".to_owned(),
        themes: vec![],
        rows: vec![],
    })
    .expect("xlsx");
    let all = FileKind::ALL;
    assert_eq!(
        recognise("Report.DOCX", &word, &all, &documents()),
        Ok(FileKind::Word)
    );
    assert_eq!(
        recognise("Deck.pptx", &slides, &all, &documents()),
        Ok(FileKind::PowerPoint)
    );
    assert_eq!(
        recognise("Plan.xlsx", &sheet, &all, &documents()),
        Ok(FileKind::Excel)
    );
    for (name, bytes) in [("Report.xlsx", &word), ("Deck.docx", &slides)] {
        assert!(matches!(
            recognise(name, bytes, &all, &documents()),
            Err(UploadProblem::NotWhatItSays { .. })
        ));
    }
    assert_eq!(
        recognise("Report.docx", &word, &[FileKind::Pdf], &documents()),
        Err(UploadProblem::UnknownType)
    );
    assert_eq!(
        recognise("Report", &word, &all, &documents()),
        Err(UploadProblem::UnknownType)
    );
}

/// An OpenDocument file as LibreOffice lays it out: `mimetype` first and stored.
fn open_document(mime: &str, content: bool) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).expect("entry");
    zip.write_all(mime.as_bytes()).expect("write");
    if content {
        zip.start_file("content.xml", SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(b"<office:document-content/>").expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn open_documents_are_checked_by_their_mimetype_and_content() {
    let ods = open_document(FileKind::OpenDocumentSpreadsheet.content_type(), true);
    assert_eq!(
        check_upload(FileKind::OpenDocumentSpreadsheet, &ods, &documents()),
        Ok(())
    );
    assert!(check_upload(FileKind::OpenDocumentText, &ods, &documents()).is_err());
    let hollow = open_document(FileKind::OpenDocumentText.content_type(), false);
    assert!(check_upload(FileKind::OpenDocumentText, &hollow, &documents()).is_err());
}

#[test]
fn a_pdf_needs_its_header_and_its_end() {
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    assert_eq!(check_upload(FileKind::Pdf, pdf, &documents()), Ok(()));
    assert!(check_upload(FileKind::Pdf, b"%PDF-1.7 and nothing else", &documents()).is_err());
    assert!(check_upload(FileKind::Pdf, b"MZ\x90\x00 %%EOF", &documents()).is_err());
    let mut trailing = pdf.to_vec();
    trailing.extend_from_slice(&[b' '; 2000]);
    assert!(
        check_upload(FileKind::Pdf, &trailing, &documents()).is_err(),
        "%%EOF must be in the last kilobyte"
    );
}

#[test]
fn text_must_be_utf8_without_nul() {
    for kind in [FileKind::Csv, FileKind::Text] {
        assert_eq!(
            check_upload(
                kind,
                "Area,EHCP %\r\nDerby,48.2\r\nCafé – £5\t\n".as_bytes(),
                &documents()
            ),
            Ok(())
        );
        assert!(check_upload(kind, b"Area\x00\x01", &documents()).is_err());
        assert!(
            check_upload(kind, b"caf\xe9", &documents()).is_err(),
            "Windows-1252 is not UTF-8"
        );
    }
}

#[test]
fn size_is_checked_first_and_empty_files_are_named() {
    let small = UploadLimits::documents(2048);
    assert_eq!(check_upload(FileKind::Text, &[b'a'; 2048], &small), Ok(()));
    assert_eq!(
        check_upload(FileKind::Text, &[b'a'; 2049], &small),
        Err(UploadProblem::TooLarge { limit: Size(2048) })
    );
    assert_eq!(
        check_upload(FileKind::Pdf, b"", &small),
        Err(UploadProblem::Empty)
    );
}

/// Entry names a hostile zip might use: the parts every check looks for, and any other.
fn entry_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[Content_Types].xml".to_owned()),
        Just("word/document.xml".to_owned()),
        Just("xl/workbook.xml".to_owned()),
        Just("xl/sharedStrings.xml".to_owned()),
        Just("xl/worksheets/sheet1.xml".to_owned()),
        Just("_rels/.rels".to_owned()),
        Just("mimetype".to_owned()),
        Just("content.xml".to_owned()),
        "[a-z/\\[\\]._]{1,20}",
    ]
}

/// Contents a hostile part might hold: plausible XML, or anything.
fn entry_content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(hostile::WORKBOOK_TYPES.as_bytes().to_vec()),
        Just(br#"<sst uniqueCount="99999999999999999999"/>"#.to_vec()),
        Just(br#"<worksheet><sheetData><row r="9"><c r="XFD9"><v>1</v></c></row></sheetData></worksheet>"#.to_vec()),
        proptest::collection::vec(any::<u8>(), 0..200),
    ]
}

fn zip_of(entries: &[(String, Vec<u8>, bool)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content, deflate) in entries {
        let method = if *deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default().compression_method(method);
        if zip.start_file(name.as_str(), options).is_ok() {
            zip.write_all(content).expect("write");
        }
    }
    zip.finish().expect("zip").into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Whatever the bytes, every check answers with a result, never a panic.
    #[test]
    fn arbitrary_bytes_are_judged_never_panicked_on(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        zip_like in any::<bool>(),
    ) {
        let mut bytes = bytes;
        if zip_like {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        for kind in FileKind::ALL {
            let _ = check_upload(kind, &bytes, &documents());
        }
        let _ = crate::action_plan::read_action_plan(&bytes);
    }

    /// Small zips of arbitrary entries: the office checks and the action plan reader answer.
    #[test]
    fn arbitrary_small_zips_are_judged_never_panicked_on(
        entries in proptest::collection::vec((entry_name(), entry_content(), any::<bool>()), 0..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let zip = zip_of(&entries);
        for kind in FileKind::ALL {
            let _ = check_upload(kind, &zip, &documents());
        }
        let _ = crate::action_plan::read_action_plan(&zip);
        // And the same zip cut short anywhere.
        let short = &zip[..cut.index(zip.len() + 1)];
        let _ = check_upload(FileKind::Excel, short, &documents());
        let _ = crate::action_plan::read_action_plan(short);
    }
}
