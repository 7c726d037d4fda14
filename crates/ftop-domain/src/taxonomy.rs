//! The entitlement status taxonomy: consumption status (L1), its reasons (L2) and their
//! generic engineering reasons (L3), the status rows that split a service's entitlements
//! between them, and the rules those rows follow.

use crate::{Arg, Errors, FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use time::Date;

/// Consumption status (L1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum L1 {
    /// Nobody has yet learned what the customer means to do with the entitlements.
    StatusUnknown,
    /// The customer means to use the service and is setting it up or rolling it out.
    InProgress,
    /// The customer means to use the service but something stands in the way.
    Blocked,
    /// The customer does not mean to use the service.
    NoIntent,
    /// The tenant or the entitlements are duplicates or not genuine; kept out of reporting.
    DuplicateInvalid,
}

impl L1 {
    /// Every consumption status, in display order.
    pub const ALL: [L1; 5] = [
        L1::StatusUnknown,
        L1::InProgress,
        L1::Blocked,
        L1::NoIntent,
        L1::DuplicateInvalid,
    ];

    /// Stable key, the same serde uses (`in-progress`).
    pub fn key(self) -> &'static str {
        match self {
            L1::StatusUnknown => "status-unknown",
            L1::InProgress => "in-progress",
            L1::Blocked => "blocked",
            L1::NoIntent => "no-intent",
            L1::DuplicateInvalid => "duplicate-invalid",
        }
    }

    /// Display name (`In Progress`).
    pub fn name(self) -> &'static str {
        match self {
            L1::StatusUnknown => "Status Unknown",
            L1::InProgress => "In Progress",
            L1::Blocked => "Blocked",
            L1::NoIntent => "No Intent",
            L1::DuplicateInvalid => "Duplicate/Invalid",
        }
    }

    /// Finds a status by key or name, ignoring case and surrounding white space.
    pub fn parse(s: &str) -> Option<L1> {
        let t = s.trim();
        L1::ALL
            .into_iter()
            .find(|l| l.key().eq_ignore_ascii_case(t) || l.name().eq_ignore_ascii_case(t))
    }

    /// Whether rows of this status carry a target date (In Progress and Blocked).
    pub fn has_target_date(self) -> bool {
        matches!(self, L1::InProgress | L1::Blocked)
    }

    /// Whether rows of this status name an owner (all but In Progress and Duplicate/Invalid).
    pub fn has_owner(self) -> bool {
        matches!(self, L1::StatusUnknown | L1::Blocked | L1::NoIntent)
    }

    /// Whether rows of this status must give a reason (Blocked and No Intent).
    pub fn requires_reason(self) -> bool {
        matches!(self, L1::Blocked | L1::NoIntent)
    }

    /// The reasons (L2) a row of this status may give; none for Duplicate/Invalid.
    pub fn reasons(self) -> &'static [Reason] {
        match self {
            L1::StatusUnknown => &STATUS_UNKNOWN,
            L1::InProgress => &IN_PROGRESS,
            L1::Blocked => &BLOCKED,
            L1::NoIntent => &NO_INTENT,
            L1::DuplicateInvalid => &[],
        }
    }
}

impl fmt::Display for L1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A reason (L2) and its engineering reasons (L3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Stable key: the name as a lower-case kebab-case slug (`billing-licensing-subscription`).
    pub key: &'static str,
    /// Display name (`Billing, Licensing, Subscription`).
    pub name: &'static str,
    /// The consumption status this reason belongs to.
    pub l1: L1,
    /// `(key, name)` of the engineering reasons (L3) that apply to every service.
    pub engineering: &'static [(&'static str, &'static str)],
}

impl Reason {
    /// Finds one of this reason's engineering reasons by key or name, ignoring case and
    /// surrounding white space; returns its `(key, name)`.
    pub fn engineering_reason(&self, key_or_name: &str) -> Option<(&'static str, &'static str)> {
        let t = key_or_name.trim();
        self.engineering
            .iter()
            .copied()
            .find(|(k, n)| k.eq_ignore_ascii_case(t) || n.eq_ignore_ascii_case(t))
    }
}

/// Key of the reason every new entitlement starts with (Status Unknown).
pub const NEW_SUBSCRIPTION_OR_WORKLOAD: &str = "new-subscription-or-workload";

const fn r(
    key: &'static str,
    name: &'static str,
    l1: L1,
    engineering: &'static [(&'static str, &'static str)],
) -> Reason {
    Reason {
        key,
        name,
        l1,
        engineering,
    }
}

const OTHER: (&str, &str) = ("other", "Other");

static STATUS_UNKNOWN: [Reason; 2] = [
    r(
        "customer-unresponsive",
        "Customer Unresponsive",
        L1::StatusUnknown,
        &[],
    ),
    r(
        NEW_SUBSCRIPTION_OR_WORKLOAD,
        "New Subscription or Workload",
        L1::StatusUnknown,
        &[],
    ),
];

static IN_PROGRESS: [Reason; 3] = [
    r(
        "technical-onboarding-and-deployment",
        "Technical Onboarding and Deployment",
        L1::InProgress,
        &[],
    ),
    r("migration", "Migration", L1::InProgress, &[]),
    r(
        "solution-or-user-adoption",
        "Solution or User Adoption",
        L1::InProgress,
        &[],
    ),
];

static BLOCKED: [Reason; 10] = [
    r(
        "customer-it-infrastructure-remediation",
        "Customer IT Infrastructure, Remediation",
        L1::Blocked,
        &[
            ("desktop-devices", "Desktop / Devices"),
            ("hardware", "Hardware"),
            ("network", "Network"),
            ("identity", "Identity"),
            OTHER,
        ],
    ),
    r(
        "it-change-management-and-resourcing",
        "IT Change Management and Resourcing",
        L1::Blocked,
        &[
            ("covid", "COVID"),
            (
                "budget-agreed-but-not-available",
                "Budget Agreed But Not Available",
            ),
            ("it-staff-training-required", "IT Staff Training Required"),
            (
                "updates-processes-or-infrastructure",
                "Updates Processes or Infrastructure",
            ),
            OTHER,
        ],
    ),
    r(
        "legal-regulatory",
        "Legal/Regulatory",
        L1::Blocked,
        &[("legal", "Legal")],
    ),
    r(
        "security-privacy-non-product-feature",
        "Security/Privacy (Non-Product/Feature)",
        L1::Blocked,
        &[("security", "Security"), ("trust", "Trust"), OTHER],
    ),
    r(
        "adoption-readiness",
        "Adoption Readiness",
        L1::Blocked,
        &[OTHER],
    ),
    r(
        "product-feature-capability",
        "Product / Feature Capability",
        L1::Blocked,
        &[OTHER],
    ),
    r(
        "service-reliability",
        "Service Reliability",
        L1::Blocked,
        &[OTHER],
    ),
    r(
        "app-compatibility",
        "App Compatibility",
        L1::Blocked,
        &[OTHER],
    ),
    r(
        "partner-engagement",
        "Partner Engagement",
        L1::Blocked,
        &[("partner-unresponsive", "Partner Unresponsive"), OTHER],
    ),
    r(
        "billing-licensing-subscription",
        "Billing, Licensing, Subscription",
        L1::Blocked,
        &[
            ("addition-of-seats", "Addition of Seats"),
            ("incorrect-sku", "Incorrect SKU"),
            ("wrong-tenant", "Wrong Tenant"),
            OTHER,
        ],
    ),
];

static NO_INTENT: [Reason; 3] = [
    r(
        "using-competitive-solution",
        "Using Competitive Solution",
        L1::NoIntent,
        &[OTHER],
    ),
    r(
        "using-microsoft-on-premises-solution",
        "Using Microsoft On-Premises Solution",
        L1::NoIntent,
        &[
            (
                "commitment-to-on-premises-investment-or-third-party-hosting",
                "Commitment to On-Premises Investment or Third Party Hosting",
            ),
            (
                "customer-decision-to-maintain-control-over-service",
                "Customer Decision to Maintain Control Over Service",
            ),
            (
                "purchased-o365-licenses-but-using-on-premises-rights",
                "Purchased O365 Licenses But Using On-Premises Rights",
            ),
            (
                "purchased-as-part-of-a-larger-suite",
                "Purchased as part of a larger suite",
            ),
            OTHER,
        ],
    ),
    r(
        "executive-sponsorship",
        "Executive Sponsorship",
        L1::NoIntent,
        &[
            ("no-bdm-sponsor-identified", "No BDM/Sponsor Identified"),
            ("no-clear-business-drivers", "No Clear Business Drivers"),
            OTHER,
        ],
    ),
];

/// Other spellings of reason names found in the guidance, as `(spelling, key)`.
const REASON_ALIASES: &[(&str, &str)] = &[
    (
        "Customer IT Infrastructure and Remediation",
        "customer-it-infrastructure-remediation",
    ),
    ("Product Feature/Capability", "product-feature-capability"),
    (
        "Billing, Licensing and Subscription",
        "billing-licensing-subscription",
    ),
    (
        "Technical Onboarding",
        "technical-onboarding-and-deployment",
    ),
    ("New Subscription Workload", NEW_SUBSCRIPTION_OR_WORKLOAD),
];

fn matches_reason(reason: &Reason, t: &str) -> bool {
    reason.key.eq_ignore_ascii_case(t)
        || reason.name.eq_ignore_ascii_case(t)
        || REASON_ALIASES
            .iter()
            .any(|(alias, key)| *key == reason.key && alias.eq_ignore_ascii_case(t))
}

/// Finds a reason of any status by key or name, ignoring case and surrounding white space.
/// Reason keys are unique across statuses.
pub fn reason(key_or_name: &str) -> Option<&'static Reason> {
    let t = key_or_name.trim();
    L1::ALL
        .into_iter()
        .flat_map(L1::reasons)
        .find(|r| matches_reason(r, t))
}

/// Finds a reason of `l1` by key or name, ignoring case and surrounding white space.
pub fn reason_of(l1: L1, key_or_name: &str) -> Option<&'static Reason> {
    let t = key_or_name.trim();
    l1.reasons().iter().find(|r| matches_reason(r, t))
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// One entitlement status row of a tenant's service. Dates are written `YYYY-MM-DD`;
/// everything but `l1` and `count` may be left out when deserialising.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRow {
    /// Consumption status.
    pub l1: L1,
    /// Reason (L2) key.
    #[serde(default)]
    pub l2: Option<String>,
    /// Engineering reason (L3) key.
    #[serde(default)]
    pub l3: Option<String>,
    /// Entitlements on this row.
    pub count: u64,
    /// When the entitlements should be in use (In Progress) or unblocked (Blocked).
    #[serde(default, with = "iso_date::option")]
    pub target_date: Option<Date>,
    /// Who is responsible for moving these entitlements on (not for In Progress).
    #[serde(default)]
    pub owner: Option<String>,
    /// Free-text status note, at most [`NOTE_MAX_CHARS`] characters.
    #[serde(default)]
    pub note: String,
    /// When someone next acts on these entitlements.
    #[serde(default, with = "iso_date::option")]
    pub next_action_date: Option<Date>,
}

/// Longest status note accepted, in characters.
pub const NOTE_MAX_CHARS: usize = crate::limits::SHORT_NOTE.max as usize;

impl StatusRow {
    /// The row every new entitlement starts in: Status Unknown / New Subscription or Workload.
    pub fn new_entitlements(count: u64) -> StatusRow {
        StatusRow {
            l1: L1::StatusUnknown,
            l2: Some(NEW_SUBSCRIPTION_OR_WORKLOAD.to_owned()),
            l3: None,
            count,
            target_date: None,
            owner: None,
            note: String::new(),
            next_action_date: None,
        }
    }

    fn is_new_entitlements(&self) -> bool {
        self.l1 == L1::StatusUnknown && self.l2.as_deref() == Some(NEW_SUBSCRIPTION_OR_WORKLOAD)
    }

    /// `Blocked / legal-regulatory / legal`, for messages.
    fn label(&self) -> String {
        format!(
            "{} / {} / {}",
            self.l1.name(),
            self.l2.as_deref().unwrap_or("no reason"),
            self.l3.as_deref().unwrap_or("no engineering reason")
        )
    }
}

fn keys_of<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    keys.collect::<Vec<_>>().join(", ")
}

/// Checks the reason of row `i`; returns it when it is valid.
fn check_reason(i: usize, row: &StatusRow, errors: &mut Errors) -> Option<&'static Reason> {
    let field = format!("rows[{i}].l2");
    let l1 = row.l1;
    let Some(given) = row.l2.as_deref() else {
        if l1.requires_reason() {
            errors.push(
                FieldError::of(field, "invalid-reason-required")
                    .with("status", Arg::l1(l1))
                    .with("choices", keys_of(l1.reasons().iter().map(|r| r.key))),
            );
        }
        return None;
    };
    if l1.reasons().is_empty() {
        errors.push(
            FieldError::of(field, "invalid-reason-not-taken")
                .with("status", Arg::l1(l1))
                .quoting("value", given),
        );
        return None;
    }
    let choices = keys_of(l1.reasons().iter().map(|r| r.key));
    if let Some(found) = l1.reasons().iter().find(|r| r.key == given) {
        return Some(found);
    }
    let error = if let Some(found) = reason_of(l1, given) {
        FieldError::of(field, "invalid-reason-use-key")
            .with("key", found.key)
            .quoting("value", given)
    } else if let Some(other) = reason(given) {
        FieldError::of(field, "invalid-reason-other-status")
            .with("key", other.key)
            .with("other", Arg::l1(other.l1))
            .with("status", Arg::l1(l1))
            .with("choices", choices)
    } else {
        FieldError::of(field, "invalid-reason-unknown")
            .quoting("value", given)
            .with("status", Arg::l1(l1))
            .with("choices", choices)
    };
    errors.push(error);
    None
}

/// Checks the engineering reason of row `i`, given its reason when that one is valid.
fn check_engineering(i: usize, row: &StatusRow, l2: Option<&Reason>, errors: &mut Errors) {
    let Some(given) = row.l3.as_deref() else {
        return;
    };
    let field = format!("rows[{i}].l3");
    if row.l2.is_none() {
        errors.push(
            FieldError::of(field, "invalid-engineering-without-reason").quoting("value", given),
        );
        return;
    }
    // An invalid L2 is reported on its own field; its L3 cannot be judged.
    let Some(l2) = l2 else {
        return;
    };
    if l2.engineering.iter().any(|(k, _)| *k == given) {
        return;
    }
    let error = if l2.engineering.is_empty() {
        FieldError::of(field, "invalid-engineering-none")
            .with("reason", l2.key)
            .quoting("value", given)
    } else if let Some((key, _)) = l2.engineering_reason(given) {
        FieldError::of(field, "invalid-engineering-use-key")
            .with("key", key)
            .quoting("value", given)
    } else {
        FieldError::of(field, "invalid-engineering-unknown")
            .quoting("value", given)
            .with("reason", l2.key)
            .with("choices", keys_of(l2.engineering.iter().map(|(k, _)| *k)))
    };
    errors.push(error);
}

/// Checks a service's full set of rows against its total entitlements, and reports every
/// problem found. Field names in errors: `rows` for the whole set (the sum, duplicates),
/// `rows[i].l2`, `rows[i].l3`, `rows[i].target_date`, `rows[i].owner`, `rows[i].count` and
/// `rows[i].note`. Target dates before `today` are refused.
pub fn validate_rows(total: u64, rows: &[StatusRow], today: Date) -> Result<(), Invalid> {
    let mut errors = Errors::default();
    use crate::limits::{self, CONTACT_FIELD};
    for (i, r) in rows.iter().enumerate() {
        for (name, value) in [
            ("l2", r.l2.as_deref()),
            ("l3", r.l3.as_deref()),
            ("owner", r.owner.as_deref()),
        ] {
            if let Some(v) = value {
                limits::check(&mut errors, &format!("rows[{i}].{name}"), v, CONTACT_FIELD);
            }
        }
        // The note's length has its own, more helpful message below.
        if let Err(e) = limits::no_nul(&format!("rows[{i}].note"), &r.note) {
            errors.push(e);
        }
    }

    if rows.is_empty() {
        if total > 0 {
            errors.push(FieldError::of("rows", "invalid-rows-none").with("total", total));
        }
    } else {
        let sum: u128 = rows.iter().map(|r| u128::from(r.count)).sum();
        let want = u128::from(total);
        if sum < want {
            errors.push(
                FieldError::of("rows", "invalid-rows-too-few")
                    .with("sum", sum)
                    .with("total", total)
                    .with("missing", want - sum),
            );
        } else if sum > want {
            errors.push(
                FieldError::of("rows", "invalid-rows-too-many")
                    .with("sum", sum)
                    .with("total", total)
                    .with("extra", sum - want),
            );
        }
    }

    let mut seen: HashMap<(L1, Option<&str>, Option<&str>), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let l1 = row.l1;
        if row.count == 0 {
            errors.push(FieldError::of(
                format!("rows[{i}].count"),
                "invalid-row-empty",
            ));
        }

        let l2 = check_reason(i, row, &mut errors);
        check_engineering(i, row, l2, &mut errors);

        let date_field = format!("rows[{i}].target_date");
        match row.target_date {
            Some(_) if !l1.has_target_date() => errors.push(
                FieldError::of(date_field, "invalid-target-date-not-taken")
                    .with("status", Arg::l1(l1)),
            ),
            Some(date) if date < today => errors.push(
                FieldError::of(date_field, "invalid-target-date-past")
                    .with("date", date)
                    .with("today", today),
            ),
            None if l1 == L1::InProgress => {
                errors.push(FieldError::of(date_field, "invalid-target-date-required"));
            }
            _ => {}
        }

        if let Some(owner) = row.owner.as_deref() {
            let field = format!("rows[{i}].owner");
            if !l1.has_owner() {
                errors.push(
                    FieldError::of(field, "invalid-owner-not-taken")
                        .with("status", Arg::l1(l1))
                        .quoting("value", owner),
                );
            } else if owner.trim().is_empty() {
                errors.push(FieldError::of(field, "invalid-owner-blank"));
            }
        }

        let chars = row.note.chars().count();
        if chars > NOTE_MAX_CHARS {
            errors.push(
                FieldError::of(format!("rows[{i}].note"), "invalid-row-note-too-long")
                    .with("chars", chars)
                    .with("over", chars - NOTE_MAX_CHARS)
                    .with("max", NOTE_MAX_CHARS),
            );
        }

        let triple = (l1, row.l2.as_deref(), row.l3.as_deref());
        if let Some(&first) = seen.get(&triple) {
            let merged = u128::from(rows[first].count) + u128::from(row.count);
            errors.push(
                FieldError::of("rows", "invalid-rows-duplicate")
                    .with("first", first)
                    .with("second", i)
                    .with("status", row.label())
                    .with("merged", merged),
            );
        } else {
            seen.insert(triple, i);
        }
    }

    errors.finish()
}

/// Order in which statuses give up entitlements when a service's total shrinks.
const SHRINK_ORDER: [L1; 5] = [
    L1::StatusUnknown,
    L1::DuplicateInvalid,
    L1::NoIntent,
    L1::Blocked,
    L1::InProgress,
];

/// Rows after the service's total changed from the rows' sum to `new_total`: growth goes to a
/// Status Unknown / New Subscription or Workload row (merged into the first existing one if
/// present, else appended); shrinkage comes out of Status Unknown rows first, then
/// Duplicate/Invalid, No Intent, Blocked and In Progress rows, last rows first. Rows that
/// reach zero (or held zero already) are dropped. The result always sums to `new_total`, and a
/// total of zero gives no rows.
pub fn rebalance(rows: &[StatusRow], new_total: u64) -> Vec<StatusRow> {
    if new_total == 0 {
        return Vec::new();
    }
    let mut out: Vec<StatusRow> = rows.iter().filter(|r| r.count > 0).cloned().collect();
    let sum: u128 = out.iter().map(|r| u128::from(r.count)).sum();
    let target = u128::from(new_total);

    if sum < target {
        // Below `new_total`, so it fits in a u64, and so does any row plus it.
        let growth = u64::try_from(target - sum).unwrap_or(new_total);
        match out.iter_mut().find(|r| r.is_new_entitlements()) {
            Some(row) => row.count += growth,
            None => out.push(StatusRow::new_entitlements(growth)),
        }
    } else if sum > target {
        let mut excess = sum - target;
        for l1 in SHRINK_ORDER {
            for row in out.iter_mut().rev().filter(|r| r.l1 == l1) {
                if excess == 0 {
                    break;
                }
                let take = u64::try_from(excess.min(u128::from(row.count))).unwrap_or(row.count);
                row.count -= take;
                excess -= u128::from(take);
            }
        }
        out.retain(|r| r.count > 0);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 03 - 10);
    const LATER: Date = date!(2025 - 06 - 30);

    fn slug(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_owned()
    }

    fn row(l1: L1, l2: Option<&str>, l3: Option<&str>, count: u64) -> StatusRow {
        StatusRow {
            l1,
            l2: l2.map(str::to_owned),
            l3: l3.map(str::to_owned),
            count,
            target_date: l1.has_target_date().then_some(LATER),
            owner: None,
            note: String::new(),
            next_action_date: None,
        }
    }

    fn fields(total: u64, rows: &[StatusRow]) -> Vec<String> {
        match validate_rows(total, rows, TODAY) {
            Ok(()) => Vec::new(),
            Err(Invalid(errs)) => errs.into_iter().map(|e| e.field).collect(),
        }
    }

    fn errors(total: u64, rows: &[StatusRow]) -> Vec<crate::FieldError> {
        validate_rows(total, rows, TODAY)
            .err()
            .map(|e| e.0)
            .unwrap_or_default()
    }

    fn sum(rows: &[StatusRow]) -> u128 {
        rows.iter().map(|r| u128::from(r.count)).sum()
    }

    // ---- taxonomy lookups ----

    #[test]
    fn l1_keys_names_and_serde_agree() {
        let expected = [
            (L1::StatusUnknown, "status-unknown", "Status Unknown"),
            (L1::InProgress, "in-progress", "In Progress"),
            (L1::Blocked, "blocked", "Blocked"),
            (L1::NoIntent, "no-intent", "No Intent"),
            (
                L1::DuplicateInvalid,
                "duplicate-invalid",
                "Duplicate/Invalid",
            ),
        ];
        assert_eq!(L1::ALL.len(), expected.len());
        for (l1, key, name) in expected {
            assert_eq!(l1.key(), key);
            assert_eq!(l1.name(), name);
            assert_eq!(l1.to_string(), name);
            assert_eq!(slug(name), key);
            assert_eq!(serde_json::to_string(&l1).unwrap(), format!("\"{key}\""));
            assert_eq!(
                serde_json::from_str::<L1>(&format!("\"{key}\"")).unwrap(),
                l1
            );
            assert_eq!(L1::parse(key), Some(l1), "{key}");
            assert_eq!(L1::parse(name), Some(l1), "{name}");
            assert_eq!(L1::parse(&format!("  {}\t", name.to_uppercase())), Some(l1));
            assert_eq!(L1::parse(&key.to_uppercase()), Some(l1));
        }
        for bad in ["", "unknown", "in progress!", "Duplicate", "in_progress"] {
            assert_eq!(L1::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn l1_capabilities() {
        let has_date: Vec<_> = L1::ALL
            .into_iter()
            .filter(|l| l.has_target_date())
            .collect();
        assert_eq!(has_date, [L1::InProgress, L1::Blocked]);
        let has_owner: Vec<_> = L1::ALL.into_iter().filter(|l| l.has_owner()).collect();
        assert_eq!(has_owner, [L1::StatusUnknown, L1::Blocked, L1::NoIntent]);
        let counts: Vec<_> = L1::ALL.into_iter().map(|l| l.reasons().len()).collect();
        assert_eq!(counts, [2, 3, 10, 3, 0]);
    }

    #[test]
    fn every_reason_and_engineering_reason_is_found_by_key_and_name() {
        let mut keys = Vec::new();
        for l1 in L1::ALL {
            for r in l1.reasons() {
                assert_eq!(r.l1, l1, "{}", r.key);
                assert_eq!(slug(r.name), r.key, "reason key is the slug of its name");
                keys.push(r.key);
                for q in [
                    r.key.to_owned(),
                    r.name.to_owned(),
                    r.name.to_lowercase(),
                    format!(" {} ", r.key.to_uppercase()),
                ] {
                    assert_eq!(reason(&q).map(|x| x.key), Some(r.key), "{q}");
                    assert_eq!(reason_of(l1, &q).map(|x| x.key), Some(r.key), "{q}");
                    for other in L1::ALL.into_iter().filter(|o| *o != l1) {
                        assert_eq!(reason_of(other, &q), None, "{q} under {other}");
                    }
                }
                let mut l3_keys = Vec::new();
                for &(k, n) in r.engineering {
                    assert_eq!(slug(n), k, "engineering key is the slug of its name");
                    l3_keys.push(k);
                    assert_eq!(r.engineering_reason(k), Some((k, n)));
                    assert_eq!(r.engineering_reason(n), Some((k, n)));
                    assert_eq!(r.engineering_reason(&n.to_uppercase()), Some((k, n)));
                    assert_eq!(r.engineering_reason(&format!("  {k}\n")), Some((k, n)));
                }
                l3_keys.sort_unstable();
                l3_keys.dedup();
                assert_eq!(
                    l3_keys.len(),
                    r.engineering.len(),
                    "duplicate L3 in {}",
                    r.key
                );
                assert_eq!(r.engineering_reason("no such thing"), None);
            }
        }
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "reason keys are unique across statuses");
        assert_eq!(n, 18);
        assert_eq!(reason("nothing like it"), None);
        assert_eq!(reason(""), None);
    }

    #[test]
    fn reason_lists_are_complete() {
        let names = |l1: L1| l1.reasons().iter().map(|r| r.name).collect::<Vec<_>>();
        assert_eq!(
            names(L1::StatusUnknown),
            ["Customer Unresponsive", "New Subscription or Workload"]
        );
        assert_eq!(
            names(L1::InProgress),
            [
                "Technical Onboarding and Deployment",
                "Migration",
                "Solution or User Adoption"
            ]
        );
        assert_eq!(
            names(L1::NoIntent),
            [
                "Using Competitive Solution",
                "Using Microsoft On-Premises Solution",
                "Executive Sponsorship"
            ]
        );
        assert_eq!(
            names(L1::Blocked),
            [
                "Customer IT Infrastructure, Remediation",
                "IT Change Management and Resourcing",
                "Legal/Regulatory",
                "Security/Privacy (Non-Product/Feature)",
                "Adoption Readiness",
                "Product / Feature Capability",
                "Service Reliability",
                "App Compatibility",
                "Partner Engagement",
                "Billing, Licensing, Subscription",
            ]
        );
        // The generic engineering reasons of every reason, by name.
        let expected: &[(&str, &[&str])] = &[
            ("customer-unresponsive", &[]),
            ("new-subscription-or-workload", &[]),
            ("technical-onboarding-and-deployment", &[]),
            ("migration", &[]),
            ("solution-or-user-adoption", &[]),
            (
                "billing-licensing-subscription",
                &[
                    "Addition of Seats",
                    "Incorrect SKU",
                    "Wrong Tenant",
                    "Other",
                ],
            ),
            (
                "customer-it-infrastructure-remediation",
                &[
                    "Desktop / Devices",
                    "Hardware",
                    "Network",
                    "Identity",
                    "Other",
                ],
            ),
            (
                "it-change-management-and-resourcing",
                &[
                    "COVID",
                    "Budget Agreed But Not Available",
                    "IT Staff Training Required",
                    "Updates Processes or Infrastructure",
                    "Other",
                ],
            ),
            ("legal-regulatory", &["Legal"]),
            (
                "security-privacy-non-product-feature",
                &["Security", "Trust", "Other"],
            ),
            ("partner-engagement", &["Partner Unresponsive", "Other"]),
            ("adoption-readiness", &["Other"]),
            ("app-compatibility", &["Other"]),
            ("service-reliability", &["Other"]),
            ("product-feature-capability", &["Other"]),
            (
                "executive-sponsorship",
                &[
                    "No BDM/Sponsor Identified",
                    "No Clear Business Drivers",
                    "Other",
                ],
            ),
            (
                "using-microsoft-on-premises-solution",
                &[
                    "Commitment to On-Premises Investment or Third Party Hosting",
                    "Customer Decision to Maintain Control Over Service",
                    "Purchased O365 Licenses But Using On-Premises Rights",
                    "Purchased as part of a larger suite",
                    "Other",
                ],
            ),
            ("using-competitive-solution", &["Other"]),
        ];
        let all: Vec<_> = L1::ALL.into_iter().flat_map(L1::reasons).collect();
        assert_eq!(all.len(), expected.len());
        for (key, l3_names) in expected {
            let r = reason(key).unwrap();
            let got: Vec<_> = r.engineering.iter().map(|(_, n)| *n).collect();
            assert_eq!(got, *l3_names, "{key}");
        }
        let keys: Vec<_> = reason("billing-licensing-subscription")
            .unwrap()
            .engineering
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(
            keys,
            [
                "addition-of-seats",
                "incorrect-sku",
                "wrong-tenant",
                "other"
            ]
        );
    }

    #[test]
    fn alternative_spellings_of_reasons() {
        for (q, key) in [
            (
                "Billing, Licensing and Subscription",
                "billing-licensing-subscription",
            ),
            (
                "customer it infrastructure and remediation",
                "customer-it-infrastructure-remediation",
            ),
            ("Product Feature/Capability", "product-feature-capability"),
            (
                "Technical Onboarding",
                "technical-onboarding-and-deployment",
            ),
            ("New Subscription Workload", NEW_SUBSCRIPTION_OR_WORKLOAD),
        ] {
            assert_eq!(reason(q).map(|r| r.key), Some(key), "{q}");
        }
        assert_eq!(reason_of(L1::NoIntent, "Technical Onboarding"), None);
    }

    // ---- StatusRow ----

    #[test]
    fn new_entitlements_row() {
        let r = StatusRow::new_entitlements(7);
        assert_eq!(r.l1, L1::StatusUnknown);
        assert_eq!(r.l2.as_deref(), Some("new-subscription-or-workload"));
        assert_eq!(r.count, 7);
        assert_eq!((r.l3, r.target_date, r.owner), (None, None, None));
        assert!(validate_rows(7, &[StatusRow::new_entitlements(7)], TODAY).is_ok());
    }

    #[test]
    fn status_row_serde_uses_iso_dates_and_defaults() {
        let mut r = row(L1::Blocked, Some("legal-regulatory"), Some("legal"), 5);
        r.next_action_date = Some(date!(2025 - 04 - 01));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["target_date"], "2025-06-30");
        assert_eq!(json["next_action_date"], "2025-04-01");
        assert_eq!(json["l1"], "blocked");
        let back: StatusRow = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
        let minimal: StatusRow = serde_json::from_str(r#"{"l1":"in-progress","count":3}"#).unwrap();
        assert_eq!(minimal.count, 3);
        assert_eq!(minimal.target_date, None);
        assert!(minimal.note.is_empty());
        assert!(
            serde_json::from_str::<StatusRow>(
                r#"{"l1":"blocked","count":1,"target_date":"30/06/2025"}"#
            )
            .is_err()
        );
    }

    // ---- validate_rows ----

    #[test]
    fn sum_must_match_total() {
        let rows = [
            row(L1::InProgress, None, None, 300),
            row(L1::Blocked, Some("app-compatibility"), None, 5),
        ];
        assert!(validate_rows(305, &rows, TODAY).is_ok());

        let short = errors(310, &rows);
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].field, "rows");
        for n in ["305", "310", "5"] {
            assert!(
                short[0].message(crate::text::Lang::ENGLISH).contains(n),
                "{}",
                short[0].message(crate::text::Lang::ENGLISH)
            );
        }
        assert!(
            short[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("missing")
        );

        let over = errors(300, &rows);
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].field, "rows");
        assert!(
            over[0].message(crate::text::Lang::ENGLISH).contains("305")
                && over[0].message(crate::text::Lang::ENGLISH).contains("300")
        );
        assert!(
            over[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("take 5 off"),
            "{}",
            over[0].message(crate::text::Lang::ENGLISH)
        );

        // Off by one either way is still an error.
        assert_eq!(fields(306, &rows), ["rows"]);
        assert_eq!(fields(304, &rows), ["rows"]);
        assert!(
            errors(304, &rows)[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("take 1 off")
        );
    }

    #[test]
    fn rows_required_when_total_positive() {
        assert_eq!(fields(4, &[]), ["rows"]);
        assert!(
            errors(4, &[])[0]
                .message(crate::text::Lang::ENGLISH)
                .contains('4')
        );
        assert!(validate_rows(0, &[], TODAY).is_ok());
    }

    #[test]
    fn zero_count_rows_are_refused() {
        let rows = [
            StatusRow::new_entitlements(3),
            row(L1::NoIntent, Some("executive-sponsorship"), None, 0),
        ];
        assert_eq!(fields(3, &rows), ["rows[1].count"]);
        assert!(validate_rows(3, &rows[..1], TODAY).is_ok());
    }

    #[test]
    fn reason_must_belong_to_the_status() {
        let ok = [row(L1::InProgress, Some("migration"), None, 2)];
        assert!(validate_rows(2, &ok, TODAY).is_ok());

        let wrong_status = [row(L1::InProgress, Some("legal-regulatory"), None, 2)];
        assert_eq!(fields(2, &wrong_status), ["rows[0].l2"]);
        assert!(
            errors(2, &wrong_status)[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("Blocked")
        );

        let unknown = [row(L1::StatusUnknown, Some("no-such-reason"), None, 2)];
        assert_eq!(fields(2, &unknown), ["rows[0].l2"]);
        assert!(
            errors(2, &unknown)[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("customer-unresponsive")
        );

        let by_name = [row(L1::InProgress, Some("Migration"), None, 2)];
        assert_eq!(fields(2, &by_name), ["rows[0].l2"]);
        assert!(
            errors(2, &by_name)[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("`migration`")
        );
    }

    #[test]
    fn duplicate_invalid_takes_no_reason() {
        let ok = [row(L1::DuplicateInvalid, None, None, 9)];
        assert!(validate_rows(9, &ok, TODAY).is_ok());
        let bad = [row(L1::DuplicateInvalid, Some("migration"), None, 9)];
        assert_eq!(fields(9, &bad), ["rows[0].l2"]);
        assert!(
            errors(9, &bad)[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("take no reason")
        );
    }

    #[test]
    fn blocked_and_no_intent_require_a_reason() {
        for l1 in [L1::Blocked, L1::NoIntent] {
            let bad = [row(l1, None, None, 1)];
            assert_eq!(fields(1, &bad), ["rows[0].l2"], "{l1}");
            let good = [row(l1, Some(l1.reasons()[0].key), None, 1)];
            assert!(validate_rows(1, &good, TODAY).is_ok(), "{l1}");
        }
        for l1 in [L1::StatusUnknown, L1::InProgress, L1::DuplicateInvalid] {
            assert!(
                validate_rows(1, &[row(l1, None, None, 1)], TODAY).is_ok(),
                "{l1}"
            );
        }
    }

    #[test]
    fn engineering_reason_rules() {
        let ok = [row(
            L1::Blocked,
            Some("billing-licensing-subscription"),
            Some("addition-of-seats"),
            1,
        )];
        assert!(validate_rows(1, &ok, TODAY).is_ok());

        let without_l2 = [row(L1::StatusUnknown, None, Some("other"), 1)];
        assert_eq!(fields(1, &without_l2), ["rows[0].l3"]);

        let foreign = [row(
            L1::Blocked,
            Some("legal-regulatory"),
            Some("addition-of-seats"),
            1,
        )];
        assert_eq!(fields(1, &foreign), ["rows[0].l3"]);
        assert!(
            errors(1, &foreign)[0]
                .message(crate::text::Lang::ENGLISH)
                .ends_with("choose one of legal")
        );

        let none_defined = [row(L1::InProgress, Some("migration"), Some("other"), 1)];
        assert_eq!(fields(1, &none_defined), ["rows[0].l3"]);

        let by_name = [row(
            L1::NoIntent,
            Some("executive-sponsorship"),
            Some("No Clear Business Drivers"),
            1,
        )];
        assert_eq!(fields(1, &by_name), ["rows[0].l3"]);
        assert!(
            errors(1, &by_name)[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("`no-clear-business-drivers`")
        );

        // An L3 under an invalid L2 is reported once, on the L2.
        let bad_l2 = [row(L1::Blocked, Some("nope"), Some("other"), 1)];
        assert_eq!(fields(1, &bad_l2), ["rows[0].l2"]);
    }

    #[test]
    fn target_date_rules() {
        // Allowed and in the future (or today) for In Progress and Blocked.
        let mut ip = row(L1::InProgress, None, None, 1);
        ip.target_date = Some(TODAY);
        assert!(validate_rows(1, &[ip.clone()], TODAY).is_ok());

        // Required for In Progress.
        ip.target_date = None;
        assert_eq!(fields(1, &[ip.clone()]), ["rows[0].target_date"]);

        // Not in the past.
        ip.target_date = Some(date!(2025 - 03 - 09));
        assert_eq!(fields(1, &[ip]), ["rows[0].target_date"]);

        // Optional for Blocked.
        let mut blocked = row(L1::Blocked, Some("service-reliability"), None, 1);
        blocked.target_date = None;
        assert!(validate_rows(1, &[blocked], TODAY).is_ok());

        // Refused elsewhere.
        for (l1, l2) in [
            (L1::StatusUnknown, None),
            (L1::NoIntent, Some("using-competitive-solution")),
            (L1::DuplicateInvalid, None),
        ] {
            let mut r = row(l1, l2, None, 1);
            r.target_date = Some(LATER);
            assert_eq!(fields(1, &[r]), ["rows[0].target_date"], "{l1}");
        }
    }

    #[test]
    fn owner_rules() {
        for l1 in [L1::StatusUnknown, L1::Blocked, L1::NoIntent] {
            let mut r = row(l1, l1.reasons().first().map(|x| x.key), None, 1);
            r.owner = Some("Account Team".into());
            assert!(validate_rows(1, &[r.clone()], TODAY).is_ok(), "{l1}");
            r.owner = Some("  ".into());
            assert_eq!(fields(1, &[r]), ["rows[0].owner"], "{l1}");
        }
        for l1 in [L1::InProgress, L1::DuplicateInvalid] {
            let mut r = row(l1, None, None, 1);
            r.owner = Some("Delivery FM".into());
            assert_eq!(fields(1, &[r]), ["rows[0].owner"], "{l1}");
        }
    }

    #[test]
    fn note_length_limit() {
        let mut r = StatusRow::new_entitlements(1);
        r.note = "é".repeat(NOTE_MAX_CHARS); // counted in characters, not bytes
        assert!(validate_rows(1, &[r.clone()], TODAY).is_ok());
        r.note.push('x');
        assert_eq!(fields(1, &[r.clone()]), ["rows[0].note"]);
        assert!(
            errors(1, &[r])[0]
                .message(crate::text::Lang::ENGLISH)
                .contains("2001")
        );
    }

    #[test]
    fn duplicate_rows_are_refused() {
        let rows = [
            row(L1::InProgress, Some("migration"), None, 10),
            row(L1::InProgress, Some("migration"), None, 5),
        ];
        assert_eq!(fields(15, &rows), ["rows"]);
        let msg = &errors(15, &rows)[0].message(crate::text::Lang::ENGLISH);
        assert!(
            msg.contains("rows[0]") && msg.contains("rows[1]") && msg.contains("15"),
            "{msg}"
        );

        let distinct = [
            row(L1::InProgress, Some("migration"), None, 10),
            row(L1::InProgress, None, None, 5),
            row(L1::Blocked, Some("partner-engagement"), Some("other"), 1),
            row(
                L1::Blocked,
                Some("partner-engagement"),
                Some("partner-unresponsive"),
                1,
            ),
        ];
        assert!(validate_rows(17, &distinct, TODAY).is_ok());
    }

    #[test]
    fn all_problems_are_collected() {
        let mut a = row(L1::InProgress, Some("legal-regulatory"), None, 0);
        a.target_date = None;
        a.owner = Some("x".into());
        let b = row(L1::NoIntent, None, Some("other"), 3);
        let got = fields(5, &[a, b]);
        assert_eq!(
            got,
            [
                "rows",
                "rows[0].count",
                "rows[0].l2",
                "rows[0].target_date",
                "rows[0].owner",
                "rows[1].l2",
                "rows[1].l3"
            ]
        );
    }

    // ---- rebalance ----

    #[test]
    fn growth_adds_a_new_entitlements_row() {
        let rows = [row(L1::InProgress, None, None, 10)];
        let out = rebalance(&rows, 14);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], rows[0]);
        assert_eq!(out[1], StatusRow::new_entitlements(4));
    }

    #[test]
    fn growth_merges_into_existing_new_entitlements_row() {
        let mut existing = StatusRow::new_entitlements(2);
        existing.note = "kept".into();
        let rows = [existing.clone(), row(L1::InProgress, None, None, 10)];
        let out = rebalance(&rows, 15);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].count, 5);
        assert_eq!(out[0].note, "kept");
        assert_eq!(out[1], rows[1]);
        // A different Status Unknown reason is not merged into.
        let other = [row(
            L1::StatusUnknown,
            Some("customer-unresponsive"),
            None,
            2,
        )];
        let out = rebalance(&other, 3);
        assert_eq!(out, [other[0].clone(), StatusRow::new_entitlements(1)]);
    }

    #[test]
    fn growth_from_nothing() {
        assert_eq!(rebalance(&[], 8), [StatusRow::new_entitlements(8)]);
        assert!(rebalance(&[], 0).is_empty());
    }

    #[test]
    fn shrink_follows_status_order_then_last_rows_first() {
        let rows = [
            row(L1::InProgress, None, None, 10),
            row(L1::Blocked, Some("app-compatibility"), None, 5),
            row(L1::StatusUnknown, Some("customer-unresponsive"), None, 3),
            row(L1::NoIntent, Some("executive-sponsorship"), None, 2),
            row(L1::DuplicateInvalid, None, None, 1),
        ];
        // 21 -> 14: Status Unknown 3, Duplicate/Invalid 1, No Intent 2, then Blocked 1.
        let out = rebalance(&rows, 14);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].l1, out[0].count), (L1::InProgress, 10));
        assert_eq!((out[1].l1, out[1].count), (L1::Blocked, 4));

        // 21 -> 19: only Status Unknown loses.
        let out = rebalance(&rows, 19);
        assert_eq!(
            out.iter().map(|r| r.count).collect::<Vec<_>>(),
            [10, 5, 1, 2, 1]
        );

        // 21 -> 17: Status Unknown 3, then Duplicate/Invalid 1 before No Intent.
        let out = rebalance(&rows, 17);
        assert_eq!(
            out.iter().map(|r| (r.l1, r.count)).collect::<Vec<_>>(),
            [(L1::InProgress, 10), (L1::Blocked, 5), (L1::NoIntent, 2)]
        );

        // 21 -> 16: then No Intent before Blocked.
        let out = rebalance(&rows, 16);
        assert_eq!(
            out.iter().map(|r| (r.l1, r.count)).collect::<Vec<_>>(),
            [(L1::InProgress, 10), (L1::Blocked, 5), (L1::NoIntent, 1)]
        );

        // 21 -> 1: In Progress is last to give.
        let out = rebalance(&rows, 1);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].l1, out[0].count), (L1::InProgress, 1));

        let two = [
            StatusRow::new_entitlements(5),
            row(L1::StatusUnknown, Some("customer-unresponsive"), None, 5),
        ];
        let out = rebalance(&two, 7);
        assert_eq!(out.iter().map(|r| r.count).collect::<Vec<_>>(), [5, 2]);
        let out = rebalance(&two, 4);
        assert_eq!(out, [StatusRow::new_entitlements(4)]);
    }

    #[test]
    fn zero_total_and_zero_rows() {
        let rows = [
            row(L1::InProgress, None, None, 10),
            row(L1::Blocked, Some("app-compatibility"), None, 0),
        ];
        assert!(rebalance(&rows, 0).is_empty());
        assert_eq!(rebalance(&rows, 10), [rows[0].clone()]);
    }

    #[test]
    fn unchanged_total_keeps_rows() {
        let rows = [
            row(L1::InProgress, Some("migration"), None, 10),
            row(L1::Blocked, Some("app-compatibility"), None, 3),
        ];
        assert_eq!(rebalance(&rows, 13), rows);
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let rows = [
            row(L1::InProgress, None, None, u64::MAX),
            row(L1::StatusUnknown, None, None, u64::MAX),
        ];
        let out = rebalance(&rows, u64::MAX);
        assert_eq!(sum(&out), u128::from(u64::MAX));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].l1, L1::InProgress);
        assert!(validate_rows(5, &rows, TODAY).is_err());
    }

    /// A small deterministic generator (xorshift), so the property loop needs no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Valid rows: distinct (l1, l2, l3), each with a count of at least 1.
    fn valid_rows(rng: &mut Rng) -> Vec<StatusRow> {
        let mut rows: Vec<StatusRow> = Vec::new();
        for _ in 0..rng.below(7) {
            let l1 = L1::ALL[usize::try_from(rng.below(5)).unwrap()];
            let reasons = l1.reasons();
            let l2 = if reasons.is_empty() || (!l1.requires_reason() && rng.below(3) == 0) {
                None
            } else {
                Some(&reasons[usize::try_from(rng.below(reasons.len() as u64)).unwrap()])
            };
            let l3 = l2.and_then(|r| {
                (!r.engineering.is_empty() && rng.below(2) == 0).then(|| {
                    r.engineering[usize::try_from(rng.below(r.engineering.len() as u64)).unwrap()].0
                })
            });
            let candidate = row(l1, l2.map(|r| r.key), l3, 1 + rng.below(50));
            if !rows
                .iter()
                .any(|r| (r.l1, &r.l2, &r.l3) == (candidate.l1, &candidate.l2, &candidate.l3))
            {
                rows.push(candidate);
            }
        }
        rows
    }

    #[test]
    fn rebalance_always_sums_to_the_new_total_and_stays_valid() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..2_000 {
            let rows = valid_rows(&mut rng);
            let old = u64::try_from(sum(&rows)).unwrap();
            assert!(
                validate_rows(old, &rows, TODAY).is_ok(),
                "generator: {rows:?}"
            );
            for new_total in [0, 1, 2, old.saturating_sub(1), old, old + 1, rng.below(400)] {
                let out = rebalance(&rows, new_total);
                assert_eq!(
                    sum(&out),
                    u128::from(new_total),
                    "case {case}: {rows:?} -> {new_total}"
                );
                assert!(
                    out.iter().all(|r| r.count > 0),
                    "case {case}: zero row kept"
                );
                if let Err(e) = validate_rows(new_total, &out, TODAY) {
                    panic!("case {case}: {rows:?} -> {new_total} gave invalid rows: {e}");
                }
                if new_total <= old {
                    // Shrinking never adds rows, and In Progress only gives once every other
                    // status has nothing left.
                    assert!(out.len() <= rows.len());
                    let ip_before: u64 = rows
                        .iter()
                        .filter(|r| r.l1 == L1::InProgress)
                        .map(|r| r.count)
                        .sum();
                    let ip_after: u64 = out
                        .iter()
                        .filter(|r| r.l1 == L1::InProgress)
                        .map(|r| r.count)
                        .sum();
                    if ip_after < ip_before {
                        assert!(out.iter().all(|r| r.l1 == L1::InProgress), "case {case}");
                    }
                } else {
                    // Growing only ever touches the new-entitlements row.
                    let grown: Vec<_> = out.iter().filter(|r| !r.is_new_entitlements()).collect();
                    let before: Vec<_> = rows.iter().filter(|r| !r.is_new_entitlements()).collect();
                    assert_eq!(grown, before, "case {case}");
                }
            }
        }
    }
}
