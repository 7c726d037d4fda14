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

const COLUMNS: [&str; 6] = [
    "tenant_id",
    "tenant_name",
    "customer",
    "service",
    "entitlements",
    "qualified_entitlements",
];

/// Reads the rows; errors name the line.
pub(crate) fn read_rows(file: &Path) -> anyhow::Result<Vec<ImportRow>> {
    use ftop_domain::limits::{IMPORT_FILE, IMPORT_LINE, IMPORT_ROWS, group};
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
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(ftop_store::csv_lines::LineEnds::new(f).max_line(IMPORT_LINE.max));
    let header = r
        .headers()
        .with_context(|| format!("{}: cannot read the header line", file.display()))?
        .clone();
    let named = |h: &str, name: &str| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name);
    let mut idx = Vec::new();
    for c in COLUMNS {
        let mut at = header
            .iter()
            .enumerate()
            .filter(|(_, h)| named(h, c))
            .map(|(i, _)| i);
        let first = at.next();
        if let (Some(a), Some(b)) = (first, at.next()) {
            anyhow::bail!(
                "{}:1: the header names the `{c}` column twice (columns {} and {}); keep one",
                file.display(),
                a + 1,
                b + 1
            );
        }
        match first {
            Some(i) => idx.push(Some(i)),
            None if c == "qualified_entitlements" => idx.push(None),
            None => anyhow::bail!(
                "{}:1: the header has no `{c}` column (expected {})",
                file.display(),
                COLUMNS.join(",")
            ),
        }
    }
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let more = r
            .read_record(&mut rec)
            .with_context(|| format!("{}: unreadable CSV", file.display()))?;
        if !more {
            break;
        }
        let line = rec.position().map_or(0, |p| r.get_mut().line_of(p));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() as u64 >= IMPORT_ROWS.max {
            anyhow::bail!(
                "{}:{line}: more than {} rows; split the file",
                file.display(),
                group(IMPORT_ROWS.max)
            );
        }
        let get = |i: usize| idx[i].and_then(|c| rec.get(c)).unwrap_or("").to_string();
        rows.push(ImportRow {
            line,
            tenant_id: get(0),
            tenant_name: get(1),
            customer: get(2),
            service: get(3),
            entitlements: get(4),
            qualified: get(5),
        });
    }
    Ok(rows)
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
