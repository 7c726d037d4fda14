//! Headless Debian Chromium driven through chromedriver, for the browser tests (included
//! by them with `#[path]`, so the other tests do not build fantoccini's client).

use super::{Kill, free_port, wait_for};
use fantoccini::{Client, ClientBuilder};
use std::process::{Command, Stdio};

/// A browser session: the WebDriver client, with the chromedriver process and the
/// throwaway profile it needs kept alive as long as it is.
pub(crate) struct Browser {
    pub(crate) c: Client,
    pub(crate) _driver: Kill,
    pub(crate) _profile: tempfile::TempDir,
}

/// Ends the browser session, also when a step fails (else Chromium outlives chromedriver).
/// The tests run on tokio's multi-threaded runtime.
impl Drop for Browser {
    fn drop(&mut self) {
        let c = self.c.clone();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                let _ = tokio::time::timeout(std::time::Duration::from_secs(10), c.close()).await;
            })
        });
    }
}

/// Starts chromedriver on a free port and a headless Chromium through it, with the flags
/// this machine's closed network needs (no background connections, no QUIC) and an
/// English UI in a 1400x1000 window.
pub(crate) async fn start(chromium: &str, driver: &str) -> Browser {
    let dport = free_port();
    let driver = Kill(
        Command::new(driver)
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(dport);
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,1000", format!("--user-data-dir={}", profile.path().display()), "--lang=en-US"]
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{dport}"))
        .await
        .expect("connect to chromedriver");
    Browser {
        c,
        _driver: driver,
        _profile: profile,
    }
}

/// The first of `names` that exists.
fn find(names: &[&str]) -> Option<String> {
    names
        .iter()
        .map(|n| n.to_string())
        .find(|p| std::path::Path::new(p).exists())
}

/// Chromium and chromedriver; None, saying why, when they are missing and the browser
/// tests may skip (not with FTOP_REQUIRE_BROWSER=1, as in CI).
pub(crate) fn browser() -> Option<(String, String)> {
    let found = (
        find(&[
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ]),
        find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]),
    );
    if let (Some(c), Some(d)) = found {
        return Some((c, d));
    }
    assert!(
        !std::env::var("FTOP_REQUIRE_BROWSER").is_ok_and(|v| v == "1"),
        "a browser is required here (FTOP_REQUIRE_BROWSER=1): install chromium and chromium-driver"
    );
    eprintln!("SKIPPED (browser test): chromium or chromedriver is not installed");
    None
}
