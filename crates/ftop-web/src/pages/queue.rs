//! The "Needs me" section of the home page (issue 17): the viewer's work queue above the
//! grid, soonest first, each item linking to where it is resolved. The same words serve
//! the e-mail digests (`crate::digest`).

use crate::auth::Viewer;
use crate::error::{AppError, PageError, PageResult};
use crate::i18n::Lang;
use ftop_domain::text::FluentValue;
use ftop_store::{QueueItem, QueueKind};
use maud::{Markup, html};

/// How many items the home page lists (the rest are counted; the API has them all).
pub(crate) const SHOWN: usize = 25;

/// The viewer's queue as of today (UTC).
pub(crate) async fn items(state: &crate::App, v: &Viewer) -> Result<Vec<QueueItem>, AppError> {
    let today = ftop_domain::adoption::day_of(ftop_store::today());
    Ok(state
        .store
        .work_queue(&v.user, today, state.tripwire_bp)
        .await?)
}

/// The message id naming a kind of item.
pub(crate) fn kind_id(kind: QueueKind) -> String {
    format!("queue-kind-{}", kind.key())
}

/// Every message id the queue and the digest settings build at run time (the catalogue
/// test counts them).
#[cfg(test)]
pub(crate) fn message_ids() -> Vec<String> {
    let kinds = QueueKind::ALL.into_iter().map(kind_id);
    let frequencies = ftop_store::DigestFrequency::ALL
        .into_iter()
        .map(|f| format!("digest-frequency-{}", f.key()));
    kinds.chain(frequencies).collect()
}

/// What an item is about beyond its kind: the service, the milestone, the note's action
/// or the task's status.
pub(crate) fn detail(lang: Lang, i: &QueueItem) -> String {
    let service = i
        .service
        .as_deref()
        .map(|s| ftop_domain::catalogue::service(s).map_or(s, |x| x.name));
    match i.kind {
        QueueKind::NextAction => i.detail.clone().unwrap_or_default(),
        QueueKind::ForecastMissed => lang.t_with(
            "queue-forecast-detail",
            &[
                ("service", FluentValue::from(service.unwrap_or_default())),
                ("percent", FluentValue::from(i.milestone.unwrap_or(10))),
            ],
        ),
        QueueKind::BlockedTask => {
            let status = i
                .detail
                .as_deref()
                .and_then(ftop_domain::TaskStatus::parse)
                .map_or("", |s| lang.task_status(s));
            match service {
                Some(s) => format!("{s} · {status}"),
                None => status.to_string(),
            }
        }
        QueueKind::NewSubscription => service.unwrap_or_default().to_string(),
        QueueKind::StaleStatus | QueueKind::AuDrop => String::new(),
    }
}

/// The section for the home page (nothing at all for a viewer with no assignments).
pub(crate) async fn section(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
) -> Result<Markup, PageError> {
    let all = items(state, v).await.page(lang)?;
    Ok(render(lang, &all))
}

fn render(lang: Lang, all: &[QueueItem]) -> Markup {
    html! {
        section id="needs-me" aria-labelledby="needs-me-title" {
            h2 id="needs-me-title" { (lang.t("queue-title")) }
            @if all.is_empty() {
                p.muted { (lang.t("queue-empty")) }
            } @else {
                table id="queue" {
                    thead { tr {
                        th scope="col" { (lang.t("queue-due")) }
                        th scope="col" { (lang.t("queue-kind")) }
                        th scope="col" { (lang.t("tenant")) }
                        th scope="col" { (lang.t("queue-about")) }
                    } }
                    tbody {
                        @for i in all.iter().take(SHOWN) {
                            tr data-kind=(i.kind.key()) {
                                td {
                                    time datetime=(i.due) { (lang.day(&i.due)) }
                                    @if i.upcoming { " (" (lang.t("queue-upcoming")) ")" }
                                }
                                td { a href=(i.link) { (lang.t(&kind_id(i.kind))) } }
                                td { (i.tenant_name) }
                                td { (detail(lang, i)) }
                            }
                        }
                    }
                }
                @if all.len() > SHOWN {
                    p.muted { (lang.t_with("queue-shown", &[("shown", FluentValue::from(SHOWN)), ("total", FluentValue::from(all.len()))])) }
                }
            }
        }
    }
}
