//! `ftop serve`'s single sign-on flags (each also an `FTOP_SSO_*` environment variable).

use clap::Args;
use ftop_web::sso::{MatchBy, SsoConfig};

#[derive(Debug, Args)]
#[command(next_help_heading = "Single sign-on (OpenID Connect)")]
pub(crate) struct SsoArgs {
    /// The provider's issuer URL, e.g. https://login.example.com/realms/staff (turns
    /// single sign-on on; discovery is read from /.well-known/openid-configuration).
    #[arg(long, env = "FTOP_SSO_ISSUER", value_name = "URL")]
    sso_issuer: Option<String>,
    /// This ftop's client ID at the provider.
    #[arg(long, env = "FTOP_SSO_CLIENT_ID", value_name = "ID")]
    sso_client_id: Option<String>,
    /// The client secret (better from the environment than on the command line); leave
    /// it out for a public client, which relies on PKCE alone.
    #[arg(
        long,
        env = "FTOP_SSO_CLIENT_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    sso_client_secret: Option<String>,
    /// Where the provider sends people back: this site's address followed by
    /// /signin/sso/callback, registered at the provider as a redirect URI.
    #[arg(long, env = "FTOP_SSO_REDIRECT_URL", value_name = "URL")]
    sso_redirect_url: Option<String>,
    /// How someone finds their ftop account at their first sign-in through the provider:
    /// `email` (the verified e-mail claim equals the account's name, whatever its case) or
    /// `subject` (only accounts made at sign-in). Later sign-ins must come with the same
    /// subject of the same issuer.
    #[arg(long, env = "FTOP_SSO_MATCH", value_enum, default_value_t = Match::Email)]
    sso_match: Match,
    /// Take the e-mail claim as verified when the provider does not say (Entra ID never
    /// sends `email_verified`). Only for a provider whose addresses users cannot change
    /// themselves, such as a company directory: otherwise someone could claim another
    /// person's address and get their account.
    #[arg(long, env = "FTOP_SSO_TRUST_EMAIL")]
    sso_trust_email: bool,
    /// The claim that carries the person's groups or roles.
    #[arg(
        long,
        env = "FTOP_SSO_ROLE_CLAIM",
        default_value = "groups",
        value_name = "CLAIM"
    )]
    sso_role_claim: String,
    /// Claim values and the ftop roles they give, e.g.
    /// "ftop-admins=admin,pm=manager,eng=engineer,partners=partner,partner-leads=partner-admin".
    /// When one matches, it sets the account's role at each sign-in, and someone none
    /// matches is refused; empty: roles are managed in ftop alone.
    #[arg(
        long,
        env = "FTOP_SSO_ROLES",
        default_value = "",
        value_name = "VALUE=ROLE,..."
    )]
    sso_roles: String,
    /// The claim that names a partner user's organisation (which must exist in ftop).
    #[arg(
        long,
        env = "FTOP_SSO_ORG_CLAIM",
        default_value = "org",
        value_name = "CLAIM"
    )]
    sso_org_claim: String,
    /// Make an account at the first sign-in of someone who has none (with the role their
    /// claims give); off unless given.
    #[arg(long, env = "FTOP_SSO_CREATE_USERS")]
    sso_create_users: bool,
    /// Everyone signs in through the provider; the password form stays for the
    /// break-glass administrator alone.
    #[arg(long, env = "FTOP_SSO_REQUIRED", requires = "sso_break_glass")]
    sso_required: bool,
    /// The local administrator who keeps a password when single sign-on is required.
    #[arg(long, env = "FTOP_SSO_BREAK_GLASS", value_name = "NAME")]
    sso_break_glass: Option<String>,
    /// The provider's name on the sign-in button.
    #[arg(
        long,
        env = "FTOP_SSO_LABEL",
        default_value = "single sign-on",
        value_name = "TEXT"
    )]
    sso_label: String,
}

/// `--sso-match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Match {
    /// The verified e-mail claim equals the account's name.
    Email,
    /// Only the provider's subject.
    Subject,
}

impl SsoArgs {
    /// The configuration, `None` without an issuer; a clear error for settings that do
    /// not fit together.
    pub(crate) fn config(&self) -> anyhow::Result<Option<SsoConfig>> {
        let Some(issuer) = self.sso_issuer.clone() else {
            anyhow::ensure!(
                !self.sso_required,
                "--sso-required needs a provider (--sso-issuer)"
            );
            return Ok(None);
        };
        let need = |v: &Option<String>, flag: &str| {
            v.clone()
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| anyhow::anyhow!("single sign-on needs {flag}"))
        };
        let config = SsoConfig {
            issuer,
            client_id: need(&self.sso_client_id, "--sso-client-id")?,
            client_secret: self.sso_client_secret.clone().filter(|s| !s.is_empty()),
            redirect_url: need(&self.sso_redirect_url, "--sso-redirect-url")?,
            scopes: ["openid", "email", "profile"].map(String::from).to_vec(),
            match_by: match self.sso_match {
                Match::Email => MatchBy::Email,
                Match::Subject => MatchBy::Subject,
            },
            trust_email: self.sso_trust_email,
            role_claim: self.sso_role_claim.clone(),
            roles: SsoConfig::parse_roles(&self.sso_roles)
                .map_err(|e| anyhow::anyhow!("--sso-roles: {e}"))?,
            org_claim: self.sso_org_claim.clone(),
            create_users: self.sso_create_users,
            required: self.sso_required,
            break_glass: self.sso_break_glass.clone(),
            label: self.sso_label.clone(),
        };
        let problems = config.problems();
        anyhow::ensure!(
            problems.is_empty(),
            "single sign-on settings: {}",
            problems.join("; ")
        );
        Ok(Some(config))
    }
}
