//! The tenant page's Playbook tab through the real router on a real SQLite database: the
//! current phase shown first with phase tabs and counts, the process › step › task tree,
//! filters by service, role and status, the text search across phases, and an inline status
//! change that returns to the phase it was made on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::{Harness, Reply};
use ftop_domain::{TaskStatus, UserRole};
use ftop_store::TaskView;

const T: &str = "5b1e0f8a-2d7c-4e5f-9a3b-6c8d7e9f0a1b";

/// One tenant with Exchange and Teams, seen by the administrator `admin`.
struct World {
    h: Harness,
}

async fn world() -> World {
    let mut h = Harness::new().await;
    h.tenant_of(
        T,
        "delta.onmicrosoft.com",
        "Delta",
        &[("exchange", 800, None), ("teams", 800, None)],
    )
    .await;
    h.person("admin", UserRole::Admin, None).await;
    World { h }
}

impl World {
    /// The Playbook tab with `query` appended (must answer 200).
    async fn page(&self, query: &str) -> String {
        let r = self
            .h
            .page("admin", &format!("/tenants/{T}?tab=playbook{query}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    }

    async fn get(&self, path: &str) -> Reply {
        self.h.page("admin", path).await
    }

    /// A form of the admin's session (the CSRF token is added).
    async fn post(&self, path: &str, form: &str) -> Reply {
        self.h.form("admin", path, form).await
    }

    async fn tasks(&self) -> Vec<TaskView> {
        self.h.store.tenant_tasks(T).await.unwrap()
    }
}

/// The IDs of the task rows (`<tr class="task" id="task-ID-SERVICE">`) in page order.
fn rows(html: &str) -> Vec<String> {
    html.match_indices("<tr class=\"task\" id=\"task-")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn row_id(t: &TaskView) -> String {
    format!(
        "{}-{}",
        t.task_id,
        if t.service.is_empty() {
            "tenant"
        } else {
            &t.service
        }
    )
}

#[tokio::test]
async fn the_current_phase_comes_first_and_moves_on_when_its_mandatory_tasks_settle() {
    let w = world().await;
    let tasks = w.tasks().await;
    let first = tasks[0].phase.clone();
    let html = w.page("").await;
    let expected: Vec<String> = tasks
        .iter()
        .filter(|t| t.phase == first)
        .map(row_id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(rows(&html), expected, "the first phase's tasks, in order");
    assert!(
        html.contains("aria-current=\"page\">"),
        "a current phase tab"
    );
    // One process header per process and one step row per step of the phase.
    let processes: std::collections::BTreeSet<_> = tasks
        .iter()
        .filter(|t| t.phase == first)
        .map(|t| t.process_key.clone())
        .collect();
    assert_eq!(
        html.matches("<tr class=\"process\">").count(),
        processes.len()
    );

    // Settle every mandatory task of the first phase: the next phase becomes current.
    let a = common::actor();
    for t in tasks.iter().filter(|t| t.phase == first && t.mandatory) {
        w.h.store
            .set_task(
                &a,
                T,
                &ftop_store::TaskUpdate {
                    task_id: t.task_id,
                    service: t.service.clone(),
                    version: t.version,
                    status: Some(TaskStatus::Complete),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let next = tasks
        .iter()
        .find(|t| t.phase != first && t.mandatory)
        .unwrap()
        .phase
        .clone();
    let html = w.page("").await;
    let shown = rows(&html);
    assert!(!shown.is_empty());
    let tasks = w.tasks().await;
    for id in &shown {
        let t = tasks.iter().find(|t| row_id(t) == *id).unwrap();
        assert_eq!(t.phase, next, "{id} is not in the current phase");
    }
    // The first phase stays one click away, with its count of settled tasks.
    let settled = tasks
        .iter()
        .filter(|t| t.phase == first && t.status.settles())
        .count();
    let total = tasks.iter().filter(|t| t.phase == first).count();
    assert!(
        html.contains(&format!("{settled}/{total}")),
        "count {settled}/{total}"
    );
    assert_eq!(rows(&w.page(&format!("&phase={first}")).await).len(), total);
    assert_eq!(rows(&w.page("&phase=all").await).len(), tasks.len());
}

#[tokio::test]
async fn filters_by_service_role_status_and_text_search_every_phase() {
    let w = world().await;
    let tasks = w.tasks().await;
    let ids = |f: &dyn Fn(&TaskView) -> bool| -> Vec<String> {
        tasks.iter().filter(|t| f(t)).map(row_id).collect()
    };
    assert_eq!(
        rows(&w.page("&service=teams").await),
        ids(&|t| t.service == "teams")
    );
    assert_eq!(
        rows(&w.page("&service=tenant").await),
        ids(&|t| t.service.is_empty())
    );
    let role = tasks
        .iter()
        .rev()
        .find(|t| !t.role.is_empty())
        .unwrap()
        .role
        .clone();
    let by_role = rows(&w.page(&format!("&role={role}")).await);
    assert_eq!(by_role, ids(&|t| t.role == role));
    assert!(by_role.len() < tasks.len());
    // A task ID found by search, wherever its phase.
    let last = tasks.last().unwrap();
    let hits = rows(&w.page(&format!("&q={}", last.task_id)).await);
    assert!(hits.contains(&row_id(last)), "{hits:?}");
    assert!(
        hits.iter()
            .all(|h| h.starts_with(&format!("{}-", last.task_id)))
    );
    // A status nothing has yet.
    let html = w.page("&status=blocked").await;
    assert!(rows(&html).is_empty());
    assert!(html.contains("No task matches."));
}

#[tokio::test]
async fn an_inline_change_returns_to_its_phase() {
    let w = world().await;
    let tasks = w.tasks().await;
    let t = tasks
        .iter()
        .find(|t| t.phase != tasks[0].phase)
        .unwrap()
        .clone();
    let form = format!(
        "service={}&version=0&status=complete&phase={}",
        t.service, t.phase
    );
    let r = w
        .post(&format!("/tenants/{T}/tasks/{}", t.task_id), &form)
        .await;
    let (status, location) = (r.status, r.location());
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.contains(&format!("phase={}", t.phase)) && location.contains("saved="),
        "{location}"
    );
    let html = w.page(&format!("&phase={}", t.phase)).await;
    let row = &html[html.find(&format!("id=\"task-{}\"", row_id(&t))).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("value=\"complete\" selected"), "{row}");
    // A phase that is not a plain key is not sent back.
    let form = format!(
        "service={}&version=1&status=blocked&phase=x%22%3E%3Cscript%3E",
        t.service
    );
    let r = w
        .post(&format!("/tenants/{T}/tasks/{}", t.task_id), &form)
        .await;
    let location = r.location();
    assert!(!location.contains("phase="), "{location}");
}

#[tokio::test]
async fn the_task_page_sets_status_and_percent_and_takes_time() {
    let w = world().await;
    let tasks = w.tasks().await;
    let t = tasks.iter().find(|t| t.service == "teams").unwrap().clone();
    let path = format!("/tenants/{T}/tasks/{}?service=teams", t.task_id);
    let r = w.get(&path).await;
    let (status, html) = (r.status, r.body);
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&t.name) && html.contains(&t.step), "{html}");
    assert!(html.contains(&format!("href=\"/playbook/{}\"", t.process_key)));
    // The playbook tab links to it.
    let tab = w.page("&phase=all").await;
    assert!(tab.contains(&format!(
        "href=\"/tenants/{T}/tasks/{}?service=teams\"",
        t.task_id
    )));

    let form = "service=teams&version=0&status=in-progress&percent=40&return_to=task".to_string();
    let r = w
        .post(&format!("/tenants/{T}/tasks/{}", t.task_id), &form)
        .await;
    let (status, location) = (r.status, r.location());
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with(&path) && location.contains("saved="),
        "{location}"
    );
    let now = w.tasks().await;
    let n = now
        .iter()
        .find(|x| x.task_id == t.task_id && x.service == "teams")
        .unwrap();
    assert_eq!(
        (n.status, n.percent, n.version),
        (TaskStatus::InProgress, 40, 1)
    );
    // A percent out of range is refused with the field named, nothing changed.
    let form = "service=teams&version=1&status=complete&percent=140&return_to=task".to_string();
    let r = w
        .post(&format!("/tenants/{T}/tasks/{}", t.task_id), &form)
        .await;
    // The URL carries only the flag; the message travels in the notice cookie.
    let location = r.location();
    assert!(
        location.starts_with(&path) && location.contains("invalid=1"),
        "{location}"
    );
    assert!(!location.contains("Percent"), "{location}");
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert!(message.starts_with("Percent complete"), "{message}");
    let shown = w.h.page_with_cookie("admin", location, &cookie).await;
    assert!(
        shown.body.contains(&format!(
            "<p class=\"flash error\" role=\"alert\">{message}</p>"
        )),
        "{}",
        shown.body
    );
    let again = w.tasks().await;
    let n = again
        .iter()
        .find(|x| x.task_id == t.task_id && x.service == "teams")
        .unwrap();
    assert_eq!(n.version, 1);

    // Time entered on the task page lands on the task and comes back to it.
    let form = format!(
        "task={}%7Cteams&minutes=45&work_date=2026-11-30&note=workshop&return_to=task",
        t.task_id
    );
    let r = w.post(&format!("/tenants/{T}/time"), &form).await;
    let (status, location) = (r.status, r.location());
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with(&path), "{location}");
    let html = w.get(&path).await.body;
    let table = &html[html.find("id=\"task-time\"").unwrap()..];
    assert!(table.contains("2026-11-30") && table.contains("workshop") && table.contains(">45<"));
    assert!(html.contains("45 min"), "total minutes shown");

    // A task that does not apply (teams task for exchange) is not found.
    let status = w
        .get(&format!("/tenants/{T}/tasks/{}?service=yammer", t.task_id))
        .await
        .status;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
