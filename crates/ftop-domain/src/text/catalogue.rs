//! The catalogues, loaded once: a concurrent Fluent bundle per language, and every message
//! without variables formatted once, so that `Lang::t` is a map look-up that returns
//! `&'static str`.

use super::generated::SOURCES;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::HashMap;
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// One language's catalogue.
pub(super) struct Catalogue {
    code: &'static str,
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted without variables.
    texts: HashMap<String, String>,
    /// The test-only pseudo-language: output wrapped in `⟦…⟧`.
    pseudo: bool,
}

/// The code of the test-only pseudo-language.
#[cfg(feature = "pseudo-locale")]
pub(super) const PSEUDO_CODE: &str = "pseudo";

static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    #[allow(unused_mut)]
    let mut all: Vec<Catalogue> = SOURCES
        .iter()
        .map(|(code, text)| Catalogue::new(code, text, false))
        .collect();
    #[cfg(feature = "pseudo-locale")]
    all.push(Catalogue::new(PSEUDO_CODE, SOURCES[0].1, true));
    all
});

/// The ids of the messages in a catalogue's text, in file order (terms, `-name`, left out).
pub fn message_ids(resource: &FluentResource) -> Vec<&str> {
    resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name),
            _ => None,
        })
        .collect()
}

/// Parses a catalogue; a syntax error is logged and the rest of the file kept (the tests
/// refuse any).
pub fn parse(code: &str, text: &str) -> FluentResource {
    FluentResource::try_new(text.to_string()).unwrap_or_else(|(resource, errors)| {
        tracing::error!(code, ?errors, "syntax errors in a catalogue");
        resource
    })
}

impl Catalogue {
    fn new(code: &'static str, text: &str, pseudo: bool) -> Catalogue {
        let resource = parse(code, text);
        let ids: Vec<String> = message_ids(&resource)
            .into_iter()
            .map(String::from)
            .collect();
        let id: LanguageIdentifier = if pseudo { "en" } else { code }.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // The output is HTML and text: Unicode isolation marks around variables would end
        // up inside attributes, CSV cells and compared strings.
        bundle.set_use_isolating(false);
        if pseudo {
            bundle.set_transform(Some(accented));
        }
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(code, ?errors, "a catalogue defines a message twice");
        }
        let mut c = Catalogue {
            code,
            bundle,
            texts: HashMap::new(),
            pseudo,
        };
        c.texts = ids
            .iter()
            .filter_map(|id| Some((id.clone(), c.format(id, None)?)))
            .collect();
        c
    }

    /// Message `id` formatted with `args`; None when the catalogue lacks it.
    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() && args.is_some() {
            tracing::warn!(
                code = self.code,
                id,
                ?errors,
                "a message was formatted with errors"
            );
        }
        Some(if self.pseudo {
            format!("⟦{text}⟧")
        } else {
            text.into_owned()
        })
    }
}

/// The code of catalogue `i`.
pub(super) fn code(i: usize) -> &'static str {
    CATALOGUES.get(i).map_or("en", |c| c.code)
}

/// Message `id` of catalogue `i`, else of English, else `?` (logged).
pub(super) fn text(i: usize, id: &str) -> &'static str {
    let all: &'static [Catalogue] = &CATALOGUES;
    let found = all
        .get(i)
        .and_then(|c| c.texts.get(id))
        .or_else(|| all.first().and_then(|c| c.texts.get(id)));
    match found {
        Some(t) => t,
        None => {
            tracing::warn!(id, "no such message");
            "?"
        }
    }
}

/// Message `id` of catalogue `i` with `args`, else of English, else `?` (logged).
pub(super) fn format(i: usize, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fa = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        fa.set(*k, v.clone());
    }
    let all: &[Catalogue] = &CATALOGUES;
    all.get(i)
        .and_then(|c| c.format(id, Some(&fa)))
        .or_else(|| all.first().and_then(|c| c.format(id, Some(&fa))))
        .unwrap_or_else(|| {
            tracing::warn!(id, "no such message");
            "?".to_string()
        })
}

/// The pseudo-language's letters: ASCII letters accented, so that text that did not pass
/// through the catalogue stands out.
fn accented(s: &str) -> std::borrow::Cow<'_, str> {
    const FROM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const TO: [char; 52] = [
        'á', 'ƀ', 'ç', 'đ', 'é', 'ƒ', 'ğ', 'ĥ', 'í', 'ĵ', 'ķ', 'ĺ', 'ḿ', 'ñ', 'ó', 'ṕ', 'ʠ', 'ŕ',
        'š', 'ť', 'ú', 'ṽ', 'ŵ', 'ẋ', 'ý', 'ž', 'Á', 'Ɓ', 'Ç', 'Đ', 'É', 'Ƒ', 'Ğ', 'Ĥ', 'Í', 'Ĵ',
        'Ķ', 'Ĺ', 'Ḿ', 'Ñ', 'Ó', 'Ṕ', 'Ǫ', 'Ŕ', 'Š', 'Ť', 'Ú', 'Ṽ', 'Ŵ', 'Ẋ', 'Ý', 'Ž',
    ];
    s.chars()
        .map(|c| FROM.find(c).map_or(c, |i| TO[i]))
        .collect::<String>()
        .into()
}

#[cfg(feature = "pseudo-locale")]
pub(super) fn pseudo_accented(s: &str) -> String {
    accented(s).into_owned()
}

/// Whether catalogue `i` has message `id`.
pub(super) fn has(i: usize, id: &str) -> bool {
    CATALOGUES.get(i).is_some_and(|c| c.texts.contains_key(id))
}
