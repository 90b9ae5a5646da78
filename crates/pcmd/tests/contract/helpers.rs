//! Backends for the contract suite: SQLite in a temporary file always, and
//! PostgreSQL in a fresh database whenever PCMD_TEST_DATABASE_URL is set (a
//! server URL such as postgres://postgres@127.0.0.1:5432/postgres). With the
//! variable set and no server reachable the suite fails: it never skips.

use pcmd_store::Store;
use sqlx::Executor;
use std::sync::atomic::{AtomicU32, Ordering};

pub const PG_ENV: &str = "PCMD_TEST_DATABASE_URL";

/// One database for one test.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    pub store: Store,
    /// The encryption key file of this test (created by `pcmd demo`).
    pub key_file: std::path::PathBuf,
    _key_dir: tempfile::TempDir,
    cleanup: Cleanup,
}

fn key_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pcmd.key");
    (dir, file)
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, database: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, migrated SQLite database (for what does not depend on the backend).
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("pcmd.db").display());
    let store = Store::connect(&url).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    let (_key_dir, key_file) = key_dir();
    TestDb { name: "sqlite", url, store, key_file, _key_dir, cleanup: Cleanup::Sqlite(dir) }
}

fn with_database(server: &str, database: &str) -> String {
    let (base, query) = server.split_once('?').map_or((server, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{}", &base[..path_start], database);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

async fn postgres(server: &str) -> TestDb {
    let database = format!("pcmd_test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), rand_suffix());
    let admin = Store::connect(server).await.unwrap_or_else(|e| panic!("{PG_ENV} is set but PostgreSQL is not reachable: {e}"));
    admin.pool().execute(format!("CREATE DATABASE {database}").as_str()).await.expect("create test database");
    admin.close().await;
    let url = with_database(server, &database);
    let store = Store::connect(&url).await.expect("open postgres test database");
    store.migrate().await.expect("migrate postgres");
    let (_key_dir, key_file) = key_dir();
    TestDb { name: "postgres", url, store, key_file, _key_dir, cleanup: Cleanup::Postgres { server: server.to_string(), database } }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| u64::from(d.subsec_nanos()))
}

impl TestDb {
    /// Another fresh, migrated database on the same backend (dropped by the caller with `drop_database`).
    pub async fn sibling(&self) -> TestDb {
        match &self.cleanup {
            Cleanup::Sqlite(_) => sqlite().await,
            Cleanup::Postgres { server, .. } => postgres(server).await,
        }
    }

    pub async fn drop_database(self) {
        self.store.close().await;
        if let Cleanup::Postgres { server, database } = self.cleanup {
            let admin = Store::connect(&server).await.expect("reconnect to drop");
            admin.pool().execute(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)").as_str()).await.expect("drop test database");
            admin.close().await;
        }
    }
}

/// Runs `case` on every backend of this run, each on a fresh, migrated database.
pub async fn on_each_backend(case: impl AsyncFn(&TestDb)) {
    let mut dbs = vec![sqlite().await];
    if let Ok(server) = std::env::var(PG_ENV) {
        dbs.push(postgres(&server).await);
    }
    for db in dbs {
        eprintln!("— backend: {}", db.name);
        case(&db).await;
        db.drop_database().await;
    }
}

#[test]
fn database_names_replace_the_path() {
    assert_eq!(with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"), "postgres://postgres@127.0.0.1:5432/x");
    assert_eq!(with_database("postgres://u:p@h/db?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
