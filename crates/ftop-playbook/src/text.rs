//! Inline text: Markdown inline markup reduced to plain text, and link targets found in a line.

use pulldown_cmark::{Event, Parser, Tag};
use std::borrow::Cow;

/// Plain text of an inline Markdown fragment, with the first link target it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Inline<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) link: Option<String>,
}

/// True when `s` has nothing that inline Markdown or Unicode clean-up would change.
fn is_plain(s: &str) -> bool {
    !s.bytes().any(|b| {
        matches!(
            b,
            b'*' | b'_'
                | b'['
                | b']'
                | b'`'
                | b'<'
                | b'&'
                | b'\\'
                | b'~'
                | b'!'
                | 0xC2
                | 0xE2
                | 0xEF
        ) || b < 0x20
    })
}

/// Reduces an inline fragment (a table cell, a heading, a label value) to plain text:
/// emphasis and links dropped to their text, invisible characters removed, white space
/// folded. Plain fragments are returned borrowed; the rest go through pulldown-cmark.
pub(crate) fn inline(s: &str) -> Inline<'_> {
    let t = s.trim();
    if is_plain(t) && !t.contains("  ") {
        return Inline {
            text: Cow::Borrowed(t),
            link: None,
        };
    }
    // `**Value**` and `*O*` around plain text: strip without a parser.
    for mark in ["**", "*", "__"] {
        if let Some(inner) = t.strip_prefix(mark).and_then(|x| x.strip_suffix(mark)) {
            let inner_t = inner.trim();
            if !inner_t.is_empty()
                && inner_t.len() == inner.len()
                && is_plain(inner)
                && !inner.contains("  ")
            {
                return Inline {
                    text: Cow::Borrowed(inner),
                    link: None,
                };
            }
        }
    }
    let escaped = escape_block_start(t);
    let mut text = String::with_capacity(t.len());
    let mut link = None;
    for event in Parser::new(&escaped) {
        match event {
            Event::Text(x) | Event::Code(x) => text.push_str(&x),
            Event::SoftBreak | Event::HardBreak | Event::InlineHtml(_) | Event::Html(_) => {
                text.push(' ')
            }
            Event::Start(Tag::Link { dest_url, .. }) if link.is_none() => {
                link = Some(dest_url.into_string())
            }
            _ => {}
        }
    }
    Inline {
        text: Cow::Owned(fold_space(&text)),
        link,
    }
}

/// Plain text of an inline fragment as an owned string.
pub(crate) fn plain(s: &str) -> String {
    inline(s).text.into_owned()
}

/// Escapes what would make pulldown-cmark read a fragment as a block (list, heading, quote).
fn escape_block_start(t: &str) -> Cow<'_, str> {
    let bytes = t.as_bytes();
    let Some(&first) = bytes.first() else {
        return Cow::Borrowed(t);
    };
    let next = bytes.get(1).copied();
    let needs = match first {
        b'#' | b'>' | b'=' | b'|' => true,
        b'-' | b'+' | b'*' => matches!(next, Some(b' ') | Some(b'\t') | None),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if matches!(bytes.get(digits), Some(b'.') | Some(b')')) {
                let mut s = String::with_capacity(t.len() + 1);
                s.push_str(&t[..digits]);
                s.push('\\');
                s.push_str(&t[digits..]);
                return Cow::Owned(s);
            }
            false
        }
        _ => false,
    };
    if needs {
        Cow::Owned(format!("\\{t}"))
    } else {
        Cow::Borrowed(t)
    }
}

/// Removes zero-width characters and byte-order marks, turns non-breaking and full-width
/// spaces into spaces, folds runs of white space and trims.
pub(crate) fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        match c {
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{2060}' => {}
            c if c.is_whitespace() || c == '\u{a0}' => pending_space = true,
            c => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// A link found in a line of Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRef<'a> {
    /// Byte offset of the `(` that opens the target, within the line.
    pub(crate) at: usize,
    /// The link text (inline Markdown, untrimmed).
    pub(crate) label: &'a str,
    /// The target as written, without angle brackets or title.
    pub(crate) target: &'a str,
    /// True for `![alt](target)`.
    pub(crate) image: bool,
}

/// Finds inline links `[text](target)` and images `![alt](target)` in one line.
pub(crate) fn links(line: &str) -> Vec<LinkRef<'_>> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(pos) = line[from..].find("](") {
        let close = from + pos;
        let open_paren = close + 1;
        // Find the matching '[' before `close`, allowing one level of nesting (thumbnails).
        let mut depth = 0i32;
        let mut start = None;
        let mut i = close;
        while i > 0 {
            i -= 1;
            match bytes[i] {
                b']' => depth += 1,
                b'[' if depth == 0 => {
                    start = Some(i);
                    break;
                }
                b'[' => depth -= 1,
                _ => {}
            }
        }
        // Find the closing ')' with nesting.
        let mut depth = 0i32;
        let mut end = None;
        for (j, &b) in bytes.iter().enumerate().skip(open_paren + 1) {
            match b {
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    end = Some(j);
                    break;
                }
                b')' => depth -= 1,
                _ => {}
            }
        }
        let (Some(start), Some(end)) = (start, end) else {
            from = open_paren + 1;
            continue;
        };
        let mut target = line[open_paren + 1..end].trim();
        if let Some(rest) = target.strip_prefix('<') {
            target = rest.split('>').next().unwrap_or(rest);
        } else if let Some(sp) = target.find([' ', '\t']) {
            target = &target[..sp];
        }
        out.push(LinkRef {
            at: open_paren,
            label: &line[start + 1..close],
            target,
            image: start > 0 && bytes[start - 1] == b'!',
        });
        from = end + 1;
    }
    out
}

/// Lower-case ASCII slug: letters and digits kept (any script), runs of anything else
/// become one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_are_borrowed() {
        assert!(matches!(
            inline("  Exchange ").text,
            Cow::Borrowed("Exchange")
        ));
    }

    #[test]
    fn emphasis_links_and_invisible_characters_are_removed() {
        let i = inline("[4099](https://example.com/a)");
        assert_eq!(i.text, "4099");
        assert_eq!(i.link.as_deref(), Some("https://example.com/a"));
        assert_eq!(plain("**Initiate**"), "Initiate");
        assert_eq!(plain("*O*"), "O");
        assert_eq!(plain("\u{200b}\u{200b}Blocked"), "Blocked");
        assert_eq!(
            plain("Customer\u{a0}Health  /  RFA"),
            "Customer Health / RFA"
        );
    }

    #[test]
    fn block_markers_stay_text() {
        assert_eq!(plain("1. Prepare **now**"), "1. Prepare now");
        assert_eq!(plain("- dash *x*"), "- dash x");
        assert_eq!(plain("# not a heading *x*"), "# not a heading x");
    }

    #[test]
    fn finds_links_images_and_thumbnails() {
        let l = links("See [A](a.md) and ![img](media/x.png \"t\") or [![t](m/t.png)](m/big.png).");
        let targets: Vec<_> = l.iter().map(|l| (l.target, l.image)).collect();
        assert_eq!(
            targets,
            vec![
                ("a.md", false),
                ("media/x.png", true),
                ("m/t.png", true),
                ("m/big.png", false)
            ]
        );
        assert_eq!(l[0].label, "A");
    }

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(
            slug("Conduct Kick-off (Partner)"),
            "conduct-kick-off-partner"
        );
        assert_eq!(slug("评估"), "评估");
        assert_eq!(slug("Evaluación"), "evaluación");
    }
}
