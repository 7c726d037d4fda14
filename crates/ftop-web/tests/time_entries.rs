//! Time entries: the tab names each entry's task, and authors correct or delete their own
//! (in the portal, after a tick, and through the API); nobody changes another's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Harness;
use ftop_domain::{AssignmentRole, UserRole};
use serde_json::json;

const T: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn today() -> String {
    let d = ftop_store::today();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[tokio::test]
async fn authors_correct_and_delete_their_own_time() {
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.person("pia", UserRole::Engineer, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.assign(T, "eng", AssignmentRole::FastTrackEngineer).await;
    h.assign(T, "pia", AssignmentRole::FastTrackEngineer).await;
    let task = h.store.tenant_tasks(T).await.unwrap().remove(0);
    let r = h
        .api(
            "eng",
            "POST",
            &format!("/api/v1/tenants/{T}/time"),
            Some(
                json!({"task_id": task.task_id, "service": task.service, "minutes": 30,
                "work_date": today(), "note": "kick-off"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["time"]["id"].as_i64().unwrap();

    // The tab names the task; only its author gets the edit and delete controls.
    let tab = h.page("eng", &format!("/tenants/{T}?tab=time")).await;
    let name = h
        .store
        .tasks_of(T, &h.store.facts(T).await.unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.task_id == task.task_id)
        .unwrap()
        .name;
    assert!(tab.body.contains(&name), "{name}: {}", tab.body);
    let edit = format!("/tenants/{T}/time/{id}/edit");
    assert!(tab.body.contains(&edit));
    let other = h.page("pia", &format!("/tenants/{T}?tab=time")).await;
    assert!(!other.body.contains(&edit));
    assert_eq!(h.page("pia", &edit).await.status, 404);

    // Refused: no minutes; the form keeps what was typed.
    let r = h
        .form(
            "eng",
            &edit,
            &format!("minutes=0&work_date={}&note=typed%20note", today()),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"typed note\""));
    // Corrected.
    let r = h
        .form(
            "eng",
            &edit,
            &format!(
                "minutes=45&work_date={}&note=kick-off%20and%20demo",
                today()
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let e = h.store.time_entries(T).await.unwrap().remove(0);
    assert_eq!((e.minutes, e.note.as_str()), (45, "kick-off and demo"));

    // Another engineer cannot change or delete it, by page or API.
    let r = h.form("pia", &edit, "minutes=1").await;
    assert_eq!(r.status, 404);
    let api = format!("/api/v1/tenants/{T}/time/{id}");
    let r = h
        .api("pia", "PATCH", &api, Some(json!({"minutes": 1})))
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = h.api("pia", "DELETE", &api, None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The author through the API: what is absent stays.
    let r = h
        .api("eng", "PATCH", &api, Some(json!({"minutes": 50})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["time"]["note"], "kick-off and demo");

    // Deleting asks first.
    let delete = format!("/tenants/{T}/time/{id}/delete");
    let r = h.form("eng", &delete, "").await;
    assert_eq!(r.status, 303);
    assert_eq!(h.store.time_entries(T).await.unwrap().len(), 1);
    let r = h.form("eng", &delete, "confirm=1").await;
    assert_eq!(r.status, 303);
    assert!(h.store.time_entries(T).await.unwrap().is_empty());
    // The history keeps the correction and the deletion.
    let history = h
        .api("eng", "GET", &format!("/api/v1/tenants/{T}/history"), None)
        .await
        .json();
    let actions: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "time")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["delete", "update", "update", "create"]);
}
