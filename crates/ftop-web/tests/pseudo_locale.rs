//! Every page rendered in the pseudo-language (`ftop_lang=pseudo`, feature `pseudo-locale`):
//! each catalogue message comes out accented and wrapped in `⟦…⟧`, so any visible text that
//! is neither inside such marks, nor user data, nor playbook content, nor a number, a day,
//! a time or punctuation, did not come from the catalogue.
//!
//! The pages are read on the web test harness (bundled playbook in every language, seeded
//! records, a change of each kind in the History tab, messages that forms send back) as an
//! administrator, as a partner and signed out. Visible text is every text node outside
//! `<code>`, `<script>` and `<style>`, and the `title`, `aria-label`, `placeholder`, `alt`
//! and `label` attributes, and the `value` of inputs shown as buttons.
//!
//! The check does not depend on the clock: a stored moment shown raw
//! (`2026-01-31T09:15:02.123Z`) always fails, whatever its digits, and data made only of
//! digits and punctuation is never taken out of a text (it could cut such a moment).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{Harness, Who, actor, bundled_all, enc};
use ftop_domain::adoption::ForecastDates;
use ftop_domain::taxonomy::{L1, StatusRow};
use ftop_domain::{AssignmentRole, ContactType, NoteCategory, OverallStatus, TaskStatus, UserRole};
use ftop_store::{Actor, EngagementUpdate, NewContact, NoteDraft, TaskUpdate};
use std::collections::{BTreeSet, HashMap};

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
    "Contoso Consulting",
    "Kick-off held with the customer.",
    "Send the adoption plan",
    "Draft about licences",
    "Dana Lee",
    "dana@contoso.example",
    "CIO",
    "Lee Chen",
    "lee@contoso.example",
    "Workshop prep",
    "Waiting for the legal review.",
    "Mailboxes first.",
    "Pilot group first.",
    "usage.csv",
    // The actor of the harness's fixtures, as the History tab names it.
    "test",
    // Enterprise status entries.
    "Licences are not assigned yet.",
    "Identity waits for the security review.",
    "Exchange is half migrated.",
    "Migration clinics every week.",
    "A budget freeze.",
    "The CIO knows.",
];

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

/// The seeded world and what the check may take as known.
struct World {
    h: Harness,
    /// The exact strings of user data and playbook content, longest first.
    known: Vec<String>,
    /// Playbook sources and content, for text inside content marked with its own `lang`.
    haystack: String,
    /// Pages to read: a tenant-wide task, a draft, the playbook's processes.
    task: u32,
    draft: i64,
    processes: Vec<String>,
}

async fn world() -> World {
    let sources = bundled_all();
    let mut h = Harness::with_playbook(&sources).await;
    h.tenant_of(
        T1,
        "alpha.onmicrosoft.com",
        "Contoso",
        &[("exchange", 300, None), ("teams", 300, None)],
    )
    .await;
    h.tenant_of(
        T2,
        "beta.onmicrosoft.com",
        "Contoso",
        // Above 500 seats: its Exchange has a data migration section.
        &[("exchange", 600, None)],
    )
    .await;
    h.person("admin", UserRole::Admin, None).await;
    h.person("pat", UserRole::Partner, Some("Fabrikam Partners"))
        .await;
    let a = actor();
    let store = h.store.clone();
    let v = store.tenant(T2).await.unwrap().version;
    let blocked = EngagementUpdate {
        overall_status: Some(OverallStatus::Blocked),
        ..Default::default()
    };
    store.update_engagement(&a, T2, v, &blocked).await.unwrap();
    // T2's Exchange: 600 In Progress, migrated by Microsoft in one row (the History shows it).
    let sv = store.service_status(T2, "exchange").await.unwrap().version;
    let in_progress = StatusRow {
        l1: L1::InProgress,
        l2: None,
        l3: None,
        count: 600,
        target_date: Some(ftop_store::today() + time::Duration::days(60)),
        owner: None,
        note: String::new(),
        next_action_date: None,
    };
    store
        .set_status_rows(&a, T2, "exchange", sv, &[in_progress])
        .await
        .unwrap();
    let decision = ftop_domain::migration::Decision {
        performing: true,
        desired_start: Some(ftop_store::today()),
        types: vec![ftop_domain::migration::TypeRow {
            migration_type: ftop_domain::MigrationType::ExchangeHybrid,
            entitlements: 600,
            estimated_date: Some(ftop_store::today()),
            note: "Pilot group first.".into(),
            data_size_gb: Some(900),
            status: ftop_domain::MigrationStatus::InProgress,
        }],
        ..Default::default()
    };
    store
        .set_migration(&a, T2, "exchange", 0, &decision)
        .await
        .unwrap();
    // T1 is shared with a second organisation: the partner sees that, not its name.
    store
        .add_tenant_partner(&a, T1, "Fabrikam Partners", true)
        .await
        .unwrap();
    store
        .add_tenant_partner(&a, T1, "Contoso Consulting", false)
        .await
        .unwrap();
    h.assign(T1, "admin", AssignmentRole::FastTrackManager)
        .await;
    let by = Actor::user(&h.who("admin").user);
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
    let tasks = store.tenant_tasks(T1).await.unwrap();
    let t = tasks.iter().find(|t| t.service.is_empty()).unwrap();
    let task = t.task_id;
    let change = TaskUpdate {
        task_id: task,
        service: String::new(),
        version: t.version,
        status: Some(TaskStatus::Complete),
        percent: Some(100),
        role: None,
    };
    store.set_task(&by, T1, &change).await.unwrap();
    store
        .add_time(&by, T1, task, "", 45, "2026-01-15", "Workshop prep")
        .await
        .unwrap();
    for (name, email) in [
        ("Dana Lee", "dana@contoso.example"),
        ("Lee Chen", "lee@contoso.example"),
    ] {
        let contact = NewContact {
            kind: Some(ContactType::Customer),
            name: name.into(),
            email: email.into(),
            title: "CIO".into(),
            ..Default::default()
        };
        store.add_contact(&by, T1, &contact).await.unwrap();
    }
    let gone = store.contacts(T1).await.unwrap();
    let gone = gone.iter().find(|c| c.name == "Lee Chen").unwrap().id;
    store.delete_contact(&by, T1, gone).await.unwrap();
    // Status rows with a reason and an engineering reason.
    let version = store.service_status(T1, "exchange").await.unwrap().version;
    let row = |l1, l2: &str, l3: Option<&str>, count, note: &str| StatusRow {
        l1,
        l2: Some(l2.into()),
        l3: l3.map(String::from),
        count,
        target_date: None,
        owner: None,
        note: note.into(),
        next_action_date: None,
    };
    let rows = [
        row(
            L1::Blocked,
            "legal-regulatory",
            Some("legal"),
            20,
            "Waiting for the legal review.",
        ),
        row(
            L1::StatusUnknown,
            "new-subscription-or-workload",
            None,
            280,
            "Mailboxes first.",
        ),
    ];
    store
        .set_status_rows(&by, T1, "exchange", version, &rows)
        .await
        .unwrap();
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
    // T1 is an enterprise tenant (by exception) with two Enterprise status entries: the
    // Status tab shows the current one and the earlier one folded.
    let v = store.tenant(T1).await.unwrap().version;
    let exception = EngagementUpdate {
        enterprise_exception: Some(true),
        ..Default::default()
    };
    store
        .update_engagement(&a, T1, v, &exception)
        .await
        .unwrap();
    for (rag, summary) in [
        ("red", "Licences are not assigned yet."),
        ("amber", "Identity waits for the security review."),
    ] {
        let entry = ftop_domain::enterprise::EnterpriseDraft {
            reasons: vec!["major-brand".into(), "it-maturity".into()],
            rag: rag.into(),
            summary: summary.into(),
            overview: "Exchange is half migrated.".into(),
            activities: "Migration clinics every week.".into(),
            risks: "A budget freeze.".into(),
            brand: "Contoso".into(),
            awareness: "The CIO knows.".into(),
            next_update: (today + time::Duration::days(14)).to_string(),
        };
        store.add_enterprise_status(&by, T1, &entry).await.unwrap();
    }
    let csv = format!(
        "tenant_id,service,date,active_users\n{T1},exchange,2026-01-31,20\n{T1},exchange,2026-02-28,40\n{T2},exchange,2026-02-28,30\n"
    );
    let r = h
        .api_raw("admin", "POST", "/api/v1/usage", "text/csv", &csv)
        .await;
    assert!(
        r.status.is_success(),
        "usage upload: {} {}",
        r.status,
        r.body
    );

    let (_, pb, _) = store.playbook().unwrap();
    let mut content = BTreeSet::new();
    strings_of(&serde_json::to_value(&*pb).unwrap(), &mut content);
    let processes: BTreeSet<String> = pb.processes.iter().map(|p| p.key.clone()).collect();
    let mut known: Vec<String> = DATA.iter().map(|s| s.to_string()).collect();
    known.extend(content.iter().cloned());
    for s in ftop_domain::catalogue::SERVICES {
        known.push(s.name.to_string());
        known.push(s.key.to_string());
    }
    // The language switch names each language in itself (its own catalogue).
    known.extend(
        ftop_domain::text::Lang::ALL
            .iter()
            .map(|l| l.name().to_string()),
    );
    // The API reference shows the OpenAPI document's own (English) descriptions.
    let openapi: serde_json::Value =
        serde_json::from_str(include_str!("../assets/openapi.json")).unwrap();
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
    known.extend(api);
    // Only text with letters: numbers and punctuation need no excuse, and taking them out
    // could cut a raw moment into pieces that look like numbers.
    known.retain(|s| s.chars().any(char::is_alphabetic));
    // Longest first, so that a name is removed before a word inside it.
    known.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    known.dedup();
    let mut haystack: String = sources.iter().map(|s| s.text.as_str()).collect();
    haystack.extend(content.iter().map(|s| format!("{s}\n")));
    h.lang = Some("pseudo".into());
    World {
        h,
        known,
        haystack,
        task,
        draft,
        processes: processes.into_iter().collect(),
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
            let shown = matches!(
                k.as_str(),
                "title" | "aria-label" | "placeholder" | "alt" | "label"
            ) || (k == "value" && button_input);
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

/// The first stored moment written raw in `s` (`2026-01-31T09:15`: a day, `T`, a time).
fn raw_moment(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len()).find_map(|i| {
        let day = [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&k| digit(i + k))
            && b.get(i + 4) == Some(&b'-')
            && b.get(i + 7) == Some(&b'-');
        let time = b.get(i + 10) == Some(&b'T')
            && digit(i + 11)
            && digit(i + 12)
            && b.get(i + 13) == Some(&b':');
        (day && time).then(|| &s[i..(i + 16).min(s.len())])
    })
}

/// Whether a word is a number, a day, a time or a percentage (`2026-01-31`, `10.00%`,
/// `09:15`), or the `UTC` after a time. A raw moment is not (see [`raw_moment`]).
fn numeric(word: &str, previous: Option<&str>) -> bool {
    if word == "UTC" {
        return previous.is_some_and(|p| p.contains(':'));
    }
    word.starts_with(|c: char| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || "-:.,+%/".contains(c))
}

impl World {
    /// What of `v` is neither catalogue text nor known data: None when all is well.
    fn stray(&self, v: &Visible) -> Option<String> {
        if let Some(m) = raw_moment(&v.text) {
            return Some(format!("raw moment {m}"));
        }
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

    /// The page a form's answer leads to (its Location), as `who`, and the notice cookie
    /// it sets (the message of field errors), if any.
    async fn after_form(&self, who: &str, path: &str, form: &str) -> (String, Option<String>) {
        let r = self.h.form(who, path, form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
        (r.location().to_string(), r.notice().map(|(c, _)| c))
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
        "assignments",
        "partners",
        "eligibility",
        "history",
    ];
    let mut pages: Vec<(Option<&str>, String)> = Vec::new();
    for who in ["admin", "pat"] {
        let who = Some(who);
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
            "/reports",
            "/reports/milestones",
            "/reports/stale-status-notes?all=1",
            "/reports/compliance",
            "/reports/forecast?milestone=10",
            "/reports/forecast?milestone=40",
            "/reports/new-subscriptions",
            "/reports/data-health",
            "/reports/conversion",
            "/reports/performance",
            "/reports/service-usage",
            "/reports/service-usage?month=2026-02",
            "/reports/usage-trend",
            "/notes",
            "/notes?deleted=1&conflict=1",
            "/notes/new",
            "/playbook",
            "/playbook?lang=es",
            "/playbook?lang=zh",
            "/playbook/translations",
            "/account/sessions",
            "/account",
            "/account?done=password",
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
    let admin = Some("admin");
    pages.push((admin, format!("/notes/new?draft={}", w.draft)));
    pages.push((admin, format!("/tenants/{T2}")));
    pages.push((admin, format!("/tenants/{T2}?tab=services")));
    pages.push((admin, format!("/tenants/{T2}?tab=history&kind=migration")));
    pages.push((admin, "/no/such/page".into()));
    for p in [
        "/admin/users",
        "/admin/users?search=a&done=created",
        "/admin/users/admin?done=saved",
        "/admin/partners?done=partner",
        "/admin/reassign?from=admin&to=pat&done=2",
        "/tenants/new",
        "/tenants/import",
    ] {
        pages.push((admin, p.to_string()));
    }
    // The messages forms send back: saved, conflict, and field errors.
    pages.push((
        admin,
        format!("/tenants/{T1}?tab=playbook&saved={}", w.task),
    ));
    pages.push((
        admin,
        format!("/tenants/{T1}?tab=status&saved=status&conflict=1"),
    ));
    let v = w.h.store.service_status(T1, "teams").await.unwrap().version;
    let bad_rows = format!(
        "version={v}&l1_0=blocked&l2_0=legal-regulatory&count_0=many&target_0=soon&l1_1=nonsense&count_1=1"
    );
    // A refused status-rows form is shown again at once (422), with what was typed.
    let refused_rows =
        w.h.form("admin", &format!("/tenants/{T1}/services/teams"), &bad_rows)
            .await;
    assert_eq!(refused_rows.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused_rows
            .body
            .contains("<p class=\"flash error\" role=\"alert\">⟦"),
        "the refusal is shown: {}",
        refused_rows.body
    );
    // A refused Enterprise status form: shown again (422), each message beside its field.
    let refused_enterprise =
        w.h.form(
            "admin",
            &format!("/tenants/{T1}/enterprise-status"),
            "rag=amber&summary=+&next_update=2020-01-31",
        )
        .await;
    assert_eq!(refused_enterprise.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused_enterprise
            .body
            .contains("<span class=\"field-error\" id=\"enterprise-error-summary\">⟦"),
        "{}",
        refused_enterprise.body
    );
    // Field errors of forms that go back to a page: the flag in the URL, the message in
    // the notice cookie sent back.
    let mut notices: HashMap<String, String> = HashMap::new();
    let (to, notice) = w
        .after_form(
            "admin",
            &format!("/notes/drafts/{}", w.draft),
            &format!(
                "action=polish&version=1&body={}",
                enc("Draft about licences")
            ),
        )
        .await;
    assert!(to.contains("invalid=1"), "{to}");
    notices.insert(to.clone(), notice.expect("a notice cookie"));
    pages.push((admin, to));
    pages.push((None, "/signin".into()));
    pages.push((None, "/no/such/page".into()));
    pages.push((None, "/api/docs".into()));

    let mut replies = vec![
        (
            format!("POST /tenants/{T1}/services/teams"),
            refused_rows,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("POST /tenants/{T1}/enterprise-status"),
            refused_enterprise,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (who, path) in &pages {
        let r = match (who, notices.get(path)) {
            (Some(name), Some(cookie)) => {
                let r = w.h.page_with_cookie(name, path, cookie).await;
                assert!(
                    r.body.contains("<p class=\"flash error\" role=\"alert\">⟦"),
                    "{path} shows the notice: {}",
                    r.body
                );
                r
            }
            (Some(name), None) => w.h.page(name, path).await,
            (None, _) => w.h.get(Who::Anon, path).await,
        };
        let expected = if path.starts_with("/no/") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        replies.push((path.clone(), r, expected));
    }
    // The walk reads an Enterprise status with an earlier entry folded.
    let status_tab = format!("/tenants/{T1}?tab=status");
    assert!(
        replies
            .iter()
            .any(|(p, r, _)| *p == status_tab
                && r.body.contains("<details class=\"enterprise-entry\"")),
        "the Status tab shows T1's Enterprise status"
    );
    let mut problems = BTreeSet::new();
    let mut checked = 0;
    for (path, r, expected) in &replies {
        assert_eq!(r.status, *expected, "{path}: {}", r.body);
        assert!(
            r.body.contains("⟦"),
            "{path} shows no catalogue text: {}",
            r.body
        );
        for v in visible(&outside_marks(&r.body)) {
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

    // What the seeding promised is on the pages, so the walk above read it.
    let history =
        w.h.page("admin", &format!("/tenants/{T1}?tab=history"))
            .await;
    for kind in [
        "task",
        "note",
        "contact",
        "time",
        "entitlement-status",
        "forecast",
    ] {
        let raw =
            w.h.store
                .audit_for(T1, 200)
                .await
                .unwrap()
                .iter()
                .any(|e| e.entity == kind);
        assert!(raw, "the history holds a {kind} entry");
    }
    let start = history.body.find("<table id=\"history\"").unwrap();
    let table = &history.body[start..];
    let table = &table[..table.find("</table>").unwrap()];
    // A removed contact's entries stay, without the person (GDPR erasure); no JSON.
    assert!(
        !table.contains("Lee Chen") && !table.contains("{&quot;") && !table.contains("<code"),
        "a removed contact is not named, no JSON: {table}"
    );
    let removed =
        w.h.store
            .audit_matching(T1, "contact", "", 20)
            .await
            .unwrap();
    assert!(removed.iter().any(|e| e.action == "delete"), "{removed:?}");
    assert!(
        removed
            .iter()
            .all(|e| table.contains(&format!("history-{}\"", e.id)))
    );
    let shared = w.h.page("pat", "/adoption?by=partner").await;
    assert!(
        !shared.body.contains("Contoso Consulting"),
        "the partner does not see the other organisation's name"
    );
}

#[test]
fn the_checker_sees_text_and_attributes_and_spares_marks_code_and_data() {
    let html = r#"<p title="⟦Ťíťĺé⟧">Hello ⟦Šáṽé⟧</p><code>ignored words</code><input type="submit" value="Go"><optgroup label="Blocked"></optgroup><span aria-label="x y">2026-01-31 09:15 UTC 10.00%</span>"#;
    let v = visible(html);
    let texts: Vec<&str> = v.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "⟦Ťíťĺé⟧",
            "Hello ⟦Šáṽé⟧",
            "Go",
            "Blocked",
            "x y",
            "2026-01-31 09:15 UTC 10.00%"
        ]
    );
    assert_eq!(outside_marks("a ⟦b ⟦c⟧ d⟧ e"), "a   e");
    assert!(numeric("2026-01-31", None));
    assert!(numeric("20", None) && numeric("10.00%", None) && numeric("09:15", None));
    assert!(numeric("UTC", Some("09:15")));
    assert!(!numeric("UTC", Some("x")));
    assert!(!numeric("Go", None));
    // A raw moment fails whatever its digits, also when data could cut it.
    for ts in [
        "2026-01-31T09:15:02Z",
        "at 2026-12-06T05:05:30.401304709Z",
        "2026-01-31T09:15:17.489330451Z test",
    ] {
        assert!(raw_moment(ts).is_some(), "{ts}");
    }
    assert!(!numeric("2026-01-31T09:15:02Z", None));
    assert_eq!(raw_moment("2026-01-31 09:15 UTC"), None);
    assert_eq!(without_word("Tenants ten", "en"), "Tenants ten");
    assert_eq!(without_word("pat · Tenants", "pat"), "  · Tenants");
}
