//! The one harness of the web tests: the real router on a fresh SQLite database with the
//! bundled playbook, people of any role (each with a session cookie, its CSRF token and an
//! API token), requests as anonymous, session or bearer callers, a real sign-in, and raw SQL
//! on the database file to inject faults.
//!
//! ```ignore
//! let mut h = Harness::new().await;            // English playbook loaded
//! h.tenant(T, "t.onmicrosoft.com", &[("exchange", 300, None)]).await;
//! h.person("maria", UserRole::Manager, None).await;
//! let r = h.page("maria", &format!("/tenants/{T}")).await;       // session cookie
//! let r = h.form("maria", "/tenants/.../notes", "body=hi").await; // + CSRF field
//! let r = h.api("maria", "GET", "/api/v1/tenants", None).await;   // bearer token
//! h.lang = Some("es".into());                   // pages in Spanish from now on
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub(crate) mod log;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use ftop_domain::{AssignmentRole, UserRole};
use ftop_store::{Actor, NewTenant, PlaybookSource, Store, User};
use http_body_util::BodyExt;
use serde_json::Value;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// The password of every person the harness makes.
pub(crate) const PASSWORD: &str = "a good password";

/// The bundled playbook's pages of `locale` (`en`, `es`, `zh`), in path order.
pub(crate) fn bundled(locale: &str) -> Vec<PlaybookSource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../playbook/{locale}"));
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| PlaybookSource {
            root: String::new(),
            path: format!("{locale}/{}", f.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&f).unwrap(),
        })
        .collect()
}

/// The bundled English playbook.
pub(crate) fn sources() -> Vec<PlaybookSource> {
    bundled("en")
}

/// The bundled playbook in every language it ships in (as the binary loads it).
pub(crate) fn bundled_all() -> Vec<PlaybookSource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook");
    let mut locales: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    locales.sort();
    locales.iter().flat_map(|l| bundled(l)).collect()
}

/// The H1 of a bundled page (`h1("es", "file.md")`).
pub(crate) fn h1(locale: &str, file: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../playbook/{locale}/{file}"));
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap()
        .trim()
        .to_string()
}

/// The actor of fixtures.
pub(crate) fn actor() -> Actor {
    Actor::system("test")
}

/// Percent-encodes a form or query value.
pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A signed-in person: their user, a session (cookie and CSRF token) and an API token.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) role: UserRole,
    pub(crate) user: User,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
    pub(crate) token: String,
}

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Who<'a> {
    Anon,
    /// The person's session cookie.
    Session(&'a str),
    /// The person's `Authorization: Bearer` token.
    Bearer(&'a str),
}

/// What came back.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    /// The body as JSON (panics, showing the body, when it is not).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The body as JSON, or null.
    pub(crate) fn json_or_null(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The Location header ("" without one).
    pub(crate) fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }
}

/// A fresh database, the router over it, and the people in it.
pub(crate) struct Harness {
    pub(crate) store: Store,
    /// The SQLite file (for raw SQL: [`Harness::sql`]).
    pub(crate) db: PathBuf,
    people: Vec<Person>,
    /// The UI language pages are asked in (`ftop_lang` cookie of session and anonymous
    /// requests; None: none sent, English).
    pub(crate) lang: Option<String>,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// A fresh database with the bundled English playbook.
    pub(crate) async fn new() -> Harness {
        Self::with_playbook(&sources()).await
    }

    /// A fresh database with the playbook of `pages`.
    pub(crate) async fn with_playbook(pages: &[PlaybookSource]) -> Harness {
        let h = Self::empty().await;
        h.store.load_playbook(&actor(), pages).await.unwrap();
        h
    }

    /// A fresh database with nothing in it (no playbook).
    pub(crate) async fn empty() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("web.db");
        let store = Store::open(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        Harness {
            store,
            db,
            people: Vec::new(),
            lang: None,
            _dir: dir,
        }
    }

    /// Adds a tenant with its services: (key, entitlements, qualified seats).
    pub(crate) async fn tenant(&self, id: &str, name: &str, services: &[(&str, i64, Option<i64>)]) {
        self.tenant_of(id, name, "C", services).await;
    }

    /// [`Harness::tenant`] with a customer name.
    pub(crate) async fn tenant_of(
        &self,
        id: &str,
        name: &str,
        customer: &str,
        services: &[(&str, i64, Option<i64>)],
    ) {
        let t = NewTenant {
            tenant_id: id.into(),
            name: name.into(),
            customer: customer.into(),
            services: services
                .iter()
                .map(|(s, n, q)| (s.to_string(), *n, *q))
                .collect(),
        };
        self.store.add_tenant(&actor(), &t).await.unwrap();
    }

    /// Adds a user (of `partner`'s organisation for partners), signs them in and gives them
    /// an API token.
    pub(crate) async fn person(
        &mut self,
        name: &str,
        role: UserRole,
        partner: Option<&str>,
    ) -> &Person {
        let a = actor();
        let user = self
            .store
            .add_user(&a, name, role, PASSWORD, partner)
            .await
            .unwrap();
        let (cookie, s) = self.store.create_session(&user).await.unwrap();
        let token = self.store.create_token(&a, name, "test").await.unwrap();
        self.people.push(Person {
            name: name.into(),
            role,
            user,
            cookie,
            csrf: s.csrf,
            token,
        });
        self.people.last().unwrap()
    }

    /// One person of each role in `roles`, named by the role's key (`admin`, `manager`, ...);
    /// partners belong to `partner_org`.
    pub(crate) async fn people(&mut self, roles: &[UserRole], partner_org: &str) {
        for role in roles {
            let partner = (*role == UserRole::Partner).then_some(partner_org);
            self.person(role.key(), *role, partner).await;
        }
    }

    /// Assigns `user` to `tenant` in `role` (not primary, all services).
    pub(crate) async fn assign(&self, tenant: &str, user: &str, role: AssignmentRole) {
        self.store
            .assign(&actor(), tenant, user, role, "", false)
            .await
            .unwrap();
    }

    /// The person named `name`.
    pub(crate) fn who(&self, name: &str) -> &Person {
        self.people
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no person {name}"))
    }

    /// The first person with `role`.
    pub(crate) fn of_role(&self, role: UserRole) -> &Person {
        self.people.iter().find(|p| p.role == role).unwrap()
    }

    /// A request builder carrying `who`'s credentials.
    pub(crate) fn request(
        &self,
        who: Who<'_>,
        method: &str,
        path: &str,
    ) -> axum::http::request::Builder {
        let req = Request::builder().method(method).uri(path);
        let lang = self.lang.as_ref().map(|l| format!("ftop_lang={l}"));
        match who {
            Who::Anon => match lang {
                Some(l) => req.header(header::COOKIE, l),
                None => req,
            },
            Who::Session(n) => {
                let mut cookie = format!("ftop_session={}", self.who(n).cookie);
                if let Some(l) = lang {
                    cookie.push_str("; ");
                    cookie.push_str(&l);
                }
                req.header(header::COOKIE, cookie)
            }
            Who::Bearer(n) => req.header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.who(n).token),
            ),
        }
    }

    /// Sends a request through a fresh router (from 127.0.0.1 unless it says otherwise).
    pub(crate) async fn send(&self, mut req: Request<Body>) -> Reply {
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        }
        let res = ftop_web::router(ftop_web::App::new(self.store.clone()))
            .oneshot(req)
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET as `who`.
    pub(crate) async fn get(&self, who: Who<'_>, path: &str) -> Reply {
        let req = self.request(who, "GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// GET a page with `name`'s session.
    pub(crate) async fn page(&self, name: &str, path: &str) -> Reply {
        self.get(Who::Session(name), path).await
    }

    /// POST a form with `name`'s session; the session's CSRF token goes first (`form` is
    /// the rest, already encoded, may be empty).
    pub(crate) async fn form(&self, name: &str, path: &str, form: &str) -> Reply {
        let csrf = self.who(name).csrf.clone();
        let body = if form.is_empty() {
            format!("csrf={csrf}")
        } else {
            format!("csrf={csrf}&{form}")
        };
        self.post_form(Who::Session(name), path, &body).await
    }

    /// POST an encoded form body as `who`, exactly as given (no CSRF token added).
    pub(crate) async fn post_form(&self, who: Who<'_>, path: &str, body: &str) -> Reply {
        let req = self
            .request(who, "POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// An API call with `name`'s bearer token and an optional JSON body.
    pub(crate) async fn api(
        &self,
        name: &str,
        method: &str,
        path: &str,
        json: Option<Value>,
    ) -> Reply {
        let req = self.request(Who::Bearer(name), method, path);
        let req = match json {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    /// An API call with `name`'s bearer token and a body of any type.
    pub(crate) async fn api_raw(
        &self,
        name: &str,
        method: &str,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> Reply {
        let req = self
            .request(Who::Bearer(name), method, path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Signs `name` in through the real form (`GET /signin` for its CSRF cookie, then
    /// `POST /signin`): the new session's cookie and its CSRF token.
    pub(crate) async fn sign_in(&self, name: &str, password: &str) -> (String, String) {
        let form = self.get(Who::Anon, "/signin").await;
        let pre = form.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let token = pre.split_once('=').unwrap().1.to_string();
        let req = Request::post("/signin")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "name={}&password={}&csrf={token}",
                enc(name),
                enc(password)
            )))
            .unwrap();
        let r = self.send(req).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in failed: {}",
            r.body
        );
        let cookie = r.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("ftop_session=")
            .to_string();
        let csrf = self.store.session(&cookie).await.unwrap().unwrap().csrf;
        (cookie, csrf)
    }

    /// Runs SQL straight on the database file, beside the store (to break it on purpose).
    pub(crate) fn sql(&self, sql: &str) {
        let c = rusqlite::Connection::open(&self.db).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        c.execute_batch(sql).unwrap();
    }
}

/// Waits until something listens on 127.0.0.1:`port` (a server started in the test).
pub(crate) async fn wait_for_port(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("nothing listens on port {port}");
}

/// The message a failed form sends back to its page in the `ftop_notice` cookie (the URL
/// carries only the flag `invalid=1`; see `pages/notice.rs`).
impl Reply {
    /// The notice cookie this reply sets, as a request sends it back (`ftop_notice=...`),
    /// and its message decoded; None when it sets none (a cookie being cleared is none).
    pub(crate) fn notice(&self) -> Option<(String, String)> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|pair| pair.strip_prefix("ftop_notice="))
            .find(|value| !value.is_empty())
            .map(|value| (format!("ftop_notice={value}"), percent_decode(value)))
    }
}

impl Harness {
    /// GET a page with `name`'s session and one more cookie (`cookie` is `name=value`, such
    /// as the first part of [`Reply::notice`]).
    pub(crate) async fn page_with_cookie(&self, name: &str, path: &str, cookie: &str) -> Reply {
        let req = self
            .request(Who::Session(name), "GET", path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }
}

/// `%XX` escapes decoded (the text must be UTF-8).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
