//! `GET /api/docs`: the API reference, rendered on the server from the OpenAPI document the
//! API serves, so it needs no network access and no JavaScript.

use crate::i18n::Lang;
use crate::pages::layout::bare;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde_json::Value;

pub(crate) async fn api_docs(headers: HeaderMap) -> Response {
    let lang = Lang::of(&headers);
    let doc: Value =
        serde_json::from_str(include_str!("../../assets/openapi.json")).unwrap_or(Value::Null);
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let body = html! {
        main {
            h1 { (doc["info"]["title"].as_str().unwrap_or("API")) }
            p { (doc["info"]["description"].as_str().unwrap_or("")) }
            p { a href="/api/v1/openapi.json" { (lang.t("openapi-document")) } " · " code { "/api/v1" } }
            @for (path, ops) in &paths {
                @for (method, op) in ops.as_object().into_iter().flatten() {
                    section.endpoint id=(format!("{method}-{}", path.replace(['/', '{', '}'], "-"))) {
                        h2 { code { (method.to_uppercase()) " /api/v1" (path) } }
                        p { (op["summary"].as_str().unwrap_or("")) }
                        @if let Some(params) = op["parameters"].as_array() {
                            table {
                                thead { tr { th { (lang.t("api-parameter")) } th { (lang.t("api-in")) } th { (lang.t("api-type")) } th { (lang.t("api-required")) } } }
                                tbody { @for p in params { tr {
                                    td { code { (p["name"].as_str().unwrap_or("")) } }
                                    td { (p["in"].as_str().unwrap_or("")) }
                                    td { (p["schema"]["type"].as_str().unwrap_or("")) }
                                    td { @if p["required"].as_bool() == Some(true) { (lang.t("yes")) } }
                                } } }
                            }
                        }
                        @if let Some(props) = op["requestBody"]["content"]["application/json"]["schema"]["properties"].as_object() {
                            h3 { (lang.t("api-json-body")) }
                            table {
                                thead { tr { th { (lang.t("api-field")) } th { (lang.t("api-type")) } th { (lang.t("api-description")) } } }
                                tbody { @for (name, p) in props { tr {
                                    td { code { (name) } }
                                    td { (p["type"].as_str().or_else(|| p["$ref"].as_str().map(|r| r.rsplit('/').next().unwrap_or(r))).unwrap_or("")) }
                                    td { (p["description"].as_str().unwrap_or("")) }
                                } } }
                            }
                        }
                        h3 { (lang.t("api-responses")) }
                        ul { @for (code, r) in op["responses"].as_object().into_iter().flatten() {
                            li { strong { (code) } " " (r["description"].as_str().unwrap_or_else(|| r["$ref"].as_str().map_or("", |x| x.rsplit('/').next().unwrap_or(x)))) }
                        } }
                    }
                }
            }
            h2 { (lang.t("api-errors")) }
            p { (errors_text(lang)) }
        }
    };
    bare(lang, lang.t("api-docs-title"), body).into_response()
}

/// The paragraph on errors, with the error document's shape as code.
fn errors_text(lang: Lang) -> maud::Markup {
    const SHAPE: &str = r#"{"error": {"code", "message", "fields": [{"field", "message"}]}}"#;
    // The message places the shape; a marker stands for it so that it can be set as code.
    const MARK: &str = "\u{1}";
    let text = lang.t_with("api-errors-text", &[("shape", MARK.into())]);
    let (before, after) = text.split_once(MARK).unwrap_or((&text, ""));
    html! { (before) code { (SHAPE) } (after) }
}
