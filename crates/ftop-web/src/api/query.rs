//! What the API refuses in a query string that the pages let through. The pages share
//! their query types with the API (`service::adoption`, `service::library`, ...) and read
//! them leniently, as browsers send forms: an empty value means "not given", a flag may be
//! `1`, `on` or `yes`. The API answers to its document (`assets/openapi.json`), which says
//! what each parameter takes: a flag is `true` or `false`, a date is `YYYY-MM-DD`, a choice
//! is one of its words. A parameter given with anything else is a 422 naming it.

use crate::error::AppError;
use ftop_domain::FieldError;
use std::collections::HashMap;

/// The query string's parameters by name, as the API reads them for [`Strict`].
pub(crate) type Params = crate::extract::Query<HashMap<String, String>>;

/// The parameters of a query string and the problems found in them so far.
#[derive(Debug)]
pub(crate) struct Strict<'a>(&'a HashMap<String, String>, Vec<FieldError>);

impl<'a> Strict<'a> {
    pub(crate) fn of(params: &'a HashMap<String, String>) -> Self {
        Strict(params, Vec::new())
    }

    fn get(&self, field: &str) -> Option<&'a str> {
        self.0.get(field).map(String::as_str)
    }

    /// A flag, when given, is `true` or `false`.
    pub(crate) fn flag(&mut self, field: &str) -> &mut Self {
        if let Some(x) = self.get(field)
            && x != "true"
            && x != "false"
        {
            self.1
                .push(FieldError::of(field.to_string(), "invalid-not-yes-no").quoting("value", x));
        }
        self
    }

    /// A date, when given, is a calendar date written `YYYY-MM-DD`.
    pub(crate) fn date(&mut self, field: &str) -> &mut Self {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        if let Some(x) = self.get(field)
            && (x.len() != 10 || time::Date::parse(x, &fmt).is_err())
        {
            self.1
                .push(FieldError::of(field.to_string(), "invalid-date-short").quoting("value", x));
        }
        self
    }

    /// A name (a category, a service), when given, is not empty and has no space around
    /// it: the pages' reading trims it and takes an empty one for "not given".
    pub(crate) fn given(&mut self, field: &str) -> &mut Self {
        if let Some(x) = self.get(field)
            && (x.is_empty() || x.trim() != x)
        {
            self.1
                .push(FieldError::of(field.to_string(), "invalid-empty-parameter"));
        }
        self
    }

    /// A choice, when given, is one of `words` exactly.
    pub(crate) fn choice(&mut self, field: &str, words: &[&str]) -> &mut Self {
        if let Some(x) = self.get(field)
            && !words.contains(&x)
        {
            self.1.push(
                FieldError::of(field.to_string(), "invalid-choose-one")
                    .quoting("value", x)
                    .with("choices", words.join(", ")),
            );
        }
        self
    }

    /// A whole number, when given, is written in digits and lies in `min..=max`.
    pub(crate) fn whole(&mut self, field: &str, min: i64, max: i64) -> &mut Self {
        if let Some(x) = self.get(field) {
            let digits = !x.is_empty()
                && x.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit());
            match x.parse::<i64>() {
                Ok(n) if digits && (min..=max).contains(&n) => {}
                _ => self.1.push(
                    FieldError::of(field.to_string(), "invalid-whole-number")
                        .quoting("value", x)
                        .with("min", min.to_string())
                        .with("max", max.to_string()),
                ),
            }
        }
        self
    }

    /// The problems found, for a handler that adds its own.
    pub(crate) fn into_fields(self) -> Vec<FieldError> {
        self.1
    }

    /// Ok, or a 422 naming every parameter at fault.
    pub(crate) fn finish(&mut self) -> Result<(), AppError> {
        if self.1.is_empty() {
            Ok(())
        } else {
            Err(AppError::invalid(std::mem::take(&mut self.1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(q: &str, check: impl Fn(&mut Strict<'_>)) -> Vec<String> {
        let params: HashMap<String, String> = serde_urlencoded::from_str(q).unwrap();
        let mut s = Strict::of(&params);
        check(&mut s);
        s.finish()
            .err()
            .map(|e| e.fields.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    fn all(s: &mut Strict<'_>) {
        s.flag("mine")
            .flag("escalated")
            .date("from")
            .date("to")
            .choice("window", &["month", "quarter"])
            .whole("limit", 1, 1000)
            .whole("offset", 0, 10)
            .given("service");
    }

    #[test]
    fn the_api_takes_only_what_its_document_says() {
        assert!(fields("", all).is_empty());
        assert!(
            fields(
                "mine=true&escalated=false&from=2026-02-28&window=month&limit=10&offset=0&other=x",
                all
            )
            .is_empty()
        );
        assert_eq!(
            fields(
                "mine=1&escalated=&from=&to=2026-02-30&window=&limit=0&offset=%2B1&service=%0A",
                all
            ),
            [
                "mine",
                "escalated",
                "from",
                "to",
                "window",
                "limit",
                "offset",
                "service"
            ]
        );
        assert_eq!(fields("to=2026-2-3&limit=x", all), ["to", "limit"]);
        assert_eq!(fields("service=%20teams", all), ["service"]);
        assert!(fields("service=teams", all).is_empty());
    }
}
