//! Reads playbook pages from disk for the pure compiler: folders walked in path order,
//! Markdown pages as sources, other files as assets for link checks.

use anyhow::{Context, bail};
use ftop_playbook::Source;
use std::path::{Path, PathBuf};

/// A page read from disk.
#[derive(Debug, Clone)]
pub(crate) struct OwnedSource {
    /// Name of the folder given on the command line ("" for the bundled playbook).
    pub(crate) root: String,
    /// Path relative to that folder, `/`-separated.
    pub(crate) path: String,
    /// The path as the user would type it (for diagnostics); empty for bundled pages.
    pub(crate) display: String,
    /// The text (invalid UTF-8 replaced, and reported in `problems`).
    pub(crate) text: String,
}

/// Everything read for one command.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) sources: Vec<OwnedSource>,
    pub(crate) assets: Vec<(String, String)>,
    /// Problems found while reading (rendered like diagnostics, counted as errors).
    pub(crate) problems: Vec<String>,
}

impl Loaded {
    /// Borrowed sources for [`ftop_playbook::compile`].
    pub(crate) fn borrowed(&self) -> Vec<Source<'_>> {
        self.sources
            .iter()
            .map(|s| Source::new(&s.root, &s.path, &s.text))
            .collect()
    }

    /// How a diagnostic's file should be shown.
    pub(crate) fn display(&self, index: usize) -> Option<&str> {
        self.sources
            .get(index)
            .map(|s| s.display.as_str())
            .filter(|d| !d.is_empty())
    }
}

fn is_page(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

/// Reads every PATH: a folder is walked recursively, a file is read as one page.
pub(crate) fn load(paths: &[PathBuf]) -> anyhow::Result<Loaded> {
    let mut out = Loaded::default();
    for given in paths {
        let meta = std::fs::metadata(given)
            .with_context(|| format!("cannot read `{}`", given.display()))?;
        if meta.is_dir() {
            let root = given
                .canonicalize()
                .ok()
                .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            let mut files = Vec::new();
            walk(given, &mut files, 0)?;
            files.sort();
            for f in files {
                let rel = f
                    .strip_prefix(given)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                if is_page(&f) {
                    read_page(&mut out, &root, rel, &f)?;
                } else {
                    out.assets.push((root.clone(), rel));
                }
            }
        } else if is_page(given) {
            let root = given
                .canonicalize()
                .ok()
                .and_then(|c| {
                    c.parent()
                        .and_then(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                })
                .unwrap_or_default();
            let rel = given
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            read_page(&mut out, &root, rel, given)?;
        } else {
            bail!(
                "`{}` is neither a folder nor a Markdown page (.md)",
                given.display()
            );
        }
    }
    Ok(out)
}

fn read_page(out: &mut Loaded, root: &str, rel: String, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read `{}`", file.display()))?;
    let display = file.display().to_string();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            out.problems.push(format!(
                "{display}:{line}:1: error[encoding]: the page is not valid UTF-8; invalid bytes were replaced by U+FFFD"
            ));
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    out.sources.push(OwnedSource {
        root: root.to_string(),
        path: rel,
        display,
        text,
    });
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> anyhow::Result<()> {
    if depth > 32 {
        bail!("`{}`: folders nested deeper than 32 levels", dir.display());
    }
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let ft = entry.file_type()?;
        if ft.is_dir() {
            walk(&entry.path(), out, depth + 1)?;
        } else if ft.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}
