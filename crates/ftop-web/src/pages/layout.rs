//! The page shell: header with navigation, language switch and sign-out; flash messages.

use crate::auth::Viewer;
use crate::i18n::Lang;
use axum::response::Html;
use maud::{DOCTYPE, Markup, html};

/// A page without navigation (sign-in, errors).
pub(crate) fn bare(lang: Lang, title: &str, body: Markup) -> Html<String> {
    shell(lang, title, false, body)
}

fn shell(lang: Lang, title: &str, boosted: bool, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (lang.t("app")) }
                    link rel="stylesheet" href="/assets/app.css";
                    @if boosted {
                        // Every answer is a whole page (a refused form shown again is a 422,
                        // an error page a 4xx or 5xx): htmx swaps them all in, not only 2xx.
                        meta name="htmx-config" content=r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}]}"#;
                        script src="/assets/htmx.min.js" defer {}
                        script src="/assets/ftop.js" defer {}
                    }
                }
                @if boosted { body hx-boost="true" { (body) } } @else { body { (body) } }
            }
        }
        .into_string(),
    )
}

/// A page with the portal's navigation. With JavaScript, htmx boosts links and forms (the
/// page is swapped in place instead of reloaded); without it, everything works the same.
pub(crate) fn page(lang: Lang, viewer: &Viewer, title: &str, body: Markup) -> Html<String> {
    let nav = html! {
        header.top {
            a.brand href="/" { (lang.t("app")) }
            nav {
                a href="/" { (lang.t("tenants")) } " "
                a href="/portfolio" { (lang.t("portfolio")) } " "
                a href="/adoption" { (lang.t("adoption")) } " "
                a href="/reports" { (lang.t("reports")) } " "
                a href="/notes" { (lang.t("notes")) } " "
                a href="/playbook" { (lang.t("playbook")) }
                @if crate::service::people::administers_users(viewer) {
                    " " a href="/admin/users" { (lang.t("people-users")) }
                }
                @if viewer.user.role == ftop_domain::UserRole::Admin {
                    " " a href="/admin/partners" { (lang.t("people-partners")) }
                }
                @if matches!(viewer.user.role, ftop_domain::UserRole::Admin | ftop_domain::UserRole::Manager) {
                    " " a href="/admin/reassign" { (lang.t("reassign")) }
                }
            }
            div.who {
                span { a href="/account" title=(lang.t("account")) { (viewer.user.name) } " · " (lang.label(viewer.user.role)) }
                span.langs aria-label=(lang.t("language")) {
                    @for l in Lang::ALL {
                        @if l == lang { strong lang=(l.code()) { (l.name()) } } @else { a href=(format!("/lang/{}", l.code())) lang=(l.code()) hreflang=(l.code()) hx-boost="false" { (l.name()) } }
                    }
                }
                @if let Some(csrf) = &viewer.csrf {
                    form.inline method="post" action="/signout" hx-boost="false" {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" { (lang.t("sign-out")) }
                    }
                }
            }
        }
    };
    shell(lang, title, true, html! { (nav) main { (body) } })
}

/// A message box.
pub(crate) fn flash(kind: &str, text: &str) -> Markup {
    // Screen readers announce a failure at once (alert) and an outcome politely (status).
    let role = if kind == "error" { "alert" } else { "status" };
    html! { p class=(format!("flash {kind}")) role=(role) { (text) } }
}

/// A form sent through htmx (a boosted POST) that is answered with a page, not a redirect
/// (a refused form shown again, a suggestion, an error page), keeps the browser at the
/// address it was on: htmx would otherwise show the form's POST address, which a reload
/// cannot GET. Redirects are followed by the browser and show where they lead.
pub(crate) async fn keep_address(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let boosted_post =
        req.method() != axum::http::Method::GET && req.headers().contains_key("hx-request");
    let mut res = next.run(req).await;
    if boosted_post && !res.status().is_redirection() {
        res.headers_mut()
            .insert("hx-push-url", axum::http::HeaderValue::from_static("false"));
    }
    res
}
