//! axe-core (the npm package in `tests/axe`, installed by `scripts/test` with `npm ci`)
//! injected into the page a browser test has open, to list its serious and critical
//! accessibility violations.

use fantoccini::Client;
use std::path::PathBuf;

/// axe-core's source, read once.
pub(crate) struct Axe {
    source: String,
}

impl Axe {
    /// Reads `tests/axe/node_modules/axe-core/axe.min.js`; when it is missing, None saying
    /// how to install it, or a failure where the browser tests must run
    /// (FTOP_REQUIRE_BROWSER=1, as in CI).
    pub(crate) fn load() -> Option<Axe> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/axe/node_modules/axe-core/axe.min.js");
        match std::fs::read_to_string(&path) {
            Ok(source) => Some(Axe { source }),
            Err(e) => {
                let why = format!(
                    "axe-core is missing at {} ({e}): run `npm ci --prefix tests/axe`",
                    path.display()
                );
                assert!(
                    !std::env::var("FTOP_REQUIRE_BROWSER").is_ok_and(|v| v == "1"),
                    "{why}"
                );
                eprintln!("SKIPPED (accessibility test): {why}");
                None
            }
        }
    }

    /// The serious and critical violations of the page open in `c`, one line each: the
    /// rule, its impact, what it asks, and up to three elements at fault.
    pub(crate) async fn violations(&self, c: &Client) -> Vec<String> {
        c.execute(&format!("{}\nreturn typeof axe;", self.source), vec![])
            .await
            .expect("axe-core loads in the page");
        let found = c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ["violations"] })
                  .then(r => done(r.violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => v.id + " (" + v.impact + "): " + v.help + " at "
                      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))))
                  .catch(e => done(["axe-core failed: " + e]));"#,
                vec![],
            )
            .await
            .expect("axe-core runs");
        serde_json::from_value(found).expect("a list of violations")
    }
}
