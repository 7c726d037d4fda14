//! The authorization matrix: every route, by role (anonymous, admin, manager, engineer,
//! partner, guest), on a tenant of their own and on another. A route that is not in the
//! matrix fails the test. Runs the real router on a real SQLite database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Harness;
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::{Actor, User};
use std::collections::BTreeSet;
use std::path::Path;

const OWN: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const OTHER: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anon,
    Role(UserRole),
}

/// The harness with OWN (managed by `manager`, engineered by `engineer`, shared with the
/// partner's "P Org") and OTHER, one person per role named by the role's key, and a
/// tenant-wide task of OWN.
struct World {
    h: Harness,
    task: u32,
}

impl std::ops::Deref for World {
    type Target = Harness;
    fn deref(&self) -> &Harness {
        &self.h
    }
}

async fn world() -> World {
    let mut h = Harness::new().await;
    for (id, name) in [
        (OWN, "own.onmicrosoft.com"),
        (OTHER, "other.onmicrosoft.com"),
    ] {
        // Each its own customer (a partner sees the customer of its tenant only), 600
        // seats: eligible for data migration, so that its routes can succeed.
        h.tenant_of(id, name, name, &[("exchange", 600, None)])
            .await;
    }
    h.people(
        &[
            UserRole::Admin,
            UserRole::Manager,
            UserRole::Engineer,
            UserRole::Partner,
            UserRole::Guest,
        ],
        "P Org",
    )
    .await;
    h.assign(OWN, "manager", AssignmentRole::FastTrackManager)
        .await;
    h.assign(OWN, "engineer", AssignmentRole::FastTrackEngineer)
        .await;
    h.store
        .add_tenant_partner(&common::actor(), OWN, "P Org", false)
        .await
        .unwrap();
    // A partner user changes the tenants they are assigned to (they only read the rest of
    // their organisation's).
    h.assign(OWN, "partner", AssignmentRole::PartnerEngineer)
        .await;
    let task = h
        .store
        .tenant_tasks(OWN)
        .await
        .unwrap()
        .iter()
        .find(|t| t.service.is_empty())
        .unwrap()
        .task_id;
    World { h, task }
}

impl World {
    /// The caller's role, user, session cookie and bearer token.
    fn creds(&self, who: Who) -> Option<(UserRole, &User, &str, &str)> {
        match who {
            Who::Anon => None,
            Who::Role(r) => {
                let p = self.h.of_role(r);
                Some((p.role, &p.user, p.cookie.as_str(), p.token.as_str()))
            }
        }
    }

    /// The CSRF token of the caller's session ("" for anonymous callers).
    async fn csrf(&self, who: Who) -> String {
        match who {
            Who::Anon => String::new(),
            Who::Role(r) => self.h.of_role(r).csrf.clone(),
        }
    }

    async fn forecast_version(&self, tenant: &str) -> i64 {
        self.store
            .forecast(tenant, "exchange")
            .await
            .unwrap()
            .map_or(0, |f| f.version)
    }

    async fn call(&self, who: Who, method: &str, path: &str, api: bool) -> (StatusCode, String) {
        let tenant = if path.contains(OTHER) { OTHER } else { OWN };
        if path.ends_with("/enterprise-status") {
            // The matrix's tenants are enterprise tenants (by exception) for these routes.
            let t = self.store.tenant(tenant).await.unwrap();
            if !t.enterprise_exception {
                let u = ftop_store::EngagementUpdate {
                    enterprise_exception: Some(true),
                    ..Default::default()
                };
                self.store
                    .update_engagement(&Actor::system("test"), tenant, t.version, &u)
                    .await
                    .unwrap();
            }
        }
        let version = self
            .store
            .task_version(tenant, self.task, "")
            .await
            .unwrap();
        let mut req = Request::builder().method(method).uri(path);
        let mut body = Body::empty();
        if let Some((_, _, cookie, token)) = self.creds(who) {
            if api {
                req = req.header("authorization", format!("Bearer {token}"));
            } else {
                req = req.header("cookie", format!("ftop_session={cookie}"));
            }
        }
        if !api && method == "POST" && path.contains("/tasks/") {
            let csrf = self.csrf(who).await;
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!(
                "csrf={csrf}&service=&version={version}&status=in-progress"
            ));
        }
        if !api
            && method == "POST"
            && (path.ends_with("/status")
                || path.ends_with("/priority")
                || path.ends_with("/notes")
                || path.ends_with("/time"))
        {
            let csrf = self.csrf(who).await;
            let tv = self.store.tenant(tenant).await.unwrap().version;
            let today = ftop_store::today();
            let date = format!(
                "{:04}-{:02}-{:02}",
                today.year(),
                u8::from(today.month()),
                today.day()
            );
            let form = if path.ends_with("/status") {
                format!("csrf={csrf}&version={tv}&overall_status=paused&status_note=waiting")
            } else if path.ends_with("/priority") {
                format!("csrf={csrf}&priority=high&back=%2F%3Fview%3Dall")
            } else if path.ends_with("/notes") {
                format!("csrf={csrf}&category=engagement-management&body=hello&save=1")
            } else {
                format!(
                    "csrf={csrf}&task={}%7C&minutes=5&work_date={date}",
                    self.task
                )
            };
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(form);
        }
        if !api && method == "POST" && path.ends_with("/enterprise-status") {
            let csrf = self.csrf(who).await;
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!(
                "csrf={csrf}&reasons=reactive&rag=amber&summary=s&overview=o&next_update={}",
                ftop_store::today()
            ));
        }
        if !api
            && method == "POST"
            && (path.contains("/services/")
                || path.contains("/contacts")
                || path.ends_with("/partners")
                || path.ends_with("/partners/remove"))
        {
            let csrf = self.csrf(who).await;
            let form = if path.ends_with("/migration") {
                let mv = self
                    .store
                    .migration(tenant, "exchange")
                    .await
                    .map_or(0, |m| m.version);
                format!("csrf={csrf}&version={mv}&performing=no&rejection_reason=no-data&type_0=")
            } else if path.ends_with("/delivery") {
                let dv = self
                    .store
                    .delivery(tenant, "exchange")
                    .await
                    .map_or(0, |d| d.version);
                format!("csrf={csrf}&version={dv}&scenario=css-led&teams=Messaging")
            } else if path.ends_with("/forecast") {
                let fv = self.forecast_version(tenant).await;
                let [rfa, t10, t40, tmax] = forecast_days();
                format!(
                    "csrf={csrf}&version={fv}&submitted={rfa}&target_10={t10}&target_40={t40}&target_max={tmax}"
                )
            } else if path.contains("/services/") {
                let v = self
                    .store
                    .service_status(tenant, "exchange")
                    .await
                    .unwrap()
                    .version;
                format!(
                    "csrf={csrf}&version={v}&l1_0=status-unknown&l2_0=new-subscription-or-workload&count_0=600"
                )
            } else if path.ends_with("/delete") {
                format!("csrf={csrf}&confirm=1")
            } else if path.ends_with("/contacts") {
                format!("csrf={csrf}&name=Ida+Lind&kind=customer")
            } else if path.ends_with("/partners") {
                format!("csrf={csrf}&partner=Other+Org")
            } else if path.ends_with("/partners/remove") {
                // The link to remove exists before every call.
                self.store
                    .add_tenant_partner(&Actor::system("test"), tenant, "Linked Org", false)
                    .await
                    .unwrap();
                format!("csrf={csrf}&partner=Linked+Org&confirm=1")
            } else {
                format!("csrf={csrf}")
            };
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(form);
        }
        if method == "POST" && path.starts_with("/notes/drafts/") {
            let csrf = self.csrf(who).await;
            let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
            let version = match self.creds(who) {
                Some(_) => self.store.note(id).await.map(|n| n.version).unwrap_or(1),
                None => 1,
            };
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!(
                "csrf={csrf}&version={version}&body=edited&category=engagement-management&next_action=&action=update"
            ));
        }
        if method == "POST" && path == "/notes/new" {
            let csrf = self.csrf(who).await;
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!(
                "csrf={csrf}&tenant={tenant}&category=migration&template=technical-enablement&body=&action=template"
            ));
        }
        if method == "POST"
            && (path.starts_with("/account/")
                || path.starts_with("/admin/")
                || path.ends_with("/assignments")
                || path.ends_with("/edit")
                || path.ends_with("/exception")
                || path == "/tenants/new")
        {
            let csrf = self.csrf(who).await;
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!("csrf={csrf}"));
        }
        if !api && method == "POST" && path.contains("/time/") && path.ends_with("/delete") {
            let csrf = self.csrf(who).await;
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!("csrf={csrf}&confirm=1"));
        }
        if method == "POST" && path == "/signout" {
            let csrf = self.csrf(who).await;
            req = req.header("content-type", "application/x-www-form-urlencoded");
            body = Body::from(format!("csrf={csrf}"));
        }
        if method == "POST" && path == "/signin" {
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", "ftop_signin=abc");
            body = Body::from("name=nobody&password=wrong&csrf=abc&next=/");
        }
        if api && path == "/api/v1/usage" {
            let today = ftop_store::today();
            req = req.header("content-type", "text/csv");
            body = Body::from(format!(
                "tenant_id,service,date,active_users\n{OWN},exchange,{today},25\n"
            ));
        } else if api && method != "GET" {
            let tv = self.store.tenant(tenant).await.unwrap().version;
            let sv = self
                .store
                .service_status(tenant, "exchange")
                .await
                .unwrap()
                .version;
            let today = ftop_store::today();
            let date = format!(
                "{:04}-{:02}-{:02}",
                today.year(),
                u8::from(today.month()),
                today.day()
            );
            let json = if path.ends_with("/partners") && path.starts_with("/api/v1/tenants/") {
                // The tenant's organisations again: allowed callers change nothing.
                if tenant == OWN {
                    "{\"partners\": [\"P Org\"]}".to_string()
                } else {
                    "{\"partners\": []}".to_string()
                }
            } else if path == "/api/v1/tenants" {
                // Refused for its ID (allowed roles get 422, the others 403 first).
                "{\"tenant_id\": \"nope\", \"tenant_name\": \"matrix.onmicrosoft.com\", \"customer\": \"M\"}".to_string()
            } else if path.ends_with("/exception") {
                // No exception: what the matrix's tenants have already.
                "{\"exception\": false}".to_string()
            } else if path == "/api/v1/reassignments" {
                "{\"from\": \"engineer\", \"to\": \"manager\"}".to_string()
            } else if path.ends_with("/assignments") {
                // The tenant's current set again: allowed callers change nothing.
                if tenant == OWN {
                    "{\"assignments\": [{\"user\": \"manager\", \"role\": \"fm\", \"primary\": true}, {\"user\": \"engineer\", \"role\": \"fe\", \"primary\": true}, {\"user\": \"partner\", \"role\": \"p-fe\", \"primary\": true}]}".to_string()
                } else {
                    "{\"assignments\": []}".to_string()
                }
            } else if path == "/api/v1/users" {
                format!(
                    "{{\"name\": \"matrix-user\", \"role\": \"guest\", \"password\": \"{}\"}}",
                    common::PASSWORD
                )
            } else if path.starts_with("/api/v1/users/") {
                "{\"role\": \"engineer\"}".to_string()
            } else if path == "/api/v1/partners" {
                "{\"name\": \"Matrix Org\"}".to_string()
            } else if path.starts_with("/api/v1/partners/") {
                "{\"name\": \"P Org\"}".to_string()
            } else if path == "/api/v1/me/password" {
                "{\"current\": \"wrong\", \"password\": \"short\"}".to_string()
            } else if path == "/api/v1/me/tokens" {
                "{\"label\": \"matrix\"}".to_string()
            } else if path == "/api/v1/notes/drafts" {
                format!("{{\"tenant_id\": \"{OWN}\", \"body\": \"api draft\"}}")
            } else if path.starts_with("/api/v1/notes/drafts/") {
                let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
                let version = self.store.note(id).await.map(|n| n.version).unwrap_or(1);
                format!("{{\"version\": {version}, \"body\": \"edited through the api\"}}")
            } else if path.contains("/tasks/") {
                format!("{{\"version\": {version}, \"status\": \"in-progress\"}}")
            } else if path.ends_with("/notes") {
                "{\"body\": \"api note\"}".to_string()
            } else if path.ends_with("/time") {
                format!(
                    "{{\"task_id\": {}, \"minutes\": 5, \"work_date\": \"{date}\"}}",
                    self.task
                )
            } else if path.ends_with("/forecast") {
                let fv = self.forecast_version(tenant).await;
                let [rfa, t10, t40, tmax] = forecast_days();
                format!(
                    "{{\"version\": {fv}, \"submitted\": \"{rfa}\", \"target_10\": \"{t10}\", \"target_40\": \"{t40}\", \"target_max\": \"{tmax}\"}}"
                )
            } else if path.ends_with("/enterprise-status") {
                format!(
                    "{{\"reasons\": [\"reactive\"], \"rag\": \"amber\", \"summary\": \"s\", \"overview\": \"o\", \"next_update\": \"{date}\"}}"
                )
            } else if path.ends_with("/delivery") {
                let dv = self
                    .store
                    .delivery(tenant, "exchange")
                    .await
                    .map_or(0, |d| d.version);
                format!("{{\"version\": {dv}, \"scenario\": \"css-led\"}}")
            } else if path.ends_with("/migration") {
                let mv = self
                    .store
                    .migration(tenant, "exchange")
                    .await
                    .map_or(0, |m| m.version);
                format!(
                    "{{\"version\": {mv}, \"performing\": false, \"rejection_reason\": \"no-data\"}}"
                )
            } else if path.ends_with("/suggest") {
                "{\"note\": \"the partner does not answer\"}".to_string()
            } else if path.ends_with("/priority") {
                "{\"priority\": \"low\"}".to_string()
            } else if path.ends_with("/status") {
                format!(
                    "{{\"version\": {sv}, \"rows\": [{{\"l1\": \"status-unknown\", \"l2\": \"new-subscription-or-workload\", \"count\": 600}}]}}"
                )
            } else if path.contains("/time/") {
                "{\"minutes\": 7}".to_string()
            } else if path.contains("/contacts/") {
                "{\"name\": \"Api Contact Changed\"}".to_string()
            } else if path.ends_with("/contacts") {
                "{\"name\": \"Api Contact\"}".to_string()
            } else {
                format!("{{\"version\": {tv}, \"status_note\": \"from the api\"}}")
            };
            req = req.header("content-type", "application/json");
            body = Body::from(json);
        }
        let r = self.h.send(req.body(body).unwrap()).await;
        (r.status, r.location().to_string())
    }
}

use UserRole::{Admin, Engineer, Guest, Manager, Partner};
const ROLES: [Who; 6] = [
    Who::Anon,
    Who::Role(Admin),
    Who::Role(Manager),
    Who::Role(Engineer),
    Who::Role(Partner),
    Who::Role(Guest),
];

/// Expected status for (route, who, own tenant?).
fn expect(route: (&str, &str), who: Who, own: bool) -> u16 {
    let signed_in = who != Who::Anon;
    let role = match who {
        Who::Role(r) => Some(r),
        Who::Anon => None,
    };
    let can_see = match role {
        Some(Partner) => own,
        Some(_) => true,
        None => false,
    };
    let can_edit = match role {
        Some(Admin) => true,
        Some(Manager | Engineer | Partner) => own,
        _ => false,
    };
    match route {
        ("GET", "/healthz")
        | ("GET", "/assets/app.css")
        | ("GET", "/assets/htmx.min.js")
        | ("GET", "/assets/ftop.js")
        | ("GET", "/api/docs")
        | ("GET", "/signin")
        | ("GET", "/api/v1/openapi.json") => 200,
        ("POST", "/signin") => 303, // wrong password: back to the form
        // Public: to the provider, or (no provider here, or no sign-in in progress) back
        // to the sign-in page; tests/sso.rs covers them with a provider.
        ("GET", "/signin/sso") | ("GET", "/signin/sso/callback") => 303,
        // Prometheus metrics on the main address: administrators only (the JSON envelope's
        // 401 without credentials, 403 for every other role).
        ("GET", "/metrics") => match role {
            None => 401,
            Some(Admin) => 200,
            Some(_) => 403,
        },
        ("POST", "/signout") => 303,
        ("GET", "/lang/{code}") => 303,
        ("GET", "/portfolio")
        | ("GET", "/portfolio.csv")
        | ("GET", "/adoption")
        | ("GET", "/adoption.csv")
        | ("GET", "/adoption/rows")
        | ("GET", "/adoption/rows.csv")
        | ("GET", "/reports")
        | ("GET", "/reports/milestones")
        | ("GET", "/reports/milestones.csv")
        | ("GET", "/reports/stale-status-notes")
        | ("GET", "/reports/stale-status-notes.csv")
        | ("GET", "/reports/compliance")
        | ("GET", "/reports/compliance.csv")
        | ("GET", "/reports/forecast")
        | ("GET", "/reports/forecast.csv")
        | ("GET", "/reports/new-subscriptions")
        | ("GET", "/reports/new-subscriptions.csv")
        | ("GET", "/reports/data-health")
        | ("GET", "/reports/data-health.csv")
        | ("GET", "/reports/conversion")
        | ("GET", "/reports/conversion.csv")
        | ("GET", "/reports/performance")
        | ("GET", "/reports/performance.csv")
        | ("GET", "/reports/service-usage")
        | ("GET", "/reports/service-usage.csv")
        | ("GET", "/reports/usage-trend")
        | ("GET", "/reports/usage-trend.csv")
        | ("GET", "/notes")
        | ("GET", "/")
        | ("GET", "/playbook")
        | ("GET", "/playbook/translations")
        | ("GET", "/playbook/{key}") => {
            if signed_in {
                200
            } else {
                303
            }
        }
        ("GET", "/tenants/{id}")
        | ("GET", "/customers/{id}")
        | ("GET", "/tenants/{id}/tasks/{task}")
        | ("GET", "/tenants/{id}/usage.csv") => {
            if !signed_in {
                303
            } else if can_see {
                200
            } else {
                404
            }
        }
        // One's own time entry: corrected (the matrix's empty form is refused, 422, and
        // shown again) or deleted by whoever may change the tenant.
        ("GET", "/tenants/{id}/time/{entry}/edit")
        | ("POST", "/tenants/{id}/time/{entry}/edit")
        | ("POST", "/tenants/{id}/time/{entry}/delete")
        | ("PATCH", "/api/v1/tenants/{id}/time/{entry}")
        | ("DELETE", "/api/v1/tenants/{id}/time/{entry}") => {
            let api = route.1.starts_with("/api/");
            if !signed_in {
                if api { 401 } else { 303 }
            } else if !can_see {
                404
            } else if !can_edit {
                403
            } else {
                match route {
                    ("GET", _) => 200,
                    ("POST", p) if p.ends_with("/edit") => 422,
                    ("POST", _) => 303,
                    ("PATCH", _) => 200,
                    _ => 204,
                }
            }
        }
        // A contact's form: for whoever may change the tenant (the matrix's empty form is
        // refused, 422, and shown again).
        ("GET", "/tenants/{id}/contacts/{contact}/edit")
        | ("POST", "/tenants/{id}/contacts/{contact}/edit") => {
            if !signed_in {
                303
            } else if !can_see {
                404
            } else if can_edit {
                if route.0 == "GET" { 200 } else { 422 }
            } else {
                403
            }
        }
        ("POST", "/tenants/{id}/tasks/{task}")
        | ("POST", "/tenants/{id}/services/{service}")
        | ("POST", "/tenants/{id}/services/{service}/forecast")
        // A service's data migration: whoever may change the tenant.
        | ("POST", "/tenants/{id}/services/{service}/migration")
        | ("POST", "/tenants/{id}/contacts")
        | ("POST", "/tenants/{id}/contacts/{contact}/delete")
        | ("POST", "/tenants/{id}/status")
        | ("POST", "/tenants/{id}/priority")
        | ("POST", "/tenants/{id}/notes")
        | ("POST", "/tenants/{id}/time") => {
            if !signed_in {
                303
            } else if !can_see {
                404
            } else if can_edit {
                303
            } else {
                403
            }
        }
        // Attaching and removing partner organisations: managers and administrators only
        // (a partner may change its tenants but not grant other organisations access).
        ("POST", "/tenants/{id}/partners") | ("POST", "/tenants/{id}/partners/remove") => {
            if !signed_in {
                303
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                303
            } else {
                403
            }
        }
        ("GET", "/notes/new") | ("POST", "/notes/new") => match role {
            None => 303,
            Some(Guest) => 403,
            Some(_) => 200,
        },
        ("GET", "/api/v1/portfolio")
        | ("GET", "/api/v1/adoption")
        | ("GET", "/api/v1/adoption/rows")
        | ("GET", "/api/v1/reports/milestones")
        | ("GET", "/api/v1/reports/stale-status-notes")
        | ("GET", "/api/v1/reports/compliance")
        | ("GET", "/api/v1/reports/forecast")
        | ("GET", "/api/v1/reports/new-subscriptions")
        | ("GET", "/api/v1/reports/data-health")
        | ("GET", "/api/v1/reports/conversion")
        | ("GET", "/api/v1/reports/service-usage")
        | ("GET", "/api/v1/reports/usage-trend")
        | ("GET", "/api/v1/reports/performance")
        | ("GET", "/api/v1/notes")
        | ("GET", "/api/v1/notes/templates")
        | ("GET", "/api/v1/playbook")
        | ("GET", "/api/v1/playbook/translations")
        | ("GET", "/api/v1/playbook/processes/{key}") => {
            if signed_in {
                200
            } else {
                401
            }
        }
        // The caller's own drafts (on a tenant every role may change); guests write none.
        ("GET", "/api/v1/notes/drafts")
        | ("POST", "/api/v1/notes/drafts")
        | ("GET", "/api/v1/notes/drafts/{draft}")
        | ("PUT", "/api/v1/notes/drafts/{draft}")
        | ("DELETE", "/api/v1/notes/drafts/{draft}") => match role {
            None => 401,
            Some(Guest) => 403,
            Some(_) => match route.0 {
                "POST" => 201,
                "DELETE" => 204,
                _ => 200,
            },
        },
        // Usage feeds load figures for every tenant: administrators only.
        ("POST", "/api/v1/usage") => match role {
            None => 401,
            Some(Admin) => 200,
            Some(_) => 403,
        },
        ("GET", "/api/v1/me") | ("GET", "/api/v1/tenants") => {
            if signed_in {
                200
            } else {
                401
            }
        }
        ("GET", "/api/v1/tenants/{id}")
        | ("GET", "/api/v1/tenants/{id}/tasks")
        | ("GET", "/api/v1/tenants/{id}/notes")
        | ("GET", "/api/v1/tenants/{id}/time")
        | ("GET", "/api/v1/tenants/{id}/services/{service}/status")
        | ("GET", "/api/v1/tenants/{id}/services/{service}/delivery")
        | ("GET", "/api/v1/tenants/{id}/services/{service}/migration")
        | ("GET", "/api/v1/tenants/{id}/services/{service}/forecast")
        | ("GET", "/api/v1/tenants/{id}/adoption")
        | ("GET", "/api/v1/tenants/{id}/contacts")
        | ("GET", "/api/v1/tenants/{id}/history")
        | ("GET", "/api/v1/customers/{id}")
        | ("GET", "/api/v1/tenants/{id}/assignments")
        | ("GET", "/api/v1/tenants/{id}/partners") => {
            if !signed_in {
                401
            } else if can_see {
                200
            } else {
                404
            }
        }
        ("PATCH", "/api/v1/tenants/{id}/tasks/{task}")
        | ("PATCH", "/api/v1/tenants/{id}")
        | ("PUT", "/api/v1/tenants/{id}/priority")
        | ("PUT", "/api/v1/tenants/{id}/services/{service}/status")
        | ("POST", "/api/v1/tenants/{id}/suggest")
        | ("PUT", "/api/v1/tenants/{id}/services/{service}/forecast")
        | ("PUT", "/api/v1/tenants/{id}/services/{service}/migration")
        | ("POST", "/api/v1/tenants/{id}/notes")
        | ("POST", "/api/v1/tenants/{id}/time")
        | ("POST", "/api/v1/tenants/{id}/contacts")
        | ("DELETE", "/api/v1/tenants/{id}/contacts/{contact}")
        | ("PUT", "/api/v1/tenants/{id}/contacts/{contact}") => {
            let ok = match route.0 {
                // Suggest creates nothing.
                "POST" if route.1.ends_with("/suggest") => 200,
                "POST" => 201,
                "DELETE" => 204,
                _ => 200,
            };
            if !signed_in {
                401
            } else if !can_see {
                404
            } else if can_edit {
                ok
            } else {
                403
            }
        }
        ("POST", "/notes/drafts/{id}") => match role {
            None => 303,
            Some(Guest) => 403,
            Some(_) => 303,
        },
        // Everyone signed in sees and ends only their own sessions (the matrix's IDs name
        // no session of theirs: 404).
        ("GET", "/account/sessions") | ("GET", "/account/sessions/{id}/end") => {
            if signed_in {
                200
            } else {
                303
            }
        }
        ("POST", "/account/sessions/{id}/end") => {
            if signed_in {
                404
            } else {
                303
            }
        }
        // Without a token (or with a forged one) the unsubscribe link is not found, whoever
        // follows it; a genuine token is the only credential it takes (tests/smtp in the
        // ftop crate's serve_monitoring.rs follows one).
        ("GET", "/unsubscribe") | ("POST", "/unsubscribe") => 404,
        ("GET", "/api/v1/me/queue") => {
            if signed_in {
                200
            } else {
                401
            }
        }
        ("GET", "/api/v1/me/sessions") => {
            if signed_in {
                200
            } else {
                401
            }
        }
        ("DELETE", "/api/v1/me/sessions/{id}") => {
            if signed_in {
                404
            } else {
                401
            }
        }
        // Assigning people: administrators and managers on every tenant (a new one has no
        // one assigned yet); partner admins for their organisation's people (the matrix's
        // partner is none).
        // The panel's form without an action is refused back to the tab (303).
        ("POST", "/tenants/{id}/assignments") => {
            if !signed_in {
                303
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                303
            } else {
                403
            }
        }
        // Like staffing: administrators and managers on any tenant they see.
        ("PUT", "/api/v1/tenants/{id}/partners") => {
            if !signed_in {
                401
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                200
            } else {
                403
            }
        }
        ("PUT", "/api/v1/tenants/{id}/assignments") => {
            if !signed_in {
                401
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                200
            } else {
                403
            }
        }
        // One's own account: every signed-in user (the matrix's token ID is nobody's: 404;
        // its password and token forms are empty: 422).
        ("GET", "/account") => {
            if signed_in {
                200
            } else {
                303
            }
        }
        // The digest form without a time zone: refused, so nothing changes.
        ("POST", "/account/password") | ("POST", "/account/tokens") | ("POST", "/account/digest") => {
            if signed_in {
                422
            } else {
                303
            }
        }
        ("GET", "/account/tokens/{token}/revoke") | ("POST", "/account/tokens/{token}/revoke") => {
            if signed_in {
                404
            } else {
                303
            }
        }
        // Credentials only from a signed-in session: the matrix calls the API with tokens.
        ("PUT", "/api/v1/me/password") | ("POST", "/api/v1/me/tokens") => {
            if signed_in {
                403
            } else {
                401
            }
        }
        ("GET", "/api/v1/me/tokens") => {
            if signed_in {
                200
            } else {
                401
            }
        }
        ("DELETE", "/api/v1/me/tokens/{token}") => {
            if signed_in {
                404
            } else {
                401
            }
        }
        // Users: administrators (and partner admins, whom the matrix's partner is not).
        // The pages' empty forms are refused (422); a change that unticks Active asks first.
        ("GET", "/admin/users") | ("GET", "/admin/users/{name}") | ("GET", "/admin/partners") => {
            match role {
                None => 303,
                Some(Admin) => 200,
                Some(_) => 403,
            }
        }
        ("POST", "/admin/users/{name}") => match role {
            None => 303,
            Some(Admin) => 200,
            Some(_) => 403,
        },
        ("POST", "/admin/users")
        | ("POST", "/admin/partners")
        | ("POST", "/admin/partners/{partner}") => match role {
            None => 303,
            Some(Admin) => 422,
            Some(_) => 403,
        },
        ("GET", "/api/v1/users")
        | ("GET", "/api/v1/users/{name}")
        | ("PATCH", "/api/v1/users/{name}")
        | ("PATCH", "/api/v1/partners/{partner}") => match role {
            None => 401,
            Some(Admin) => 200,
            Some(_) => 403,
        },
        ("POST", "/api/v1/users") | ("POST", "/api/v1/partners") => match role {
            None => 401,
            Some(Admin) => 201,
            Some(_) => 403,
        },
        // Bulk reassignment (the matrix asks for a preview; the page's form without a
        // confirmation is refused with the preview shown again).
        ("POST", "/api/v1/reassignments") | ("GET", "/admin/reassign") => match role {
            None if route.1.starts_with("/api/") => 401,
            None => 303,
            Some(Admin | Manager) => 200,
            Some(_) => 403,
        },
        ("GET", "/tenants/import") => match role {
            None => 303,
            Some(Admin | Manager) => 200,
            Some(_) => 403,
        },
        // Not a multipart upload: refused as unreadable (400) once the role may import.
        ("POST", "/tenants/import") => match role {
            None => 303,
            Some(Admin | Manager) => 400,
            Some(_) => 403,
        },
        // A tenant's record: administrators and managers on any tenant they see, like
        // creating one. The matrix's empty form is refused (422) with the form shown again.
        ("GET", "/tenants/{id}/edit") | ("POST", "/tenants/{id}/edit") => {
            if !signed_in {
                303
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                if route.0 == "GET" { 200 } else { 422 }
            } else {
                403
            }
        }
        // A service's delivery (engagement scenario): managers and administrators on any
        // tenant they see.
        ("POST", "/tenants/{id}/services/{service}/delivery")
        | ("PUT", "/api/v1/tenants/{id}/services/{service}/delivery") => {
            let page = route.0 == "POST";
            if !signed_in {
                if page { 303 } else { 401 }
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                if page { 303 } else { 200 }
            } else {
                403
            }
        }
        // Enterprise status (the matrix's tenants are enterprise tenants for these routes):
        // read by everyone who sees the tenant; added by administrators and managers (and
        // engineers assigned as FastTrack manager or architect, which the matrix's engineer
        // is not: tests/tenant_edit.rs covers that).
        ("GET", "/api/v1/tenants/{id}/enterprise-status") => {
            if !signed_in {
                401
            } else if !can_see {
                404
            } else {
                200
            }
        }
        ("POST", "/tenants/{id}/enterprise-status")
        | ("POST", "/api/v1/tenants/{id}/enterprise-status") => {
            let page = !route.1.starts_with("/api/");
            if !signed_in {
                if page { 303 } else { 401 }
            } else if !can_see {
                404
            } else if matches!(role, Some(Admin | Manager)) {
                if page { 303 } else { 201 }
            } else {
                403
            }
        }
        // Eligibility exceptions: administrators only.
        ("POST", "/tenants/{id}/exception") | ("PUT", "/api/v1/tenants/{id}/exception") => {
            let page = route.0 == "POST";
            if !signed_in {
                if page { 303 } else { 401 }
            } else if !can_see {
                404
            } else if role == Some(Admin) {
                if page { 303 } else { 200 }
            } else {
                403
            }
        }
        ("GET", "/tenants/new") => match role {
            None => 303,
            Some(Admin | Manager) => 200,
            Some(_) => 403,
        },
        // The matrix's empty form is refused with the form shown again.
        ("POST", "/tenants/new") => match role {
            None => 303,
            Some(Admin | Manager) => 422,
            Some(_) => 403,
        },
        ("POST", "/api/v1/tenants") => match role {
            None => 401,
            Some(Admin | Manager) => 422,
            Some(_) => 403,
        },
        ("POST", "/admin/reassign") => match role {
            None => 303,
            Some(Admin | Manager) => 422,
            Some(_) => 403,
        },
        // Managers see the organisations to attach them to tenants.
        ("GET", "/api/v1/partners") => match role {
            None => 401,
            Some(Admin | Manager) => 200,
            Some(_) => 403,
        },
        other => panic!("route {other:?} is not in the authorization matrix"),
    }
}

const MATRIX: &[(&str, &str)] = &[
    ("GET", "/account"),
    ("POST", "/account/password"),
    ("POST", "/account/tokens"),
    ("POST", "/account/digest"),
    ("GET", "/unsubscribe"),
    ("POST", "/unsubscribe"),
    ("GET", "/api/v1/me/queue"),
    ("GET", "/account/tokens/{token}/revoke"),
    ("POST", "/account/tokens/{token}/revoke"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("GET", "/admin/users/{name}"),
    ("POST", "/admin/users/{name}"),
    ("GET", "/admin/partners"),
    ("GET", "/admin/reassign"),
    ("POST", "/admin/reassign"),
    ("POST", "/api/v1/reassignments"),
    ("POST", "/api/v1/tenants"),
    ("GET", "/tenants/new"),
    ("GET", "/tenants/import"),
    ("POST", "/tenants/import"),
    ("POST", "/tenants/new"),
    ("POST", "/admin/partners"),
    ("POST", "/admin/partners/{partner}"),
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    ("GET", "/api/v1/users/{name}"),
    ("PATCH", "/api/v1/users/{name}"),
    ("GET", "/api/v1/partners"),
    ("POST", "/api/v1/partners"),
    ("PATCH", "/api/v1/partners/{partner}"),
    ("PUT", "/api/v1/me/password"),
    ("GET", "/api/v1/me/tokens"),
    ("POST", "/api/v1/me/tokens"),
    ("DELETE", "/api/v1/me/tokens/{token}"),
    ("GET", "/account/sessions"),
    ("GET", "/account/sessions/{id}/end"),
    ("POST", "/account/sessions/{id}/end"),
    ("GET", "/api/v1/me/sessions"),
    ("DELETE", "/api/v1/me/sessions/{id}"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/assets/app.css"),
    ("GET", "/assets/htmx.min.js"),
    ("GET", "/assets/ftop.js"),
    ("GET", "/api/docs"),
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("GET", "/signin/sso"),
    ("GET", "/signin/sso/callback"),
    ("POST", "/signout"),
    ("GET", "/lang/{code}"),
    ("GET", "/"),
    ("GET", "/playbook"),
    ("GET", "/portfolio"),
    ("GET", "/portfolio.csv"),
    ("GET", "/adoption"),
    ("GET", "/adoption.csv"),
    ("GET", "/adoption/rows"),
    ("GET", "/adoption/rows.csv"),
    ("GET", "/reports"),
    ("GET", "/reports/milestones"),
    ("GET", "/reports/milestones.csv"),
    ("GET", "/reports/stale-status-notes"),
    ("GET", "/reports/stale-status-notes.csv"),
    ("GET", "/reports/compliance"),
    ("GET", "/reports/compliance.csv"),
    ("GET", "/reports/forecast"),
    ("GET", "/reports/forecast.csv"),
    ("GET", "/reports/new-subscriptions"),
    ("GET", "/reports/new-subscriptions.csv"),
    ("GET", "/reports/data-health"),
    ("GET", "/reports/data-health.csv"),
    ("GET", "/reports/conversion"),
    ("GET", "/reports/conversion.csv"),
    ("GET", "/reports/performance"),
    ("GET", "/reports/performance.csv"),
    ("GET", "/reports/service-usage"),
    ("GET", "/reports/service-usage.csv"),
    ("GET", "/reports/usage-trend"),
    ("GET", "/reports/usage-trend.csv"),
    ("GET", "/tenants/{id}/usage.csv"),
    ("GET", "/notes"),
    ("POST", "/notes/drafts/{id}"),
    ("GET", "/notes/new"),
    ("POST", "/notes/new"),
    ("GET", "/playbook/translations"),
    ("GET", "/playbook/{key}"),
    ("GET", "/tenants/{id}"),
    ("GET", "/customers/{id}"),
    ("GET", "/api/v1/customers/{id}"),
    ("GET", "/tenants/{id}/edit"),
    ("POST", "/tenants/{id}/edit"),
    ("POST", "/tenants/{id}/exception"),
    ("GET", "/tenants/{id}/tasks/{task}"),
    ("POST", "/tenants/{id}/tasks/{task}"),
    ("POST", "/tenants/{id}/status"),
    ("POST", "/tenants/{id}/priority"),
    ("PUT", "/api/v1/tenants/{id}/priority"),
    ("POST", "/tenants/{id}/services/{service}"),
    ("POST", "/tenants/{id}/services/{service}/forecast"),
    ("POST", "/tenants/{id}/contacts"),
    ("POST", "/tenants/{id}/contacts/{contact}/delete"),
    ("GET", "/tenants/{id}/contacts/{contact}/edit"),
    ("POST", "/tenants/{id}/contacts/{contact}/edit"),
    ("POST", "/tenants/{id}/partners"),
    ("POST", "/tenants/{id}/assignments"),
    ("POST", "/tenants/{id}/partners/remove"),
    ("POST", "/tenants/{id}/notes"),
    ("POST", "/tenants/{id}/time"),
    ("GET", "/tenants/{id}/time/{entry}/edit"),
    ("POST", "/tenants/{id}/time/{entry}/edit"),
    ("POST", "/tenants/{id}/time/{entry}/delete"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/tenants"),
    ("GET", "/api/v1/tenants/{id}"),
    ("GET", "/api/v1/tenants/{id}/tasks"),
    ("PATCH", "/api/v1/tenants/{id}/tasks/{task}"),
    ("PATCH", "/api/v1/tenants/{id}"),
    ("GET", "/api/v1/tenants/{id}/notes"),
    ("POST", "/api/v1/tenants/{id}/notes"),
    ("GET", "/api/v1/tenants/{id}/time"),
    ("POST", "/api/v1/tenants/{id}/time"),
    ("PATCH", "/api/v1/tenants/{id}/time/{entry}"),
    ("DELETE", "/api/v1/tenants/{id}/time/{entry}"),
    ("GET", "/api/v1/tenants/{id}/services/{service}/status"),
    ("PUT", "/api/v1/tenants/{id}/services/{service}/status"),
    ("POST", "/api/v1/tenants/{id}/suggest"),
    ("GET", "/api/v1/tenants/{id}/services/{service}/delivery"),
    ("PUT", "/api/v1/tenants/{id}/services/{service}/delivery"),
    ("POST", "/tenants/{id}/services/{service}/delivery"),
    ("GET", "/api/v1/tenants/{id}/services/{service}/migration"),
    ("PUT", "/api/v1/tenants/{id}/services/{service}/migration"),
    ("POST", "/tenants/{id}/services/{service}/migration"),
    ("GET", "/api/v1/tenants/{id}/enterprise-status"),
    ("POST", "/api/v1/tenants/{id}/enterprise-status"),
    ("POST", "/tenants/{id}/enterprise-status"),
    ("GET", "/api/v1/tenants/{id}/adoption"),
    ("GET", "/api/v1/tenants/{id}/services/{service}/forecast"),
    ("PUT", "/api/v1/tenants/{id}/services/{service}/forecast"),
    ("GET", "/api/v1/tenants/{id}/contacts"),
    ("POST", "/api/v1/tenants/{id}/contacts"),
    ("DELETE", "/api/v1/tenants/{id}/contacts/{contact}"),
    ("PUT", "/api/v1/tenants/{id}/contacts/{contact}"),
    ("GET", "/api/v1/tenants/{id}/history"),
    ("PUT", "/api/v1/tenants/{id}/exception"),
    ("GET", "/api/v1/tenants/{id}/assignments"),
    ("GET", "/api/v1/tenants/{id}/partners"),
    ("PUT", "/api/v1/tenants/{id}/partners"),
    ("PUT", "/api/v1/tenants/{id}/assignments"),
    ("GET", "/api/v1/portfolio"),
    ("GET", "/api/v1/adoption"),
    ("GET", "/api/v1/adoption/rows"),
    ("GET", "/api/v1/reports/milestones"),
    ("GET", "/api/v1/reports/stale-status-notes"),
    ("GET", "/api/v1/reports/compliance"),
    ("GET", "/api/v1/reports/forecast"),
    ("GET", "/api/v1/reports/new-subscriptions"),
    ("GET", "/api/v1/reports/data-health"),
    ("GET", "/api/v1/reports/conversion"),
    ("GET", "/api/v1/reports/service-usage"),
    ("GET", "/api/v1/reports/usage-trend"),
    ("GET", "/api/v1/reports/performance"),
    ("POST", "/api/v1/usage"),
    ("GET", "/api/v1/notes"),
    ("GET", "/api/v1/notes/templates"),
    ("GET", "/api/v1/notes/drafts"),
    ("POST", "/api/v1/notes/drafts"),
    ("GET", "/api/v1/notes/drafts/{draft}"),
    ("PUT", "/api/v1/notes/drafts/{draft}"),
    ("DELETE", "/api/v1/notes/drafts/{draft}"),
    ("GET", "/api/v1/playbook"),
    ("GET", "/api/v1/playbook/translations"),
    ("GET", "/api/v1/playbook/processes/{key}"),
    ("GET", "/api/v1/openapi.json"),
];

/// Every `.route(...)` in the web crate's source, as (method, full path): files under
/// `src/api/` are nested under `/api/v1`.
fn declared_routes() -> BTreeSet<(String, String)> {
    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut out = BTreeSet::new();
    for file in all {
        let prefix = if file.starts_with(src.join("api")) {
            "/api/v1"
        } else {
            ""
        };
        let text = std::fs::read_to_string(&file).unwrap();
        // `.route("/path", ...)` on one line or, as rustfmt writes long ones, over several.
        for part in text.split(".route(").skip(1) {
            let Some(rest) = part.trim_start().strip_prefix('"') else {
                continue;
            };
            let path = rest.split('"').next().unwrap();
            let head = &part[..part.len().min(400)];
            for (needle, method) in [
                ("get(", "GET"),
                ("post(", "POST"),
                ("patch(", "PATCH"),
                ("put(", "PUT"),
                ("delete(", "DELETE"),
            ] {
                if head.contains(needle) {
                    out.insert((method.to_string(), format!("{prefix}{path}")));
                }
            }
        }
    }
    out
}

#[test]
fn every_route_is_in_the_matrix() {
    let declared = declared_routes();
    let matrix: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = declared.difference(&matrix).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the authorization matrix: {missing:?}"
    );
    assert!(declared.len() >= 14, "{declared:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_by_role_and_tenant() {
    let w = world().await;
    let p_org = w
        .store
        .organisations()
        .await
        .unwrap()
        .iter()
        .find(|o| o.name == "P Org")
        .unwrap()
        .id;
    let mut failures = Vec::new();
    for &(method, route) in MATRIX {
        if route == "/signout" {
            continue; // ends the session; checked last
        }
        for own in [true, false] {
            if !route.contains("{id}") && !own {
                continue;
            }
            let id = if own { OWN } else { OTHER };
            // A customer's routes name the customer of the tenant.
            let customer = w
                .store
                .tenants(&ftop_store::TenantFilter::default())
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.tenant_id == id)
                .unwrap()
                .customer_id
                .to_string();
            let id = if route.contains("/customers/") {
                customer.as_str()
            } else {
                id
            };
            let path = route
                .replace("{id}", id)
                .replace("{task}", &w.task.to_string())
                .replace("{code}", "es")
                .replace("{service}", "exchange")
                .replace("{key}", "initiate-conduct-customer-kickoff")
                .replace("{token}", "999999")
                .replace("{name}", "engineer")
                .replace("{partner}", &p_org.to_string());
            for who in ROLES {
                let want = expect((method, route), who, own);
                // A draft of the caller's own, on a tenant every role can see.
                if route == "/notes/drafts/{id}" && !own {
                    continue;
                }
                let path = if route == "/notes/drafts/{id}" || route.contains("{draft}") {
                    match w.creds(who) {
                        Some((_, u, _, _)) => {
                            let d = ftop_store::NoteDraft {
                                tenant_id: OWN.into(),
                                body: "draft".into(),
                                ..Default::default()
                            };
                            let n = w.store.add_note(&Actor::user(u), &d, false).await.unwrap();
                            path.replace("{draft}", &n.id.to_string())
                                .replace(OWN, &n.id.to_string())
                        }
                        None => path.replace("{draft}", "1").replace(OWN, "1"),
                    }
                } else {
                    path.clone()
                };
                // A contact to delete, fresh for every caller.
                let path = if route.contains("{contact}") {
                    let c = w
                        .store
                        .add_contact(
                            &Actor::system("test"),
                            id,
                            &ftop_store::NewContact {
                                name: "Temp".into(),
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap();
                    path.replace("{contact}", &c.id.to_string())
                } else {
                    path.clone()
                };
                // A time entry of the caller's own (anonymous callers: the admin's), fresh
                // for every call: authors correct and delete their own.
                let path = if route.contains("{entry}") {
                    let author = match w.creds(who) {
                        Some((_, u, _, _)) => u.clone(),
                        None => w.h.of_role(UserRole::Admin).user.clone(),
                    };
                    let e = w
                        .store
                        .add_time(
                            &Actor::user(&author),
                            id,
                            w.task,
                            "",
                            5,
                            &{
                                let d = ftop_store::today();
                                format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
                            },
                            "",
                        )
                        .await
                        .unwrap();
                    path.replace("{entry}", &e.id.to_string())
                } else {
                    path
                };
                let api = path.starts_with("/api/");
                let (status, location) = w.call(who, method, &path, api).await;
                let got = status.as_u16();
                if got != want {
                    failures.push(format!(
                        "{method} {path} as {who:?} (own: {own}): {got}, expected {want}"
                    ));
                }
                // A form that was allowed saved the task (not a conflict or an error).
                if method == "POST"
                    && route.contains("/tasks/")
                    && who != Who::Anon
                    && got == 303
                    && !location.contains("&saved=")
                {
                    failures.push(format!(
                        "{method} {path} as {who:?}: went to {location}, expected a saved task"
                    ));
                }
            }
        }
    }
    for who in ROLES {
        let got = w.call(who, "POST", "/signout", false).await.0.as_u16();
        if got != expect(("POST", "/signout"), who, true) {
            failures.push(format!("POST /signout as {who:?}: {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A valid set of forecast dates: RFA today, then 30, 60 and 90 days on.
fn forecast_days() -> [time::Date; 4] {
    let today = ftop_store::today();
    [0, 30, 60, 90].map(|d| today + time::Duration::days(d))
}

#[test]
fn every_api_route_is_in_the_openapi_document() {
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/openapi.json"))
            .unwrap(),
    )
    .unwrap();
    let missing: Vec<_> = declared_routes()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/v1/") && p != "/api/v1/openapi.json")
        .filter(|(m, p)| doc["paths"][&p["/api/v1".len()..]][m.to_lowercase()].is_null())
        .collect();
    assert!(
        missing.is_empty(),
        "API routes missing from openapi.json: {missing:?}"
    );
}
