//! `GET /metrics`: the server's numbers in the Prometheus text format (0.0.4), from the
//! `prometheus-client` crate.
//!
//! - Requests: one middleware ([`track`]) counts every request and times it by method,
//!   matched route template (`/tenants/{id}`, never the raw path, so IDs add no series) and
//!   status.
//! - The store: pools, group commit and the report tabs' kept results, read from
//!   [`ftop_store::Store::stats`] and [`ftop_store::Store::report_memo_stats`] at scrape
//!   time (a [`Collector`]), so the store knows nothing of this crate.
//! - Events inside handlers (sign-in failures and throttles, imported rows): handlers call a
//!   function of this module ([`sign_in_failed`], [`sign_in_throttled`], [`import_rows`]),
//!   which finds the registry of the request it runs in through a task-local value that
//!   [`track`] sets; outside a request (a unit test, the command line) it does nothing.
//!
//! Adding a series (digest sends, say): a field in [`Metrics`], one `register` line in
//! [`Metrics::new`], and a function like [`import_rows`] that the sending code calls. A
//! series appears once it has a value: there are no placeholders.
//!
//! Who may read it: on the main address only an administrator's bearer token or session
//! ([`scrape`]: 401 without credentials, 403 for other roles); on the separate metrics
//! address (`ftop serve --metrics-addr`, [`metrics_router`]) anyone who can reach it.

use crate::auth::ApiViewer;
use crate::error::AppError;
use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ftop_store::{BATCH_BUCKETS, Store};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

/// Upper bounds (seconds) of the request latency buckets.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The route label of a request no route matched (404 fallback).
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    method: &'static str,
    route: String,
    /// `2xx`, `3xx`, `4xx`, `5xx`.
    status_class: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ImportLabels {
    /// `usage` (and `tenants` once tenants are imported through the server).
    kind: &'static str,
    /// `imported` or `rejected`.
    outcome: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// One server's registry and the handles of its series. Cheap to clone (shared inside).
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<LatencyLabels, Histogram, fn() -> Histogram>,
    sign_in_failures: Counter,
    sign_in_throttled: Counter,
    import_rows: Family<ImportLabels, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// A fresh registry whose scrape also reads `store`'s pools and group commit.
    pub fn new(store: &Store) -> Metrics {
        let mut registry = Registry::with_prefix("ftop");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, matched route template and status code",
            requests.clone(),
        );
        let latency = Family::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from receiving a request to sending its response head, by method, matched route template and status class",
            latency.clone(),
        );
        let sign_in_failures = Counter::default();
        registry.register(
            "sign_in_failures",
            "Sign-ins refused for a wrong name or password",
            sign_in_failures.clone(),
        );
        let sign_in_throttled = Counter::default();
        registry.register(
            "sign_in_throttled",
            "Sign-ins refused by throttling before the password was checked",
            sign_in_throttled.clone(),
        );
        let import_rows = Family::<ImportLabels, Counter>::default();
        registry.register(
            "import_rows",
            "Rows of files imported through the server, by kind and outcome",
            import_rows.clone(),
        );
        registry.register_collector(Box::new(StoreCollector(store.clone())));
        Metrics(Arc::new(Inner {
            registry,
            requests,
            latency,
            sign_in_failures,
            sign_in_throttled,
            import_rows,
        }))
    }

    /// Everything, in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail; an encoder error would only cut the text short.
        if let Err(e) =
            prometheus_client::encoding::prometheus_text::encode(&mut out, &self.0.registry)
        {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        out
    }

    fn observe(&self, method: &Method, route: Option<&str>, status: u16, seconds: f64) {
        let method = method_label(method);
        let route = route.unwrap_or(UNMATCHED).to_string();
        self.0
            .requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status,
            })
            .inc();
        self.0
            .latency
            .get_or_create(&LatencyLabels {
                method,
                route,
                status_class: status_class(status),
            })
            .observe(seconds);
    }
}

/// Methods as labels: the ones HTTP defines, anything else `other` (a client cannot add
/// series by inventing methods).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

tokio::task_local! {
    /// The registry of the request being handled (set by [`track`]).
    static CURRENT: Metrics;
}

fn with_current(f: impl FnOnce(&Inner)) {
    let _ = CURRENT.try_with(|m| f(&m.0));
}

/// A sign-in refused for a wrong name or password.
pub(crate) fn sign_in_failed() {
    with_current(|m| {
        m.sign_in_failures.inc();
    });
}

/// A sign-in refused by throttling.
pub(crate) fn sign_in_throttled() {
    with_current(|m| {
        m.sign_in_throttled.inc();
    });
}

/// Rows of an import through the server: `kind` is what was imported (`usage`,
/// `tenants`), `imported` the rows written, `rejected` the rows left out.
pub(crate) fn import_rows(kind: &'static str, imported: u64, rejected: u64) {
    with_current(|m| {
        for (outcome, n) in [("imported", imported), ("rejected", rejected)] {
            if n > 0 {
                m.import_rows
                    .get_or_create(&ImportLabels { kind, outcome })
                    .inc_by(n);
            }
        }
    });
}

/// The middleware: counts and times the request under its route template, and makes the
/// registry reachable from the handler (see the module's notes). Layered with
/// `Router::layer`, so it runs after routing and sees [`MatchedPath`].
pub(crate) async fn track(
    axum::Extension(metrics): axum::Extension<Metrics>,
    req: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let res = CURRENT.scope(metrics.clone(), next.run(req)).await;
    metrics.observe(
        &method,
        route.as_deref(),
        res.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    res
}

fn text(metrics: &Metrics) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(prometheus_client::encoding::prometheus_text::CONTENT_TYPE),
        )],
        metrics.render(),
    )
        .into_response()
}

/// `GET /metrics` on the main address: administrators only (bearer token or session).
pub(crate) async fn scrape(
    ApiViewer(v): ApiViewer,
    axum::Extension(metrics): axum::Extension<Metrics>,
) -> Result<Response, AppError> {
    if v.user.role != ftop_domain::UserRole::Admin {
        return Err(AppError::forbidden("read the metrics"));
    }
    Ok(text(&metrics))
}

/// The router of the separate metrics address: `GET /metrics` without credentials
/// (whoever can reach the address may read it: bind it to a private interface).
pub fn metrics_router(metrics: Metrics) -> Router {
    Router::new()
        .route(
            "/metrics",
            axum::routing::get(
                |axum::Extension(m): axum::Extension<Metrics>| async move { text(&m) },
            ),
        )
        .layer(axum::Extension(metrics))
}

/// One number of a pool.
type PoolValue = fn(&ftop_store::PoolStats) -> u32;

/// Reads the store's numbers at each scrape.
#[derive(Debug)]
struct StoreCollector(Store);

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReportViewLabels {
    /// `kept` or `read`.
    answer: &'static str,
}

impl Collector for StoreCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let s = self.0.stats();
        let gauges: [(&str, &str, PoolValue); 4] = [
            (
                "db_pool_connections",
                "Open database connections per pool (idle and in use)",
                |p| p.size,
            ),
            (
                "db_pool_idle",
                "Open database connections waiting for work, per pool",
                |p| p.idle,
            ),
            (
                "db_pool_in_use",
                "Database connections lent to a query or transaction now, per pool",
                |p| p.in_use(),
            ),
            ("db_pool_max", "The most connections a pool opens", |p| {
                p.max
            }),
        ];
        for (name, help, value) in gauges {
            let mut m = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
            for p in &s.pools {
                ConstGauge::new(i64::from(value(p)))
                    .encode(m.encode_family(&PoolLabels { pool: p.name })?)?;
            }
        }
        let r = self.0.report_memo_stats();
        let mut views = encoder.encode_descriptor(
            "report_views",
            "Views of the report tabs, by how they were answered: a kept report or a read",
            None,
            MetricType::Counter,
        )?;
        for (answer, n) in [("kept", r.served), ("read", r.read)] {
            ConstCounter::new(n).encode(views.encode_family(&ReportViewLabels { answer })?)?;
        }
        let kept = ConstGauge::new(i64::try_from(r.kept).unwrap_or(i64::MAX));
        kept.encode(encoder.encode_descriptor(
            "reports_kept",
            "Report tab results the server keeps for views of unchanged data",
            None,
            kept.metric_type(),
        )?)?;
        let g = &s.group_commit;
        let queued = ConstGauge::new(i64::try_from(g.queued).unwrap_or(i64::MAX));
        queued.encode(encoder.encode_descriptor(
            "group_commit_queue_depth",
            "Task changes waiting for the group-commit writer",
            None,
            queued.metric_type(),
        )?)?;
        let buckets: Vec<(f64, u64)> = BATCH_BUCKETS
            .iter()
            .zip(g.batch_sizes)
            .map(|(b, n)| (*b as f64, n))
            .collect();
        encoder
            .encode_descriptor(
                "group_commit_batch_size",
                "Task changes committed together per group-commit batch",
                None,
                MetricType::Histogram,
            )?
            .encode_histogram::<NoLabelSet>(g.changes as f64, g.batches, &buckets, None)?;
        Ok(())
    }
}
