//! A form of the tenant page shown again as it was typed: refused (422, the message above
//! the form and each field at fault marked `aria-invalid`), saved meanwhile by someone else
//! (409, [`Again::conflict`]) or, for the Services tab's Suggest, with a proposal filled in
//! (200). Nothing typed is lost; the URL carries nothing.

use axum::http::StatusCode;
use maud::Markup;

/// What the tenant page needs to show one of its forms again.
#[derive(Debug)]
pub(crate) struct Again {
    /// Which form: `status`, `note`, `time` or `services/KEY`.
    pub(crate) form: String,
    /// The fields as sent (the CSRF token left out).
    pub(crate) typed: Vec<(String, String)>,
    /// The message shown above the form.
    pub(crate) message: Markup,
    /// The names of the inputs at fault (`count_2`, `body`).
    pub(crate) bad: Vec<String>,
    /// What is wrong with an input, by its name, for forms that say it beside the input
    /// ([`Again::with_said`]; the others show only the message above the form).
    pub(crate) said: Vec<(String, String)>,
    /// 422 for a refused save, 200 for a suggestion.
    pub(crate) status: StatusCode,
}

impl Again {
    /// A refused form: 422.
    pub(crate) fn refused(
        form: &str,
        typed: Vec<(String, String)>,
        message: Markup,
        bad: Vec<String>,
    ) -> Again {
        Again {
            form: form.to_string(),
            typed: typed.into_iter().filter(|(k, _)| k != "csrf").collect(),
            message,
            bad,
            said: Vec::new(),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The same, saying beside each input at fault what is wrong with it (`said`: input
    /// name and message).
    pub(crate) fn with_said(mut self, said: Vec<(String, String)>) -> Again {
        self.said = said;
        self
    }

    /// A form saved meanwhile by someone else: 409, what was typed with the version now
    /// stored (`current`), so that saving again replaces their change knowingly, as the
    /// message says.
    pub(crate) fn conflict(
        form: &str,
        typed: Vec<(String, String)>,
        current: i64,
        lang: crate::i18n::Lang,
    ) -> Again {
        let typed = typed
            .into_iter()
            .map(|(k, v)| {
                if k == "version" {
                    (k, current.to_string())
                } else {
                    (k, v)
                }
            })
            .collect();
        let message = super::layout::flash("error", lang.t("conflict-kept"));
        Again {
            status: StatusCode::CONFLICT,
            ..Again::refused(form, typed, message, Vec::new())
        }
    }

    /// The value typed into `name`, if the form sent it.
    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        super::forms::field(&self.typed, name)
    }

    /// Every value typed into `name` (a group of checkboxes).
    pub(crate) fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.typed
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// What is wrong with input `name`, to show beside it ([`Again::with_said`]).
    pub(crate) fn said(&self, name: &str) -> Option<&str> {
        self.said
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, m)| m.as_str())
    }

    /// Whether the input `name` is at fault (`Some("true")` for `aria-invalid`).
    pub(crate) fn invalid(&self, name: &str) -> Option<&'static str> {
        self.bad.iter().any(|b| b == name).then_some("true")
    }
}

/// `again` when it is for `form`.
pub(crate) fn of<'a>(again: Option<&'a Again>, form: &str) -> Option<&'a Again> {
    again.filter(|a| a.form == form)
}

/// The value to show in input `name`: what was typed, else `stored`.
pub(crate) fn value_or<'a>(again: Option<&'a Again>, name: &str, stored: &'a str) -> &'a str {
    again.and_then(|a| a.value(name)).unwrap_or(stored)
}

/// What is wrong with input `name`, to say beside it.
pub(crate) fn said<'a>(again: Option<&'a Again>, name: &str) -> Option<&'a str> {
    again.and_then(|a| a.said(name))
}

/// `aria-invalid` for input `name`.
pub(crate) fn invalid(again: Option<&Again>, name: &str) -> Option<&'static str> {
    again.and_then(|a| a.invalid(name))
}
