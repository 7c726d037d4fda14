//! The tenant maps of the dashboard's groupings by partner and by manager: tenant key ->
//! partners, tenant key -> primary FastTrack Manager. Kept by the store's [`SqliteSide`]
//! with the `adoption_group_version` they were read at (bumped by triggers on every change
//! to the tables they come from: migration 0004), and read again when it moved.

use crate::Result;
use crate::engagement::people::primary_manager;
use crate::sqlite::SqliteSide;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;

/// Tenant key -> partners and tenant key -> primary FastTrack Manager.
#[derive(Default)]
pub(crate) struct TenantMaps {
    pub(crate) partners: KeyMap<Vec<i64>>,
    pub(crate) managers: KeyMap<i64>,
}

type KeyMap<V> = crate::sqlite::keyhash::KeyMap<i64, V>;

pub(crate) fn group_version(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT version FROM adoption_group_version", (), |r| {
            r.get(0)
        })?,
    )
}

impl SqliteSide {
    /// The maps kept, if they were read at `version`.
    pub(crate) fn cached_maps(&self, version: i64) -> Option<Arc<TenantMaps>> {
        let kept = self.maps.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(v, _)| *v == version)
            .map(|(_, m)| Arc::clone(m))
    }

    /// Reads the maps (and their version, in the same snapshot) and keeps them.
    pub(crate) fn tenant_maps(&self, conn: &Connection) -> Result<Arc<TenantMaps>> {
        conn.execute_batch("BEGIN")?;
        let read = group_version(conn).and_then(|v| Ok((v, read_maps(conn)?)));
        conn.execute_batch("COMMIT")?;
        let (version, maps) = read?;
        let maps = Arc::new(maps);
        *self.maps.lock().unwrap_or_else(|e| e.into_inner()) = Some((version, Arc::clone(&maps)));
        Ok(maps)
    }
}

/// Partners and primary FastTrack Managers of every tenant, by tenant key. Three plain
/// table scans joined in memory: a join in SQL costs an index probe with a text key per
/// tenant, several times the scans.
fn read_maps(conn: &Connection) -> Result<TenantMaps> {
    let mut maps = TenantMaps::default();
    let mut keys: HashMap<Box<str>, i64> = HashMap::new();
    {
        let mut st = conn.prepare_cached("SELECT tkey, tenant_id FROM adoption_tenants")?;
        let mut rows = st.query(())?;
        while let Some(r) = rows.next()? {
            keys.insert(
                r.get_ref(1)?
                    .as_str()
                    .map_err(rusqlite::Error::from)?
                    .into(),
                r.get(0)?,
            );
        }
    }
    let each = |sql: &str, f: &mut dyn FnMut(i64, i64)| -> Result<()> {
        let mut st = conn.prepare_cached(sql)?;
        let mut rows = st.query(())?;
        while let Some(r) = rows.next()? {
            if let Some(k) = keys.get(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) {
                f(*k, r.get(1)?);
            }
        }
        Ok(())
    };
    each(
        "SELECT tenant_id, partner_id FROM tenant_partners",
        &mut |k, p| maps.partners.entry(k).or_default().push(p),
    )?;
    each(
        concat!(
            "SELECT a.tenant_id, a.user_id FROM assignments a WHERE ",
            primary_manager!("a")
        ),
        &mut |k, u| {
            maps.managers.insert(k, u);
        },
    )?;
    Ok(maps)
}
