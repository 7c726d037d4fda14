//! Reading posted forms and showing what went wrong with them, for every page handler.

use crate::error::{AppError, Kind, PageError};
use crate::i18n::Lang;
use crate::pages::layout::flash;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

/// A form field's value (the first of that name), if sent.
pub(crate) fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A form field's value, `""` when not sent.
pub(crate) fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    field(form, name).unwrap_or("")
}

/// A failed form's message for the page that shows the form again (422: the fields and
/// why, in the reader's language); anything the user cannot fix is an error page.
pub(crate) fn form_error(lang: Lang, e: AppError) -> Result<Markup, PageError> {
    match e.kind {
        Kind::Invalid => Ok(flash("error", &e.fields_line(lang))),
        _ => Err(PageError::new(lang, e)),
    }
}

/// The answer to a form that is shown again when refused: saved, to `done`; refused, the
/// form again (`again`, given the message) with 422; anything the user cannot fix, an
/// error page.
pub(crate) fn saved_or_again<T, E: Into<AppError>>(
    lang: Lang,
    result: Result<T, E>,
    done: &str,
    again: impl FnOnce(Markup, StatusCode) -> Response,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(done).into_response()),
        Err(e) => Ok(again(
            form_error(lang, e.into())?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}
