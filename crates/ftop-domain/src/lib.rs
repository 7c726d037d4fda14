//! ftop's domain: tenants and their services, entitlements and their L1/L2/L3 status,
//! engagement data, and the playbook instantiated per tenant. Pure rules over plain data:
//! storage lives in `ftop-store`, and nothing here does I/O.

pub mod adoption;
pub mod catalogue;
pub mod codes;
pub mod eligibility;
pub mod enterprise;
pub mod enums;
mod error;
pub mod forecast_gain;
pub mod ids;
pub mod instance;
pub mod limits;
pub mod migration;
mod password;
pub mod suggest;
pub mod taxonomy;
pub mod text;

pub use enums::{
    AssignmentRole, ContactType, Credit, EngagementScenario, EnterpriseReason, MigrationRejection,
    MigrationStatus, MigrationType, Motion, NoteCategory, OverallStatus, Priority, Rag, TaskStatus,
    UserRole,
};
pub use error::{Arg, Errors, FieldError, Invalid, QUOTE_CHARS, UNTRANSLATED, quote};
pub use ids::{TenantId, tenant_name};
pub use instance::{Applicable, InstanceKey, Template, TemplateTask, TenantFacts, UpgradeChanges};
pub use password::{MIN_PASSWORD_CHARS, password_problems};
