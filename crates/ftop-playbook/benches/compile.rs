//! Benchmark B1: compile a generated ~10 MB playbook and, in the same run, parse the same
//! bytes with bare pulldown-cmark (the floor). Prints medians and the ratio.
//!
//! Run: `cargo bench -p ftop-playbook --bench compile` (add `-- --mb 50 --runs 21` to change
//! size and repetitions).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test and tool code: a panic is the failure report

use ftop_playbook::{Options, Source, compile};

// The allocator the `ftop` binary ships with, so the figures are those of the product.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};

const PHASES: &[&str] = &[
    "Initiate",
    "Assess",
    "Remediate",
    "Enable",
    "Migrate",
    "Success",
];
const ROLES: &[&str] = &[
    "FastTrack Manager",
    "FastTrack Engineer",
    "SME",
    "Migration Velocity Manager",
];
const SERVICES: &[&str] = &[
    "Exchange",
    "SharePoint",
    "OneDrive for Business",
    "Teams",
    "Intune",
    "Core Onboarding",
    "All Services",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next() % v.len()]
    }
}

/// A deterministic playbook of `bytes` bytes or a little more: process pages with front
/// matter, labels, steps, task tables, links and a change history.
fn generate(bytes: usize) -> Vec<(String, String)> {
    let mut rng = Rng(42);
    let mut pages = Vec::new();
    let mut total = 0;
    let mut id = 1000;
    let words = "the customer team reviews each workload plan and records what remains open before the next milestone so that adoption keeps moving";
    let w: Vec<&str> = words.split(' ').collect();
    while total < bytes {
        let n = pages.len();
        let phase = PHASES[n % PHASES.len()];
        let mut s = String::with_capacity(6000);
        s.push_str(&format!("---\ntitle: Process {n}\ndescription: Generated process {n}\nupdated: 2026-01-{:02}\n---\n\n", n % 28 + 1));
        s.push_str(&format!("# Process {n}\n\nPhase: **{phase}**\nMotions: **Customer Health / RFA / Targeting**\n\n## Overview\n\n"));
        for _ in 0..60 {
            s.push_str(rng.pick(&w));
            s.push(' ');
        }
        s.push_str("\n\n## Objectives\n\n");
        for _ in 0..4 {
            s.push_str(&format!(
                "- {} the {} **{}** plan\n",
                rng.pick(&w),
                rng.pick(&w),
                rng.pick(&w)
            ));
        }
        s.push_str("\n## Approach\n\n");
        for step in 0..3 {
            s.push_str(&format!(
                "### Step {step} of process {n}\n\nPrimary Role: **{}**\nMotions: **RFA**\nApplies To: **{} / {}**\n\n",
                rng.pick(ROLES),
                rng.pick(SERVICES),
                rng.pick(SERVICES)
            ));
            for _ in 0..40 {
                s.push_str(rng.pick(&w));
                s.push(' ');
            }
            s.push_str(&format!(
                "See [the next process](p{:05}.md) for details.\n\n#### FTOP Tasks\n\n",
                (n + 1) % 100_000
            ));
            s.push_str("| Task ID | Task Name | (M)andatory / (O)ptional | FastTrack Role | Services |\n| ------- | --------- | :----: | ---- | ---- |\n");
            for _ in 0..5 {
                id += 1;
                s.push_str(&format!(
                    "| {id} | {} {} {} task | {} | {} | {} / {} |\n",
                    rng.pick(&w),
                    rng.pick(&w),
                    rng.pick(&w),
                    if rng.next().is_multiple_of(2) {
                        "M"
                    } else {
                        "O"
                    },
                    rng.pick(ROLES),
                    rng.pick(SERVICES),
                    rng.pick(SERVICES)
                ));
            }
            s.push('\n');
        }
        s.push_str("## Key Inputs\n\n- Signed contract\n- Tenant details\n\n## Key Outputs\n\n- Plan agreed\n\n");
        s.push_str(&format!(
            "## Next Steps\n\n- [Process {}](p{:05}.md): when the plan is agreed.\n\n",
            n + 1,
            n + 1
        ));
        s.push_str("## Refresh Summary\n\n| Date | Who Changed | What Changed |\n| --- | --- | --- |\n| 1/31/2020 | Author | Added tasks |\n| 2026-01-02 | Author | Reviewed |\n");
        total += s.len();
        pages.push((format!("p{n:05}.md"), s));
    }
    // Every link points to an existing page: the last page's "next" wraps to the first.
    let last = pages.len();
    if let Some((_, s)) = pages.last_mut() {
        *s = s
            .replace(&format!("p{last:05}.md"), "p00000.md")
            .replace(&format!("p{:05}.md", last % 100_000), "p00000.md");
    }
    pages
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let mb = arg("--mb", 10);
    let runs = arg("--runs", 11);
    let pages = generate(mb << 20);
    let bytes: usize = pages.iter().map(|(_, s)| s.len()).sum();
    let sources: Vec<Source<'_>> = pages
        .iter()
        .map(|(p, s)| Source::new("bench", p, s))
        .collect();
    let opts = Options::default();

    let check = compile(&sources, &opts);
    assert_eq!(check.errors(), 0, "{:?}", check.diagnostics.first());
    let tasks = check.playbook.tasks.len();
    let links_warned = check.diagnostics.len();

    let mut parse = Vec::with_capacity(runs);
    let mut full = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let mut events = 0usize;
        for (_, s) in &pages {
            events +=
                pulldown_cmark::Parser::new_ext(s, pulldown_cmark::Options::ENABLE_TABLES).count();
        }
        parse.push(t.elapsed());
        std::hint::black_box(events);

        let t = Instant::now();
        let out = compile(&sources, &opts);
        full.push(t.elapsed());
        std::hint::black_box(out.playbook.tasks.len());
    }
    let (p, c) = (median(parse), median(full));
    println!(
        "input: {} pages, {:.1} MB, {tasks} tasks, {links_warned} diagnostics",
        pages.len(),
        bytes as f64 / 1048576.0
    );
    println!(
        "pulldown-cmark parse (floor): median {:.1} ms ({:.0} MB/s) over {runs} runs",
        p.as_secs_f64() * 1e3,
        bytes as f64 / 1048576.0 / p.as_secs_f64()
    );
    println!(
        "ftop compile:                 median {:.1} ms ({:.0} MB/s) over {runs} runs",
        c.as_secs_f64() * 1e3,
        bytes as f64 / 1048576.0 / c.as_secs_f64()
    );
    println!(
        "ratio compile / parse: {:.2} (target <= 3.0); compile <= 500 ms: {}",
        c.as_secs_f64() / p.as_secs_f64(),
        c.as_millis() <= 500
    );
}
