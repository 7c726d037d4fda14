//! Helpers shared by the CLI tests: run the built `ftop` binary, find `../shared/corpus`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

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

/// A child process (a running `ftop serve`) killed and reaped when the test ends.
pub(crate) struct Kill(pub(crate) Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free TCP port on 127.0.0.1.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (at most 60 s) until something listens on `port` of 127.0.0.1.
pub(crate) fn wait_for(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
