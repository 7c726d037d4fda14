//! `ftop backup FILE` and `ftop restore FILE`: an online, verified copy of the SQLite
//! database, and its checked restore. The work is in `ftop_store::backup`; here are the
//! command line, the progress bar and the messages.

use crate::db;
use clap::Args;
use ftop_store::backup::{self, BackupError};
use ftop_store::{Backend, BackupProgress};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Databases smaller than this many pages (64 MiB at 4 KiB) are copied without a bar.
const BAR_FROM_PAGES: u64 = 16_384;

#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// Where to write the backup: a new file (an existing one only with --force).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The backup to restore: a file written by `ftop backup`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Replace the existing database; it is kept as <db>.before-restore-<UTC time>.
    #[arg(long)]
    force: bool,
}

pub(crate) const BACKUP_HELP: &str = "\
Copies the SQLite database named by --database to FILE while ftop keeps serving.

The copy is one consistent snapshot: the database as it was when the command started. \
Changes made while it runs are not in it, and they are not held up by it. Pages are copied \
in steps into a temporary file beside FILE (with a progress bar for large databases); the \
copy is then checked (SQLite's integrity check, foreign keys, the recorded migrations), \
flushed to disk and only then renamed to FILE. FILE is one self-contained SQLite file: \
keep it on another disk or machine. An existing FILE is refused unless --force.

PostgreSQL databases are backed up with pg_dump or pg_basebackup: see docs/operations.md.

Exit status: 0 the backup is written and verified; 1 refused or failed (nothing is left \
at FILE); 2 usage error, or a PostgreSQL database.";

pub(crate) const RESTORE_HELP: &str = "\
Restores a backup written by `ftop backup` as the SQLite database named by --database.

The backup is checked first, on a copy beside the database (the backup file itself is \
never changed): it must be an SQLite file, pass SQLite's integrity check and foreign-key \
check, and record only migrations this ftop knows, with the checksums of their texts. \
Stop `ftop serve` first: a database another process holds open is refused. An existing \
database is refused unless --force; with --force it is kept as \
<db>.before-restore-<UTC time>. The checked copy is then renamed into place in one step, \
the migrations run, and the integrity check is repeated.

PostgreSQL databases are restored with pg_restore or point-in-time recovery: see \
docs/operations.md.

Exit status: 0 restored and checked; 1 refused or failed (a refused restore changes \
nothing); 2 usage error, or a PostgreSQL database.";

/// The SQLite file of `database`, or the exit status and message for anything else.
fn sqlite_file(database: &str, what: &str) -> Result<PathBuf, ExitCode> {
    if Backend::of(database).ok() == Some(Backend::Postgres) {
        eprintln!(
            "error: `ftop {what}` works on SQLite databases; this one is on PostgreSQL. Use \
             {} (see docs/operations.md, \"PostgreSQL backups\").",
            if what == "backup" {
                "pg_dump, or pg_basebackup with WAL archiving"
            } else {
                "pg_restore, or point-in-time recovery"
            }
        );
        return Err(ExitCode::from(2));
    }
    backup::sqlite_path(database).ok_or_else(|| {
        eprintln!("error: `{database}` is not an SQLite database file: use sqlite://PATH");
        ExitCode::from(2)
    })
}

fn refused(e: &BackupError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(1)
}

pub(crate) fn run_backup(database: &str, a: BackupArgs) -> anyhow::Result<ExitCode> {
    let src = match sqlite_file(database, "backup") {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let mut bar: Option<ProgressBar> = None;
    let mut progress = |p: BackupProgress| {
        if bar.is_none() && p.total >= BAR_FROM_PAGES {
            let b = ProgressBar::new(p.total);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} copying {pos}/{len} pages [{bar:30}] {per_sec} {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_length(p.total);
            b.set_position(p.copied);
        }
    };
    let r = backup::backup_sqlite(&src, &a.file, a.force, &mut progress);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    match r {
        Ok(r) => {
            println!(
                "backed up {} to {} ({}, schema version {}); integrity check: ok",
                src.display(),
                r.file.display(),
                size(r.bytes),
                r.schema_version
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(refused(&e)),
    }
}

pub(crate) fn run_restore(database: &str, a: RestoreArgs) -> anyhow::Result<ExitCode> {
    let target = match sqlite_file(database, "restore") {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let r = match backup::restore_sqlite(&a.file, &target, a.force) {
        Ok(r) => r,
        Err(e) => return Ok(refused(&e)),
    };
    println!(
        "restored {} as {} (schema version {})",
        a.file.display(),
        r.database.display(),
        r.schema_version
    );
    if let Some(kept) = &r.kept {
        println!("the previous database is kept as {}", kept.display());
    }
    // Open it like every command does: the migrations run, then check it once more.
    let verdict = db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        anyhow::Ok(store.integrity_check().await?)
    });
    match verdict {
        Ok(v) => {
            println!("migrations applied; integrity check: {v}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!(
                "error: the restored database does not open cleanly: {e:#}{}",
                kept_hint(r.kept.as_deref())
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn kept_hint(kept: Option<&Path>) -> String {
    kept.map(|k| format!("; the previous database is at {}", k.display()))
        .unwrap_or_default()
}

/// A byte count for people.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}
