//! Fuzz target: any bytes, as one page or as a page and its translation, compile without
//! panicking. Run: `cargo +nightly fuzz run compile_page -- -max_len=65536 -max_total_time=600`.
#![no_main]

use ftop_playbook::{Options, Source, compile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = compile(&[Source::new("", "page.md", &text)], &Options::default());
    std::hint::black_box(out.playbook.tasks.len());
    let out = compile(&[Source::new("english", "a.md", &text), Source::new("spanish", "a-es.md", &text)], &Options::default());
    std::hint::black_box(out.diagnostics.len());
});
