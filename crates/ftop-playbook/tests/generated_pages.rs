//! Property tests on generated pages: arbitrary Markdown-ish input never panics, and a
//! well-formed generated page compiles back to exactly the tasks it was generated from,
//! whatever the table's column order and the junk around it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

use ftop_playbook::{Options, Source, compile};
use proptest::prelude::*;

/// Fragments that exercise the scanner's branches, joined at random.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\ntitle: x\n".to_string()),
        Just("---\n".to_string()),
        Just("# Title\n".to_string()),
        Just("## Approach\n".to_string()),
        Just("#### FTOP Tasks\n".to_string()),
        Just("Phase: **Assess**\n".to_string()),
        Just("Primary Role: **FastTrack Manager** and **SME**\n".to_string()),
        Just("Applies To: **Exchange /\n".to_string()),
        Just(
            "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n"
                .to_string()
        ),
        Just("| - | - | - | -|\n".to_string()),
        Just("| 123 | name | M | FE | Exchange|| 124 | n | O |\n".to_string()),
        Just("|| [99](x.md) | **a** | *O* |\n".to_string()),
        Just("<<<<<<< HEAD\n".to_string()),
        Just("=======\n".to_string()),
        Just(">>>>>>> b\n".to_string()),
        Just("```\n".to_string()),
        Just("> [!NOTE]\n> > > nested\n".to_string()),
        Just("- [Next](next.md): when ready\n".to_string()),
        Just("| 3/25/2020 | Someone | Added task 1 |\n".to_string()),
        Just("\u{feff}\u{200b}".to_string()),
        Just("```ftop-rules\n".to_string()),
        Just("~~~ ftop-rules\n".to_string()),
        Just("only 123, 124 when csm and service(teams)\n".to_string()),
        Just("skip when (not seats < 5 or enterprise\n".to_string()),
        rule_line().prop_map(|l| format!("{l}\n")),
        "[ -~\u{a0}-\u{3000}|*#\\[\\]()!:：\n]{0,80}",
    ]
}

/// A rule line: words of the grammar, near misses, IDs, punctuation and arbitrary text.
fn rule_line() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("only"),
        Just("skip"),
        Just("not-required"),
        Just("NOT-REQUIRED"),
        Just("when"),
        Just("and"),
        Just("or"),
        Just("not"),
        Just("csm"),
        Just("enterprise"),
        Just("adoption-benefit"),
        Just("service("),
        Just("service"),
        Just("Outlook Mobile"),
        Just("teams"),
        Just("seats"),
        Just("<"),
        Just("<="),
        Just(">="),
        Just("="),
        Just("("),
        Just(")"),
        Just(","),
        Just("#"),
        Just("123"),
        Just("124"),
        Just("99999999999999999999999"),
        Just("é"),
        Just("\t"),
        Just(" "),
    ];
    prop_oneof![
        prop::collection::vec(token, 0..16).prop_map(|t| t.join(" ")),
        prop::collection::vec(
            prop_oneof![
                Just("only"),
                Just("when"),
                Just("csm"),
                Just("("),
                Just(","),
                Just("1")
            ],
            0..16
        )
        .prop_map(|t| t.concat()),
        "[ -~\u{a0}-\u{3000}]{0,60}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn rules_blocks_never_panic(
        lines in prop::collection::vec(rule_line(), 0..12),
        closed in any::<bool>(),
        under_step in any::<bool>(),
    ) {
        let block = format!("```ftop-rules\n{}\n{}", lines.join("\n"), if closed { "```\n" } else { "" });
        let (page_block, step_block) = if under_step { ("", block.as_str()) } else { (block.as_str(), "") };
        let text = format!(
            "# T\n\nPhase: **Assess**\n\n{page_block}\n## Approach\n\n### S\n\nPrimary Role: **SME**\n\n{step_block}\n\
             | Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n| - | - | - | - | - |\n\
             | 123 | Name one | M | SME | Teams |\n| 124 | Name two | O | SME | Exchange |\n"
        );
        let out = compile(&[Source::new("en", "p.md", &text)], &Options::default());
        let page_lines: Vec<&str> = text.split('\n').collect();
        for d in &out.diagnostics {
            prop_assert!(d.line >= 1 && (d.line as usize) <= page_lines.len());
            let chars = page_lines[d.line as usize - 1].chars().count() as u32;
            prop_assert!(d.col >= 1 && d.col <= chars + 1, "{:?}", d);
        }
        for r in &out.playbook.rules {
            prop_assert!(!r.tasks.is_empty());
            prop_assert!(r.tasks.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(r.tasks.iter().all(|t| *t == 123 || *t == 124));
            prop_assert_eq!(r.text.as_str(), page_lines[r.span.line as usize - 1].trim());
        }
        // Unless a line happens to be a fence or a merge-conflict marker, an unclosed block
        // yields no rules, and the tasks are compiled either way.
        let tame = lines.iter().all(|l| {
            ["```", "~~~", "<<<<<<<", "=======", ">>>>>>>"].iter().all(|m| !l.contains(m))
        });
        if tame {
            if !closed {
                prop_assert!(out.playbook.rules.is_empty());
            }
            prop_assert_eq!(out.playbook.tasks.len(), 2);
        }
    }

    #[test]
    fn arbitrary_pages_never_panic(parts in prop::collection::vec(fragment(), 0..40)) {
        let text: String = parts.concat();
        let out = compile(&[Source::new("", "p.md", &text), Source::new("es", "p-es.md", &text)], &Options::default());
        for d in &out.diagnostics {
            prop_assert!(d.line >= 1 && d.col >= 1);
        }
        for t in &out.playbook.tasks {
            prop_assert!(t.id.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn generated_tasks_round_trip(
        rows in prop::collection::btree_map(10u32..9_999_999, (any::<bool>(), 0usize..4, 0usize..5, "[A-Za-z][A-Za-z ]{0,30}[a-z]"), 1..25),
        order in Just([0usize, 1, 2, 3, 4]).prop_shuffle(),
        noise in "[A-Za-z ,.]{0,200}",
    ) {
        const ROLES: [&str; 4] = ["FastTrack Manager", "FastTrack Engineer", "SME", "Migration Velocity Manager"];
        const SERVICES: [&str; 5] = ["Exchange", "SharePoint / Teams", "All Services", "Intune / AADP / Edge", "Core Onboarding"];
        let header = ["Task ID", "Task Name", "(M)andatory / (O)ptional", "FastTrack Role", "Services"];
        let mut page = format!("# Generated\n\nPhase: **Enable**\n\n## Overview\n\n{noise}\n\n## Approach\n\n### The step\n\nPrimary Role: **SME**\n\n#### FTOP Tasks\n\n|");
        for &c in &order { page.push_str(&format!(" {} |", header[c])); }
        page.push_str("\n|");
        for _ in 0..5 { page.push_str(" --- |"); }
        page.push('\n');
        for (id, (mandatory, role, services, name)) in &rows {
            let cells = [id.to_string(), name.clone(), if *mandatory { "M".into() } else { "O".into() }, ROLES[*role].to_string(), SERVICES[*services].to_string()];
            page.push('|');
            for &c in &order { page.push_str(&format!(" {} |", cells[c])); }
            page.push('\n');
        }
        page.push_str(&format!("\n{noise}\n"));
        let out = compile(&[Source::new("en", "gen.md", &page)], &Options::default());
        prop_assert_eq!(out.errors(), 0);
        let tasks = &out.playbook.tasks;
        prop_assert_eq!(tasks.len(), rows.len());
        for (t, (id, (mandatory, role, services, name))) in tasks.iter().zip(&rows) {
            prop_assert_eq!(&t.id, &id.to_string());
            prop_assert_eq!(&t.name, &name.split_whitespace().collect::<Vec<_>>().join(" "));
            prop_assert_eq!(t.mandatory, *mandatory);
            prop_assert_eq!(&t.role, ROLES[*role]);
            prop_assert_eq!(t.services.join(" / "), SERVICES[*services]);
            prop_assert_eq!(&*t.phase_key, "enable");
            prop_assert_eq!(&*t.step, "The step");
        }
    }
}
