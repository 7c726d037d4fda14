//! The message a failed form sends back to the page it redirects to.
//!
//! The text never travels in the URL: a link anyone can craft must not make the portal show
//! words of the link's author as its own (content injection, phishing). The redirect sets
//! a short-lived cookie with the message ([`redirect`]) and its URL carries only a flag
//! ([`FLAG`]); the page shows a banner when it has the flag and the cookie holds a message
//! ([`shown`]), with the cookie's text only, then clears the cookie ([`clear`]). A URL with
//! the flag and no cookie shows nothing.

use crate::auth::{cookie, urlencode};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};

/// The cookie's name.
pub(crate) const COOKIE: &str = "ftop_notice";

/// The query parameter that says a message waits in the cookie (`...&invalid=1`).
pub(crate) const FLAG: &str = "invalid=1";

/// Seconds the cookie lives: long enough for the redirect to be followed.
const MAX_AGE: u32 = 60;

/// Characters of a message kept at most.
const MAX_CHARS: usize = 2000;

/// Bytes of the encoded message kept at most, so the cookie stays under the 4 KB browsers
/// keep (a message in Chinese takes nine bytes a character once encoded).
const MAX_ENCODED: usize = 3800;

/// What a cut message ends with (`…`, encoded).
const ELLIPSIS: &str = "%E2%80%A6";

/// A redirect (303) to `to`, which should carry [`FLAG`], with `message` in the cookie.
pub(crate) fn redirect(to: &str, message: &str) -> Response {
    (
        AppendHeaders([(header::SET_COOKIE, set_cookie(&encode(message), MAX_AGE))]),
        Redirect::to(to),
    )
        .into_response()
}

/// The message in the request's cookie: None without one, or when it is not what
/// [`redirect`] writes (not percent-encoded text, not UTF-8, control characters, empty or
/// too long).
pub(crate) fn read(headers: &HeaderMap) -> Option<String> {
    decode(&cookie(headers, COOKIE)?)
}

/// The message to show: only when the URL has the flag (`flagged`) and the cookie holds one.
pub(crate) fn shown(flagged: bool, headers: &HeaderMap) -> Option<String> {
    if flagged { read(headers) } else { None }
}

/// Adds to `res` the header that removes the cookie (the page showed its message).
pub(crate) fn clear(res: &mut Response) {
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie("", 0));
}

fn set_cookie(value: &str, max_age: u32) -> HeaderValue {
    // The value is percent-encoded: only characters a header and a cookie may hold.
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("ftop_notice=; Path=/; Max-Age=0"))
}

/// `message` percent-encoded, control characters as spaces, cut to [`MAX_CHARS`]
/// characters and [`MAX_ENCODED`] bytes (then `…`).
fn encode(message: &str) -> String {
    let mut out = String::new();
    let mut buf = [0u8; 4];
    for (i, c) in message.trim().chars().enumerate() {
        let c = if c.is_control() { ' ' } else { c };
        let e = urlencode(c.encode_utf8(&mut buf));
        if i >= MAX_CHARS || out.len() + e.len() > MAX_ENCODED - ELLIPSIS.len() {
            out.push_str(ELLIPSIS);
            break;
        }
        out.push_str(&e);
    }
    out
}

/// The text of a cookie value [`encode`] wrote; None for anything else.
fn decode(value: &str) -> Option<String> {
    if value.is_empty() || value.len() > MAX_ENCODED {
        return None;
    }
    let b = value.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return None;
                }
                bytes.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            c @ (b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/') => {
                bytes.push(c);
                i += 1;
            }
            _ => return None,
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    let fine = !text.trim().is_empty()
        && !text.chars().any(char::is_control)
        && text.chars().count() <= MAX_CHARS + 1;
    fine.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("ftop_session=abc; {COOKIE}={value}")).unwrap(),
        );
        h
    }

    fn cookie_of(res: &Response) -> String {
        let set = res.headers()[header::SET_COOKIE].to_str().unwrap();
        let (pair, attrs) = set.split_once(';').unwrap();
        assert_eq!(
            attrs,
            " Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=60"
        );
        pair.strip_prefix("ftop_notice=").unwrap().to_string()
    }

    #[test]
    fn a_message_goes_in_the_cookie_and_comes_back() {
        let m = "Percent complete: a whole number 0–100, «140» ; = , \"quoted\" 完成 <b>";
        let res = redirect("/tenants/t?tab=status&invalid=1", m);
        assert_eq!(res.status(), axum::http::StatusCode::SEE_OTHER);
        assert_eq!(
            res.headers()[header::LOCATION],
            "/tenants/t?tab=status&invalid=1"
        );
        let value = cookie_of(&res);
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~/%".contains(&b)),
            "{value}"
        );
        assert_eq!(read(&with_cookie(&value)).as_deref(), Some(m));
        assert_eq!(shown(true, &with_cookie(&value)).as_deref(), Some(m));
        assert_eq!(shown(false, &with_cookie(&value)), None);
        assert_eq!(shown(true, &HeaderMap::new()), None);
    }

    #[test]
    fn long_messages_are_cut_to_fit_a_cookie() {
        for m in ["a".repeat(5000), "完".repeat(3000), "x y".repeat(2000)] {
            let value = cookie_of(&redirect("/", &m));
            assert!(value.len() <= MAX_ENCODED, "{}", value.len());
            let back = read(&with_cookie(&value)).unwrap();
            assert!(back.ends_with('…') && back.chars().count() <= MAX_CHARS + 1);
            assert!(m.starts_with(back.trim_end_matches('…')));
        }
        let value = cookie_of(&redirect("/", "line\none"));
        assert_eq!(read(&with_cookie(&value)).as_deref(), Some("line one"));
    }

    #[test]
    fn garbage_is_no_message() {
        for v in [
            "",
            "%20",
            "%",
            "%4",
            "%zz",
            "a%2",
            "plain+text",
            "%3Cb%3E\"",
            "%FF%FE",
            "a%0Ab",
            "a%00b",
        ] {
            assert_eq!(read(&with_cookie(v)), None, "{v}");
        }
        assert_eq!(read(&with_cookie(&"a".repeat(MAX_ENCODED + 1))), None);
        assert_eq!(read(&HeaderMap::new()), None);
        let mut res = Redirect::to("/").into_response();
        clear(&mut res);
        assert_eq!(
            res.headers()[header::SET_COOKIE],
            "ftop_notice=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"
        );
    }
}
