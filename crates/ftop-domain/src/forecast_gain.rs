//! The predicted Active Usage gain of a tenant's service over the next six months, from
//! its usage figures (issue 17, the "Prioritised portfolio").
//!
//! Method: a damped linear trend on AU. A straight line is fitted by least squares to the
//! AU of the figures of the last six months ([`WINDOW_DAYS`]); the forecast is the line's
//! value at the latest figure plus its slope carried over the next six months with a
//! monthly damping factor [`PHI`] (Gardner and McKenzie's damped trend: month `h` adds
//! `PHI^h` of a month's slope), clamped to 0–100% AU. The gain is that forecast less the
//! AU of the latest figure.
//!
//! Why this one: it is a handful of sums per series (cheap enough to keep for every
//! tenant and service whenever figures arrive), it needs no parameters fitted per series
//! (a six-point history cannot support more), the fitted level smooths the month-to-month
//! noise of the latest figure, and damping keeps a recent spurt from being projected at
//! full speed, which is where AU curves usually flatten. A saturating (logistic) curve
//! needs its ceiling, which the history rarely shows before it is reached. Measured
//! against "no change" in `BENCHMARKS.md` (B8).

use crate::adoption::{Day, au_basis_points};

/// How far back the trend looks, in days before the latest figure: six months of monthly
/// figures (seven figures when one is taken each month).
pub const WINDOW_DAYS: Day = 186;

/// The horizon of the prediction, in months.
pub const HORIZON_MONTHS: u32 = 6;

/// The monthly damping factor of the trend.
pub const PHI: f64 = 0.9;

/// Days in a month, on average.
const MONTH_DAYS: f64 = 30.436_875;

/// Fewest figures in the window for a trend; with fewer, no change is predicted.
pub const MIN_FIGURES: usize = 3;

/// Shortest span (days) of the window's figures for a trend.
pub const MIN_SPAN_DAYS: Day = 56;

/// A prediction for one tenant and service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GainForecast {
    /// AU of the latest figure, in basis points.
    pub au_bp: i64,
    /// Predicted AU six months after the latest figure, in basis points (0 to 10,000).
    pub predicted_bp: i64,
    /// `predicted_bp - au_bp`: the predicted gain in basis points (negative: a decline).
    pub gain_bp: i64,
}

/// The sum of `PHI^h` for `h` in 1..=`HORIZON_MONTHS`: months of slope the damped
/// trend adds over the horizon.
pub fn damped_months(phi: f64) -> f64 {
    (1..=HORIZON_MONTHS).map(|h| phi.powi(h as i32)).sum()
}

/// The six-month prediction from a service's figures `(day, active users, qualified
/// seats)`, oldest first (one a month is expected; more are fine). None when the latest
/// figure has no seats (no AU). Figures without seats are left out of the trend.
pub fn forecast_gain(figures: &[(Day, i64, i64)]) -> Option<GainForecast> {
    forecast_gain_with(figures, PHI)
}

/// [`forecast_gain`] with another damping factor (0: no trend at all, 1: undamped), for
/// the backtest's sensitivity figures.
pub fn forecast_gain_with(figures: &[(Day, i64, i64)], phi: f64) -> Option<GainForecast> {
    let &(last, active, qualified) = figures.last()?;
    let au_bp = au_basis_points(active, qualified)?;
    let start = last.saturating_sub(WINDOW_DAYS);
    let window = figures
        .iter()
        .rev()
        .take_while(|f| f.0 >= start)
        .filter(|f| f.2 > 0);
    // Least squares of AU (fraction) on days before the latest figure.
    let (mut n, mut sx, mut sy, mut sxx, mut sxy) = (0usize, 0.0, 0.0, 0.0, 0.0);
    let mut first = last;
    for &(day, a, q) in window {
        let x = f64::from(day - last);
        let y = (a as f64 / q as f64).clamp(0.0, 1.0);
        n += 1;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        first = first.min(day);
    }
    let current = au_bp as f64 / 10_000.0;
    let predicted = if n < MIN_FIGURES || last - first < MIN_SPAN_DAYS {
        current
    } else {
        let nf = n as f64;
        let var = sxx - sx * sx / nf;
        if var <= 0.0 {
            current
        } else {
            let slope = (sxy - sx * sy / nf) / var; // per day
            let level = (sy - slope * sx) / nf; // the line at the latest figure (x = 0)
            level + slope * MONTH_DAYS * damped_months(phi.clamp(0.0, 1.0))
        }
    };
    let predicted_bp = (predicted.clamp(0.0, 1.0) * 10_000.0).round() as i64;
    Some(GainForecast {
        au_bp,
        predicted_bp,
        // Measured against AU as the prediction can reach it (at most 100%): more active
        // users than seats is not a decline to come.
        gain_bp: predicted_bp - au_bp.min(10_000),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn more_users_than_seats_is_no_decline() {
        // 120 active of 100 seats, flat: no change to come, not a 20-point drop.
        let flat: Vec<(i32, i64, i64)> = (0..6).map(|m| (m * 30, 120, 100)).collect();
        let f = forecast_gain(&flat).unwrap();
        assert_eq!(f.gain_bp, 0, "{f:?}");
        let short = [(0, 120, 100)];
        assert_eq!(forecast_gain(&short).unwrap().gain_bp, 0);
    }

    /// Monthly figures (30 days apart) of `seats` seats with these active users.
    fn monthly(seats: i64, active: &[i64]) -> Vec<(Day, i64, i64)> {
        active
            .iter()
            .enumerate()
            .map(|(i, a)| (20_000 + 30 * i as Day, *a, seats))
            .collect()
    }

    #[test]
    fn a_flat_series_predicts_no_gain() {
        let f = forecast_gain(&monthly(1000, &[300; 12])).unwrap();
        assert_eq!(f.au_bp, 3000);
        assert_eq!(f.predicted_bp, 3000);
        assert_eq!(f.gain_bp, 0);
    }

    #[test]
    fn a_rising_series_predicts_a_positive_damped_gain() {
        // +2 points a month: undamped six months would add 12 points.
        let f = forecast_gain(&monthly(1000, &[100, 120, 140, 160, 180, 200, 220])).unwrap();
        assert_eq!(f.au_bp, 2200);
        assert!(f.gain_bp > 0, "{f:?}");
        assert!(f.gain_bp < 1200, "{f:?}");
        // 2 points a 30 days is 2.03 a month; × 4.217 damped months ≈ 8.6 points.
        assert!((f.gain_bp - 856).abs() <= 5, "{f:?}");
        // Undamped, it is the straight line.
        let u =
            forecast_gain_with(&monthly(1000, &[100, 120, 140, 160, 180, 200, 220]), 1.0).unwrap();
        assert!((u.gain_bp - 1217).abs() <= 5, "{u:?}");
    }

    #[test]
    fn the_prediction_never_leaves_zero_to_hundred_percent() {
        let up = forecast_gain(&monthly(100, &[40, 55, 70, 85, 95, 100, 100])).unwrap();
        assert_eq!(up.predicted_bp, 10_000);
        assert!(up.gain_bp >= 0 && up.au_bp + up.gain_bp <= 10_000);
        let down = forecast_gain(&monthly(100, &[60, 45, 30, 15, 5, 2])).unwrap();
        assert_eq!(down.predicted_bp, 0);
        assert_eq!(down.gain_bp, -200);
        // More active users than seats counts as full AU in the trend.
        let over = forecast_gain(&monthly(10, &[5, 20, 30, 40])).unwrap();
        assert!(over.predicted_bp <= 10_000);
    }

    #[test]
    fn only_the_last_six_months_count() {
        // A steep old rise, then flat for seven months: no gain.
        let mut a = vec![0, 100, 200, 300, 400];
        a.extend([500; 7]);
        let f = forecast_gain(&monthly(1000, &a)).unwrap();
        assert_eq!(f.gain_bp, 0, "{f:?}");
    }

    #[test]
    fn too_short_a_history_predicts_no_change() {
        assert_eq!(forecast_gain(&[]), None);
        assert_eq!(forecast_gain(&monthly(0, &[5, 6, 7])), None);
        let two = forecast_gain(&monthly(100, &[10, 30])).unwrap();
        assert_eq!((two.au_bp, two.gain_bp), (3000, 0));
        // Three figures within a week: too short a span.
        let f = forecast_gain(&[(100, 10, 100), (103, 20, 100), (106, 30, 100)]).unwrap();
        assert_eq!(f.gain_bp, 0);
        // Figures without seats are left out of the trend.
        let mut m = monthly(1000, &[300; 6]);
        m[2].2 = 0;
        assert_eq!(forecast_gain(&m).unwrap().gain_bp, 0);
    }

    #[test]
    fn noise_around_a_level_is_smoothed_not_followed() {
        // Up and down by a point around 30%, ending low: the prediction stays near the
        // level, not at the latest figure nor on a trend.
        let f = forecast_gain(&monthly(1000, &[290, 310, 290, 310, 290, 310, 290])).unwrap();
        assert_eq!(f.au_bp, 2900);
        assert!(f.predicted_bp > 2900 && f.predicted_bp < 3100, "{f:?}");
    }
}
