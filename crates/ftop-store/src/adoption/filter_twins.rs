//! The adoption filter's two twins on the same data: the SQL the query builder writes
//! (grouped counts, drill-down rows) against the in-memory predicate of the SQLite
//! scan, for many filters over an irregular portfolio.
#![allow(clippy::unwrap_used)]

use crate::Store;
use crate::adoption::counts::{Grouping, Groups};
use crate::adoption::filter::Selection;
use crate::adoption::filter::{RollupFacts, bucket_code};
use crate::adoption::model::{AdoptionFilter, DateWindow};
use crate::adoption::model::{BucketFilter, MilestoneFilter};
use crate::engagement::portfolio::PortfolioScope;
use ftop_domain::adoption::{Bucket, ForecastStatus, Milestone, date_of};

/// A store on a fresh file with 60 tenants, 3 services each, partners, managers (some
/// of them primary only for one service, which must not count) and rollups of every
/// kind: no seats, no figures, each bucket, milestones and targets around "today".
async fn portfolio() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twins.db");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let mut sql = String::from(
        "BEGIN; INSERT INTO customers (id, name, created_at) VALUES (1, 'c', 'now');
         INSERT INTO partners (id, name, created_at) VALUES (1, 'p1', 'now'), (2, 'p2', 'now');
         INSERT INTO users (id, name, role, password_hash, created_at) VALUES
            (1, 'u1', 'manager', '-', 'now'), (2, 'u2', 'manager', '-', 'now'),
            (3, 'u3', 'manager', '-', 'now');
         INSERT INTO adoption_services (svc, service) VALUES
            (1, 'exchange'), (2, 'teams'), (3, 'intune');",
    );
    // A small deterministic generator.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let day = |v: u64| 20_000 + v as i64 * 10 - 150; // around day 20,000
    for t in 1..=60u64 {
        let id = format!("{t:08}-0000-0000-0000-000000000000");
        sql.push_str(&format!(
            "INSERT INTO tenants (tenant_id, name, customer_id, created_at, updated_at)
             VALUES ('{id}', 't{t:02}', 1, 'now', 'now');
             INSERT INTO adoption_tenants (tkey, tenant_id) VALUES ({t}, '{id}');"
        ));
        for p in 1..=2 {
            if next(3) == 0 {
                sql.push_str(&format!(
                    "INSERT INTO tenant_partners (tenant_id, partner_id) VALUES ('{id}', {p});"
                ));
            }
        }
        let (user, role, service, primary) = match next(6) {
            0 => (1, "fm", "", 1),
            1 => (2, "fm", "", 1),
            2 => (3, "fm", "exchange", 1), // primary for one service only
            3 => (3, "csm", "", 0),
            4 => (2, "fm", "", 0), // not primary
            _ => (0, "", "", 0),
        };
        if user > 0 {
            sql.push_str(&format!(
                "INSERT INTO assignments (tenant_id, user_id, role, service, is_primary, created_at)
                 VALUES ('{id}', {user}, '{role}', '{service}', {primary}, 'now');"
            ));
        }
        for svc in 1..=3 {
            let qualified = [0, 100, 1000][next(3) as usize];
            let figures = next(5) != 0;
            let bucket = if !figures || qualified == 0 {
                "NULL"
            } else {
                ["'below-10'", "'10-40'", "'40-plus'"][next(3) as usize]
            };
            let opt = |v: u64, on: bool| {
                if on {
                    day(v).to_string()
                } else {
                    "NULL".into()
                }
            };
            let (m10, m40) = (next(30), next(30));
            let has10 = figures && next(2) == 0;
            let has40 = has10 && next(2) == 0;
            let (t10, t40) = (next(30), next(30));
            sql.push_str(&format!(
                "INSERT INTO adoption_rollups (tkey, svc, as_of, active_users, qualified, bucket,
                    milestone_10, milestone_40, target_10, target_40)
                 VALUES ({t}, {svc}, {}, {}, {qualified}, {bucket}, {}, {}, {}, {});",
                opt(0, figures),
                if figures { "5" } else { "NULL" },
                opt(m10, has10),
                opt(m10.max(m40), has40),
                opt(t10, next(3) != 0),
                opt(t10.max(t40), next(3) == 0),
            ));
        }
    }
    sql.push_str("COMMIT;");
    c.execute_batch(&sql).unwrap();
    (store, dir)
}

fn filters() -> Vec<AdoptionFilter> {
    let today = date_of(20_000);
    let mut out = vec![AdoptionFilter::default()];
    let w = |from: i32, to: i32| MilestoneFilter {
        milestone: Milestone::Ten,
        from: date_of(from),
        to: date_of(to),
    };
    out.push(AdoptionFilter {
        scope: PortfolioScope {
            partner_id: Some(1),
            assigned_to: None,
        },
        ..Default::default()
    });
    out.push(AdoptionFilter {
        scope: PortfolioScope {
            partner_id: None,
            assigned_to: Some(3),
        },
        service: Some("Exchange".into()),
        ..Default::default()
    });
    out.push(AdoptionFilter {
        manager_id: Some(2),
        ..Default::default()
    });
    out.push(AdoptionFilter {
        manager_id: Some(3),
        ..Default::default()
    });
    out.push(AdoptionFilter {
        partner_id: Some(2),
        bucket: Some(BucketFilter::Bucket(Bucket::From10To40)),
        ..Default::default()
    });
    out.push(AdoptionFilter {
        bucket: Some(BucketFilter::Undefined),
        ..Default::default()
    });
    out.push(AdoptionFilter {
        reached: Some(w(19_900, 20_000)),
        service: Some("teams".into()),
        ..Default::default()
    });
    // Both ends of the window fall on milestone dates.
    out.push(AdoptionFilter {
        reached: Some(w(19_900, 20_000)),
        ..Default::default()
    });
    out.push(AdoptionFilter {
        reached: Some(MilestoneFilter {
            milestone: Milestone::Forty,
            from: None,
            to: None,
        }),
        ..Default::default()
    });
    for m in Milestone::ALL {
        for s in ForecastStatus::ALL {
            out.push(AdoptionFilter {
                forecast: Some((m, s)),
                today,
                ..Default::default()
            });
        }
    }
    out.push(AdoptionFilter {
        service: Some("no-such-service".into()),
        ..Default::default()
    });
    out
}

fn sorted(mut g: Groups) -> Groups {
    g.sort_by_key(|(k, _)| *k);
    g
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_filter_and_in_memory_filter_keep_the_same_rollups() {
    let (store, _dir) = portfolio().await;
    let window = DateWindow {
        from: date_of(19_950).unwrap(),
        to: date_of(20_050).unwrap(),
    };
    const ALL: [Grouping; 4] = [
        Grouping::Totals,
        Grouping::Service,
        Grouping::Partner,
        Grouping::Manager,
    ];
    let side = store.sqlite.clone().unwrap();
    let mut nonempty = 0;
    for f in filters() {
        // Counts: the scan (in-memory predicate) against the grouped SQL.
        let scanned = store.fast_grouped(&f, window, &ALL).await.unwrap().unwrap();
        for (g, scan) in ALL.iter().zip(scanned) {
            let by_sql = store.adoption_grouped(*g, &f, window).await.unwrap();
            assert_eq!(sorted(scan), sorted(by_sql), "{g:?} of {f:?}");
        }
        // Rows: the drill-down's SQL against the predicate over every rollup.
        let by_sql: Vec<(String, String)> = store
            .adoption_rows(&AdoptionFilter {
                limit: Some(1000),
                ..f.clone()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.tenant_id, r.adoption.service_key))
            .collect();
        let sel = Selection::of(&f);
        let in_memory = side
            .with_reader(|c| {
                let mut sets = Vec::new();
                for (q, v) in sel.tenant_sets() {
                    let mut st = c.prepare(&q)?;
                    let keys: std::collections::HashSet<i64> = st
                        .query_map([v], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    sets.push(keys);
                }
                let mut st = c.prepare(
                    "SELECT r.tkey, r.svc, r.as_of IS NOT NULL, r.qualified > 0, r.bucket,
                        r.milestone_10, r.milestone_40, r.target_10, r.target_40,
                        k.tenant_id, c.service, t.name
                     FROM adoption_rollups r JOIN adoption_tenants k ON k.tkey = r.tkey
                     JOIN tenants t ON t.tenant_id = k.tenant_id
                     JOIN adoption_services c ON c.svc = r.svc ORDER BY t.name, c.service",
                )?;
                let mut rows = st.query(())?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let facts = RollupFacts {
                        tkey: r.get(0)?,
                        svc: r.get(1)?,
                        as_of: r.get(2)?,
                        engaged: r.get(3)?,
                        bucket: bucket_code(
                            r.get::<_, Option<String>>(4)?.as_deref().map(str::as_bytes),
                        ),
                        m10: r.get(5)?,
                        m40: r.get(6)?,
                        t10: r.get(7)?,
                        t40: r.get(8)?,
                    };
                    let service: String = r.get(10)?;
                    if sets.iter().all(|s| s.contains(&facts.tkey))
                        && sel.service.as_ref().is_none_or(|s| *s == service)
                        && sel.keeps(&facts).is_some()
                    {
                        out.push((r.get(9)?, service));
                    }
                }
                Ok(out)
            })
            .unwrap();
        assert_eq!(by_sql, in_memory, "rows of {f:?}");
        nonempty += usize::from(!in_memory.is_empty());
    }
    // The data exercises the filters: most of them keep something.
    assert!(nonempty >= 15, "{nonempty} filters kept rows");
}
