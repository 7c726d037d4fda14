//! `ftop task list|set|apply`: a tenant's playbook tasks from the command line.

use crate::db;
use clap::Subcommand;
use ftop_domain::TaskStatus;
use ftop_store::{Store, TaskUpdate};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub(crate) enum TaskCommand {
    /// List the tasks that apply to a tenant, with their status.
    List {
        /// Tenant ID.
        tenant_id: String,
    },
    /// Set one task's status (and percent complete).
    Set {
        /// Tenant ID.
        tenant_id: String,
        /// Task ID.
        task_id: u32,
        /// Status: a key such as complete or in-progress, or its name.
        #[arg(long)]
        status: String,
        /// Service key for a per-service task (omit for tenant-wide tasks).
        #[arg(long, default_value = "")]
        service: String,
        /// Percent complete (0-100).
        #[arg(long)]
        percent: Option<i64>,
        /// The version you read; a newer stored version refuses the change. Without it,
        /// the current version is used.
        #[arg(long, value_name = "N")]
        expect_version: Option<i64>,
    },
    /// Apply status changes read from standard input, one per line:
    /// `TENANT_ID TASK_ID STATUS [SERVICE]`. Each line is committed durably before
    /// `ok ...` is printed for it; a bad line prints `error ...` and the rest go on.
    Apply,
}

fn parse_status(s: &str) -> anyhow::Result<TaskStatus> {
    TaskStatus::parse(s).ok_or_else(|| {
        let keys: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.key()).collect();
        anyhow::anyhow!("`{s}` is not a task status; use one of {}", keys.join(", "))
    })
}

pub(crate) fn run(database: &str, cmd: TaskCommand) -> anyhow::Result<ExitCode> {
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        match cmd {
            TaskCommand::List { tenant_id } => {
                for t in store.tenant_tasks(&tenant_id).await.map_err(db::explain)? {
                    println!(
                        "{:>6} {:<20} {}{:<30} {:<12} {}",
                        t.task_id,
                        t.service,
                        if t.mandatory { "* " } else { "  " },
                        t.status.name(),
                        t.phase,
                        t.name
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            TaskCommand::Set {
                tenant_id,
                task_id,
                status,
                service,
                percent,
                expect_version,
            } => {
                let status = parse_status(&status)?;
                let version = match expect_version {
                    Some(v) => v,
                    None => store
                        .task_version(&tenant_id, task_id, &service)
                        .await
                        .map_err(db::explain)?,
                };
                let u = TaskUpdate {
                    task_id,
                    service,
                    version,
                    status: Some(status),
                    percent,
                    role: None,
                };
                let v = store
                    .set_task(&db::cli_actor(), &tenant_id, &u)
                    .await
                    .map_err(db::explain)?;
                println!(
                    "task {} is {} ({}%), version {}",
                    v.task_id,
                    v.status.name(),
                    v.percent,
                    v.version
                );
                Ok(ExitCode::SUCCESS)
            }
            TaskCommand::Apply => apply(&store).await,
        }
    })
}

async fn apply(store: &Store) -> anyhow::Result<ExitCode> {
    let actor = db::cli_actor();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut failed = 0u64;
    for (no, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.is_empty() || parts[0].starts_with('#') {
            continue;
        }
        let result = async {
            let [tenant, task, status, rest @ ..] = parts.as_slice() else {
                anyhow::bail!("expected TENANT_ID TASK_ID STATUS [SERVICE]");
            };
            let task_id: u32 = task
                .parse()
                .map_err(|_| anyhow::anyhow!("`{task}` is not a task ID"))?;
            let service = rest.first().copied().unwrap_or("").to_string();
            let status = parse_status(status)?;
            let version = store.task_version(tenant, task_id, &service).await?;
            let u = TaskUpdate {
                task_id,
                service,
                version,
                status: Some(status),
                percent: None,
                role: None,
            };
            let v = store
                .set_task(&actor, tenant, &u)
                .await
                .map_err(db::explain)?;
            Ok(format!(
                "ok {tenant} {task_id} {} {} v{}",
                v.service,
                v.status.key(),
                v.version
            ))
        }
        .await;
        match result {
            Ok(msg) => writeln!(out, "{msg}")?,
            Err(e) => {
                failed += 1;
                writeln!(
                    out,
                    "error line {}: {}",
                    no + 1,
                    format!("{e:#}").replace('\n', " ")
                )?;
            }
        }
        out.flush()?;
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
