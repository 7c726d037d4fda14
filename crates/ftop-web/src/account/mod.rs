//! The caller's own account: `/account` (change the password, API tokens) in
//! `credentials.rs`, and the sessions list in `sessions.rs`. Everyone signed in manages
//! their own, and only their own. The e-mail digest settings are in `digest.rs`.

mod credentials;
mod digest;
mod sessions;

pub(crate) use credentials::*;
pub(crate) use digest::save as save_digest;
pub(crate) use sessions::*;
