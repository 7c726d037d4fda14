//! Charts drawn on the server as inline SVG: readable without JavaScript, each with a
//! title and a description for screen readers, and colours that keep apart in grey.

use maud::{Markup, html};
use time::Date;

/// Colours of the AU buckets (below 10%, 10 to 40%, 40% and above) and of "no data".
pub(crate) const BUCKET_COLOURS: [&str; 4] = ["#7aa6d8", "#f2c14e", "#3f9a5b", "#c9ced6"];

/// A horizontal bar: `n` out of `max`.
pub(crate) fn bar(n: i64, max: i64, label: &str) -> Markup {
    let width = if max > 0 {
        (n.max(0) as f64 * 100.0 / max as f64).round().min(100.0)
    } else {
        0.0
    };
    html! {
        svg.bar role="img" width="160" height="14" viewBox="0 0 100 10" preserveAspectRatio="none" {
            title { (label) }
            rect x="0" y="0" width="100" height="10" fill="#e6eaf1" {}
            rect x="0" y="0" width=(width) height="10" fill="#0b5cad" {}
        }
    }
}

/// One part of a stacked bar.
pub(crate) struct Part<'a> {
    /// Count.
    pub(crate) n: i64,
    /// Fill colour.
    pub(crate) colour: &'a str,
    /// What it counts (for the part's own title).
    pub(crate) label: String,
}

/// A horizontal bar split into parts in proportion to their counts.
pub(crate) fn stacked(parts: &[Part<'_>], title: &str) -> Markup {
    let total: i64 = parts.iter().map(|p| p.n.max(0)).sum();
    let mut x = 0.0;
    let segments: Vec<(f64, f64, &Part<'_>)> = parts
        .iter()
        .filter(|p| p.n > 0 && total > 0)
        .map(|p| {
            let w = p.n as f64 * 100.0 / total as f64;
            let s = (x, w, p);
            x += w;
            s
        })
        .collect();
    html! {
        svg.stacked role="img" width="220" height="16" viewBox="0 0 100 10" preserveAspectRatio="none" {
            title { (title) }
            rect x="0" y="0" width="100" height="10" fill="#eef1f5" {}
            @for (x, w, p) in segments {
                rect x=(format!("{x:.2}")) y="0" width=(format!("{w:.2}")) height="10" fill=(p.colour) {
                    title { (p.label) ": " (p.n) }
                }
            }
        }
    }
}

/// A line of a trend chart: a value (percent) drawn across at that height.
pub(crate) struct Threshold<'a> {
    /// Percent.
    pub(crate) at: f64,
    /// Label drawn at the right end.
    pub(crate) label: &'a str,
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 52.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// A line chart of percentages over dates with threshold lines (for AU: 10% and 40%).
/// Points with no value (no seats) break the line. `id` makes the title and description
/// referable (`aria-labelledby`).
pub(crate) fn trend(
    id: &str,
    title: &str,
    description: &str,
    points: &[(Date, Option<f64>)],
    thresholds: &[Threshold<'_>],
) -> Markup {
    let values = points.iter().filter_map(|p| p.1);
    let top = values
        .chain(thresholds.iter().map(|t| t.at))
        .fold(0.0_f64, f64::max);
    // Round the scale up to the next 10 (and at least 50%).
    let y_max = ((top / 10.0).ceil() * 10.0).max(50.0);
    let first = points.first().map(|p| p.0);
    let last = points.last().map(|p| p.0);
    let span = match (first, last) {
        (Some(a), Some(b)) => (b - a).whole_days().max(1) as f64,
        _ => 1.0,
    };
    let x = |d: Date| -> f64 {
        let off = first.map_or(0.0, |f| (d - f).whole_days() as f64);
        LEFT + off / span * (W - LEFT - RIGHT)
    };
    let y = |v: f64| -> f64 { TOP + (1.0 - v / y_max) * (H - TOP - BOTTOM) };
    // Runs of consecutive points with a value.
    let mut runs: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (d, v) in points {
        match v {
            Some(v) => {
                cur.push_str(&format!(
                    "{}{:.1},{:.1}",
                    if cur.is_empty() { "" } else { " " },
                    x(*d),
                    y(*v)
                ));
            }
            None if !cur.is_empty() => runs.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    let ticks: Vec<f64> = (0..=4).map(|i| y_max * f64::from(i) / 4.0).collect();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        svg.trend id=(id) role="img" viewBox=(format!("0 0 {W} {H}")) width="100%" preserveAspectRatio="xMidYMid meet"
            aria-labelledby=(format!("{title_id} {desc_id}")) {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            @for t in &ticks {
                line x1=(LEFT) x2=(W - RIGHT) y1=(format!("{:.1}", y(*t))) y2=(format!("{:.1}", y(*t))) stroke="#e3e7ee" {}
                text x=(LEFT - 6.0) y=(format!("{:.1}", y(*t) + 4.0)) text-anchor="end" font-size="11" fill="#555" { (format!("{t:.0}%")) }
            }
            @for t in thresholds {
                line.threshold x1=(LEFT) x2=(W - RIGHT) y1=(format!("{:.1}", y(t.at))) y2=(format!("{:.1}", y(t.at)))
                    stroke="#b3261e" stroke-dasharray="5 4" stroke-width="1.2" {}
                text x=(W - RIGHT + 4.0) y=(format!("{:.1}", y(t.at) + 4.0)) font-size="11" fill="#b3261e" { (t.label) }
            }
            @for r in &runs {
                polyline.series points=(r) fill="none" stroke="#0b5cad" stroke-width="2" {}
            }
            @for (d, v) in points {
                @if let Some(v) = v {
                    circle cx=(format!("{:.1}", x(*d))) cy=(format!("{:.1}", y(*v))) r="2.5" fill="#0b5cad" {
                        title { (d) ": " (format!("{v:.2}%")) }
                    }
                }
            }
            @if let (Some(a), Some(b)) = (first, last) {
                text x=(LEFT) y=(H - 8.0) font-size="11" fill="#555" { (a) }
                text x=(W - RIGHT) y=(H - 8.0) font-size="11" fill="#555" text-anchor="end" { (b) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_trend_draws_its_points_thresholds_and_breaks_without_seats() {
        let pts = [
            (date!(2026 - 01 - 01), Some(5.0)),
            (date!(2026 - 02 - 01), Some(12.5)),
            (date!(2026 - 03 - 01), None),
            (date!(2026 - 04 - 01), Some(41.0)),
        ];
        let th = [
            Threshold {
                at: 10.0,
                label: "10%",
            },
            Threshold {
                at: 40.0,
                label: "40%",
            },
        ];
        let svg = trend("c1", "Exchange", "AU over time", &pts, &th).into_string();
        assert_eq!(svg.matches("<polyline").count(), 2, "a gap splits the line");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("class=\"threshold\"").count(), 2);
        assert!(svg.contains("<title id=\"c1-title\">Exchange</title>"));
        assert!(svg.contains("aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("2026-02-01: 12.50%"));
        // The first point is at the left edge, the last at the right.
        assert!(svg.contains(&format!("points=\"{LEFT:.1},")));
    }

    #[test]
    fn stacked_parts_are_proportional() {
        let parts = [
            Part {
                n: 1,
                colour: "#a",
                label: "a".into(),
            },
            Part {
                n: 3,
                colour: "#b",
                label: "b".into(),
            },
            Part {
                n: 0,
                colour: "#c",
                label: "c".into(),
            },
        ];
        let svg = stacked(&parts, "t").into_string();
        assert!(svg.contains("x=\"0.00\" y=\"0\" width=\"25.00\""), "{svg}");
        assert!(svg.contains("x=\"25.00\" y=\"0\" width=\"75.00\""), "{svg}");
        assert!(!svg.contains("#c"), "an empty part draws nothing");
    }
}
