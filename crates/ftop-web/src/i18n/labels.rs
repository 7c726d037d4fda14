//! The names of enumerated values as the pages show them. The domain keeps its English
//! `name()` for the API and the command line; pages look up `PREFIX-KEY` in the catalogue
//! (`task-status-in-progress`, `note-category-migration`, ...).

use ftop_domain::adoption::{Bucket, ForecastStatus};
use ftop_domain::taxonomy::L1;
use ftop_domain::{
    AssignmentRole, ContactType, Motion, NoteCategory, OverallStatus, Priority, TaskStatus,
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
}

/// The message id of `value`.
pub(super) fn id<T: Labelled>(value: T) -> String {
    format!("{}-{}", T::PREFIX, value.key())
}

/// Every id the labels can ask for (the catalogue test checks each exists, and counts them
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
    ]
    .concat()
}
