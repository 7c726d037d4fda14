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
            p { a href="/api/v1/openapi.json" { "openapi.json" } " · " code { "/api/v1" } }
            @for (path, ops) in &paths {
                @for (method, op) in ops.as_object().into_iter().flatten() {
                    section.endpoint id=(format!("{method}-{}", path.replace(['/', '{', '}'], "-"))) {
                        h2 { code { (method.to_uppercase()) " /api/v1" (path) } }
                        p { (op["summary"].as_str().unwrap_or("")) }
                        @if let Some(params) = op["parameters"].as_array() {
                            table {
                                thead { tr { th { "parameter" } th { "in" } th { "type" } th { "required" } } }
                                tbody { @for p in params { tr {
                                    td { code { (p["name"].as_str().unwrap_or("")) } }
                                    td { (p["in"].as_str().unwrap_or("")) }
                                    td { (p["schema"]["type"].as_str().unwrap_or("")) }
                                    td { @if p["required"].as_bool() == Some(true) { "yes" } }
                                } } }
                            }
                        }
                        @if let Some(props) = op["requestBody"]["content"]["application/json"]["schema"]["properties"].as_object() {
                            h3 { "JSON body" }
                            table {
                                thead { tr { th { "field" } th { "type" } th { "description" } } }
                                tbody { @for (name, p) in props { tr {
                                    td { code { (name) } }
                                    td { (p["type"].as_str().or_else(|| p["$ref"].as_str().map(|r| r.rsplit('/').next().unwrap_or(r))).unwrap_or("")) }
                                    td { (p["description"].as_str().unwrap_or("")) }
                                } } }
                            }
                        }
                        h3 { "responses" }
                        ul { @for (code, r) in op["responses"].as_object().into_iter().flatten() {
                            li { strong { (code) } " " (r["description"].as_str().unwrap_or_else(|| r["$ref"].as_str().map_or("", |x| x.rsplit('/').next().unwrap_or(x)))) }
                        } }
                    }
                }
            }
            h2 { "Errors" }
            p { "Every error is " code { r#"{"error": {"code", "message", "fields": [{"field", "message"}]}}"# } ": 401 without credentials, 403 when the role may not (or the CSRF token is missing on a session change), 404 for what does not exist or may not be seen, 409 when the version sent is stale, 422 with field errors for invalid input." }
        }
    };
    bare(lang, "API", body).into_response()
}
