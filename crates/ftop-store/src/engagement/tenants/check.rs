//! Checking a new tenant: its ID, name, customer and service lines with their seats (the
//! seat check is shared by the import and the service-line updates).

use super::NewTenant;
use ftop_domain::catalogue::service as find_service;
use ftop_domain::{Errors, FieldError, Invalid, TenantId, tenant_name};

pub(super) struct Valid {
    pub(super) id: TenantId,
    pub(super) name: String,
    pub(super) customer: String,
    pub(super) services: Vec<(String, i64, i64)>,
}

pub(super) fn check_seats(
    e: &mut Errors,
    prefix: &str,
    service: &str,
    total: i64,
    qualified: Option<i64>,
) -> Option<(String, i64, i64)> {
    let Some(s) = find_service(service) else {
        e.push(
            FieldError::of(
                format!("{prefix}service"),
                "invalid-service-unknown-example",
            )
            .quoting("value", service),
        );
        return None;
    };
    let q = qualified.unwrap_or(total);
    if total < 0 {
        e.push(FieldError::of(
            format!("{prefix}entitlements"),
            "invalid-not-negative",
        ));
        return None;
    }
    if q < 0 || q > total {
        e.push(
            FieldError::of(
                format!("{prefix}qualified_entitlements"),
                "invalid-qualified-range",
            )
            .with("total", total),
        );
        return None;
    }
    Some((s.key.to_string(), total, q))
}

pub(super) fn validate_new(t: &NewTenant) -> std::result::Result<Valid, Invalid> {
    let mut e = Errors::default();
    let id = TenantId::parse(&t.tenant_id)
        .map_err(|x| e_push(&mut e, x))
        .ok();
    let name = tenant_name(&t.name).map_err(|x| e_push(&mut e, x)).ok();
    let customer = t.customer.trim().to_string();
    if customer.is_empty() {
        e.push(FieldError::of("customer", "invalid-customer-name"));
    } else {
        ftop_domain::limits::check(&mut e, "customer", &customer, ftop_domain::limits::CUSTOMER);
    }
    let mut services = Vec::new();
    for (i, (s, total, q)) in t.services.iter().enumerate() {
        if let Some(v) = check_seats(&mut e, &format!("services[{i}]."), s, *total, *q) {
            if services
                .iter()
                .any(|(k, _, _): &(String, i64, i64)| *k == v.0)
            {
                e.push(FieldError::of(
                    format!("services[{i}].service"),
                    "invalid-service-twice",
                ));
            }
            services.push(v);
        }
    }
    e.finish()?;
    match (id, name) {
        (Some(id), Some(name)) => Ok(Valid {
            id,
            name,
            customer,
            services,
        }),
        _ => Err(FieldError::of("tenant_id", "invalid-value").into()),
    }
}

pub(super) fn e_push(e: &mut Errors, x: Invalid) {
    e.extend("", x);
}
