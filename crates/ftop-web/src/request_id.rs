//! A request ID for every request: the caller's `X-Request-Id` when it is a sensible one (1
//! to 64 characters of letters, digits and `-_.:`), else a fresh one (16 hex digits). The ID
//! names the tracing span around the request, so every log line written while handling it
//! carries it; it goes back in the `X-Request-Id` response header, and error pages and JSON
//! error bodies show it ([`current`]).

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header, in and out.
pub(crate) static HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The longest incoming ID kept.
const MAX_LEN: usize = 64;

tokio::task_local! {
    static CURRENT: String;
}

/// The ID of the request being handled (`None` outside a request).
pub(crate) fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// An incoming ID worth keeping: short, and only characters safe in a log line, a header
/// and HTML.
fn acceptable(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    (!s.is_empty()
        && s.len() <= MAX_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')))
    .then(|| s.to_string())
}

fn fresh() -> String {
    use rand::RngCore;
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The middleware (outermost): picks the ID, runs the request inside the `request` span
/// (fields `id`, `method`, `path`) and sets the response header.
pub(crate) async fn layer(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(acceptable)
        .unwrap_or_else(fresh);
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let mut res = CURRENT
        .scope(id.clone(), next.run(req))
        .instrument(span)
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HEADER.clone(), v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_safe_ids_are_kept() {
        let ok = |s: &str| acceptable(&HeaderValue::from_str(s).unwrap());
        assert_eq!(ok("abc-123_x.y:z").as_deref(), Some("abc-123_x.y:z"));
        assert_eq!(
            ok("0f8fad5b-d9cb-469f-a165-70867728950e").as_deref(),
            Some("0f8fad5b-d9cb-469f-a165-70867728950e")
        );
        assert_eq!(ok(&"a".repeat(64)).as_deref(), Some(&*"a".repeat(64)));
        for bad in ["", " ", "a b", "<script>", "a\"b", "x;y", "é", "a/b"] {
            let v = HeaderValue::from_bytes(bad.as_bytes()).unwrap();
            assert_eq!(acceptable(&v), None, "{bad:?}");
        }
        assert_eq!(ok(&"a".repeat(65)), None);
        let f = fresh();
        assert_eq!(f.len(), 16);
        assert!(f.bytes().all(|b| b.is_ascii_hexdigit()), "{f}");
    }
}
