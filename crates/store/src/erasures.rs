//! The erasure register (sổ ghi xóa dữ liệu cá nhân): every anonymisation is
//! written to a file beside the sealing key before it is committed, so that a
//! backup taken before it cannot bring the person's data back. A restore, and
//! every retention sweep after it, anonymises again each record the register
//! names (Law 91/2025/QH15: data erased stays erased).
//!
//! A line holds no personal data: the table, the record's id and its erasure
//! key (migration 0024: set once when the record is made, never edited, and
//! not given again when an id is, after a restore) and the day. The register
//! may name a record whose erasure then failed: a request to erase it was
//! made, so re-applying it errs on the person's side. Each line is written
//! whole on a line of its own; a line that cannot be read (a write cut short,
//! whose erasure therefore never committed) is passed over and said.

use crate::units::iso;
use crate::{Store, StoreError, Tx};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// One erasure as the register holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Erasure {
    /// `support_case` or `tip`.
    pub table: String,
    pub id: i64,
    /// The record's erasure key (migration 0024).
    pub key: String,
    pub on: NaiveDate,
}

/// A register as read: its entries, and the lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    pub entries: Vec<Erasure>,
    /// 1-based numbers of the lines passed over.
    pub damaged: Vec<usize>,
}

/// What re-applying the register did (or would do, in a dry run).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reapplied {
    /// Records whose data had come back and were anonymised again.
    pub again: Vec<(String, i64)>,
    /// Entries already anonymised here.
    pub already: usize,
    /// Entries naming no record here (made after the backup was taken).
    pub absent: usize,
    /// Lines of the register that could not be read.
    pub damaged: Vec<usize>,
}

fn read_error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::refused(
        format!("không đọc được sổ ghi xóa dữ liệu {} ({e})", path.display()),
        format!("the erasure register {} cannot be read ({e})", path.display()),
    )
}

/// The person erasing is told to call the administrator; what went wrong, and
/// where, goes to the log (stderr), for the administrator.
fn write_error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    tracing::error!("the erasure register {} cannot be written: {e}", path.display());
    StoreError::refused(
        "chưa xóa: hệ thống không ghi được sổ ghi xóa dữ liệu; hãy báo quản trị hệ thống (chi tiết trong nhật ký máy chủ)",
        "not erased: the system cannot write the erasure register; tell the administrator (details in the server log)",
    )
}

/// The record's erasure key: read in the transaction that erases it.
pub(crate) async fn key_of(tx: &mut Tx<'_>, table: &str, id: i64) -> Result<Option<String>, StoreError> {
    let sql = match table {
        "support_case" => "SELECT erasure_key FROM support_case WHERE id = $1",
        "tip" => "SELECT erasure_key FROM tip WHERE id = $1",
        _ => return Ok(None),
    };
    match sqlx::query(sql).bind(id).fetch_optional(&mut **tx).await? {
        Some(r) => Ok(r.try_get(0)?),
        None => Ok(None),
    }
}

/// The register beside a key file: `pcmd.key` → `pcmd.erasures`.
pub fn register_beside(key_file: &Path) -> PathBuf {
    key_file.with_extension("erasures")
}

/// Makes an empty register beside a new key file, so that a register missing
/// later means one not copied (see `pcmd restore`).
pub fn create_register(path: &Path) -> Result<(), StoreError> {
    match crate::private_file::create_new(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::refused(
            format!("không tạo được sổ ghi xóa dữ liệu {} ({e})", path.display()),
            format!("the erasure register {} cannot be made ({e})", path.display()),
        )),
    }
}

/// Reads a register (none yet: empty). A line that cannot be read is passed
/// over and its number kept; a byte-order mark is allowed.
pub fn read_register(path: &Path) -> Result<Register, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Register::default()),
        Err(e) => return Err(read_error(path, e)),
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut out = Register::default();
    for (n, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Erasure>(line.trim()) {
            Ok(e) => out.entries.push(e),
            Err(_) => out.damaged.push(n + 1),
        }
    }
    Ok(out)
}

/// Checks that the register can be appended to (a restore asks before loading).
pub fn check_writable(path: &Path) -> Result<(), StoreError> {
    std::fs::OpenOptions::new().append(true).open(path).map(|_| ()).map_err(|e| {
        StoreError::refused(
            format!("không ghi được vào sổ ghi xóa dữ liệu {} ({e}): chưa khôi phục gì", path.display()),
            format!("the erasure register {} cannot be written ({e}): nothing restored", path.display()),
        )
    })
}

impl Store {
    /// Keeps the erasure register at `path` (the CLI and the server: beside the key file).
    pub fn with_erasure_register(&self, path: PathBuf) -> Store {
        let mut store = self.clone();
        store.erasure_register = Some(std::sync::Arc::new(path));
        store
    }

    pub fn erasure_register(&self) -> Option<&Path> {
        self.erasure_register.as_deref().map(PathBuf::as_path)
    }

    /// Appends `entries` to the register, each on a line of its own, and makes
    /// them durable, before the transaction erasing them commits. Without a
    /// register nothing is written.
    pub(crate) fn register_erasures(&self, entries: &[Erasure]) -> Result<(), StoreError> {
        let Some(path) = self.erasure_register() else { return Ok(()) };
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for e in entries {
            text.push_str(&serde_json::to_string(e).map_err(|e| write_error(path, e))?);
            text.push('\n');
        }
        let mut f = std::fs::OpenOptions::new().create(true).read(true).append(true).open(path).map_err(|e| write_error(path, e))?;
        crate::private_file::narrow(path).map_err(|e| write_error(path, e))?;
        // A line cut short before (a full disk) is ended, so that this one stays whole.
        let len = f.metadata().map_err(|e| write_error(path, e))?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            f.seek(std::io::SeekFrom::Start(len - 1)).and_then(|_| f.read_exact(&mut last)).map_err(|e| write_error(path, e))?;
            if last[0] != b'\n' {
                text.insert(0, '\n');
            }
        }
        f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(|e| write_error(path, e))
    }

    /// Anonymises again every record the register names whose data is here
    /// (a backup restored from before its erasure), in one transaction; each
    /// is audited with the day of its first erasure. A dry run changes nothing.
    pub async fn reapply_erasures(&self, today: NaiveDate, actor: &str, dry_run: bool) -> Result<Reapplied, StoreError> {
        let Some(path) = self.erasure_register() else { return Ok(Reapplied::default()) };
        let register = read_register(path)?;
        if register.entries.is_empty() {
            return Ok(Reapplied { damaged: register.damaged, ..Reapplied::default() });
        }
        let mut tx = self.begin().await?;
        let done = Reapplied { damaged: register.damaged, ..reapply_in(&mut tx, &register.entries, &[], today, actor, dry_run).await? };
        if dry_run {
            tx.rollback().await?;
            return Ok(done);
        }
        tx.commit().await?;
        if !done.again.is_empty() {
            self.scrub_files().await?;
        }
        Ok(done)
    }
}

/// Anonymises again, in `tx`, each record `entries` names whose data is here:
/// matched by id and erasure key, or by id alone in the tables of `by_id` (a
/// backup made before the erasure keys, just loaded: each of its rows is the
/// record its id named). Each is audited with the day of its first erasure.
pub(crate) async fn reapply_in(
    tx: &mut Tx<'_>,
    entries: &[Erasure],
    by_id: &[&str],
    today: NaiveDate,
    actor: &str,
    dry_run: bool,
) -> Result<Reapplied, StoreError> {
    let mut done = Reapplied::default();
    for e in entries {
        let table = match e.table.as_str() {
            "support_case" => "support_case",
            "tip" => "tip",
            _ => {
                done.absent += 1;
                continue;
            }
        };
        let keyless = by_id.contains(&table);
        let sql = if keyless {
            format!("SELECT anonymised_on FROM {table} WHERE id = $1")
        } else {
            format!("SELECT anonymised_on FROM {table} WHERE id = $1 AND erasure_key = $2")
        };
        let query = sqlx::query(&sql).bind(e.id);
        let query = if keyless { query } else { query.bind(e.key.clone()) };
        let Some(row) = query.fetch_optional(&mut **tx).await? else {
            done.absent += 1;
            continue;
        };
        if row.try_get::<Option<String>, _>(0)?.is_some() {
            done.already += 1;
            continue;
        }
        if !dry_run {
            let by = if keyless { ", nhận theo số hiệu (bản sao lưu không có khóa xóa)" } else { "" };
            let reason = format!("xóa lại theo sổ ghi xóa dữ liệu (đã xóa ngày {}): dữ liệu trở lại từ bản sao lưu cũ{by}", iso(e.on));
            crate::privacy::anonymise_in(tx, table, e.id, today, actor, &reason).await?;
        }
        done.again.push((table.to_string(), e.id));
    }
    Ok(done)
}
