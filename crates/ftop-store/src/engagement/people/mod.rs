//! Who works on a tenant: assignments (user, role, tenant or one service; exactly one
//! primary per tenant, service and role; `assignments.rs`), contacts (`contacts.rs`), and
//! partner organisations (`partners.rs`). The primary-manager rule is here.

mod assignment_set;
mod assignments;
mod contacts;
mod organisations;
mod partners;
mod reassign;

pub use assignment_set::{AssignmentPlan, AssignmentSpec, is_partner_role};
pub use assignments::Assignment;
pub use contacts::{Contact, NewContact};
pub use organisations::Organisation;
pub use reassign::Move;

/// The rule "this assignment makes its user the tenant's primary FastTrack Manager" (the
/// manager the portfolio and the adoption dashboard group by), as an SQL condition on the
/// `assignments` row of alias `$a`: tenant-wide (`service = ''`), role `fm`, primary.
/// Every query that means the primary manager uses this text.
macro_rules! primary_manager {
    ($a:literal) => {
        concat!(
            $a,
            ".role = 'fm' AND ",
            $a,
            ".is_primary = 1 AND ",
            $a,
            ".service = ''"
        )
    };
}
pub(crate) use primary_manager;
