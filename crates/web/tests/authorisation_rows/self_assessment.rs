//! Published data and inspections (issue 15). Anyone with a role reads the releases held; only
//! the co-ordinator imports a file or records an inspection (an empty post is invalid for
//! them, refused for everyone else before anything is read).

use super::*;

const ANY_ROLE: [u16; 6] = [REDIRECT, OK, OK, OK, OK, OK];

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  "/indicators",                     "/indicators",                       ANY_ROLE),
        row(Method::POST, "/indicators/import",              "/indicators/import",                COORDINATOR_POSTS),
        row(Method::GET,  "/indicators/inspections/{slug}",  "/indicators/inspections/derby",     COORDINATOR_ONLY),
        row(Method::POST, "/indicators/inspections/{slug}",  "/indicators/inspections/derby",     COORDINATOR_POSTS),
    ]
}
