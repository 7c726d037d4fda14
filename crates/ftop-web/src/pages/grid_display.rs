//! The grid's displays: which columns a page of tenants shows. Scorecard Adoption (Active
//! Usage of each service), Overview (status and next action) and Assignments (who
//! delivers). Every display starts with the tenant (with its tripwires) and its priority
//! (with the form that sets it by hand, for those who may change the tenant).

use crate::i18n::Lang;
use crate::service::portfolio::Grid;
use ftop_domain::{AssignmentRole, OverallStatus, Priority};
use ftop_store::{GridDetails, TenantSummary};
use maud::{Markup, html};

/// A display of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Display {
    /// AU per service, days in the program, last overall-status date.
    Scorecard,
    /// Overall status, next action, regional manager, services and seats.
    Overview,
    /// The people in the delivery roles.
    Assignments,
}

impl Display {
    pub(crate) const ALL: [Display; 3] =
        [Display::Scorecard, Display::Overview, Display::Assignments];

    pub(crate) fn key(self) -> &'static str {
        match self {
            Display::Scorecard => "scorecard",
            Display::Overview => "overview",
            Display::Assignments => "assignments",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Display> {
        Self::ALL.into_iter().find(|d| d.key() == s)
    }

    pub(crate) fn name(self, lang: Lang) -> &'static str {
        lang.t(&format!("grid-display-{}", self.key()))
    }
}

/// A sortable column's header: its sort key and label; the page makes it a link.
pub(crate) type Header = (Option<&'static str>, String);

/// The services a Scorecard page shows, in the catalogue's order: those with figures
/// among the listed tenants.
pub(crate) fn scorecard_services(g: &Grid) -> Vec<&'static str> {
    ftop_domain::catalogue::SERVICES
        .iter()
        .map(|s| s.key)
        .filter(|k| g.details.values().any(|d| d.au.contains_key(*k)))
        .collect()
}

/// The headers of a display after the tenant and its priority.
pub(crate) fn headers(d: Display, lang: Lang, services: &[&'static str]) -> Vec<Header> {
    match d {
        Display::Scorecard => {
            let mut h = vec![
                (Some("customer"), lang.t("customer").to_string()),
                (Some("joined"), lang.t("grid-days").to_string()),
                (Some("status-date"), lang.t("grid-status-date").to_string()),
            ];
            h.push((Some("gain"), lang.t("grid-gain").to_string()));
            h.extend(services.iter().map(|s| {
                let name = super::grid_filters::service_name(s);
                (None, lang.t_with("grid-au-of", &[("service", name.into())]))
            }));
            h
        }
        Display::Overview => vec![
            (Some("status"), lang.t("overall-status").to_string()),
            (None, lang.t("next-action").to_string()),
            (None, lang.t("grid-next-action-date").to_string()),
            (None, lang.t("grid-next-action-owner").to_string()),
            (Some("customer"), lang.t("customer").to_string()),
            (
                None,
                lang.label(AssignmentRole::RegionalManager).to_string(),
            ),
            (None, lang.t("services").to_string()),
            (Some("seats"), lang.t("seats").to_string()),
            (Some("gain"), lang.t("grid-gain").to_string()),
        ],
        Display::Assignments => vec![
            (Some("status"), lang.t("overall-status").to_string()),
            (
                None,
                lang.label(AssignmentRole::RegionalManager).to_string(),
            ),
            (None, lang.t("grid-fastrack-managers").to_string()),
            (None, lang.t("grid-fastrack-engineers").to_string()),
            (
                None,
                lang.label(AssignmentRole::MigrationVelocityManager)
                    .to_string(),
            ),
            (None, lang.t("grid-partner-people").to_string()),
        ],
    }
}

/// The cells of a display after the tenant and its priority.
pub(crate) fn cells(
    d: Display,
    lang: Lang,
    t: &TenantSummary,
    x: Option<&GridDetails>,
    services: &[&'static str],
) -> Markup {
    let empty = GridDetails::default();
    let x = x.unwrap_or(&empty);
    let people = |roles: &[AssignmentRole]| -> String {
        let names: Vec<&str> = x
            .people
            .iter()
            .filter(|(r, _, _)| roles.contains(r))
            .map(|(_, n, _)| n.as_str())
            .collect();
        if names.is_empty() {
            "—".into()
        } else {
            names.join(", ")
        }
    };
    let dash = || "—".to_string();
    match d {
        Display::Scorecard => html! {
            td { (t.customer) }
            td.num { (days_in(t)) }
            td { (t.status_date.as_deref().map_or_else(dash, |s| lang.day(s))) }
            (gain_cell(lang, t))
            @for s in services {
                td.num { (x.au.get(*s).map_or_else(dash, |bp| lang.percent_bp(*bp))) }
            }
        },
        Display::Overview => {
            let next = x.next_action.as_ref();
            html! {
                td { (lang.overall_status(t.overall_status)) }
                td { (next.map_or_else(dash, |n| n.action.clone())) }
                td { (next.and_then(|n| n.date.as_deref()).map_or_else(dash, |s| lang.day(s))) }
                td { (next.map(|n| n.owner.clone()).filter(|o| !o.is_empty()).unwrap_or_else(dash)) }
                td { (t.customer) }
                td { (people(&[AssignmentRole::RegionalManager])) }
                td.num { (t.services) }
                td.num { (t.seats) }
                (gain_cell(lang, t))
            }
        }
        Display::Assignments => html! {
            td { (lang.overall_status(t.overall_status)) }
            td { (people(&[AssignmentRole::RegionalManager])) }
            td { (people(&[AssignmentRole::FastTrackManager])) }
            td { (people(&[AssignmentRole::FastTrackEngineer])) }
            td { (people(&[AssignmentRole::MigrationVelocityManager])) }
            td { (people(&[AssignmentRole::PartnerRegionalManager, AssignmentRole::PartnerManagerRole])) }
        },
    }
}

/// The predicted six-month AU gain of a tenant (its largest service gain), in signed
/// percentage points, explained in its title; a dash without a prediction.
fn gain_cell(lang: Lang, t: &TenantSummary) -> Markup {
    match t.gain_6m_bp {
        Some(bp) => {
            let sign = if bp > 0 {
                "+"
            } else if bp < 0 {
                "−"
            } else {
                ""
            };
            html! {
                td.num.gain title=(lang.t("grid-gain-title")) {
                    (sign) (lang.points_bp(bp.abs()))
                }
            }
        }
        None => html! { td.num.gain { "—" } },
    }
}

/// Whole days since the tenant joined the program.
fn days_in(t: &TenantSummary) -> i64 {
    let joined = t.created_at.get(..10).and_then(|d| {
        time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok()
    });
    joined.map_or(0, |j| (ftop_store::today() - j).whole_days().max(0))
}

/// The tripwires, in the order shown; each has a `-title` message that explains it.
const TRIPWIRES: [&str; 5] = [
    "tripwire-blocked",
    "tripwire-unassigned",
    "tripwire-au-gain",
    "tripwire-au-drop",
    "tripwire-more-seats",
];

/// The messages the grid names by composing their ids (the catalogue test counts them).
#[cfg(test)]
pub(crate) fn message_ids() -> Vec<String> {
    let mut ids: Vec<String> = TRIPWIRES
        .iter()
        .flat_map(|k| [k.to_string(), format!("{k}-title")])
        .collect();
    ids.extend(
        Display::ALL
            .iter()
            .map(|d| format!("grid-display-{}", d.key())),
    );
    ids.extend(ftop_store::OPERATORS.iter().map(|o| format!("grid-op-{o}")));
    ids.extend(
        ftop_store::PriorityFilter::ALL
            .iter()
            .map(|p| format!("priority-filter-{}", p.key())),
    );
    ids.extend(ftop_store::REFUSALS.iter().map(|r| r.to_string()));
    ids.push("grid-filter-column".into());
    ids
}

/// The tenant's cell: its name linked to its page, then its tripwires, each a short
/// word with the explanation as its title.
pub(crate) fn tenant_cell(lang: Lang, t: &TenantSummary, x: Option<&GridDetails>) -> Markup {
    let on = [
        t.overall_status == OverallStatus::Blocked,
        t.assignees == 0,
        x.is_some_and(|x| x.au_gain),
        x.is_some_and(|x| x.au_drop),
        x.is_some_and(|x| x.more_seats),
    ];
    html! {
        a href=(format!("/tenants/{}", t.tenant_id)) { (t.name) }
        @for (key, _) in TRIPWIRES.iter().zip(on).filter(|(_, on)| *on) {
            " " span.tripwire.(key) title=(lang.t(&format!("{key}-title"))) { (lang.t(key)) }
        }
    }
}

/// The priority's cell: its name, and for a tenant the viewer may change, a form that sets
/// it by hand or back to the default (`back`: the grid's address to return to).
pub(crate) fn priority_cell(
    lang: Lang,
    t: &TenantSummary,
    writable: bool,
    csrf: Option<&str>,
    back: &str,
) -> Markup {
    html! {
        span.priority { (lang.label(t.priority)) }
        @if writable {
            form.priority-set method="post" action=(format!("/tenants/{}/priority", t.tenant_id)) {
                input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                input type="hidden" name="back" value=(back);
                label {
                    span.visually-hidden { (lang.t_with("priority-set-of", &[("tenant", t.name.clone().into())])) }
                    select name="priority" {
                        @for p in [Priority::HighOverride, Priority::MediumOverride, Priority::LowOverride] {
                            option value=(p.level().key()) selected[t.priority == p] { (lang.label(p)) }
                        }
                        option value="default" selected[!t.priority.is_override()] { (lang.t("priority-default")) }
                    }
                }
                " " button type="submit" {
                    (lang.t("priority-set"))
                    span.visually-hidden { " · " (t.name) }
                }
            }
        }
    }
}
