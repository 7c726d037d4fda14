//! The service catalogue: the workloads a tenant can be entitled to, with the compiler's
//! canonical keys and the names and abbreviations people use for them.

use ftop_playbook::vocabulary;
use serde::Serialize;

/// A service of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Service {
    /// Canonical key, the same the playbook compiler gives (`onedrive`).
    pub key: &'static str,
    /// Display name (`OneDrive for Business`).
    pub name: &'static str,
    /// Short forms seen in notes and columns (`OD4B`, `ODfB`).
    pub aliases: &'static [&'static str],
    /// Family for grouping (`Office 365`, `EMS`, `Windows`).
    pub family: &'static str,
}

const fn s(
    key: &'static str,
    name: &'static str,
    family: &'static str,
    aliases: &'static [&'static str],
) -> Service {
    Service {
        key,
        name,
        aliases,
        family,
    }
}

/// Every service a tenant can hold entitlements for.
pub static SERVICES: &[Service] = &[
    s(
        "exchange",
        "Exchange",
        "Office 365",
        &["EXO", "Exchange Online"],
    ),
    s(
        "sharepoint",
        "SharePoint",
        "Office 365",
        &["SPO", "SharePoint Online"],
    ),
    s(
        "onedrive",
        "OneDrive for Business",
        "Office 365",
        &["OD", "OD4B", "ODfB", "OneDrive"],
    ),
    s(
        "teams",
        "Teams",
        "Office 365",
        &["TEAMS", "Microsoft Teams"],
    ),
    s(
        "yammer",
        "Yammer",
        "Office 365",
        &["YAM", "Yammer Enterprise"],
    ),
    s(
        "outlook-mobile",
        "Outlook Mobile",
        "Office 365",
        &["OLM", "Exchange: Outlook Mobile"],
    ),
    s(
        "m365-apps",
        "Microsoft 365 Apps",
        "Office 365",
        &["OPP", "ProPlus", "Office ProPlus", "Office 365 ProPlus"],
    ),
    s(
        "skype-for-business",
        "Skype for Business",
        "Office 365",
        &["SfB", "SFB"],
    ),
    s(
        "project",
        "Project",
        "Office 365",
        &["PROJ", "Project Online"],
    ),
    s("power-bi", "Power BI", "Office 365", &["PowerBI", "PBI"]),
    s(
        "classroom-sds",
        "Classroom/SDS",
        "Office 365",
        &["SDS", "School Data Sync"],
    ),
    s("oatp", "Office 365 ATP", "Office 365", &["OATP", "ATP"]),
    s("intune", "Intune", "EMS", &["INTUNE"]),
    s(
        "aadp",
        "Azure AD Premium",
        "EMS",
        &["AADP", "Azure Active Directory Premium"],
    ),
    s("aip", "Azure Information Protection", "EMS", &["AIP"]),
    s("mcas", "Microsoft Cloud App Security", "EMS", &["MCAS"]),
    s("windows-10", "Windows 10", "Windows", &["WIN10", "Win10"]),
    s(
        "mdatp",
        "Microsoft Defender ATP",
        "Windows",
        &["MDATP", "WDATP", "Windows Defender ATP"],
    ),
    s("edge", "Edge", "Windows", &["Microsoft Edge"]),
    s("staffhub", "StaffHub", "Office 365", &["SH"]),
];

/// The services whose data the migration benefit moves (mailboxes, files and sites):
/// Exchange Online, SharePoint Online and OneDrive. A tenant's service among these has a
/// data migration decision when the tenant is eligible for migration
/// ([`crate::eligibility::Eligibility::migration`]).
pub const MIGRATABLE: &[&str] = &["exchange", "sharepoint", "onedrive"];

/// Whether the service `key` is one whose data the migration benefit moves.
pub fn migratable(key: &str) -> bool {
    MIGRATABLE.contains(&key)
}

/// Playbook pseudo-services: tasks done once per tenant whatever its services.
pub const TENANT_WIDE: &[&str] = &["core-onboarding", "all-services"];

/// A service's display name (`Exchange`) from its key or any name it goes by; text that
/// names no service is given back as it is.
pub fn name_of(key: &str) -> &str {
    service(key).map_or(key, |s| s.name)
}

/// Finds a service by key, name, alias or any name the playbook vocabulary knows
/// (`Exchange Online`, `EXO`, `exchange`, `OneDrive para la Empresa`).
pub fn service(name: &str) -> Option<&'static Service> {
    let t = name.trim();
    let by_catalogue = SERVICES.iter().find(|s| {
        s.key.eq_ignore_ascii_case(t)
            || s.name.eq_ignore_ascii_case(t)
            || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(t))
    });
    by_catalogue.or_else(|| {
        let key = vocabulary::key_of(vocabulary::services(), t)?;
        SERVICES.iter().find(|s| s.key == key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_found_by_key_name_alias_and_translation() {
        for (q, key) in [
            ("exchange", "exchange"),
            ("Exchange Online", "exchange"),
            ("EXO", "exchange"),
            ("od4b", "onedrive"),
            ("OneDrive para la Empresa", "onedrive"),
            ("Office 365 ProPlus", "m365-apps"),
            ("WDATP", "mdatp"),
        ] {
            assert_eq!(service(q).map(|s| s.key), Some(key), "{q}");
        }
        assert_eq!(service("Core Onboarding"), None);
        assert_eq!(service("Notes"), None);
    }

    #[test]
    fn catalogue_keys_are_the_compilers() {
        // Every catalogue key the playbook vocabulary knows maps back to itself.
        for s in SERVICES {
            if let Some(k) = vocabulary::key_of(vocabulary::services(), s.key) {
                assert_eq!(k, s.key);
            }
        }
        let mut keys: Vec<_> = SERVICES.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SERVICES.len(), "duplicate keys");
    }
}
