//! Shared by the storage benchmarks: the bundled playbook and a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use ftop_store::PlaybookSource;
use sqlx::Connection;
use std::path::Path;

/// The bundled playbook, every language, as the binary embeds it.
pub(crate) fn sources() -> Vec<PlaybookSource> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../playbook");
    let mut out = Vec::new();
    for lang in ["en", "es", "zh"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(lang))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
        {
            out.push(PlaybookSource {
                root: String::new(),
                path: format!("{lang}/{}", f.file_name().unwrap().to_string_lossy()),
                text: std::fs::read_to_string(&f).unwrap(),
            });
        }
    }
    out
}

/// A fresh database: an SQLite file in `dir`, or a new database on the PostgreSQL server
/// whose admin URL is given.
pub(crate) async fn fresh(admin: &Option<String>, dir: &Path, name: &str) -> String {
    match admin {
        None => format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
        Some(admin) => {
            sqlx::any::install_default_drivers();
            let mut c = sqlx::AnyConnection::connect(admin).await.unwrap();
            let db = format!("ftop_bench_{name}_{}", std::process::id());
            sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {db}"))
                .execute(&mut c)
                .await
                .unwrap();
            sqlx::raw_sql(&format!("CREATE DATABASE {db}"))
                .execute(&mut c)
                .await
                .unwrap();
            format!("{}/{db}", admin.rsplit_once('/').unwrap().0)
        }
    }
}
