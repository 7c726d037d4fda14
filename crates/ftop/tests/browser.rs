//! End-to-end in a real headless Chromium (Debian's chromium and chromium-driver): sign in,
//! filter the home grid, open a tenant, mark a task Complete, add a time entry, write and
//! save a status note and find it in the history, set a service's status rows with the
//! reasons following the status and Suggest, keep a refused form as typed, switch the UI
//! language, and show that a note carrying a script payload executes nothing.
//!
//! Without a browser the test says why and passes, unless FTOP_REQUIRE_BROWSER=1 (CI).
//! FTOP_SCREENSHOTS=DIR saves screenshots of the tenant page, its Usage, Services and
//! History tabs and the adoption dashboard there (the README's pictures).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/axe.rs"]
mod axe;
#[path = "common/chromium.rs"]
mod chromium;
mod common;
use common::{Kill, free_port, wait_for};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::{Actor, NewTenant, Store};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CONTOSO: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const FABRIKAM: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const ORG: &str = "Fabrikam Partners";
/// The password of the people of [`PEOPLE`].
const PASSWORD: &str = "quiet harbour lantern seven";
/// Everyone but maria: an administrator, an engineer, a partner (of Fabrikam's partner
/// company) and a guest.
const PEOPLE: [(&str, UserRole, Option<&str>); 4] = [
    ("ada", UserRole::Admin, None),
    ("eli", UserRole::Engineer, None),
    ("pia", UserRole::Partner, Some(ORG)),
    ("gus", UserRole::Guest, None),
];

/// The portfolio the test runs on: a manager, maria, assigned to three tenants, and three
/// months of Exchange usage for Contoso (500 seats): 5%, 12%, 44%.
async fn seed(url: &str) {
    {
        let store = Store::open(url).await.unwrap();
        let a = Actor::system("e2e");
        let pages = std::fs::read_dir(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook/en"),
        )
        .unwrap();
        let mut sources: Vec<_> = pages
            .map(|e| e.unwrap().path())
            .map(|f| ftop_store::PlaybookSource {
                root: String::new(),
                path: format!("en/{}", f.file_name().unwrap().to_string_lossy()),
                text: std::fs::read_to_string(&f).unwrap(),
            })
            .collect();
        sources.sort_by(|x, y| x.path.cmp(&y.path));
        store.load_playbook(&a, &sources).await.unwrap();
        store
            .add_user(&a, "maria", UserRole::Manager, "rose garden window", None)
            .await
            .unwrap();
        // One person of every other role, for the accessibility walk.
        for (name, role, org) in PEOPLE {
            store.add_user(&a, name, role, PASSWORD, org).await.unwrap();
        }
        for (i, (id, name)) in [
            (CONTOSO, "contoso"),
            (FABRIKAM, "fabrikam"),
            ("1b4e28ba-2fa1-11d2-883f-0016d3cca427", "northwind"),
        ]
        .into_iter()
        .enumerate()
        {
            let t = NewTenant {
                tenant_id: id.into(),
                name: format!("{name}.onmicrosoft.com"),
                customer: format!("Customer {i}"),
                services: vec![("exchange".into(), 500, None), ("teams".into(), 400, None)],
            };
            store.add_tenant(&a, &t).await.unwrap();
            store
                .assign(&a, id, "maria", AssignmentRole::FastTrackManager, "", false)
                .await
                .unwrap();
        }
        store
            .assign(
                &a,
                CONTOSO,
                "eli",
                AssignmentRole::FastTrackEngineer,
                "",
                false,
            )
            .await
            .unwrap();
        store
            .add_tenant_partner(&a, FABRIKAM, ORG, false)
            .await
            .unwrap();
        store
            .assign(
                &a,
                FABRIKAM,
                "pia",
                AssignmentRole::PartnerEngineer,
                "",
                false,
            )
            .await
            .unwrap();
        // Three months of Exchange usage for Contoso (500 seats): 5%, 12%, 44%.
        let mut imp = store.usage_import(&a, false).await.unwrap();
        for (line, (date, users)) in [
            ("2026-08-31", "25"),
            ("2026-09-30", "60"),
            ("2026-10-31", "220"),
        ]
        .into_iter()
        .enumerate()
        {
            imp.push(
                line as u64 + 2,
                [
                    CONTOSO.as_bytes(),
                    b"exchange",
                    date.as_bytes(),
                    users.as_bytes(),
                ],
            )
            .await
            .unwrap();
        }
        imp.finish().await.unwrap();
    }
}

/// A running ftop on a seeded database, a chromedriver and a headless Chromium driven
/// through it; everything stops when the session is dropped.
struct Session {
    c: Client,
    base: String,
    _server: Kill,
    _browser: chromium::Browser,
    _db: tempfile::TempDir,
}

impl Session {
    async fn start(chromium: &str, driver: &str) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("e2e.db").display());
        seed(&url).await;
        let port = free_port();
        let server = Kill(
            Command::new(env!("CARGO_BIN_EXE_ftop"))
                .args([
                    "--database",
                    &url,
                    "serve",
                    "--addr",
                    &format!("127.0.0.1:{port}"),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_for(port);
        let browser = chromium::start(chromium, driver).await;
        let base = format!("http://localhost:{port}");
        Session {
            c: browser.c.clone(),
            base,
            _server: server,
            _browser: browser,
            _db: dir,
        }
    }

    /// Opens `path` of the portal.
    async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// Waits for the element `css` to appear.
    async fn wait(&self, css: &str) -> Element {
        self.c.wait().for_element(Locator::Css(css)).await.unwrap()
    }

    async fn click(&self, css: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    /// The visible text of the element `css`; read again when the page replaced the
    /// element meanwhile (htmx swaps pages in place), for at most 10 s.
    async fn text(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            let read = match self.c.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match read {
                Ok(t) => return t,
                Err(e) => {
                    assert!(
                        start.elapsed() < Duration::from_secs(10),
                        "cannot read {css}: {e}"
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

/// A property of the element `css` (`value`, `hidden`, `disabled`), as the page has it now.
async fn prop(s: &Session, css: &str, name: &str) -> String {
    s.wait(css)
        .await
        .prop(name)
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Waits (at most 20 s) until the element `css` shows `want`.
async fn wait_text(s: &Session, css: &str, want: &str) {
    let start = Instant::now();
    loop {
        let got = match s.c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if got.contains(want) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "waited for {want:?} in {css}; it shows {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The Services tab's status rows: a row's reasons follow its status, the placed total
/// follows the counts as they are typed, Suggest fills the status and reason from the
/// note, and a refused save shows the form again with the note as typed.
async fn status_rows_with_suggest(s: &Session) {
    s.goto(&format!("/tenants/{CONTOSO}?tab=services")).await;
    let form = "section#service-exchange form.status-rows";
    s.wait(form).await;
    let l2 = format!("{form} select[name=l2_0]");
    // The row starts as Status Unknown: only its reasons are offered.
    assert_eq!(
        prop(s, &format!("{l2} optgroup[data-l1='blocked']"), "hidden").await,
        "true"
    );
    assert_eq!(
        prop(
            s,
            &format!("{l2} optgroup[data-l1='status-unknown']"),
            "hidden"
        )
        .await,
        "false"
    );
    s.c.find(Locator::Css(&format!("{form} select[name=l1_0]")))
        .await
        .unwrap()
        .select_by_value("blocked")
        .await
        .unwrap();
    assert_eq!(
        prop(s, &format!("{l2} optgroup[data-l1='blocked']"), "hidden").await,
        "false"
    );
    assert_eq!(
        prop(
            s,
            &format!("{l2} optgroup[data-l1='status-unknown']"),
            "hidden"
        )
        .await,
        "true"
    );
    assert_eq!(
        prop(s, &l2, "value").await,
        "",
        "a reason of another status is dropped"
    );
    // No reason yet, so no engineering reason to pick.
    assert_eq!(
        prop(s, &format!("{form} select[name=l3_0]"), "disabled").await,
        "true"
    );

    // The placed total follows the counts.
    let count = s.wait(&format!("{form} input[name=count_0]")).await;
    count.clear().await.unwrap();
    count.send_keys("100").await.unwrap();
    wait_text(s, &format!("{form} output.rows-total"), "100 of 500").await;
    assert!(
        prop(s, &format!("{form} output.rows-total"), "className")
            .await
            .contains("off")
    );

    // Suggest from the note.
    let note = "Outages all week and the service is unstable; they wait until it runs reliably";
    s.type_into(&format!("{form} textarea[name=note_0]"), note)
        .await;
    s.click(&format!("{form} button[name=suggest][value='0']"))
        .await;
    wait_text(s, "section#service-exchange p.flash", "Suggested for row 1").await;
    assert_eq!(
        prop(s, &format!("{form} select[name=l1_0]"), "value").await,
        "blocked"
    );
    assert_eq!(prop(s, &l2, "value").await, "service-reliability");
    assert_eq!(
        prop(s, &format!("{form} input[name=count_0]"), "value").await,
        "100"
    );
    assert_eq!(
        prop(s, &format!("{form} textarea[name=note_0]"), "value").await,
        note
    );
    // Its engineering reasons are now offered.
    assert_eq!(
        prop(s, &format!("{form} select[name=l3_0]"), "disabled").await,
        "false"
    );
    if let Ok(dir) = std::env::var("FTOP_SCREENSHOTS") {
        let png = s.c.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join("services-tab.png"), png).unwrap();
    }

    // 100 of 500 does not add up: refused, and the form keeps the note and the choices.
    s.click(&format!("{form} p > button[type=submit]:not([name])"))
        .await;
    wait_text(s, "section#service-exchange p.flash.error", "Status rows").await;
    assert_eq!(
        prop(s, &format!("{form} textarea[name=note_0]"), "value").await,
        note
    );
    assert_eq!(prop(s, &l2, "value").await, "service-reliability");
    // All 500 placed: saved.
    let count = s.wait(&format!("{form} input[name=count_0]")).await;
    count.clear().await.unwrap();
    count.send_keys("500").await.unwrap();
    s.click(&format!("{form} p > button[type=submit]:not([name])"))
        .await;
    wait_text(s, "p.flash.ok", "Saved").await;
}

/// Signs maria in (the home page sends her to the form first) and sees her three tenants.
async fn sign_in(s: &Session) {
    let c = &s.c;
    s.goto("/").await;
    assert!(c.current_url().await.unwrap().path().starts_with("/signin"));
    s.type_into("input[name=name]", "maria").await;
    s.type_into("input[name=password]", "rose garden window")
        .await;
    s.click("main.signin button[type=submit]").await;
    s.wait("table#tenants").await;
    let rows = c
        .find_all(Locator::Css("table#tenants tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
}

/// Filters the grid down to Contoso.
async fn filter_the_grid(s: &Session) {
    let c = &s.c;
    let search = c.find(Locator::Css("input[name=q]")).await.unwrap();
    search.send_keys("contoso").await.unwrap();
    s.click("form.filters button[type=submit]").await;
    let start = Instant::now();
    while !c
        .current_url()
        .await
        .unwrap()
        .query()
        .is_some_and(|q| q.contains("q=contoso"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the filter never applied"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rows = c
        .find_all(Locator::Css("table#tenants tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
}

/// Waits (at most 20 s) until the address's query holds `needle`.
async fn wait_query(s: &Session, needle: &str) {
    let start = Instant::now();
    while !s
        .c
        .current_url()
        .await
        .unwrap()
        .query()
        .is_some_and(|q| q.contains(needle))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the address never held {needle}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses `value` in the select `css`.
async fn choose(s: &Session, css: &str, value: &str) {
    s.c.find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

/// The grid's displays, a column filter and a priority set by hand and reset, through
/// the filter form and the row's own form.
async fn the_grid_displays_filters_and_priorities(s: &Session) {
    s.goto("/?view=all&sort=name").await;
    s.wait("table#tenants[data-display='scorecard']").await;
    // Scorecard Adoption: Contoso's Exchange AU, 44%.
    let contoso = format!("tr#tenant-{CONTOSO}");
    assert!(
        s.text(&contoso).await.contains("44%"),
        "{}",
        s.text(&contoso).await
    );
    for display in ["overview", "assignments"] {
        choose(s, "form.filters select[name=display]", display).await;
        s.click("form.filters button[type=submit]").await;
        s.wait(&format!("table#tenants[data-display='{display}']"))
            .await;
    }
    // Assignments: maria manages every tenant.
    assert!(s.text(&contoso).await.contains("maria"));
    // A column filter (folded away until opened): Exchange AU at least 40% is Contoso alone.
    s.click("form.filters details.column-filters summary").await;
    choose(s, "form.filters select[name=c1]", "au-exchange").await;
    choose(s, "form.filters select[name=o1]", "ge").await;
    s.type_into("form.filters input[name=v1]", "40").await;
    s.click("form.filters button[type=submit]").await;
    wait_query(s, "c1=au-exchange").await;
    let rows =
        s.c.find_all(Locator::Css("table#tenants tbody tr"))
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    // Priority by hand in the row, then back to the default.
    choose(s, &format!("{contoso} form.priority-set select"), "high").await;
    s.click(&format!("{contoso} form.priority-set button"))
        .await;
    wait_text(s, "p.flash.ok", "Priority saved").await;
    wait_text(s, &format!("{contoso} span.priority"), "High (overridden)").await;
    // The filters were kept: still one row.
    assert_eq!(
        s.c.find_all(Locator::Css("table#tenants tbody tr"))
            .await
            .unwrap()
            .len(),
        1
    );
    choose(s, &format!("{contoso} form.priority-set select"), "default").await;
    s.click(&format!("{contoso} form.priority-set button"))
        .await;
    wait_text(s, &format!("{contoso} span.priority"), "Medium").await;
    assert!(
        !s.text(&format!("{contoso} span.priority"))
            .await
            .contains("overridden")
    );
}

/// A contact added, edited, and deleted only once its deletion is confirmed; a service's
/// engagement scenario changed; then the History tab holds an entry of every kind of
/// change this run made, each found through the tab's kind filter.
async fn contacts_delivery_and_history(s: &Session) {
    let c = &s.c;
    s.goto(&format!("/tenants/{CONTOSO}?tab=contacts")).await;
    let add = "main form[action$='/contacts']";
    s.type_into(&format!("{add} input[name=name]"), "Ida Lind")
        .await;
    s.type_into(&format!("{add} input[name=email]"), "ida@contoso.example")
        .await;
    s.click(&format!("{add} button[type=submit]")).await;
    wait_text(s, "table#contacts", "Ida Lind").await;
    // Edit: the title.
    s.click("table#contacts a[href$='/edit']").await;
    s.wait("main form input[name=title]").await;
    s.type_into("main form input[name=title]", "CIO").await;
    s.click("main form button[type=submit]").await;
    wait_text(s, "table#contacts", "CIO").await;
    // Delete: refused by the browser until the confirmation is ticked.
    s.click("table#contacts form button[type=submit]").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(s.text("table#contacts").await.contains("Ida Lind"));
    s.click("table#contacts form input[name=confirm]").await;
    s.click("table#contacts form button[type=submit]").await;
    let start = Instant::now();
    while c
        .find(Locator::Css("table#contacts"))
        .await
        .map(|_| ())
        .is_ok()
        && s.text("table#contacts").await.contains("Ida Lind")
    {
        assert!(start.elapsed() < Duration::from_secs(20), "never deleted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A service's engagement scenario (maria manages).
    s.goto(&format!("/tenants/{CONTOSO}?tab=services")).await;
    let delivery = "form.delivery[action*='/services/exchange/delivery']";
    choose(s, &format!("{delivery} select[name=scenario]"), "css-led").await;
    s.click(&format!("{delivery} button[type=submit]")).await;
    wait_text(s, "p.flash.ok", "Saved").await;
    // Every kind this run changed is in the History, found by its filter.
    for kind in [
        "task",
        "time",
        "note",
        "entitlement-status",
        "tenant",
        "contact",
        "delivery",
    ] {
        s.goto(&format!("/tenants/{CONTOSO}?tab=history&kind={kind}"))
            .await;
        let rows = c
            .find_all(Locator::Css("table#history tbody tr"))
            .await
            .unwrap();
        assert!(!rows.is_empty(), "no {kind} in the History");
        let text = s.text("table#history").await;
        assert!(!text.contains("{\""), "raw JSON in {kind}: {text}");
    }
    // The contact's three changes: added, edited, deleted.
    s.goto(&format!("/tenants/{CONTOSO}?tab=history&kind=contact"))
        .await;
    let rows = c
        .find_all(Locator::Css("table#history tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "{}", s.text("table#history").await);
}

/// The rows of the report table now shown.
async fn report_rows(s: &Session) -> usize {
    s.c.find_all(Locator::Css("table#report-rows tbody tr"))
        .await
        .unwrap()
        .len()
}

/// A report tab: its chart and table, a filter that narrows it, a number that opens the
/// rows behind it, and its CSV holding the table's rows (fetched by the page itself).
async fn the_milestone_report(s: &Session) {
    s.goto("/reports").await;
    s.click("main a[href^='/reports/milestones']").await;
    s.wait("section#report-buckets svg").await;
    s.wait("table#report-rows").await;
    // Contoso's Exchange (44%) is the one service with usage.
    assert_eq!(report_rows(s).await, 1);
    assert!(s.text("table#report-rows").await.contains("contoso"));
    // A filter on another service narrows it to nothing...
    choose(s, "form.filters select[name=service]", "teams").await;
    s.click("form.filters button[type=submit]").await;
    wait_query(s, "service=teams").await;
    s.wait("p#report-rows.empty").await;
    // ...and back on Exchange, the number of its services at 40% or more opens them.
    choose(s, "form.filters select[name=service]", "exchange").await;
    s.click("form.filters button[type=submit]").await;
    wait_query(s, "service=exchange").await;
    s.wait("table#report-rows").await;
    let link = "section#report-buckets tbody tr:first-child td:nth-child(4) a";
    assert_eq!(s.text(link).await.trim(), "1", "services at 40% or more");
    s.click(link).await;
    wait_query(s, "bucket=").await;
    s.wait("table#report-rows").await;
    assert_eq!(report_rows(s).await, 1);
    // The CSV holds the table's rows: a header and one line naming the same tenant.
    let csv =
        s.c.execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('a[download]').href).then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap().to_string();
    let lines: Vec<&str> = csv.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].contains(CONTOSO) || lines[1].contains("contoso"),
        "{csv}"
    );
}

/// Opens Contoso and marks a task Complete on the Playbook tab.
async fn complete_a_task(s: &Session) {
    let c = &s.c;
    c.find(Locator::LinkText("contoso.onmicrosoft.com"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    s.wait("nav.tabs").await;
    s.click("nav.tabs a[href$='tab=playbook']").await;
    let row = c
        .wait()
        .for_element(Locator::Css("table#tasks tr.task"))
        .await
        .unwrap();
    let row_id = row.attr("id").await.unwrap().unwrap();
    row.find(Locator::Css("select[name=status]"))
        .await
        .unwrap()
        .select_by_value("complete")
        .await
        .unwrap();
    row.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    s.wait("p.flash.ok").await;
    let selected = c
        .find(Locator::Css(&format!(
            "tr#{row_id} select[name=status] option[selected]"
        )))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap();
    assert_eq!(selected.as_deref(), Some("complete"));
}

/// Enters time on the Time tab.
async fn enter_time(s: &Session) {
    let c = &s.c;
    s.goto(&format!("/tenants/{CONTOSO}?tab=time")).await;
    let minutes = c.find(Locator::Css("input[name=minutes]")).await.unwrap();
    minutes.clear().await.unwrap();
    minutes.send_keys("45").await.unwrap();
    s.type_into("input[name=note]", "workshop prep").await;
    s.click("form.filters button[type=submit]").await;
    s.wait("p.flash.ok").await;
    let time_table = c
        .find(Locator::Css("table#time tbody"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        time_table.contains("45") && time_table.contains("workshop prep"),
        "{time_table}"
    );
}

/// The Time tab's stopwatch: started, it runs across a reload; stopped after five minutes,
/// it fills in 5.
async fn the_stopwatch(s: &Session) {
    s.goto(&format!("/tenants/{CONTOSO}?tab=time")).await;
    assert_eq!(
        prop(s, "span.timer", "hidden").await,
        "false",
        "the script shows it"
    );
    s.click("button.timer-start").await;
    wait_text(s, "output.timer-shown", "Timer running: 0:00:0").await;
    // Started five minutes ago (as if the tab had stayed open), then the page reloaded.
    s.c.execute(
        &format!(
            "localStorage.setItem('ftop-timer-{CONTOSO}', String(Date.now() - 5 * 60000 - 2000)); return true;"
        ),
        vec![],
    )
    .await
    .unwrap();
    s.goto(&format!("/tenants/{CONTOSO}?tab=time")).await;
    wait_text(s, "output.timer-shown", "Timer running: 0:05:0").await;
    s.click("button.timer-stop").await;
    assert_eq!(prop(s, "input[name=minutes]", "value").await, "5");
    assert_eq!(prop(s, "button.timer-start", "hidden").await, "false");
    assert_eq!(prop(s, "output.timer-shown", "textContent").await, "");
}

/// Saves a status note and finds it in the notes and in the history.
async fn save_a_note(s: &Session) {
    let c = &s.c;
    s.goto(&format!("/tenants/{CONTOSO}?tab=status")).await;
    s.type_into(
        "textarea[name=body]",
        "Customer agreed the **deployment plan**.",
    )
    .await;
    s.click("button[name=save][value='1']").await;
    s.wait("article.note").await;
    let note = c
        .find(Locator::Css("article.note .body strong"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(note, "deployment plan");
    s.goto(&format!("/tenants/{CONTOSO}?tab=history")).await;
    let history = c
        .find(Locator::Css("table#history"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        // A sentence and labelled values, no raw JSON.
        history.match_indices("Note ").any(|(i, _)| {
            let rest = &history[i + "Note ".len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with(" added")
        }) && history.contains("Text: “Customer agreed the **deployment plan**.”")
            && !history.contains("{\""),
        "{history}"
    );
}

/// A note carrying script runs nothing; the only script is htmx, served by ftop itself.
async fn a_script_runs_nothing(s: &Session) {
    let c = &s.c;
    s.goto(&format!("/tenants/{CONTOSO}?tab=status")).await;
    let payload = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"> [x](javascript:document.title='pwned')";
    s.type_into("textarea[name=body]", payload).await;
    s.click("button[name=save][value='1']").await;
    s.wait("p.flash.ok").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let title = c.title().await.unwrap();
    assert!(!title.contains("pwned"), "{title}");
    let html = c
        .find(Locator::Css("article.note"))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert!(
        !html.contains("onerror") && !html.contains("<script"),
        "{html}"
    );
    // The only scripts are htmx and ftop's own, loaded from the server itself; nothing
    // inline, nothing else.
    let others = c
        .execute(
            "return Array.from(document.scripts).filter(s => !s.src.endsWith('/assets/htmx.min.js') && !s.src.endsWith('/assets/ftop.js')).map(s => s.outerHTML)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(others, serde_json::json!([]));
}

/// Switches the UI language to Chinese, Spanish and back to English.
async fn switch_the_language(s: &Session) {
    let c = &s.c;
    s.click("a[hreflang=zh]").await;
    s.wait("html[lang=zh]").await;
    let tabs = c
        .find(Locator::Css("nav.tabs"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tabs.contains("操作手册"), "{tabs}");
    s.click("a[hreflang=es]").await;
    s.wait("html[lang=es]").await;
    assert!(s.text("nav.tabs").await.contains("Guía"));
    s.click("a[hreflang=en]").await;
}

/// The adoption dashboard draws its bucket charts; a number leads to its rows.
async fn the_adoption_dashboard(s: &Session) {
    let c = &s.c;
    s.goto("/adoption").await;
    let chart = c
        .wait()
        .for_element(Locator::Css("#adoption-totals svg.stacked"))
        .await
        .unwrap();
    assert!(chart.is_displayed().await.unwrap());
    let title = c
        .find(Locator::Css("#adoption-totals svg.stacked > title"))
        .await
        .unwrap()
        .html(true)
        .await
        .unwrap();
    assert!(title.contains("Active Usage"), "{title}");
    c.find(Locator::Css(
        "#adoption-by-service a[href*='bucket=40-plus']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let row = c
        .wait()
        .for_element(Locator::Css("table#adoption-rows tbody tr"))
        .await
        .unwrap();
    assert!(
        row.text()
            .await
            .unwrap()
            .contains("contoso.onmicrosoft.com")
    );
}

/// The tenant's Usage tab: the Exchange trend with the 10% and 40% lines.
async fn the_usage_tab(s: &Session) {
    let c = &s.c;
    s.goto(&format!("/tenants/{CONTOSO}?tab=usage")).await;
    let trend = c
        .wait()
        .for_element(Locator::Css("#usage-exchange svg.trend"))
        .await
        .unwrap();
    assert!(trend.is_displayed().await.unwrap());
    let lines = c
        .find_all(Locator::Css("#usage-exchange svg.trend line.threshold"))
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
    let points = c
        .find_all(Locator::Css("#usage-exchange svg.trend circle"))
        .await
        .unwrap();
    assert_eq!(points.len(), 3);
    let text = c
        .find(Locator::Css("#usage-exchange"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("44.00%"), "{text}");
}

/// With FTOP_SCREENSHOTS=DIR, saves the README's pictures there.
async fn screenshots(s: &Session) {
    let c = &s.c;
    if let Ok(dir) = std::env::var("FTOP_SCREENSHOTS") {
        for (file, path) in [
            (
                "tenant-page.png",
                format!("/tenants/{CONTOSO}?tab=playbook"),
            ),
            ("usage-tab.png", format!("/tenants/{CONTOSO}?tab=usage")),
            (
                "tenant-grid.png",
                "/?view=all&display=scorecard&sort=name".to_string(),
            ),
            ("history-tab.png", format!("/tenants/{CONTOSO}?tab=history")),
            ("adoption.png", "/adoption".to_string()),
        ] {
            s.goto(&path).await;
            let png = c.screenshot().await.unwrap();
            std::fs::write(std::path::Path::new(&dir).join(file), png).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_runs_an_engagement_in_the_browser() {
    let Some((chromium, driver)) = chromium::browser() else {
        return;
    };
    let s = Session::start(&chromium, &driver).await;
    sign_in(&s).await;
    filter_the_grid(&s).await;
    the_grid_displays_filters_and_priorities(&s).await;
    complete_a_task(&s).await;
    enter_time(&s).await;
    the_stopwatch(&s).await;
    save_a_note(&s).await;
    status_rows_with_suggest(&s).await;
    contacts_delivery_and_history(&s).await;
    the_milestone_report(&s).await;
    a_script_runs_nothing(&s).await;
    switch_the_language(&s).await;
    the_adoption_dashboard(&s).await;
    the_usage_tab(&s).await;
    screenshots(&s).await;
    s.c.clone().close().await.unwrap();
}

/// The pages `who` opens in the accessibility walk: every page of the portal their role
/// reaches, with the tenant page's every tab and a task's page, on `tenant`.
fn pages_of(role: Option<UserRole>, tenant: &str, task: &str) -> Vec<String> {
    let Some(role) = role else {
        return vec!["/signin".into(), "/no/such/page".into()];
    };
    let mut pages: Vec<String> = [
        "/",
        "/?view=all&display=overview&group=customer",
        "/?view=all&display=assignments&c1=days&o1=contains&v1=x",
        "/customers/1",
        "/reports",
        "/reports/milestones",
        "/reports/stale-status-notes",
        "/reports/compliance",
        "/reports/forecast?milestone=10",
        "/reports/new-subscriptions",
        "/reports/data-health",
        "/reports/conversion",
        "/reports/performance",
        "/reports/service-usage",
        "/reports/usage-trend",
        "/portfolio",
        "/adoption",
        "/notes",
        "/playbook",
        "/account",
        "/account/sessions",
        "/no/such/page",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for tab in [
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
    ] {
        pages.push(format!("/tenants/{tenant}?tab={tab}"));
    }
    pages.push(task.to_string());
    if role != UserRole::Guest {
        pages.push(format!("/notes/new?tenant={tenant}"));
    }
    if role == UserRole::Admin {
        for p in [
            "/admin/users",
            "/admin/users/maria",
            "/admin/partners",
            "/admin/reassign",
            "/tenants/new",
            "/tenants/import",
        ] {
            pages.push(p.to_string());
        }
        pages.push(format!("/tenants/{tenant}/edit"));
    }
    pages
}

/// Signs `name` in with the form.
async fn sign_in_as(s: &Session, name: &str, password: &str) {
    s.goto("/signin").await;
    s.type_into("main.signin input[name=name]", name).await;
    s.type_into("main.signin input[name=password]", password)
        .await;
    s.click("main.signin button[type=submit]").await;
    wait_text(s, "header.top a[href='/account']", name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_for_every_role_in_every_language() {
    let Some((chromium, driver)) = chromium::browser() else {
        return;
    };
    let Some(axe) = axe::Axe::load() else {
        return;
    };
    let s = Session::start(&chromium, &driver).await;
    let mut problems = Vec::new();
    let mut checked = 0;
    // (name and password, role) of everyone, the anonymous visitor first.
    type Who<'a> = (Option<(&'a str, &'a str)>, Option<UserRole>);
    let people: Vec<Who> = [(None, None)]
        .into_iter()
        .chain([(
            Some(("maria", "rose garden window")),
            Some(UserRole::Manager),
        )])
        .chain(
            PEOPLE
                .iter()
                .map(|(n, r, _)| (Some((*n, PASSWORD)), Some(*r))),
        )
        .collect();
    for (who, role) in people {
        if let Some((name, password)) = who {
            sign_in_as(&s, name, password).await;
        }
        // The partner sees only their organisation's tenant.
        let tenant = if role == Some(UserRole::Partner) {
            FABRIKAM
        } else {
            CONTOSO
        };
        let task = if role.is_some() {
            s.goto(&format!("/tenants/{tenant}?tab=playbook")).await;
            let link = s.wait("main a[href*='/tasks/']").await;
            link.attr("href").await.unwrap().unwrap()
        } else {
            String::new()
        };
        for lang in ["en", "es", "zh"] {
            s.goto(&format!("/lang/{lang}")).await;
            for page in pages_of(role, tenant, &task) {
                s.goto(&page).await;
                checked += 1;
                for v in axe.violations(&s.c).await {
                    problems.push(format!(
                        "{} {lang} {page}: {v}",
                        who.map_or("anonymous", |w| w.0)
                    ));
                }
            }
        }
        if who.is_some() {
            s.goto("/lang/en").await;
            s.click("header.top form[action='/signout'] button").await;
            s.wait("main.signin").await;
        }
    }
    assert!(checked > 200, "pages checked: {checked}");
    // The check can fail: an image without a text alternative and a field without a label
    // added to a page are found.
    s.goto("/signin").await;
    s.c.execute(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/assets/none.png\"><input type=\"text\">'); return true;",
        vec![],
    )
    .await
    .unwrap();
    let found = axe.violations(&s.c).await;
    for rule in ["image-alt", "label"] {
        assert!(
            found.iter().any(|v| v.starts_with(rule)),
            "axe-core finds {rule}: {found:?}"
        );
    }
    assert!(
        problems.is_empty(),
        "{} serious or critical accessibility violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
    s.c.clone().close().await.unwrap();
}

/// The usage tabs (issue 17): the usage trend's charts and month table, a service filter
/// narrowing it, a month's "at 40%" opening the service usage behind it, each tab's CSV
/// (fetched by the page) holding its table's rows, and the performance overview's
/// scenario count opening its services.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_usage_report_tabs_in_the_browser() {
    let Some((chromium, driver)) = chromium::browser() else {
        return;
    };
    let s = Session::start(&chromium, &driver).await;
    sign_in(&s).await;
    let rows_of = |css: &'static str| {
        let c = s.c.clone();
        async move { c.find_all(Locator::Css(css)).await.unwrap().len() }
    };
    // The CSV the page's download link names, fetched by the page.
    let csv_of = || {
        let c = s.c.clone();
        async move {
            let v = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     fetch(document.querySelector('a[download]').href).then(r => r.text()).then(done);",
                    vec![],
                )
                .await
                .unwrap();
            v.as_str()
                .unwrap()
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<String>>()
        }
    };
    s.goto("/reports").await;
    s.click("main a[href^='/reports/usage-trend']").await;
    s.wait("section#report-usage-charts svg.trend").await;
    s.wait("table#report-months").await;
    // Contoso's Exchange, August to October (5%, 12%, 44%).
    assert_eq!(rows_of("table#report-months tbody tr").await, 3);
    let months = s.text("table#report-months tbody").await;
    for m in ["2026-08", "2026-09", "2026-10"] {
        assert!(months.contains(m), "{months}");
    }
    // The CSV holds the table's months.
    let csv = csv_of().await;
    assert_eq!(csv.len(), 4, "{csv:?}");
    assert!(csv[1].starts_with("2026-08,1,1,25,500,5.00"), "{csv:?}");
    assert!(csv[3].starts_with("2026-10,1,1,220,500,44.00"), "{csv:?}");
    // Teams has no usage: the filter leaves nothing.
    choose(&s, "form.filters select[name=service]", "teams").await;
    s.click("form.filters button[type=submit]").await;
    wait_query(&s, "service=teams").await;
    s.wait("p#report-months.empty").await;
    choose(&s, "form.filters select[name=service]", "exchange").await;
    s.click("form.filters button[type=submit]").await;
    wait_query(&s, "service=exchange").await;
    s.wait("table#report-months").await;
    // October's "at 40% or more" opens the service usage of October: Contoso.
    let link = "table#report-months tbody tr:nth-child(3) td:nth-child(9) a";
    assert_eq!(s.text(link).await.trim(), "1");
    s.click(link).await;
    wait_query(&s, "month=2026-10").await;
    s.wait("table#report-rows").await;
    assert_eq!(rows_of("table#report-rows tbody tr").await, 1);
    assert!(s.text("table#report-rows").await.contains("contoso"));
    let csv = csv_of().await;
    assert_eq!(csv.len(), 2, "{csv:?}");
    assert!(csv[1].starts_with(CONTOSO), "{csv:?}");
    assert!(
        csv[1].contains(",2026-10-31,220,500,44.00,44.00,"),
        "{csv:?}"
    );
    // The performance overview: one scenario (the default), its count opening its service.
    s.goto("/reports/performance").await;
    s.wait("section#report-qe-au svg.trend").await;
    s.wait("table#report-scenarios").await;
    assert_eq!(rows_of("table#report-scenarios tbody tr").await, 1);
    let csv = csv_of().await;
    assert_eq!(csv.len(), 2, "{csv:?}");
    assert!(
        csv[1].starts_with("customer-led-ftp-assist,partner,1,"),
        "{csv:?}"
    );
    s.click("table#report-scenarios tbody tr td:nth-child(3) a")
        .await;
    wait_query(&s, "scenario=customer-led-ftp-assist").await;
    s.wait("table#report-rows").await;
    assert_eq!(rows_of("table#report-rows tbody tr").await, 1);
    s.c.clone().close().await.unwrap();
}

const NORTHWIND: &str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

/// The day `n` days from today, YYYY-MM-DD, and as a day number.
fn day_from_today(n: i32) -> (String, i32) {
    let d = ftop_domain::adoption::day_of(ftop_store::today()) + n;
    (ftop_domain::adoption::date_of(d).unwrap().to_string(), d)
}

/// What the report tabs read, added to the seeded portfolio (maria manages all three
/// tenants; Fabrikam is shared with Fabrikam Partners, Northwind now with Northwind
/// Partners):
/// - usage on 2026-10-31 for Fabrikam's Exchange (30 of 500: 6%) and Northwind's Teams
///   (100 of 400: 25%), beside Contoso's Exchange (220 of 500: 44%; 12% on 2026-09-30);
/// - overall status given today (Contoso), 30 days ago (Fabrikam), never (Northwind);
/// - scenarios: Fabrikam's Teams CSS-led, Northwind's two services CXP (the rest the
///   default, partner-led);
/// - status rows: Contoso's Exchange In Progress without a target date, Contoso's Teams
///   and Fabrikam's Exchange new subscriptions, the rest In Progress with a target;
/// - Northwind's Exchange with 600 qualified seats of 500;
/// - forecasts: 10% on Fabrikam's Exchange 5 days ago (not reached), Northwind's Teams
///   today (reached), Contoso's Exchange in 10 days (reached); 40% on Contoso's Exchange
///   in 20 days (reached) and Fabrikam's Exchange in 40 days.
async fn the_reports_fixture(s: &Session) {
    let file = s._db.path().join("e2e.db");
    let store = Store::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    let a = Actor::system("e2e");
    store
        .add_tenant_partner(&a, NORTHWIND, "Northwind Partners", false)
        .await
        .unwrap();
    let mut imp = store.usage_import(&a, false).await.unwrap();
    for (line, (tenant, service, users)) in
        [(FABRIKAM, "exchange", "30"), (NORTHWIND, "teams", "100")]
            .into_iter()
            .enumerate()
    {
        imp.push(
            line as u64 + 2,
            [
                tenant.as_bytes(),
                service.as_bytes(),
                b"2026-10-31",
                users.as_bytes(),
            ],
        )
        .await
        .unwrap();
    }
    imp.finish().await.unwrap();
    drop(store);
    let (today, t) = day_from_today(0);
    let (month_ago, _) = day_from_today(-30);
    let (later, _) = day_from_today(30);
    let c = rusqlite::Connection::open(&file).unwrap();
    c.busy_timeout(Duration::from_secs(10)).unwrap();
    let mut forecasts = String::new();
    for (tenant, service, t10, t40) in [
        (FABRIKAM, "exchange", Some(t - 5), Some(t + 40)),
        (NORTHWIND, "teams", Some(t), None),
        (CONTOSO, "exchange", Some(t + 10), Some(t + 20)),
    ] {
        let v = |d: Option<i32>| d.map_or("NULL".to_string(), |d| d.to_string());
        let (t10, t40) = (v(t10), v(t40));
        forecasts.push_str(&format!(
            "INSERT INTO forecasts (tenant_id, service, submitted, target_10, target_40, updated_at, updated_by)
             VALUES ('{tenant}', '{service}', {}, {t10}, {t40}, '2026-11-01T00:00:00Z', 'maria');
             UPDATE adoption_rollups SET target_10 = {t10}, target_40 = {t40}
             WHERE tkey = (SELECT tkey FROM adoption_tenants WHERE tenant_id = '{tenant}')
               AND svc = (SELECT svc FROM adoption_services WHERE service = '{service}');",
            t - 60
        ));
    }
    c.execute_batch(&format!(
        "BEGIN;
         UPDATE tenants SET status_date = '{today}' WHERE tenant_id = '{CONTOSO}';
         UPDATE tenants SET status_date = '{month_ago}' WHERE tenant_id = '{FABRIKAM}';
         UPDATE tenants SET status_date = NULL WHERE tenant_id = '{NORTHWIND}';
         INSERT INTO service_delivery (tenant_id, service, scenario) VALUES
            ('{FABRIKAM}', 'teams', 'css-led'), ('{NORTHWIND}', 'exchange', 'cxp'),
            ('{NORTHWIND}', 'teams', 'cxp');
         DELETE FROM entitlement_status;
         INSERT INTO entitlement_status (tenant_id, service, position, l1, l2, count, target_date) VALUES
            ('{CONTOSO}', 'exchange', 0, 'in-progress', NULL, 500, NULL),
            ('{CONTOSO}', 'teams', 0, 'status-unknown', 'new-subscription-or-workload', 400, NULL),
            ('{FABRIKAM}', 'exchange', 0, 'status-unknown', 'new-subscription-or-workload', 500, NULL),
            ('{FABRIKAM}', 'teams', 0, 'in-progress', NULL, 400, '{later}'),
            ('{NORTHWIND}', 'exchange', 0, 'in-progress', NULL, 500, '{later}'),
            ('{NORTHWIND}', 'teams', 0, 'in-progress', NULL, 400, '{later}');
         UPDATE tenant_services SET qualified = 600 WHERE tenant_id = '{NORTHWIND}' AND service = 'exchange';
         {forecasts}
         COMMIT;"
    ))
    .unwrap();
}

/// The texts of every element `css` now shows (none when there is none).
async fn texts(s: &Session, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in s.c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap_or_default().trim().to_string());
    }
    out
}

/// Waits (at most 20 s) until the elements `css` show exactly `want`, in order.
async fn wait_texts(s: &Session, css: &str, want: &[&str]) {
    let start = Instant::now();
    loop {
        let got = texts(s, css).await;
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "waited for {want:?} in {css}; it shows {got:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The tenant IDs (first column) of the report table `table` now shown.
fn ids_in(table: &str) -> String {
    format!("table#{table} tbody tr td:first-child")
}

/// The CSV behind the page's link `link` (fetched by the page itself): its header and
/// its rows.
async fn fetch_csv(s: &Session, link: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text =
        s.c.execute_async(
            "const [css, done] = arguments;
             fetch(document.querySelector(css).href).then(r => r.text()).then(done);",
            vec![serde_json::Value::String(link.to_string())],
        )
        .await
        .unwrap();
    let mut r = csv::Reader::from_reader(text.as_str().unwrap().as_bytes());
    let head = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

/// The CSV behind `link` holds exactly the rows of the tables `tables` (their tenant
/// IDs, in order; `key` the CSV's column that holds the second thing a row is about,
/// compared with `also`).
async fn csv_holds(s: &Session, link: &str, tables: &[&str], also: Option<(&str, &[&str])>) {
    let (head, rows) = fetch_csv(s, link).await;
    assert_eq!(head[0], "tenant_id", "{head:?}");
    let mut shown = Vec::new();
    for t in tables {
        shown.extend(texts(s, &ids_in(t)).await);
    }
    let ids: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids, shown, "{link}: the CSV's rows are the table's");
    if let Some((column, want)) = also {
        let i = head.iter().position(|h| h == column).unwrap();
        let got: Vec<&str> = rows.iter().map(|r| r[i].as_str()).collect();
        assert_eq!(got, want, "{link}: {column}");
    }
}

/// Applies the report filter `name` = `value` through the form.
async fn report_filter(s: &Session, name: &str, value: &str) {
    choose(s, &format!("form.filters select[name={name}]"), value).await;
    s.click("form.filters button[type=submit]").await;
    wait_query(s, &format!("{name}={value}")).await;
}

/// The SVG chart `css` (an image with a title) whose title names `want`.
async fn chart_says(s: &Session, css: &str, want: &str) {
    let svg = s.wait(css).await;
    assert_eq!(svg.attr("role").await.unwrap().as_deref(), Some("img"));
    let title =
        s.c.find(Locator::Css(&format!("{css} > title")))
            .await
            .unwrap()
            .html(true)
            .await
            .unwrap();
    assert!(title.contains(want), "{css}: {title}");
}

/// Clicks `link` and waits until the page is the tenant `id`'s.
async fn opens_tenant(s: &Session, link: &str, id: &str) {
    s.click(link).await;
    let start = Instant::now();
    while !s
        .c
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with(&format!("/tenants/{id}"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{link} never opened {id}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every report tab but the milestones' (covered above) in the browser, on
/// [`the_reports_fixture`]: its chart and table with the numbers worked out by hand from
/// the fixture, a report filter narrowing it, a number (or a row's link) opening exactly
/// the tenants behind it, and its CSV (fetched through the page's own link) holding the
/// table's rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_tab_charts_filters_drills_down_and_exports_its_rows() {
    let Some((chromium, driver)) = chromium::browser() else {
        return;
    };
    let s = Session::start(&chromium, &driver).await;
    the_reports_fixture(&s).await;
    sign_in(&s).await;
    let fabrikam_partners = {
        let file = s._db.path().join("e2e.db");
        let store = Store::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let orgs = store.organisations().await.unwrap();
        orgs.iter()
            .find(|o| o.name == ORG)
            .map(|o| o.id.to_string())
            .unwrap()
    };
    let partner = fabrikam_partners.as_str();

    // Stale status notes (maria's tenants): Northwind never, Fabrikam 30 days ago;
    // Contoso's is today's.
    s.goto("/reports/stale-status-notes").await;
    wait_texts(&s, &ids_in("report-rows"), &[NORTHWIND, FABRIKAM]).await;
    wait_texts(
        &s,
        "table#report-rows tbody tr td:nth-child(4)",
        &["", "30"],
    )
    .await;
    csv_holds(
        &s,
        "a[href^='/reports/stale-status-notes.csv']",
        &["report-rows"],
        Some(("days", &["", "30"])),
    )
    .await;
    report_filter(&s, "partner", partner).await;
    wait_texts(&s, &ids_in("report-rows"), &[FABRIKAM]).await;
    csv_holds(
        &s,
        "a[href^='/reports/stale-status-notes.csv']",
        &["report-rows"],
        None,
    )
    .await;
    opens_tenant(&s, "table#report-rows tbody tr td:nth-child(5) a", FABRIKAM).await;

    // Compliance: Fabrikam has partner-led work (Exchange, the default) and no partner
    // RM; Fabrikam's Teams (CSS-led) and Northwind's two services (CXP) are not
    // partner-led. Northwind has no partner-led work, so no RM is asked of it.
    s.goto("/reports/compliance").await;
    wait_texts(&s, &ids_in("report-rm"), &[FABRIKAM]).await;
    wait_texts(
        &s,
        &ids_in("report-scenario"),
        &[FABRIKAM, NORTHWIND, NORTHWIND],
    )
    .await;
    wait_texts(
        &s,
        "table#report-scenario tbody tr td:nth-child(3)",
        &["Teams", "Exchange", "Teams"],
    )
    .await;
    csv_holds(&s, "a[href*='table=rm']", &["report-rm"], None).await;
    csv_holds(&s, "a[href*='table=scenario']", &["report-scenario"], None).await;
    // Teams alone: Fabrikam's Teams is not partner-led, so Fabrikam has no partner-led
    // Teams work to ask an RM for.
    report_filter(&s, "service", "teams").await;
    s.wait("p#report-rm.empty").await;
    wait_texts(&s, &ids_in("report-scenario"), &[FABRIKAM, NORTHWIND]).await;
    csv_holds(
        &s,
        "a[href*='table=scenario']",
        &["report-scenario"],
        Some(("service_key", &["teams", "teams"])),
    )
    .await;
    opens_tenant(
        &s,
        "table#report-scenario tbody tr:nth-child(2) td:nth-child(5) a",
        NORTHWIND,
    )
    .await;

    // 10% forecast: Fabrikam's Exchange 5 days ago (6%: red), Northwind's Teams today
    // (25%, reached), Contoso's Exchange in 10 days (44%, reached: green).
    let (_, t) = day_from_today(0);
    let month = |d: i32| day_from_today(d - t).0[..7].to_string();
    s.goto("/reports/forecast?milestone=10").await;
    wait_texts(&s, &ids_in("report-past"), &[FABRIKAM]).await;
    wait_texts(&s, &ids_in("report-today"), &[NORTHWIND]).await;
    wait_texts(&s, &ids_in("report-future"), &[CONTOSO]).await;
    assert!(
        s.text("table#report-past span.flag.red")
            .await
            .contains("below the milestone")
    );
    s.wait("table#report-future span.flag.green").await;
    // By month: the three dates fall in one, two or three months.
    let mut by_month: Vec<(String, usize)> = Vec::new();
    for d in [t - 5, t, t + 10] {
        match by_month.iter_mut().find(|(m, _)| *m == month(d)) {
            Some((_, n)) => *n += 1,
            None => by_month.push((month(d), 1)),
        }
    }
    let want: Vec<String> = by_month.iter().map(|(m, _)| m.clone()).collect();
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    wait_texts(&s, "section#report-months tbody tr th", &want).await;
    let counts: Vec<String> = by_month.iter().map(|(_, n)| n.to_string()).collect();
    let counts: Vec<&str> = counts.iter().map(String::as_str).collect();
    wait_texts(
        &s,
        "section#report-months tbody tr td:nth-child(2)",
        &counts,
    )
    .await;
    chart_says(
        &s,
        "section#report-months tbody tr:first-child svg",
        &format!("{}: {}", by_month[0].0, by_month[0].1),
    )
    .await;
    csv_holds(
        &s,
        "a[href^='/reports/forecast.csv']",
        &["report-past", "report-today", "report-future"],
        Some((
            "flag",
            &["still below the milestone", "Due today", "already reached"],
        )),
    )
    .await;
    // The first month's number opens that month's dates alone.
    s.click("section#report-months tbody tr:first-child td:nth-child(2) a")
        .await;
    wait_query(&s, "month=").await;
    let first: Vec<&str> = [(t - 5, FABRIKAM), (t, NORTHWIND), (t + 10, CONTOSO)]
        .into_iter()
        .filter(|(d, _)| month(*d) == by_month[0].0)
        .map(|(_, id)| id)
        .collect();
    let start = Instant::now();
    loop {
        let mut shown = Vec::new();
        for tb in ["report-past", "report-today", "report-future"] {
            shown.extend(texts(&s, &ids_in(tb)).await);
        }
        if shown == first {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{shown:?} for {first:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    csv_holds(
        &s,
        "a[href^='/reports/forecast.csv']",
        &["report-past", "report-today", "report-future"],
        None,
    )
    .await;
    // Fabrikam Partners: Fabrikam's date alone.
    s.goto("/reports/forecast?milestone=10").await;
    report_filter(&s, "partner", partner).await;
    wait_texts(&s, &ids_in("report-past"), &[FABRIKAM]).await;
    s.wait("p#report-today.empty").await;
    s.wait("p#report-future.empty").await;

    // 40% forecast: Contoso's Exchange in 20 days (reached), Fabrikam's in 40 (6%).
    s.goto("/reports/forecast?milestone=40").await;
    s.wait("p#report-past.empty").await;
    wait_texts(&s, &ids_in("report-future"), &[CONTOSO, FABRIKAM]).await;
    csv_holds(
        &s,
        "a[href^='/reports/forecast.csv']",
        &["report-past", "report-today", "report-future"],
        Some(("status", &["reached-before-forecast", "on-track"])),
    )
    .await;
    report_filter(&s, "partner", partner).await;
    wait_query(&s, "milestone=40").await;
    wait_texts(&s, &ids_in("report-future"), &[FABRIKAM]).await;

    // New subscriptions: Contoso's Teams (400) and Fabrikam's Exchange (500), one a
    // service; Teams' number opens Contoso's.
    s.goto("/reports/new-subscriptions").await;
    wait_texts(&s, &ids_in("report-rows"), &[CONTOSO, FABRIKAM]).await;
    wait_texts(
        &s,
        "table#report-rows tbody tr td:nth-child(4)",
        &["400", "500"],
    )
    .await;
    wait_texts(
        &s,
        "section#report-by-service tbody tr th",
        &["Exchange", "Teams"],
    )
    .await;
    wait_texts(
        &s,
        "section#report-by-service tbody tr td:nth-child(2)",
        &["1", "1"],
    )
    .await;
    chart_says(
        &s,
        "section#report-by-service tbody tr:first-child svg",
        "Exchange: 1",
    )
    .await;
    csv_holds(
        &s,
        "a[href^='/reports/new-subscriptions.csv']",
        &["report-rows"],
        Some(("entitlements", &["400", "500"])),
    )
    .await;
    s.click("section#report-by-service tbody tr:nth-child(2) td:nth-child(2) a")
        .await;
    wait_query(&s, "service=teams").await;
    wait_texts(&s, &ids_in("report-rows"), &[CONTOSO]).await;
    csv_holds(
        &s,
        "a[href^='/reports/new-subscriptions.csv']",
        &["report-rows"],
        None,
    )
    .await;
    s.goto("/reports/new-subscriptions").await;
    report_filter(&s, "partner", partner).await;
    wait_texts(&s, &ids_in("report-rows"), &[FABRIKAM]).await;

    // Data health (30 days): no service has a figure of the past 30 days (the latest
    // are of 2026-10-31), so all six; Northwind's Exchange has 600 qualified of 500;
    // Contoso's Exchange is In Progress without a target date.
    s.goto("/reports/data-health").await;
    wait_texts(
        &s,
        "section#report-checks tbody tr td:nth-child(2)",
        &["6", "1", "1"],
    )
    .await;
    chart_says(&s, "section#report-checks tbody tr:first-child svg", ": 6").await;
    wait_texts(
        &s,
        &ids_in("report-rows"),
        &[
            CONTOSO, CONTOSO, FABRIKAM, FABRIKAM, NORTHWIND, NORTHWIND, NORTHWIND, CONTOSO,
        ],
    )
    .await;
    csv_holds(
        &s,
        "a[href^='/reports/data-health.csv']",
        &["report-rows"],
        Some((
            "check",
            &[
                "no-recent-usage",
                "no-recent-usage",
                "no-recent-usage",
                "no-recent-usage",
                "no-recent-usage",
                "no-recent-usage",
                "qualified-above-entitled",
                "in-progress-without-target",
            ],
        )),
    )
    .await;
    // The number of services with more qualified seats than entitlements opens
    // Northwind's Exchange alone.
    s.click("section#report-checks tbody tr:nth-child(2) td:nth-child(2) a")
        .await;
    wait_query(&s, "check=qualified-above-entitled").await;
    wait_texts(&s, &ids_in("report-rows"), &[NORTHWIND]).await;
    wait_texts(&s, "table#report-rows tbody tr td:nth-child(6)", &["600"]).await;
    csv_holds(
        &s,
        "a[href^='/reports/data-health.csv']",
        &["report-rows"],
        Some(("qualified", &["600"])),
    )
    .await;
    // Fabrikam Partners: Fabrikam's two services without recent usage.
    s.goto("/reports/data-health").await;
    report_filter(&s, "partner", partner).await;
    wait_texts(
        &s,
        "section#report-checks tbody tr td:nth-child(2)",
        &["2", "0", "0"],
    )
    .await;
    wait_texts(&s, &ids_in("report-rows"), &[FABRIKAM, FABRIKAM]).await;

    // Conversion: three services with AU (Contoso's Exchange 44%, Fabrikam's 6%,
    // Northwind's Teams 25%): Exchange 2, 1 at 10%, 1 at 40%; Teams 1, 1, 0; in total
    // 3, 2 (66.7%), 1 (33.3%).
    s.goto("/reports/conversion").await;
    wait_texts(
        &s,
        "section#report-conversion tbody tr th",
        &["Exchange", "Teams", "Total"],
    )
    .await;
    for (col, want) in [
        (2, ["2", "1", "3"]),
        (3, ["1", "1", "2"]),
        (4, ["1", "0", "1"]),
    ] {
        wait_texts(
            &s,
            &format!("section#report-conversion tbody tr td:nth-child({col})"),
            &want,
        )
        .await;
    }
    // The rates, each beside its bar (whose title WebDriver reads out too).
    for (col, want) in [(5, ["50%", "100%", "66.7%"]), (6, ["50%", "0%", "33.3%"])] {
        let got: Vec<String> = texts(
            &s,
            &format!("section#report-conversion tbody tr td:nth-child({col})"),
        )
        .await
        .iter()
        .map(|t| t.split_whitespace().next().unwrap_or_default().to_string())
        .collect();
        assert_eq!(got, want, "rates in column {col}");
    }
    chart_says(
        &s,
        "section#report-conversion tbody tr:nth-child(3) td:nth-child(5) svg",
        "66.7%",
    )
    .await;
    wait_texts(&s, &ids_in("report-rows"), &[CONTOSO, FABRIKAM, NORTHWIND]).await;
    csv_holds(
        &s,
        "a[href^='/reports/conversion.csv']",
        &["report-rows"],
        Some(("au_percent", &["44.00", "6.00", "25.00"])),
    )
    .await;
    // The total at 10% opens the two services behind it.
    s.click("section#report-conversion tbody tr:nth-child(3) td:nth-child(3) a")
        .await;
    wait_query(&s, "at=10").await;
    wait_texts(&s, &ids_in("report-rows"), &[CONTOSO, NORTHWIND]).await;
    csv_holds(
        &s,
        "a[href^='/reports/conversion.csv']",
        &["report-rows"],
        None,
    )
    .await;
    s.goto("/reports/conversion").await;
    report_filter(&s, "service", "teams").await;
    wait_texts(&s, &ids_in("report-rows"), &[NORTHWIND]).await;
    wait_texts(
        &s,
        "section#report-conversion tbody tr th",
        &["Teams", "Total"],
    )
    .await;
    s.c.clone().close().await.unwrap();
}
