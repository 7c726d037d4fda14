//! The grid's column filters: up to three conditions, each a column, an operator and a
//! value (`c1`, `o1`, `v1`, ...), read from the query string, checked against the
//! column's kind (text, number, date) and written back into the filter form with the
//! message beside the value the grid could not use.

use crate::i18n::Lang;
pub(crate) use ftop_domain::catalogue::name_of as service_name;
use ftop_store::{ColumnCondition, GridColumn};
use maud::{Markup, html};

/// How many column filters the form offers.
pub(crate) const SLOTS: usize = 3;

/// One row of the filter form as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Typed {
    pub(crate) column: String,
    pub(crate) op: String,
    pub(crate) value: String,
}

/// The rows as typed and what came of each: a condition, nothing (an unused row), or the
/// message key of why it cannot be used.
pub(crate) struct ColumnFilters {
    pub(crate) typed: [Typed; SLOTS],
    pub(crate) outcome: [Result<Option<ColumnCondition>, &'static str>; SLOTS],
}

impl ColumnFilters {
    /// The rows from the query string's values.
    pub(crate) fn read(typed: [Typed; SLOTS]) -> ColumnFilters {
        let outcome = typed.clone().map(|t| {
            if t.column.is_empty() {
                return Ok(None);
            }
            let column = GridColumn::parse(&t.column).ok_or("grid-filter-column")?;
            ColumnCondition::parse(column, &t.op, &t.value).map(Some)
        });
        ColumnFilters { typed, outcome }
    }

    /// The conditions that can be used.
    pub(crate) fn conditions(&self) -> Vec<ColumnCondition> {
        self.outcome
            .iter()
            .filter_map(|o| o.clone().ok().flatten())
            .collect()
    }

    /// Whether a row could not be used.
    pub(crate) fn refused(&self) -> bool {
        self.outcome.iter().any(Result::is_err)
    }

    /// The rows in a URL's query (`&c1=...&o1=...&v1=...`), the unused ones left out.
    pub(crate) fn query(&self) -> String {
        let mut s = String::new();
        for (i, t) in self.typed.iter().enumerate() {
            if !t.column.is_empty() {
                let n = i + 1;
                s.push_str(&format!(
                    "&c{n}={}&o{n}={}&v{n}={}",
                    crate::auth::urlencode(&t.column),
                    crate::auth::urlencode(&t.op),
                    crate::auth::urlencode(&t.value)
                ));
            }
        }
        s
    }

    /// The form's rows: column, operator, value; a refused row's value marked invalid with
    /// its message beside it. `services`: the service keys whose AU can be filtered.
    pub(crate) fn form(&self, lang: Lang, services: &[&'static str]) -> Markup {
        // Folded away until used: open when a filter is set or refused.
        let used = self.typed.iter().any(|t| !t.column.is_empty());
        html! {
            details.column-filters open[used] {
            summary { (lang.t("grid-column-filters")) }
            fieldset.column-filters {
                legend.visually-hidden { (lang.t("grid-column-filters")) }
                @for (i, t) in self.typed.iter().enumerate() {
                    @let n = i + 1;
                    @let refused = self.outcome[i].as_ref().err();
                    div.column-filter {
                        label { span.visually-hidden { (lang.t_with("grid-filter-number-n", &[("n", n.into())])) " " } (lang.t("grid-filter-column-label"))
                            select name=(format!("c{n}")) {
                                option value="" selected[t.column.is_empty()] { "—" }
                                @for (key, label) in columns(lang, services) {
                                    option value=(key) selected[t.column == key] { (label) }
                                }
                            }
                        }
                        " "
                        label { span.visually-hidden { (lang.t_with("grid-filter-number-n", &[("n", n.into())])) " " } (lang.t("grid-filter-op-label"))
                            select name=(format!("o{n}")) {
                                @for op in ftop_store::OPERATORS {
                                    option value=(op) selected[t.op == op] { (lang.t(&format!("grid-op-{op}"))) }
                                }
                            }
                        }
                        " "
                        label { span.visually-hidden { (lang.t_with("grid-filter-number-n", &[("n", n.into())])) " " } (lang.t("grid-filter-value-label"))
                            @if refused.is_some() {
                                input type="text" name=(format!("v{n}")) value=(t.value) size="14"
                                    aria-invalid="true" aria-describedby=(format!("v{n}-error"));
                            } @else {
                                input type="text" name=(format!("v{n}")) value=(t.value) size="14";
                            }
                            @if let Some(why) = refused {
                                " " span.field-error id=(format!("v{n}-error")) { (lang.t(why)) }
                            }
                        }
                    }
                }
                p.muted { (lang.t("grid-filter-hint")) }
            }
            }
        }
    }
}

/// The columns a filter can test, with their names in the reader's language.
fn columns(lang: Lang, services: &[&'static str]) -> Vec<(String, String)> {
    let mut out = vec![
        ("name".to_string(), lang.t("tenant").to_string()),
        ("customer".into(), lang.t("customer").into()),
        ("seats".into(), lang.t("seats").into()),
        ("days".into(), lang.t("grid-days").into()),
        ("status-date".into(), lang.t("grid-status-date").into()),
    ];
    for s in services {
        let name = service_name(s);
        out.push((
            format!("au-{s}"),
            lang.t_with("grid-au-of", &[("service", name.into())]),
        ));
    }
    out
}
