//! The engagement side: tenants (and their import), entitlement status, people
//! (assignments, contacts, partners), tasks and their group commit, notes and time,
//! playbooks, the portfolio summary and library, what a caller may view, users, sessions
//! and access.

pub(crate) mod access;
pub(crate) mod customers;
pub(crate) mod delivery;
pub(crate) mod digests;
pub(crate) mod enterprise;
pub(crate) mod entitlements;
pub(crate) mod migration;
pub(crate) mod notes;
pub(crate) mod people;
pub(crate) mod playbooks;
pub(crate) mod portfolio;
pub(crate) mod queue;
pub(crate) mod sessions;
pub(crate) mod task_commit;
pub(crate) mod tasks;
pub(crate) mod tenants;
pub(crate) mod time_entries;
pub(crate) mod users;
pub(crate) mod viewing;
