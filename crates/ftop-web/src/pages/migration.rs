//! The Services tab's Data migration section of a service eligible for migration: whether
//! Microsoft performs it, the desired dates, the migration type rows or why not, beside
//! the playbook tasks that come before a migration with their status on the tenant;
//! changed by those who may change the tenant (`POST .../services/{service}/migration`).
//!
//! Without JavaScript: the form always ends with an empty row to fill in, and "Add a row"
//! shows the form again as typed with one more (nothing saved). A refused save shows the
//! form again as typed (422), each message beside its input, the inputs marked
//! `aria-invalid` ([`Again`]).

use crate::auth::PageViewer;
use crate::error::{AppError, Kind, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::again::{self, Again};
use crate::pages::forms::{field, value};
use crate::service::migration::{DecisionText, Prerequisite, RowText};
use axum::http::StatusCode;
use axum::response::Response;
use ftop_domain::migration::MAX_TYPES;
use ftop_domain::{MigrationRejection, MigrationStatus, MigrationType};
use ftop_store::Migration;
use maud::{Markup, html};

/// The form's name in [`Again`].
fn form_name(service: &str) -> String {
    format!("migration/{service}")
}

/// The rows a form sent, in order, blank ones kept (their places are the inputs' numbers).
fn typed_rows(form: &[(String, String)]) -> Vec<RowText> {
    (0..MAX_TYPES * 2)
        .map_while(|i| {
            field(form, &format!("type_{i}"))?;
            let get = |n: &str| value(form, &format!("{n}_{i}")).to_string();
            Some(RowText {
                migration_type: get("type"),
                entitlements: get("entitlements"),
                estimated_date: get("estimated"),
                note: get("note"),
                data_size_gb: get("size"),
                status: get("status"),
            })
        })
        .collect()
}

/// The form input a field error names (`types[2].estimated_date` is `estimated_2`).
fn input_of(field: &str) -> String {
    let Some((i, name)) = field
        .strip_prefix("types[")
        .and_then(|r| r.split_once("]."))
    else {
        return field.to_string();
    };
    let name = match name {
        "migration_type" => "type",
        "estimated_date" => "estimated",
        "data_size_gb" => "size",
        n => n,
    };
    format!("{name}_{i}")
}

/// A stored day the way the reader writes it, or `—`.
fn day(d: Option<time::Date>, lang: Lang) -> String {
    d.map_or_else(|| "—".to_string(), |d| lang.day(&d.to_string()))
}

/// The section: a form for those who may change the tenant, the decision for everyone
/// else; the prerequisite tasks beside it.
pub(crate) fn section(
    tenant: &str,
    m: &Migration,
    prerequisites: &[Prerequisite],
    again: Option<&Again>,
    lang: Lang,
    (csrf, editable): (Option<&str>, bool),
) -> Markup {
    let s = &m.service;
    let shown = again::of(again, &form_name(s));
    let d = &m.decision;
    let sum: u64 = d.types.iter().map(|r| r.entitlements).sum();
    html! {
        section.migration id=(format!("migration-{s}")) aria-labelledby=(format!("migration-{s}-title")) {
            h3 id=(format!("migration-{s}-title")) { (lang.t("migration")) }
            (prerequisite_list(tenant, prerequisites, lang))
            @if let Some(a) = shown { (a.message) }
            @if m.version > 0 && d.performing && sum != m.due {
                p.flash.error role="status" { (lang.t_with("migration-rows-out-of-step", &[("sum", sum.into()), ("due", m.due.into())])) }
            }
            @if editable {
                (form(tenant, m, shown, lang, csrf))
            } @else {
                (facts(m, lang))
            }
        }
    }
}

/// The tasks before a migration: each linked to its page, with its status on the tenant.
fn prerequisite_list(tenant: &str, ps: &[Prerequisite], lang: Lang) -> Markup {
    html! {
        aside.prerequisites {
            h4 { (lang.t("migration-prerequisites")) }
            ul {
                @for p in ps {
                    li {
                        @match &p.service {
                            Some(service) => {
                                a href=(format!("/tenants/{tenant}/tasks/{}?service={service}", p.task)) { (p.task) " · " (p.name) }
                                ": " (p.status.map_or("—", |x| lang.task_status(x)))
                            }
                            None => {
                                (p.task) @if !p.name.is_empty() { " · " (p.name) }
                                ": " span.muted { (lang.t("migration-prerequisite-missing")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The decision, read only.
fn facts(m: &Migration, lang: Lang) -> Markup {
    let d = &m.decision;
    html! {
        @if m.version == 0 {
            p.muted { (lang.t("migration-undecided")) }
        } @else {
            dl.facts {
                dt { (lang.t("migration-performing")) } dd { (lang.t(if d.performing { "yes" } else { "no" })) }
                @if d.performing {
                    dt { (lang.t("migration-desired-start")) } dd { (day(d.desired_start, lang)) }
                    dt { (lang.t("migration-desired-end")) } dd { (day(d.desired_end, lang)) }
                } @else {
                    dt { (lang.t("migration-rejection-reason")) } dd { (d.rejection_reason.map_or("—", |r| lang.label(r))) }
                }
                dt { (lang.t("migration-notes")) } dd { @if d.notes.is_empty() { "—" } @else { (d.notes) } }
            }
            @if !d.types.is_empty() {
                table.migration-types {
                    caption { (lang.t("migration-types")) }
                    thead { tr {
                        th { (lang.t("migration-type")) } th { (lang.t("entitlements")) }
                        th { (lang.t("migration-estimated")) } th { (lang.t("migration-size")) }
                        th { (lang.t("migration-row-status")) } th { (lang.t("note")) }
                    } }
                    tbody {
                        @for r in &d.types {
                            tr {
                                td { (lang.label(r.migration_type)) }
                                td { (r.entitlements) }
                                td { (day(r.estimated_date, lang)) }
                                td { (r.data_size_gb.map_or_else(|| "—".to_string(), |g| g.to_string())) }
                                td { (lang.label(r.status)) }
                                td { (r.note) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A field's message beside its input, when the form came back refused.
fn said(a: Option<&Again>, name: &str) -> Markup {
    html! {
        @if let Some(m) = again::said(a, name) {
            " " span.field-error id=(format!("{name}-error")) { (m) }
        }
    }
}

/// `aria-describedby` of an input whose message is said beside it.
fn described(a: Option<&Again>, name: &str) -> Option<String> {
    again::said(a, name).map(|_| format!("{name}-error"))
}

/// The form, with what was typed when it came back.
fn form(tenant: &str, m: &Migration, a: Option<&Again>, lang: Lang, csrf: Option<&str>) -> Markup {
    let s = &m.service;
    let d = &m.decision;
    let version = m.version.to_string();
    let stored_performing = match (m.version, d.performing) {
        (0, _) => "",
        (_, true) => "yes",
        (_, false) => "no",
    };
    let performing = again::value_or(a, "performing", stored_performing);
    let start = d.desired_start.map(|x| x.to_string()).unwrap_or_default();
    let end = d.desired_end.map(|x| x.to_string()).unwrap_or_default();
    let reason = again::value_or(
        a,
        "rejection_reason",
        d.rejection_reason.map_or("", |r| r.key()),
    );
    let rows: Vec<RowText> = match a {
        Some(a) => typed_rows(&a.typed),
        None => d.types.iter().map(RowText::of).collect(),
    };
    // Empty rows to fill in after the typed ones: one, or more after "Add a row".
    let blanks: usize = a
        .and_then(|a| a.value("blanks"))
        .and_then(|b| b.parse().ok())
        .unwrap_or(1usize)
        .clamp(1, MAX_TYPES);
    let mut rows: Vec<RowText> = rows;
    while rows.last().is_some_and(RowText::is_blank) {
        rows.pop();
    }
    let shown_rows = rows.len() + blanks;
    let types: Vec<MigrationType> = MigrationType::ALL
        .iter()
        .copied()
        .filter(|t| t.suits(s))
        .collect();
    let input = |n: &str, i: usize| format!("{n}_{i}");
    html! {
        form.migration method="post" action=(format!("/tenants/{tenant}/services/{s}/migration#migration-{s}")) {
            input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
            // Enter in a field saves: the first submit button of a form is its default.
            button.visually-hidden type="submit" tabindex="-1" aria-hidden="true" { (lang.t("save-migration")) }
            input type="hidden" name="version" value=(again::value_or(a, "version", &version));
            input type="hidden" name="blanks" value=(blanks);
            fieldset role="radiogroup" aria-invalid=[again::invalid(a, "performing")] aria-describedby=[described(a, "performing")] {
                legend { (lang.t("migration-performing")) }
                label { input type="radio" name="performing" value="yes" checked[performing == "yes"]; " " (lang.t("yes")) }
                " "
                label { input type="radio" name="performing" value="no" checked[performing == "no"]; " " (lang.t("no")) }
                (said(a, "performing"))
            }
            p.muted { (lang.t_with("migration-rows-hint", &[("due", m.due.into())])) }
            p {
                label { (lang.t("migration-desired-start")) " "
                    input type="date" name="desired_start" value=(again::value_or(a, "desired_start", &start)) aria-invalid=[again::invalid(a, "desired_start")] aria-describedby=[described(a, "desired_start")];
                }
                (said(a, "desired_start"))
                " "
                label { (lang.t("migration-desired-end")) " "
                    input type="date" name="desired_end" value=(again::value_or(a, "desired_end", &end)) aria-invalid=[again::invalid(a, "desired_end")] aria-describedby=[described(a, "desired_end")];
                }
                (said(a, "desired_end"))
            }
            p.muted { (lang.t("migration-dates-hint")) }
            table.migration-types aria-describedby=[described(a, "types")] {
                caption { (lang.t("migration-types")) (said(a, "types")) }
                thead { tr {
                    th { (lang.t("migration-type")) } th { (lang.t("entitlements")) }
                    th { (lang.t("migration-estimated")) } th { (lang.t("migration-size")) }
                    th { (lang.t("migration-row-status")) } th { (lang.t("note")) }
                } }
                tbody {
                    @for i in 0..shown_rows {
                        @let r = rows.get(i).cloned().unwrap_or_default();
                        @let status = if r.status.is_empty() { MigrationStatus::NotStarted.key().to_string() } else { r.status.clone() };
                        tr {
                            td {
                                select name=(input("type", i)) aria-label=(lang.t("migration-type")) aria-invalid=[again::invalid(a, &input("type", i))] aria-describedby=[described(a, &input("type", i))] {
                                    option value="" selected[r.migration_type.is_empty()] { "—" }
                                    @if !r.migration_type.is_empty() && MigrationType::parse(&r.migration_type).is_none_or(|t| !t.suits(s)) {
                                        option value=(r.migration_type) selected { (r.migration_type) }
                                    }
                                    @for t in &types {
                                        option value=(t.key()) selected[MigrationType::parse(&r.migration_type) == Some(*t)] { (lang.label(*t)) }
                                    }
                                }
                                (said(a, &input("type", i)))
                            }
                            td { input type="number" min="1" name=(input("entitlements", i)) value=(r.entitlements) aria-label=(lang.t("entitlements")) aria-invalid=[again::invalid(a, &input("entitlements", i))] aria-describedby=[described(a, &input("entitlements", i))]; (said(a, &input("entitlements", i))) }
                            td { input type="date" name=(input("estimated", i)) value=(r.estimated_date) aria-label=(lang.t("migration-estimated")) aria-invalid=[again::invalid(a, &input("estimated", i))] aria-describedby=[described(a, &input("estimated", i))]; (said(a, &input("estimated", i))) }
                            td { input type="number" min="0" name=(input("size", i)) value=(r.data_size_gb) aria-label=(lang.t("migration-size")) aria-invalid=[again::invalid(a, &input("size", i))] aria-describedby=[described(a, &input("size", i))]; (said(a, &input("size", i))) }
                            td {
                                select name=(input("status", i)) aria-label=(lang.t("migration-row-status")) aria-invalid=[again::invalid(a, &input("status", i))] aria-describedby=[described(a, &input("status", i))] {
                                    @if MigrationStatus::parse(&status).is_none() { option value=(status) selected { (status) } }
                                    @for x in MigrationStatus::ALL { option value=(x.key()) selected[MigrationStatus::parse(&status) == Some(*x)] { (lang.label(*x)) } }
                                }
                                (said(a, &input("status", i)))
                            }
                            td { textarea name=(input("note", i)) rows="2" cols="24" aria-label=(lang.t("note")) aria-invalid=[again::invalid(a, &input("note", i))] aria-describedby=[described(a, &input("note", i))] { (r.note) } (said(a, &input("note", i))) }
                        }
                    }
                }
            }
            @if shown_rows < MAX_TYPES {
                p { button type="submit" name="add_row" value="1" formnovalidate { (lang.t("migration-add-row")) } }
            }
            fieldset {
                legend { (lang.t("migration-declined")) }
                label { (lang.t("migration-rejection-reason")) " "
                    select name="rejection_reason" aria-invalid=[again::invalid(a, "rejection_reason")] aria-describedby=[described(a, "rejection_reason")] {
                        option value="" selected[reason.is_empty()] { "—" }
                        @if !reason.is_empty() && MigrationRejection::parse(reason).is_none() { option value=(reason) selected { (reason) } }
                        @for r in MigrationRejection::ALL { option value=(r.key()) selected[MigrationRejection::parse(reason) == Some(*r)] { (lang.label(*r)) } }
                    }
                }
                (said(a, "rejection_reason"))
            }
            p {
                label { (lang.t("migration-notes")) br;
                    textarea name="notes" rows="3" cols="60" aria-invalid=[again::invalid(a, "notes")] aria-describedby=[described(a, "notes")] { (again::value_or(a, "notes", &d.notes)) }
                }
                (said(a, "notes"))
            }
            button type="submit" { (lang.t("save-migration")) }
        }
    }
}

/// The decision typed into the form.
fn typed(form: &[(String, String)]) -> DecisionText {
    DecisionText {
        performing: match value(form, "performing") {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        desired_start: value(form, "desired_start").to_string(),
        desired_end: value(form, "desired_end").to_string(),
        rejection_reason: value(form, "rejection_reason").to_string(),
        notes: value(form, "notes").to_string(),
        types: typed_rows(form),
    }
}

/// `POST /tenants/{id}/services/{service}/migration`: saves the decision, or (with
/// `add_row`) shows the form again as typed with one more empty row.
pub(crate) async fn save(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, service)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = field(&form, "csrf");
    let name = form_name(&service);
    if field(&form, "add_row").is_some() {
        // Who may change it, and a service that has a decision, before anything is shown.
        super::record::may_write(&state, &v, lang, &id, csrf).await?;
        state
            .store
            .migration(&id, &service)
            .await
            .map_err(AppError::from)
            .page(lang)?;
        let blanks: usize = value(&form, "blanks").parse().unwrap_or(1);
        let mut typed: Vec<(String, String)> = form
            .into_iter()
            .filter(|(k, _)| k != "add_row" && k != "blanks")
            .collect();
        typed.push(("blanks".into(), (blanks.saturating_add(1)).to_string()));
        let mut a = Again::refused(&name, typed, html! {}, Vec::new());
        a.status = StatusCode::OK;
        return super::tenant::show_again(&state, &v, lang, &id, "services", a).await;
    }
    let version: i64 = value(&form, "version").parse().unwrap_or(-1);
    let result = match crate::service::migration::parse(&typed(&form)) {
        // Who may change it comes before what was typed is judged.
        Err(bad) => match super::record::may_write(&state, &v, lang, &id, csrf).await {
            Ok(()) => Err(AppError::invalid(bad)),
            Err(e) => return Err(e),
        },
        Ok((d, places)) => {
            crate::service::migration::change(&state, &v, (&id, &service), csrf, version, &d)
                .await
                .map(|_| ())
                .map_err(|e| match e.kind {
                    Kind::Invalid => AppError::invalid(crate::service::migration::in_typed_rows(
                        e.fields, &places,
                    )),
                    _ => e,
                })
        }
    };
    match result {
        Ok(()) => super::record::back(
            &id,
            "services",
            Ok::<_, AppError>("saved=migration".into()),
            lang,
        ),
        // A service without a decision is not a mistake in the form: its own page.
        Err(e) if e.kind == Kind::Invalid && e.fields.iter().any(|f| f.field == "service") => {
            Err(PageError::new(lang, e))
        }
        Err(e) if e.kind == Kind::Invalid => {
            let bad: Vec<String> = e.fields.iter().map(|f| input_of(&f.field)).collect();
            let said = e
                .fields
                .iter()
                .map(|f| (input_of(&f.field), f.message(lang.0)))
                .collect();
            let m = super::forms::form_error(lang, e)?;
            let a = Again::refused(&name, form, m, bad).with_said(said);
            super::tenant::show_again(&state, &v, lang, &id, "services", a).await
        }
        // Saved meanwhile by someone else: the form again as typed, with the notice.
        Err(e) if e.kind == Kind::Conflict => {
            let current = state
                .store
                .migration(&id, &service)
                .await
                .map_err(AppError::from)
                .page(lang)?
                .version;
            let a = Again::conflict(&name, form, current, lang);
            super::tenant::show_again(&state, &v, lang, &id, "services", a).await
        }
        Err(e) => super::record::back(&id, "services", Err::<String, _>(e), lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_their_inputs() {
        assert_eq!(input_of("types[2].estimated_date"), "estimated_2");
        assert_eq!(input_of("types[0].migration_type"), "type_0");
        assert_eq!(input_of("types[11].data_size_gb"), "size_11");
        assert_eq!(input_of("types[1].entitlements"), "entitlements_1");
        assert_eq!(input_of("desired_end"), "desired_end");
        assert_eq!(input_of("types"), "types");
    }
}
