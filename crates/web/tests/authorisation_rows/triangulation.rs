//! The data packs of this year's cycle (the self-assessment rows' fixtures: Derby's and
//! Nottingham's self-assessments submitted, Rutland's not begun; the co-ordinator's row
//! publishes the triads, which put Leicester in Derby's and Nottingham and Rutland outside
//! it). The area's own lead, the scheme's staff and the board download an area's pack,
//! submitted or not; no reviewer does, nor another area's lead outside its triad (a triad's
//! leads are proven allowed in `triangulation/sections.rs`).

use super::*;

const OWN_AND_MONITORS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const MONITORS: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK];
const PPTX: &str = "/self-assessment/{year}/areas/{area}/data-pack.pptx";
const DOCX: &str = "/self-assessment/{year}/areas/{area}/data-pack.docx";

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET, PPTX, "/self-assessment/{year}/areas/derby/data-pack.pptx",      OWN_AND_MONITORS),
        row(Method::GET, PPTX, "/self-assessment/{year}/areas/nottingham/data-pack.pptx", MONITORS),
        row(Method::GET, PPTX, "/self-assessment/{year}/areas/rutland/data-pack.pptx",    MONITORS),
        row(Method::GET, DOCX, "/self-assessment/{year}/areas/derby/data-pack.docx",      OWN_AND_MONITORS),
        row(Method::GET, DOCX, "/self-assessment/{year}/areas/nottingham/data-pack.docx", MONITORS),
    ]
}
