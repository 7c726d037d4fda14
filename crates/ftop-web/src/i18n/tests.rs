//! The catalogues are complete and consistent: the same messages with the same variables
//! in every language, every message used by the code and every id the code asks for
//! present; look-ups, plurals and the fallback behave.

#![allow(clippy::unwrap_used)]

use super::{Lang, labels};
use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use ftop_domain::text::{message_ids, parse, sources};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every catalogue parsed, refusing syntax errors.
fn resources() -> Vec<(&'static str, FluentResource)> {
    sources()
        .iter()
        .map(|(code, text)| {
            let r = FluentResource::try_new(text.to_string())
                .unwrap_or_else(|(_, e)| panic!("locales/{code}.ftl does not parse: {e:?}"));
            (*code, r)
        })
        .collect()
}

fn variables_of_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let ast::PatternElement::Placeable { expression } = e {
            variables_of_expression(expression, out);
        }
    }
}

fn variables_of_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            variables_of_inline(selector, out);
            for v in variants {
                variables_of_pattern(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => variables_of_inline(i, out),
    }
}

fn variables_of_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => variables_of_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                variables_of_inline(a, out);
            }
            for a in &arguments.named {
                variables_of_inline(&a.value, out);
            }
        }
        _ => {}
    }
}

/// message id → the variables it uses, of one catalogue.
fn variables(r: &FluentResource) -> BTreeMap<String, BTreeSet<String>> {
    r.entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    variables_of_pattern(p, &mut vars);
                }
                for a in &m.attributes {
                    variables_of_pattern(&a.value, &mut vars);
                }
                Some((m.id.name.to_string(), vars))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_language_has_the_same_messages_with_the_same_variables() {
    let all = resources();
    let (en_code, en) = &all[0];
    assert_eq!(*en_code, "en", "English comes first: it is the fallback");
    let en_ids = message_ids(en);
    let unique: BTreeSet<&str> = en_ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        en_ids.len(),
        "an id is defined twice in en.ftl"
    );
    let en_vars = variables(en);
    for (code, r) in &all[1..] {
        let ids = message_ids(r);
        let set: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(set.len(), ids.len(), "an id is defined twice in {code}.ftl");
        let missing: Vec<_> = unique.difference(&set).collect();
        let extra: Vec<_> = set.difference(&unique).collect();
        assert!(missing.is_empty(), "{code}.ftl lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{code}.ftl has ids English lacks: {extra:?}"
        );
        for (id, vars) in variables(r) {
            assert_eq!(
                Some(&vars),
                en_vars.get(&id),
                "{code}.ftl: {id} uses other variables than in English"
            );
        }
    }
    for (code, r) in &all {
        for id in message_ids(r) {
            let ok = id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            assert!(ok, "{code}.ftl: `{id}` is not kebab-case");
        }
        // No message is empty (a forgotten translation left blank).
        let bundle_text = parse(code, sources().iter().find(|s| s.0 == *code).unwrap().1);
        for id in message_ids(&bundle_text) {
            let lang = Lang::ALL.into_iter().find(|l| l.code() == *code).unwrap();
            assert!(!lang.t(id).trim().is_empty(), "{code}.ftl: {id} is empty");
        }
    }
}

/// The `.rs` files of the `src` of every crate that uses the catalogue (domain, store,
/// web), without the i18n tests themselves (an id only a test names is not used).
fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n/tests.rs") {
            out.push(p);
        }
    }
}

/// The ids the code names literally: `.t("ID")` and `.t_with("ID", ...)`.
fn ids_in_code() -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["ftop-domain", "ftop-store", "ftop-web"] {
        rs_files(&crates.join(krate).join("src"), &mut files);
    }
    let mut out = BTreeMap::new();
    for f in files {
        // Comments (documentation examples) do not count.
        let text: String = std::fs::read_to_string(&f)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for call in [".t(", ".t_with(", "FieldError::of(", "\"invalid-"] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                if call.starts_with('"') {
                    // A field error's id given as a literal anywhere (`"invalid-..."`).
                    let end = rest.find('"').unwrap_or(0);
                    out.insert(format!("invalid-{}", &rest[..end]), f.clone());
                } else if call == "FieldError::of(" {
                    // The id is the second argument; literal ids are found by `"invalid-`.
                } else if let Some(lit) = rest.strip_prefix('"')
                    && let Some(end) = lit.find('"')
                {
                    out.insert(lit[..end].to_string(), f.clone());
                }
            }
        }
    }
    out
}

#[test]
fn every_message_is_used_and_every_id_the_code_names_exists() {
    let all = resources();
    let defined: BTreeSet<String> = message_ids(&all[0].1)
        .into_iter()
        .map(String::from)
        .collect();
    let in_code = ids_in_code();
    assert!(in_code.len() > 100, "the scan found the calls: {in_code:?}");
    for (id, file) in &in_code {
        assert!(
            defined.contains(id),
            "{} asks for `{id}`, which en.ftl lacks",
            file.display()
        );
    }
    let generated = labels::all_ids();
    for id in &generated {
        assert!(
            defined.contains(id),
            "the label `{id}` is missing from en.ftl"
        );
    }
    // Field labels (`Lang::field`) and the legacy field error's message.
    let fields: Vec<String> = super::FIELD_LABELS
        .iter()
        .map(|f| format!("field-{f}"))
        .collect();
    for id in &fields {
        assert!(
            defined.contains(id),
            "the field label `{id}` is missing from en.ftl"
        );
    }
    // `Lang::name` reads `language-name`.
    let used: BTreeSet<String> = in_code
        .into_keys()
        .chain(generated)
        .chain(fields)
        .chain([
            "language-name".to_string(),
            ftop_domain::UNTRANSLATED.to_string(),
        ])
        .collect();
    let unused: Vec<_> = defined.difference(&used).collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn the_languages_are_the_catalogue_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ftop-domain/locales");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "ftl").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    files.sort();
    let mut codes: Vec<String> = Lang::ALL.iter().map(|l| l.code().to_string()).collect();
    codes.sort();
    assert_eq!(codes, files);
    assert_eq!(Lang::ALL[0], Lang::En);
    assert_eq!(Lang::En.code(), "en");
    assert_eq!(Lang::Es.name(), "Español");
    assert_eq!(Lang::Zh.name(), "简体中文");
}

#[test]
fn look_ups_plurals_and_fallback() {
    assert_eq!(Lang::Es.t("sign-in"), "Iniciar sesión");
    assert_eq!(Lang::Zh.t("sign-in"), "登录");
    assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    assert_eq!(Lang::parse("ES"), Some(Lang::Es));
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(
        Lang::En.t_with("users-needed", &[("count", 1.into())]),
        "1 more active user needed"
    );
    assert_eq!(
        Lang::En.t_with("users-needed", &[("count", 12.into())]),
        "12 more active users needed"
    );
    assert_eq!(
        Lang::Es.t_with("users-needed", &[("count", 1.into())]),
        "falta 1 usuario activo"
    );
    assert_eq!(
        Lang::Es.t_with("users-needed", &[("count", 7.into())]),
        "faltan 7 usuarios activos"
    );
    assert_eq!(
        Lang::Zh.t_with("users-needed", &[("count", 7.into())]),
        "还需 7 名活跃用户"
    );
    // No Unicode isolation marks around variables: they would leak into attributes.
    let s = Lang::En.t_with(
        "share-of",
        &[
            ("label", "Blocked".into()),
            ("count", 3.into()),
            ("total", 40.into()),
            ("percent", 8.into()),
        ],
    );
    assert_eq!(s, "Blocked: 3 of 40 (8%)");
    // Enumerated values by their keys; the domain keeps its English names.
    assert_eq!(
        Lang::Es.task_status(ftop_domain::TaskStatus::NotStarted),
        "Sin empezar"
    );
    assert_eq!(ftop_domain::TaskStatus::NotStarted.name(), "Not Started");
    assert_eq!(Lang::Zh.label(ftop_domain::NoteCategory::Migration), "迁移");
    // An unknown id shows `?` rather than failing the page.
    assert_eq!(Lang::Es.t("no-such-message"), "?");
    assert_eq!(Lang::Es.t_with("no-such-message", &[]), "?");
}

#[test]
fn the_pseudo_language_marks_and_accents_every_message() {
    assert_eq!(Lang::PSEUDO.t("sign-in"), "⟦Šíğñ íñ⟧");
    assert_eq!(
        Lang::PSEUDO.t_with("as-of", &[("date", "2026-01-31".into())]),
        "⟦áš óƒ 2026-01-31⟧",
        "variables are not accented"
    );
    assert_eq!(Lang::parse("pseudo"), Some(Lang::PSEUDO));
    assert!(!Lang::ALL.contains(&Lang::PSEUDO), "never offered to users");
    assert_eq!(ftop_domain::text::pseudo_accented("Ab"), "Áƀ");
}

#[test]
fn field_errors_and_labels_speak_the_readers_language() {
    let e = ftop_domain::FieldError::of("rows[2].l2", "invalid-reason-required")
        .with(
            "status",
            ftop_domain::Arg::l1(ftop_domain::taxonomy::L1::Blocked),
        )
        .with("choices", "a, b");
    assert_eq!(Lang::Es.field(&e.field), "Filas de estado[2] › Motivo (L2)");
    assert!(
        e.message(Lang::Es.0).contains("«Bloqueado»"),
        "{}",
        e.message(Lang::Es.0)
    );
    assert!(
        e.to_string()
            .starts_with("rows[2].l2: a Blocked row must say why")
    );
    assert_eq!(Lang::Zh.field("line 3: tenant_name"), "第 3 行: 租户名称");
    assert_eq!(Lang::En.field("no_label_here"), "no_label_here");
    // Every field error message exists in every language (the ids are checked above).
    for lang in Lang::ALL {
        assert_ne!(lang.t("invalid-row-empty"), "?");
    }
}

/// Code written before field errors had ids (`errors.add(field, english)`,
/// `Invalid::one`, `FieldError::untranslated`, `AppError::field`) shows English to every
/// reader: none may remain but the usage file's row reasons (English text shared with the
/// rejected-rows report) and the usage columns' rule.
#[test]
fn no_untranslated_field_errors_remain() {
    let mut files = Vec::new();
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["ftop-domain", "ftop-store", "ftop-web", "ftop"] {
        rs_files(&crates.join(krate).join("src"), &mut files);
    }
    let allowed = ["adoption/usage/mod.rs", "api/adoption.rs", "src/error.rs"];
    let mut found = Vec::new();
    for f in files {
        if allowed.iter().any(|a| f.ends_with(a)) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let l = line.trim_start();
            if l.starts_with("//") {
                continue;
            }
            for legacy in [
                "errors.add(",
                "e.add(",
                "Invalid::one(",
                "FieldError::untranslated(",
                "AppError::field(",
            ] {
                if l.contains(legacy) {
                    found.push(format!("{}:{}: {l}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "convert to FieldError::of(field, id):\n{}",
        found.join("\n")
    );
}

#[test]
fn moments_are_written_the_way_each_reader_writes_dates() {
    let ts = "2026-12-06T05:05:30.401304709Z";
    assert_eq!(Lang::ENGLISH.when(ts), "2026-12-06 05:05 UTC");
    assert_eq!(Lang::Es.when(ts), "06/12/2026 05:05 UTC");
    assert_eq!(Lang::Zh.when(ts), "2026年12月06日 05:05 UTC");
    // Not a stored moment: shown as it is, never cut or panicking on a short string.
    for odd in [
        "",
        "2026",
        "yesterday at noon",
        "2026-12-06 05:05",
        "２０２６-12-06T05:05",
    ] {
        assert_eq!(Lang::ENGLISH.when(odd), odd);
    }
}

#[test]
fn reasons_and_engineering_reasons_are_named_from_the_catalogue() {
    use ftop_domain::taxonomy::L1;
    // English names the taxonomy's own names; every language names every one.
    for l1 in L1::ALL {
        for r in l1.reasons() {
            assert_eq!(Lang::En.reason(r.key), r.name);
            for (key, name) in r.engineering {
                assert_eq!(Lang::En.engineering_reason(key), *name);
            }
        }
    }
    assert_eq!(Lang::Es.reason("legal-regulatory"), "Legal o normativo");
    // A name or another spelling of the key finds the reason too.
    assert_eq!(Lang::Zh.reason("Legal/Regulatory"), "法律/法规");
    assert_eq!(
        Lang::Es.engineering_reason("wrong-tenant"),
        "Inquilino equivocado"
    );
    // Text the taxonomy does not know is shown as stored.
    assert_eq!(Lang::Es.reason("made-up"), "made-up");
    assert_eq!(Lang::Zh.engineering_reason("made-up"), "made-up");
}
