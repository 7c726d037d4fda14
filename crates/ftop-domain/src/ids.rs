//! Identifiers of customers' tenants: the tenant ID (a GUID) and the tenant name.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A tenant ID: a GUID written 8-4-4-4-12, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantId(String);

impl TenantId {
    /// Validates and normalises (trims, lower-cases, drops surrounding braces).
    pub fn parse(s: &str) -> Result<TenantId, Invalid> {
        let t = s.trim();
        let t = t
            .strip_prefix('{')
            .and_then(|x| x.strip_suffix('}'))
            .unwrap_or(t);
        let groups: Vec<&str> = t.split('-').collect();
        let shape = [8, 4, 4, 4, 12];
        let ok = groups.len() == 5
            && groups
                .iter()
                .zip(shape)
                .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
        if !ok {
            return Err(Invalid::one(
                "tenant_id",
                format!(
                    "`{}` is not a tenant ID: expected a GUID of hexadecimal groups 8-4-4-4-12, such as 0f8fad5b-d9cb-469f-a165-70867728950e",
                    crate::limits::quote(s.trim())
                ),
            ));
        }
        Ok(TenantId(t.to_ascii_lowercase()))
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TenantId {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        TenantId::parse(&s)
    }
}

impl From<TenantId> for String {
    fn from(t: TenantId) -> String {
        t.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Validates a tenant name such as `contoso.onmicrosoft.com`: a DNS name of at least two
/// labels, letters, digits and hyphens, at most 253 characters. Returns it in lower case.
pub fn tenant_name(s: &str) -> Result<String, Invalid> {
    let t = s.trim().to_ascii_lowercase();
    let labels: Vec<&str> = t.split('.').collect();
    let ok = t.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if ok {
        Ok(t)
    } else {
        Err(Invalid::one(
            "tenant_name",
            format!(
                "`{}` is not a tenant name: expected a domain name such as contoso.onmicrosoft.com",
                crate::limits::quote(s.trim())
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_validated_and_normalised() {
        let id = TenantId::parse(" {871E613C-59DF-73C1-B016-F93AAC00DCCD} ");
        assert_eq!(
            id.map(|i| i.to_string()),
            Ok("871e613c-59df-73c1-b016-f93aac00dccd".to_string())
        );
        for bad in [
            "",
            "871e613c-59df-73c1-b016-f93aac00dcc",
            "871e613c59df73c1b016f93aac00dccd",
            "871e613c-59df-73c1-b016-f93aac00dccg",
            "871e613c-59df-73c1-b016f-93aac00dccd",
        ] {
            let e = TenantId::parse(bad).expect_err(bad);
            assert_eq!(e.0[0].field, "tenant_id");
        }
    }

    #[test]
    fn tenant_names_are_domain_names() {
        assert_eq!(
            tenant_name("Contoso.onmicrosoft.com").as_deref(),
            Ok("contoso.onmicrosoft.com")
        );
        for bad in ["contoso", "-a.com", "a..com", "con toso.com", ""] {
            assert!(tenant_name(bad).is_err(), "{bad}");
        }
    }
}
