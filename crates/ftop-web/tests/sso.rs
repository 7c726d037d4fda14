//! Single sign-on against a real OpenID Connect provider: the certified `oidc-provider`
//! package under Node (tests/oidc-provider, installed by `npm ci` in scripts/test), never a
//! stand-in. ftop serves on a real port; a small cookie-keeping HTTP walker plays the
//! browser through the provider's login form and back.
//!
//! Without Node or the package the tests say why and pass, unless FTOP_REQUIRE_OIDC=1
//! (CI), where that fails them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{Harness, actor};
use ftop_domain::UserRole;
use ftop_web::sso::{MatchBy, Sso, SsoConfig};
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

const SECRET: &str = "a client secret for tests";

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The provider's folder, or None (saying why) when it cannot run here.
fn provider_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc-provider");
    let node = Command::new("node").arg("--version").output().is_ok();
    let installed = dir.join("node_modules/oidc-provider/package.json").exists();
    if node && installed {
        return Some(dir);
    }
    let why = if node {
        "run `npm ci --prefix tests/oidc-provider`"
    } else {
        "Node.js is not installed"
    };
    assert!(
        std::env::var("FTOP_REQUIRE_OIDC").as_deref() != Ok("1"),
        "FTOP_REQUIRE_OIDC=1 but the OpenID provider cannot run: {why}"
    );
    eprintln!("SKIPPED: the OpenID provider cannot run here: {why}");
    None
}

/// A running provider with three clients (`ftop`, `other`, `ftop-short` whose ID tokens
/// live 2 seconds) that may send people back to each of `callbacks`.
struct Provider {
    issuer: String,
    _child: Kill,
}

fn provider(dir: &std::path::Path, callbacks: &[String]) -> Provider {
    let client = |id: &str| serde_json::json!({"client_id": id, "client_secret": SECRET, "redirect_uris": callbacks});
    // `verified`: the provider's `email_verified` claim (None: not sent, as Entra ID does).
    let account =
        |sub: &str, email: &str, verified: Option<bool>, groups: &[&str], org: Option<&str>| {
            let mut a = serde_json::json!({"sub": sub, "email": email,
                "name": sub, "groups": groups, "org": org});
            if let Some(v) = verified {
                a["email_verified"] = v.into();
            }
            a
        };
    let config = serde_json::json!({
        "clients": [client("ftop"), client("other"), client("ftop-short")],
        "short_lived_client": "ftop-short",
        "accounts": [
            account("u-ann", "ann@example.com", Some(true), &["ftop-managers"], None),
            account("u-bo", "Bo@Example.com", Some(true), &["ftop-admins", "ftop-managers"], None),
            account("u-pat", "pat@fabrikam.example", Some(true), &["partners"], Some("Fabrikam Partners")),
            account("u-zed", "zed@example.com", Some(true), &["visitors"], None),
            account("u-dee", "dee@example.com", Some(true), &["ftop-engineers"], None),
            // Claims ann's address, unverified: must not get ann's account.
            account("u-eve", "ann@example.com", Some(false), &[], None),
            // Claims lee's address without saying whether it is verified: not trusted.
            account("u-nov", "lee@example.com", None, &["ftop-engineers"], None),
            // Has an account, but none of the mapped groups (left them): no access.
            account("u-kim", "kim@example.com", Some(true), &["visitors"], None),
        ],
    });
    let mut child = Command::new("node")
        .arg(dir.join("provider.mjs"))
        .env("OIDC_PORT", "0")
        .env("OIDC_CONFIG", config.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let issuer = line
        .trim()
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
        .to_string();
    Provider {
        issuer,
        _child: Kill(child),
    }
}

fn config(issuer: &str, client: &str, port: u16) -> SsoConfig {
    SsoConfig {
        issuer: issuer.into(),
        client_id: client.into(),
        client_secret: Some(SECRET.into()),
        redirect_url: format!("http://127.0.0.1:{port}/signin/sso/callback"),
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        match_by: MatchBy::Email,
        trust_email: false,
        role_claim: "groups".into(),
        roles: SsoConfig::parse_roles(
            "ftop-admins=admin,ftop-managers=manager,ftop-engineers=engineer,partners=partner",
        )
        .unwrap(),
        org_claim: "org".into(),
        create_users: true,
        required: false,
        break_glass: None,
        label: "Test IdP".into(),
    }
}

/// Serves ftop with `sso` on `port` until the test ends.
fn serve(h: &Harness, sso: SsoConfig, port: u16) {
    let mut app = ftop_web::App::new(h.store.clone());
    app.sso = Some(Arc::new(Sso::new(sso).unwrap()));
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    tokio::spawn(ftop_web::serve(app, addr, std::future::pending()));
}

/// A browser enough for the flow: cookies per host and port (paths and flags aside),
/// redirects followed by hand so each step can be looked at.
#[derive(Default)]
struct Walker {
    jar: HashMap<String, BTreeMap<String, String>>,
}

struct Page {
    status: u16,
    url: String,
    location: Option<String>,
    body: String,
}

fn origin(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or_default().to_string()
}

impl Walker {
    async fn send(&mut self, method: &str, url: &str, form: Option<&[(&str, &str)]>) -> Page {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let host = origin(url);
        let cookies = self
            .jar
            .get(&host)
            .map(|c| {
                c.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let mut req = if method == "POST" {
            http.post(url).form(form.unwrap_or(&[]))
        } else {
            http.get(url)
        };
        if !cookies.is_empty() {
            req = req.header("cookie", cookies);
        }
        let res = req.send().await.unwrap();
        let jar = self.jar.entry(host.clone()).or_default();
        for v in res.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (kv, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = kv.split_once('=').unwrap();
            if val.is_empty()
                || attrs.contains("Max-Age=0")
                || attrs.contains("expires=Thu, 01 Jan 1970")
            {
                jar.remove(k.trim());
            } else {
                jar.insert(k.trim().into(), val.into());
            }
        }
        let location = res.headers().get("location").map(|l| {
            let l = l.to_str().unwrap();
            if l.starts_with('/') {
                format!("http://{host}{l}")
            } else {
                l.to_string()
            }
        });
        Page {
            status: res.status().as_u16(),
            url: url.into(),
            location,
            body: res.text().await.unwrap(),
        }
    }

    /// GETs `url` and follows redirects until a page that is not one, or until a redirect
    /// to a URL starting with `stop` (returned unfollowed).
    async fn follow(&mut self, url: &str, stop: Option<&str>) -> Page {
        let mut page = self.send("GET", url, None).await;
        for _ in 0..10 {
            match page.location.clone() {
                Some(next) if stop.is_none_or(|s| !next.starts_with(s)) => {
                    page = self.send("GET", &next, None).await;
                }
                _ => return page,
            }
        }
        panic!("too many redirects from {url}");
    }

    /// At the provider's login form: signs in as `login` and follows redirects (until
    /// `stop`, if given).
    async fn log_in(&mut self, form: &Page, login: &str, stop: Option<&str>) -> Page {
        assert_eq!(form.status, 200, "the provider's login form: {}", form.body);
        let action = form
            .body
            .split("action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap();
        let url = format!("http://{}{action}", origin(&form.url));
        let page = self
            .send("POST", &url, Some(&[("login", login), ("password", "x")]))
            .await;
        match page.location.clone() {
            Some(next) if stop.is_none_or(|s| !next.starts_with(s)) => {
                self.follow(&next, stop).await
            }
            _ => page,
        }
    }

    /// The whole sign-in through ftop at `base` as `login`: the page it ends on.
    async fn sso_sign_in(&mut self, base: &str, login: &str, next: &str) -> Page {
        let form = self
            .follow(&format!("{base}/signin/sso?next={next}"), None)
            .await;
        self.log_in(&form, login, None).await
    }
}

/// Is `page` a portal page (not the sign-in page) for `name`?
fn signed_in_as(page: &Page, name: &str) -> bool {
    page.status == 200
        && !page.url.contains("/signin")
        && page.body.contains(&format!(">{name}</a>"))
}

fn reason(page: &Page) -> String {
    page.url
        .split("error=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap_or("")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_sign_in_through_the_provider_and_find_their_accounts() {
    let Some(dir) = provider_dir() else { return };
    let mut h = Harness::new().await;
    h.person("ann@example.com", UserRole::Engineer, None).await;
    h.person("bo@example.com", UserRole::Engineer, None).await;
    h.person("dee@example.com", UserRole::Engineer, None).await;
    h.person("kim@example.com", UserRole::Engineer, None).await;
    h.person("lee@example.com", UserRole::Engineer, None).await;
    h.person("root", UserRole::Admin, None).await;
    h.store
        .create_organisation(&actor(), "Fabrikam Partners")
        .await
        .unwrap();
    h.store
        .set_user_disabled(&actor(), "dee@example.com", true)
        .await
        .unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let idp = provider(&dir, &[format!("{base}/signin/sso/callback")]);
    serve(&h, config(&idp.issuer, "ftop", port), port);
    common::wait_for_port(port).await;

    // The sign-in page offers the provider beside the password form.
    let mut w = Walker::default();
    let signin = w.follow(&format!("{base}/signin"), None).await;
    assert!(
        signin.body.contains("Sign in with Test IdP"),
        "{}",
        signin.body
    );
    assert!(signin.body.contains("name=\"password\""));

    // ann: found by her verified e-mail, her group makes her a manager, she lands where
    // she was going, signed in.
    let home = w
        .sso_sign_in(&base, "ann@example.com", "/admin/reassign")
        .await;
    assert!(
        signed_in_as(&home, "ann@example.com"),
        "{} {:?}",
        home.url,
        w.jar
    );
    assert!(home.url.ends_with("/admin/reassign"), "{}", home.url);
    let named = |h: &Harness, name: &'static str| {
        let store = h.store.clone();
        async move { store.sso_accounts_named(name).await.unwrap().remove(0) }
    };
    let ann_subject = format!("{}#u-ann", idp.issuer);
    let ann = named(&h, "ann@example.com").await;
    assert_eq!(
        ann.subject.as_deref(),
        Some(ann_subject.as_str()),
        "the subject is recorded with its issuer"
    );
    assert_eq!(ann.user.role, UserRole::Manager, "the group's role");
    // A second sign-in finds her by the subject.
    let mut w2 = Walker::default();
    let again = w2.sso_sign_in(&base, "u-ann", "/").await;
    assert!(signed_in_as(&again, "ann@example.com"), "{}", again.url);

    // bo: the address matches whatever its case; the strongest group wins.
    let mut w = Walker::default();
    let bo = w.sso_sign_in(&base, "u-bo", "/").await;
    assert!(signed_in_as(&bo, "bo@example.com"), "{}", bo.url);
    let bo = h
        .store
        .user_by_name("bo@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bo.role, UserRole::Admin);

    // pat: no account, made just in time as a partner of the organisation the claim names.
    let mut w = Walker::default();
    let pat = w.sso_sign_in(&base, "u-pat", "/").await;
    assert!(signed_in_as(&pat, "pat@fabrikam.example"), "{}", pat.url);
    let pat = h
        .store
        .user_by_name("pat@fabrikam.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pat.role, UserRole::Partner);
    assert_eq!(pat.partner.as_deref(), Some("Fabrikam Partners"));
    assert!(
        h.store
            .verify_password("pat@fabrikam.example", "")
            .await
            .unwrap()
            .is_none(),
        "no local password"
    );

    // Refusals, each back on the sign-in page with its reason, and no session.
    for (login, why) in [
        ("u-zed", "sso-no-role"),
        ("u-dee", "sso-inactive"),
        ("u-eve", "sso-no-role"),
        ("u-kim", "sso-no-role"),
    ] {
        let mut w = Walker::default();
        let page = w.sso_sign_in(&base, login, "/").await;
        assert!(page.url.contains("/signin?"), "{login}: {}", page.url);
        assert_eq!(reason(&page), why, "{login}");
        assert!(
            !w.jar.values().any(|c| c.contains_key("ftop_session")),
            "{login} got a session"
        );
    }
    let ann_again = named(&h, "ann@example.com").await;
    assert_eq!(
        ann_again.subject.as_deref(),
        Some(ann_subject.as_str()),
        "eve did not take it"
    );
    // nov's address is not verified: it finds no account, and the one made for nov is
    // named by the subject; lee's stays lee's.
    let mut w = Walker::default();
    let nov = w.sso_sign_in(&base, "u-nov", "/").await;
    assert!(signed_in_as(&nov, "u-nov"), "{}", nov.url);
    assert_eq!(
        named(&h, "lee@example.com").await.subject,
        None,
        "nov did not take lee's"
    );
    let kim = h
        .store
        .user_by_name("kim@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kim.role, UserRole::Engineer, "kim's role is left as it was");

    // An administrator unbinds ann (her account at the provider was replaced): her next
    // sign-in binds it again.
    let r = h
        .api(
            "root",
            "PATCH",
            "/api/v1/users/ann@example.com",
            Some(serde_json::json!({"sso_linked": false})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["user"]["sso_linked"], false, "{}", r.body);
    assert_eq!(named(&h, "ann@example.com").await.subject, None);
    let mut w = Walker::default();
    let back_in = w.sso_sign_in(&base, "u-ann", "/").await;
    assert!(signed_in_as(&back_in, "ann@example.com"), "{}", back_in.url);
    assert_eq!(
        named(&h, "ann@example.com").await.subject,
        Some(ann_subject)
    );

    // The provider's answer must belong to the sign-in this browser started.
    let mut w = Walker::default();
    let form = w.follow(&format!("{base}/signin/sso"), None).await;
    let at_callback = w
        .log_in(&form, "u-ann", Some(&format!("{base}/signin/sso/callback")))
        .await;
    let callback = at_callback.location.unwrap();
    let forged = callback.replace("state=", "state=x");
    let refused = w.follow(&forged, None).await;
    assert_eq!(reason(&refused), "sso-failed");
    let mut stranger = Walker::default();
    let refused = stranger.follow(&callback, None).await;
    assert_eq!(
        reason(&refused),
        "sso-failed",
        "a callback without the flow's cookie"
    );
}

/// A real ID token from the provider for `client`, with the nonce ftop chose.
async fn id_token(sso: &Sso, callback: &str) -> (String, ftop_web::sso::Pending) {
    let (url, pending) = sso.authorize("/").await.unwrap();
    let mut w = Walker::default();
    let form = w.follow(&url, None).await;
    let back = w.log_in(&form, "u-ann", Some(callback)).await;
    let location = back.location.unwrap();
    let code = location
        .split("code=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_string();
    let raw = sso.exchange(&code, &pending).await.unwrap();
    (raw, pending)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_expired_and_foreign_id_tokens_are_refused() {
    let Some(dir) = provider_dir() else { return };
    let port = free_port();
    let callback = format!("http://127.0.0.1:{port}/signin/sso/callback");
    let idp = provider(&dir, std::slice::from_ref(&callback));
    let ftop = Sso::new(config(&idp.issuer, "ftop", port)).unwrap();

    let (raw, pending) = id_token(&ftop, &callback).await;
    let me = ftop.verify(&raw, &pending.nonce).await.unwrap();
    assert_eq!(me.subject, "u-ann");
    assert_eq!(me.email.as_deref(), Some("ann@example.com"));
    assert_eq!(me.claims["groups"], serde_json::json!(["ftop-managers"]));

    // Another nonce: a token replayed into another sign-in.
    assert!(ftop.verify(&raw, "another-nonce").await.is_err());
    // The payload changed to another person (valid JSON, re-encoded): the signature no
    // longer holds.
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = raw.split('.').collect();
    let mut claims: serde_json::Value =
        serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = "u-bo".into();
    claims["email"] = "Bo@Example.com".into();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    let e = ftop.verify(&tampered, &pending.nonce).await.unwrap_err();
    assert!(e.to_string().to_lowercase().contains("signature"), "{e}");
    // The signature of another token on this payload.
    let (other_raw, _) = id_token(&ftop, &callback).await;
    let spliced = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        other_raw.split('.').nth(2).unwrap()
    );
    assert!(ftop.verify(&spliced, &pending.nonce).await.is_err());
    // No signature at all ("alg": "none").
    let unsigned = format!("eyJhbGciOiJub25lIn0.{}.", parts[1]);
    assert!(ftop.verify(&unsigned, &pending.nonce).await.is_err());

    // Issued to another client: the audience is not ftop.
    let other = Sso::new(config(&idp.issuer, "other", port)).unwrap();
    let (foreign, foreign_pending) = id_token(&other, &callback).await;
    assert!(other.verify(&foreign, &foreign_pending.nonce).await.is_ok());
    let e = ftop
        .verify(&foreign, &foreign_pending.nonce)
        .await
        .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("audience"), "{e}");

    // Expired: the short-lived client's token, 3 seconds later.
    let short = Sso::new(config(&idp.issuer, "ftop-short", port)).unwrap();
    let (brief, brief_pending) = id_token(&short, &callback).await;
    assert!(short.verify(&brief, &brief_pending.nonce).await.is_ok());
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let e = short
        .verify(&brief, &brief_pending.nonce)
        .await
        .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("expired"), "{e}");

    // A provider that is not the configured issuer.
    let wrong = Sso::new(config("http://127.0.0.1:9", "ftop", port)).unwrap();
    assert!(matches!(
        wrong.verify(&raw, &pending.nonce).await,
        Err(ftop_web::sso::SsoError::Unavailable(_))
    ));
}

/// The password form of ftop at `base`, filled in for `name`.
async fn password(w: &mut Walker, base: &str, name: &str) -> Page {
    let page = w.follow(&format!("{base}/signin"), None).await;
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    w.send(
        "POST",
        &format!("{base}/signin"),
        Some(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("password", common::PASSWORD),
            ("next", "/"),
        ]),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn required_sign_on_leaves_passwords_to_the_break_glass_admin() {
    let Some(dir) = provider_dir() else { return };
    let mut h = Harness::new().await;
    h.person("root", UserRole::Admin, None).await;
    h.person("ann@example.com", UserRole::Manager, None).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let idp = provider(&dir, &[format!("{base}/signin/sso/callback")]);
    let mut c = config(&idp.issuer, "ftop", port);
    c.required = true;
    c.break_glass = Some("root".into());
    c.create_users = false;
    c.roles.clear();
    serve(&h, c, port);
    common::wait_for_port(port).await;

    let mut w = Walker::default();
    let page = w.follow(&format!("{base}/signin"), None).await;
    assert!(page.body.contains("break-glass"), "{}", page.body);
    // ann has a password, but must come through the provider.
    let refused = password(&mut w, &base, "ann@example.com").await;
    assert!(refused.location.unwrap().contains("error=sso-only"));
    assert!(!w.jar.values().any(|c| c.contains_key("ftop_session")));
    // The break-glass administrator still signs in with a password.
    let mut w = Walker::default();
    let ok = password(&mut w, &base, "root").await;
    assert_eq!(ok.location.as_deref(), Some(format!("{base}/").as_str()));
    assert!(w.jar.values().any(|c| c.contains_key("ftop_session")));
    // Through the provider ann signs in; her role stays ftop's (no role map here).
    let mut w = Walker::default();
    let home = w.sso_sign_in(&base, "ann@example.com", "/").await;
    assert!(signed_in_as(&home, "ann@example.com"), "{}", home.url);
    let ann = h
        .store
        .user_by_name("ann@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann.role, UserRole::Manager);
    // Without just-in-time accounts, someone unknown is told to ask for one.
    let mut w = Walker::default();
    let page = w.sso_sign_in(&base, "u-zed", "/").await;
    assert_eq!(reason(&page), "sso-no-account");
}
