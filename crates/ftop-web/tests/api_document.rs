//! Issue 18: the API and its document (`assets/openapi.json`) agree. What schemathesis
//! found, each as a request: a whole number written `3.0` refused although JSON Schema
//! counts it an integer; query parameters the document types as flags, dates, choices and
//! numbers accepted with other values (`mine=AAA`, `to=`, `forecast=x`); and the
//! document's own statements about those parameters. `scripts/schemathesis` runs the
//! whole document against a server on both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::{Harness, Who};
use ftop_domain::UserRole;
use serde_json::{Value, json};

const T: &str = "5f0c3a51-7d2e-4c61-9a3b-2b1f6e0d7c11";

async fn setup() -> Harness {
    let mut h = Harness::new().await;
    h.tenant(T, "doc.onmicrosoft.com", &[("teams", 10, None)])
        .await;
    h.person("ad", UserRole::Admin, None).await;
    h
}

fn document() -> Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/openapi.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The code of the envelope and the fields it names.
fn refusal(r: &common::Reply) -> (u16, String, Vec<String>) {
    let v = r.json();
    let fields = v["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|x| x["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    (
        r.status.as_u16(),
        v["error"]["code"].as_str().unwrap_or("").to_string(),
        fields,
    )
}

#[tokio::test]
async fn whole_numbers_written_with_a_fraction_are_taken_as_integers() {
    let h = setup().await;
    let r = h
        .api("ad", "GET", &format!("/api/v1/tenants/{T}"), None)
        .await;
    let version = r.json()["tenant"]["version"].as_i64().unwrap();
    // Before: 422 "invalid type: floating point `0.0`" for a body valid by the document.
    let r = h
        .api(
            "ad",
            "PATCH",
            &format!("/api/v1/tenants/{T}"),
            Some(json!({"version": version as f64, "priority": "high"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["tenant"]["priority"], "high");
    // A real fraction is still refused, naming the property.
    let r = h
        .api(
            "ad",
            "PATCH",
            &format!("/api/v1/tenants/{T}"),
            Some(json!({"version": 1.5})),
        )
        .await;
    assert_eq!(
        refusal(&r),
        (422, "invalid".into(), vec!["version".to_string()])
    );
}

#[tokio::test]
async fn query_parameters_take_only_what_the_document_says() {
    let h = setup().await;
    for (path, field) in [
        // Before: 200 for each of these.
        ("/api/v1/portfolio?mine=AAA", "mine"),
        ("/api/v1/portfolio?mine=1", "mine"),
        ("/api/v1/adoption?to=", "to"),
        ("/api/v1/adoption?from=2026-02-30", "from"),
        ("/api/v1/adoption/rows?to=", "to"),
        ("/api/v1/adoption?service=", "service"),
        ("/api/v1/adoption?window=", "window"),
        ("/api/v1/adoption?mine=on", "mine"),
        ("/api/v1/adoption?partner=", "partner"),
        ("/api/v1/adoption/rows?offset=%2B1", "offset"),
        ("/api/v1/adoption/rows?forecast=", "forecast"),
        ("/api/v1/adoption/rows?forecast=10%25:overdue", "forecast"),
        ("/api/v1/notes?mine=yes", "mine"),
        ("/api/v1/notes?escalated=", "escalated"),
        ("/api/v1/notes?category=", "category"),
        ("/api/v1/notes?limit=", "limit"),
        ("/api/v1/notes/templates?lang=", "lang"),
        // Before: 200 in the default language (the value was trimmed to nothing).
        ("/api/v1/notes/templates?lang=%0A", "lang"),
        ("/api/v1/notes/templates?lang=es-ES", "lang"),
        ("/api/v1/notes?category=%20migration", "category"),
        ("/api/v1/adoption?service=%09", "service"),
    ] {
        let r = h.get(Who::Bearer("ad"), path).await;
        assert_eq!(
            refusal(&r),
            (422, "invalid".into(), vec![field.to_string()]),
            "{path}: {}",
            r.body
        );
        // The message is the catalogue's, in the caller's language.
        let message = r.json()["error"]["fields"][0]["message"].clone();
        assert!(
            message.as_str().is_some_and(|m| !m.is_empty()),
            "{path}: {message}"
        );
    }
    // What the document allows is answered.
    for path in [
        "/api/v1/portfolio?mine=true",
        "/api/v1/portfolio?mine=false",
        "/api/v1/adoption?to=2026-03-31&from=2026-01-01&reached=10&window=quarter&by=partner",
        "/api/v1/adoption/rows?forecast=10:overdue&service=teams&limit=5&offset=0&bucket=undefined",
        "/api/v1/notes?mine=true&escalated=false&window=30&category=migration&limit=10",
        "/api/v1/notes/templates?lang=es",
    ] {
        let r = h.get(Who::Bearer("ad"), path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
}

#[tokio::test]
async fn the_document_declares_what_the_server_refuses() {
    let d = document();
    // Every optional query parameter that is not free text refuses an empty value.
    for (path, ops) in d["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let schema = &p["schema"];
                let free_text = schema["type"] == "string"
                    && schema.get("enum").is_none()
                    && schema.get("$ref").is_none()
                    && schema.get("format").is_none();
                if p["in"] == "query" && !free_text {
                    assert_eq!(
                        p["allowEmptyValue"],
                        json!(false),
                        "{method} {path} {}",
                        p["name"]
                    );
                }
            }
        }
    }
    // Lengths come from the limits table.
    use ftop_domain::limits;
    let body = |path: &str, method: &str| {
        d["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
            ["properties"]
            .clone()
    };
    let notes = body("/tenants/{id}/notes", "post");
    assert_eq!(notes["body"]["maxLength"], limits::NOTE_TEXT.max);
    assert_eq!(notes["next_action"]["maxLength"], limits::NEXT_ACTION.max);
    assert_eq!(notes["services"]["maxItems"], limits::LIST_ITEMS.max);
    let contact = body("/tenants/{id}/contacts", "post");
    assert_eq!(contact["name"]["maxLength"], limits::CONTACT_FIELD.max);
    assert_eq!(contact["email"]["maxLength"], limits::EMAIL.max);
    assert_eq!(contact["phone"]["maxLength"], limits::CODE.max);
    let tenant = body("/tenants/{id}", "patch");
    assert_eq!(tenant["status_note"]["maxLength"], limits::STATUS_NOTE.max);
    let time = body("/tenants/{id}/time", "post");
    assert_eq!(time["note"]["maxLength"], limits::SHORT_NOTE.max);
    let user = body("/users", "post");
    assert_eq!(user["password"]["maxLength"], limits::PASSWORD.max);
    assert_eq!(user["partner"]["maxLength"], limits::PARTNER.max);
    assert_eq!(
        body("/partners", "post")["name"]["maxLength"],
        limits::PARTNER.max
    );
    assert_eq!(
        body("/me/tokens", "post")["label"]["maxLength"],
        limits::TEXT.max
    );
    // The service keys are the catalogue's.
    let keys: Vec<&str> = ftop_domain::catalogue::SERVICES
        .iter()
        .map(|s| s.key)
        .collect();
    assert_eq!(
        d["components"]["schemas"]["ServiceKey"]["enum"],
        json!(keys)
    );
}

#[tokio::test]
async fn forecast_dates_may_be_sent_as_null() {
    let h = setup().await;
    let today = ftop_store::today();
    let day = |n: i64| (today + time::Duration::days(n)).to_string();
    let path = format!("/api/v1/tenants/{T}/services/teams/forecast");
    // Before: 422 "invalid type: null, expected an Option<Date>" for the nulls the
    // document allows (the dates were flattened into the body's type).
    let r = h
        .api(
            "ad",
            "PUT",
            &path,
            Some(json!({
                "version": 0,
                "submitted": day(0),
                "target_10": day(31),
                "target_40": null,
                "target_max": day(91),
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["forecast"]["target_40"], Value::Null);
    // A null RFA date is the business rule's refusal, not an unreadable body.
    let r = h
        .api(
            "ad",
            "PUT",
            &path,
            Some(json!({"version": 1, "submitted": null, "target_max": null})),
        )
        .await;
    let v = r.json();
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        v["error"]["fields"][0]["code"], "invalid-submitted-required",
        "{}",
        r.body
    );
}
