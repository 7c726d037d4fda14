//! `ftop usage import`, `recompute` and `show` from the command line, each test on its
//! own SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

struct Db {
    dir: tempfile::TempDir,
    url: String,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    Db { dir, url }
}

fn run(db: &Db, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ftop"))
        .env("FTOP_DATABASE_URL", &db.url)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Db, args: &[&str]) -> String {
    let o = run(db, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

const T1: &str = "871e613c-59df-73c1-b016-f93aac00dccd";
const T2: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn setup() -> Db {
    let d = db();
    ok(
        &d,
        &[
            "tenant",
            "add",
            "--id",
            T1,
            "--name",
            "contoso.onmicrosoft.com",
            "--customer",
            "Contoso",
            "--service",
            "Exchange=1000",
            "--service",
            "teams=500:400",
        ],
    );
    d
}

fn write(d: &Db, name: &str, text: &str) -> String {
    let p = d.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn show(d: &Db) -> serde_json::Value {
    serde_json::from_str(&ok(d, &["usage", "show", T1, "--format", "json"])).unwrap()
}

fn exchange(v: &serde_json::Value) -> serde_json::Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_key"] == "exchange")
        .unwrap()
        .clone()
}

#[test]
fn import_is_whole_idempotent_and_shows_milestones() {
    let d = setup();
    // Exchange, 1,000 seats: 5%, exactly 10%, 45%. Teams, 400 seats: 40 is exactly 10%.
    // Rows out of order, an extra column, the service by name or alias.
    let f = write(
        &d,
        "usage.csv",
        &format!(
            "tenant_id,service,date,active_users,source\n\
             {T1},Exchange Online,2024-03-31,450,x\n\
             {T1},exchange,2024-01-31,50,x\n\
             {T1},EXO,2024-02-29,100,x\n\
             {T1},Microsoft Teams,2024-03-31,40,x\n"
        ),
    );
    let out = ok(&d, &["usage", "import", &f]);
    assert!(
        out.contains("4 rows; 4 imported (4 new or changed), 0 rejected; 1 tenants"),
        "{out}"
    );
    let v = show(&d);
    let ex = exchange(&v);
    assert_eq!(ex["as_of"], "2024-03-31");
    assert_eq!(ex["au_percent"], 45.0);
    assert_eq!(ex["bucket"], "40-plus");
    assert_eq!(ex["milestone_10"], "2024-02-29");
    assert_eq!(ex["milestone_40"], "2024-03-31");
    let teams = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_key"] == "teams")
        .unwrap();
    assert_eq!(teams["milestone_10"], "2024-03-31");
    assert_eq!(teams["bucket"], "10-40");
    // Again: nothing changes.
    let out = ok(&d, &["usage", "import", &f]);
    assert!(out.contains("4 imported (0 new or changed)"), "{out}");
    assert_eq!(show(&d), v);
    // Recompute gives the same.
    let out = ok(&d, &["usage", "recompute"]);
    assert!(out.contains("recomputed 2 adoption rollups"), "{out}");
    assert_eq!(show(&d), v);
    let text = ok(&d, &["usage", "show", T1]);
    assert!(text.contains("45.00%"), "{text}");
}

#[test]
fn a_bad_line_refuses_the_file_and_skip_invalid_writes_rejects() {
    let d = setup();
    let text = format!(
        "tenant_id,service,date,active_users\n\
         {T1},exchange,2024-01-31,150\n\
         {T2},exchange,2024-01-31,10\n\
         {T1},Notes,2024-01-31,10\n\
         {T1},exchange,2024-02-31,10\n\
         {T1},exchange,2024-03-31,-4\n\
         {T1},exchange,2024-04-30,200\n"
    );
    let f = write(&d, "bad.csv", &text);
    let o = run(&d, &["usage", "import", &f]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for want in [
        "line 3: tenant_id: no tenant 0f8fad5b",
        "line 4: service: `Notes` is not a service",
        "line 5: date: `2024-02-31` is not a date",
        "line 6: active_users: `-4` is negative",
        "nothing was imported",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert_eq!(exchange(&show(&d))["as_of"], serde_json::Value::Null);
    // --skip-invalid: the two valid rows go in, the four others to the rejects file.
    let out = ok(&d, &["usage", "import", &f, "--skip-invalid"]);
    assert!(
        out.contains("6 rows; 2 imported (2 new or changed), 4 rejected"),
        "{out}"
    );
    let rejects = format!("{f}.rejects.csv");
    assert!(out.contains(&rejects), "{out}");
    let mut r = csv::Reader::from_path(Path::new(&rejects)).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "line",
            "tenant_id",
            "service",
            "date",
            "active_users",
            "reason"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][0], "3");
    assert_eq!(&rows[0][1], T2);
    assert!(rows[0][5].contains("no tenant"), "{:?}", rows[0]);
    assert_eq!((&rows[3][0], &rows[3][4]), ("6", "-4"));
    let ex = exchange(&show(&d));
    assert_eq!(ex["as_of"], "2024-04-30");
    assert_eq!(ex["milestone_10"], "2024-01-31");
    // An explicit rejects path; a missing column is refused up front.
    let p = d.dir.path().join("r.csv").display().to_string();
    ok(
        &d,
        &["usage", "import", &f, "--skip-invalid", "--rejects", &p],
    );
    assert!(std::fs::read_to_string(&p).unwrap().lines().count() == 5);
    let f = write(&d, "nohdr.csv", "tenant_id,service,active_users\n");
    let o = run(&d, &["usage", "import", &f]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no `date` column"));
}

/// A Parquet usage file: DATE and INT64 columns, in another order than the CSV's.
fn write_parquet(d: &Db, name: &str, rows: &[(&str, &str, i32, i64)]) -> String {
    write_parquet_with(
        d,
        name,
        rows,
        parquet::basic::Compression::UNCOMPRESSED,
        0,
        "active_users",
    )
}

/// A Parquet usage file compressed with `codec`, with `extra` INT32 columns after the four
/// usage columns, the last usage column named `last` (`active_users`, or a duplicate name).
fn write_parquet_with(
    d: &Db,
    name: &str,
    rows: &[(&str, &str, i32, i64)],
    codec: parquet::basic::Compression,
    extra: usize,
    last: &str,
) -> String {
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;
    let path = d.dir.path().join(name);
    let extra_fields: String = (0..extra)
        .map(|i| format!("required int32 extra_{i};"))
        .collect();
    let schema = Arc::new(
        parse_message_type(&format!(
            "message usage {{ required binary service (UTF8); required int32 date (DATE);
             required binary tenant_id (UTF8); required int64 {last}; {extra_fields} }}"
        ))
        .unwrap(),
    );
    let props = Arc::new(WriterProperties::builder().set_compression(codec).build());
    let mut w =
        SerializedFileWriter::new(std::fs::File::create(&path).unwrap(), schema, props).unwrap();
    let mut g = w.next_row_group().unwrap();
    let services: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.1)).collect();
    let dates: Vec<i32> = rows.iter().map(|r| r.2).collect();
    let tenants: Vec<ByteArray> = rows.iter().map(|r| ByteArray::from(r.0)).collect();
    let counts: Vec<i64> = rows.iter().map(|r| r.3).collect();
    let mut c = g.next_column().unwrap().unwrap();
    c.typed::<ByteArrayType>()
        .write_batch(&services, None, None)
        .unwrap();
    c.close().unwrap();
    let mut c = g.next_column().unwrap().unwrap();
    c.typed::<Int32Type>()
        .write_batch(&dates, None, None)
        .unwrap();
    c.close().unwrap();
    let mut c = g.next_column().unwrap().unwrap();
    c.typed::<ByteArrayType>()
        .write_batch(&tenants, None, None)
        .unwrap();
    c.close().unwrap();
    let mut c = g.next_column().unwrap().unwrap();
    c.typed::<Int64Type>()
        .write_batch(&counts, None, None)
        .unwrap();
    c.close().unwrap();
    let zeros = vec![0i32; rows.len()];
    for _ in 0..extra {
        let mut c = g.next_column().unwrap().unwrap();
        c.typed::<Int32Type>()
            .write_batch(&zeros, None, None)
            .unwrap();
        c.close().unwrap();
    }
    g.close().unwrap();
    w.close().unwrap();
    path.display().to_string()
}

#[test]
fn parquet_files_import_like_csv() {
    let d = setup();
    // Day 20,512 after 1970-01-01 is 2026-02-28; 100 of 1,000 Exchange seats is exactly 10%.
    let bad = write_parquet(
        &d,
        "bad.parquet",
        &[(T1, "exchange", 20_512, 100), (T1, "nosuch", 20_512, 5)],
    );
    let o = run(&d, &["usage", "import", &bad]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 2") && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(exchange(&show(&d))["as_of"].is_null(), "nothing written");
    let good = write_parquet(&d, "good.parquet", &[(T1, "Exchange Online", 20_512, 100)]);
    let out = ok(&d, &["usage", "import", &good]);
    assert!(out.contains("1 rows; 1 imported"), "{out}");
    let e = exchange(&show(&d));
    assert_eq!(e["milestone_10"], "2026-02-28");
    assert_eq!(e["au_percent"], 10.0);
}

/// Every codec a Parquet writer commonly uses can be read: uncompressed, Snappy, gzip,
/// Brotli, LZ4 (both the Hadoop framing and raw) and Zstandard.
#[test]
fn parquet_files_in_every_common_codec_import() {
    use parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
    let d = setup();
    let codecs = [
        ("uncompressed", Compression::UNCOMPRESSED),
        ("snappy", Compression::SNAPPY),
        ("gzip", Compression::GZIP(GzipLevel::default())),
        ("brotli", Compression::BROTLI(BrotliLevel::default())),
        ("lz4", Compression::LZ4),
        ("lz4_raw", Compression::LZ4_RAW),
        ("zstd", Compression::ZSTD(ZstdLevel::default())),
    ];
    // Each file moves Exchange's latest figure one day on, so each import is visible.
    for (i, (name, codec)) in codecs.into_iter().enumerate() {
        let day = 20_512 + i as i32;
        let rows = [(T1, "exchange", day, 100 + i as i64)];
        let f = write_parquet_with(
            &d,
            &format!("{name}.parquet"),
            &rows,
            codec,
            3,
            "active_users",
        );
        let o = run(&d, &["usage", "import", &f]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("1 rows; 1 imported (1 new or changed)"),
            "{name}: {out}"
        );
        let e = exchange(&show(&d));
        let want = time::Date::from_julian_day(2_440_588 + day)
            .unwrap()
            .to_string();
        assert_eq!(e["as_of"], want.as_str(), "{name}");
        assert_eq!(e["active_users"], 100 + i as i64, "{name}");
    }
}

/// A file with more columns than the limit (256) is refused from its metadata, before any
/// row group is read; one at the limit imports.
#[test]
fn parquet_files_with_too_many_columns_are_refused() {
    let d = setup();
    let rows = [(T1, "exchange", 20_512, 100)];
    let wide = write_parquet_with(
        &d,
        "wide.parquet",
        &rows,
        parquet::basic::Compression::SNAPPY,
        2_000,
        "active_users",
    );
    let started = std::time::Instant::now();
    let o = run(&d, &["usage", "import", &wide]);
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("wide.parquet: the file has 2004 columns, more than the limit of 256"),
        "{err}"
    );
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    assert!(exchange(&show(&d))["as_of"].is_null(), "nothing written");
    let at_limit = write_parquet_with(
        &d,
        "at-limit.parquet",
        &rows,
        parquet::basic::Compression::SNAPPY,
        252,
        "active_users",
    );
    let out = ok(&d, &["usage", "import", &at_limit]);
    assert!(out.contains("1 rows; 1 imported"), "{out}");
}

/// A usage file that names a usage column twice is refused, whichever copy holds the figure.
#[test]
fn usage_files_with_a_column_twice_are_refused() {
    let d = setup();
    let f = write(
        &d,
        "twice.csv",
        &format!(
            "tenant_id,service,date,active_users,Service\n\
             {T1},exchange,2024-01-31,150,teams\n"
        ),
    );
    let o = run(&d, &["usage", "import", &f]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("twice.csv:1: the header has the `service` column twice (columns 2 and 5)"),
        "{err}"
    );
    let p = write_parquet_with(
        &d,
        "twice.parquet",
        &[(T1, "exchange", 20_512, 100)],
        parquet::basic::Compression::SNAPPY,
        0,
        "tenant_id",
    );
    let o = run(&d, &["usage", "import", &p]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "twice.parquet: the header has the `tenant_id` column twice (columns 3 and 4)"
        ),
        "{err}"
    );
    assert!(exchange(&show(&d))["as_of"].is_null(), "nothing written");
}
