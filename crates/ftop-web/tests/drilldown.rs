//! The numbers behind the numbers (issue 15), through the real router on a real SQLite
//! database: every count on the portfolio links to the home grid narrowed to exactly the
//! tenants behind it (the grid's total is the number clicked, for every viewer and both
//! portfolio views), the narrowing is shown and kept by sorting, paging and the filter
//! form, and a value that names nothing is a 400; the adoption dashboard opens on the
//! period of the latest usage figure, not on an empty month.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use axum::http::StatusCode;
use common::Harness;
use ftop_domain::{AssignmentRole, OverallStatus, TaskStatus, UserRole};
use ftop_store::{EngagementUpdate, TaskUpdate};

/// How many tenants the portfolio world has.
const TENANTS: usize = 40;

fn tenant_id(i: usize) -> String {
    format!("{i:08x}-0000-4000-8000-{i:012x}")
}

/// Tenant `i`'s overall status: every fourth blocked, every fourth paused, else active.
fn status(i: usize) -> OverallStatus {
    match i % 4 {
        1 => OverallStatus::Blocked,
        2 => OverallStatus::Paused,
        _ => OverallStatus::Active,
    }
}

/// Tenant `i` is inactive: every fifth.
fn inactive(i: usize) -> bool {
    i.is_multiple_of(5)
}

/// 40 tenants of known statuses, activity, primary FastTrack Managers (maria on every
/// third, omar on the next, nobody on the rest; omar also as a second, not primary,
/// manager on maria's first), services (Exchange on all, Teams on the even ones) and
/// phases (the first three past Initiate); the partner pat's organisation on every
/// seventh; admin, maria, omar and pat.
async fn world() -> Harness {
    let mut h = Harness::new().await;
    for (name, role) in [
        ("admin", UserRole::Admin),
        ("maria", UserRole::Manager),
        ("omar", UserRole::Manager),
        ("pat", UserRole::Partner),
    ] {
        let partner = (role == UserRole::Partner).then_some("Fabrikam Partners");
        h.person(name, role, partner).await;
    }
    let a = common::actor();
    let fm = AssignmentRole::FastTrackManager;
    for i in 0..TENANTS {
        let id = tenant_id(i);
        let mut services = vec![("exchange", 300, None)];
        if i.is_multiple_of(2) {
            services.push(("teams", 200, None));
        }
        h.tenant_of(
            &id,
            &format!("t{i:02}.onmicrosoft.com"),
            "Contoso",
            &services,
        )
        .await;
        let s = &h.store;
        let v = s.tenant(&id).await.unwrap().version;
        s.update_engagement(
            &a,
            &id,
            v,
            &EngagementUpdate {
                overall_status: Some(status(i)),
                active: Some(!inactive(i)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        match i % 3 {
            0 => {
                s.assign(&a, &id, "maria", fm, "", true).await.unwrap();
            }
            1 => {
                s.assign(&a, &id, "omar", fm, "", true).await.unwrap();
            }
            _ => {}
        }
        if i.is_multiple_of(7) {
            s.add_tenant_partner(&a, &id, "Fabrikam Partners", false)
                .await
                .unwrap();
        }
    }
    // omar also manages maria's first tenant, not as its primary manager.
    h.store
        .assign(&a, &tenant_id(0), "omar", fm, "", false)
        .await
        .unwrap();
    // pat works on the first partner tenant.
    h.assign(&tenant_id(0), "pat", AssignmentRole::PartnerEngineer)
        .await;
    // The first three are past Initiate.
    for i in 0..3 {
        let id = tenant_id(i);
        let init: Vec<u32> = h
            .store
            .tenant_tasks(&id)
            .await
            .unwrap()
            .iter()
            .filter(|t| t.mandatory && t.service.is_empty() && t.phase == "initiate")
            .map(|t| t.task_id)
            .collect();
        assert!(!init.is_empty());
        for t in init {
            h.store
                .set_task(
                    &a,
                    &id,
                    &TaskUpdate {
                        task_id: t,
                        service: String::new(),
                        version: 0,
                        status: Some(TaskStatus::Complete),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
        }
    }
    h
}

/// The page's own content.
fn main(html: &str) -> &str {
    let start = html.find("<main>").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>");
    &html[start..end]
}

/// Every link to the home grid in `html` with the number it shows: (href, number).
fn grid_links(html: &str) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let mut rest = main(html);
    while let Some(at) = rest.find("<a href=\"/?") {
        rest = &rest[at + "<a href=\"".len()..];
        let end = rest.find('"').unwrap();
        let href = rest[..end].replace("&amp;", "&");
        let text_start = rest.find('>').unwrap() + 1;
        let text_end = rest.find("</a>").unwrap();
        let text = &rest[text_start..text_end];
        if let Ok(n) = text.trim().parse::<i64>() {
            out.push((href, n));
        }
        rest = &rest[text_end..];
    }
    out
}

/// The total the grid shows (`data-total` of its count).
fn total(html: &str) -> i64 {
    let at = html
        .find("id=\"grid-total\"")
        .unwrap_or_else(|| panic!("no total in {html}"));
    let rest = &html[at..];
    let v = &rest[rest.find("data-total=\"").unwrap() + "data-total=\"".len()..];
    v[..v.find('"').unwrap()].parse().unwrap()
}

/// The rows of the grid's table.
fn rows(html: &str) -> usize {
    // The grid's table (the home page may show other tables above it).
    let Some(grid) = html.find("<table id=\"tenants\"") else {
        return 0;
    };
    let html = &html[grid..];
    match html.find("<tbody>") {
        Some(at) => {
            let body = &html[at..html[at..].find("</tbody>").unwrap() + at];
            body.matches("<tr id=\"tenant-").count()
        }
        None => 0,
    }
}

/// The number in the row `id` of a portfolio table (its first cell).
fn first_cell(html: &str, id: &str) -> i64 {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id}"));
    let rest = &html[at..];
    let td = &rest[rest.find("<td").unwrap()..];
    let text: String = td[..td.find("</td>").unwrap()]
        .split('<')
        .map(|p| p.split_once('>').map_or("", |x| x.1))
        .collect();
    text.trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_portfolio_number_opens_exactly_its_tenants() {
    let h = world().await;
    let maria = h.who("maria").user.id;
    let omar = h.who("omar").user.id;
    // What the seed says, counted by hand.
    let count = |f: &dyn Fn(usize) -> bool| (0..TENANTS).filter(|&i| f(i)).count() as i64;
    let blocked = count(&|i| status(i) == OverallStatus::Blocked);
    let page = h.page("admin", "/portfolio").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(first_cell(&page.body, "status-blocked"), blocked);
    assert_eq!(
        first_cell(&page.body, &format!("owner-{maria}")),
        count(&|i| i.is_multiple_of(3))
    );
    assert_eq!(
        first_cell(&page.body, &format!("owner-{omar}")),
        count(&|i| i % 3 == 1)
    );
    assert_eq!(
        first_cell(&page.body, "owner-unassigned"),
        count(&|i| i % 3 == 2)
    );
    assert_eq!(
        first_cell(&page.body, "service-teams"),
        count(&|i| i.is_multiple_of(2))
    );
    assert_eq!(first_cell(&page.body, "phase-assess"), 3);
    // The links say what they narrow to.
    for href in [
        "/?view=all&status=blocked",
        "/?view=all&status=blocked&active=1",
        "/?view=all&active=0",
        &format!("/?view=all&owner={maria}"),
        "/?view=all&owner=none",
        "/?view=all&service=teams",
        "/?view=all&phase=assess",
        "/?view=all&phase=complete",
    ] {
        assert!(
            grid_links(&page.body).iter().any(|(h, _)| h == href),
            "{href} in {}",
            page.body
        );
    }

    // For every viewer and both views: each number's link lists exactly that many tenants.
    let mut checked = 0;
    for who in ["admin", "maria", "omar", "pat"] {
        for portfolio in ["/portfolio", "/portfolio?mine=1"] {
            let page = h.page(who, portfolio).await;
            assert_eq!(page.status, StatusCode::OK, "{who} {portfolio}");
            let links = grid_links(&page.body);
            assert!(links.len() >= 10, "{who} {portfolio}: {links:?}");
            for (href, n) in links {
                let grid = h.page(who, &href).await;
                assert_eq!(grid.status, StatusCode::OK, "{who} {href}: {}", grid.body);
                assert_eq!(
                    total(&grid.body),
                    n,
                    "{who} on {portfolio}: {href} lists another number"
                );
                // All of them, on one page.
                let all = h.page(who, &format!("{href}&size=100")).await;
                assert_eq!(rows(&all.body) as i64, n, "{who}: {href}");
                // A narrowed list says so, and offers the way back.
                let narrowed = href.contains('&');
                assert_eq!(
                    grid.body.contains("id=\"grid-filters\""),
                    narrowed,
                    "{href}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");

    // The blocked ones are the blocked ones.
    let grid = h.page("admin", "/?view=all&status=blocked&size=100").await;
    assert_eq!(
        grid.body
            .matches("<span class=\"tripwire tripwire-blocked\" title=\"The tenant's overall status is Blocked.\">")
            .count() as i64,
        blocked
    );
    assert!(
        grid.body
            .contains("Filter: Overall status: <strong>Blocked</strong>"),
        "{}",
        grid.body
    );
    // The owner is named; nobody is "Unassigned".
    let grid = h.page("admin", &format!("/?view=all&owner={maria}")).await;
    assert!(
        grid.body.contains("<strong>maria</strong>"),
        "{}",
        grid.body
    );
    let grid = h.page("admin", "/?view=all&owner=none").await;
    assert!(
        grid.body.contains("<strong>Unassigned</strong>"),
        "{}",
        grid.body
    );
    // The partner's narrowed lists hold their organisation's tenants only.
    let grid = h.page("pat", "/?view=all&service=exchange&size=100").await;
    assert_eq!(total(&grid.body), count(&|i| i.is_multiple_of(7)));
    let grid = h.page("pat", "/?view=mine").await;
    assert_eq!(total(&grid.body), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_narrowing_is_kept_by_sorting_paging_and_the_form_and_cleared() {
    let h = world().await;
    let active = (0..TENANTS).filter(|&i| !inactive(i)).count();
    assert!(active > 25);
    let r = h.page("admin", "/?view=all&active=1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(total(&r.body), active as i64);
    assert_eq!(rows(&r.body), 25);
    // Paging keeps it.
    let next =
        "/?view=all&amp;size=25&amp;display=scorecard&amp;sort=priority&amp;page=2&amp;active=1";
    assert!(r.body.contains(&format!("href=\"{next}\"")), "{}", r.body);
    let r2 = h.page("admin", &next.replace("&amp;", "&")).await;
    assert_eq!(rows(&r2.body), active - 25);
    assert_eq!(total(&r2.body), active as i64);
    // Sorting keeps it.
    assert!(
        r.body
            .contains("href=\"/?view=all&amp;size=25&amp;display=scorecard&amp;sort=customer&amp;page=1&amp;active=1\""),
        "{}",
        r.body
    );
    // The form keeps it.
    assert!(
        r.body
            .contains("<input type=\"hidden\" name=\"active\" value=\"1\">")
    );
    // One link clears it.
    assert!(
        r.body
            .contains("<a href=\"/?view=all&amp;size=25&amp;display=scorecard&amp;sort=priority\">Clear all</a>"),
        "{}",
        r.body
    );
    let all = h.page("admin", "/?view=all&sort=name&size=25").await;
    assert_eq!(total(&all.body), TENANTS as i64);
    assert!(!all.body.contains("id=\"grid-filters\""));
    // Narrowings combine with each other and with the search.
    let r = h
        .page("admin", "/?view=all&status=blocked&service=teams&q=t1")
        .await;
    let expected = (10..20)
        .filter(|&i| status(i) == OverallStatus::Blocked && i.is_multiple_of(2))
        .count();
    assert_eq!(total(&r.body), expected as i64, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_narrowing_that_names_nothing_is_a_bad_request() {
    let h = world().await;
    for (path, field) in [
        ("/?status=purple", "purple"),
        ("/?owner=maria", "maria"),
        ("/?owner=-3", "-3"),
        ("/?phase=nowhere", "nowhere"),
        ("/?service=fax", "fax"),
        ("/?active=maybe", "maybe"),
    ] {
        let r = h.page("admin", path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.body.contains(field), "{path}: {}", r.body);
    }
    // A sentence in a parameter is not repeated: the page names the parameter only.
    let r = h
        .page(
            "admin",
            "/?owner=Your%20account%20is%20locked%2C%20call%20555",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(!r.body.contains("account is locked"), "{}", r.body);
    // An owner ID of nobody owns nothing, and is not named.
    let r = h.page("admin", "/?view=all&owner=999999").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(total(&r.body), 0);
    assert!(r.body.contains("#999999"));
    // A user who owns no tenant the viewer sees is not named to them either.
    let maria = h.who("maria").user.id;
    let r = h
        .page("pat", &format!("/?view=all&owner={maria}&status=paused"))
        .await;
    assert_eq!(total(&r.body), 0);
    assert!(!r.body.contains("<strong>maria</strong>"), "{}", r.body);
}

/// The first day of the month `back` months before `d`.
fn months_back(d: time::Date, back: u8) -> time::Date {
    let mut m = d.replace_day(1).unwrap();
    for _ in 0..back {
        m = m.previous_day().unwrap().replace_day(1).unwrap();
    }
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adoption_dashboard_opens_on_the_latest_period_with_data() {
    let mut h = Harness::new().await;
    let t = tenant_id(1);
    h.tenant_of(
        &t,
        "alpha.onmicrosoft.com",
        "Contoso",
        &[("exchange", 300, Some(300))],
    )
    .await;
    h.person("admin", UserRole::Admin, None).await;
    let today = time::OffsetDateTime::now_utc().date();
    let this_month = months_back(today, 0);
    let month_end = |m: time::Date| m.replace_day(m.month().length(m.year())).unwrap();
    let window_link = |m: time::Date, n: i64| {
        format!(
            "href=\"/adoption/rows?reached=10&amp;from={}&amp;to={}\">{n}</a>",
            m,
            month_end(m)
        )
    };

    // No usage yet: this month.
    let r = h.page("admin", "/adoption").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&window_link(this_month, 0)), "{}", r.body);

    // Usage only two months ago: 20 of 300 users (6.67%), then 30 (10%, the milestone).
    let earlier = months_back(today, 2);
    let day = |n: u8| earlier.replace_day(n).unwrap();
    let csv = format!(
        "tenant_id,service,date,active_users\n{t},exchange,{},20\n{t},exchange,{},30\n",
        day(5),
        day(20)
    );
    let r = h
        .api_raw("admin", "POST", "/api/v1/usage", "text/csv", &csv)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Without a period: that month, with its milestone, not this month's zeros.
    let r = h.page("admin", "/adoption").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&window_link(earlier, 1)), "{}", r.body);
    assert!(!r.body.contains(&window_link(this_month, 0)), "{}", r.body);
    // The form names the period shown, and the CSV download the same numbers.
    let period = format!("{:04}-{:02}", earlier.year(), u8::from(earlier.month()));
    assert!(
        r.body.contains(&format!(
            "<input type=\"month\" name=\"period\" value=\"{period}\">"
        )),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("/adoption.csv?period={period}&amp;table=service"))
    );
    let csv = h.page("admin", "/adoption.csv?table=service").await;
    // key,name,services,engaged,below_10,from_10_to_40,from_40,undefined,reached_10,
    // reached_40,reached_10_in_window,...
    let total: Vec<&str> = csv.body.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(total[10], "1", "{}", csv.body);

    // The quarter of the latest figure, with `window=quarter`.
    let r = h.page("admin", "/adoption?window=quarter").await;
    assert!(r.body.contains("reached=10&amp;from="), "{}", r.body);
    assert!(r.body.contains(">1</a> · 40%"), "{}", r.body);

    // A period in the URL is kept as given: this month has no milestone.
    let now = format!("{:04}-{:02}", today.year(), u8::from(today.month()));
    let r = h.page("admin", &format!("/adoption?period={now}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&window_link(this_month, 0)), "{}", r.body);
    let r = h
        .page("admin", &format!("/adoption?period={}", day(20)))
        .await;
    assert!(r.body.contains(&window_link(earlier, 1)), "{}", r.body);
    // A period that is no month is refused, naming it.
    let r = h.page("admin", "/adoption?period=2026-13").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("2026-13"), "{}", r.body);

    // The API's window stays this month (its documented default).
    let r = h.api_raw("admin", "GET", "/api/v1/adoption", "", "").await;
    assert_eq!(r.json()["window"]["from"], this_month.to_string());
    assert_eq!(r.json()["totals"]["reached_10_in_window"], 0);
}

/// Usage figures (tenant, service, days ago, active users) imported as a usage file would.
async fn usage(h: &Harness, rows: &[(&str, &str, i64, i64)]) {
    let mut imp = h.store.usage_import(&common::actor(), false).await.unwrap();
    for (i, (t, s, ago, n)) in rows.iter().enumerate() {
        let day = (ftop_store::today() - time::Duration::days(*ago)).to_string();
        let n = n.to_string();
        let f = [t.as_bytes(), s.as_bytes(), day.as_bytes(), n.as_bytes()];
        assert!(imp.push(i as u64 + 2, f).await.unwrap().is_none());
    }
    imp.finish().await.unwrap();
}

/// The body of the grid's row of tenant `id`.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("<tr id=\"tenant-{id}\">"))
        .unwrap_or_else(|| panic!("no row {id} in {html}"));
    &html[at..at + html[at..].find("</tr>").unwrap()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_shows_its_displays_filters_columns_sets_priorities_and_opens_customers() {
    let mut h = Harness::new().await;
    let (a, b, c) = (tenant_id(101), tenant_id(102), tenant_id(103));
    h.tenant_of(
        &a,
        "alpha.onmicrosoft.com",
        "Northwind",
        &[("exchange", 100, None)],
    )
    .await;
    h.tenant_of(
        &b,
        "bravo.onmicrosoft.com",
        "Northwind",
        &[("exchange", 300, None)],
    )
    .await;
    h.tenant_of(
        &c,
        "charlie.onmicrosoft.com",
        "Tailspin",
        &[("teams", 50, None)],
    )
    .await;
    h.people(
        &[UserRole::Admin, UserRole::Manager, UserRole::Guest],
        "P Org",
    )
    .await;
    h.assign(&a, "manager", AssignmentRole::FastTrackManager)
        .await;
    // alpha: 10% forty days ago, 25% now (a gain); bravo: 30 of 300 (10%) both times.
    usage(
        &h,
        &[
            (&a, "exchange", 40, 10),
            (&a, "exchange", 1, 25),
            (&b, "exchange", 40, 30),
            (&b, "exchange", 1, 30),
        ],
    )
    .await;

    // Scorecard Adoption: AU of each service with figures, the gain as a tripwire.
    let r = h.page("admin", "/?view=all&sort=name").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<th scope=\"col\">Exchange AU</th>"),
        "{}",
        r.body
    );
    assert!(row(&r.body, &a).contains("<td class=\"num\">25%</td>"));
    assert!(row(&r.body, &a).contains("tripwire tripwire-au-gain"));
    assert!(row(&r.body, &b).contains("<td class=\"num\">10%</td>"));
    assert!(!row(&r.body, &b).contains("tripwire-au-"));
    assert!(
        row(&r.body, &c).contains("<td class=\"num\">—</td>"),
        "no figures"
    );
    // In Spanish, with the Spanish decimal mark and sign.
    let es = h
        .page_with_cookie(
            "admin",
            "/?view=all&sort=name&display=scorecard",
            "ftop_lang=es",
        )
        .await;
    assert!(es.body.contains("Cuadro de adopción"), "{}", es.body);
    // Overview and Assignments: their own columns; alpha's manager in the right one.
    let r = h
        .page("admin", "/?view=all&sort=name&display=overview")
        .await;
    assert!(r.body.contains(">Next action date</th>"), "{}", r.body);
    let r = h
        .page("admin", "/?view=all&sort=name&display=assignments")
        .await;
    assert!(r.body.contains(">FastTrack Managers</th>"));
    assert!(
        row(&r.body, &a).contains("<td>manager</td>"),
        "{}",
        row(&r.body, &a)
    );

    // A column filter: AU of Exchange at least 20% is alpha alone.
    let r = h
        .page("admin", "/?view=all&c1=au-exchange&o1=ge&v1=20")
        .await;
    assert_eq!(total(&r.body), 1);
    assert!(r.body.contains(&format!("tenant-{a}")));
    // Two conditions together, text and number.
    let r = h
        .page(
            "admin",
            "/?view=all&c1=customer&o1=contains&v1=north&c2=seats&o2=lt&v2=200",
        )
        .await;
    assert_eq!(total(&r.body), 1, "alpha: Northwind, 100 seats");
    // A condition that does not fit its column: 422, kept as typed, said beside it.
    let r = h
        .page("admin", "/?view=all&c1=days&o1=contains&v1=abc")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("name=\"v1\" value=\"abc\" size=\"14\" aria-invalid=\"true\" aria-describedby=\"v1-error\""), "{}", r.body);
    assert!(
        r.body
            .contains("id=\"v1-error\">This condition does not fit the column")
    );
    assert_eq!(total(&r.body), 3, "the list ignores it meanwhile");

    // Priority by hand: the manager on alpha (assigned), not on bravo.
    let r = h.page("manager", "/?view=all&sort=name").await;
    assert!(row(&r.body, &a).contains("class=\"priority-set\""));
    assert!(!row(&r.body, &b).contains("class=\"priority-set\""));
    let back = "%2F%3Fview%3Dall%26sort%3Dname";
    let r = h
        .form(
            "manager",
            &format!("/tenants/{a}/priority"),
            &format!("priority=high&back={back}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        format!("/?view=all&sort=name&saved=priority#tenant-{a}")
    );
    let r = h
        .page("manager", "/?view=all&sort=name&saved=priority")
        .await;
    assert!(r.body.contains("role=\"status\">Priority saved."));
    assert!(row(&r.body, &a).contains("<span class=\"priority\">High (overridden)</span>"));
    let r = h.page("manager", "/?view=all&priority=high").await;
    assert_eq!(total(&r.body), 1);
    let r = h
        .form(
            "manager",
            &format!("/tenants/{b}/priority"),
            "priority=high",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = h
        .form("guest", &format!("/tenants/{a}/priority"), "priority=low")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // An address elsewhere is not followed back.
    let r = h
        .form(
            "manager",
            &format!("/tenants/{a}/priority"),
            "priority=default&back=https%3A%2F%2Fevil.example%2F%3F",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/?&saved=priority"),
        "{}",
        r.location()
    );
    let t = h.store.tenant(&a).await.unwrap();
    assert_eq!(
        t.priority,
        ftop_domain::Priority::Medium,
        "back to the default"
    );
    // The API does the same.
    let r = h
        .api(
            "admin",
            "PUT",
            &format!("/api/v1/tenants/{b}/priority"),
            Some(serde_json::json!({"priority": "low"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["tenant"]["priority"], "low-override");
    let r = h
        .api(
            "admin",
            "PUT",
            &format!("/api/v1/tenants/{b}/priority"),
            Some(serde_json::json!({"priority": "urgent"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Who may comes before what is asked: a guest's bad body is a 403, not a 422.
    let r = h
        .api(
            "guest",
            "PUT",
            &format!("/api/v1/tenants/{b}/priority"),
            Some(serde_json::json!({"priority": "urgent"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Customers together, each under its name linked to its page.
    let r = h.page("admin", "/?view=all&group=customer&sort=name").await;
    let northwind = h
        .store
        .tenants(&ftop_store::TenantFilter::default())
        .await
        .unwrap();
    let nw = northwind
        .iter()
        .find(|t| t.tenant_id == a)
        .unwrap()
        .customer_id;
    let header = format!(
        "<th scope=\"rowgroup\" colspan=\"7\"><a href=\"/customers/{nw}\">Northwind</a></th>"
    );
    assert_eq!(r.body.matches(&header).count(), 1, "{}", r.body);
    let at = r.body.find(&header).unwrap();
    assert!(
        r.body[at..].find(&format!("tenant-{a}")).unwrap()
            < r.body[at..].find(&format!("tenant-{c}")).unwrap()
    );
    // The customer's page: two tenants, 400 seats, Exchange 55 of 400 (13.75%).
    let r = h.page("admin", &format!("/customers/{nw}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<dd id=\"customer-tenants\">2</dd>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<dd id=\"customer-seats\">400</dd>"));
    assert!(
        r.body.contains(
            "<td class=\"num\">55</td><td class=\"num\">400</td><td class=\"num\">13.8%</td>"
        ),
        "{}",
        r.body
    );
    let r = h
        .api("admin", "GET", &format!("/api/v1/customers/{nw}"), None)
        .await;
    assert_eq!(r.json()["services"][0]["au_percent"], 13.75);
    assert_eq!(r.json()["total_tenants"], 2);
    let r = h.page("admin", "/customers/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h.page("admin", "/customers/abc").await;
    assert!(matches!(
        r.status,
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
    ));
}

/// Issue 17: the grid's "Predicted 6-month AU gain" column (Scorecard Adoption and
/// Overview), its sort key, the "Prioritised portfolio" link (highest gain first) and the
/// same order in the API's tenant list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_shows_and_sorts_by_the_predicted_gain() {
    let mut h = Harness::new().await;
    let (a, b, c) = (tenant_id(201), tenant_id(202), tenant_id(203));
    for (id, name) in [(&a, "alpha"), (&b, "bravo"), (&c, "charlie")] {
        h.tenant_of(
            id,
            &format!("{name}.onmicrosoft.com"),
            "Northwind",
            &[("exchange", 1000, None)],
        )
        .await;
    }
    h.people(&[UserRole::Admin], "P Org").await;
    // Seven monthly figures: alpha falls 3 points a month, bravo rises 3 points a month;
    // charlie has none.
    let mut rows = Vec::new();
    for m in 0..7i64 {
        rows.push((a.as_str(), "exchange", 30 * (6 - m) + 1, 400 - 30 * m));
        rows.push((b.as_str(), "exchange", 30 * (6 - m) + 1, 100 + 30 * m));
    }
    usage(&h, &rows).await;
    let gain = |html: &str, id: &str| -> String {
        let r = row(html, id);
        let at = r
            .find("<td class=\"num gain\"")
            .unwrap_or_else(|| panic!("no gain in {r}"));
        let cell = &r[at..];
        let text = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
        text.trim().to_string()
    };
    let order = |html: &str| -> Vec<char> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find("<tr id=\"tenant-") {
            rest = &rest[at + "<tr id=\"tenant-".len()..];
            let id = &rest[..36];
            out.push(if id == a {
                'a'
            } else if id == b {
                'b'
            } else {
                'c'
            });
        }
        out
    };

    // Scorecard Adoption: the column, sortable, signed points.
    let r = h.page("admin", "/?view=all&sort=name").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("&amp;sort=gain&amp;page=1\">Predicted 6-month AU gain</a>"),
        "{}",
        r.body
    );
    assert!(gain(&r.body, &b).starts_with('+'), "{}", row(&r.body, &b));
    assert!(gain(&r.body, &b).ends_with(" pts"), "percentage points");
    assert!(gain(&r.body, &a).starts_with('−'), "{}", row(&r.body, &a));
    assert_eq!(gain(&r.body, &c), "—");
    // The link to the prioritised portfolio keeps the view and display.
    assert!(
        r.body.contains(
            "<a class=\"button\" id=\"prioritised\" href=\"/?view=all&amp;size=25&amp;display=scorecard&amp;sort=gain&amp;page=1&amp;desc=1\""
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains(">Prioritised portfolio</a>"));

    // Highest predicted gain first, those without a prediction last either way.
    let r = h.page("admin", "/?view=all&sort=gain&desc=1").await;
    assert_eq!(order(&r.body), ['b', 'a', 'c']);
    assert!(
        r.body
            .contains("<strong id=\"prioritised\" aria-current=\"page\"")
    );
    let r = h.page("admin", "/?view=all&sort=gain").await;
    assert_eq!(order(&r.body), ['a', 'b', 'c']);

    // Overview shows it too; in Spanish with its decimal comma.
    let r = h
        .page("admin", "/?view=all&sort=gain&desc=1&display=overview")
        .await;
    assert!(
        r.body.contains(">Predicted 6-month AU gain ▼</a>"),
        "{}",
        r.body
    );
    assert_eq!(order(&r.body), ['b', 'a', 'c']);
    let es = h
        .page_with_cookie("admin", "/?view=all&sort=name", "ftop_lang=es")
        .await;
    assert!(es.body.contains(">Aumento de AU previsto a 6 meses</a>"));
    assert!(es.body.contains(">Cartera priorizada</a>"));

    // The API's tenant list carries the gain and sorts by it.
    let r = h
        .get(common::Who::Bearer("admin"), "/api/v1/tenants?sort=gain")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    let ids: Vec<&str> = j["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [b.as_str(), a.as_str(), c.as_str()]);
    assert!(j["tenants"][0]["gain_6m_bp"].as_i64().unwrap() > 0);
    assert!(j["tenants"][2]["gain_6m_bp"].is_null());
    let r = h
        .get(common::Who::Bearer("admin"), "/api/v1/tenants?sort=seats")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
