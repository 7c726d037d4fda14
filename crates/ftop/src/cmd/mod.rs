//! The subcommands, one module each.

pub(crate) mod playbook;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// ftop runs customer-onboarding programs: playbooks as code, the portal, adoption analytics.
#[derive(Debug, Parser)]
#[command(name = "ftop", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile, check, export and compare playbooks (Markdown pages in any language).
    #[command(subcommand)]
    Playbook(playbook::PlaybookCommand),
}

/// Runs the parsed command line and returns the process exit code.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Playbook(cmd) => playbook::run(cmd),
    }
}
