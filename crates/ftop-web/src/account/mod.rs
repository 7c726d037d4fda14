//! The caller's own account: `/account` (change the password, API tokens) in
//! `credentials.rs`, and the sessions list in `sessions.rs`. Everyone signed in manages
//! their own, and only their own.

mod credentials;
mod sessions;

pub(crate) use credentials::*;
pub(crate) use sessions::*;
