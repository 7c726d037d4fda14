//! What the web tests share: the bundled English playbook as sources to load.

#![allow(clippy::unwrap_used, dead_code)]

use ftop_store::PlaybookSource;
use std::path::Path;

/// The bundled English playbook's pages, in path order.
pub(crate) fn sources() -> Vec<PlaybookSource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook/en");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| PlaybookSource {
            root: String::new(),
            path: format!("en/{}", f.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&f).unwrap(),
        })
        .collect()
}
