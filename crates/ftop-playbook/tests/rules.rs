//! `ftop-rules` blocks: the grammar, what a rule targets, the diagnostics (with their exact
//! positions), translations, and the rules of the bundled playbook.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

use ftop_playbook::{
    Cmp, Compilation, Condition, Options, Rule, RuleAction, Severity, Source, compile,
};

const TABLE_HEAD: &str = "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n| --- | --- | --- | --- | --- |\n";

/// A process page with two steps (tasks 1001-1002 and 1003) and a third step without tasks.
/// `page_rules`, `step1_rules` and `empty_step_rules` are rule lines placed at the page level,
/// under the first step and under the step without tasks (each `None` for no block).
fn page(
    page_rules: Option<&str>,
    step1_rules: Option<&str>,
    empty_step_rules: Option<&str>,
) -> String {
    let block =
        |r: Option<&str>| r.map_or(String::new(), |r| format!("```ftop-rules\n{r}\n```\n\n"));
    format!(
        "# Kickoff\n\nPhase: **Initiate**\n\n{}## Overview\n\nWhy.\n\n## Approach\n\n### First\n\n\
         Primary Role: **FastTrack Manager**\n\nDo it.\n\n{}#### FTOP Tasks\n\n{TABLE_HEAD}\
         | 1001 | One | M | FastTrack Manager | Teams |\n| 1002 | Two | O | FastTrack Manager | Exchange |\n\n\
         ### Second\n\nPrimary Role: **FastTrack Engineer**\n\n{TABLE_HEAD}\
         | 1003 | Three | M | FastTrack Engineer | All Services |\n\n\
         ### Third\n\nPrimary Role: **FastTrack Engineer**\n\nNo tasks here.\n\n{}## Next Steps\n\n- None.\n",
        block(page_rules),
        block(step1_rules),
        block(empty_step_rules),
    )
}

fn run(text: &str) -> Compilation {
    compile(&[Source::new("en", "p.md", text)], &Options::default())
}

/// Compiles one page-level rule line and returns its rule, asserting no diagnostics.
fn one(line: &str) -> Rule {
    let out = run(&page(Some(line), None, None));
    assert!(out.diagnostics.is_empty(), "{line}: {:?}", out.diagnostics);
    assert_eq!(out.playbook.rules.len(), 1, "{line}");
    out.playbook.rules[0].clone()
}

fn svc(keys: &[&str]) -> Condition {
    Condition::Service {
        any_of: keys.iter().map(|k| k.to_string()).collect(),
    }
}

fn not(c: Condition) -> Condition {
    Condition::Not { inner: Box::new(c) }
}

/// Rendered diagnostics of a compilation, one `file:line:col: severity[code]: message` each.
fn heads(out: &Compilation) -> Vec<String> {
    out.diagnostics
        .iter()
        .map(|d| d.render(None).lines().next().unwrap().to_string())
        .collect()
}

#[test]
fn every_action_atom_and_operator_parses() {
    assert_eq!(one("only when csm").action, RuleAction::Only);
    assert_eq!(one("skip when csm").action, RuleAction::Skip);
    assert_eq!(one("not-required when csm").action, RuleAction::NotRequired);
    assert_eq!(one("ONLY When CSM").action, RuleAction::Only);
    assert_eq!(one("only when csm").when, Condition::Csm);
    assert_eq!(one("only when Enterprise").when, Condition::Enterprise);
    assert_eq!(
        one("only when adoption-benefit").when,
        Condition::AdoptionBenefit
    );
    // Keys and names the vocabulary knows, in any case; repeats collapse.
    assert_eq!(
        one("only when service(outlook-mobile, Microsoft Teams,yammer , OneDrive for Business, teams)").when,
        svc(&["outlook-mobile", "teams", "yammer", "onedrive"])
    );
    assert_eq!(
        one("only when SERVICE (Outlook Mobile)").when,
        svc(&["outlook-mobile"])
    );
    for (op, cmp) in [
        ("<", Cmp::Lt),
        ("<=", Cmp::Le),
        (">", Cmp::Gt),
        (">=", Cmp::Ge),
        ("=", Cmp::Eq),
    ] {
        assert_eq!(
            one(&format!("skip when seats {op} 20000")).when,
            Condition::Seats {
                op: cmp.clone(),
                value: 20000
            }
        );
        assert_eq!(
            one(&format!("skip when seats{op}5")).when,
            Condition::Seats { op: cmp, value: 5 }
        );
    }
    assert_eq!(one("skip when not csm").when, not(Condition::Csm));
    assert_eq!(one("skip when not not csm").when, not(not(Condition::Csm)));
    // Comments: whole lines and the end of a rule.
    let r = one("only when csm # only with a CSM");
    assert_eq!(r.when, Condition::Csm);
    assert_eq!(r.text, "only when csm # only with a CSM");
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_group() {
    assert_eq!(
        one("only when csm or enterprise and not adoption-benefit").when,
        Condition::Any {
            of: vec![
                Condition::Csm,
                Condition::All {
                    of: vec![Condition::Enterprise, not(Condition::AdoptionBenefit)]
                },
            ]
        }
    );
    assert_eq!(
        one("only when (csm or enterprise) and not adoption-benefit").when,
        Condition::All {
            of: vec![
                Condition::Any {
                    of: vec![Condition::Csm, Condition::Enterprise]
                },
                not(Condition::AdoptionBenefit),
            ]
        }
    );
    assert_eq!(
        one("only when csm and enterprise and seats >= 10 or (adoption-benefit)").when,
        Condition::Any {
            of: vec![
                Condition::All {
                    of: vec![
                        Condition::Csm,
                        Condition::Enterprise,
                        Condition::Seats {
                            op: Cmp::Ge,
                            value: 10
                        }
                    ]
                },
                Condition::AdoptionBenefit,
            ]
        }
    );
    // `not` applies to the next operand only.
    assert_eq!(
        one("skip when not csm and enterprise").when,
        Condition::All {
            of: vec![not(Condition::Csm), Condition::Enterprise]
        }
    );
    assert_eq!(
        one("skip when not (csm and enterprise)").when,
        not(Condition::All {
            of: vec![Condition::Csm, Condition::Enterprise]
        })
    );
}

#[test]
fn rules_without_ids_target_their_step_or_their_page() {
    let out = run(&page(
        Some("skip when adoption-benefit"),
        Some("# hand-off\nonly when csm\n\nnot-required 1003, 1001, 1003 when enterprise"),
        None,
    ));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let rules = &out.playbook.rules;
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[0].tasks, vec![1001, 1002, 1003]); // page level: every task
    assert_eq!(rules[0].span.line, 6);
    assert_eq!(rules[0].span.file, "p.md");
    assert_eq!(rules[1].tasks, vec![1001, 1002]); // under the step: its tasks
    assert_eq!(rules[1].text, "only when csm");
    assert_eq!(rules[1].span.line, 23);
    assert_eq!(rules[2].tasks, vec![1001, 1003]); // explicit IDs, sorted, deduplicated
    assert_eq!(rules[2].span.line, 25);
    // The block is not part of the step's guidance, and the caption still belongs to the step.
    let steps = &out.playbook.processes[0].steps;
    assert_eq!(steps[0].body, "Do it.");
    assert_eq!(steps[0].task_count, 2);
    assert_eq!(steps.len(), 3);
}

#[test]
fn a_block_in_a_section_without_steps_targets_the_page_and_one_under_a_section_step_its_tasks() {
    let text = format!(
        "# P\n\nPhase: **Assess**\n\n## Overview\n\n```ftop-rules\nskip when csm\n```\n\n\
         ## Approach\n\n```ftop-rules\nonly when enterprise\n```\n\n\
         Primary Role: **FastTrack Engineer**\n\n{TABLE_HEAD}| 2001 | Alpha | M | FastTrack Engineer | Exchange |\n\n\
         ### Later\n\nPrimary Role: **FastTrack Engineer**\n\n{TABLE_HEAD}| 2002 | Beta | M | FastTrack Engineer | Exchange |\n"
    );
    let out = run(&text);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let rules = &out.playbook.rules;
    assert_eq!(rules[0].tasks, vec![2001, 2002]);
    // The Approach section carries labels and a table of its own: it is a step, and the
    // block under its heading targets that step's tasks.
    assert_eq!(rules[1].tasks, vec![2001]);
}

#[test]
fn tilde_fences_longer_fences_and_other_code_blocks() {
    let text = page(None, None, None).replace(
        "Do it.\n",
        "Do it.\n\n~~~~ FTOP-Rules\nskip when csm\n```\n~~~~\n\n```text\nskip when nothing\n```\n",
    );
    let out = run(&text);
    // The inner ``` does not close the ~~~~ block: it is a (bad) rule line.
    assert_eq!(
        heads(&out),
        vec![
            "p.md:19:1: error[rule-syntax]: expected an action (`only`, `skip` or `not-required`), found ```"
        ]
    );
    assert_eq!(out.playbook.rules.len(), 1);
    assert_eq!(out.playbook.rules[0].tasks, vec![1001, 1002]);
    assert!(
        out.playbook.processes[0].steps[0]
            .body
            .contains("skip when nothing")
    );
}

#[test]
fn syntax_errors_point_at_the_offending_word() {
    let cases: &[(&str, u32, &str)] = &[
        (
            "maybe when csm",
            1,
            "unknown action `maybe`: expected `only`, `skip` or `not-required`",
        ),
        (
            "(only) when csm",
            1,
            "expected an action (`only`, `skip` or `not-required`), found `(`",
        ),
        ("only 12a4 when csm", 6, "`12a4` is not a numeric task ID"),
        (
            "only 1001, abc when csm",
            12,
            "expected a numeric task ID or `when`, found `abc`",
        ),
        (
            "only 1001, when csm",
            12,
            "expected a numeric task ID or `when`, found `when`",
        ),
        (
            "only 1001 1002 when csm",
            11,
            "expected `,` between task IDs, found `1002`",
        ),
        (
            "only 1001, 1002",
            16,
            "missing `when`: expected `when` and a condition after the task IDs",
        ),
        (
            "only 1001 csm",
            11,
            "missing `when`: expected `,` or `when` after the task IDs, found `csm`",
        ),
        ("only csm", 6, "missing `when` before the condition `csm`"),
        (
            "only",
            5,
            "expected task IDs or `when`, found the end of the rule",
        ),
        (
            "only 99999999999 when csm",
            6,
            "task ID `99999999999` is too large",
        ),
        (
            "only when",
            10,
            "expected a condition (`csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`), found the end of the rule",
        ),
        (
            "only when csm or",
            17,
            "expected a condition (`csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`), found the end of the rule",
        ),
        (
            "only when partner",
            11,
            "unknown condition `partner`: expected `csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`",
        ),
        (
            "only when csm and and enterprise",
            19,
            "expected a condition (`csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`), found `and`",
        ),
        (
            "only when csm enterprise",
            15,
            "expected `and`, `or` or the end of the rule, found `enterprise`",
        ),
        (
            "only when (csm or enterprise",
            29,
            "expected `)` to close the `(` at column 11, found the end of the rule",
        ),
        (
            "only when csm)",
            14,
            "expected `and`, `or` or the end of the rule, found `)`",
        ),
        (
            "only when service teams",
            19,
            "expected `(` and service names after `service`, found `teams`",
        ),
        (
            "only when service(teams",
            24,
            "expected `,` or `)` to close the `service(` at column 11, found the end of the rule",
        ),
        (
            "only when service(teams,)",
            25,
            "expected a service name, found `)`",
        ),
        (
            "only when service()",
            19,
            "expected a service name, found `)`",
        ),
        (
            "only when seats 20000",
            17,
            "expected a comparison (`<`, `<=`, `>`, `>=` or `=`) after `seats`, found `20000`",
        ),
        (
            "only when seats >= lots",
            20,
            "expected a whole number of seats, found `lots`",
        ),
        (
            "only when seats >= 20,000",
            22,
            "expected `and`, `or` or the end of the rule, found `,`",
        ),
        (
            "only when seats => 5",
            18,
            "expected a whole number of seats, found `>`",
        ),
        (
            "  skip when écoles",
            13,
            "unknown condition `écoles`: expected `csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`",
        ),
    ];
    for (line, col, message) in cases {
        let out = run(&page(None, Some(line), None));
        assert_eq!(
            heads(&out),
            vec![format!("p.md:18:{col}: error[rule-syntax]: {message}")],
            "{line}"
        );
        assert!(out.playbook.rules.is_empty(), "{line}");
    }
    // The column counts characters, and the rendering shows the line with a caret under it.
    let out = run(&page(None, Some("skip when ünknown"), None));
    assert_eq!(
        out.diagnostics[0].render(None),
        "p.md:18:11: error[rule-syntax]: unknown condition `ünknown`: expected `csm`, `enterprise`, `adoption-benefit`, `service(...)`, `seats`, `not` or `(`\n18 | skip when ünknown\n   |           ^\n"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = |n: usize| format!("only when {}csm{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(one(&deep(31)).when, Condition::Csm);
    let out = run(&page(None, Some(&deep(100_000)), None));
    assert_eq!(
        heads(&out),
        vec!["p.md:18:43: error[rule-syntax]: the condition is nested more than 32 levels deep"]
    );
    let nots = format!("skip when {}csm", "not ".repeat(50_000));
    let out = run(&page(None, Some(&nots), None));
    assert_eq!(out.errors(), 1);
    assert_eq!(out.diagnostics[0].col, 11 + 4 * 32);
}

#[test]
fn a_bad_line_does_not_stop_the_next_ones() {
    let out = run(&page(
        None,
        Some("only when csm\nonly when\nskip when enterprise"),
        None,
    ));
    assert_eq!(out.errors(), 1);
    assert_eq!(out.diagnostics[0].line, 19);
    assert_eq!(out.playbook.rules.len(), 2);
}

#[test]
fn unknown_services_are_reported_at_each_name() {
    let out = run(&page(
        None,
        Some("only when csm and service(teams, Lotus Notes, Outlook Mobile, gopher)"),
        None,
    ));
    assert_eq!(
        heads(&out),
        vec![
            "p.md:18:34: error[rule-unknown-service]: unknown service `Lotus Notes`: use a service key such as `outlook-mobile` or a name from the service catalogue",
            "p.md:18:63: error[rule-unknown-service]: unknown service `gopher`: use a service key such as `outlook-mobile` or a name from the service catalogue",
        ]
    );
    assert!(out.playbook.rules.is_empty());
}

#[test]
fn unknown_task_ids_are_reported_and_left_out() {
    let out = run(&page(Some("skip 1001, 4242, 1003 when csm"), None, None));
    assert_eq!(
        heads(&out),
        vec![
            "p.md:6:12: error[rule-unknown-task]: task 4242 is not a task of the playbook (in `en`)"
        ]
    );
    assert_eq!(out.playbook.rules[0].tasks, vec![1001, 1003]);
    // A rule whose every ID is unknown is dropped.
    let out = run(&page(Some("skip 4242 when csm"), None, None));
    assert_eq!(out.errors(), 1);
    assert!(out.playbook.rules.is_empty());
    // An ID from another page of the playbook is known.
    let other = format!(
        "# Other\n\nPhase: **Assess**\n\n## Approach\n\n### S\n\n{TABLE_HEAD}| 4242 | Xylo | M | SME | Exchange |\n"
    );
    let text = page(Some("skip 4242 when csm"), None, None);
    let out = compile(
        &[
            Source::new("en", "p.md", &text),
            Source::new("en", "q.md", &other),
        ],
        &Options::default(),
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.playbook.rules[0].tasks, vec![4242]);
}

#[test]
fn a_rule_without_ids_and_without_tasks_is_a_warning() {
    let out = run(&page(None, None, Some("only when csm")));
    assert_eq!(
        heads(&out),
        vec![
            "p.md:39:1: warning[rule-no-tasks]: this rule names no task IDs and its step `Third` has no tasks; it applies to nothing"
        ]
    );
    assert_eq!(out.diagnostics[0].severity, Severity::Warning);
    assert!(out.playbook.rules.is_empty());
    // With IDs it is fine there.
    let out = run(&page(None, None, Some("only 1003 when csm")));
    assert!(out.diagnostics.is_empty());
    assert_eq!(out.playbook.rules[0].tasks, vec![1003]);
    // A page without tasks.
    let out = run("# Guide\n\n```ftop-rules\n  skip when csm\n```\n\nText.\n");
    assert_eq!(
        heads(&out),
        vec![
            "p.md:4:3: warning[rule-no-tasks]: this rule names no task IDs and its page has no tasks; it applies to nothing"
        ]
    );
}

#[test]
fn an_unclosed_block_is_an_error_at_its_opening_fence_and_the_page_still_compiles() {
    let text =
        page(None, None, None).replace("Do it.\n", "Do it.\n\n  ```ftop-rules\nonly when csm\n");
    let out = run(&text);
    assert_eq!(
        heads(&out),
        vec![
            "p.md:17:3: error[rule-syntax]: this `ftop-rules` block is not closed; add a closing fence (```) after its last rule"
        ]
    );
    assert!(out.playbook.rules.is_empty());
    assert_eq!(out.playbook.tasks.len(), 3);
}

#[test]
fn rules_of_translations_and_untranslated_copies_are_ignored() {
    let en = page(Some("skip when adoption-benefit"), None, None);
    let es = "# Inicio\n\nFase: **Iniciar**\n\n```ftop-rules\nskip when adoption-benefit\nonly 9999 when nonsense\n```\n\n## Enfoque\n\n### Primero\n\n\
              Rol principal: **Administrador de FastTrack**\n\n\
              | Id. de tarea | Nombre de la tarea | (O)bligatorio / (O)pcional | Rol de FastTrack | Servicios |\n| --- | --- | --- | --- | --- |\n\
              | 1001 | Uno | O | Administrador de FastTrack | Teams |\n";
    // An English page left among the Spanish ones.
    let stray = page(Some("not-required when csm"), None, None).replace(
        "Why.",
        "This page was copied from the English playbook and has not been translated yet. \
         The customer and the team review the plan together, and the team records what is \
         still open before the next milestone so that the work keeps moving. When all of \
         the steps are done, the team moves on to the next process of the playbook.",
    );
    let out = compile(
        &[
            Source::new("playbook", "en/p.md", &en),
            Source::new("playbook", "es/p.md", es),
            Source::new("playbook", "es/q.md", &stray),
        ],
        &Options::default(),
    );
    assert!(
        out.diagnostics.iter().all(|d| !d.code.starts_with("rule-")),
        "{:?}",
        out.diagnostics
    );
    assert!(out.playbook.pages[2].stray);
    assert_eq!(out.playbook.rules.len(), 1);
    assert_eq!(out.playbook.rules[0].span.file, "en/p.md");
    assert_eq!(out.playbook.rules[0].action, RuleAction::Skip);
}

#[test]
fn rules_serialise_with_kebab_case_and_tagged_conditions() {
    let r = one("not-required 1001 when csm and not seats < 500 or service(teams)");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "action": "not-required",
            "tasks": [1001],
            "when": {"kind": "any", "of": [
                {"kind": "all", "of": [
                    {"kind": "csm"},
                    {"kind": "not", "inner": {"kind": "seats", "op": "lt", "value": 500}}
                ]},
                {"kind": "service", "any_of": ["teams"]}
            ]},
            "text": "not-required 1001 when csm and not seats < 500 or service(teams)",
            "span": {"file": "p.md", "line": 6}
        })
    );
    let out = run(&page(Some("skip when adoption-benefit"), None, None));
    let pb = serde_json::to_value(&out.playbook).unwrap();
    assert_eq!(pb["rules"][0]["when"]["kind"], "adoption-benefit");
}

/// The bundled English playbook, read from the repository.
fn bundled() -> Compilation {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook/en");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    let sources: Vec<Source<'_>> = files.iter().map(|(p, t)| Source::new("en", p, t)).collect();
    compile(&sources, &Options::default())
}

#[test]
fn the_bundled_playbook_carries_the_program_rules() {
    let out = bundled();
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let rules: Vec<(&str, &RuleAction, &[u32], &Condition)> = out
        .playbook
        .rules
        .iter()
        .map(|r| (r.span.file.as_str(), &r.action, r.tasks.as_slice(), &r.when))
        .collect();
    let enterprise = &Condition::Enterprise;
    let hand_off = Condition::All {
        of: vec![Condition::Csm, svc(&["outlook-mobile", "teams", "yammer"])],
    };
    assert_eq!(
        rules,
        vec![
            // 3. The adoption and change management conversation, skipped for the benefit.
            (
                "assess-conduct-adoption-change-management-conversation.md",
                &RuleAction::Skip,
                &[3278, 3718, 3734, 3737, 3738, 3991, 4047, 4094][..],
                &Condition::AdoptionBenefit
            ),
            // 2. The Enterprise Additional Benefit steps of Assess, Enable and Remediate.
            (
                "assess-conduct-services-workshops.md",
                &RuleAction::Only,
                &[
                    3202, 3203, 3204, 3205, 3236, 3242, 3342, 3352, 3365, 3380, 4035, 4036, 4061,
                    4062, 4063, 4090, 4091, 4092
                ][..],
                enterprise
            ),
            (
                "enable-enable-services.md",
                &RuleAction::Only,
                &[3212, 3213, 3238, 3241, 3243, 4037][..],
                enterprise
            ),
            (
                "remediate-address-technical-gaps.md",
                &RuleAction::Only,
                &[3208, 3209, 3358][..],
                enterprise
            ),
            // 1. The hand-off to the customer success manager.
            (
                "success-support-success-execution.md",
                &RuleAction::Only,
                &[3731, 3732, 3733][..],
                &hand_off
            ),
            // ...and with it the two follow-up steps are Not Required.
            (
                "success-support-success-execution.md",
                &RuleAction::NotRequired,
                &[9001][..],
                &hand_off
            ),
            (
                "success-support-success-execution.md",
                &RuleAction::NotRequired,
                &[9002][..],
                &hand_off
            ),
        ]
    );
}
