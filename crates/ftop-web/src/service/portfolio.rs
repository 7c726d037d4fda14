//! The portfolio summary, the one function behind `/portfolio`, its CSV downloads and
//! `/api/v1/portfolio`.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use ftop_store::{PortfolioScope, PortfolioSummary};
use serde::Deserialize;

/// The query string of both routes.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PortfolioQuery {
    mine: Option<String>,
    pub(crate) table: Option<String>,
}

impl PortfolioQuery {
    /// Only the tenants assigned to the viewer (`mine=1`, `true`, `on` or `yes`).
    pub(crate) fn mine(&self) -> bool {
        matches!(self.mine.as_deref(), Some("1" | "true" | "on" | "yes"))
    }
}

/// The summary `v` may see (partners: their organisation's tenants; everyone else: all),
/// or only the tenants assigned to them: what the page, the CSV and the API show.
pub(crate) async fn summary(
    app: &App,
    v: &Viewer,
    mine: bool,
) -> Result<PortfolioSummary, AppError> {
    Ok(app
        .store
        .portfolio_summary(PortfolioScope::for_user(&v.user, mine))
        .await?)
}
