//! Reads playbook pages from disk for the pure compiler: folders walked in path order,
//! Markdown pages as sources, other files as assets for link checks.
//!
//! Only regular files are read: a named pipe, socket or device is refused before it is
//! opened (reading a named pipe would wait for a writer forever). A page is read up to one
//! byte past the page size limit, so that the limit counts the bytes of the file and an
//! oversized file is never read whole.

use anyhow::{Context, bail};
use ftop_playbook::Source;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest page read from disk, in bytes of the file: the compiler's default page limit.
pub(crate) fn max_page_bytes() -> usize {
    ftop_playbook::Limits::default().max_file_bytes
}

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
            let mut special = Vec::new();
            walk(given, &mut files, &mut special, 0)?;
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
            // Pages that are named pipes, sockets or devices: reported, never opened.
            special.sort();
            for (f, kind) in special {
                out.problems.push(format!(
                    "{}:1:1: error[file-type]: not a regular file ({kind}); the page is not read",
                    f.display()
                ));
            }
        } else if !meta.is_file() {
            bail!(
                "`{}` is not a regular file ({}); pages are read only from regular files",
                given.display(),
                kind_of(&meta.file_type())
            );
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

/// What kind of file a non-regular, non-folder entry is, in words.
fn kind_of(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}

/// Opens `file` for reading without blocking on a named pipe (should a regular file have been
/// replaced by one since it was listed), and refuses anything but a regular file.
fn open_regular(file: &Path) -> anyhow::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts
        .open(file)
        .with_context(|| format!("cannot read `{}`", file.display()))?;
    let ft = f
        .metadata()
        .with_context(|| format!("cannot read `{}`", file.display()))?
        .file_type();
    if !ft.is_file() {
        bail!(
            "`{}` is not a regular file ({}); pages are read only from regular files",
            file.display(),
            kind_of(&ft)
        );
    }
    Ok(f)
}

fn read_page(out: &mut Loaded, root: &str, rel: String, file: &Path) -> anyhow::Result<()> {
    let limit = max_page_bytes();
    let mut bytes = Vec::new();
    open_regular(file)?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read `{}`", file.display()))?;
    let display = file.display().to_string();
    if bytes.len() > limit {
        out.problems.push(format!(
            "{display}:1:1: error[limit-file-size]: the page is larger than the limit of {limit} bytes; it is not compiled"
        ));
        return Ok(());
    }
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

/// Lists the regular files under `dir` into `out`, and the pages (by name) that are named
/// pipes, sockets or devices into `special`. Symbolic links are not followed.
fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    special: &mut Vec<(PathBuf, &'static str)>,
    depth: usize,
) -> anyhow::Result<()> {
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
            walk(&entry.path(), out, special, depth + 1)?;
        } else if ft.is_file() {
            out.push(entry.path());
        } else if !ft.is_symlink() && is_page(&entry.path()) {
            special.push((entry.path(), kind_of(&ft)));
        }
    }
    Ok(())
}
