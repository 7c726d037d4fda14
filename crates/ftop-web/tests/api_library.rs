//! What the library, portfolio and reader pages show, over the JSON API: notes found by the
//! library's search, drafts, templates, a partner's view limited to their tenants, and the
//! playbook reader in Spanish with English where a page is not translated. Also the notes
//! editor page with its templates, without JavaScript.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, Who, bundled, enc, h1};
use ftop_domain::{AssignmentRole, UserRole};
use serde_json::{Value, json};

const OWN: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const OTHER: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
/// A Spanish page left out, so its process falls back to English.
const UNTRANSLATED: &str = "initiate-governance-meeting-cadence.md";

/// People are named by their role's key (`admin`, `manager`, `partner`, `guest`).
struct World {
    h: Harness,
}

/// The playbook in English and Spanish (less one page); OWN (Exchange) managed by the
/// manager and shared with the partner's organisation "P Org"; OTHER (Exchange, Teams).
async fn world() -> World {
    let mut sources = bundled("en");
    sources.extend(
        bundled("es")
            .into_iter()
            .filter(|s| !s.path.ends_with(UNTRANSLATED)),
    );
    let mut h = Harness::with_playbook(&sources).await;
    h.tenant(OWN, "own.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.tenant(
        OTHER,
        "other.onmicrosoft.com",
        &[("exchange", 800, None), ("teams", 800, None)],
    )
    .await;
    h.people(
        &[
            UserRole::Admin,
            UserRole::Manager,
            UserRole::Partner,
            UserRole::Guest,
        ],
        "P Org",
    )
    .await;
    h.store
        .assign(
            &common::actor(),
            OWN,
            "manager",
            AssignmentRole::FastTrackManager,
            "",
            true,
        )
        .await
        .unwrap();
    h.store
        .add_tenant_partner(&common::actor(), OWN, "P Org", false)
        .await
        .unwrap();
    // Partner users change the organisation's tenants they are assigned to.
    h.store
        .assign(
            &common::actor(),
            OWN,
            "partner",
            AssignmentRole::PartnerEngineer,
            "",
            true,
        )
        .await
        .unwrap();
    World { h }
}

impl World {
    fn token(&self, role: UserRole) -> String {
        self.h.of_role(role).token.clone()
    }

    fn cookie(&self, role: UserRole) -> String {
        self.h.of_role(role).cookie.clone()
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
        let r = self.h.send(req).await;
        (r.status, r.body.into_bytes(), r.headers)
    }

    /// An API call with the role's bearer token.
    async fn api(
        &self,
        role: UserRole,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let r = self.h.api(role.key(), method, path, body).await;
        (r.status, r.json_or_null())
    }

    async fn get(&self, role: UserRole, path: &str) -> (StatusCode, Value) {
        self.api(role, "GET", path, None).await
    }

    /// A form posted with the role's session (and its CSRF token), in `lang`.
    async fn form(
        &self,
        role: UserRole,
        path: &str,
        fields: &[(&str, &str)],
        lang: &str,
    ) -> (StatusCode, String, String) {
        let mut body = format!("csrf={}", self.h.of_role(role).csrf);
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", enc(v)));
        }
        let req = self
            .h
            .request(Who::Anon, "POST", path)
            .header(
                header::COOKIE,
                format!("ftop_session={}; ftop_lang={lang}", self.cookie(role)),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = self.h.send(req).await;
        let location = r.location().to_string();
        (r.status, r.body, location)
    }

    async fn page(&self, role: UserRole, path: &str) -> (StatusCode, String) {
        let r = self.h.page(role.key(), path).await;
        (r.status, r.body)
    }
}

/// The text of the page's textarea `name`, unescaped.
fn textarea(html: &str, name: &str) -> String {
    let start = html
        .find(&format!("<textarea name=\"{name}\""))
        .unwrap_or_else(|| panic!("no textarea {name}:\n{html}"));
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</textarea>").unwrap();
    html[open..close]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn ids(v: &Value, key: &str) -> Vec<i64> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect()
}

use UserRole::{Admin, Guest, Manager, Partner};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_written_through_the_api_are_found_by_the_library_search() {
    let w = world().await;
    let (s, own) = w
        .api(
            Manager,
            "POST",
            &format!("/api/v1/tenants/{OWN}/notes"),
            Some(json!({"category": "technical-enablement", "body": "Mailbox **migration** wave 3 planned", "escalated": true})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{own}");
    let (s, other) = w
        .api(
            Admin,
            "POST",
            &format!("/api/v1/tenants/{OTHER}/notes"),
            Some(json!({"body": "Migration wave 1 on the other tenant", "next_action": "call the admin"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{other}");
    let own_id = own["note"]["id"].as_i64().unwrap();
    let other_id = other["note"]["id"].as_i64().unwrap();

    // The search finds both for the admin, newest first, with the tenant's name.
    let (s, found) = w.get(Admin, "/api/v1/notes?q=WAVE").await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert_eq!(ids(&found, "notes"), vec![other_id, own_id]);
    assert_eq!(found["notes"][1]["tenant"], "own.onmicrosoft.com");
    assert_eq!(
        found["notes"][1]["body"],
        "Mailbox **migration** wave 3 planned"
    );
    // The library's filters: category, escalated, mine, a tenant's name, the window.
    let (_, f) = w
        .get(Admin, "/api/v1/notes?category=technical-enablement")
        .await;
    assert_eq!(ids(&f, "notes"), vec![own_id]);
    let (_, f) = w.get(Admin, "/api/v1/notes?escalated=true").await;
    assert_eq!(ids(&f, "notes"), vec![own_id]);
    let (_, f) = w.get(Admin, "/api/v1/notes?mine=true").await;
    assert_eq!(ids(&f, "notes"), vec![other_id]);
    let (_, f) = w.get(Admin, "/api/v1/notes?q=other.onmicrosoft").await;
    assert_eq!(ids(&f, "notes"), vec![other_id]);
    let (_, f) = w.get(Admin, "/api/v1/notes?q=call%20the&window=30").await;
    assert_eq!(ids(&f, "notes"), vec![other_id]);
    let (_, f) = w.get(Admin, "/api/v1/notes?window=60").await;
    assert_eq!(ids(&f, "notes"), Vec::<i64>::new());
    let (_, f) = w.get(Admin, "/api/v1/notes?limit=1").await;
    assert_eq!(ids(&f, "notes"), vec![other_id]);
    // A partner sees only their organisation's tenants' notes, whatever they search.
    let (_, f) = w.get(Partner, "/api/v1/notes?q=wave").await;
    assert_eq!(ids(&f, "notes"), vec![own_id]);
    let (_, f) = w.get(Partner, "/api/v1/notes?q=other.onmicrosoft").await;
    assert_eq!(ids(&f, "notes"), Vec::<i64>::new());
    // Guests read what the page shows them.
    let (s, f) = w.get(Guest, "/api/v1/notes").await;
    assert_eq!((s, ids(&f, "notes").len()), (StatusCode::OK, 2));
    // Values the library does not know: 422 naming each field.
    let (s, e) = w
        .get(Admin, "/api/v1/notes?category=gossip&window=7&limit=0")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["category", "limit", "window"]);
    // The page and the API agree.
    let (_, page) = w.page(Partner, "/notes?q=wave").await;
    assert!(page.contains(&format!("id=\"note-{own_id}\"")), "{page}");
    assert!(!page.contains(&format!("id=\"note-{other_id}\"")), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_private_and_change_like_on_the_page() {
    let w = world().await;
    // A draft through the API, on a tenant the manager may change.
    let (s, d) = w
        .api(
            Manager,
            "POST",
            "/api/v1/notes/drafts",
            Some(json!({"tenant_id": OWN, "body": "half written", "category": "engagement-management", "next_action": "send the deck"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["draft"]["id"].as_i64().unwrap();
    assert_eq!(d["draft"]["state"], "draft");
    // Not on a tenant the manager may only read; not on one a partner may not see.
    let body = json!({"tenant_id": OTHER, "body": "x"});
    let (s, _) = w
        .api(Manager, "POST", "/api/v1/notes/drafts", Some(body.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = w
        .api(Partner, "POST", "/api/v1/notes/drafts", Some(body))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = w
        .api(
            Manager,
            "POST",
            "/api/v1/notes/drafts",
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("tenant_id"))
    );
    // The author lists and reads it, with the tenant's name; nobody else sees it.
    let (s, list) = w.get(Manager, "/api/v1/notes/drafts").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ids(&list, "drafts"), vec![id]);
    assert_eq!(list["drafts"][0]["tenant"], "own.onmicrosoft.com");
    let (_, list) = w.get(Admin, "/api/v1/notes/drafts").await;
    assert_eq!(ids(&list, "drafts"), Vec::<i64>::new());
    let (s, _) = w.get(Admin, &format!("/api/v1/notes/drafts/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = w.get(Guest, "/api/v1/notes/drafts").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Drafts are not in the library.
    let (_, f) = w.get(Manager, "/api/v1/notes?q=half").await;
    assert_eq!(ids(&f, "notes"), Vec::<i64>::new());
    // A change keeps the fields left out; a stale version is a conflict.
    let (s, u) = w
        .api(
            Manager,
            "PUT",
            &format!("/api/v1/notes/drafts/{id}"),
            Some(json!({"version": 1, "body": "fully written"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(
        (
            u["draft"]["body"].as_str(),
            u["draft"]["next_action"].as_str(),
            u["draft"]["version"].as_i64()
        ),
        (Some("fully written"), Some("send the deck"), Some(2))
    );
    let (s, c) = w
        .api(
            Manager,
            "PUT",
            &format!("/api/v1/notes/drafts/{id}"),
            Some(json!({"version": 1, "body": "lost"})),
        )
        .await;
    assert_eq!(
        (s, c["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (s, c) = w
        .api(
            Manager,
            "PUT",
            &format!("/api/v1/notes/drafts/{id}"),
            Some(json!({"version": 2, "category": "gossip"})),
        )
        .await;
    assert_eq!(
        (s, c["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
    );
    // A session cookie needs the CSRF header to change a draft.
    let req = Request::builder()
        .method("DELETE")
        .uri(format!("/api/v1/notes/drafts/{id}"))
        .header(
            header::COOKIE,
            format!("ftop_session={}", w.cookie(Manager)),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(w.send(req).await.0, StatusCode::FORBIDDEN);
    // Saving makes it a note of the tenant: found by the search, no longer a draft.
    let (s, saved) = w
        .api(
            Manager,
            "PUT",
            &format!("/api/v1/notes/drafts/{id}"),
            Some(json!({"version": 2, "save": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["note"]["state"], "saved");
    let (_, f) = w.get(Partner, "/api/v1/notes?q=fully").await;
    assert_eq!(ids(&f, "notes"), vec![id]);
    let (_, list) = w.get(Manager, "/api/v1/notes/drafts").await;
    assert_eq!(ids(&list, "drafts"), Vec::<i64>::new());
    // Saved notes cannot change or be deleted.
    let (s, _) = w
        .api(
            Manager,
            "DELETE",
            &format!("/api/v1/notes/drafts/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Another draft, deleted.
    let (_, d) = w
        .api(
            Partner,
            "POST",
            "/api/v1/notes/drafts",
            Some(json!({"tenant_id": OWN, "body": "tmp"})),
        )
        .await;
    let id = d["draft"]["id"].as_i64().unwrap();
    let (s, _) = w
        .api(
            Partner,
            "DELETE",
            &format!("/api/v1/notes/drafts/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = w.get(Partner, &format!("/api/v1/notes/drafts/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_portfolio_counts_only_their_tenants() {
    let w = world().await;
    let (s, all) = w.get(Admin, "/api/v1/portfolio").await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(all["summary"]["tenants"], 2);
    let service = |v: &Value, key: &str| {
        v["summary"]["by_service"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service"] == key)
            .map(|r| {
                (
                    r["tenants"].as_i64().unwrap(),
                    r["entitlements"].as_i64().unwrap(),
                )
            })
    };
    assert_eq!(service(&all, "exchange"), Some((2, 1100)));
    assert_eq!(service(&all, "teams"), Some((1, 800)));
    let (s, p) = w.get(Partner, "/api/v1/portfolio").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (p["mine"].as_bool(), p["summary"]["tenants"].as_i64()),
        (Some(false), Some(1))
    );
    assert_eq!(service(&p, "exchange"), Some((1, 300)));
    assert_eq!(service(&p, "teams"), None);
    let statuses: i64 = p["summary"]["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tenants"].as_i64().unwrap())
        .sum();
    let phases: i64 = p["summary"]["by_phase"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tenants"].as_i64().unwrap())
        .sum();
    assert_eq!((statuses, phases), (1, 1));
    // "Assigned to me": the manager owns one tenant, the admin none.
    let (_, m) = w.get(Manager, "/api/v1/portfolio?mine=true").await;
    assert_eq!(m["summary"]["tenants"], 1);
    assert_eq!(m["summary"]["by_owner"][0]["owner"], "manager");
    let (_, m) = w.get(Admin, "/api/v1/portfolio?mine=true").await;
    assert_eq!(m["summary"]["tenants"], 0);
    // The page shows the same total.
    let (_, page) = w.page(Partner, "/portfolio").await;
    assert!(
        page.contains("<strong><a href=\"/?view=all\">1</a></strong>"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reader_in_spanish_falls_back_to_english() {
    let w = world().await;
    let (s, idx) = w.get(Guest, "/api/v1/playbook?lang=es").await;
    assert_eq!(s, StatusCode::OK, "{idx}");
    assert_eq!(
        (idx["locale"].as_str(), idx["source_locale"].as_str()),
        (Some("es"), Some("en"))
    );
    let phases = idx["phases"].as_array().unwrap();
    let names: Vec<&str> = phases.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(&names[..2], ["Iniciar", "Evaluación"], "{names:?}");
    let processes: Vec<&Value> = phases
        .iter()
        .flat_map(|p| p["processes"].as_array().unwrap())
        .collect();
    let kickoff = processes
        .iter()
        .find(|p| p["key"] == "initiate-conduct-customer-kickoff")
        .unwrap();
    assert_eq!(
        kickoff["title"].as_str().unwrap(),
        h1("es", "initiate-conduct-customer-kickoff.md")
    );
    assert_eq!(
        (kickoff["locale"].as_str(), kickoff["fallback"].as_bool()),
        (Some("es"), Some(false))
    );
    let english = h1("en", UNTRANSLATED);
    let fallback: Vec<&&Value> = processes.iter().filter(|p| p["fallback"] == true).collect();
    assert_eq!(fallback.len(), 1, "{fallback:?}");
    assert_eq!(
        (
            fallback[0]["title"].as_str(),
            fallback[0]["locale"].as_str()
        ),
        (Some(english.as_str()), Some("en"))
    );
    let untranslated_key = fallback[0]["key"].as_str().unwrap().to_string();

    // One process in Spanish: steps with tasks, next steps.
    let (s, p) = w
        .get(
            Guest,
            "/api/v1/playbook/processes/initiate-conduct-customer-kickoff?lang=es",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(
        p["title"].as_str().unwrap(),
        h1("es", "initiate-conduct-customer-kickoff.md")
    );
    assert_eq!(
        (
            p["locale"].as_str(),
            p["fallback"].as_bool(),
            p["phase"]["name"].as_str()
        ),
        (Some("es"), Some(false), Some("Iniciar"))
    );
    let steps = p["steps"].as_array().unwrap();
    assert!(!steps.is_empty());
    let tasks: Vec<&Value> = steps
        .iter()
        .flat_map(|s| s["tasks"].as_array().unwrap())
        .collect();
    assert!(!tasks.is_empty(), "{p}");
    assert!(
        tasks
            .iter()
            .all(|t| t["id"].as_str().unwrap().parse::<u32>().is_ok())
    );
    assert!(!p["next_steps"].as_array().unwrap().is_empty(), "{p}");
    // The same process in English has the same task IDs.
    let (_, en) = w
        .get(
            Guest,
            "/api/v1/playbook/processes/initiate-conduct-customer-kickoff?lang=en",
        )
        .await;
    let en_ids: Vec<&Value> = en["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tasks"].as_array().unwrap())
        .map(|t| &t["id"])
        .collect();
    assert_eq!(en_ids, tasks.iter().map(|t| &t["id"]).collect::<Vec<_>>());
    assert_eq!(
        en["title"].as_str().unwrap(),
        h1("en", "initiate-conduct-customer-kickoff.md")
    );
    // The untranslated one comes in English, marked.
    let (s, p) = w
        .get(
            Guest,
            &format!("/api/v1/playbook/processes/{untranslated_key}?lang=es"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            p["title"].as_str(),
            p["locale"].as_str(),
            p["requested_locale"].as_str(),
            p["fallback"].as_bool()
        ),
        (Some(english.as_str()), Some("en"), Some("es"), Some(true))
    );
    // An unknown process: 404 in the envelope.
    let (s, e) = w
        .get(Guest, "/api/v1/playbook/processes/no-such-process")
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not-found"))
    );
    // Without ?lang=, the caller's UI language.
    let req = Request::get("/api/v1/playbook")
        .header("authorization", format!("Bearer {}", w.token(Guest)))
        .header(header::ACCEPT_LANGUAGE, "es-ES,es;q=0.9")
        .body(Body::empty())
        .unwrap();
    let (_, bytes, _) = w.send(req).await;
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["locale"], "es");
    // The translations report names the missing Spanish page.
    let (s, r) = w.get(Guest, "/api/v1/playbook/translations").await;
    assert_eq!(s, StatusCode::OK);
    let es = r["report"]["locales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["locale"] == "es")
        .unwrap();
    assert!(
        es["missing_pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().ends_with(UNTRANSLATED)),
        "{es}"
    );
    // Anonymous callers: 401.
    let (s, _, _) = w
        .send(
            Request::get("/api/v1/playbook")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_exist_for_two_categories_in_three_languages() {
    let w = world().await;
    let (s, t) = w.get(Partner, "/api/v1/notes/templates?lang=es").await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let cats: Vec<&str> = t["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["category"].as_str().unwrap())
        .collect();
    assert_eq!(cats, ["engagement-management", "technical-enablement"]);
    assert!(
        t["templates"][0]["body"]
            .as_str()
            .unwrap()
            .contains("## Participantes")
    );
    assert!(
        t["templates"][1]["body"]
            .as_str()
            .unwrap()
            .contains("## Carga de trabajo afectada")
    );
    let (_, t) = w.get(Partner, "/api/v1/notes/templates?lang=zh").await;
    assert!(
        t["templates"][0]["body"]
            .as_str()
            .unwrap()
            .contains("## 参与者")
    );
    let (_, t) = w.get(Partner, "/api/v1/notes/templates").await;
    assert_eq!(t["lang"], "en");
    for h in [
        "## Workload affected",
        "## Status",
        "## Summary",
        "## Next action",
        "## Concerns",
    ] {
        assert!(
            t["templates"][1]["body"].as_str().unwrap().contains(h),
            "{h}"
        );
    }
    let (s, _) = w.get(Partner, "/api/v1/notes/templates?lang=fr").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_inserts_a_template_without_javascript() {
    let w = world().await;
    let base = [
        ("tenant", OWN),
        ("category", "migration"),
        ("services", "exchange"),
        ("next_action", "Call Ana <back> & confirm"),
        ("next_action_owner", "Ana"),
        ("escalated", "1"),
    ];
    // The editor opens prefilled and offers templates for two categories only.
    let (s, page) = w
        .page(
            Manager,
            &format!("/notes/new?tenant={OWN}&category=technical-enablement"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let select = &page[page.find("<select name=\"template\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(select.matches("<option").count(), 2, "{select}");
    assert!(
        select.contains("value=\"engagement-management\"")
            && select.contains("value=\"technical-enablement\" selected"),
        "{select}"
    );
    assert!(
        page.contains("Inserting a template replaces the text of the note"),
        "{page}"
    );
    assert!(page.contains(&format!("value=\"{OWN}\"")));

    // An empty body: the template goes in at once, the category follows, the rest stays.
    let mut fields = base.to_vec();
    fields.extend([
        ("template", "engagement-management"),
        ("body", ""),
        ("action", "template"),
    ]);
    let (s, page, _) = w.form(Manager, "/notes/new", &fields, "en").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let body = textarea(&page, "body");
    for h in [
        "## Participants",
        "## Discussion points",
        "## Customer questions",
        "## Actions",
        "## Playbook task",
    ] {
        assert!(body.contains(h), "{h} not in {body}");
    }
    assert!(
        page.contains("value=\"Call Ana &lt;back&gt; &amp; confirm\""),
        "{page}"
    );
    assert!(
        page.contains("name=\"next_action_owner\" size=\"30\" value=\"Ana\""),
        "{page}"
    );
    assert!(
        page.contains("name=\"services\" value=\"exchange\""),
        "{page}"
    );
    assert!(
        page.contains("name=\"escalated\" value=\"1\" checked"),
        "{page}"
    );
    assert!(
        page.contains(&format!("name=\"tenant\" value=\"{OWN}\"")),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"engagement-management\" selected>"),
        "{page}"
    );

    // Text of the user's own: a confirmation first, nothing lost; then the replacement.
    let mut fields = base.to_vec();
    fields.extend([
        ("template", "technical-enablement"),
        ("body", "Met the team."),
        ("action", "template"),
    ]);
    let (s, page, _) = w.form(Manager, "/notes/new", &fields, "es").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(textarea(&page, "body"), "Met the team.");
    assert!(page.contains("value=\"template-replace\""), "{page}");
    fields.retain(|(k, _)| *k != "action");
    fields.push(("action", "template-replace"));
    let (_, page, _) = w.form(Manager, "/notes/new", &fields, "es").await;
    let body = textarea(&page, "body");
    for h in [
        "## Carga de trabajo afectada",
        "## Estado",
        "## Resumen",
        "## Siguiente acción",
        "## Inquietudes",
    ] {
        assert!(body.contains(h), "{h} not in {body}");
    }
    assert!(
        page.contains("<option value=\"technical-enablement\" selected>"),
        "{page}"
    );

    // A category without a template: none is inserted.
    let mut fields = base.to_vec();
    fields.extend([
        ("template", "migration"),
        ("body", ""),
        ("action", "template"),
    ]);
    let (s, page, _) = w.form(Manager, "/notes/new", &fields, "en").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(textarea(&page, "body"), "");
    assert!(page.contains("This category has no template."), "{page}");

    // Saving from the editor: a note of the tenant, back in the library.
    let mut fields = base.to_vec();
    fields.extend([("body", "Cutover plan agreed."), ("action", "save")]);
    let (s, _, location) = w.form(Manager, "/notes/new", &fields, "en").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/notes?saved="), "{location}");
    let (_, f) = w.get(Partner, "/api/v1/notes?q=cutover").await;
    assert_eq!(f["notes"][0]["category"], "migration");
    assert_eq!(f["notes"][0]["next_action_owner"], "Ana");
    assert_eq!(f["notes"][0]["escalated"], true);
    // A tenant the manager may only read: refused, the form comes back as typed.
    let fields = [("tenant", OTHER), ("body", "Not mine"), ("action", "draft")];
    let (s, page, _) = w.form(Manager, "/notes/new", &fields, "en").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(textarea(&page, "body"), "Not mine");

    // A draft continued in the editor gets the template too, and stays the same draft.
    let (_, d) = w
        .api(
            Manager,
            "POST",
            "/api/v1/notes/drafts",
            Some(json!({"tenant_id": OWN, "body": ""})),
        )
        .await;
    let id = d["draft"]["id"].as_i64().unwrap().to_string();
    let (s, page) = w.page(Manager, &format!("/notes/new?draft={id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("name=\"draft\" value=\"{id}\"")),
        "{page}"
    );
    let fields = [
        ("draft", id.as_str()),
        ("version", "1"),
        ("tenant", OWN),
        ("category", "engagement-management"),
        ("template", "engagement-management"),
        ("body", ""),
        ("action", "template"),
    ];
    let (_, page, _) = w.form(Manager, "/notes/new", &fields, "zh").await;
    let body = textarea(&page, "body");
    assert!(body.contains("## 参与者"), "{body}");
    let fields = [
        ("draft", id.as_str()),
        ("version", "1"),
        ("tenant", OWN),
        ("category", "engagement-management"),
        ("body", body.as_str()),
        ("action", "draft"),
    ];
    let (s, _, location) = w.form(Manager, "/notes/new", &fields, "zh").await;
    assert_eq!(
        (s, location.starts_with("/notes?updated=")),
        (StatusCode::SEE_OTHER, true)
    );
    let (_, d) = w.get(Manager, &format!("/api/v1/notes/drafts/{id}")).await;
    assert!(
        d["draft"]["body"].as_str().unwrap().contains("## 讨论要点"),
        "{d}"
    );
    assert_eq!(d["draft"]["version"], 2);
    // Guests do not write notes.
    let (s, _) = w.page(Guest, "/notes/new").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
