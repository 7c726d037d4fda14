//! Field errors in the reader's language: the API's 422 envelope (`field`, `code`,
//! `message` in the language of Accept-Language, English by default) and a page form's 422
//! (field label and message from the catalogue).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::Harness;
use ftop_domain::UserRole;

const T: &str = "871e613c-59df-73c1-b016-f93aac00dccd";

async fn setup() -> (Harness, u32) {
    let mut h = Harness::new().await;
    h.tenant(T, "t.onmicrosoft.com", &[("teams", 10, None)])
        .await;
    h.person("ad", UserRole::Admin, None).await;
    let task = h.store.tenant_tasks(T).await.unwrap()[0].task_id;
    (h, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_names_the_field_and_the_message_in_the_callers_language() {
    let (h, task) = setup().await;
    let path = format!("/api/v1/tenants/{T}/tasks/{task}");
    let call = |lang: Option<&str>| {
        let mut req = Request::builder()
            .method("PATCH")
            .uri(&path)
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", h.who("ad").token),
            )
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(l) = lang {
            req = req.header(header::ACCEPT_LANGUAGE, l);
        }
        req.body(Body::from(r#"{"version": 0, "percent": 250}"#))
            .unwrap()
    };
    let es = h.send(call(Some("es-ES,es;q=0.9"))).await;
    assert_eq!(es.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = &es.json()["error"]["fields"][0];
    assert_eq!(f["field"], "percent");
    assert_eq!(f["code"], "invalid-percent-range");
    assert_eq!(f["message"], "el porcentaje completado va de 0 a 100");
    let en = h.send(call(None)).await;
    let f = &en.json()["error"]["fields"][0];
    assert_eq!(f["code"], "invalid-percent-range");
    assert_eq!(f["message"], "percent complete is between 0 and 100");
    let zh = h.send(call(Some("zh-CN"))).await;
    assert_eq!(
        zh.json()["error"]["fields"][0]["message"],
        "完成百分比应介于 0 到 100 之间"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_form_names_the_field_and_the_message_in_the_readers_language() {
    let (h, _) = setup().await;
    let p = h.who("ad");
    let body = format!(
        "csrf={}&tenant={T}&category=technical-enablement&body=&action=save",
        p.csrf
    );
    let req = Request::builder()
        .method("POST")
        .uri("/notes/new")
        .header(
            header::COOKIE,
            format!("ftop_session={}; ftop_lang=es", p.cookie),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let r = h.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Texto: escriba la nota antes de guardarla"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("write the note before saving it"));
}
