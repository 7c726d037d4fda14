//! Compiles every file of a folder (for example a fuzzing corpus) as one page and reports the
//! slowest, so that "no input of 64 KB or less takes over 100 ms" can be checked after fuzzing.
//!
//! Run: `cargo run --release -p ftop-playbook --example replay -- fuzz/corpus/compile_page`

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

use ftop_playbook::{Options, Source, compile};
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: replay DIR");
    let mut slowest = (Duration::ZERO, String::new(), 0usize);
    let mut count = 0;
    let mut largest = 0;
    for entry in std::fs::read_dir(&dir).expect("readable folder") {
        let path = entry.expect("entry").path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.len() > 65_536 {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let start = Instant::now();
        let out = compile(&[Source::new("", "page.md", &text)], &Options::default());
        let took = start.elapsed();
        std::hint::black_box(out.playbook.tasks.len());
        count += 1;
        largest = largest.max(bytes.len());
        if took > slowest.0 {
            slowest = (took, path.display().to_string(), bytes.len());
        }
    }
    println!(
        "{count} inputs (largest {largest} bytes); slowest {:.2} ms: {} ({} bytes)",
        slowest.0.as_secs_f64() * 1e3,
        slowest.1,
        slowest.2
    );
    if slowest.0 > Duration::from_millis(100) {
        eprintln!("FAIL: an input of 64 KB or less took over 100 ms");
        std::process::exit(1);
    }
}
