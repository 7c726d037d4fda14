//! The SQL refresh checked against the domain's rollup arithmetic, and the grouping of
//! touched keys into ranges.

use super::*;
use crate::db::Backend;
use ftop_domain::adoption::{rollup, seats_on};

#[tokio::test]
async fn the_refresh_statement_computes_the_domains_rollups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refresh.db");
    Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    // Pairs of figures on thresholds and around them, with seat changes and no seats.
    let mut seed = 0x9E37_79B9u64;
    let mut next = |n: i64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        ((seed >> 33) % n as u64) as i64
    };
    let mut pairs = Vec::new();
    c.execute_batch("BEGIN").unwrap();
    for tkey in 1..=200i64 {
        let seats: Vec<(Day, i64)> = match next(4) {
            0 => vec![],
            1 => vec![(100, [0, 10, 1000][next(3) as usize])],
            _ => vec![
                (100, 1000),
                (100 + next(60) as Day, [0, 250, 4000][next(3) as usize]),
            ],
        };
        let mut figures = Vec::new();
        for day in (90..190).step_by(1 + next(15) as usize) {
            let q = seats_on(&seats, day);
            // Exactly 10% and 40% of the seats, one under, or anything.
            let a = match next(4) {
                0 => q / 10,
                1 => q * 4 / 10,
                2 => (q * 4 / 10 - 1).max(0),
                _ => next(q.max(1) * 2),
            };
            figures.push((day, a));
            c.execute(
                "INSERT INTO usage_figures (tkey, svc, day, active_users, qualified)
                 VALUES (?1, 1, ?2, ?3, ?4)",
                (tkey, day, a, q),
            )
            .unwrap();
        }
        pairs.push((tkey, figures, seats));
    }
    c.execute(REFRESH.get(Backend::Sqlite), (i64::MIN, i64::MAX, -1))
        .unwrap();
    c.execute_batch("COMMIT").unwrap();
    for (tkey, figures, seats) in pairs {
        let want = rollup(&figures, &seats).unwrap();
        let got = c
            .query_row(
                "SELECT as_of, active_users, qualified, au_bp, bucket, milestone_10,
                    milestone_40 FROM adoption_rollups WHERE tkey = ?1 AND svc = 1",
                [tkey],
                |r| {
                    Ok((
                        r.get::<_, Day>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<Day>>(5)?,
                        r.get::<_, Option<Day>>(6)?,
                    ))
                },
            )
            .unwrap();
        let want = (
            want.as_of,
            want.active_users,
            want.qualified,
            want.au_bp,
            want.bucket.map(|b| b.key().to_string()),
            want.milestone_10,
            want.milestone_40,
        );
        assert_eq!(got, want, "tenant key {tkey}");
    }
}

#[test]
fn touched_keys_group_into_tight_ranges() {
    assert_eq!(key_ranges(&[]), vec![]);
    assert_eq!(key_ranges(&[5]), vec![(5, 5)]);
    let dense: Vec<i64> = (1..=10).collect();
    assert_eq!(key_ranges(&dense), vec![(1, 10)]);
    assert_eq!(
        key_ranges(&[1, 2, 1_000_000]),
        vec![(1, 2), (1_000_000, 1_000_000)]
    );
}
