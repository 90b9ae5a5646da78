//! Backup and restore (`pcmd backup FILE`, `pcmd restore FILE`): every table,
//! read in one consistent snapshot, written as JSON lines — a header, then for
//! each table a line naming it and its columns and one line per row. A restore
//! goes into an empty database of the same backend, in one transaction, and
//! leaves nothing behind when any line is wrong.

use crate::{Backend, Store, StoreError};
use base64::Engine as _;
use serde_json::{json, Value};
use sqlx::any::AnyTypeInfoKind;
use sqlx::{Column, Row, ValueRef};
use std::io::{BufRead, Write};

/// Every table, parents before children (the order the migrations create them).
pub const TABLES: [&str; 43] = [
    "dataset",
    "unit",
    "unit_successor",
    "agency",
    "lead_agency",
    "plan",
    "target",
    "task",
    "task_co_agency",
    "budget_line",
    "establishment",
    "activity",
    "publication",
    "inspection",
    "deadline_rule",
    "tip",
    "tip_event",
    "case_summary",
    "district_plan",
    "pilot_model",
    "support_case",
    "support_service",
    "referral",
    "training",
    "reference_figure",
    "task_progress",
    "app_user",
    "app_session",
    "login_failure",
    "audit_head",
    "audit_log",
    "api_token",
    "report",
    "document_setting",
    "tip_receipt",
    "tip_attachment",
    "tip_message",
    "reminder_sent",
    "rest_day",
    "plan_version",
    "password_link",
    "target_value",
    "plan_duty",
];

const FORMAT: &str = "pcmd-backup-1";

fn bad(vi: String, en: String) -> StoreError {
    StoreError::refused(vi, en)
}

/// A field of a JSON object, null when absent (the file may be anything).
fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn io(e: std::io::Error) -> StoreError {
    bad(format!("lỗi đọc/ghi tệp: {e}"), format!("file error: {e}"))
}

fn value_of(row: &sqlx::any::AnyRow, i: usize) -> Result<Value, StoreError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().kind();
    Ok(match kind {
        AnyTypeInfoKind::Null => Value::Null,
        AnyTypeInfoKind::Bool => json!(row.try_get::<bool, _>(i)?),
        AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => json!(row.try_get::<i64, _>(i)?),
        AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => json!(row.try_get::<f64, _>(i)?),
        AnyTypeInfoKind::Text => json!(row.try_get::<String, _>(i)?),
        AnyTypeInfoKind::Blob => json!({ "b64": base64::engine::general_purpose::STANDARD.encode(row.try_get::<Vec<u8>, _>(i)?) }),
    })
}

/// How many rows of each table a backup or restore handled.
pub type Counts = Vec<(String, u64)>;

/// What a restore loaded, and how many records of a backup without erasure
/// keys (made before migration 0024) it anonymised again by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restored {
    pub counts: Counts,
    pub erased_by_id: usize,
}

impl Store {
    /// Writes every table to `out`, read in one snapshot.
    pub async fn backup(&self, out: &mut impl Write) -> Result<Counts, StoreError> {
        let mut tx = match self.backend() {
            Backend::Postgres => self.pool().begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ").await?,
            Backend::Sqlite => self.pool().begin().await?,
        };
        let header = json!({ "format": FORMAT, "backend": self.backend().name(), "taken_at": chrono::Utc::now().to_rfc3339() });
        writeln!(out, "{header}").map_err(io)?;
        let mut counts = Vec::new();
        for table in TABLES {
            // By the first column (the id where there is one), so that parents come before their children.
            let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY 1")).fetch_all(&mut *tx).await?;
            let columns: Vec<String> = match rows.first() {
                Some(r) => r.columns().iter().map(|c| c.name().to_string()).collect(),
                None => Vec::new(),
            };
            writeln!(out, "{}", json!({ "table": table, "columns": columns, "rows": rows.len() })).map_err(io)?;
            for r in &rows {
                let values = (0..r.len()).map(|i| value_of(r, i)).collect::<Result<Vec<_>, _>>()?;
                writeln!(out, "{}", Value::Array(values)).map_err(io)?;
            }
            counts.push((table.to_string(), rows.len() as u64));
        }
        writeln!(out, "{}", json!({ "end": FORMAT })).map_err(io)?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Loads a backup into this database, which must be migrated and empty. A
    /// backup made before migration 0024 holds no erasure keys: its support
    /// cases and tips are then matched to the erasure register by id alone
    /// (every such row is the record the id named when the backup was taken)
    /// and the ones it names are anonymised again in the same transaction.
    pub async fn restore(&self, input: impl BufRead) -> Result<Restored, StoreError> {
        let mut lines = input.lines();
        let mut next = || -> Result<Option<Value>, StoreError> {
            match lines.next() {
                None => Ok(None),
                Some(l) => {
                    let l = l.map_err(io)?;
                    serde_json::from_str(&l).map(Some).map_err(|e| bad(format!("tệp sao lưu hỏng: {e}"), format!("damaged backup file: {e}")))
                }
            }
        };
        let header = next()?.unwrap_or(Value::Null);
        if at(&header, "format") != FORMAT {
            return Err(bad("đây không phải tệp sao lưu của pcmd".into(), "this is not a pcmd backup file".into()));
        }
        if at(&header, "backend") != self.backend().name() {
            return Err(bad(
                format!("tệp sao lưu từ {}, cơ sở dữ liệu này là {}: hãy khôi phục vào cùng loại", at(&header, "backend"), self.backend().name()),
                format!("the backup comes from {}, this database is {}: restore into the same kind", at(&header, "backend"), self.backend().name()),
            ));
        }
        let existing: i64 = sqlx::query("SELECT COUNT(*) FROM unit").fetch_one(self.pool()).await?.try_get(0)?;
        let users: i64 = sqlx::query("SELECT COUNT(*) FROM app_user").fetch_one(self.pool()).await?.try_get(0)?;
        if existing + users > 0 {
            return Err(bad(
                "chỉ khôi phục vào cơ sở dữ liệu trống (mới tạo bằng pcmd migrate)".into(),
                "restore only into an empty database (freshly made with pcmd migrate)".into(),
            ));
        }
        // Read before anything is written: a register that cannot be read stops the restore.
        let register = match self.erasure_register() {
            Some(path) => crate::erasures::read_register(path)?,
            None => crate::erasures::Register::default(),
        };
        let mut keyless: Vec<&'static str> = Vec::new();
        let mut tx = self.begin().await?;
        let result = async {
            let mut counts = Vec::new();
            // The audit chain's head row exists from the migration: the backup's replaces it.
            sqlx::query("DELETE FROM audit_head").execute(&mut *tx).await?;
            loop {
                let Some(section) = next()? else {
                    return Err(bad("tệp sao lưu bị cắt cụt".into(), "the backup file is truncated".into()));
                };
                if at(&section, "end") == FORMAT {
                    break;
                }
                let table = at(&section, "table").as_str().unwrap_or("");
                if !TABLES.contains(&table) {
                    return Err(bad(format!("bảng lạ trong tệp: «{table}»"), format!("unknown table in the file: «{table}»")));
                }
                let columns: Vec<String> =
                    at(&section, "columns").as_array().map(|a| a.iter().filter_map(|c| c.as_str().map(str::to_string)).collect()).unwrap_or_default();
                if columns.iter().any(|c| !c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())) {
                    return Err(bad("tên cột không hợp lệ".into(), "invalid column name".into()));
                }
                let n = at(&section, "rows").as_u64().unwrap_or(0);
                if let Some(t) = ["support_case", "tip"].into_iter().find(|t| *t == table) {
                    if n > 0 && !columns.iter().any(|c| c == "erasure_key") {
                        keyless.push(t);
                    }
                }
                // Rows go in by batches of up to BATCH in one statement (SQLite looks numbered
                // parameters up by name, so a batch stays under 400 of them).
                let batch = (400 / columns.len().max(1)).clamp(1, 100);
                let mut left = n;
                while left > 0 {
                    let take = left.min(batch as u64);
                    left -= take;
                    let mut rows = Vec::with_capacity(take as usize);
                    for _ in 0..take {
                        let row = next()?.unwrap_or(Value::Null);
                        match row {
                            Value::Array(v) if v.len() == columns.len() => rows.push(v),
                            _ => {
                                return Err(bad(
                                    format!("dòng dữ liệu sai số cột ở bảng {table}"),
                                    format!("a row of {table} has the wrong number of columns"),
                                ))
                            }
                        }
                    }
                    insert_rows(&mut tx, table, &columns, &rows).await?;
                }
                if self.backend() == Backend::Postgres && columns.iter().any(|c| c == "id") && table != "audit_head" {
                    // Identity columns go on from the restored ids.
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
                counts.push((table.to_string(), n));
            }
            let erased_by_id = if keyless.is_empty() {
                0
            } else {
                let today = pcmd_domain::date::today_vn();
                let theirs: Vec<_> = register.entries.iter().filter(|e| keyless.contains(&e.table.as_str())).cloned().collect();
                crate::erasures::reapply_in(&mut tx, &theirs, &keyless, today, "pcmd restore", false).await?.again.len()
            };
            Ok::<Restored, StoreError>(Restored { counts, erased_by_id })
        }
        .await;
        match result {
            Ok(c) => {
                tx.commit().await?;
                Ok(c)
            }
            Err(e) => {
                tx.rollback().await?;
                Err(e)
            }
        }
    }
}

/// One multi-row INSERT. NULL is written into the statement: a bound NULL carries
/// a type PostgreSQL may refuse for the column.
async fn insert_rows(tx: &mut crate::Tx<'_>, table: &str, columns: &[String], rows: &[Vec<Value>]) -> Result<(), StoreError> {
    let mut k = 0;
    let tuples: Vec<String> = rows
        .iter()
        .map(|values| {
            let marks: Vec<String> = values
                .iter()
                .map(|v| {
                    if v.is_null() {
                        "NULL".to_string()
                    } else {
                        k += 1;
                        format!("${k}")
                    }
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let sql = format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), tuples.join(", "));
    let mut q = sqlx::query(&sql).persistent(false);
    for v in rows.iter().flatten() {
        q = match v {
            Value::Null => q,
            Value::Bool(b) => q.bind(*b),
            Value::Number(n) if n.is_i64() => q.bind(n.as_i64().unwrap_or(0)),
            Value::Number(n) => q.bind(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => q.bind(s.clone()),
            Value::Object(o) => {
                let b64 = o.get("b64").and_then(Value::as_str).unwrap_or("");
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|e| bad(format!("dữ liệu nhị phân hỏng: {e}"), format!("damaged binary value: {e}")))?;
                q.bind(bytes)
            }
            Value::Array(_) => return Err(bad("giá trị không hợp lệ".into(), "invalid value".into())),
        };
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
