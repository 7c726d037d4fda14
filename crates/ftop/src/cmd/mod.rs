//! The subcommands, one module each.

pub(crate) mod backup;
pub(crate) mod import;
pub(crate) mod playbook;
pub(crate) mod serve;
mod sso_args;
pub(crate) mod task;
pub(crate) mod tenant;
pub(crate) mod usage;
pub(crate) mod usage_parquet;
pub(crate) mod user;

use crate::db::DEFAULT_URL;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// ftop runs customer-onboarding programs: playbooks as code, the portal, adoption analytics.
#[derive(Debug, Parser)]
#[command(name = "ftop", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    /// Database URL: sqlite://PATH (the default, a file created on first use) or
    /// postgres://USER@HOST/DB for deployments that run several instances.
    #[arg(long, global = true, env = "FTOP_DATABASE_URL", default_value = DEFAULT_URL, value_name = "URL")]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (web pages and the JSON API under /api/v1).
    Serve(Box<serve::ServeArgs>),
    /// Compile, check, export and compare playbooks; load a new version into the database.
    #[command(subcommand)]
    Playbook(playbook::PlaybookCommand),
    /// Add, list and show tenants.
    #[command(subcommand)]
    Tenant(tenant::TenantCommand),
    /// Import data from files.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// A tenant's playbook tasks: list, set a status, apply a stream of changes.
    #[command(subcommand)]
    Task(task::TaskCommand),
    /// Usage figures and adoption rollups: import, recompute.
    #[command(subcommand)]
    Usage(usage::UsageCommand),
    /// Local user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// API bearer tokens.
    #[command(subcommand)]
    Token(user::TokenCommand),
    /// Copy the running SQLite database to FILE: consistent, verified, online.
    #[command(long_about = backup::BACKUP_HELP)]
    Backup(backup::BackupArgs),
    /// Check a backup and restore it as the SQLite database (stop the server first).
    #[command(long_about = backup::RESTORE_HELP)]
    Restore(backup::RestoreArgs),
}

/// Runs the parsed command line and returns the process exit code.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let db = cli.database.as_str();
    match cli.command {
        Command::Serve(a) => serve::run(db, *a),
        Command::Playbook(cmd) => playbook::run(db, cmd),
        Command::Tenant(cmd) => tenant::run(db, cmd),
        Command::Import(cmd) => import::run(db, cmd),
        Command::Task(cmd) => task::run(db, cmd),
        Command::Usage(cmd) => usage::run(db, cmd),
        Command::User(cmd) => user::run_user(db, cmd),
        Command::Token(cmd) => user::run_token(db, cmd),
        Command::Backup(a) => backup::run_backup(db, a),
        Command::Restore(a) => backup::run_restore(db, a),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
