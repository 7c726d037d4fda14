//! ftop's web layer: server-rendered pages that work without JavaScript and the JSON API
//! under `/api/v1`. Handlers are thin: extractors find who is asking (`auth.rs`), the
//! service layer (`service/`) holds what pages and the API share, and every failure takes
//! one path (`error.rs`).

mod account;
mod api;
mod auth;
pub mod digest;
mod error;
mod extract;
mod i18n;
mod metrics;
mod pages;
mod request_id;
mod service;
pub mod sso;

pub use metrics::{Metrics, metrics_router};

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use ftop_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct App {
    /// The database.
    pub store: Store,
    /// Single sign-on through an OpenID Connect provider, when configured.
    pub sso: Option<Arc<sso::Sso>>,
    /// Suggest's model, trained on first use and again every few minutes.
    suggester: Arc<service::suggest::Cache>,
    /// How far AU must move within 30 days, in basis points, for the grid's gain and drop
    /// tripwires (`ftop serve --tripwire-points`).
    pub tripwire_bp: i64,
}

impl App {
    /// An app on `store` with local accounts only.
    pub fn new(store: Store) -> App {
        App {
            store,
            sso: None,
            suggester: Arc::default(),
            tripwire_bp: ftop_domain::adoption::TRIPWIRE_BP,
        }
    }
}

/// The routes of the portal and the API, with a fresh metrics registry.
pub fn router(app: App) -> Router {
    let metrics = Metrics::new(&app.store);
    router_with(app, metrics)
}

/// The routes of the portal and the API, counting into `metrics` (shared with the separate
/// metrics address, see [`serve_with`]).
pub fn router_with(app: App, metrics: Metrics) -> Router {
    let state = Arc::new(app);
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    Router::new()
        .route("/healthz", get(pages::health))
        .route("/metrics", get(metrics::scrape))
        .route("/assets/app.css", get(pages::stylesheet))
        .route("/assets/htmx.min.js", get(pages::htmx))
        .route("/assets/ftop.js", get(pages::script))
        .route("/api/docs", get(pages::apidoc::api_docs))
        .route("/signin", get(auth::signin_page).post(auth::signin))
        .route("/signin/sso", get(sso::routes::start))
        .route("/signin/sso/callback", get(sso::routes::callback))
        .route("/signout", post(auth::signout))
        .route("/account", get(account::account_page))
        .route("/account/password", post(account::change_password))
        .route("/account/digest", post(account::save_digest))
        .route(
            "/unsubscribe",
            get(digest::unsubscribe::confirm).post(digest::unsubscribe::unsubscribe),
        )
        .route("/account/tokens", post(account::create_token))
        .route(
            "/account/tokens/{token}/revoke",
            get(account::confirm_revoke).post(account::revoke_token),
        )
        .route(
            "/admin/users",
            get(pages::people::users_page).post(pages::people::create_user),
        )
        .route(
            "/admin/users/{name}",
            get(pages::people::user_page).post(pages::people::update_user),
        )
        .route(
            "/admin/reassign",
            get(pages::reassign::page_get).post(pages::reassign::apply),
        )
        .route(
            "/admin/partners",
            get(pages::people::partners_page).post(pages::people::create_partner),
        )
        .route(
            "/admin/partners/{partner}",
            post(pages::people::rename_partner),
        )
        .route("/account/sessions", get(account::sessions_page))
        .route(
            "/account/sessions/{id}/end",
            get(account::confirm_end).post(account::end),
        )
        .route("/api/v1/me/sessions", get(account::api_list))
        .route(
            "/api/v1/me/sessions/{id}",
            axum::routing::delete(account::api_end),
        )
        .route("/lang/{code}", get(i18n::switch))
        .route("/", get(pages::home::home))
        .route(
            "/tenants/new",
            get(pages::new_tenant::form_page).post(pages::new_tenant::create),
        )
        .route("/tenants/{id}", get(pages::tenant::tenant))
        .route(
            "/tenants/{id}/edit",
            get(pages::edit_tenant::form_page).post(pages::edit_tenant::save),
        )
        .route(
            "/tenants/{id}/exception",
            post(pages::edit_tenant::save_exception),
        )
        .route(
            "/tenants/{id}/tasks/{task}",
            get(pages::task_detail::show).post(pages::tenant::set_task),
        )
        .route(
            "/tenants/{id}/services/{service}/forecast",
            post(pages::forecast::save),
        )
        .route("/tenants/{id}/status", post(pages::record::set_status))
        .route(
            "/tenants/{id}/assignments",
            post(pages::assignments::change),
        )
        .route("/tenants/{id}/notes", post(pages::record::add_note))
        .route("/tenants/{id}/time", post(pages::record::add_time))
        .route(
            "/tenants/{id}/time/{entry}/edit",
            get(pages::time_edit::edit_page).post(pages::time_edit::save),
        )
        .route(
            "/tenants/{id}/time/{entry}/delete",
            post(pages::time_edit::delete),
        )
        .route(
            "/tenants/{id}/services/{service}",
            post(pages::services_tab::set_rows),
        )
        .route(
            "/tenants/{id}/services/{service}/delivery",
            post(pages::delivery::save),
        )
        .route("/tenants/{id}/priority", post(pages::priority::save))
        .route("/customers/{id}", get(pages::customer::show))
        .route(
            "/tenants/{id}/services/{service}/migration",
            post(pages::migration::save),
        )
        .route(
            "/tenants/{id}/enterprise-status",
            post(pages::enterprise::add),
        )
        .route(
            "/tenants/{id}/contacts",
            post(pages::engagement::add_contact),
        )
        .route(
            "/tenants/{id}/contacts/{contact}/edit",
            get(pages::contact_form::edit_page).post(pages::contact_form::save),
        )
        .route(
            "/tenants/{id}/contacts/{contact}/delete",
            post(pages::engagement::delete_contact),
        )
        .route(
            "/tenants/{id}/partners",
            post(pages::engagement::add_partner),
        )
        .route(
            "/tenants/{id}/partners/remove",
            post(pages::engagement::remove_partner),
        )
        .merge(pages::portfolio::routes())
        .merge(pages::adoption::routes())
        .merge(pages::reports::routes())
        .route("/tenants/{id}/usage.csv", get(pages::usage_tab::usage_csv))
        .merge(pages::library::routes())
        .merge(pages::editor::routes())
        .merge(pages::reader::routes())
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        // Body limits: the extractors (`extract.rs`) read bodies under this limit and answer
        // 413 in the envelope or as a page, whether the length is announced or chunked.
        .layer(axum::extract::DefaultBodyLimit::max(extract::BODY_LIMIT))
        // Usage feeds send whole files (all or nothing): the handler reads up to its own
        // larger limit (`limits::USAGE_UPLOAD`).
        .merge(Router::new().route("/api/v1/usage", post(api::adoption::upload)))
        // A tenants file uploaded in the portal: up to `limits::IMPORT_FILE`.
        .merge(
            Router::new()
                .route(
                    "/tenants/import",
                    get(pages::tenant_import::form_page).post(pages::tenant_import::upload),
                )
                .layer(axum::extract::DefaultBodyLimit::max(
                    pages::tenant_import::UPLOAD_LIMIT,
                )),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn(i18n::with_request_language))
        .layer(axum::Extension(metrics))
        .layer(axum::middleware::from_fn(auth::no_store))
        .layer(axum::middleware::from_fn(pages::layout::keep_address))
        // The request's span is the one `request_id::layer` opens (with the ID in it).
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|_: &axum::extract::Request| tracing::Span::none()),
        )
        .layer(axum::middleware::from_fn(request_id::layer))
        .with_state(state)
}

/// Serves the portal on `addr` until `shutdown` resolves; requests in flight finish first.
pub async fn serve(
    app: App,
    addr: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(app, addr, None, shutdown).await
}

/// [`serve`], and with `metrics_addr` also `GET /metrics` without credentials on that
/// address (the main address keeps it for administrators). Both stop on `shutdown`.
pub async fn serve_with(
    app: App,
    addr: SocketAddr,
    metrics_addr: Option<SocketAddr>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let metrics = Metrics::new(&app.store);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = move || {
        let mut rx = stopped.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    };
    let side = match metrics_addr {
        Some(maddr) => {
            let l = tokio::net::TcpListener::bind(maddr).await?;
            tracing::info!(addr = %maddr, "metrics serving");
            let server = axum::serve(l, metrics_router(metrics.clone()))
                .with_graceful_shutdown(until_stopped());
            Some(tokio::spawn(async move { server.await }))
        }
        None => None,
    };
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    tracing::info!(%addr, "ftop serving");
    let main = axum::serve(
        listener,
        router_with(app, metrics).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(until_stopped())
    .await;
    if let Some(side) = side {
        side.await.map_err(std::io::Error::other)??;
    }
    main
}

/// The shared state as handlers see it.
pub(crate) type State = axum::extract::State<Arc<App>>;
