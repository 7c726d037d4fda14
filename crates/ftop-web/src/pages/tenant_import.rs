//! `/tenants/import`: a tenants file uploaded in the portal (administrators and managers),
//! read like `ftop import tenants` reads it (`ftop_store::tenant_csv`) and imported the same
//! way: all or nothing, every problem named by the line of the file (the header is line
//! 1), the same file again changing nothing. While the file goes up, an indicator shows
//! the upload is under way (htmx's request indicator; without JavaScript the browser's own).

use crate::auth::{PageViewer, Viewer};
use crate::error::{AppError, Kind, PageError, PageResult};
use crate::i18n::Lang;
use crate::pages::layout::{flash, page};
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ftop_store::{Actor, ImportReport};
use maud::{Markup, html};

/// The largest file the page takes (the route's body limit, see `lib.rs`).
pub(crate) const UPLOAD_LIMIT: usize = ftop_domain::limits::IMPORT_FILE.max as usize;

/// `GET /tenants/import`.
pub(crate) async fn form_page(PageViewer { v, lang }: PageViewer) -> Result<Response, PageError> {
    crate::service::tenants::may_create(&v).page(lang)?;
    Ok(render(&v, lang, None, StatusCode::OK))
}

fn render(v: &Viewer, lang: Lang, message: Option<Markup>, status: StatusCode) -> Response {
    let csrf = v.csrf.clone().unwrap_or_default();
    let body = html! {
        h1 { (lang.t("tenant-import")) }
        @if let Some(m) = message { (m) }
        p { (lang.t("tenant-import-intro")) }
        p { code { (ftop_store::tenant_csv::COLUMNS.join(",")) } }
        form method="post" action="/tenants/import" enctype="multipart/form-data"
            hx-encoding="multipart/form-data" hx-indicator="#import-progress" {
            input type="hidden" name="csrf" value=(csrf);
            p { label { (lang.t("field-file")) " " input type="file" name="file" accept=".csv,text/csv" required; } }
            button type="submit" { (lang.t("tenant-import-button")) }
            " "
            progress.htmx-indicator id="import-progress" aria-label=(lang.t("tenant-import-busy")) {}
        }
        p {
            a href="/tenants/new" { (lang.t("tenant-new")) }
            " · "
            a href="/?view=all" { (lang.t("all-tenants")) }
        }
    };
    (status, page(lang, v, lang.t("tenant-import"), body)).into_response()
}

/// What an import did, as the page says it.
fn report_message(lang: Lang, r: &ImportReport) -> Markup {
    flash(
        "ok",
        &lang.t_with(
            "tenant-import-done",
            &[
                ("rows", r.rows.into()),
                ("created", r.tenants_created.into()),
                ("updated", r.tenants_updated.into()),
                ("services", (r.services_created + r.services_updated).into()),
                ("unchanged", r.unchanged.into()),
            ],
        ),
    )
}

/// `POST /tenants/import` (multipart: `csrf`, then `file`).
pub(crate) async fn upload(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    parts: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    crate::service::tenants::may_create(&v).page(lang)?;
    let mut parts = parts.map_err(|e| {
        PageError::new(
            lang,
            AppError::bad_request(format!("send the file as a form upload: {e}")),
        )
    })?;
    let (mut csrf, mut file) = (String::new(), None);
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(PageError::new(lang, upload_error(e))),
        };
        match field.name() {
            Some("csrf") => {
                csrf = field
                    .text()
                    .await
                    .map_err(|e| PageError::new(lang, upload_error(e)))?
            }
            Some("file") => {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| PageError::new(lang, upload_error(e)))?,
                )
            }
            _ => {}
        }
    }
    v.check_csrf(Some(&csrf)).page(lang)?;
    let Some(file) = file else {
        let e = AppError::field_error(ftop_domain::FieldError::of("file", "invalid-file-missing"));
        return Ok(render(
            &v,
            lang,
            Some(flash("error", &e.fields_line(lang))),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let rows = match ftop_store::tenant_csv::read_tenant_rows(&file[..]) {
        Ok(rows) => rows,
        Err(f) => {
            let e = AppError::field_error(f);
            return Ok(render(
                &v,
                lang,
                Some(flash("error", &e.fields_line(lang))),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if let Err(e) = may_change_existing(&state, &v, &rows).await {
        if e.kind != Kind::Invalid {
            return Err(PageError::new(lang, e));
        }
        return Ok(render(
            &v,
            lang,
            Some(refused(lang, &e)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    match state
        .store
        .import_tenants(&Actor::user(&v.user), &rows, &|_| {})
        .await
    {
        Ok(r) => {
            crate::metrics::import_rows("tenants", r.rows, 0);
            Ok(render(
                &v,
                lang,
                Some(report_message(lang, &r)),
                StatusCode::OK,
            ))
        }
        Err(e) => {
            let e = AppError::from(e);
            if e.kind != Kind::Invalid {
                return Err(PageError::new(lang, e));
            }
            Ok(render(
                &v,
                lang,
                Some(refused(lang, &e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// A multipart body that cannot be read: over the limit (413) or malformed (400).
fn upload_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::new(
            Kind::TooLarge,
            "the file is larger than an import file may be",
        )
    } else {
        AppError::bad_request(format!("the upload cannot be read: {e}"))
    }
}

/// Why nothing was imported: each line and what is wrong with it.
fn refused(lang: Lang, e: &AppError) -> Markup {
    html! {
        div.flash.error role="alert" {
            p { (lang.t("tenant-import-refused")) }
            ul { @for f in &e.fields { li { (lang.field(&f.field)) ": " (f.message(lang.0)) } } }
        }
    }
}

/// A file may create tenants, but change an existing one only where the caller may
/// (administrators everywhere, managers on the tenants they are assigned to): each other
/// existing tenant is named by its first line.
async fn may_change_existing(
    state: &crate::App,
    v: &Viewer,
    rows: &[ftop_store::ImportRow],
) -> Result<(), AppError> {
    if v.user.role == ftop_domain::UserRole::Admin {
        return Ok(());
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut bad = Vec::new();
    for r in rows {
        let id = r.tenant_id.trim().to_ascii_lowercase();
        if !seen.insert(id.clone()) {
            continue;
        }
        if state.store.access(&v.user, &id).await? == ftop_store::Access::Read {
            bad.push(
                ftop_domain::FieldError::of(format!("line {}", r.line), "invalid-import-not-yours")
                    .with("tenant", id),
            );
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid(bad))
    }
}
