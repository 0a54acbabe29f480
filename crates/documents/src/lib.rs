//! File formats Peer Challenge produces and reads: data in, bytes out. No IO beyond the bytes,
//! so every writer is tested by reading its output back with an independent reader.
//!
//! - [`csv`], [`xlsx`], [`ics`]: exports and calendar invitations.
//! - [`report`]: the plain content of a challenge's report, shared by [`pptx::slide_deck`] and
//!   [`docx::written_report`].
//! - [`board`] and [`pptx::board_pack`]: the regional board's progress pack.
//! - [`action_plan`]: an area's action plan as a workbook to download, fill in and upload.
//! - [`chart`]: progress over time as an accessible SVG.
//! - [`upload`]: every uploaded file read within bounds and checked to be what its name says.
//! - [`programme_overview`]: a thematic event's or biennial cycle's overview for the board.
//! - [`published_data`]: a statistics-service CSV file read within bounds into header and rows.

pub mod action_plan;
pub mod board;
pub mod chart;
pub mod csv;
pub mod data_pack;
pub mod docx;
pub mod ics;
pub mod pairing_ring;
pub mod pptx;
pub mod programme_overview;
pub mod published_data;
pub mod report;
pub mod trend_chart;
pub mod upload;
pub mod xlsx;

mod opc;
mod xml;

#[cfg(test)]
mod libreoffice;
#[cfg(test)]
mod read_back;

use chrono::NaiveDate;

/// Why a document could not be written. None of these follow from the content alone except
/// a date Excel cannot show; the rest mean a bug or a failing writer, worth logging.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("could not write the file's zip package")]
    Package(#[from] zip::result::ZipError),
    #[error("could not write the file")]
    Io(#[from] std::io::Error),
    #[error("could not write the Word document")]
    Word(#[from] docx_rs::DocxError),
    #[error("could not write the workbook")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("{date} is outside the dates Excel can show (1900 to 9999)")]
    DateOutOfRange { date: NaiveDate },
}
