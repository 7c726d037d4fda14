//! Opening CSV files whose records are numbered by the line they start on (see
//! [`ftop_store::csv_lines`], shared with the web's uploads).

use anyhow::Context;
use ftop_store::csv_lines::LineEnds;
pub(crate) use ftop_store::csv_lines::record_line;
use std::path::Path;

/// Opens `file` for a CSV reader built by `builder`, refusing lines longer than the
/// `import_line` limit.
pub(crate) fn csv_reader(
    builder: &csv::ReaderBuilder,
    file: &Path,
) -> anyhow::Result<csv::Reader<LineEnds<std::fs::File>>> {
    let f = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(builder.from_reader(LineEnds::new(f).max_line(ftop_domain::limits::IMPORT_LINE.max)))
}
