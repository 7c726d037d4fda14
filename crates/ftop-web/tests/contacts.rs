//! A contact is deleted only once the box beside the button is ticked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Harness, actor};
use ftop_domain::{AssignmentRole, UserRole};

const T: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[tokio::test]
async fn deleting_a_contact_asks_first() {
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.assign(T, "eng", AssignmentRole::FastTrackEngineer).await;
    let c = h
        .store
        .add_contact(
            &actor(),
            T,
            &ftop_store::NewContact {
                name: "Dana Reyes".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let tab = h.page("eng", &format!("/tenants/{T}?tab=contacts")).await;
    assert!(
        tab.body.contains("name=\"confirm\" value=\"1\" required"),
        "the browser asks for the tick: {}",
        tab.body
    );
    let path = format!("/tenants/{T}/contacts/{}/delete", c.id);
    // Without the tick: refused, the contact stays.
    let r = h.form("eng", &path, "").await;
    assert_eq!(r.status, 303);
    assert!(r.location().contains("tab=contacts"), "{}", r.location());
    assert_eq!(h.store.contacts(T).await.unwrap().len(), 1);
    // Before: the history names the person.
    let history = h.page("eng", &format!("/tenants/{T}?tab=history")).await;
    assert!(history.body.contains("Dana Reyes"), "{}", history.body);
    // With it: gone, and gone from the history too (GDPR): the entries stay, without the
    // person's name or address.
    let r = h.form("eng", &path, "confirm=1").await;
    assert_eq!(r.status, 303);
    assert!(h.store.contacts(T).await.unwrap().is_empty());
    let history = h.page("eng", &format!("/tenants/{T}?tab=history")).await;
    assert!(!history.body.contains("Dana Reyes"), "{}", history.body);
    assert!(
        history.body.contains(&format!("Contact {} removed", c.id)),
        "{}",
        history.body
    );
    assert!(history.body.contains(&format!("Contact {} added", c.id)));
    let raw = h.store.audit_matching(T, "contact", "", 10).await.unwrap();
    assert_eq!(raw.len(), 2);
    for e in raw {
        for state in [e.before, e.after].into_iter().flatten() {
            assert!(!state.contains("Dana") && !state.contains("@"), "{state}");
        }
    }
}

#[tokio::test]
async fn a_contact_is_changed_with_its_fields_checked_against_the_lists() {
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.assign(T, "eng", AssignmentRole::FastTrackEngineer).await;
    let c = h
        .store
        .add_contact(
            &actor(),
            T,
            &ftop_store::NewContact {
                name: "Dana Reyes".into(),
                email: "dana@contoso.example".into(),
                country: "de".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(c.country, "DE", "stored as the code");
    let path = format!("/tenants/{T}/contacts/{}/edit", c.id);
    let form = h.page("eng", &path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"Dana Reyes\""), "{}", form.body);
    assert!(form.body.contains("value=\"DE\""));

    // A country by name, a language that is none, a service the tenant does not have:
    // refused together, the form keeps what was typed.
    let typed = "name=Dana%20Reyes-Lopez&email=dana%40contoso.example&kind=customer&country=Germany&survey_language=klingon&services=teams";
    let r = h.form("eng", &path, typed).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for said in ["Germany", "klingon", "teams", "value=\"Dana Reyes-Lopez\""] {
        assert!(r.body.contains(said), "{said}: {}", r.body);
    }
    assert_eq!(h.store.contacts(T).await.unwrap()[0].name, "Dana Reyes");

    // Saved, with the codes written as codes.
    let typed = "name=Dana%20Reyes-Lopez&email=dana%40contoso.example&kind=customer&country=br&engaged=1&survey_eligible=1&survey_language=pt_br&services=exchange";
    let r = h.form("eng", &path, typed).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let now = h.store.contacts(T).await.unwrap().remove(0);
    assert_eq!(
        (
            now.name.as_str(),
            now.country.as_str(),
            now.survey_language.as_str()
        ),
        ("Dana Reyes-Lopez", "BR", "pt-BR")
    );
    assert!(now.survey_eligible);
    // The history has the change, with what it was.
    let history = h.page("eng", &format!("/tenants/{T}?tab=history")).await;
    assert!(
        history.body.contains("Dana Reyes-Lopez"),
        "{}",
        history.body
    );

    // The API: the same rules.
    let api = format!("/api/v1/tenants/{T}/contacts/{}", c.id);
    let r = h
        .api(
            "eng",
            "PUT",
            &api,
            Some(serde_json::json!({"name": "Dana", "country": "XX"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "country");
    let r = h
        .api(
            "eng",
            "PUT",
            &api,
            Some(serde_json::json!({"name": "Dana", "country": "ES"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["contact"]["country"], "ES");
    let r = h
        .api(
            "eng",
            "PUT",
            &format!("/api/v1/tenants/{T}/contacts/999999"),
            Some(serde_json::json!({"name": "Nobody"})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[tokio::test]
async fn a_change_keeps_what_it_does_not_name_and_stays_in_its_tenant() {
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    const OTHER: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    h.tenant(OTHER, "fabrikam.onmicrosoft.com", &[("exchange", 50, None)])
        .await;
    h.assign(T, "eng", AssignmentRole::FastTrackEngineer).await;
    let c = h
        .store
        .add_contact(
            &actor(),
            T,
            &ftop_store::NewContact {
                kind: Some(ftop_domain::ContactType::Partner),
                name: "Lars Holm".into(),
                phone: "+46 8 123 45".into(),
                title: "Architect".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // The portal's form carries the phone: saving it keeps it.
    let path = format!("/tenants/{T}/contacts/{}/edit", c.id);
    let form = h.page("eng", &path).await;
    assert!(
        form.body.contains("value=\"+46 8 123 45\""),
        "{}",
        form.body
    );
    let r = h
        .form(
            "eng",
            &path,
            "name=Lars%20Holm&kind=partner&title=Lead%20Architect&phone=%2B46%208%20123%2045",
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let now = h.store.contacts(T).await.unwrap().remove(0);
    assert_eq!(
        (now.title.as_str(), now.phone.as_str()),
        ("Lead Architect", "+46 8 123 45")
    );
    // The API changes what it names and keeps the rest (the kind among them).
    let api = format!("/api/v1/tenants/{T}/contacts/{}", c.id);
    let r = h
        .api(
            "eng",
            "PUT",
            &api,
            Some(serde_json::json!({"title": "CTO"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let now = h.store.contacts(T).await.unwrap().remove(0);
    assert_eq!(now.kind, ftop_domain::ContactType::Partner);
    assert_eq!(
        (now.name.as_str(), now.title.as_str(), now.phone.as_str()),
        ("Lars Holm", "CTO", "+46 8 123 45")
    );
    // Through another tenant, the contact is not there.
    let r = h
        .api(
            "eng",
            "PUT",
            &format!("/api/v1/tenants/{OTHER}/contacts/{}", c.id),
            Some(serde_json::json!({"title": "x"})),
        )
        .await;
    assert!(r.status == 404 || r.status == 403, "{}", r.body);
    let r = h
        .page("eng", &format!("/tenants/{OTHER}/contacts/{}/edit", c.id))
        .await;
    assert!(r.status == 404 || r.status == 403, "{}", r.status);
    assert_eq!(h.store.contacts(T).await.unwrap()[0].title, "CTO");
}
