//! The `pcmd` command: see `pcmd --help` and README.md.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    pcmd::cli::main()
}
