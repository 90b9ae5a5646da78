//! The domain of pcmd (phòng, chống mại dâm: prevention of prostitution):
//! administrative units across the 2025 reform, agencies, plans with their
//! targets, tasks and budgets, and money. Pure: no I/O, no database.

pub mod agency;
#[macro_use]
pub mod vocabulary;
pub mod date;
pub mod money;
pub mod msg;
pub use msg::Msg;
pub mod period;
pub mod plan;
pub mod policy;
pub mod records;
pub mod report;
pub mod roles;
pub mod source;
pub mod text;
pub mod units;

pub use source::{FileError, FileErrors, SourceFile};
