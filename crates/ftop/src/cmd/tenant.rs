//! `ftop tenant add|list|show`.

use crate::db;
use clap::{Args, Subcommand, ValueEnum};
use ftop_store::{NewTenant, Store, TenantFilter};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub(crate) enum TenantCommand {
    /// Add a tenant with its services and seats.
    Add(AddArgs),
    /// List tenants.
    List {
        /// Only tenants whose name, ID or customer contains this text.
        #[arg(long)]
        search: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one tenant: engagement, services and seats, entitlement status, tasks.
    Show {
        /// Tenant ID (GUID).
        tenant_id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// Tenant ID, a GUID (8-4-4-4-12).
    #[arg(long = "id", value_name = "GUID")]
    tenant_id: String,
    /// Tenant name, such as contoso.onmicrosoft.com.
    #[arg(long)]
    name: String,
    /// Customer name (created if new).
    #[arg(long)]
    customer: String,
    /// A service and its seats: SERVICE=ENTITLEMENTS or SERVICE=ENTITLEMENTS:QUALIFIED
    /// (service by name or key, e.g. "Exchange=300:280"). Repeat for several services.
    #[arg(long = "service", value_name = "SERVICE=SEATS")]
    services: Vec<String>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable text.
    Text,
    /// JSON.
    Json,
}

fn parse_service(s: &str) -> anyhow::Result<(String, i64, Option<i64>)> {
    let (name, seats) = s.rsplit_once('=').ok_or_else(|| {
        anyhow::anyhow!("--service `{s}`: write SERVICE=ENTITLEMENTS[:QUALIFIED]")
    })?;
    let (total, q) = match seats.split_once(':') {
        Some((t, q)) => (t, Some(q)),
        None => (seats, None),
    };
    let total: i64 = total
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("--service `{s}`: `{total}` is not a number of seats"))?;
    let q = q
        .map(|q| q.trim().parse::<i64>())
        .transpose()
        .map_err(|_| anyhow::anyhow!("--service `{s}`: the qualified seats are not a number"))?;
    Ok((name.trim().to_string(), total, q))
}

pub(crate) fn run(database: &str, cmd: TenantCommand) -> anyhow::Result<ExitCode> {
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        match cmd {
            TenantCommand::Add(a) => add(&store, a).await,
            TenantCommand::List {
                search,
                limit,
                format,
            } => list(&store, search, limit, format).await,
            TenantCommand::Show { tenant_id, format } => show(&store, &tenant_id, format).await,
        }
    })
}

async fn add(store: &Store, a: AddArgs) -> anyhow::Result<ExitCode> {
    let services = a
        .services
        .iter()
        .map(|s| parse_service(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let t = NewTenant {
        tenant_id: a.tenant_id,
        name: a.name,
        customer: a.customer,
        services,
    };
    let t = store
        .add_tenant(&db::cli_actor(), &t)
        .await
        .map_err(db::explain)?;
    println!(
        "added tenant {} ({}) with {} services",
        t.tenant_id,
        t.name,
        t.services.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn list(
    store: &Store,
    search: Option<String>,
    limit: i64,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let f = TenantFilter {
        search,
        limit: Some(limit),
        ..TenantFilter::default()
    };
    let rows = store.tenants(&f).await.map_err(db::explain)?;
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<36}  {:<32}  {:<24}  {:<8}  {:>8}  {:>8}",
        "TENANT ID", "NAME", "CUSTOMER", "STATUS", "SERVICES", "SEATS"
    );
    for t in &rows {
        println!(
            "{:<36}  {:<32}  {:<24}  {:<8}  {:>8}  {:>8}",
            t.tenant_id,
            t.name,
            t.customer,
            t.overall_status.name(),
            t.services,
            t.seats
        );
    }
    println!("{} tenants", rows.len());
    Ok(ExitCode::SUCCESS)
}

async fn show(store: &Store, id: &str, format: Format) -> anyhow::Result<ExitCode> {
    let t = store.tenant(id).await.map_err(db::explain)?;
    let tasks = store
        .tenant_tasks(&t.tenant_id)
        .await
        .map_err(db::explain)?;
    let mut statuses = Vec::new();
    for s in &t.services {
        statuses.push(
            store
                .service_status(&t.tenant_id, &s.service)
                .await
                .map_err(db::explain)?,
        );
    }
    let assignments = store.assignments(&t.tenant_id).await.map_err(db::explain)?;
    let seats = t
        .services
        .iter()
        .map(|s| s.qualified.max(0) as u64)
        .max()
        .unwrap_or(0);
    let elig =
        ftop_domain::eligibility::eligibility(seats, t.program_exception, t.enterprise_exception);
    if format == Format::Json {
        let doc = serde_json::json!({
            "tenant": t, "eligibility": elig, "entitlement_status": statuses,
            "assignments": assignments, "tasks": tasks,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} ({})", t.name, t.tenant_id);
    println!("  customer:        {}", t.customer);
    println!(
        "  overall status:  {}{}",
        t.overall_status.name(),
        t.status_date
            .as_deref()
            .map(|d| format!(" since {d}"))
            .unwrap_or_default()
    );
    println!("  priority:        {}", t.priority.name());
    println!("  active:          {}", if t.active { "yes" } else { "no" });
    println!("  playbook:        version {}", t.playbook_version);
    let yes = |b: bool| if b { "yes" } else { "no" };
    println!(
        "  eligibility:     {seats} seats; program {}, data migration {}, Enterprise benefits {}",
        yes(elig.program),
        yes(elig.migration),
        yes(elig.enterprise)
    );
    println!("  services:");
    for (s, st) in t.services.iter().zip(&statuses) {
        let rows: Vec<String> = st
            .rows
            .iter()
            .map(|r| format!("{} {}", r.count, r.l1.name()))
            .collect();
        println!(
            "    {:<28} {:>7} seats, {:>7} qualified  [{}]",
            s.name,
            s.entitlements,
            s.qualified,
            rows.join(", ")
        );
    }
    if !assignments.is_empty() {
        println!("  assignments:");
        for a in &assignments {
            println!(
                "    {:<28} {}{}{}",
                a.user,
                a.role.name(),
                if a.service.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", a.service)
                },
                if a.primary { ", primary" } else { "" }
            );
        }
    }
    let done = tasks.iter().filter(|t| t.status.settles()).count();
    println!(
        "  tasks:           {} apply, {} complete or not required",
        tasks.len(),
        done
    );
    Ok(ExitCode::SUCCESS)
}
