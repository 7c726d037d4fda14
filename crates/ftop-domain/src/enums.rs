//! The enumerations of the portal: task statuses, overall status, priority, motions, note
//! categories, assignment roles and user roles. Each has a stable key (stored and used by
//! the API) and an English name; `parse` accepts either, ignoring case.

use serde::{Deserialize, Serialize};

macro_rules! enumeration {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = ($key:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $key)] $variant),+
        }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable key.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            /// The English name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            /// Parses a key or an English name, ignoring case and surrounding space.
            pub fn parse(s: &str) -> Option<$name> {
                let t = s.trim();
                Self::ALL.iter().copied().find(|v| v.key().eq_ignore_ascii_case(t) || v.name().eq_ignore_ascii_case(t))
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

enumeration! {
    /// Status of a playbook task for a tenant.
    TaskStatus {
        NotStarted = ("not-started", "Not Started"),
        NotRequired = ("not-required", "Not Required"),
        InProgress = ("in-progress", "In Progress"),
        Complete = ("complete", "Complete"),
        PausedCustomerDelay = ("paused-customer-delay", "Paused-Customer Delay"),
        DeferredCustomerExtendedDelay = ("deferred-customer-extended-delay", "Deferred-Customer Extended Delay"),
        Warning = ("warning", "Warning"),
        BlockedPendingRemediation = ("blocked-pending-remediation", "Blocked-Pending Remediation"),
        BlockedTechnicalCustomer = ("blocked-technical-customer", "Blocked-Technical-Customer"),
        BlockedBusiness = ("blocked-business", "Blocked-Business"),
        BlockedOther = ("blocked-other", "Blocked-Other"),
        BlockedTechnicalMs = ("blocked-technical-ms", "Blocked-Technical-MS"),
        Cancelled = ("cancelled", "Cancelled"),
    }
}

impl TaskStatus {
    /// Done for the purpose of phase completion.
    pub fn settles(self) -> bool {
        matches!(self, TaskStatus::Complete | TaskStatus::NotRequired)
    }
    /// One of the blocked statuses.
    pub fn is_blocked(self) -> bool {
        self.key().starts_with("blocked")
    }
}

enumeration! {
    /// A tenant's overall engagement status.
    OverallStatus {
        Active = ("active", "Active"),
        Blocked = ("blocked", "Blocked"),
        Paused = ("paused", "Paused"),
    }
}

enumeration! {
    /// A tenant's priority: computed, or overridden by hand.
    Priority {
        High = ("high", "High"),
        Medium = ("medium", "Medium"),
        Low = ("low", "Low"),
        HighOverride = ("high-override", "High (overridden)"),
        MediumOverride = ("medium-override", "Medium (overridden)"),
        LowOverride = ("low-override", "Low (overridden)"),
    }
}

impl Priority {
    /// The level without the override: `HighOverride` is `High`.
    pub fn level(self) -> Priority {
        match self {
            Priority::HighOverride => Priority::High,
            Priority::MediumOverride => Priority::Medium,
            Priority::LowOverride => Priority::Low,
            p => p,
        }
    }

    /// Set by hand over the tenant's default priority.
    pub fn is_override(self) -> bool {
        self != self.level()
    }

    /// The same level set by hand: `High` is `HighOverride`.
    pub fn overridden(self) -> Priority {
        match self {
            Priority::High => Priority::HighOverride,
            Priority::Medium => Priority::MediumOverride,
            Priority::Low => Priority::LowOverride,
            p => p,
        }
    }
}

enumeration! {
    /// How a tenant came into the program.
    Motion {
        CustomerHealth = ("customer-health", "Customer Health"),
        Rfa = ("rfa", "RFA"),
        Targeting = ("targeting", "Targeting"),
    }
}

enumeration! {
    /// Category of a note.
    NoteCategory {
        EngagementManagement = ("engagement-management", "Engagement Management"),
        TechnicalEnablement = ("technical-enablement", "Technical Enablement"),
        ServiceIntent = ("service-intent", "Service Intent"),
        Environment = ("environment", "Environment"),
        EnterpriseStatus = ("enterprise-status", "Enterprise Status"),
        Migration = ("migration", "Migration"),
    }
}

enumeration! {
    /// Role of a person assigned to a tenant (or one of its services).
    AssignmentRole {
        RegionalManager = ("rm", "Regional Manager"),
        FastTrackManager = ("fm", "FastTrack Manager"),
        FastTrackEngineer = ("fe", "FastTrack Engineer"),
        PartnerManager = ("psm", "FastTrack Partner Manager"),
        Sme = ("sme", "Subject Matter Expert"),
        AppAssureManager = ("aam", "App Assure Manager"),
        RfaManager = ("g-rm", "RFA Manager"),
        TargetingManager = ("g-tm", "Targeting Manager"),
        Architect = ("fa", "FastTrack Architect"),
        ArchitectV2 = ("fav2", "FastTrack Architect 2"),
        GetModernArchitect = ("gmfta", "Get Modern FastTrack Architect"),
        MigrationVelocityManager = ("mvm", "Migration Velocity Manager"),
        CustomerSuccessManager = ("csm", "Customer Success Manager"),
        PartnerRegionalManager = ("p-rm", "Partner Regional Manager"),
        PartnerManagerRole = ("p-fm", "Partner FastTrack Manager"),
        PartnerEngineer = ("p-fe", "Partner FastTrack Engineer"),
    }
}

enumeration! {
    /// Who delivers a service's onboarding (its engagement scenario). It decides whom the
    /// service's Active Usage growth is credited to ([`EngagementScenario::credit`]).
    EngagementScenario {
        FtpLed = ("ftp-led", "FTC-FTP Led"),
        CustomerLedFtpAssist = ("customer-led-ftp-assist", "Customer-Led with FTP Assist"),
        CssLed = ("css-led", "FTC-CSS Led"),
        CustomerLed = ("customer-led", "Customer Led"),
        Cxp = ("cxp", "CXP"),
        NonFastTrackPartnerLed = ("non-fasttrack-partner-led", "Non-FastTrack Partner Led"),
    }
}

/// Whom a service's Active Usage growth is credited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credit {
    /// The partner company assigned as primary for the service (partner-led or assisted).
    Partner,
    /// The FastTrack team assigned as primary for the service (FastTrack-led).
    FastTrack,
    /// Nobody in the program (the customer alone, another channel).
    Nobody,
}

impl EngagementScenario {
    /// The scenario of a service nobody has set: customer-led with a partner assisting.
    pub const DEFAULT: EngagementScenario = EngagementScenario::CustomerLedFtpAssist;

    /// Whom the service's Active Usage growth is credited to: the primary partner when
    /// the partner leads or assists, the FastTrack team when it leads, else nobody.
    pub fn credit(self) -> Credit {
        match self {
            EngagementScenario::FtpLed | EngagementScenario::CustomerLedFtpAssist => {
                Credit::Partner
            }
            EngagementScenario::CssLed => Credit::FastTrack,
            EngagementScenario::CustomerLed
            | EngagementScenario::Cxp
            | EngagementScenario::NonFastTrackPartnerLed => Credit::Nobody,
        }
    }
}

enumeration! {
    /// How a service's data is moved to Microsoft 365 (a data migration's type rows). The
    /// keys follow the `Mig-...` names the migration teams use; each type suits the mail
    /// service or the content services ([`MigrationType::suits`]).
    MigrationType {
        ExchangeHybrid = ("mig-exhybrid", "Mig-ExHybrid"),
        ExchangeStaged = ("mig-exstaged", "Mig-ExStaged"),
        ExchangeCutover = ("mig-excutover", "Mig-ExCutover"),
        Imap = ("mig-imap", "Mig-IMAP"),
        GmailStaged = ("mig-gmailstaged", "Mig-GmailStaged"),
        FileShare = ("mig-fileshare", "Mig-FileShare"),
        SharePointServer = ("mig-sharepoint", "Mig-SharePoint"),
        Box = ("mig-box", "Mig-Box"),
        GoogleDrive = ("mig-googledrive", "Mig-GoogleDrive"),
        Dropbox = ("mig-dropbox", "Mig-Dropbox"),
    }
}

impl MigrationType {
    /// Whether the type moves data into service `service` (a catalogue key): mailboxes
    /// into Exchange Online, files and sites into SharePoint Online or OneDrive.
    pub fn suits(self, service: &str) -> bool {
        let mail = matches!(
            self,
            MigrationType::ExchangeHybrid
                | MigrationType::ExchangeStaged
                | MigrationType::ExchangeCutover
                | MigrationType::Imap
                | MigrationType::GmailStaged
        );
        if mail {
            service == "exchange"
        } else {
            matches!(service, "sharepoint" | "onedrive")
        }
    }
}

enumeration! {
    /// Why a tenant has an Enterprise status (one or more per entry).
    EnterpriseReason {
        ItMaturity = ("it-maturity", "IT Maturity"),
        Over50kSeats = ("over-50k-seats", ">50k"),
        ExecutiveRelationship = ("executive-relationship", "Exec Relationship"),
        Reactive = ("reactive", "Reactive"),
        MajorBrand = ("major-brand", "Major Brand"),
        NewFeatureExperiment = ("new-feature-experiment", "New Feature/Experiment"),
    }
}

enumeration! {
    /// Where a migration type row stands, as the migration SME records it.
    MigrationStatus {
        NotStarted = ("not-started", "Not started"),
        InProgress = ("in-progress", "In progress"),
        Blocked = ("blocked", "Blocked"),
        Complete = ("complete", "Complete"),
    }
}

enumeration! {
    /// Why Microsoft does not perform a service's data migration.
    MigrationRejection {
        CustomerSelfMigrates = ("customer-self-migrates", "Customer will self-migrate"),
        PartnerMigrates = ("partner-migrates", "Partner is migrating"),
        NoData = ("no-data", "No data to migrate"),
        CustomerDeclined = ("customer-declined", "Customer declined the benefit"),
        Other = ("other", "Other"),
    }
}

enumeration! {
    /// The red/amber/green health of an enterprise engagement: red, not onboarding now;
    /// amber, onboarding but blocked or much slowed; green, at the expected pace.
    Rag {
        Red = ("red", "Red"),
        Amber = ("amber", "Amber"),
        Green = ("green", "Green"),
    }
}

enumeration! {
    /// What a signed-in user may do.
    UserRole {
        Admin = ("admin", "Admin"),
        Manager = ("manager", "FastTrack Manager"),
        Engineer = ("engineer", "FastTrack Engineer"),
        Partner = ("partner", "Partner"),
        Guest = ("guest", "Guest"),
    }
}

enumeration! {
    /// Kind of a tenant contact.
    ContactType {
        Customer = ("customer", "Customer"),
        Partner = ("partner", "Partner"),
        Microsoft = ("microsoft", "Microsoft"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_task_statuses_parse_by_key_and_name() {
        assert_eq!(TaskStatus::ALL.len(), 13);
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.key()), Some(*s));
            assert_eq!(TaskStatus::parse(&s.name().to_uppercase()), Some(*s));
        }
        assert_eq!(TaskStatus::parse("done"), None);
        assert!(TaskStatus::Complete.settles() && TaskStatus::NotRequired.settles());
        assert!(!TaskStatus::Cancelled.settles());
        assert!(TaskStatus::BlockedTechnicalMs.is_blocked());
    }

    #[test]
    fn keys_serialize_as_json() {
        assert_eq!(
            serde_json::to_string(&TaskStatus::PausedCustomerDelay).ok(),
            Some("\"paused-customer-delay\"".to_string())
        );
        assert_eq!(
            AssignmentRole::parse("Customer Success Manager"),
            Some(AssignmentRole::CustomerSuccessManager)
        );
        assert_eq!(UserRole::parse("partner"), Some(UserRole::Partner));
    }

    #[test]
    fn enterprise_reasons_and_rag_parse_by_key_and_spec_name() {
        assert_eq!(EnterpriseReason::ALL.len(), 6);
        assert_eq!(
            EnterpriseReason::parse(">50K"),
            Some(EnterpriseReason::Over50kSeats)
        );
        assert_eq!(
            EnterpriseReason::parse("new-feature-experiment"),
            Some(EnterpriseReason::NewFeatureExperiment)
        );
        assert_eq!(EnterpriseReason::parse("blue"), None);
        assert_eq!(Rag::parse("AMBER"), Some(Rag::Amber));
        assert_eq!(Rag::parse("yellow"), None);
    }
}
