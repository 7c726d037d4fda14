//! Dates as authors write them: `3/25/2020`, `05/02/2019`, `5/2/19`, `2020-05-12`,
//! `2020/5/12`, `2020年5月12日`, `12.05.2020`, `May 12, 2020`, `12 May 2020`.

use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar date (no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, four digits.
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

fn make(year: u32, month: u32, day: u32) -> Option<Date> {
    let year = match year {
        0..=69 => 2000 + year,
        70..=99 => 1900 + year,
        1900..=2999 => year,
        _ => return None,
    } as u16;
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    (1..=12)
        .contains(&month)
        .then_some(())
        .filter(|_| day >= 1 && day <= days_in(year, month))
        .map(|_| Date { year, month, day })
}

/// Parses a date in any of the formats the playbooks use. Slash dates with the year last
/// are month first (US style) unless the first number cannot be a month.
pub fn parse_date(s: &str) -> Option<Date> {
    let t = s.trim().trim_matches(|c: char| c == '*' || c == '_');
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    let nums: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect();
    let has_month_name = if t.bytes().any(|b| b.is_ascii_alphabetic()) {
        let lower = t.to_ascii_lowercase();
        MONTHS.iter().position(|m| lower.contains(m))
    } else {
        None
    };
    if let Some(m) = has_month_name {
        if nums.len() == 2 {
            let (a, b) = (nums[0], nums[1]);
            let (day, year) = if a > 31 { (b, a) } else { (a, b) };
            return make(year, m as u32 + 1, day);
        }
        return None;
    }
    if nums.len() != 3 {
        return None;
    }
    let digits_first = t
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .map_or(0, str::len);
    let (a, b, c) = (nums[0], nums[1], nums[2]);
    if digits_first == 4 {
        return make(a, b, c); // 2020-05-12, 2020/5/12, 2020年5月12日
    }
    if t.contains('.') {
        return make(c, b, a); // 12.05.2020
    }
    if a > 12 {
        return make(c, b, a); // 25/3/2020
    }
    make(c, a, b) // 3/25/2020, 5/2/19
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        parse_date(s).map(|d| d.to_string()).unwrap_or_default()
    }

    #[test]
    fn every_format_found_in_playbooks() {
        assert_eq!(d("3/25/2020"), "2020-03-25");
        assert_eq!(d("05/02/2019"), "2019-05-02");
        assert_eq!(d("5/2/19"), "2019-05-02");
        assert_eq!(d(" 10/25/2020  "), "2020-10-25");
        assert_eq!(d("2020-05-12"), "2020-05-12");
        assert_eq!(d("2020/5/12"), "2020-05-12");
        assert_eq!(d("2020年5月12日"), "2020-05-12");
        assert_eq!(d("12.05.2020"), "2020-05-12");
        assert_eq!(d("May 12, 2020"), "2020-05-12");
        assert_eq!(d("12 May 2020"), "2020-05-12");
        assert_eq!(d("25/3/2020"), "2020-03-25");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        assert_eq!(d("2/30/2020"), "");
        assert_eq!(d("General Maintenance"), "");
        assert_eq!(d("4095"), "");
        assert_eq!(d("13/13/2020"), "");
        assert_eq!(d("1/2/3/4"), "");
    }
}
