//! `peer-challenge biennial list` against the demo: both cycles, the latest first, each with
//! its state.

use crate::peer_challenge;

#[test]
fn the_demo_cycles_are_listed_latest_first() {
    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    let seeded = peer_challenge(&["demo", "--seed-only", "--data-dir", dir], "");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let listed = peer_challenge(&["biennial", "list", "--data-dir", dir], "");
    assert!(listed.status.success());
    let text = String::from_utf8_lossy(&listed.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("RETURNS"),
        "{text}"
    );
    assert!(
        lines[1].contains(" 2026 ") && lines[1].contains("pairing_published"),
        "{text}"
    );
    assert!(
        lines[2].contains(" 2024 ") && lines[2].contains("closed"),
        "{text}"
    );
}
