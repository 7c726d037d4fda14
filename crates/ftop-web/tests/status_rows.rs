//! The Services tab's status rows: a refused save shows the form again with everything
//! typed, the reasons carry what the script needs to follow the status, the owner is picked
//! from the assigned people, and Suggest proposes a status and reason from the note, learnt
//! from the notes in the database (page and API).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Harness, actor, enc};
use ftop_domain::taxonomy::{L1, StatusRow};
use ftop_domain::{AssignmentRole, UserRole};
use serde_json::json;

const T: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const T2: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

async fn setup() -> Harness {
    let mut h = Harness::new().await;
    h.person("eng", UserRole::Engineer, None).await;
    h.person("guest", UserRole::Guest, None).await;
    h.tenant(T, "contoso.onmicrosoft.com", &[("exchange", 300, None)])
        .await;
    h.assign(T, "eng", AssignmentRole::FastTrackEngineer).await;
    h
}

fn version_of(body: &str) -> String {
    let key = "name=\"version\" value=\"";
    let at = body.find(key).expect("version field") + key.len();
    let v = body[at..].split('"').next().unwrap().to_string();
    assert!(v.parse::<i64>().is_ok(), "a version: {v:?}");
    v
}

#[tokio::test]
async fn a_refused_save_keeps_every_row_as_typed() {
    let mut h = setup().await;
    let tab = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    assert_eq!(tab.status, 200);
    let v = version_of(&tab.body);
    let note = "Waiting on the customer's network team to open the proxy for the new clients; a long note nobody wants to type twice";
    let typed = format!(
        "version={v}&l1_0=blocked&l2_0=customer-it-infrastructure-remediation&l3_0=network&count_0=200&target_0=&owner_0=&note_0={}&l1_1=in-progress&count_1=abc&note_1=second&l1_2=&count_2=",
        enc(note)
    );
    let r = h
        .form("eng", &format!("/tenants/{T}/services/exchange"), &typed)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(note), "the long note is kept: {}", r.body);
    assert!(r.body.contains(">second</textarea>"));
    assert!(
        r.body.contains("value=\"abc\""),
        "the bad count is shown again"
    );
    assert!(
        r.body.contains(
            "name=\"count_1\" value=\"abc\" aria-label=\"Entitlements\" aria-invalid=\"true\""
        ),
        "the bad field is marked: {}",
        r.body
    );
    assert!(r.body.contains("role=\"alert\""));
    // The chosen reason and engineering reason stay chosen.
    assert!(r.body.contains("value=\"network\" selected"));
    // Nothing was saved.
    let st = h.store.service_status(T, "exchange").await.unwrap();
    assert_eq!(st.rows[0].l1, L1::StatusUnknown);

    // Rows that do not add up: refused by the store's rule, still as typed, in Spanish too.
    let typed = format!(
        "version={v}&l1_0=blocked&l2_0=legal-regulatory&count_0=20&note_0={}",
        enc("solo veinte")
    );
    h.lang = Some("es".into());
    let r = h
        .form("eng", &format!("/tenants/{T}/services/exchange"), &typed)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("solo veinte"));
    assert!(
        r.body.contains("role=\"alert\">Filas de estado: "),
        "the message names the field in Spanish: {}",
        r.body
    );
}

#[tokio::test]
async fn reasons_follow_their_status_and_owners_are_the_assigned_people() {
    let mut h = setup().await;
    let tab = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    assert!(
        tab.body
            .contains("optgroup label=\"Blocked\" data-l1=\"blocked\""),
        "{}",
        tab.body
    );
    assert!(tab.body.contains("data-l2=\"legal-regulatory\""));
    assert!(
        tab.body.contains("<option value=\"eng\">eng</option>"),
        "the assigned engineer is offered as owner"
    );
    assert!(
        !tab.body.contains("<option value=\"guest\""),
        "people not assigned are not offered"
    );
    assert!(tab.body.contains("data-total=\"300\""));
    assert!(
        tab.body.contains("300 of 300 entitlements placed"),
        "{}",
        tab.body
    );
    assert!(tab.body.contains("/assets/ftop.js"));
    // What each reason means, in the reader's language.
    h.lang = Some("es".into());
    let es = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    assert!(es.body.contains("Qué significa cada motivo"), "{}", es.body);
}

#[tokio::test]
async fn suggest_learns_from_the_notes_in_the_database() {
    let h = setup().await;
    // Another tenant's notes, filed under a reason, teach the model a word no definition has.
    h.tenant(T2, "fabrikam.onmicrosoft.com", &[("teams", 10, None)])
        .await;
    let st = h.store.service_status(T2, "teams").await.unwrap();
    let row = |count, l3: Option<&str>, note: &str| StatusRow {
        l1: L1::Blocked,
        l2: Some("service-reliability".into()),
        l3: l3.map(String::from),
        count,
        target_date: None,
        owner: None,
        note: note.into(),
        next_action_date: None,
    };
    h.store
        .set_status_rows(
            &actor(),
            T2,
            "teams",
            st.version,
            &[
                row(5, None, "brownouts every friday"),
                row(5, Some("other"), "more brownouts reported"),
            ],
        )
        .await
        .unwrap();

    // The API.
    let r = h
        .api(
            "eng",
            "POST",
            &format!("/api/v1/tenants/{T}/suggest"),
            Some(json!({"note": "Brownouts again"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["suggestion"]["l2"], "service-reliability", "{j}");
    assert_eq!(j["suggestion"]["l1"], "blocked");
    let c = j["suggestion"]["confidence"].as_f64().unwrap();
    assert!(c >= j["min_confidence"].as_f64().unwrap() && c <= 1.0);
    // Words nobody wrote: no suggestion.
    let r = h
        .api(
            "eng",
            "POST",
            &format!("/api/v1/tenants/{T}/suggest"),
            Some(json!({"note": "qwxz zzkq"})),
        )
        .await;
    assert_eq!(r.json()["suggestion"], serde_json::Value::Null);
    assert_eq!(r.json()["why"], "no-known-words");
    // An empty note: 422 naming the note.
    let r = h
        .api(
            "eng",
            "POST",
            &format!("/api/v1/tenants/{T}/suggest"),
            Some(json!({"note": "   "})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"]["fields"][0]["field"],
        "note",
        "{}",
        r.body
    );

    // The page's button (no JavaScript needed): the row gets the status and reason, the
    // note and the other rows stay, nothing is saved.
    let tab = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    let v = version_of(&tab.body);
    let typed = format!(
        "version={v}&l1_0=status-unknown&l2_0=new-subscription-or-workload&count_0=300&note_0={}&suggest=0",
        enc("brownouts all week")
    );
    let r = h
        .form("eng", &format!("/tenants/{T}/services/exchange"), &typed)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("Suggested for row 1: Blocked · Service Reliability"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<option value=\"blocked\" selected>"));
    assert!(r.body.contains("value=\"service-reliability\" selected"));
    assert!(r.body.contains(">brownouts all week</textarea>"));
    assert_eq!(
        h.store.service_status(T, "exchange").await.unwrap().rows[0].l1,
        L1::StatusUnknown,
        "Suggest saves nothing"
    );
}

#[tokio::test]
async fn the_status_and_note_forms_keep_what_was_typed() {
    let h = setup().await;
    // A long note with a next action over its limit: refused, the note is all still there.
    let body = "Met the customer's IT lead; ".repeat(60);
    let next = "x".repeat(ftop_domain::limits::NEXT_ACTION.max as usize + 1);
    let r = h
        .form(
            "eng",
            &format!("/tenants/{T}/notes"),
            &format!(
                "category=migration&body={}&next_action={}&save=1",
                enc(&body),
                enc(&next)
            ),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(body.trim_end()), "the note is kept");
    assert!(r.body.contains("<option value=\"migration\" selected>"));
    assert!(
        r.body
            .contains("name=\"next_action\" maxlength=\"500\" size=\"60\" value=\"xxx")
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    let f = ftop_store::NoteFilter {
        tenant_id: Some(T.into()),
        ..Default::default()
    };
    assert!(h.store.notes(&f).await.unwrap().is_empty(), "nothing saved");

    // The overall status form: a status note over its limit, kept with the chosen status.
    let t = h.store.tenant(T).await.unwrap();
    let note = "y".repeat(ftop_domain::limits::STATUS_NOTE.max as usize + 1);
    let r = h
        .form(
            "eng",
            &format!("/tenants/{T}/status"),
            &format!(
                "version={}&overall_status=paused&status_note={}",
                t.version, note
            ),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(&note));
    assert!(
        r.body.contains("<option value=\"paused\" selected>"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_refusal_marks_the_row_the_user_typed_even_after_a_blank_one() {
    let h = setup().await;
    let tab = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    let v = version_of(&tab.body);
    // Row 0 cleared, row 1 Blocked without its reason (the store's rule, told with the
    // store's row number 0): the message and the mark name the form's row 1.
    let typed = format!("version={v}&l1_0=&count_0=&l1_1=blocked&count_1=300&note_1=held");
    let r = h
        .form("eng", &format!("/tenants/{T}/services/exchange"), &typed)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Status rows[1]"), "{}", r.body);
    assert!(
        r.body
            .contains("name=\"l2_1\" aria-label=\"L2\" aria-invalid=\"true\""),
        "{}",
        r.body
    );
    assert!(
        !r.body
            .contains("name=\"l2_0\" aria-label=\"L2\" aria-invalid")
    );

    // Saved by someone else meanwhile: 409, still as typed, with the notice to reload.
    let stale = format!(
        "version={}&l1_0=status-unknown&l2_0=customer-unresponsive&count_0=300&note_0={}",
        v.parse::<i64>().unwrap() - 1,
        enc("mailboxes moving in batches")
    );
    let r = h
        .form("eng", &format!("/tenants/{T}/services/exchange"), &stale)
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains(">mailboxes moving in batches</textarea>"));
    assert!(
        r.body.contains("Someone saved this meanwhile"),
        "{}",
        r.body
    );
    // The form now carries the stored version: saving again replaces the other change.
    let again = version_of(&r.body);
    assert_eq!(again, v);
    let r = h
        .form(
            "eng",
            &format!("/tenants/{T}/services/exchange"),
            &format!(
                "version={again}&l1_0=status-unknown&l2_0=customer-unresponsive&count_0=300&note_0={}",
                enc("mailboxes moving in batches")
            ),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Through htmx, a page answered to a form keeps the browser's address.
    let req = h
        .request(
            common::Who::Session("eng"),
            "POST",
            &format!("/tenants/{T}/services/exchange"),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .body(axum::body::Body::from(format!(
            "csrf={}&{typed}",
            h.who("eng").csrf
        )))
        .unwrap();
    let r = h.send(req).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.headers.get("hx-push-url").unwrap(), "false");

    // Suggest on a service the tenant does not have: not found.
    let r = h
        .form(
            "eng",
            &format!("/tenants/{T}/services/teams"),
            &format!("version={v}&l1_0=blocked&count_0=1&note_0=x&suggest=0"),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn a_partner_suggest_learns_only_from_its_organisations_tenants() {
    let mut h = setup().await;
    h.person("pat", UserRole::Partner, Some("Fabrikam Partners"))
        .await;
    h.tenant(T2, "fabrikam.onmicrosoft.com", &[("teams", 10, None)])
        .await;
    h.store
        .add_tenant_partner(&actor(), T2, "Fabrikam Partners", false)
        .await
        .unwrap();
    h.assign(T2, "pat", AssignmentRole::PartnerEngineer).await;
    // A note on Contoso, which the partner cannot see, has a word nothing else has.
    let st = h.store.service_status(T, "exchange").await.unwrap();
    let row = StatusRow {
        l1: L1::Blocked,
        l2: Some("legal-regulatory".into()),
        l3: None,
        count: 300,
        target_date: None,
        owner: None,
        note: "zanzibar zanzibar".into(),
        next_action_date: None,
    };
    h.store
        .set_status_rows(&actor(), T, "exchange", st.version, &[row])
        .await
        .unwrap();
    let ask = |who: &'static str, tenant: &'static str| {
        let h = &h;
        async move {
            h.api(
                who,
                "POST",
                &format!("/api/v1/tenants/{tenant}/suggest"),
                Some(json!({"note": "zanzibar"})),
            )
            .await
            .json()
        }
    };
    assert_eq!(ask("eng", T).await["suggestion"]["l2"], "legal-regulatory");
    let partner = ask("pat", T2).await;
    assert_eq!(partner["why"], "no-known-words", "{partner}");
}

#[tokio::test]
async fn managers_set_who_delivers_a_service_and_whom_its_growth_is_credited_to() {
    let mut h = setup().await;
    h.person("mgr", UserRole::Manager, None).await;
    h.assign(T, "mgr", AssignmentRole::FastTrackManager).await;
    // The default: a partner assists; no partner regional manager yet.
    let tab = h.page("mgr", &format!("/tenants/{T}?tab=services")).await;
    assert!(
        tab.body
            .contains("credited to the partner; no partner regional manager"),
        "{}",
        tab.body
    );
    assert!(
        tab.body
            .contains("<option value=\"customer-led-ftp-assist\" selected>")
    );
    // The engineer reads it, may not change it.
    let eng = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    assert!(!eng.body.contains(
        "action=\"/tenants/0f8fad5b-d9cb-469f-a165-70867728950e/services/exchange/delivery"
    ));
    assert!(
        eng.body
            .contains("Only FastTrack managers and administrators")
    );
    let r = h
        .form(
            "eng",
            &format!("/tenants/{T}/services/exchange/delivery"),
            "version=0&scenario=css-led",
        )
        .await;
    assert_eq!(r.status, 403);
    // The manager makes it FastTrack-led: credited to the primary FastTrack manager.
    let r = h
        .form(
            "mgr",
            &format!("/tenants/{T}/services/exchange/delivery"),
            "version=0&scenario=css-led&start_date=2026-02-01&teams=Messaging%0D%0AIdentity",
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = h.store.delivery(T, "exchange").await.unwrap();
    assert_eq!(d.scenario, ftop_domain::EngagementScenario::CssLed);
    assert_eq!(d.teams, ["Messaging", "Identity"]);
    let tab = h.page("mgr", &format!("/tenants/{T}?tab=services")).await;
    assert!(
        tab.body
            .contains("credited to FastTrack: mgr, the primary FastTrack manager"),
        "{}",
        tab.body
    );
    // The API: read by anyone who sees the tenant; a stale version is a conflict.
    let r = h
        .api(
            "eng",
            "GET",
            &format!("/api/v1/tenants/{T}/services/exchange/delivery"),
            None,
        )
        .await;
    assert_eq!(r.json()["credited_to"], "fasttrack");
    assert_eq!(
        r.json()["delivery"]["teams"],
        json!(["Messaging", "Identity"])
    );
    let r = h
        .api(
            "mgr",
            "PUT",
            &format!("/api/v1/tenants/{T}/services/exchange/delivery"),
            Some(json!({"version": 0, "scenario": "ftp-led"})),
        )
        .await;
    assert_eq!(r.status, 409);
    // The change is in the History tab under its own kind.
    let history = h
        .page("mgr", &format!("/tenants/{T}?tab=history&kind=delivery"))
        .await;
    assert!(
        history
            .body
            .contains("<option value=\"delivery\" selected>"),
        "{}",
        history.body
    );
    assert!(history.body.contains("FastTrack-led"), "{}", history.body);
    h.lang = Some("es".into());
    let history = h
        .page("mgr", &format!("/tenants/{T}?tab=history&kind=delivery"))
        .await;
    assert!(
        history.body.contains("Entrega de Exchange"),
        "{}",
        history.body
    );
    assert!(
        history.body.contains("Dirigido por FastTrack"),
        "{}",
        history.body
    );
    // A scenario that is none: refused, nothing changed.
    let d = h.store.delivery(T, "exchange").await.unwrap();
    let r = h
        .form(
            "mgr",
            &format!("/tenants/{T}/services/exchange/delivery"),
            &format!("version={}&scenario=pirates", d.version),
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.location().contains("invalid=1"), "{}", r.location());
    assert_eq!(h.store.delivery(T, "exchange").await.unwrap(), d);
}

// ---- Data migration (issue 15): the decision per service eligible for migration ----

const BIG: &str = "9b2e4c1a-3f5d-4e6a-8b7c-0d1e2f3a4b5c";

/// BIG: 600 seats (eligible), Exchange with 300 In Progress, 5 Blocked and 295 No Intent
/// (305 to migrate), SharePoint and Teams; the engineer assigned to it.
async fn migration_setup() -> Harness {
    let h = setup().await;
    h.tenant(
        BIG,
        "big.onmicrosoft.com",
        &[
            ("exchange", 600, None),
            ("sharepoint", 600, None),
            ("teams", 600, None),
        ],
    )
    .await;
    h.assign(BIG, "eng", AssignmentRole::FastTrackEngineer)
        .await;
    let row = |l1: L1, count: u64, l2: Option<&str>| StatusRow {
        l1,
        l2: l2.map(String::from),
        l3: None,
        count,
        target_date: (l1 == L1::InProgress).then(|| ftop_store::today() + time::Duration::days(30)),
        owner: None,
        note: String::new(),
        next_action_date: None,
    };
    let v = h
        .store
        .service_status(BIG, "exchange")
        .await
        .unwrap()
        .version;
    h.store
        .set_status_rows(
            &actor(),
            BIG,
            "exchange",
            v,
            &[
                row(L1::InProgress, 300, None),
                row(
                    L1::Blocked,
                    5,
                    Some("customer-it-infrastructure-remediation"),
                ),
                row(L1::NoIntent, 295, Some("executive-sponsorship")),
            ],
        )
        .await
        .unwrap();
    h
}

#[tokio::test]
async fn data_migration_shows_for_eligible_services_with_the_tasks_before_it() {
    let h = migration_setup().await;
    // 300 seats: no migration benefit, no section.
    let small = h.page("eng", &format!("/tenants/{T}?tab=services")).await;
    assert_eq!(small.status, 200);
    assert!(!small.body.contains("id=\"migration-exchange\""));
    let tab = h.page("eng", &format!("/tenants/{BIG}?tab=services")).await;
    assert_eq!(tab.status, 200);
    assert!(tab.body.contains("id=\"migration-exchange\""));
    assert!(tab.body.contains("id=\"migration-sharepoint\""));
    assert!(
        !tab.body.contains("id=\"migration-teams\""),
        "Teams has no data to migrate"
    );
    // The form: the rows must add up to In Progress + Blocked; the types suit the service.
    assert!(
        tab.body.contains("exactly 305 entitlements"),
        "{}",
        tab.body
    );
    assert!(tab.body.contains(&format!(
        "action=\"/tenants/{BIG}/services/exchange/migration#migration-exchange\""
    )));
    let exchange = &tab.body[tab.body.find("id=\"migration-exchange\"").unwrap()
        ..tab.body.find("id=\"migration-sharepoint\"").unwrap()];
    assert!(exchange.contains("Gmail staged (Mig-GmailStaged)"));
    assert!(!exchange.contains("Google Drive (Mig-GoogleDrive)"));
    assert!(
        exchange.contains("name=\"type_0\""),
        "one empty row to fill in"
    );
    assert!(!exchange.contains("name=\"type_1\""));
    // The tasks before a migration, linked, with their status on the tenant.
    for task in [1699, 1141, 3157, 3160] {
        assert!(
            exchange.contains(&format!("href=\"/tenants/{BIG}/tasks/{task}?service=")),
            "task {task}: {exchange}"
        );
    }
    assert!(exchange.contains("1699 · Technical Assessment Complete"));
    assert!(exchange.contains(": Not Started"), "{exchange}");
    // SharePoint's do not include the Exchange hybrid tasks.
    let sharepoint = &tab.body[tab.body.find("id=\"migration-sharepoint\"").unwrap()..];
    assert!(sharepoint.contains("/tasks/1699?service="));
    assert!(!sharepoint.contains("/tasks/3157?service="));
    // A task's status changes: the section says so in the reader's language.
    let tasks = h.store.tenant_tasks(BIG).await.unwrap();
    let t = tasks.iter().find(|t| t.task_id == 1699).unwrap();
    h.store
        .set_task(
            &actor(),
            BIG,
            &ftop_store::TaskUpdate {
                task_id: 1699,
                service: t.service.clone(),
                version: h.store.task_version(BIG, 1699, &t.service).await.unwrap(),
                status: Some(ftop_domain::TaskStatus::Complete),
                percent: None,
                role: None,
            },
        )
        .await
        .unwrap();
    let es = h
        .page_with_cookie(
            "eng",
            &format!("/tenants/{BIG}?tab=services"),
            "ftop_lang=es",
        )
        .await;
    assert!(es.body.contains("Migración de datos"), "{}", es.body);
    let link = format!("/tenants/{BIG}/tasks/1699?service={}", t.service);
    let at = es.body.find(&link).expect("the task's link");
    let item = &es.body[at..at + es.body[at..].find("</li>").unwrap()];
    assert!(item.contains(": Completada"), "{item}");
}

#[tokio::test]
async fn a_refused_migration_keeps_what_was_typed_and_says_why_beside_each_field() {
    let h = migration_setup().await;
    let path = format!("/tenants/{BIG}/services/exchange/migration");
    let note = "Gmail labels become folders; the customer wants the archive moved last";
    // A date that is not one: the form again, the date marked, its message beside it.
    let typed = format!(
        "version=0&blanks=1&performing=yes&desired_start=2026-04-01&desired_end=2026-06-30\
         &type_0=mig-exhybrid&entitlements_0=200&estimated_0=&size_0=&status_0=not-started&note_0=\
         &type_1=mig-gmailstaged&entitlements_1=100&estimated_1=tomorrow&size_1=750&status_1=in-progress&note_1={}\
         &type_2=&entitlements_2=&estimated_2=&size_2=&status_2=not-started&note_2=\
         &rejection_reason=&notes=",
        enc(note)
    );
    let r = h.form("eng", &path, &typed).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(note), "the note is kept");
    assert!(
        r.body.contains(
            "name=\"estimated_1\" value=\"tomorrow\" aria-label=\"Estimated migration date\" aria-invalid=\"true\" aria-describedby=\"estimated_1-error\""
        ),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("id=\"estimated_1-error\">`tomorrow` is not a date"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"2026-04-01\""));
    // The rows do not add up to 305: said beside the rows, nothing saved.
    let r = h
        .form("eng", &path, &typed.replace("tomorrow", "2026-05-15"))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(
            "id=\"types-error\">the rows hold 300 entitlements; they must add up to exactly 305"
        ),
        "{}",
        r.body
    );
    assert_eq!(h.store.migration(BIG, "exchange").await.unwrap().version, 0);
    // Add a row: the form as typed with one more empty row, nothing saved.
    let r = h.form("eng", &path, &format!("{typed}&add_row=1")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(note));
    assert!(r.body.contains("name=\"type_3\""), "{}", r.body);
    assert!(!r.body.contains("name=\"type_4\""));
    assert!(r.body.contains("name=\"blanks\" value=\"2\""));
    // Saved: 200 + 105.
    let ok = typed
        .replace("tomorrow", "2026-05-15")
        .replace("entitlements_1=100", "entitlements_1=105");
    let r = h.form("eng", &path, &ok).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let m = h.store.migration(BIG, "exchange").await.unwrap();
    assert_eq!((m.version, m.due, m.decision.types.len()), (1, 305, 2));
    assert_eq!(m.decision.types[1].data_size_gb, Some(750));
    assert_eq!(m.decision.types[1].note, note);
    // Sent again with the version read before: someone else saved meanwhile (409).
    let r = h.form("eng", &path, &ok).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains(note));
    // Not performing with rows still typed: refused, naming the rows and the reason.
    let no = ok
        .replace("performing=yes", "performing=no")
        .replace("version=0", "version=1");
    let r = h.form("eng", &path, &no).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"rejection_reason-error\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"types-error\""), "{}", r.body);
    // A guest reads it, in their language, and may not change it.
    let es = h
        .page_with_cookie(
            "guest",
            &format!("/tenants/{BIG}?tab=services"),
            "ftop_lang=es",
        )
        .await;
    assert_eq!(es.status, 200);
    assert!(
        es.body.contains("01/04/2026"),
        "the desired start, Spanish style"
    );
    assert!(es.body.contains("Gmail por fases (Mig-GmailStaged)"));
    assert!(!es.body.contains(&format!("action=\"{path}")));
    let r = h
        .form("guest", &path, &ok.replace("version=0", "version=1"))
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // In the History, under its own kind, the rows by name.
    let history = h
        .page("eng", &format!("/tenants/{BIG}?tab=history&kind=migration"))
        .await;
    assert!(
        history
            .body
            .contains("<option value=\"migration\" selected>")
    );
    assert!(
        history
            .body
            .contains("105 × Gmail staged (Mig-GmailStaged) › In progress"),
        "{}",
        history.body
    );
}

#[tokio::test]
async fn the_migration_api_reads_checks_and_replaces_the_decision() {
    let h = migration_setup().await;
    let url = |s: &str| format!("/api/v1/tenants/{BIG}/services/{s}/migration");
    let r = h.api("guest", "GET", &url("exchange"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["migration"]["due"], 305);
    assert_eq!(r.json()["migration"]["version"], 0);
    assert_eq!(r.json()["migration"]["performing"], false);
    // A type that does not suit the service, named by its place.
    let r = h
        .api(
            "eng",
            "PUT",
            &url("sharepoint"),
            Some(json!({"version": 0, "performing": true,
                "types": [{"migration_type": "mig-gmailstaged", "entitlements": 1}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("types[0].migration_type"), "{}", r.body);
    // The end before the start.
    let r = h
        .api(
            "eng",
            "PUT",
            &url("exchange"),
            Some(json!({"version": 0, "performing": true,
                "desired_start": "2026-05-01", "desired_end": "2026-04-01",
                "types": [{"migration_type": "mig-exhybrid", "entitlements": 305}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("desired_end"), "{}", r.body);
    // Not performing: a reason and notes.
    let body = json!({"version": 0, "performing": false,
        "rejection_reason": "customer-self-migrates", "notes": "Their team does it."});
    let r = h
        .api("eng", "PUT", &url("exchange"), Some(body.clone()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["migration"]["rejection_reason"],
        "customer-self-migrates"
    );
    assert_eq!(r.json()["migration"]["version"], 1);
    let r = h.api("eng", "PUT", &url("exchange"), Some(body)).await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Read-only callers are refused; a service without a decision is named.
    let r = h
        .api(
            "guest",
            "PUT",
            &url("exchange"),
            Some(json!({"version": 1, "performing": false, "rejection_reason": "no-data"})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = h.api("eng", "GET", &url("teams"), None).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("\"service\""), "{}", r.body);
    let r = h.api("eng", "GET", &url("intune"), None).await;
    assert_eq!(r.status, 404, "{}", r.body);
}
