//! A language the compiler has never seen (Swahili: no label, heading, phase, role or service
//! word of it is in the vocabulary) compiles into the same model as its English source:
//! structure from the shape of the pages, keys from alignment by page and task ID.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

use ftop_playbook::{Options, Severity, Source, compile, translations};
use std::collections::HashMap;
use std::path::PathBuf;

fn bundled_english() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../playbook/en");
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("bundled playbook")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    pages.sort();
    pages
}

/// Rewrites every word the vocabulary knows into Swahili.
fn to_swahili(page: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("Phase: **Initiate**", "Awamu: **Anzisha**"),
        ("Phase: **Assess**", "Awamu: **Tathmini**"),
        ("Phase: **Remediate**", "Awamu: **Rekebisha**"),
        ("Phase: **Enable**", "Awamu: **Wezesha**"),
        ("Phase: **Migrate**", "Awamu: **Hamisha**"),
        ("Phase: **Success**", "Awamu: **Mafanikio**"),
        ("Phase: **Multiple Phases**", "Awamu: **Awamu Nyingi**"),
        ("Motions:", "Mienendo:"),
        ("Customer Health", "Afya ya Mteja"),
        ("Targeting", "Ulengaji"),
        ("Primary Role:", "Jukumu Kuu:"),
        ("Applies To:", "Inatumika Kwa:"),
        ("## Overview", "## Muhtasari"),
        ("## Objectives", "## Malengo"),
        ("## Approach", "## Mbinu"),
        ("## Key Inputs", "## Pembejeo Muhimu"),
        ("## Key Outputs", "## Matokeo Muhimu"),
        ("## Next Steps", "## Hatua Zinazofuata"),
        ("## Refresh Summary", "## Historia ya Mabadiliko"),
        ("#### FTOP Tasks", "#### Kazi za FTOP"),
        (
            "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |",
            "| Nambari | Jina la Kazi | (L)azima / (H)iari | Jukumu | Huduma |",
        ),
        (
            "| Date | Who Changed | What Changed |",
            "| Tarehe | Aliyebadilisha | Kilichobadilika |",
        ),
        ("FastTrack Manager", "Meneja wa FastTrack"),
        ("FastTrack Engineer", "Mhandisi wa FastTrack"),
        ("Migration Velocity Manager", "Meneja wa Kasi ya Uhamisho"),
        ("FastTrack Ready Partner", "Mshirika wa FastTrack"),
        ("All Services", "Huduma Zote"),
        ("Core Onboarding", "Uanzishaji wa Msingi"),
        ("OneDrive for Business", "OneDrive kwa Biashara"),
        ("Skype for Business", "Skype kwa Biashara"),
        ("Microsoft 365 Apps", "Programu za Microsoft 365"),
    ];
    let mut out = page.to_string();
    for (en, sw) in WORDS {
        out = out.replace(en, sw);
    }
    // Flags follow the header's letters: (L)azima = mandatory, (H)iari = optional.
    // Prose: the common English words become Swahili ones, so the text no longer reads as English.
    const PROSE: &[(&str, &str)] = &[
        ("the", "ya"),
        ("The", "Ya"),
        ("and", "na"),
        ("to", "kwa"),
        ("of", "wa"),
        ("is", "ni"),
        ("for", "kwa"),
        ("with", "pamoja"),
        ("this", "hii"),
        ("that", "kwamba"),
        ("are", "ni"),
        ("be", "kuwa"),
        ("on", "juu"),
        ("will", "ita"),
        ("you", "wewe"),
        ("as", "kama"),
        ("a", "moja"),
        ("in", "katika"),
        ("it", "hiyo"),
    ];
    out.lines()
        .map(|l| {
            if !l.starts_with(['|', '#', '-']) && !l.contains("**") {
                return l
                    .split(' ')
                    .map(|w| PROSE.iter().find(|(e, _)| *e == w).map_or(w, |(_, s)| *s))
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            if l.starts_with("| ")
                && l.split('|').nth(1).is_some_and(|c| {
                    c.trim().bytes().all(|b| b.is_ascii_digit()) && !c.trim().is_empty()
                })
            {
                l.replace(" | M | ", " | L | ")
                    .replace(" | O | ", " | H | ")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn swahili_pages_compile_to_the_english_model() {
    let en = bundled_english();
    let sw: Vec<(String, String)> = en.iter().map(|(f, t)| (f.clone(), to_swahili(t))).collect();
    assert!(
        sw.iter()
            .all(|(_, t)| !t.contains("Phase:") && !t.contains("## Approach")),
        "every known word was replaced"
    );
    let mut sources: Vec<Source<'_>> = en.iter().map(|(f, t)| Source::new("en", f, t)).collect();
    sources.extend(sw.iter().map(|(f, t)| Source::new("sw", f, t)));
    let out = compile(&sources, &Options::default());
    let errors: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error || d.code == "unknown-service")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let pb = &out.playbook;
    assert_eq!(pb.locales, ["en", "sw"]);

    let en_tasks: HashMap<(&str, &str), &ftop_playbook::Task> = pb
        .tasks
        .iter()
        .filter(|t| &*t.locale == "en")
        .map(|t| ((&*t.process_key, t.id.as_str()), t))
        .collect();
    let sw_tasks: Vec<_> = pb.tasks.iter().filter(|t| &*t.locale == "sw").collect();
    assert_eq!(
        sw_tasks.len(),
        pb.tasks.len() - sw_tasks.len(),
        "as many task rows in each language"
    );
    for t in &sw_tasks {
        let e = en_tasks
            .get(&(&*t.process_key, t.id.as_str()))
            .unwrap_or_else(|| panic!("no English row for {} {}", t.process_key, t.id));
        assert_eq!(
            (t.mandatory, &t.phase_key, &t.role_key, &t.service_keys),
            (e.mandatory, &e.phase_key, &e.role_key, &e.service_keys),
            "task {} in {}",
            t.id,
            t.file
        );
        assert_eq!(t.step.is_empty(), e.step.is_empty());
    }
    assert!(
        sw_tasks
            .iter()
            .any(|t| t.role == "Meneja wa FastTrack" && t.role_key == "fasttrack-manager")
    );

    // Processes: same phases, steps with their labels, sections, next steps.
    for p in pb.processes.iter().filter(|p| p.locale == "sw") {
        let e = pb
            .processes
            .iter()
            .find(|x| x.locale == "en" && x.key == p.key)
            .expect("English process");
        assert_eq!(p.phase_key, e.phase_key, "{}", p.key);
        assert_eq!(p.steps.len(), e.steps.len(), "{}", p.key);
        for (a, b) in p.steps.iter().zip(&e.steps) {
            assert_eq!(
                (a.roles.len(), a.applies_to.len(), a.task_count),
                (b.roles.len(), b.applies_to.len(), b.task_count),
                "{} / {}",
                p.key,
                a.title
            );
        }
        assert_eq!(p.overview.is_empty(), e.overview.is_empty(), "{}", p.key);
        assert_eq!(
            (p.objectives.len(), p.key_inputs.len(), p.key_outputs.len()),
            (e.objectives.len(), e.key_inputs.len(), e.key_outputs.len()),
            "{}",
            p.key
        );
        let targets = |x: &ftop_playbook::Process| {
            x.next_steps
                .iter()
                .map(|n| n.target_key.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(targets(p), targets(e), "{}", p.key);
        assert_eq!(p.history.len(), e.history.len());
    }
    let sw_phases: Vec<(&str, &str)> = pb
        .phases
        .iter()
        .filter(|p| p.locale == "sw")
        .map(|p| (p.key.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        &sw_phases[..2],
        &[("initiate", "Anzisha"), ("assess", "Tathmini")]
    );

    let report = translations(pb);
    let sw_report = &report.locales[0];
    assert_eq!(sw_report.locale, "sw");
    assert!(
        sw_report.missing_tasks.is_empty()
            && sw_report.extra_tasks.is_empty()
            && sw_report.flag_differences.is_empty()
    );
    assert!(sw_report.missing_pages.is_empty() && sw_report.extra_pages.is_empty());
}
