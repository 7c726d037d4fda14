//! Compliance lists: partners' tenants whose primary tenant RM is not the partner, and
//! services of partners' tenants whose engagement scenario is not partner-led (the rule
//! is the store's, `reports/compliance.rs`). Each row links to where it is fixed.

use super::{Cell, Table, csv_of, filters, report_page, service_name};
use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::Query;
use crate::i18n::Lang;
use crate::service::reports::ReportQuery;
use axum::response::Response;
use ftop_store::{Page, RmNotPartnerRow, ScenarioNotPartnerLedRow};
use maud::html;

fn rm_table(rows: &[RmNotPartnerRow], lang: Lang) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("rm", lang.t("report-col-rm").to_string()),
            ("fix", lang.t("report-fix").to_string()),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.tenant_id.clone()),
                    Cell::Tenant {
                        id: r.tenant_id.clone(),
                        name: r.tenant.clone(),
                    },
                    Cell::Text(r.rm.clone().unwrap_or_default()),
                    Cell::Link {
                        text: lang.t("report-rm-fix").to_string(),
                        href: format!("/tenants/{}?tab=assignments", r.tenant_id),
                    },
                ]
            })
            .collect(),
    }
}

/// The services' table: for people (`people`) names and labels, for the CSV the keys,
/// as every other report's CSV has them.
fn scenario_table(rows: &[ScenarioNotPartnerLedRow], lang: Lang, people: bool) -> Table {
    Table {
        head: vec![
            ("tenant_id", lang.t("tenant-id").to_string()),
            ("tenant", lang.t("tenant").to_string()),
            ("service_key", lang.t("service").to_string()),
            ("scenario", lang.t("report-scenario").to_string()),
            ("fix", lang.t("report-fix").to_string()),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.tenant_id.clone()),
                    Cell::Tenant {
                        id: r.tenant_id.clone(),
                        name: r.tenant.clone(),
                    },
                    Cell::Text(if people {
                        service_name(&r.service_key).to_string()
                    } else {
                        r.service_key.clone()
                    }),
                    Cell::Text(if people {
                        lang.label(r.scenario).to_string()
                    } else {
                        r.scenario.key().to_string()
                    }),
                    Cell::Link {
                        text: lang.t("report-scenario-fix").to_string(),
                        href: format!("/tenants/{}?tab=services", r.tenant_id),
                    },
                ]
            })
            .collect(),
    }
}

async fn tables(
    state: &crate::State,
    v: &crate::auth::Viewer,
    q: &ReportQuery,
    lang: Lang,
    page: Page,
    people: bool,
) -> Result<((Table, i64), (Table, i64)), PageError> {
    let f = q.filter(v).page(lang)?;
    let rm = state
        .store
        .report_rm_not_partner_page(&f, page)
        .await
        .page(lang)?;
    let sc = state
        .store
        .report_scenario_not_partner_led_page(&f, page)
        .await
        .page(lang)?;
    Ok((
        (rm_table(&rm.rows, lang), rm.total),
        (scenario_table(&sc.rows, lang, people), sc.total),
    ))
}

/// `GET /reports/compliance`.
pub(crate) async fn page_of(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let ((rm, rm_total), (sc, sc_total)) = tables(&state, &v, &q, lang, super::PAGE, true).await?;
    let form = filters(&state, &v, &q, "/reports/compliance", &[], lang).await?;
    let csv = |t: &str| {
        format!(
            "/reports/compliance.csv?{}",
            q.with(&[("table", t.to_string())])
        )
    };
    let body = html! {
        (form)
        section {
            h2 { (lang.t("report-rm-not-partner")) }
            p { (lang.t("report-rm-not-partner-about")) }
            (rm.html("report-rm", lang.t("report-rm-not-partner"), &csv("rm"), rm_total, lang))
        }
        section {
            h2 { (lang.t("report-scenario-not-partner-led")) }
            p { (lang.t("report-scenario-not-partner-led-about")) }
            (sc.html("report-scenario", lang.t("report-scenario-not-partner-led"), &csv("scenario"), sc_total, lang))
        }
    };
    Ok(report_page(
        lang,
        &v,
        lang.t("report-compliance"),
        lang.t("report-compliance-about"),
        body,
    ))
}

/// `GET /reports/compliance.csv?table=rm|scenario`.
pub(crate) async fn csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let ((rm, _), (sc, _)) = tables(&state, &v, &q, lang, Page::ALL, false).await?;
    match q.table.as_deref().unwrap_or("rm") {
        "rm" => Ok(csv_of("rm-not-partner.csv", &rm)),
        "scenario" => Ok(csv_of("scenario-not-partner-led.csv", &sc)),
        other => Err(PageError::new(
            lang,
            AppError::bad_request(format!("unknown table `{other}`: choose rm or scenario")),
        )),
    }
}
