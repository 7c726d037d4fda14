//! Adoption analytics: Active Usage (AU), its buckets and milestones, enablement and
//! success, and forecast dates for the milestones.
//!
//! A usage figure is the number of distinct users of one service who did something on
//! purpose in it during the 28 days that end on the figure's date. AU% divides it by the
//! qualified entitlements (seats) in effect on that date. Thresholds are tested with
//! integers (`active × 100 ≥ pct × seats`), so exactly 10% counts as reaching 10%.
//!
//! Dates are handled as [`Day`]s (whole days since 1970-01-01): compact to store, cheap to
//! parse and compare.

use crate::taxonomy::{L1, StatusRow};
use crate::{Errors, FieldError, Invalid};
use serde::{Deserialize, Serialize};
use time::Date;

time::serde::format_description!(
    pub iso_date,
    Date,
    "[year]-[month]-[day]"
);

/// A date as whole days since 1970-01-01 (negative before).
pub type Day = i32;

/// The Julian day number of 1970-01-01.
const EPOCH_JULIAN: i32 = 2_440_588;

/// The day of a date.
pub fn day_of(d: Date) -> Day {
    d.to_julian_day() - EPOCH_JULIAN
}

/// The date of a day (None outside the years -9999..=9999).
pub fn date_of(d: Day) -> Option<Date> {
    Date::from_julian_day(d.checked_add(EPOCH_JULIAN)?).ok()
}

/// Parses `YYYY-MM-DD` (surrounding spaces allowed) without allocating; None when it is
/// not a real calendar date.
pub fn parse_day(s: &[u8]) -> Option<Day> {
    let s = s.trim_ascii();
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let num = |b: &[u8]| -> Option<i32> {
        b.iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(&s[..4])?, num(&s[5..7])?, num(&s[8..])?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i32, m: i32, d: i32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An AU milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Milestone {
    /// Onboarding: 10% AU.
    #[serde(rename = "10")]
    Ten,
    /// Adoption: 40% AU.
    #[serde(rename = "40")]
    Forty,
}

impl Milestone {
    /// Both milestones, in order.
    pub const ALL: [Milestone; 2] = [Milestone::Ten, Milestone::Forty];

    /// The AU percentage that reaches it.
    pub fn percent(self) -> i64 {
        match self {
            Milestone::Ten => 10,
            Milestone::Forty => 40,
        }
    }

    /// Stable key (`10`, `40`).
    pub fn key(self) -> &'static str {
        match self {
            Milestone::Ten => "10",
            Milestone::Forty => "40",
        }
    }

    /// Parses a key (`10`, `40`, with or without `%`).
    pub fn parse(s: &str) -> Option<Milestone> {
        match s.trim().trim_end_matches('%') {
            "10" => Some(Milestone::Ten),
            "40" => Some(Milestone::Forty),
            _ => None,
        }
    }
}

/// Whether `active` users out of `seats` qualified seats reach `pct` percent. Exact: no
/// floating point. Never true without seats (AU is undefined then).
pub fn reaches(active: i64, seats: i64, pct: i64) -> bool {
    seats > 0 && active.saturating_mul(100) >= pct.saturating_mul(seats)
}

/// AU in basis points (hundredths of a percent), rounded half up; None without seats.
pub fn au_basis_points(active: i64, seats: i64) -> Option<i64> {
    if seats <= 0 {
        return None;
    }
    let a = i128::from(active.max(0));
    let s = i128::from(seats);
    i64::try_from((a * 20_000 + s) / (2 * s)).ok()
}

/// The default of how far AU must move within 30 days, in basis points (5 percentage
/// points), to count as a significant gain or drop (the grid's tripwires; `ftop serve
/// --tripwire-points`).
pub const TRIPWIRE_BP: i64 = 500;

/// Which way AU moved significantly between two figures (active users and qualified seats
/// then and now): up (`true`) or down (`false`) by at least `threshold_bp` basis points.
/// None when it moved less, or when either figure has no seats.
pub fn significant_move(then: (i64, i64), now: (i64, i64), threshold_bp: i64) -> Option<bool> {
    let before = au_basis_points(then.0, then.1)?;
    let after = au_basis_points(now.0, now.1)?;
    let threshold = threshold_bp.max(1);
    if after - before >= threshold {
        Some(true)
    } else if before - after >= threshold {
        Some(false)
    } else {
        None
    }
}

/// AU as a percentage rounded to two decimals; None without seats. Uncapped: more active
/// users than seats gives more than 100.
pub fn au_percent(active: i64, seats: i64) -> Option<f64> {
    au_basis_points(active, seats).map(|bp| bp as f64 / 100.0)
}

/// Active users still needed to reach `pct` percent: `ceil(pct × seats / 100) − active`,
/// at least 0.
pub fn users_to_reach(active: i64, seats: i64, pct: i64) -> i64 {
    // In 128 bits: no seat count, however large, overflows.
    let need = (i128::from(pct.max(0)) * i128::from(seats.max(0)) + 99) / 100;
    i64::try_from((need - i128::from(active)).max(0)).unwrap_or(i64::MAX)
}

/// The AU bands reports colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Bucket {
    /// Under 10%.
    #[serde(rename = "below-10")]
    Below10,
    /// From 10% (included) to under 40%.
    #[serde(rename = "10-40")]
    From10To40,
    /// 40% and above: exactly 40% counts as adopted.
    #[serde(rename = "40-plus")]
    From40,
}

impl Bucket {
    /// Every bucket, lowest first.
    pub const ALL: [Bucket; 3] = [Bucket::Below10, Bucket::From10To40, Bucket::From40];

    /// Stable key, as stored (`below-10`, `10-40`, `40-plus`).
    pub fn key(self) -> &'static str {
        match self {
            Bucket::Below10 => "below-10",
            Bucket::From10To40 => "10-40",
            Bucket::From40 => "40-plus",
        }
    }

    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            Bucket::Below10 => "<10%",
            Bucket::From10To40 => "10–40%",
            Bucket::From40 => "40%+",
        }
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Option<Bucket> {
        Bucket::ALL.into_iter().find(|b| b.key() == s.trim())
    }
}

/// The bucket of `active` users on `seats` seats; None when AU is undefined (no seats).
pub fn bucket(active: i64, seats: i64) -> Option<Bucket> {
    if seats <= 0 {
        None
    } else if reaches(active, seats, 40) {
        Some(Bucket::From40)
    } else if reaches(active, seats, 10) {
        Some(Bucket::From10To40)
    } else {
        Some(Bucket::Below10)
    }
}

/// Qualified seats in effect on `day`, from a history of (effective day, seats) sorted by
/// day: the latest value effective on or before `day`; before the first record, the first
/// record's value; 0 without history.
pub fn seats_on(history: &[(Day, i64)], day: Day) -> i64 {
    let i = history.partition_point(|(d, _)| *d <= day);
    match i {
        0 => history.first().map_or(0, |h| h.1),
        i => history[i - 1].1,
    }
}

/// Where a service of a tenant stands, computed from its usage figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// Latest date with a figure.
    pub as_of: Day,
    /// Active users on that date.
    pub active_users: i64,
    /// Qualified seats in effect on that date.
    pub qualified: i64,
    /// AU in basis points on that date (None without seats).
    pub au_bp: Option<i64>,
    /// Bucket on that date (None without seats).
    pub bucket: Option<Bucket>,
    /// First date AU reached 10%.
    pub milestone_10: Option<Day>,
    /// First date AU reached 40%.
    pub milestone_40: Option<Day>,
}

/// Where a service stands while its figures are taken one by one: the latest figure and
/// the first day each milestone was reached. The one place the rollup arithmetic lives:
/// [`rollup`] folds a whole series through it, and the store keeps it up to date figure
/// by figure during imports and recomputes; the store's SQL refresh is tested against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RollupState {
    /// Day of the latest figure.
    pub as_of: Option<Day>,
    /// Active users of the latest figure.
    pub active: Option<i64>,
    /// Qualified seats of the latest figure (0 without figures).
    pub qualified: i64,
    /// First day AU reached 10%.
    pub m10: Option<Day>,
    /// First day AU reached 40%.
    pub m40: Option<Day>,
}

impl RollupState {
    /// Takes one figure: `active` users on `day` against the `qualified` seats in effect
    /// that day, in any order, replacing a figure of the same day. False (and nothing
    /// changed) when the state can no longer be known from what it holds: the figure that
    /// first reached a milestone replaced by one that does not reach it (then the series
    /// must be folded again).
    pub fn take(&mut self, day: Day, active: i64, qualified: i64) -> bool {
        let r10 = reaches(active, qualified, Milestone::Ten.percent());
        let r40 = reaches(active, qualified, Milestone::Forty.percent());
        if (self.m10 == Some(day) && !r10) || (self.m40 == Some(day) && !r40) {
            return false;
        }
        if r10 && self.m10.is_none_or(|m| day < m) {
            self.m10 = Some(day);
        }
        if r40 && self.m40.is_none_or(|m| day < m) {
            self.m40 = Some(day);
        }
        if self.as_of.is_none_or(|a| day >= a) {
            self.as_of = Some(day);
            self.active = Some(active);
            self.qualified = qualified;
        }
        true
    }

    /// AU in basis points and the bucket of the latest figure.
    pub fn derived(&self) -> (Option<i64>, Option<Bucket>) {
        let a = self.active.unwrap_or(0);
        (
            au_basis_points(a, self.qualified),
            bucket(a, self.qualified),
        )
    }
}

/// The rollup of usage figures (day, active users; any order, one per day) against a seat
/// history (sorted by effective day). None without figures. The reference the store's
/// SQL is tested against.
pub fn rollup(figures: &[(Day, i64)], seats: &[(Day, i64)]) -> Option<Rollup> {
    let mut sorted = figures.to_vec();
    sorted.sort_unstable();
    let mut state = RollupState::default();
    for &(day, active) in &sorted {
        // Ascending days, one figure each: every figure can be taken.
        state.take(day, active, seats_on(seats, day));
    }
    let (au_bp, bucket) = state.derived();
    Some(Rollup {
        as_of: state.as_of?,
        active_users: state.active?,
        qualified: state.qualified,
        au_bp,
        bucket,
        milestone_10: state.m10,
        milestone_40: state.m40,
    })
}

/// Customers with fewer seats than this complete enablement at 10% AU instead of 100
/// active users.
pub const SMALL_CUSTOMER_SEATS: i64 = 1_000;

/// Enablement is complete at 100 active users, or at 10% AU for customers with fewer than
/// 1,000 seats (`seats` is the customer's size: callers pass the tenant's seat count).
pub fn enablement_complete(active: i64, seats: i64) -> bool {
    active >= 100 || (seats < SMALL_CUSTOMER_SEATS && reaches(active, seats, 10))
}

/// Whether the customer intends to use a service, from its entitlement status rows: some
/// entitlements are neither No Intent nor Duplicate/Invalid.
pub fn intended(rows: &[StatusRow]) -> bool {
    rows.iter()
        .any(|r| r.count > 0 && !matches!(r.l1, L1::NoIntent | L1::DuplicateInvalid))
}

/// Success: the customer intends to use at least one service and every service it intends
/// to use is at or above 10% AU. Each item: (intended, current AU bucket).
pub fn success(services: impl IntoIterator<Item = (bool, Option<Bucket>)>) -> bool {
    let mut any = false;
    for (intended, b) in services {
        if intended {
            any = true;
            if !matches!(b, Some(Bucket::From10To40 | Bucket::From40)) {
                return false;
            }
        }
    }
    any
}

/// Forecast dates of one service of a tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastDates {
    /// Submitted date (RFA).
    #[serde(default, with = "iso_date::option")]
    pub submitted: Option<Date>,
    /// Target date for 10% AU.
    #[serde(default, with = "iso_date::option")]
    pub target_10: Option<Date>,
    /// Target date for 40% AU (optional: left out when the customer stays under 40%).
    #[serde(default, with = "iso_date::option")]
    pub target_40: Option<Date>,
    /// Target date for maximum AU.
    #[serde(default, with = "iso_date::option")]
    pub target_max: Option<Date>,
}

impl ForecastDates {
    /// The target for a milestone.
    pub fn target(&self, m: Milestone) -> Option<Date> {
        match m {
            Milestone::Ten => self.target_10,
            Milestone::Forty => self.target_40,
        }
    }
}

/// Checks forecast dates before they are saved: the submitted date (RFA) is required; the
/// 10% and max targets are required, 40% is optional; a target is after the RFA (10%,
/// max) or after the 10% target (40%), and in the future (after `today`) unless it is
/// unchanged from the `previous` save (a date that has since passed may stay).
pub fn validate_forecast(
    f: &ForecastDates,
    previous: Option<&ForecastDates>,
    today: Date,
) -> Result<(), Invalid> {
    let mut e = Errors::default();
    if f.submitted.is_none() {
        e.push(FieldError::of("submitted", "invalid-submitted-required"));
    }
    let future = |e: &mut Errors, field: &str, d: Option<Date>, old: Option<Date>| {
        if let Some(d) = d
            && d <= today
            && Some(d) != old
        {
            e.push(FieldError::of(field, "invalid-date-not-future").with("date", d));
        }
    };
    let prev = previous.copied().unwrap_or_default();
    match f.target_10 {
        None => e.push(FieldError::of("target_10", "invalid-target-10-required")),
        Some(t) => {
            future(&mut e, "target_10", Some(t), prev.target_10);
            if let Some(s) = f.submitted
                && t <= s
            {
                e.push(FieldError::of("target_10", "invalid-after-submitted").with("date", s));
            }
        }
    }
    if let Some(t) = f.target_40 {
        future(&mut e, "target_40", Some(t), prev.target_40);
        if let Some(t10) = f.target_10
            && t <= t10
        {
            e.push(FieldError::of("target_40", "invalid-after-target-10").with("date", t10));
        }
    }
    match f.target_max {
        None => e.push(FieldError::of("target_max", "invalid-target-max-required")),
        Some(t) => {
            future(&mut e, "target_max", Some(t), prev.target_max);
            if let Some(s) = f.submitted
                && t <= s
            {
                e.push(FieldError::of("target_max", "invalid-after-submitted").with("date", s));
            }
        }
    }
    e.finish()
}

/// A forecast date against what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForecastStatus {
    /// Reached on or before the forecast date, which has passed.
    MetEarly,
    /// Reached after the forecast date.
    MetLate,
    /// Not reached and the forecast date has passed.
    Overdue,
    /// Not reached yet; the forecast date is today or later.
    OnTrack,
    /// Already reached though the forecast date is still today or later.
    ReachedBeforeForecast,
}

impl ForecastStatus {
    /// Every status.
    pub const ALL: [ForecastStatus; 5] = [
        ForecastStatus::MetEarly,
        ForecastStatus::MetLate,
        ForecastStatus::Overdue,
        ForecastStatus::OnTrack,
        ForecastStatus::ReachedBeforeForecast,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            ForecastStatus::MetEarly => "met-early",
            ForecastStatus::MetLate => "met-late",
            ForecastStatus::Overdue => "overdue",
            ForecastStatus::OnTrack => "on-track",
            ForecastStatus::ReachedBeforeForecast => "reached-before-forecast",
        }
    }

    /// Parses a key.
    pub fn parse(s: &str) -> Option<ForecastStatus> {
        ForecastStatus::ALL
            .into_iter()
            .find(|x| x.key() == s.trim())
    }
}

/// A milestone's forecast date against the date it was actually reached, seen on `today`;
/// None without a forecast date.
pub fn forecast_status(
    forecast: Option<Day>,
    actual: Option<Day>,
    today: Day,
) -> Option<ForecastStatus> {
    let f = forecast?;
    Some(match actual {
        Some(a) if a > f => ForecastStatus::MetLate,
        Some(_) if f < today => ForecastStatus::MetEarly,
        Some(_) => ForecastStatus::ReachedBeforeForecast,
        None if f < today => ForecastStatus::Overdue,
        None => ForecastStatus::OnTrack,
    })
}

/// Share of `reached` among `engaged`, in percent rounded to two decimals (None when
/// nothing is engaged).
pub fn conversion_rate(reached: i64, engaged: i64) -> Option<f64> {
    au_percent(reached, engaged)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn users_to_reach_never_overflows() {
        assert_eq!(users_to_reach(0, i64::MAX, 40), 3_689_348_814_741_910_323);
        assert_eq!(users_to_reach(5, 100, 10), 5);
        assert_eq!(users_to_reach(50, 100, 10), 0);
    }

    #[test]
    fn a_move_counts_from_the_threshold_on_both_ways() {
        // 10% to 15%: exactly five points up.
        assert_eq!(significant_move((10, 100), (15, 100), 500), Some(true));
        assert_eq!(significant_move((10, 100), (14, 100), 500), None);
        assert_eq!(significant_move((40, 100), (35, 100), 500), Some(false));
        // Seats count: the same users over more seats is a drop.
        assert_eq!(significant_move((50, 100), (50, 200), 500), Some(false));
        assert_eq!(significant_move((0, 0), (50, 100), 500), None);
    }

    fn d(s: &str) -> Day {
        parse_day(s.as_bytes()).unwrap()
    }

    #[test]
    fn days_parse_and_convert() {
        assert_eq!(parse_day(b"1970-01-01"), Some(0));
        assert_eq!(parse_day(b"1970-01-02"), Some(1));
        assert_eq!(parse_day(b"1969-12-31"), Some(-1));
        assert_eq!(
            parse_day(b" 2024-02-29 "),
            Some(day_of(date!(2024 - 02 - 29)))
        );
        assert_eq!(
            parse_day(b"2000-03-01"),
            Some(day_of(date!(2000 - 03 - 01)))
        );
        for bad in [
            "2023-02-29",
            "2100-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "",
            "2024-01-0x",
            "+024-01-01",
        ] {
            assert_eq!(parse_day(bad.as_bytes()), None, "{bad}");
        }
        for x in [-1000, 0, 19_000, 20_089, 30_000] {
            assert_eq!(day_of(date_of(x).unwrap()), x);
        }
        assert_eq!(date_of(d("2026-12-01")), Some(date!(2026 - 12 - 01)));
    }

    #[test]
    fn au_is_exact_at_the_thresholds() {
        // 100 of 1,000 is exactly 10%: reached. 99 of 1,000 is 9.9%: not.
        assert!(reaches(100, 1000, 10));
        assert!(!reaches(99, 1000, 10));
        // 1 of 3 seats is 33.33%: 10% reached, 40% not; 2 of 5 is exactly 40%.
        assert!(reaches(1, 3, 10) && !reaches(1, 3, 40));
        assert!(reaches(2, 5, 40));
        assert!(!reaches(0, 0, 10) && !reaches(5, 0, 10));
        assert_eq!(au_basis_points(1, 3), Some(3333));
        assert_eq!(au_basis_points(2, 3), Some(6667));
        assert_eq!(au_percent(2, 3), Some(66.67));
        assert_eq!(au_percent(100, 1000), Some(10.0));
        // 9,999 of 100,000 is 9.999%: shown as 10.00 but below the milestone.
        assert_eq!(au_percent(9_999, 100_000), Some(10.0));
        assert_eq!(bucket(9_999, 100_000), Some(Bucket::Below10));
        assert_eq!(au_percent(150, 100), Some(150.0));
        assert_eq!(au_percent(1, 0), None);
        assert_eq!(users_to_reach(0, 1000, 10), 100);
        assert_eq!(users_to_reach(0, 1001, 10), 101);
        assert_eq!(users_to_reach(500, 1000, 40), 0);
    }

    #[test]
    fn buckets_put_exactly_40_on_top() {
        assert_eq!(bucket(0, 100), Some(Bucket::Below10));
        assert_eq!(bucket(9, 100), Some(Bucket::Below10));
        assert_eq!(bucket(10, 100), Some(Bucket::From10To40));
        assert_eq!(bucket(39, 100), Some(Bucket::From10To40));
        assert_eq!(bucket(40, 100), Some(Bucket::From40));
        assert_eq!(bucket(400, 100), Some(Bucket::From40));
        assert_eq!(bucket(10, 0), None);
        for b in Bucket::ALL {
            assert_eq!(Bucket::parse(b.key()), Some(b));
        }
    }

    #[test]
    fn seats_in_effect_follow_the_history() {
        let h = [(d("2024-03-01"), 200), (d("2024-06-01"), 100)];
        assert_eq!(seats_on(&h, d("2024-01-15")), 200); // before the first: the first
        assert_eq!(seats_on(&h, d("2024-03-01")), 200);
        assert_eq!(seats_on(&h, d("2024-05-31")), 200);
        assert_eq!(seats_on(&h, d("2024-06-01")), 100);
        assert_eq!(seats_on(&h, d("2025-01-01")), 100);
        assert_eq!(seats_on(&[], 0), 0);
    }

    #[test]
    fn milestones_are_the_first_dates_reaching_them() {
        // 1,000 seats: 50, 100 (exactly 10%), 90, 420 (42%), 300.
        let seats = [(d("2024-01-01"), 1000)];
        let f = [
            (d("2024-05-31"), 300),
            (d("2024-01-31"), 50),
            (d("2024-02-29"), 100),
            (d("2024-03-31"), 90),
            (d("2024-04-30"), 420),
        ];
        let r = rollup(&f, &seats).unwrap();
        assert_eq!(r.as_of, d("2024-05-31"));
        assert_eq!((r.active_users, r.qualified), (300, 1000));
        assert_eq!(r.au_bp, Some(3000));
        assert_eq!(r.bucket, Some(Bucket::From10To40));
        assert_eq!(r.milestone_10, Some(d("2024-02-29")));
        assert_eq!(r.milestone_40, Some(d("2024-04-30")));
        // No seats: AU undefined, no milestones.
        let r = rollup(&f, &[]).unwrap();
        assert_eq!((r.au_bp, r.bucket, r.milestone_10), (None, None, None));
        assert_eq!(rollup(&[], &seats), None);
    }

    #[test]
    fn milestones_use_the_seats_in_effect_on_each_date() {
        // 80 users: 8% of 1,000 seats in January; 16% of 500 seats from February on.
        let seats = [(d("2024-01-01"), 1000), (d("2024-02-01"), 500)];
        let f = [(d("2024-01-31"), 80), (d("2024-02-29"), 80)];
        let r = rollup(&f, &seats).unwrap();
        assert_eq!(r.milestone_10, Some(d("2024-02-29")));
        assert_eq!(r.au_bp, Some(1600));
        // The other way round: 120 users are 12% of 1,000 but 6% of 2,000.
        let seats = [(d("2024-01-01"), 1000), (d("2024-02-01"), 2000)];
        let f = [(d("2024-01-31"), 120), (d("2024-02-29"), 120)];
        let r = rollup(&f, &seats).unwrap();
        assert_eq!(r.milestone_10, Some(d("2024-01-31")));
        assert_eq!(r.bucket, Some(Bucket::Below10));
    }

    #[test]
    fn figures_taken_in_any_order_give_the_rollup_of_the_series() {
        let seats = [(d("2024-01-01"), 1000), (d("2024-03-01"), 500)];
        let f = [
            (d("2024-04-30"), 60),
            (d("2024-01-31"), 120),
            (d("2024-05-31"), 210),
            (d("2024-02-29"), 50),
            (d("2024-03-31"), 40),
        ];
        let want = rollup(&f, &seats).unwrap();
        let mut s = RollupState::default();
        for &(day, a) in &f {
            assert!(s.take(day, a, seats_on(&seats, day)));
        }
        assert_eq!(
            (s.as_of, s.active, s.qualified, s.m10, s.m40),
            (
                Some(want.as_of),
                Some(want.active_users),
                want.qualified,
                want.milestone_10,
                want.milestone_40
            )
        );
        assert_eq!(s.derived(), (want.au_bp, want.bucket));
        assert_eq!(s.m10, Some(d("2024-01-31")));
        assert_eq!(s.m40, Some(d("2024-05-31")));
        // The figure that reached 10% first, replaced by one that does not: unknowable.
        let before = s;
        assert!(!s.take(d("2024-01-31"), 10, 1000));
        assert_eq!(s, before);
        // Replaced by one that still reaches it: fine.
        assert!(s.take(d("2024-01-31"), 110, 1000));
    }

    #[test]
    fn enablement_and_success() {
        assert!(enablement_complete(100, 50_000));
        assert!(!enablement_complete(99, 50_000));
        assert!(enablement_complete(50, 500)); // 10% of 500
        assert!(!enablement_complete(49, 500));
        assert!(!enablement_complete(99, 1_000)); // 1,000 seats is not "under 1,000"
        let row = |l1, count| StatusRow {
            l1,
            count,
            ..StatusRow::new_entitlements(count)
        };
        assert!(!intended(&[row(L1::NoIntent, 100)]));
        assert!(!intended(&[
            row(L1::NoIntent, 60),
            row(L1::DuplicateInvalid, 40)
        ]));
        assert!(intended(&[row(L1::NoIntent, 60), row(L1::Blocked, 40)]));
        assert!(intended(&[row(L1::StatusUnknown, 10)]));
        assert!(!intended(&[]));
        let (lo, mid, hi) = (
            Some(Bucket::Below10),
            Some(Bucket::From10To40),
            Some(Bucket::From40),
        );
        assert!(success([(true, mid), (true, hi), (false, lo)]));
        assert!(!success([(true, mid), (true, lo)]));
        assert!(!success([(true, None)]));
        assert!(!success([(false, hi)]));
    }

    #[test]
    fn forecasts_need_an_rfa_and_dates_in_order() {
        let today = date!(2026 - 06 - 01);
        let ok = ForecastDates {
            submitted: Some(date!(2026 - 05 - 01)),
            target_10: Some(date!(2026 - 07 - 01)),
            target_40: Some(date!(2026 - 10 - 01)),
            target_max: Some(date!(2026 - 12 - 01)),
        };
        assert_eq!(validate_forecast(&ok, None, today), Ok(()));
        let no40 = ForecastDates {
            target_40: None,
            ..ok
        };
        assert_eq!(validate_forecast(&no40, None, today), Ok(()));
        let fields = |f: &ForecastDates, prev: Option<&ForecastDates>| -> Vec<String> {
            validate_forecast(f, prev, today)
                .err()
                .map(|e| e.0.into_iter().map(|x| x.field).collect())
                .unwrap_or_default()
        };
        let no_rfa = ForecastDates {
            submitted: None,
            ..ok
        };
        assert_eq!(fields(&no_rfa, None), ["submitted"]);
        let reversed = ForecastDates {
            target_40: Some(date!(2026 - 06 - 15)),
            ..ok
        };
        assert_eq!(fields(&reversed, None), ["target_40"]);
        let same = ForecastDates {
            target_40: ok.target_10,
            ..ok
        };
        assert_eq!(fields(&same, None), ["target_40"]);
        let past = ForecastDates {
            target_10: Some(today),
            ..ok
        };
        assert_eq!(fields(&past, None), ["target_10"]);
        // A date that has passed since the last save may stay.
        let earlier = ForecastDates {
            submitted: Some(date!(2026 - 01 - 01)),
            target_10: Some(date!(2026 - 03 - 01)),
            ..ok
        };
        assert_eq!(fields(&earlier, Some(&earlier)), Vec::<String>::new());
        assert_eq!(fields(&earlier, None), ["target_10"]);
        let before_rfa = ForecastDates {
            submitted: Some(date!(2026 - 08 - 01)),
            ..ok
        };
        assert_eq!(fields(&before_rfa, None), ["target_10"]);
        let max_before_rfa = ForecastDates {
            target_max: Some(date!(2026 - 07 - 01)),
            submitted: Some(date!(2026 - 07 - 01)),
            target_10: Some(date!(2026 - 07 - 02)),
            target_40: None,
        };
        assert_eq!(fields(&max_before_rfa, None), ["target_max"]);
        assert_eq!(
            fields(&ForecastDates::default(), None),
            ["submitted", "target_10", "target_max"]
        );
    }

    #[test]
    fn forecast_against_actual() {
        let (f, today) = (d("2026-06-30"), d("2026-09-01"));
        use ForecastStatus::*;
        assert_eq!(forecast_status(None, Some(f), today), None);
        assert_eq!(
            forecast_status(Some(f), Some(d("2026-06-01")), today),
            Some(MetEarly)
        );
        assert_eq!(forecast_status(Some(f), Some(f), today), Some(MetEarly));
        assert_eq!(
            forecast_status(Some(f), Some(d("2026-07-31")), today),
            Some(MetLate)
        );
        assert_eq!(forecast_status(Some(f), None, today), Some(Overdue));
        let early = d("2026-05-01");
        assert_eq!(forecast_status(Some(f), None, early), Some(OnTrack));
        assert_eq!(forecast_status(Some(f), None, f), Some(OnTrack));
        assert_eq!(
            forecast_status(Some(f), Some(d("2026-04-30")), early),
            Some(ReachedBeforeForecast)
        );
        for s in ForecastStatus::ALL {
            assert_eq!(ForecastStatus::parse(s.key()), Some(s));
        }
        assert_eq!(conversion_rate(1, 3), Some(33.33));
        assert_eq!(conversion_rate(0, 0), None);
    }
}

/// The columns of a usage file, in the order importers pass them on.
pub const USAGE_COLUMNS: [&str; 4] = ["tenant_id", "service", "date", "active_users"];

/// Where each of [`USAGE_COLUMNS`] is in a usage file's header (names compared without
/// case, surrounding spaces or a byte-order mark; other columns are ignored), or which
/// column is missing or named twice (columns counted from 1).
pub fn usage_columns<'a>(header: impl IntoIterator<Item = &'a [u8]>) -> Result<[usize; 4], String> {
    let names: Vec<String> = header
        .into_iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    let mut idx = [0usize; 4];
    for (i, c) in USAGE_COLUMNS.iter().enumerate() {
        let mut at = names
            .iter()
            .enumerate()
            .filter(|(_, n)| n == c)
            .map(|(j, _)| j);
        idx[i] = at.next().ok_or_else(|| {
            format!(
                "the header has no `{c}` column (expected {})",
                USAGE_COLUMNS.join(",")
            )
        })?;
        if let Some(again) = at.next() {
            return Err(format!(
                "the header has the `{c}` column twice (columns {} and {})",
                idx[i] + 1,
                again + 1
            ));
        }
    }
    Ok(idx)
}

#[cfg(test)]
mod usage_column_tests {
    use super::usage_columns;

    #[test]
    fn columns_are_found_in_any_order_and_case() {
        let h: [&[u8]; 5] = [
            b"\xef\xbb\xbfDate",
            b"note",
            b" Service ",
            b"ACTIVE_USERS",
            b"tenant_id",
        ];
        assert_eq!(usage_columns(h), Ok([4, 2, 0, 3]));
        let h: [&[u8]; 2] = [b"tenant_id", b"service"];
        assert!(usage_columns(h).unwrap_err().contains("`date`"));
    }

    #[test]
    fn a_usage_column_named_twice_is_refused() {
        let h: [&[u8]; 6] = [
            b"tenant_id",
            b"service",
            b"date",
            b"active_users",
            b"note",
            b" DATE ",
        ];
        assert_eq!(
            usage_columns(h),
            Err("the header has the `date` column twice (columns 3 and 6)".to_string())
        );
        // Other columns may repeat.
        let h: [&[u8]; 6] = [
            b"tenant_id",
            b"note",
            b"service",
            b"date",
            b"note",
            b"active_users",
        ];
        assert_eq!(usage_columns(h), Ok([0, 2, 3, 5]));
    }
}
