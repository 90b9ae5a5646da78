//! Periodic reports: what a unit report holds (`model`), and the files pcmd
//! writes itself, with no office suite — DOCX laid out as a Vietnamese
//! administrative document (Decree 30/2020/NĐ-CP, `docx`), XLSX with the same
//! tables (`xlsx`), and CSV, a file a table in one ZIP (`csv_file`). `words` holds the wording of an
//! administrative text (place and date, periods in words, recipients by date,
//! targets by clause and label); `draft` writes the narrative from the figures
//! when the officer has not.

pub mod agency;
pub mod csv_file;
pub mod docx;
mod draft;
pub mod gather;
pub mod model;
mod prose;
pub mod read;
pub mod words;
pub mod xlsx;

pub use model::{build, Request, UnitReport};
pub use words::Signer;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] pcmd_store::StoreError),
    #[error("không ghi được tệp XLSX: {0} (cannot write the XLSX file)")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("không ghi được tệp: {0} (cannot write the file)")]
    Io(#[from] std::io::Error),
    #[error("không ghi được tệp DOCX: {0} (cannot write the DOCX file)")]
    Zip(#[from] zip::result::ZipError),
    #[error("không ghi được tệp CSV: {0} (cannot write the CSV file)")]
    Csv(#[from] csv::Error),
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Xlsx,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            // One CSV file a table, in a ZIP archive.
            Format::Csv => "application/zip",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv.zip",
        }
    }
}

/// The report as the bytes of a file.
pub fn write(report: &UnitReport, format: Format) -> Result<Vec<u8>, ReportError> {
    match format {
        Format::Docx => docx::write(report),
        Format::Xlsx => xlsx::write(report),
        Format::Csv => csv_file::write(report),
    }
}
