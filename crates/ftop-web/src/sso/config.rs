//! What an operator configures for single sign-on (`ftop serve --sso-*` flags or the
//! `FTOP_SSO_*` environment; docs/operations.md, "Single sign-on").

use ftop_domain::UserRole;

/// How a signed-in identity finds its ftop account the first time (afterwards the
/// provider's subject, recorded then, must match).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchBy {
    /// The `email` claim (verified, when the provider says) equals the account's name.
    #[default]
    Email,
    /// Only the subject: accounts made at sign-in, or linked before.
    Subject,
}

/// One value of the role claim and what it grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRule {
    /// The claim's value (a group name, say).
    pub value: String,
    /// The ftop role.
    pub role: UserRole,
    /// A partner user who administers their organisation.
    pub partner_admin: bool,
}

/// Single sign-on settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    /// The provider's issuer URL (discovery is at `/.well-known/openid-configuration`
    /// below it).
    pub issuer: String,
    /// This ftop's client ID at the provider.
    pub client_id: String,
    /// The client secret; `None` for a public client (PKCE alone).
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back: this site's `/signin/sso/callback`.
    pub redirect_url: String,
    /// Scopes asked for (`openid` is always first).
    pub scopes: Vec<String>,
    /// How an identity finds its account the first time.
    pub match_by: MatchBy,
    /// Take an `email` claim as verified when the provider does not say (some providers,
    /// Entra ID among them, never send `email_verified`): only for a provider whose
    /// addresses users cannot change themselves.
    pub trust_email: bool,
    /// The claim whose value (a string or a list of strings) gives the role.
    pub role_claim: String,
    /// The claim's values and their roles; the most powerful one that matches wins, and an
    /// identity none matches is refused (leaving a group takes the access away). Empty:
    /// roles are managed in ftop alone.
    pub roles: Vec<RoleRule>,
    /// The claim that names a partner user's organisation (an existing one).
    pub org_claim: String,
    /// Make an account at the first sign-in of an identity that has none (off unless
    /// asked for).
    pub create_users: bool,
    /// Every sign-in goes through the provider, except the break-glass administrator's.
    pub required: bool,
    /// The one local account that keeps its password when single sign-on is required.
    pub break_glass: Option<String>,
    /// The provider's name on the sign-in button.
    pub label: String,
}

impl SsoConfig {
    /// Reads a role map: `value=role` pairs separated by commas, where role is `admin`,
    /// `manager`, `engineer`, `partner`, `partner-admin` or `guest`.
    pub fn parse_roles(text: &str) -> Result<Vec<RoleRule>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (value, role) = pair
                    .rsplit_once('=')
                    .ok_or_else(|| format!("`{pair}`: write it as claim-value=role"))?;
                let (role, partner_admin) = match role.trim() {
                    "partner-admin" => (UserRole::Partner, true),
                    r => (
                        UserRole::parse(r).ok_or_else(|| {
                            format!(
                                "`{r}` is not a role: admin, manager, engineer, partner, \
                                 partner-admin or guest"
                            )
                        })?,
                        false,
                    ),
                };
                let value = value.trim();
                if value.is_empty() {
                    return Err(format!("`{pair}`: the claim value is empty"));
                }
                Ok(RoleRule {
                    value: value.to_string(),
                    role,
                    partner_admin,
                })
            })
            .collect()
    }

    /// What is wrong with the settings, for the operator, before serving.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        // Plain http only on this machine (a provider or proxy beside ftop): keys and
        // codes never cross a network unencrypted.
        let url = |what: &str, u: &str, p: &mut Vec<String>| {
            let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|l| {
                    u.strip_prefix(l)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
                });
            if !(u.starts_with("https://") || local) {
                p.push(format!(
                    "{what} must be an https:// URL (http:// only on 127.0.0.1 or localhost), not `{u}`"
                ));
            }
        };
        url("the issuer", &self.issuer, &mut p);
        url("the redirect URL", &self.redirect_url, &mut p);
        if !self.redirect_url.ends_with("/signin/sso/callback") {
            p.push(format!(
                "the redirect URL must end with /signin/sso/callback (this site's callback), \
                 not `{}`",
                self.redirect_url
            ));
        }
        if self.client_id.trim().is_empty() {
            p.push("the client ID is empty".into());
        }
        if self.required && self.break_glass.is_none() {
            p.push(
                "requiring single sign-on needs a break-glass administrator \
                 (--sso-break-glass NAME), who keeps a local password"
                    .into(),
            );
        }
        if self.break_glass.is_some() && !self.required {
            p.push("--sso-break-glass only means something with --sso-required".into());
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_addresses_are_https_but_on_this_machine() {
        let mut c = SsoConfig {
            issuer: "https://login.example.com/realms/a".into(),
            client_id: "ftop".into(),
            client_secret: None,
            redirect_url: "http://localhost:8080/signin/sso/callback".into(),
            scopes: vec![],
            match_by: MatchBy::Email,
            trust_email: false,
            role_claim: "groups".into(),
            roles: vec![],
            org_claim: "org".into(),
            create_users: false,
            required: false,
            break_glass: None,
            label: "x".into(),
        };
        assert_eq!(c.problems(), Vec::<String>::new());
        c.issuer = "http://login.example.com".into();
        assert!(c.problems()[0].contains("https://"), "{:?}", c.problems());
        c.issuer = "http://localhost.evil.example".into();
        assert_eq!(c.problems().len(), 1);
        c.issuer = "http://127.0.0.1:9000".into();
        assert!(c.problems().is_empty());
    }

    #[test]
    fn role_maps_read_and_refuse_with_reasons() {
        let r = SsoConfig::parse_roles("ftop-admins=admin, p-admins = partner-admin,x=y=guest")
            .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].value, "p-admins");
        assert!(r[1].partner_admin && r[1].role == UserRole::Partner);
        assert_eq!(r[2].value, "x=y");
        assert!(
            SsoConfig::parse_roles("a=boss")
                .unwrap_err()
                .contains("not a role")
        );
        assert!(SsoConfig::parse_roles("admin").is_err());
        assert!(SsoConfig::parse_roles("=admin").is_err());
        assert_eq!(SsoConfig::parse_roles("").unwrap(), vec![]);
    }
}
