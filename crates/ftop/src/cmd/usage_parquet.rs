//! Usage figures from a Parquet file (`ftop usage import FILE.parquet`): the same four
//! columns as the CSV (`tenant_id`, `service`, `date`, `active_users`, found by name; other
//! columns are ignored and never read), each turned into the text the CSV would hold so that
//! one importer validates both. Dates may be Parquet DATE or timestamp columns or
//! `YYYY-MM-DD` strings; counts any integer type. Uncompressed, Snappy, gzip, Brotli, LZ4
//! (Hadoop framing and raw) and Zstandard files are read.
//!
//! Limits, checked from the file's footer before any row group is read: at most
//! [`MAX_COLUMNS`] columns and [`MAX_METADATA_BYTES`] of metadata. Only the four usage
//! columns are decoded (a projection), so memory does not grow with the other columns.

use anyhow::{Context, bail};
use parquet::file::FOOTER_SIZE;
use parquet::file::metadata::{FooterTail, ParquetMetaDataReader};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::reader::RowIter;
use parquet::record::{Field, Row};
use parquet::schema::types::Type;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

/// Most columns (leaf columns of the schema) a Parquet usage file may have.
pub(crate) const MAX_COLUMNS: usize = 256;

/// Largest footer metadata (schema and row-group descriptions) of a Parquet usage file.
pub(crate) const MAX_METADATA_BYTES: usize = 16 << 20;

/// The rows of a Parquet usage file.
pub(crate) struct ParquetRows {
    rows: RowIter<'static>,
    /// Rows in the file (for the progress bar).
    pub(crate) total: u64,
}

/// Reads the footer of `file` and refuses it, before anything else is decoded, when it has
/// more metadata than [`MAX_METADATA_BYTES`] or more columns than [`MAX_COLUMNS`].
fn check_footer(file: &mut std::fs::File, path: &Path) -> anyhow::Result<()> {
    let unreadable = || format!("{}: not a readable Parquet file", path.display());
    let len = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if len < FOOTER_SIZE as u64 {
        bail!("{}", unreadable());
    }
    let mut tail = [0u8; FOOTER_SIZE];
    file.seek(SeekFrom::End(-(FOOTER_SIZE as i64)))
        .and_then(|_| file.read_exact(&mut tail))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let tail = FooterTail::try_new(&tail).with_context(unreadable)?;
    if tail.is_encrypted_footer() {
        bail!("{}: encrypted Parquet files are not read", path.display());
    }
    let meta_len = tail.metadata_length();
    if meta_len > MAX_METADATA_BYTES {
        bail!(
            "{}: the file's metadata is {meta_len} bytes, more than the limit of {MAX_METADATA_BYTES} bytes",
            path.display()
        );
    }
    let start = len
        .checked_sub((FOOTER_SIZE + meta_len) as u64)
        .with_context(unreadable)?;
    let mut buf = vec![0u8; meta_len];
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.read_exact(&mut buf))
        .with_context(|| format!("cannot read {}", path.display()))?;
    // The schema alone (not the row groups' descriptions).
    let schema = ParquetMetaDataReader::decode_schema(&buf).with_context(unreadable)?;
    let columns = schema.num_columns();
    if columns > MAX_COLUMNS {
        bail!(
            "{}: the file has {columns} columns, more than the limit of {MAX_COLUMNS}; \
             write only the usage columns ({})",
            path.display(),
            ftop_domain::adoption::USAGE_COLUMNS.join(",")
        );
    }
    Ok(())
}

/// Opens `path`, checks its limits and finds the four columns.
pub(crate) fn open(path: &Path) -> anyhow::Result<ParquetRows> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    check_footer(&mut file, path)?;
    let reader = SerializedFileReader::new(file)
        .with_context(|| format!("{}: not a readable Parquet file", path.display()))?;
    let meta = reader.metadata().file_metadata();
    let total = u64::try_from(meta.num_rows()).unwrap_or(0);
    let root = meta.schema_descr().root_schema();
    let fields = root.get_fields();
    let columns = ftop_domain::adoption::usage_columns(fields.iter().map(|f| f.name().as_bytes()))
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    // Read only the four columns, in the order of USAGE_COLUMNS.
    let projection = Type::group_type_builder(root.name())
        .with_fields(columns.iter().map(|&i| Arc::clone(&fields[i])).collect())
        .build()
        .with_context(|| format!("{}: not a readable Parquet file", path.display()))?;
    let rows = RowIter::from_file_into(Box::new(reader))
        .project(Some(projection))
        .with_context(|| format!("{}: not a readable Parquet file", path.display()))?;
    Ok(ParquetRows { rows, total })
}

fn day(days: i64) -> String {
    let d = time::Date::from_julian_day(2_440_588 + i32::try_from(days).unwrap_or(i32::MAX / 2));
    d.map(|d| d.to_string())
        .unwrap_or_else(|_| format!("day {days}"))
}

/// A field as the CSV would spell it.
fn text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Date(d) => day(i64::from(*d)),
        Field::TimestampMillis(ms) => day(ms.div_euclid(86_400_000)),
        Field::TimestampMicros(us) => day(us.div_euclid(86_400_000_000)),
        Field::Byte(n) => n.to_string(),
        Field::Short(n) => n.to_string(),
        Field::Int(n) => n.to_string(),
        Field::Long(n) => n.to_string(),
        Field::UByte(n) => n.to_string(),
        Field::UShort(n) => n.to_string(),
        Field::UInt(n) => n.to_string(),
        Field::ULong(n) => n.to_string(),
        Field::Float(x) => x.to_string(),
        Field::Double(x) => x.to_string(),
        other => other.to_string(),
    }
}

/// The four fields of a projected row, in the order of the usage columns.
fn fields(row: &Row) -> [String; 4] {
    let mut out: [String; 4] = Default::default();
    for (slot, (_, f)) in out.iter_mut().zip(row.get_column_iter()) {
        *slot = text(f);
    }
    out
}

impl Iterator for ParquetRows {
    /// The row's number (from 1) and its four fields as text.
    type Item = anyhow::Result<[String; 4]>;

    fn next(&mut self) -> Option<Self::Item> {
        let row = self.rows.next()?;
        Some(row.map(|r| fields(&r)).context("unreadable Parquet row"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    /// Writes a usage file with the columns in another order and an extra one.
    fn write(path: &Path, rows: &[(&str, &str, i32, i64)]) {
        let schema = Arc::new(
            parse_message_type(
                "message usage { required int32 date (DATE); required binary service (UTF8);
                 required binary note (UTF8); required int64 active_users;
                 required binary tenant_id (UTF8); }",
            )
            .unwrap(),
        );
        let props = Arc::new(WriterProperties::builder().build());
        let mut w =
            SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
        let mut g = w.next_row_group().unwrap();
        let services: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.1)).collect();
        let notes: Vec<ByteArray> = rows.iter().map(|_| ByteArray::from("x")).collect();
        let tenants: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.0)).collect();
        let mut c = g.next_column().unwrap().unwrap();
        let dates: Vec<i32> = rows.iter().map(|r| r.2).collect();
        c.typed::<Int32Type>()
            .write_batch(&dates, None, None)
            .unwrap();
        c.close().unwrap();
        for values in [services, notes] {
            let mut c = g.next_column().unwrap().unwrap();
            c.typed::<ByteArrayType>()
                .write_batch(&values, None, None)
                .unwrap();
            c.close().unwrap();
        }
        let mut c = g.next_column().unwrap().unwrap();
        let counts: Vec<i64> = rows.iter().map(|r| r.3).collect();
        c.typed::<Int64Type>()
            .write_batch(&counts, None, None)
            .unwrap();
        c.close().unwrap();
        let mut c = g.next_column().unwrap().unwrap();
        c.typed::<ByteArrayType>()
            .write_batch(&tenants, None, None)
            .unwrap();
        c.close().unwrap();
        g.close().unwrap();
        w.close().unwrap();
    }

    #[test]
    fn rows_come_out_as_the_csv_would_spell_them() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("u.parquet");
        // 20,512 days after 1970-01-01 is 2026-02-28.
        write(
            &p,
            &[("t1", "exchange", 20_512, 30), ("t2", "Teams", 20_513, -4)],
        );
        let rows = open(&p).unwrap();
        assert_eq!(rows.total, 2);
        let got: Vec<[String; 4]> = rows.map(Result::unwrap).collect();
        assert_eq!(
            got[0],
            ["t1", "exchange", "2026-02-28", "30"].map(String::from)
        );
        assert_eq!(
            got[1],
            ["t2", "Teams", "2026-03-01", "-4"].map(String::from)
        );
    }

    #[test]
    fn a_file_without_a_usage_column_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.parquet");
        std::fs::write(&p, b"PAR1 not really").unwrap();
        assert!(open(&p).is_err());
    }
}
