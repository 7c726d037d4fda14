//! One error path for the whole web layer. Every handler, page or API, fails with an
//! [`AppError`]: a known kind (401, 403, 404, 409, 422, 400, 413, 503) with a message that
//! is safe to show, or [`Kind::Internal`] (500), whose cause is logged with a short reference
//! ID and never sent: the client gets the reference and a generic sentence.
//!
//! The API renders an `AppError` as the JSON envelope
//! `{"error": {"code", "message", "fields"[, "reference"][, "request_id"]}}`; pages wrap it
//! in a [`PageError`], which knows the reader's language and renders an HTML page through
//! the page layout. Both show the request's ID (`request_id.rs`), which is also in every log
//! line of the request, next to the reference of a 500 or 503.

use crate::i18n::Lang;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ftop_domain::FieldError;
use ftop_store::StoreError;
use maud::html;
use serde_json::json;

/// What went wrong, as the client may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 401: no (valid) session or token.
    Unauthenticated,
    /// 403: the role may not.
    Forbidden,
    /// 403: the caller may read the tenant but is not assigned to it.
    ReadOnly,
    /// 403: a session's change came without its CSRF token.
    Csrf,
    /// 404: does not exist, or may not be seen.
    NotFound,
    /// 409: changed by someone else first.
    Conflict,
    /// 422: fields the user can fix (`fields` names them).
    Invalid,
    /// 422: a business rule refuses the change (the message says which).
    Refused,
    /// 400: the request cannot be read.
    BadRequest,
    /// 413: the body is too large.
    TooLarge,
    /// 503: the database cannot answer now; try again.
    Unavailable,
    /// 500: a fault on our side; only a reference goes out.
    Internal,
}

impl Kind {
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
            Kind::Forbidden | Kind::ReadOnly | Kind::Csrf => StatusCode::FORBIDDEN,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::Conflict => StatusCode::CONFLICT,
            Kind::Invalid | Kind::Refused => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `code` of the JSON envelope (stable; documented in `openapi.json`).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Unauthenticated => "unauthenticated",
            Kind::Forbidden | Kind::ReadOnly => "forbidden",
            Kind::Csrf => "csrf",
            Kind::NotFound => "not-found",
            Kind::Conflict => "conflict",
            Kind::Invalid => "invalid",
            Kind::Refused => "refused",
            Kind::BadRequest => "bad-request",
            Kind::TooLarge => "too-large",
            Kind::Unavailable => "unavailable",
            Kind::Internal => "internal",
        }
    }
}

/// An error on its way to the client: what kind, a message safe to show (English, for API
/// callers), the fields at fault, and for 500/503 the reference under which the cause was
/// logged.
#[derive(Debug)]
pub(crate) struct AppError {
    pub(crate) kind: Kind,
    pub(crate) message: String,
    pub(crate) fields: Vec<FieldError>,
    pub(crate) reference: Option<String>,
}

/// A value taken from a URL, as an error message may repeat it: a short token (letters,
/// digits, `-`, `_`, `.`), else `…`. A crafted link must not make a page say a sentence of
/// its author's (content injection); what was wrong is still named by its parameter.
pub(crate) fn echoed(value: &str) -> String {
    let token = !value.is_empty()
        && value.len() <= 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if token {
        value.to_string()
    } else {
        "…".to_string()
    }
}

/// A short random reference (10 hex digits) that ties a response to its log line.
fn new_reference() -> String {
    use rand::RngCore;
    let mut b = [0u8; 5];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl AppError {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: message.into(),
            fields: Vec::new(),
            reference: None,
        }
    }

    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            Kind::Unauthenticated,
            "sign in or send Authorization: Bearer TOKEN",
        )
    }

    /// 403: `what` the role may not do ("change this tenant").
    pub(crate) fn forbidden(what: &str) -> Self {
        Self::new(Kind::Forbidden, format!("your role may not {what}"))
    }

    /// 403 on a tenant the caller may only read.
    pub(crate) fn read_only() -> Self {
        Self::new(
            Kind::ReadOnly,
            "read-only: you are not assigned to this tenant",
        )
    }

    pub(crate) fn csrf() -> Self {
        Self::new(Kind::Csrf, "send the session's CSRF token in X-CSRF-Token")
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(Kind::NotFound, format!("{what} not found"))
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(Kind::BadRequest, message)
    }

    /// 422 with the fields at fault.
    pub(crate) fn invalid(fields: Vec<FieldError>) -> Self {
        AppError {
            fields,
            ..Self::new(Kind::Invalid, "some fields are invalid")
        }
    }

    /// 422 naming one field: `AppError::field_error(FieldError::of("status", "invalid-..."))`.
    pub(crate) fn field_error(e: FieldError) -> Self {
        Self::invalid(vec![e])
    }

    /// 422: a JSON or form body that cannot be read (`why` names the problem).
    pub(crate) fn unreadable_body(why: impl Into<String>) -> Self {
        AppError {
            message: "the body is not valid JSON for this request".into(),
            ..Self::field_error(FieldError::of("body", "invalid-body").with("why", why.into()))
        }
    }

    /// 500: logs `cause` with a fresh reference; the client sees only the reference.
    pub(crate) fn internal(cause: impl std::fmt::Display) -> Self {
        let reference = new_reference();
        tracing::error!(reference = %reference, error = %cause, "internal error");
        AppError {
            reference: Some(reference),
            ..Self::new(
                Kind::Internal,
                "something went wrong on our side; quote the reference if you report it",
            )
        }
    }

    /// 503: the database cannot answer now; logged with a reference like a 500.
    pub(crate) fn unavailable(cause: impl std::fmt::Display) -> Self {
        let reference = new_reference();
        tracing::error!(reference = %reference, error = %cause, "database unavailable");
        AppError {
            reference: Some(reference),
            ..Self::new(
                Kind::Unavailable,
                "the database is not available; try again",
            )
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// The field errors as one line (`Field: message; ...`) in `lang`, for a flash message.
    pub(crate) fn fields_line(&self, lang: Lang) -> String {
        fields_line(&self.fields, lang)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(inv) => AppError::invalid(inv.0),
            StoreError::NotFound(what) => AppError::not_found(&what),
            StoreError::Conflict(m) => AppError::new(Kind::Conflict, m),
            // After the store's split, Refused carries only refusals a user can act on.
            StoreError::Refused(m) => AppError::new(Kind::Refused, m),
            StoreError::Internal(m) => AppError::internal(m),
            e if e.is_unavailable() => AppError::unavailable(e),
            // Everything else (driver errors, configuration, corrupt values) is ours.
            other => AppError::internal(other),
        }
    }
}

impl From<ftop_domain::Invalid> for AppError {
    fn from(inv: ftop_domain::Invalid) -> Self {
        AppError::invalid(inv.0)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The language of the request (Accept-Language, else English), set for the
        // request by `i18n::request_language`.
        let lang = crate::i18n::request_language();
        let fields: Vec<_> = self
            .fields
            .iter()
            .map(|f| json!({ "field": f.field, "code": f.id, "message": f.message(lang.0) }))
            .collect();
        let mut error = json!({
            "code": self.kind.code(),
            "message": self.message,
            "fields": fields,
        });
        if let Some(r) = &self.reference {
            error["reference"] = json!(r);
        }
        if let Some(id) = crate::request_id::current() {
            error["request_id"] = json!(id);
        }
        (self.status(), Json(json!({ "error": error }))).into_response()
    }
}

/// An error of a page: rendered as an HTML page in the reader's language, through the page
/// layout, with the same status as the API would answer.
#[derive(Debug)]
pub(crate) struct PageError {
    pub(crate) lang: Lang,
    pub(crate) error: AppError,
}

impl PageError {
    pub(crate) fn new(lang: Lang, error: impl Into<AppError>) -> Self {
        PageError {
            lang,
            error: error.into(),
        }
    }
}

/// `result.page(lang)?` in a page handler: any error becomes a [`PageError`].
pub(crate) trait PageResult<T> {
    fn page(self, lang: Lang) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> PageResult<T> for Result<T, E> {
    fn page(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(lang, e))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError { lang, error: e } = self;
        let request_id = crate::request_id::current();
        let reference = e.reference.as_deref().unwrap_or("");
        let args = [("reference", reference.into())];
        let (title, text) = match e.kind {
            Kind::Unauthenticated => (
                lang.t("error-sign-in"),
                lang.t_with("error-sign-in-text", &args),
            ),
            Kind::Forbidden => (
                lang.t("error-forbidden"),
                lang.t_with("error-forbidden-text", &args),
            ),
            Kind::ReadOnly => (lang.t("error-forbidden"), lang.t("read-only").to_string()),
            Kind::Csrf => (
                lang.t("error-forbidden"),
                lang.t_with("error-csrf-text", &args),
            ),
            Kind::NotFound => (
                lang.t("not-found"),
                lang.t_with("error-not-found-text", &args),
            ),
            Kind::Conflict => (
                lang.t("error-conflict"),
                lang.t_with("error-conflict-text", &args),
            ),
            Kind::Invalid => (
                lang.t("error-invalid"),
                lang.t_with("error-invalid-text", &args),
            ),
            Kind::Refused => (
                lang.t("error-refused"),
                lang.t_with("error-refused-text", &args),
            ),
            Kind::BadRequest | Kind::TooLarge => (
                lang.t("error-bad-request"),
                lang.t_with("error-bad-request-text", &args),
            ),
            Kind::Unavailable => (
                lang.t("error-unavailable"),
                lang.t_with("error-unavailable-text", &args),
            ),
            Kind::Internal => (
                lang.t("error-internal"),
                lang.t_with("error-internal-text", &args),
            ),
        };
        let body = html! {
            main.error {
                h1 { (title) }
                p { (text) }
                @if e.kind == Kind::Refused { p { (e.message) } }
                @if !e.fields.is_empty() {
                    ul.fields { @for f in &e.fields { li { (lang.field(&f.field)) ": " (f.message(lang.0)) } } }
                }
                @if let Some(r) = &e.reference { p.muted { code.reference { (r) } } }
                @if let Some(id) = request_id {
                    p.muted.request-id { (lang.t_with("error-request-id", &[("id", id.into())])) }
                }
                p {
                    @if e.kind == Kind::Unauthenticated { a href="/signin" { (lang.t("sign-in")) } }
                    @else { a href="/" { (lang.t("app")) } }
                }
            }
        };
        (e.status(), crate::pages::layout::bare(lang, title, body)).into_response()
    }
}

/// Field errors as one line (`Field: message; ...`) in `lang`: field labels and messages
/// from the catalogue.
pub(crate) fn fields_line(fields: &[FieldError], lang: Lang) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", lang.field(&f.field), f.message(lang.0)))
        .collect::<Vec<_>>()
        .join("; ")
}
