//! The portfolio summary and the notes library through the real router on a real SQLite
//! database: counts and SVG bars, CSV downloads, partner scoping, note filters, sanitized
//! note bodies, and drafts updated, saved and deleted with (and refused without) CSRF.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Harness, Reply, Who};
use ftop_domain::{AssignmentRole, NoteCategory, OverallStatus, TaskStatus, UserRole};
use ftop_store::{Actor, EngagementUpdate, NoteDraft, User};

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const T3: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

/// The harness with three tenants (T2 blocked, T3 paused and inactive) and admin, maria
/// and omar (managers), pat (partner, "Fabrikam Partners", on T1) and gus (guest).
struct World {
    h: Harness,
}

impl std::ops::Deref for World {
    type Target = Harness;
    fn deref(&self) -> &Harness {
        &self.h
    }
}

async fn world() -> World {
    let mut h = Harness::new().await;
    for (id, name, services) in [
        (T1, "alpha.onmicrosoft.com", vec![("exchange", 300, None)]),
        (
            T2,
            "beta.onmicrosoft.com",
            vec![("exchange", 500, None), ("teams", 40, None)],
        ),
        (T3, "gamma.onmicrosoft.com", vec![("teams", 200, None)]),
    ] {
        h.tenant_of(id, name, "Contoso", &services).await;
    }
    let store = &h.store;
    let a = common::actor();
    let v = store.tenant(T2).await.unwrap().version;
    store
        .update_engagement(
            &a,
            T2,
            v,
            &EngagementUpdate {
                overall_status: Some(OverallStatus::Blocked),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let v = store.tenant(T3).await.unwrap().version;
    store
        .update_engagement(
            &a,
            T3,
            v,
            &EngagementUpdate {
                overall_status: Some(OverallStatus::Paused),
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for (name, role) in [
        ("admin", UserRole::Admin),
        ("maria", UserRole::Manager),
        ("pat", UserRole::Partner),
        ("gus", UserRole::Guest),
        ("omar", UserRole::Manager),
    ] {
        let partner = (role == UserRole::Partner).then_some("Fabrikam Partners");
        h.person(name, role, partner).await;
    }
    let store = &h.store;
    let fm = AssignmentRole::FastTrackManager;
    store.assign(&a, T1, "maria", fm, "", false).await.unwrap();
    store.assign(&a, T2, "maria", fm, "", false).await.unwrap();
    store.assign(&a, T3, "omar", fm, "", false).await.unwrap();
    store
        .add_tenant_partner(&a, T1, "Fabrikam Partners", false)
        .await
        .unwrap();
    // T1 is past Initiate: every mandatory tenant-wide Initiate task settled.
    let init: Vec<u32> = store
        .tenant_tasks(T1)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.mandatory && t.service.is_empty() && t.phase == "initiate")
        .map(|t| t.task_id)
        .collect();
    for (i, t) in init.iter().enumerate() {
        store
            .set_task(
                &a,
                T1,
                &ftop_store::TaskUpdate {
                    task_id: *t,
                    service: String::new(),
                    version: 0,
                    status: Some(if i == 0 {
                        TaskStatus::NotRequired
                    } else {
                        TaskStatus::Complete
                    }),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    World { h }
}

impl World {
    /// The user `name` and their session cookie.
    fn user(&self, name: &str) -> (User, String) {
        let p = self.h.who(name);
        (p.user.clone(), p.cookie.clone())
    }

    async fn csrf(&self, name: &str) -> String {
        self.h.who(name).csrf.clone()
    }

    fn as_who(who: Option<&str>) -> Who<'_> {
        who.map_or(Who::Anon, Who::Session)
    }

    async fn get(&self, who: Option<&str>, path: &str) -> Reply {
        self.h.get(Self::as_who(who), path).await
    }

    async fn post(&self, who: Option<&str>, path: &str, form: &str) -> Reply {
        self.h.post_form(Self::as_who(who), path, form).await
    }
}

/// The page's own content (the shell loads htmx; the content has no script).
fn main(html: &str) -> &str {
    let start = html.find("<main>").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>");
    &html[start..end]
}

/// The text of the element with this `id` (up to its end tag).
fn by_id<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id} in {html}"));
    let rest = &html[start..];
    let end = rest.find("</tr>").or_else(|| rest.find("</p>")).unwrap();
    &rest[..end]
}

/// The numbers in a table row's cells, in order.
fn cells(row: &str) -> Vec<i64> {
    row.split("<td")
        .skip(1)
        .filter_map(|c| {
            let text: String = c
                .split('<')
                .map(|p| p.split_once('>').map_or("", |x| x.1))
                .collect();
            text.trim().parse().ok()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portfolio_shows_counts_with_bars_and_scopes_partners() {
    let w = world().await;
    // Signed-in only.
    let r = w.get(None, "/portfolio").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/signin?next="),
        "{}",
        r.location()
    );

    let r = w.get(Some("admin"), "/portfolio").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains("<svg class=\"bar\" role=\"img\""), "{b}");
    assert!(b.contains("<title>Active: 1 of 3 (33%)</title>"), "{b}");
    assert!(!main(b).contains("<script"), "no JavaScript of its own");
    assert_eq!(cells(by_id(b, "status-active")), vec![1, 1, 0]);
    assert_eq!(cells(by_id(b, "status-blocked")), vec![1, 1, 0]);
    assert_eq!(cells(by_id(b, "status-paused")), vec![1, 0, 1]);
    assert_eq!(cells(by_id(b, "service-exchange")), vec![2, 800, 800]);
    assert_eq!(cells(by_id(b, "service-teams")), vec![2, 240, 240]);
    let maria = w.user("maria").0.id;
    let omar = w.user("omar").0.id;
    assert_eq!(cells(by_id(b, &format!("owner-{maria}"))), vec![2]);
    assert_eq!(cells(by_id(b, &format!("owner-{omar}"))), vec![1]);
    assert!(!b.contains("owner-unassigned"));
    assert_eq!(cells(by_id(b, "phase-initiate")), vec![2]);
    assert_eq!(cells(by_id(b, "phase-assess")), vec![1]);
    assert_eq!(cells(by_id(b, "phase-complete")), vec![0]);
    // Numbers link to the home grid narrowed to the tenants behind them (tests/drilldown.rs
    // follows every link).
    assert!(b.contains("href=\"/?view=all\">3</a>"), "{b}");
    assert!(
        b.contains("href=\"/?view=all&amp;status=blocked\">1</a>"),
        "{b}"
    );
    assert!(b.contains("href=\"/portfolio.csv?table=owner\""), "{b}");

    // Only mine: maria is assigned to T1 and T2.
    let r = w.get(Some("maria"), "/portfolio?mine=1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(cells(by_id(&r.body, "status-paused")), vec![0, 0, 0]);
    assert_eq!(cells(by_id(&r.body, "status-blocked")), vec![1, 1, 0]);
    assert!(
        r.body.contains("href=\"/?view=my-active\">2</a>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("href=\"/portfolio.csv?table=status&amp;mine=1\"")
    );

    // Partners: their organisation's tenants (T1) only.
    let r = w.get(Some("pat"), "/portfolio").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(cells(by_id(&r.body, "status-active")), vec![1, 1, 0]);
    assert_eq!(cells(by_id(&r.body, "status-blocked")), vec![0, 0, 0]);
    assert_eq!(cells(by_id(&r.body, "service-exchange")), vec![1, 300, 300]);
    assert!(!r.body.contains("service-teams"));
    assert_eq!(cells(by_id(&r.body, "phase-assess")), vec![1]);

    // Guests read it too; UI text follows the language.
    let mut req = Request::get("/portfolio").header(
        "cookie",
        format!("ftop_session={}; ftop_lang=es", w.user("gus").1),
    );
    req = req.header("accept-language", "es");
    let r = w.send(req.body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Cartera"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portfolio_tables_download_as_csv() {
    let w = world().await;
    let r = w.get(None, "/portfolio.csv?table=status").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let r = w.get(Some("admin"), "/portfolio.csv?table=status").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers["content-disposition"],
        "attachment; filename=\"portfolio-status.csv\""
    );
    assert_eq!(
        r.body,
        "status,tenants,active,inactive\r\nactive,1,1,0\r\nblocked,1,1,0\r\npaused,1,0,1\r\ntotal,3,2,1\r\n"
    );
    let r = w.get(Some("admin"), "/portfolio.csv?table=service").await;
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines[0], "service,name,tenants,entitlements,seats");
    assert_eq!(lines.len(), 3, "{}", r.body);
    assert!(lines[1].starts_with("exchange,") && lines[1].ends_with(",2,800,800"));
    assert!(lines[2].starts_with("teams,") && lines[2].ends_with(",2,240,240"));
    let r = w.get(Some("admin"), "/portfolio.csv?table=owner").await;
    assert_eq!(r.body, "owner,tenants\r\nmaria,2\r\nomar,1\r\n");
    let r = w.get(Some("pat"), "/portfolio.csv?table=phase").await;
    assert!(
        r.body
            .starts_with("phase,name,tenants\r\ninitiate,Initiate,0\r\nassess,Assess,1\r\n"),
        "{}",
        r.body
    );
    assert!(
        r.body.ends_with("(complete),All phases complete,0\r\n"),
        "{}",
        r.body
    );
    let r = w
        .get(Some("maria"), "/portfolio.csv?table=owner&mine=1")
        .await;
    assert_eq!(
        r.headers["content-disposition"],
        "attachment; filename=\"portfolio-owner-mine.csv\""
    );
    assert_eq!(r.body, "owner,tenants\r\nmaria,2\r\n");
    // The status table by default; an unknown table is a bad request.
    let r = w.get(Some("gus"), "/portfolio.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("status,"));
    let r = w.get(Some("admin"), "/portfolio.csv?table=secrets").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

async fn note(
    w: &World,
    author: &str,
    tenant: &str,
    body: &str,
    cat: NoteCategory,
    escalated: bool,
    save: bool,
) -> i64 {
    let u = &w.user(author).0;
    w.store
        .add_note(
            &Actor::user(u),
            &NoteDraft {
                tenant_id: tenant.into(),
                category: Some(cat),
                body: body.into(),
                escalated,
                next_action: format!(
                    "follow up on {}",
                    body.split_whitespace().next().unwrap_or("")
                ),
                ..Default::default()
            },
            save,
        )
        .await
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_library_lists_filters_and_sanitizes() {
    let w = world().await;
    note(
        &w,
        "maria",
        T1,
        "**Kick-off** held with alpha",
        NoteCategory::EngagementManagement,
        false,
        true,
    )
    .await;
    note(
        &w,
        "maria",
        T2,
        "DNS blocked at beta <script>alert(1)</script>",
        NoteCategory::Environment,
        true,
        true,
    )
    .await;
    note(
        &w,
        "omar",
        T3,
        "Gamma migration wave 1",
        NoteCategory::Migration,
        false,
        true,
    )
    .await;
    note(
        &w,
        "maria",
        T1,
        "private draft text",
        NoteCategory::Migration,
        false,
        false,
    )
    .await;

    let r = w.get(None, "/notes").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/signin?next="));

    let r = w.get(Some("admin"), "/notes").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(
        b.contains("<strong>Kick-off</strong> held with alpha"),
        "{b}"
    );
    assert!(b.contains("DNS blocked at beta"));
    assert!(
        !main(b).contains("<script") && !b.contains("alert(1)"),
        "{b}"
    );
    assert!(b.contains("Gamma migration wave 1"));
    assert!(!b.contains("private draft text"), "someone else's draft");
    assert!(b.contains(&format!("href=\"/tenants/{T1}\">alpha.onmicrosoft.com</a>")));
    assert!(b.contains("follow up on Gamma"));
    // Newest first.
    assert!(b.find("Gamma").unwrap() < b.find("DNS blocked").unwrap());
    assert!(b.find("DNS blocked").unwrap() < b.find("Kick-off").unwrap());

    let shows = |b: &str| {
        ["Kick-off", "DNS blocked", "Gamma migration"]
            .into_iter()
            .filter(|t| b.contains(t))
            .collect::<Vec<_>>()
    };
    for (query, want) in [
        ("/notes?category=environment", vec!["DNS blocked"]),
        ("/notes?escalated=1", vec!["DNS blocked"]),
        ("/notes?q=WAVE", vec!["Gamma migration"]),
        ("/notes?q=alpha.onmicrosoft", vec!["Kick-off"]),
        (
            "/notes?window=30",
            vec!["Kick-off", "DNS blocked", "Gamma migration"],
        ),
        ("/notes?window=60", vec![]),
        ("/notes?window=90&category=migration", vec![]),
        (
            "/notes?window=bogus&category=bogus",
            vec!["Kick-off", "DNS blocked", "Gamma migration"],
        ),
    ] {
        let r = w.get(Some("admin"), query).await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(shows(&r.body), want, "{query}");
    }
    let r = w.get(Some("omar"), "/notes?mine=1").await;
    assert_eq!(shows(&r.body), vec!["Gamma migration"]);
    // Partners see only their organisation's tenants' notes.
    let r = w.get(Some("pat"), "/notes").await;
    assert_eq!(shows(&r.body), vec!["Kick-off"]);
    // The author sees their draft in "My drafts"; guests have no drafts section.
    let r = w.get(Some("maria"), "/notes").await;
    assert!(r.body.contains("id=\"drafts\"") && r.body.contains("private draft text"));
    let r = w.get(Some("gus"), "/notes").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("id=\"drafts\""));
    assert_eq!(shows(&r.body).len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_updated_saved_and_deleted_with_csrf() {
    let w = world().await;
    let id = note(
        &w,
        "maria",
        T1,
        "first words",
        NoteCategory::Migration,
        false,
        false,
    )
    .await;
    let path = format!("/notes/drafts/{id}");
    let csrf = w.csrf("maria").await;

    // Without a session: to the sign-in page. Without (or with a wrong) CSRF token: 403.
    let r = w.post(None, &path, "version=1&body=x&action=update").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/signin"));
    for form in [
        "version=1&body=hacked&category=migration&action=update".to_string(),
        "csrf=wrong&version=1&body=hacked&category=migration&action=update".to_string(),
        "csrf=&version=1&body=hacked&action=delete".to_string(),
    ] {
        let r = w.post(Some("maria"), &path, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{form}");
    }
    let r = w.post(Some("maria"), &path, "not a form %%%").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.store.note(id).await.unwrap().body, "first words");

    // Someone else's draft does not exist for them; guests write no notes.
    let other = w.csrf("omar").await;
    let r = w
        .post(
            Some("omar"),
            &path,
            &format!("csrf={other}&version=1&body=x&action=update"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let gcsrf = w.csrf("gus").await;
    let r = w
        .post(
            Some("gus"),
            &path,
            &format!("csrf={gcsrf}&version=1&body=x&action=delete"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(w.store.note(id).await.is_ok());

    // Update: stays a draft, one version on.
    let r = w
        .post(
            Some("maria"),
            &path,
            &format!("csrf={csrf}&version=1&body=Second+*words*&category=environment&next_action=ring+IT&action=update"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/notes?updated={id}#draft-{id}"));
    let n = w.store.note(id).await.unwrap();
    assert_eq!(
        (
            n.state.as_str(),
            n.body.as_str(),
            n.category,
            n.next_action.as_str(),
            n.version
        ),
        (
            "draft",
            "Second *words*",
            NoteCategory::Environment,
            "ring IT",
            2
        )
    );
    let back = r.location().split('#').next().unwrap().to_string();
    let r = w.get(Some("maria"), &back).await;
    assert!(r.body.contains("Draft updated."), "{}", r.body);
    assert!(r.body.contains("Second *words*"));

    // A stale version is a conflict, and changes nothing.
    let r = w
        .post(
            Some("maria"),
            &path,
            &format!("csrf={csrf}&version=1&body=stale&action=update"),
        )
        .await;
    assert_eq!(r.location(), format!("/notes?conflict=1#draft-{id}"));
    assert_eq!(w.store.note(id).await.unwrap().body, "Second *words*");
    // Saving an empty body is invalid.
    let r = w
        .post(
            Some("maria"),
            &path,
            &format!("csrf={csrf}&version=2&body=+&action=save"),
        )
        .await;
    // The URL carries only the flag; the message is in the notice cookie and shown from it.
    assert_eq!(r.location(), format!("/notes?invalid=1#draft-{id}"));
    let (cookie, message) = r.notice().expect("the notice cookie");
    assert!(message.starts_with("Text:"), "{message}");
    let shown = w
        .page_with_cookie("maria", "/notes?invalid=1", &cookie)
        .await;
    assert!(
        shown.body.contains(&format!(
            "<p class=\"flash error\" role=\"alert\">{message}</p>"
        )),
        "{}",
        shown.body
    );
    assert_eq!(w.store.note(id).await.unwrap().state, "draft");

    // Save: it becomes a note and shows in the library.
    let r = w
        .post(
            Some("maria"),
            &path,
            &format!("csrf={csrf}&version=2&body=Final+*words*&category=environment&next_action=ring+IT&action=save"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/notes?saved={id}#note-{id}"));
    let n = w.store.note(id).await.unwrap();
    assert_eq!(
        (n.state.as_str(), n.body.as_str()),
        ("saved", "Final *words*")
    );
    let r = w.get(Some("admin"), "/notes").await;
    assert!(r.body.contains("Final <em>words</em>"), "{}", r.body);
    // A saved note cannot change or be deleted.
    for action in ["update", "delete"] {
        let r = w
            .post(
                Some("maria"),
                &path,
                &format!("csrf={csrf}&version=3&body=again&action={action}"),
            )
            .await;
        assert_eq!(r.location(), "/notes?invalid=1#drafts");
        let (_, message) = r.notice().expect("the notice cookie");
        assert!(!message.is_empty());
    }
    assert_eq!(w.store.note(id).await.unwrap().body, "Final *words*");

    // Delete another draft.
    let id2 = note(
        &w,
        "maria",
        T2,
        "throwaway",
        NoteCategory::Migration,
        false,
        false,
    )
    .await;
    let r = w
        .post(
            Some("maria"),
            &format!("/notes/drafts/{id2}"),
            &format!("csrf={csrf}&action=delete"),
        )
        .await;
    assert_eq!(r.location(), "/notes?deleted=1#drafts");
    assert!(w.store.note(id2).await.is_err());
    assert!(
        w.store
            .drafts(w.user("maria").0.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Unknown drafts are not found.
    let r = w
        .post(
            Some("maria"),
            "/notes/drafts/999999",
            &format!("csrf={csrf}&action=delete"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .post(
            Some("maria"),
            "/notes/drafts/abc",
            &format!("csrf={csrf}&action=delete"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saving_a_draft_needs_write_access_to_its_tenant() {
    let w = world().await;
    // A manager's draft on a tenant he is no longer assigned to (read access) can be kept,
    // not saved as a note.
    let id = note(
        &w,
        "maria",
        T1,
        "kept",
        NoteCategory::Migration,
        false,
        false,
    )
    .await;
    w.store
        .unassign(
            &Actor::system("test"),
            T1,
            w.user("maria").0.id,
            AssignmentRole::FastTrackManager,
            "",
        )
        .await
        .unwrap();
    let csrf = w.csrf("maria").await;
    let path = format!("/notes/drafts/{id}");
    let r = w
        .post(
            Some("maria"),
            &path,
            &format!("csrf={csrf}&version=1&body=kept+2&action=update"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .post(
            Some("maria"),
            &path,
            &format!("csrf={csrf}&version=2&body=kept+2&action=save"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.store.note(id).await.unwrap().state, "draft");
}
