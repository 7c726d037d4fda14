//! Suggest: proposes the consumption status (L1) and reason (L2) of a status row from its
//! note, with a confidence.
//!
//! The model is a multinomial naive Bayes classifier over the words of a note (letters and
//! digits, lower-cased, long words cut to their first [`STEM_CHARS`] characters so that
//! `migrating` and `migration` meet; Chinese, which has no spaces, as single characters and
//! pairs of characters). It learns from two sources, both already on the machine, so
//! nothing is downloaded: the taxonomy's own words in every language ([`definitions`]:
//! each reason's name, its engineering reasons and the sentence that says what it means)
//! and the notes people filed under a reason (what the store holds). The confidence is the
//! model's probability of its best reason; below [`MIN_CONFIDENCE`], or for a note without
//! one word the model knows, it does not suggest.
//!
//! Accuracy on held-out notes, beside a majority-class baseline: `BENCHMARKS.md` (B7).

use crate::taxonomy::{self, L1, Reason};
use crate::text::Lang;
use std::collections::{HashMap, HashSet};

/// Characters a word is cut to (a crude stem, the same for every Latin-script language).
pub const STEM_CHARS: usize = 6;

/// The least confidence a suggestion is offered with.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// Additive smoothing: the count a word gets in every reason before any example (Lidstone;
/// 1 would be Laplace's, which drowns a reason's few telling words in a large vocabulary).
const SMOOTHING: f64 = 0.1;

/// Weight of one definition against one learnt note.
const DEFINITION_WEIGHT: f64 = 1.0;

/// A proposed status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Suggestion {
    /// The consumption status the reason belongs to.
    pub l1: L1,
    /// The reason (L2).
    pub reason: &'static Reason,
    /// The model's probability of this reason, 0 to 1.
    pub confidence: f64,
}

/// Why no suggestion is offered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoSuggestion {
    /// The note has no word the model has seen.
    NothingKnown,
    /// The best reason's confidence is under [`MIN_CONFIDENCE`]; it is given for display.
    Unsure(Suggestion),
}

#[derive(Debug, Default, Clone)]
struct Class {
    /// Weighted examples.
    docs: f64,
    /// Weighted feature count.
    total: f64,
    counts: HashMap<String, f64>,
}

/// A trained model.
#[derive(Debug, Clone)]
pub struct Model {
    reasons: Vec<&'static Reason>,
    classes: Vec<Class>,
    vocabulary: HashSet<String>,
    examples: usize,
}

/// The words of a text the model counts (see the module's documentation).
pub fn features(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut han: Vec<char> = Vec::new();
    let flush_word = |w: &mut String, out: &mut Vec<String>| {
        if w.chars().count() >= 2 && !STOP_WORDS.contains(&w.as_str()) {
            out.push(w.chars().take(STEM_CHARS).collect());
        }
        w.clear();
    };
    let flush_han = |h: &mut Vec<char>, out: &mut Vec<String>| {
        for (i, c) in h.iter().enumerate() {
            out.push(c.to_string());
            if let Some(n) = h.get(i + 1) {
                out.push(format!("{c}{n}"));
            }
        }
        h.clear();
    };
    for c in lower.chars() {
        if is_han(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
        } else if c.is_alphanumeric() {
            flush_han(&mut han, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_han(&mut han, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_han(&mut han, &mut out);
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Words that say nothing about a reason, in the catalogues' languages.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "are", "was", "has", "have", "not", "but", "with", "this", "that", "they",
    "their", "from", "into", "been", "will", "its", "our", "can", "all", "any", "some", "who",
    "what", "when", "there", "them", "to", "of", "in", "on", "at", "is", "it", "be", "as", "or",
    "by", "an", "so", "we", "el", "la", "los", "las", "de", "del", "en", "un", "una", "que", "por",
    "para", "con", "se", "su", "sus", "al", "lo", "es", "no", "sin", "ya", "ha", "han", "y", "o",
];

/// The taxonomy's own words as examples: for every language and reason, the reason's name,
/// its engineering reasons' names and the sentence that says what it means
/// (`l2-about-KEY`).
pub fn definitions() -> Vec<(String, &'static Reason)> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        for l1 in L1::ALL {
            for r in l1.reasons() {
                let mut text = format!(
                    "{} {}",
                    lang.t(&format!("l2-{}", r.key)),
                    lang.t(&format!("l2-about-{}", r.key))
                );
                for (key, _) in r.engineering.iter().filter(|(k, _)| *k != "other") {
                    text.push(' ');
                    text.push_str(lang.t(&format!("l3-{key}")));
                }
                out.push((text, r));
            }
        }
    }
    out
}

impl Model {
    /// Learns from the taxonomy's definitions and from `notes`, pairs of a note and the
    /// reason (key or name) it was filed under; a note whose reason the taxonomy does not
    /// know, or that has no words, is passed over.
    pub fn train<'a>(notes: impl IntoIterator<Item = (&'a str, &'a str)>) -> Model {
        let reasons: Vec<&'static Reason> = L1::ALL.iter().flat_map(|l| l.reasons()).collect();
        let mut m = Model {
            classes: vec![Class::default(); reasons.len()],
            reasons,
            vocabulary: HashSet::new(),
            examples: 0,
        };
        for (text, r) in definitions() {
            m.learn(&text, r, DEFINITION_WEIGHT);
        }
        for (note, reason) in notes {
            if let Some(r) = taxonomy::reason(reason)
                && m.learn(note, r, 1.0)
            {
                m.examples += 1;
            }
        }
        m
    }

    fn learn(&mut self, text: &str, r: &'static Reason, weight: f64) -> bool {
        let words = features(text);
        if words.is_empty() {
            return false;
        }
        let Some(i) = self.reasons.iter().position(|x| x.key == r.key) else {
            return false;
        };
        let class = &mut self.classes[i];
        class.docs += weight;
        for w in words {
            class.total += weight;
            *class.counts.entry(w.clone()).or_default() += weight;
            self.vocabulary.insert(w);
        }
        true
    }

    /// How many notes (not counting the definitions) the model learnt from.
    pub fn examples(&self) -> usize {
        self.examples
    }

    /// Each reason's probability for `text`, best first.
    pub fn rank(&self, text: &str) -> Vec<(&'static Reason, f64)> {
        let words: Vec<String> = features(text)
            .into_iter()
            .filter(|w| self.vocabulary.contains(w))
            .collect();
        let docs: f64 = self.classes.iter().map(|c| c.docs).sum();
        let v = self.vocabulary.len() as f64;
        let logs: Vec<f64> = self
            .classes
            .iter()
            .map(|c| {
                let prior = (c.docs / docs.max(1.0)).max(1e-9).ln();
                let denominator = c.total + SMOOTHING * v;
                prior
                    + words
                        .iter()
                        .map(|w| {
                            ((c.counts.get(w).copied().unwrap_or(0.0) + SMOOTHING) / denominator)
                                .ln()
                        })
                        .sum::<f64>()
            })
            .collect();
        let max = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> = logs.iter().map(|l| (l - max).exp()).collect();
        let sum: f64 = exps.iter().sum();
        let mut ranked: Vec<(&'static Reason, f64)> = self
            .reasons
            .iter()
            .copied()
            .zip(exps.iter().map(|e| e / sum))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked
    }

    /// The best reason for `text` and its confidence, whatever the confidence (for
    /// measuring); None when the note has no word the model knows.
    pub fn best(&self, text: &str) -> Option<Suggestion> {
        if !features(text).iter().any(|w| self.vocabulary.contains(w)) {
            return None;
        }
        let (reason, confidence) = *self.rank(text).first()?;
        Some(Suggestion {
            l1: reason.l1,
            reason,
            confidence,
        })
    }

    /// What to propose for `text`: a suggestion at [`MIN_CONFIDENCE`] or above.
    pub fn suggest(&self, text: &str) -> Result<Suggestion, NoSuggestion> {
        let s = self.best(text).ok_or(NoSuggestion::NothingKnown)?;
        if s.confidence >= MIN_CONFIDENCE {
            Ok(s)
        } else {
            Err(NoSuggestion::Unsure(s))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_cut_and_chinese_is_split_into_characters_and_pairs() {
        assert_eq!(features("The Migration of MAILBOXES"), ["migrat", "mailbo"]);
        assert_eq!(
            features("数据迁移"),
            ["数", "数据", "据", "据迁", "迁", "迁移", "移"]
        );
        assert_eq!(features("SKU 错误"), ["sku", "错", "错误", "误"]);
        assert!(features("a , . -").is_empty());
    }

    #[test]
    fn every_reason_has_a_definition_in_every_language() {
        let defs = definitions();
        let reasons = L1::ALL.iter().flat_map(|l| l.reasons()).count();
        assert_eq!(defs.len(), reasons * Lang::ALL.len());
        for (text, r) in &defs {
            assert!(
                !text.contains("l2-about"),
                "{}: the catalogue lacks its definition",
                r.key
            );
        }
    }

    #[test]
    fn the_definitions_alone_place_plain_notes() {
        let m = Model::train([]);
        assert_eq!(m.examples(), 0);
        let s = m
            .best("The partner does not respond to our e-mails")
            .unwrap();
        assert_eq!(s.reason.key, "partner-engagement");
        let s = m.best("Wrong SKU purchased, seats must be added").unwrap();
        assert_eq!(s.reason.key, "billing-licensing-subscription");
        assert_eq!(s.l1, L1::Blocked);
        assert_eq!(m.suggest("zzzz qqqq"), Err(NoSuggestion::NothingKnown));
    }

    #[test]
    fn notes_teach_words_the_definitions_lack() {
        let before = Model::train([]);
        assert!(before.best("quokka").is_none());
        let m = Model::train([
            ("quokka quokka", "legal-regulatory"),
            ("the quokka rules", "Legal/Regulatory"),
            ("a note under a reason nobody knows", "no-such-reason"),
        ]);
        assert_eq!(m.examples(), 2);
        let s = m.suggest("quokka").unwrap();
        assert_eq!(s.reason.key, "legal-regulatory");
        assert!(s.confidence >= MIN_CONFIDENCE && s.confidence <= 1.0);
    }

    #[test]
    fn probabilities_add_up_to_one() {
        let m = Model::train([]);
        let total: f64 = m.rank("network firewall").iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
    }
}
