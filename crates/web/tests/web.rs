//! The web crate's one integration-test binary: every module below is a group of router
//! tests over a real database, so the crate's tests are compiled and linked once. A new group is
//! a module here (Cargo's automatic test discovery is off for this crate, so a file not named
//! here is not compiled).

// `app_test!` is exported from `support`; declared first, its name reaches every module after it.
#[macro_use]
mod support;

mod accounts;
mod apply;
mod authorisation;
#[path = "biennial/pairing.rs"]
mod biennial;
#[path = "biennial/actions.rs"]
mod biennial_actions;
#[path = "biennial/kloe_edit.rs"]
mod biennial_kloe_edit;
#[path = "biennial/kloes.rs"]
mod biennial_kloes;
#[path = "biennial/opt_out.rs"]
mod biennial_opt_out;
#[path = "biennial/preferences.rs"]
mod biennial_preferences;
mod challenges;
mod crowds;
mod events;
mod outcomes;
#[path = "overviews/area_pages.rs"]
mod overview_area_pages;
#[path = "overviews/board.rs"]
mod overview_board;
#[path = "overviews/downloads.rs"]
mod overviews;
mod page_snapshots;
mod pool_directory;
mod reminders;
#[path = "self_assessment/cycles.rs"]
mod self_assessment_cycles;
#[path = "self_assessment/indicators.rs"]
mod self_assessment_indicators;
#[path = "self_assessment/inspections.rs"]
mod self_assessment_inspections;
#[path = "self_assessment/writing.rs"]
mod self_assessment_writing;
mod training;
#[path = "triads/scrutiny.rs"]
mod triads_scrutiny;
mod visit;

/// Automatic test discovery is off, so a test file this root does not name would silently never
/// be compiled or run.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let root = include_str!("web.rs");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&folder).expect("the tests folder") {
        let path = entry.expect("a folder entry").path();
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|extension| extension == "rs") && stem != "web" {
            assert!(
                root.contains(&format!("mod {stem};")),
                "tests/{stem}.rs is not a module of tests/web.rs, so it never runs"
            );
        }
    }
}
#[path = "triangulation/sections.rs"]
mod triangulation_sections;
