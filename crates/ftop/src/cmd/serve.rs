//! `ftop serve`: the portal and the API.

use crate::db;
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "FTOP_ADDR",
        default_value = "127.0.0.1:8080",
        value_name = "HOST:PORT"
    )]
    addr: SocketAddr,
    /// Also serve `GET /metrics` (Prometheus text format) on this address, without
    /// credentials; bind it to an interface only the monitoring system reaches. The main
    /// address serves /metrics to administrators either way.
    #[arg(long, env = "FTOP_METRICS_ADDR", value_name = "HOST:PORT")]
    metrics_addr: Option<SocketAddr>,
    /// Log lines as readable text (`human`) or one JSON object per line (`json`).
    #[arg(long, env = "FTOP_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    log_format: LogFormat,
    /// Fill an empty database with a believable demo portfolio and demo accounts.
    #[arg(long)]
    demo: bool,
    /// How many percentage points a service's Active Usage must rise or fall within 30
    /// days for the tenant grid's gain and drop tripwires (decimals allowed, e.g. 2.5).
    #[arg(long, env = "FTOP_TRIPWIRE_POINTS", default_value_t = 5.0, value_name = "POINTS",
          value_parser = tripwire_points)]
    tripwire_points: f64,
    #[command(flatten)]
    sso: super::sso_args::SsoArgs,
    /// SMTP server for the e-mail digests: `smtp://[user:password@]host[:port]` (STARTTLS
    /// when the server offers it) or `smtps://...` (TLS from the start). Without it no
    /// digests are sent.
    #[arg(
        long,
        env = "FTOP_SMTP_URL",
        value_name = "URL",
        requires = "smtp_from"
    )]
    smtp_url: Option<String>,
    /// The digests' sender, `ftop <ftop@example.com>` or a bare address.
    #[arg(long, env = "FTOP_SMTP_FROM", value_name = "MAILBOX")]
    smtp_from: Option<String>,
    /// The portal's address as its users reach it (links in the digests), e.g.
    /// `https://ftop.example.com`; by default `http://` and the listening address.
    #[arg(long, env = "FTOP_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
}

/// A tripwire threshold: more than 0 and at most 100 percentage points.
fn tripwire_points(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 100.0 => Ok(x),
        _ => Err(format!(
            "{s:?}: give the percentage points as a number above 0 and at most 100"
        )),
    }
}

/// The form of the log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// Readable text, one line per event, with the request's span (ID, method, path).
    Human,
    /// One JSON object per line: `timestamp`, `level`, `message` and the event's fields,
    /// `target`, the current `span` (with the request `id`) and the list of `spans`.
    Json,
}

/// Starts the log output of the server (filtered by `FTOP_LOG`).
fn start_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FTOP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Human => logs.init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
}

pub(crate) fn run(database: &str, a: ServeArgs) -> anyhow::Result<ExitCode> {
    start_logging(a.log_format);
    let sso_config = a.sso.config()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let store = open_checked(database).await?;
        if a.demo {
            crate::demo::fill(&store).await?;
        }
        // Other instances may load a newer playbook: pick it up within seconds.
        let refresher = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
            loop {
                tick.tick().await;
                if let Err(e) = refresher.refresh_playbook().await {
                    tracing::warn!(error = %e, "playbook refresh failed");
                }
            }
        });
        // Expired and idle sessions, old failed sign-ins and throttle rows: every 10 minutes
        // (sign-ins also trigger it at most once a minute).
        let purger = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                tick.tick().await;
                match purger.purge_expired().await {
                    Ok(n) if n > 0 => tracing::info!(rows = n, "purged expired sessions"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "purge of expired sessions failed"),
                }
            }
        });
        println!(
            "ftop is serving on http://{} (database {database}); stop with Ctrl-C",
            a.addr
        );
        if let Some(m) = a.metrics_addr {
            println!("metrics on http://{m}/metrics");
        }
        let mut app = ftop_web::App::new(store);
        app.tripwire_bp = (a.tripwire_points * 100.0).round() as i64;
        if let Some(config) = sso_config {
            app.sso = Some(start_sso(&app.store, config).await?);
        }
        let mailer = match (&a.smtp_url, &a.smtp_from) {
            (Some(url), Some(from)) => {
                let public = a
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", a.addr));
                Some(
                    ftop_web::digest::Mailer::new(url, from, &public)
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                )
            }
            _ => None,
        };
        ftop_web::digest::spawn(std::sync::Arc::new(app.clone()), mailer);
        ftop_web::serve_with(app, a.addr, a.metrics_addr, shutdown()).await?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Single sign-on, checked before serving: the break-glass administrator must be an
/// active local administrator, and the provider is asked for its metadata once (a
/// provider that is down is reported and asked again at the first sign-in).
async fn start_sso(
    store: &ftop_store::Store,
    config: ftop_web::sso::SsoConfig,
) -> anyhow::Result<std::sync::Arc<ftop_web::sso::Sso>> {
    if let Some(name) = &config.break_glass {
        match store.user_by_name(name).await? {
            Some(u) if u.role == ftop_domain::UserRole::Admin => {}
            _ => anyhow::bail!(
                "--sso-break-glass {name}: no active administrator has that name; make one \
                 first (ftop user add {name} --role admin)"
            ),
        }
    }
    let issuer = config.issuer.clone();
    let sso = ftop_web::sso::Sso::new(config)?;
    match sso.discover().await {
        Ok(_) => println!("single sign-on through {issuer}"),
        Err(e) => tracing::warn!(error = %e, "single sign-on: the provider did not answer yet"),
    }
    Ok(std::sync::Arc::new(sso))
}

/// Opens the database and checks it before serving anything: a file that cannot be
/// written (read-only file, folder or mount) or whose pages are damaged is refused with a
/// message saying what to do, rather than served (wrong or missing data, every change
/// failing).
async fn open_checked(database: &str) -> anyhow::Result<ftop_store::Store> {
    if let Some(why) = sqlite_not_writable(database) {
        anyhow::bail!(
            "the database {database} is read-only ({why}); ftop serve writes to it \
             (sessions, changes) and will not start: give the service account write \
             access to the file and its folder, or mount it read-write"
        );
    }
    let store = match db::open(database).await {
        Ok(s) => s,
        Err(e) => {
            let text = format!("{e:#}");
            if text.contains("readonly") || text.contains("read-only") {
                anyhow::bail!(
                    "the database {database} is read-only ({text}); ftop serve writes to it \
                     (sessions, changes) and will not start: give the service account write \
                     access to the file and its folder, or mount it read-write"
                );
            }
            if text.contains("malformed") || text.contains("not a database") {
                anyhow::bail!(
                    "the database {database} is damaged ({text}); ftop serve will not start on \
                     it: restore the latest backup (ftop restore) and start again"
                );
            }
            return Err(e);
        }
    };
    if let Err(e) = store.quick_check().await {
        anyhow::bail!(
            "the database {database} failed its start-up check ({e}); ftop serve will not \
             start on a damaged file rather than serve wrong data: restore the latest backup \
             (ftop restore) and start again"
        );
    }
    Ok(store)
}

/// Why an SQLite database cannot be written, checked before it is opened: the file must
/// open for writing, and its folder must take new files (SQLite keeps its log and shared
/// memory files beside it). None for PostgreSQL, a new file in a writable folder, or
/// a writable database.
fn sqlite_not_writable(database: &str) -> Option<String> {
    let rest = database.strip_prefix("sqlite://")?;
    let path = std::path::Path::new(rest.split('?').next().unwrap_or(rest));
    if path.exists()
        && let Err(e) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
    {
        return Some(format!("{}: {e}", path.display()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let probe = dir.join(format!(".ftop-write-check-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) => Some(format!("folder {}: {e}", dir.display())),
    }
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
