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
    /// Taken by `drop_database`; if a test panics first, `Drop` drops the PostgreSQL database.
    cleanup: Option<Cleanup>,
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
    TestDb { name: "sqlite", url, store, key_file, _key_dir, cleanup: Some(Cleanup::Sqlite(dir)) }
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
    TestDb { name: "postgres", url, store, key_file, _key_dir, cleanup: Some(Cleanup::Postgres { server: server.to_string(), database }) }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| u64::from(d.subsec_nanos()))
}

impl TestDb {
    /// Another fresh, migrated database on the same backend (dropped by the caller with `drop_database`).
    pub async fn sibling(&self) -> TestDb {
        match &self.cleanup {
            Some(Cleanup::Postgres { server, .. }) => postgres(server).await,
            _ => sqlite().await,
        }
    }

    pub async fn drop_database(mut self) {
        self.store.close().await;
        if let Some(Cleanup::Postgres { server, database }) = self.cleanup.take() {
            drop_pg(&server, &database).await;
        }
    }
}

async fn drop_pg(server: &str, database: &str) {
    let admin = Store::connect(server).await.expect("reconnect to drop");
    admin.pool().execute(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)").as_str()).await.expect("drop test database");
    admin.close().await;
}

/// A test that panicked never reached `drop_database`: its PostgreSQL database is
/// dropped here, on a thread of its own (no runtime can be awaited in `drop`).
impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(Cleanup::Postgres { server, database }) = self.cleanup.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    rt.block_on(drop_pg(&server, &database));
                }
            })
            .join();
        }
    }
}

/// Whether process `pid` is still running (Linux: /proc).
fn alive(pid: &str) -> bool {
    std::path::Path::new("/proc").join(pid).exists()
}

/// The demo database built once per test process and backend: a SQLite file
/// with its key file, or a PostgreSQL template database. Each test gets a copy.
enum Template {
    Sqlite { db: std::path::PathBuf, key: std::path::PathBuf },
    Postgres { database: String, key: std::path::PathBuf },
}

static SQLITE_TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
static PG_TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
/// PostgreSQL copies one template at a time.
static PG_COPY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The folder of this process's templates; those of processes gone are removed first.
fn template_dir() -> std::path::PathBuf {
    let base = std::env::temp_dir();
    if let Ok(entries) = std::fs::read_dir(&base) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(pid) = name.strip_prefix("pcmd-test-template-") {
                if !alive(pid) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
    let dir = base.join(format!("pcmd-test-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("template dir");
    dir
}

async fn sqlite_template() -> &'static Template {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let dir = template_dir();
            let (db, key) = (dir.join("demo.db"), dir.join("demo.key"));
            let _ = std::fs::remove_file(&db);
            let _ = std::fs::remove_file(&key);
            let url = format!("sqlite://{}", db.display());
            let store = Store::connect(&url).await.expect("open template");
            store.migrate().await.expect("migrate template");
            let t = TestDb { name: "sqlite", url, store, key_file: key.clone(), _key_dir: tempfile::tempdir().expect("temp dir"), cleanup: None };
            crate::demo(&t).await;
            // Everything into the main file, so that a copy of it is the whole database.
            t.store.pool().execute("PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
            t.store.close().await;
            Template::Sqlite { db, key }
        })
        .await
}

async fn pg_template(server: &str) -> &'static Template {
    PG_TEMPLATE
        .get_or_init(|| async {
            let admin = Store::connect(server).await.unwrap_or_else(|e| panic!("{PG_ENV} is set but PostgreSQL is not reachable: {e}"));
            // Databases left by test processes that are gone (killed, or a panic in a template).
            let rows = sqlx::query("SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'pcmd_test_%' OR datname LIKE 'pcmd_tmpl_%'")
                .fetch_all(admin.pool())
                .await
                .expect("list databases");
            for r in rows {
                let name: String = sqlx::Row::get(&r, 0);
                let pid = name.trim_start_matches("pcmd_test_").trim_start_matches("pcmd_tmpl_").split('_').next().unwrap_or("").to_string();
                if !alive(&pid) {
                    let _ = admin.pool().execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                }
            }
            let database = format!("pcmd_tmpl_{}_{}", std::process::id(), rand_suffix());
            admin.pool().execute(format!("CREATE DATABASE {database}").as_str()).await.expect("create template");
            admin.close().await;
            let url = with_database(server, &database);
            let store = Store::connect(&url).await.expect("open template");
            store.migrate().await.expect("migrate template");
            let key = template_dir().join("demo-pg.key");
            let _ = std::fs::remove_file(&key);
            let t = TestDb { name: "postgres", url, store, key_file: key.clone(), _key_dir: tempfile::tempdir().expect("temp dir"), cleanup: None };
            crate::demo(&t).await;
            t.store.close().await;
            Template::Postgres { database, key }
        })
        .await
}

/// The erasure register goes with its key, as an operator keeps them.
fn copy_register(key: &std::path::Path, to: &std::path::Path) {
    let register = pcmd_store::erasures::register_beside(key);
    if register.exists() {
        std::fs::copy(&register, pcmd_store::erasures::register_beside(to)).expect("copy the erasure register");
    }
}

/// A fresh copy of the demo database on `backend` ("sqlite" or a server URL).
async fn demo_copy(server: Option<&str>) -> TestDb {
    match server {
        None => {
            let Template::Sqlite { db, key } = sqlite_template().await else { unreachable!("a SQLite template") };
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("pcmd.db");
            std::fs::copy(db, &file).expect("copy the template");
            let url = format!("sqlite://{}", file.display());
            let store = Store::connect(&url).await.expect("open the copy");
            let (_key_dir, key_file) = key_dir();
            std::fs::copy(key, &key_file).expect("copy the key");
            copy_register(key, &key_file);
            TestDb { name: "sqlite", url, store, key_file, _key_dir, cleanup: Some(Cleanup::Sqlite(dir)) }
        }
        Some(server) => {
            let Template::Postgres { database: template, key } = pg_template(server).await else { unreachable!("a PostgreSQL template") };
            let database = format!("pcmd_test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), rand_suffix());
            {
                let _one_at_a_time = PG_COPY.lock().await;
                let admin = Store::connect(server).await.expect("connect");
                admin.pool().execute(format!("CREATE DATABASE {database} TEMPLATE {template}").as_str()).await.expect("copy the template");
                admin.close().await;
            }
            let url = with_database(server, &database);
            let store = Store::connect(&url).await.expect("open the copy");
            let (_key_dir, key_file) = key_dir();
            std::fs::copy(key, &key_file).expect("copy the key");
            copy_register(key, &key_file);
            TestDb { name: "postgres", url, store, key_file, _key_dir, cleanup: Some(Cleanup::Postgres { server: server.to_string(), database }) }
        }
    }
}

/// Runs `case` on every backend of this run, each on a fresh copy of the demo
/// database (`pcmd demo`, built once per process and backend).
pub async fn on_each_demo_backend(case: impl AsyncFn(&TestDb)) {
    let mut dbs = vec![demo_copy(None).await];
    if let Ok(server) = std::env::var(PG_ENV) {
        dbs.push(demo_copy(Some(&server)).await);
    }
    for db in dbs {
        eprintln!("— backend: {} (demo copy)", db.name);
        case(&db).await;
        db.drop_database().await;
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

/// A test that panics leaves no database behind: PostgreSQL's is dropped by `Drop`.
#[tokio::test]
async fn a_panicking_test_leaves_no_database_behind() {
    let mut dbs = vec![sqlite().await];
    if let Ok(server) = std::env::var(PG_ENV) {
        dbs.push(postgres(&server).await);
    }
    for db in dbs {
        let (url, name) = (db.url.clone(), db.name);
        let database = match &db.cleanup {
            Some(Cleanup::Postgres { server, database }) => Some((server.clone(), database.clone())),
            _ => None,
        };
        let file = url.trim_start_matches("sqlite://").to_string();
        let outcome = std::thread::spawn(move || {
            let _db = db;
            panic!("a test fails midway");
        })
        .join();
        assert!(outcome.is_err());
        match database {
            Some((server, database)) => {
                let admin = Store::connect(&server).await.unwrap();
                let left: i64 = sqlx::Row::get(
                    &sqlx::query("SELECT COUNT(*) FROM pg_database WHERE datname = $1").bind(database.clone()).fetch_one(admin.pool()).await.unwrap(),
                    0,
                );
                admin.close().await;
                assert_eq!(left, 0, "{database} dropped after the panic");
            }
            None => assert!(!std::path::Path::new(&file).exists(), "{name}: the file went with its folder"),
        }
    }
}
