//! The playbook that ships inside the binary: `playbook/{en,es,zh}` at the repository root.

use crate::load::{Loaded, OwnedSource};
use include_dir::{Dir, include_dir};

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../playbook");

/// The bundled playbook's pages, in path order, under the root name `bundled`.
pub(crate) fn sources() -> Loaded {
    let mut files = Vec::new();
    collect(&BUNDLED, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Loaded {
        sources: files,
        assets: Vec::new(),
        problems: Vec::new(),
    }
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<OwnedSource>) {
    for f in dir.files() {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if path.ends_with(".md") {
            out.push(OwnedSource {
                root: String::new(),
                path,
                display: String::new(),
                text: String::from_utf8_lossy(f.contents()).into_owned(),
            });
        }
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}
