//! Single sign-on with OpenID Connect: the authorization code flow with PKCE, through the
//! `openidconnect` crate, which does discovery, the code exchange and every check of the
//! ID token (signature against the provider's published keys, issuer, audience, nonce,
//! expiry). What this module adds is ftop's side: the configuration, the short-lived
//! cookie that carries the flow's secrets between the two legs (`routes.rs`), and how the
//! provider's claims become an ftop account (`accounts.rs`).
//!
//! Local accounts keep working beside it unless the operator requires single sign-on,
//! which leaves the password form to one named break-glass administrator.

mod accounts;
mod config;
pub(crate) mod routes;

pub use config::{MatchBy, RoleRule, SsoConfig};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long the provider's metadata and signing keys are kept before they are asked for
/// again (a provider that rotates its keys is followed within this time).
const METADATA_TTL: Duration = Duration::from_secs(600);
/// How old the keys may be before a token they do not verify makes ftop fetch them again.
const KEYS_RETRY: Duration = Duration::from_secs(5);
/// How long the provider may take to answer one request.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a single sign-on did not succeed. The cause is logged; the reader sees a short,
/// translated reason.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider could not be reached or answered something unusable.
    #[error("the identity provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider's answer failed a check (state, code, ID token).
    #[error("the sign-in was refused: {0}")]
    Refused(String),
}

/// Who the provider says signed in: the checked ID token's claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// `sub`: the provider's permanent ID of the person.
    pub subject: String,
    /// `email`, when the provider sent one.
    pub email: Option<String>,
    /// `email_verified`: `None` when the provider does not say.
    pub email_verified: Option<bool>,
    /// `preferred_username`, when sent.
    pub username: Option<String>,
    /// Every claim of the ID token, for the configured role and organisation claims.
    pub claims: serde_json::Value,
}

/// What the first leg hands to the second (in a cookie): the values only this browser
/// holds and the provider must echo or prove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// `state`: the provider returns it with the code; a different one is refused.
    pub state: String,
    /// `nonce`: must be inside the ID token.
    pub nonce: String,
    /// The PKCE verifier whose challenge went with the request.
    pub verifier: String,
    /// Where to go after signing in (a path on this site).
    pub next: String,
}

impl Pending {
    /// The cookie value: four parts joined by `~` (the first three are base64url, the path
    /// is percent-encoded, so none contains one).
    pub fn encode(&self) -> String {
        let next: String = form_urlencoded::byte_serialize(self.next.as_bytes()).collect();
        format!("{}~{}~{}~{next}", self.state, self.nonce, self.verifier)
    }

    /// [`Pending::encode`] read back; `None` when it is not one.
    pub fn decode(s: &str) -> Option<Pending> {
        let mut p = s.splitn(4, '~');
        let (state, nonce, verifier, next) = (p.next()?, p.next()?, p.next()?, p.next()?);
        let b64 = |x: &str| {
            !x.is_empty()
                && x.len() <= 200
                && x.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !(b64(state) && b64(nonce) && b64(verifier)) {
            return None;
        }
        let next: String = form_urlencoded::parse(format!("n={next}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())?;
        Some(Pending {
            state: state.into(),
            nonce: nonce.into(),
            verifier: verifier.into(),
            next,
        })
    }
}

/// The core client as made from discovered metadata (authorization and token endpoints
/// from discovery, the rest unset).
type Client = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// A configured OpenID Connect provider, with its metadata and keys once fetched.
#[derive(Debug)]
pub struct Sso {
    config: SsoConfig,
    http: openidconnect::reqwest::Client,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl Sso {
    /// A provider from its configuration; nothing is fetched until first needed (or
    /// [`Sso::discover`]).
    pub fn new(config: SsoConfig) -> Result<Sso, SsoError> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider send ftop's requests elsewhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| SsoError::Unavailable(format!("cannot make an HTTP client: {e}")))?;
        Ok(Sso {
            config,
            http,
            metadata: Mutex::new(None),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SsoConfig {
        &self.config
    }

    /// The provider's metadata and signing keys, fetched by discovery at most every
    /// [`METADATA_TTL`].
    pub async fn discover(&self) -> Result<CoreProviderMetadata, SsoError> {
        self.discover_within(METADATA_TTL).await
    }

    /// The metadata, fetched again when older than `max_age`.
    async fn discover_within(&self, max_age: Duration) -> Result<CoreProviderMetadata, SsoError> {
        if let Ok(m) = self.metadata.lock()
            && let Some((at, meta)) = m.as_ref()
            && at.elapsed() < max_age
        {
            return Ok(meta.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone())
            .map_err(|e| SsoError::Unavailable(format!("issuer URL: {e}")))?;
        let meta = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| SsoError::Unavailable(format!("discovery: {}", chain(&e))))?;
        if let Ok(mut m) = self.metadata.lock() {
            *m = Some((Instant::now(), meta.clone()));
        }
        Ok(meta)
    }

    async fn client(&self) -> Result<Client, SsoError> {
        self.client_within(METADATA_TTL).await
    }

    async fn client_within(&self, max_age: Duration) -> Result<Client, SsoError> {
        let meta = self.discover_within(max_age).await?;
        let redirect = RedirectUrl::new(self.config.redirect_url.clone())
            .map_err(|e| SsoError::Unavailable(format!("redirect URL: {e}")))?;
        Ok(CoreClient::from_provider_metadata(
            meta,
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    /// The first leg: where to send the browser, and what to keep for the second.
    pub async fn authorize(&self, next: &str) -> Result<(String, Pending), SsoError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok((
            url.to_string(),
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                next: next.to_string(),
            },
        ))
    }

    /// The second leg: trades the code (with the PKCE verifier) for tokens at the
    /// provider's token endpoint and returns the ID token as it came (still unchecked).
    pub async fn exchange(&self, code: &str, pending: &Pending) -> Result<String, SsoError> {
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| SsoError::Unavailable(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Refused(format!("code exchange: {}", chain(&e))))?;
        response
            .id_token()
            .map(|t| t.to_string())
            .ok_or_else(|| SsoError::Refused("the provider sent no ID token".into()))
    }

    /// Checks an ID token: its signature against the provider's keys, the issuer, that it
    /// was issued to this client (audience), that it carries `nonce`, and that it has not
    /// expired. Only then are its claims read.
    pub async fn verify(&self, id_token: &str, nonce: &str) -> Result<Identity, SsoError> {
        let token = CoreIdToken::from_str(id_token)
            .map_err(|e| SsoError::Refused(format!("not an ID token: {e}")))?;
        let nonce = Nonce::new(nonce.to_string());
        let client = self.client().await?;
        let checked = match token.claims(&client.id_token_verifier(), &nonce) {
            Ok(c) => c.clone(),
            // The provider may have rotated its keys since they were fetched: ask again
            // (at most every few seconds) before refusing.
            Err(first) => {
                let fresh = self.client_within(KEYS_RETRY).await?;
                token
                    .claims(&fresh.id_token_verifier(), &nonce)
                    .map_err(|_| SsoError::Refused(format!("ID token: {}", chain(&first))))?
                    .clone()
            }
        };
        // The signature covers the payload, checked above: the same bytes, read as JSON
        // for the claims the core types do not name (groups, organisation).
        let claims = payload(id_token)
            .ok_or_else(|| SsoError::Refused("unreadable ID token payload".into()))?;
        Ok(Identity {
            subject: checked.subject().as_str().to_string(),
            email: checked.email().map(|e| e.as_str().to_string()),
            email_verified: checked.email_verified(),
            username: checked.preferred_username().map(|u| u.as_str().to_string()),
            claims,
        })
    }
}

/// The JSON payload of a compact JWT (the part between the two dots).
fn payload(jwt: &str) -> Option<serde_json::Value> {
    use base64::Engine;
    let part = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// An error and its causes on one line, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_round_trips_and_refuses_what_it_did_not_write() {
        let p = Pending {
            state: "abc-_1".into(),
            nonce: "n0nce".into(),
            verifier: "v".repeat(43),
            next: "/tenants?q=a~b&x=ü".into(),
        };
        assert_eq!(Pending::decode(&p.encode()), Some(p));
        assert_eq!(Pending::decode("a~b~c"), None);
        assert_eq!(Pending::decode("a;b~b~c~/"), None);
        assert_eq!(Pending::decode("~b~c~/"), None);
    }

    #[test]
    fn payload_reads_the_middle_part() {
        use base64::Engine;
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"sub":"x"}"#);
        assert_eq!(
            payload(&format!("e30.{body}.sig")),
            Some(serde_json::json!({"sub": "x"}))
        );
        assert_eq!(payload("no-dots"), None);
    }
}
