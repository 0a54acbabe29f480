//! `peer-challenge report --event` and `--biennial` against the demo: the published event's
//! and the closed 2024 cycle's overviews written as files that python-docx and python-pptx
//! read, naming the areas.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::peer_challenge;

/// The first column of the first listed line whose text contains `marker`.
fn id_of(listing: &str, marker: &str) -> String {
    listing
        .lines()
        .skip(1)
        .find(|line| line.contains(marker))
        .and_then(|line| line.split_whitespace().next())
        .unwrap_or_else(|| panic!("a line with {marker}: {listing}"))
        .to_owned()
}

/// All the text python finds in the file, one string.
fn text_of(package: &str, bytes: &[u8]) -> String {
    let script = match package {
        "docx" => {
            "import io, sys, docx\nd = docx.Document(io.BytesIO(sys.stdin.buffer.read()))\n\
             print('\\n'.join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells]))"
        }
        _ => {
            "import io, sys, pptx\nd = pptx.Presentation(io.BytesIO(sys.stdin.buffer.read()))\n\
             out = []\nfor s in d.slides:\n    for sh in s.shapes:\n        \
             if sh.has_text_frame: out += [p.text for p in sh.text_frame.paragraphs]\n        \
             if sh.has_table: out += [c.text for r in sh.table.rows for c in r.cells]\nprint('\\n'.join(out))"
        }
    };
    let mut python = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 on PATH");
    python
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("written");
    let output = python.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_report_command_writes_the_overviews() {
    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    let seeded = peer_challenge(&["demo", "--seed-only", "--data-dir", dir], "");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let events = peer_challenge(&["events", "list", "--data-dir", dir], "");
    let event = id_of(
        &String::from_utf8_lossy(&events.stdout),
        "overview_published",
    );
    let cycles = peer_challenge(&["biennial", "list", "--data-dir", dir], "");
    let cycle = id_of(&String::from_utf8_lossy(&cycles.stdout), " 2024 ");

    for (flag, id, format) in [("--event", &event, "docx"), ("--biennial", &cycle, "pptx")] {
        let output = data.path().join(format!("overview.{format}"));
        let made = peer_challenge(
            &[
                "report",
                "--data-dir",
                dir,
                flag,
                id,
                "--format",
                format,
                "--output",
                output.to_str().expect("utf-8 path"),
            ],
            "",
        );
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        let text = text_of(format, &std::fs::read(&output).expect("written"));
        for area in ["Derby", "Leicester", "Nottingham"] {
            assert!(text.contains(area), "{flag}: {area} in\n{text}");
        }
    }

    let wrong = peer_challenge(
        &[
            "report",
            "--data-dir",
            dir,
            "--event",
            &cycle,
            "--format",
            "docx",
            "--output",
            data.path().join("x.docx").to_str().expect("utf-8 path"),
        ],
        "",
    );
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("no event has ID"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}
