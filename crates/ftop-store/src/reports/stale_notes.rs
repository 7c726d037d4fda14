//! Overall status notes not updated: active tenants whose overall status was last written
//! more than [`STALE_AFTER_DAYS`] days ago, or never.
//!
//! The date of the last overall-status note is the tenant's status date
//! (`tenants.status_date`): the edit that writes the overall status and its executive
//! summary sets it (today's by default), and nothing else does. Notes of the library are
//! not counted: their category says what they are about, not that the overall status was
//! reviewed.

use super::{Page, Paged, ReportFilter};
use crate::adoption::filter::Params;
use crate::{Result, Store};
use ftop_domain::adoption::iso_date;
use serde::Serialize;
use sqlx::Row;
use time::{Date, Duration};

/// A status note this many days old is still current; one day more is stale.
pub const STALE_AFTER_DAYS: i64 = 14;

/// A tenant whose overall status note is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleNoteRow {
    /// Tenant ID.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Day of the last overall status note; None: never written.
    #[serde(with = "iso_date::option")]
    pub last_status_note_at: Option<Date>,
    /// Days since then (None: never).
    pub days: Option<i64>,
}

impl Store {
    /// Active tenants `f` keeps whose status note is older than [`STALE_AFTER_DAYS`] days
    /// on `f`'s day, or absent: the never-written first, then the oldest, then by name.
    pub async fn report_stale_status_notes(&self, f: &ReportFilter) -> Result<Vec<StaleNoteRow>> {
        Ok(self
            .report_stale_status_notes_page(f, Page::ALL)
            .await?
            .rows)
    }

    /// A page of [`Store::report_stale_status_notes`] and how many there are.
    pub async fn report_stale_status_notes_page(
        &self,
        f: &ReportFilter,
        page: Page,
    ) -> Result<Paged<StaleNoteRow>> {
        let today = f.day();
        let cutoff = crate::fmt_date(today - Duration::days(STALE_AFTER_DAYS));
        let mut p = Params::new(self.backend());
        let cutoff = p.text(cutoff);
        let cond = f.tenant_any_service_sql(&mut p, "t.tenant_id");
        let from = format!(
            "FROM tenants t
             WHERE t.active = 1 AND (t.status_date IS NULL OR t.status_date = '' OR t.status_date < {cutoff}){cond}"
        );
        let count = (format!("SELECT COUNT(*) {from}"), p.clone());
        let lim = page.sql(&mut p);
        let q = format!(
            "SELECT t.tenant_id, t.name, t.status_date {from}
             ORDER BY CASE WHEN t.status_date IS NULL OR t.status_date = '' THEN 0 ELSE 1 END,
                t.status_date, t.name{lim}"
        );
        self.paged((q, p), count.into(), page, |r| {
            let day: Option<String> = r.try_get(2)?;
            let last = day
                .as_deref()
                .and_then(|d| crate::parse_date("status_date", d).ok());
            Ok(Some(StaleNoteRow {
                tenant_id: r.try_get(0)?,
                tenant: r.try_get(1)?,
                last_status_note_at: last,
                days: last.map(|d| (today - d).whole_days()),
            }))
        })
        .await
    }
}
