//! The tenant page's Usage tab: per service, the latest Active Usage with its bucket and
//! milestones, the AU trend drawn against the 10% and 40% lines, the figures as a table,
//! and a CSV download.

use crate::auth::PageViewer;
use crate::error::{AppError, PageError, PageResult};
use crate::i18n::Lang;
use crate::pages::charts::{Threshold, trend};
use axum::extract::{Path, Query};
use axum::response::Response;
use ftop_domain::adoption::users_to_reach;
use ftop_store::{ServiceAdoption, Store, UsagePoint};
use maud::{Markup, html};
use serde::Deserialize;

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"))
}

/// "N more active users needed" in the viewer's language.
fn needed(n: i64, lang: Lang) -> String {
    match lang.code() {
        "es" => format!("faltan {n} usuarios activos"),
        "zh" => format!("还需 {n} 名活跃用户"),
        _ => format!("{n} more active users needed"),
    }
}

fn day(d: Option<time::Date>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The Usage tab of one tenant.
pub(crate) async fn usage_tab(
    store: &Store,
    tenant_id: &str,
    lang: Lang,
) -> Result<Markup, AppError> {
    let l = |en, es, zh| lang.pick(en, es, zh);
    let services = store.adoption(tenant_id).await?;
    let mut sections = Vec::with_capacity(services.len());
    for a in &services {
        let series = store.usage_series(tenant_id, &a.service_key).await?;
        sections.push(service_section(tenant_id, a, &series, lang));
    }
    let intended: Vec<&str> = services
        .iter()
        .filter(|s| s.intended)
        .map(|s| s.service.as_str())
        .collect();
    let success = ftop_domain::adoption::success(services.iter().map(|s| (s.intended, s.bucket)));
    Ok(html! {
        @if services.is_empty() { p.muted { (l("This tenant has no services.", "Este inquilino no tiene servicios.", "该租户没有服务。")) } }
        @else {
            p id="adoption-success" {
                strong { (l("Success", "Éxito", "成功")) ": " }
                @if success { (l("every service the customer intends to use is at 10% or more", "todos los servicios que el cliente piensa usar están al 10% o más", "客户计划使用的每项服务均已达到 10% 或以上")) }
                @else if intended.is_empty() { (l("no service is marked as intended", "ningún servicio está marcado como previsto", "没有标记为计划使用的服务")) }
                @else { (l("not yet: some intended services are under 10%", "aún no: algunos servicios previstos están por debajo del 10%", "尚未：部分计划使用的服务低于 10%")) }
                " (" (intended.join(", ")) ")"
            }
        }
        p { a href=(format!("/tenants/{tenant_id}/usage.csv")) download="usage.csv" hx-boost="false" {
            (l("Download all figures (CSV)", "Descargar todas las cifras (CSV)", "下载全部数据 (CSV)"))
        } }
        @for s in sections { (s) }
    })
}

fn service_section(
    tenant_id: &str,
    a: &ServiceAdoption,
    series: &[UsagePoint],
    lang: Lang,
) -> Markup {
    let l = |en, es, zh| lang.pick(en, es, zh);
    let points: Vec<(time::Date, Option<f64>)> =
        series.iter().map(|p| (p.date, p.au_percent)).collect();
    let id = format!("trend-{}", a.service_key);
    let description = match (series.first(), series.last()) {
        (Some(f), Some(t)) => format!(
            "{} {} – {}: {} → {}",
            l("Active Usage from", "Uso activo del", "活跃使用率"),
            f.date,
            t.date,
            pct(f.au_percent),
            pct(t.au_percent)
        ),
        _ => l(
            "No usage figures yet.",
            "Aún no hay cifras de uso.",
            "尚无使用数据。",
        )
        .to_string(),
    };
    let active = a.active_users.unwrap_or(0);
    let seats = a.qualified_entitlements;
    let th = [
        Threshold {
            at: 10.0,
            label: "10%",
        },
        Threshold {
            at: 40.0,
            label: "40%",
        },
    ];
    html! {
        section.usage id=(format!("usage-{}", a.service_key)) {
            h2 { (a.service) }
            dl.facts {
                dt { "AU" } dd { (pct(a.au_percent)) " · " (active) " / " (seats) @if let Some(d) = a.as_of { " · " (l("as of", "al", "截至")) " " (d) } }
                dt { "10%" } dd {
                    @if let Some(d) = a.milestone_10 { (l("reached", "alcanzado", "达成于")) " " (d) }
                    @else if seats > 0 { (needed(users_to_reach(active, seats, 10), lang)) }
                    @else { "—" }
                }
                dt { "40%" } dd {
                    @if let Some(d) = a.milestone_40 { (l("reached", "alcanzado", "达成于")) " " (d) }
                    @else if seats > 0 { (needed(users_to_reach(active, seats, 40), lang)) }
                    @else { "—" }
                }
                dt { (l("Enablement", "Habilitación", "启用")) } dd {
                    @if a.enablement_complete { (l("complete", "completa", "已完成")) } @else { (l("not yet", "aún no", "尚未")) }
                }
            }
            @if series.is_empty() {
                p.muted { (description) }
            } @else {
                figure {
                    (trend(&id, &format!("{}: {}", a.service, l("Active Usage", "Uso activo", "活跃使用率")), &description, &points, &th))
                    figcaption.muted { (l("Dashed lines: the 10% and 40% milestones.", "Líneas discontinuas: hitos del 10% y del 40%.", "虚线：10% 和 40% 里程碑。")) }
                }
                details {
                    summary { (l("Figures", "Cifras", "数据")) " (" (series.len()) ")" }
                    table.usage-figures {
                        thead { tr { th { (lang.t("date")) } th { (l("Active users", "Usuarios activos", "活跃用户")) } th { (l("Qualified seats", "Licencias válidas", "合格席位")) } th { "AU" } } }
                        tbody { @for p in series.iter().rev() { tr { td { (p.date) } td { (p.active_users) } td { (p.qualified) } td { (pct(p.au_percent)) } } } }
                    }
                    p { a href=(format!("/tenants/{tenant_id}/usage.csv?service={}", a.service_key)) download=(format!("usage-{}.csv", a.service_key)) hx-boost="false" {
                        (l("Download CSV", "Descargar CSV", "下载 CSV"))
                    } }
                }
            }
            p.muted { "10% " (l("milestone", "hito", "里程碑")) ": " (day(a.milestone_10)) " · 40%: " (day(a.milestone_40)) }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UsageCsvQuery {
    service: Option<String>,
}

/// `GET /tenants/{id}/usage.csv[?service=KEY]`: the usage figures with seats and AU.
pub(crate) async fn usage_csv(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path(id): Path<String>,
    Query(q): Query<UsageCsvQuery>,
) -> Result<Response, PageError> {
    let t = crate::service::tenants::visible(&state, &v, &id)
        .await
        .page(lang)?
        .tenant;
    let wanted: Vec<&str> = t
        .services
        .iter()
        .map(|s| s.service.as_str())
        .filter(|s| q.service.as_deref().is_none_or(|w| w.is_empty() || w == *s))
        .collect();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "tenant_id",
            "service",
            "date",
            "active_users",
            "qualified",
            "au_percent",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in wanted {
        let series = state.store.usage_series(&t.tenant_id, s).await.page(lang)?;
        for p in series {
            rows.push(vec![
                t.tenant_id.clone(),
                s.to_string(),
                p.date.to_string(),
                p.active_users.to_string(),
                p.qualified.to_string(),
                p.au_percent.map(|x| format!("{x:.2}")).unwrap_or_default(),
            ]);
        }
    }
    Ok(super::csv::download(
        &format!("usage-{}.csv", t.tenant_id),
        super::csv::text(&rows),
    ))
}
