//! `ftop`: the one binary. `main` parses the command line and dispatches to a module per
//! subcommand under `cmd/`.

mod bundled;
mod cmd;
mod db;
mod demo;
mod line_ends;
mod load;

use clap::Parser;
use std::process::ExitCode;

// mimalloc: the compiler and the server allocate many small strings; measured faster than
// the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
