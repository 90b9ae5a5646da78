//! Choosing and opening the backend from a URL.

use crate::error::{Redacted, StoreError};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL's scheme; anything else is an error.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(Redacted(url.to_string())))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The aggregate that joins texts with a separator: `group_concat(x, sep)`
    /// on SQLite, `string_agg(x, sep)` on PostgreSQL (packed reads).
    pub(crate) fn text_agg(self) -> &'static str {
        match self {
            Backend::Sqlite => "group_concat",
            Backend::Postgres => "string_agg",
        }
    }

    pub fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The store: a pool on one backend. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Read the engine's facts from the record tables only, ignoring the
    /// maintained aggregates: the benchmark's baseline (see `facts`).
    raw_facts: bool,
    /// The key that anchors the audit entries this store writes (see `audit`).
    audit_key: Option<crate::audit::AuditKey>,
    /// Where every anonymisation is written before it commits (see `erasures`).
    pub(crate) erasure_register: Option<std::sync::Arc<std::path::PathBuf>>,
}

impl Store {
    /// Opens the database at `url`. A SQLite file is created if missing and put
    /// in WAL mode, so that readers never wait for the writer.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let (url, max) = match backend {
            Backend::Sqlite if url.contains("mode=") => (url.to_string(), 4),
            Backend::Sqlite if url.contains('?') => (format!("{url}&mode=rwc"), 4),
            Backend::Sqlite => (format!("{url}?mode=rwc"), 4),
            Backend::Postgres => (url.to_string(), 10),
        };
        if let Some(path) = sqlite_file(&url).filter(|_| url.contains("mode=rwc")) {
            // SQLite gives its WAL and shared-memory files the database file's
            // mode: create the file for its owner only before SQLite does (0644).
            if !path.exists() {
                crate::private_file::create_new(&path).map_err(|e| {
                    StoreError::refused(
                        format!("không tạo được tệp cơ sở dữ liệu {}: {e}", path.display()),
                        format!("cannot create the database file {}: {e}", path.display()),
                    )
                })?;
            }
        }
        // One plain connection first, so that a refused or unknown server is
        // reported as such at once rather than as a pool timeout.
        let probe = AnyConnection::connect(&url).await.map_err(|source| StoreError::Connect { url: Redacted(url.clone()), source })?;
        probe.close().await?;
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Reads through a memory map (up to 4 GiB of the file) instead of a read
                        // call per page: the national evaluation's joins read pages at random, and
                        // per-page reads made it vary between 0.8 and 2.3 s from run to run.
                        // secure_delete: bytes freed by an update or delete are zeroed, so that no
                        // stale copy of a sealed identity lingers in free space after it is cleared.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 4294967296; PRAGMA secure_delete = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|source| StoreError::Connect { url: Redacted(url.clone()), source })?;
        Ok(Store { pool, backend, raw_facts: false, audit_key: None, erasure_register: None })
    }

    /// Brings the schema up to date; running it again changes nothing.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            self.backend.migrator().run(&self.pool).await?;
            return Ok(());
        }
        // SQLite rebuilds a table to change a CHECK; dropping the old table with
        // foreign keys on would take the rows that point at it along (ON DELETE
        // CASCADE). So the migrations run on one connection of their own with
        // foreign keys off (a pragma a transaction cannot change), and the keys
        // are checked afterwards: a dangling one fails the migration.
        let mut conn = self.pool.acquire().await?.detach();
        conn.execute("PRAGMA foreign_keys = OFF").await?;
        let run = self.backend.migrator().run(&mut conn).await;
        let dangling = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut conn).await;
        conn.close().await?;
        run?;
        let dangling = dangling?;
        if !dangling.is_empty() {
            return Err(StoreError::corrupt(
                format!("{} dòng tham chiếu tới bản ghi không còn sau khi cập nhật cơ sở dữ liệu", dangling.len()),
                format!("{} rows refer to missing rows after the migration", dangling.len()),
            ));
        }
        Ok(())
    }

    /// The same store, reading the engine's facts by plain SQL aggregates over
    /// the record tables (no maintained aggregate): the naive baseline.
    pub fn with_raw_facts(&self) -> Store {
        Store { raw_facts: true, ..self.clone() }
    }

    /// The same store, anchoring every audit entry it writes under `key`
    /// (`Sealer::audit_key`, from the key file kept outside the database).
    pub fn with_audit_key(&self, key: crate::audit::AuditKey) -> Store {
        Store { audit_key: Some(key), ..self.clone() }
    }

    pub fn audit_key(&self) -> Option<&crate::audit::AuditKey> {
        self.audit_key.as_ref()
    }

    pub fn reads_raw_facts(&self) -> bool {
        self.raw_facts
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that read first and writes later fails with "database
    /// is locked" when another process (a second `pcmd serve`) wrote meanwhile,
    /// whereas an immediate one waits its turn (busy_timeout).
    pub async fn begin(&self) -> Result<crate::Tx<'static>, StoreError> {
        let inner = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(crate::Tx::new(inner, self.audit_key))
    }

    /// A transaction that only reads, or writes nothing it keeps (a dry run): on SQLite
    /// it takes no write lock (a deferred `BEGIN`), so writers need not wait for it.
    pub async fn begin_read(&self) -> Result<crate::Tx<'static>, StoreError> {
        Ok(crate::Tx::new(self.pool.begin().await?, self.audit_key))
    }

    /// A transaction for writing many rows (an import). On SQLite its connection
    /// gets a page cache of 64 MiB instead of 2 (rows go into every index of a table
    /// at random places) and keeps in memory, not in a temporary file, the pages
    /// each multi-row statement changes (its statement journal, to undo itself
    /// alone); both are set before the transaction begins, as SQLite asks, and the
    /// connection is closed afterwards rather than returned to the pool with them.
    pub async fn begin_bulk(&self) -> Result<crate::Tx<'static>, StoreError> {
        if self.backend == Backend::Postgres {
            return self.begin().await;
        }
        let mut conn = self.pool.acquire().await?;
        conn.close_on_drop();
        conn.execute("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;").await?;
        let inner = sqlx::Transaction::begin(conn, Some("BEGIN IMMEDIATE".into())).await?;
        Ok(crate::Tx::new(inner, self.audit_key))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The file of a SQLite URL (`sqlite://pcmd.db?mode=rwc`, `sqlite:x.db`); none in memory.
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" || url.contains("mode=memory") {
        return None;
    }
    Some(std::path::PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn the_file_of_a_sqlite_url() {
        use super::sqlite_file;
        assert_eq!(sqlite_file("sqlite://pcmd.db?mode=rwc"), Some("pcmd.db".into()));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db".into()));
        assert_eq!(sqlite_file("sqlite:x.db"), Some("x.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite://db?mode=memory&cache=shared"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }

    /// The two histories are kept side by side: same versions, same descriptions.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let list = |b: Backend| b.migrator().iter().map(|m| (m.version, m.description.to_string())).collect::<Vec<_>>();
        assert_eq!(list(Backend::Sqlite), list(Backend::Postgres));
        assert!(!list(Backend::Sqlite).is_empty());
    }

    #[test]
    fn the_scheme_picks_the_backend() {
        assert_eq!(Backend::from_url("sqlite://pcmd.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("postgresql://h/db").ok(), Some(Backend::Postgres));
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert!(Backend::from_url("pcmd.db").is_err());
    }
}
