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
    // With it: gone.
    let r = h.form("eng", &path, "confirm=1").await;
    assert_eq!(r.status, 303);
    assert!(h.store.contacts(T).await.unwrap().is_empty());
}
