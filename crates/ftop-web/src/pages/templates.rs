//! Note templates: an optional starting text for the two categories that have one,
//! Engagement Management and Technical Enablement, in each UI language (the texts are in the
//! catalogues). Inserting a template replaces the note's body. Markdown headings, so a saved
//! note keeps its sections.

use crate::i18n::Lang;
use ftop_domain::NoteCategory;

/// The categories with a template, in the editor's order.
pub(crate) const TEMPLATED: [NoteCategory; 2] = [
    NoteCategory::EngagementManagement,
    NoteCategory::TechnicalEnablement,
];

/// The template of `category` in `lang` (catalogue message `note-template-CATEGORY`); None
/// for a category without one.
pub(crate) fn template(category: NoteCategory, lang: Lang) -> Option<&'static str> {
    match category {
        NoteCategory::EngagementManagement => Some(lang.t("note-template-engagement-management")),
        NoteCategory::TechnicalEnablement => Some(lang.t("note-template-technical-enablement")),
        _ => None,
    }
}

/// Whether `body` is empty or one of the templates as inserted (replacing it loses
/// nothing the user wrote).
pub(crate) fn untouched(body: &str) -> bool {
    let body = body.trim();
    body.is_empty()
        || TEMPLATED.iter().any(|c| {
            Lang::ALL
                .iter()
                .any(|l| template(*c, *l).is_some_and(|t| t.trim() == body))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_two_categories_have_templates_in_every_language() {
        for c in NoteCategory::ALL {
            for l in Lang::ALL {
                assert_eq!(
                    template(*c, l).is_some(),
                    TEMPLATED.contains(c),
                    "{c:?} {l:?}"
                );
            }
        }
        for l in Lang::ALL {
            let em = template(NoteCategory::EngagementManagement, l).unwrap();
            let te = template(NoteCategory::TechnicalEnablement, l).unwrap();
            assert_eq!(em.matches("## ").count(), 5, "{em}");
            assert_eq!(te.matches("## ").count(), 5, "{te}");
        }
        assert!(
            template(NoteCategory::EngagementManagement, Lang::En)
                .unwrap()
                .contains("## Participants")
        );
        assert!(untouched("  "));
        assert!(untouched(
            template(NoteCategory::TechnicalEnablement, Lang::Zh).unwrap()
        ));
        assert!(!untouched("met the customer"));
    }
}
