//! Unresolved merge-conflict markers: the first side is kept, the second ignored, with one
//! `merge-conflict` warning per block, also when the block sits inside a task table.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

use ftop_playbook::{Compilation, Options, Severity, Source, compile};

const TABLE_HEAD: &str = "| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n| --- | --- | --- | --- | --- |\n";

fn row(id: u32, name: &str) -> String {
    format!("| {id} | {name} | M | FastTrack Manager | Teams |\n")
}

fn run(text: &str) -> Compilation {
    compile(&[Source::new("en", "p.md", text)], &Options::default())
}

fn task_ids(out: &Compilation) -> Vec<String> {
    out.playbook.tasks.iter().map(|t| t.id.clone()).collect()
}

fn page(table: &str) -> String {
    format!(
        "# Kickoff\n\nPhase: **Initiate**\n\n## Approach\n\n### First\n\n\
         Primary Role: **FastTrack Manager**\n\nDo it.\n\n{table}\n## Next Steps\n\n- None.\n"
    )
}

#[test]
fn conflict_inside_a_task_table_keeps_the_first_side_and_the_rows_after_it() {
    let table = format!(
        "{TABLE_HEAD}{}{}<<<<<<< HEAD\n{}{}=======\n{}{}>>>>>>> other-branch\n{}{}",
        row(1001, "Before one"),
        row(1002, "Before two"),
        row(1003, "Ours one"),
        row(1004, "Ours two"),
        row(1005, "Theirs one"),
        row(1006, "Theirs two"),
        row(1007, "After one"),
        row(1008, "After two"),
    );
    let text = page(&table);
    let out = run(&text);
    assert_eq!(
        task_ids(&out),
        ["1001", "1002", "1003", "1004", "1007", "1008"],
        "diagnostics: {:?}",
        out.diagnostics
    );
    for dropped in ["1005", "1006"] {
        assert!(!task_ids(&out).iter().any(|id| id == dropped), "{dropped}");
    }
    // One warning, on the `<<<<<<<` line, and nothing else.
    let conflict_line = text.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(d.code, "merge-conflict");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.line as usize, conflict_line);
    // Rows keep their own line numbers.
    let after = out.playbook.tasks.iter().find(|t| t.id == "1007").unwrap();
    let after_line = text.lines().position(|l| l.contains("| 1007 |")).unwrap() + 1;
    assert_eq!(after.line as usize, after_line);
}

#[test]
fn conflict_right_after_the_separator_keeps_the_first_side() {
    let table = format!(
        "{TABLE_HEAD}<<<<<<< HEAD\n{}=======\n{}{}>>>>>>> other-branch\n{}",
        row(2001, "Ours"),
        row(2002, "Theirs one"),
        row(2003, "Theirs two"),
        row(2004, "After"),
    );
    let out = run(&page(&table));
    assert_eq!(task_ids(&out), ["2001", "2004"], "{:?}", out.diagnostics);
    assert_eq!(out.warnings(), 1, "{:?}", out.diagnostics);
    assert_eq!(out.errors(), 0, "{:?}", out.diagnostics);
}

#[test]
fn conflict_with_an_empty_first_side_keeps_only_the_rows_after_it() {
    let table = format!(
        "{TABLE_HEAD}{}<<<<<<< HEAD\n=======\n{}>>>>>>> other-branch\n{}",
        row(3001, "Before"),
        row(3002, "Theirs"),
        row(3003, "After"),
    );
    let out = run(&page(&table));
    assert_eq!(task_ids(&out), ["3001", "3003"], "{:?}", out.diagnostics);
    assert_eq!(out.warnings(), 1, "{:?}", out.diagnostics);
}

#[test]
fn conflict_around_whole_tables_still_keeps_the_first_side() {
    let text = page(&format!(
        "<<<<<<< HEAD\n{TABLE_HEAD}{}=======\n{TABLE_HEAD}{}>>>>>>> other-branch\n",
        row(4001, "Ours"),
        row(4002, "Theirs"),
    ));
    let out = run(&text);
    assert_eq!(task_ids(&out), ["4001"], "{:?}", out.diagnostics);
    assert_eq!(out.warnings(), 1, "{:?}", out.diagnostics);
}
