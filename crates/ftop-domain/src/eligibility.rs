//! Seat thresholds of the program.

use serde::Serialize;

/// Seats a customer needs for the program.
pub const PROGRAM_MINIMUM_SEATS: u64 = 150;
/// A customer needs more than this many seats for the data-migration benefit.
pub const MIGRATION_BENEFIT_ABOVE: u64 = 500;
/// Seats that make a customer eligible for the Enterprise additional benefits.
pub const ENTERPRISE_SEATS: u64 = 20_000;

/// What a tenant is eligible for, from its seats and exceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// The seats that count: the largest qualified seat count among its services.
    pub seats: u64,
    /// Meets the program minimum (or was added by exception).
    pub program: bool,
    /// Eligible for data migration.
    pub migration: bool,
    /// Eligible for the Enterprise additional benefits (threshold or exception).
    pub enterprise: bool,
}

/// Eligibility from the tenant's seats and its recorded exceptions.
pub fn eligibility(seats: u64, program_exception: bool, enterprise_exception: bool) -> Eligibility {
    Eligibility {
        seats,
        program: seats >= PROGRAM_MINIMUM_SEATS || program_exception,
        migration: seats > MIGRATION_BENEFIT_ABOVE,
        enterprise: seats >= ENTERPRISE_SEATS || enterprise_exception,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_at_their_edges() {
        assert!(!eligibility(149, false, false).program);
        assert!(eligibility(149, true, false).program);
        assert!(eligibility(150, false, false).program);
        assert!(!eligibility(500, false, false).migration);
        assert!(eligibility(501, false, false).migration);
        assert!(!eligibility(19_999, false, false).enterprise);
        assert!(eligibility(19_999, false, true).enterprise);
        assert!(eligibility(20_000, false, false).enterprise);
    }
}
