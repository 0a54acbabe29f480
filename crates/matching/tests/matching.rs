//! The matching crate's one integration-test binary: the solvers from outside, through their
//! public API. Cargo's automatic test discovery is off for this crate, so a file not named here
//! is not compiled.

mod common;

mod forms;
mod pairing;
#[path = "pairing/preferences.rs"]
mod pairing_preferences;
#[path = "pairing/properties.rs"]
mod pairing_properties;
mod properties;
mod scenarios;

/// Automatic test discovery is off, so a test file this root does not name would silently never
/// be compiled or run.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let root = include_str!("matching.rs");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&folder).expect("the tests folder") {
        let path = entry.expect("a folder entry").path();
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|extension| extension == "rs") && stem != "matching" {
            assert!(
                root.contains(&format!("mod {stem};")),
                "tests/{stem}.rs is not a module of tests/matching.rs, so it never runs"
            );
        }
    }
}
