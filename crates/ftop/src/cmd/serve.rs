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
    /// Fill an empty database with a believable demo portfolio and demo accounts.
    #[arg(long)]
    demo: bool,
}

pub(crate) fn run(database: &str, a: ServeArgs) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FTOP_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn")
            }),
        )
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let store = db::open(database).await?;
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
        ftop_web::serve(ftop_web::App { store }, a.addr, shutdown()).await?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
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
