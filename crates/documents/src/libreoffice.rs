//! Test support: open generated files in LibreOffice, a real office suite, and convert them to
//! PDF. A file it cannot open fails the conversion, so this is the nearest a test gets to
//! "opens in Office without repair". A missing `soffice` fails the test with what to install:
//! skipping would let a broken file through unnoticed.

use std::io::ErrorKind;
use std::process::Command;

/// The PDF LibreOffice makes of `bytes`, saved as a file ending `.{extension}`.
pub(crate) fn convert_to_pdf(bytes: &[u8], extension: &str) -> Vec<u8> {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let input = folder.path().join(format!("document.{extension}"));
    std::fs::write(&input, bytes).expect("write the document");
    // A profile of its own, so tests running side by side do not wait on each other's lock.
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        folder.path().display()
    );
    let output = Command::new("soffice")
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(folder.path())
        .arg(&input)
        .output()
        .unwrap_or_else(|error| {
            if error.kind() == ErrorKind::NotFound {
                panic!(
                    "this test opens generated files in LibreOffice: install it with \
                     scripts/install-test-deps (Debian: apt-get install --no-install-recommends \
                     libreoffice-impress libreoffice-writer)"
                )
            }
            panic!("soffice could not be started: {error}")
        });
    assert!(
        output.status.success(),
        "soffice failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = std::fs::read(folder.path().join("document.pdf")).unwrap_or_else(|error| {
        panic!(
            "soffice made no PDF ({error}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    assert!(
        pdf.starts_with(b"%PDF"),
        "soffice wrote something other than a PDF"
    );
    pdf
}

/// How many pages a PDF from LibreOffice has: it writes each page's dictionary plainly as
/// `/Type/Page`, and the page tree's as `/Type/Pages`.
pub(crate) fn page_count(pdf: &[u8]) -> usize {
    let count = |needle: &[u8]| pdf.windows(needle.len()).filter(|w| *w == needle).count();
    count(b"/Type/Page") - count(b"/Type/Pages") + count(b"/Type /Page") - count(b"/Type /Pages")
}
