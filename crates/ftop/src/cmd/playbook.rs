//! `ftop playbook check|export|translations|load`.

use crate::{bundled, load};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use ftop_playbook::{Compilation, Options, compile, translations};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub(crate) enum PlaybookCommand {
    /// Compile pages and print diagnostics (stderr) and a one-line summary.
    /// Exits 0 without errors, 1 with errors, 2 on a usage error.
    Check(Input),
    /// Compile pages and print the model (tasks, phases, processes, diagnostics).
    Export {
        #[command(flatten)]
        input: Input,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
    },
    /// Compare every language with the source language: missing and extra tasks,
    /// flag and role differences, pages older than their source.
    Translations {
        #[command(flatten)]
        input: Input,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Load a playbook version into the database (without PATH, the bundled one). Every
    /// tenant's tasks migrate by task ID: new tasks start Not Started, tasks that no longer
    /// apply are archived with their status, and the changes are listed per tenant.
    Load {
        #[command(flatten)]
        input: Input,
        /// Output format of the change report.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
}

/// Where the pages are.
#[derive(Debug, Args)]
pub(crate) struct Input {
    /// Folders or Markdown files. A folder is read recursively; its name, sub-folders and
    /// file-name suffixes (`-es`, `-sc`) tell the language. Without PATH, the bundled playbook.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The source language the others are compared with (default: English if present).
    #[arg(long, value_name = "LOCALE")]
    source_locale: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    /// One JSON document.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ReportFormat {
    /// Readable text.
    Text,
    /// One JSON document.
    Json,
}

struct Compiled {
    loaded: load::Loaded,
    out: Compilation,
}

fn compile_input(input: &Input) -> anyhow::Result<Compiled> {
    let loaded = if input.paths.is_empty() {
        bundled::sources()
    } else {
        load::load(&input.paths)?
    };
    let mut opts = Options {
        source_locale: input.source_locale.clone(),
        assets: (!input.paths.is_empty()).then(|| loaded.assets.clone()),
        ..Options::default()
    };
    if !input.paths.is_empty() {
        // The loader enforced the page limit on the bytes of each file. Replacing an invalid
        // byte with U+FFFD makes it three bytes of text, so the text of an admitted page is
        // at most three times the limit; the compiler must not count that growth again.
        opts.limits.max_file_bytes = load::max_page_bytes().saturating_mul(3);
    }
    let out = compile(&loaded.borrowed(), &opts);
    Ok(Compiled { loaded, out })
}

fn print_diagnostics(c: &Compiled) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for p in &c.loaded.problems {
        let _ = writeln!(err, "{p}");
    }
    for d in &c.out.diagnostics {
        let _ = write!(err, "{}", d.render(c.loaded.display(d.source)));
    }
}

pub(crate) fn run(database: &str, cmd: PlaybookCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PlaybookCommand::Load { input, format } => load_into(database, &input, format),
        PlaybookCommand::Check(input) => {
            let c = compile_input(&input)?;
            print_diagnostics(&c);
            let pb = &c.out.playbook;
            let errors = c.out.errors() + c.loaded.problems.len();
            println!(
                "{} pages, {} processes, {} steps, {} tasks: {} errors, {} warnings",
                pb.pages.len(),
                pb.processes.len(),
                pb.processes.iter().map(|p| p.steps.len()).sum::<usize>(),
                pb.tasks.len(),
                errors,
                c.out.warnings()
            );
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        PlaybookCommand::Export {
            input,
            format: ExportFormat::Json,
        } => {
            let c = compile_input(&input)?;
            let pb = &c.out.playbook;
            let doc = serde_json::json!({
                "source_locale": pb.source_locale,
                "locales": pb.locales,
                "tasks": pb.tasks,
                "phases": pb.phases,
                "processes": pb.processes,
                "rules": pb.rules,
                "pages": pb.pages,
                "diagnostics": c.out.diagnostics,
            });
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            serde_json::to_writer_pretty(&mut w, &doc).context("writing JSON")?;
            writeln!(w)?;
            Ok(if c.out.errors() + c.loaded.problems.len() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        PlaybookCommand::Translations { input, format } => {
            let c = compile_input(&input)?;
            let report = translations(&c.out.playbook);
            match format {
                ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                ReportFormat::Text => print!("{}", render_report(&report)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn render_report(r: &ftop_playbook::TranslationReport) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "source language {}: {} pages, {} tasks",
        r.source_locale, r.source_pages, r.source_tasks
    );
    if r.locales.is_empty() {
        let _ = writeln!(s, "no other language found");
    }
    for l in &r.locales {
        let _ = writeln!(s, "\n{}: {} pages, {} tasks", l.locale, l.pages, l.tasks);
        let ids = |v: &[ftop_playbook::TaskRef]| {
            v.iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            s,
            "  missing tasks ({}): {}",
            l.missing_tasks.len(),
            ids(&l.missing_tasks)
        );
        for t in &l.missing_tasks {
            let _ = writeln!(s, "    {} {} ({}:{})", t.id, t.name, t.file, t.line);
        }
        let _ = writeln!(
            s,
            "  extra tasks ({}): {}",
            l.extra_tasks.len(),
            ids(&l.extra_tasks)
        );
        for (what, v) in [
            ("flag differences", &l.flag_differences),
            ("role differences", &l.role_differences),
        ] {
            let _ = writeln!(s, "  {what} ({})", v.len());
            for d in v {
                let _ = writeln!(
                    s,
                    "    {}: `{}` here ({}:{}), `{}` in the source ({}:{})",
                    d.id, d.translation, d.file, d.line, d.source, d.source_file, d.source_line
                );
            }
        }
        let _ = writeln!(s, "  stale pages ({})", l.stale_pages.len());
        for p in &l.stale_pages {
            let _ = writeln!(
                s,
                "    {} changed {}, source {} changed {}",
                p.file, p.last_changed, p.source_file, p.source_last_changed
            );
        }
        let _ = writeln!(
            s,
            "  missing pages ({}){}",
            l.missing_pages.len(),
            list(&l.missing_pages)
        );
        let _ = writeln!(
            s,
            "  extra pages ({}){}",
            l.extra_pages.len(),
            list(&l.extra_pages)
        );
    }
    s
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!(": {}", v.join(", "))
    }
}

/// `ftop playbook load`: compiles, refuses on errors, stores a new version if it differs.
fn load_into(database: &str, input: &Input, format: ReportFormat) -> anyhow::Result<ExitCode> {
    let c = compile_input(input)?;
    if c.out.errors() + c.loaded.problems.len() > 0 {
        print_diagnostics(&c);
        eprintln!("the playbook has errors; nothing was loaded");
        return Ok(ExitCode::from(1));
    }
    let sources: Vec<ftop_store::PlaybookSource> = c
        .loaded
        .sources
        .iter()
        .map(|s| ftop_store::PlaybookSource {
            root: s.root.clone(),
            path: s.path.clone(),
            text: s.text.clone(),
        })
        .collect();
    crate::db::runtime()?.block_on(async {
        let store = ftop_store::Store::open(database)
            .await
            .with_context(|| format!("cannot open the database {database}"))?;
        let r = store
            .load_playbook(&crate::db::cli_actor(), &sources)
            .await
            .map_err(crate::db::explain)?;
        if matches!(format, ReportFormat::Json) {
            println!("{}", serde_json::to_string_pretty(&r)?);
            return Ok(ExitCode::SUCCESS);
        }
        if !r.changed {
            println!(
                "playbook version {} is already loaded; nothing changed",
                r.version
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!("loaded playbook version {}", r.version);
        for (tenant, ch) in &r.tenants {
            let ids = |v: &Vec<ftop_domain::InstanceKey>| {
                v.iter()
                    .map(|k| {
                        if k.service.is_empty() {
                            k.task.to_string()
                        } else {
                            format!("{}/{}", k.task, k.service)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            println!("  {tenant}:");
            if !ch.added.is_empty() {
                println!("    added (Not Started): {}", ids(&ch.added));
            }
            if !ch.removed.is_empty() {
                println!(
                    "    removed (archived with their status): {}",
                    ids(&ch.removed)
                );
            }
            if !ch.changed.is_empty() {
                println!("    changed name, flag or role: {}", ids(&ch.changed));
            }
        }
        println!(
            "{} tenants changed, {} task states archived",
            r.tenants.len(),
            r.archived
        );
        Ok(ExitCode::SUCCESS)
    })
}
