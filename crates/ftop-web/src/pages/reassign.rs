//! `/admin/reassign`: bulk reassignment for administrators and managers. Pick who leaves
//! and who takes over; the preview lists every tenant-level and service-level assignment
//! that would move, each with a tick to keep it in the move, and counts the selected and
//! deselected rows ("Recount" after changing ticks, without JavaScript); moving asks for a
//! confirmation that there is no undo, then happens in one transaction
//! (`service::assignments::reassign`, the same as `POST /api/v1/reassignments`).

use crate::auth::{PageViewer, Viewer};
use crate::error::{PageError, PageResult};
use crate::extract::Form;
use crate::i18n::Lang;
use crate::pages::forms::{form_error, value};
use crate::pages::layout::{flash, page};
use crate::service::assignments as service;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ftop_domain::AssignmentRole;
use maud::{Markup, html};

/// The IDs ticked (`keep`) and shown (`all`) in a preview form.
fn ids(form: &[(String, String)], name: &str) -> Vec<i64> {
    form.iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

/// What was left out: shown but not ticked (none on a first preview).
fn excluded(form: &[(String, String)]) -> Vec<i64> {
    if value(form, "picked") != "1" {
        return Vec::new();
    }
    let keep = ids(form, "keep");
    ids(form, "all")
        .into_iter()
        .filter(|i| !keep.contains(i))
        .collect()
}

/// `GET /admin/reassign[?from=&to=&picked=1&all=..&keep=..]`.
pub(crate) async fn page_get(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    crate::extract::Query(q): crate::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let message = value(&q, "done")
        .parse::<u64>()
        .ok()
        .map(|n| flash("ok", &lang.t_with("reassign-done", &[("count", n.into())])));
    view(&state, &v, lang, &q, message, StatusCode::OK).await
}

async fn view(
    state: &crate::App,
    v: &Viewer,
    lang: Lang,
    q: &[(String, String)],
    message: Option<Markup>,
    status: StatusCode,
) -> Result<Response, PageError> {
    service::may_reassign(v).page(lang)?;
    let (from, to) = (value(q, "from"), value(q, "to"));
    // The people to pick from: anyone as the one leaving (deactivated too), active
    // people to take over; the preview once both are picked.
    let all = ftop_store::UserFilter {
        limit: 1000,
        ..Default::default()
    };
    let people = state.store.user_list(&all).await.page(lang)?.0;
    let preview = if from.is_empty() || to.is_empty() {
        None
    } else {
        match service::preview(state, v, from, to, &excluded(q)).await {
            Ok(p) => Some(p),
            Err(e) => {
                let m = form_error(lang, e)?;
                return render(v, lang, &people, q, None, Some(m), status);
            }
        }
    };
    render(v, lang, &people, q, preview, message, status)
}

type Preview = (Vec<service::MoveView>, usize, usize);

fn render(
    v: &Viewer,
    lang: Lang,
    people: &[ftop_store::UserEntry],
    q: &[(String, String)],
    preview: Option<Preview>,
    message: Option<Markup>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (from, to) = (value(q, "from"), value(q, "to"));
    let csrf = v.csrf.clone().unwrap_or_default();
    let pick = |name: &str, chosen: &str, leaving: bool| {
        html! {
            select name=(name) required {
                option value="" selected[chosen.is_empty()] { "—" }
                @for u in people.iter().filter(|u| leaving || u.active) {
                    option value=(u.name) selected[u.name == chosen] {
                        (u.name) " (" (lang.label(u.role))
                        @if !u.active { ", " (lang.t("people-deactivated")) }
                        ")"
                    }
                }
            }
        }
    };
    let role = |key: &str| {
        AssignmentRole::ALL
            .iter()
            .find(|r| r.key() == key)
            .map_or(key.to_string(), |r| lang.label(*r).to_string())
    };
    let body = html! {
        h1 { (lang.t("reassign")) }
        @if let Some(m) = message { (m) }
        p { (lang.t("reassign-intro")) }
        form.filters method="get" action="/admin/reassign" {
            label { (lang.t("reassign-from")) " " (pick("from", from, true)) }
            label { (lang.t("reassign-to")) " " (pick("to", to, false)) }
            button type="submit" { (lang.t("reassign-preview")) }
        }
        @if let Some((rows, selected, deselected)) = &preview {
            form method="post" action="/admin/reassign" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="from" value=(from);
                input type="hidden" name="to" value=(to);
                input type="hidden" name="picked" value="1";
                p role="status" { (lang.t_with("reassign-counts", &[("selected", (*selected).into()), ("deselected", (*deselected).into())])) }
                table {
                    thead { tr {
                        th scope="col" { (lang.t("reassign-move")) }
                        th scope="col" { (lang.t("tenant")) }
                        th scope="col" { (lang.t("field-role")) }
                        th scope="col" { (lang.t("assignment-level")) }
                        th scope="col" { (lang.t("field-primary")) }
                    } }
                    tbody {
                        @for r in rows {
                            tr {
                                td {
                                    input type="hidden" name="all" value=(r.id);
                                    input type="checkbox" name="keep" value=(r.id) checked[r.selected] aria-label=(lang.t_with("reassign-move-row", &[("tenant", r.tenant_name.clone().into())]));
                                }
                                td { a href={ "/tenants/" (r.tenant_id) "?tab=assignments" } { (r.tenant_name) } }
                                td { (role(&r.role)) }
                                td { (r.service.clone().unwrap_or_else(|| lang.t("assignment-whole-tenant").to_string())) }
                                td { @if r.primary { "✓" } }
                            }
                        }
                    }
                }
                @if rows.is_empty() { p.muted { (lang.t("reassign-nothing")) } }
                // Recounting needs no confirmation (the browser's check of it is skipped).
                p { button type="submit" name="action" value="recount" formnovalidate { (lang.t("reassign-recount")) } }
                div.flash.error role="note" {
                    p { (lang.t("reassign-no-undo")) }
                    label { input type="checkbox" name="confirm" value="1" required; " " (lang.t("reassign-confirm")) }
                }
                button type="submit" { (lang.t_with("reassign-apply", &[("count", (*selected).into())])) }
            }
        }
    };
    Ok((status, page(lang, v, lang.t("reassign"), body)).into_response())
}

/// `POST /admin/reassign`: the move, once confirmed.
pub(crate) async fn apply(
    state: crate::State,
    PageViewer { v, lang }: PageViewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = value(&form, "csrf");
    v.check_csrf(Some(csrf)).page(lang)?;
    if value(&form, "action") == "recount" {
        return view(&state, &v, lang, &form, None, StatusCode::OK).await;
    }
    if value(&form, "confirm") != "1" {
        let e = crate::error::AppError::field_error(ftop_domain::FieldError::of(
            "confirm",
            "invalid-reassign-confirm",
        ));
        let m = form_error(lang, e)?;
        return view(
            &state,
            &v,
            lang,
            &form,
            Some(m),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (from, to) = (value(&form, "from"), value(&form, "to"));
    // Only what was shown and ticked moves: rows added since the preview stay.
    let keep = ids(&form, "keep");
    let now = service::preview(&state, &v, from, to, &[]).await;
    let exclude: Vec<i64> = match now {
        Ok((rows, _, _)) => rows
            .iter()
            .map(|r| r.id)
            .filter(|i| !keep.contains(i))
            .collect(),
        Err(e) => {
            let m = form_error(lang, e)?;
            return view(
                &state,
                &v,
                lang,
                &form,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match service::reassign(&state, &v, Some(csrf), from, to, &exclude).await {
        Ok(n) => Ok(Redirect::to(&format!("/admin/reassign?done={n}")).into_response()),
        Err(e) => {
            let m = form_error(lang, e)?;
            view(
                &state,
                &v,
                lang,
                &form,
                Some(m),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
