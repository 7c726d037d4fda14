//! `ftop serve --demo`: a believable portfolio for a newcomer: a few hundred tenants with
//! varied services and seats, partners, assignments, task progress and notes, plus demo
//! accounts for every role. Deterministic, and only on an empty database.

use anyhow::Context;
use ftop_domain::{AssignmentRole, NoteCategory, OverallStatus, TaskStatus, UserRole};
use ftop_store::{Actor, EngagementUpdate, ImportRow, NoteDraft, Store, TaskUpdate};

/// Demo accounts: (name, role, partner, password).
pub(crate) const ACCOUNTS: &[(&str, UserRole, Option<&str>, &str)] = &[
    ("admin", UserRole::Admin, None, "demo-root-pass"),
    ("maria", UserRole::Manager, None, "demo-manager-pass"),
    ("eli", UserRole::Engineer, None, "demo-engineer-pass"),
    (
        "pat",
        UserRole::Partner,
        Some("Northwind Partners"),
        "demo-partner-pass",
    ),
    ("gina", UserRole::Guest, None, "demo-guest-pass"),
];

const SERVICES: &[&str] = &[
    "exchange",
    "sharepoint",
    "onedrive",
    "teams",
    "intune",
    "yammer",
    "m365-apps",
    "aadp",
    "outlook-mobile",
    "windows-10",
];
const NAMES: &[&str] = &[
    "contoso",
    "fabrikam",
    "northwind",
    "adatum",
    "litware",
    "proseware",
    "tailspin",
    "wingtip",
    "woodgrove",
    "fourthcoffee",
    "alpineski",
    "blueyonder",
    "cpandl",
    "lucernepub",
    "margie",
    "relecloud",
    "trey",
    "wideworld",
    "coho",
    "graphicdesign",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Fills an empty database; prints where to sign in. Does nothing when tenants exist.
pub(crate) async fn fill(store: &Store) -> anyhow::Result<()> {
    if store.tenant_count().await? > 0 {
        println!("demo: the database already has tenants; nothing added");
        return print_accounts();
    }
    let actor = Actor::system("demo");
    let mut users = Vec::new();
    for (name, role, partner, pw) in ACCOUNTS {
        users.push(
            store
                .add_user(&actor, name, *role, pw, *partner)
                .await
                .context("demo accounts")?,
        );
    }
    let mut rng = Rng(7);
    let mut rows = Vec::new();
    let count = 300;
    for i in 0..count {
        let base = NAMES[i % NAMES.len()];
        let id = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            0x5eed_0000 + i,
            rng.below(0xffff),
            rng.below(0xfff),
            rng.below(0xfff),
            rng.next()
        );
        let seats = [180, 450, 900, 2_500, 8_000, 22_000][rng.below(6) as usize] + rng.below(120);
        let n = 1 + rng.below(5) as usize;
        let first = rng.below(SERVICES.len() as u64) as usize;
        for k in 0..n {
            let service = SERVICES[(first + k * 3) % SERVICES.len()];
            let total = seats - rng.below(seats / 4);
            rows.push(ImportRow {
                line: rows.len() as u64 + 2,
                tenant_id: id.clone(),
                tenant_name: format!("{base}{i}.onmicrosoft.com"),
                customer: format!(
                    "{} {}",
                    capitalise(base),
                    ["Ltd", "Inc.", "Group", "GmbH", "S.A."][i % 5]
                ),
                service: service.to_string(),
                entitlements: total.to_string(),
                qualified: (total - rng.below(total / 10 + 1)).to_string(),
            });
        }
    }
    store
        .import_tenants(&actor, &rows, &|_| {})
        .await
        .context("demo tenants")?;
    let tenants = store
        .tenants(&ftop_store::TenantFilter {
            limit: Some(count as i64),
            ..Default::default()
        })
        .await?;
    let (maria, eli) = (&users[1], &users[2]);
    for (i, t) in tenants.iter().enumerate() {
        if i % 3 != 2 {
            store
                .assign(
                    &actor,
                    &t.tenant_id,
                    &maria.name,
                    AssignmentRole::FastTrackManager,
                    "",
                    false,
                )
                .await?;
        }
        if i % 4 == 0 {
            store
                .assign(
                    &actor,
                    &t.tenant_id,
                    &eli.name,
                    AssignmentRole::FastTrackEngineer,
                    "",
                    false,
                )
                .await?;
        }
        if i % 5 == 1 {
            store
                .add_tenant_partner(&actor, &t.tenant_id, "Northwind Partners", i % 10 == 1)
                .await?;
        }
        if i % 9 == 4 {
            store
                .assign(
                    &actor,
                    &t.tenant_id,
                    &eli.name,
                    AssignmentRole::CustomerSuccessManager,
                    "",
                    false,
                )
                .await?;
        }
        let status = match rng.below(10) {
            0 => Some(OverallStatus::Blocked),
            1 => Some(OverallStatus::Paused),
            _ => None,
        };
        if status.is_some() || i % 7 == 3 {
            let tn = store.tenant(&t.tenant_id).await?;
            let u = EngagementUpdate {
                overall_status: status,
                status_note: status.map(|s| {
                    format!(
                        "{} while the customer finishes its network upgrade.",
                        s.name()
                    )
                }),
                active: (i % 7 == 3).then_some(false),
                ..Default::default()
            };
            store
                .update_engagement(&actor, &t.tenant_id, tn.version, &u)
                .await?;
        }
        // Progress: the first tasks of the playbook done, some in flight.
        let tasks = store.tenant_tasks(&t.tenant_id).await?;
        let done = rng.below(tasks.len() as u64 / 2 + 1) as usize;
        let who = Actor::user(if i % 2 == 0 { maria } else { eli });
        for (k, task) in tasks.iter().enumerate().take(done + 3) {
            let status = if k < done {
                TaskStatus::Complete
            } else if k == done {
                TaskStatus::InProgress
            } else {
                TaskStatus::NotStarted
            };
            if status == TaskStatus::NotStarted {
                continue;
            }
            let u = TaskUpdate {
                task_id: task.task_id,
                service: task.service.clone(),
                version: task.version,
                status: Some(status),
                percent: None,
                role: None,
            };
            store.set_task(&who, &t.tenant_id, &u).await?;
        }
        if i % 3 == 0 {
            let note = NoteDraft {
                tenant_id: t.tenant_id.clone(),
                category: Some(NoteCategory::EngagementManagement),
                body: format!(
                    "Kick-off held with the **{}** project team. Next: technical assessment.",
                    t.customer
                ),
                next_action: "Schedule the technical assessment".into(),
                ..Default::default()
            };
            store.add_note(&Actor::user(maria), &note, true).await?;
            if let Some(first) = tasks.first() {
                let day = ftop_store::today() - time::Duration::days((i % 20) as i64);
                let date = format!(
                    "{:04}-{:02}-{:02}",
                    day.year(),
                    u8::from(day.month()),
                    day.day()
                );
                let minutes = 15 + (rng.below(8) as i64) * 15;
                store
                    .add_time(
                        &Actor::user(maria),
                        &t.tenant_id,
                        first.task_id,
                        &first.service,
                        minutes,
                        &date,
                        "Kick-off preparation",
                    )
                    .await?;
            }
        }
    }
    let figures = usage(store, &actor, &rows, &mut rng).await?;
    println!(
        "demo: {count} tenants, {} service lines, {figures} monthly usage figures, accounts for every role",
        rows.len()
    );
    print_accounts()
}

/// Twelve month-end usage figures for every service line: AU that starts low and grows at
/// the line's own pace (some stall, some pass 10% and 40%), so the dashboards have a past.
async fn usage(
    store: &Store,
    actor: &Actor,
    rows: &[ImportRow],
    rng: &mut Rng,
) -> anyhow::Result<u64> {
    let mut month_ends = Vec::new();
    let mut d = ftop_store::today();
    for _ in 0..12 {
        d = d.replace_day(1).unwrap_or(d) - time::Duration::days(1);
        month_ends.push(d);
    }
    month_ends.reverse();
    let mut imp = store
        .usage_import(actor, false)
        .await
        .context("demo usage")?;
    let mut line = 1;
    for r in rows {
        let seats: i64 = r.qualified.parse().unwrap_or(0);
        // Basis points of AU: a start of 0-6% and a monthly gain of 0-5%.
        let mut bp = rng.below(600) as i64;
        let gain = rng.below(500) as i64;
        for day in &month_ends {
            bp = (bp + gain / 2 + rng.below(gain as u64 + 1) as i64).min(9_000);
            let active = seats * bp / 10_000;
            line += 1;
            let (date, count) = (day.to_string(), active.to_string());
            imp.push(
                line,
                [
                    r.tenant_id.as_bytes(),
                    r.service.as_bytes(),
                    date.as_bytes(),
                    count.as_bytes(),
                ],
            )
            .await
            .context("demo usage")?;
        }
    }
    let report = imp.finish().await.context("demo usage")?;
    // Forecast dates on every fourth service line.
    let today = ftop_store::today();
    let later = |n: i64| Some(today + time::Duration::days(n));
    for r in rows.iter().step_by(4) {
        let dates = ftop_domain::adoption::ForecastDates {
            submitted: Some(today),
            target_10: later(30 + rng.below(60) as i64),
            target_40: later(120 + rng.below(120) as i64),
            target_max: later(300),
        };
        store
            .save_forecast(actor, &r.tenant_id, &r.service, &dates, None)
            .await
            .context("demo forecasts")?;
    }
    Ok(report.imported)
}

fn print_accounts() -> anyhow::Result<()> {
    println!("demo accounts (name / password):");
    for (name, role, partner, pw) in ACCOUNTS {
        println!(
            "  {name:<6} / {pw:<20} {}{}",
            role.name(),
            partner.map(|p| format!(" of {p}")).unwrap_or_default()
        );
    }
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
