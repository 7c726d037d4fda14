//! `ftop import tenants FILE.csv`: all or nothing, with a progress bar.

use crate::db;
use anyhow::Context;
use clap::Subcommand;
use ftop_store::ImportRow;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// Import tenants and their seats from CSV with the header
    /// tenant_id,tenant_name,customer,service,entitlements,qualified_entitlements
    /// (one row per tenant and service; other columns are ignored; qualified defaults to
    /// entitlements; service by name or key). The file is imported whole or not at all, and
    /// importing it again changes nothing.
    Tenants {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Reads the rows (`ftop_store::tenant_csv`, shared with the portal's upload); a problem
/// names the file and the line.
pub(crate) fn read_rows(file: &Path) -> anyhow::Result<Vec<ImportRow>> {
    use ftop_domain::limits::{IMPORT_FILE, group};
    let f = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    if size > IMPORT_FILE.max {
        anyhow::bail!(
            "{}: the file has {} bytes; an import file may have at most {}",
            file.display(),
            group(size),
            group(IMPORT_FILE.max)
        );
    }
    ftop_store::tenant_csv::read_tenant_rows(f).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}: {}",
            file.display(),
            ftop_store::tenant_csv::line_of(&e),
            e.message(ftop_domain::text::Lang::ENGLISH)
        )
    })
}

pub(crate) fn run(database: &str, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Tenants { file } = cmd;
    let rows = read_rows(&file)?;
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        let bar = ProgressBar::new(rows.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} importing {pos}/{len} rows [{bar:30}] {per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        if rows.len() < 5_000 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let report = store.import_tenants(&db::cli_actor(), &rows, &|n| bar.set_position(n)).await;
        bar.finish_and_clear();
        match report {
            Ok(r) => {
                println!(
                    "{}: {} rows; tenants: {} created, {} updated; services: {} created, {} updated; {} unchanged",
                    file.display(), r.rows, r.tenants_created, r.tenants_updated, r.services_created, r.services_updated, r.unchanged
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(ftop_store::StoreError::Invalid(inv)) => {
                for f in &inv.0 {
                    eprintln!("{}: {f}", file.display());
                }
                eprintln!("nothing was imported: {} problems", inv.0.len());
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(e.into()),
        }
    })
}
