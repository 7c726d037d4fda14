//! The request extractors every handler uses instead of axum's own: `Path`, `Query`, `Form`
//! and `Json`. axum's answer a request they cannot read with a plain-text 400; these answer
//! through the one error path: the JSON envelope under `/api/`, an error page elsewhere.
//!
//! - A value that does not deserialize: 400 `bad-request` naming the parameter (path,
//!   query) or 422 `invalid` naming the property (JSON and form bodies; `body` when the
//!   text is not JSON at all).
//! - A NUL character in any decoded value (or name): 422 naming the field
//!   (`ftop_domain::limits::no_nul`), on both database engines alike.
//! - A body over its limit (announced or sent in chunks): 413 `too-large`.
//! - A query string over `limits::QUERY_STRING`: 400.

use crate::error::{AppError, Kind, PageError};
use crate::i18n::Lang;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use ftop_domain::limits;
use serde::de::DeserializeOwned;

/// An extractor's refusal, rendered as the API or a page renders errors.
#[derive(Debug)]
pub(crate) struct Rejected {
    pub(crate) error: AppError,
    /// The reader's language when the request is for a page.
    page: Option<Lang>,
}

impl Rejected {
    /// `uri` as the router saw it before nesting (`/api/v1/...`), from `extensions`.
    fn new(uri: &Uri, extensions: &Extensions, headers: &HeaderMap, error: AppError) -> Self {
        Rejected {
            error,
            page: page_of(uri, extensions, headers),
        }
    }
}

impl Rejected {
    /// The body was read but does not fit the form's fields (a field missing or of the
    /// wrong kind), as opposed to a NUL character or a body over the limit.
    pub(crate) fn does_not_fit(&self) -> bool {
        self.error.kind == Kind::Invalid && !self.error.fields.iter().any(|f| f.id == "invalid-nul")
    }
}

impl IntoResponse for Rejected {
    fn into_response(self) -> Response {
        match self.page {
            Some(lang) => PageError::new(lang, self.error).into_response(),
            None => self.error.into_response(),
        }
    }
}

/// The reader's language when the request is for a page, None for the API (`uri` as the
/// router saw it before nesting, `/api/v1/...`, is in the extensions).
fn page_of(uri: &Uri, extensions: &Extensions, headers: &HeaderMap) -> Option<Lang> {
    let path = extensions
        .get::<axum::extract::OriginalUri>()
        .map_or(uri.path(), |o| o.0.path());
    (!path.starts_with("/api/")).then(|| Lang::of(headers))
}

/// 422 naming `field` when `value` holds a NUL.
fn no_nul(field: &str, value: &str) -> Result<(), AppError> {
    limits::no_nul(field, value).map_err(|f| AppError::invalid(vec![f]))
}

/// Every decoded name and value of a URL-encoded text, checked for NUL.
fn check_encoded(text: &[u8]) -> Result<(), AppError> {
    for (k, v) in form_urlencoded::parse(text) {
        no_nul(&k, &k)?;
        no_nul(&k, &v)?;
    }
    Ok(())
}

/// A deserialization error's path (`limit`, `rows[0].count`), or `fallback`.
fn path_of<E>(e: &serde_path_to_error::Error<E>, fallback: &str) -> String {
    let p = e.path().to_string();
    if p.is_empty() || p == "." {
        fallback.to_string()
    } else {
        p
    }
}

/// The message of a deserialization error without the position of a whole document.
fn short(e: &impl std::fmt::Display) -> String {
    limits::quote(&e.to_string())
}

/// "`abc` is not a whole number" for a value that did not parse as `expected_type`.
fn kind_of(value: &str, expected_type: &str) -> String {
    let what = if expected_type.starts_with('i') || expected_type.starts_with('u') {
        "a whole number in range"
    } else {
        expected_type
    };
    format!("`{}` is not {what}", limits::quote(value))
}

/// Path parameters.
#[derive(Debug, Clone)]
pub(crate) struct Path<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Rejected;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejected> {
        let reject = |p: &Parts, e| Rejected::new(&p.uri, &p.extensions, &p.headers, e);
        let raw = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| reject(parts, AppError::bad_request(e.body_text())))?;
        for (k, v) in raw.iter() {
            if let Err(e) = no_nul(k, v) {
                return Err(reject(parts, e));
            }
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(x)) => Ok(Path(x)),
            Err(e) => {
                use axum::extract::rejection::PathRejection;
                let err = match &e {
                    PathRejection::FailedToDeserializePathParams(d) => {
                        use axum::extract::path::ErrorKind as K;
                        let only = match raw.iter().collect::<Vec<_>>()[..] {
                            [(k, _)] => k.to_string(),
                            _ => "path".to_string(),
                        };
                        let (field, why) = match d.kind() {
                            K::ParseErrorAtKey {
                                key,
                                value,
                                expected_type,
                            } => (key.clone(), kind_of(value, expected_type)),
                            K::ParseError {
                                value,
                                expected_type,
                            }
                            | K::ParseErrorAtIndex {
                                value,
                                expected_type,
                                ..
                            } => (only, kind_of(value, expected_type)),
                            other => (only, short(other)),
                        };
                        // For a reader, a page whose ID cannot even be read is not
                        // there: the not-found page in their language, like any other
                        // address that leads nowhere. The API names the parameter (400).
                        if page_of(&parts.uri, &parts.extensions, &parts.headers).is_some() {
                            AppError::not_found("page")
                        } else {
                            AppError {
                                fields: limits::error(&field, why).0,
                                ..AppError::bad_request(format!(
                                    "path parameter `{field}` is invalid"
                                ))
                            }
                        }
                    }
                    _ => AppError::bad_request(e.body_text()),
                };
                Err(reject(parts, err))
            }
        }
    }
}

/// The query string, deserialized.
#[derive(Debug, Clone)]
pub(crate) struct Query<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Query<T> {
    type Rejection = Rejected;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejected> {
        let q = parts.uri.query().unwrap_or("");
        let r = query(q);
        r.map(Query)
            .map_err(|e| Rejected::new(&parts.uri, &parts.extensions, &parts.headers, e))
    }
}

fn query<T: DeserializeOwned>(q: &str) -> Result<T, AppError> {
    if q.len() as u64 > limits::QUERY_STRING.max {
        return Err(AppError::bad_request(format!(
            "the query string is longer than {} bytes",
            limits::group(limits::QUERY_STRING.max)
        )));
    }
    check_encoded(q.as_bytes())?;
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = path_of(&e, "query");
        AppError {
            fields: vec![limits::error(&field, short(e.inner())).0.remove(0)],
            ..AppError::bad_request(format!("query parameter `{field}` is invalid"))
        }
    })
}

/// The body read whole, or 413 / 400.
async fn bytes<S: Send + Sync>(req: Request, state: &S) -> Result<axum::body::Bytes, AppError> {
    axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                AppError::bad_request("the body could not be read")
            }
        })
}

/// The body limit of every route but the usage upload.
pub(crate) const BODY_LIMIT: usize = if limits::JSON_BODY.max > limits::FORM_BODY.max {
    limits::JSON_BODY.max as usize
} else {
    limits::FORM_BODY.max as usize
};

/// 413: the body is over the limit.
pub(crate) fn too_large() -> AppError {
    AppError::new(
        Kind::TooLarge,
        format!(
            "the body is larger than {} bytes",
            limits::group(BODY_LIMIT as u64)
        ),
    )
}

fn content_type_is(headers: &HeaderMap, want: &str) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim();
            v.eq_ignore_ascii_case(want) || (want == "application/json" && v.ends_with("+json"))
        })
}

/// A URL-encoded form body.
#[derive(Debug, Clone)]
pub(crate) struct Form<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for Form<T> {
    type Rejection = Rejected;
    async fn from_request(req: Request, state: &S) -> Result<Self, Rejected> {
        let page = page_of(req.uri(), req.extensions(), req.headers());
        let fits = content_type_is(req.headers(), "application/x-www-form-urlencoded");
        let r = async {
            if !fits {
                return Err(AppError::bad_request(
                    "send the form as application/x-www-form-urlencoded",
                ));
            }
            let body = bytes(req, state).await?;
            check_encoded(&body)?;
            let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&body));
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = path_of(&e, "body");
                AppError::invalid(limits::error(&field, short(e.inner())).0)
            })
        }
        .await;
        r.map(Form).map_err(|error| Rejected { error, page })
    }
}

/// A JSON body.
#[derive(Debug, Clone)]
pub(crate) struct Json<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for Json<T> {
    type Rejection = Rejected;
    async fn from_request(req: Request, state: &S) -> Result<Self, Rejected> {
        let page = page_of(req.uri(), req.extensions(), req.headers());
        let fits = content_type_is(req.headers(), "application/json");
        let r = async {
            if !fits {
                return Err(AppError::bad_request(
                    "send the body as JSON with Content-Type: application/json",
                ));
            }
            let body = bytes(req, state).await?;
            json(&body)
        }
        .await;
        r.map(Json).map_err(|error| Rejected { error, page })
    }
}

fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| AppError::unreadable_body(format!("not JSON: {}", short(&e))))?;
    // Every body the API takes is an object: serde would also read a struct from an
    // array of its fields in order (`[null, true]`), which the document does not allow.
    if !value.is_object() {
        return Err(AppError::unreadable_body("send a JSON object"));
    }
    nul_in_json(&value, &mut String::new())?;
    whole_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = path_of(&e, "body");
        AppError {
            message: "the body is not valid JSON for this request".into(),
            ..AppError::invalid(limits::error(&field, short(e.inner())).0)
        }
    })
}

/// Numbers written with a fraction of zero (`3.0`, `1e3`) as the whole numbers they are:
/// JSON Schema counts them as integers, so a field the document declares `integer` takes
/// them. Numbers outside the 64-bit range stay as they are (and are refused as too large).
fn whole_numbers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
            {
                // `as` saturates: a value at either end is out of range, not whole.
                if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
                    *v = Value::from(f as i64);
                } else if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                    *v = Value::from(f as u64);
                }
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(whole_numbers),
        Value::Object(m) => m.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// 422 naming the first property (as a path) whose name or text holds a NUL.
fn nul_in_json(v: &serde_json::Value, at: &mut String) -> Result<(), AppError> {
    use serde_json::Value;
    let here = |at: &str| {
        if at.is_empty() {
            "body".to_string()
        } else {
            at.to_string()
        }
    };
    match v {
        Value::String(s) => no_nul(&here(at), s),
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                nul_in_json(x, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        Value::Object(m) => {
            for (k, x) in m {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(k);
                no_nul(&here(at), k)?;
                nul_in_json(x, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Q {
        #[allow(dead_code)]
        limit: Option<i64>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct B {
        rows: Vec<R>,
    }
    #[derive(Debug, serde::Deserialize)]
    struct R {
        count: u64,
    }

    #[test]
    fn errors_name_the_parameter() {
        let e = query::<Q>("limit=abc").unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
        assert_eq!(e.fields[0].field, "limit");
        let e = query::<Q>("x=%00").unwrap_err();
        assert_eq!((e.kind, e.fields[0].field.as_str()), (Kind::Invalid, "x"));
        let e = query::<Q>(&"a".repeat(9000)).unwrap_err();
        assert_eq!(e.kind, Kind::BadRequest);
        let e = json::<B>(br#"{"rows": [{"count": "x"}]}"#).unwrap_err();
        assert_eq!(
            (e.kind, e.fields[0].field.as_str()),
            (Kind::Invalid, "rows[0].count")
        );
        let e = json::<B>(br#"{"rows": [], "note": "a\u0000b"}"#).unwrap_err();
        assert_eq!(e.fields[0].field, "note");
        let e = json::<B>(b"{not json").unwrap_err();
        assert_eq!(e.fields[0].field, "body");
    }

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let b = json::<B>(br#"{"rows": [{"count": 3.0}, {"count": 1e3}]}"#).unwrap();
        assert_eq!(
            b.rows.iter().map(|r| r.count).collect::<Vec<_>>(),
            [3, 1000]
        );
        // Long mantissas read exactly (a float parsed one step off would have a fraction).
        let b = json::<B>(br#"{"rows": [{"count": 2251799813685247.0}]}"#).unwrap();
        assert_eq!(b.rows[0].count, 2_251_799_813_685_247);
        let e = json::<B>(br#"{"rows": [{"count": 2.5}]}"#).unwrap_err();
        assert_eq!(e.fields[0].field, "rows[0].count");
        let e = json::<B>(br#"{"rows": [{"count": 1e30}]}"#).unwrap_err();
        assert_eq!(e.fields[0].field, "rows[0].count");
    }
}
