//! The realistic usage generator of benchmark B5 (`scripts/bench-adoption`), shared with
//! the predicted-gain backtest (B8, `tests/adoption.rs`): N tenants × 10 services, each
//! with seats and a monthly AU that grows towards a final share with noise. Deterministic.

#![allow(dead_code)]

pub(crate) const SERVICES: [&str; 10] = [
    "exchange",
    "sharepoint",
    "onedrive",
    "teams",
    "yammer",
    "outlook-mobile",
    "m365-apps",
    "skype-for-business",
    "project",
    "aadp",
];

/// A small deterministic generator (splitmix64).
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub(crate) fn tenant_id(i: u64) -> String {
    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5bd1_e995;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        i as u32,
        (h >> 48) & 0xffff,
        (h >> 36) & 0xfff,
        (h >> 24) & 0xfff,
        h & 0xffff_ffff_ffff
    )
}

/// Months ending with the one before the current (fixed: 2026-11), first day of each.
pub(crate) fn dates(months: u32) -> Vec<String> {
    (0..months)
        .map(|m| {
            let back = months - 1 - m;
            let total = 2026 * 12 + 10 - back as i32; // 2026-11 is month index 10
            format!("{:04}-{:02}-01", total / 12, total % 12 + 1)
        })
        .collect()
}

/// Calls `each(i, tenant ID, service, seats, qualified seats, active users a month)` for
/// tenants 1..=`tenants` and each of their services, in that order.
pub(crate) fn generate(
    tenants: u64,
    months: u32,
    mut each: impl FnMut(u64, &str, &str, i64, i64, &[i64]),
) {
    let mut rng = Rng(20_261_201);
    const SEATS: [i64; 8] = [50, 150, 300, 500, 1000, 2500, 5000, 15000];
    let mut active = Vec::with_capacity(months as usize);
    for i in 1..=tenants {
        let id = tenant_id(i);
        for s in SERVICES {
            let seats = SEATS[rng.below(8) as usize];
            let qualified = seats - rng.below(seats as u64 / 2 + 1) as i64;
            // AU grows towards a final share with noise.
            let end = rng.unit() * 0.7;
            let pow = 0.5 + rng.unit() * 2.0;
            active.clear();
            for m in 0..months {
                let x = (f64::from(m) + 1.0) / f64::from(months);
                let share = (end * x.powf(pow) * (0.85 + 0.3 * rng.unit())).max(0.0);
                active.push((share * qualified as f64).round() as i64);
            }
            each(i, &id, s, seats, qualified, &active);
        }
    }
}
