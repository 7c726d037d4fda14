//! The grid's own conditions on a tenant list, beyond its view and search: the priority
//! filter and column filters with text, number and date conditions (each written into the
//! list's SQL with its values bound), and the orders they need.

use crate::adoption::filter::Params;
use time::Date;

/// The grid's priority filter: each level with its overridden form, or low and low
/// overridden apart (as the original portal offered them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityFilter {
    /// High and High (overridden).
    High,
    /// Medium and Medium (overridden).
    Medium,
    /// Low, not overridden.
    Low,
    /// Low (overridden).
    LowOverride,
}

impl PriorityFilter {
    /// Every filter, in the order the grid offers them.
    pub const ALL: [PriorityFilter; 4] = [
        PriorityFilter::High,
        PriorityFilter::Medium,
        PriorityFilter::Low,
        PriorityFilter::LowOverride,
    ];

    /// The key in a query string.
    pub fn key(self) -> &'static str {
        match self {
            PriorityFilter::High => "high",
            PriorityFilter::Medium => "medium",
            PriorityFilter::Low => "low",
            PriorityFilter::LowOverride => "low-override",
        }
    }

    /// The filter with this key.
    pub fn parse(key: &str) -> Option<PriorityFilter> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The stored priorities it keeps.
    fn stored(self) -> &'static [&'static str] {
        match self {
            PriorityFilter::High => &["high", "high-override"],
            PriorityFilter::Medium => &["medium", "medium-override"],
            PriorityFilter::Low => &["low"],
            PriorityFilter::LowOverride => &["low-override"],
        }
    }
}

/// A column of the grid a condition can test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GridColumn {
    /// The tenant's name (text).
    Name,
    /// The customer's name (text).
    Customer,
    /// The largest qualified seat count of its services (number).
    Seats,
    /// Days since the tenant joined the program (number).
    Days,
    /// The date of its overall status (date).
    StatusDate,
    /// Active Usage of this service, in percent (number; stored in basis points).
    Au(String),
}

/// What kind of value a column holds, which decides the conditions it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text: contains, does not contain, starts with, equals.
    Text,
    /// Number: the six comparisons.
    Number,
    /// Date: the six comparisons.
    Date,
}

impl GridColumn {
    /// The key in a query string (`au-SERVICE` for a service's AU).
    pub fn key(&self) -> String {
        match self {
            GridColumn::Name => "name".into(),
            GridColumn::Customer => "customer".into(),
            GridColumn::Seats => "seats".into(),
            GridColumn::Days => "days".into(),
            GridColumn::StatusDate => "status-date".into(),
            GridColumn::Au(s) => format!("au-{s}"),
        }
    }

    /// The column with this key; a service's AU for a service of the catalogue.
    pub fn parse(key: &str) -> Option<GridColumn> {
        Some(match key {
            "name" => GridColumn::Name,
            "customer" => GridColumn::Customer,
            "seats" => GridColumn::Seats,
            "days" => GridColumn::Days,
            "status-date" => GridColumn::StatusDate,
            _ => {
                let s = key.strip_prefix("au-")?;
                GridColumn::Au(ftop_domain::catalogue::service(s)?.key.to_string())
            }
        })
    }

    /// What kind of value it holds.
    pub fn kind(&self) -> ColumnKind {
        match self {
            GridColumn::Name | GridColumn::Customer => ColumnKind::Text,
            GridColumn::StatusDate => ColumnKind::Date,
            _ => ColumnKind::Number,
        }
    }
}

/// A comparison of a number or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// Equal to.
    Eq,
    /// Not equal to.
    Ne,
    /// Less than (before, for dates).
    Lt,
    /// At most (on or before).
    Le,
    /// Greater than (after).
    Gt,
    /// At least (on or after).
    Ge,
}

impl Cmp {
    fn sql(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "<>",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// The comparison with its sides swapped (`a < b` is `b > a`).
    fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            c => c,
        }
    }
}

/// A condition on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOp {
    /// Contains the text, ignoring case.
    Contains,
    /// Does not contain it.
    NotContains,
    /// Starts with it.
    StartsWith,
    /// Is exactly it, ignoring case.
    Equals,
}

/// The operators a query string names, for every kind of column.
pub const OPERATORS: [&str; 10] = [
    "contains",
    "not-contains",
    "starts",
    "equals",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
];

/// One column filter: a column and what its value must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnCondition {
    /// The column.
    pub column: GridColumn,
    /// The test.
    pub test: Test,
}

/// What a column's value must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// A text condition.
    Text(TextOp, String),
    /// A number condition (AU in basis points).
    Number(Cmp, i64),
    /// A date condition.
    Date(Cmp, Date),
}

/// Why a column filter as typed cannot be used: a message key of the catalogues, one of
/// [`REFUSALS`].
pub type RefusedCondition = &'static str;

/// Every reason [`ColumnCondition::parse`] gives.
pub const REFUSALS: [RefusedCondition; 5] = [
    "grid-filter-empty",
    "grid-filter-long",
    "grid-filter-op",
    "grid-filter-number",
    "grid-filter-date",
];

impl ColumnCondition {
    /// The condition a form gives: a column, an operator (`OPERATORS`) and the value as
    /// typed (a number may use a decimal comma; a date is YYYY-MM-DD; AU is in percent).
    pub fn parse(column: GridColumn, op: &str, value: &str) -> Result<Self, RefusedCondition> {
        let value = value.trim();
        if value.is_empty() {
            return Err("grid-filter-empty");
        }
        if ftop_domain::limits::text("value", value, ftop_domain::limits::SEARCH).is_err() {
            return Err("grid-filter-long");
        }
        let cmp = || match op {
            "eq" | "equals" => Some(Cmp::Eq),
            "ne" => Some(Cmp::Ne),
            "lt" => Some(Cmp::Lt),
            "le" => Some(Cmp::Le),
            "gt" => Some(Cmp::Gt),
            "ge" => Some(Cmp::Ge),
            _ => None,
        };
        let test = match column.kind() {
            ColumnKind::Text => {
                let op = match op {
                    "contains" => TextOp::Contains,
                    "not-contains" => TextOp::NotContains,
                    "starts" => TextOp::StartsWith,
                    "equals" | "eq" => TextOp::Equals,
                    _ => return Err("grid-filter-op"),
                };
                Test::Text(op, value.to_lowercase())
            }
            ColumnKind::Number => {
                let c = cmp().ok_or("grid-filter-op")?;
                let n = number(value, matches!(column, GridColumn::Au(_)))
                    .ok_or("grid-filter-number")?;
                Test::Number(c, n)
            }
            ColumnKind::Date => {
                let c = cmp().ok_or("grid-filter-op")?;
                let d = Date::parse(
                    value,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(|_| "grid-filter-date")?;
                Test::Date(c, d)
            }
        };
        Ok(ColumnCondition { column, test })
    }

    /// The condition as SQL over the list's `t` (tenants) and `c` (customers), its values
    /// added to `p`; `today` for the days in the program.
    pub(crate) fn sql(&self, p: &mut Params, today: Date) -> String {
        let text_col = |c: &GridColumn| match c {
            GridColumn::Customer => "LOWER(c.name)",
            _ => "LOWER(t.name)",
        };
        match (&self.column, &self.test) {
            (col, Test::Text(op, v)) => {
                let escaped = crate::sql::escape_like(v);
                let (not, pattern) = match op {
                    TextOp::Contains => ("", format!("%{escaped}%")),
                    TextOp::NotContains => ("NOT ", format!("%{escaped}%")),
                    TextOp::StartsWith => ("", format!("{escaped}%")),
                    TextOp::Equals => {
                        return format!("{} = {}", text_col(col), p.text(v.clone()));
                    }
                };
                format!(
                    "{} {not}LIKE {} ESCAPE '\\'",
                    text_col(col),
                    p.text(pattern)
                )
            }
            (GridColumn::Seats, Test::Number(c, n)) => format!(
                "(SELECT COALESCE(MAX(s.qualified), 0) FROM tenant_services s WHERE s.tenant_id = t.tenant_id) {} {}",
                c.sql(),
                p.int(*n)
            ),
            (GridColumn::Days, Test::Number(c, n)) => {
                // n days in the program: joined on today - n; more days, earlier.
                let day = today - time::Duration::days((*n).clamp(-100_000, 100_000));
                format!(
                    "SUBSTR(t.created_at, 1, 10) {} {}",
                    c.flipped().sql(),
                    p.text(crate::fmt_date(day))
                )
            }
            // One scan of the service's rollups (index `adoption_rollups_au`), not one
            // look-up per tenant.
            (GridColumn::Au(service), Test::Number(c, n)) => format!(
                "t.tenant_id IN (SELECT k.tenant_id FROM adoption_rollups r
                    JOIN adoption_tenants k ON k.tkey = r.tkey
                  WHERE r.svc = (SELECT v.svc FROM adoption_services v WHERE v.service = {})
                    AND r.au_bp {} {})",
                p.text(service.clone()),
                c.sql(),
                p.int(*n)
            ),
            (_, Test::Date(c, d)) => {
                format!("t.status_date {} {}", c.sql(), p.text(crate::fmt_date(*d)))
            }
            // A number on a text or date column cannot be built by `parse`.
            _ => "1 = 0".into(),
        }
    }
}

/// A number as typed: digits with an optional sign and decimals (point or comma). In
/// hundredths when `hundredths` (percent to basis points), else whole.
fn number(s: &str, hundredths: bool) -> Option<i64> {
    let s = s.replace(',', ".");
    let x: f64 = s.parse().ok().filter(|x: &f64| x.is_finite())?;
    let x = if hundredths { x * 100.0 } else { x };
    if x.abs() > 1e12 || (!hundredths && x.fract() != 0.0) {
        return None;
    }
    Some(x.round() as i64)
}

/// The priority filter as SQL, its values added to `p`.
pub(crate) fn priority_sql(f: PriorityFilter, p: &mut Params) -> String {
    let stored: Vec<String> = f.stored().iter().map(|k| (*k).to_string()).collect();
    format!("t.priority IN ({})", p.texts(&stored))
}

/// Ranks priorities highest first, overridden or not (as `Priority::rank`).
pub(crate) const PRIORITY_RANK: &str =
    "CASE t.priority WHEN 'high' THEN 0 WHEN 'high-override' THEN 0
    WHEN 'medium' THEN 1 WHEN 'medium-override' THEN 1 ELSE 2 END";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::db::Backend;

    #[test]
    fn conditions_are_checked_against_their_column() {
        let au = GridColumn::parse("au-exchange").unwrap();
        assert_eq!(
            ColumnCondition::parse(au.clone(), "ge", "12,5")
                .unwrap()
                .test,
            Test::Number(Cmp::Ge, 1250)
        );
        assert_eq!(
            ColumnCondition::parse(au, "contains", "x"),
            Err("grid-filter-op")
        );
        assert_eq!(
            ColumnCondition::parse(GridColumn::Days, "ge", "4.5"),
            Err("grid-filter-number")
        );
        assert_eq!(
            ColumnCondition::parse(GridColumn::StatusDate, "lt", "2026-13-01"),
            Err("grid-filter-date")
        );
        assert_eq!(
            ColumnCondition::parse(GridColumn::Name, "contains", "  "),
            Err("grid-filter-empty")
        );
        assert!(GridColumn::parse("au-nothing").is_none());
    }

    #[test]
    fn days_compare_the_joining_date_the_other_way() {
        let today = time::macros::date!(2026 - 12 - 06);
        let c = ColumnCondition::parse(GridColumn::Days, "ge", "400").unwrap();
        let mut p = Params::after(Backend::Postgres, 8);
        // At least 400 days in: joined on or before 400 days ago.
        assert_eq!(c.sql(&mut p, today), "SUBSTR(t.created_at, 1, 10) <= $9");
        let c = ColumnCondition::parse(GridColumn::Name, "starts", "50%_off").unwrap();
        assert_eq!(c.sql(&mut p, today), "LOWER(t.name) LIKE $10 ESCAPE '\\'");
    }
}
