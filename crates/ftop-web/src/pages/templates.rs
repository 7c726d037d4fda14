//! Note templates: an optional starting text for the two categories that have one,
//! Engagement Management and Technical Enablement, in each UI language. Inserting a template
//! replaces the note's body. Markdown headings, so a saved note keeps its sections.

use crate::i18n::Lang;
use ftop_domain::NoteCategory;

/// The categories with a template, in the editor's order.
pub(crate) const TEMPLATED: [NoteCategory; 2] = [
    NoteCategory::EngagementManagement,
    NoteCategory::TechnicalEnablement,
];

/// The template of `category` in `lang`; None for a category without one.
pub(crate) fn template(category: NoteCategory, lang: Lang) -> Option<&'static str> {
    match category {
        NoteCategory::EngagementManagement => Some(lang.pick(
            "## Participants\n\
             - Customer: \n\
             - Our side (FastTrack, partner, account team): \n\
             \n\
             ## Discussion points\n\
             - \n\
             \n\
             ## Customer questions\n\
             - \n\
             \n\
             ## Actions\n\
             - What, who, by when: \n\
             \n\
             ## Playbook task\n\
             Task ID and name this conversation moved forward, if any: \n",
            "## Participantes\n\
             - Cliente: \n\
             - Por nuestra parte (FastTrack, partner, equipo de cuenta): \n\
             \n\
             ## Puntos tratados\n\
             - \n\
             \n\
             ## Preguntas del cliente\n\
             - \n\
             \n\
             ## Acciones\n\
             - Qué, quién, para cuándo: \n\
             \n\
             ## Tarea de la guía\n\
             ID y nombre de la tarea que avanzó con esta conversación, si la hay: \n",
            "## 参与者\n\
             - 客户：\n\
             - 我方（FastTrack、合作伙伴、客户团队）：\n\
             \n\
             ## 讨论要点\n\
             - \n\
             \n\
             ## 客户问题\n\
             - \n\
             \n\
             ## 行动项\n\
             - 内容、负责人、截止日期：\n\
             \n\
             ## 操作手册任务\n\
             本次沟通推进的任务 ID 和名称（如有）：\n",
        )),
        NoteCategory::TechnicalEnablement => Some(lang.pick(
            "## Workload affected\n\
             Service or workload: \n\
             \n\
             ## Status\n\
             On track, at risk or blocked, and why: \n\
             \n\
             ## Summary\n\
             What was done or decided in this interaction: \n\
             \n\
             ## Next action\n\
             What happens next, who owns it, by when: \n\
             \n\
             ## Concerns\n\
             Risks or blockers (for a product issue, give its reference): \n",
            "## Carga de trabajo afectada\n\
             Servicio o carga de trabajo: \n\
             \n\
             ## Estado\n\
             En curso, en riesgo o bloqueado, y por qué: \n\
             \n\
             ## Resumen\n\
             Qué se hizo o se decidió en esta interacción: \n\
             \n\
             ## Siguiente acción\n\
             Qué sigue, quién se encarga, para cuándo: \n\
             \n\
             ## Inquietudes\n\
             Riesgos o bloqueos (para un problema del producto, indique su referencia): \n",
            "## 受影响的工作负载\n\
             服务或工作负载：\n\
             \n\
             ## 状态\n\
             正常推进、存在风险还是受阻，原因：\n\
             \n\
             ## 摘要\n\
             本次沟通完成或决定的事项：\n\
             \n\
             ## 下一步操作\n\
             接下来做什么、由谁负责、何时完成：\n\
             \n\
             ## 关注事项\n\
             风险或阻碍（如为产品问题，请注明其编号）：\n",
        )),
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
