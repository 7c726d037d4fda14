//! `ftop`: the one binary. `main` parses the command line and dispatches to a module per
//! subcommand under `cmd/`.

mod bundled;
mod cmd;
mod load;

use clap::Parser;
use std::process::ExitCode;

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
