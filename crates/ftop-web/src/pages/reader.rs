//! The playbook reader.

use crate::App;
use axum::Router;
use std::sync::Arc;

/// This module's routes.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
}
