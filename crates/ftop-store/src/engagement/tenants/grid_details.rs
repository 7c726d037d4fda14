//! What the grid's displays show of a page of tenants beyond their list row: Active Usage
//! per service (Scorecard Adoption), the next action of the latest note that names one
//! (Overview), the people in the delivery roles (Assignments), and the tripwires (AU up or
//! down significantly, more seats, within the past 30 days). A few reads per page, each
//! over the page's tenants only.

use crate::adoption::filter::Params;
use crate::{Result, Store};
use ftop_domain::AssignmentRole;
use ftop_domain::adoption::{Day, significant_move};
use sqlx::Row;
use std::collections::HashMap;

/// A next action as a note gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NextAction {
    /// What is to be done.
    pub action: String,
    /// By when (YYYY-MM-DD), if said.
    pub date: Option<String>,
    /// By whom, as written.
    pub owner: String,
}

/// One tenant's details for the grid's displays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GridDetails {
    /// AU of each service with figures, in basis points, by service key.
    pub au: HashMap<String, i64>,
    /// The next action of the note saved last that names one.
    pub next_action: Option<NextAction>,
    /// People in the roles the displays show: role, name, primary; primaries first.
    pub people: Vec<(AssignmentRole, String, bool)>,
    /// AU of a service rose significantly within the past 30 days.
    pub au_gain: bool,
    /// AU of a service fell significantly within the past 30 days.
    pub au_drop: bool,
    /// Qualified seats of a service grew within the past 30 days.
    pub more_seats: bool,
}

/// The roles the displays name.
const ROLES: [AssignmentRole; 6] = [
    AssignmentRole::RegionalManager,
    AssignmentRole::FastTrackManager,
    AssignmentRole::FastTrackEngineer,
    AssignmentRole::MigrationVelocityManager,
    AssignmentRole::PartnerRegionalManager,
    AssignmentRole::PartnerManagerRole,
];

impl Store {
    /// The displays' details of these tenants (a page of the grid), with the tripwires as
    /// of `today`: AU moved by at least `threshold_bp` basis points between the last
    /// figure on or before 30 days ago and the latest one since, or seats grew since.
    pub async fn grid_details(
        &self,
        tenants: &[String],
        today: Day,
        threshold_bp: i64,
    ) -> Result<HashMap<String, GridDetails>> {
        let mut out: HashMap<String, GridDetails> = tenants
            .iter()
            .map(|t| (t.clone(), GridDetails::default()))
            .collect();
        if tenants.is_empty() {
            return Ok(out);
        }
        let cut = today - 30;

        // AU per service, and how it stood 30 days ago.
        let mut p = Params::new(self.backend());
        let cut_mark = p.int(i64::from(cut));
        // "Then" is a figure of the 30 days before the cut: an older one says nothing of
        // a change within the past 30 days.
        let floor_mark = p.int(i64::from(cut - 30));
        let text = format!(
            "SELECT k.tenant_id, v.service, r.au_bp, r.as_of, r.active_users, r.qualified,
                (SELECT CAST(f.active_users AS BIGINT) FROM usage_figures f WHERE f.tkey = r.tkey AND f.svc = r.svc
                   AND f.day <= {cut_mark} AND f.day > {floor_mark} ORDER BY f.day DESC LIMIT 1) AS then_active,
                (SELECT CAST(f.qualified AS BIGINT) FROM usage_figures f WHERE f.tkey = r.tkey AND f.svc = r.svc
                   AND f.day <= {cut_mark} AND f.day > {floor_mark} ORDER BY f.day DESC LIMIT 1) AS then_qualified
             FROM adoption_rollups r
             JOIN adoption_tenants k ON k.tkey = r.tkey
             JOIN adoption_services v ON v.svc = r.svc
             WHERE k.tenant_id IN ({}) AND r.au_bp IS NOT NULL",
            p.texts(tenants)
        );
        let text = self.dialect_of(text);
        for r in p
            .bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
        {
            let tenant: String = r.try_get(0)?;
            let Some(d) = out.get_mut(&tenant) else {
                continue;
            };
            d.au.insert(r.try_get(1)?, r.try_get(2)?);
            let as_of: Option<i64> = r.try_get(3)?;
            let then: (Option<i64>, Option<i64>) = (r.try_get(6)?, r.try_get(7)?);
            if let (Some(as_of), (Some(ta), Some(tq))) = (as_of, then)
                && as_of > i64::from(cut)
            {
                let now = (r.try_get::<Option<i64>, _>(4)?, r.try_get(5)?);
                match significant_move((ta, tq), (now.0.unwrap_or(0), now.1), threshold_bp) {
                    Some(true) => d.au_gain = true,
                    Some(false) => d.au_drop = true,
                    None => {}
                }
            }
        }

        // Seats that grew within the past 30 days (over the record before).
        let mut p = Params::new(self.backend());
        let cut_mark = p.int(i64::from(cut));
        let text = self.dialect_of(format!(
            "SELECT DISTINCT k.tenant_id FROM seat_history h
             JOIN adoption_tenants k ON k.tkey = h.tkey
             WHERE k.tenant_id IN ({}) AND h.effective > {cut_mark}
               AND h.qualified > (SELECT b.qualified FROM seat_history b
                   WHERE b.tkey = h.tkey AND b.svc = h.svc AND b.effective < h.effective
                   ORDER BY b.effective DESC LIMIT 1)",
            p.texts(tenants)
        ));
        for r in p
            .bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
        {
            if let Some(d) = out.get_mut(&r.try_get::<String, _>(0)?) {
                d.more_seats = true;
            }
        }

        // The next action of the latest saved note that names one (one row per tenant).
        let mut p = Params::new(self.backend());
        let text = self.dialect_of(format!(
            "SELECT tenant_id, next_action, next_action_date, next_action_owner FROM (
                SELECT n.tenant_id, n.next_action, n.next_action_date, n.next_action_owner,
                    ROW_NUMBER() OVER (PARTITION BY n.tenant_id ORDER BY n.updated_at DESC, n.id DESC) AS latest
                FROM notes n WHERE n.tenant_id IN ({}) AND n.state = 'saved' AND n.next_action <> ''
             ) x WHERE latest = 1",
            p.texts(tenants)
        ));
        for r in p
            .bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
        {
            if let Some(d) = out.get_mut(&r.try_get::<String, _>(0)?) {
                d.next_action = Some(NextAction {
                    action: r.try_get(1)?,
                    date: r.try_get(2)?,
                    owner: r.try_get(3)?,
                });
            }
        }

        // The people in the roles the displays show (a tenant-wide or service assignment:
        // each person once per role).
        let mut p = Params::new(self.backend());
        let roles: Vec<String> = ROLES.iter().map(|r| r.key().to_string()).collect();
        let roles = p.texts(&roles);
        let text = self.dialect_of(format!(
            "SELECT a.tenant_id, a.role, u.name, MAX(a.is_primary) AS is_primary
             FROM assignments a JOIN users u ON u.id = a.user_id
             WHERE a.role IN ({}) AND a.tenant_id IN ({})
             GROUP BY a.tenant_id, a.role, u.id, u.name
             ORDER BY a.tenant_id, a.role, MAX(a.is_primary) DESC, u.name",
            roles,
            p.texts(tenants)
        ));
        for r in p
            .bind(sqlx::query(&text))
            .fetch_all(&self.pools.read)
            .await?
        {
            let Some(d) = out.get_mut(&r.try_get::<String, _>(0)?) else {
                continue;
            };
            let Some(role) = AssignmentRole::parse(&r.try_get::<String, _>(1)?) else {
                continue;
            };
            d.people
                .push((role, r.try_get(2)?, r.try_get::<i64, _>(3)? != 0));
        }
        Ok(out)
    }
}
