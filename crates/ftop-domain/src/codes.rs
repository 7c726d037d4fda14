//! Codes a contact's survey fields are checked against: a country as its ISO 3166-1
//! alpha-2 code (`DE`, `BR`) and a language as its ISO 639-1 code, optionally with a
//! region (`pt`, `pt-BR`, `zh-CN`). The lists come from crates made for them.

/// The country code as stored (upper case), or `None` when `s` is not one.
pub fn country(s: &str) -> Option<String> {
    let code = s.trim().to_ascii_uppercase();
    (code.len() == 2 && isocountry::CountryCode::for_alpha2(&code).is_ok()).then_some(code)
}

/// The language tag as stored (`pt-BR`: language lower case, region upper case), or `None`
/// when `s` is not an ISO 639-1 language with, optionally, an ISO 3166-1 region.
pub fn language(s: &str) -> Option<String> {
    let s = s.trim().replace('_', "-");
    let (lang, region) = match s.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (s.as_str(), None),
    };
    let lang = lang.to_ascii_lowercase();
    if lang.len() != 2 || isolang::Language::from_639_1(&lang).is_none() {
        return None;
    }
    match region {
        None => Some(lang),
        Some(r) => country(r).map(|r| format!("{lang}-{r}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_languages_are_codes_of_the_iso_lists() {
        assert_eq!(country(" de ").as_deref(), Some("DE"));
        assert_eq!(country("BR").as_deref(), Some("BR"));
        for bad in ["", "XX", "DEU", "Germany", "d"] {
            assert_eq!(country(bad), None, "{bad}");
        }
        assert_eq!(language("pt").as_deref(), Some("pt"));
        assert_eq!(language("pt_br").as_deref(), Some("pt-BR"));
        assert_eq!(language("zh-CN").as_deref(), Some("zh-CN"));
        for bad in ["", "xx", "eng", "English", "pt-XX", "pt-"] {
            assert_eq!(language(bad), None, "{bad}");
        }
    }
}
