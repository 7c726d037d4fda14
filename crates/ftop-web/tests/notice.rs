//! No page shows text taken from the URL as a message: a failed form sends its message back
//! in the short-lived `ftop_notice` cookie and only the flag `invalid=1` in the URL; a page
//! shows the banner when it has both, with the cookie's text (escaped), and clears the
//! cookie. A crafted link (`?invalid=Call this number`) shows nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::{StatusCode, header};
use common::{Harness, Reply, enc};
use ftop_domain::{NoteCategory, UserRole};
use ftop_store::{Actor, NoteDraft};

const T: &str = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

async fn setup() -> Harness {
    let mut h = Harness::new().await;
    h.tenant_of(
        T,
        "omega.onmicrosoft.com",
        "Omega",
        &[("exchange", 300, None), ("teams", 300, None)],
    )
    .await;
    h.person("ad", UserRole::Admin, None).await;
    h
}

/// The error banners of a page.
fn banners(html: &str) -> Vec<&str> {
    let open = "<p class=\"flash error\" role=\"alert\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            &rest[..rest.find("</p>").unwrap()]
        })
        .collect()
}

/// The `Set-Cookie` headers of a reply for the notice cookie.
fn notice_headers(r: &Reply) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .filter(|v| v.starts_with("ftop_notice="))
        .collect()
}

/// A task of T on a service (`id|service`, as the Time tab's form sends it).
async fn some_task(h: &Harness) -> String {
    let tasks = h.store.tenant_tasks(T).await.unwrap();
    let t = tasks.iter().find(|t| t.service == "teams").unwrap();
    format!("{}|{}", t.task_id, t.service)
}

#[tokio::test]
async fn text_in_the_url_is_never_shown_as_a_message() {
    let h = setup().await;
    let task = h.store.tenant_tasks(T).await.unwrap()[0].clone();
    let text = "Call this number";
    let q = enc(text);
    for path in [
        format!("/tenants/{T}?tab=status&invalid={q}"),
        format!("/tenants/{T}?invalid={q}"),
        format!("/tenants/{T}?tab=playbook&invalid={q}"),
        format!("/tenants/{T}?tab=time&invalid={q}"),
        format!("/tenants/{T}?tab=services&invalid={q}"),
        format!("/tenants/{T}?tab=partners&invalid={q}"),
        format!(
            "/tenants/{T}/tasks/{}?service={}&invalid={q}",
            task.task_id, task.service
        ),
        format!("/notes?invalid={q}"),
    ] {
        // No cookie: no banner, no error.
        let r = h.page("ad", &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(!r.body.contains(text), "{path} shows the URL's text");
        assert!(
            banners(&r.body).is_empty(),
            "{path}: {:?}",
            banners(&r.body)
        );
        assert!(notice_headers(&r).is_empty(), "{path}");
        // A cookie that is not what the portal writes (not percent-encoded text) is none.
        for bad in [
            "ftop_notice=Call+this+number",
            "ftop_notice=%zz",
            "ftop_notice=",
        ] {
            let r = h.page_with_cookie("ad", &path, bad).await;
            assert_eq!(r.status, StatusCode::OK, "{path} {bad}: {}", r.body);
            assert!(
                !r.body.contains(text) && banners(&r.body).is_empty(),
                "{path} {bad}"
            );
        }
    }
    // A message in the cookie without the flag in the URL is not shown (and kept).
    let r = h
        .page_with_cookie(
            "ad",
            &format!("/tenants/{T}?tab=status"),
            &format!("ftop_notice={q}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(text) && banners(&r.body).is_empty());
    assert!(notice_headers(&r).is_empty());
}

#[tokio::test]
async fn a_failed_form_sends_its_message_in_a_cookie_and_the_page_shows_it_once() {
    let mut h = setup().await;
    h.lang = Some("es".into());
    let task = some_task(&h).await;
    let (id, service) = task.split_once('|').unwrap();
    // A time entry refused on the task's page: back to it, the flag in the URL.
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/time"),
            &format!(
                "task={}&minutes=0&work_date=2024-03-01&return_to=task",
                enc(&task)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The URL carries the flag, not the message.
    let back = format!("/tenants/{T}/tasks/{id}?service={service}&invalid=1");
    assert_eq!(r.location(), back);
    // The cookie: short-lived, not for scripts, not sent from other sites.
    let set = notice_headers(&r);
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(
        set[0].ends_with("; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=60"),
        "{}",
        set[0]
    );
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert_eq!(message, "Minutos: indique al menos un minuto");
    assert!(h.store.time_entries(T).await.unwrap().is_empty());

    // Following the redirect with the cookie shows the message (in Spanish) and clears it.
    let page = h.page_with_cookie("ad", r.location(), &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(banners(&page.body), [message.as_str()]);
    assert_eq!(
        notice_headers(&page),
        ["ftop_notice=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"]
    );
    // Without the cookie (reloaded after it was cleared) the flag alone shows nothing.
    let again = h.page("ad", r.location()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        banners(&again.body).is_empty(),
        "{:?}",
        banners(&again.body)
    );

    // The Time tab's own form is shown again at once instead (422), as typed, with the
    // message and no cookie.
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/time"),
            &format!(
                "task={}&minutes=0&work_date=2024-03-01&note={}",
                enc(&task),
                enc("revisión del piloto")
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(notice_headers(&r).is_empty());
    assert_eq!(banners(&r.body), ["Minutos: indique al menos un minuto"]);
    assert!(
        r.body.contains("value=\"revisión del piloto\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"2024-03-01\""));
    assert!(
        r.body
            .contains("name=\"minutes\" min=\"1\" max=\"1440\" value=\"0\"")
    );
    assert!(r.body.contains("aria-invalid=\"true\""));

    // And from the notes library: a draft form without one of its buttons.
    let draft = NoteDraft {
        tenant_id: T.into(),
        category: Some(NoteCategory::Migration),
        body: "a draft".into(),
        ..Default::default()
    };
    let user = h.who("ad").user.clone();
    let n = h
        .store
        .add_note(&Actor::user(&user), &draft, false)
        .await
        .unwrap();
    let r = h
        .form(
            "ad",
            &format!("/notes/drafts/{}", n.id),
            "action=polish&version=1&body=x",
        )
        .await;
    assert_eq!(r.location(), "/notes?invalid=1#drafts");
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert_eq!(message, "Acción: use uno de los botones del borrador");
    let page = h.page_with_cookie("ad", "/notes?invalid=1", &cookie).await;
    assert_eq!(banners(&page.body), [message.as_str()]);
    let page = h.page("ad", "/notes?invalid=1").await;
    assert!(banners(&page.body).is_empty());
}

#[tokio::test]
async fn the_message_of_the_cookie_is_escaped() {
    let h = setup().await;
    // A value typed in a form is quoted in the message: it is shown as text.
    let typed = "<script>alert(1)</script>";
    let r = h
        .form(
            "ad",
            &format!("/tenants/{T}/partners"),
            &format!("partner={}", enc(typed)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/tenants/{T}?tab=partners&invalid=1"));
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert!(message.contains(typed), "{message}");
    let page = h.page_with_cookie("ad", r.location(), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(typed), "{}", page.body);
    assert_eq!(
        banners(&page.body),
        ["Partner: there is no partner organisation named \
             &lt;script&gt;alert(1)&lt;/script&gt;; add it first"]
    );
    // A cookie made elsewhere with markup in it is text too.
    let markup = "<img src=x onerror=alert(2)> & \"quoted\"";
    let page = h
        .page_with_cookie(
            "ad",
            &format!("/tenants/{T}?tab=status&invalid=1"),
            &format!("ftop_notice={}", enc(markup)),
        )
        .await;
    assert!(!page.body.contains("<img src=x"), "{}", page.body);
    assert_eq!(
        banners(&page.body),
        ["&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;"]
    );
}
