//! Overall status notes not updated: tenants whose overall status note is more than 14
//! days old, or was never written; the tenants assigned to the reader, or with `all`
//! every tenant they may see.

use super::{Cell, Table, csv_of, filters, report_page};
use crate::auth::PageViewer;
use crate::error::{PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::service::reports::ReportQuery;
use axum::response::Response;
use ftop_store::{Page, Paged, StaleNoteRow};
use maud::html;

async fn rows_of(
    state: &crate::State,
    v: &crate::auth::Viewer,
    q: &ReportQuery,
    lang: Lang,
    page: Page,
) -> Result<Paged<StaleNoteRow>, PageError> {
    let f = q.stale_filter(v).page(lang)?;
    state
        .store
        .report_stale_status_notes_page(&f, page)
        .await
        .page(lang)
}

fn table(rows: &[StaleNoteRow], lang: Lang, people: bool) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            (
                "last_status_note_at",
                lang.t("report-col-last-note").to_string(),
            ),
            ("days", lang.t("report-col-days").to_string()),
            ("fix", lang.t("report-fix").to_string()),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let last = r.last_status_note_at.map(|d| d.to_string());
                vec![
                    Cell::Text(r.tenant_id.clone()),
                    Cell::Tenant {
                        id: r.tenant_id.clone(),
                        name: r.tenant.clone(),
                    },
                    Cell::Text(match (&last, people) {
                        (Some(d), true) => lang.day(d),
                        (Some(d), false) => d.clone(),
                        (None, true) => lang.t("report-never").to_string(),
                        (None, false) => String::new(),
                    }),
                    Cell::Text(r.days.map(|d| d.to_string()).unwrap_or_default()),
                    Cell::Link {
                        text: lang.t("report-stale-fix").to_string(),
                        href: format!("/tenants/{}?tab=status", r.tenant_id),
                    },
                ]
            })
            .collect(),
    }
}

/// `GET /reports/stale-status-notes[?all=1]`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let got = rows_of(&state, &v, &q, lang, super::PAGE).await?;
    let all = q.all();
    let hidden = if all {
        vec![("all", "1".to_string())]
    } else {
        vec![]
    };
    let form = filters(&state, &v, &q, "/reports/stale-status-notes", &hidden, lang).await?;
    let mine = format!(
        "/reports/stale-status-notes?{}",
        q.with(&[("all", String::new())])
    );
    let every = format!(
        "/reports/stale-status-notes?{}",
        q.with(&[("all", "1".into())])
    );
    let body = html! {
        p.choices {
            @if all { a href=(mine) { (lang.t("report-stale-mine")) } " · " strong { (lang.t("report-stale-all")) } }
            @else { strong { (lang.t("report-stale-mine")) } " · " a href=(every) { (lang.t("report-stale-all")) } }
        }
        (form)
        (table(&got.rows, lang, true).html("report-rows", lang.t("report-stale"), &format!("/reports/stale-status-notes.csv?{}", q.with(&[])), got.total, lang))
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-stale"),
        lang.t("report-stale-about"),
        body,
    ))
}

/// `GET /reports/stale-status-notes.csv`.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let got = rows_of(&state, &v, &q, lang, Page::ALL).await?;
    Ok(csv_of(
        "stale-status-notes.csv",
        &table(&got.rows, lang, false),
    ))
}
