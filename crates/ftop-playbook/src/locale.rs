//! Locale detection: from folder names (`spanish/`, `es/`), file-name suffixes (`-es`, `-sc`,
//! `.fr`), and the text itself (script, then common words), and the language-independent
//! page key that aligns a translated page with its source.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Folder and file-name tokens that name a language, with the locale they stand for.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("spanish", "es"),
    ("espanol", "es"),
    ("español", "es"),
    ("simplified-chinese", "zh"),
    ("chinese-simplified", "zh"),
    ("chinese", "zh"),
    ("traditional-chinese", "zh-hant"),
    ("chinese-traditional", "zh-hant"),
    ("french", "fr"),
    ("francais", "fr"),
    ("français", "fr"),
    ("german", "de"),
    ("deutsch", "de"),
    ("portuguese", "pt"),
    ("portugues", "pt"),
    ("português", "pt"),
    ("brazilian-portuguese", "pt-br"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("italian", "it"),
    ("italiano", "it"),
    ("dutch", "nl"),
    ("russian", "ru"),
    ("polish", "pl"),
    ("turkish", "tr"),
    ("swedish", "sv"),
    ("danish", "da"),
    ("norwegian", "nb"),
    ("finnish", "fi"),
    ("czech", "cs"),
    ("hungarian", "hu"),
    ("greek", "el"),
    ("arabic", "ar"),
    ("hebrew", "he"),
    ("thai", "th"),
    ("vietnamese", "vi"),
    ("indonesian", "id"),
    ("ukrainian", "uk"),
    ("romanian", "ro"),
    ("catalan", "ca"),
    ("swahili", "sw"),
    ("hindi", "hi"),
    ("sc", "zh"),
    ("tc", "zh-hant"),
    ("zh-cn", "zh"),
    ("zh-hans", "zh"),
    ("zh-tw", "zh-hant"),
    ("zh-hant", "zh-hant"),
];

/// ISO 639-1 codes accepted as a folder name or a file-name suffix.
const CODES: &[&str] = &[
    "en", "es", "zh", "fr", "de", "pt", "ja", "ko", "it", "nl", "ru", "pl", "tr", "sv", "da", "nb",
    "no", "fi", "cs", "hu", "el", "ar", "he", "th", "vi", "id", "uk", "ro", "ca", "sw", "hi", "ms",
    "sk", "sl", "hr", "sr", "bg", "lt", "lv", "et", "fa", "bn", "ta", "te", "ur", "eu", "gl", "is",
];

/// The locale a path token names, if any: `spanish`, `es`, `es-MX`, `sc`, `zh-cn`.
pub(crate) fn locale_of_token(token: &str) -> Option<String> {
    let t = token.to_lowercase();
    if let Some((_, code)) = LANGUAGE_NAMES.iter().find(|(name, _)| *name == t) {
        return Some((*code).to_string());
    }
    if let Some(base) = t.strip_suffix("-playbook") {
        return locale_of_token(base);
    }
    let (lang, region) = match t.split_once(['-', '_']) {
        Some((l, r)) => (l, Some(r)),
        None => (t.as_str(), None),
    };
    if !CODES.contains(&lang) {
        return None;
    }
    match region {
        None => Some(lang.to_string()),
        Some(r) if r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(if lang == "zh" && (r == "tw" || r == "hk") {
                "zh-hant".to_string()
            } else {
                lang.to_string()
            })
        }
        Some(_) => None,
    }
}

/// What a source's path says about its language and which page it translates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathInfo {
    /// Locale named by a folder of the path (or of the root the caller gave).
    pub(crate) folder: Option<String>,
    /// Locale named by a file-name suffix such as `-es` or `.fr`.
    pub(crate) suffix: Option<String>,
    /// The language-independent page key: the path without locale folders or suffix,
    /// without the `.md` extension.
    pub(crate) key: String,
}

/// Reads locale hints and the alignment key from `root_name` (the folder the caller
/// compiled, may be empty) and `path` (relative to it, `/`-separated).
pub(crate) fn path_info(root_name: &str, path: &str) -> PathInfo {
    let mut folder = None;
    if !root_name.is_empty() {
        folder = locale_of_token(root_name);
    }
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let file = parts.pop().unwrap_or("");
    let mut kept = Vec::with_capacity(parts.len() + 1);
    for p in parts {
        match locale_of_token(p) {
            Some(l) => folder = Some(l),
            None => kept.push(p),
        }
    }
    let stem = file
        .strip_suffix(".md")
        .or_else(|| file.strip_suffix(".markdown"))
        .unwrap_or(file);
    let mut suffix = None;
    let mut base = stem;
    if let Some((head, tail)) = stem.rsplit_once(['.', '-', '_'])
        && !head.is_empty()
        && tail.len() <= 7
    {
        // `-zh-cn`, `-pt-br`: try the last two tokens first.
        let two = head
            .rsplit_once(['.', '-', '_'])
            .filter(|(_, t)| t.len() == 2)
            .and_then(|(h, t)| locale_of_token(&format!("{t}-{tail}")).map(|l| (h, l)));
        if let Some((h, l)) = two {
            suffix = Some(l);
            base = h;
        } else if let Some(l) =
            locale_of_token(tail).filter(|_| tail.len() <= 3 || tail.contains('-'))
        {
            suffix = Some(l);
            base = head;
        }
    }
    kept.push(base);
    PathInfo {
        folder,
        suffix,
        key: kept.join("/"),
    }
}

/// Words that are frequent in running text of one language and rare in the others.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "to", "of", "is", "for", "with", "this", "that", "are", "be", "on",
            "will", "you", "as",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "del", "para", "con", "una", "por", "y", "es", "que", "se", "en",
            "al", "como",
        ],
    ),
    (
        "pt",
        &[
            "os", "não", "do", "da", "com", "em", "e", "ao", "dos", "das", "uma", "que", "é",
            "para", "como",
        ],
    ),
    (
        "fr",
        &[
            "le", "les", "des", "et", "est", "pour", "une", "du", "dans", "sur", "au", "avec",
            "qui", "vous", "ce",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "mit", "für", "den", "ein", "zu", "sie", "auf",
            "nicht", "eine", "dem",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "e", "per", "un", "con", "non", "sono", "della", "gli", "del",
            "una", "alla", "nel",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "en", "van", "voor", "met", "op", "dat", "zijn", "niet", "wordt", "ook",
            "aan", "bij", "om",
        ],
    ),
];

/// Stop word -> bit set of the languages (indices into STOPWORDS) it belongs to.
fn stopword_index() -> &'static HashMap<&'static str, u16> {
    static INDEX: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::default();
        for (i, (_, words)) in STOPWORDS.iter().enumerate() {
            for w in words.iter() {
                *m.entry(*w).or_insert(0) |= 1 << i;
            }
        }
        m
    })
}

/// Detects the language of running text. Returns the locale and how sure it is
/// (the winner's score over the runner-up's; scripts other than Latin give 10).
pub(crate) fn detect(text: &str) -> Option<(&'static str, f32)> {
    let (mut han, mut kana, mut hangul, mut cyr, mut letters) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match c as u32 {
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => han += 1,
            0x3040..=0x30FF => kana += 1,
            0xAC00..=0xD7AF => hangul += 1,
            0x0400..=0x04FF => cyr += 1,
            _ if c.is_alphabetic() => letters += 1,
            _ => {}
        }
    }
    let total = han + kana + hangul + cyr + letters;
    if total == 0 {
        return None;
    }
    if kana * 50 > total {
        return Some(("ja", 10.0));
    }
    if hangul * 20 > total {
        return Some(("ko", 10.0));
    }
    if han * 20 > total {
        return Some(("zh", 10.0));
    }
    if cyr * 5 > total {
        return Some(("ru", 10.0));
    }
    let mut scores = [0u32; STOPWORDS.len()];
    let words = stopword_index();
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && w.len() <= 6)
    {
        // Words are at most six bytes: ASCII ones are lower-cased on the stack.
        let mut buf = [0u8; 6];
        let lower;
        let w = if word.is_ascii() {
            buf[..word.len()].copy_from_slice(word.as_bytes());
            buf[..word.len()].make_ascii_lowercase();
            std::str::from_utf8(&buf[..word.len()]).unwrap_or(word)
        } else if word.chars().all(|c| c.is_lowercase()) {
            word
        } else {
            lower = word.to_lowercase();
            &lower
        };
        if let Some(mask) = words.get(w) {
            for (i, s) in scores.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *s += 1;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(scores[i]));
    let (best, second) = (scores[order[0]], scores[order[1]]);
    if best < 8 {
        return None;
    }
    Some((STOPWORDS[order[0]].0, best as f32 / second.max(1) as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_suffixes_name_locales() {
        let p = path_info("", "spanish/assess-x-partner-es.md");
        assert_eq!(p.folder.as_deref(), Some("es"));
        assert_eq!(p.suffix.as_deref(), Some("es"));
        assert_eq!(p.key, "assess-x-partner");
        let p = path_info("simplified-chinese", "enable-y-partner-sc.md");
        assert_eq!(
            (p.folder.as_deref(), p.suffix.as_deref(), p.key.as_str()),
            (Some("zh"), Some("zh"), "enable-y-partner")
        );
        let p = path_info("playbook", "fr/guide/a.md");
        assert_eq!(
            (p.folder.as_deref(), p.suffix, p.key.as_str()),
            (Some("fr"), None, "guide/a")
        );
        let p = path_info("", "docs/page.pt-br.md");
        assert_eq!(
            (p.suffix.as_deref(), p.key.as_str()),
            (Some("pt"), "docs/page")
        );
    }

    #[test]
    fn words_that_are_not_languages_stay_in_the_key() {
        let p = path_info("english", "adoption-continuum-partner.md");
        assert_eq!(p.suffix, None);
        assert_eq!(p.key, "adoption-continuum-partner");
    }

    #[test]
    fn detects_scripts_and_latin_languages() {
        assert_eq!(
            detect("执行技术评估流程让团队能够了解客户的基础结构").map(|d| d.0),
            Some("zh")
        );
        let en = "The process starts with the customer and the team, and it is meant to be short for the partner.";
        assert_eq!(detect(en).map(|d| d.0), Some("en"));
        let es = "El proceso empieza con el cliente y los socios, para que la junta sea breve y se pueda medir el avance del equipo.";
        assert_eq!(detect(es).map(|d| d.0), Some("es"));
        let fr = "Le processus commence avec le client et les partenaires, pour que la réunion soit courte et que vous puissiez mesurer le progrès des équipes dans le projet.";
        assert_eq!(detect(fr).map(|d| d.0), Some("fr"));
        assert_eq!(detect("1234 | 5678"), None);
    }
}
