//! The `w7plan` command: parses arguments, runs one subcommand, maps the outcome to an exit code.
//! Everything it does is in the library; this file only owns the terminal and the exit code.

mod cli;

use std::process::ExitCode;

#[cfg(not(windows))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    cli::main()
}
