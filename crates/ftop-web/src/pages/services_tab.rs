//! The Services tab of a tenant: each service's entitlement status rows (L1/L2/L3), edited
//! as one form per service, with Suggest.
//!
//! Without JavaScript every choice is offered (reasons grouped under their status) and the
//! form is checked when saved; with it (`/assets/ftop.js`) a row's reasons follow its
//! status, its engineering reasons follow its reason, and the count of placed
//! entitlements is shown as rows change. A refused save and a Suggest show the tab again
//! with everything typed ([`Again`]); Suggest fills the row's status and reason, never
//! saves.

use crate::auth::PageViewer;
use crate::error::{AppError, Kind, PageError, PageResult};
use crate::extract::{Form, Path};
use crate::i18n::Lang;
use crate::pages::again::{self, Again};
use crate::pages::forms::{field, value};
use crate::pages::layout::flash;
use axum::http::StatusCode;
use axum::response::Response;
use ftop_domain::FieldError;
use ftop_domain::suggest::NoSuggestion;
use ftop_domain::taxonomy::{L1, StatusRow};
use ftop_store::{Actor, ServiceStatus, Tenant};
use maud::{Markup, html};

/// Rows a form may carry at most.
const MAX_ROWS: usize = 100;

/// A status row as the form holds it: text, so that what was typed can be shown again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RowInput {
    l1: String,
    l2: String,
    l3: String,
    count: String,
    target: String,
    owner: String,
    note: String,
}

impl RowInput {
    fn of(r: &StatusRow) -> RowInput {
        RowInput {
            l1: r.l1.key().to_string(),
            l2: r.l2.clone().unwrap_or_default(),
            l3: r.l3.clone().unwrap_or_default(),
            count: r.count.to_string(),
            target: r.target_date.map(|d| d.to_string()).unwrap_or_default(),
            owner: r.owner.clone().unwrap_or_default(),
            note: r.note.clone(),
        }
    }

    fn typed(form: &[(String, String)], i: usize) -> Option<RowInput> {
        let get = |n: &str| value(form, &format!("{n}_{i}")).to_string();
        field(form, &format!("l1_{i}"))?;
        Some(RowInput {
            l1: get("l1"),
            l2: get("l2"),
            l3: get("l3"),
            count: get("count"),
            target: get("target"),
            owner: get("owner"),
            note: get("note"),
        })
    }

    fn is_blank(&self) -> bool {
        [
            &self.l1,
            &self.l2,
            &self.l3,
            &self.count,
            &self.target,
            &self.owner,
            &self.note,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The rows a service form sent, in order, without the blank rows at the end (a form has
/// at most [`MAX_ROWS`]). A row's index is its place in the form.
fn typed_rows(form: &[(String, String)]) -> Vec<RowInput> {
    let mut rows: Vec<RowInput> = (0..MAX_ROWS)
        .map_while(|i| RowInput::typed(form, i))
        .collect();
    while rows.last().is_some_and(RowInput::is_blank) {
        rows.pop();
    }
    rows
}

/// The Services tab: each service's seats and its status rows, one form per service.
#[allow(clippy::too_many_arguments)]
pub(crate) fn services_tab(
    t: &Tenant,
    statuses: &[ServiceStatus],
    extras: &[Markup],
    owners: &[String],
    again: Option<&Again>,
    lang: Lang,
    csrf: Option<&str>,
    editable: bool,
) -> Markup {
    html! {
        @for ((s, st), extra) in t.services.iter().zip(statuses).zip(extras) {
            @let shown = again::of(again, &format!("services/{}", s.service));
            @let rows: Vec<RowInput> = match shown {
                Some(a) => typed_rows(&a.typed),
                None => st.rows.iter().map(RowInput::of).collect(),
            };
            @let version = st.version.to_string();
            @let version = again::value_or(shown, "version", &version);
            @let bad: &[String] = shown.map_or(&[], |a| a.bad.as_slice());
            section.service id=(format!("service-{}", s.service)) {
                h2 { (lang.t_with("service-heading", &[("service", s.name.as_str().into()), ("entitlements", s.entitlements.into()), ("qualified", s.qualified.into())])) }
                @if let Some(a) = shown { (a.message) }
                form.status-rows method="post" action=(format!("/tenants/{}/services/{}#service-{}", t.tenant_id, s.service, s.service)) data-total=(s.entitlements) {
                    input type="hidden" name="csrf" value=(csrf.unwrap_or(""));
                    // Enter in a field saves: the first submit button of a form is its default.
                    @if editable { button.visually-hidden type="submit" tabindex="-1" aria-hidden="true" { (lang.t("save")) } }
                    input type="hidden" name="version" value=(version);
                    table {
                        thead { tr {
                            th { (lang.t("l1")) } th { (lang.t("l2")) } th { (lang.t("l3")) }
                            th { (lang.t("entitlements")) }
                            th { (lang.t("target-date")) }
                            th { (lang.t("owner")) }
                            th { (lang.t("note")) }
                            @if editable { th { span.visually-hidden { (lang.t("suggest")) } } }
                        } }
                        tbody {
                            @for (i, r) in rows.iter().chain(std::iter::once(&RowInput::default())).enumerate() {
                                (row(i, r, owners, bad, lang, editable))
                            }
                        }
                    }
                    @if editable {
                        p {
                            button type="submit" { (lang.t("save")) } " "
                            span.muted { (lang.t("rows-add-up")) } " "
                            @let placed: u64 = rows.iter().filter_map(|r| r.count.trim().parse::<u64>().ok()).sum();
                            @let total = s.entitlements;
                            output.rows-total.off[placed != total.max(0) as u64] aria-live="polite"
                                data-template=(lang.t_with("rows-total", &[("placed", "__PLACED__".into()), ("total", total.into())])) {
                                (lang.t_with("rows-total", &[("placed", placed.into()), ("total", total.into())]))
                            }
                        }
                    }
                }
                (extra)
            }
        }
        (reasons_explained(lang))
    }
}

fn invalid(bad: &[String], name: &str) -> Option<&'static str> {
    bad.iter().any(|b| b == name).then_some("true")
}

fn row(
    i: usize,
    r: &RowInput,
    owners: &[String],
    bad: &[String],
    lang: Lang,
    editable: bool,
) -> Markup {
    let name = |n: &str| format!("{n}_{i}");
    html! {
        tr {
            td { select name=(name("l1")) disabled[!editable] aria-label=(lang.t("l1")) aria-invalid=[invalid(bad, &name("l1"))] {
                option value="" selected[r.l1.is_empty()] { "—" }
                @for x in L1::ALL { option value=(x.key()) selected[L1::parse(&r.l1) == Some(x)] { (lang.label(x)) } }
            } }
            td { (reason_choice(i, &r.l2, lang, editable, invalid(bad, &name("l2")))) }
            td { (engineering_choice(i, &r.l2, &r.l3, lang, editable, invalid(bad, &name("l3")))) }
            td { input type="number" min="0" name=(name("count")) value=(r.count) disabled[!editable] aria-label=(lang.t("entitlements")) aria-invalid=[invalid(bad, &name("count"))]; }
            td { input type="date" name=(name("target")) value=(r.target) disabled[!editable] aria-label=(lang.t("target-date")) aria-invalid=[invalid(bad, &name("target"))]; }
            td { select name=(name("owner")) disabled[!editable] aria-label=(lang.t("owner")) aria-invalid=[invalid(bad, &name("owner"))] {
                option value="" selected[r.owner.is_empty()] { (lang.t("owner-unassigned")) }
                @if !r.owner.is_empty() && !owners.contains(&r.owner) { option value=(r.owner) selected { (r.owner) } }
                @for o in owners { option value=(o) selected[*o == r.owner] { (o) } }
            } }
            td { textarea name=(name("note")) rows="2" cols="28" disabled[!editable] aria-label=(lang.t("note")) aria-invalid=[invalid(bad, &name("note"))] { (r.note) } }
            @if editable {
                td { button type="submit" name="suggest" value=(i) formnovalidate title=(lang.t("suggest-hint")) aria-label=(lang.t_with("suggest-row", &[("row", (i + 1).into())])) { (lang.t("suggest")) } }
            }
        }
    }
}

/// The reason (L2) of row `i`: every reason by its name, grouped by the status it belongs
/// to (`data-l1`, for the script that offers only the row's status's reasons).
fn reason_choice(i: usize, current: &str, lang: Lang, editable: bool, bad: Option<&str>) -> Markup {
    let known = ftop_domain::taxonomy::reason(current).filter(|_| !current.is_empty());
    html! {
        select name=(format!("l2_{i}")) disabled[!editable] aria-label=(lang.t("l2")) aria-invalid=[bad] {
            option value="" { "—" }
            @if known.is_none() && !current.is_empty() { option value=(current) selected { (current) } }
            @for l1 in L1::ALL.iter().filter(|l| !l.reasons().is_empty()) {
                optgroup label=(lang.label(*l1)) data-l1=(l1.key()) {
                    @for reason in l1.reasons() {
                        option value=(reason.key) selected[known.is_some_and(|k| k.key == reason.key)] { (lang.reason(reason.key)) }
                    }
                }
            }
        }
    }
}

/// The engineering reason (L3) of row `i`: grouped by the reason (L2) they belong to
/// (`data-l2`); the row's own reason's choice is the one selected.
fn engineering_choice(
    i: usize,
    l2: &str,
    current: &str,
    lang: Lang,
    editable: bool,
    bad: Option<&str>,
) -> Markup {
    let reason = ftop_domain::taxonomy::reason(l2).filter(|_| !l2.is_empty());
    let chosen = reason.and_then(|x| x.engineering_reason(current));
    html! {
        select name=(format!("l3_{i}")) disabled[!editable] aria-label=(lang.t("l3")) aria-invalid=[bad] {
            option value="" { "—" }
            @if chosen.is_none() && !current.is_empty() { option value=(current) selected { (current) } }
            @for l1 in L1::ALL {
                @for x in l1.reasons().iter().filter(|x| !x.engineering.is_empty()) {
                    optgroup label=(lang.reason(x.key)) data-l2=(x.key) {
                        @for (key, _) in x.engineering {
                            @let here = reason.is_some_and(|r| r.key == x.key);
                            option value=(key) selected[here && chosen.is_some_and(|(k, _)| k == *key)] { (lang.engineering_reason(key)) }
                        }
                    }
                }
            }
        }
    }
}

/// What each reason means, in the reader's language (the sentences Suggest learns from).
fn reasons_explained(lang: Lang) -> Markup {
    html! {
        details.reasons {
            summary { (lang.t("reasons-explained")) }
            dl {
                @for l1 in L1::ALL {
                    @for r in l1.reasons() {
                        dt { (lang.label(l1)) " · " (lang.reason(r.key)) }
                        dd { (lang.t(&format!("l2-about-{}", r.key))) }
                    }
                }
            }
        }
    }
}

/// The rows of a form as the store takes them, each with its place in the form (blank rows
/// are left out, so the store's `rows[k]` is the form's row `places[k]`), or the fields at
/// fault.
fn parse_rows(rows: &[RowInput]) -> Result<(Vec<StatusRow>, Vec<usize>), Vec<FieldError>> {
    let mut out = Vec::new();
    let mut places = Vec::new();
    let mut bad = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let Some(l1) = L1::parse(&r.l1) else {
            bad.push(FieldError::of(
                format!("rows[{i}].l1"),
                "invalid-choose-status",
            ));
            continue;
        };
        let target_date = match text(&r.target) {
            None => None,
            Some(s) => {
                let fmt = time::macros::format_description!("[year]-[month]-[day]");
                match time::Date::parse(&s, &fmt) {
                    Ok(d) => Some(d),
                    Err(_) => {
                        bad.push(
                            FieldError::of(format!("rows[{i}].target_date"), "invalid-date")
                                .quoting("value", &s),
                        );
                        None
                    }
                }
            }
        };
        let count = match r.count.trim().parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                bad.push(
                    FieldError::of(format!("rows[{i}].count"), "invalid-count-whole")
                        .quoting("value", r.count.trim()),
                );
                0
            }
        };
        places.push(i);
        out.push(StatusRow {
            l1,
            l2: text(&r.l2),
            l3: text(&r.l3),
            count,
            target_date,
            owner: text(&r.owner),
            note: r.note.trim().to_string(),
            next_action_date: None,
        });
    }
    if bad.is_empty() {
        Ok((out, places))
    } else {
        Err(bad)
    }
}

/// The store's field errors with its row numbers (`rows[k]`, the rows it was given) turned
/// into the form's (`places[k]`).
fn in_form_rows(mut fields: Vec<FieldError>, places: &[usize]) -> Vec<FieldError> {
    let place = |k: i64| {
        usize::try_from(k)
            .ok()
            .and_then(|k| places.get(k))
            .map_or(k, |p| *p as i64)
    };
    for f in &mut fields {
        if let Some((k, rest)) = f
            .field
            .strip_prefix("rows[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(k, rest)| Some((k.parse::<i64>().ok()?, rest.to_string())))
        {
            f.field = format!("rows[{}]{rest}", place(k));
        }
        for (name, arg) in &mut f.args {
            if let ("first" | "second", ftop_domain::Arg::Number(n)) = (*name, &mut *arg) {
                *n = place(*n);
            }
        }
    }
    fields
}

/// The form input a field error names (`rows[2].target_date` is `target_2`).
fn input_of(field: &str) -> Option<String> {
    let rest = field.strip_prefix("rows[")?;
    let (i, name) = rest.split_once("].")?;
    let name = match name {
        "target_date" => "target",
        n => n,
    };
    Some(format!("{name}_{i}"))
}

/// `POST /tenants/{id}/services/{service}`: saves the service's status rows, or (with
/// `suggest=N`) shows the form again with row N's status and reason suggested.
pub(crate) async fn set_rows(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Path((id, service)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = field(&form, "csrf");
    super::record::may_write(&state, &v, lang, &id, csrf).await?;
    let mut rows = typed_rows(&form);
    let name = format!("services/{service}");
    if let Some(n) = field(&form, "suggest") {
        // A service the tenant does not have is not found (a save learns it from the store).
        state
            .store
            .service_status(&id, &service)
            .await
            .map_err(AppError::from)
            .page(lang)?;
        let (message, bad, status) = suggest(&state, &v, lang, &id, csrf, &mut rows, n).await?;
        // The form as typed, with the suggestion written into its row.
        let mut typed: Vec<(String, String)> = form
            .iter()
            .filter(|(k, _)| {
                k != "suggest"
                    && !k.starts_with("l1_")
                    && !k.starts_with("l2_")
                    && !k.starts_with("l3_")
            })
            .cloned()
            .collect();
        for (i, r) in rows.iter().enumerate() {
            typed.push((format!("l1_{i}"), r.l1.clone()));
            typed.push((format!("l2_{i}"), r.l2.clone()));
            typed.push((format!("l3_{i}"), r.l3.clone()));
        }
        let mut a = Again::refused(&name, typed, message, bad);
        a.status = status;
        return super::tenant::show_again(&state, &v, lang, &id, "services", a).await;
    }
    let version: i64 = value(&form, "version").parse().unwrap_or(-1);
    let result = match parse_rows(&rows) {
        Err(bad) => Err(AppError::invalid(bad)),
        Ok((parsed, places)) => state
            .store
            .set_status_rows(&Actor::user(&v.user), &id, &service, version, &parsed)
            .await
            .map(|_| ())
            .map_err(|e| match e {
                ftop_store::StoreError::Invalid(inv) => {
                    AppError::invalid(in_form_rows(inv.0, &places))
                }
                e => AppError::from(e),
            }),
    };
    match result {
        Ok(()) => super::record::back(
            &id,
            "services",
            Ok::<_, AppError>("saved=services".into()),
            lang,
        ),
        Err(e) if e.kind == Kind::Invalid => {
            let bad = e.fields.iter().filter_map(|f| input_of(&f.field)).collect();
            let m = super::forms::form_error(lang, e)?;
            let a = Again::refused(&name, form, m, bad);
            super::tenant::show_again(&state, &v, lang, &id, "services", a).await
        }
        // Changed meanwhile: the form again as typed, with the notice to reload.
        Err(e) if e.kind == Kind::Conflict => {
            let current = state
                .store
                .service_status(&id, &service)
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

/// Suggest for row `n` of `rows` (its status and reason filled in when the model is sure
/// enough): the message to show, the inputs at fault, the status of the answer.
async fn suggest(
    state: &crate::App,
    v: &crate::auth::Viewer,
    lang: Lang,
    id: &str,
    csrf: Option<&str>,
    rows: &mut [RowInput],
    n: &str,
) -> Result<(Markup, Vec<String>, StatusCode), PageError> {
    let i: usize = n.parse().unwrap_or(usize::MAX);
    let note = rows.get(i).map(|r| r.note.clone()).unwrap_or_default();
    // The blank last row has no note: the same refusal as an empty one.
    let outcome = crate::service::suggest::for_note(state, v, id, &note, csrf).await;
    let row = i.saturating_add(1);
    let text = match outcome {
        Ok(Ok(s)) => {
            if let Some(r) = rows.get_mut(i) {
                r.l1 = s.l1.key().to_string();
                if r.l2 != s.reason.key {
                    r.l2 = s.reason.key.to_string();
                    r.l3.clear();
                }
            }
            lang.t_with(
                "suggested",
                &[
                    ("row", row.into()),
                    ("status", lang.label(s.l1).into()),
                    ("reason", lang.reason(s.reason.key).into()),
                    ("confidence", percent(s.confidence).into()),
                ],
            )
        }
        Ok(Err(NoSuggestion::Unsure(s))) => lang.t_with(
            "suggest-unsure",
            &[
                ("row", row.into()),
                ("reason", lang.reason(s.reason.key).into()),
                ("confidence", percent(s.confidence).into()),
            ],
        ),
        Ok(Err(NoSuggestion::NothingKnown)) => {
            lang.t_with("suggest-nothing", &[("row", row.into())])
        }
        Err(e) => {
            let m = super::forms::form_error(lang, e)?;
            return Ok((
                m,
                vec![format!("note_{n}")],
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    Ok((flash("ok", &text), Vec::new(), StatusCode::OK))
}

/// A confidence (0 to 1) as a whole percentage, at most 99: a model is never certain.
fn percent(p: f64) -> i64 {
    ((p * 100.0).round() as i64).clamp(0, 99)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_their_inputs() {
        assert_eq!(input_of("rows[2].target_date").as_deref(), Some("target_2"));
        assert_eq!(input_of("rows[0].l2").as_deref(), Some("l2_0"));
        assert_eq!(input_of("rows"), None);
    }

    #[test]
    fn typed_rows_keep_everything_and_drop_blank_ones() {
        let form: Vec<(String, String)> = [
            ("l1_0", "blocked"),
            ("count_0", "abc"),
            ("note_0", "a long note"),
            ("l1_1", ""),
            ("l1_2", "in-progress"),
            ("l1_3", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let rows = typed_rows(&form);
        assert_eq!(rows.len(), 3, "the blank row at the end is dropped");
        assert_eq!(rows[0].count, "abc");
        assert_eq!(rows[0].note, "a long note");
        assert!(rows[1].is_blank());
        assert_eq!(rows[2].l1, "in-progress");
        let bad = parse_rows(&rows).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["rows[0].count", "rows[2].count"]);
    }
}
