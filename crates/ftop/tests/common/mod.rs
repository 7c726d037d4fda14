//! Helpers shared by the CLI tests: run the built `ftop` binary, find `../shared/corpus`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// `../shared/corpus` beside the repository. The corpus is part of the test set-up (CI puts
/// `shared/` there); a missing corpus fails the test with a message rather than skipping it.
pub(crate) fn corpus() -> PathBuf {
    let c = repo().join("../shared/corpus");
    assert!(
        c.join("playbook/english").is_dir(),
        "the shared corpus is missing: expected {} (clone the project beside `shared/`)",
        c.display()
    );
    c
}

/// Runs `ftop` with `args` and returns its output.
pub(crate) fn ftop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftop"))
        .args(args)
        .output()
        .expect("run ftop")
}

/// Runs `ftop` and parses its stdout as JSON.
pub(crate) fn ftop_json(args: &[&str]) -> serde_json::Value {
    let out = ftop(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "ftop {args:?} did not print JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
