//! The data migration decision of a service eligible for migration: whether Microsoft
//! performs the migration, the desired start and end (indications only, nobody commits to
//! them), and either the migration type rows (how many entitlements move by which method,
//! when, how much data, where each stands) or why Microsoft does not perform it.
//!
//! Which services: those of the catalogue whose data the benefit moves
//! ([`crate::catalogue::migratable`]: Exchange Online, SharePoint Online, OneDrive) on a
//! tenant with more than [`crate::eligibility::MIGRATION_BENEFIT_ABOVE`] seats.
//!
//! The sum rule. The specification contradicts itself: one guide says the type rows add up
//! to the service's In Progress entitlements, another gives an example where they add up
//! to In Progress and Blocked together (300 + 5 = 305). ftop takes the second: blocked
//! entitlements are meant to be used too (the block is being removed), so their data has
//! to move as well, and a migration planned only for the In Progress part would be
//! re-planned each time a block clears. The rows must add up exactly to the In Progress and
//! Blocked entitlements of the service's status rows ([`to_migrate`]), checked when the
//! decision is saved; when Microsoft performs the migration there is at least one row.
//! When it does not, a rejection reason is required and there are no rows or dates.
//!
//! Pure rules: the store reads the status rows and the tenant's seats, then calls
//! [`validate`].

use crate::adoption::iso_date;
use crate::catalogue::name_of as service_name;
use crate::limits::{self, SHORT_NOTE};
use crate::taxonomy::{L1, StatusRow};
use crate::{Errors, FieldError, Invalid, MigrationRejection, MigrationStatus, MigrationType};
use serde::{Deserialize, Serialize};
use time::Date;

/// Migration type rows a decision holds at most.
pub const MAX_TYPES: usize = 20;

/// The largest data size a row may give, in gigabytes (a million terabytes).
pub const MAX_DATA_SIZE_GB: u64 = 1_000_000_000;

/// The playbook tasks that should be done before a migration starts, for service
/// `service`: the technical assessment (1699) and identity synchronization (1141) for
/// every service; the Exchange hybrid configurations (3157 to 3160) for Exchange Online.
pub fn prerequisites(service: &str) -> &'static [u32] {
    if service == "exchange" {
        &[1699, 1141, 3157, 3158, 3159, 3160]
    } else {
        &[1699, 1141]
    }
}

/// Whether service `service` of a tenant with `seats` seats (the seats that count for
/// eligibility) has a data migration decision.
pub fn eligible(service: &str, seats: u64) -> bool {
    crate::catalogue::migratable(service)
        && crate::eligibility::eligibility(seats, false, false).migration
}

/// One migration type row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeRow {
    /// How the data moves.
    pub migration_type: MigrationType,
    /// Entitlements (users) whose data moves this way.
    pub entitlements: u64,
    /// When this part is expected to move.
    #[serde(default, with = "iso_date::option")]
    pub estimated_date: Option<Date>,
    /// Free text.
    #[serde(default)]
    pub note: String,
    /// Size of the data to move, in whole gigabytes, when known.
    #[serde(default)]
    pub data_size_gb: Option<u64>,
    /// Where it stands (the migration SME sets it).
    pub status: MigrationStatus,
}

/// A service's data migration decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Microsoft performs the migration.
    pub performing: bool,
    /// When the customer would like the migration to start (an indication only).
    #[serde(default, with = "iso_date::option")]
    pub desired_start: Option<Date>,
    /// When the customer would like it finished (an indication only).
    #[serde(default, with = "iso_date::option")]
    pub desired_end: Option<Date>,
    /// Why Microsoft does not perform it (only then).
    #[serde(default)]
    pub rejection_reason: Option<MigrationRejection>,
    /// Notes on the decision.
    #[serde(default)]
    pub notes: String,
    /// The migration type rows (only when Microsoft performs it).
    #[serde(default)]
    pub types: Vec<TypeRow>,
}

/// The entitlements a migration covers: the In Progress and Blocked ones of the service's
/// status rows.
pub fn to_migrate(rows: &[StatusRow]) -> u64 {
    rows.iter()
        .filter(|r| matches!(r.l1, L1::InProgress | L1::Blocked))
        .fold(0u64, |sum, r| sum.saturating_add(r.count))
}

/// Checks decision `d` of service `service`, whose status rows hold `due` In Progress and
/// Blocked entitlements ([`to_migrate`]): every problem, each naming its field.
pub fn validate(service: &str, d: &Decision, due: u64) -> Result<(), Invalid> {
    let mut errors = Errors::default();
    limits::check(&mut errors, "notes", &d.notes, SHORT_NOTE);
    if let (Some(start), Some(end)) = (d.desired_start, d.desired_end)
        && end < start
    {
        errors.push(
            FieldError::of("desired_end", "invalid-migration-end-before-start")
                .with("start", start)
                .with("end", end),
        );
    }
    if d.types.len() > MAX_TYPES {
        errors
            .push(FieldError::of("types", "invalid-too-many-items").with("max", MAX_TYPES as u64));
    }
    for (i, r) in d.types.iter().enumerate() {
        limits::check(
            &mut errors,
            &format!("types[{i}].note"),
            &r.note,
            SHORT_NOTE,
        );
        if r.entitlements == 0 {
            errors.push(FieldError::of(
                format!("types[{i}].entitlements"),
                "invalid-row-empty",
            ));
        }
        if !r.migration_type.suits(service) {
            errors.push(
                FieldError::of(
                    format!("types[{i}].migration_type"),
                    "invalid-migration-type-service",
                )
                .with("value", r.migration_type.name())
                .with("service", service_name(service)),
            );
        }
        if r.data_size_gb.is_some_and(|g| g > MAX_DATA_SIZE_GB) {
            errors.push(
                FieldError::of(format!("types[{i}].data_size_gb"), "invalid-migration-size")
                    .with("max", MAX_DATA_SIZE_GB),
            );
        }
    }
    if d.performing {
        if d.rejection_reason.is_some() {
            errors.push(FieldError::of(
                "rejection_reason",
                "invalid-migration-only-declined",
            ));
        }
        if due == 0 {
            // Nothing to place: no row could add up (a row holds at least one).
            errors.push(FieldError::of(
                "performing",
                "invalid-migration-nothing-due",
            ));
        } else if d.types.is_empty() {
            errors.push(FieldError::of("types", "invalid-migration-types-none").with("due", due));
        } else {
            let sum: u128 = d.types.iter().map(|r| u128::from(r.entitlements)).sum();
            if sum != u128::from(due) {
                errors.push(
                    FieldError::of("types", "invalid-migration-types-sum")
                        .with("sum", sum)
                        .with("due", due),
                );
            }
        }
    } else {
        if d.rejection_reason.is_none() {
            errors.push(FieldError::of(
                "rejection_reason",
                "invalid-migration-reason-needed",
            ));
        }
        for (field, given) in [
            ("desired_start", d.desired_start.is_some()),
            ("desired_end", d.desired_end.is_some()),
            ("types", !d.types.is_empty()),
        ] {
            if given {
                errors.push(FieldError::of(field, "invalid-migration-only-performing"));
            }
        }
    }
    errors.finish()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use time::macros::date;

    fn row(t: MigrationType, n: u64) -> TypeRow {
        TypeRow {
            migration_type: t,
            entitlements: n,
            estimated_date: None,
            note: String::new(),
            data_size_gb: None,
            status: MigrationStatus::NotStarted,
        }
    }

    fn performing(types: Vec<TypeRow>) -> Decision {
        Decision {
            performing: true,
            types,
            ..Decision::default()
        }
    }

    fn fields(r: Result<(), Invalid>) -> Vec<String> {
        r.err()
            .map(|i| i.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    fn status(l1: L1, count: u64) -> StatusRow {
        StatusRow {
            l1,
            l2: None,
            l3: None,
            count,
            target_date: None,
            owner: None,
            note: String::new(),
            next_action_date: None,
        }
    }

    #[test]
    fn in_progress_and_blocked_entitlements_are_migrated() {
        let rows = [
            status(L1::InProgress, 300),
            status(L1::Blocked, 5),
            status(L1::NoIntent, 40),
            status(L1::StatusUnknown, 7),
        ];
        assert_eq!(to_migrate(&rows), 305);
        assert_eq!(to_migrate(&[]), 0);
    }

    #[test]
    fn the_rows_add_up_exactly_to_in_progress_and_blocked() {
        use MigrationType::*;
        // The specification's example: 300 In Progress + 5 Blocked.
        let ok = performing(vec![row(ExchangeHybrid, 200), row(GmailStaged, 105)]);
        assert!(validate("exchange", &ok, 305).is_ok());
        // Its acceptance case: 200 + 100 against 305 fails, and so does too many.
        let short = performing(vec![row(ExchangeHybrid, 200), row(GmailStaged, 100)]);
        let e = validate("exchange", &short, 305).unwrap_err();
        assert_eq!(e.0[0].field, "types");
        let text = e.0[0].message(crate::text::Lang::En);
        assert!(text.contains("300") && text.contains("305"), "{text}");
        assert_eq!(fields(validate("exchange", &ok, 300)), ["types"]);
        // Performing needs at least one row.
        assert_eq!(
            fields(validate("exchange", &performing(vec![]), 305)),
            ["types"]
        );
        // With nothing due, no row could add up: the status rows come first, and the
        // message says so (not "add a row").
        let e = validate("exchange", &performing(vec![]), 0).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "performing");
        assert_eq!(e.0[0].id, "invalid-migration-nothing-due");
        // A row of no entitlements is refused on its own.
        let empty = performing(vec![row(ExchangeHybrid, 305), row(Imap, 0)]);
        assert_eq!(
            fields(validate("exchange", &empty, 305)),
            ["types[1].entitlements"]
        );
    }

    #[test]
    fn types_suit_their_service_and_sizes_and_counts_are_bounded() {
        use MigrationType::*;
        let mixed = performing(vec![row(ExchangeHybrid, 10), row(GoogleDrive, 10)]);
        assert_eq!(
            fields(validate("exchange", &mixed, 20)),
            ["types[1].migration_type"]
        );
        assert_eq!(
            fields(validate("onedrive", &mixed, 20)),
            ["types[0].migration_type"]
        );
        let mut big = performing(vec![row(Box, 10)]);
        big.types[0].data_size_gb = Some(MAX_DATA_SIZE_GB + 1);
        assert_eq!(
            fields(validate("sharepoint", &big, 10)),
            ["types[0].data_size_gb"]
        );
        big.types[0].data_size_gb = Some(MAX_DATA_SIZE_GB);
        assert!(validate("sharepoint", &big, 10).is_ok());
        let many = performing((0..=MAX_TYPES).map(|_| row(FileShare, 1)).collect());
        assert_eq!(
            fields(validate("sharepoint", &many, MAX_TYPES as u64 + 1)),
            ["types"]
        );
        let mut long = performing(vec![row(FileShare, 1)]);
        long.types[0].note = "x".repeat(SHORT_NOTE.max as usize + 1);
        long.notes = "a\0b".into();
        assert_eq!(
            fields(validate("sharepoint", &long, 1)),
            ["notes", "types[0].note"]
        );
    }

    #[test]
    fn dates_are_indications_whose_end_is_not_before_the_start() {
        let mut d = performing(vec![row(MigrationType::Imap, 1)]);
        d.desired_start = Some(date!(2026 - 03 - 01));
        d.desired_end = Some(date!(2026 - 03 - 01));
        assert!(validate("exchange", &d, 1).is_ok(), "the same day is fine");
        // Dates in the past are allowed: they are what the customer asked for.
        d.desired_start = Some(date!(2020 - 01 - 01));
        assert!(validate("exchange", &d, 1).is_ok());
        d.desired_start = Some(date!(2026 - 03 - 02));
        assert_eq!(fields(validate("exchange", &d, 1)), ["desired_end"]);
    }

    #[test]
    fn a_migration_microsoft_does_not_perform_needs_a_reason_and_nothing_else() {
        let no = Decision {
            performing: false,
            rejection_reason: Some(MigrationRejection::CustomerSelfMigrates),
            notes: "They use their own tooling.".into(),
            ..Decision::default()
        };
        // The sum rule does not apply.
        assert!(validate("exchange", &no, 305).is_ok());
        let bare = Decision::default();
        assert_eq!(
            fields(validate("exchange", &bare, 305)),
            ["rejection_reason"]
        );
        let cluttered = Decision {
            desired_start: Some(date!(2026 - 01 - 01)),
            types: vec![row(MigrationType::Imap, 305)],
            ..no.clone()
        };
        assert_eq!(
            fields(validate("exchange", &cluttered, 305)),
            ["desired_start", "types"]
        );
        // And a reason is refused when Microsoft performs it.
        let both = Decision {
            performing: true,
            types: vec![row(MigrationType::Imap, 305)],
            ..no
        };
        assert_eq!(
            fields(validate("exchange", &both, 305)),
            ["rejection_reason"]
        );
    }

    #[test]
    fn eligible_services_are_the_mail_and_content_ones_above_500_seats() {
        assert!(eligible("exchange", 501));
        assert!(eligible("sharepoint", 501));
        assert!(eligible("onedrive", 10_000));
        assert!(!eligible("exchange", 500));
        assert!(!eligible("teams", 10_000));
        assert_eq!(prerequisites("exchange").len(), 6);
        assert_eq!(prerequisites("onedrive"), [1699, 1141]);
    }

    #[test]
    fn a_decision_reads_back_from_its_json() {
        let mut d = performing(vec![row(MigrationType::GmailStaged, 12)]);
        d.types[0].estimated_date = Some(date!(2026 - 05 - 04));
        d.types[0].data_size_gb = Some(40);
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"mig-gmailstaged\""), "{json}");
        assert!(json.contains("\"2026-05-04\""), "{json}");
        assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
    }
}
