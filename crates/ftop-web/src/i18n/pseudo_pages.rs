//! Every page rendered in the pseudo-language: each catalogue message comes out accented and
//! wrapped in `⟦…⟧`, so any visible text that is not inside such marks, nor user data, nor
//! playbook content, nor a number, a date or punctuation, did not come from the catalogue.
//!
//! The router runs on a fresh SQLite database with the bundled playbook and seeded records;
//! the pages are read as an admin and as a partner (and signed out: sign-in, 404, API docs).
//! Visible text is every text node outside `<code>`, `<script>` and `<style>`, and the
//! `title`, `aria-label`, `placeholder` and `alt` attributes, and the `value` of inputs shown
//! as buttons.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::Lang;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use ftop_domain::adoption::ForecastDates;
use ftop_domain::{ContactType, NoteCategory, OverallStatus, UserRole};
use ftop_store::{
    Actor, EngagementUpdate, NewContact, NewTenant, NoteDraft, PlaybookSource, Store,
};
use http_body_util::BodyExt;
use std::collections::BTreeSet;
use std::path::Path;
use tower::ServiceExt;

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// The strings the seeded records put on pages (user data).
const DATA: &[&str] = &[
    T1,
    T2,
    "alpha.onmicrosoft.com",
    "beta.onmicrosoft.com",
    "Contoso",
    "admin",
    "pat",
    "Fabrikam Partners",
    "Kick-off held with the customer.",
    "Send the adoption plan",
    "Draft about licences",
    "Dana Lee",
    "dana@contoso.example",
    "CIO",
    "Workshop prep",
    "usage.csv",
    // The system actor of the seeding, as the History tab names it.
    "test",
];

/// The bundled playbook, every language, as the binary ships it.
fn playbook_sources() -> Vec<PlaybookSource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook");
    let mut out = Vec::new();
    for locale in std::fs::read_dir(&root).unwrap() {
        let dir = locale.unwrap().path();
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|x| x == "md") {
                out.push(PlaybookSource {
                    root: String::new(),
                    path: format!("{code}/{}", f.file_name().unwrap().to_string_lossy()),
                    text: std::fs::read_to_string(&f).unwrap(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

struct World {
    router: axum::Router,
    /// Session cookies: admin, partner.
    admin: String,
    partner: String,
    /// The exact strings of user data and playbook content.
    known: Vec<String>,
    /// Playbook sources and content, for text inside content marked with its own `lang`.
    haystack: String,
    /// Pages to read: a tenant-wide task, a draft, the playbook's processes.
    task: u32,
    draft: i64,
    processes: Vec<String>,
    _dir: tempfile::TempDir,
}

fn strings_of(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings_of(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings_of(x, out)),
        _ => {}
    }
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("pseudo.db").display());
    let store = Store::open(&url).await.unwrap();
    let a = Actor::system("test");
    let sources = playbook_sources();
    store.load_playbook(&a, &sources).await.unwrap();
    for (id, name, services) in [
        (
            T1,
            "alpha.onmicrosoft.com",
            vec![("exchange", 300), ("teams", 300)],
        ),
        (T2, "beta.onmicrosoft.com", vec![("exchange", 500)]),
    ] {
        let t = NewTenant {
            tenant_id: id.into(),
            name: name.into(),
            customer: "Contoso".into(),
            services: services
                .into_iter()
                .map(|(s, n)| (s.to_string(), n, None))
                .collect(),
        };
        store.add_tenant(&a, &t).await.unwrap();
    }
    let v = store.tenant(T2).await.unwrap().version;
    let blocked = EngagementUpdate {
        overall_status: Some(OverallStatus::Blocked),
        ..Default::default()
    };
    store.update_engagement(&a, T2, v, &blocked).await.unwrap();
    let admin = store
        .add_user(&a, "admin", UserRole::Admin, "a good password", None)
        .await
        .unwrap();
    let pat = store
        .add_user(
            &a,
            "pat",
            UserRole::Partner,
            "a good password",
            Some("Fabrikam Partners"),
        )
        .await
        .unwrap();
    store
        .add_tenant_partner(&a, T1, "Fabrikam Partners", true)
        .await
        .unwrap();
    let by = Actor::user(&admin);
    let note = NoteDraft {
        tenant_id: T1.into(),
        category: Some(NoteCategory::EngagementManagement),
        body: "Kick-off held with the customer.".into(),
        next_action: "Send the adoption plan".into(),
        escalated: true,
        ..Default::default()
    };
    store.add_note(&by, &note, true).await.unwrap();
    let draft = NoteDraft {
        body: "Draft about licences".into(),
        escalated: false,
        ..note
    };
    let draft = store.add_note(&by, &draft, false).await.unwrap().id;
    let task = store
        .tenant_tasks(T1)
        .await
        .unwrap()
        .iter()
        .find(|t| t.service.is_empty())
        .unwrap()
        .task_id;
    store
        .add_time(&by, T1, task, "", 45, "2026-01-15", "Workshop prep")
        .await
        .unwrap();
    let contact = NewContact {
        kind: Some(ContactType::Customer),
        name: "Dana Lee".into(),
        email: "dana@contoso.example".into(),
        title: "CIO".into(),
        ..Default::default()
    };
    store.add_contact(&by, T1, &contact).await.unwrap();
    let today = ftop_store::today();
    let dates = ForecastDates {
        submitted: Some(today),
        target_10: Some(today + time::Duration::days(30)),
        target_max: Some(today + time::Duration::days(90)),
        ..Default::default()
    };
    store
        .save_forecast(&by, T1, "exchange", &dates, None)
        .await
        .unwrap();
    let token = store.create_token(&a, "admin", "test").await.unwrap();
    let (admin_cookie, _) = store.create_session(&admin).await.unwrap();
    let (partner_cookie, _) = store.create_session(&pat).await.unwrap();

    // Not yet translated: the History tab shows the audit log's own keys for what changed
    // (`tenant create`); the store has no list of them to name in the catalogue.
    let audit: Vec<String> = store
        .audit_for(T1, 200)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|e| [e.entity, e.action])
        .collect();
    let (_, pb, _) = store.playbook().unwrap();
    let mut content = BTreeSet::new();
    strings_of(&serde_json::to_value(&*pb).unwrap(), &mut content);
    let processes: BTreeSet<String> = pb.processes.iter().map(|p| p.key.clone()).collect();
    let mut known: Vec<String> = DATA.iter().map(|s| s.to_string()).collect();
    known.extend(audit);
    known.extend(content.iter().filter(|s| !s.trim().is_empty()).cloned());
    for s in ftop_domain::catalogue::SERVICES {
        known.push(s.name.to_string());
        known.push(s.key.to_string());
    }
    // The language switch names each language in itself (its own catalogue).
    known.extend(Lang::ALL.iter().map(|l| l.name().to_string()));
    // The API reference shows the OpenAPI document's own (English) descriptions.
    let openapi: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/openapi.json")).unwrap();
    let mut api = BTreeSet::new();
    strings_of(&openapi, &mut api);
    // References are shown by their last segment (`TaskStatus`).
    let names: Vec<String> = api
        .iter()
        .filter_map(|s| s.strip_prefix("#/").and_then(|r| r.rsplit('/').next()))
        .map(String::from)
        .collect();
    api.extend(names);
    if let Some(o) = openapi["paths"].as_object() {
        api.extend(o.keys().cloned());
    }
    known.extend(api.into_iter().filter(|s| !s.trim().is_empty()));
    // Longest first, so that a name is removed before a word inside it.
    known.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    known.dedup();
    let mut haystack: String = sources.iter().map(|s| s.text.as_str()).collect();
    haystack.extend(content.iter().map(|s| format!("{s}\n")));

    let router = crate::router(crate::App { store });
    let csv = format!(
        "tenant_id,service,date,active_users\n{T1},exchange,2026-01-31,20\n{T1},exchange,2026-02-28,40\n{T2},exchange,2026-02-28,30\n"
    );
    let r = router
        .clone()
        .oneshot(
            Request::post("/api/v1/usage")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/csv")
                .body(Body::from(csv))
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(r.status().is_success(), "usage upload: {}", r.status());
    World {
        router,
        admin: admin_cookie,
        partner: partner_cookie,
        known,
        haystack,
        task,
        draft,
        processes: processes.into_iter().collect(),
        _dir: dir,
    }
}

impl World {
    /// A page in the pseudo-language, as `session` (None: signed out).
    async fn get(&self, session: Option<&str>, path: &str) -> (StatusCode, String) {
        let cookie = match session {
            Some(s) => format!("ftop_session={s}; ftop_lang=pseudo"),
            None => "ftop_lang=pseudo".to_string(),
        };
        let r = self
            .router
            .clone()
            .oneshot(
                Request::get(path)
                    .header("cookie", cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = r.status();
        let body = r.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

/// HTML text with its character references decoded (maud writes these five).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A piece of visible text: where it is, and whether it sits in content marked with its own
/// language (playbook prose).
struct Visible {
    text: String,
    place: String,
    in_content: bool,
}

/// The attributes of a start tag's text (`a href="x" title="y"`).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |x| x.1);
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_string();
        let after = &rest[eq + 1..];
        let Some(v) = after.strip_prefix('"') else {
            break;
        };
        let end = v.find('"').unwrap_or(v.len());
        out.push((name, unescape(&v[..end])));
        rest = &v[(end + 1).min(v.len())..];
    }
    out
}

/// Every piece of visible text of a page.
fn visible(html: &str) -> Vec<Visible> {
    const VOID: [&str; 6] = ["meta", "link", "input", "br", "img", "hr"];
    let mut out = Vec::new();
    // (element, carries its own `lang`)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            break;
        };
        let text = &rest[..lt];
        let skip = stack
            .iter()
            .any(|(e, _)| matches!(e.as_str(), "code" | "script" | "style"));
        if !skip && !text.trim().is_empty() {
            out.push(Visible {
                text: unescape(text),
                place: stack
                    .iter()
                    .map(|(e, _)| e.as_str())
                    .collect::<Vec<_>>()
                    .join(">"),
                in_content: stack.iter().skip(1).any(|(_, l)| *l),
            });
        }
        let gt = rest[lt..].find('>').map_or(rest.len(), |g| lt + g);
        let tag = &rest[lt + 1..gt];
        rest = &rest[(gt + 1).min(rest.len())..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(end) = tag.strip_prefix('/') {
            if let Some(i) = stack.iter().rposition(|(e, _)| e == end.trim()) {
                stack.truncate(i);
            }
            continue;
        }
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let attrs = attributes(tag);
        let button_input = name == "input"
            && attrs
                .iter()
                .any(|(k, v)| k == "type" && matches!(v.as_str(), "submit" | "button" | "reset"));
        for (k, v) in &attrs {
            let shown = matches!(k.as_str(), "title" | "aria-label" | "placeholder" | "alt")
                || (k == "value" && button_input);
            if shown && !v.trim().is_empty() {
                out.push(Visible {
                    text: v.clone(),
                    place: format!("<{name} {k}>"),
                    in_content: false,
                });
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            let own_lang = attrs.iter().any(|(k, _)| k == "lang");
            stack.push((name, own_lang));
        }
    }
    out
}

/// The text left once every `⟦…⟧` (innermost first) is taken out.
fn outside_marks(s: &str) -> String {
    let mut s = s.to_string();
    while let Some(close) = s.find('⟧') {
        match s[..close].rfind('⟦') {
            Some(open) => s.replace_range(open..close + '⟧'.len_utf8(), " "),
            None => break,
        }
    }
    s
}

/// `s` without the occurrences of `word` that stand as whole words (not inside another).
fn without_word(s: &str, word: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + word.len()..].chars().next();
        // A word ends at a space or punctuation, not inside a date or an ID.
        let edge = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || "-_/@".contains(c));
        out.push_str(&rest[..i]);
        if edge(before) && edge(after) {
            out.push(' ');
        } else {
            out.push_str(word);
        }
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Whether a word is a number, a date, a time or a percentage (`2026-01-31T09:15:02Z`,
/// `10.00%`, `09:15`), or the `UTC` after a time.
fn numeric(word: &str, previous: Option<&str>) -> bool {
    if word == "UTC" {
        return previous.is_some_and(|p| p.contains(':'));
    }
    // A known value taken out of a longer moment can leave its tail (`.401304709Z`).
    let word = word.trim_start_matches(['.', ':']);
    word.starts_with(|c: char| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || "-:.TZ+%/".contains(c))
}

impl World {
    /// What of `v` is neither catalogue text nor known data: empty when all is well.
    fn stray(&self, v: &Visible) -> Option<String> {
        if !v.text.chars().any(char::is_alphabetic) {
            return None;
        }
        let mut s = v.text.clone();
        for k in &self.known {
            if s.contains(k.as_str()) {
                s = without_word(&s, k);
            }
        }
        let words: Vec<&str> = s.split_whitespace().collect();
        let left: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, w)| !numeric(w, i.checked_sub(1).map(|j| words[j])))
            .map(|(_, w)| *w)
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect();
        if left.is_empty() {
            return None;
        }
        // Playbook prose (rendered Markdown) in an element marked with its language.
        if v.in_content && self.haystack.contains(v.text.trim()) {
            return None;
        }
        Some(left.join(" "))
    }
}

#[tokio::test]
async fn every_page_shows_only_catalogue_text_user_data_and_playbook_content() {
    let w = world().await;
    let tabs = [
        "status",
        "playbook",
        "services",
        "usage",
        "time",
        "contacts",
        "partners",
        "eligibility",
        "history",
    ];
    let mut pages: Vec<(Option<&str>, String)> = Vec::new();
    for who in [&w.admin, &w.partner] {
        let who = Some(who.as_str());
        for p in [
            "/",
            "/?view=all",
            "/?view=my-inactive",
            "/portfolio",
            "/portfolio?mine=1",
            "/adoption",
            "/adoption?by=partner",
            "/adoption?by=manager&window=quarter",
            "/adoption/rows",
            "/adoption/rows?bucket=below-10",
            "/notes",
            "/notes/new",
            "/playbook",
            "/playbook?lang=es",
            "/playbook?lang=zh",
            "/playbook/translations",
        ] {
            pages.push((who, p.to_string()));
        }
        for tab in tabs {
            pages.push((who, format!("/tenants/{T1}?tab={tab}")));
        }
        pages.push((who, format!("/tenants/{T1}?tab=playbook&phase=all")));
        pages.push((who, format!("/tenants/{T1}/tasks/{}", w.task)));
        for key in &w.processes {
            pages.push((who, format!("/playbook/{key}")));
        }
    }
    pages.push((Some(&w.admin), format!("/notes/new?draft={}", w.draft)));
    pages.push((Some(&w.admin), format!("/tenants/{T2}")));
    pages.push((Some(&w.admin), "/no/such/page".into()));
    pages.push((None, "/signin".into()));
    pages.push((None, "/no/such/page".into()));
    pages.push((None, "/api/docs".into()));

    let mut problems = BTreeSet::new();
    let mut checked = 0;
    for (who, path) in &pages {
        let (status, body) = w.get(*who, path).await;
        let expected = if path.starts_with("/no/") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{path}: {body}");
        assert!(body.contains("⟦"), "{path} shows no catalogue text: {body}");
        for v in visible(&outside_marks(&body)) {
            checked += 1;
            if let Some(left) = w.stray(&v) {
                problems.insert(format!("{path} [{}] {:?} → {left:?}", v.place, v.text));
            }
        }
    }
    assert!(checked > 1000, "the pages were read ({checked} texts)");
    assert!(
        problems.is_empty(),
        "{} texts did not come from the catalogue:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_checker_sees_text_and_attributes_and_spares_marks_code_and_data() {
    let html = r#"<p title="⟦Ťíťĺé⟧">Hello ⟦Šáṽé⟧</p><code>ignored words</code><input type="submit" value="Go"><span aria-label="x y">2026-01-31T09:15:02Z 10.00%</span>"#;
    let v = visible(html);
    let texts: Vec<&str> = v.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "⟦Ťíťĺé⟧",
            "Hello ⟦Šáṽé⟧",
            "Go",
            "x y",
            "2026-01-31T09:15:02Z 10.00%"
        ]
    );
    assert_eq!(outside_marks("a ⟦b ⟦c⟧ d⟧ e"), "a   e");
    assert!(numeric("2026-01-31T09:15:02Z", None));
    assert!(numeric(".401304709Z", None));
    assert!(numeric(":17.489330451Z", None));
    assert!(!numeric(".Z", None));
    assert!(numeric("UTC", Some("09:15")));
    assert!(!numeric("UTC", Some("x")));
    assert!(!numeric("Go", None));
    assert_eq!(without_word("Tenants ten", "en"), "Tenants ten");
    assert_eq!(without_word("pat · Tenants", "pat"), "  · Tenants");
}
