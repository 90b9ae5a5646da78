//! pcmd (phòng, chống mại dâm): the command line and the loading of reference
//! data. `main.rs` only calls `cli::main`.

pub mod cli;
pub mod embedded;
pub use pcmd_import as import;
pub mod load;
pub mod synthetic;
