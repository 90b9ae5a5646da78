//! The `pcmd` command: see `pcmd --help` and README.md.

use std::process::ExitCode;

fn main() -> ExitCode {
    pcmd::cli::main()
}
