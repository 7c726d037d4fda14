//! The log lines of a whole test binary, captured by one global subscriber (INFO and
//! above). Tests find their own lines by what only they log (a request ID, a reference).
//!
//! Global, not per thread: a subscriber set for one thread (`set_default`) raced with tests
//! on other threads registering the same log call sites, and lost lines now and then.

use std::sync::{Arc, Mutex, OnceLock};

/// Everything logged so far.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// The lines logged so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The binary's log, capturing from the first call on.
pub(crate) fn capture() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let me = log.clone();
        let sub = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || me.clone())
            .finish();
        tracing::subscriber::set_global_default(sub).expect("the only global subscriber");
        log
    })
    .clone()
}
