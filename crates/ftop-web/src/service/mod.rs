//! What pages and the API share, below both: who may do what with a tenant, the tenant
//! lists, adoption queries and the partner redaction rule, the notes library and drafts,
//! users and partner organisations, the portfolio summary and the playbook reader's view.
//! Handlers parse, call one of these, and render (HTML in `pages/`, JSON in `api/`);
//! nothing here renders.
//!
//! Functions fail with [`crate::error::AppError`], so a page and an API call asking the same
//! thing fail the same way (404, 403, 422, 500 with a reference).

pub(crate) mod access;
pub(crate) mod adoption;
pub(crate) mod assignments;
pub(crate) mod customers;
pub(crate) mod delivery;
pub(crate) mod drafts;
pub(crate) mod enterprise;
pub(crate) mod library;
pub(crate) mod migration;
pub(crate) mod people;
pub(crate) mod portfolio;
pub(crate) mod reader;
pub(crate) mod reports;
pub(crate) mod suggest;
pub(crate) mod tenants;
