//! The History tab narrowed by kind of change and by person, and tasks named beside their
//! IDs in the reader's language.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::Harness;
use ftop_domain::{AssignmentRole, UserRole};

const T: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[tokio::test]
async fn the_log_is_narrowed_to_a_kind_and_a_person() {
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.person("mgr", UserRole::Manager, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.assign(T, "eng", AssignmentRole::FastTrackEngineer).await;
    h.assign(T, "mgr", AssignmentRole::FastTrackManager).await;
    // The engineer writes a note; the manager records time on a task.
    let r = h
        .form(
            "eng",
            &format!("/tenants/{T}/notes"),
            "category=migration&body=batch%20one%20moved&save=1",
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let tasks = h.page("mgr", &format!("/tenants/{T}?tab=time")).await;
    let at = tasks
        .body
        .find("<select name=\"task\"")
        .expect("the task choice");
    let value = tasks.body[at..]
        .split("option value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (task_id, _) = value.split_once('|').unwrap();
    let r = h
        .form(
            "mgr",
            &format!("/tenants/{T}/time"),
            &format!(
                "task={}&minutes=30&work_date=2026-01-05",
                common::enc(&value)
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let all = h.page("mgr", &format!("/tenants/{T}?tab=history")).await;
    assert!(
        all.body.contains("Note 1 added") && all.body.contains("Time entry 1 added"),
        "{}",
        all.body
    );
    // The task is named beside its ID (the playbook's name).
    let pb = h.store.playbook().unwrap().1;
    let name = &pb.tasks.iter().find(|t| t.id == task_id).unwrap().name;
    assert!(
        all.body.contains(&format!("{task_id} · {name}")),
        "{}",
        all.body
    );
    // Who made changes is offered, and both kinds are.
    assert!(all.body.contains("<option value=\"eng\">eng</option>"));
    assert!(
        all.body
            .contains("<option value=\"time\">Time entries</option>")
    );

    let notes = h
        .page("mgr", &format!("/tenants/{T}?tab=history&kind=note"))
        .await;
    assert!(notes.body.contains("Note 1 added"));
    assert!(!notes.body.contains("Time entry 1 added"));
    assert!(notes.body.contains("<option value=\"note\" selected>"));
    let mgr = h
        .page("mgr", &format!("/tenants/{T}?tab=history&who=mgr"))
        .await;
    assert!(mgr.body.contains("Time entry 1 added"));
    assert!(!mgr.body.contains("Note 1 added"));
    let none = h
        .page(
            "mgr",
            &format!("/tenants/{T}?tab=history&kind=note&who=mgr"),
        )
        .await;
    assert!(
        none.body.contains("No change matches these filters."),
        "{}",
        none.body
    );
    // An unknown kind narrows nothing.
    let odd = h
        .page("mgr", &format!("/tenants/{T}?tab=history&kind=widgets"))
        .await;
    assert_eq!(odd.status, 200);
    assert!(odd.body.contains("Note 1 added") && odd.body.contains("Time entry 1 added"));

    // The API narrows the same way; an unknown kind is refused there (422), by name.
    let api = |q: &'static str| {
        let h = &h;
        async move {
            h.api(
                "mgr",
                "GET",
                &format!("/api/v1/tenants/{T}/history{q}"),
                None,
            )
            .await
        }
    };
    let r = api("?kind=note").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let log = r.json()["history"].as_array().unwrap().clone();
    assert!(
        !log.is_empty() && log.iter().all(|e| e["entity"] == "note"),
        "{log:?}"
    );
    let r = api("?who=mgr").await;
    let log = r.json()["history"].as_array().unwrap().clone();
    assert!(
        !log.is_empty() && log.iter().all(|e| e["actor"] == "mgr"),
        "{log:?}"
    );
    assert!(log.iter().any(|e| e["entity"] == "time"));
    let r = api("?kind=note&who=mgr").await;
    assert_eq!(r.json()["history"].as_array().unwrap().len(), 0);
    let r = api("?kind=widgets").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("kind"), "{}", r.body);
}
