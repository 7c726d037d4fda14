//! The playbook reader: the index in lifecycle order, a process page (tasks, guidance,
//! rules, next-step links), the reader's language with its fallback, the translations
//! report, 404 for an unknown key, sign-in for everything, and sanitized prose.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::{Harness, Who, bundled, h1};
use ftop_domain::UserRole;
use ftop_store::PlaybookSource;

/// A Spanish page left out of the fixture, so its process falls back to English.
const UNTRANSLATED: &str = "initiate-governance-meeting-cadence.md";

struct World {
    h: Harness,
}

/// A fresh database with the bundled playbook in English, Chinese and Spanish (less one
/// page), plus `extra` pages, and a signed-in Guest `gu` (the least role).
async fn world(extra: &[(&str, &str)]) -> World {
    let mut sources = bundled("en");
    sources.extend(
        bundled("es")
            .into_iter()
            .filter(|s| !s.path.ends_with(UNTRANSLATED)),
    );
    sources.extend(bundled("zh"));
    sources.extend(extra.iter().map(|(path, text)| PlaybookSource {
        root: String::new(),
        path: path.to_string(),
        text: text.to_string(),
    }));
    let mut h = Harness::with_playbook(&sources).await;
    h.person("gu", UserRole::Guest, None).await;
    World { h }
}

impl World {
    /// GET `path` with the session (when `signed_in`) and extra headers: status, body,
    /// Location.
    async fn get_with(
        &self,
        path: &str,
        signed_in: bool,
        headers: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let who = if signed_in {
            Who::Session("gu")
        } else {
            Who::Anon
        };
        let mut req = self.h.request(who, "GET", path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = self
            .h
            .send(req.body(axum::body::Body::empty()).unwrap())
            .await;
        let location = r.location().to_string();
        (r.status, r.body, location)
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let (s, body, _) = self.get_with(path, true, &[]).await;
        (s, body)
    }
}

/// Text as maud escapes it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page's content (the layout may load the portal's own script in the head).
fn content(body: &str) -> &str {
    &body[position(body, "<main>")..]
}

fn position(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the page:\n{body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_lists_phases_in_lifecycle_order_with_their_processes() {
    let w = world(&[]).await;
    let (s, body) = w.get("/playbook?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<html lang=\"en\""), "{body}");
    let order: Vec<usize> = [
        "Initiate",
        "Assess",
        "Remediate",
        "Enable",
        "Migrate",
        "Success",
    ]
    .iter()
    .map(|p| position(&body, &format!("lang=\"en\">{p}</h2>")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Processes sit under their phase, as links.
    let kickoff = position(
        &body,
        "href=\"/playbook/initiate-conduct-customer-kickoff?lang=en\"",
    );
    let review = position(
        &body,
        "href=\"/playbook/success-conduct-success-review?lang=en\"",
    );
    assert!(
        order[0] < kickoff && kickoff < order[1],
        "kickoff under Initiate"
    );
    assert!(order[5] < review, "success review under Success");
    // The language switch and the translations report.
    assert!(body.contains("<strong lang=\"en\" aria-current=\"true\">English</strong>"));
    for l in ["es", "zh"] {
        assert!(
            body.contains(&format!("href=\"/playbook?lang={l}\"")),
            "{l}"
        );
    }
    assert!(
        body.contains("href=\"/playbook/translations?lang=en\""),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_in_spanish_names_phases_in_spanish_and_marks_the_fallback() {
    let w = world(&[]).await;
    let (s, body) = w.get("/playbook?lang=es").await;
    assert_eq!(s, StatusCode::OK);
    let a = position(&body, ">Iniciar</h2>");
    let b = position(&body, ">Evaluación</h2>");
    assert!(a < b);
    // The untranslated process is listed in English, and the page says so.
    let title = escaped(&h1("en", UNTRANSLATED));
    let item = format!(
        "hreflang=\"en\">{title}</a> <span class=\"muted\">\
         (Not available in Español: shown in English)</span>"
    );
    assert!(body.contains(&item), "the fallback is named: {body}");
    assert!(body.contains(&escaped(&h1("es", "initiate-deploy-securely.md"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_page_shows_steps_tasks_guidance_rules_and_next_steps() {
    let w = world(&[]).await;
    let (s, body) = w.get("/playbook/initiate-deploy-securely?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(">Deploy Securely</h1>"), "{body}");
    assert!(body.contains("Initiate"), "phase");
    assert!(
        body.contains("Customer Health / RFA / Targeting"),
        "motions"
    );
    // Overview, objectives and a step's guidance, rendered from Markdown.
    assert!(
        body.contains("<p>Deploy Securely puts security at the start"),
        "{body}"
    );
    assert!(
        body.contains("<strong>Understand the directory.</strong>"),
        "{body}"
    );
    assert!(body.contains("<ol>"), "numbered guidance is a list");
    assert!(
        body.contains("<li>Learn the customer's deployment requirements"),
        "objectives: {body}"
    );
    // A step's title, its role, then its tasks with the mandatory marker.
    let step = position(&body, ">Prepare Identity</h3>");
    let task = position(&body, "<th scope=\"row\">3736</th>");
    assert!(step < task);
    assert!(body[task..].contains("Guidance for Choosing an Authentication Method"));
    assert!(
        body[step..task].contains("FastTrack Engineer"),
        "primary role"
    );
    assert!(body.contains("<th scope=\"col\">Mandatory</th>"));
    let optional = position(&body, "<th scope=\"row\">3721</th>");
    assert!(body[optional..].find("Optional") < body[optional..].find("</tr>"));
    // Next steps: links to the following processes with their condition beside them.
    let next = position(
        &body,
        "href=\"/playbook/assess-conduct-technical-assessment?lang=en\"",
    );
    assert!(
        body[next..].contains("once the outputs above are complete"),
        "condition"
    );
    assert!(
        !content(&body).contains("<script"),
        "no script in the content"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_are_shown_with_their_step_also_in_a_translation() {
    let w = world(&[]).await;
    for lang in ["en", "es"] {
        let (s, body) = w
            .get(&format!(
                "/playbook/remediate-address-technical-gaps?lang={lang}"
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
        let rule = position(&body, "<code>only when enterprise</code>");
        let task = position(&body, "<th scope=\"row\">3208</th>");
        assert!(task < rule, "{lang}: the rule follows its step's tasks");
    }
    // A rule written before the first step applies to the whole process.
    let (_, body) = w
        .get("/playbook/assess-conduct-adoption-change-management-conversation?lang=en")
        .await;
    let rule = position(&body, "<code>skip when adoption-benefit</code>");
    assert!(rule < position(&body, "<h3 id=\"step-1\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reader_language_comes_from_the_query_else_the_ui_language() {
    let w = world(&[]).await;
    let es = escaped(&h1("es", "initiate-conduct-customer-kickoff.md"));
    let zh = escaped(&h1("zh", "initiate-conduct-customer-kickoff.md"));
    let en = escaped(&h1("en", "initiate-conduct-customer-kickoff.md"));
    let path = "/playbook/initiate-conduct-customer-kickoff";
    let (s, body) = w.get(&format!("{path}?lang=es")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(&format!("lang=\"es\">{es}</h1>")), "{body}");
    // Next-step links keep the chosen language.
    assert!(body.contains("href=\"/playbook/assess-conduct-technical-assessment?lang=es\""));
    // Without ?lang=, the UI language (cookie, then Accept-Language).
    let (_, body, _) = w
        .get_with(path, true, &[("accept-language", "es-ES,es;q=0.9")])
        .await;
    assert!(body.contains(&format!(">{es}</h1>")), "{body}");
    assert!(body.contains("href=\"/playbook/assess-conduct-technical-assessment\""));
    let (_, body, _) = w.get_with(path, true, &[("cookie", "ftop_lang=zh")]).await;
    assert!(body.contains(&format!(">{zh}</h1>")), "{body}");
    // ?lang= wins over the UI language; an unknown one is ignored.
    let (_, body, _) = w
        .get_with(
            &format!("{path}?lang=en"),
            true,
            &[("accept-language", "zh")],
        )
        .await;
    assert!(body.contains(&format!(">{en}</h1>")));
    assert!(
        body.contains("<html lang=\"zh\""),
        "the UI stays in its language"
    );
    let (s, body) = w.get(&format!("{path}?lang=%3Cb%3E")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(&format!(">{en}</h1>")) && !body.contains("<b>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_missing_in_the_language_falls_back_to_the_source_and_says_so() {
    let w = world(&[]).await;
    let (s, body) = w
        .get("/playbook/initiate-governance-meeting-cadence?lang=es")
        .await;
    assert_eq!(s, StatusCode::OK);
    let en = escaped(&h1("en", UNTRANSLATED));
    assert!(body.contains(&format!("lang=\"en\">{en}</h1>")), "{body}");
    assert!(
        body.contains("<p role=\"note\">Not available in Español: shown in English</p>"),
        "{body}"
    );
    // The breadcrumb names the phase in the reader's language.
    assert!(body.contains("lang=\"es\">Iniciar</a>"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_process_is_not_found() {
    let w = world(&[]).await;
    let (s, body) = w.get("/playbook/no-such-process").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("Not found"), "{body}");
    let (s, _) = w.get("/playbook/%3Cscript%3E?lang=es").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_readers_are_sent_to_sign_in() {
    let w = world(&[]).await;
    for path in [
        "/playbook",
        "/playbook?lang=es",
        "/playbook/initiate-deploy-securely",
        "/playbook/no-such-process",
        "/playbook/translations",
    ] {
        let (s, _, location) = w.get_with(path, false, &[]).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{path}");
        assert!(
            location.starts_with("/signin?next=/playbook"),
            "{path}: {location}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_translations_report_names_each_language() {
    let w = world(&[]).await;
    // A static segment: not taken for a process key.
    let (s, body) = w.get("/playbook/translations").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("<h1>Playbook translations</h1>"), "{body}");
    assert!(body.contains("English</strong> (en)"), "source language");
    for (code, name) in [("es", "Español"), ("zh", "简体中文")] {
        assert!(
            body.contains(&format!(
                "<span lang=\"{code}\">{name}</span> ({code})</h2>"
            )),
            "{code}: {body}"
        );
    }
    // The Spanish page left out is missing, with its tasks.
    let es = position(&body, "id=\"locale-es\"");
    let zh = position(&body, "id=\"locale-zh\"");
    let missing = position(&body, &format!("<code>en/{UNTRANSLATED}</code>"));
    assert!(es < missing && missing < zh, "listed under Spanish");
    assert!(
        body.contains("<th scope=\"col\">ID</th>"),
        "tables have headers"
    );
    assert!(body.contains("Missing tasks ("));
    assert!(body.contains("Stale pages ("));
    // In Spanish too.
    let (s, body, _) = w
        .get_with(
            "/playbook/translations",
            true,
            &[("cookie", "ftop_lang=es")],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<h1>Traducciones de la guía</h1>"), "{body}");
}

/// A process page whose prose tries to run script.
const EVIL: &str = "---
title: Evil
---

# Evil <script>alert(0)</script> Page

Phase: **Initiate**

## Overview

Overview <script>alert(1)</script> with <img src=x onerror=alert(2)>.

## Approach

### Step One

Primary Role: **FastTrack Manager**
Applies To: **Core Onboarding**

Guidance [click](javascript:alert(3)) and <a href=\"https://example.com\" onclick=\"x()\">site</a>
<iframe src=\"https://example.com\"></iframe>

#### FTOP Tasks

| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |
| ------- | --------- | :----------------------: | -------------- | -------- |
| 99901 | Evil <script>alert(4)</script> task | M | FastTrack Manager | Core Onboarding |

## Next Steps

- [Deploy Securely](initiate-deploy-securely.md): when <script>alert(5)</script> holds.
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn playbook_prose_is_sanitized() {
    let w = world(&[("en/zz-evil.md", EVIL)]).await;
    let (s, body) = w.get("/playbook").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("href=\"/playbook/zz-evil\""), "{body}");
    let (s, body) = w.get("/playbook/zz-evil").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("Step One"), "{body}");
    assert!(body.contains("99901"), "{body}");
    let content = content(&body);
    for bad in ["<script", "onerror", "javascript:", "onclick", "<iframe"] {
        assert!(!content.contains(bad), "{bad} survived:\n{content}");
    }
    assert!(body.contains("href=\"https://example.com\""), "{body}");
}
