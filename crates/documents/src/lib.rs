//! File formats Peer Challenge produces: data in, bytes out. No IO beyond the bytes, so every
//! writer is tested by reading its output back with an independent reader.

pub mod csv;
pub mod ics;
pub mod xlsx;

#[cfg(test)]
mod read_back;
