//! The names of enumerated values as the pages show them. The domain keeps its English
//! `name()` for the API and the command line; pages look up `PREFIX-KEY` in the catalogue
//! (`task-status-in-progress`, `note-category-migration`, ...).

use ftop_domain::adoption::{Bucket, ForecastStatus};
use ftop_domain::taxonomy::{self, L1, Reason};
use ftop_domain::{
    AssignmentRole, ContactType, EngagementScenario, EnterpriseReason, MigrationRejection,
    MigrationStatus, MigrationType, Motion, NoteCategory, OverallStatus, Priority, Rag, TaskStatus,
    UserRole,
};
use ftop_store::NoteWindow;

/// A value the catalogue names: message `PREFIX-KEY`.
pub(crate) trait Labelled: Copy + 'static {
    /// The id's prefix.
    const PREFIX: &'static str;
    /// Every value.
    #[cfg(test)]
    fn all() -> Vec<Self>;
    /// The value's stable key.
    fn key(self) -> &'static str;
}

macro_rules! labelled {
    ($($t:ty => $prefix:literal),+ $(,)?) => {$(
        impl Labelled for $t {
            const PREFIX: &'static str = $prefix;
            #[cfg(test)]
            fn all() -> Vec<Self> {
                <$t>::ALL.to_vec()
            }
            fn key(self) -> &'static str {
                <$t>::key(self)
            }
        }
    )+};
}

labelled! {
    TaskStatus => "task-status",
    OverallStatus => "overall-status",
    Priority => "priority",
    Motion => "motion",
    NoteCategory => "note-category",
    AssignmentRole => "assignment-role",
    UserRole => "user-role",
    ContactType => "contact-kind",
    L1 => "l1",
    ForecastStatus => "forecast-status",
    Bucket => "au-bucket",
    NoteWindow => "note-window",
    EngagementScenario => "engagement-scenario",
    MigrationType => "migration-type",
    MigrationStatus => "migration-status",
    MigrationRejection => "migration-rejection",
    EnterpriseReason => "enterprise-reason",
    Rag => "rag",
}

/// The message id of `value`.
pub(super) fn id<T: Labelled>(value: T) -> String {
    format!("{}-{}", T::PREFIX, value.key())
}

/// Every reason (L2) of the taxonomy, of every consumption status.
fn reasons() -> impl Iterator<Item = &'static Reason> {
    L1::ALL.iter().flat_map(|l1| l1.reasons().iter())
}

/// The message id of the reason (L2) written `key_or_name` (`l2-legal-regulatory`), when the
/// taxonomy knows it.
pub(super) fn reason_id(key_or_name: &str) -> Option<String> {
    taxonomy::reason(key_or_name).map(|r| format!("l2-{}", r.key))
}

/// The message id of the engineering reason (L3) written `key_or_name` (`l3-hardware`), when
/// one of the taxonomy's reasons has it.
pub(super) fn engineering_id(key_or_name: &str) -> Option<String> {
    reasons()
        .find_map(|r| r.engineering_reason(key_or_name))
        .map(|(key, _)| format!("l3-{key}"))
}

/// The ids of every reason and engineering reason, each once.
#[cfg(test)]
fn reason_ids() -> Vec<String> {
    let mut ids: Vec<String> = reasons().map(|r| format!("l2-{}", r.key)).collect();
    // What each reason means (the Services tab's explanations, Suggest's definitions).
    ids.extend(reasons().map(|r| format!("l2-about-{}", r.key)));
    for r in reasons() {
        for (key, _) in r.engineering {
            let id = format!("l3-{key}");
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// Every id the labels can ask for (enumerated values, reasons and engineering reasons) (the catalogue test checks each exists, and counts them
/// as used).
#[cfg(test)]
pub(super) fn all_ids() -> Vec<String> {
    fn of<T: Labelled>() -> Vec<String> {
        T::all().into_iter().map(id).collect()
    }
    [
        of::<TaskStatus>(),
        of::<OverallStatus>(),
        of::<Priority>(),
        of::<Motion>(),
        of::<NoteCategory>(),
        of::<AssignmentRole>(),
        of::<UserRole>(),
        of::<ContactType>(),
        of::<L1>(),
        of::<ForecastStatus>(),
        of::<Bucket>(),
        of::<NoteWindow>(),
        of::<EngagementScenario>(),
        of::<MigrationType>(),
        of::<MigrationStatus>(),
        of::<MigrationRejection>(),
        of::<EnterpriseReason>(),
        of::<Rag>(),
        reason_ids(),
        crate::pages::grid_display::message_ids(),
        crate::pages::queue::message_ids(),
    ]
    .concat()
}
