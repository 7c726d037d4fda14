//! A team's first day in the portal, in a real headless Chromium (Debian's chromium and
//! chromium-driver), from an empty database with the bundled playbook and one administrator
//! made by the CLI; everything else happens in the browser: partner organisation and people,
//! a tenant by form and ten by CSV, assignments, a partner admin staffing their own person,
//! what that person may see and change, and a bulk reassignment with one row left behind.
//! A second test signs in through a real OpenID provider (tests/oidc-provider).
//!
//! Without a browser the tests say why and pass, unless FTOP_REQUIRE_BROWSER=1 (CI); without
//! Node or the provider's packages the SSO test does the same, unless FTOP_REQUIRE_OIDC=1 or
//! FTOP_REQUIRE_BROWSER=1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/chromium.rs"]
mod chromium;
mod common;
use common::{Kill, free_port, wait_for};
use fantoccini::{Client, Locator};
use ftop_domain::AssignmentRole;
use std::io::{BufRead, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The administrator the CLI makes, and the password every browser-made account gets.
const ADMIN: (&str, &str) = ("ada", "horse battery staple lantern");
const PASSWORD: &str = "quiet harbour lantern seven";
const ORG: &str = "Fabrikam Partners";
/// The tenant made with the form.
const CONTOSO: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
/// The ten tenants of the CSV file, by short name.
const IMPORTED: [&str; 10] = [
    "northwind",
    "adatum",
    "litware",
    "tailspin",
    "wingtip",
    "woodgrove",
    "proseware",
    "lucerne",
    "alpineski",
    "cohowinery",
];
const FM: (&str, &str) = ("fm", "FastTrack Manager");
const FE: (&str, &str) = ("fe", "FastTrack Engineer");
const PFE: (&str, &str) = ("p-fe", "Partner FastTrack Engineer");

/// The tenant ID of imported tenant `short`.
fn id_of(short: &str) -> String {
    let i = IMPORTED.iter().position(|n| *n == short).unwrap() + 1;
    format!("{i:08x}-1111-4111-8111-{i:012x}")
}

/// Runs the `ftop` CLI on `db`, `stdin` as its input; panics with its stderr on failure.
fn cli(db: &str, args: &[&str], stdin: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ftop"))
        .args(["--database", db])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "ftop {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `ftop serve` on `db` (with `extra` flags), a chromedriver and a headless
/// Chromium driven through it; everything stops when the session is dropped.
struct Session {
    c: Client,
    base: String,
    _server: Kill,
    _browser: chromium::Browser,
}

impl Session {
    async fn start(
        (chromium, driver): &(String, String),
        db: &str,
        port: u16,
        extra: &[String],
    ) -> Session {
        let server = Kill(
            Command::new(env!("CARGO_BIN_EXE_ftop"))
                .args(["--database", db, "serve", "--addr"])
                .arg(format!("127.0.0.1:{port}"))
                .args(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_for(port);
        let browser = chromium::start(chromium, driver).await;
        Session {
            c: browser.c.clone(),
            base: format!("http://localhost:{port}"),
            _server: server,
            _browser: browser,
        }
    }

    async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn click(&self, css: &str) {
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e.click().await.unwrap(),
            Err(e) => self.fail(&format!("no {css} ({e})")).await,
        }
    }

    /// Fails the test with `what` and the page as it is.
    async fn fail(&self, what: &str) -> ! {
        let url = self.c.current_url().await.unwrap();
        let body = self.texts("body").await.join("");
        panic!("{what} at {url}; the page says:\n{body}");
    }

    /// Clicks the button of the page's main part that reads `text`.
    async fn button(&self, text: &str) {
        let xpath = format!("//main//button[normalize-space()='{text}']");
        match self.c.find(Locator::XPath(&xpath)).await {
            Ok(e) => e.click().await.unwrap(),
            Err(e) => self.fail(&format!("no button {text:?} ({e})")).await,
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn select(&self, css: &str, value: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{css} offers no {value:?}: {e}"));
    }

    /// Whether the element `css` is on the page.
    async fn has(&self, css: &str) -> bool {
        !self.c.find_all(Locator::Css(css)).await.unwrap().is_empty()
    }

    /// The visible text of each element `css`.
    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.c.find_all(Locator::Css(css)).await.unwrap() {
            out.push(e.text().await.unwrap());
        }
        out
    }

    /// Waits (at most 20 s) until the element `css` shows `want`, and returns its text;
    /// else fails with the page as it is.
    async fn wait_text(&self, css: &str, want: &str) -> String {
        let start = Instant::now();
        loop {
            let got = match self.c.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if got.contains(want) {
                return got;
            }
            if start.elapsed() > Duration::from_secs(20) {
                self.fail(&format!("waited for {want:?} in {css}")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Signs `name` in with the password form and sees their name in the header.
async fn sign_in(s: &Session, name: &str, password: &str) {
    s.goto("/signin").await;
    s.type_into("main.signin input[name=name]", name).await;
    s.type_into("main.signin input[name=password]", password)
        .await;
    s.click("main.signin button[type=submit]").await;
    let who = s.wait_text("header.top a[href='/account']", name).await;
    assert_eq!(who, name);
}

/// Signs out with the header's button, back on the sign-in form.
async fn sign_out(s: &Session) {
    s.click("header.top form[action='/signout'] button").await;
    s.wait_text("main.signin h1", "Sign in").await;
}

/// Adds a user at /admin/users and checks their page shows what was chosen.
async fn add_user(s: &Session, name: &str, role: &str, org: Option<&str>, partner_admin: bool) {
    s.goto("/admin/users").await;
    let form = "main form[method=post][action='/admin/users']";
    s.type_into(&format!("{form} input[name=name]"), name).await;
    s.select(&format!("{form} select[name=role]"), role).await;
    if let Some(org) = org {
        s.select(&format!("{form} select[name=partner]"), org).await;
    }
    if partner_admin {
        s.click(&format!("{form} input[name=partner_admin]")).await;
    }
    s.type_into(&format!("{form} input[name=password]"), PASSWORD)
        .await;
    s.button("Add a user").await;
    s.wait_text("main", "The user was added.").await;
    assert_eq!(s.texts("main h1").await, [name]);
    let chosen = |field: &str| format!("main select[name={field}] option:checked");
    let value = |css: String| async move {
        let e = s.c.find(Locator::Css(&css)).await.unwrap();
        e.attr("value").await.unwrap().unwrap_or_default()
    };
    assert_eq!(value(chosen("role")).await, role);
    assert_eq!(value(chosen("partner")).await, org.unwrap_or(""));
    let ticked = s.c.find(Locator::Css("main input[name=partner_admin]"));
    assert_eq!(
        ticked.await.unwrap().is_selected().await.unwrap(),
        partner_admin
    );
}

/// Assigns `user` the role `(key, label)` on `tenant` in its Assignments panel and sees the
/// row (with ✓ when primary).
async fn assign(s: &Session, tenant: &str, user: &str, (key, label): (&str, &str), primary: bool) {
    s.goto(&format!("/tenants/{tenant}?tab=assignments")).await;
    s.select("select[name=user]", user).await;
    s.select("select[name=role]", key).await;
    if primary {
        s.click("input[type=checkbox][name=primary]").await;
    }
    s.click("button[name=action][value=add]").await;
    s.wait_text("main", "Saved.").await;
    let rows = s.texts("table#assignments tbody tr").await;
    assert!(
        rows.iter()
            .any(|r| r.contains(label) && r.contains(user) && (!primary || r.contains('✓'))),
        "{user} as {label} on {tenant}: {rows:?}"
    );
}

/// Attaches the partner organisation on `tenant`'s Partners tab.
async fn attach_partner(s: &Session, tenant: &str) {
    s.goto(&format!("/tenants/{tenant}?tab=partners")).await;
    s.select("select[name=partner]", ORG).await;
    s.click("form[action$='/partners'] button[type=submit]")
        .await;
    s.wait_text("table#partners tbody", ORG).await;
}

/// Step 1: the administrator adds the partner organisation and the team.
async fn the_admin_sets_up_the_team(s: &Session) {
    sign_in(s, ADMIN.0, ADMIN.1).await;
    s.goto("/admin/partners").await;
    s.type_into("form[action='/admin/partners'] input[name=name]", ORG)
        .await;
    s.button("Add an organisation").await;
    s.wait_text("main", "The organisation was saved.").await;
    let named = s.c.find(Locator::Css(
        "form[action^='/admin/partners/'] input[name=name]",
    ));
    let named = named.await.unwrap().prop("value").await.unwrap();
    assert_eq!(named.as_deref(), Some(ORG));

    add_user(s, "maria", "manager", None, false).await;
    add_user(s, "eng1", "engineer", None, false).await;
    add_user(s, "eng2", "engineer", None, false).await;
    add_user(s, "lena", "partner", Some(ORG), true).await;
    s.goto("/admin/users").await;
    let rows = s.texts("main table tbody tr").await;
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("lena") && r.contains("Partner admin") && r.contains(ORG)),
        "{rows:?}"
    );
}

/// Step 2: the administrator makes Contoso with the form and ten tenants from a CSV file.
async fn the_admin_adds_tenants(s: &Session) {
    s.goto("/").await;
    s.c.find(Locator::LinkText("New tenant"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    s.wait_text("main h1", "New tenant").await;
    s.type_into("input[name=tenant_id]", CONTOSO).await;
    s.type_into("input[name=tenant_name]", "contoso.onmicrosoft.com")
        .await;
    s.type_into("input[name=customer]", "Contoso Ltd").await;
    s.type_into("input[name=seats_exchange]", "500").await;
    s.type_into("input[name=seats_teams]", "400").await;
    s.button("Create tenant").await;
    s.wait_text("main h1", "contoso.onmicrosoft.com").await;
    let facts = s.wait_text("main dl.facts", "Exchange").await;
    assert!(facts.contains("Teams"), "{facts}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tenants.csv");
    let mut csv = String::from("tenant_id,tenant_name,customer,service,entitlements\n");
    for n in IMPORTED {
        csv.push_str(&format!(
            "{},{n}.onmicrosoft.com,{n} Inc,exchange,300\n",
            id_of(n)
        ));
    }
    std::fs::write(&file, csv).unwrap();
    s.goto("/tenants/import").await;
    let input = s.c.find(Locator::Css("input[type=file][name=file]"));
    input
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    s.button("Import").await;
    let report = s.wait_text("main p.flash.ok", "tenants created").await;
    assert!(
        report.contains("10 rows: 10 tenants created, 0 updated"),
        "{report}"
    );
    s.goto("/?view=all").await;
    let rows = s.texts("table#tenants tbody tr").await;
    assert_eq!(rows.len(), 11, "{rows:?}");
    sign_out(s).await;
}

/// Step 3: the manager staffs Contoso (eng1 primary FE), attaches Fabrikam to Contoso and
/// Northwind, and gives eng1 two imported tenants as well.
async fn the_manager_staffs_the_tenants(s: &Session) {
    sign_in(s, "maria", PASSWORD).await;
    s.goto(&format!("/tenants/{CONTOSO}")).await;
    s.wait_text("main h1", "contoso.onmicrosoft.com").await;
    s.click("nav.tabs a[href$='tab=assignments']").await;
    s.wait_text("main", "Nobody is assigned to this tenant yet.")
        .await;
    // Attaching a partner needs write access: the manager first takes the tenant on.
    assign(s, CONTOSO, "maria", FM, true).await;
    assign(s, CONTOSO, "eng1", FE, true).await;
    attach_partner(s, CONTOSO).await;
    let northwind = id_of("northwind");
    assign(s, &northwind, "maria", FM, true).await;
    attach_partner(s, &northwind).await;
    assign(s, &id_of("adatum"), "eng1", FE, false).await;
    assign(s, &id_of("litware"), "eng1", FE, false).await;
    sign_out(s).await;
}

/// Step 4: Fabrikam's partner admin adds pat and makes pat Contoso's partner engineer.
async fn the_partner_admin_staffs_their_person(s: &Session) {
    sign_in(s, "lena", PASSWORD).await;
    add_user(s, "pat", "partner", Some(ORG), false).await;
    assign(s, CONTOSO, "pat", PFE, false).await;
    // The partner admin assigns partner roles only.
    let roles = s.texts("select[name=role] option").await;
    assert!(roles.iter().all(|r| r.starts_with("Partner ")), "{roles:?}");
    sign_out(s).await;
}

/// Step 5: pat sees Fabrikam's two tenants only; Contoso is pat's to change, Northwind
/// read-only, and the others do not exist for pat.
async fn the_partner_sees_their_tenants(s: &Session) {
    sign_in(s, "pat", PASSWORD).await;
    s.goto("/").await;
    s.wait_text("table#tenants", "contoso.onmicrosoft.com")
        .await;
    let mut names = s.texts("table#tenants tbody tr td:first-child a").await;
    names.sort();
    assert_eq!(
        names,
        ["contoso.onmicrosoft.com", "northwind.onmicrosoft.com"]
    );

    s.goto(&format!("/tenants/{CONTOSO}?tab=playbook")).await;
    s.wait_text("main h1", "contoso.onmicrosoft.com").await;
    assert!(!s.texts("main").await[0].contains("Read-only"));
    let row = s.c.find(Locator::Css("table#tasks tr.task")).await.unwrap();
    let row_id = row.attr("id").await.unwrap().unwrap();
    let status = row.find(Locator::Css("select[name=status]")).await;
    status
        .unwrap()
        .select_by_value("in-progress")
        .await
        .unwrap();
    let save = row.find(Locator::Css("button[type=submit]")).await;
    save.unwrap().click().await.unwrap();
    s.wait_text("main p.flash.ok", ": saved.").await;
    let picked = format!("tr#{row_id} select[name=status] option:checked");
    let picked = s.c.find(Locator::Css(&picked)).await.unwrap();
    assert_eq!(
        picked.attr("value").await.unwrap().as_deref(),
        Some("in-progress")
    );

    s.goto(&format!("/tenants/{}?tab=playbook", id_of("northwind")))
        .await;
    s.wait_text(
        "main p.flash",
        "Read-only: you are not assigned to this tenant.",
    )
    .await;
    assert!(s.has("table#tasks tr.task span.status").await);
    assert!(!s.has("table#tasks select[name=status]").await);
    s.goto(&format!("/tenants/{}?tab=assignments", id_of("northwind")))
        .await;
    assert!(!s.has("select[name=user]").await);

    s.goto(&format!("/tenants/{}", id_of("adatum"))).await;
    let body = s.texts("body").await.join("");
    assert!(
        body.contains("Not found") && !body.contains("adatum.onmicrosoft.com"),
        "{body}"
    );
    // The error page has no header (no sign-out button): back to the grid first.
    s.goto("/").await;
    sign_out(s).await;
}

/// Step 6: the manager moves eng1's work to eng2 but for Litware, and the assignments show it.
async fn the_manager_reassigns(s: &Session, db: &str) {
    sign_in(s, "maria", PASSWORD).await;
    s.goto("/admin/reassign").await;
    s.select("select[name=from]", "eng1").await;
    s.select("select[name=to]", "eng2").await;
    s.button("Preview").await;
    let counts = "form[action='/admin/reassign'] p[role=status]";
    s.wait_text(counts, "3 selected, 0 deselected").await;
    let rows = s.texts("form[action='/admin/reassign'] tbody tr").await;
    for n in ["contoso", "adatum", "litware"] {
        assert!(
            rows.iter()
                .any(|r| r.contains(&format!("{n}.onmicrosoft.com"))),
            "{rows:?}"
        );
    }
    let keep = "//tr[.//a[normalize-space()='litware.onmicrosoft.com']]//input[@name='keep']";
    let keep = s.c.find(Locator::XPath(keep)).await.unwrap();
    assert!(keep.is_selected().await.unwrap());
    keep.click().await.unwrap();
    s.button("Recount").await;
    s.wait_text(counts, "2 selected, 1 deselected").await;
    s.wait_text("main div.flash.error", "There is no undo")
        .await;
    s.click("input[name=confirm]").await;
    s.button("Move 2 assignments").await;
    s.wait_text("main p.flash.ok", "2 assignments were moved.")
        .await;

    // In the browser: Contoso's primary FE is eng2 now.
    s.goto(&format!("/tenants/{CONTOSO}?tab=assignments")).await;
    let rows = s.texts("table#assignments tbody tr").await;
    assert!(
        rows.iter()
            .any(|r| r.contains(FE.1) && r.contains("eng2") && r.contains('✓')),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.contains("eng1")), "{rows:?}");
    sign_out(s).await;

    // In the store: Litware stayed with eng1, the others moved to eng2.
    let store = ftop_store::Store::open(db).await.unwrap();
    for (tenant, who) in [
        (CONTOSO.to_string(), "eng2"),
        (id_of("adatum"), "eng2"),
        (id_of("litware"), "eng1"),
    ] {
        let fe: Vec<String> = store
            .assignments(&tenant)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.role == AssignmentRole::FastTrackEngineer)
            .map(|a| a.user)
            .collect();
        assert_eq!(fe, [who], "the FastTrack engineers of {tenant}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_runs_its_first_day_in_the_portal() {
    let Some(browser) = chromium::browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("first-day.db").display());
    cli(&db, &["playbook", "load"], "");
    cli(
        &db,
        &[
            "user",
            "add",
            ADMIN.0,
            "--role",
            "admin",
            "--password-stdin",
        ],
        &format!("{}\n", ADMIN.1),
    );
    let s = Session::start(&browser, &db, free_port(), &[]).await;
    the_admin_sets_up_the_team(&s).await;
    the_admin_adds_tenants(&s).await;
    the_manager_staffs_the_tenants(&s).await;
    the_partner_admin_staffs_their_person(&s).await;
    the_partner_sees_their_tenants(&s).await;
    the_manager_reassigns(&s, &db).await;
}

/// The test OpenID provider's folder, or None (saying why) when it cannot run here.
fn provider_dir() -> Option<std::path::PathBuf> {
    let dir = common::repo().join("tests/oidc-provider");
    let node = Command::new("node").arg("--version").output().is_ok();
    let installed = dir.join("node_modules/oidc-provider/package.json").exists();
    if node && installed {
        return Some(dir);
    }
    let why = if node {
        "run `npm ci --prefix tests/oidc-provider`"
    } else {
        "Node.js is not installed"
    };
    let required = ["FTOP_REQUIRE_OIDC", "FTOP_REQUIRE_BROWSER"]
        .iter()
        .any(|v| std::env::var(v).as_deref() == Ok("1"));
    assert!(!required, "the OpenID provider cannot run here: {why}");
    eprintln!("SKIPPED (SSO browser test): the OpenID provider cannot run here: {why}");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_through_the_openid_provider_in_the_browser() {
    let Some(browser) = chromium::browser() else {
        return;
    };
    let Some(provider) = provider_dir() else {
        return;
    };
    let port = free_port();
    // The browser opens ftop at localhost: the provider sends people back there.
    let callback = format!("http://localhost:{port}/signin/sso/callback");
    let secret = "a client secret for the browser test";
    let config = serde_json::json!({
        "clients": [{"client_id": "ftop", "client_secret": secret, "redirect_uris": [callback]}],
        "accounts": [{"sub": "u-ann", "email": "ann@example.com", "email_verified": true,
                      "name": "Ann A", "groups": ["ftop-managers"]}],
    });
    let mut child = Command::new("node")
        .arg(provider.join("provider.mjs"))
        .env("OIDC_PORT", "0")
        .env("OIDC_CONFIG", config.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _provider = Kill(child);
    let issuer = line
        .trim()
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
        .to_string();

    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("sso.db").display());
    cli(
        &db,
        &[
            "user",
            "add",
            "ann@example.com",
            "--role",
            "manager",
            "--password-stdin",
        ],
        "winter orchard candle road\n",
    );
    let flags = [
        "--sso-issuer",
        &issuer,
        "--sso-client-id",
        "ftop",
        "--sso-client-secret",
        secret,
        "--sso-redirect-url",
        &callback,
        "--sso-roles",
        "ftop-managers=manager",
        "--sso-label",
        "Test IdP",
    ]
    .map(String::from);
    let s = Session::start(&browser, &db, port, &flags).await;

    s.goto("/").await;
    s.wait_text("main.signin", "Sign in with Test IdP").await;
    s.c.find(Locator::LinkText("Sign in with Test IdP"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The provider's own form.
    let login = s.c.wait().for_element(Locator::Css("input[name=login]"));
    let login = login.await.unwrap();
    let at = s.c.current_url().await.unwrap();
    assert!(
        issuer.starts_with(&at.origin().ascii_serialization()),
        "{at}"
    );
    login.send_keys("ann@example.com").await.unwrap();
    s.click("form[action$='/login'] button[type=submit]").await;
    // Back in ftop, signed in.
    let who = s
        .wait_text("header.top a[href='/account']", "ann@example.com")
        .await;
    assert_eq!(who, "ann@example.com");
    let url = s.c.current_url().await.unwrap();
    assert_eq!(url.host_str(), Some("localhost"), "{url}");
    assert!(
        s.wait_text("header.top div.who", "FastTrack Manager")
            .await
            .contains("ann@example.com")
    );
    assert_eq!(url.path(), "/");
    assert_eq!(s.texts("main h1").await, ["Tenants"]);
}
