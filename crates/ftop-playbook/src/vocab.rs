//! The built-in vocabulary: canonical keys for phases, services, roles and motions, with the
//! names they go by in the languages ftop ships. Words only help: the compiler recognises a
//! page's structure without them, and keys for an unknown language come from alignment with
//! the source language.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Canonical phase keys in lifecycle order, with their names.
pub(crate) static PHASES: &[(&str, &[&str])] = &[
    ("initiate", &["initiate", "iniciar", "inicio", "启动"]),
    ("assess", &["assess", "evaluación", "evaluar", "评估"]),
    (
        "remediate",
        &["remediate", "corrección", "corregir", "改进", "修正"],
    ),
    ("enable", &["enable", "habilitar", "habilitación", "启用"]),
    ("migrate", &["migrate", "migrar", "migración", "迁移"]),
    ("success", &["success", "éxito", "成功"]),
    (
        "multiple",
        &[
            "multiple phase",
            "multiple phases",
            "varias fases",
            "fases múltiples",
            "múltiples fases",
            "multiple fase",
            "多个阶段",
            "多阶段",
            "automated onboarding phases",
            "fases de incorporación automatizada",
            "自动入门阶段",
        ],
    ),
];

/// Canonical service keys with every name and alias they are written with.
pub(crate) static SERVICES: &[(&str, &[&str])] = &[
    (
        "core-onboarding",
        &[
            "core onboarding",
            "incorporación básica",
            "核心入门培训",
            "核心入门",
        ],
    ),
    (
        "all-services",
        &["all services", "todos los servicios", "所有服务"],
    ),
    ("exchange", &["exchange", "exchange online"]),
    ("sharepoint", &["sharepoint", "sharepoint online"]),
    (
        "onedrive",
        &[
            "onedrive for business",
            "onedrive",
            "onedrive para la empresa",
            "onedrive para la emresa",
        ],
    ),
    ("teams", &["teams", "microsoft teams"]),
    ("yammer", &["yammer"]),
    ("outlook-mobile", &["outlook mobile", "outlook móvil"]),
    (
        "m365-apps",
        &[
            "microsoft 365 apps",
            "microsoft 365 apps for enterprise",
            "office 365 proplus",
            "office proplus",
            "office 365 专业增强版",
            "office 专业增强版",
            "microsoft 365 应用版",
            "aplicaciones de microsoft 365",
        ],
    ),
    ("windows-10", &["windows 10", "windows"]),
    ("edge", &["edge", "microsoft edge"]),
    ("intune", &["intune", "microsoft intune"]),
    (
        "aadp",
        &["aadp", "azure ad premium", "azure active directory premium"],
    ),
    ("aip", &["aip", "mip", "azure information protection"]),
    ("mdatp", &["mdatp", "microsoft defender atp"]),
    ("oatp", &["oatp", "office 365 atp"]),
    (
        "skype-for-business",
        &[
            "skype for business",
            "skype empresarial",
            "sfb",
            "skype for business online",
        ],
    ),
    (
        "sfb-pstn-conferencing",
        &[
            "skype for business - pstn conferencing",
            "pstn conferencing",
            "skype empresarial - conferencias pstn",
            "conferencias pstn",
            "skype for business - pstn 会议",
            "pstn 会议",
        ],
    ),
    (
        "sfb-pstn-calling",
        &[
            "skype for business - pstn calling",
            "pstn calling",
            "skype empresarial - llamadas pstn",
            "llamadas pstn",
            "pstn 通话",
        ],
    ),
    (
        "sfb-cloud-pbx",
        &[
            "skype for business - cloud pbx",
            "cloud pbx",
            "skype empresarial - cloud pbx",
        ],
    ),
    ("project", &["project", "project online"]),
    ("power-bi", &["power bi", "powerbi"]),
    ("staffhub", &["staffhub"]),
    (
        "classroom-sds",
        &[
            "classroom/sds",
            "classroom / sds",
            "aulas y sds",
            "课堂/sds",
        ],
    ),
    ("windows-autopilot", &["windows autopilot", "autopilot"]),
    ("configuration-manager", &["configuration manager", "sccm"]),
];

/// Canonical responsible-role keys with their names and abbreviations.
pub(crate) static ROLES: &[(&str, &[&str])] = &[
    (
        "fasttrack-manager",
        &[
            "fasttrack manager",
            "fm",
            "administrador de fasttrack",
            "fasttrack 经理",
            "gerente de fasttrack",
        ],
    ),
    (
        "fasttrack-engineer",
        &[
            "fasttrack engineer",
            "fe",
            "ingeniero de fasttrack",
            "fasttrack 工程师",
        ],
    ),
    (
        "sme",
        &[
            "sme",
            "subject matter expert",
            "experto en la materia",
            "主题专家",
        ],
    ),
    (
        "migration-velocity-manager",
        &[
            "migration velocity manager",
            "mvm",
            "administrador de velocidad de migración",
            "迁移高速经理",
        ],
    ),
    (
        "getmodern-fta",
        &[
            "getmodern fta",
            "gm fta",
            "get modern fta",
            "fta de getmodern",
            "现代化改造 fta",
        ],
    ),
    (
        "fasttrack-architect",
        &[
            "fasttrack architect v2",
            "fasttrack architect",
            "fta",
            "arquitecto de fasttrack v2",
            "arquitecto de fasttrack",
            "fasttrack 架构师 v2",
            "fasttrack 架构师",
        ],
    ),
    (
        "fasttrack-ready-partner",
        &[
            "fasttrack ready partner",
            "partner",
            "socio listo para usar fasttrack",
            "socio de fasttrack",
            "fasttrack 就绪合作伙伴",
        ],
    ),
    (
        "customer-success-manager",
        &[
            "customer success manager",
            "csm",
            "administrador del éxito del cliente",
            "客户成功经理",
        ],
    ),
    ("ems-sme", &["ems sme"]),
    ("atp-sme", &["atp sme"]),
];

/// Motion keys (engagement models) and their names.
pub(crate) static MOTIONS: &[(&str, &[&str])] = &[
    (
        "customer-health",
        &["customer health", "salud del cliente", "客户运行状况"],
    ),
    ("rfa", &["rfa", "request for assistance"]),
    ("targeting", &["targeting", "focalización", "目标设定"]),
];

/// Page sections of a process page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SectionKind {
    Overview,
    Objectives,
    Approach,
    KeyInputs,
    KeyOutputs,
    NextSteps,
    RefreshSummary,
    Other,
}

pub(crate) const SECTIONS: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Overview,
        &["overview", "descripción general", "概述", "resumen"],
    ),
    (
        SectionKind::Objectives,
        &["objectives", "objetivos", "目标"],
    ),
    (
        SectionKind::Approach,
        &["approach", "enfoque", "方法", "方式"],
    ),
    (
        SectionKind::KeyInputs,
        &["key inputs", "entradas clave", "重要投入", "关键输入"],
    ),
    (
        SectionKind::KeyOutputs,
        &[
            "key outputs",
            "resultados clave",
            "salidas clave",
            "重要成果",
            "关键输出",
        ],
    ),
    (
        SectionKind::NextSteps,
        &[
            "next steps",
            "próximos pasos",
            "siguientes pasos",
            "后续步骤",
            "下一步",
        ],
    ),
    (
        SectionKind::RefreshSummary,
        &[
            "refresh summary",
            "resumen de actualización",
            "resumen de actualizaciones",
            "刷新摘要",
            "更新摘要",
        ],
    ),
];

/// Step and page labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LabelKind {
    Phase,
    Motions,
    PrimaryRole,
    AppliesTo,
    Unknown,
}

pub(crate) const LABELS: &[(LabelKind, &[&str])] = &[
    (LabelKind::Phase, &["phase", "fase", "阶段"]),
    (
        LabelKind::Motions,
        &["motions", "motion", "iniciativas", "iniciativa", "行动"],
    ),
    (
        LabelKind::PrimaryRole,
        &[
            "primary role",
            "primary roles",
            "rol principal",
            "roles principales",
            "主要角色",
        ],
    ),
    (
        LabelKind::AppliesTo,
        &[
            "applies to",
            "aplicar a",
            "aplica a",
            "se aplica a",
            "适用于",
        ],
    ),
];

/// Column headers of task tables, by column kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Id,
    Name,
    Flag,
    Role,
    Services,
}

pub(crate) const TASK_HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Id,
        &[
            "task id",
            "id",
            "id. de tarea",
            "id de tarea",
            "任务 id",
            "任务id",
            "identificador",
        ],
    ),
    (
        Column::Name,
        &[
            "task name",
            "nombre de la tarea",
            "任务名称",
            "task description",
            "title",
            "titel",
            "标题",
            "name",
            "nombre",
        ],
    ),
    (
        Column::Flag,
        &[
            "(m)andatory / (o)ptional",
            "mandatory",
            "(m)",
            "obligatorio",
            "必需",
        ],
    ),
    (
        Column::Role,
        &[
            "fasttrack role",
            "rol de fasttrack",
            "fasttrack 角色",
            "role",
            "rol",
            "cargo laboral",
            "役職",
            "角色",
        ],
    ),
    (
        Column::Services,
        &["services", "servicios", "服务", "service", "servicio"],
    ),
];

type Table = &'static [(&'static str, &'static [&'static str])];

/// The index of one key/aliases table: folded name -> key, built once.
fn index(table: Table) -> &'static HashMap<&'static str, &'static str> {
    static INDEXES: OnceLock<Vec<(usize, HashMap<&'static str, &'static str>)>> = OnceLock::new();
    let all = INDEXES.get_or_init(|| {
        [PHASES, SERVICES, ROLES, MOTIONS]
            .iter()
            .map(|t| {
                let map = t
                    .iter()
                    .flat_map(|(k, names)| names.iter().map(move |n| (*n, *k)))
                    .collect();
                (t.as_ptr() as usize, map)
            })
            .collect()
    });
    let id = table.as_ptr() as usize;
    all.iter()
        .find(|(p, _)| *p == id)
        .map(|(_, m)| m)
        .unwrap_or_else(|| &all[0].1)
}

/// Looks `name` up in a key/aliases table, comparing case-insensitively after folding.
pub(crate) fn lookup(table: Table, name: &str) -> Option<&'static str> {
    with_folded(name, |k| index(table).get(k).copied())
}

/// Looks `name` up, then again without a parenthesised note (`Teams (chat)` -> `Teams`).
pub(crate) fn vocab_key(table: Table, s: &str) -> Option<&'static str> {
    lookup(table, s).or_else(|| {
        let bare = s.split(['(', '（']).next().unwrap_or(s).trim();
        (bare.len() < s.trim().len())
            .then(|| lookup(table, bare))
            .flatten()
    })
}

/// Calls `f` with the folded form of `name`; short ASCII names are lower-cased on the
/// stack instead of allocating.
fn with_folded<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    let t = name.trim();
    if t.len() <= 64
        && t.is_ascii()
        && !t.contains("  ")
        && !t.starts_with(['*', ':'])
        && !t.ends_with(['*', ':'])
    {
        let mut buf = [0u8; 64];
        for (d, s) in buf.iter_mut().zip(t.bytes()) {
            *d = if s == b'\t' {
                b' '
            } else {
                s.to_ascii_lowercase()
            };
        }
        return f(std::str::from_utf8(&buf[..t.len()]).unwrap_or(""));
    }
    f(fold(name).as_ref())
}

/// Looks up a generic (kind, names) table.
pub(crate) fn lookup_kind<K: Copy>(table: &[(K, &[&str])], name: &str) -> Option<K> {
    with_folded(name, |folded| {
        table
            .iter()
            .find(|(_, names)| names.contains(&folded))
            .map(|(k, _)| *k)
    })
}

/// Lower case, trimmed of white space, ASCII and full-width colons and surrounding stars,
/// inner white space folded to one space. Borrowed when nothing changes.
pub(crate) fn fold(name: &str) -> Cow<'_, str> {
    let t = name
        .trim()
        .trim_matches(|c: char| c == '*' || c == ':' || c == '：' || c.is_whitespace());
    let clean = t
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b'\t' && b != b'\n')
        && !t.contains("  ");
    if clean {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        }
    }
    Cow::Owned(out)
}

/// Position of a phase key in lifecycle order (unknown keys sort last).
pub(crate) fn phase_rank(key: &str) -> usize {
    PHASES
        .iter()
        .position(|(k, _)| *k == key)
        .unwrap_or(PHASES.len())
}

/// The English display name of a known key (`assess` -> `Assess`).
pub(crate) fn english_name(table: Table, key: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, n)| n.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_names_in_three_languages_share_one_key() {
        assert_eq!(lookup(PHASES, "Assess"), Some("assess"));
        assert_eq!(lookup(PHASES, "Evaluación"), Some("assess"));
        assert_eq!(lookup(PHASES, " 评估 "), Some("assess"));
        assert_eq!(lookup(PHASES, "Bewerten"), None);
    }

    #[test]
    fn services_and_roles_have_aliases() {
        assert_eq!(lookup(SERVICES, "Office 365 ProPlus"), Some("m365-apps"));
        assert_eq!(
            lookup(SERVICES, "OneDrive para la Emresa"),
            Some("onedrive")
        );
        assert_eq!(lookup(ROLES, "FE"), Some("fasttrack-engineer"));
        assert_eq!(lookup(ROLES, "FastTrack 经理"), Some("fasttrack-manager"));
    }

    #[test]
    fn labels_fold_colons_and_stars() {
        assert_eq!(
            lookup_kind(LABELS, "**Primary Role:**"),
            Some(LabelKind::PrimaryRole)
        );
        assert_eq!(lookup_kind(LABELS, "阶段："), Some(LabelKind::Phase));
    }
}
