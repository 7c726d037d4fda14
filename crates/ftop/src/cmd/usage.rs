//! `ftop usage import FILE.csv` (streaming, all or nothing unless `--skip-invalid`, with a
//! progress bar) and `ftop usage recompute` (rebuild every adoption rollup).

use crate::cmd::tenant::Format;
use crate::db;
use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub(crate) enum UsageCommand {
    /// Import usage figures from CSV (or Parquet: FILE.parquet, the same four columns by
    /// name; errors give row numbers) with the header tenant_id,service,date,active_users:
    /// the distinct users of the service active in the 28 days up to the date (YYYY-MM-DD);
    /// service by name or key; other columns are ignored. A figure replaces the one of the
    /// same tenant, service and date, so importing a file again changes nothing and rows
    /// may come late or in any order. The file is imported whole or not at all.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Import the valid rows and write the refused ones, with their reasons, to the
        /// rejects file.
        #[arg(long)]
        skip_invalid: bool,
        /// Where `--skip-invalid` writes refused rows (CSV: line, the four fields, reason).
        /// Default: FILE with `.rejects.csv` appended.
        #[arg(long, value_name = "PATH", requires = "skip_invalid")]
        rejects: Option<PathBuf>,
    },
    /// Rebuild every adoption rollup from the usage figures, seats and forecasts.
    Recompute,
    /// Show a tenant's adoption: per service the latest figure, AU%, bucket, milestones.
    Show {
        /// Tenant ID (GUID).
        tenant_id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub(crate) fn run(database: &str, cmd: UsageCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UsageCommand::Import {
            file,
            skip_invalid,
            rejects,
        } => {
            let rejects = skip_invalid.then(|| {
                rejects.unwrap_or_else(|| {
                    let mut p = file.clone().into_os_string();
                    p.push(".rejects.csv");
                    PathBuf::from(p)
                })
            });
            import(database, &file, rejects.as_deref())
        }
        UsageCommand::Recompute => db::runtime()?.block_on(async {
            let store = db::open(database).await?;
            let started = Instant::now();
            let n = store
                .recompute_adoption_rollups()
                .await
                .map_err(db::explain)?;
            println!(
                "recomputed {n} adoption rollups in {:.2} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }),
        UsageCommand::Show { tenant_id, format } => db::runtime()?.block_on(async {
            let store = db::open(database).await?;
            let services = store.adoption(&tenant_id).await.map_err(db::explain)?;
            if format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&services)?);
                return Ok(ExitCode::SUCCESS);
            }
            let opt = |d: Option<time::Date>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
            for s in &services {
                println!(
                    "{:<28} as of {:<10}  {:>7} / {:<7} AU {:>7}  {:<8}  10%: {:<10}  40%: {}",
                    s.service,
                    opt(s.as_of),
                    s.active_users.map_or_else(|| "-".into(), |a| a.to_string()),
                    s.qualified_entitlements,
                    s.au_percent
                        .map_or_else(|| "-".into(), |p| format!("{p:.2}%")),
                    s.bucket.map_or("-", |b| b.label()),
                    opt(s.milestone_10),
                    opt(s.milestone_40),
                );
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}

type Rejects = csv::Writer<std::fs::File>;

/// The rejects file of `--skip-invalid`, with its header.
fn rejects_writer(rejects: Option<&Path>) -> anyhow::Result<Option<Rejects>> {
    let Some(p) = rejects else { return Ok(None) };
    let mut w =
        csv::Writer::from_path(p).with_context(|| format!("cannot write {}", p.display()))?;
    w.write_record([
        "line",
        "tenant_id",
        "service",
        "date",
        "active_users",
        "reason",
    ])?;
    Ok(Some(w))
}

fn reject(out: Option<&mut Rejects>, x: Option<ftop_store::UsageRejected>) -> anyhow::Result<()> {
    if let (Some(x), Some(w)) = (x, out) {
        let [a, b, c, d] = &x.fields;
        w.write_record([&x.line.to_string(), a, b, c, d, &x.reason])?;
    }
    Ok(())
}

fn is_parquet(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"))
}

/// A Parquet file: the same import, rows numbered from 1 where a CSV has line numbers.
fn import_parquet(database: &str, file: &Path, rejects: Option<&Path>) -> anyhow::Result<ExitCode> {
    let rows = super::usage_parquet::open(file)?;
    let mut out = rejects_writer(rejects)?;
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        let bar = ProgressBar::new(rows.total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} importing {pos}/{len} rows [{bar:30}] {per_sec} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        if rows.total < 100_000 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let started = Instant::now();
        let mut imp = store
            .usage_import(&db::cli_actor(), rejects.is_some())
            .await
            .map_err(db::explain)?;
        for (i, row) in rows.enumerate() {
            let f = row.with_context(|| format!("{}: row {}", file.display(), i + 1))?;
            let x = imp
                .push(
                    i as u64 + 1,
                    [
                        f[0].as_bytes(),
                        f[1].as_bytes(),
                        f[2].as_bytes(),
                        f[3].as_bytes(),
                    ],
                )
                .await
                .map_err(db::explain)?;
            reject(out.as_mut(), x)?;
            if i % 16_384 == 0 {
                bar.set_position(i as u64);
            }
        }
        let report = imp.finish().await;
        bar.finish_and_clear();
        if let Some(w) = out.as_mut() {
            w.flush()?;
        }
        summary(file, rejects, started, report)
    })
}

fn import(database: &str, file: &Path, rejects: Option<&Path>) -> anyhow::Result<ExitCode> {
    if is_parquet(file) {
        return import_parquet(database, file, rejects);
    }
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    let mut r = crate::line_ends::csv_reader(
        csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 20),
        file,
    )?;
    let header = r
        .byte_headers()
        .with_context(|| format!("{}: cannot read the header line", file.display()))?
        .clone();
    let idx = ftop_domain::adoption::usage_columns(header.iter())
        .map_err(|e| anyhow::anyhow!("{}:1: {e}", file.display()))?;
    let mut out = rejects_writer(rejects)?;
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} importing {binary_bytes}/{binary_total_bytes} [{bar:30}] {binary_bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        if size < 4 << 20 {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let started = Instant::now();
        let mut imp = store
            .usage_import(&db::cli_actor(), rejects.is_some())
            .await
            .map_err(db::explain)?;
        let mut rec = csv::ByteRecord::new();
        let mut n = 0u64;
        loop {
            let more = r
                .read_byte_record(&mut rec)
                .with_context(|| format!("{}: unreadable CSV", file.display()))?;
            if !more {
                break;
            }
            if rec.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            let line = crate::line_ends::record_line(&mut r, &rec);
            let get = |i: usize| rec.get(idx[i]).unwrap_or(b"");
            let rejected = imp
                .push(line, [get(0), get(1), get(2), get(3)])
                .await
                .map_err(db::explain)?;
            reject(out.as_mut(), rejected)?;
            n += 1;
            if n.is_multiple_of(16_384) {
                bar.set_position(rec.position().map_or(0, |p| p.byte()));
            }
        }
        bar.set_position(size);
        let report = imp.finish().await;
        bar.finish_and_clear();
        if let Some(w) = out.as_mut() {
            w.flush()?;
        }
        summary(file, rejects, started, report)
    })
}

/// What an import did, on stdout; a refused file's errors on stderr (exit 1).
fn summary(
    file: &Path,
    rejects: Option<&Path>,
    started: Instant,
    report: Result<ftop_store::UsageReport, ftop_store::StoreError>,
) -> anyhow::Result<ExitCode> {
    match report {
        Ok(r) => {
            println!(
                "{}: {} rows; {} imported ({} new or changed), {} rejected; {} tenants; {:.2} s",
                file.display(),
                r.rows,
                r.imported,
                r.changed,
                r.rejected,
                r.tenants,
                started.elapsed().as_secs_f64()
            );
            if let (Some(p), true) = (rejects, r.rejected > 0) {
                println!("refused rows and their reasons: {}", p.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ftop_store::StoreError::Invalid(inv)) => {
            for f in &inv.0 {
                eprintln!("{}: {f}", file.display());
            }
            eprintln!("nothing was imported");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}
