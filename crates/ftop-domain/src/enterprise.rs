//! The Enterprise status of an enterprise tenant: a history of entries, each saying why the
//! tenant is watched as an enterprise (one or more reasons), how its engagement is going
//! (red, amber, green), an executive summary, the current overview of the deployment and,
//! optionally, the FastTrack activities under way, risks, the customer's public or brand
//! name and who is aware of what, with the date of the next update. The newest entry is the
//! current status; an entry is never changed, a new one is added.
//!
//! Which tenants have one: the tenants eligible for the Enterprise additional benefits,
//! that is with at least [`crate::eligibility::ENTERPRISE_SEATS`] qualified seats in one
//! service or with the enterprise exception recorded ([`has_enterprise_status`]).
//!
//! [`check`] is the one validation of an entry (pure; the store calls it with today's
//! date): every problem is reported at once, each naming its field.

use crate::error::{Errors, FieldError, Invalid};
use crate::instance::TenantFacts;
use crate::limits::{self, Limit};
use crate::{EnterpriseReason, Rag};
use time::Date;

/// Whether the tenant has an Enterprise status: eligible for the Enterprise additional
/// benefits (by its seats or by exception).
pub fn has_enterprise_status(facts: &TenantFacts) -> bool {
    facts.enterprise()
}

/// An entry as typed (a form or a JSON body): text, checked by [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseDraft {
    /// Reason keys (or their English names); blanks are ignored, repeats count once.
    pub reasons: Vec<String>,
    /// `red`, `amber` or `green`.
    pub rag: String,
    /// Executive summary: what keeps the engagement from green (required).
    pub summary: String,
    /// Current overview of the deployment (required).
    pub overview: String,
    /// Current FastTrack activities (optional).
    pub activities: String,
    /// Risks (optional).
    pub risks: String,
    /// The customer's public or brand name (optional).
    pub brand: String,
    /// Who is aware of what (optional).
    pub awareness: String,
    /// Date of the next update, `YYYY-MM-DD` (required; today or later).
    pub next_update: String,
}

/// A checked entry: the text trimmed, the reasons each once in their display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseEntry {
    /// Why the tenant is watched as an enterprise (at least one).
    pub reasons: Vec<EnterpriseReason>,
    /// How the engagement is going.
    pub rag: Rag,
    /// Executive summary.
    pub summary: String,
    /// Current overview of the deployment.
    pub overview: String,
    /// Current FastTrack activities ("" when none).
    pub activities: String,
    /// Risks ("" when none).
    pub risks: String,
    /// Public or brand name ("" when none).
    pub brand: String,
    /// Awareness ("" when none).
    pub awareness: String,
    /// Date of the next update.
    pub next_update: Date,
}

/// Whether an entry whose next update is due on `next_update` is overdue on `today`.
pub fn overdue(next_update: Date, today: Date) -> bool {
    next_update < today
}

/// Checks `d` on `today`: every field error at once, or the entry to store.
pub fn check(d: &EnterpriseDraft, today: Date) -> Result<EnterpriseEntry, Invalid> {
    let mut e = Errors::default();
    let reasons = check_reasons(&mut e, &d.reasons);
    let rag = match d.rag.trim() {
        "" => {
            e.push(FieldError::of("rag", "invalid-enterprise-required"));
            None
        }
        r => Rag::parse(r).or_else(|| {
            e.push(FieldError::of("rag", "invalid-choice").quoting("value", r));
            None
        }),
    };
    let mut text = |field: &str, value: &str, limit: Limit, required: bool| -> String {
        let value = value.trim();
        if required && value.is_empty() {
            e.push(FieldError::of(field, "invalid-enterprise-required"));
        } else {
            limits::check(&mut e, field, value, limit);
        }
        value.to_string()
    };
    let summary = text("summary", &d.summary, limits::ENTERPRISE_SUMMARY, true);
    let overview = text("overview", &d.overview, limits::ENTERPRISE_OVERVIEW, true);
    let activities = text(
        "activities",
        &d.activities,
        limits::ENTERPRISE_ACTIVITIES,
        false,
    );
    let risks = text("risks", &d.risks, limits::ENTERPRISE_RISKS, false);
    let brand = text("brand", &d.brand, limits::ENTERPRISE_BRAND, false);
    let awareness = text(
        "awareness",
        &d.awareness,
        limits::ENTERPRISE_AWARENESS,
        false,
    );
    let next_update = check_next_update(&mut e, &d.next_update, today);
    e.finish()?;
    match (rag, next_update) {
        (Some(rag), Some(next_update)) if !reasons.is_empty() => Ok(EnterpriseEntry {
            reasons,
            rag,
            summary,
            overview,
            activities,
            risks,
            brand,
            awareness,
            next_update,
        }),
        // Each missing part recorded an error above.
        _ => Err(Invalid::from(FieldError::of("reasons", "invalid-value"))),
    }
}

/// The reasons each once, in display order; records what is wrong with them.
fn check_reasons(e: &mut Errors, given: &[String]) -> Vec<EnterpriseReason> {
    if !limits::check_count(e, "reasons", given.len() as u64, limits::LIST_ITEMS) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut bad = false;
    for (i, r) in given.iter().enumerate() {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match EnterpriseReason::parse(r) {
            Some(x) => found.push(x),
            None => {
                bad = true;
                e.push(
                    FieldError::of(format!("reasons[{i}]"), "invalid-choice").quoting("value", r),
                );
            }
        }
    }
    if found.is_empty() && !bad {
        e.push(FieldError::of(
            "reasons",
            "invalid-enterprise-reasons-required",
        ));
    }
    EnterpriseReason::ALL
        .iter()
        .copied()
        .filter(|r| found.contains(r))
        .collect()
}

/// The next update's date: given, a date, not before `today`.
fn check_next_update(e: &mut Errors, given: &str, today: Date) -> Option<Date> {
    let given = given.trim();
    if given.is_empty() {
        e.push(FieldError::of("next_update", "invalid-enterprise-required"));
        return None;
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(d) = Date::parse(given, &fmt) else {
        e.push(FieldError::of("next_update", "invalid-date").quoting("value", given));
        return None;
    };
    if d < today {
        e.push(
            FieldError::of("next_update", "invalid-enterprise-next-update-past")
                .with("date", d)
                .with("today", today),
        );
        return None;
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 03 - 10);

    fn draft() -> EnterpriseDraft {
        EnterpriseDraft {
            reasons: vec![
                "major-brand".into(),
                " IT Maturity ".into(),
                "major-brand".into(),
            ],
            rag: "amber".into(),
            summary: "  Identity blocked: MFA rollout waits for the CISO.  ".into(),
            overview: "Exchange 60% migrated.".into(),
            next_update: "2026-03-10".into(),
            ..Default::default()
        }
    }

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn an_entry_is_trimmed_and_its_reasons_kept_once_in_display_order() {
        let x = check(&draft(), TODAY).unwrap();
        assert_eq!(
            x.reasons,
            [EnterpriseReason::ItMaturity, EnterpriseReason::MajorBrand]
        );
        assert_eq!(x.rag, Rag::Amber);
        assert_eq!(
            x.summary,
            "Identity blocked: MFA rollout waits for the CISO."
        );
        assert_eq!(x.next_update, TODAY, "today is not in the past");
        assert_eq!((x.risks.as_str(), x.brand.as_str()), ("", ""));
    }

    #[test]
    fn every_required_field_is_named_when_missing() {
        let e = check(&EnterpriseDraft::default(), TODAY).unwrap_err();
        assert_eq!(
            fields(e),
            ["reasons", "rag", "summary", "overview", "next_update"]
        );
        let blank = EnterpriseDraft {
            reasons: vec![" ".into()],
            summary: "   ".into(),
            ..draft()
        };
        let e = check(&blank, TODAY).unwrap_err();
        assert_eq!(fields(e.clone()), ["reasons", "summary"]);
        assert_eq!(e.0[0].id, "invalid-enterprise-reasons-required");
    }

    #[test]
    fn unknown_choices_past_dates_and_long_texts_are_refused() {
        let bad = EnterpriseDraft {
            reasons: vec!["reactive".into(), "blue".into()],
            rag: "yellow".into(),
            risks: "r".repeat(513),
            awareness: "a".repeat(512),
            next_update: "2026-03-09".into(),
            ..draft()
        };
        let e = check(&bad, TODAY).unwrap_err();
        assert_eq!(
            fields(e.clone()),
            ["reasons[1]", "rag", "risks", "next_update"]
        );
        let past = e.0.last().unwrap().message(crate::text::Lang::En);
        assert!(past.contains("2026-03-09"), "{past}");
        let e = check(
            &EnterpriseDraft {
                next_update: "10/03/2026".into(),
                summary: "s".repeat(1_001),
                ..draft()
            },
            TODAY,
        )
        .unwrap_err();
        assert_eq!(fields(e.clone()), ["summary", "next_update"]);
        assert_eq!(e.0[1].id, "invalid-date");
        let nul = EnterpriseDraft {
            brand: "Con\0toso".into(),
            ..draft()
        };
        assert_eq!(fields(check(&nul, TODAY).unwrap_err()), ["brand"]);
    }

    #[test]
    fn overdue_only_after_the_next_update_day() {
        assert!(!overdue(TODAY, TODAY));
        assert!(overdue(date!(2026 - 03 - 09), TODAY));
    }

    #[test]
    fn enterprise_tenants_by_seats_or_exception() {
        let mut f = TenantFacts::default();
        f.services.insert("exchange".into(), 19_999);
        assert!(!has_enterprise_status(&f));
        f.enterprise_exception = true;
        assert!(has_enterprise_status(&f));
        f.enterprise_exception = false;
        f.services.insert("teams".into(), 20_000);
        assert!(has_enterprise_status(&f));
    }
}
